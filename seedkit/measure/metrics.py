"""pass@k with the unbiased estimator of Chen et al. (2021), for any n >= k."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import comb


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn (without replacement) from n passes, when c
    of the n passed: ``1 - C(n-c, k) / C(n, k)``.

    Exact for any n >= k (Python integers, no float products); 1.0 when fewer than k samples failed.
    """
    if not (isinstance(n, int) and isinstance(c, int) and isinstance(k, int)):
        raise TypeError("pass_at_k: n, c and k must be integers")
    if k < 1:
        raise ValueError(f"pass_at_k: k={k} must be at least 1")
    if n < k:
        raise ValueError(f"pass_at_k: needs n >= k samples per problem (n={n}, k={k})")
    if not 0 <= c <= n:
        raise ValueError(f"pass_at_k: c={c} must be between 0 and n={n}")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def mean_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float | None:
    """Mean pass@k over problems given (n, c) per problem; None when some problem has n < k or none."""
    counts = list(counts)
    if not counts or any(n < k for n, _ in counts):
        return None
    return sum(pass_at_k(n, c, k) for n, c in counts) / len(counts)


def pass_at_k_table(counts: Iterable[tuple[int, int]], ks: Sequence[int]) -> dict[str, float]:
    """``{"pass@1": ..., "pass@10": ...}`` for every k that all problems have enough samples for."""
    counts = list(counts)
    out = {}
    for k in ks:
        v = mean_pass_at_k(counts, k)
        if v is not None:
            out[f"pass@{k}"] = v
    return out
