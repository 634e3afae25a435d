"""Learning rates that fit the training method, and report_comparison counted honestly (issue 25, item 5)."""

from __future__ import annotations

import pytest

from seedkit.config import follows_report
from seedkit.training import LORA_RATE_FACTOR, rate_for_method, rate_reason


def test_adapters_take_about_ten_times_the_full_parameter_rate():
    assert rate_for_method("full", 1e-6) == 1e-6
    assert rate_for_method("lora", 1e-6) == rate_for_method("qlora", 1e-6) == pytest.approx(1e-6 * LORA_RATE_FACTOR)


@pytest.mark.parametrize("method,rate,origin,starts", [
    ("full", 1e-6, "profile multi-gpu", "same"),
    ("qlora", 1e-5, "profile gpu", "QLoRA adapters: the report's 1e-06 is a full-parameter rate"),
    ("lora", 1e-6, "profile gpu", "rl_learning_rate: the profile gpu value"),  # never "same" for adapters
    ("lora", 1e-6, "set by you", "rl_learning_rate set by you; LoRA adapters at the report's full-parameter rate"),
    ("full", 1e-5, "set by you", "rl_learning_rate set by you; an adapter's rate for full fine-tuning"),
])
def test_the_rate_row_says_why(method, rate, origin, starts):
    why = rate_reason(method, rate, 1e-6, origin, "rl_learning_rate")
    assert why.startswith(starts), why
    assert follows_report({"why": why}) == (starts == "same")


def test_a_reason_that_names_a_difference_is_not_counted_as_following():
    assert follows_report({"why": "same"}) and follows_report({"why": "same: this run's stage-03 model"})
    assert not follows_report({"why": "same algorithm; group and batch sizes are the profile's budget"})
    assert not follows_report({"why": "same shape; the lengths are what the profile's time budget affords"})
    assert not follows_report({"why": "the profile's helper model"})


@pytest.mark.parametrize("stage,setting,report_rate", [
    ("05_dpo", "learning_rate", 5e-6),
    ("06_longcot_rl", "rl_learning_rate", 1e-6),
])
def test_gpu_profiles_pick_the_rate_of_their_method(stage, setting, report_rate):
    from seedkit.config import stage_settings_class

    cls = stage_settings_class(stage)
    for profile in ("gpu", "multi-gpu"):
        s = cls.from_params(profile)
        method = s.finetune_method if stage == "05_dpo" else s.rl_method()
        assert getattr(s, setting) == pytest.approx(rate_for_method(method, report_rate)), (stage, profile, method)
        row = next(r for r in s.report_comparison() if r["setting"] == "learning rate")
        assert follows_report(row) == (method == "full"), row
        if method != "full":
            assert row in s.deviations() and "full-parameter" in row["why"]
        assert s.report_lines()[0].startswith(f"vs the report: {len(s.report_comparison()) - len(s.deviations())} of ")


def test_multi_gpu_pretraining_trains_in_full_below_the_adapters_rate():
    from seedkit.pretraining.settings import PretrainingSettings

    gpu, multi = PretrainingSettings.from_params("gpu"), PretrainingSettings.from_params("multi-gpu")
    assert gpu.adapter_choice()[0] == "qlora" and multi.adapter_choice()[0] == "full"
    assert multi.learning_rate == pytest.approx(gpu.learning_rate / LORA_RATE_FACTOR)
