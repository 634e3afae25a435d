"""Stage 03: FIM round-trips, packing without loss, tokenizer special tokens, the LR schedule,
mixtures, settings, held-out sets and their intervals, the ablation's sign and arithmetic, step
reuse, missing inputs, an end-to-end tiny run and resume after a kill."""

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
    """The report: peak 3e-4, regular pretraining ends at 3e-4/sqrt(10), continued pretraining at ~3e-5."""
    s1, e1 = stage_lr(3e-4, 1)
    s2, e2 = stage_lr(3e-4, 2)
    assert s1 == 3e-4 and math.isclose(e1, 3e-4 / math.sqrt(10))
    assert s2 == e1 and math.isclose(e2, 3e-5)  # peak/10, not peak/100
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


def test_missing_stage02_fails_with_one_line(tmp_path):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining.stage import run_pretraining
    from seedkit.runs import MissingInputError

    write_fixture_run(tmp_path, "nofilter", n_files=16, with_stage02=False)
    with pytest.raises(MissingInputError) as e:
        run_pretraining(PretrainingSettings.from_params("tiny", run_name="nofilter", runs_dir=str(tmp_path)))
    assert "02_llm_filter" in str(e.value) and "\n" not in str(e.value)


# --------------------------------------------------------------------------- held-out sets and intervals


def test_windows_predict_every_token_exactly_once():
    from seedkit.pretraining.heldout import file_windows

    for n, block in ((1, 4), (2, 4), (5, 4), (9, 4), (13, 5), (3, 100)):
        ids = list(range(n))
        ws = file_windows(ids, block)
        predicted = [t for w in ws for t in w[1:]]
        assert predicted == ids[1:], (n, block, ws)
        assert all(2 <= len(w) <= block + 1 for w in ws)


def test_file_losses_equal_the_model_loss_on_each_file(tokenizer):
    import torch

    from seedkit.config import PROFILES
    from seedkit.models import load_model
    from seedkit.pretraining.heldout import file_losses

    model, tok = load_model("scratch", scratch_config=dict(PROFILES["tiny"].scratch_model), tokenizer=tokenizer,
                            device="cpu", verbose=False)
    texts = ["def f(x):\n    return x + 1\n", "x = [1, 2, 3]\nprint(sum(x))\n" * 3]
    got = file_losses(model, tok, texts, block_size=1000, max_tokens=1000, batch_size=2)
    for text, (nll, count) in zip(texts, got, strict=True):
        ids = torch.tensor([[tok.eos_token_id] + tok(text, add_special_tokens=False)["input_ids"]])
        with torch.no_grad():
            want = model(input_ids=ids, labels=ids).loss.item()  # mean over the file's tokens
        assert count == ids.shape[1] - 1 and nll / count == pytest.approx(want, rel=1e-4)
    # cut into windows, the same tokens are scored, each once
    short = file_losses(model, tok, texts, block_size=5, max_tokens=1000, batch_size=3)
    assert [c for _, c in short] == [c for _, c in got]


def test_ratio_bootstrap_and_paired_difference():
    from seedkit.pretraining.heldout import paired_difference, ratio_bootstrap

    lo, hi = ratio_bootstrap([2.0, 4.0, 6.0], [1, 2, 3])  # every file at 2 nats/token: no spread
    assert lo == pytest.approx(2.0) and hi == pytest.approx(2.0)
    lo, hi = ratio_bootstrap([1.0, 9.0] * 10, [1, 1] * 10)
    assert 1.0 < lo < 5.0 < hi < 9.0
    before = {"ids": ["a", "b", "c"], "per_file": [[10.0, 10], [20.0, 10], [30.0, 10]]}
    after = {"ids": ["a", "b", "c"], "per_file": [[9.0, 10], [19.0, 10], [29.0, 10]]}
    d = paired_difference(after, before)
    assert d["mean"] == pytest.approx(-0.1) and d["interval"] == pytest.approx([-0.1, -0.1])
    assert d["files"] == 3 and d["tokens"] == 30
    with pytest.raises(ValueError, match="different files"):
        paired_difference({**after, "ids": ["a", "b", "x"]}, before)


def test_inputs_hold_out_a_random_set_and_the_top_scored_set_everywhere(tmp_path):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining.data import load_inputs

    run = write_fixture_run(tmp_path, "inp", n_files=60)
    s = PretrainingSettings.from_params("tiny", run_name="inp", runs_dir=str(tmp_path), corpus="rules_only",
                                        heldout_random_files=12, heldout_top_files=5)
    inp = load_inputs(s, run / "01_curation", run / "02_llm_filter", say=lambda *a: None)
    rnd, top = inp.heldout["random"], inp.heldout["top_scored"]
    assert len(rnd) == 12 and len(top) == 5 and not {f.id for f in rnd} & {f.id for f in top}
    held = {f.id for f in rnd + top}
    # top_scored: the highest scores among files not drawn at random
    others = [f.quality_score for f in inp.train_files + inp.other_files if f.quality_score is not None]
    assert min(f.quality_score for f in top) >= max(others)
    # random: drawn whatever the score, so low-scored files (the ones the filter drops) get in
    assert min(f.quality_score for f in rnd) < min(f.quality_score for f in top)
    contents = {f.content for f in rnd + top}
    for files in (inp.train_files, inp.other_files):
        assert not held & {f.id for f in files} and not contents & {f.content for f in files}
    assert not any(f.content in c for f in rnd + top for _, c in inp.repos)
    assert all(f.quality_score is None for f in inp.train_files)  # rules_only world has no LLM scores
    assert all(f.quality_score is not None for f in inp.other_files)  # filtered world
    # the random draw depends on the seed, not on the scores
    again = load_inputs(s.replace(seed=1), run / "01_curation", run / "02_llm_filter", say=lambda *a: None)
    assert {f.id for f in again.heldout["random"]} != {f.id for f in rnd}


# --------------------------------------------------------------------------- ablation arithmetic


def test_seed_interval_is_the_t_interval_over_seeds():
    from seedkit.pretraining.ablation import seed_interval, verdict

    r = seed_interval([0.10, 0.20, 0.30])  # mean 0.2, sd 0.1, t(0.975, 2) = 4.303
    assert r["mean"] == pytest.approx(0.2) and r["sd"] == pytest.approx(0.1)
    half = 4.303 * 0.1 / math.sqrt(3)
    assert r["interval"] == pytest.approx([0.2 - half, 0.2 + half], abs=2e-3)
    assert verdict(*r["interval"]) == "no difference resolved"  # 0.2 - 0.248 < 0
    assert verdict(0.01, 0.2) == "filtered lower" and verdict(-0.3, -0.01) == "rules_only lower"
    with pytest.raises(ValueError, match="at least 2"):
        seed_interval([0.1])


def _fake_seed(seed, f_files, r_files):
    def side(per_file):
        nll, n = sum(a for a, _ in per_file), sum(b for _, b in per_file)
        return {"heldout": {"random": {"loss": nll / n, "per_file": per_file}}, "curve": {}}
    f, r = side(f_files), side(r_files)
    return {"seed": seed, "steps": 4, "tokens": 1024, "filtered": f, "rules_only": r,
            "difference": {"random": r["heldout"]["random"]["loss"] - f["heldout"]["random"]["loss"]}}


def test_summarize_averages_seeds_and_resamples_files():
    from seedkit.pretraining.ablation import summarize

    per_seed = [_fake_seed(0, [[10.0, 10], [20.0, 10]], [[12.0, 10], [22.0, 10]]),   # +0.2
                _fake_seed(1, [[10.0, 10], [20.0, 10]], [[13.0, 10], [23.0, 10]]),   # +0.3
                _fake_seed(2, [[10.0, 10], [20.0, 10]], [[14.0, 10], [24.0, 10]])]   # +0.4
    s = summarize(per_seed)["sets"]["random"]
    assert s["per_seed"] == pytest.approx([0.2, 0.3, 0.4]) and s["mean"] == pytest.approx(0.3)
    assert s["interval"][0] == pytest.approx(0.3 - 4.303 * 0.1 / math.sqrt(3), abs=2e-3)
    assert s["verdict"] == "filtered lower"  # 0.3 - 0.248 > 0
    assert s["interval_over_files"] == pytest.approx([0.3, 0.3])  # both files moved by the same amount
    assert s["loss_filtered"] == pytest.approx(1.5) and s["loss_rules_only"] == pytest.approx(1.8)


@pytest.mark.slow
def test_ablation_finds_the_corpus_constructed_to_be_better(tmp_path):
    """rules_only is half junk (random characters found nowhere else), filtered is clean code: at equal
    tokens the filtered models must predict both held-out sets better, on every seed."""
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining import stage as st

    write_fixture_run(tmp_path, "abl", n_files=80, rules_junk_fraction=0.5)
    s = PretrainingSettings.from_params("tiny", run_name="abl", runs_dir=str(tmp_path), ablation_seeds=3,
                                        ablation_token_budget=4096, effect_prompt_formats=[])
    stage = st.open_stage(s)
    inputs = st.step_corpus(stage)
    res = st.step_ablation(stage, inputs)
    summary = res["summary"]
    assert summary["n_seeds"] == 3 and summary["tokens_each"] == 4096 and len(res["per_seed"]) == 3
    for name in ("random", "top_scored"):
        row = summary["sets"][name]
        assert all(d > 0 for d in row["per_seed"]), row
        assert row["mean"] == pytest.approx(sum(row["per_seed"]) / 3, abs=1e-3)
        assert row["interval"][0] > 0 and row["verdict"] == "filtered lower", row
        assert row["interval_over_files"][0] > 0
    seeds = [r["seed"] for r in res["per_seed"]]
    assert seeds == [0, 1, 2]
    # different seeds train different models (init and data order), both corpora of a seed the same init
    assert len({r["filtered"]["heldout"]["random"]["loss"] for r in res["per_seed"]}) == 3


# --------------------------------------------------------------------------- steps


def test_steps_are_keyed_by_inputs_and_redone_when_their_files_are_gone(tmp_path):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining import stage as st

    write_fixture_run(tmp_path, "steps", n_files=16)
    s = PretrainingSettings.from_params("tiny", run_name="steps", runs_dir=str(tmp_path))
    stage = st.open_stage(s)
    calls = []
    made = tmp_path / "made.txt"

    def compute():
        calls.append(1)
        made.write_text("x")
        return {"n": len(calls)}

    assert stage.step("demo", compute, needs=(made,)) == {"n": 1}
    assert stage.step("demo", compute, needs=(made,)) == {"n": 1} and len(calls) == 1  # reused
    made.unlink()
    assert stage.step("demo", compute, needs=(made,)) == {"n": 2}  # its file was gone: redone
    # a changed input (stage 02 rerun) gives another key: nothing of the old inputs is reused
    manifest = tmp_path / "steps" / "02_llm_filter" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"fixture": true', '"fixture": false'))
    again = st.open_stage(s)
    assert again.inputs_key != stage.inputs_key and again.ckpt != stage.ckpt
    assert again.step("demo", compute) == {"n": 3}


def test_fim_tokens_are_added_to_a_tokenizer_without_them_and_train_under_lora(tmp_path):
    """A pretrained parent whose tokenizer has no FIM tokens (SmolLM2's case): the kit adds them, resizes
    the embeddings, trains exactly those rows beside the LoRA adapters, and saves a loadable model."""
    import torch
    from transformers import AutoTokenizer

    from seedkit.models import load_model, save_model
    from seedkit.pretraining import stage as st
    from seedkit.pretraining.fim import ADDED_FIM_TOKENS, FimTokens, ensure_fim_tokens

    plain = AutoTokenizer.from_pretrained(str(_save_tok_without_fim(tmp_path)))
    assert FimTokens.from_tokenizer(plain) is None
    cfg = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
               num_key_value_heads=2, max_position_embeddings=128)
    base, _ = load_model("scratch", scratch_config=cfg, tokenizer=plain, verbose=False)
    save_model(base, plain, tmp_path / "base")
    rows = base.get_input_embeddings().weight.shape[0]

    tok = AutoTokenizer.from_pretrained(str(tmp_path / "base"))
    assert ensure_fim_tokens(tok) == list(ADDED_FIM_TOKENS) and ensure_fim_tokens(tok) == []
    fim = FimTokens.from_tokenizer(tok)
    assert fim.prefix == "<fim_prefix>" and min(fim.prefix_id, fim.suffix_id, fim.middle_id) >= rows
    s = PretrainingSettings.from_params("tiny", model_source=str(tmp_path / "base"), adapter="lora",
                                        runs_dir=str(tmp_path))
    model = st.load_stage_model(s, None, tok, trainable=True)
    assert model.get_base_model().model.embed_tokens.token_adapter.base_layer.weight.shape[0] == len(tok) == rows + 3
    ids = torch.tensor([[fim.suffix_id, 5, 6, fim.prefix_id, 7, fim.middle_id, 8]])
    model(input_ids=ids, labels=ids).loss.backward()
    grads = {n for n, p in model.named_parameters() if p.requires_grad and p.grad is not None}
    assert any("trainable_tokens" in n for n in grads) and any("lora_" in n for n in grads)
    assert not any(n.endswith("embed_tokens.weight") for n in grads)  # only the FIM rows, not the matrix
    st.save_stage_model(model, tok, tmp_path / "out", s)
    again, tok2 = load_model(str(tmp_path / "out"), verbose=False)
    assert again.get_input_embeddings().weight.shape[0] == len(tok2) == rows + 3
    assert FimTokens.from_tokenizer(tok2) == fim


def _save_tok_without_fim(tmp_path):
    """A byte-level BPE tokenizer with an end-of-text token and no FIM tokens, saved to a directory."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator([t for t in TEXTS if t] * 20, trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<eos>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, eos_token="<eos>", pad_token="<eos>")
    path = tmp_path / "plain_tok"
    tok.save_pretrained(str(path))
    return path


def test_report_to_tensorboard_gets_its_own_writer_or_a_one_line_error(tmp_path, monkeypatch):
    import importlib.util

    from seedkit.pretraining.train import tracker_callbacks

    assert tracker_callbacks("none", tmp_path) == ("none", [])
    assert tracker_callbacks("wandb", tmp_path) == ("wandb", [])  # passed through to the Trainer
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("tensorboard") else real(name, *a))
    with pytest.raises(RuntimeError, match="pip install tensorboard") as e:
        tracker_callbacks("tensorboard,wandb", tmp_path / "tb")
    assert "\n" not in str(e.value)


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_tiny_run_end_to_end_records_its_effect_and_loads_for_stage04(tmp_path, capsys):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.models import load_model
    from seedkit.pretraining.stage import run_pretraining

    write_fixture_run(tmp_path, "e2e", n_files=80)
    s = PretrainingSettings.from_params("tiny", run_name="e2e", runs_dir=str(tmp_path), max_steps_stage1=12,
                                        max_steps_stage2=4, save_steps=100, ablation_seeds=2,
                                        ablation_token_budget=1024, eval_limit=3, eval_samples=2)
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
    abl = r.ablation["summary"]
    assert abl["n_seeds"] == 2 and set(abl["sets"]) == {"random", "top_scored"}
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
