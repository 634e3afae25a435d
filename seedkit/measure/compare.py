"""Runs side by side: every stage's metrics across runs, with intervals, and the spread across seeds.

``seedkit compare RUN [RUN ...]`` and :func:`compare_runs` read each run's stage manifests
(``runs/<run>/<NN_stage>/manifest.json``, the ``metrics`` a stage recorded) and build one table:

- one row per metric (``<stage>/<path>``, e.g. ``04_sft/effect/difference`` or
  ``07_eval/pass@1/basic/04_sft``), one column per run: the value and, where the stage recorded
  one, its 95% interval (a measured effect, a pass@1);
- runs whose settings differ only by ``seed`` form a group (a sweep over seeds, e.g. the stage-03
  filter ablation over seeds 0, 1, 2); each group gets the mean across its runs with a Student-t
  95% interval (:func:`seedkit.measure.stats.across_runs`): how much the seed alone moves a result.
  Only from :data:`MIN_RUNS_FOR_INTERVAL` runs: two runs give a t interval twelve standard deviations
  wide, so their mean is shown with "too few runs" instead;
- what sets the runs apart, before any number: the settings that differ (stage by stage), the inputs
  whose content differs (a stage that read another version of an upstream stage), and the stages that
  are stale (intact, but an input changed after they ran: their figures no longer follow from it);
- a plot with one panel per metric: each run's value with its interval, the group's mean and
  interval as a band (:func:`seedkit.eval.plots.plot_runs`).

Which values have intervals is read from their shape: ``{"mean", "lo", "hi"}`` (intervals,
differences), ``{"mean": v, "interval": [lo, hi]}``, ``{"pass@k": v, "interval": [lo, hi]}`` (an effect's before/after), or a value
beside ``<name>_interval: [lo, hi]`` (or ``<name>_ci95``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import STAGES, default_runs_dir, resolve_stage
from seedkit.measure.stats import across_runs
from seedkit.notebooks import save_figure
from seedkit.runs import MissingInputError, read_manifest, stale_inputs

IGNORED_CONFIG = ("seed", "run_name", "runs_dir", "force")
# Subtrees of a stage's metrics that hold settings, not results (an effect's evaluation settings).
SETTINGS_KEYS = ("eval", "evidence", "config", "settings")
MAX_DEPTH = 6
SIZE_KEYS = ("n", "n_problems", "samples_per_problem")
INTERVAL_SUFFIXES = ("_interval", "_ci95")
MIN_RUNS_FOR_INTERVAL = 3  # a t interval from 2 runs spans +-12.7 standard errors: it says nothing  # `<name>_interval: [lo, hi]` or `<name>_ci95: [lo, hi]` beside `<name>`


@dataclass(frozen=True)
class Value:
    """One figure of one run: the value and, when the stage measured one, its 95% interval."""

    value: float
    lo: float | None = None
    hi: float | None = None
    n: int | None = None

    def __str__(self) -> str:
        if self.lo is None or self.hi is None:
            return _num(self.value)
        scale = max(abs(self.value), abs(self.lo), abs(self.hi))  # one format for the value and its interval
        return f"{_num(self.value, scale)} [{_num(self.lo, scale)}, {_num(self.hi, scale)}]"


def _num(x: float, scale: float | None = None) -> str:
    scale = abs(x) if scale is None else scale
    if float(x).is_integer() and (abs(x) >= 1 or scale == 0) and (scale >= 1 or scale == 0):
        return str(int(x))
    if scale >= 100:
        return f"{x:.1f}"
    return f"{x:.3f}" if scale >= 0.001 or x == 0 else f"{x:.2e}"


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and not (isinstance(x, float) and math.isnan(x))


def _pair(x: Any) -> tuple[float, float] | None:
    if isinstance(x, list | tuple) and len(x) == 2 and all(_is_number(v) for v in x):
        return float(x[0]), float(x[1])
    return None


def flatten_metrics(metrics: Any, prefix: str = "", depth: int = 0) -> dict[str, Value]:
    """Every number in a stage's metrics as ``path -> Value``, with intervals where recorded."""
    out: dict[str, Value] = {}
    if depth > MAX_DEPTH or not isinstance(metrics, dict):
        return out
    interval = _pair(metrics.get("interval"))
    if _is_number(metrics.get("mean")) and ({"lo", "hi"} <= set(metrics) or interval is not None):
        n = metrics.get("n", metrics.get("n_problems", metrics.get("files")))
        lo, hi = (_f(metrics["lo"]), _f(metrics["hi"])) if interval is None else interval
        out[prefix.rstrip("/")] = Value(float(metrics["mean"]), lo, hi, int(n) if _is_number(n) else None)
        return out
    has_interval = interval is not None or any(k.endswith(INTERVAL_SUFFIXES) for k in metrics)
    for key, val in metrics.items():
        path = f"{prefix}{key}"
        if key.endswith(INTERVAL_SUFFIXES) or key == "interval" or (has_interval and key in SIZE_KEYS):
            continue  # an interval, or the sample size that goes with one (kept as the value's n)
        if _is_number(val):
            iv = (next((_pair(metrics.get(key + s)) for s in INTERVAL_SUFFIXES if _pair(metrics.get(key + s))), None)
                  or (interval if key.startswith("pass@") else None))
            n = metrics.get("n_problems")
            out[path] = Value(float(val), *(iv or (None, None)), int(n) if _is_number(n) and iv else None)
        elif isinstance(val, dict) and key not in SETTINGS_KEYS:
            out.update(flatten_metrics(val, path + "/", depth + 1))
    return out


def _f(x: Any) -> float | None:
    return float(x) if _is_number(x) else None


# --------------------------------------------------------------------------- runs


@dataclass
class RunMetrics:
    """One run: its name, directory, and per stage its flattened metrics and settings."""

    name: str
    path: Path
    metrics: dict[str, dict[str, Value]] = field(default_factory=dict)  # stage -> path -> value
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)  # stage -> settings
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)  # stage -> input -> content hash
    stale: dict[str, list[str]] = field(default_factory=dict)  # stage -> why it is stale

    def signature(self, stages: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """The run's settings without seed and names: runs with equal signatures differ only by seed."""
        items = []
        for s in stages:
            cfg = self.configs.get(s, {})
            items += [(f"{s}/{k}", repr(v)) for k, v in sorted(cfg.items()) if k not in IGNORED_CONFIG]
        return tuple(items)


def resolve_run(run: str | os.PathLike[str], runs_dir: str | os.PathLike[str] | None = None) -> Path:
    """A run's directory: a path to one, or a name under ``runs_dir`` ($SEEDKIT_RUNS_DIR or <checkout>/runs)."""
    p = Path(run)
    if p.is_dir() and any((p / s).is_dir() for s in STAGES):
        return p
    base = Path(runs_dir) if runs_dir else default_runs_dir()
    q = base / str(run)
    if q.is_dir():
        return q
    raise MissingInputError(f"run {str(run)!r}: neither a run directory nor a run under {base}; "
                            f"list them with `ls {base}` or pass --runs-dir")


def load_run(run: str | os.PathLike[str], runs_dir: str | os.PathLike[str] | None = None,
             stages: Sequence[str] | None = None) -> RunMetrics:
    path = resolve_run(run, runs_dir)
    out = RunMetrics(name=path.name, path=path)
    for s in stages or STAGES:
        m = read_manifest(path / s)
        if m is None:
            continue
        out.metrics[s] = flatten_metrics(m.get("metrics") or {})
        out.configs[s] = dict(m.get("config") or {})
        out.inputs[s] = {k: str(v.get("sha256") if isinstance(v, dict) else v) for k, v in (m.get("inputs") or {}).items()}
        why = stale_inputs(path / s)
        if why:
            out.stale[s] = why
    return out


def differences(runs: Sequence[RunMetrics]) -> list[str]:
    """What sets the runs apart, one line each: the settings that differ (``stage: name: run=value, ...``),
    the inputs whose content differs, the stages one run has and another lacks."""
    lines = []
    names = [r.name for r in runs]
    for s in STAGES:
        have = [r for r in runs if s in r.configs]
        if not have:
            continue
        if len(have) < len(runs):
            lines.append(f"{s}: only in {', '.join(r.name for r in have)}")
        keys = sorted(set().union(*(r.configs[s] for r in have)) - set(IGNORED_CONFIG[1:]))
        for k in keys:
            vals = [repr(r.configs[s].get(k, "(unset)")) for r in have]
            if len(set(vals)) > 1:
                lines.append(f"{s}: setting {k}: " + ", ".join(f"{r.name}={v}" for r, v in zip(have, vals, strict=True)))
        for k in sorted(set().union(*(r.inputs.get(s, {}) for r in have))):
            digests = [r.inputs.get(s, {}).get(k, "none")[:8] for r in have]
            if len(set(digests)) > 1:
                lines.append(f"{s}: input {k} differs in content (" + ", ".join(
                    f"{r.name}:{d}" for r, d in zip(have, digests, strict=True)) + ")")
    return lines if len(names) > 1 else []


# --------------------------------------------------------------------------- comparison


@dataclass
class Comparison:
    """What :func:`compare_runs` found: the runs, their groups, the table rows, and the plot path."""

    runs: list[RunMetrics]
    groups: dict[str, list[str]]  # group name -> run names (runs that differ only by seed)
    rows: list[dict[str, Any]]  # metric, run, kind (run | across runs), value, lo, hi, n
    plot: Path | None = None

    def metrics(self) -> list[str]:
        return list(dict.fromkeys(r["metric"] for r in self.rows))

    def value(self, metric: str, run: str) -> Value | None:
        for r in self.rows:
            if r["metric"] == metric and r["run"] == run and r["kind"] == "run":
                return Value(r["value"], r["lo"], r["hi"], r["n"])
        return None

    def across(self, metric: str, group: str | None = None) -> Value | None:
        for r in self.rows:
            if r["metric"] == metric and r["kind"] == "across runs" and (group is None or r["run"] == group):
                return Value(r["value"], r["lo"], r["hi"], r["n"])
        return None

    def informative(self) -> list[str]:
        """Metrics worth a row: every one for a single run; with several, those that carry an
        interval or differ between runs (a value every run shares says nothing about the runs)."""
        if len(self.runs) < 2:
            return self.metrics()
        out = []
        for m in self.metrics():
            rows = [r for r in self.rows if r["metric"] == m and r["kind"] == "run"]
            if any(r["lo"] is not None for r in rows) or len({r["value"] for r in rows}) > 1 or len(rows) < len(self.runs):
                out.append(m)
        return out

    def table(self, *, max_rows: int | None = None, every_metric: bool = False) -> str:
        """A plain-text table: metric | each run | mean across runs [95%] per group of seeds."""
        run_names = [r.name for r in self.runs]
        group_names = [g for g, members in self.groups.items() if len(members) > 1]
        head = ["metric", *run_names, *[f"{g}: mean [95%] over {len(self.groups[g])} runs"
                                        if len(self.groups[g]) >= MIN_RUNS_FOR_INTERVAL
                                        else f"{g}: mean of {len(self.groups[g])} runs (too few runs for an interval)"
                                        for g in group_names]]
        body = []
        shown = self.metrics() if every_metric else self.informative()
        for m in shown[:max_rows]:
            cells = [m]
            for rn in run_names:
                v = self.value(m, rn)
                cells.append(str(v) if v else "")
            for g in group_names:
                v = self.across(m, g)
                cells.append(str(v) if v else "")
            body.append(cells)
        widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [head, *body]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        hidden = len(self.metrics()) - len(shown)
        if hidden > 0:
            lines.append(f"({hidden} metric(s) equal in every run not shown; every_metric=True / --all shows them)")
        return "\n".join(lines)


def _group_runs(runs: list[RunMetrics], stages: list[str]) -> dict[str, list[str]]:
    sigs: dict[tuple[Any, ...], list[str]] = {}
    for r in runs:
        sigs.setdefault(r.signature(stages), []).append(r.name)
    if len(sigs) == 1:
        return {"all runs": next(iter(sigs.values()))}
    # name each group by the settings that set it apart from the others
    all_items = [dict(sig) for sig in sigs]
    groups = {}
    for sig, members in sigs.items():
        mine = dict(sig)
        differing = sorted(k for k in set().union(*all_items) if any(o.get(k) != mine.get(k) for o in all_items))
        name = ", ".join(f"{k.split('/', 1)[1]}={mine[k]}" if k in mine else f"no {k}" for k in differing[:3])
        groups[name or f"group {len(groups) + 1}"] = members
    return groups


def _matches(metric: str, filters: Sequence[str] | None) -> bool:
    return not filters or any(f in metric for f in filters)


def compare_runs(
    runs: Sequence[str | os.PathLike[str]],
    *,
    runs_dir: str | os.PathLike[str] | None = None,
    stages: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    print_fn: Callable[[str], None] | None = print,
    every_metric: bool = False,
) -> Comparison:
    """Compare runs: the table (printed), groups of runs that differ only by seed with their mean and
    95% interval, and a plot with error bars written to ``out`` (PNG) when given.

    ``stages`` (e.g. ``["03", "07"]``) and ``metrics`` (substrings of metric paths) narrow it down.
    """
    if not runs:
        raise ValueError("compare: name at least one run")
    chosen = [resolve_stage(s) for s in stages] if stages else list(STAGES)
    loaded = [load_run(r, runs_dir, chosen) for r in runs]
    names = [r.name for r in loaded]
    if len(set(names)) != len(names):
        raise ValueError(f"compare: a run is named twice ({', '.join(names)})")
    empty = [r.name for r in loaded if not r.metrics]
    if empty:
        raise MissingInputError(f"compare: no finished stage ({', '.join(s[:2] for s in chosen)}) in run "
                                f"{', '.join(empty)} ({loaded[names.index(empty[0])].path}); run it first or leave it out")
    groups = _group_runs(loaded, chosen)
    rows: list[dict[str, Any]] = []
    metric_names = list(dict.fromkeys(f"{s}/{p}" for r in loaded for s in chosen for p in r.metrics.get(s, {})))
    metric_names = [m for m in metric_names if _matches(m, metrics)]
    for m in metric_names:
        stage, _, path = m.partition("/")
        for r in loaded:
            v = r.metrics.get(stage, {}).get(path)
            if v is not None:
                rows.append({"metric": m, "run": r.name, "kind": "run", "value": v.value, "lo": v.lo, "hi": v.hi,
                             "n": v.n})
        for g, members in groups.items():
            vals = [r.metrics.get(stage, {}).get(path) for r in loaded if r.name in members]
            vals = [v.value for v in vals if v is not None]
            if len(vals) > 1:  # from fewer than MIN_RUNS_FOR_INTERVAL runs: the mean alone
                iv = across_runs(vals)
                few = len(vals) < MIN_RUNS_FOR_INTERVAL
                rows.append({"metric": m, "run": g, "kind": "across runs", "value": iv.mean,
                             "lo": None if few else iv.lo, "hi": None if few else iv.hi, "n": iv.n})
    result = Comparison(runs=loaded, groups=groups, rows=rows)
    if print_fn is not None:
        _say_what_differs(loaded, groups, print_fn)
        print_fn(result.table(every_metric=every_metric))
    if out is not None and rows:

        fig = plot_runs(rows, _plot_metrics(result), runs=names)
        result.plot = save_figure(fig, out)
        import matplotlib.pyplot as plt

        plt.close(fig)
        if print_fn is not None:
            print_fn(f"wrote {result.plot}")
    return result


def _say_what_differs(runs: list[RunMetrics], groups: dict[str, list[str]], print_fn: Callable[[str], None]) -> None:
    diff = differences(runs)
    if len(runs) > 1:
        print_fn("what differs between the runs:" if diff else "the runs' settings and inputs are the same")
        for line in diff:
            print_fn(f"  {line}")
    for r in runs:
        for s, why in r.stale.items():
            print_fn(f"STALE {r.name}/{s}: {why[0]}; its figures no longer follow from its inputs "
                     f"(`seedkit run ... --stages {s[:2]}` redoes it)")
    for g, members in groups.items():
        if len(members) > 1:
            few = "" if len(members) >= MIN_RUNS_FOR_INTERVAL else (
                f"; too few runs for an interval across them (at least {MIN_RUNS_FOR_INTERVAL})")
            print_fn(f"group {g!r}: {', '.join(members)} (settings equal but the seed){few}")


def _plot_metrics(result: Comparison, max_panels: int = 12) -> list[str]:
    """Which metrics get a panel: those whose intervals have width (a measured effect), then those
    that vary across runs, then the other metrics with intervals (all-zero effects say least)."""
    wide, varying, flat = [], [], []
    for m in result.informative():
        rows = [r for r in result.rows if r["metric"] == m and r["kind"] == "run"]
        if any(r["lo"] is not None and r["hi"] is not None and r["hi"] > r["lo"] for r in rows):
            wide.append(m)
        elif len({r["value"] for r in rows}) > 1:
            varying.append(m)
        elif any(r["lo"] is not None for r in rows):
            flat.append(m)
    return (wide + varying + flat)[:max_panels] or result.metrics()[:max_panels]


__all__ = ["Value", "RunMetrics", "Comparison", "flatten_metrics", "load_run", "resolve_run", "compare_runs",
           "differences", "MIN_RUNS_FOR_INTERVAL", "default_plot_path"]


def default_plot_path(runs: Sequence[str | os.PathLike[str]]) -> Path:
    """Where ``seedkit compare`` writes its plot unless told: a folder of its own in the current one,
    ``seedkit-compare/<run>-vs-<run>.png`` (never inside a run, which may be a read-only hand-out)."""
    stem = "-vs-".join(Path(str(r)).name for r in runs)
    if len(stem) > 120:
        stem = stem[:100] + f"-and-{len(runs)}-runs"
    return Path.cwd() / "seedkit-compare" / f"{stem}.png"


def plot_runs(table: list[dict[str, Any]], metrics: list[str] | None = None, max_panels: int = 12,
              runs: list[str] | None = None) -> Any:
    """``seedkit compare``: one panel per metric, one point per run with its interval as an error bar,
    and the mean across runs with its interval (when runs repeat) as a band."""
    import matplotlib.pyplot as plt

    names = metrics or list(dict.fromkeys(r["metric"] for r in table))
    names = names[:max_panels]
    cols = min(3, max(1, len(names)))
    nrows = math.ceil(len(names) / cols) if names else 1
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 2.9 * nrows), squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.axis("off")
    order = runs or list(dict.fromkeys(r["run"] for r in table if r["kind"] == "run"))
    for ax, name in zip(axes.flat, names, strict=False):
        rows = [r for r in table if r["metric"] == name]
        for r in rows:
            if r["kind"] != "run":
                continue
            has_iv = r.get("lo") is not None and r.get("hi") is not None
            yerr = [[r["value"] - r["lo"]], [r["hi"] - r["value"]]] if has_iv else None
            ax.errorbar([order.index(r["run"])], [r["value"]], yerr=yerr, fmt="o", capsize=4, color="#2c6fbb")
        for r in rows:
            if r["kind"] == "across runs" and r.get("lo") is not None:
                ax.axhspan(r["lo"], r["hi"], color="#f0a030", alpha=0.25, lw=0)
                ax.axhline(r["value"], color="#f0a030", lw=1.5)
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels(order, rotation=25, ha="right", fontsize=8)
        ax.set_xlim(-0.5, len(order) - 0.5)
        ax.set_title(name, fontsize=8)
        if any(r["kind"] == "difference" for r in rows) or "difference" in name:
            ax.axhline(0, color="#333", ls="--", lw=0.8)
    fig.suptitle("each run with its 95% interval; orange: mean across runs with its 95% interval", fontsize=9)
    fig.tight_layout()
    return fig
