"""Views for notebook 01: what one step did (funnel lines, reasons, an example per reason) and plots.

Every function prints or draws from a step's product or the stage's stats; none recomputes a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from seedkit.curation.funnel import format_funnel, step_funnel, value_counts
from seedkit.curation.result import dropped_examples

__all__ = ["format_funnel", "value_counts"]


def show_step(product: Any, covers: Sequence[str], examples: int = 1, chars: int = 500) -> list[dict[str, Any]]:
    """Print a step's funnel lines and, for every reason it dropped files for, the first ``examples``
    dropped files (path, detail and the start of their text). Returns the funnel entries."""

    entries = step_funnel(product, covers)
    print(format_funnel(entries))
    for key, rows in dropped_examples(product.dropped, examples).items():
        print(f"\n--- {key} (first of {sum(e['dropped_by_reason'].get(key.split(' / ')[1], 0) for e in entries)})")
        for r in rows:
            print(f"{r['repo']}/{r['path']} [{r['language']}] {r['detail']}")
            print((r["content"] or "<no text: binary, empty or unreadable>")[:chars])
    return entries


def plot_funnel(entries: Sequence[dict[str, Any]], axes: Any = None) -> Any:
    """Documents and kilobytes in and out of each step, side by side."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(13, 3.8))
    steps = [f["step"] for f in entries]
    x = np.arange(len(steps))
    for ax, (key, unit, scale) in zip(axes, (("docs", "documents", 1.0), ("bytes", "kilobytes", 1e3)), strict=True):
        ax.bar(x - 0.2, [f[f"{key}_in"] / scale for f in entries], 0.4, label="in")
        ax.bar(x + 0.2, [f[f"{key}_out"] / scale for f in entries], 0.4, label="out")
        ax.set_title(f"{unit} per step")
        ax.set_xticks(x, steps, rotation=40, ha="right")
        ax.legend()
    plt.tight_layout()
    return axes


def plot_languages(kept_by_language: dict[str, int], ax: Any = None) -> Any:
    """Files kept per language (log scale: the stdlib sample makes Python dominate)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.6 + 0.28 * max(1, len(kept_by_language))))
    names = list(kept_by_language)[::-1]
    ax.barh(names, [kept_by_language[n] for n in names])
    ax.set_xlabel("files kept")
    ax.set_xscale("log")
    plt.tight_layout()
    return ax


def plot_lsh_curves(bands_rows: Sequence[tuple[int, int]], ax: Any = None) -> Any:
    """P(a pair of Jaccard s shares a band) = 1 - (1 - s^rows)^bands, for each (bands, rows)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    s = np.linspace(0, 1, 201)
    for b, r in bands_rows:
        ax.plot(s, 1 - (1 - s**r) ** b, label=f"{b} bands x {r} rows (threshold ~{(1 / b) ** (1 / r):.2f})")
    ax.set_xlabel("Jaccard similarity of a pair (word 5-gram shingles)")
    ax.set_ylabel("P(caught)")
    ax.legend(fontsize=8)
    return ax


def plot_signature_agreement(agreements: Sequence[float], threshold: float, ax: Any = None) -> Any:
    """Histogram of the signature agreement (estimated Jaccard) of each file with its nearest other file."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(agreements, bins=np.linspace(0, 1, 41), color="tab:blue")
    ax.axvline(threshold, color="tab:red", lw=2, label=f"LSH threshold ~{threshold:.2f}")
    ax.set_xlabel("estimated Jaccard with the most similar other file")
    ax.set_ylabel("files")
    ax.set_yscale("log")
    ax.legend()
    return ax


def nearest_agreement(signatures: np.ndarray, valid: np.ndarray, limit: int = 2000) -> np.ndarray:
    """For each of the first ``limit`` valid files, the highest fraction of equal MinHash positions with
    any other file: the estimated Jaccard of its nearest neighbour (quadratic: a sample, for plotting)."""
    sig = signatures[np.flatnonzero(valid)][:limit]
    if len(sig) < 2:
        return np.zeros(0)
    best = np.zeros(len(sig))
    for i in range(len(sig)):
        eq = (sig == sig[i]).mean(axis=1)
        eq[i] = 0.0
        best[i] = eq.max()
    return best


def plot_web_scores(scores: dict[str, float | None], threshold: float, ax: Any = None) -> Any:
    """Each page's P(code) from the classifier, with the keep threshold."""
    import matplotlib.pyplot as plt

    items = sorted(((k, v) for k, v in scores.items() if v is not None), key=lambda kv: kv[1])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 + 0.3 * max(1, len(items))))
    ax.barh([k for k, _ in items], [v for _, v in items],
            color=["tab:green" if v >= threshold else "tab:gray" for _, v in items])
    ax.axvline(threshold, color="tab:red", lw=2)
    ax.set_xlabel("P(code-related), fastText")
    ax.set_xlim(0, 1)
    plt.tight_layout()
    return ax
