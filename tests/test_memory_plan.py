"""seedkit.memory_plan and `seedkit plan`: the estimate, the choice of micro-batch and checkpointing, the
refusal, and the estimate against peaks measured on the CPU for small Llamas of the 8B's architecture."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from seedkit.cli import main as cli_main
from seedkit.config import REPO_ROOT, SettingsError, stage_settings_class
from seedkit.memory_plan import (
    GIB,
    KNOWN_CONFIGS,
    MemoryPlanError,
    Workload,
    check_fits,
    dims_from_config,
    estimate_train,
    model_dims,
    phase_plan,
    plan_settings,
    plan_stage,
    precision,
    stage_workloads,
)

H100 = 79.2
SMALL = dict(vocab_size=4096, hidden_size=384, intermediate_size=1024, num_hidden_layers=3, num_attention_heads=6,
             num_key_value_heads=2)


def gpu_plans(memory: float = H100) -> list:
    dims = model_dims("ByteDance-Seed/Seed-Coder-8B-Base")
    out = []
    for stage in ("03", "04", "05", "06", "07"):
        out += plan_settings(stage_settings_class(stage).from_params("gpu"), memory_gib=memory, dims=dims)
    return out


def test_the_8b_known_config_has_the_reports_size():
    d = model_dims("ByteDance-Seed/Seed-Coder-8B-Base")
    assert 8.2e9 < d.params < 8.3e9 and (d.layers, d.hidden, d.kv_heads, d.vocab) == (32, 4096, 8, 155136)
    assert model_dims("ByteDance-Seed/Seed-Coder-8B-Instruct").params == d.params
    assert set(KNOWN_CONFIGS) >= {"ByteDance-Seed/Seed-Coder-8B-Base"}


def test_dims_from_a_saved_config_and_one_line_errors(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({**SMALL, "tie_word_embeddings": True}))
    d = model_dims(str(tmp_path))
    assert (d.hidden, d.head_dim, d.kv_dim, d.tied) == (384, 64, 128, True)
    assert d.embedding_params == 4096 * 384  # tied: one matrix
    with pytest.raises(SettingsError, match="lacks hidden_size"):
        dims_from_config({"vocab_size": 3}, "x", "y")
    with pytest.raises(SettingsError) as e:
        model_dims("no-such-org/no-such-model-xyz")
    assert "\n" not in str(e.value) and "config.json" in str(e.value)


def test_every_phase_of_the_8b_gpu_chain_fits_an_80_gb_card():
    plans = gpu_plans()
    check_fits(plans)  # raises when one does not
    labels = [p.workload.label for p in plans]
    for phase in ("03_pretraining/stage1", "03_pretraining/stage2", "04_sft/train", "05_dpo/train",
                  "06_longcot_rl/warmup", "06_longcot_rl/rollouts", "06_longcot_rl/grpo", "07_eval/generation"):
        assert phase in labels
    for p in plans:
        assert p.estimate.total <= p.budget < H100 * GIB
        if p.workload.kind != "generate":  # accumulation keeps the global batch
            assert p.per_device_batch * p.accumulation == p.workload.global_batch
    by = {p.workload.label: p for p in plans}
    long = by["03_pretraining/stage2"]
    assert long.gradient_checkpointing and "without it even micro-batch 1 needs" in long.reason
    # the finding: 4 x 8,192 tokens in one forward does not fit; the plan lowers the micro-batch
    assert long.per_device_batch < 4 and long.workload.per_device_max == 4
    assert by["06_longcot_rl/warmup"].per_device_batch < 16  # not 16 traces of 4,096 tokens in one forward


def test_nothing_fits_a_small_card_and_the_refusal_is_one_line():
    plans = gpu_plans(memory=16)
    with pytest.raises(MemoryPlanError) as e:
        check_fits(plans)
    msg = str(e.value)
    assert "\n" not in msg and "does not fit 16 GiB" in msg and "03_pretraining/stage1" in msg
    s = stage_settings_class("03").from_params("gpu")
    with pytest.raises(MemoryPlanError):
        phase_plan(s, "stage2", memory_gib=16, dims=model_dims("ByteDance-Seed/Seed-Coder-8B-Base"))
    ok = phase_plan(s, "stage2", memory_gib=H100, dims=model_dims("ByteDance-Seed/Seed-Coder-8B-Base"))
    assert ok.fits and ok.gradient_checkpointing


def test_full_fine_tuning_of_8b_in_fp32_master_weights_does_not_fit_one_card():
    dims = model_dims("ByteDance-Seed/Seed-Coder-8B-Base")
    w = Workload("04_sft", "train", "train", "full", 2048, 32, 8)
    p = plan_stage(dims, w, H100)
    assert not p.fits and p.estimate.parts["weights"] > 40 * GIB  # 6 bytes a parameter before anything else
    assert p.estimate.parts["optimizer"] == dims.params * 8


def test_checkpointing_set_by_the_user_is_kept():
    dims = model_dims("ByteDance-Seed/Seed-Coder-8B-Base")
    [_, stage2] = stage_workloads(stage_settings_class("03").from_params("gpu"))
    assert not plan_stage(dims, stage2, H100, checkpointing=False).fits  # 8,192 tokens need it
    kept = plan_stage(dims, stage2, H100, checkpointing=True)
    assert kept.fits and "as set" in kept.reason


def test_the_estimate_grows_with_the_batch_and_checkpointing_cuts_activations():
    d = dims_from_config(SMALL, "small", "test")
    p = precision("cuda", "bfloat16")
    for method in ("full", "lora", "qlora"):
        w = Workload("x", "", "train", method, 1024, 8, 8)
        one, two = estimate_train(d, w, 1, False, p), estimate_train(d, w, 2, False, p)
        assert two.parts["activations"] == pytest.approx(2 * one.parts["activations"])
        ck = estimate_train(d, w, 2, True, p)
        assert ck.parts["activations"] < two.parts["activations"] / 3
    lora = estimate_train(d, Workload("x", "", "train", "lora", 1024, 8, 8), 1, False, p)
    qlora = estimate_train(d, Workload("x", "", "train", "qlora", 1024, 8, 8), 1, False, p)
    assert qlora.parts["weights"] < lora.parts["weights"] * 1.5  # embeddings fp32, blocks 4-bit


def test_cli_plan_prints_every_phase_and_exits_0_or_1(capsys):
    assert cli_main(["plan", "--profile", "gpu", "--memory-gib", "80"]) == 0
    out = capsys.readouterr().out
    assert "every phase fits 80 GiB" in out and "checkpointing on" in out and "8.25B parameters" in out
    assert cli_main(["plan", "--profile", "gpu", "--memory-gib", "20", "--stages", "03"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "03_pretraining/stage2 (qlora" in captured.err
    assert cli_main(["plan", "--profile", "gpu", "--json", "--stages", "06"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["phase"] for p in data["phases"]} == {"traces", "warmup", "rollouts", "grpo"}
    assert cli_main(["plan", "--profile", "tiny", "--memory-gib", "2"]) == 0  # the scratch Llama, on a CPU
    assert cli_main(["plan", "--memory-gib", "-1"]) == 2


def _measure(args: list[str]) -> list[dict]:
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536", OMP_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-m", "seedkit.checks.memory_check", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CPU peak is read from /proc")
def test_the_estimate_is_within_25_percent_of_the_measured_cpu_peak_on_every_case():
    # all eight cases (two shapes x full/LoRA x checkpointing off/on) in one process: its start and the
    # throwaway first step are paid once
    rows = _measure([])
    assert len(rows) == 8, rows
    for row in rows:
        assert row["measured_mib"] > 100, row  # the step allocated what it should
        assert abs(row["error"]) <= 0.25, row


def test_a_stage_plans_for_the_model_its_settings_name(tmp_path):
    from seedkit.memory_plan import default_dims

    s = stage_settings_class("04").from_params("gpu")
    assert default_dims(s).name == "ByteDance-Seed/Seed-Coder-8B-Base"  # run not saved yet: the base's architecture
    (tmp_path / "config.json").write_text(json.dumps(SMALL))
    s = stage_settings_class("04").from_params("gpu", base_model=str(tmp_path))
    assert default_dims(s).hidden == 384


def test_a_stage_on_a_card_takes_the_plans_batch_and_checkpointing_and_a_cpu_changes_nothing():
    from seedkit.memory_fit import fit_to_card
    from seedkit.memory_plan import MemoryPlanError

    lines: list[str] = []
    s = stage_settings_class("04").from_params("gpu", gradient_checkpointing=False)
    assert fit_to_card(s, say=lines.append) is s and lines == []  # this machine: no CUDA device
    free = stage_settings_class("04").from_params("gpu")
    small = fit_to_card(free, memory_gib=24, say=lines.append)
    plan = [p for p in plan_settings(free, memory_gib=24) if p.workload.phase == "train"][0]
    assert small.per_device_batch_max == min(plan.per_device_batch, free.per_device_batch_max)
    assert small.gradient_checkpointing == plan.gradient_checkpointing
    assert any(line.startswith("[04_sft] memory plan: ") for line in lines)
    assert small.per_device_batch_max < free.per_device_batch_max  # 8B SFT: a 24 GiB card takes fewer rows
    assert small.origin("per_device_batch_max") == "memory plan (24 GiB card)"
    assert small.origin("max_length") == free.origin("max_length")  # the rest keeps its origin
    kept = fit_to_card(s, memory_gib=80, say=lines.append)  # checkpointing set by you stays yours
    assert kept.gradient_checkpointing is False
    with pytest.raises(MemoryPlanError, match="does not fit 2 GiB"):
        fit_to_card(free, memory_gib=2, say=lines.append)
    curation = stage_settings_class("01").from_params("gpu")
    assert fit_to_card(curation, memory_gib=2) is curation  # a stage that trains nothing has no plan
