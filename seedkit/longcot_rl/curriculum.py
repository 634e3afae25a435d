"""The RL curriculum: choose problems the policy sometimes solves, drop those it already solves, and grow
the completion budget.

Two mechanisms from the report:

- **Solved-problem filter.** A group whose completions all pass gets the same reward everywhere,
  hence zero advantage and no gradient: it only costs generation time. The report removed
  problems solved more than 87.5% of the time. :class:`SolveTracker` keeps each problem's last few
  groups of pass/fail outcomes; :func:`filter_pool` drops those above the rate.
- **Length schedule.** Train first with shorter completions (cheap, and the model learns to be
  concise), then with longer ones (report: 16K then 32K tokens). :func:`plan_rounds` cuts the
  phases into rounds so the pool can be filtered between rounds.

And one from DAPO, whose settings the report's RL used:

- **A probe before RL** (``rl_pool_candidates``). DAPO's dynamic sampling drops groups whose
  completions all earn the same reward. :func:`probe_pool` does it once, before GRPO: the warm-up
  model answers each candidate a few times, and only problems whose answers earned different
  execution rewards enter the pool. :func:`groups_with_signal` counts, in the rollouts, how many
  groups then differed.
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


def probe_pool(candidates: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]], *, want: int,
               min_pool: int) -> PoolDecision:
    """The RL pool from a probe of the policy before GRPO: the candidates whose sampled answers earned
    different execution rewards (``rows``: verified samples with ``tests_passed``/``tests_total``).

    A group whose completions all earn the same execution reward (all fail, or all pass) gives GRPO a zero
    advantage on that reward: DAPO's dynamic sampling drops such groups as they come. The report's
    solved-problem filter removes the easy end during RL; this removes both ends once, before it, so the
    few groups a small run can afford are spent where the policy sometimes succeeds. Kept in candidate
    order, at most ``want`` (0 = all); if fewer than ``min_pool`` differ, the first others fill up and the
    reason says so. ``dropped`` holds each left-out problem with its full-pass rate in the probe.
    """
    fractions: dict[str, list[float]] = {}
    for r in rows:
        total = int(r.get("tests_total") or 0)
        fractions.setdefault(r["task_id"], []).append(int(r.get("tests_passed") or 0) / total if total else 0.0)
    differ, always, same = [], [], []
    for p in candidates:
        seen = fractions.get(p["task_id"], [])
        if len(set(seen)) > 1:
            differ.append(p)
        elif seen and seen[0] >= 1.0:
            always.append(p)
        else:
            same.append(p)
    kept = differ[:want] if want else list(differ)
    fill = same[:max(0, min_pool - len(kept))]
    kept += fill
    ids = {p["task_id"] for p in kept}

    def full_rate(task_id: str) -> float:
        seen = fractions.get(task_id, [])
        return sum(f >= 1.0 for f in seen) / len(seen) if seen else 0.0

    dropped = [(p["task_id"], full_rate(p["task_id"])) for p in candidates if p["task_id"] not in ids]
    reason = (f"probed {len(candidates)} problem(s): {len(differ)} earned different execution rewards across their "
              f"samples, {len(always)} passed every time, {len(same)} earned the same reward below a pass every time;"
              f" RL pool {len(kept)}")
    if fill:
        reason += (f" ({len(fill)} of them without differing rewards, taken in order: a step needs {min_pool} "
                   "problems)")
    return PoolDecision(kept, dropped, reason)


def groups_with_signal(rollouts: Sequence[dict[str, Any]], key: str = "execution_reward") -> tuple[int, int]:
    """(groups whose completions earned different ``key`` rewards, all groups): a group is one problem's
    completions at one step; only groups that differ give that reward a non-zero advantage."""
    groups: dict[tuple[int, str], set[float]] = {}
    for r in rollouts:
        value = (r.get("rewards") or {}).get(key)
        if value is not None:
            groups.setdefault((int(r.get("step", 0)), str(r.get("task_id", ""))), set()).add(round(float(value), 9))
    return sum(len(v) > 1 for v in groups.values()), len(groups)
