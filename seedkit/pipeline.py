"""Run the kit's notebooks in order with papermill: ``seedkit run``.

Each stage notebook gets ``profile``, ``run_name``, ``runs_dir`` and the ``-p`` overrides that
belong to its settings. Overrides are checked against every selected stage's settings before
anything runs, so a typo fails in one line instead of twenty minutes later. Executed notebooks
are saved under ``<runs_dir>/<run_name>/notebooks/``. The run stops at the first failing stage
and names the stage, the failing cell and the error.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from seedkit.config import (
    NOTEBOOKS,
    STAGES,
    SettingsError,
    default_runs_dir,
    get_profile,
    resolve_stage,
    stage_settings_class,
)


class StageFailed(RuntimeError):
    """A notebook failed; the message is one line: stage, cell, error."""


@dataclass
class StageOutcome:
    stage: str
    notebook: Path
    output: Path
    seconds: float
    ok: bool
    error: str = ""


def parse_stages(spec: str | None, available: Sequence[str] = STAGES) -> list[str]:
    """'01-03', '01,04,07', 'curation,sft' or None (all) -> ordered stage names."""
    if not spec:
        return list(available)
    chosen: set[str] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part and not part.startswith("-"):
            lo, hi = (resolve_stage(x.strip()) for x in part.split("-", 1))
            i, j = STAGES.index(lo), STAGES.index(hi)
            if i > j:
                raise SettingsError(f"stages: range {part!r} runs backwards; write it as {hi[:2]}-{lo[:2]}")
            chosen.update(STAGES[i:j + 1])
        else:
            chosen.add(resolve_stage(part))
    return [s for s in STAGES if s in chosen]


def parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """['key=value', ...] -> {key: value}, values read as YAML scalars/lists (0.5, true, [a, b], text)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SettingsError(f"-p {pair!r}: write overrides as key=value, e.g. -p near_dup_threshold=0.8")
        try:
            out[key] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            out[key] = raw
    return out


def route_overrides(stages: Sequence[str], profile: str, overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Give each stage the overrides its settings define; validate them all up front."""
    per_stage: dict[str, dict[str, Any]] = {s: {} for s in stages}
    owners: dict[str, list[str]] = {k: [] for k in overrides}
    fields_by_stage: dict[str, set[str]] = {}
    for s in stages:
        cls = stage_settings_class(s)
        fields_by_stage[s] = {f.name for f in dataclasses.fields(cls)}
        for k in overrides:
            if k in fields_by_stage[s]:
                owners[k].append(s)
    reserved = {"profile", "run_name", "runs_dir"}
    for k, who in owners.items():
        if k in reserved:
            raise SettingsError(f"-p {k}: set it with --{k.replace('_', '-')}, not -p")
        if not who:
            allowed = sorted(set().union(*fields_by_stage.values()) - reserved) if fields_by_stage else []
            raise SettingsError(
                f"-p {k}: no selected stage ({', '.join(s[:2] for s in stages)}) has a setting named {k!r}; "
                f"allowed: {', '.join(allowed)}"
            )
        for s in who:
            per_stage[s][k] = overrides[k]
    for s in stages:  # type check now, not inside the notebook
        stage_settings_class(s).from_params(profile, **per_stage[s])
    return per_stage


def default_kernel(notebook: Path, say: Callable[[str], None] = print) -> str | None:
    """The notebook's own kernel (``seedkit``, registered inside .venv by ``make install``) when it is
    installed; else this interpreter's ``python3`` kernel, said once with the reason."""
    import json

    from jupyter_client.kernelspec import KernelSpecManager

    wanted = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("kernelspec", {}).get("name")
    if not wanted or wanted in KernelSpecManager().find_kernel_specs():
        return None
    say(f"seedkit run: kernel {wanted!r} is not installed (make install registers it); using python3 from "
        f"{sys.prefix}")
    return "python3"


def run_notebooks(
    profile: str,
    run_name: str,
    stages: Sequence[str] | None = None,
    overrides: dict[str, Any] | None = None,
    runs_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    kernel_name: str | None = None,
    say: Callable[[str], None] = print,
    progress_bar: bool | None = None,
    cell_timeout_s: int | None = None,
) -> list[StageOutcome]:
    """Execute stage notebooks in order; raise StageFailed at the first failure.

    ``cell_timeout_s`` bounds one cell (default $SEEDKIT_CELL_TIMEOUT or 3 hours): a cell past it
    fails the stage instead of waiting forever.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    get_profile(profile)
    notebooks_dir = Path(notebooks_dir or NOTEBOOKS)
    runs_root = Path(runs_dir or default_runs_dir()).resolve()
    stages = list(stages) if stages else parse_stages(None)
    missing = [s for s in stages if not (notebooks_dir / f"{s}.ipynb").exists()]
    if missing:
        raise SettingsError(f"stages: no notebook for {', '.join(missing)} in {notebooks_dir}")
    per_stage = route_overrides(stages, profile, overrides or {})
    if kernel_name is None:
        kernel_name = default_kernel(notebooks_dir / f"{stages[0]}.ipynb", say)
    out_dir = runs_root / run_name / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    if progress_bar is None:
        progress_bar = sys.stderr.isatty()
    if cell_timeout_s is None:
        cell_timeout_s = int(os.environ.get("SEEDKIT_CELL_TIMEOUT", "10800"))
    # Nobody watches a headless kernel's tqdm bars live; at tqdm's default 10 updates a second they
    # flood the kernel's IOPub channel, whose publisher drops messages past its high-water mark when
    # the client is slow (a busy machine) -- and a dropped "idle" status leaves papermill waiting
    # forever. One update every 2 s keeps the bars in the saved notebook without the flood. The
    # kernel inherits this process's environment.
    os.environ.setdefault("TQDM_MININTERVAL", "2")
    os.environ["SEEDKIT_HEADLESS"] = "1"  # notebooks print static views instead of widgets (notebook_build.live_widgets)
    outcomes: list[StageOutcome] = []
    t_all = time.time()
    say(f"seedkit run: profile={profile} run={run_name} stages={','.join(s[:2] for s in stages)} runs_dir={runs_root}")
    for i, stage in enumerate(stages, 1):
        nb = notebooks_dir / f"{stage}.ipynb"
        out = out_dir / f"{stage}.ipynb"
        params = {"profile": profile, "run_name": run_name, "runs_dir": str(runs_root), **per_stage[stage]}
        say(f"[{i}/{len(stages)}] {stage} ...")
        t0 = time.time()
        try:
            pm.execute_notebook(
                str(nb), str(out), parameters=params, cwd=str(notebooks_dir),
                kernel_name=kernel_name, progress_bar=progress_bar, log_output=False,
                execution_timeout=cell_timeout_s,
            )
        except PapermillExecutionError as e:
            dt = time.time() - t0
            msg = (f"stage {stage} failed after {dt:.1f} s in cell {e.exec_count} "
                   f"(index {e.cell_index}): {e.ename}: {str(e.evalue).strip().splitlines()[0] if e.evalue else ''} "
                   f"[executed notebook: {out}]")
            outcomes.append(StageOutcome(stage, nb, out, dt, False, msg))
            raise StageFailed(msg) from None
        except Exception as e:  # a cell past cell_timeout_s or a dead kernel, not an error inside a cell
            dt = time.time() - t0
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            msg = f"stage {stage} failed after {dt:.1f} s: {type(e).__name__}: {first} [executed notebook: {out}]"
            outcomes.append(StageOutcome(stage, nb, out, dt, False, msg))
            raise StageFailed(msg) from None
        dt = time.time() - t0
        outcomes.append(StageOutcome(stage, nb, out, dt, True))
        say(f"[{i}/{len(stages)}] {stage} done in {dt:.1f} s")
    say(f"seedkit run: {len(stages)} stage(s) in {time.time() - t_all:.1f} s; executed notebooks in {out_dir}")
    return outcomes
