"""Run the kit's notebooks in order with papermill: ``seedkit run``.

Each stage notebook gets ``profile``, ``run_name``, ``runs_dir`` and the ``-p`` overrides that
belong to its settings. Overrides are checked against every selected stage's settings before
anything runs, so a typo fails in one line instead of twenty minutes later, suggesting the
closest names. Executed notebooks are saved under ``<runs_dir>/<run_name>/notebooks/``, with what
each kernel printed outside its cells (its start-up warnings, a crash) in ``<stage>.kernel.log``
beside them. The run prints one line per stage (done, or skipped because it was done already),
stops at the first failing stage naming the stage, the failing cell and the error, and on Ctrl-C
says which stage was interrupted and that the same command resumes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
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
    closest_names,
    default_runs_dir,
    get_profile,
    resolve_stage,
    stage_settings_class,
)
from seedkit.runs import (
    check_outputs,
    is_handout,
    manifest_state,
    read_manifest,
    restore_previous,
    stale_inputs,
)
from seedkit.transfer import fork_run


class StageFailed(RuntimeError):
    """A notebook failed; the message is one line: stage, cell, error."""


class StageInterrupted(KeyboardInterrupt):
    """Ctrl-C during a stage; the message is one line: the stage, and how to resume."""


@dataclass
class StageOutcome:
    stage: str
    notebook: Path
    output: Path
    seconds: float
    ok: bool
    error: str = ""
    skipped: bool = False  # done already: the notebook ran and changed nothing


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


_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def parse_value(raw: str) -> Any:
    """A ``-p`` value read as YAML (``0.5``, ``true``, ``[a, b]``, text), and ``1e-3`` as the number it is
    (YAML 1.1 reads exponent notation without a dot as text)."""
    if not raw.strip():
        return ""
    if _FLOAT.match(raw.strip()):
        return float(raw)
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw


def split_pair(pair: str, how: str) -> tuple[str, str]:
    """``'key=value'`` -> ``('key', 'value')``; a SettingsError saying ``how`` to write it otherwise."""
    key, sep, raw = pair.partition("=")
    key = key.strip()
    if not sep or not key:
        raise SettingsError(f"-p {pair!r}: {how}")
    return key, raw


def parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """['key=value', ...] -> {key: value}, values as :func:`parse_value`."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, raw = split_pair(pair, "write overrides as key=value, e.g. -p near_dup_min_jaccard=0.8")
        out[key] = parse_value(raw)
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
            elsewhere = [s for s in STAGES if s not in stages
                         and k in {f.name for f in dataclasses.fields(stage_settings_class(s))}]
            close = closest_names(k, allowed)
            hint = []
            if close:
                hint.append("did you mean " + " or ".join(repr(c) for c in close) + "?")
            if elsewhere:
                hint.append(f"{k!r} is a setting of {', '.join(elsewhere)}: add {elsewhere[0][:2]} to --stages")
            if not hint:
                hint.append(f"allowed: {', '.join(allowed)}")
            raise SettingsError(
                f"-p {k}: no selected stage ({', '.join(s[:2] for s in stages)}) has a setting named {k!r}; "
                + "; ".join(hint)
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


def _kernel_manager_class(log_path: Path) -> type:
    """An nbclient kernel manager whose kernel writes what it prints outside cells to ``log_path``.

    The kernel inherits this process's terminal otherwise: every stage then printed ipykernel's
    "Kernel is running over TCP without encryption" warning (a loopback-only kernel started by
    papermill), and a crashing kernel's last words landed between the stage lines. In the log they
    are kept, out of the way, and named when a kernel dies."""
    from jupyter_client.manager import AsyncKernelManager

    class LoggingKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "ab") as fh:  # the kernel keeps its own copy of the descriptor
                kw.setdefault("stdout", fh)
                kw.setdefault("stderr", fh)
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return LoggingKernelManager


def _manifest_bytes(path: Path) -> bytes | None:
    try:
        return (path / "manifest.json").read_bytes()
    except OSError:
        return None


class _KnownParameters(logging.Filter):
    """Papermill warns "Passed unknown parameter" for every name missing from a notebook's parameters
    cell; the cell lists only the knobs the notebook teaches, and the runner has already checked every
    name against the stage's settings (a misspelt one is an error before any notebook starts), so the
    warning would only mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.getMessage()).startswith("Passed unknown parameter")


def _stage_failure(e: BaseException, stage: str, dt: float, out: Path, kernel_log: Path,
                   finished: list[str]) -> tuple[type[Exception], str]:
    """The exception to raise and its one line for a stage that did not finish: interrupted (Ctrl-C),
    failed inside a cell, or failed around the cells (a cell past its timeout, a dead kernel)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(e, KeyboardInterrupt):
        done = [s[:2] for s in finished]
        return StageInterrupted, (f"interrupted during stage {stage} after {dt:.1f} s"
                                  + (f" (stages {','.join(done)} finished)" if done else "")
                                  + "; run the same command again to resume: finished stages are skipped and "
                                  f"{stage} picks up from its checkpoints or finished steps")
    if isinstance(e, PapermillExecutionError):
        first = str(e.evalue).strip().splitlines()[0] if e.evalue else ""
        return StageFailed, (f"stage {stage} failed after {dt:.1f} s in cell {e.exec_count} "
                             f"(index {e.cell_index}): {e.ename}: {first} [executed notebook: {out}]")
    first = str(e).strip().splitlines()[0] if str(e).strip() else ""
    log = f"; the kernel's own output: {kernel_log}" if kernel_log.exists() and kernel_log.stat().st_size else ""
    return StageFailed, (f"stage {stage} failed after {dt:.1f} s: {type(e).__name__}: {first} "
                         f"[executed notebook: {out}{log}]")


def _own_run(run_name: str, runs_root: Path, say: Callable[[str], None]) -> tuple[str, Path]:
    """(run, runs folder) the stages are written to: the run itself, or for a hand-out the user's own run
    that reuses it (``<run>-<user>``, beside it when that folder is writable, else in the default one)."""
    import getpass

    base = runs_root / run_name
    if not is_handout(base):
        return run_name, runs_root
    own_root = runs_root if os.access(runs_root, os.W_OK) else Path(default_runs_dir()).resolve()
    own = fork_run(base, f"{run_name}-{getpass.getuser()}", own_root)
    say(f"seedkit run: run {run_name} is a hand-out (read-only): writing to your run {own.name} in {own_root}, "
        "which reuses its finished stages")
    return own.name, own_root


def _done_already(settings: Any, path: Path, executed: Path) -> bool:
    """Is the stage done with these settings (its config hash), its inputs unchanged (their manifests'
    hashes) and its files intact (sizes; hashes where times changed), with its executed notebook saved?
    What the notebook's own check decides, without the ~20 s of a kernel and its imports."""
    if settings.force or not executed.exists() or manifest_state(path)[0] != "done":
        return False
    m = read_manifest(path) or {}
    return (m.get("config_hash") == settings.config_hash() and not stale_inputs(path)
            and not check_outputs(path, m))


def _headless_kernels() -> int:
    """Set the environment the stage kernels inherit; returns how long a kernel may take to start."""
    # papermill gives a kernel 60 s to start; on a laptop busy with other work (or a loaded CI machine)
    # importing ipykernel alone took longer than that, and the stage failed before running a cell.
    start_timeout_s = int(os.environ.get("SEEDKIT_KERNEL_START_TIMEOUT", "600"))
    # Nobody watches a headless kernel's tqdm bars live; at tqdm's default 10 updates a second they
    # flood the kernel's IOPub channel, whose publisher drops messages past its high-water mark when
    # the client is slow (a busy machine) -- and a dropped "idle" status leaves papermill waiting
    # forever. One update every 2 s keeps the bars in the saved notebook without the flood. The
    # kernel inherits this process's environment.
    os.environ.setdefault("TQDM_MININTERVAL", "2")
    os.environ["SEEDKIT_HEADLESS"] = "1"  # notebooks print static views instead of widgets (notebook_build.live_widgets)
    return start_timeout_s


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
    """Execute stage notebooks in order; raise StageFailed at the first failure, StageInterrupted on Ctrl-C.

    One line per stage: ``[3/7] 03_pretraining done in 41.2 s``, or ``skipped`` when the stage was
    done already with these settings and inputs (its manifest is unchanged). On a terminal a
    progress bar per stage is shown while it runs and removed when it ends.

    ``cell_timeout_s`` bounds one cell (default $SEEDKIT_CELL_TIMEOUT, else 30 minutes on tiny and 3 hours
    elsewhere): a cell past it fails the stage instead of waiting forever (a kernel once hung at a widget
    cell). A kernel gets $SEEDKIT_KERNEL_START_TIMEOUT seconds (default 600) to start.

    A stage whose manifest already follows from these settings and inputs, its files intact, is skipped
    without starting a kernel. A run handed out (``seedkit handout``) is not written: the stages go to
    ``<run>-<user>``, a run of one's own that reuses the hand-out's (:func:`seedkit.transfer.fork_run`). A
    stage that fails puts the finished stage it was redoing back in place.
    """
    get_profile(profile)
    notebooks_dir = Path(notebooks_dir or NOTEBOOKS)
    runs_root = Path(runs_dir or default_runs_dir()).resolve()
    run_name, runs_root = _own_run(run_name, runs_root, say)
    stages = list(stages) if stages else parse_stages(None)
    missing = [s for s in stages if not (notebooks_dir / f"{s}.ipynb").exists()]
    if missing:
        raise SettingsError(f"stages: no notebook for {', '.join(missing)} in {notebooks_dir}")
    per_stage = route_overrides(stages, profile, overrides or {})  # names, types and ranges, before papermill loads
    import papermill as pm
    if kernel_name is None:
        kernel_name = default_kernel(notebooks_dir / f"{stages[0]}.ipynb", say)
    out_dir = runs_root / run_name / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    if progress_bar is None:
        progress_bar = sys.stderr.isatty()
    if cell_timeout_s is None:
        cell_timeout_s = int(os.environ.get("SEEDKIT_CELL_TIMEOUT", "1800" if profile == "tiny" else "10800"))
    start_timeout_s = _headless_kernels()
    outcomes: list[StageOutcome] = []
    t_all = time.time()
    say(f"seedkit run: profile={profile} run={run_name} stages={','.join(s[:2] for s in stages)} runs_dir={runs_root}")
    for i, stage in enumerate(stages, 1):
        nb = notebooks_dir / f"{stage}.ipynb"
        out = out_dir / f"{stage}.ipynb"
        kernel_log = out_dir / f"{stage}.kernel.log"
        params = {"profile": profile, "run_name": run_name, "runs_dir": str(runs_root), **per_stage[stage]}
        settings = stage_settings_class(stage).from_params(profile, run_name=run_name, **per_stage[stage])
        for line in settings.report_lines():
            say(f"[{i}/{len(stages)}] {stage} {line}")
        if _done_already(settings, runs_root / run_name / stage, out):
            outcomes.append(StageOutcome(stage, nb, out, 0.0, True, skipped=True))
            say(f"[{i}/{len(stages)}] {stage} skipped: done already with these settings and inputs, its files "
                "intact (-p force=true redoes it)")
            continue
        with contextlib.suppress(FileNotFoundError):
            kernel_log.unlink()
        before = _manifest_bytes(runs_root / run_name / stage)
        bar: bool | dict[str, Any] = ({"desc": f"[{i}/{len(stages)}] {stage}", "leave": False}
                                      if progress_bar else False)
        t0 = time.time()
        quiet = _KnownParameters()
        logging.getLogger("papermill").addFilter(quiet)
        try:
            pm.execute_notebook(
                str(nb), str(out), parameters=params, cwd=str(notebooks_dir),
                kernel_name=kernel_name, progress_bar=bar, log_output=False,
                execution_timeout=cell_timeout_s, start_timeout=start_timeout_s,
                kernel_manager_class=_kernel_manager_class(kernel_log),
            )
        except (KeyboardInterrupt, Exception) as e:  # noqa: BLE001 - every way a stage ends badly gets its line
            error, msg = _stage_failure(e, stage, time.time() - t0, out, kernel_log, [o.stage for o in outcomes])
            if not isinstance(e, KeyboardInterrupt) and restore_previous(runs_root / run_name / stage):
                msg += f"; the finished {stage} it was redoing is back in place"
            outcomes.append(StageOutcome(stage, nb, out, time.time() - t0, False, msg))
            raise error(msg) from None
        finally:
            logging.getLogger("papermill").removeFilter(quiet)
        dt = time.time() - t0
        after = _manifest_bytes(runs_root / run_name / stage)
        skipped = before is not None and before == after
        outcomes.append(StageOutcome(stage, nb, out, dt, True, skipped=skipped))
        if skipped:
            say(f"[{i}/{len(stages)}] {stage} skipped: done already with these settings "
                f"(checked in {dt:.1f} s; -p force=true redoes it)")
        else:
            say(f"[{i}/{len(stages)}] {stage} done in {dt:.1f} s")
    n_skipped = sum(o.skipped for o in outcomes)
    say(f"seedkit run: {len(stages)} stage(s) in {time.time() - t_all:.1f} s"
        + (f" ({n_skipped} skipped)" if n_skipped else "") + f"; executed notebooks in {out_dir}")
    return outcomes
