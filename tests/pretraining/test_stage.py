"""Stage 03's steps (seedkit.pretraining.stage): missing inputs, steps keyed by inputs and redone when their files
are gone, an end-to-end tiny run, resume after a kill, and the QLoRA path."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from seedkit.pretraining.settings import PretrainingSettings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

def test_missing_stage02_fails_with_one_line(tmp_path):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining.stage import run_pretraining
    from seedkit.runs import MissingInputError

    write_fixture_run(tmp_path, "nofilter", n_files=16, with_stage02=False)
    with pytest.raises(MissingInputError) as e:
        run_pretraining(PretrainingSettings.from_params("tiny", run_name="nofilter", runs_dir=str(tmp_path)))
    assert "02_llm_filter" in str(e.value) and "\n" not in str(e.value)


@dataclass
class Count:
    n: int


def test_steps_are_keyed_by_inputs_and_redone_when_their_files_are_gone(tmp_path):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining import stage as st

    write_fixture_run(tmp_path, "steps", n_files=16)
    s = PretrainingSettings.from_params("tiny", run_name="steps", runs_dir=str(tmp_path))
    stage = st.begin(s)
    calls = []
    made = tmp_path / "made.txt"

    def compute():
        calls.append(1)
        made.write_text("x")
        return Count(len(calls))

    assert stage.step("demo", compute, product=Count, needs=(made,)) == Count(1)
    assert stage.step("demo", compute, product=Count, needs=(made,)) == Count(1) and len(calls) == 1  # reused
    made.unlink()
    assert stage.step("demo", compute, product=Count, needs=(made,)) == Count(2)  # its file was gone: redone
    assert stage.saved("demo", Count) == Count(2) and stage.need("demo") == Count(2)
    with pytest.raises(RuntimeError, match="has not run"):
        stage.saved("train_stage1", Count)
    # a changed input (stage 02 rerun) gives another key: nothing of the old inputs is reused
    manifest = tmp_path / "steps" / "02_llm_filter" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"fixture": true', '"fixture": false'))
    again = st.begin(s)
    assert again.inputs_key != stage.inputs_key and again.ckpt != stage.ckpt
    assert again.step("demo", compute, product=Count) == Count(3)
    stage.close()
    again.close()


@pytest.mark.slow
def test_tiny_run_end_to_end_records_its_effect_and_loads_for_stage04(tmp_path, capsys):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.models import load_model
    from seedkit.pretraining.stage import run_pretraining

    write_fixture_run(tmp_path, "e2e", n_files=80)
    s = PretrainingSettings.from_params("tiny", run_name="e2e", runs_dir=str(tmp_path), max_steps_stage1=12,
                                        max_steps_stage2=4, save_steps=100, ablation_seeds=2,
                                        ablation_token_budget=1024, eval_limit=3, eval_samples=2, chat_weight=0.2)
    r = run_pretraining(s)
    st1, st2 = r.stage(1)["train"], r.stage(2)["train"]
    assert st1["global_step"] == 12 and st2["global_step"] == 4
    lrs1 = [row["learning_rate"] for row in st1["log_history"] if "learning_rate" in row]
    lrs2 = [row["learning_rate"] for row in st2["log_history"] if "learning_rate" in row]
    assert max(lrs1) == pytest.approx(s.learning_rate, rel=0.05)
    assert lrs2[0] == pytest.approx(s.learning_rate / math.sqrt(10), rel=1e-3)
    assert min(lrs2) >= s.learning_rate / 10 * 0.999
    # held-out loss per stage on both sets, with intervals; a scratch model learns, so loss falls
    for label in ("parent", "stage1", "stage2"):
        for name in ("random", "top_scored"):
            h = r.metrics["heldout"][label][name]
            assert h["interval"][0] <= h["loss"] <= h["interval"][1] and h["files"] == s.heldout_random_files
    change = r.metrics["heldout_changes"]["random"]["stage2 - parent"]
    assert change["mean"] < 0 and change["interval"][1] < 0
    assert len(r.stage(1)["completions"]) >= 2 and r.stage(2)["fim_demo"]
    # the manifest names the parent and records the effect: before, after, paired difference, sizes
    m = r.manifest["metrics"]
    assert m["parent_model"] == "scratch" and m["adapter"] == "full"
    eff = m["effect"]
    assert eff["n_problems"] == 3 and eff["n_samples"] == 2 and eff["parent_model"] == "scratch"
    assert {"mean", "lo", "hi"} <= set(eff["difference"]) and eff["after"]["prompt_format"] == "completion"
    assert eff["child_model"] == "run:e2e/03_pretraining"
    # instruction data in the chat format took its share of both stages; chat ability measured on the probe
    for n in (1, 2):
        assert r.stage(n)["mixture"]["chat"]["share"] == pytest.approx(0.2)
    chat = r.metrics["chat_ability"]
    assert chat["n_problems"] == s.chat_probe_limit and chat["verdict"] in ("kept (no change resolved)", "improved",
                                                                            "eroded")
    assert chat["difference"]["lo"] <= chat["difference"]["mean"] <= chat["difference"]["hi"]
    assert m["chat_ability"] == chat["line"]
    abl = r.ablation["summary"]
    assert abl["n_seeds"] == 2 and set(abl["sets"]) == {"random", "top_scored"}
    # the two slices hold exactly the tokens each model trains on; the filtered one is the best-scored
    assert abl["slices"]["filtered"]["tokens"] == abl["slices"]["rules_only"]["tokens"] == abl["tokens_each"]
    assert abl["slices"]["filtered"]["mean_score"] is not None
    assert m["ablation"]["random"]["verdict"] in ("filtered lower", "rules_only lower", "no difference resolved")
    model, tok = load_model("run:e2e/03_pretraining", runs_dir=tmp_path, device="cpu", verbose=False)
    assert tok.convert_tokens_to_ids("<|fim_middle|>") is not None and model.config.num_hidden_layers == 4
    capsys.readouterr()
    again = run_pretraining(s)
    assert again.skipped and "done already" in capsys.readouterr().out


@pytest.mark.slow
def test_killed_training_resumes_from_its_last_checkpoint(tmp_path):
    from fixtures.pretraining_run import write_fixture_run

    write_fixture_run(tmp_path, "kill", n_files=40)
    cmd = [sys.executable, "-m", "seedkit", "train", "pretraining", "--profile", "tiny", "--run-name", "kill",
           "--runs-dir", str(tmp_path), "-p", "max_steps_stage1=24", "-p", "save_steps=4",
           "-p", "max_steps_stage2=2", "-p", "run_ablation=False", "-p", "effect_prompt_formats=[]"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    root = tmp_path / "kill" / "03_pretraining" / "checkpoints"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 240
    try:
        while not list(root.glob("*/stage1/checkpoint-8/trainer_state.json")):
            assert proc.poll() is None, "training ended before it could be killed"
            assert time.time() < deadline, "no checkpoint-8 within 240 s"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    ck = next(root.glob("*/stage1"))
    assert not (ck / "checkpoint-24").exists() and not (tmp_path / "kill" / "03_pretraining" / "manifest.json").exists()
    killed_at = max(int(p.name.split("-")[1]) for p in ck.glob("checkpoint-*") if (p / "trainer_state.json").exists())
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"resuming from checkpoint-{killed_at}" in out.stdout
    metrics = json.loads((tmp_path / "kill" / "03_pretraining" / "metrics.json").read_text())
    st1 = metrics["stages"]["stage1"]["train"]
    assert st1["resumed_from"] == f"checkpoint-{killed_at}" and st1["global_step"] == 24
    steps = [row["step"] for row in st1["log_history"] if "loss" in row]
    assert steps == list(range(1, 25))  # every step logged exactly once across the kill
    assert not list(ck.glob("checkpoint-*"))  # a finished stage keeps its final model, not its checkpoints


@pytest.mark.slow
def test_qlora_continued_pretraining_saves_an_adapter_the_loader_merges(tmp_path):
    """The gpu profile's path on the CPU: a pretrained parent in 4-bit with LoRA through both stages
    (stage 2 reloads stage 1's adapter), saved as an adapter over the parent's spec."""
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.config import PROFILES
    from seedkit.models import load_model, save_model, train_tokenizer
    from seedkit.pretraining.stage import run_pretraining

    write_fixture_run(tmp_path, "q", n_files=40)
    tok = train_tokenizer(["def f(x):\n    return x\n"] * 50, vocab_size=300)
    # bitsandbytes' CPU kernels need dims that are multiples of 64 (docs/environment.md)
    dims = {**PROFILES["tiny"].scratch_model, "intermediate_size": 384}
    base, _ = load_model("scratch", scratch_config=dims, tokenizer=tok, verbose=False)
    save_model(base, tok, tmp_path / "base")
    s = PretrainingSettings.from_params("tiny", run_name="q", runs_dir=str(tmp_path), model_source=str(tmp_path / "base"),
                                        adapter="qlora", run_ablation=False, effect_prompt_formats=[],
                                        max_steps_stage1=4, max_steps_stage2=2, save_steps=2, learning_rate=1e-3)
    r = run_pretraining(s)
    assert r.metrics["adapter"] == "qlora" and r.metrics["parent_model"] == str(tmp_path / "base")
    assert r.metrics["heldout_changes"]["random"]["stage2 - parent"]["interval"][1] < 0  # it learned
    meta = json.loads((r.path / "model" / "seedkit_model.json").read_text())
    assert meta["kind"] == "lora-adapter" and meta["base"] == str(tmp_path / "base")
    merged, _ = load_model("run:q/03_pretraining", runs_dir=tmp_path, verbose=False)
    assert not hasattr(merged, "peft_config")  # the loader merged the adapter into the full-precision base


def test_publishing_a_finished_stage_rewrites_nothing():
    """A rerun of a finished stage 03 (the notebook's cells, or seedkit run on a handed-out run) leaves its
    model/ and tokenizer/ as the manifest recorded them, so `seedkit verify` still finds them intact."""
    from types import SimpleNamespace

    from seedkit.pretraining.stage import publish_model

    class NoSave:
        def save_pretrained(self, path):
            raise AssertionError(f"a finished stage saved its tokenizer again to {path}")

    stage = SimpleNamespace(done=True, settings=SimpleNamespace(run_name="handout"))
    assert publish_model(stage, NoSave()) == "run:handout/03_pretraining"
