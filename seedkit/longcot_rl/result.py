"""What stage 06 leaves behind, read back from its directory (:class:`LongCoTRLResult`), and the
summary numbers its manifest records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.longcot_rl.curriculum import groups_with_signal
from seedkit.longcot_rl.products import GRPORun, RLPool, Warmup
from seedkit.runs import read_manifest


@dataclass
class LongCoTRLResult:
    """What the notebook shows, read back from the stage directory."""

    path: Path
    model_spec: str
    parent_model: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> LongCoTRLResult:

        p = Path(path)
        manifest = read_manifest(p) or {}
        metrics = json.loads((p / "metrics.json").read_text(encoding="utf-8"))
        return cls(path=p, model_spec=metrics.get("model_spec", ""), parent_model=metrics.get("parent_model", ""),
                   metrics=metrics, summary=manifest.get("metrics", {}), timings=manifest.get("timings", {}))

    @property
    def traces(self) -> list[dict[str, Any]]:
        return self.metrics.get("traces", [])

    @property
    def warmup_log(self) -> list[dict[str, Any]]:
        return (self.metrics.get("warmup") or {}).get("log_history", [])

    @property
    def rl_steps(self) -> list[dict[str, Any]]:
        return (self.metrics.get("rl") or {}).get("steps", [])

    @property
    def rollouts(self) -> list[dict[str, Any]]:
        return (self.metrics.get("rl") or {}).get("rollouts", [])

    @property
    def curriculum(self) -> list[dict[str, Any]]:
        return (self.metrics.get("rl") or {}).get("curriculum", [])

    @property
    def rounds(self) -> list[dict[str, Any]]:
        return (self.metrics.get("rl") or {}).get("rounds", [])

    @property
    def reward_curve(self) -> list[dict[str, Any]]:
        return self.metrics.get("reward_curve", [])

    @property
    def effects(self) -> dict[str, Any]:
        return self.metrics.get("effects", {})

    def column(self, key: str) -> tuple[list[int], list[float]]:
        """(steps, values) of one per-step GRPO log key, e.g. ``rewards/format_reward/mean``."""
        xs, ys = [], []
        for row in self.rl_steps:
            if row.get(key) is not None:
                xs.append(int(row["step"]))
                ys.append(float(row[key]))
        return xs, ys

    def best_rollouts(self, n: int = 4) -> list[dict[str, Any]]:
        """A few rollouts to read: the highest total reward first, from the last step on ties."""
        return sorted(self.rollouts, key=lambda r: (-r.get("total", 0.0), -r.get("step", 0)))[:n]


def summarize(warm: Warmup, grpo: GRPORun, traces: list[dict[str, Any]], pool: RLPool | None = None) -> dict[str, Any]:
    """The manifest's summary numbers: traces kept, steps, seconds, first and last of each logged curve, the
    rollout groups whose execution rewards differed (the ones that carry that reward's advantage), the probe."""
    steps = grpo.steps

    def first_last(key: str) -> tuple[float | None, float | None]:
        vals = [r[key] for r in steps if r.get(key) is not None]
        return (round(vals[0], 4), round(vals[-1], 4)) if vals else (None, None)

    out: dict[str, Any] = {"warmup_traces_kept": sum(t["kept"] for t in traces), "warmup_traces_total": len(traces),
                           "rl_steps": len(steps), "rl_seconds": grpo.train_seconds,
                           "warmup_seconds": warm.train_seconds, "rollouts": grpo.rollout_paths}
    log = warm.log_history
    if log:
        out["warmup_loss_first"] = round(log[0]["loss"], 4)
        out["warmup_loss_last"] = round(log[-1]["loss"], 4)
    for key, name in (("reward", "reward"), ("rewards/execution_reward/mean", "execution_reward"),
                      ("rewards/format_reward/mean", "format_reward"), ("rewards/parse_reward/mean", "parse_reward"),
                      ("pass_rate", "pass_rate"), ("completions/mean_length", "completion_length"),
                      ("frac_reward_zero_std", "frac_reward_zero_std")):
        a, b = first_last(key)
        if a is not None:
            out[f"{name}_first"] = a
            out[f"{name}_last"] = b
    differ, groups = groups_with_signal(grpo.rollouts)
    out["groups_with_differing_execution_reward"] = differ
    out["rollout_groups"] = groups
    if pool is not None and pool.candidates:
        out["rl_pool_probe"] = {"candidates": pool.candidates, "samples": pool.samples, "kept": len(pool.problems),
                                "seconds": pool.seconds}
    secs = [r["step_seconds"] for r in steps if "step_seconds" in r]
    if secs:
        out["seconds_per_step"] = round(sum(secs) / len(secs), 2)
    return out
