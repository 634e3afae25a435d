"""Stage 02's evidence with 95% intervals: does the oracle separate good from poor files, and how
faithfully does the distilled scorer copy the oracle on files it never trained on.

Intervals are percentile bootstraps over files (2,000 resamples, a fixed seed). For the oracle
check the good and the poor files are resampled separately (each group keeps its size); for the
scorer the held-out files are resampled as (oracle, scorer) pairs. Each draw recomputes the whole
statistic, since Spearman's correlation and P(good > poor) are not means of per-file values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

RESAMPLES = 2000
CONFIDENCE = 0.95


def percentile_interval(stat: Callable[[np.ndarray], float | None], draws: np.ndarray,
                        confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The ``confidence`` percentile interval of ``stat`` over rows of index draws (None when every
    draw is undefined, e.g. a constant sample for a correlation)."""
    vals = [v for v in (stat(d) for d in draws) if v is not None and np.isfinite(v)]
    if not vals:
        return None
    a = (1.0 - confidence) / 2.0
    lo, hi = np.quantile(np.asarray(vals, float), [a, 1.0 - a])
    return float(lo), float(hi)


def auc(good: Sequence[float], poor: Sequence[float]) -> float | None:
    """P(a good file scores above a poor one), ties counted half (the Mann-Whitney AUC)."""
    g, p = np.asarray(good, float), np.asarray(poor, float)
    if not len(g) or not len(p):
        return None
    diff = g[:, None] - p[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def separation(good: Sequence[float], poor: Sequence[float], resamples: int = RESAMPLES, seed: int = 0,
               confidence: float = CONFIDENCE) -> dict[str, Any]:
    """Mean good minus mean poor and P(good > poor), each with a 95% interval (stratified bootstrap)."""
    g, p = np.asarray(good, float), np.asarray(poor, float)
    out: dict[str, Any] = {"n_good": int(len(g)), "n_poor": int(len(p)), "good_mean": None, "poor_mean": None,
                           "difference": None, "difference_ci": None, "p_good_above_poor": None,
                           "p_good_above_poor_ci": None, "confidence": confidence, "resamples": resamples}
    if not len(g) or not len(p):
        return out
    rng = np.random.default_rng(seed)
    gi = rng.integers(0, len(g), size=(resamples, len(g)))
    pi = rng.integers(0, len(p), size=(resamples, len(p)))
    diffs = g[gi].mean(axis=1) - p[pi].mean(axis=1)
    aucs = np.array([auc(g[a], p[b]) for a, b in zip(gi, pi, strict=True)])
    lo = (1.0 - confidence) / 2.0
    out.update(good_mean=float(g.mean()), poor_mean=float(p.mean()), difference=float(g.mean() - p.mean()),
               difference_ci=[float(x) for x in np.quantile(diffs, [lo, 1 - lo])],
               p_good_above_poor=auc(g, p), p_good_above_poor_ci=[float(x) for x in np.quantile(aucs, [lo, 1 - lo])])
    out["separates"] = bool(out["difference_ci"][0] > 0 and out["p_good_above_poor_ci"][0] > 0.5)
    return out


def describe_separation(sep: dict[str, Any], what: str = "the oracle") -> str:
    """One sentence with the numbers, saying whether the interval excludes 'no separation'."""
    if sep.get("difference") is None:
        return f"{what}: no usable scores on both groups"
    d, (dl, dh) = sep["difference"], sep["difference_ci"]
    a, (al, ah) = sep["p_good_above_poor"], sep["p_good_above_poor_ci"]
    head = (f"{what}: good minus poor {d:+.3f} (95% CI {dl:+.3f} to {dh:+.3f}), P(good > poor) {a:.2f} "
            f"(95% CI {al:.2f} to {ah:.2f}), n = {sep['n_good']} good + {sep['n_poor']} poor files")
    if sep["separates"]:
        return head + ": it separates them."
    if dh < 0:
        return head + ": it ranks the poor files ABOVE the good ones; its labels would keep the wrong files."
    return head + (": the interval includes no difference, so on this evidence it does NOT separate good from "
                   "poor files; its labels carry little of the rubric.")


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Spearman rank correlation (ties get their average rank); None when either side is constant."""
    from seedkit.llm_filter.scorer import spearman as _sp

    return _sp(a, b)


def agreement_intervals(oracle: Sequence[float], predicted: Sequence[float], resamples: int = RESAMPLES,
                        seed: int = 0, confidence: float = CONFIDENCE) -> dict[str, Any]:
    """Held-out agreement of the scorer with the oracle: Spearman and MAE (0-10 scale), each with a
    95% interval over files, and the MAE of always predicting the oracle's mean for comparison."""
    o, p = np.asarray(oracle, float), np.asarray(predicted, float)
    n = len(o)
    out: dict[str, Any] = {"n": int(n), "spearman": None, "spearman_ci": None, "mae": None, "mae_ci": None,
                           "confidence": confidence, "resamples": resamples}
    if n == 0:
        return out
    draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    mae = lambda idx: float(np.abs(o[idx] - p[idx]).mean())  # noqa: E731
    out["mae"] = mae(np.arange(n))
    ci = percentile_interval(mae, draws, confidence)
    out["mae_ci"] = list(ci) if ci else None
    out["spearman"] = spearman(o, p)
    ci = percentile_interval(lambda idx: spearman(o[idx], p[idx]), draws, confidence) if n >= 3 else None
    out["spearman_ci"] = list(ci) if ci else None
    return out
