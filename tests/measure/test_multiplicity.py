"""seedkit.measure.stats for a family of comparisons: bootstrap p-values, Holm's verdicts, power, signs."""

from __future__ import annotations

import math
import random

import pytest

from seedkit.measure.stats import (
    Difference,
    bootstrap_interval,
    bootstrap_p_value,
    detectable_effect,
    holm,
    paired_difference,
)


def test_holm_step_down_by_hand():
    # m = 4: thresholds 0.0125, 0.0167, 0.025, 0.05 for the sorted p-values
    assert holm({"a": 0.010, "b": 0.016, "c": 0.030, "d": 0.001}) == {"a": True, "b": True, "c": True, "d": True}
    assert holm({"a": 0.010, "b": 0.030, "c": 0.040, "d": 0.001}) == {"a": True, "b": False, "c": False, "d": True}
    # the walk stops at the first p over its threshold, even if a later one is under 0.05
    assert holm({"a": 0.03, "b": 0.04}) == {"a": False, "b": False}
    assert holm({"a": 0.03, "b": 0.04}, alpha=0.10) == {"a": True, "b": True}
    assert holm({"x": math.nan, "y": 0.04}) == {"x": False, "y": True}


def test_p_value_agrees_with_the_interval_it_is_drawn_beside():
    rng = random.Random(3)
    for shift in (-0.3, -0.05, 0.0, 0.04, 0.2):
        values = [shift + rng.choice([-1, 0, 0, 1]) * 0.5 for _ in range(60)]
        iv = bootstrap_interval(values)
        p = bootstrap_p_value(values)
        assert 0.0 <= p <= 1.0
        if iv.lo > 0 or iv.hi < 0:
            assert p <= 0.06, (shift, iv, p)
        else:
            assert p >= 0.04, (shift, iv, p)
    assert bootstrap_p_value([0.0, 0.0]) == 1.0 and bootstrap_p_value([0.5, 0.5]) == 0.0


def test_paired_difference_carries_its_p_value_through_a_round_trip():
    after = {f"t{i}": 1.0 if i % 3 else 0.0 for i in range(30)}
    before = {f"t{i}": 0.0 for i in range(30)}
    d = paired_difference(after, before)
    assert d.resolved and d.p_value < 0.05
    assert Difference.from_dict(d.to_dict()) == d
    old = {k: v for k, v in d.to_dict().items() if k != "p_value"}  # saved before p-values existed
    assert math.isnan(Difference.from_dict(old).p_value)


def test_false_verdicts_without_an_effect_are_one_in_twenty_for_the_family_with_holm():
    """Six comparisons of models that do not differ: unadjusted, some comparison 'resolves' in about a
    quarter of the runs; with Holm, in about one run in twenty (or fewer)."""
    rng = random.Random(0)
    any_single = any_holm = 0
    runs = 200
    for _ in range(runs):
        ps = {}
        for j in range(6):
            diffs = [rng.choice([-1.0, 0.0, 0.0, 1.0]) for _ in range(40)]
            ps[str(j)] = bootstrap_p_value(diffs, resamples=600, seed=rng.randrange(10**6))
        any_single += any(p < 0.05 for p in ps.values())
        any_holm += any(holm(ps).values())
    assert 0.12 < any_single / runs < 0.45
    assert any_holm / runs < 0.10


def test_detectable_effect_is_about_1_4_noise_floors():
    assert detectable_effect(0.10) == pytest.approx(0.10 * (1.959964 + 0.841621) / 1.959964, rel=1e-5)
    assert detectable_effect(None) is None


@pytest.mark.parametrize(("value", "text"), [(-0.004, "-0.00"), (0.0, "+0.00"), (-0.0, "+0.00"), (0.004, "+0.00"),
                                             (-0.05, "-0.05")])
def test_signs_print_as_computed(value, text):
    assert str(Difference(0.0, value, 0.1, 10)).split("[")[1].split(",")[0] == text
