"""Plots for notebook 02 (matplotlib), all reading a stage result's stats or scores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _axes(ax: Any = None, size: tuple[float, float] = (6, 3.2)) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_score_histogram(scores: Sequence[float], threshold: float, ax: Any = None, title: str = "") -> Any:
    """Histogram of the corpus scores with the cut: everything left of the red line is dropped."""
    ax = _axes(ax)
    s = np.asarray(scores, float)
    bins = np.linspace(min(0.0, s.min()), max(10.0, s.max()), 41) if len(s) else 10
    ax.hist(s[s >= threshold], bins=bins, color="tab:blue", label=f"kept ({int((s >= threshold).sum())})")
    ax.hist(s[s < threshold], bins=bins, color="tab:gray", label=f"dropped ({int((s < threshold).sum())})")
    ax.axvline(threshold, color="tab:red", lw=2, label=f"cut {threshold:.2f}")
    ax.set_xlabel("quality score (0-10, distilled scorer)")
    ax.set_ylabel("files")
    ax.set_title(title or "scores of the whole corpus")
    ax.legend(fontsize=8)
    return ax


def plot_label_distribution(labels: Sequence[float | None], ax: Any = None) -> Any:
    """The oracle's labels on the sample (unparseable ones are counted in the title)."""
    ax = _axes(ax)
    ok = [v for v in labels if v is not None]
    ax.hist(ok, bins=np.linspace(0, 10, 21), color="tab:purple")
    ax.set_xlabel("oracle score (0-10)")
    ax.set_ylabel("files")
    ax.set_title(f"oracle labels: {len(ok)} parsed, {len(labels) - len(ok)} unparseable")
    return ax


def plot_agreement(oracle: Sequence[float], predicted: Sequence[float], ax: Any = None, title: str = "") -> Any:
    """Held-out files: oracle label against the scorer's prediction (the diagonal is perfect)."""
    ax = _axes(ax, (4, 4))
    ax.scatter(oracle, predicted, s=18)
    lo = min(list(oracle) + list(predicted) + [10.0])
    hi = max(list(oracle) + list(predicted) + [0.0])
    ax.plot([lo, hi], [lo, hi], color="gray", lw=1, ls="--")
    ax.set_xlabel("oracle")
    ax.set_ylabel("scorer")
    ax.set_title(title or "held-out agreement")
    return ax


def plot_good_vs_poor(comparison: dict[str, Any], ax: Any = None) -> Any:
    """Per-file oracle scores of data_samples/quality, good against poor, with group means."""
    ax = _axes(ax, (6, 3.5))
    files = [f for f in comparison["files"] if f["score"] is not None]
    for x, group, color in ((0, "good", "tab:green"), (1, "poor", "tab:orange")):
        ys = [f["score"] for f in files if f["group"] == group]
        jitter = np.linspace(-0.15, 0.15, len(ys)) if len(ys) > 1 else [0.0]
        ax.scatter(np.full(len(ys), x) + jitter, ys, color=color, s=22)
        if ys:
            ax.hlines(np.mean(ys), x - 0.3, x + 0.3, color=color, lw=2)
    ax.set_xticks([0, 1], ["written good", "written poor"])
    ax.set_ylabel("oracle score")
    auc = comparison.get("good_above_poor_auc")
    ax.set_title(f"quality samples: gap {comparison['gap']:.2f}, P(good > poor) {auc:.2f}"
                 if comparison.get("gap") is not None and auc is not None else "quality samples")
    return ax
