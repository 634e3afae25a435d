"""Step 6: exact and near deduplication, usable on any list of texts (stage 04 calls these too).

Exact: SHA-256 of the normalised text (:func:`seedkit.curation.sources.normalise`).

Near: MinHash over word n-gram shingles, then banded LSH (``bands`` x ``rows``), candidates
verified by their signature Jaccard and merged with union-find; the first member of each cluster
(in input order) is kept. A pair of true Jaccard ``s`` shares at least one band with probability
``1 - (1 - s**rows)**bands``: for the default 14 x 8, 0.99 at s=0.85, 0.92 at 0.8, 0.57 at 0.7.

Which MinHash, chosen by measurement (stdlib, 1,790 files, 31.5 MB, one core, 112 permutations):
shingles are hashed in numpy (token -> xxh64 once per distinct token, then the n-gram hash is a
vectorised rolling combine: 0.5 s) and the flat hash buffer goes to rensa's Rust
``RMinHash.digest_matrix_from_flat_token_hashes`` (0.2 s for all files). The same shingle hashes
through a numpy broadcast ``min((a*x+b) mod 2^64)`` took 0.93 s, and building 5-gram strings for
datasketch or rensa's string API costs more than all of that (peer datasketch: ~410 files/s).
Tokenising (a regex) is what remains dominant.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from seedkit.curation.sources import normalise

# Tokens are lower-cased runs of Unicode letters and digits; '_' and punctuation split them.
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese) give
# one token per character, as their dedup usually does, so an edited copy still shares most of its
# shingles. Python's \w excludes combining marks, which would cut Indic, Hebrew and Arabic words at
# every vowel sign: those blocks are matched as runs of their own. ASCII text (nearly all code) goes
# through a bytes regex; see tokens_of. The ASCII-only tokens this replaced dropped every other
# character, so files in other scripts were compared on their few ASCII words alone (locale files
# in 9 scripts were removed as near duplicates of each other). Cost, measured by
# bench/bench_curation.py (stdlib + injected copies, 2,190 files): the same files per CPU-second as
# the ASCII-only tokens (ratio 1.00).
TOKEN_RE = re.compile(rb"[a-z0-9]+")
_NO_SPACE_SCRIPTS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
                     "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f")
_MARKED_SCRIPTS = "\u0590-\u07bf\u0900-\u0dff\u0f00-\u0fff"  # Hebrew..Thaana, Devanagari..Sinhala, Tibetan
UNICODE_TOKEN_RE = re.compile(f"[{_NO_SPACE_SCRIPTS}]|[{_MARKED_SCRIPTS}]+|[^\\W_{_NO_SPACE_SCRIPTS}{_MARKED_SCRIPTS}]+")
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_FNV = np.uint64(1099511628211)
_S33 = np.uint64(33)
_NOT_LOW_BIT = (1 << 64) - 2


# --------------------------------------------------------------------------- exact


def exact_duplicates(texts: Sequence[str]) -> list[int | None]:
    """For each text, the index of the earlier text it duplicates exactly (normalised), else None."""
    first: dict[bytes, int] = {}
    out: list[int | None] = []
    for i, t in enumerate(texts):
        h = hashlib.sha256(normalise(t).encode("utf-8", errors="replace")).digest()
        j = first.setdefault(h, i)
        out.append(None if j == i else j)
    return out


# --------------------------------------------------------------------------- shingles


class TokenHasher:
    """Maps tokens to stable 64-bit hashes (xxh64), memoised: code repeats its identifiers.

    The lowest bit of a token's hash says whether the token is a number (1) or holds a letter
    (0): decontamination needs that per token and gets it from the same array for free.
    """

    def __init__(self, max_cache: int = 50_000):
        # ~6 MB, flat: a corpus's vocabulary keeps growing with it. Hashing the 2,190-file benchmark corpus
        # (62,408 distinct tokens) took the same CPU time with a cap of 50,000 as with 2,000,000 (0.54 s)
        import xxhash

        self._h = xxhash.xxh64_intdigest
        self._cache: dict[bytes, int] = {}
        self.max_cache = max_cache

    def __getstate__(self) -> dict[str, Any]:
        return {"max_cache": self.max_cache}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["max_cache"])  # type: ignore[misc]

    def hashes(self, tokens: list[bytes]) -> np.ndarray:
        cache = self._cache
        if len(cache) > self.max_cache:
            cache.clear()
        h = self._h
        out = np.empty(len(tokens), dtype=np.uint64)
        for i, w in enumerate(tokens):
            v = cache.get(w)
            if v is None:
                v = cache[w] = (h(w) & _NOT_LOW_BIT) | (1 if w.isdigit() else 0)
            out[i] = v
        return out


_RUN_RE = re.compile(rb"[a-z0-9\x80-\xff]+")  # ASCII letters/digits and whole UTF-8 sequences


def tokens_of(text: str) -> list[bytes]:
    """Lower-cased word tokens of a text as UTF-8 bytes (see ``TOKEN_RE`` for the rules).

    Text with non-ASCII characters is cut into runs of ASCII letters, digits and non-ASCII bytes by
    the bytes regex; only runs holding non-ASCII bytes (a UTF-8 sequence is never split, as its bytes
    are all >= 0x80) are decoded and split by the Unicode regex, so a code file with one accented
    name in a comment costs what an ASCII file costs. Same tokens as ``UNICODE_TOKEN_RE`` on the
    whole lower-cased text (a test checks it).
    """
    raw = text.encode("utf-8", errors="replace").lower()  # bytes.lower() touches ASCII only
    if text.isascii():
        return TOKEN_RE.findall(raw)
    out: list[bytes] = []
    for run in _RUN_RE.findall(raw):
        if run.isascii():
            out.append(run)
        else:
            out.extend(t.encode("utf-8") for t in UNICODE_TOKEN_RE.findall(run.decode("utf-8", errors="replace").lower()))
    return out


def ngram_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """64-bit hashes of every window of ``n`` consecutive tokens (order-sensitive), vectorised.

    Texts shorter than ``n`` tokens give one shingle of all their tokens (none when empty), so
    short files can still be compared.
    """
    k = len(token_hashes)
    if k == 0:
        return token_hashes[:0]
    if k < n:
        n = k
    m = k - n + 1
    h = token_hashes[:m].copy()
    with np.errstate(over="ignore"):
        for j in range(1, n):
            h = (h * _FNV) ^ token_hashes[j:j + m]
        h ^= h >> _S33
        h *= _MIX1
        h ^= h >> _S33
        h *= _MIX2
        h ^= h >> _S33
    return h


def token_hashes(texts: Sequence[str], hasher: TokenHasher | None = None) -> list[np.ndarray]:
    hasher = hasher or TokenHasher()
    return [hasher.hashes(tokens_of(t)) for t in texts]


def shingle_hashes(texts: Sequence[str], ngram: int = 5, hasher: TokenHasher | None = None,
                   tokens: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
    """n-gram hashes per text (from precomputed token hashes when given)."""
    tokens = token_hashes(texts, hasher) if tokens is None else tokens
    return [ngram_hashes(th, ngram) for th in tokens]


# --------------------------------------------------------------------------- minhash + LSH

EMPTY_SIGNATURE = np.iinfo(np.uint32).max


def minhash_signatures(shingles: Sequence[np.ndarray], num_perm: int, seed: int = 1) -> np.ndarray:
    """(len(shingles), num_perm) uint32 MinHash signatures via rensa; empty inputs -> all-max rows."""
    import rensa

    sizes = np.fromiter((len(s) for s in shingles), dtype=np.uint64, count=len(shingles))
    offsets = np.zeros(len(shingles) + 1, dtype=np.uint64)
    np.cumsum(sizes, out=offsets[1:])
    flat = np.concatenate(list(shingles)) if len(shingles) else np.zeros(0, dtype=np.uint64)
    sig = np.full((len(shingles), num_perm), EMPTY_SIGNATURE, dtype=np.uint32)
    if len(shingles) == 0:
        return sig
    if sizes.all():
        rows = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, num_perm, seed).to_rows()
        sig[:] = np.asarray(rows, dtype=np.uint32)
    else:  # rensa rejects empty rows: compute the non-empty ones only
        nz = np.flatnonzero(sizes)
        if len(nz):
            sub_sizes = sizes[nz]
            sub_off = np.zeros(len(nz) + 1, dtype=np.uint64)
            np.cumsum(sub_sizes, out=sub_off[1:])
            rows = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, sub_off, num_perm, seed).to_rows()
            sig[nz] = np.asarray(rows, dtype=np.uint32)
    return sig


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> list[np.ndarray]:
    """The LSH bucket of every row in each band: band ``b``'s key of a row is the bytes of its signature
    positions ``b*rows .. (b+1)*rows - 1`` (little-endian uint32), so two rows share a bucket of band
    ``b`` exactly when those ``rows`` positions are equal."""
    sig = np.ascontiguousarray(signatures[:, : bands * rows], dtype=np.uint32)
    return [np.ascontiguousarray(sig[:, b * rows:(b + 1) * rows]).view(np.dtype((np.void, 4 * rows))).ravel()
            for b in range(bands)]


def lsh_clusters(signatures: np.ndarray, bands: int, rows: int, min_jaccard: float = 0.0,
                 valid: np.ndarray | None = None) -> list[int | None]:
    """For each row, the index of the cluster member kept in its place (the smallest index), else None.

    Rows whose band slices are equal are candidates; a candidate is merged when the fraction of
    equal signature positions (an estimate of Jaccard) reaches ``min_jaccard``. Rows marked
    invalid (empty texts) never match.
    """
    n = signatures.shape[0]
    parent = np.arange(n)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return int(root)

    if valid is None:
        valid = np.ones(n, dtype=bool)
    idx_valid = np.flatnonzero(valid)
    if len(idx_valid) < 2:
        return [None] * n
    for band in band_keys(signatures[idx_valid], bands, rows):
        _, inverse, counts = np.unique(band, return_inverse=True, return_counts=True)
        dup_groups = np.flatnonzero(counts > 1)
        if not len(dup_groups):
            continue
        order = np.argsort(inverse, kind="stable")
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        for g in dup_groups:
            members = idx_valid[order[starts[g]:starts[g] + counts[g]]]
            anchor = int(members[0])
            for m in members[1:]:
                m = int(m)
                ra, rm = find(anchor), find(m)
                if ra == rm:
                    continue
                if min_jaccard > 0:
                    est = float(np.mean(signatures[anchor] == signatures[m]))
                    if est < min_jaccard:
                        continue
                if ra < rm:
                    parent[rm] = ra
                else:
                    parent[ra] = rm
    out: list[int | None] = []
    for i in range(n):
        r = find(i)
        out.append(None if r == i else r)
    return out


def signatures_of(texts: Sequence[str], ngram: int = 5, num_perm: int = 112, seed: int = 1,
                  tokens: Sequence[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(signatures, valid) for texts: valid is False for texts without any token."""
    sh = shingle_hashes(texts, ngram, tokens=tokens)
    sig = minhash_signatures(sh, num_perm, seed)
    return sig, np.fromiter((len(s) > 0 for s in sh), dtype=bool, count=len(sh))


def union_signatures(signatures: np.ndarray, valid: np.ndarray, groups: Sequence[Sequence[int]]
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of unions of documents (e.g. repositories) without re-hashing a byte.

    MinHash of a union is the element-wise minimum of the members' MinHashes, so the
    repository-level near dedup costs one ``np.min`` per repository.
    """
    out = np.full((len(groups), signatures.shape[1]), EMPTY_SIGNATURE, dtype=np.uint32)
    ok = np.zeros(len(groups), dtype=bool)
    for g, members in enumerate(groups):
        m = [i for i in members if valid[i]]
        if m:
            out[g] = signatures[m].min(axis=0)
            ok[g] = True
    return out, ok


def near_duplicates(texts: Sequence[str], ngram: int = 5, bands: int = 14, rows: int = 8,
                    min_jaccard: float = 0.5, seed: int = 1) -> list[int | None]:
    """For each text, the index of the kept text of its near-duplicate cluster, else None."""
    sig, valid = signatures_of(texts, ngram, bands * rows, seed)
    return lsh_clusters(sig, bands, rows, min_jaccard, valid)


def jaccard(a: str, b: str, ngram: int = 5) -> float:
    """True Jaccard of two texts' shingle sets (for tests and plots)."""
    sa, sb = (set(x.tolist()) for x in shingle_hashes([a, b], ngram))
    return len(sa & sb) / max(1, len(sa | sb))


class NearDedupSignature:
    """Per-document part of near dedup: adds ``minhash`` (list of uint32) to a doc.

    Runs in ``Dataset.map(num_proc=...)`` or a datatrove step; the clustering
    (:func:`lsh_clusters`) needs all signatures and runs once afterwards.
    """

    name = "near_dedup_signature"

    def __init__(self, ngram: int = 5, num_perm: int = 112, seed: int = 1):
        self.ngram, self.num_perm, self.seed = ngram, num_perm, seed
        self.hasher = TokenHasher()

    def __call__(self, doc: dict[str, Any]) -> tuple[bool, None]:
        sh = ngram_hashes(self.hasher.hashes(tokens_of(doc["content"])), self.ngram)
        doc["minhash"] = minhash_signatures([sh], self.num_perm, self.seed)[0].tolist() if len(sh) else []
        return True, None
