"""seedkit.eval.settings: the profiles' values and the checks; the prompt format each model is asked in."""

from __future__ import annotations

import pytest

from seedkit.config import SettingsError
from seedkit.eval.settings import EvalSettings
from seedkit.formats import choose_prompt_format


def test_choose_prompt_format():
    assert choose_prompt_format("run:r/03_pretraining")[0] == "completion"
    assert choose_prompt_format("run:r/04_sft")[0] == "chat"
    assert choose_prompt_format("smollm2-135m-instruct")[0] == "chat"
    assert choose_prompt_format("scratch")[0] == "completion"
    assert choose_prompt_format("smollm2-135m-instruct", "completion") == ("completion", "set by you")
    with pytest.raises(ValueError):
        choose_prompt_format("x", "fim")


def test_settings_defaults_and_checks():
    smol = EvalSettings.from_params("smol")
    assert (smol.eval_set, smol.eval_samples, smol.torch_threads) == ("basic", 5, 0)  # 0: auto
    assert EvalSettings.from_params("tiny").torch_threads == 1
    assert smol.humaneval_settings().eval_samples == smol.humaneval_samples
    tiny = EvalSettings.from_params("tiny", humaneval_limit=None, eval_limit=None)
    assert (tiny.humaneval_limit, tiny.eval_limit) == (2, 6)  # notebook None keeps the profile's
    with pytest.raises(SettingsError, match="humaneval_samples"):
        EvalSettings.from_params("tiny", humaneval_samples=4, eval_samples=1, eval_temperature=0.0)
    with pytest.raises(SettingsError, match="humaneval_limit"):
        EvalSettings.from_params("tiny", humaneval_limit=200)
    with pytest.raises(SettingsError, match="stages"):
        EvalSettings.from_params("tiny", stages=["08_deploy"])
