"""Corpus-level decisions from fingerprints: whole copied repositories."""

from __future__ import annotations

import numpy as np

from fixtures.curation_docs import BASE, GOOD_PY, doc
from seedkit.curation.corpus import Fingerprinter, FingerprintOptions, fingerprint_shard, repo_dedup_decisions
from seedkit.curation.settings import CurationSettings


def fingerprinted(docs: list[dict], s: CurationSettings) -> tuple[list[dict], object]:
    return fingerprint_shard(Fingerprinter(FingerprintOptions.from_settings(s, None)), docs)


def test_repo_level_dedup_drops_whole_copied_repositories():
    s = CurationSettings.from_params("tiny")
    docs = [doc(BASE, "a.py", "orig"), doc(GOOD_PY, "b.py", "orig"),
            doc(BASE, "a.py", "copy"), doc(GOOD_PY, "b.py", "copy"),
            doc(BASE + "\n# one more comment line here\n", "a.py", "fork"), doc(GOOD_PY, "b.py", "fork"),
            doc("print('unrelated')\n" * 3, "c.py", "other")]
    docs, sig = fingerprinted(docs, s)
    valid = np.array([d["minhash_valid"] for d in docs])
    kw = dict(bands=s.lsh_bands, rows=s.lsh_rows, min_jaccard=s.near_dup_min_jaccard)
    got = repo_dedup_decisions([d["repo"] for d in docs], [d["sha256"] for d in docs], sig, valid, exact=True, near=True, **kw)
    assert [g and g[0] for g in got] == [None, None, "exact_duplicate_repo", "exact_duplicate_repo",
                                        "near_duplicate_repo", "near_duplicate_repo", None]
    assert got[2][1] == "same content as repo orig" and got[4][1] == "near duplicate of repo orig"
    # exact only: the edited fork survives; nothing at all: every repository survives
    exact_only = repo_dedup_decisions([d["repo"] for d in docs], [d["sha256"] for d in docs], sig, valid, exact=True,
                                      near=False, **kw)
    assert [g and g[0] for g in exact_only][4:6] == [None, None]
