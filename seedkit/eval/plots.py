"""Figures and browsers for notebook 07 (and ``seedkit compare``): the chain of models, pass@1 with
error bars, paired differences with error bars, a per-problem grid, failures by kind."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from seedkit.measure.harness import failure_kind
from seedkit.notebooks import live_widgets

if TYPE_CHECKING:
    from seedkit.eval.result import EvalStageResult, ModelPlan




def plot_chain(plans: list[ModelPlan], ax: Any = None) -> Any:
    """The chain of models as boxes and arrows (parent -> child), one column per generation."""
    import matplotlib.pyplot as plt

    labels = {p.label for p in plans}
    parent = {p.label: (p.parent if p.parent in labels else None) for p in plans}
    depth: dict[str, int] = {}

    def d(label: str) -> int:
        if label not in depth:
            depth[label] = 0 if parent[label] is None else d(parent[label]) + 1  # type: ignore[arg-type]
        return depth[label]

    rows: dict[int, int] = Counter()
    pos: dict[str, tuple[int, int]] = {}
    for p in plans:
        col = d(p.label)
        pos[p.label] = (col, rows[col])
        rows[col] += 1
    if ax is None:
        width = 2.3 * (max((c for c, _ in pos.values()), default=0) + 1) + 0.5
        _, ax = plt.subplots(figsize=(max(4.0, width), 0.9 * max(rows.values(), default=1) + 0.8))
    for label, (x, y) in pos.items():
        ax.text(x, -y, label, ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", fc="#e8f0fe", ec="#4a6fa5"))
        if parent[label] is not None:
            px, py = pos[parent[label]]  # type: ignore[index]
            ax.annotate("", xy=(x - 0.38, -y), xytext=(px + 0.38, -py),
                        arrowprops=dict(arrowstyle="->", color="#4a6fa5"))
    xs = [x for x, _ in pos.values()] or [0]
    ys = [-y for _, y in pos.values()] or [0]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    ax.set_title("the chain of models (each arrow: parent -> the model trained from it)", fontsize=9)
    return ax


def plot_effects(result: EvalStageResult) -> Any:
    """Per problem set: pass@1 of every model with its 95% interval (left), and each model's paired
    difference to its parent with its interval (right; the dashed line is no difference)."""
    import matplotlib.pyplot as plt

    rows = result.rows()
    sets = list(dict.fromkeys(r["set"] for r in rows))
    fig, axes = plt.subplots(len(sets), 2, figsize=(11, 3.2 * len(sets)), squeeze=False)
    for i, s in enumerate(sets):
        sr = [r for r in rows if r["set"] == s]
        ax = axes[i][0]
        xs = range(len(sr))
        means = [r["pass@1"] for r in sr]
        err = [[m - r["pass@1_lo"] for m, r in zip(means, sr, strict=True)],
               [r["pass@1_hi"] - m for m, r in zip(means, sr, strict=True)]]
        ax.bar(xs, means, color="#7aa6d8", yerr=err, capsize=4, ecolor="#333")
        for x, m in zip(xs, means, strict=True):
            ax.annotate(f"{m:.2f}", (x, m), xytext=(4, 2), textcoords="offset points", fontsize=8)
        ax.set_xticks(list(xs))
        ax.set_xticklabels([r["model"] for r in sr], rotation=20, ha="right")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("pass@1")
        n = max((r["n_problems"] for r in sr), default=0)
        k = max((r["samples"] for r in sr), default=0)
        ax.set_title(f"{s}: pass@1 with 95% interval ({n} problems x {k} samples)", fontsize=9)
        ax2 = axes[i][1]
        dr = [r for r in sr if r["difference"] is not None]
        if dr:
            ys = range(len(dr))
            means = [r["difference"] for r in dr]
            err = [[m - r["difference_lo"] for m, r in zip(means, dr, strict=True)],
                   [r["difference_hi"] - m for m, r in zip(means, dr, strict=True)]]
            resolved = [r.get("resolved_in_family", r["resolved"]) for r in dr]
            colors = ["#3a923a" if ok and r["difference"] > 0 else "#c0392b" if ok else "#888"
                      for ok, r in zip(resolved, dr, strict=True)]
            for y, m, lo_err, hi_err, color in zip(ys, means, err[0], err[1], colors, strict=True):
                ax2.errorbar([m], [y], xerr=[[lo_err], [hi_err]], fmt="o", color=color, ecolor=color, capsize=4)
            ax2.axvline(0, color="#333", ls="--", lw=1)
            ax2.set_yticks(list(ys))
            ax2.set_yticklabels([f"{r['model']} - {r['parent']}" for r in dr], fontsize=8)
            ax2.invert_yaxis()
            span = max(0.1, *(abs(r["difference_lo"]) for r in dr), *(abs(r["difference_hi"]) for r in dr))
            ax2.set_xlim(-span * 1.1, span * 1.1)
        else:
            ax2.text(0.5, 0.5, "no model with a measured parent", ha="center", va="center", transform=ax2.transAxes)
            ax2.set_yticks([])
        ax2.set_xlabel("pass@1 difference to the parent (paired, 95% interval)")
        ax2.set_title(f"{s}: what each stage changed (green/red: resolved over the run's comparisons (Holm), grey: not)", fontsize=9)
    fig.tight_layout()
    return fig


def plot_problem_grid(result: EvalStageResult, set_name: str, ax: Any = None, max_problems: int = 120) -> Any:
    """Models x problems, coloured by the fraction of samples that passed; problems sorted from those
    most models solve to those none does (grey: not measured)."""
    import matplotlib.pyplot as plt
    import numpy as np

    labels, task_ids, matrix = result.grid(set_name)
    data = np.array(matrix, dtype=float) if matrix else np.zeros((0, 0))
    if data.size:
        order = np.argsort(-np.nanmean(np.where(np.isnan(data), 0, data), axis=0), kind="stable")[:max_problems]
        data = data[:, order]
        task_ids = [task_ids[i] for i in order]
    if ax is None:
        _, ax = plt.subplots(figsize=(min(18.0, max(5.0, 0.12 * len(task_ids) + 2)), 0.45 * len(labels) + 1.6))
    cmap = plt.get_cmap("RdYlGn").copy()
    cmap.set_bad("lightgrey")
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.set_xticks([])
    ax.set_xlabel(f"{len(task_ids)} problems of {set_name}, easiest (left) to hardest (right)")
    ax.set_title("fraction of samples that passed, per model and problem", fontsize=9)
    ax.figure.colorbar(im, ax=ax, fraction=0.03, pad=0.01)
    ax.figure.tight_layout()
    return ax


def failure_table(result: EvalStageResult, set_name: str) -> dict[str, dict[str, int]]:
    """model -> {kind: samples} (passed, wrong answer, syntax error, no implementation, ...)."""
    return result.failure_kinds(set_name)


def format_failure(row: dict[str, Any], max_chars: int = 600) -> str:

    code = row.get("completion", "")
    code = code if len(code) <= max_chars else code[:max_chars] + "\n..."
    err = row.get("stderr_tail", "").strip().splitlines()[-3:]
    return (f"--- {row['model']} | {row['task_id']} | {failure_kind(row)} ({row.get('status')})\n{code.rstrip()}\n"
            + "".join(f"  ! {ln}\n" for ln in err))


def _failures(result: EvalStageResult, set_name: str) -> list[dict[str, Any]]:

    return [r for lbl in result.labels for r in result.sample_rows(lbl, set_name) if failure_kind(r) != "passed"]


def print_failures(result: EvalStageResult, set_name: str, kind: str | None = None, limit: int = 2) -> None:
    """The static listing: up to ``limit`` failures per (model, kind)."""

    rows = _failures(result, set_name)
    if not rows:
        print("no failures")
        return
    shown: Counter[tuple[str, str]] = Counter()
    for row in rows:
        key = (row["model"], failure_kind(row))
        if (kind is None or key[1] == kind) and shown[key] < limit:
            shown[key] += 1
            print(format_failure(row))


def failure_browser(result: EvalStageResult, set_name: str, limit: int = 20) -> Any:
    """An ipywidgets browser: pick a model and a failure kind, read the failing answers.

    Falls back to :func:`print_failures` (returns None) in headless runs or where ipywidgets is missing.
    """

    try:
        widgets = live_widgets()
    except ImportError:
        print_failures(result, set_name)
        return None
    rows = _failures(result, set_name)
    model_dd = widgets.Dropdown(options=["(all)", *result.labels], description="model")
    kind_dd = widgets.Dropdown(options=["(all)", *dict.fromkeys(failure_kind(r) for r in rows)], description="kind")
    out = widgets.Output()

    def show(_: Any = None) -> None:
        out.clear_output()
        picked = [r for r in rows if model_dd.value in ("(all)", r["model"])
                  and kind_dd.value in ("(all)", failure_kind(r))]
        with out:
            print(f"{len(picked)} failure(s); showing {min(limit, len(picked))}")
            for r in picked[:limit]:
                print(format_failure(r))

    model_dd.observe(show, names="value")
    kind_dd.observe(show, names="value")
    show()
    return widgets.VBox([widgets.HBox([model_dd, kind_dd]), out])


