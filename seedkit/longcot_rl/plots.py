"""Figures for notebook 06: GRPO's per-step logs, and the reward over steps with its moving average and
95% interval (:func:`seedkit.longcot_rl.grpo.reward_curve`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seedkit.posttraining.plots import reading

# (panel title, [(log key, legend)]) for plot_steps: TRL's per-step log plus the kit's pass rate and budget
STEP_PANELS = [
    ("reward by component (unweighted)", [("rewards/execution_reward/mean", "execution"),
                                          ("rewards/format_reward/mean", "format"),
                                          ("rewards/parse_reward/mean", "parse")]),
    ("pass rate and groups without spread", [("pass_rate", "all tests passed"),
                                             ("frac_reward_zero_std", "groups with one reward")]),
    ("completion length (tokens)", [("completions/mean_length", "mean length"), ("max_completion_length", "budget")]),
    ("truncation and clipping", [("completions/clipped_ratio", "truncated"), ("clip_ratio/low_mean", "clip low"),
                                 ("clip_ratio/high_mean", "clip high")]),
    ("loss", [("loss", "GRPO loss")]),
    ("problem pool", [("pool_size", "problems")]),
]


def column(steps: Sequence[dict[str, Any]], key: str) -> tuple[list[int], list[float]]:
    """(steps, values) of one per-step log key, skipping steps that did not log it."""
    xs, ys = [], []
    for row in steps:
        if row.get(key) is not None:
            xs.append(int(row["step"]))
            ys.append(float(row[key]))
    return xs, ys


def plot_steps(steps: Sequence[dict[str, Any]]) -> Any:
    """Six panels of GRPO's per-step log (:data:`STEP_PANELS`)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(15, 7))
    for ax, (title, series) in zip(axes.flat, STEP_PANELS, strict=True):
        for key, label in series:
            xs, ys = column(steps, key)
            if xs:
                ax.plot(xs, ys, "--" if key == "max_completion_length" else "o-", label=label)
        ax.set(title=title, xlabel="GRPO step")
        if ax.lines:
            ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_reward_curve(curves: dict[str, Sequence[dict[str, Any]]], window: int) -> Any:
    """One panel per curve (e.g. ``{"total reward": ..., "execution reward": ...}``): each rollout batch's
    mean with its 95% interval (bars) and the moving average over ``window`` batches with its interval
    (line and band)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(curves), figsize=(6.5 * len(curves), 3.6), squeeze=False)
    for ax, (title, curve) in zip(axes[0], curves.items(), strict=True):
        if not curve:
            ax.set(title=f"{title}: no rollouts")
            continue
        xs = [r["step"] for r in curve]
        ax.errorbar(xs, [r["mean"] for r in curve], yerr=[[r["mean"] - r["lo"] for r in curve],
                                                          [r["hi"] - r["mean"] for r in curve]],
                    fmt="o", color="tab:gray", capsize=3, label="batch mean, 95% interval")
        ax.plot(xs, [r["ma_mean"] for r in curve], color="tab:blue", label=f"moving average ({window} batches)")
        ax.fill_between(xs, [r["ma_lo"] for r in curve], [r["ma_hi"] for r in curve], color="tab:blue", alpha=0.2)
        groups = curve[0]["groups"]
        ax.set(title=f"{title} ({groups} problem group(s) a batch)", xlabel="GRPO step", ylabel="reward")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def effect_panel(effect: dict[str, Any], title: str) -> dict[str, Any]:
    """A panel of :func:`seedkit.posttraining.plots.plot_effect` from an effect record
    (:func:`seedkit.measure.effects.effect`): the parent and the child with their intervals, and their
    paired difference."""
    return {"title": title, "before": effect["before"], "after": effect["after"], "difference": effect["difference"],
            "labels": (effect["parent"], effect["child"])}


def show_effect(effect: dict[str, Any], what: str = "") -> None:
    """Print an effect record's line and, given ``what``, the sentence that reads it
    (:func:`seedkit.posttraining.plots.reading`)."""
    print(effect["line"])
    if what:
        print(reading(effect["difference"], what))
