"""Figures and browsers for notebook 07: pass@k bars per stage, a per-problem grid, failures by kind."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from seedkit.eval.stage import EvalStageResult


def plot_pass_at_k(result: EvalStageResult, k: str = "pass@1", ax: Any = None) -> Any:
    """Grouped bars: one group per model (in stage order), one bar per problem set."""
    import matplotlib.pyplot as plt

    rows = [r for r in result.table() if r["problem_set"] != "all"]
    tags = list(result.reports)
    sets = list(dict.fromkeys(r["problem_set"] for r in rows))
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.0, 1.4 * len(tags) + 1), 3.2))
    width = 0.8 / max(1, len(sets))
    for j, ps in enumerate(sets):
        values = [next((r.get(k, math.nan) for r in rows if r["model"] == t and r["problem_set"] == ps), math.nan)
                  for t in tags]
        xs = [i + (j - (len(sets) - 1) / 2) * width for i in range(len(tags))]
        bars = ax.bar(xs, [0 if math.isnan(v) else v for v in values], width=width, label=ps)
        for b, v in zip(bars, values, strict=True):
            ax.annotate("n/a" if math.isnan(v) else f"{v:.2f}", (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(tags)))
    ax.set_xticklabels(tags, rotation=20, ha="right")
    ax.set_ylim(0, 1.08)
    ax.set_ylabel(k)
    ax.set_title(f"{k} per model and problem set")
    if sets:
        ax.legend(fontsize=8)
    ax.figure.tight_layout()
    return ax


def plot_problem_grid(result: EvalStageResult, problem_set: str | None = None, ax: Any = None) -> Any:
    """Models x problems, coloured by the fraction of samples that passed (grey: not scored)."""
    import matplotlib.pyplot as plt
    import numpy as np

    tags, task_ids, matrix = result.grid(problem_set)
    data = np.array(matrix, dtype=float) if matrix else np.zeros((0, 0))
    if ax is None:
        _, ax = plt.subplots(figsize=(min(18.0, max(4.0, 0.32 * len(task_ids) + 2)), 0.45 * len(tags) + 1.6))
    cmap = plt.get_cmap("RdYlGn").copy()
    cmap.set_bad("lightgrey")
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(len(tags)))
    ax.set_yticklabels(tags)
    short = [t.replace("HumanEval/", "HE/").replace("seedkit/heldout/", "H/") for t in task_ids]
    ax.set_xticks(range(len(task_ids)))
    ax.set_xticklabels(short, rotation=90, fontsize=7)
    ax.set_title("per-problem pass rate (green passed, red failed, grey not scored)")
    ax.figure.colorbar(im, ax=ax, fraction=0.03, pad=0.01)
    ax.figure.tight_layout()
    return ax


def failure_table(result: EvalStageResult) -> dict[str, dict[str, int]]:
    """model -> {failure kind: count}."""
    return {tag: dict(Counter(s.failure_kind for s in rep.failures()).most_common())
            for tag, rep in result.reports.items()}


def format_failure(row: dict[str, Any], max_chars: int = 600) -> str:
    code = row["completion"] if len(row["completion"]) <= max_chars else row["completion"][:max_chars] + "\n..."
    err = row["stderr_tail"].strip().splitlines()[-3:] if row["stderr_tail"] else []
    return (f"--- {row['model']} | {row['task_id']} | {row['kind']} ({row['status']})\n{code.rstrip()}\n"
            + ("".join(f"  ! {ln}\n" for ln in err)))


def print_failures(result: EvalStageResult, kind: str | None = None, limit: int = 3) -> None:
    """The static listing: up to ``limit`` failures per (model, kind)."""
    rows = result.failures()
    if not rows:
        print("no failures")
        return
    shown: Counter[tuple[str, str]] = Counter()
    for row in rows:
        key = (row["model"], row["kind"])
        if (kind is None or row["kind"] == kind) and shown[key] < limit:
            shown[key] += 1
            print(format_failure(row))


def failure_browser(result: EvalStageResult, limit: int = 20) -> Any:
    """An ipywidgets browser: pick a model and an error type, read the failing completions.

    Falls back to :func:`print_failures` (returns None) in headless runs or where ipywidgets is missing.
    """
    from seedkit.notebooks import live_widgets

    rows = result.failures()
    try:
        widgets = live_widgets()
    except ImportError:
        print_failures(result)
        return None
    models = ["(all)", *result.reports]
    kinds = ["(all)", *dict.fromkeys(r["kind"] for r in rows)]
    model_dd = widgets.Dropdown(options=models, description="model")
    kind_dd = widgets.Dropdown(options=kinds, description="error type")
    out = widgets.Output()

    def show(_: Any = None) -> None:
        out.clear_output()
        picked = [r for r in rows if model_dd.value in ("(all)", r["model"]) and kind_dd.value in ("(all)", r["kind"])]
        with out:
            print(f"{len(picked)} failure(s); showing {min(limit, len(picked))}")
            for r in picked[:limit]:
                print(format_failure(r))

    model_dd.observe(show, names="value")
    kind_dd.observe(show, names="value")
    show()
    return widgets.VBox([widgets.HBox([model_dd, kind_dd]), out])
