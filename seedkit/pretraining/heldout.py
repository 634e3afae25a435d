"""Held-out loss and perplexity per language.

The held-out files are the highest-scored ones of the run (see :mod:`seedkit.pretraining.data`),
packed per language into blocks of the stage's context length without FIM, so the number says how
well the model predicts good code of that language. Loss is the mean next-token cross-entropy
over every real token (padding excluded); perplexity is ``exp(loss)``.
"""

from __future__ import annotations

import math
from typing import Any

from seedkit.pretraining.packing import PackedBlocks, encode_pieces, pack


def heldout_blocks(tokenizer: Any, texts: list[str], block_size: int, max_blocks: int) -> PackedBlocks:
    """The held-out texts as blocks (plain, no FIM), at most ``max_blocks`` of them."""
    ids = encode_pieces(tokenizer, [[t] for t in texts])
    blocks = pack(ids, block_size, tokenizer.eos_token_id, tokenizer.pad_token_id, keep_partial=True)
    if len(blocks) > max_blocks:
        blocks = PackedBlocks(blocks.input_ids[:max_blocks], blocks.num_real[:max_blocks], block_size, blocks.pad_id)
    return blocks


def heldout_dataset(tokenizer: Any, by_language: dict[str, list[str]], block_size: int, max_blocks: int) -> Any:
    """All languages' held-out blocks in one dataset (the Trainer's eval set for loss curves)."""
    import datasets

    parts = [heldout_blocks(tokenizer, texts, block_size, max_blocks).to_dataset() for texts in by_language.values()]
    return datasets.concatenate_datasets(parts) if parts else None


def blocks_loss(model: Any, blocks: PackedBlocks, batch_size: int = 8) -> tuple[float, int]:
    """(mean next-token loss over real tokens, number of predicted tokens)."""
    import torch

    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(blocks), batch_size):
            ids = torch.tensor(blocks.input_ids[start:start + batch_size], device=device)
            real = torch.tensor(blocks.num_real[start:start + batch_size], device=device)
            pos = torch.arange(ids.shape[1], device=device)[None, :]
            mask = (pos < real[:, None]).long()
            logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
            target = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                                                     ignore_index=-100, reduction="sum")
            total += float(loss)
            count += int((target != -100).sum())
    if was_training:
        model.train()
    return (total / count if count else float("nan")), count


def heldout_report(model: Any, tokenizer: Any, by_language: dict[str, list[str]], block_size: int,
                   max_blocks: int, batch_size: int = 8) -> dict[str, dict[str, float]]:
    """{language: {loss, perplexity, tokens}} plus an ``all`` row weighted by tokens."""
    out: dict[str, dict[str, float]] = {}
    tot, n = 0.0, 0
    for lang, texts in by_language.items():
        loss, count = blocks_loss(model, heldout_blocks(tokenizer, texts, block_size, max_blocks), batch_size)
        out[lang] = {"loss": round(loss, 4), "perplexity": round(math.exp(min(loss, 50.0)), 2), "tokens": count}
        if count:
            tot += loss * count
            n += count
    if n:
        loss = tot / n
        out["all"] = {"loss": round(loss, 4), "perplexity": round(math.exp(min(loss, 50.0)), 2), "tokens": n}
    return out
