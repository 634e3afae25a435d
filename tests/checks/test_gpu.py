"""`make gpu-check` (seedkit.checks.gpu): the refusal without CUDA, the plan, and the same steps on the CPU.

The GPU path itself (4-bit weights, bf16, peak GPU memory) needs a CUDA machine; what a CPU can show is
that the plan builds valid gpu-profile settings for every stage, that the check refuses cleanly and
cheaply, and that every step's code (the stage functions it calls, the token meter, the table, the
JSON) runs end to end on the tiny profile's scratch Llama.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from seedkit.checks import gpu as gpu_check
from seedkit.config import REPO_ROOT

HEAVY = ("transformers", "trl", "peft", "bitsandbytes", "datasets", "accelerate")
CPU_ARGS = ["--device", "cpu", "--no-4bit", "--model", "scratch", "--steps", "1", "--grpo-steps", "1",
            "--eval-problems", "2"]


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(_cuda(), reason="this machine has a CUDA GPU: the check would run")
def test_without_cuda_it_says_so_in_one_line_and_exits_2():
    r = subprocess.run([sys.executable, "-m", "seedkit.checks.gpu"], cwd=REPO_ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == gpu_check.EXIT_NO_CUDA == 2
    assert r.stdout.splitlines() == [gpu_check.NO_CUDA_LINE], r.stdout
    assert "torch.cuda.is_available() is False" in r.stdout
    assert "Traceback" not in r.stderr, r.stderr
    # nothing heavy was imported before the refusal: only torch, to ask for the device
    r = _python("import sys; from seedkit.checks import gpu as g; rc = g.main([]); "
                f"print('heavy:', sorted(m for m in {HEAVY!r} if m in sys.modules)); sys.exit(rc)")
    assert r.returncode == 2 and "heavy: []" in r.stdout, (r.stdout, r.stderr)


def test_dry_run_prints_every_step_on_any_machine_without_torch():
    r = _python("import sys; from seedkit.checks import gpu as g; rc = g.main(['--dry-run']); "
                "print('torch imported:', 'torch' in sys.modules); sys.exit(rc)")
    assert r.returncode == 0, r.stderr
    assert "torch imported: False" in r.stdout
    for name in gpu_check.STEP_NAMES:
        assert re.search(rf"^  {name} \(stage \d\d\): ", r.stdout, re.M), (name, r.stdout)
    assert "4-bit NF4 (bitsandbytes) + LoRA, bfloat16 compute" in r.stdout
    from seedkit.longcot_rl.settings import LongCoTRLSettings

    rate = LongCoTRLSettings.from_params("gpu").rl_learning_rate
    assert "finetune_method=qlora" in r.stdout and f"rl_learning_rate={rate}" in r.stdout  # the gpu profile's values


def test_plan_covers_stages_03_to_06_and_eval_with_the_gpu_profile():
    steps = gpu_check.plan()
    assert [s.name for s in steps] == ["03_pretraining", "04_sft", "05_dpo", "06_longcot_rl", "eval"]
    assert [s.stage for s in steps] == ["03", "04", "05", "06", "07"]
    by = {s.name: s.settings for s in steps}
    assert {s.profile for s in by.values()} == {"gpu"}
    assert by["03_pretraining"].adapter_choice()[0] == "qlora"
    assert by["03_pretraining"].resolved_device() == "cuda" and by["03_pretraining"].resolved_dtype() == "bfloat16"
    assert by["04_sft"].finetune_method == by["05_dpo"].finetune_method == "qlora"
    assert by["06_longcot_rl"].resolved_use_lora() and by["06_longcot_rl"].rl_steps_per_length == [2]
    assert by["eval"].eval_samples == 2 and by["eval"].eval_set == "basic"
    grpo = next(s for s in steps if s.name == "06_longcot_rl")
    s = grpo.settings  # one rollout needs this many problems, or train_grpo refuses
    assert grpo.extra["problems"] >= s.rl_global_batch // s.num_generations * s.minibatches_per_rollout
    assert all(json.dumps(step.to_dict()) for step in steps)  # goes into the JSON report as is


def test_cpu_options_and_only():
    opts, dry = gpu_check.parse_args([*CPU_ARGS, "--only", "05,eval"])
    assert not dry and opts.only == ("05_dpo", "eval")
    steps = gpu_check.plan(opts)
    assert [s.name for s in steps] == ["05_dpo", "eval"]
    assert steps[0].settings.finetune_method == "lora"  # no 4-bit: plain LoRA
    full = {s.name: s.settings for s in gpu_check.plan(gpu_check.parse_args(CPU_ARGS)[0])}
    assert full["03_pretraining"].adapter_choice()[0] == "full"  # a scratch model is trained in full
    assert full["03_pretraining"].scratch_dims()["hidden_size"] == 128  # the tiny profile's Llama
    assert gpu_check.parse_args(["--device", "cpu"])[0].finetune_method == "qlora"  # bitsandbytes' CPU backend
    for bad in (["--model", "scratch"], ["--only", "08"], ["--steps", "0"]):
        with pytest.raises(SystemExit) as e:
            gpu_check.parse_args(bad)
        assert e.value.code == 2


@pytest.mark.skipif(_cuda(), reason="this machine has a CUDA GPU")
def test_card_report_without_cuda():
    from importlib import metadata

    card = gpu_check.card_report()
    assert card["device"] == "no CUDA device" and card["cuda_available"] is False
    assert card["trl"] == metadata.version("trl") and card["bitsandbytes"] == metadata.version("bitsandbytes")
    assert gpu_check.format_card(card)[0] == "card: no CUDA device"


def test_make_help_lists_gpu_check_and_it_runs_the_module():
    r = subprocess.run(["make", "help"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert re.search(r"^  make gpu-check +\S.*CUDA GPU", r.stdout, re.M), r.stdout
    r = subprocess.run(["make", "-n", "gpu-check", "GPU_CHECK_ARGS=--dry-run"], cwd=REPO_ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "python -m seedkit.checks.gpu --dry-run" in r.stdout, r.stdout


@pytest.mark.slow
def test_every_step_runs_on_the_cpu_and_the_report_is_written(tmp_path, capsys):
    rc = gpu_check.main([*CPU_ARGS, "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0, out[-3000:]
    [report] = list(tmp_path.glob("*-cpu.json"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # written atomically: no temp file left
    data = json.loads(report.read_text())
    assert data["ok"] is True and data["card"]["device"] == "no CUDA device"
    steps = {s["name"]: s for s in data["steps"]}
    assert list(steps) == list(gpu_check.STEP_NAMES)
    for s in steps.values():
        assert s["ok"] and s["tokens"] > 0 and s["tokens_per_s"] > 0, s
        assert s["peak_gpu_gib"] is None and 0 < s["run_s"] <= s["wall_s"]
        assert re.search(rf"^\[gpu-check\] {s['name']}: ok in ", out, re.M)
    assert steps["03_pretraining"]["details"]["optimizer_steps"] == 1
    assert steps["04_sft"]["details"]["optimizer_steps"] == 1
    assert steps["05_dpo"]["details"]["pairs"] >= 1 and "adapter switched off" in steps["05_dpo"]["details"]["reference_model"]
    assert steps["06_longcot_rl"]["details"]["grpo_steps"] == 1
    assert steps["eval"]["details"]["problems"] == 2
    assert "| 05_dpo | ok |" in data["markdown"]
    assert "5 of 5 steps ran" in out


def test_a_failing_step_is_one_line_the_others_still_run_and_exit_is_1(tmp_path, capsys, monkeypatch):
    def boom(step, ctx, meter):
        raise ValueError("boom\nsecond line")

    monkeypatch.setitem(gpu_check.RUNNERS, "03_pretraining", boom)
    monkeypatch.setitem(gpu_check.RUNNERS, "04_sft", lambda step, ctx, meter: {"note": "fake"})  # no model: no tokens
    rc = gpu_check.main([*CPU_ARGS, "--only", "03,04", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == gpu_check.EXIT_STEP_FAILED
    assert re.search(r"^\[gpu-check\] 03_pretraining: FAILED after [\d.]+ s: ValueError: boom$", out, re.M), out
    assert "[gpu-check] 04_sft: ok in" in out and "1 of 2 steps ran; failed: 03_pretraining" in out
    data = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert data["ok"] is False
    failed, fake = data["steps"]
    assert failed["error"] == "ValueError: boom" and "Traceback" in failed["traceback"]
    assert fake["ok"] and fake["tokens"] == 0 and fake["tokens_per_s"] is None


H100_SMI = {"name": "NVIDIA H100 80GB HBM3", "memory_gib": 79.6, "driver": "550.54.15", "driver_cuda": "12.4", "count": 1}


def test_an_old_driver_is_named_with_the_version_torch_needs():
    from seedkit.checks.gpu_plan import no_cuda_line, versions_line

    line = no_cuda_line("2.13.0+cu130", "13.0", H100_SMI)
    assert "\n" not in line and "needs an NVIDIA driver >= 580" in line and "driver is 550.54.15" in line
    assert "needs a CUDA GPU" not in line
    assert "CPU build" in no_cuda_line("2.13.0+cpu", None, H100_SMI)
    new = dict(H100_SMI, driver="580.65.06", driver_cuda="13.0")
    assert "torch.cuda.is_available() is False" in no_cuda_line("2.13.0+cu130", "13.0", new)  # driver fine: other cause
    assert no_cuda_line("2.13.0+cu130", "13.0", None) == gpu_check.NO_CUDA_LINE  # no GPU at all
    first = versions_line("2.13.0+cu130", "13.0", new)
    assert first.startswith("gpu-check: NVIDIA driver 580.65.06 (supports CUDA up to 13.0)") and "CUDA 13.0" in first
    assert "none found" in versions_line("2.13.0+cpu", None, None)


def test_each_step_has_a_planned_peak_and_the_8b_fits_a_card():
    from seedkit.checks.gpu_plan import planned_gib

    opts = gpu_check.Options(model="ByteDance-Seed/Seed-Coder-8B-Base")
    planned = {s.name: planned_gib(s, opts) for s in gpu_check.plan(opts)}
    assert all(v is not None and 8 < v < 70 for v in planned.values()), planned  # 4-bit 8B weights are ~8 GiB
    sft = next(s for s in gpu_check.plan(opts) if s.name == "04_sft")
    assert planned_gib(sft, opts, (1, 256)) < planned_gib(sft, opts, (2, 1024))  # the forward the meter saw
    opts = gpu_check.parse_args(CPU_ARGS)[0]
    assert all(planned_gib(s, opts) is not None for s in gpu_check.plan(opts))  # the scratch Llama on the CPU


def test_full_size_takes_the_profiles_lengths_and_the_plans_batches(capsys):
    opts, _ = gpu_check.parse_args(["--full-size", "--model", "ByteDance-Seed/Seed-Coder-8B-Base", "--memory-gib", "79.2"])
    by = {s.name: s for s in gpu_check.plan(opts)}
    pre = by["03_pretraining"]
    assert pre.settings.seq_len_stage1 == 8192 and pre.settings.max_steps_stage1 == 1
    assert pre.to_dict()["settings"]["gradient_checkpointing"] is True  # 8,192 tokens of an 8B need it
    assert pre.settings.per_device_max_batch < 4  # not the profile's 4 sequences in one forward
    assert by["04_sft"].settings.max_length == 2048 and by["eval"].settings.eval_max_new_tokens == 512
    rl = by["06_longcot_rl"].settings
    assert rl.max_completion_lengths == [2048] and rl.rl_global_batch == rl.num_generations == 8
    # a card where the 8B fits in no way: one line, exit 1, nothing loaded
    assert gpu_check.main(["--full-size", "--dry-run", "--model", "ByteDance-Seed/Seed-Coder-8B-Base",
                           "--memory-gib", "12"]) == gpu_check.EXIT_STEP_FAILED
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "does not fit 12 GiB" in out
    with pytest.raises(SystemExit):
        gpu_check.parse_args(["--full-size", "--device", "cpu"])
