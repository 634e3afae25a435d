"""Figures and one-line readings for notebooks 04 and 05: the data funnel, the judge against its proxy,
training curves, and an effect (before, after, paired difference, each with its 95% interval)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any


def reading(diff: dict[str, Any], what: str, unit: str = "", better_when_negative: bool = False) -> str:
    """One sentence a reader can act on: did the stage change ``what``, by how much, and is the interval
    clear of zero? ``diff`` is a Difference dict (mean, lo, hi, n_problems)."""
    mean, lo, hi, n = diff["mean"], diff["lo"], diff["hi"], diff.get("n_problems", 0)
    if not n or math.isnan(mean):
        return f"{what}: nothing to compare (no item in common)."
    text = f"{mean:+.3f} [{lo:+.3f}, {hi:+.3f}]{unit} over {n}"
    better = (hi < 0) if better_when_negative else (lo > 0)
    worse = (lo > 0) if better_when_negative else (hi < 0)
    if better:
        return f"{what} improved: {text}; the 95% interval excludes zero."
    if worse:
        return f"{what} got WORSE: {text}; the 95% interval excludes zero, so this stage made the model worse here."
    return f"{what}: no change resolved: {text}; the 95% interval includes zero."


def plot_funnel(stats: dict[str, Any], ax: Any = None) -> Any:
    """Horizontal bars: per filter, items removed (red) and passed on (green)."""
    import matplotlib.pyplot as plt

    funnel = stats["funnel"]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.5))
    names = [f["step"] for f in funnel][::-1]
    ax.barh(names, [f["removed"] for f in funnel][::-1], color="tab:red", label="removed")
    ax.barh(names, [f["out"] for f in funnel][::-1], left=[f["removed"] for f in funnel][::-1], color="tab:green",
            label="passed on")
    first = funnel[0]["in"] if funnel else 0
    last = funnel[-1]["out"] if funnel else 0
    ax.set(title=f"{first} candidates -> {last} verified items", xlabel="items")
    ax.legend(loc="lower right")
    return ax


def plot_judge(judge: Any, axes: Any = None) -> Any:
    """Left: difficulty rating against the solution-size proxy (is the judge reading anything?);
    right: difficulty and correctness ratings, with the cut when one is applied. ``judge``: stage 04's
    ratings (its ``JudgeRatings``, or the ``judge`` record of its ``stats.json``)."""
    import matplotlib.pyplot as plt

    if dataclasses.is_dataclass(judge) and not isinstance(judge, type):
        judge = dataclasses.asdict(judge)

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12, 3.6))
    pts = [(p, d) for p, d in zip(judge["proxy"], judge["difficulty"], strict=True) if d is not None]
    sig = judge["signal"]
    if pts:
        axes[0].scatter([p for p, _ in pts], [d for _, d in pts], s=14, alpha=0.7)
    rho = "n/a" if sig.get("rho") is None else f"{sig['rho']:+.2f}"
    iv = "" if not sig.get("interval") else f" [{sig['interval'][0]:+.2f}, {sig['interval'][1]:+.2f}]"
    axes[0].set(title=f"difficulty rating vs solution size: rho {rho}{iv} (n={sig['n']})",
                xlabel="AST nodes + 5 x branches/loops", ylabel="judge's difficulty (0-10)")
    diff = [d for d in judge["difficulty"] if d is not None]
    corr = [c for c in judge["correctness"] if c is not None]
    bins = 20
    if diff:
        axes[1].hist(diff, bins=bins, alpha=0.6, label="difficulty")
    if corr:
        axes[1].hist(corr, bins=bins, alpha=0.6, label="correctness")
    if judge.get("threshold") is not None:
        axes[1].axvline(judge["threshold"], color="tab:red", linestyle="--", label=f"cut {judge['threshold']:.2f}")
    axes[1].set(title=f"ratings ({judge['method']}); rule: {judge['rule']}", xlabel="0-10", ylabel="items")
    axes[1].legend()
    return axes


def plot_curves(log_history: list[dict[str, Any]], keys: tuple[str, ...] = ("loss",), title: str = "") -> Any:
    """One panel per logged key (loss, rewards/margins, ...) against the step."""
    import matplotlib.pyplot as plt

    present = [k for k in keys if any(k in r for r in log_history)]
    if not present:
        return None
    fig, axes = plt.subplots(1, len(present), figsize=(5 * len(present), 3.3), squeeze=False)
    for ax, key in zip(axes[0], present, strict=True):
        rows = [r for r in log_history if key in r]
        ax.plot([r.get("step", i) for i, r in enumerate(rows)], [float(r[key]) for r in rows], marker="o")
        ax.set(title=key if not title else f"{title}: {key}", xlabel="step")
    fig.tight_layout()
    return fig


def _value(side: dict[str, Any]) -> float:
    """The figure of one side of an effect: ``mean``, or the metric an eval effect names (``pass@1``)."""
    if "mean" in side:
        return side["mean"]
    return next(v for k, v in side.items() if k.startswith("pass@"))


def plot_effect(panels: list[dict[str, Any]], axes: Any = None) -> Any:
    """For each panel ``{"title", "before", "after", "difference", "labels": (parent, child), "unit"}``:
    the two values with their 95% intervals and the paired difference with its interval."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.4), squeeze=False)
        axes = axes[0]
    for ax, p in zip(axes, panels, strict=True):
        b, a, d = p["before"], p["after"], p["difference"]
        names = [*p["labels"], "difference"]
        vals = [_value(b), _value(a), d["mean"]]
        los = [b["interval"][0], a["interval"][0], d["lo"]]
        his = [b["interval"][1], a["interval"][1], d["hi"]]
        err = [[v - lo for v, lo in zip(vals, los, strict=True)], [hi - v for v, hi in zip(vals, his, strict=True)]]
        ax.bar(names, vals, yerr=err, capsize=6, color=["tab:gray", "tab:green", "tab:blue"])
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set(title=p["title"], ylabel=p.get("unit", ""))
    plt.tight_layout()
    return axes
