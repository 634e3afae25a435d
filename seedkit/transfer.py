"""Handing a run to other machines: ``seedkit export RUN`` and ``seedkit import ARCHIVE``.

A workshop's instructor makes a run once (e.g. ``seedkit run --profile smol``) and hands it to a
room of laptops; each attendee imports it and starts at any notebook, which finds the stages
before it done. That works because a run is not tied to its folder (seedkit.runs): manifests
name inputs relative to the run and decide by content hashes.

- export checks every stage first (sizes always, hashes where times differ) and refuses to pack
  an unfinished or damaged stage; it leaves out what only the machine that made the run needs
  (``checkpoints/``, the in-progress marker, the record of verified file times) and writes the
  archive atomically. ``seedkit-export.json`` at the top of the run says what is inside.
- import extracts into a temporary folder beside the target (tarfile's ``data`` filter: no
  absolute paths, no ``..``, no links out of the archive, no devices), hashes every file against
  its stage's manifest and only then moves the run into place; an existing run is replaced only
  with ``--force``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seedkit.config import STAGES, SettingsError, default_runs_dir
from seedkit.files import atomic_write_json, make_readable
from seedkit.runs import (
    CHECKPOINTS,
    IN_PROGRESS,
    VERIFIED,
    manifest_state,
    run_dir,
    stale_inputs,
    verify_stage,
)

EXPORT_INDEX = "seedkit-export.json"
SUFFIX = ".seedkit.tar.gz"


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    return f"{n:.1f} GB"


def _skip(rel_parts: tuple[str, ...]) -> bool:
    """What an archive leaves out: checkpoints of unfinished work, markers, temporary files."""
    name = rel_parts[-1]
    return (CHECKPOINTS in rel_parts[:2] or name in (IN_PROGRESS, VERIFIED) or name.endswith(".tmp")
            or any(p.startswith(".") for p in rel_parts))


def _readable_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """A file of a run packed readable by everyone who unpacks it (runs made before the kit wrote its
    files readable hold 0600 manifests and models)."""
    info.mode |= 0o444
    return info


def _runs_there(runs_root: Path) -> str:
    names = sorted(p.name for p in runs_root.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if runs_root.is_dir() else []
    return ", ".join(names) or "none"


def export_run(run_name: str, runs_dir: str | os.PathLike[str] = "", out: str | os.PathLike[str] | None = None,
               say: Callable[[str], None] = print) -> Path:
    """Pack a run's finished stages into one ``.tar.gz`` (``<run>.seedkit.tar.gz`` by default); returns its path."""
    runs_root = Path(runs_dir or default_runs_dir())
    root = run_dir(run_name, runs_root)
    if not root.is_dir():
        raise SettingsError(f"export: no run {run_name!r} in {runs_root} (runs there: {_runs_there(runs_root)})")
    stages: dict[str, Any] = {}
    external: set[str] = set()
    profile = ""
    for s in STAGES:
        state, problems = verify_stage(root / s, full=False)
        if state == "missing":
            continue
        if state != "done" or problems:
            raise SettingsError(f"export: stage {s} of run {run_name} cannot be handed out: {problems[0]}; redo it "
                                f"or remove {root / s} (`seedkit verify {run_name}` lists every problem)")
        old = stale_inputs(root / s)
        if old:
            say(f"export: note: {s} is intact but stale ({old[0]}); whoever imports it will see it redone by "
                f"`seedkit run`")
        m = manifest_state(root / s)[1] or {}
        profile = profile or str(m.get("profile", ""))
        stages[s] = {"files": len(m.get("files", {})), "bytes": sum(int(r.get("bytes", 0))
                                                                     for r in m.get("outputs", {}).values())}
        for name, rec in (m.get("inputs") or {}).items():
            if isinstance(rec, dict) and str(rec.get("path", "")).startswith(".."):
                external.add(f"{s} reads {name}")
    if not stages:
        raise SettingsError(f"export: run {run_name} has no finished stage in {root}")
    if external:
        say(f"export: note: {'; '.join(sorted(external))} from another run, which this archive does not hold; "
            "export that run too")
    target = Path(out) if out else Path.cwd() / f"{run_name}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    index = {"seedkit_export": 1, "run_name": run_name, "profile": profile, "stages": stages,
             "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
             "import_with": f"seedkit import {target.name}"}
    t0 = time.time()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
            data = json.dumps(index, indent=2).encode()
            info = tarfile.TarInfo(f"{run_name}/{EXPORT_INDEX}")
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(data))
            files = [p for p in sorted(root.rglob("*"))
                     if p.is_file() and not p.is_symlink() and p.relative_to(root).name != EXPORT_INDEX
                     and not _skip(p.relative_to(root).parts)]  # directories are implied by their files
            from tqdm.auto import tqdm

            with tqdm(total=sum(p.stat().st_size for p in files), unit="B", unit_scale=True, desc=f"export {run_name}",
                      leave=False, disable=None) as bar:
                for p in files:
                    tar.add(str(p), arcname=f"{run_name}/{p.relative_to(root).as_posix()}", recursive=False,
                            filter=_readable_member)
                    bar.update(p.stat().st_size)
        make_readable(tmp)  # mkstemp made it 0600: the archive is for handing out
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    size = target.stat().st_size
    total = sum(v["bytes"] for v in stages.values())
    say(f"exported run {run_name} ({profile}; stages {','.join(s[:2] for s in stages)}; {_human(total)} of "
        f"outputs) to {target}: {_human(size)} in {time.time() - t0:.1f} s; on another machine: "
        f"seedkit import {target.name}")
    return target


def _members(tar: tarfile.TarFile, archive: Path) -> tuple[str, list[tarfile.TarInfo]]:
    members = tar.getmembers()
    tops = {m.name.split("/", 1)[0] for m in members}
    if len(tops) != 1:
        raise SettingsError(f"import: {archive} is not a seedkit export (it holds {len(tops)} top-level entries; "
                            "make one with `seedkit export RUN`)")
    top = tops.pop()
    if not any(m.name == f"{top}/{EXPORT_INDEX}" for m in members):
        raise SettingsError(f"import: {archive} has no {top}/{EXPORT_INDEX}: make archives with `seedkit export RUN`")
    return top, members


def import_run(archive: str | os.PathLike[str], runs_dir: str | os.PathLike[str] = "", name: str | None = None,
               force: bool = False, say: Callable[[str], None] = print) -> Path:
    """Unpack an exported run into the runs folder, every file checked against its manifest; returns the run's path."""
    archive = Path(archive)
    if not archive.is_file():
        raise SettingsError(f"import: {archive} does not exist")
    runs_root = Path(runs_dir or default_runs_dir())
    t0 = time.time()
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError) as e:
        raise SettingsError(f"import: {archive} is not a readable archive ({e}); export it again") from None
    with tar:
        try:
            top, members = _members(tar, archive)
        except (tarfile.TarError, OSError, EOFError) as e:
            raise SettingsError(f"import: {archive} is damaged or truncated ({type(e).__name__}: {e}); "
                                "copy or export it again") from None
        target = run_dir(name or top, runs_root)
        if target.exists() and not force:
            raise SettingsError(f"import: run {target.name} already exists in {runs_root}; pass --force to replace it, "
                                f"--name NEW to import it under another name, or --runs-dir elsewhere")
        runs_root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=runs_root, prefix=f".{target.name}.import-"))
        try:
            try:
                tar.extractall(work, members=members, filter="data")
            except (tarfile.TarError, OSError, EOFError) as e:
                raise SettingsError(f"import: {archive} is damaged or truncated ({type(e).__name__}: {e}); "
                                    "copy or export it again") from None
            new = work / top
            problems = []
            n_stages = 0
            for s in STAGES:
                state, probs = verify_stage(new / s, full=True)  # every byte, and remembered for cheap later checks
                if state == "missing":
                    continue
                n_stages += 1
                problems += [f"{s}: {p}" for p in probs]
            if problems:
                raise SettingsError(f"import: {archive} does not match its manifests ({problems[0]}"
                                    + (f"; {len(problems) - 1} more" if len(problems) > 1 else "")
                                    + "): copy or export it again")
            index = json.loads((new / EXPORT_INDEX).read_text(encoding="utf-8"))
            index["imported_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            atomic_write_json(new / EXPORT_INDEX, index)
            make_readable(new)  # an archive made before files were written readable holds 0600 ones
            old = None
            if target.exists():
                old = work / ".replaced"
                os.replace(target, old)
            os.replace(new, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    profile = index.get("profile") or "?"
    say(f"imported run {target.name} ({profile}; {n_stages} stage(s), {_human(size)}; every file matches its "
        f"manifest) into {target} in {time.time() - t0:.1f} s; open any notebook with profile = {profile!r} and "
        f"run_name = {target.name!r}, or: seedkit run --profile {profile} --run-name {target.name}"
        + (f" --runs-dir {runs_root}" if runs_dir else ""))
    return target


