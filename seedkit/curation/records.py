"""What stage 01's datasets hold: their columns and schemas, the rows a kept or dropped file becomes,
and the product every filter and dedup step returns (:class:`Split`: the files it kept and the ones
it dropped, each dropped row naming its step, reason and detail)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from seedkit.curation.chain import REASON_COL, empty_dataset
from seedkit.curation.funnel import arrow_table
from seedkit.curation.languages import language_of
from seedkit.curation.sources import content_id, record_id

STAGE = "01_curation"
FILE_COLUMNS = ("id", "repo", "path", "language", "content", "size_bytes", "num_lines", "source")
FILTER_STEPS = ("read", "language", "basic_filters", "syntax")
STEP_ORDER = (*FILTER_STEPS, "secrets", "repo_dedup", "exact_dedup", "near_dedup", "decontamination")
RECORD_COLUMNS = ("order", "origin", "repo", "path", "abs_path", "language", "content", "size_bytes", "num_lines",
                  "source", "listing_error", "redactions", "syntax_note")


@dataclass
class Split:
    """What a filter or dedup step made of its input: the files it ``kept`` and the rows of the ones it
    ``dropped`` (``dropped/`` schema: step, reason, detail and the start of the text)."""

    kept: Any  # datasets.Dataset
    dropped: Any  # datasets.Dataset


def features(kind: str, num_perm: int = 112) -> Any:
    """The ``datasets.Features`` of one of the stage's datasets (records, fingerprinted, files, repos,
    commits, web, dropped)."""
    import datasets as hf

    v = hf.Value
    record = {c: v("int64") if c in ("order", "size_bytes", "num_lines") else v("string") for c in RECORD_COLUMNS}
    return {
        "records": hf.Features(record),
        "fingerprinted": hf.Features({**record, "sha256": v("string"),
                                      "minhash": hf.List(v("uint32"), length=num_perm),
                                      "minhash_valid": v("bool"), "contamination": v("string")}),
        "files": hf.Features({"id": v("string"), "repo": v("string"), "path": v("string"), "language": v("string"),
                              "content": v("string"), "size_bytes": v("int64"), "num_lines": v("int64"),
                              "source": v("string")}),
        "repos": hf.Features({"repo": v("string"), "content": v("string"), "languages": hf.List(v("string")),
                              "num_files": v("int64")}),
        "commits": hf.Features({"id": v("string"), "repo": v("string"), "commit": v("string"), "message": v("string"),
                                "context": v("string"), "target": v("string"), "text": v("string"),
                                "retrieved": hf.List(v("string"))}),
        "web": hf.Features({"id": v("string"), "path": v("string"), "title": v("string"), "text": v("string"),
                            "code_blocks": hf.List(v("string")), "code_score": v("float64"),
                            "kept_by": v("string")}),
        "dropped": hf.Features({"id": v("string"), "repo": v("string"), "path": v("string"), "language": v("string"),
                                "step": v("string"), "reason": v("string"), "detail": v("string"),
                                "content": v("string"), "size_bytes": v("int64")}),
    }[kind]


def small_dataset(kind: str, rows: list[dict[str, Any]]) -> Any:
    """A small in-memory dataset of one of the stage's kinds (an empty one keeps its schema)."""
    import datasets as hf

    feats = features(kind)
    if not rows:
        return empty_dataset(feats)
    return hf.Dataset.from_dict({k: [r.get(k) for r in rows] for k in feats}, features=feats)


def no_drops(files: Any) -> Split:
    """The product of a step that is turned off: everything kept, nothing dropped."""
    return Split(files, small_dataset("dropped", []))


def _lang(doc: dict[str, Any]) -> str:
    return doc.get("language") or language_of(doc.get("path") or "")[0] or "unknown"


def dropped_row(d: dict[str, Any], limit: int) -> dict[str, Any]:
    """A dropped document as a ``dropped/`` row (content cut to ``limit`` characters)."""
    content = d.get("content") or ""
    return {"id": record_id(d), "repo": str(d.get("repo") or ""), "path": str(d.get("path") or ""),
            "language": _lang(d), "step": d["step"], "reason": d[REASON_COL], "detail": str(d.get("detail") or ""),
            "content": content[:limit], "size_bytes": int(d.get("size_bytes") or 0)}


def file_row(d: dict[str, Any]) -> dict[str, Any]:
    """A kept document as a ``files/`` row (docs/contracts.md); ``id`` is the SHA-256 of its normalised text."""

    text = d["content"]
    return {"id": d.get("sha256") or content_id(text), "repo": d["repo"], "path": d["path"], "language": d["language"],
            "content": text, "size_bytes": len(text.encode("utf-8")),
            "num_lines": text.count("\n") + (0 if text.endswith("\n") else 1), "source": d["source"]}


def saveable(value: Any) -> Any:
    """A step product with every empty dataset in it replaced by one that loads back (see
    :func:`seedkit.curation.chain.empty_dataset`): a step may pass an empty input through."""
    import datasets

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: saveable(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, datasets.Dataset) and len(value) == 0:
        return empty_dataset(value.features)
    return value


def column(ds: Any, name: str) -> list[Any]:
    """One column of a dataset as a Python list (read from Arrow, no row dicts)."""
    return arrow_table(ds).column(name).to_pylist()


def signatures(ds: Any) -> tuple[Any, Any]:
    """(n x num_perm uint32 MinHash matrix, validity) of a fingerprinted dataset."""
    import numpy as np

    t = arrow_table(ds)
    n = t.num_rows
    if n == 0:
        return np.zeros((0, 0), np.uint32), np.zeros(0, bool)
    flat = t.column("minhash").combine_chunks().flatten()
    return np.asarray(flat, dtype=np.uint32).reshape(n, -1), np.asarray(t.column("minhash_valid").to_pylist(), bool)


def progress(total: int, desc: str) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="file", leave=False)


@dataclass
class Sources:
    """One record per file or dataset row of every source, in the stage's order (texts not yet read)."""

    records: Any  # datasets.Dataset, RECORD_COLUMNS
    # per installed distribution read: name, version, license, license_field, files_available, files, bytes
    distributions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Fingerprints:
    """The files with their fingerprints: ``sha256``, ``minhash`` (uint32 signature), ``minhash_valid``
    (False for a file without a word) and ``contamination`` (the benchmark n-gram it shares, if any)."""

    files: Any  # datasets.Dataset


@dataclass
class Repos:
    """One row per repository: its kept files concatenated in dependency order."""

    repos: Any  # datasets.Dataset
