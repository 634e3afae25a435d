"""Stage 03: FIM round-trips, packing without loss, tokenizer special tokens, the LR schedule,
mixtures, settings, missing inputs, an end-to-end tiny run and resume after a kill."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seedkit.config import SettingsError
from seedkit.pretraining.data import mix_by_tokens
from seedkit.pretraining.fim import (
    FimSplit,
    FimTokens,
    fim_pieces,
    fim_text,
    maybe_fim,
    random_split,
    reassemble,
)
from seedkit.pretraining.packing import encode_pieces, eot_stream, pack
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import stage_lr

os.environ.setdefault("HF_HUB_OFFLINE", "1")

TOKS = FimTokens("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", 3, 4, 5)
TEXTS = ["", "a", "def f(x):\n    return x + 1\n", "héllo wörld ✓ 漢字\n" * 3,
         "function add(a, b) {\n  return a + b;\n}\n", " " * 7, "x = [1, 2, 3]\nprint(sum(x))\n" * 20]


@pytest.fixture(scope="module")
def tokenizer():
    from seedkit.models import train_tokenizer

    return train_tokenizer([t for t in TEXTS if t] * 20, vocab_size=400)


# --------------------------------------------------------------------------- FIM


@pytest.mark.parametrize("mode", ["spm", "psm"])
def test_fim_sample_always_reassembles_to_the_original(mode):
    rng = random.Random(0)
    alphabet = "abc xyz\n\t()=+é漢{}:;"
    docs = TEXTS + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200))) for _ in range(500)]
    for doc in docs:
        split = random_split(doc, rng)
        assert split.original == doc
        sample = fim_text(split, TOKS, mode)
        assert reassemble(sample, TOKS, mode) == doc
        assert len(sample) == len(doc) + len(TOKS.prefix) + len(TOKS.suffix) + len(TOKS.middle)


def test_fim_order_spm_and_psm():
    split = FimSplit("P", "M", "S")
    assert fim_pieces(split, TOKS, "spm") == [4, "S", 3, "P", 5, "M"]
    assert fim_pieces(split, TOKS, "psm") == [3, "P", 4, "S", 5, "M"]
    assert fim_text(split, TOKS, "spm") == "<|fim_suffix|>S<|fim_prefix|>P<|fim_middle|>M"


def test_fim_rate_is_respected_and_rate_zero_keeps_text():
    rng = random.Random(1)
    hits = sum(len(maybe_fim("some text here", 0.5, rng, TOKS)) > 1 for _ in range(4000))
    assert 1850 < hits < 2150
    assert all(maybe_fim("abc", 0.0, rng, TOKS) == ["abc"] for _ in range(100))
    assert all(len(maybe_fim("abc", 1.0, rng, TOKS)) == 6 for _ in range(100))
    assert maybe_fim("abc", 1.0, rng, None) == ["abc"]  # no FIM tokens: FIM is off


def test_fim_split_points_are_characters_not_tokens():
    rng = random.Random(2)
    cuts = {len(random_split("abcdefghij", rng).prefix) for _ in range(400)}
    assert cuts == set(range(11))  # every character position, ends included


# --------------------------------------------------------------------------- packing


@pytest.mark.parametrize("block", [1, 3, 7, 16, 1000])
def test_packing_loses_and_duplicates_no_token(block):
    rng = random.Random(block)
    docs = [[rng.randint(10, 99) for _ in range(rng.randint(0, 40))] for _ in range(50)]
    blocks = pack(docs, block, eos_id=1, pad_id=0)
    assert all(len(b) == block for b in blocks.input_ids)
    assert blocks.stream() == eot_stream(docs, 1)
    assert blocks.num_tokens == sum(len(d) + 1 for d in docs)
    ds = blocks.to_dataset()
    labels = [t for row in ds["labels"] for t in row if t != -100]
    assert labels == eot_stream(docs, 1)
    assert sum(sum(m) for m in ds["attention_mask"]) == blocks.num_tokens


def test_packing_without_partial_drops_only_the_tail():
    docs = [[5] * 10, [6] * 10]  # 22 tokens with EOT
    full = pack(docs, 8, 1, 0, keep_partial=False)
    assert len(full) == 2 and full.stream() == eot_stream(docs, 1)[:16]


def test_encoding_fim_pieces_round_trips_through_the_tokenizer(tokenizer):
    fim = FimTokens.from_tokenizer(tokenizer)
    assert fim is not None
    doc = "def f(x):\n    return x + 1\n"
    split = FimSplit(doc[:7], doc[7:15], doc[15:])
    ids = encode_pieces(tokenizer, [fim_pieces(split, fim, "spm")])[0]
    assert ids[0] == fim.suffix_id and ids.count(fim.prefix_id) == 1 and ids.count(fim.middle_id) == 1
    text = tokenizer.decode(ids)
    assert reassemble(text, fim, "spm") == doc


# --------------------------------------------------------------------------- tokenizer


def test_tokenizer_special_tokens_are_single_ids_and_not_injectable(tokenizer):
    from seedkit.models import SPECIAL_TOKENS, special_token

    for role, tok in SPECIAL_TOKENS.items():
        assert special_token(tokenizer, role) == tok
        assert len(tokenizer(tok, add_special_tokens=False)["input_ids"]) == 1
    fim = FimTokens.from_tokenizer(tokenizer)
    ids = encode_pieces(tokenizer, [["x = '<|fim_prefix|>'"]])[0]
    assert fim.prefix_id not in ids  # a file containing the token's string stays plain text
    assert tokenizer.decode(ids) == "x = '<|fim_prefix|>'"


# --------------------------------------------------------------------------- schedule


def test_stage_schedule_follows_the_report():
    s1, e1 = stage_lr(1e-3, 1)
    s2, e2 = stage_lr(1e-3, 2)
    assert s1 == 1e-3 and math.isclose(e1, 1e-3 / math.sqrt(10))
    assert s2 == e1 and math.isclose(e2, 1e-5)
    with pytest.raises(ValueError):
        stage_lr(1e-3, 3)


def test_training_args_use_cosine_to_min_lr(tmp_path):
    from seedkit.pretraining.train import build_training_args

    a = build_training_args(output_dir=tmp_path, device="cpu", dtype="float32", global_batch=8, per_device_max=4,
                            lr_start=1e-3, lr_end=1e-5, max_steps=10, warmup_ratio=0.1, weight_decay=0.1,
                            save_steps=5, eval_steps=None, seed=0, verbose=False)
    assert getattr(a.lr_scheduler_type, "value", a.lr_scheduler_type) == "cosine_with_min_lr" and a.lr_scheduler_kwargs == {"min_lr": 1e-5}
    assert a.per_device_train_batch_size * a.gradient_accumulation_steps == 8 and not a.bf16


# --------------------------------------------------------------------------- mixtures and settings


def test_mix_by_tokens_respects_shares_and_redistributes_empty_sources():
    rng = random.Random(0)
    sources = {"code": [[1] * 9] * 10, "web": [[2] * 4] * 3, "commits": []}
    msgs = []
    mix = mix_by_tokens(sources, {"code": 0.7, "web": 0.2, "commits": 0.1}, 1000, rng, msgs.append, "stage 1")
    assert "commits" in msgs[0]
    assert mix.stats["code"]["share"] == pytest.approx(0.7 / 0.9, abs=1e-3)
    web = sum(len(d) + 1 for d in mix.docs if d[0] == 2)
    assert abs(web - 1000 * 0.2 / 0.9) <= 5  # within one document
    assert mix.stats["web"]["epochs"] > 1  # a small source is repeated, and that is reported


def test_settings_parameters_and_validation():
    cell = PretrainingSettings.parameters_cell()
    assert "corpus = None" in cell and "ablation_token_budget = None" in cell
    s = PretrainingSettings.from_params("tiny")
    assert s.seq_len_stage1 < s.seq_len_stage2 and s.fim_rate_stage1 == 0.5 and s.fim_rate_stage2 == 0.1
    with pytest.raises(SettingsError, match="seq_len_stage2"):
        PretrainingSettings.from_params("tiny", seq_len_stage1=256, seq_len_stage2=128)
    with pytest.raises(SettingsError, match="corpus"):
        PretrainingSettings.from_params("tiny", corpus="everything")
    with pytest.raises(SettingsError, match="web_weight"):
        PretrainingSettings.from_params("tiny", web_weight=0.7, commits_weight=0.5)
    assert PretrainingSettings.from_params("smol").adapter_choice()[0] == "full"  # scratch
    assert PretrainingSettings.from_params("smol", model_source="base").adapter_choice()[0] == "lora"
    assert PretrainingSettings.from_params("gpu").adapter_choice()[0] == "qlora"


def test_missing_stage02_fails_with_one_line(tmp_path):
    from seedkit.pretraining.fixtures import write_fixture_run
    from seedkit.pretraining.stage import run_pretraining
    from seedkit.runs import MissingInputError

    write_fixture_run(tmp_path, "nofilter", n_files=16, with_stage02=False)
    with pytest.raises(MissingInputError) as e:
        run_pretraining(PretrainingSettings.from_params("tiny", run_name="nofilter", runs_dir=str(tmp_path)))
    assert "02_llm_filter" in str(e.value) and "\n" not in str(e.value)


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_tiny_run_end_to_end_loads_for_stage04_and_skips_when_done(tmp_path, capsys):
    from seedkit.models import load_model
    from seedkit.pretraining.fixtures import write_fixture_run
    from seedkit.pretraining.stage import run_pretraining

    write_fixture_run(tmp_path, "e2e", n_files=80)
    s = PretrainingSettings.from_params("tiny", run_name="e2e", runs_dir=str(tmp_path), max_steps_stage1=12,
                                     max_steps_stage2=4, eval_steps=4, save_steps=100, ablation_token_budget=2048)
    r = run_pretraining(s)
    st1, st2 = r.stage(1)["train"], r.stage(2)["train"]
    assert st1["global_step"] == 12 and st2["global_step"] == 4
    lrs1 = [row["learning_rate"] for row in st1["log_history"] if "learning_rate" in row]
    lrs2 = [row["learning_rate"] for row in st2["log_history"] if "learning_rate" in row]
    assert max(lrs1) == pytest.approx(s.learning_rate, rel=0.05)
    assert lrs2[0] == pytest.approx(s.learning_rate / math.sqrt(10), rel=1e-3)
    assert min(lrs2) >= s.learning_rate / 100 * 0.999
    assert {"python", "javascript", "all"} <= set(r.stage(2)["heldout"])
    assert len(r.stage(1)["completions"]) >= 2 and r.stage(2)["fim_demo"]
    abl = json.loads((r.path / "stats.json").read_text())["ablation"]
    assert abl["token_budget"] == 2048 and set(abl["curves"]) == {"filtered", "rules_only"}
    assert abl["lower_heldout_loss"] in ("filtered", "rules_only", "tie")
    model, tok = load_model("run:e2e/03_pretraining", runs_dir=tmp_path, device="cpu", verbose=False)
    assert tok.convert_tokens_to_ids("<|fim_middle|>") is not None and model.config.num_hidden_layers == 4
    capsys.readouterr()
    again = run_pretraining(s)
    assert again.skipped and "done already" in capsys.readouterr().out


@pytest.mark.slow
def test_killed_training_resumes_from_its_last_checkpoint(tmp_path):
    from seedkit.pretraining.fixtures import write_fixture_run

    write_fixture_run(tmp_path, "kill", n_files=40)
    cmd = [sys.executable, "-m", "seedkit", "train", "pretraining", "--profile", "tiny", "--run-name", "kill",
           "--runs-dir", str(tmp_path), "-p", "max_steps_stage1=24", "-p", "save_steps=4", "-p", "eval_steps=100",
           "-p", "max_steps_stage2=2", "-p", "run_ablation=False"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    ck = tmp_path / "kill" / "03_pretraining" / "checkpoints" / "stage1"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 240
    try:
        while not (ck / "checkpoint-8" / "trainer_state.json").exists():
            assert proc.poll() is None, "training ended before it could be killed"
            assert time.time() < deadline, "no checkpoint-8 within 240 s"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
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


def test_last_complete_checkpoint_skips_a_half_written_one(tmp_path):
    from seedkit.pretraining.train import last_complete_checkpoint

    assert last_complete_checkpoint(tmp_path) is None
    for step, complete in ((4, True), (8, True), (12, False)):
        (tmp_path / f"checkpoint-{step}").mkdir()
        if complete:
            (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
    assert Path(last_complete_checkpoint(tmp_path)).name == "checkpoint-8"


def test_split_long_cuts_at_lines_and_joins_back():
    from seedkit.pretraining.data import split_long

    text = "".join(f"line {i} " + "x" * (i % 13) + "\n" for i in range(200)) + "y" * 90
    parts = split_long(text, 64)
    assert "".join(parts) == text and all(0 < len(p) <= 64 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-2])  # line ends where a line fits
    assert split_long("short", 64) == ["short"]


def test_inputs_hold_out_top_files_everywhere_and_rules_only_has_no_llm_scores(tmp_path):
    from seedkit.pretraining.data import load_inputs
    from seedkit.pretraining.fixtures import write_fixture_run

    run = write_fixture_run(tmp_path, "inp", n_files=40)
    s = PretrainingSettings.from_params("tiny", run_name="inp", runs_dir=str(tmp_path), corpus="rules_only",
                                     heldout_files=5)
    inp = load_inputs(s, run / "01_curation", run / "02_llm_filter", say=lambda *a: None)
    held = {f.id for f in inp.heldout}
    assert len(held) == 5 and min(f.quality_score for f in inp.heldout) >= max(
        f.quality_score for f in inp.other_files if f.id not in held)  # the highest-scored files
    assert not held & {f.id for f in inp.train_files + inp.other_files}
    assert all(f.quality_score is None for f in inp.train_files)  # rules_only world
    assert all(f.quality_score is not None for f in inp.other_files)  # filtered world
    assert not any(f.content in c for f in inp.heldout for _, c in inp.repos)
