"""``seedkit sweep``: a grid of runs that share the stages their settings agree on.

``seedkit sweep --profile tiny --stages 03 -p seed=0,1,2 -p learning_rate=1e-3,3e-3`` runs the
product of the comma-separated values (here 6 grid points) as separate runs named after their
point (``sweep-seed0-learning_rate0.001``, ...). The grid's values (and single-valued ``-p``
overrides) go to the selected stages; the stages those need (``seedkit.runs.STAGE_INPUTS``, e.g.
01 and 02 for 03) run with their defaults.

Sharing: a stage's identity in the grid is its settings' config hash (which leaves out the run's
name and folder) together with the identities of the stages it reads. The first run that needs a
stage computes it; every later run whose stage has the same identity receives a copy by hard link
(:func:`seedkit.runs.share_stage`: no extra disk space, and each run still holds all its stages, so
``is_done``, ``seedkit verify`` and ``seedkit export`` of one run need no other) and does not run
that notebook at all. Each run gets a ``sweep.json`` naming the grid, its point and what it shares.

It prints one line per run and a closing line with the run names for ``seedkit compare``. A
failing or interrupted run stops the sweep; the same command resumes (finished stages are done).
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from seedkit.config import STAGES, SettingsError, default_runs_dir, get_profile, stage_settings_class
from seedkit.files import atomic_write_json
from seedkit.pipeline import (
    StageFailed,
    StageInterrupted,
    parse_value,
    route_overrides,
    run_notebooks,
    split_pair,
)
from seedkit.runs import MANIFEST, STAGE_INPUTS, manifest_state, run_dir, share_stage, upstream_stages
from seedkit.sweep_curves import EFFECT_PATHS, budget_key, write_curves

SWEEP_JSON = "sweep.json"


def split_values(raw: str) -> list[str]:
    """'0,1,2' -> ['0', '1', '2']; commas inside brackets or quotes stay: '[1,2],[3]' -> ['[1,2]', '[3]']."""
    out, depth, quote, cur = [], 0, "", []
    for ch in raw:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [v.strip() for v in out]


def parse_grid(pairs: Sequence[str]) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """``['seed=0,1,2', 'max_steps=8']`` -> (grid {'seed': [0, 1, 2]}, fixed {'max_steps': 8}); values as YAML."""
    grid: dict[str, list[Any]] = {}
    fixed: dict[str, Any] = {}
    for pair in pairs:
        key, raw = split_pair(pair, "write grid values as key=a,b,c, e.g. -p seed=0,1,2")
        values = []
        for v in split_values(raw):
            if v == "":
                raise SettingsError(f"-p {pair!r}: an empty value in the list; write key=a,b,c")
            values.append(parse_value(v))
        if key in grid or key in fixed:
            raise SettingsError(f"-p {key}: given twice; list every value once, e.g. -p {key}=a,b")
        if len(values) > 1:
            if len(set(map(repr, values))) != len(values):
                raise SettingsError(f"-p {pair!r}: a value is repeated")
            grid[key] = values
        else:
            fixed[key] = values[0]
    return grid, fixed


def _slug(value: Any) -> str:
    text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True).strip()
    text = text.removesuffix("...").strip()
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("_") or "empty"


def point_name(prefix: str, point: dict[str, Any]) -> str:
    """The run name of a grid point: ``sweep-seed0-learning_rate0.001``."""
    return "-".join([prefix] + [f"{k}{_slug(v)}" for k, v in point.items()])


@dataclass
class SweepRun:
    run_name: str
    point: dict[str, Any]
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # done already in this run
    shared: dict[str, str] = field(default_factory=dict)  # stage -> run it came from
    seconds: float = 0.0
    error: str = ""


@dataclass
class SweepResult:
    name: str
    runs: list[SweepRun]
    computed_once: dict[str, str]  # stage -> the run that computed it, for stages shared by every run
    seconds: float
    stopped: str = ""

    @property
    def run_names(self) -> list[str]:
        return [r.run_name for r in self.runs]

    @property
    def ok(self) -> bool:
        return not self.stopped


def plan(profile: str, stages: Sequence[str], grid: dict[str, list[Any]], fixed: dict[str, Any]
         ) -> tuple[list[str], list[dict[str, Any]], list[dict[str, dict[str, Any]]]]:
    """(every stage needed in order, grid points, per point: stage -> its overrides); all validated."""
    get_profile(profile)
    selected = list(stages)
    needed = [s for s in STAGES if s in selected or any(s in upstream_stages(t) for t in selected)]
    keys = list(grid)
    points = [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(grid[k] for k in keys))] or [{}]
    per_point = []
    for point in points:
        routed = route_overrides(selected, profile, {**fixed, **point})  # names and types, before anything runs
        per_point.append({s: routed.get(s, {}) for s in needed})
    return needed, points, per_point


def _identity(stage: str, profile: str, overrides: dict[str, Any], upstream: dict[str, str]) -> str:
    settings = stage_settings_class(stage).from_params(profile, **overrides)
    deps = ",".join(f"{u}={upstream[u]}" for u in STAGE_INPUTS.get(stage, ()) if u in upstream)
    return f"{stage}:{settings.config_hash()}[{deps}]"


def run_sweep(profile: str, stages: Sequence[str], grid: dict[str, list[Any]], fixed: dict[str, Any] | None = None,
              name: str = "sweep", runs_dir: str | os.PathLike[str] | None = None,
              notebooks_dir: str | os.PathLike[str] | None = None, kernel_name: str | None = None,
              say: Callable[[str], None] = print, cell_timeout_s: int | None = None) -> SweepResult:
    """Run the grid; returns what each run did. Stops at the first failing run (``result.stopped``)."""
    fixed = dict(fixed or {})
    needed, points, per_point = plan(profile, stages, grid, fixed)
    runs_root = Path(runs_dir or default_runs_dir()).resolve()
    names = [point_name(name, p) if p else name for p in points]
    for n in names:
        run_dir(n, runs_root)  # a usable directory name
    if len(set(names)) != len(names):
        raise SettingsError(f"sweep: grid points give the same run name ({names}); use values that differ in text")
    computed: dict[str, str] = {}  # stage identity -> the run that holds it computed
    results: list[SweepRun] = []
    t_all = time.time()
    say(f"seedkit sweep: profile={profile} {len(points)} run(s) over {', '.join(grid) or 'no grid'}; stages "
        f"{','.join(s[:2] for s in needed)} (grid on {','.join(s[:2] for s in stages)}); runs_dir={runs_root}")
    for i, (run_name, point, overrides) in enumerate(zip(names, points, per_point, strict=True), 1):
        r = SweepRun(run_name, point)
        results.append(r)
        t0 = time.time()
        ids: dict[str, str] = {}
        todo: list[str] = []
        for s in needed:
            ids[s] = _identity(s, profile, overrides[s], ids)
            src = computed.get(ids[s])
            dst = runs_root / run_name / s
            if src and src != run_name and all(u not in todo for u in STAGE_INPUTS.get(s, ())):
                mine = manifest_state(dst)[1]
                theirs = runs_root / src / s
                if mine is None or (dst / MANIFEST).read_bytes() != (theirs / MANIFEST).read_bytes():
                    share_stage(theirs, dst)
                    nb = runs_root / src / "notebooks" / f"{s}.ipynb"
                    if nb.exists():
                        share_stage(nb, runs_root / run_name / "notebooks" / nb.name)
                r.shared[s] = src
            else:
                todo.append(s)
        try:
            for s in todo:
                out = run_notebooks(profile, run_name, [s], overrides[s], runs_dir=runs_root,
                                    notebooks_dir=notebooks_dir, kernel_name=kernel_name, say=lambda _: None,
                                    cell_timeout_s=cell_timeout_s)
                (r.skipped if out[-1].skipped else r.ran).append(s)
                computed.setdefault(ids[s], run_name)
        except (StageFailed, StageInterrupted) as e:
            r.error = str(e)
        r.seconds = time.time() - t0
        atomic_write_json(runs_root / run_name / SWEEP_JSON, {
            "sweep": name, "profile": profile, "stages": list(stages), "grid": grid, "fixed": fixed,
            "point": point, "runs": names, "ran": r.ran, "done_already": r.skipped, "shared_from": r.shared,
            "seconds": round(r.seconds, 1), "error": r.error})
        say(_run_line(i, len(points), r))
        if r.error:
            break
    total = time.time() - t_all
    shared_by_all = {s: results[0].run_name for s in needed
                     if len(results) > 1 and all(s in x.shared for x in results[1:])}
    res = SweepResult(name, results, shared_by_all, total, stopped=results[-1].run_name if results[-1].error else "")
    say(_summary(res, names))
    _say_curves(res, runs_root, profile, stages, grid, fixed, say)
    return res


def sweep_command(profile: str, stages: Sequence[str], grid: dict[str, list[Any]], fixed: dict[str, Any],
                  name: str) -> str:
    """The command line that runs (or, its runs done, redraws) this sweep."""
    def text(v: Any) -> str:
        return v if isinstance(v, str) else yaml.safe_dump(v, default_flow_style=True).strip().removesuffix("...").strip()
    ps = [f"-p {k}={','.join(text(v) for v in vs)}" for k, vs in grid.items()]
    ps += [f"-p {k}={text(v)}" for k, v in fixed.items()]
    tail = f" --name {name}" if name != "sweep" else ""
    return f"seedkit sweep --profile {profile} --stages {','.join(s[:2] for s in stages)} {' '.join(ps)}{tail}".strip()


def _say_curves(res: SweepResult, runs_root: Path, profile: str, stages: Sequence[str],
                grid: dict[str, list[Any]], fixed: dict[str, Any], say: Callable[[str], None]) -> None:
    """Effect against budget, when the grid varies a number of a stage that measures effects (04-06, 03)."""
    measured = [s for s in stages if s in EFFECT_PATHS]
    try:
        budget_key(grid)
    except ValueError:
        return
    if not measured:
        return
    out = runs_root / f"{res.name}-curves"
    page, lines = write_curves(runs_root, out, [(r.run_name, r.point) for r in res.runs if not r.error], grid,
                               measured, sweep_command(profile, stages, grid, fixed, res.name))
    for line in lines:
        say(f"  {line}")
    say(f"seedkit sweep: effect against budget in {page} (plot {page.with_suffix('.png').name} beside it)")


def _run_line(i: int, n: int, r: SweepRun) -> str:
    what = ", ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in r.point.items())
    parts = [f"ran {','.join(s[:2] for s in r.ran) or 'nothing'} in {r.seconds:.1f} s"]
    if r.skipped:
        parts.append(f"{','.join(s[:2] for s in r.skipped)} done already")
    if r.shared:
        by_src: dict[str, list[str]] = {}
        for s, src in r.shared.items():
            by_src.setdefault(src, []).append(s[:2])
        parts.append("; ".join(f"{','.join(v)} shared with {src}" for src, v in by_src.items()))
    head = f"[{i}/{n}] {r.run_name}" + (f" ({what})" if what else "")
    if r.error:
        return f"{head}: FAILED after {r.seconds:.1f} s: {r.error}"
    return f"{head}: {'; '.join(parts)}"


def _summary(res: SweepResult, names: list[str]) -> str:
    if res.stopped:
        left = names[len(res.runs):]
        return (f"seedkit sweep: stopped at {res.stopped} after {res.seconds / 60:.1f} min"
                + (f" ({len(left)} run(s) not started)" if left else "")
                + "; fix the cause and run the same command again: finished stages are skipped")
    once = ""
    if res.computed_once:
        once = (f"; {', '.join(res.computed_once)} computed once (in {res.runs[0].run_name}) and shared by "
                "every run")
    return (f"seedkit sweep: {len(res.runs)} run(s) in {res.seconds / 60:.1f} min{once}; compare them: "
            f"seedkit compare {' '.join(res.run_names)}")
