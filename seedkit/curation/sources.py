"""Sources of stage 01 and step 1 (read): every input becomes one document record.

A record is a plain dict (so it fits a ``datasets.Dataset`` row, a datatrove ``Document``'s
metadata, or a list in memory) with the contract's columns ``repo``, ``path``, ``language``,
``content``, ``size_bytes``, ``num_lines``, ``source`` plus ``abs_path`` (where to read it from;
empty for dataset rows). Listing never reads file contents and never raises on a bad entry: an
unlistable directory or a symlinked directory becomes a record that the read step drops with a
reason, so nothing is lost silently.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import sysconfig
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from seedkit.curation.filters import Verdict

SKIPPED_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".ipynb_checkpoints", ".venv", ".tox"}
BINARY_SNIFF_BYTES = 8192


def new_record(repo: str, path: str, abs_path: str = "", source: str = "repos", content: str = "",
               language: str = "", listing_error: str = "") -> dict[str, Any]:
    """One document row with every column the steps read or write."""
    return {"id": "", "repo": repo, "path": path, "abs_path": abs_path, "language": language,
            "content": content, "size_bytes": len(content.encode("utf-8")) if content else 0,
            "num_lines": 0, "source": source, "listing_error": listing_error, "redactions": "",
            "syntax_note": ""}


def list_repo_dir(root: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every record of :func:`iter_repo_dir` as a list."""
    return list(iter_repo_dir(root))


def iter_repo_dir(root: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Records for every file under ``root``; each top-level folder is one repository.

    Files directly under ``root`` get repo ``loose-files``. Symlinked directories are not followed
    (a loop would never end) and become ``symlink_dir`` records; unlistable directories become
    ``unreadable_dir`` records. A generator: a folder of a million files is never listed in memory.
    """
    root = Path(root)
    if not root.is_dir():
        yield new_record(root.name, "", str(root), listing_error="missing_source_dir")
        return

    def split(rel: str) -> tuple[str, str]:
        parts = rel.split(os.sep)
        return ("loose-files", rel) if len(parts) == 1 else (parts[0], "/".join(parts[1:]))

    errors: list[dict[str, Any]] = []

    def onerror(err: OSError) -> None:
        rel = os.path.relpath(err.filename, root) if err.filename else "?"
        errors.append(new_record(*split(rel), str(err.filename), listing_error="unreadable_dir"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        yield from errors
        errors.clear()
        keep_dirs = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d in SKIPPED_DIRS:
                continue
            if os.path.islink(full):
                yield new_record(*split(os.path.relpath(full, root)), full, listing_error="symlink_dir")
                continue
            keep_dirs.append(d)
        dirnames[:] = keep_dirs
        for f in sorted(filenames):
            full = os.path.join(dirpath, f)
            yield new_record(*split(os.path.relpath(full, root)), full)
    yield from errors


def list_single_files(paths: Iterable[str | os.PathLike[str]]) -> list[dict[str, Any]]:
    return [new_record("single-files", Path(p).name, str(p)) for p in paths]


def stdlib_sample(n_files: int, seed: int = 0, stdlib: str | None = None) -> list[dict[str, Any]]:
    """A bounded, seeded sample of the running interpreter's standard library (*.py files).

    Real code nobody in the kit wrote. Repository = top-level module or package
    (``python-stdlib/json``), so repository-level steps have something to group.
    """
    if n_files <= 0:
        return []
    stdlib = stdlib or sysconfig.get_paths()["stdlib"]
    rels = []
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and d != "site-packages")
        for f in sorted(filenames):
            if f.endswith(".py"):
                rels.append(os.path.relpath(os.path.join(dirpath, f), stdlib))
    rels.sort()
    pick = sorted(random.Random(seed).sample(rels, min(n_files, len(rels))))
    out = []
    for rel in pick:
        top = rel.split(os.sep)[0].removesuffix(".py")
        out.append(new_record(f"python-stdlib/{top}", rel.replace(os.sep, "/"), os.path.join(stdlib, rel)))
    return out


def list_dataset(path: str | os.PathLike[str], content_column: str = "content") -> list[dict[str, Any]]:
    """Every record of :func:`iter_dataset` as a list."""
    return list(iter_dataset(path, content_column))


def iter_dataset(path: str | os.PathLike[str], content_column: str = "content") -> Iterator[dict[str, Any]]:
    """Rows of a JSONL / Parquet file or a ``save_to_disk`` folder as records (source ``dataset``).

    Optional columns ``repo``, ``path`` and ``language`` are used when present. A row without the
    content column is kept as a record the read step drops (``missing_content``). Rows are read a
    batch at a time, so a dump larger than memory streams through.
    """
    p = Path(path)
    name = p.name
    rows: Iterable[dict[str, Any]]
    if not p.exists():
        yield new_record(name, "", str(p), source="dataset", listing_error="missing_source_dir")
        return
    if p.is_dir():
        import datasets

        rows = _dataset_rows(datasets.load_from_disk(str(p)))
    elif p.suffix in (".jsonl", ".json") or p.name.endswith((".jsonl.gz", ".json.gz")):
        rows = _jsonl_rows(p)
    elif p.suffix == ".parquet":
        rows = _parquet_rows(p)
    else:
        yield new_record(name, "", str(p), source="dataset", listing_error="unknown_dataset_format")
        return
    for i, row in enumerate(rows):
        if "_bad_line" in row:
            yield new_record(name, f"line:{i + 1}", str(p), source="dataset", listing_error="bad_jsonl_line")
            continue
        content = row.get(content_column)
        rec = new_record(str(row.get("repo") or name), str(row.get("path") or f"row:{i}"), "", source="dataset",
                         content=content if isinstance(content, str) else "",
                         language=str(row.get("language") or "").lower())
        if not isinstance(content, str):
            rec["listing_error"] = "missing_content"
        yield rec


def _dataset_rows(ds: Any, batch: int = 512) -> Iterator[dict[str, Any]]:
    for b in ds.iter(batch_size=batch):
        keys = list(b)
        for i in range(len(b[keys[0]]) if keys else 0):
            yield {k: b[k][i] for k in keys}


def _parquet_rows(p: Path, batch: int = 512) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for rb in pq.ParquetFile(p).iter_batches(batch_size=batch):
        yield from rb.to_pylist()


def _jsonl_rows(p: Path) -> Iterator[dict[str, Any]]:
    import gzip

    opener: Any = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                yield {"_bad_line": True}
                continue
            yield row if isinstance(row, dict) else {"_bad_line": True}


# --------------------------------------------------------------------------- step 1: read


def decode_bytes(raw: bytes) -> tuple[str | None, str | None]:
    """Text of ``raw`` or (None, reason): binary (NUL bytes) or undecodable.

    UTF-8 first (nearly all code); charset-normalizer only when that fails, since detection on
    every file costs more than the rest of the chain.
    """
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        return None, "binary"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        return None, "undecodable"
    return str(best), None


class ReadStep:
    """Step 1: read a record's file with encoding detection; binary, empty, oversize rejected."""

    name = "read"

    def __init__(self, max_file_bytes: int = 256_000):
        self.max_file_bytes = max_file_bytes

    def __call__(self, doc: dict[str, Any]) -> Verdict:
        if doc.get("listing_error"):
            return False, doc["listing_error"]
        if doc.get("source") == "dataset":
            text = doc.get("content") or ""
            doc["size_bytes"] = len(text.encode("utf-8", errors="replace"))
            if "\x00" in text[:BINARY_SNIFF_BYTES]:
                return False, "binary"
        else:
            path = doc["abs_path"]
            try:
                st = os.stat(path)  # follows symlinks: loops and dangling links fail here
            except OSError as e:
                return False, _os_reason(e)
            import stat as stat_mod

            if not stat_mod.S_ISREG(st.st_mode):
                return False, "not_a_regular_file"
            doc["size_bytes"] = st.st_size
            if st.st_size == 0:
                return False, "empty"
            if st.st_size > self.max_file_bytes:
                return False, "oversize"
            try:
                with open(path, "rb") as fh:
                    raw = fh.read(self.max_file_bytes + 1)
            except OSError as e:
                return False, _os_reason(e)
            if len(raw) > self.max_file_bytes:  # grew since stat
                return False, "oversize"
            text, reason = decode_bytes(raw)
            if text is None:
                return False, reason
            doc["content"] = text
        if doc["size_bytes"] > self.max_file_bytes:
            return False, "oversize"
        text = doc["content"]
        if not text.strip():
            return False, "empty"
        doc["num_lines"] = text.count("\n") + (0 if text.endswith("\n") else 1)
        return True, None


def _os_reason(e: OSError) -> str:
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission_denied"
    if e.errno == errno.ELOOP:
        return "symlink_loop"
    if e.errno == errno.ENOENT:
        return "missing_or_dangling_link"
    return f"unreadable:{errno.errorcode.get(e.errno or 0, 'EIO')}"


# --------------------------------------------------------------------------- ids


def normalise(text: str) -> str:
    """Content as exact dedup sees it: newlines unified, trailing spaces and outer blank lines gone."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(ln.rstrip() for ln in lines).strip("\n")


def content_id(text: str) -> str:
    """sha256 of the normalised content (the contract's ``id``)."""
    return hashlib.sha256(normalise(text).encode("utf-8", errors="replace")).hexdigest()


def record_id(doc: dict[str, Any]) -> str:
    """id of a record: content hash when it has content, else a hash of where it came from."""
    if doc.get("content"):
        return content_id(doc["content"])
    return hashlib.sha256(f"{doc.get('repo')}/{doc.get('path')}|{doc.get('abs_path')}".encode()).hexdigest()
