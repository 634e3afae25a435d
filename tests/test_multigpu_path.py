"""The multi-GPU path, checked on the CPU (issue 25, item 3): each rank on its own device, the process group
before any model, what a sharded run saves, float32 master weights for full training, QLoRA's packed weights
in the compute dtype, activation checkpointing as a setting; two processes over gloo (slow)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from seedkit.models import load_model, master_dtype, resolve_device, save_model
from seedkit.training import keep_trained_state, trainer_kwargs

TEXTS = ["def add(a, b):\n    return a + b\n", "for i in range(10):\n    print(i)\n"] * 20
CFG = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
           num_key_value_heads=2, max_position_embeddings=128)


def test_each_rank_gets_its_local_gpu(monkeypatch):
    set_to = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=0: "fake GPU")
    monkeypatch.setattr(torch.cuda, "set_device", set_to.append)
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "3")
    monkeypatch.setenv("RANK", "7")
    for asked in ("auto", "cuda"):
        dev, why = resolve_device(asked)
        assert dev == "cuda:3" and "local GPU 3" in why
    assert set_to == [3, 3]
    assert resolve_device("cuda:1")[0] == "cuda:1"  # an explicit device is kept
    monkeypatch.setenv("WORLD_SIZE", "1")
    assert resolve_device("auto")[0] == "cuda"


def test_full_training_on_a_gpu_keeps_float32_master_weights():
    assert master_dtype("full", "bfloat16", "cuda:0") == "float32"
    assert "master weights" in master_dtype("full", "auto", "cuda").origin
    assert master_dtype("lora", "bfloat16", "cuda") == "bfloat16"  # a frozen base may stay 16-bit
    assert master_dtype("full", "float32", "cpu") == "float32" and master_dtype("full", "auto", "cpu") == "auto"


def test_qlora_packs_4bit_weights_in_the_16bit_compute_dtype(tmp_path):
    """bnb_4bit_quant_storage = the compute dtype: FSDP and ZeRO-3 shard a model's parameters in one dtype."""
    base, tok = load_model("scratch", scratch_config=CFG, tokenizer_texts=TEXTS, verbose=False)
    save_model(base, tok, tmp_path / "base")
    model, _ = load_model(str(tmp_path / "base"), dtype="bfloat16", load_in_4bit=True, verbose=False)
    packed = {type(p).__name__: p.dtype for n, p in model.named_parameters() if "q_proj" in n}
    assert packed == {"Params4bit": torch.bfloat16}
    assert model.config.quantization_config.bnb_4bit_quant_storage == torch.bfloat16


def test_activation_checkpointing_is_a_setting_of_every_training_stage():
    from seedkit.config import stage_settings_class

    for stage in ("03", "04", "05", "06"):
        cls = stage_settings_class(stage)
        assert [cls.from_params(p).gradient_checkpointing for p in ("tiny", "smol", "gpu", "multi-gpu")] == \
            [False, False, True, True], stage
    kw = trainer_kwargs(output_dir="x", device="cpu", global_batch=2, per_device_max=2, learning_rate=1e-3,
                        max_steps=1, verbose=False, gradient_checkpointing=True)
    assert kw["activation_checkpointing"] and kw["activation_checkpointing_kwargs"] == {"use_reentrant": False}
    assert not trainer_kwargs(output_dir="x", device="cpu", global_batch=2, per_device_max=2, learning_rate=1e-3,
                              max_steps=1, verbose=False)["activation_checkpointing"]


def test_a_sharded_run_saves_the_gathered_weights(tmp_path):
    """Under FSDP or ZeRO-3 each rank holds shards: every rank gathers (accelerate's get_state_dict, as the
    Trainer's save does) and rank 0 writes the gathered weights, not its own shards. FSDP cannot run on the
    CPU (accelerate enables it for GPU process groups only), so the trainer is a stand-in here."""
    model, tok = load_model("scratch", scratch_config=CFG, tokenizer_texts=TEXTS, verbose=False)
    full = {n: torch.full_like(t, 0.5) for n, t in model.state_dict().items()}
    calls = []

    def get_state_dict(wrapped):
        calls.append(wrapped)
        return full

    acc = SimpleNamespace(num_processes=2, is_main_process=True, get_state_dict=get_state_dict)
    keep_trained_state(SimpleNamespace(accelerator=acc, is_fsdp_enabled=True, model=model, model_wrapped="wrapped"),
                       model)
    assert calls == ["wrapped"]
    again, _ = load_model(str(save_model(model, tok, tmp_path / "m")), verbose=False)
    assert not hasattr(model, "_seedkit_state_dict")  # let go once written
    saved = again.state_dict()  # (tied embeddings: one of the two names)
    assert len(set(saved) & set(full)) >= len(full) - 1 and all(torch.equal(saved[n], full[n]) for n in full if n in saved)
    # one process, or DDP (every rank holds all weights): nothing gathered, the model's own weights are saved
    other, _ = load_model("scratch", scratch_config=CFG, tokenizer_texts=TEXTS, verbose=False)
    keep_trained_state(SimpleNamespace(accelerator=SimpleNamespace(num_processes=2), is_fsdp_enabled=False,
                                       model=other), other)
    assert not hasattr(other, "_seedkit_state_dict")


@pytest.mark.slow
def test_two_processes_start_the_group_first_train_with_checkpointing_and_reload_exactly(tmp_path):
    """torchrun --nproc_per_node 2 over gloo: the process group exists before any model loads; TRL's SFTTrainer
    trains LoRA adapters with activation checkpointing on; rank 0 saves; every rank reloads exactly what it
    trained, and both ranks trained the same weights (DDP keeps them equal)."""
    from test_scaleout import torchrun_2

    script = Path(__file__).parent / "fixtures" / "multiproc_chain.py"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    r = torchrun_2([str(script), str(tmp_path)], env)
    assert r.returncode == 0, (r.stderr + r.stdout)[-3000:]
    ranks = [json.loads((tmp_path / f"rank{i}.json").read_text()) for i in range(2)]
    for out in ranks:
        assert out["world"] == 2 and out["backend"] == "gloo" and out["group_before_load"], out
        assert out["where"].startswith(f"process {out['rank']} of 2") and out["checkpointing"], out
        assert out["moved"] and out["reload_exact"] and len(out["losses"]) == 2, out
    assert ranks[0]["digest"] == ranks[1]["digest"]
