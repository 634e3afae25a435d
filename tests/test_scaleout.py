"""Scale-out: batch split across processes, shipped accelerate configs, QLoRA on CPU."""

from __future__ import annotations

import pytest
import torch

from seedkit.launch import config_paths
from seedkit.models import LoraOptions, load_model, save_model
from seedkit.training import split_batch, trainer_kwargs

TEXTS = ["def add(a, b):\n    return a + b\n", "for i in range(10):\n    print(i)\n"] * 20


@pytest.mark.parametrize("global_batch,per_device_max,world,expect", [
    (16, 4, 1, (4, 4)),
    (16, 4, 2, (4, 2)),
    (16, 8, 2, (8, 1)),
    (12, 5, 1, (4, 3)),  # per-device batch must divide the per-process share
    (6, 4, 3, (2, 1)),
])
def test_global_batch_is_kept_for_any_number_of_processes(global_batch, per_device_max, world, expect):
    s = split_batch(global_batch, per_device_max, world)
    assert (s.per_device, s.accumulation) == expect
    assert s.per_device * s.accumulation * world == global_batch


def test_indivisible_global_batch_names_the_fix():
    with pytest.raises(ValueError, match="multiple of 3"):
        split_batch(16, 4, 3)


def test_shipped_accelerate_configs_parse():
    from accelerate.commands.config.config_args import load_config_from_file

    paths = config_paths()
    assert {"single_cpu", "single_gpu", "multi_gpu_ddp", "fsdp", "deepspeed_zero3"} <= set(paths)
    kinds = {name: str(load_config_from_file(str(p)).distributed_type) for name, p in paths.items()}
    assert kinds["fsdp"].endswith("FSDP") and kinds["deepspeed_zero3"].endswith("DEEPSPEED")
    assert kinds["multi_gpu_ddp"].endswith("MULTI_GPU") and kinds["single_cpu"].endswith("NO")


def test_two_qlora_sft_steps_on_cpu(tmp_path):
    """4-bit NF4 base weights through bitsandbytes on CPU, LoRA adapters trained by TRL's SFTTrainer."""
    import datasets
    from trl import SFTConfig, SFTTrainer

    cfg = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
               num_key_value_heads=2, max_position_embeddings=128)
    base, tok = load_model("scratch", scratch_config=cfg, tokenizer_texts=TEXTS, verbose=False)
    save_model(base, tok, tmp_path / "base")
    model, tok = load_model(str(tmp_path / "base"), load_in_4bit=True, lora=LoraOptions(r=4, alpha=8, dropout=0.0),
                            verbose=False)
    quantised = [n for n, p in model.named_parameters() if p.dtype == torch.uint8]
    assert any("q_proj" in n for n in quantised)
    before = {n: p.detach().clone() for n, p in model.named_parameters() if "lora_B" in n}
    ds = datasets.Dataset.from_dict({"messages": [[
        {"role": "user", "content": "Write add."},
        {"role": "assistant", "content": "def add(a, b):\n    return a + b"}]] * 8})
    args = SFTConfig(**trainer_kwargs(output_dir=str(tmp_path / "out"), device="cpu", global_batch=4, per_device_max=4,
                                      learning_rate=1e-2, max_steps=2, verbose=False), max_length=64, disable_tqdm=True)
    trainer = SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok)
    trainer.train()
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    assert len(losses) == 2 and all(torch.isfinite(torch.tensor(losses)))
    after = dict(model.named_parameters())
    assert any(not torch.equal(before[n], after[n].detach()) for n in before)  # the adapters learned
