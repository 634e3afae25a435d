"""PretrainingSettings: parameters, validation, profiles, and the comparison with the report."""

from __future__ import annotations

import pytest

from seedkit.config import SettingsError
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import stage_lr


def test_settings_parameters_and_validation():
    cell = PretrainingSettings.parameters_cell()
    assert "ablation_token_budget = None" in cell and "corpus = None" not in cell  # the taught knobs only
    assert all(f"{name} = None" in cell for name in PretrainingSettings.TAUGHT)
    assert PretrainingSettings.from_params("tiny", corpus="rules_only").corpus == "rules_only"  # still a parameter
    s = PretrainingSettings.from_params("tiny")
    assert s.seq_len_stage1 < s.seq_len_stage2 and s.fim_rate_stage1 == 0.5 and s.fim_rate_stage2 == 0.1
    with pytest.raises(SettingsError, match="seq_len_stage2"):
        PretrainingSettings.from_params("tiny", seq_len_stage1=256, seq_len_stage2=128)
    with pytest.raises(SettingsError, match="corpus"):
        PretrainingSettings.from_params("tiny", corpus="everything")
    with pytest.raises(SettingsError, match="web_weight"):
        PretrainingSettings.from_params("tiny", web_weight=0.7, commits_weight=0.5)
    from seedkit.pretraining.settings import SMOL_ADAPTER

    assert PretrainingSettings.from_params("tiny").model_spec() == "scratch"
    assert PretrainingSettings.from_params("tiny").adapter_choice()[0] == "full"
    smol = PretrainingSettings.from_params("smol")
    assert smol.model_spec() == "smollm2-135m-instruct" and smol.adapter_choice()[0] == SMOL_ADAPTER
    assert PretrainingSettings.from_params("smol", model_source="scratch").adapter_choice()[0] == "full"
    assert PretrainingSettings.from_params("smol", adapter="full").adapter_choice() == ("full", "set by you")
    assert PretrainingSettings.from_params("gpu").adapter_choice()[0] == "qlora"
    assert smol.ablation_seeds >= 3 and smol.ablation_seed_values() == [0, 1, 2]
    assert PretrainingSettings.from_params("smol", seed=1).ablation_seed_values() == [1000, 1001, 1002]
    with pytest.raises(SettingsError, match="ablation_seeds"):
        PretrainingSettings.from_params("tiny", ablation_seeds=1)
    with pytest.raises(SettingsError, match="effect_prompt_formats"):
        PretrainingSettings.from_params("tiny", effect_prompt_formats=["reasoning"])


@pytest.mark.parametrize("profile", ["tiny", "smol", "gpu"])
def test_report_comparison_rows_name_setting_report_kit_and_why(profile):
    s = PretrainingSettings.from_params(profile)
    rows = s.report_comparison()
    assert rows and all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    lr0, lr1 = stage_lr(s.learning_rate, 1)
    assert f"{lr0:g}" == by["peak learning rate"]["kit"]
    assert f"{stage_lr(s.learning_rate, 2)[1]:.2g}" in by["LR schedule"]["kit"]
    assert by["training method"]["kit"] == s.adapter_choice()[0]
    assert str(s.ablation_seeds) in by["ablation (Fig. 6)"]["kit"]
