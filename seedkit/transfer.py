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

from seedkit.config import NOTEBOOKS, RUN_SWITCH, STAGES, SettingsError, default_runs_dir, recorded_profile
from seedkit.files import atomic_write_json, atomic_write_text, make_readable
from seedkit.runs import (
    BASE,
    CHECKPOINTS,
    HANDOUT,
    IN_PROGRESS,
    VERIFIED,
    is_handout,
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


def _run_files(root: Path) -> list[tuple[Path, str]]:
    """(file, path in the run) of every file an export packs: a stage that is a reference to a hand-out's
    (``seedkit use``: a symlink) is packed as the files it holds; the reference to the hand-out
    (``base.json``) and what :func:`_skip` names are left out. Directories are implied by their files."""
    out = []
    for top in sorted(root.iterdir()):
        if top.name in (EXPORT_INDEX, BASE):
            continue
        if top.is_dir():
            real = top.resolve()
            out += [(p, f"{top.name}/{p.relative_to(real).as_posix()}") for p in sorted(real.rglob("*"))
                    if p.is_file() and not p.is_symlink() and not _skip((top.name, *p.relative_to(real).parts))]
        elif top.is_file() and not top.is_symlink() and not _skip((top.name,)):
            out.append((top, top.name))
    return out


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
            files = _run_files(root)
            from tqdm.auto import tqdm

            with tqdm(total=sum(p.stat().st_size for p, _ in files), unit="B", unit_scale=True,
                      desc=f"export {run_name}", leave=False, disable=None) as bar:
                for p, rel in files:
                    tar.add(str(p), arcname=f"{run_name}/{rel}", recursive=False, filter=_readable_member)
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
    where = f" --runs-dir {runs_root}" if runs_dir else ""
    say(f"imported run {target.name} ({profile}; {n_stages} stage(s), {_human(size)}; every file matches its "
        f"manifest) into {target} in {time.time() - t0:.1f} s; "
        + (f"it is a hand-out: `seedkit use {target.name}{where}` gives you a run of your own that reuses it and "
           "points the notebooks at it" if is_handout(target) else
           f"`seedkit use {target.name}{where}` points every notebook at it, or: seedkit run --profile {profile} "
           f"--run-name {target.name}{where}"))
    return target




# --------------------------------------------------------------------------- hand-outs in a room


def _writable(path: Path) -> bool:
    """Can this user write there (a folder not made yet: where its nearest existing parent allows)?"""
    p = Path(os.path.abspath(path))
    while not p.exists() and p != p.parent:
        p = p.parent
    return os.access(p, os.W_OK | os.X_OK)


def resolve_run_path(run: str | os.PathLike[str], runs_dir: str | os.PathLike[str] = "") -> Path:
    """A run's folder from its name (under ``runs_dir``) or a path to it; one-line error naming the runs there."""
    runs_root = Path(runs_dir or default_runs_dir())
    p = Path(run)
    if ("/" in str(run) or p.is_absolute()) and p.is_dir():
        return p
    root = run_dir(str(run), runs_root)
    if not root.is_dir():
        raise SettingsError(f"no run {str(run)!r} in {runs_root} (runs there: {_runs_there(runs_root)}); name "
                            "a run or give the path to one")
    return root


def make_handout(run: str, runs_dir: str | os.PathLike[str] = "", say: Callable[[str], None] = print) -> Path:
    """``seedkit handout RUN``: mark a finished run as a hand-out and make it read-only (every file readable by
    whoever may read the folder, none writable). Participants then work in runs of their own
    (:func:`use_run`), and the kit refuses to write a stage into it (:class:`seedkit.runs.HandoutError`)."""
    root = resolve_run_path(run, runs_dir)
    done = []
    for s in STAGES:
        state, problems = verify_stage(root / s, full=False)
        if state == "missing":
            continue
        if state != "done" or problems:
            raise SettingsError(f"handout: stage {s} of run {root.name} is not finished and intact ({problems[0]}); "
                                f"redo it or remove {root / s} first")
        done.append(s)
    if not done:
        raise SettingsError(f"handout: run {root.name} in {root.parent} has no finished stage")
    profile = str((manifest_state(root / done[0])[1] or {}).get("profile", ""))
    if not is_handout(root):
        atomic_write_json(root / HANDOUT, {"handout": 1, "run_name": root.name, "profile": profile, "stages": done,
                                           "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                           "participants": f"seedkit use {root.name}"})
    make_readable(root)
    for p in [*root.rglob("*"), root]:  # read-only to everyone, the instructor's own kernels included
        if not p.is_symlink() and p.stat().st_uid == os.getuid():
            os.chmod(p, p.stat().st_mode & ~0o222)
    say(f"run {root.name} ({profile}; stages {','.join(s[:2] for s in done)}) is a hand-out now: read-only, every "
        f"file readable; each participant runs `seedkit use {root.name}` (`chmod -R u+w {root}` and removing "
        f"{HANDOUT} undoes it)")
    return root


def fork_run(base: Path, name: str, runs_root: Path) -> Path:
    """A run of one's own named ``name`` that reuses ``base``'s finished stages by reference: a symlink per
    stage, so no model is copied and ``base`` is never written (a redone stage replaces its symlink with a
    folder of its own, :meth:`seedkit.runs.StageRun.start`). Called again, it points the stages it has not
    redone at ``base``'s current ones."""
    own = run_dir(name, runs_root)
    if own.resolve() == base.resolve():
        raise SettingsError(f"use: {name} is the hand-out itself; name your own run with --as NAME")
    if is_handout(own):
        raise SettingsError(f"use: run {name} in {runs_root} is a hand-out itself; name another run with --as NAME")
    own.mkdir(parents=True, exist_ok=True)
    atomic_write_json(own / BASE, {"base": str(base.resolve()), "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    for s in STAGES:
        mine = own / s
        if manifest_state(base / s)[0] != "done" or (mine.exists() and not mine.is_symlink()):
            continue
        if mine.is_symlink():
            mine.unlink()
        os.symlink((base / s).resolve(), mine, target_is_directory=True)
    return own


def use_run(run: str, name: str | None = None, runs_dir: str | os.PathLike[str] = "",
            switch_dir: str | os.PathLike[str] | None = None, say: Callable[[str], None] = print) -> Path:
    """``seedkit use RUN``: point every notebook at a run (``seedkit-run.yaml`` in ``switch_dir``, the
    notebooks' folder by default). A hand-out, or a run this user cannot write, is not opened itself: the
    notebooks open a run of one's own (``--as NAME``, default ``<run>-<user>``) that reuses its finished
    stages (:func:`fork_run`). Returns the run the notebooks open."""
    import getpass

    base = resolve_run_path(run, runs_dir)
    runs_root = Path(runs_dir or default_runs_dir())
    profile = recorded_profile(base.name, base.parent)
    target = base
    if is_handout(base) or not _writable(base) or (name and name != base.name):
        own_root = runs_root if _writable(runs_root) else Path(default_runs_dir())
        if not _writable(own_root):
            raise SettingsError(f"use: neither {runs_root} nor {own_root} is writable: name a runs folder of your own "
                                "with --runs-dir (or $SEEDKIT_RUNS_DIR)")
        target = fork_run(base, name or f"{base.name}-{getpass.getuser()}", own_root)
        say(f"use: run {base.name} is {'a hand-out' if is_handout(base) else 'not yours to write'}: your run "
            f"{target.name} in {target.parent} reuses its finished stages (symlinks, nothing copied); a stage you "
            f"redo is written there, never into {base.name}")
    switch = Path(switch_dir) if switch_dir is not None else NOTEBOOKS
    text = (f"# written by `seedkit use {run}`: the run every notebook here opens when its parameters cell names "
            f"none\nrun_name: {target.name}\nprofile: {profile or 'smol'}\nruns_dir: {target.parent.resolve()}\n")
    atomic_write_text(switch / RUN_SWITCH, text)
    say(f"use: notebooks in {switch} open run {target.name} (profile {profile or 'smol'}) from now on; "
        f"SEEDKIT_RUN=NAME overrides it for one kernel, a run_name in a parameters cell for one notebook")
    return target
