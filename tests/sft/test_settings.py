"""Stage 04 settings: profiles, validation, the report comparison."""

from __future__ import annotations

import pytest

from seedkit.sft.settings import SFTSettings


def test_settings_profiles_and_validation():
    tiny = SFTSettings.from_params("tiny", run_name="r1")
    assert tiny.resolved_base_model() == "run:r1/03_pretraining"
    assert tiny.resolved_generator() == "run:r1/03_pretraining"
    assert tiny.finetune_method == "full" and tiny.judge_filter == "auto"
    smol = SFTSettings.from_params("smol", run_name="r1")
    # the chain: SFT starts from this run's stage-03 model on every profile; SmolLM2 writes the data
    assert smol.resolved_base_model() == "run:r1/03_pretraining" and smol.finetune_method == "lora"
    assert smol.resolved_generator() == "smollm2-135m-instruct"
    gpu = SFTSettings.from_params("gpu")
    assert (gpu.finetune_method, gpu.judge_filter, gpu.judge_min_difficulty) == ("qlora", "threshold", 3.0)
    multi = SFTSettings.from_params("multi-gpu")
    assert (multi.finetune_method, multi.judge_filter, multi.max_length) == ("full", "threshold", 2048)
    # the shared evidence fields, not per-stage copies
    assert (tiny.eval_set, tiny.eval_limit, tiny.eval_samples) == ("basic", 6, 2)
    assert not hasattr(tiny, "eval_problems")
    from seedkit.config import SettingsError

    with pytest.raises(SettingsError, match="held_for_dpo_fraction"):
        SFTSettings.from_params("smol", held_for_dpo_fraction=1.5)
    with pytest.raises(SettingsError, match="max_correction_rounds"):
        SFTSettings.from_params("smol", max_correction_rounds=-1)
    with pytest.raises(SettingsError, match="server_model"):
        SFTSettings.from_params("smol", generator="http://127.0.0.1:8000/v1")


def test_report_comparison_rows_per_profile():
    rows = SFTSettings.from_params("gpu").report_comparison()
    assert all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    assert by["difficulty filter"]["kit"] == "drop difficulty < 3" and by["difficulty filter"]["why"] == "same"
    smol = {r["setting"]: r for r in SFTSettings.from_params("smol").report_comparison()}
    assert "measure" in smol["difficulty filter"]["kit"] and smol["difficulty filter"]["why"] != "same"
    assert smol["training"]["kit"].startswith("LoRA r=16")
