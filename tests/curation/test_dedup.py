"""Exact and near deduplication on texts, and the MinHash objective computed by hand."""

from __future__ import annotations

import numpy as np

from fixtures.curation_docs import BASE
from seedkit.curation.dedup import exact_duplicates, jaccard, near_duplicates, tokens_of
from seedkit.curation.settings import CurationSettings


def test_exact_dedup_ignores_trailing_space_and_newline_style():
    texts = [BASE, BASE.replace("\n", "   \r\n"), BASE + "\n\n", "other"]
    assert exact_duplicates(texts) == [None, 0, 0, None]


def test_near_dedup_catches_edited_copies_and_keeps_distinct_files():
    near = BASE.replace("function_3(", "renamed_3(").replace("return alpha * 7", "return alpha * 77")
    other = "\n".join(f"class Thing{i}:\n    value = '{i * 13}'\n    name = 'thing {i}'\n" for i in range(40))
    assert jaccard(BASE, near) > 0.8
    assert near_duplicates([BASE, other, near, ""]) == [None, None, 0, None]


# Pseudo-words from each script's letters (and vowel signs, where the script writes them as combining
# marks): distinct texts in Burmese, Ukrainian, Malayalam, Yiddish, Cantonese, Armenian, Japanese and
# Bodo (Devanagari), all inside the same Python skeleton, as locale modules of installed packages are.
SCRIPTS = {
    "my": ([chr(c) for c in range(0x1000, 0x1021)], [chr(c) for c in range(0x102B, 0x1033)]),
    "uk": (list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"), []),
    "ml": ([chr(c) for c in range(0x0D15, 0x0D3A)], [chr(c) for c in range(0x0D3E, 0x0D4D)]),
    "yi": ([chr(c) for c in range(0x05D0, 0x05EB)], []),
    "yue": ([chr(c) for c in range(0x4E00, 0x4E00 + 3000, 7)], []),
    "hy": ([chr(c) for c in range(0x0561, 0x0587)], []),
    "ja": ([chr(c) for c in range(0x3041, 0x3094)] + [chr(c) for c in range(0x30A1, 0x30F5)], []),
    "brx": ([chr(c) for c in range(0x0915, 0x093A)], [chr(c) for c in range(0x093E, 0x094D)]),
}


def locale_module(script: str, seed: int) -> str:
    import random

    letters, signs = SCRIPTS[script]
    rng = random.Random(f"{script}-{seed}")

    def word() -> str:
        out = ""
        for _ in range(rng.randint(2, 4)):
            out += rng.choice(letters) + (rng.choice(signs) if signs and rng.random() < 0.6 else "")
        return out

    names = ",\n".join(f'        "{word()} {word()}"' for _ in range(60))
    return (f'"""Names and phrases for one locale."""\n\nfrom .. import Provider as BaseProvider\n\n\n'
            f"class Provider(BaseProvider):\n    formats = (\n        \"{{first_name}} {{last_name}}\",\n    )\n"
            f"    first_names = (\n{names},\n    )\n")


def edited(text: str, n: int = 3) -> str:
    """A near copy: n lines of the name list changed."""
    lines = text.split("\n")
    for k in range(n):
        i = 10 + 7 * k
        lines[i] = lines[i][:-3] + "X" + lines[i][-2:]
    return "\n".join(lines)


def test_near_dedup_keeps_distinct_texts_in_other_scripts_and_catches_their_copies():
    texts = [locale_module(sc, 0) for sc in SCRIPTS]
    assert not any(t.isascii() for t in texts)
    assert len({tuple(tokens_of(t)) for t in texts}) == len(texts)  # the non-Latin words are tokens
    assert near_duplicates(texts) == [None] * len(texts)  # every locale kept
    copies = [edited(texts[i]) for i in range(len(texts))]
    res = near_duplicates(texts + copies)
    assert res[: len(texts)] == [None] * len(texts)
    assert res[len(texts):] == list(range(len(texts)))  # each edited copy caught, as a copy of its own script
    # no-space scripts give one token per character; marked scripts keep vowel signs inside words
    assert tokens_of("日本語のテキスト")[:3] == ["日".encode(), "本".encode(), "語".encode()]
    assert tokens_of("മലയാളം ഭാഷ") == ["മലയാളം".encode(), "ഭാഷ".encode()]
    assert tokens_of("Snake_Case x1 café") == [b"snake", b"case", b"x1", "café".encode()]
    from seedkit.curation.dedup import UNICODE_TOKEN_RE

    for text in texts + ["MÜLLER—Straße abc日本 x_y İstanbul ᏣᎳᎩ 123٣ ﬁle", "ASCII only, Mixed_Case 42"]:
        assert tokens_of(text) == [t.encode() for t in UNICODE_TOKEN_RE.findall(text.lower())], text


def test_minhash_signatures_and_lsh_buckets_computed_by_hand_equal_the_package():
    """Notebook 01's objective cell: shingles, signatures, band buckets and Jaccard of the planted near copy
    rebuilt by hand from the hash family, equal to what seedkit.curation.dedup computes."""
    import xxhash

    from seedkit.config import DATA_SAMPLES
    from seedkit.curation import dedup

    s = CurationSettings.from_params("tiny")
    a_text = (DATA_SAMPLES / "repos/textstats/textstats/tokenize.py").read_text(encoding="utf-8")
    b_text = (DATA_SAMPLES / "repos/textstats-fork/tokenize.py").read_text(encoding="utf-8")
    n, bands, rows = s.shingle_ngram, s.lsh_bands, s.lsh_rows
    num_perm, m64 = bands * rows, (1 << 64) - 1

    def mix(h: int) -> int:
        for mult in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):
            h = ((h ^ (h >> 33)) * mult) & m64
        return h ^ (h >> 33)

    def shingles(text: str) -> set[int]:
        toks = [(xxhash.xxh64_intdigest(t) & (m64 - 1)) | int(t.isdigit()) for t in dedup.tokens_of(text)]
        k = min(n, len(toks))
        out = set()
        for i in range(len(toks) - k + 1):
            h = toks[i]
            for t in toks[i + 1:i + k]:
                h = ((h * 1099511628211) & m64) ^ t
            out.add(mix(h))
        return out

    a, b = shingles(a_text), shingles(b_text)
    assert a == set(dedup.shingle_hashes([a_text], n)[0].tolist())
    assert b == set(dedup.shingle_hashes([b_text], n)[0].tolist())
    h = {x: dedup.minhash_signatures([np.array([x], np.uint64)], num_perm, s.minhash_seed)[0] for x in a | b}
    sig_a = [min(int(h[x][i]) for x in a) for i in range(num_perm)]
    sig_b = [min(int(h[x][i]) for x in b) for i in range(num_perm)]
    package, valid = dedup.signatures_of([a_text, b_text], n, num_perm, s.minhash_seed)
    assert sig_a == package[0].tolist() and sig_b == package[1].tolist()
    buckets = [[tuple(sig[j * rows:(j + 1) * rows]) for j in range(bands)] for sig in (sig_a, sig_b)]
    for j, keys in enumerate(dedup.band_keys(package, bands, rows)):
        assert [k.tobytes() for k in keys] == [np.array(bk[j], "<u4").tobytes() for bk in buckets]
    shared = [j for j in range(bands) if buckets[0][j] == buckets[1][j]]
    estimated = sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / num_perm
    true = len(a & b) / len(a | b)
    assert true == dedup.jaccard(a_text, b_text, n) and 0.8 < true < 1.0 and abs(estimated - true) < 0.1
    assert shared and dedup.lsh_clusters(package, bands, rows, s.near_dup_min_jaccard, valid) == [None, 0]
