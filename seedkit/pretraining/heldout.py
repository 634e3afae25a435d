"""Held-out loss per file, per language and per set, with 95% intervals over files.

Two held-out sets (chosen in :mod:`seedkit.pretraining.data`, removed from every training source):

- ``random``: a random sample of stage 01's files, drawn before any LLM filter; the filter did not
  choose it, so it favours neither corpus of the ablation;
- ``top_scored``: the highest-scored files (the report measured its ablation on high-quality data);
  it resembles what the filter kept, so it favours the filtered corpus by construction.

Each file is scored alone, without FIM: the end-of-text token, then its first ``max_tokens``
tokens, cut into windows of the stage's context length so that every token is predicted once.
The loss of a set is the mean next-token cross-entropy over all its tokens (nats/token);
perplexity is ``exp(loss)``. Because every model of one tokenizer is scored on the same files,
differences are *paired*: the interval of "after - before" comes from resampling files
(:func:`ratio_bootstrap`), which is what a different draw of held-out files would change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seedkit.pretraining.packing import encode_pieces

BOOTSTRAP_RESAMPLES = 2000


@dataclass(frozen=True)
class HeldoutFile:
    id: str
    language: str
    content: str


def file_windows(ids: list[int], block_size: int) -> list[list[int]]:
    """Windows of at most ``block_size + 1`` tokens overlapping by one, so that every token after the
    first is predicted exactly once (a window's first token is context only)."""
    out = []
    for start in range(0, max(1, len(ids) - 1), block_size):
        w = ids[start:start + block_size + 1]
        if len(w) >= 2:
            out.append(w)
    return out


def file_losses(model: Any, tokenizer: Any, texts: Sequence[str], block_size: int, max_tokens: int,
                batch_size: int = 8) -> list[tuple[float, int]]:
    """(summed next-token loss in nats, predicted tokens) for each text, scored as described above."""
    import torch

    encoded = encode_pieces(tokenizer, [[t] for t in texts])
    windows: list[tuple[int, list[int]]] = []
    for i, ids in enumerate(encoded):
        for w in file_windows([tokenizer.eos_token_id] + ids[:max_tokens], block_size):
            windows.append((i, w))
    totals = [[0.0, 0] for _ in texts]
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    windows.sort(key=lambda x: len(x[1]))  # similar lengths together: less padding
    with torch.no_grad():
        for start in range(0, len(windows), batch_size):
            chunk = windows[start:start + batch_size]
            width = max(len(w) for _, w in chunk)
            ids = torch.tensor([w + [pad] * (width - len(w)) for _, w in chunk], device=device)
            mask = torch.tensor([[1] * len(w) + [0] * (width - len(w)) for _, w in chunk], device=device)
            logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
            target = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
            nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100,
                                                    reduction="none")
            for row, (i, _) in enumerate(chunk):
                totals[i][0] += float(nll[row].sum())
                totals[i][1] += int((target[row] != -100).sum())
    if was_training:
        model.train()
    return [(round(a, 4), b) for a, b in totals]


def set_loss(per_file: Sequence[Sequence[float]]) -> float:
    """Token-weighted mean loss of a set from its per-file (nll sum, tokens)."""
    n = sum(c for _, c in per_file)
    return sum(s for s, _ in per_file) / n if n else float("nan")


def ratio_bootstrap(num: Sequence[float], den: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES,
                    seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of ``sum(num) / sum(den)`` when the items (files) are resampled with
    replacement. Used for a set's loss (num = nll sums) and for paired differences (num = nll of one
    model minus the other's on the same file)."""
    import numpy as np

    a, b = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    if len(a) == 0 or b.sum() == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(resamples, len(a)))
    stats = a[idx].sum(axis=1) / np.maximum(b[idx].sum(axis=1), 1e-12)
    lo, hi = np.quantile(stats, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


def evaluate_sets(model: Any, tokenizer: Any, sets: dict[str, list[HeldoutFile]], block_size: int,
                  max_tokens: int, batch_size: int = 8) -> dict[str, dict[str, Any]]:
    """{set: {loss, interval, perplexity, tokens, files, per_language, per_file, ids}} for every set."""
    out: dict[str, dict[str, Any]] = {}
    for name, files in sets.items():
        if not files:
            continue
        per_file = file_losses(model, tokenizer, [f.content for f in files], block_size, max_tokens, batch_size)
        loss = set_loss(per_file)
        lo, hi = ratio_bootstrap([s for s, _ in per_file], [c for _, c in per_file])
        langs: dict[str, list[tuple[float, int]]] = {}
        for f, pf in zip(files, per_file, strict=True):
            langs.setdefault(f.language, []).append(pf)
        out[name] = {
            "loss": round(loss, 4), "interval": [round(lo, 4), round(hi, 4)],
            "perplexity": round(math.exp(min(loss, 50.0)), 2), "tokens": sum(c for _, c in per_file),
            "files": len(files),
            "per_language": {k: {"loss": round(set_loss(v), 4), "tokens": sum(c for _, c in v), "files": len(v)}
                             for k, v in sorted(langs.items())},
            "per_file": [list(pf) for pf in per_file], "ids": [f.id for f in files],
        }
    return out


def paired_difference(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """Loss change ``after - before`` on one held-out set scored by both (same files, same tokenizer),
    with a 95% bootstrap interval over files. Negative = the later model predicts the files better."""
    if after["ids"] != before["ids"] or [c for _, c in after["per_file"]] != [c for _, c in before["per_file"]]:
        raise ValueError("paired_difference: the two evaluations scored different files or tokens")
    num = [a[0] - b[0] for a, b in zip(after["per_file"], before["per_file"], strict=True)]
    den = [c for _, c in after["per_file"]]
    mean = sum(num) / sum(den) if sum(den) else float("nan")
    lo, hi = ratio_bootstrap(num, den)
    return {"mean": round(mean, 4), "interval": [round(lo, 4), round(hi, 4)], "files": len(den),
            "tokens": sum(den)}


def heldout_changes(evals: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Paired loss changes on each held-out set: stage1 - parent, stage2 - stage1, final - parent
    (``evals``: each model's :func:`evaluate_sets`, by label)."""

    labels = [k for k in ("parent", "stage1", "stage2") if k in evals]
    pairs = list(zip(labels, labels[1:], strict=False))
    if len(labels) > 2:
        pairs.append((labels[0], labels[-1]))
    out: dict[str, dict[str, Any]] = {}
    for before, after in pairs:
        for name in evals[after]:
            if name in evals[before]:
                out.setdefault(name, {})[f"{after} - {before}"] = paired_difference(evals[after][name],
                                                                                   evals[before][name])
    return out


def windows_dataset(tokenizer: Any, texts: Sequence[str], block_size: int, max_tokens: int) -> Any:
    """The same windows as a datasets.Dataset (padded to ``block_size + 1``, labels -100 on padding):
    the Trainer's periodic evaluation set, for loss curves."""
    import datasets

    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    rows: dict[str, list[list[int]]] = {"input_ids": [], "attention_mask": [], "labels": []}
    for ids in encode_pieces(tokenizer, [[t] for t in texts]):
        for w in file_windows([tokenizer.eos_token_id] + ids[:max_tokens], block_size):
            extra = block_size + 1 - len(w)
            rows["input_ids"].append(w + [pad] * extra)
            rows["attention_mask"].append([1] * len(w) + [0] * extra)
            rows["labels"].append(w + [-100] * extra)
    return datasets.Dataset.from_dict(rows)
