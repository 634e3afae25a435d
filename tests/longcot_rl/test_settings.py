"""seedkit.longcot_rl.settings: DAPO's defaults, the profiles, and the report comparison."""

from __future__ import annotations

from seedkit.config import PROFILES
from seedkit.longcot_rl.settings import LongCoTRLSettings


def test_settings_defaults_follow_dapo_and_profiles():
    smol = LongCoTRLSettings.from_params("smol")
    assert (smol.kl_beta, smol.clip_epsilon_high, smol.loss_type, smol.mask_truncated_completions) == (0.0, 0.28, "dapo", True)
    assert smol.drop_solved_rate == 0.875
    for profile in PROFILES:  # the chain: stage 06 warms up from this run's stage 03 on every profile
        assert LongCoTRLSettings.from_params(profile, run_name="demo").resolved_base_model() == "run:demo/03_pretraining"
    tiny = LongCoTRLSettings.from_params("tiny", run_name="demo")
    assert tiny.resolved_trace_generator() == "none" and tiny.resolved_use_lora() is False


def test_report_comparison_rows_and_the_small_profiles_deviations():
    from seedkit.longcot_rl.settings import REPORT

    for profile in ("gpu", "multi-gpu"):
        s = LongCoTRLSettings.from_params(profile)
        rows = {r["setting"]: r for r in s.report_comparison()}
        for name in ("sampling temperature", "KL term", "clipping", "loss aggregation",
                     "overlong filtering", "starting model", "solved-problem filter"):
            assert rows[name]["why"].startswith("same"), (profile, rows[name])
        assert rows["sampling temperature"]["kit"] == "0.6"
    # the report's 1e-6 is a full-parameter rate: multi-gpu trains in full at it, gpu's QLoRA adapters at ~10x
    rows = {r["setting"]: r for r in LongCoTRLSettings.from_params("multi-gpu").report_comparison()}
    assert (rows["learning rate"]["kit"], rows["learning rate"]["why"]) == ("1e-06", "same")
    rows = {r["setting"]: r for r in LongCoTRLSettings.from_params("gpu").report_comparison()}
    assert rows["learning rate"]["kit"] == "1e-05" and rows["learning rate"]["why"].startswith("QLoRA adapters")
    for profile, differ in (("tiny", ("learning rate", "sampling temperature")), ("smol", ("learning rate",))):
        s = LongCoTRLSettings.from_params(profile)
        rows = {r["setting"]: r for r in s.report_comparison()}
        assert all(set(r) == {"setting", "report", "kit", "why"} for r in rows.values())
        for name in differ:  # each deviation says why, naming the measurement or the report's value
            assert not rows[name]["why"].startswith("same")
            assert rows[name]["why"].startswith(profile + ":"), (profile, rows[name])
            assert "measured" in rows[name]["why"] or "1e-6" in rows[name]["why"], (profile, rows[name])
        assert {r["setting"] for r in s.deviations()} >= set(differ)
    assert LongCoTRLSettings.from_params("smol").temperature == REPORT["temperature"]
    assert REPORT["learning_rate"] == 1e-6 and REPORT["temperature"] == 0.6
    set_by_you = LongCoTRLSettings.from_params("gpu", rl_learning_rate=3e-6)
    row = next(r for r in set_by_you.report_comparison() if r["setting"] == "learning rate")
    assert row["why"] == "rl_learning_rate set by you"


def test_the_rl_pool_probe_is_off_by_default_checked_and_listed_against_the_report():
    import pytest

    from seedkit.config import SettingsError

    off = {r["setting"]: r for r in LongCoTRLSettings.from_params("smol").report_comparison()}["RL problems"]
    assert off["kit"] == "the first 16 of the pool" and off["why"].startswith("no probe")
    on = LongCoTRLSettings.from_params("smol", rl_pool_candidates=64, rl_pool_samples=3)
    row = {r["setting"]: r for r in on.report_comparison()}["RL problems"]
    assert "first 64 whose 3 probe answers" in row["kit"] and "once before RL" in row["why"]
    with pytest.raises(SettingsError, match=r"rl_pool_samples=1: the probe needs at least 2 answers"):
        LongCoTRLSettings.from_params("smol", rl_pool_candidates=8, rl_pool_samples=1)
    with pytest.raises(SettingsError, match=r"rl_pool_candidates: got -1"):
        LongCoTRLSettings.from_params("smol", rl_pool_candidates=-1)
    LongCoTRLSettings.from_params("smol", rl_pool_samples=1)  # no probe: the sample count is not read
