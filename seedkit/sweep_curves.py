"""Effect against budget: what a sweep over a post-training stage's budget shows.

After ``seedkit sweep --stages 04 -p max_steps=4,8,16,32`` each grid point is a run whose stage 04
measured its effect against its parent (pass@1 with the prompt format held fixed, a paired
bootstrap interval over problems; see :mod:`seedkit.posttraining.stage`). This module reads those
measurements back from each run's ``metrics.json``, lays them out against the grid's budget key
and draws one panel per measured effect: the point estimate with its 95% interval as a bar, the
zero line, and the sample size in the title. A reader sees at which budget an interval leaves zero,
and, as often at small scale, that none does.

Each point's interval is that run's own 95% interval: reading several points of one curve for the
first that "resolves" is a multiple comparison, which the table's last column says (Holm over the
curve's points, :func:`seedkit.measure.stats.holm`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from seedkit.config import stage_settings_class
from seedkit.files import atomic_write_json, atomic_write_text
from seedkit.manifests import manifest_state
from seedkit.measure.stats import holm
from seedkit.notebooks import save_figure
from seedkit.runs import STAGE_INPUTS

CURVES_JSON = "effect_vs_budget.json"
CURVES_MD = "effect_vs_budget.md"
CURVES_PNG = "effect_vs_budget.png"

# Where each stage's effects against its parent sit in its metrics.json: (what it is, path of keys,
# whether higher is better). The first entry of a stage is its headline effect.
EFFECT_PATHS: dict[str, tuple[tuple[str, tuple[str, ...], bool], ...]] = {
    "03_pretraining": (
        ("pass@1 vs its parent, chat format", ("effect",), True),
    ),
    "04_sft": (
        ("pass@1 vs 03, same format", ("effect", "pass_at_1_same_format"), True),
        ("answer loss vs 03 (nats/token)", ("effect", "answer_loss"), False),
    ),
    "05_dpo": (
        ("pass@1 vs 04", ("effect", "pass_at_1"), True),
    ),
    "06_longcot_rl": (
        ("warm-up pass@1 vs 03, reasoning format", ("effects", "warmup", "warmup_vs_parent"), True),
        ("GRPO pass@1 vs warm-up", ("effects", "grpo", "grpo_vs_warmup"), True),
    ),
}


@dataclass
class EffectPoint:
    stage: str
    effect: str  # which comparison (EFFECT_PATHS' label)
    run_name: str
    budget: float  # the x value: the budget key's value (a list's sum)
    series: str  # the other grid keys' values ("" when the grid has one key)
    mean: float
    lo: float
    hi: float
    n_problems: int
    n_samples: int
    p_value: float | None
    higher_is_better: bool


def budget_value(value: Any) -> float | None:
    """A grid value as a number on the budget axis: a number as is, a list of numbers by its sum
    (``rl_steps_per_length=[4,4]`` is 8 steps), anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list | tuple) and value and all(isinstance(v, int | float) and not isinstance(v, bool)
                                                         for v in value):
        return float(sum(value))
    return None


def budget_key(grid: dict[str, list[Any]], asked: str = "") -> str:
    """The grid key the curves are drawn against: ``asked``, else the first key whose values are all
    numbers (or lists of numbers) other than ``seed``; one line when there is none."""
    if asked:
        if asked not in grid:
            raise ValueError(f"--budget {asked}: not a key of the grid ({', '.join(grid) or 'empty'})")
        return asked
    for key, values in grid.items():
        if key != "seed" and all(budget_value(v) is not None for v in values):
            return key
    raise ValueError(f"sweep curves: no numeric budget key in the grid ({', '.join(grid) or 'empty'}); "
                     "sweep a number such as -p max_steps=4,8,16")


def _dig(d: Any, path: Sequence[str]) -> Any:
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def read_points(runs_root: str | os.PathLike[str], run_points: Sequence[tuple[str, dict[str, Any]]],
                stages: Sequence[str], key: str) -> tuple[list[EffectPoint], list[str]]:
    """Every measured effect of ``stages`` in each (run name, grid point); returns (points, notes on
    what could not be read: a stage not finished, an effect not measured)."""
    root = Path(runs_root)
    points: list[EffectPoint] = []
    notes: list[str] = []
    for run_name, point in run_points:
        x = budget_value(point.get(key))
        if x is None:
            notes.append(f"{run_name}: {key}={point.get(key)!r} is not a number; left out")
            continue
        series = ", ".join(f"{k}={v}" for k, v in point.items() if k != key)
        for stage in stages:
            path = root / run_name / stage / "metrics.json"
            try:
                metrics = json.loads(path.read_text())
            except (OSError, ValueError):
                notes.append(f"{run_name}: {stage} has no readable metrics.json (not run or not finished)")
                continue
            for label, keys, higher in EFFECT_PATHS.get(stage, ()):
                block = _dig(metrics, keys)
                diff = _dig(block, ("difference",))
                if not isinstance(diff, dict) or diff.get("mean") is None:
                    notes.append(f"{run_name}: {stage} did not measure {label}")
                    continue
                points.append(EffectPoint(
                    stage, label, run_name, x, series, float(diff["mean"]), float(diff["lo"]), float(diff["hi"]),
                    int(diff.get("n_problems") or block.get("n_problems") or 0), int(block.get("n_samples") or 0),
                    diff.get("p_value"), higher))
    return points, notes


def _curves(points: Sequence[EffectPoint]) -> dict[tuple[str, str], list[EffectPoint]]:
    out: dict[tuple[str, str], list[EffectPoint]] = {}
    for p in points:
        out.setdefault((p.stage, p.effect), []).append(p)
    for v in out.values():
        v.sort(key=lambda p: (p.series, p.budget))
    return out


def curve_verdicts(curve: Sequence[EffectPoint]) -> list[bool | None]:
    """Per point: does its effect resolve in the good direction once the curve's points are read as one
    family (Holm at 5%)? None where the point has no p-value."""
    adjusted = holm({str(i): float(p.p_value) for i, p in enumerate(curve) if p.p_value is not None})
    out: list[bool | None] = [None] * len(curve)
    for name, rejected in adjusted.items():
        pt = curve[int(name)]
        good = pt.lo > 0 if pt.higher_is_better else pt.hi < 0
        out[int(name)] = rejected and good
    return out


def _num(x: float) -> str:
    return f"{x:+.3f}"


def curves_table(points: Sequence[EffectPoint], key: str, notes: Sequence[str], command: str) -> str:
    """The markdown page written beside the plot: one table per curve, every number with its sample size."""
    lines = [f"# Effect against budget ({key})", "",
             f"Reproduce: `{command}`", "",
             "Each row is one run's effect against its parent with its own 95% paired bootstrap interval "
             "over problems. 'resolves (Holm)' reads the rows of one table as one family: an effect "
             "resolves where its Holm-adjusted test rejects at 5% and its interval is on the good side of zero.",
             ""]
    for (stage, effect), curve in _curves(points).items():
        lines += [f"## {stage}: {effect}", "",
                  f"| {key} | series | run | effect | 95% interval | problems x samples | resolves (Holm) |",
                  "|---|---|---|---|---|---|---|"]
        for p, ok in zip(curve, curve_verdicts(curve), strict=True):
            verdict = "n/a" if ok is None else ("yes" if ok else "no")
            n = f"{p.n_problems} x {p.n_samples}" if p.n_samples else f"{p.n_problems}"
            lines.append(f"| {p.budget:g} | {p.series or '-'} | {p.run_name} | {_num(p.mean)} | "
                         f"[{_num(p.lo)}, {_num(p.hi)}] | {n} | {verdict} |")
        if not any(curve_verdicts(curve)):
            widest = max(p.hi - p.lo for p in curve)
            lines.append("")
            lines.append(f"No budget in this sweep gives an effect that resolves; the widest interval spans "
                         f"{widest:.3f}, so effects smaller than about half of that cannot show at these sizes.")
        lines.append("")
    if notes:
        lines += ["## Notes and what was not read", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


def plot_curves(points: Sequence[EffectPoint], key: str, path: str | os.PathLike[str]) -> Path | None:
    """One panel per (stage, effect): effect against budget with 95% interval bars; None if no points."""
    curves = _curves(points)
    if not curves:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(curves)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.4 * rows), squeeze=False)
    for ax, ((stage, effect), curve) in zip(axes.flat, curves.items(), strict=False):
        by_series: dict[str, list[EffectPoint]] = {}
        for p in curve:
            by_series.setdefault(p.series, []).append(p)
        width = max((p.budget for p in curve), default=1.0) * 0.015
        for j, (series, pts) in enumerate(by_series.items()):
            xs = [p.budget + (j - (len(by_series) - 1) / 2) * width for p in pts]
            ys = [p.mean for p in pts]
            err = [[p.mean - p.lo for p in pts], [p.hi - p.mean for p in pts]]
            ax.errorbar(xs, ys, yerr=err, marker="o", capsize=3, label=series or None)
        ax.axhline(0.0, color="grey", lw=0.8, ls="--")
        sizes = sorted({(p.n_problems, p.n_samples) for p in curve})
        size = ", ".join(f"{a} problems x {b} samples" if b else f"{a} problems" for a, b in sizes)
        ax.set_title(f"{stage}: {effect}\n({size}, 95% intervals)", fontsize=8)
        ax.set_xlabel(key)
        ax.set_ylabel("effect (higher is better)" if curve[0].higher_is_better else "effect (lower is better)")
        if len(by_series) > 1:
            ax.legend(fontsize=6)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    out = save_figure(fig, path)
    plt.close(fig)
    return out


def write_curves(runs_root: str | os.PathLike[str], out_dir: str | os.PathLike[str],
                 run_points: Sequence[tuple[str, dict[str, Any]]], grid: dict[str, list[Any]],
                 stages: Sequence[str], command: str, budget: str = "",
                 notes: Sequence[str] = ()) -> tuple[Path, list[str]]:
    """Read, tabulate and plot a sweep's effects against its budget key into ``out_dir``; returns
    (the markdown page, one line per curve for the terminal). ``notes`` go on the page's notes
    beside what could not be read."""
    key = budget_key(grid, budget)
    measured = [s for s in stages if s in EFFECT_PATHS]
    points, unread = read_points(runs_root, run_points, measured, key)
    notes = [*notes, *unread]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = out / CURVES_MD
    atomic_write_text(page, curves_table(points, key, notes, command))
    atomic_write_json(out / CURVES_JSON, {"budget_key": key, "command": command,
                                          "points": [asdict(p) for p in points], "not_read": list(notes)})
    plot_curves(points, key, out / CURVES_PNG)
    lines = []
    for (stage, effect), curve in _curves(points).items():
        verdicts = curve_verdicts(curve)
        first = next((p for p, ok in zip(curve, verdicts, strict=True) if ok), None)
        span = ", ".join(f"{p.budget:g}: {_num(p.mean)} [{_num(p.lo)}, {_num(p.hi)}]" for p in curve)
        where = f"resolves from {key}={first.budget:g}" if first else "resolves at no budget (Holm over the curve)"
        lines.append(f"{stage} {effect}: {where}; {span}")
    return page, lines


def points_from_runs(runs_root: str | os.PathLike[str], runs: Sequence[str], stages: Sequence[str],
                     key: str) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, list[Any]], list[str]]:
    """Grid points of runs that were not made by one sweep (a run seeded from another run's stages and
    given ``-p``, say), read from each run's own stage manifests: ``key``'s value as run, and every
    other setting of those stages whose value differs between the runs as a series, so that a curve
    never silently mixes runs that differ in more than its budget. Returns (run points, the grid they
    make, notes: a parent stage that differs between runs). One-line ``ValueError`` for a run or stage
    that is not finished, or a ``key`` that none of ``stages`` has."""
    root = Path(runs_root)
    configs: dict[str, dict[str, Any]] = {}
    parents: dict[str, dict[str, str]] = {}
    for run in runs:
        configs[run], parents[run] = {}, {}
        for stage in stages:
            state, manifest, why = manifest_state(root / run / stage)
            if state != "done" or manifest is None:
                raise ValueError(f"curves: run {run!r}: {why or stage + ' is not finished'}")
            skip = stage_settings_class(stage).EXECUTION_FIELDS
            # a setting of the same name in two drawn stages is kept per stage ("04_sft.learning_rate"),
            # so a difference in the earlier stage is not hidden by the later stage's equal value
            prefix = f"{stage}." if len(stages) > 1 else ""
            configs[run].update({prefix + k: v for k, v in (manifest.get("config") or {}).items() if k not in skip})
            for up in STAGE_INPUTS.get(stage, ()):
                up_manifest = manifest_state(root / run / up)[1] or {}
                parents[run][up] = str(up_manifest.get("config_hash", "missing"))
    candidates = [f"{stage}.{key}" for stage in stages] if len(stages) > 1 else [key]
    stored = next((n for n in candidates if any(n in c for c in configs.values())), None)  # the first stage's
    if stored is None:
        raise ValueError(f"curves: --budget {key}: not a setting of {', '.join(stages)} in these runs' manifests")
    names = sorted({k for c in configs.values() for k in c} - {stored})
    differing = [k for k in names if len({repr(c.get(k)) for c in configs.values()}) > 1]
    points = [(run, {key: configs[run].get(stored), **{k: configs[run].get(k) for k in differing}}) for run in runs]
    grid: dict[str, list[Any]] = {key: [p[key] for _, p in points]}
    grid.update({k: [p[k] for _, p in points] for k in differing})
    notes = [f"{up} differs between the runs (config hashes {', '.join(sorted({p[up] for p in parents.values()}))}): "
             f"their effects are measured against different parents"
             for up in sorted({u for p in parents.values() for u in p})
             if len({p.get(up) for p in parents.values()}) > 1]
    return points, grid, notes
