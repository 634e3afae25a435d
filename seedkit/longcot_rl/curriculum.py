"""The RL curriculum: drop problems the policy already solves, and grow the completion budget.

Two mechanisms from the report:

- **Solved-problem filter.** A group whose completions all pass gets the same reward everywhere,
  hence zero advantage and no gradient: it only costs generation time. The report removed
  problems solved more than 87.5% of the time. :class:`SolveTracker` keeps each problem's last few
  groups of pass/fail outcomes; :func:`filter_pool` drops those above the rate.
- **Length schedule.** Train first with shorter completions (cheap, and the model learns to be
  concise), then with longer ones (report: 16K then 32K tokens). :func:`plan_rounds` cuts the
  phases into rounds so the pool can be filtered between rounds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SolveTracker:
    """Recent pass/fail outcomes per problem, a window of ``window_groups`` groups."""

    window_groups: int = 2
    group_size: int = 4
    history: dict[str, deque[bool]] = field(default_factory=dict)

    def record(self, task_id: str, solved: Sequence[bool]) -> None:
        window = max(1, self.window_groups * self.group_size)
        h = self.history.setdefault(task_id, deque(maxlen=window))
        h.extend(bool(s) for s in solved)

    def solve_rate(self, task_id: str) -> float | None:
        """Share of recent completions that passed every test; None when never sampled."""
        h = self.history.get(task_id)
        if not h:
            return None
        return sum(h) / len(h)

    def samples(self, task_id: str) -> int:
        return len(self.history.get(task_id, ()))


@dataclass(frozen=True)
class PoolDecision:
    """Which problems stay; the dropped ones with their solve rates; one line saying why."""

    kept: list[dict[str, Any]]
    dropped: list[tuple[str, float]]
    reason: str


def filter_pool(pool: Sequence[dict[str, Any]], tracker: SolveTracker, drop_above: float,
                min_pool: int = 1, min_samples: int | None = None) -> PoolDecision:
    """Drop problems whose recent solve rate is above ``drop_above`` (strictly).

    A problem needs at least ``min_samples`` recorded outcomes (default: one group) before it can be
    dropped. If dropping would leave fewer than ``min_pool`` problems (a step needs
    ``global_batch / group_size`` of them), the least-solved of the would-be-dropped stay, and the
    reason says so.
    """
    need = tracker.group_size if min_samples is None else min_samples
    kept: list[dict[str, Any]] = []
    over: list[tuple[dict[str, Any], float]] = []
    for p in pool:
        rate = tracker.solve_rate(p["task_id"])
        if rate is not None and tracker.samples(p["task_id"]) >= need and rate > drop_above:
            over.append((p, rate))
        else:
            kept.append(p)
    if not over:
        return PoolDecision(kept, [], f"no problem solved above {drop_above:.1%}: pool stays at {len(kept)}")
    refill = max(0, min_pool - len(kept))
    over.sort(key=lambda pr: pr[1])
    back, gone = over[:refill], over[refill:]
    kept.extend(p for p, _ in back)
    reason = (f"dropped {len(gone)} problem(s) solved above {drop_above:.1%} in the last "
              f"{tracker.window_groups} group(s): pool {len(pool)} -> {len(kept)}")
    if back:
        reason += f" (kept {len(back)} solved one(s): a step needs {min_pool} problems)"
    return PoolDecision(kept, [(p["task_id"], r) for p, r in gone], reason)


@dataclass(frozen=True)
class Round:
    """A stretch of GRPO steps with one completion budget and one problem pool."""

    index: int
    phase: int
    steps: int
    max_completion_length: int
    first_step: int  # global step this round starts at


def plan_rounds(max_completion_lengths: Sequence[int], steps_per_length: Sequence[int],
                interval: int) -> list[Round]:
    """The length schedule cut into rounds of at most ``interval`` steps (the pool is filtered between rounds)."""
    if len(max_completion_lengths) != len(steps_per_length):
        raise ValueError(f"{len(max_completion_lengths)} lengths but {len(steps_per_length)} step counts")
    rounds: list[Round] = []
    step = 0
    for phase, (length, steps) in enumerate(zip(max_completion_lengths, steps_per_length, strict=True)):
        left = steps
        while left > 0:
            n = min(interval, left)
            rounds.append(Round(len(rounds), phase, n, length, step))
            step += n
            left -= n
    return rounds
