"""Tokenizing documents and packing them into fixed-length training blocks.

Pretraining does not pad: documents are joined, each followed by the end-of-text token, and the
stream is cut into blocks of exactly ``block_size`` tokens, so every position of every batch is a
real token (the report trains at 8K and then 32K context this way). A document longer than a block
continues into the next one; the end-of-text token tells the model where one document stops.

Guarantees (unit-tested): concatenating the blocks gives back exactly the EOT-joined stream, so
no token is lost or duplicated. The last, partial block is kept and padded; its padding carries
label -100 and attention mask 0, so it adds no loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from seedkit.pretraining.fim import Piece


def encode_pieces(tokenizer: Any, docs: Sequence[Sequence[Piece]]) -> list[list[int]]:
    """Token ids for documents given as pieces (special-token ids and text), in one batched call.

    Text is encoded with special-token parsing off (``split_special_tokens=True``): a file that
    contains a control token's string is encoded as plain characters, never as the control token.
    """
    texts: list[str] = [p for doc in docs for p in doc if isinstance(p, str) and p]
    encoded = tokenizer(texts, add_special_tokens=False, split_special_tokens=True)["input_ids"] if texts else []
    it = iter(encoded)
    out: list[list[int]] = []
    for doc in docs:
        ids: list[int] = []
        for p in doc:
            if isinstance(p, int):
                ids.append(p)
            elif p:
                ids.extend(next(it))
        out.append(ids)
    return out


def decode_pieces(tokenizer: Any, doc: Sequence[Piece]) -> str:
    """Display form of pieces (special tokens by name)."""
    return "".join(tokenizer.convert_ids_to_tokens(p) if isinstance(p, int) else p for p in doc)


@dataclass
class PackedBlocks:
    """Fixed-length blocks: ``input_ids`` (all ``block_size`` long) and how many tokens are real."""

    input_ids: list[list[int]]
    num_real: list[int]
    block_size: int
    pad_id: int

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def num_tokens(self) -> int:
        return sum(self.num_real)

    def stream(self) -> list[int]:
        """The real tokens in order (what was packed)."""
        out: list[int] = []
        for ids, n in zip(self.input_ids, self.num_real, strict=True):
            out.extend(ids[:n])
        return out

    def to_dataset(self) -> Any:
        """A datasets.Dataset with input_ids, attention_mask and labels (-100 on padding)."""
        import datasets

        masks = [[1] * n + [0] * (self.block_size - n) for n in self.num_real]
        labels = [ids[:n] + [-100] * (self.block_size - n) for ids, n in zip(self.input_ids, self.num_real, strict=True)]
        return datasets.Dataset.from_dict({"input_ids": self.input_ids, "attention_mask": masks, "labels": labels})


def eot_stream(docs: Iterable[Sequence[int]], eos_id: int) -> list[int]:
    """Documents joined, each followed by end-of-text."""
    out: list[int] = []
    for d in docs:
        out.extend(d)
        out.append(eos_id)
    return out


def pack(docs: Iterable[Sequence[int]], block_size: int, eos_id: int, pad_id: int,
         keep_partial: bool = True) -> PackedBlocks:
    """EOT-join ``docs`` and cut into ``block_size`` blocks; the tail block is padded (or dropped
    with ``keep_partial=False``, for training sets where every block should be full)."""
    if block_size < 1:
        raise ValueError(f"block_size must be >= 1, got {block_size}")
    stream = eot_stream(docs, eos_id)
    blocks: list[list[int]] = []
    real: list[int] = []
    for start in range(0, len(stream), block_size):
        chunk = stream[start:start + block_size]
        if len(chunk) < block_size:
            if not keep_partial:
                break
            real.append(len(chunk))
            chunk = chunk + [pad_id] * (block_size - len(chunk))
        else:
            real.append(block_size)
        blocks.append(chunk)
    return PackedBlocks(blocks, real, block_size, pad_id)
