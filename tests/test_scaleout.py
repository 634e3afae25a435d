"""Scale-out: batch split across processes, shipped accelerate configs, QLoRA on CPU."""

from __future__ import annotations

import pytest
import torch

from seedkit.launchers import config_paths
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


def torchrun_2(args: list[str], env: dict[str, str], tries: int = 3):
    """``torchrun --nproc_per_node 2 ARGS`` on a free port; started again when the port was taken meanwhile
    (other test runs share the machine), the one set-up failure that says nothing about the code."""
    import socket
    import subprocess
    import sys
    from pathlib import Path

    torchrun = Path(sys.executable).with_name("torchrun")
    for attempt in range(tries):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        r = subprocess.run([str(torchrun), "--nproc_per_node", "2", "--master_port", str(port), *args], env=env,
                           timeout=1800, capture_output=True, text=True)
        taken = "address already in use" in (r.stderr + r.stdout).lower() or "EADDRINUSE" in r.stderr
        if r.returncode == 0 or not taken or attempt == tries - 1:
            return r
    return r


@pytest.mark.slow
def test_two_processes_match_one_process_at_the_same_global_batch(tmp_path):
    """torchrun --nproc_per_node 2 over gloo: 4 steps of stage 03's and stage 04's training functions.

    Same global batch (8): one process takes 4 per device x 2 accumulation steps, two processes 4 per
    device x 1 step each. With sequential data order both see the same global batches, so the logged
    losses (averaged across ranks by the Trainer) must agree within 1e-3 relative.
    """
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parent / "fixtures" / "multiproc_train.py"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SEEDKIT_DATA_ORDER": "sequential"}
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    subprocess.run([sys.executable, str(script), str(one), "8", "4"], check=True, env=env, timeout=600,
                   capture_output=True)
    r = torchrun_2([str(script), str(two), "8", "4"], env)
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = json.loads(one.read_text()), json.loads(two.read_text())
    assert b["world_size"] == 2 and a["world_size"] == 1
    for key in ("pretrain", "sft"):
        assert len(a[key]) == len(b[key]) == 4
        for x, y in zip(a[key], b[key], strict=True):
            assert abs(x - y) <= 1e-3 * abs(x), (key, a[key], b[key])
        assert a[key][-1] < a[key][0]  # it trained


# Fewer steps and problems than the tiny profile: the point is the two processes, not the training.
MP_STAGES = {
    "pretraining": ["-p", "run_ablation=false", "-p", "max_steps_stage1=4", "-p", "max_steps_stage2=2"],
    "sft": ["-p", "max_steps=2"],
    "dpo": ["-p", "max_steps=2"],
    "longcot_rl": ["-p", "warmup_steps=4", "-p", "rl_steps_per_length=[2]", "-p", "max_completion_lengths=[32]"],
}


@pytest.mark.slow
def test_every_training_stage_on_two_processes_reads_only_what_rank0_finished(tmp_path):
    """torchrun --nproc_per_node 2 -m seedkit train STAGE for 03, 04, 05 and 06 in turn, each on the stage
    before it (the README's command). Rank 1 reads the stage's results right after finish(); before ranks
    waited for rank 0's manifest it died reading half-written files (FileNotFoundError: metrics.json) about
    one run in two. $SEEDKIT_MP_REPEATS runs each stage that many times (again with force=true)."""
    import os

    from fixtures.pretraining_run import write_fixture_run
    from seedkit.runs import read_manifest

    runs = tmp_path / "runs"
    write_fixture_run(runs, "mp", n_files=48)  # stages 01 and 02 in a second, in this process
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SEEDKIT_RUNS_DIR": str(runs), "HF_HUB_OFFLINE": "1"}
    repeats = int(os.environ.get("SEEDKIT_MP_REPEATS", "1"))
    for stage, extra in MP_STAGES.items():
        for attempt in range(repeats):
            r = torchrun_2(["-m", "seedkit", "train", stage, "--run-name", "mp", "--profile", "tiny", *extra,
                            *(["-p", "force=true"] if attempt else [])], env)
            assert r.returncode == 0, f"{stage} (attempt {attempt + 1}): {(r.stderr + r.stdout)[-3000:]}"
        m = read_manifest(runs / "mp" / f"0{3 + list(MP_STAGES).index(stage)}_{stage}")
        assert m is not None and m["files"], stage
