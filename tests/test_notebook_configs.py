"""The trainer configurations notebooks 04-06 write out argument by argument are the ones their stages
train with, on the settings a GPU profile turns on too (activation checkpointing): a setting the stage
passes and the notebook forgets would make a notebook run train differently from ``seedkit run``."""

from __future__ import annotations

import pytest

from fixtures.dpo_fakes import fake_sft_run
from fixtures.longcot_rl import fake_pretrained_run
from fixtures.notebook_cells import notebook_cell
from fixtures.sft_fakes import make_fake_run


def _differences(got, want) -> dict:
    return {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}


@pytest.mark.parametrize("stage_name", ["04_sft", "05_dpo", "06_longcot_rl"])
def test_the_notebooks_trainer_config_passes_gradient_checkpointing_as_the_stage_does(tmp_path, monkeypatch,
                                                                                    stage_name):
    from seedkit.config import stage_settings_class

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    if stage_name == "04_sft":
        from seedkit.sft import stage as module

        make_fake_run(tmp_path, "r")
        first = "from trl import SFTConfig"
    elif stage_name == "05_dpo":
        from seedkit.dpo import stage as module

        fake_sft_run(tmp_path, "r")
        first = "from trl import DPOConfig"
    else:
        from seedkit.longcot_rl import stage as module

        fake_pretrained_run(tmp_path, "r")
        first = "from trl import GRPOConfig"
    for on in (True, False):
        s = stage_settings_class(stage_name).from_params("tiny", run_name="r", runs_dir=str(tmp_path),
                                                         gradient_checkpointing=on)
        st = module.begin(s)
        ns = {"settings": s, "stage": st}
        exec(notebook_cell(stage_name, first), ns)  # noqa: S102 - the notebook's own cell
        got, want = ns["config"].to_dict(), module.training_config(st).to_dict()
        assert ns["config"].gradient_checkpointing is on
        assert got == want, _differences(got, want)
        st.close()
