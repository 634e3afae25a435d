"""Stage 05 settings: validation, profiles, the report comparison."""

from __future__ import annotations

import pytest

from seedkit.config import SettingsError
from seedkit.dpo.settings import DPOSettings


def test_settings_reject_a_single_sample():
    with pytest.raises(SettingsError, match="samples_per_prompt"):
        DPOSettings.from_params("tiny", samples_per_prompt=1)
    with pytest.raises(SettingsError, match="heldout_prompt_fraction"):
        DPOSettings.from_params("tiny", heldout_prompt_fraction=1.0)
    s = DPOSettings.from_params("tiny", run_name="r")
    assert s.finetune_method == "full" and s.resolved_policy_model() == "run:r/04_sft"
    assert (s.eval_set, s.eval_limit, s.eval_samples) == ("basic", 6, 2) and not hasattr(s, "eval_problems")
    rows = DPOSettings.from_params("gpu").report_comparison()
    assert all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    assert {r["setting"]: r for r in rows}["training"]["kit"].startswith("TRL DPO, QLoRA")


def test_sampler_server_needs_the_served_model_name():
    import pytest as _pytest

    from seedkit.config import SettingsError
    from seedkit.dpo.settings import DPOSettings

    with _pytest.raises(SettingsError, match="server_model"):
        DPOSettings.from_params("tiny", sampler_server_url="http://127.0.0.1:8000/v1")
    s = DPOSettings.from_params("tiny", sampler_server_url="http://127.0.0.1:8000/v1", server_model="sft")
    assert s.sampler_server_url.endswith("/v1") and s.server_model == "sft"
