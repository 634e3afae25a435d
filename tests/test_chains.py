"""Chains of adapters (issue 25, item 2): each stage continues its parent's adapter or merges it, never
stacks a fresh one over an unmerged one; a saved adapter reloads to exactly its trained weights in every
dtype. Tiny random Llamas on the CPU, 4-bit through bitsandbytes' CPU path."""

from __future__ import annotations

import json

import pytest
import torch

from seedkit.models import SEEDKIT_MODEL_JSON, LoraOptions, load_model, save_model

TEXTS = ["def add(a, b):\n    return a + b\n", "for i in range(10):\n    print(i)\n"] * 20
CFG = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
           num_key_value_heads=2, max_position_embeddings=128)


def _adapter(model) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone().float() for n, p in model.named_parameters() if "lora_" in n}


def _train(model, seed: int) -> None:
    """Stand-in for a stage's training: moves every trainable adapter weight (the tests are about what is
    kept, saved and reloaded, not about the optimizer)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(0.05 * torch.randn(p.shape, generator=gen).to(p.dtype))


def _saved_keys(path) -> list[str]:
    from safetensors import safe_open

    with safe_open(str(path / "adapter_model.safetensors"), "pt") as f:
        return list(f.keys())


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("chain")
    model, tok = load_model("scratch", scratch_config=CFG, tokenizer_texts=TEXTS, verbose=False)
    return save_model(model, tok, root / "base")


def test_qlora_chain_continues_the_parent_adapter_and_saves_it_on_its_base(base_dir, tmp_path):
    runs = tmp_path / "runs"
    # stage 03 on the gpu profile: QLoRA, saved as an adapter over the 4-bit base
    m3, tok = load_model(str(base_dir), load_in_4bit=True, lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    _train(m3, 3)
    trained3 = _adapter(m3)
    save_model(m3, tok, runs / "r" / "03_pretraining" / "model")
    # stage 06's warm-up asks for a fresh LoRA on the stage-03 model: it gets 03's adapter, unchanged
    m6, tok = load_model("run:r/03_pretraining", load_in_4bit=True, lora=LoraOptions(r=16, alpha=32),
                         runs_dir=runs, verbose=False)
    assert list(m6.peft_config) == ["default"]
    assert not [n for n in _adapter(m6) if "base_model.model.base_model" in n]  # no adapter stacked on an adapter
    assert set(_adapter(m6)) == set(trained3)
    assert all(torch.equal(trained3[n], w) for n, w in _adapter(m6).items())
    assert all(p.requires_grad == ("lora_" in n) for n, p in m6.named_parameters())
    _train(m6, 6)
    trained6 = _adapter(m6)
    out = save_model(m6, tok, runs / "r" / "06_longcot_rl" / "model", base_spec="run:r/03_pretraining")
    # saved on 03's own base (not over 03's adapter, which it replaces), with the keys of one adapter
    assert json.loads((out / SEEDKIT_MODEL_JSON).read_text())["base"] == str(base_dir)
    assert all(k.startswith("base_model.model.model.") for k in _saved_keys(out))
    # reloads to exactly what trained, to continue it (GRPO after the warm-up) or to measure it
    again, _ = load_model("run:r/06_longcot_rl", load_in_4bit=True, continue_adapter=True, runs_dir=runs,
                          verbose=False)
    assert all(torch.equal(trained6[n], w) for n, w in _adapter(again).items()) and set(_adapter(again)) == set(trained6)
    # and 03's adapter on disk is untouched
    m3b, _ = load_model("run:r/03_pretraining", load_in_4bit=True, runs_dir=runs, verbose=False)
    assert all(torch.equal(trained3[n], w) for n, w in _adapter(m3b).items())


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_adapter_reloads_to_its_trained_weights_in_every_dtype(base_dir, tmp_path, dtype):
    model, tok = load_model(str(base_dir), dtype=dtype, lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    _train(model, 1)
    trained = _adapter(model)
    ids = tok("def add(a, b):", return_tensors="pt")
    with torch.no_grad():
        expected = model(**ids).logits.float()
    out = save_model(model, tok, tmp_path / "sft")
    kept, _ = load_model(str(out), dtype=dtype, continue_adapter=True, verbose=False)
    assert set(_adapter(kept)) == set(trained)
    assert all(torch.equal(trained[n], w) for n, w in _adapter(kept).items()), dtype
    merged, _ = load_model(str(out), dtype=dtype, verbose=False)
    with torch.no_grad():
        got = merged(**ids).logits.float()
    # the merged model computes what the trained one did (bfloat16 rounds each weight once more when merged)
    assert torch.allclose(expected, got, atol=1e-4 if dtype == "float32" else 0.15), (dtype, (expected - got).abs().max())
    assert not torch.allclose(got, load_model(str(base_dir), dtype=dtype, verbose=False)[0](**ids).logits.float(),
                              atol=1e-3)  # the adapter's training is in the reloaded model


def test_continued_lora_chain_without_4bit_and_a_reference_copy_is_not_saved(base_dir, tmp_path):
    """A non-4-bit adapter continued on purpose (GRPO after the warm-up) is saved on its base, and only the
    trained ``default`` adapter is written (not a frozen ``ref`` copy such as DPO's)."""
    model, tok = load_model(str(base_dir), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    _train(model, 2)
    warm = save_model(model, tok, tmp_path / "warm")
    policy, tok = load_model(str(warm), continue_adapter=True, verbose=False)
    assert all(p.requires_grad == ("lora_" in n) for n, p in policy.named_parameters())
    policy.add_adapter("ref", policy.peft_config["default"])
    _train(policy, 4)
    trained = {n: w for n, w in _adapter(policy).items() if ".default." in n}
    out = save_model(policy, tok, tmp_path / "rl", base_spec=str(warm))
    assert json.loads((out / SEEDKIT_MODEL_JSON).read_text())["base"] == str(base_dir)
    assert not (out / "ref").exists() and all(".ref." not in k for k in _saved_keys(out))
    again, _ = load_model(str(out), continue_adapter=True, verbose=False)
    assert all(torch.equal(trained[n], w) for n, w in _adapter(again).items()) and set(_adapter(again)) == set(trained)


def test_an_adapter_whose_weights_find_no_module_is_refused_not_dropped(base_dir, tmp_path):
    """What the old chain wrote (keys under a doubled prefix): peft only warns and leaves the weights at their
    initial values, so the stage's training would vanish from the reloaded model; the loader refuses it."""
    from safetensors.torch import load_file, save_file

    from seedkit.models import ModelLoadError

    model, tok = load_model(str(base_dir), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    _train(model, 5)
    out = save_model(model, tok, tmp_path / "a")
    weights = load_file(str(out / "adapter_model.safetensors"))
    save_file({k.replace("base_model.model.", "base_model.model.base_model.model.", 1): v for k, v in weights.items()},
              str(out / "adapter_model.safetensors"))
    with pytest.raises(ModelLoadError, match="match no module") as e:
        load_model(str(out), verbose=False)
    assert "\n" not in str(e.value)
