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
- **Many comparisons at once.** One run compares every stage's model with its parent: five or six
  differences. Each interval alone covers its difference 95% of the time, so with six comparisons
  and no real effect anywhere about one run in four still shows a "resolved" one. :func:`holm`
  adjusts the family's verdicts (Holm's step-down on the bootstrap p-values, which controls the
  chance of any false verdict at 5% without assuming the comparisons independent, and rejects at
  least what Bonferroni would); reports print both the single interval and the family verdict.
- **Power.** The noise floor (two measurements of one model differ by this much at 95%) is the size
  of effect that is resolved only about half the time. :func:`detectable_effect` gives the size
  resolved 80% of the time at the same sample sizes: about 1.43 times the noise floor.
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
    """The value with the sign it has: a bound of -0.004 prints as -0.00 (it is below zero), exactly
    zero as +0.00."""
    return f"{0.0 if x == 0 else x:+.{digits}f}"


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
    # two-sided bootstrap p-value: twice the smaller share of resampled means on either side of 0
    p_value: float = math.nan

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
                   confidence=d.get("confidence", DEFAULT_CONFIDENCE), p_value=d.get("p_value", math.nan))


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
    means = _resampled_means(x, resamples, seed)
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(means, [alpha, 1 - alpha])
    # the mean lies inside its own interval (floating point can put a degenerate edge a hair off)
    return Interval(mean, min(float(lo), mean), max(float(hi), mean), int(x.size), confidence)


def _resampled_means(x: Any, resamples: int, seed: int) -> Any:
    """The mean of each bootstrap resample of ``x`` (a numpy array), from a generator seeded with ``seed``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    # one row per resample: which problems it drew (with replacement), then its mean; in chunks so
    # that 10,000 x several thousand problems stays a few MB
    means = np.empty(resamples)
    chunk = max(1, 2_000_000 // x.size)
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        means[start:stop] = x[rng.integers(0, x.size, size=(stop - start, x.size))].mean(axis=1)
    return means


def bootstrap_p_value(values: Iterable[float], *, resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> float:
    """Two-sided p-value of "the mean is 0" from the same resamples as :func:`bootstrap_interval`:
    twice the smaller share of resampled means at or beyond 0 on either side (1.0 when all values are
    equal to 0; 0.0 when every resample lies on one side)."""
    import numpy as np

    x = np.asarray(list(values), dtype=float)
    if x.size == 0:
        return math.nan
    if float(x.min()) == float(x.max()):
        return 1.0 if float(x[0]) == 0 else 0.0
    means = _resampled_means(x, resamples, seed)
    return float(min(1.0, 2 * min((means <= 0).mean(), (means >= 0).mean())))


def holm(p_values: Mapping[str, float], alpha: float = 1 - DEFAULT_CONFIDENCE) -> dict[str, bool]:
    """Holm's step-down verdicts for a family of comparisons: name -> resolved. Sort the p-values; the
    i-th smallest (from 0) is resolved while it is below ``alpha / (m - i)`` and every smaller one was;
    the first that is not stops the walk. NaN p-values (nothing in common) are never resolved and do not
    count in ``m``."""
    valid = sorted((p, name) for name, p in p_values.items() if not math.isnan(p))
    out = {name: False for name in p_values}
    m = len(valid)
    for i, (p, name) in enumerate(valid):
        if p >= alpha / (m - i):
            break
        out[name] = True
    return out


def detectable_effect(noise_floor: float | None, *, confidence: float = DEFAULT_CONFIDENCE,
                      power: float = 0.8) -> float | None:
    """The smallest true difference resolved with probability ``power`` at the sample sizes whose
    interval half-width is ``noise_floor`` (normal approximation: the half-width is z(conf) standard
    errors; an effect is found 80% of the time when it is z(conf) + z(power) standard errors)."""
    from statistics import NormalDist

    if noise_floor is None:
        return None
    _check_confidence(confidence)
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    return noise_floor * (z + NormalDist().inv_cdf(power)) / z


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
    p = bootstrap_p_value(diffs, resamples=resamples, seed=seed)
    return Difference(iv.mean, iv.lo, iv.hi, iv.n, confidence, p)


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


__all__ = ["Interval", "Difference", "bootstrap_interval", "bootstrap_p_value", "paired_difference",
           "per_problem_scores", "holm", "detectable_effect", "across_runs", "DEFAULT_RESAMPLES", "DEFAULT_CONFIDENCE"]
