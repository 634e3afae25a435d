"""Stage 07 and the evaluation used by every stage: problems, code extraction, pass@k, harness,
intervals (``stats``), every stage's measured effect (``effects``), runs side by side (``compare``).

Light imports here (problems, extraction, metrics); the harness (generation + sandbox scoring) is
imported on first use so that ``from seedkit.eval import load_heldout`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from seedkit.eval.extraction import completion_for_problem, defines_entry_point, extract_code
from seedkit.eval.metrics import mean_pass_at_k, pass_at_k, pass_at_k_table
from seedkit.problems import (
    Problem,
    load_heldout,
    load_humaneval,
    load_problem_set,
    load_problems_file,
    load_train_problems,
)

_LAZY = {
    "EvalReport": "seedkit.eval.harness",
    "SampleResult": "seedkit.eval.harness",
    "evaluate_model_on_problems": "seedkit.eval.harness",
    "generate_samples": "seedkit.eval.harness",
    "score_samples": "seedkit.eval.harness",
    "choose_prompt_format": "seedkit.eval.harness",
    "PassCounts": "seedkit.eval.effects",
    "measure": "seedkit.eval.effects",
    "effect": "seedkit.eval.effects",
    "Interval": "seedkit.eval.stats",
    "Difference": "seedkit.eval.stats",
    "bootstrap_interval": "seedkit.eval.stats",
    "paired_difference": "seedkit.eval.stats",
    "across_runs": "seedkit.eval.stats",
}

__all__ = [
    "Problem", "load_humaneval", "load_heldout", "load_train_problems", "load_problem_set",
    "load_problems_file", "extract_code", "completion_for_problem", "defines_entry_point",
    "pass_at_k", "mean_pass_at_k", "pass_at_k_table", *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'seedkit.eval' has no attribute {name!r}")
