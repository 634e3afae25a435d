"""Peers of the kit's near deduplication, and the corpus they all run on.

Corpus (deterministic, seed 0): every ``*.py`` file of the running interpreter's standard library
(site-packages excluded) plus injected ground truth:

* near duplicates: random stdlib files of 2-50 KiB, each copied with 2 identifiers renamed
  throughout, 2 non-blank lines deleted and 1 comment line inserted;
* exact copies of other random files from the same size band.

Peers, each reading ``corpus.jsonl`` and returning the ids it would remove:

* **datasketch** (``MinHash`` with 112 permutations + ``MinHashLSH(params=(14, 8))``, one process):
  word 5-gram shingles of ``[^\\W_]+`` tokens of the lower-cased text; candidate pairs are unioned
  into clusters and all but the smallest id of each cluster removed (what datatrove's cluster
  stage does);
* **datatrove**'s four MinHash stages (``MinhashDedupSignature`` / ``Buckets`` / ``Cluster`` /
  ``Filter`` with ``MinhashConfig()``: word 5-grams, 14 buckets x 8 hashes, 64-bit xxhash) on
  ``LocalPipelineExecutor`` with one worker (so one core, like the others). Its word tokenizer is
  the same ``[^\\W_]+`` regex passed in as a ``WordTokenizer``: datatrove's default for English is
  spaCy, which the kit does not install, and the regex is what the other two use.

A pair counts as caught when either of its two files was removed (:func:`score`).
"""

from __future__ import annotations

import builtins
import collections
import gzip
import json
import keyword
import os
import random
import re
import shutil
import string
import sysconfig
from pathlib import Path

SEED = 0
MIN_BYTES, MAX_BYTES = 2 * 1024, 50 * 1024
TOKEN_RE = re.compile(r"[^\W_]+")
_IDENT = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_RESERVED = set(keyword.kwlist) | set(getattr(keyword, "softkwlist", [])) | set(dir(builtins)) | {"self", "cls"}


# --------------------------------------------------------------------------- corpus


def stdlib_files(stdlib: str) -> list[str]:
    out = []
    for root, dirs, files in os.walk(stdlib):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
        out += [os.path.relpath(os.path.join(root, f), stdlib) for f in sorted(files) if f.endswith(".py")]
    return sorted(out)


def near_copy(text: str, rng: random.Random) -> str:
    counts = collections.Counter(_IDENT.findall(text))
    names = sorted(n for n, c in counts.items() if c >= 2 and len(n) >= 3 and n not in _RESERVED)
    for old in rng.sample(names, min(2, len(names))):
        text = re.sub(r"\b" + re.escape(old) + r"\b", "".join(rng.choice(string.ascii_lowercase) for _ in range(8)), text)
    lines = text.split("\n")
    for i in sorted(rng.sample([i for i, ln in enumerate(lines) if ln.strip()], 2), reverse=True):
        del lines[i]
    words = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8))) for _ in range(5))
    lines.insert(rng.randrange(len(lines) + 1), "# " + words)
    return "\n".join(lines)


def build_corpus(out_dir: str | Path, n_near: int = 300, n_exact: int = 100, stdlib: str | None = None) -> dict:
    """Write ``corpus.jsonl`` (id, path, text) and ``ground_truth.json`` into ``out_dir``; returns the meta."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stdlib = stdlib or sysconfig.get_paths()["stdlib"]
    rng = random.Random(SEED)
    base = []
    for rel in stdlib_files(stdlib):
        raw = Path(stdlib, rel).read_bytes()
        base.append({"path": rel, "text": raw.decode("utf-8", errors="replace"), "nbytes": len(raw)})
    band = [i for i, d in enumerate(base) if MIN_BYTES <= d["nbytes"] <= MAX_BYTES]
    near_src = rng.sample(band, n_near)
    exact_src = rng.sample([i for i in band if i not in set(near_src)], n_exact)
    docs = [{"key": ("orig", i), "path": d["path"], "text": d["text"]} for i, d in enumerate(base)]
    docs += [{"key": ("near", i), "path": "injected/near/" + base[i]["path"], "text": near_copy(base[i]["text"], rng)}
             for i in near_src]
    docs += [{"key": ("exact", i), "path": "injected/exact/" + base[i]["path"], "text": base[i]["text"]} for i in exact_src]
    rng.shuffle(docs)
    ids = {}
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for n, d in enumerate(docs):
            ids[d["key"]] = f"{n:06d}"
            fh.write(json.dumps({"id": f"{n:06d}", "path": d["path"], "text": d["text"]}, ensure_ascii=False) + "\n")
    gt = {"near_pairs": [[ids[("orig", i)], ids[("near", i)]] for i in near_src],
          "exact_pairs": [[ids[("orig", i)], ids[("exact", i)]] for i in exact_src]}
    (out / "ground_truth.json").write_text(json.dumps(gt))
    meta = {"n_files": len(docs), "text_MB": round(sum(len(d["text"].encode()) for d in docs) / 1e6, 2),
            "n_near_pairs": n_near, "n_exact_pairs": n_exact, "seed": SEED}
    (out / "corpus_meta.json").write_text(json.dumps(meta))
    return meta


def read_corpus(corpus_dir: str | Path) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    with open(Path(corpus_dir) / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            ids.append(d["id"])
            texts.append(d["text"])
    return ids, texts


def score(removed: set[str], gt: dict) -> dict:
    near, exact = gt["near_pairs"], gt["exact_pairs"]
    injected = {x for p in near + exact for x in p}
    caught_near = sum(1 for a, b in near if a in removed or b in removed)
    caught_exact = sum(1 for a, b in exact if a in removed or b in removed)
    return {"removed": len(removed), "near_recall": round(caught_near / len(near), 4),
            "exact_recall": round(caught_exact / len(exact), 4), "removed_outside_injected_pairs": len(removed - injected)}


# --------------------------------------------------------------------------- datasketch


def shingles(text: str, n: int = 5) -> set[bytes]:
    toks = TOKEN_RE.findall(text.lower())
    return {" ".join(toks[i:i + n]).encode("utf-8") for i in range(len(toks) - n + 1)}


def datasketch_removed(corpus_dir: str | Path) -> set[str]:
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    ids, texts = read_corpus(corpus_dir)
    sigs = {}
    for i, t in zip(ids, texts, strict=True):
        sh = shingles(t)
        if sh:  # as datatrove: a text without any 5-gram gets no signature
            m = MinHash(num_perm=112, seed=1)
            m.update_batch(list(sh))
            sigs[i] = LeanMinHash(m)
    lsh = MinHashLSH(num_perm=112, params=(14, 8))
    with lsh.insertion_session() as sess:
        for i, m in sigs.items():
            sess.insert(i, m)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for i, m in sigs.items():
        for j in lsh.query(m):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    return {x for x in parent if find(x) != x}


# --------------------------------------------------------------------------- datatrove


def _regex_tokenizer():
    from datatrove.utils.word_tokenizers import WordTokenizer

    class RegexWordTokenizer(WordTokenizer):
        """``[^\\W_]+`` words: what datasketch's shingles and the kit's tokens use."""

        def word_tokenize(self, text: str) -> list[str]:
            return TOKEN_RE.findall(text)

        def sent_tokenize(self, text: str) -> list[str]:
            return [text]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    return RegexWordTokenizer()


def datatrove_removed(corpus_dir: str | Path, work_dir: str | Path) -> set[str]:
    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    w = Path(work_dir)
    shutil.rmtree(w, ignore_errors=True)
    cfg = MinhashConfig()
    reader = lambda: JsonlReader(str(corpus_dir), glob_pattern="corpus.jsonl")  # noqa: E731
    stages = [
        LocalPipelineExecutor(pipeline=[reader(), MinhashDedupSignature(output_folder=str(w / "sig"), config=cfg,
                                                                         language=_regex_tokenizer())],
                              tasks=1, workers=1, logging_dir=str(w / "logs1")),
        LocalPipelineExecutor(pipeline=[MinhashDedupBuckets(input_folder=str(w / "sig"), output_folder=str(w / "buckets"),
                                                            config=cfg)],
                              tasks=cfg.num_buckets, workers=1, logging_dir=str(w / "logs2")),
        LocalPipelineExecutor(pipeline=[MinhashDedupCluster(input_folder=str(w / "buckets"), output_folder=str(w / "ids"),
                                                            config=cfg)],
                              tasks=1, workers=1, logging_dir=str(w / "logs3")),
        LocalPipelineExecutor(pipeline=[reader(), MinhashDedupFilter(input_folder=str(w / "ids"),
                                                                     exclusion_writer=JsonlWriter(str(w / "removed"))),
                                        JsonlWriter(str(w / "kept"))],
                              tasks=1, workers=1, logging_dir=str(w / "logs4")),
    ]
    for ex in stages:
        ex.run()
    removed = set()
    for fp in (w / "removed").glob("*"):
        with (gzip.open if fp.suffix == ".gz" else open)(fp, "rt", encoding="utf-8") as fh:
            removed.update(json.loads(line)["id"] for line in fh)
    return removed
