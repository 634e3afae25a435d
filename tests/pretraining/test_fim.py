"""FIM (seedkit.pretraining.fim): every sample reassembles to its document, SPM and PSM orders, the FIM rate,
split points at characters."""

from __future__ import annotations

import random

import pytest

from fixtures.pretraining_run import TEXTS
from seedkit.pretraining.fim import (
    FimSplit,
    FimTokens,
    fim_pieces,
    fim_text,
    maybe_fim,
    random_split,
    reassemble,
)

TOKS = FimTokens("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", 3, 4, 5)

@pytest.mark.parametrize("mode", ["spm", "psm"])
def test_fim_sample_always_reassembles_to_the_original(mode):
    rng = random.Random(0)
    alphabet = "abc xyz\n\t()=+é漢{}:;"
    docs = TEXTS + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200))) for _ in range(500)]
    for doc in docs:
        split = random_split(doc, rng)
        assert split.original == doc
        sample = fim_text(split, TOKS, mode)
        assert reassemble(sample, TOKS, mode) == doc
        assert len(sample) == len(doc) + len(TOKS.prefix) + len(TOKS.suffix) + len(TOKS.middle)


def test_fim_order_spm_and_psm():
    split = FimSplit("P", "M", "S")
    assert fim_pieces(split, TOKS, "spm") == [4, "S", 3, "P", 5, "M"]
    assert fim_pieces(split, TOKS, "psm") == [3, "P", 4, "S", 5, "M"]
    assert fim_text(split, TOKS, "spm") == "<|fim_suffix|>S<|fim_prefix|>P<|fim_middle|>M"


def test_fim_rate_is_respected_and_rate_zero_keeps_text():
    rng = random.Random(1)
    hits = sum(len(maybe_fim("some text here", 0.5, rng, TOKS)) > 1 for _ in range(4000))
    assert 1850 < hits < 2150
    assert all(maybe_fim("abc", 0.0, rng, TOKS) == ["abc"] for _ in range(100))
    assert all(len(maybe_fim("abc", 1.0, rng, TOKS)) == 6 for _ in range(100))
    assert maybe_fim("abc", 1.0, rng, None) == ["abc"]  # no FIM tokens: FIM is off


def test_fim_split_points_are_characters_not_tokens():
    rng = random.Random(2)
    cuts = {len(random_split("abcdefghij", rng).prefix) for _ in range(400)}
    assert cuts == set(range(11))  # every character position, ends included
