"""The cut, and the equal-token rules-only corpus for stage 03's ablation.

The report dropped the bottom ~10% of files by score. :func:`choose_cut` turns a percentile or
an absolute score into one threshold and says which it used. :func:`sample_to_tokens` draws the
``rules_only`` corpus from stage 01's files until it holds as many tokens as ``filtered``, so
the ablation compares data selection, not data volume.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seedkit.models import PACKAGED_SMOLLM2, ensure_smollm2_cache, resolve_spec


@dataclass(frozen=True)
class Cut:
    threshold: float  # files scored strictly below are dropped
    reason: str
    n_kept: int
    n_dropped: int

    def keep_mask(self, scores: Sequence[float]) -> np.ndarray:
        return np.asarray(scores, float) >= self.threshold


def choose_cut(scores: Sequence[float], drop_bottom_fraction: float = 0.10, min_score: float | None = None) -> Cut:
    """Threshold from an absolute ``min_score`` if given, else the ``drop_bottom_fraction`` quantile.

    With the percentile, exactly ``floor(n * fraction)`` files go when scores are distinct: the
    threshold is the score of the first kept file in ascending order.
    """
    s = np.sort(np.asarray(scores, float))
    if min_score is not None:
        thr = float(min_score)
        reason = f"absolute: files scored below {thr:g} are dropped"
    else:
        k = int(np.floor(len(s) * drop_bottom_fraction))
        thr = float(s[k]) if len(s) and k < len(s) else float("inf")
        if k == 0:
            thr = float(s[0]) if len(s) else 0.0
        reason = (f"percentile: the bottom {drop_bottom_fraction:.0%} of {len(s)} files "
                  f"({k} files) fall below {thr:.3f}")
    kept = int((s >= thr).sum())
    return Cut(threshold=thr, reason=reason, n_kept=kept, n_dropped=int(len(s) - kept))


# --------------------------------------------------------------------------- tokens

_REGEX_TOKENS = re.compile(r"\w+|[^\w\s]")


def token_counter(spec: str, runs_dir: str = "") -> tuple[Callable[[str], int], str]:
    """(count function, description). ``regex``: words and single punctuation marks (no model);
    otherwise the tokenizer of a model spec (the packaged SmolLM2 by default)."""
    if spec == "regex":
        return (lambda text: len(_REGEX_TOKENS.findall(text))), r"regex \w+|[^\w\s] (words and punctuation)"
    from transformers import AutoTokenizer

    if spec == PACKAGED_SMOLLM2:
        where: Any = ensure_smollm2_cache(verbose=False)
        local = True
    else:
        kind, where = resolve_spec(spec, runs_dir)
        local = kind != "hub"
    tok = AutoTokenizer.from_pretrained(str(where), local_files_only=local)
    return (lambda text: len(tok(text, add_special_tokens=False)["input_ids"])), f"tokenizer of {spec}"


def sample_to_tokens(token_counts: Sequence[int], target_tokens: int, seed: int = 0) -> list[int]:
    """Indices of a random sample whose token total comes closest to ``target_tokens`` from a
    shuffled prefix (files are added in random order until the next one would overshoot more than
    stopping short). Returned sorted, so the sample keeps the corpus order."""
    order = np.random.default_rng(seed).permutation(len(token_counts))
    chosen: list[int] = []
    total = 0
    for i in order:
        c = int(token_counts[i])
        if total >= target_tokens:
            break
        if total + c - target_tokens > target_tokens - total:  # overshoot larger than the gap
            continue
        chosen.append(int(i))
        total += c
    return sorted(chosen)
