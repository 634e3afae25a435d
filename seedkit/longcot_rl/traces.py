"""Stage 06's data: training problems, the reasoning prompt, seed and generated traces, the warm-up set.

Warm-up data, all in one layout (``<think>...</think>`` then one fenced ``python`` block):

- the hand-checked seed traces in ``data_samples/longcot/seed_traces.jsonl`` (so the offline path
  always has data; a unit test runs each one's code against its problem's tests), and
- traces the generator backend writes for the training problems (the assistant turn is prefilled
  with ``<think>`` for an in-process model, so a small model starts in the right layout).

Every trace is kept only if its final code passes all of its problem's tests in the sandbox.
The same user turn (:func:`reasoning_messages`) is used by the warm-up and by GRPO.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES, SettingsError
from seedkit.files import read_jsonl
from seedkit.formats import THINK_OPEN, parse_trace, reasoning_messages
from seedkit.generation import TransformersGenerator
from seedkit.longcot_rl.rewards import execution_outcomes, format_score
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.posttraining.finetune import fit, sft_config
from seedkit.problems import ProblemFormatError, load_problems_file, split_check_tests

STAGE = "06_longcot_rl"
DEFAULT_PROBLEMS = DATA_SAMPLES / "problems" / "train.jsonl"
DEFAULT_SEED_TRACES = DATA_SAMPLES / "longcot" / "seed_traces.jsonl"



def say(msg: str) -> None:
    print(f"[{STAGE}] {msg}")


# --------------------------------------------------------------------------- problems and prompts


def load_problems(path: str | os.PathLike[str] | None = None, limit: int = 0) -> list[dict[str, Any]]:
    """Training problems (the kit's one problem loader, Python only) as dicts for TRL's dataset columns."""

    p = Path(path) if path else DEFAULT_PROBLEMS
    if not p.exists():
        raise SettingsError(f"problems_file: {p} does not exist; point it at a JSONL of problems (docs/contracts.md)")
    try:
        out = [q.to_dict() for q in load_problems_file(p, "python")]
    except ProblemFormatError as e:
        raise SettingsError(f"problems_file: {e}") from None
    return out[:limit] if limit else out




def load_seed_traces(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """The hand-checked traces: rows of task_id and trace."""
    p = Path(path) if path else DEFAULT_SEED_TRACES
    if not p.exists():
        raise SettingsError(f"seed_traces_file: {p} does not exist")

    return read_jsonl(p)


# --------------------------------------------------------------------------- traces


def verify_traces(traces: Sequence[dict[str, Any]], problems: dict[str, dict[str, Any]], *,
                  timeout_s: float = 5.0, workers: int | None = None) -> list[dict[str, Any]]:
    """Each trace with ``kept`` (layout complete and every test passed), tests_passed/total and status."""
    rows = [dict(t) for t in traces if t["task_id"] in problems]
    codes = [parse_trace(r["trace"]).code for r in rows]
    tests = [split_check_tests(problems[r["task_id"]]["tests"], problems[r["task_id"]]["entry_point"]) for r in rows]
    outcomes = execution_outcomes(codes, tests, timeout_s=timeout_s, workers=workers)
    for r, o in zip(rows, outcomes, strict=True):
        r.update(tests_passed=o.tests_passed, tests_total=o.tests_total, status=o.status,
                 format_score=format_score(r["trace"]))
        r["kept"] = o.tests_total > 0 and o.tests_passed == o.tests_total and r["format_score"] == 1.0
    return rows


def generate_traces(generator: Any, problems: Sequence[dict[str, Any]], *, n: int = 1, temperature: float = 0.7,
                    max_new_tokens: int = 256, progress: bool = True) -> list[dict[str, Any]]:
    """Sample ``n`` traces per problem. An in-process model gets its turn prefilled with ``<think>``."""

    convs = [reasoning_messages(p) for p in problems]
    kw = dict(n=n, temperature=temperature if n > 1 or temperature > 0 else 0.0, max_new_tokens=max_new_tokens,
              stop=["\n```\n"], progress=progress, desc="reasoning traces")
    if isinstance(generator, TransformersGenerator):
        prompts = [generator.render_chat(c) + THINK_OPEN + "\n" for c in convs]
        outs = generator.complete(prompts, **kw)
        prefix = THINK_OPEN + "\n"
    else:
        outs = generator.chat(convs, **kw)
        prefix = ""
    rows = []
    for p, samples in zip(problems, outs, strict=True):
        for text in samples:
            trace = prefix + text
            if trace.count("```") % 2 == 1:  # stopped at the closing fence, which the stop string removed
                trace = trace.rstrip() + "\n```"
            rows.append({"task_id": p["task_id"], "trace": trace.strip() + "\n", "source": "generated"})
    return rows


def warmup_dataset(traces: Sequence[dict[str, Any]], problems: dict[str, dict[str, Any]]) -> Any:
    """Prompt-completion chat rows (loss on the completion only) for TRL's SFTTrainer."""
    import datasets

    return datasets.Dataset.from_list([
        {"prompt": reasoning_messages(problems[t["task_id"]]),
         "completion": [{"role": "assistant", "content": t["trace"].strip()}],
         "task_id": t["task_id"], "source": t.get("source", "seed"),
         "tests_passed": int(t.get("tests_passed", 0)), "tests_total": int(t.get("tests_total", 0))}
        for t in traces
    ])


def warmup_config(settings: LongCoTRLSettings, *, output_dir: str | Path, device: str, n_examples: int) -> Any:
    """The warm-up's TRL ``SFTConfig`` (the kit's one SFT config, :func:`seedkit.posttraining.finetune.sft_config`):
    a constant learning rate, loss on the trace only."""

    batch = max(1, min(settings.warmup_batch_size, n_examples))
    # on the CPU one trace per forward pass, the rest accumulated (the same update): nothing is padded, as in
    # stage 04 (smol's SFT items took 18 s one at a time against 22 s in padded batches of 4)
    per_device = 1 if str(device).startswith("cpu") else batch
    return sft_config(output_dir=str(output_dir), device=device, dtype=settings.profile_info.dtype,
                      global_batch=batch, per_device_max=per_device, learning_rate=settings.warmup_learning_rate,
                      max_steps=settings.warmup_steps, num_epochs=1.0, max_length=settings.warmup_max_length,
                      seed=settings.seed, report_to=settings.report_to, lr_scheduler_type="constant",
                      warmup_ratio=0.0, quiet=True, gradient_checkpointing=settings.gradient_checkpointing)


def warmup_sft(model: Any, tokenizer: Any, dataset: Any, config: Any) -> list[dict[str, Any]]:
    """SFT on the verified traces (the kit's one SFT call); trains ``model`` in place, returns the loss log."""

    history = fit(model, tokenizer, dataset, config, quiet=True)
    return [{k: v for k, v in row.items() if isinstance(v, int | float)} for row in history if "loss" in row]
