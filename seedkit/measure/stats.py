"""Uncertainty for evaluation figures: 95% intervals over problems, paired differences, spread over runs.

The method, in full (docs/contracts.md, "Evidence"):

- **Unit: the problem.** A model gets ``n`` samples per problem; the problem's score is the unbiased
  pass@k estimate from its ``(n, c)`` (Chen et al., 2021), e.g. pass@1 = c / n. A model's pass@k is
  the mean of its problems' scores.
- **Interval: percentile bootstrap over problems.** Draw as many problems as there are, with
  replacement, ``resamples`` times; the interval is the 2.5th and 97.5th percentiles of the means
  of those draws (numpy's linear interpolation between order statistics). The random generator
  is seeded (``seed=0``), so the same scores always print the same interval. Resampling problems
  (not samples) answers the question a reader asks: would another set of problems *like these*
  give a similar number? With few problems the interval is wide, as it should be.
- **Paired difference.** Two models measured on the same problems differ problem by problem; the
  difference of their means is the mean of the per-problem differences, and its interval is the
  bootstrap of those differences (the same problems are drawn for both models). Pairing removes
  the between-problem variance both models share, so it resolves differences that two separate
  intervals would not. Only problems both models have count; ``n_problems`` says how many.
- **Across runs** (a sweep over seeds): mean and a Student-t 95% interval of the run-level values
  (:func:`across_runs`); three runs give a wide interval, which is the honest answer.

Why not ``scipy.stats.bootstrap``: the same percentile bootstrap is five lines of numpy here, and
a reader of the kit sees the whole method; tests/measure/test_effects.py checks the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_RESAMPLES = 10_000
DEFAULT_CONFIDENCE = 0.95


def _signed(x: float, digits: int) -> str:
    s = f"{x:+.{digits}f}"
    return s.replace("-0." + "0" * digits, "+0." + "0" * digits) if digits else s


@dataclass(frozen=True)
class Interval:
    """A mean with its interval: ``0.62 [0.55, 0.69]``; ``n`` = how many values (problems, runs)."""

    mean: float
    lo: float
    hi: float
    n: int
    confidence: float = DEFAULT_CONFIDENCE
    method: str = "bootstrap"

    def __str__(self) -> str:
        if self.n == 0 or math.isnan(self.mean):
            return "n/a"
        return f"{self.mean:.2f} [{self.lo:.2f}, {self.hi:.2f}]"

    @property
    def half_width(self) -> float:
        return (self.hi - self.lo) / 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Interval:
        return cls(**{k: d[k] for k in ("mean", "lo", "hi", "n") if k in d},
                   confidence=d.get("confidence", DEFAULT_CONFIDENCE), method=d.get("method", "bootstrap"))


@dataclass(frozen=True)
class Difference:
    """``after - before`` on the problems both have, with its paired-bootstrap interval.

    ``str(d)`` reads ``+0.06 [+0.02, +0.10]``; :meth:`resolved` says whether the interval leaves out 0.
    """

    mean: float
    lo: float
    hi: float
    n_problems: int
    confidence: float = DEFAULT_CONFIDENCE

    def __str__(self) -> str:
        if self.n_problems == 0 or math.isnan(self.mean):
            return "n/a (no problem in common)"
        return f"{_signed(self.mean, 2)} [{_signed(self.lo, 2)}, {_signed(self.hi, 2)}]"

    @property
    def resolved(self) -> bool:
        """True when the interval excludes 0: the data resolve the sign of the difference."""
        return self.n_problems > 0 and (self.lo > 0 or self.hi < 0)

    def verdict(self) -> str:
        if self.n_problems == 0:
            return "no problem in common"
        if not self.resolved:
            return "not resolved (the interval includes 0)"
        return "better" if self.mean > 0 else "worse"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "resolved": self.resolved}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Difference:
        return cls(mean=d["mean"], lo=d["lo"], hi=d["hi"], n_problems=d["n_problems"],
                   confidence=d.get("confidence", DEFAULT_CONFIDENCE))


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: {confidence} must be between 0 and 1 (e.g. 0.95)")


def bootstrap_interval(values: Iterable[float], *, confidence: float = DEFAULT_CONFIDENCE,
                       resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Interval:
    """Mean of ``values`` (one per problem) with its percentile-bootstrap interval (module docstring).

    No values: an Interval of NaNs with n = 0. One value, or all values equal: a zero-width interval.
    """
    import numpy as np

    _check_confidence(confidence)
    if resamples < 1:
        raise ValueError(f"resamples: {resamples} must be at least 1")
    x = np.asarray(list(values), dtype=float)
    if x.size == 0:
        return Interval(math.nan, math.nan, math.nan, 0, confidence)
    if np.isnan(x).any():
        raise ValueError("bootstrap_interval: a value is NaN; drop unscored problems first")
    mean = math.fsum(x.tolist()) / x.size  # exactly rounded: 7 x 0.4 averages to 0.4
    if x.size == 1 or float(x.min()) == float(x.max()):
        return Interval(mean, mean, mean, int(x.size), confidence)
    rng = np.random.default_rng(seed)
    # one row per resample: which problems it drew (with replacement), then its mean; in chunks so
    # that 10,000 x several thousand problems stays a few MB
    means = np.empty(resamples)
    chunk = max(1, 2_000_000 // x.size)
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        means[start:stop] = x[rng.integers(0, x.size, size=(stop - start, x.size))].mean(axis=1)
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(means, [alpha, 1 - alpha])
    # the mean lies inside its own interval (floating point can put a degenerate edge a hair off)
    return Interval(mean, min(float(lo), mean), max(float(hi), mean), int(x.size), confidence)


def per_problem_scores(x: Any, k: int = 1) -> dict[str, float]:
    """task_id -> score for a mapping, or for anything with ``per_problem_pass_at_k(k)`` (PassCounts)."""
    if hasattr(x, "per_problem_pass_at_k"):
        return dict(x.per_problem_pass_at_k(k))
    if isinstance(x, Mapping):
        return {str(t): float(v) for t, v in x.items()}
    raise TypeError(f"expected per-problem scores (a mapping task_id -> score, or PassCounts), got {type(x).__name__}")


def paired_difference(after: Any, before: Any, *, k: int = 1, confidence: float = DEFAULT_CONFIDENCE,
                      resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Difference:
    """``after - before`` on the problems both were measured on, with a paired-bootstrap interval.

    ``after`` and ``before`` are PassCounts (their per-problem pass@k is used) or mappings
    task_id -> per-problem score. Problems only one side has are left out (``n_problems`` counts
    the shared ones).
    """
    a = per_problem_scores(after, k)
    b = per_problem_scores(before, k)
    shared = [t for t in a if t in b]
    diffs = [a[t] - b[t] for t in shared]
    iv = bootstrap_interval(diffs, confidence=confidence, resamples=resamples, seed=seed)
    return Difference(iv.mean, iv.lo, iv.hi, iv.n, confidence)


def _t_quantile(p: float, df: int) -> float:
    from scipy.stats import t

    return float(t.ppf(p, df))


def across_runs(values: Iterable[float], *, confidence: float = DEFAULT_CONFIDENCE) -> Interval:
    """Mean of run-level values (e.g. one pass@1 per seed) with a Student-t interval.

    The bootstrap needs more values than a sweep has runs (three seeds give three values), so
    the spread across runs uses the t distribution: ``mean +- t(df=n-1) * sd / sqrt(n)``. One run:
    a zero-width interval that says nothing about spread (``n`` = 1 shows it).
    """
    _check_confidence(confidence)
    xs = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not xs:
        return Interval(math.nan, math.nan, math.nan, 0, confidence, "t")
    mean = sum(xs) / len(xs)
    if len(xs) == 1:
        return Interval(mean, mean, mean, 1, confidence, "t")
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
    half = _t_quantile(1 - (1 - confidence) / 2, len(xs) - 1) * sd / math.sqrt(len(xs))
    return Interval(mean, mean - half, mean + half, len(xs), confidence, "t")


__all__ = ["Interval", "Difference", "bootstrap_interval", "paired_difference", "per_problem_scores",
           "across_runs", "DEFAULT_RESAMPLES", "DEFAULT_CONFIDENCE"]
