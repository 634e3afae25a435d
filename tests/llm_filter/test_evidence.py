"""Intervals for the oracle check and the scorer agreement."""

from __future__ import annotations

import numpy as np
import pytest

from seedkit.llm_filter.scorer import spearman


def test_separation_intervals_say_when_an_oracle_separates_and_when_not():
    from seedkit.llm_filter.evidence import describe_separation, separation

    clear = separation([8.0, 8.5, 9.0, 7.5, 8.2], [2.0, 3.0, 1.5, 2.5, 2.2])
    assert clear["separates"] and clear["difference_ci"][0] > 5 and clear["p_good_above_poor_ci"] == [1.0, 1.0]
    assert "it separates them" in describe_separation(clear)
    rng = np.random.default_rng(0)
    same = separation(rng.normal(5, 1, 10).tolist(), rng.normal(5, 1, 12).tolist())
    assert not same["separates"] and same["difference_ci"][0] < 0 < same["difference_ci"][1]
    assert "does NOT separate" in describe_separation(same) and "n = 10 good + 12 poor" in describe_separation(same)
    backwards = separation([1.0, 2.0, 1.5], [8.0, 9.0, 7.0])
    assert not backwards["separates"] and "ABOVE" in describe_separation(backwards)


def test_agreement_intervals():
    from seedkit.llm_filter.evidence import agreement_intervals

    perfect = agreement_intervals([1.0, 3.0, 5.0, 7.0, 9.0], [1.0, 3.0, 5.0, 7.0, 9.0])
    assert perfect["spearman"] == pytest.approx(1.0) and perfect["spearman_ci"] == [pytest.approx(1.0)] * 2
    assert perfect["mae"] == 0.0 and perfect["mae_ci"] == [0.0, 0.0] and perfect["n"] == 5
    rng = np.random.default_rng(1)
    o = rng.uniform(0, 10, 40)
    noisy = agreement_intervals(o.tolist(), (o + rng.normal(0, 3, 40)).tolist())
    lo, hi = noisy["spearman_ci"]
    assert lo < noisy["spearman"] < hi and 0 < lo and hi < 1
    assert noisy["mae_ci"][0] < noisy["mae"] < noisy["mae_ci"][1]
    from seedkit.llm_filter.evidence import _spearman_rows

    rows = rng.integers(0, 4, size=(20, 9)).astype(float), rng.normal(size=(20, 9))  # ties in x
    got = _spearman_rows(*rows)
    assert np.allclose(got, [spearman(a, b) for a, b in zip(*rows, strict=True)])
