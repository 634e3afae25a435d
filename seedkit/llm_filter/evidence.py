"""Stage 02's evidence with 95% intervals: does the oracle separate good from poor files, and how
faithfully does the distilled scorer copy the oracle on files it never trained on.

The kit's method (``seedkit.measure.stats``): percentile bootstrap over the units measured, here
files, with a fixed seed and the same number of resamples and confidence. The scorer's MAE is a
mean of per-file errors, so it is :func:`seedkit.measure.stats.bootstrap_interval` itself. The other
statistics are not means of per-file values, so each draw recomputes the whole statistic: Spearman's
correlation over resampled (oracle, scorer) pairs, and for the oracle check the difference of group
means and P(good > poor) with the good and the poor files resampled separately (each group keeps its
size; the two groups are different files, so there is no pairing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from seedkit.llm_filter.scorer import spearman as _sp
from seedkit.measure.stats import DEFAULT_CONFIDENCE as CONFIDENCE
from seedkit.measure.stats import DEFAULT_RESAMPLES as RESAMPLES
from seedkit.measure.stats import bootstrap_interval


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
    pair = g[gi][:, :, None] - p[pi][:, None, :]  # (draws, good, poor)
    aucs = ((pair > 0).sum(axis=(1, 2)) + 0.5 * (pair == 0).sum(axis=(1, 2))) / (len(g) * len(p))
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
    mae = bootstrap_interval(np.abs(o - p), confidence=confidence, resamples=resamples, seed=seed)
    out["mae"], out["mae_ci"] = mae.mean, [mae.lo, mae.hi]
    out["spearman"] = spearman(o, p)
    if n >= 3:
        draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
        rho = _spearman_rows(o[draws], p[draws])
        rho = rho[np.isfinite(rho)]  # a draw of one repeated file has no correlation
        if len(rho):
            a = (1.0 - confidence) / 2.0
            out["spearman_ci"] = [float(x) for x in np.quantile(rho, [a, 1.0 - a])]
    return out


def _spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho of each row pair (average ranks for ties), vectorised over the bootstrap draws;
    NaN where a row is constant."""
    from scipy.stats import rankdata

    rx, ry = rankdata(x, axis=1), rankdata(y, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    den = np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / den
