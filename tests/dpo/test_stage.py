"""Stage 05 as steps: DPO on in-memory models, the notebook's config, the stage end to end (tiny)."""

from __future__ import annotations

import json

import pytest
import torch

from fixtures.dpo_fakes import (
    exec_runner,
    fake_sft_run,
    sample_pairs,
    tiny_model,
)
from fixtures.notebook_cells import notebook_cell
from seedkit.dpo.settings import DPOSettings
from seedkit.problems import load_train_problems


@pytest.mark.slow
@pytest.mark.parametrize("method", ["full", "lora"])
def test_dpo_trains_an_in_memory_model(tmp_path, method):
    from seedkit.dpo.stage import train_dpo

    model, tok = tiny_model()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    settings = DPOSettings.from_params("tiny", finetune_method=method, max_steps=3, learning_rate=1e-2,
                                       global_batch_size=2, per_device_batch_max=2)
    trained, logs, how = train_dpo(model, tok, sample_pairs(), settings, tmp_path / "out", verbose=False)
    margins = [r["rewards/margins"] for r in logs if "rewards/margins" in r]
    assert len(margins) == 3
    assert margins[0] == pytest.approx(0.0, abs=1e-5)  # step 1: policy == reference
    if method == "full":
        assert "frozen in-memory copy" in how
        assert any(not torch.equal(before[n], p) for n, p in trained.named_parameters())
    else:
        assert "adapter switched off" in how and hasattr(trained, "peft_config")
        with trained.disable_adapter():  # the base (= reference) is untouched
            base = dict(trained.get_base_model().named_parameters())
            assert all(torch.equal(before[n], base[n]) for n in before if n in base)


@pytest.mark.slow
def test_run_dpo_tiny_end_to_end_with_off_policy_pairs(tmp_path, monkeypatch):
    from seedkit.dpo import stage as dpo
    from seedkit.models import load_model
    from seedkit.runs import read_manifest

    fake_sft_run(tmp_path)
    settings = DPOSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path), max_prompts=8, max_steps=2,
                                       heldout_prompt_fraction=0.25)
    result = dpo.run_dpo(settings, run_jobs=exec_runner)
    assert result.trained and not result.skipped
    assert result.summary["prompts"] == 8 and result.summary["pairs"] > 0
    assert result.summary["pairs_on_policy"] == 0 and "off-policy" in result.summary["why"]
    assert {p["task_id"] for p in result.pairs} >= {"sft/x1"}  # held-back item first, then kit problems
    # a training problem stage 04 trained on is never a DPO prompt
    assert load_train_problems()[0].task_id not in {p["task_id"] for p in result.prompts}
    # the kit problems come from problem_sources: the hand-written and the generated ones
    from seedkit.problems import GENERATED_PREFIX

    assert any(p["task_id"].startswith(GENERATED_PREFIX) for p in result.prompts)
    assert all(p["off_policy"] for p in result.pairs)
    # two of the eight prompts are held out: their pairs are measured on, never trained on
    held = {p["task_id"] for p in result.prompts if p["split"] == "heldout"}
    assert len(held) == 2 and {p["split"] for p in result.pairs if p["task_id"] in held} <= {"heldout"}
    assert result.summary["train_pairs"] + result.summary["heldout_pairs"] == result.summary["pairs"]
    assert len(result.prompts) == 8 and "rewards/margins" in result.curves()
    metrics = json.loads((tmp_path / "r" / "05_dpo" / "metrics.json").read_text())
    assert metrics["train_steps"] == 2 and "frozen in-memory copy" in metrics["reference_model"]
    assert metrics["train_pairs"] == result.summary["train_pairs"]
    m = read_manifest(tmp_path / "r" / "05_dpo")["metrics"]
    assert m["parent_model"] == "run:r/04_sft" == result.parent_model
    assert (m["effect"]["parent"], m["effect"]["child"], m["effect"]["n_problems"]) == ("04_sft", "05_dpo", 6)
    pref = m["preference_effect"]
    assert pref["n_pairs"] == result.summary["heldout_pairs"] and pref["implicit_reward_accuracy"]["before"] == 0.5
    assert 0.0 <= pref["after"]["mean"] <= 1.0
    model, _ = load_model("run:r/05_dpo", runs_dir=tmp_path, verbose=False)  # what stages 06/07 do
    assert type(model).__name__ == "LlamaForCausalLM"
    again = dpo.run_dpo(settings, run_jobs=exec_runner)  # manifest current: read back, not redone
    assert again.skipped and again.pairs == result.pairs


@pytest.mark.slow
def test_dpo_continues_a_loaded_adapter_against_its_frozen_copy(tmp_path):
    """A stage-04 adapter kept unmerged (the QLoRA path): TRL's 'ref' copy is the reference, the
    trained adapter is saved against stage 04's own base (not on top of stage 04 again)."""
    from peft import PeftModel

    from seedkit.dpo.stage import adapter_base_spec, train_dpo
    from seedkit.models import LoraOptions, load_model, save_model

    base, tok = tiny_model()
    base_dir = save_model(base, tok, tmp_path / "base")
    sft, tok = load_model(str(base_dir), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    sft_dir = save_model(sft, tok, tmp_path / "sft")
    fresh, tok = load_model(str(base_dir), verbose=False)
    model = PeftModel.from_pretrained(fresh, str(sft_dir))  # frozen, as load_model leaves a 4-bit adapter
    settings = DPOSettings.from_params("tiny", finetune_method="qlora", max_steps=2, learning_rate=1e-2,
                                       global_batch_size=2, per_device_batch_max=2)
    trained, logs, how = train_dpo(model, tok, sample_pairs(), settings, tmp_path / "out", verbose=False)
    assert "'ref' adapter" in how and len([r for r in logs if "rewards/margins" in r]) == 2
    ref = {n: p for n, p in trained.named_parameters() if ".ref." in n}
    default = {n.replace(".ref.", ".default."): p for n, p in ref.items()}
    assert ref and any(not torch.equal(p, dict(trained.named_parameters())[n]) for n, p in default.items())
    assert adapter_base_spec(trained, str(sft_dir)) == str(base_dir.resolve())
    assert "ref" not in trained.peft_config


def test_the_notebook_builds_the_same_dpo_config_as_the_stage(tmp_path):
    """The DPOConfig written out argument by argument in notebook 05 equals what run_dpo trains with."""
    from seedkit.dpo import stage as dpo

    fake_sft_run(tmp_path)
    cell = notebook_cell("05_dpo", "from trl import DPOConfig")
    for kw in ({}, {"max_steps": 0, "report_to": "tensorboard", "beta": 0.3}):
        s = DPOSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path), **kw)
        st = dpo.begin(s)
        ns = {"settings": s, "stage": st}
        exec(cell, ns)
        got, want = ns["config"].to_dict(), dpo.training_config(st).to_dict()
        assert got == want, {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        assert ns["config"].beta == s.beta
        st.close()


def test_the_notebook_computes_the_dpo_loss_by_hand_as_trl_does():
    """Notebook 05's objective cell on scratch models: -log sigmoid(beta * margin) from four hand-computed
    log-probabilities equals DPOTrainer's loss on a batch of that one pair (a policy that differs from its
    reference, so the margin is not 0)."""
    import copy

    from seedkit.dpo import stage as dpo
    from seedkit.dpo.products import Pair

    reference, tok = tiny_model()
    policy = copy.deepcopy(reference)
    with torch.no_grad():
        for p in policy.parameters():
            p.add_(0.05 * torch.randn_like(p))
    row = sample_pairs(1)[0]
    pair = Pair(**row, split="train")
    settings = DPOSettings.from_params("tiny", beta=0.5)
    ns = {"policy": policy, "reference": reference, "tok": tok, "pair": pair, "settings": settings, "dpo": dpo}
    exec(notebook_cell("05_dpo", "# DPO's loss for one pair, by hand"), ns)  # asserts by hand == TRL's loss
    assert abs(ns["margin"]) > 1e-3 and ns["by_hand"] != pytest.approx(0.6931, abs=1e-3)
