"""Notebook 07's objectives by hand: pass@k with the unbiased estimator counted over every subset of a
problem's samples equals seedkit.measure.metrics.pass_at_k, and a paired bootstrap interval drawn with a
seeded generator (problems resampled) equals seedkit.measure.stats.paired_difference."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from seedkit.measure.metrics import pass_at_k
from seedkit.measure.stats import DEFAULT_RESAMPLES, paired_difference


def pass_at_k_by_subsets(n: int, c: int, k: int) -> float:
    """The share of the C(n, k) subsets of k samples that hold at least one of the c passing samples."""
    passed = [True] * c + [False] * (n - c)
    subsets = list(combinations(range(n), k))
    return sum(any(passed[i] for i in s) for s in subsets) / len(subsets)


@pytest.mark.parametrize("n, c", [(5, 0), (5, 2), (5, 5), (8, 3), (10, 1)])
def test_pass_at_k_by_hand_equals_the_unbiased_estimator(n, c):
    for k in range(1, n + 1):
        assert math.isclose(pass_at_k_by_subsets(n, c, k), pass_at_k(n, c, k), abs_tol=1e-12), k
    assert pass_at_k_by_subsets(n, c, 1) == pytest.approx(c / n)


def paired_bootstrap_by_hand(after: dict[str, float], before: dict[str, float]) -> tuple[float, float, float, int]:
    """(mean, lo, hi, n) of after - before over the shared problems: the problems resampled with replacement
    10,000 times with numpy's generator seeded 0 (drawn in the library's blocks, so the same numbers), the
    2.5th and 97.5th percentiles of the resampled means."""
    diffs = np.array([after[t] - before[t] for t in after if t in before])
    mean = math.fsum(diffs.tolist()) / len(diffs)
    rng = np.random.default_rng(0)
    block = max(1, 2_000_000 // len(diffs))
    drawn = np.concatenate([rng.integers(0, len(diffs), size=(min(block, DEFAULT_RESAMPLES - start), len(diffs)))
                            for start in range(0, DEFAULT_RESAMPLES, block)])
    lo, hi = np.quantile(diffs[drawn].mean(axis=1), [0.025, 0.975])
    return mean, min(float(lo), mean), max(float(hi), mean), len(diffs)


@pytest.mark.parametrize("problems", [12, 48, 300])  # 300: more than one block of draws
def test_paired_bootstrap_by_hand_equals_paired_difference(problems):
    rng = np.random.default_rng(problems)
    before = {f"p{i}": float(rng.integers(0, 6)) / 5 for i in range(problems)}
    after = {t: min(1.0, v + float(rng.integers(-1, 3)) / 5) for t, v in before.items()}
    after["only_after"] = 1.0  # a problem one side lacks does not count
    mean, lo, hi, n = paired_bootstrap_by_hand(after, before)
    d = paired_difference(after, before)
    assert d.n_problems == n == problems
    for mine, library in ((mean, d.mean), (lo, d.lo), (hi, d.hi)):
        assert math.isclose(mine, library, abs_tol=1e-12)
    assert lo < mean < hi


def test_equal_differences_give_a_zero_width_interval_both_ways():
    same = {f"p{i}": 0.4 for i in range(6)}
    mean, lo, hi, _ = paired_bootstrap_by_hand(same, {t: 0.0 for t in same})
    d = paired_difference(same, {t: 0.0 for t in same})
    assert all(math.isclose(x, y, abs_tol=1e-12) for x, y in ((mean, d.mean), (lo, d.lo), (hi, d.hi)))
