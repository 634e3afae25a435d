"""A run's measurements as one Markdown page, written from what the run recorded (never typed by hand).

``seedkit report RUN [--out docs/measurements.md]`` and :func:`write_report` read the run's stage
manifests (``runs/<run>/<NN_stage>/manifest.json``: ``metrics``, ``timings``, ``profile``,
``finished_at``) and stage 07's ``summary.json``, and write:

- the run: name, profile, when each stage finished, the command that reproduces the whole run;
- the chain (07): every model's pass@1 with its 95% interval and sample size, its paired difference
  to its parent (as trained, and with the prompt format held fixed) with the verdict: a difference
  whose interval includes zero is written "not resolved";
- per stage: every figure its manifest holds (with its interval where it recorded one; a paired
  effect with its verdict), the time each step took, and the command that redoes the stage.

On the ``tiny`` profile the figures say that the machinery runs end to end, not what the recipe does.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import STAGES
from seedkit.files import atomic_write_text
from seedkit.measure.compare import Value, flatten_metrics, resolve_run
from seedkit.runs import MissingInputError, read_manifest, rerun_command

MAX_FIGURES = 40  # per stage: a stage recording more lists its first ones and says how many are left out
MAX_STEPS = 8  # slowest steps listed per stage
DIFFERENCE_WORDS = ("difference", "delta", "minus", "gain", "change", "ablation")  # paths holding differences


@dataclass
class StageFigures:
    """What one finished stage recorded: its manifest's figures, effects and timings."""

    stage: str
    finished_at: str
    figures: dict[str, Value] = field(default_factory=dict)
    effects: list[dict[str, Any]] = field(default_factory=list)  # the manifest's paired effects
    timings: dict[str, float] = field(default_factory=dict)
    command: str = ""


def verdict(lo: float | None, hi: float | None) -> str:
    """"resolved" when the interval leaves out zero, "not resolved" when it includes it."""
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return "no interval"
    return "not resolved (the interval includes 0)" if lo <= 0 <= hi else "resolved"


def _signed(x: float | None) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:+.3f}"


def _interval(mean: float | None, lo: float | None, hi: float | None, signed: bool = False) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return ""
    fmt = _signed if signed else (lambda x: "n/a" if x is None else f"{x:.3f}")
    return f"{fmt(mean)} [{fmt(lo)}, {fmt(hi)}]" if lo is not None and hi is not None else fmt(mean)


def find_effects(metrics: Any, path: str = "") -> list[dict[str, Any]]:
    """Every paired effect in a stage's metrics (a dict with ``child``, ``parent`` and ``difference``),
    with the metrics path it sits at under ``"at"``."""
    if not isinstance(metrics, dict):
        return []
    if isinstance(metrics.get("difference"), dict) and {"child", "parent"} <= set(metrics):
        return [{**metrics, "at": path.rstrip("/")}]
    out = []
    for key, val in metrics.items():
        out.extend(find_effects(val, f"{path}{key}/"))
    return out


def stage_figures(run_path: Path, stage: str) -> StageFigures | None:
    """One stage's recorded figures, or None when it has not finished."""
    m = read_manifest(run_path / stage)
    if m is None:
        return None
    metrics = m.get("metrics") or {}
    timings = {k: float(v) for k, v in (m.get("timings") or {}).items() if isinstance(v, int | float)}
    command = rerun_command(str(m.get("profile") or "PROFILE"), run_path.name, [stage]) + " -p force=true"
    return StageFigures(stage=stage, finished_at=str(m.get("finished_at") or ""), figures=flatten_metrics(metrics),
                        effects=find_effects(metrics), timings=timings, command=command)


def _side(s: dict[str, Any], label: str, metric: str) -> str:
    value = s.get(metric, s.get("mean"))
    fmt = f" ({s['prompt_format']})" if s.get("prompt_format") else ""
    return f"{s.get('label', label)} {_interval(value, *(s.get('interval') or (None, None)))}{fmt}"


def _effect_line(e: dict[str, Any]) -> str:
    d = e["difference"]
    metric = e.get("metric", "pass@1")
    size = f"{e.get('n_problems', d.get('n_problems', '?'))} problems" + (
        f" x {e['n_samples']} samples" if e.get("n_samples") else "")
    sides = "; ".join(_side(e[k], e[who], metric) for k, who in (("after", "child"), ("before", "parent"))
                      if isinstance(e.get(k), dict))
    return (f"- `{e['at']}`: {e['child']} - {e['parent']}: **{_interval(d['mean'], d['lo'], d['hi'], signed=True)}**"
            f" ({metric}, {size}; {sides}): {verdict(d['lo'], d['hi'])}")


def _figure_rows(figures: dict[str, Value], effect_paths: list[str]) -> list[str]:
    rows = []
    for path, v in figures.items():
        if any(path.startswith(p + "/") or path == p for p in effect_paths if p):
            continue  # already written out as an effect
        is_diff = any(w in path.lower() for w in DIFFERENCE_WORDS)
        note = verdict(v.lo, v.hi) if is_diff and v.lo is not None else ""
        n = "" if v.n is None else str(v.n)
        rows.append(f"| `{path}` | {v} | {n} | {note} |")
    return rows


def stage_section(f: StageFigures) -> list[str]:
    lines = [f"### {f.stage}", "", f"Finished {f.finished_at or 'at an unrecorded time'}; "
             f"redo it: `{f.command}`.", ""]
    if f.effects:
        lines += ["Paired effects (child minus parent on the same problems, 95% interval):", "",
                  *[_effect_line(e) for e in f.effects], ""]
    rows = _figure_rows(f.figures, [e["at"] for e in f.effects] or [""])
    if rows:
        lines += ["| figure | value [95% interval] | n | verdict |", "|---|---|---|---|", *rows[:MAX_FIGURES]]
        if len(rows) > MAX_FIGURES:
            lines.append(f"| ({len(rows) - MAX_FIGURES} more in the manifest's `metrics`) | | | |")
        lines.append("")
    steps = sorted(((k, v) for k, v in f.timings.items() if k != "total_s"), key=lambda kv: -kv[1])[:MAX_STEPS]
    if f.timings:
        total = f.timings.get("total_s")
        lines.append("Time: " + (f"{total:.1f} s in all" if total is not None else "total not recorded") +
                     ("; slowest steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps) if steps else "") + ".")
        lines.append("")
    return lines


def _chain_verdict(lo: float | None, hi: float | None, in_family: bool | None, family_size: int | None) -> str:
    """The interval's verdict, and Holm's over the run's family of comparisons where stage 07 recorded it."""
    out = verdict(lo, hi)
    if in_family is not None and family_size:
        out += f"; over the run's {family_size} comparisons (Holm): {'resolved' if in_family else 'not resolved'}"
    return out


def chain_section(summary: dict[str, Any], command: str) -> list[str]:
    """Stage 07's table: every model of the chain with pass@1 and its differences to its parent."""
    ev = summary.get("evidence") or {}
    lines = ["## The chain of models (07_eval)", "",
             "Each model on the evaluation set (" + ", ".join(f"{k}={v}" for k, v in ev.items()) + "). "
             "pass@1 with its 95% interval; the paired difference to the parent on the same problems, as trained "
             "and with the prompt format held fixed; a difference is resolved only when its interval leaves out 0 "
             "(and, where stage 07 recorded it, Holm's verdict over all the run's comparisons). The noise floor is the "
             "half-width of the interval expected between two measurements of the same model at these settings.",
             "", f"Reproduce: `{command}`, then read `07_eval/report.md` in the run's folder.", "",
             "| model | parent | set | problems x samples | pass@1 [95%] | noise floor | minus parent [95%] | verdict "
             "| minus parent, same format [95%] | verdict |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in summary.get("table") or []:
        diff = _interval(r.get("difference"), r.get("difference_lo"), r.get("difference_hi"), signed=True)
        same = _interval(r.get("difference_same_format"), r.get("difference_same_format_lo"),
                         r.get("difference_same_format_hi"), signed=True)
        size = r.get("family_size")
        diff_v = _chain_verdict(r.get("difference_lo"), r.get("difference_hi"), r.get("resolved_in_family"), size)
        same_v = _chain_verdict(r.get("difference_same_format_lo"), r.get("difference_same_format_hi"),
                                r.get("same_format_resolved_in_family"), size)
        floor = f"±{r['noise_floor']:.3f}" if r.get("noise_floor") is not None else "n/a"
        lines.append(
            f"| {r['model']} | {r.get('parent') or '(root)'} | {r.get('set', '')} "
            f"| {r.get('n_problems', '?')} x {r.get('samples', '?')} "
            f"| {_interval(r.get('pass@1'), r.get('pass@1_lo'), r.get('pass@1_hi'))} ({r.get('prompt_format', '')}) "
            f"| {floor} | {diff} | {diff_v if diff else ''} | {same} | {same_v if same else ''} |")
    if summary.get("skipped"):
        lines += ["", "Not evaluated: " + "; ".join(f"{k}: {v}" for k, v in summary["skipped"].items())]
    return [*lines, ""]


def _profile_note(profile: str) -> str:
    if profile == "tiny":
        return ("**These figures come from the `tiny` profile** (a ~1M-parameter model trained from scratch): they show "
                "that every stage runs and records its measurements, not what the Seed-Coder recipe does. Run "
                "`make pipeline` (the `smol` profile) and `seedkit report smol` for figures about the recipe.")
    return f"These figures come from the `{profile}` profile; another profile gives other figures."


def report_markdown(run: str | os.PathLike[str], runs_dir: str | os.PathLike[str] | None = None,
                    today: str | None = None, out: str | os.PathLike[str] | None = None) -> str:
    """The page :func:`write_report` writes, as text (``out``: where it goes, named in its command)."""
    path = resolve_run(run, runs_dir)
    figures = [f for f in (stage_figures(path, s) for s in STAGES) if f is not None]
    if not figures:
        raise MissingInputError(f"report: run {path.name} has no finished stage (no manifest.json in {path})")
    profiles = sorted({str((read_manifest(path / f.stage) or {}).get("profile") or "") for f in figures} - {""})
    profile = profiles[0] if len(profiles) == 1 else "/".join(profiles) or "unknown"
    today = today or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")
    whole = rerun_command(profile, path.name, [f.stage for f in figures])
    lines = [f"# Measurements of run `{path.name}` (profile `{profile}`)", "",
             f"Generated on {today} by `seedkit report {path.name}" + (f" --out {out}" if out else "") +
             "` from the run's manifests; do not edit it by hand. The run's last stage finished "
             f"{max(f.finished_at for f in figures) or 'at an unrecorded time'}.", "",
             _profile_note(profile), "",
             f"Reproduce the run: `{whole}`; each figure below names the command that redoes its stage.", "",
             "| stage | finished | time (s) |", "|---|---|---|",
             *[f"| {f.stage} | {f.finished_at} | {f.timings.get('total_s', float('nan')):.1f} |" for f in figures], "",
             "Times are wall-clock seconds on the machine that made the run, as busy as it was then.", ""]
    summary_path = path / "07_eval" / "summary.json"
    if summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        lines += chain_section(summary, rerun_command(profile, path.name, ["07_eval"]) + " -p force=true")
    lines += ["## Per stage", "", "Every figure each stage recorded in its manifest (`metrics`), with its 95% "
              "interval and sample size where the stage measured one; differences say whether they are resolved.", ""]
    for f in figures:
        lines += stage_section(f)
    return "\n".join(lines).rstrip() + "\n"


def write_report(run: str | os.PathLike[str], out: str | os.PathLike[str] | None = None,
                 runs_dir: str | os.PathLike[str] | None = None, today: str | None = None) -> Path:
    """Write the run's measurements page to ``out`` (default ``<run>/measurements.md``); returns the path."""
    text = report_markdown(run, runs_dir, today, out)
    target = Path(out) if out else resolve_run(run, runs_dir) / "measurements.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, text)
    return target


__all__ = ["StageFigures", "verdict", "find_effects", "stage_figures", "report_markdown", "write_report"]
