"""Packing (seedkit.pretraining.packing): no token lost or duplicated, the tail block, FIM pieces through the
tokenizer, special tokens that a file cannot inject, and notebook 03's packing by hand."""

from __future__ import annotations

import random

import pytest

from fixtures.pretraining_run import small_tokenizer
from seedkit.pretraining.fim import FimSplit, FimTokens, fim_pieces, reassemble
from seedkit.pretraining.packing import encode_pieces, eot_stream, pack


@pytest.fixture(scope="module")
def tokenizer():
    return small_tokenizer()


@pytest.mark.parametrize("block", [1, 3, 7, 16, 1000])
def test_packing_loses_and_duplicates_no_token(block):
    rng = random.Random(block)
    docs = [[rng.randint(10, 99) for _ in range(rng.randint(0, 40))] for _ in range(50)]
    blocks = pack(docs, block, eos_id=1, pad_id=0)
    assert all(len(b) == block for b in blocks.input_ids)
    assert blocks.stream() == eot_stream(docs, 1)
    assert blocks.num_tokens == sum(len(d) + 1 for d in docs)
    ds = blocks.to_dataset()
    labels = [t for row in ds["labels"] for t in row if t != -100]
    assert labels == eot_stream(docs, 1)
    assert sum(sum(m) for m in ds["attention_mask"]) == blocks.num_tokens


def test_packing_without_partial_drops_only_the_tail():
    docs = [[5] * 10, [6] * 10]  # 22 tokens with EOT
    full = pack(docs, 8, 1, 0, keep_partial=False)
    assert len(full) == 2 and full.stream() == eot_stream(docs, 1)[:16]


def test_encoding_fim_pieces_round_trips_through_the_tokenizer(tokenizer):
    fim = FimTokens.from_tokenizer(tokenizer)
    assert fim is not None
    doc = "def f(x):\n    return x + 1\n"
    split = FimSplit(doc[:7], doc[7:15], doc[15:])
    ids = encode_pieces(tokenizer, [fim_pieces(split, fim, "spm")])[0]
    assert ids[0] == fim.suffix_id and ids.count(fim.prefix_id) == 1 and ids.count(fim.middle_id) == 1
    text = tokenizer.decode(ids)
    assert reassemble(text, fim, "spm") == doc


def test_tokenizer_special_tokens_are_single_ids_and_not_injectable(tokenizer):
    from seedkit.models import SPECIAL_TOKENS, special_token

    for role, tok in SPECIAL_TOKENS.items():
        assert special_token(tokenizer, role) == tok
        assert len(tokenizer(tok, add_special_tokens=False)["input_ids"]) == 1
    fim = FimTokens.from_tokenizer(tokenizer)
    ids = encode_pieces(tokenizer, [["x = '<|fim_prefix|>'"]])[0]
    assert fim.prefix_id not in ids  # a file containing the token's string stays plain text
    assert tokenizer.decode(ids) == "x = '<|fim_prefix|>'"


def test_packing_by_hand_as_notebook_03_does(tokenizer):
    """Notebook 03's objective cell: a few tokenised documents, each followed by end-of-text, cut by hand
    into blocks of the context length, equal what pack() makes (and, for training, the full blocks)."""
    eos, pad, length = tokenizer.eos_token_id, tokenizer.pad_token_id, 16
    docs = encode_pieces(tokenizer, [["def f(x):\n    return x + 1\n"], ["héllo wörld\n"], ["x = [1, 2, 3]\n" * 2]])
    stream = []
    for doc in docs:
        stream += doc + [eos]
    by_hand = [stream[i:i + length] for i in range(0, len(stream), length)]
    real = [len(b) for b in by_hand]
    by_hand = [b + [pad] * (length - len(b)) for b in by_hand]
    packed = pack(docs, length, eos, pad)
    assert packed.input_ids == by_hand and packed.num_real == real and len(by_hand) >= 2
    full = [b for b, n in zip(by_hand, real, strict=True) if n == length]
    assert pack(docs, length, eos, pad, keep_partial=False).input_ids == full
