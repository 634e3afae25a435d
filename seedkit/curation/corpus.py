"""Corpus-level steps of stage 01: fingerprints per file, then decisions over columns.

Deduplication and decontamination compare files with each other or with the benchmarks, but they
need only each file's *fingerprints*, never its text at decision time:

* ``sha256``: SHA-256 of the normalised content (exact dedup; it is also the file's ``id``);
* ``minhash``: its MinHash signature over word n-grams (near dedup; a repository's signature is
  the element-wise minimum of its files');
* ``contamination``: the first benchmark problem it shares a 10-gram with, or "".

:func:`fingerprint_shard` computes all three in one pass over a shard of files (tokenising once:
the token hashes feed both the shingles and the benchmark n-grams). The ``*_decisions`` functions
then take columns (lists and a signature matrix) and answer, per file, ``None`` (kept) or
``(reason, detail)``. The in-process stage and the datatrove pipeline both call them, so they
cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seedkit.curation.decontam import Decontaminator
from seedkit.curation.dedup import (
    EMPTY_SIGNATURE,
    TokenHasher,
    exact_duplicates,
    lsh_clusters,
    minhash_signatures,
    ngram_hashes,
    tokens_of,
    union_signatures,
)
from seedkit.curation.sources import content_id

Decision = tuple[str, str] | None


@dataclass
class FingerprintOptions:
    """What :func:`fingerprint_shard` computes (from the stage settings)."""

    ngram: int = 5
    num_perm: int = 112
    seed: int = 1
    near: bool = True
    decontaminator: Decontaminator | None = None

    @classmethod
    def from_settings(cls, s: Any, decontaminator: Decontaminator | None) -> FingerprintOptions:
        return cls(s.shingle_ngram, s.lsh_bands * s.lsh_rows, s.minhash_seed, s.near_dedup, decontaminator)


class Fingerprinter:
    """Per-process state of the fingerprint pass: options plus a memoising token hasher."""

    def __init__(self, options: FingerprintOptions):
        self.options = options
        self.hasher = TokenHasher()

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["options"])  # type: ignore[misc]


def fingerprint_shard(fp: Fingerprinter, shard: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], np.ndarray]:
    """(the shard's docs with ``sha256``, ``minhash_valid`` and ``contamination`` set, their
    (len(shard), num_perm) uint32 MinHash signatures; all-max rows for texts without a token)."""
    o = fp.options
    sig = np.full((len(shard), o.num_perm), EMPTY_SIGNATURE, dtype=np.uint32)
    toks = [fp.hasher.hashes(tokens_of(d["content"])) for d in shard]
    if o.near and shard:
        sh = [ngram_hashes(t, o.ngram) for t in toks]
        sig = minhash_signatures(sh, o.num_perm, o.seed)
        for d, s in zip(shard, sh, strict=True):
            d["minhash_valid"] = bool(len(s))
    else:
        for d in shard:
            d["minhash_valid"] = False
    for d, t in zip(shard, toks, strict=True):
        d["sha256"] = content_id(d["content"])
        d["contamination"] = ""
        if o.decontaminator is not None:
            bad, why = o.decontaminator.check(d["content"], t)
            if bad and why:
                d["contamination"] = why.split(" with ", 1)[-1]
    return shard, sig


# --------------------------------------------------------------------------- decisions


def repo_dedup_decisions(repos: Sequence[str], shas: Sequence[str], sig: np.ndarray | None,
                         valid: np.ndarray | None, *, exact: bool, near: bool, bands: int, rows: int,
                         min_jaccard: float) -> list[Decision]:
    """Whole repositories that duplicate an earlier one (first appearance wins) go, every file of them.

    Exact: the sorted content hashes of the repository's files are equal. Near: the MinHash of a
    repository (the element-wise minimum of its files' signatures, i.e. the MinHash of the union of
    their shingles) falls in the same LSH bucket and agrees on ``min_jaccard`` of its positions.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(repos):
        groups[r].append(i)
    names = list(groups)
    fate: dict[str, tuple[str, str]] = {}
    if exact:
        keys = ["\n".join(sorted(shas[i] for i in groups[r])) for r in names]
        for i, j in enumerate(exact_duplicates(keys)):
            if j is not None:
                fate[names[i]] = ("exact_duplicate_repo", f"same content as repo {names[j]}")
    if near and sig is not None and valid is not None:
        live = [k for k in range(len(names)) if names[k] not in fate]
        rsig, rvalid = union_signatures(sig, valid, [groups[names[k]] for k in live])
        for k, j in enumerate(lsh_clusters(rsig, bands, rows, min_jaccard, rvalid)):
            if j is not None:
                fate[names[live[k]]] = ("near_duplicate_repo", f"near duplicate of repo {names[live[j]]}")
    return [fate.get(r) for r in repos]


def exact_dedup_decisions(repos: Sequence[str], paths: Sequence[str], shas: Sequence[str]) -> list[Decision]:
    """Files whose normalised content equals an earlier file's."""
    first: dict[str, int] = {}
    out: list[Decision] = []
    for i, h in enumerate(shas):
        j = first.setdefault(h, i)
        out.append(None if j == i else ("exact_duplicate", f"of {repos[j]}/{paths[j]}"))
    return out


def near_dedup_decisions(repos: Sequence[str], paths: Sequence[str], sig: np.ndarray, valid: np.ndarray, *,
                         bands: int, rows: int, min_jaccard: float) -> list[Decision]:
    """Files in an LSH cluster with an earlier file (the first member of each cluster is kept)."""
    res = lsh_clusters(sig, bands, rows, min_jaccard, valid)
    return [None if j is None else ("near_duplicate", f"of {repos[j]}/{paths[j]}") for j in res]


def decontamination_decisions(contamination: Sequence[str], ngram: int = 10) -> list[Decision]:
    """Files that share an n-gram with a benchmark problem (found by the fingerprint pass)."""
    return [(f"contaminated:{c}", f"{ngram}-gram overlap with {c}") if c else None for c in contamination]
