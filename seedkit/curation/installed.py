"""A real corpus that needs no network: the open-source distributions installed beside the kit.

Every distribution ``importlib.metadata`` finds (numpy, torch, pip, setuptools, ...; the kit itself
left out) is one repository, ``installed/<name>``. Its files are the entries of its ``RECORD`` that
the curation names a language for (``.py``, ``.pyi``, ``.h``, ``.js``, ...), each with its path as
``RECORD`` gives it, i.e. relative to the folder the distribution was installed into
(``numpy/linalg/_linalg.py``); they are read from there by the read step like any other file. Its
license comes from its metadata (:func:`license_of`) and its name and version go into the stage's
manifest, so a run says which code it read: a different installed version is a different input
(:func:`installed_fingerprint` keys the stage's settings hash).

Nothing is decided here about quality: vendored copies (``pip/_vendor/...``), generated files and
test suites come in as they are and the stage's filters and dedup steps drop what they drop.

Sampling (:func:`sample_files`) is deterministic and caps the number of files in all, per
distribution, and the bytes. Files are taken in the order of a seeded hash of their last two path
parts, so the same module in two distributions (``packaging/version.py`` and
``pip/_vendor/packaging/version.py``) is picked or left out together: a small sample still holds
the vendored copies that dedup should find.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata as md
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedkit.curation.languages import EXTENSION_TO_LANGUAGE, FILENAMES
from seedkit.curation.sources import new_record

KIT = "seedkit"
REPO_PREFIX = "installed/"
_NOT_A_LICENSE = {"", "unknown", "none", "n/a", "other", "license", "see license", "see license file"}


def normalise_name(name: str) -> str:
    """A distribution's name as packaging compares them (PEP 503): lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def license_of(meta: Any) -> tuple[str, str]:
    """(license, the metadata field it came from) of a distribution's metadata.

    ``License-Expression`` (an SPDX expression, PEP 639) when present; else a short ``License`` field
    ("MIT", "BSD-3-Clause"); else the ``License ::`` classifiers ("MIT License"); else the first line
    of a ``License`` field that holds a whole license text; else ``("unknown", "")``."""
    expr = (meta.get("License-Expression") or "").strip()
    if expr:
        return expr, "License-Expression"
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80 and text.lower() not in _NOT_A_LICENSE:
        return text, "License"
    names = [c.split("::")[-1].strip() for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")]
    names = [n for n in dict.fromkeys(names) if n and n != "OSI Approved"]
    if names:
        return "; ".join(names), "Classifier"
    first = text.splitlines()[0].strip() if text else ""
    if first and first.lower() not in _NOT_A_LICENSE:
        return (first if len(first) <= 80 else first[:77] + "..."), "License (text)"
    return "unknown", ""


@dataclass(frozen=True)
class Distribution:
    """One installed distribution as a repository: its code files, ``(path, size)`` with the path as
    its ``RECORD`` gives it (relative to ``location``)."""

    name: str
    version: str
    license: str
    license_field: str
    location: str
    files: tuple[tuple[str, int], ...]

    @property
    def repo(self) -> str:
        return REPO_PREFIX + self.name


def _is_code(rel: str) -> bool:
    """Whether the curation names a language for this path (:func:`language_of`, without building a path)."""
    name = rel.rsplit("/", 1)[-1].lower()
    return name in FILENAMES or ("." in name and "." + name.rsplit(".", 1)[1] in EXTENSION_TO_LANGUAGE)


def _code_files(dist: md.Distribution, location: Path) -> tuple[tuple[str, int], ...]:
    """The code files of a distribution's RECORD, (path, size), sorted by path (none without a RECORD:
    legacy egg installs and editable installs name no files of theirs)."""
    text = dist.read_text("RECORD") or ""
    out = []
    for row in csv.reader(text.splitlines()):
        if not row:
            continue
        rel = row[0].replace("\\", "/")
        parts = rel.split("/")
        if rel.startswith("/") or ".." in parts or "__pycache__" in parts or parts[0].endswith((".dist-info", ".egg-info")):
            continue  # scripts installed outside the distribution's folder, caches, its own metadata
        if not _is_code(rel):
            continue
        size = int(row[2]) if len(row) > 2 and row[2].isdigit() else _size(location / rel)
        out.append((rel, size))
    return tuple(sorted(out))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _candidates(only: Sequence[str] = (), path: Sequence[str] | None = None) -> list[tuple[md.Distribution, Any]]:
    """The distributions on ``path`` (default ``sys.path``), first of each name, the kit left out,
    ``only`` these names when given, sorted by normalised name."""
    wanted = {normalise_name(n) for n in only}
    seen: dict[str, tuple[md.Distribution, Any]] = {}
    for dist in md.distributions(path=list(path) if path is not None else sys.path):
        meta = dist.metadata
        name = meta["Name"] if meta else None
        if not name:
            continue
        key = normalise_name(name)
        if key == KIT or key in seen or (wanted and key not in wanted):
            continue
        seen[key] = (dist, meta)
    return [seen[k] for k in sorted(seen)]


def installed_distributions(only: Sequence[str] = (), path: Sequence[str] | None = None) -> list[Distribution]:
    """Every installed distribution but the kit (``only``: these names), sorted by normalised name,
    with its license, version and code files."""
    out = []
    for dist, meta in _candidates(only, path):
        lic, where = license_of(meta)
        location = Path(str(dist.locate_file("")))
        out.append(Distribution(name=meta["Name"], version=meta["Version"], license=lic, license_field=where,
                                location=str(location), files=_code_files(dist, location)))
    return out


_FINGERPRINTS: dict[tuple[Any, ...], str] = {}


def installed_fingerprint(only: Sequence[str] = ()) -> str:
    """A hash of the ``name==version`` of the distributions the source would read: a different
    installed version is a different input. Cached while no folder of ``sys.path`` changes."""
    key = (tuple(sorted(only)), *((p, _mtime(p)) for p in sys.path))
    if key not in _FINGERPRINTS:
        pins = sorted(f"{normalise_name(meta['Name'])}=={meta['Version']}" for _, meta in _candidates(only))
        _FINGERPRINTS[key] = hashlib.sha256("\n".join(pins).encode()).hexdigest()[:16]
    return _FINGERPRINTS[key]


def _mtime(p: str) -> int:
    try:
        return os.stat(p or ".").st_mtime_ns
    except OSError:
        return -1


def sample_key(seed: int, path: str) -> str:
    """The order files are sampled in: a seeded hash of the path's last two parts, the same for a
    module and its vendored copy."""
    tail = "/".join(path.split("/")[-2:])
    return hashlib.sha256(f"{seed}:{tail}".encode()).hexdigest()


@dataclass
class Sample:
    """What :func:`sample_files` picked: ``(distribution, path, size)`` in distribution and path order,
    and why it stopped (``all``, ``max_files``, ``max_bytes``)."""

    picked: list[tuple[Distribution, str, int]]
    stopped_by: str


def sample_files(dists: Iterable[Distribution], max_files: int, per_dist: int = 0, max_bytes: int = 0,
                 seed: int = 0) -> Sample:
    """At most ``max_files`` files in all, ``per_dist`` per distribution (0: no limit) and ``max_bytes``
    bytes (0: no limit), taken in :func:`sample_key` order; deterministic for a seed."""
    dists = list(dists)
    order = sorted(((sample_key(seed, p), normalise_name(d.name), p, size, i) for i, d in enumerate(dists) for p, size in d.files))
    taken: dict[int, int] = {}
    picked: list[tuple[int, str, int]] = []
    total = 0
    stopped_by = "all"
    for _key, _name, path, size, i in order:
        if len(picked) >= max_files:
            stopped_by = "max_files"
            break
        if per_dist and taken.get(i, 0) >= per_dist:
            continue
        if max_bytes and total + size > max_bytes:
            stopped_by = "max_bytes"
            break
        taken[i] = taken.get(i, 0) + 1
        picked.append((i, path, size))
        total += size
    picked.sort(key=lambda x: (normalise_name(dists[x[0]].name), x[1]))
    return Sample([(dists[i], p, size) for i, p, size in picked], stopped_by)


@dataclass
class InstalledSelection:
    """The source's records and, per distribution read, ``name``, ``version``, ``license``,
    ``license_field``, ``files_available`` (its code files) and ``files`` / ``bytes`` (those sampled)."""

    records: list[dict[str, Any]]
    distributions: list[dict[str, Any]]
    candidates: int
    files_available: int
    stopped_by: str

    @property
    def bytes(self) -> int:
        return sum(d["bytes"] for d in self.distributions)


def select_installed(max_files: int, per_dist: int = 0, max_mb: float = 0.0, seed: int = 0,
                     only: Sequence[str] = (), path: Sequence[str] | None = None) -> InstalledSelection:
    """The installed distributions as records of repositories ``installed/<name>`` (source ``repos``),
    sampled by :func:`sample_files`; nothing when ``max_files`` is 0."""
    if max_files <= 0:
        return InstalledSelection([], [], 0, 0, "off")
    dists = installed_distributions(only, path)
    sample = sample_files(dists, max_files, per_dist, int(max_mb * 1e6), seed)
    records: list[dict[str, Any]] = []
    per: dict[str, dict[str, Any]] = {}
    for d, rel, size in sample.picked:
        records.append(new_record(d.repo, rel, str(Path(d.location) / rel)))
        row = per.setdefault(d.name, {"name": d.name, "version": d.version, "license": d.license,
                                      "license_field": d.license_field, "files_available": len(d.files),
                                      "files": 0, "bytes": 0})
        row["files"] += 1
        row["bytes"] += size
    return InstalledSelection(records, list(per.values()), len(dists), sum(len(d.files) for d in dists),
                              sample.stopped_by)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m seedkit.curation.installed [N PER_DIST MB]``: what the source finds in this environment,
    and what a sample of N files (at most PER_DIST each, MB megabytes) would read, with the time it takes."""
    import time

    args = list(argv if argv is not None else sys.argv[1:])
    t = time.perf_counter()
    dists = installed_distributions()
    listed = time.perf_counter() - t
    files = sum(len(d.files) for d in dists)
    size = sum(s for d in dists for _, s in d.files)
    print(f"{len(dists)} installed distributions (the kit left out): {files} code files, {size / 1e6:.0f} MB; "
          f"listed in {listed:.1f} s")
    if args:
        n, per, mb = int(args[0]), int(args[1]) if len(args) > 1 else 0, float(args[2]) if len(args) > 2 else 0.0
        sel = select_installed(n, per, mb)
        print(f"sample installed_files={n} installed_files_per_dist={per} installed_max_mb={mb}: {len(sel.records)} "
              f"files, {sel.bytes / 1e6:.1f} MB, {len(sel.distributions)} distributions, stopped by {sel.stopped_by}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
