"""Rewards for reasoning traces: run the code (execution), check the layout (format), parse it (parse).

A completion is expected to look like::

    <think>
    ...reasoning...
    </think>
    ```python
    def f(...):
        ...
    ```

- :func:`format_score` (0-1): opens with ``<think>``, closes it, a closed fenced code block follows
  the thinking, nothing but whitespace after that block, with half credit for a stray tag or fence.
  Dense on purpose: a tiny model that never passes a test still earns partial credit, so GRPO has a
  non-zero advantage to learn from.
- :func:`parse_score` (0 or 1): the final code block compiles as Python.
- :func:`execution_outcomes`: the fraction of the problem's tests the final code passes, run through
  :mod:`seedkit.sandbox` in parallel. HumanEval-style ``check(candidate)`` tests are split into one
  snippet per assertion (:func:`split_check_tests`) so the reward is a fraction, not all-or-nothing.
  Completions with no code are scored 0 without starting a process.

:func:`reward_functions` gives the three as TRL reward functions (named ``execution_reward``,
``format_reward``, ``parse_reward``, so TRL logs ``rewards/<name>/mean`` per step); notebook 06
writes the same three out in a cell. :class:`RolloutLog` wraps them to record every scored rollout
for the notebook and to feed per-problem solve outcomes to the curriculum.
"""

from __future__ import annotations

import os
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seedkit.files import read_jsonl
from seedkit.formats import THINK_CLOSE, THINK_OPEN, completion_text, parse_trace
from seedkit.sandbox import Job, Limits, run_jobs

# --------------------------------------------------------------------------- parsing








def format_score(text: str) -> float:
    """Layout score in [0, 1]: the mean of four checks, each 1 when met and 0.5 when only half met.

    1. thinking opens: the completion starts with ``<think>`` (0.5: the tag appears somewhere);
    2. thinking closes: ``</think>`` follows the opening tag (0.5: the closing tag appears somewhere);
    3. code follows: a closed fenced block after ``</think>`` (0.5: a code fence appears somewhere);
    4. clean end: nothing but whitespace after that block (no half credit).

    The half credits make the reward dense: a barely trained model that emits a stray tag or fence
    already scores differently from its neighbours in the group, which is what GRPO learns from.
    A complete trace scores exactly 1.0.
    """
    p = parse_trace(text)
    opened = 1.0 if p.opens_with_think else (0.5 if THINK_OPEN in text else 0.0)
    closed = 1.0 if p.closes_think else (0.5 if THINK_CLOSE in text else 0.0)
    code_ok = p.closes_think and p.code is not None and p.code_block_closed
    code = 1.0 if code_ok else (0.5 if "```" in text else 0.0)
    clean = 1.0 if code_ok and not p.trailing_text.strip() else 0.0
    return (opened + closed + code + clean) / 4


def parse_score(text: str) -> float:
    """1.0 when the final code block compiles as Python, else 0.0 (no code, or a syntax error)."""
    code = parse_trace(text).code
    if code is None or not code.strip():
        return 0.0
    try:
        with warnings.catch_warnings():  # a model's odd literals ("1_000_", "\\d") warn; only errors count here
            warnings.simplefilter("ignore")
            compile(code, "<completion>", "exec")
    except (SyntaxError, ValueError):
        return 0.0
    return 1.0


def answer_layouts(details_dir: str | os.PathLike[str], labels: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per measured model, how its evaluation answers (``samples_<label>.jsonl``, the text as generated)
    follow the reasoning layout: ``complete`` is the share scoring 1.0 in :func:`format_score`, ``format``
    the mean score. pass@1 alone cannot tell a warm-up that taught the layout from one that left the
    model answering as before. A label without a samples file is left out."""

    out: dict[str, dict[str, Any]] = {}
    for label in labels:
        path = Path(details_dir) / f"samples_{label}.jsonl"
        if not path.exists():
            continue
        scores = [format_score(str(row.get("raw", row.get("completion", "")))) for row in read_jsonl(path)]
        if scores:
            out[label] = {"answers": len(scores), "complete": round(sum(s == 1.0 for s in scores) / len(scores), 4),
                          "format": round(sum(scores) / len(scores), 4)}
    return out


def layout_line(layouts: dict[str, dict[str, Any]]) -> str:
    """One line: each model's share of answers in the complete <think>/code layout."""
    parts = [f"{label} {v['complete']:.2f} of {v['answers']}" for label, v in layouts.items()]
    return "answers in the complete reasoning layout: " + (", ".join(parts) if parts else "no samples to read")


# --------------------------------------------------------------------------- tests




# --------------------------------------------------------------------------- execution


@dataclass(frozen=True)
class ExecutionOutcome:
    """One completion's execution: reward = tests_passed / tests_total (0 when there is no code)."""

    reward: float
    status: str  # sandbox status, or "no_code"
    tests_passed: int
    tests_total: int
    error_type: str | None = None


def execution_outcomes(codes: Sequence[str | None], test_snippets: Sequence[Sequence[str]], *,
                       timeout_s: float = 5.0, workers: int | None = None) -> list[ExecutionOutcome]:
    """Run each code against its test snippets in the sandbox, in parallel; fraction passed per code.

    ``codes[i]`` is None (or blank) when the completion held no code: it scores 0 without a process.
    """
    if len(codes) != len(test_snippets):
        raise ValueError(f"execution_outcomes: {len(codes)} codes but {len(test_snippets)} test lists")
    outcomes: list[ExecutionOutcome | None] = [None] * len(codes)
    jobs = []
    where: list[int] = []
    to_run = [i for i, c in enumerate(codes) if c is not None and c.strip()]
    if to_run:

        limits = Limits(wall_s=timeout_s, cpu_s=timeout_s)
        for i in to_run:
            jobs.append(Job(program=textwrap.dedent(codes[i] or ""), tests=list(test_snippets[i]), limits=limits))
            where.append(i)
        results = run_jobs(jobs, workers=workers or None, progress=False, require="stage 06's execution reward")
        for i, r in zip(where, results, strict=True):
            total = r.tests_total or len(test_snippets[i])
            passed = min(r.tests_passed, total)
            outcomes[i] = ExecutionOutcome(passed / total if total else 0.0, r.status, passed, total, r.error_type)
    for i, o in enumerate(outcomes):
        if o is None:
            outcomes[i] = ExecutionOutcome(0.0, "no_code", 0, len(test_snippets[i]))
    return [o for o in outcomes if o is not None]


# --------------------------------------------------------------------------- TRL reward functions


def make_execution_reward(timeout_s: float = 5.0, workers: int | None = None) -> Callable[..., list[float]]:
    """TRL reward function ``execution_reward``: the fraction of its problem's tests each completion's
    final code block passes in the sandbox (0 without code). TRL passes the dataset's
    ``test_snippets`` column as a keyword argument."""

    def execution_reward(completions: list[Any], test_snippets: list[list[str]], **_: Any) -> list[float]:
        codes = [parse_trace(completion_text(c)).code for c in completions]
        return [o.reward for o in execution_outcomes(codes, test_snippets, timeout_s=timeout_s, workers=workers)]

    return execution_reward


def format_reward(completions: list[Any], **_: Any) -> list[float]:
    """TRL reward function: the layout score of each completion (:func:`format_score`)."""
    return [format_score(completion_text(c)) for c in completions]


def parse_reward(completions: list[Any], **_: Any) -> list[float]:
    """TRL reward function: 1 when each completion's final code block compiles (:func:`parse_score`)."""
    return [parse_score(completion_text(c)) for c in completions]


def reward_functions(settings: Any) -> tuple[list[Callable[..., list[float]]], list[float]]:
    """Stage 06's three reward functions and their weights (the notebook writes the same three out)."""
    funcs = [make_execution_reward(settings.execution_timeout_s, settings.sandbox_workers or None),
             format_reward, parse_reward]
    weights = [settings.execution_reward_weight, settings.format_reward_weight, settings.parse_reward_weight]
    return funcs, weights


@dataclass
class Rollout:
    """One scored completion, kept for the notebook's table of rollouts."""

    step: int
    task_id: str
    completion: str
    rewards: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RolloutLog:
    """Records what every reward function said about every completion, and who solved what.

    :meth:`wrap` returns a reward function that calls the given one (same name, so TRL logs
    ``rewards/<name>/mean``) and records its scores per rollout under the trainer's global step
    (plus ``step_offset``, the first step of the current curriculum round). The function named
    ``solved_by`` (the execution reward) also logs ``pass_rate`` (share of completions whose reward is
    1.0: every test passed) and reports per-problem outcomes to ``on_solved(task_id, flags)`` for the
    curriculum.
    """

    def __init__(self, weights: dict[str, float], *, on_solved: Callable[[str, list[bool]], None] | None = None,
                 solved_by: str = "execution_reward", step_offset: int = 0):
        self.weights = dict(weights)
        self.on_solved = on_solved
        self.solved_by = solved_by
        self.step_offset = step_offset
        self.rollouts: dict[tuple[int, int], Rollout] = {}

    def wrap(self, fn: Callable[..., list[float]]) -> Callable[..., list[float]]:
        name = getattr(fn, "__name__", "reward")

        def recorded(prompts: Any = None, completions: Any = None, task_id: list[str] | None = None,
                     trainer_state: Any = None, log_metric: Callable[[str, float], None] | None = None,
                     **kw: Any) -> list[float]:
            scores = fn(prompts=prompts, completions=completions, task_id=task_id, trainer_state=trainer_state,
                        log_metric=log_metric, **kw)
            step = self.step_offset + int(getattr(trainer_state, "global_step", 0) or 0)
            ids = list(task_id) if task_id else [""] * len(completions)
            for i, (c, score) in enumerate(zip(completions, scores, strict=True)):
                key = (step, i)
                if key not in self.rollouts:
                    self.rollouts[key] = Rollout(step=step, task_id=ids[i], completion=completion_text(c))
                self.rollouts[key].rewards[name] = float(score)
            if name == self.solved_by:
                solved = [s is not None and s >= 1.0 for s in scores]
                if log_metric is not None:
                    log_metric("pass_rate", sum(solved) / max(1, len(solved)))
                if self.on_solved is not None:
                    by_task: dict[str, list[bool]] = {}
                    for tid, flag in zip(ids, solved, strict=True):
                        by_task.setdefault(tid, []).append(flag)
                    for tid, flags in by_task.items():
                        self.on_solved(tid, flags)
            return scores

        recorded.__name__ = name
        recorded.__doc__ = fn.__doc__
        return recorded

    def rollout_table(self) -> list[dict[str, Any]]:
        """Every scored rollout in step order, with its weighted total."""
        rows = []
        for _, r in sorted(self.rollouts.items()):
            d = r.to_dict()
            d["total"] = sum(self.weights.get(k, 0.0) * v for k, v in r.rewards.items())
            rows.append(d)
        return rows
