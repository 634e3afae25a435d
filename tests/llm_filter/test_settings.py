"""Stage 02 settings: profiles, checks, and where they follow the report."""

from __future__ import annotations

import pytest

from seedkit.config import SettingsError
from seedkit.llm_filter.settings import LLMFilterSettings


def test_settings_profiles_and_checks():
    assert LLMFilterSettings.stage == "02_llm_filter"
    assert LLMFilterSettings.from_params("smol").oracle_model == "smollm2-135m-instruct"
    assert LLMFilterSettings.from_params("tiny").oracle_model == "scratch"
    with pytest.raises(SettingsError, match="drop_bottom_fraction"):
        LLMFilterSettings.from_params("tiny", drop_bottom_fraction=1.5)
    with pytest.raises(SettingsError, match="oracle_server_model"):
        LLMFilterSettings.from_params("tiny", oracle_server_url="http://127.0.0.1:8000")
    cell = LLMFilterSettings.parameters_cell()
    assert "drop_bottom_fraction = None" in cell and "oracle_method = None" in cell


def test_report_comparison_says_where_stage_02_follows_the_report():
    rows = LLMFilterSettings.from_params("gpu").report_comparison()
    assert rows and all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    assert (by["labelled files"]["report"], by["labelled files"]["kit"]) == ("222,066", "2000")
    assert by["oracle"]["report"] == "DeepSeek-V2-Chat"
    assert by["oracle answer"]["why"] == "same" and by["cut"]["why"] == "same"  # gpu: a model that writes its rating
    smol = {r["setting"]: r for r in LLMFilterSettings.from_params("smol").report_comparison()}
    assert smol["oracle answer"]["kit"] == "verdict reading" and smol["oracle answer"]["why"] != "same"
