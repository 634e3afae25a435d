"""Stage 04 as steps: typed products saved and reused, the notebook's config, the stage end to end (tiny)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from fixtures.notebook_cells import notebook_cell
from fixtures.sft_fakes import (
    ScriptedGenerator,
    make_fake_run,
)
from seedkit.sft import filters
from seedkit.sft.products import TrainingSet
from seedkit.sft.settings import SFTSettings
from seedkit.sft.synthesis import SFTItem


def four_items() -> TrainingSet:
    return TrainingSet(items=[SFTItem(id=str(i), source="seed", style="plain", instruction=f"Write f{i} returning {i}.",
                                      solution=f"def f{i}():\n    return {i}\n", tests=f"assert f{i}() == {i}",
                                      entry_point=f"f{i}", split="sft") for i in range(4)], stats={})


@pytest.mark.slow
def test_run_sft_tiny_end_to_end(tmp_path, monkeypatch):
    import torch

    from seedkit.formats import chat_messages
    from seedkit.models import load_model
    from seedkit.problems import GENERATED_PREFIX, load_training_problems
    from seedkit.runs import read_manifest
    from seedkit.sft.stage import FILTER_STEPS, SFTResult, run_sft

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    make_fake_run(tmp_path, "t")
    s = SFTSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), compare_prompts=1,
                                num_code_seeds=2, num_seed_instructions=2, max_steps=3, own_solution_problems=2)
    res = run_sft(s)
    assert isinstance(res, SFTResult)
    assert [f["step"] for f in res.stats["funnel"]] == list(FILTER_STEPS)
    # 2 generated (garbage from a random model) + 2 seed instructions + 2 training problems the generator
    # answers itself + 3 mined docstring pairs
    assert res.stats["seeds"]["instructions"] == 4
    assert res.stats["sources"] == {"generated": 2, "seed": 4, "docstring": 3}
    assert res.stats["funnel"][0]["in"] == 9
    # the judge: a random 1M model's ratings are measured, and the auto rule keeps everything
    assert res.stats["judge"]["rule"] == "off" and "no measurable signal" in res.stats["judge"]["why"]
    assert len(res.stats["judge"]["difficulty"]) == res.stats["funnel"][4]["in"]
    # the kit's training problems (train.jsonl and generated ones) in the evaluation's chat format; the rest left
    # for stage 05
    train = {p.task_id: p for p in load_training_problems(s.problem_sources, language=None)}
    chosen = res.stats["kept"]["train_problems_for_sft"]
    assert 0 < res.stats["kept"]["train_problems_by_source"]["generated"] == sum(
        t.startswith(GENERATED_PREFIX) for t in chosen) < len(chosen)
    gone = res.stats["kept"]["train_problems_dropped"]
    assert len(chosen) + len(gone["contaminated"]) + len(gone["failed_tests"]) == round(len(train) * 0.5)
    assert len(res.stats["kept"]["train_problems_left_for_dpo"]) == len(train) - round(len(train) * 0.5)
    for tid in gone["contaminated"]:  # a training problem sharing a 10-gram with an evaluation problem is left out
        assert not filters.Decontaminator(ngram=10).verdict(SFTItem(
            id=tid, source="train_problem", style="", instruction="", solution=train[tid].reference, tests="",
            entry_point="")).keep
    rows = {r["id"]: r for r in res.data}
    for tid in chosen:
        assert rows[tid]["source"] == "train_problem" and rows[tid]["split"] == "sft" and rows[tid]["verified"]
        assert rows[tid]["instruction"] == chat_messages(train[tid])[0]["content"]
    assert all(res.data["verified"]) and set(res.data["split"]) <= {"sft", "held_for_dpo"}
    # nothing an evaluation uses is trained on
    dec = filters.Decontaminator(ngram=10)
    assert all(dec.verdict(SFTItem(**{k: r[k] for k in ("id", "source", "style", "instruction", "solution", "tests",
                                                          "entry_point")})).keep for r in res.data)
    assert len(res.loss_curve["loss"]) == 3
    # the manifest names the parent and records the effect with its sizes
    m = read_manifest(tmp_path / "t" / "04_sft")["metrics"]
    assert m["parent_model"] == "run:t/03_pretraining" == res.parent_model
    eff = m["effect"]
    assert (eff["parent"], eff["child"], eff["n_problems"], eff["n_samples"]) == ("03_pretraining", "04_sft", 6, 2)
    assert eff["before"]["prompt_format"] == "completion" and eff["after"]["prompt_format"] == "chat"
    lo, hi = eff["difference"]["lo"], eff["difference"]["hi"]
    assert lo <= eff["difference"]["mean"] <= hi
    same = m["effect_same_format"]  # the parent asked in the SFT model's format too
    assert same["before"]["prompt_format"] == same["after"]["prompt_format"] == "chat" and not same["formats_differ"]
    assert same["after"] == eff["after"] and same["n_problems"] == 6
    loss = m["answer_loss_effect"]
    assert loss["n_problems"] == 6 and loss["before"]["mean"] > 0 and loss["after"]["mean"] > 0
    assert loss["difference"]["mean"] == pytest.approx(loss["after"]["mean"] - loss["before"]["mean"], abs=1e-9)
    # the saved model is the trained one: it loads as run:t/04_sft and differs from its parent
    child, _ = load_model("run:t/04_sft", device="cpu", runs_dir=str(tmp_path), verbose=False)
    parent, _ = load_model("run:t/03_pretraining", device="cpu", runs_dir=str(tmp_path), verbose=False)
    pp = dict(parent.named_parameters())
    assert any(not torch.equal(p, pp[n]) for n, p in child.named_parameters())
    assert not (tmp_path / "t" / "04_sft" / "checkpoints").exists()
    again = run_sft(s)  # done: loaded from disk
    assert again.stats == res.stats and again.metrics == res.metrics


def test_steps_are_reused_and_recomputed_when_an_input_changes(tmp_path, monkeypatch):
    """A restarted kernel picks up the steps already done; a retrained parent (a changed input) redoes them."""
    from seedkit.files import atomic_write_json
    from seedkit.runs import read_manifest
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "t")
    s = SFTSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), num_code_seeds=1,
                                num_seed_instructions=1, max_docstring_items=3)
    gen = ScriptedGenerator(["Task: Return the input.\n```python\ndef ident(v):\n    return v\n```\n"
                             "```python\nassert ident(3) == 3\n```",
                             "```python\ndef reverse_string(text):\n    return text[::-1]\n```"])
    monkeypatch.setattr(sft.SFTStage, "generator", lambda self: gen)
    first = sft.begin(s)
    seeds = sft.select_seeds(first)
    cands = sft.synthesize(first, seeds)
    assert isinstance(cands, sft.Candidates) and all(isinstance(it, SFTItem) for it in cands.items)
    assert [it.source for it in cands.items] == ["generated", "seed", "docstring", "docstring", "docstring"]
    first.close()

    def boom(*a, **k):
        raise AssertionError("synthesis ran again")

    monkeypatch.setattr(sft.SFTStage, "generator", boom)
    second = sft.begin(s)  # a restarted kernel: same settings, same inputs
    assert not second.done
    assert sft.synthesize(second, sft.select_seeds(second)) == cands
    second.close()
    # stage 03 retrained: its manifest (the input's digest) changes
    mf = tmp_path / "t" / "03_pretraining" / "manifest.json"
    m = read_manifest(mf.parent)
    m["finished_at"] = "later"
    atomic_write_json(mf, m)
    third = sft.begin(s)
    with pytest.raises(AssertionError, match="synthesis ran again"):
        sft.synthesize(third, sft.select_seeds(third))
    third.close()


def test_report_to_tensorboard_reaches_the_trainer_config_and_logs_under_the_stage(tmp_path):
    import os

    from seedkit.posttraining.stage import tensorboard_dir
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "t")
    s = SFTSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), report_to="tensorboard")
    st = sft.begin(s)
    cfg = sft.training_config(st)
    assert list(cfg.report_to) == ["tensorboard"] and cfg.completion_only_loss and cfg.max_length == 256
    before = os.environ.get("TENSORBOARD_LOGGING_DIR")
    with tensorboard_dir(st, cfg):
        assert os.environ["TENSORBOARD_LOGGING_DIR"] == str(st.path / "tensorboard")
    assert os.environ.get("TENSORBOARD_LOGGING_DIR") == before
    st.close()
    st2 = sft.begin(s.replace(report_to="none"))
    assert sft.training_config(st2).report_to in ([], "none", ["none"])
    st2.close()


def test_the_notebook_builds_the_same_sft_config_as_the_stage(tmp_path):
    """The SFTConfig written out argument by argument in notebook 04 equals what run_sft trains with."""
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "t")
    for profile, kw in (("tiny", {}), ("tiny", {"max_steps": 0, "packing": True, "report_to": "tensorboard"})):
        s = SFTSettings.from_params(profile, run_name="t", runs_dir=str(tmp_path), **kw)
        st = sft.begin(s)
        ns = {"settings": s, "stage": st}
        exec(notebook_cell("04_sft", "from trl import SFTConfig"), ns)
        want = sft.training_config(st).to_dict()
        got = ns["config"].to_dict()
        assert got == want, {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        st.close()


@pytest.mark.slow
def test_qlora_on_an_adapter_parent_continues_its_adapter(tmp_path):
    """gpu chains keep stage 03's adapter unmerged over a 4-bit base: SFT trains that adapter on (a fresh
    one on top could not be saved against a merged parent) and saves it against the parent's own base."""
    import torch
    from peft import PeftModel

    from seedkit.models import SEEDKIT_MODEL_JSON, load_model
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "q", adapter=True)
    s = SFTSettings.from_params("tiny", run_name="q", runs_dir=str(tmp_path), finetune_method="qlora", max_steps=2,
                                learning_rate=1e-2)
    st = sft.begin(s)
    model, _ = sft.load_parent(st)
    assert isinstance(model, PeftModel) and model._seedkit_continued_adapter
    assert any(p.dtype == torch.uint8 for p in model.parameters())  # 4-bit base weights
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in n for n in trainable)
    del model
    trained = sft.train(st, four_items())
    assert len([r for r in trained.log_history if "loss" in r]) == 2
    meta = json.loads((tmp_path / "q" / "04_sft" / "model" / SEEDKIT_MODEL_JSON).read_text())
    assert meta["kind"] == "lora-adapter" and Path(meta["base"]) == (tmp_path / "q-base").resolve()
    child, _ = load_model("run:q/04_sft", runs_dir=str(tmp_path), verbose=False)  # loads and merges
    parent, _ = load_model("run:q/03_pretraining", runs_dir=str(tmp_path), verbose=False)
    pp = dict(parent.named_parameters())
    assert any(not torch.equal(p, pp[n]) for n, p in child.named_parameters())
    st.close()


def test_lora_trains_over_a_bfloat16_base_and_saves_a_float32_adapter(tmp_path):
    """lora_base_dtype=bfloat16 (smol's auto on a CPU with AMX): the frozen base is 16-bit, the adapters,
    the output head and so the logits and loss stay float32, and the saved adapter loads into a float32
    model as usual."""
    import torch

    from seedkit.models import load_model
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "b")
    s = SFTSettings.from_params("tiny", run_name="b", runs_dir=str(tmp_path), finetune_method="lora",
                                lora_base_dtype="bfloat16", max_steps=2, learning_rate=1e-2)
    st = sft.begin(s)
    assert st.training_dtype(True) == "bfloat16" and st.training_dtype(False) == "float32"  # tiny's float32
    model, tok = sft.load_parent(st)
    frozen = {p.dtype for p in model.parameters() if not p.requires_grad}
    trainable = {n: p.dtype for n, p in model.named_parameters() if p.requires_grad}
    assert torch.bfloat16 in frozen and trainable and set(trainable.values()) == {torch.float32}
    assert all("lora_" in n for n in trainable)
    ids = tok("def f():", return_tensors="pt")
    assert model(**ids).logits.dtype == torch.float32
    del model
    trained = sft.train(st, four_items())
    losses = [r["loss"] for r in trained.log_history if "loss" in r]
    assert len(losses) == 2 and all(math.isfinite(x) for x in losses)
    child, _ = load_model("run:b/04_sft", runs_dir=str(tmp_path), verbose=False)
    parent, _ = load_model("run:b/03_pretraining", runs_dir=str(tmp_path), verbose=False)
    assert {p.dtype for p in child.parameters()} == {torch.float32}
    pp = dict(parent.named_parameters())
    assert any(not torch.equal(p, pp[n]) for n, p in child.named_parameters())
    st.close()
    from seedkit.config import SettingsError

    with pytest.raises(SettingsError, match="lora_base_dtype: 'half' is not one of auto"):
        SFTSettings.from_params("tiny", lora_base_dtype="half")


def test_the_notebook_computes_the_sft_loss_by_hand_as_trl_masks_it(tmp_path):
    """Notebook 04's objective cell on a scratch model: its tokens and labels (prompt masked) are those TRL's
    SFTTrainer builds for the example, and its hand-computed answer loss is the model's loss with those labels."""
    from types import SimpleNamespace

    from trl import SFTTrainer

    from seedkit.models import load_model
    from seedkit.posttraining.finetune import chat_dataset, sft_config

    model, tok = load_model("scratch", device="cpu", dtype="float32", verbose=False,
                            tokenizer_texts=["def f(x):\n    return x + 1\n", "Write f returning x plus one."] * 30,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    rows = chat_dataset([{"instruction": "Write f(x) returning x plus one.", "solution": "def f(x):\n    return x + 1\n"}])
    ns = {"model": model, "tok": tok, "example": rows[0], "settings": SimpleNamespace(max_length=256)}
    exec(notebook_cell("04_sft", "# the SFT loss of one example, by hand"), ns)  # asserts by hand == model's loss
    assert 0 < ns["n_masked"] < len(ns["ids"]) and ns["by_hand"] > 0
    cfg = sft_config(output_dir=str(tmp_path), device="cpu", dtype="float32", global_batch=1, per_device_max=1,
                     learning_rate=1e-3, max_steps=1, num_epochs=1, max_length=256)
    trainer = SFTTrainer(model=model, args=cfg, train_dataset=rows, processing_class=tok)
    trl_row = trainer.train_dataset[0]
    assert trl_row["input_ids"] == ns["ids"]
    assert trl_row["labels"] == ns["labels"] == [-100] * ns["n_masked"] + ns["ids"][ns["n_masked"]:]
