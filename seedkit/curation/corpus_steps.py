"""Stage 01's corpus-level work: repository, exact and near deduplication and decontamination, each
deciding from the files' fingerprints (``seedkit.curation.corpus``), and the kept files of each
repository concatenated in dependency order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seedkit.curation.chain import REASON_COL, ShardWriter, empty_dataset, iter_shards
from seedkit.curation.corpus import (
    decontamination_decisions,
    exact_dedup_decisions,
    near_dedup_decisions,
    repo_dedup_decisions,
)
from seedkit.curation.records import Split, column, dropped_row, features, no_drops, signatures
from seedkit.curation.repos import dependency_order, repo_text
from seedkit.curation.settings import CurationSettings


def split_by(s: CurationSettings, ds: Any, decisions: list[Any], step: str, workdir: Path) -> Split:
    """The kept files and the dropped rows from per-file decisions (None = kept, else (reason, detail))."""
    keep = [i for i, d in enumerate(decisions) if d is None]
    drop = [i for i, d in enumerate(decisions) if d is not None]
    w = ShardWriter(workdir / f"{step}-dropped.arrow", features("dropped"))
    if not drop:
        return Split(ds, w.dataset())
    it = iter(drop)
    for shard in iter_shards(ds.select(drop), ("repo", "path", "language", "content", "size_bytes")):
        rows = []
        for d in shard:
            reason, detail = decisions[next(it)]
            rows.append(dropped_row({**d, "step": step, REASON_COL: reason, "detail": detail}, s.dropped_content_chars))
        w.write(rows)
    # a selection is saved (StageRun.step) in 100-row batches: see small_save_batches
    return Split(ds.select(keep) if keep else empty_dataset(ds.features), w.dataset())


def repo_dedup_split(s: CurationSettings, files: Any, workdir: Path) -> Split:
    """Whole repositories that copy an earlier one, exactly or nearly, go."""
    if not (s.exact_dedup or s.near_dedup):
        return no_drops(files)
    sig, valid = signatures(files) if s.near_dedup else (None, None)
    decisions = repo_dedup_decisions(column(files, "repo"), column(files, "sha256"), sig, valid, exact=s.exact_dedup,
                                     near=s.near_dedup, bands=s.lsh_bands, rows=s.lsh_rows,
                                     min_jaccard=s.near_dup_min_jaccard)
    return split_by(s, files, decisions, "repo_dedup", workdir)


def exact_dedup_split(s: CurationSettings, files: Any, workdir: Path) -> Split:
    """Files whose normalised text equals an earlier file's go."""
    if not s.exact_dedup:
        return no_drops(files)
    decisions = exact_dedup_decisions(column(files, "repo"), column(files, "path"), column(files, "sha256"))
    return split_by(s, files, decisions, "exact_dedup", workdir)


def near_dedup_split(s: CurationSettings, files: Any, workdir: Path) -> Split:
    """Files in a MinHash LSH cluster with an earlier file go."""
    if not s.near_dedup:
        return no_drops(files)
    sig, valid = signatures(files)
    decisions = near_dedup_decisions(column(files, "repo"), column(files, "path"), sig, valid, bands=s.lsh_bands,
                                     rows=s.lsh_rows, min_jaccard=s.near_dup_min_jaccard)
    return split_by(s, files, decisions, "near_dedup", workdir)


def decontamination_split(s: CurationSettings, files: Any, workdir: Path) -> Split:
    """Files sharing a ``decontam_ngram``-gram with a benchmark problem go."""
    if not s.decontaminate:
        return no_drops(files)
    decisions = decontamination_decisions(column(files, "contamination"), s.decontam_ngram)
    return split_by(s, files, decisions, "decontamination", workdir)


def repository_rows(files: Any, workdir: Path) -> Any:
    """One row per repository, its kept files concatenated with dependencies first.

    Files are visited sorted by repository, so only one repository is in memory at a time."""
    repos = column(files, "repo")
    order = sorted(range(len(repos)), key=lambda i: (repos[i], i))
    w = ShardWriter(workdir / "repos.arrow", features("repos"))
    current: list[dict[str, Any]] = []

    def flush() -> None:
        if current:
            ordered = dependency_order(current)
            w.write([{"repo": current[0]["repo"], "content": repo_text(ordered),
                      "languages": sorted({f["language"] for f in ordered}), "num_files": len(ordered)}])
            current.clear()

    if order:
        for shard in iter_shards(files.select(order), ("repo", "path", "language", "content")):
            for f in shard:
                if current and f["repo"] != current[0]["repo"]:
                    flush()
                current.append(f)
        flush()
    return w.dataset()
