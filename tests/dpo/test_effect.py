"""Stage 05 effect: the preference accuracy on held-out pairs from log-probabilities."""

from __future__ import annotations

import pytest


def test_preference_effect_from_log_probabilities():
    from seedkit.dpo.effect import preference_effect

    pairs = [{"task_id": "a"}, {"task_id": "a"}, {"task_id": "b"}, {"task_id": "c"}]
    before = [(-10.0, -9.0), (-10.0, -12.0), (-5.0, -5.0), (-8.0, -7.0)]  # parent prefers chosen in 1, ties 1
    after = [(-9.0, -9.5), (-9.0, -12.5), (-4.0, -5.5), (-8.5, -7.0)]  # child: 3 of 4, one implicit margin < 0
    eff = preference_effect(pairs, before, after, beta=0.1, child="05_dpo", parent="04_sft", print_fn=None)
    assert (eff["n_pairs"], eff["n_prompts"]) == (4, 3)
    # per prompt: before a 0.5, b 0.5 (tie), c 0 -> 1/3; after a 1, b 1, c 0 -> 2/3
    assert eff["before"]["mean"] == pytest.approx(1 / 3) and eff["after"]["mean"] == pytest.approx(2 / 3)
    assert eff["difference"]["mean"] == pytest.approx(1 / 3) and eff["difference"]["n_problems"] == 3
    # implicit margins 0.1 x (change of chosen - change of rejected): +0.15, +0.15, +0.15, -0.05
    assert eff["implicit_reward_accuracy"]["mean"] == pytest.approx(2 / 3)
    assert eff["implicit_margin"]["mean"] == pytest.approx((0.15 + 0.15 - 0.05) / 3)
    assert preference_effect([], [], [], beta=0.1, child="c", parent="p", print_fn=None)["n_pairs"] == 0
