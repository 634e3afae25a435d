"""seedkit.longcot_rl.grpo: the batch rule, the GRPO configuration of every profile, the reward curve, and
what moves the weights in a GRPO step on a tiny model."""

from __future__ import annotations

import pytest

from fixtures.longcot_rl import (
    PROBLEM,
    tiny_policy,
)
from seedkit.config import PROFILES, SettingsError
from seedkit.longcot_rl.curriculum import plan_rounds
from seedkit.longcot_rl.grpo import check_group_batch
from seedkit.longcot_rl.rewards import (
    reward_functions,
)
from seedkit.longcot_rl.settings import LongCoTRLSettings


def test_batch_check_names_the_numbers_to_change():
    with pytest.raises(SettingsError, match=r"rl_global_batch=6 is not a multiple of num_generations=4.*set rl_global_batch to 4 or 8"):
        check_group_batch(6, 4, 4, world=1)
    with pytest.raises(SettingsError, match="num_generations=1"):
        check_group_batch(4, 1, 4, world=1)
    with pytest.raises(SettingsError, match="does not split over 3 processes"):
        check_group_batch(8, 4, 4, world=3)
    split = check_group_batch(8, 4, 2, world=1)
    assert (split.per_device, split.accumulation) == (2, 4)
    with pytest.raises(SettingsError, match="rl_global_batch=6 is not a multiple"):
        LongCoTRLSettings.from_params("tiny", rl_global_batch=6, num_generations=4)
    with pytest.raises(SettingsError, match="one step count per completion length"):
        LongCoTRLSettings.from_params("smol", max_completion_lengths=[64, 128, 256])


def test_batch_check_agrees_with_trl():
    """What check_group_batch accepts, GRPOConfig accepts; what it rejects, GRPOConfig rejects too."""
    from trl import GRPOConfig

    def trl_ok(global_batch: int, gens: int, per_device_max: int) -> bool:
        from seedkit.training import split_batch

        s = split_batch(global_batch, per_device_max, 1)
        try:
            GRPOConfig(output_dir="/tmp/unused", per_device_train_batch_size=s.per_device,
                       gradient_accumulation_steps=s.accumulation, num_generations=gens, use_cpu=True, bf16=False,
                       report_to="none")
        except ValueError:
            return False
        return True

    for gb, gens, pd in [(8, 4, 8), (8, 4, 2), (6, 4, 6), (6, 4, 2), (12, 3, 4), (4, 8, 4)]:
        try:
            check_group_batch(gb, gens, pd, world=1)
            ours = True
        except SettingsError:
            ours = False
        assert ours == trl_ok(gb, gens, pd), (gb, gens, pd)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_grpo_config_built_for_every_profile(profile, tmp_path):
    """The GRPOConfig the stage constructs (not the settings object): the report's DAPO values on gpu and
    multi-gpu, the profile's own values on tiny and smol, and the optimizer-side choices."""
    from seedkit.longcot_rl.grpo import grpo_config

    s = LongCoTRLSettings.from_params(profile)
    cfg = grpo_config(s, output_dir=tmp_path, device="cpu")
    assert (cfg.beta, cfg.epsilon, cfg.epsilon_high, cfg.loss_type, cfg.scale_rewards) == (0.0, 0.2, 0.28, "dapo", "group")
    assert cfg.mask_truncated_completions is (profile != "tiny")
    assert (cfg.learning_rate, cfg.temperature) == (s.rl_learning_rate, s.temperature)
    if profile in ("gpu", "multi-gpu"):  # the report's 1e-6 for full training (multi-gpu), ~10x for gpu's QLoRA
        assert (cfg.learning_rate, cfg.temperature) == ({"gpu": 1e-5, "multi-gpu": 1e-6}[profile], 0.6)
    else:  # the small profiles' learning rates differ, each with its reason (report_comparison)
        assert cfg.learning_rate != 1e-6
    assert (cfg.top_p, cfg.top_k, cfg.weight_decay, cfg.disable_dropout) == (1.0, 0, 0.0, True)
    assert cfg.num_generations == s.num_generations and cfg.max_completion_length == s.max_completion_lengths[0]
    assert cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps == s.rl_global_batch
    assert cfg.steps_per_generation == cfg.gradient_accumulation_steps * s.minibatches_per_rollout
    assert cfg.reward_weights == [s.execution_reward_weight, s.format_reward_weight, s.parse_reward_weight]
    assert cfg.max_steps == sum(s.rl_steps_per_length) and cfg.lr_scheduler_type == "constant"
    assert cfg.report_to in ("none", [], ["none"])
    # settings reach the config: a changed value is the config's value
    changed = grpo_config(s.replace(kl_beta=0.01, temperature=0.9, report_to="tensorboard"), output_dir=tmp_path,
                          device="cpu")
    assert (changed.beta, changed.temperature, changed.report_to) == (0.01, 0.9, ["tensorboard"])


def test_each_rounds_config_is_the_stages_with_its_budget_and_steps(tmp_path):
    from seedkit.longcot_rl.grpo import grpo_config, round_config

    s = LongCoTRLSettings.from_params("smol")
    cfg = grpo_config(s, output_dir=tmp_path, device="cpu")
    rounds = plan_rounds(s.max_completion_lengths, s.rl_steps_per_length, s.curriculum_interval_steps)
    got = [round_config(cfg, r, tmp_path / str(r.index)) for r in rounds]
    assert [(c.max_steps, c.max_completion_length, c.seed) for c in got] == [
        (r.steps, r.max_completion_length, s.seed + r.index) for r in rounds]
    for c in got:
        assert (c.learning_rate, c.temperature, c.epsilon_high, c.mask_truncated_completions) == (
            cfg.learning_rate, cfg.temperature, cfg.epsilon_high, cfg.mask_truncated_completions)
    assert cfg.max_steps == sum(s.rl_steps_per_length)  # the stage's config is left as it was


def test_reward_curve_intervals_are_over_problem_groups():
    from seedkit.longcot_rl.grpo import curve_summary, reward_curve

    rows = []
    for step, values in ((0, {"a": [0, 0], "b": [1, 1]}), (2, {"a": [1, 1], "b": [1, 1]}),
                         (4, {"c": [0.5, 0.5], "d": [0.5, 0.5]})):
        for task, vs in values.items():
            rows += [{"step": step, "task_id": task, "total": v, "rewards": {"execution_reward": v / 2}} for v in vs]
    curve = reward_curve(rows, window=2)
    assert [r["step"] for r in curve] == [0, 2, 4]
    assert [r["mean"] for r in curve] == [0.5, 1.0, 0.5]
    assert [(r["groups"], r["completions"]) for r in curve] == [(2, 4)] * 3
    assert (curve[0]["lo"], curve[0]["hi"]) == (0.0, 1.0)  # two groups, 0 and 1: the bootstrap spans both
    assert curve[1]["lo"] == curve[1]["hi"] == 1.0
    assert curve[1]["ma_mean"] == pytest.approx(0.75) and curve[1]["ma_groups"] == 4 and curve[1]["ma_batches"] == 2
    assert curve[2]["ma_mean"] == pytest.approx(0.75) and curve[2]["ma_batches"] == 2
    assert [r["mean"] for r in reward_curve(rows, window=1, key="execution_reward")] == [0.25, 0.5, 0.25]
    summary = curve_summary(curve)
    assert summary["intervals_overlap"] and summary["change"] == pytest.approx(0.25)
    assert reward_curve([], window=3) == [] and curve_summary([]) == {"batches": 0}


@pytest.mark.slow
def test_grpo_steps_on_a_tiny_model_log_every_reward(tmp_path, monkeypatch, one_thread):
    from seedkit.longcot_rl.grpo import grpo_config, train_grpo

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    model, tok = tiny_policy(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_completion_lengths=[16, 24], rl_steps_per_length=[2, 2],
                                      curriculum_interval_steps=2)
    problems = [dict(PROBLEM, task_id=f"fixture/add{i}") for i in range(4)]
    h = train_grpo(model, tok, problems, s, grpo_config(s, output_dir=tmp_path / "grpo", device="cpu"),
                   reward_functions(s)[0], output_dir=tmp_path / "grpo")
    assert [r["step"] for r in h.steps] == [0, 1, 2, 3]
    assert [r["max_completion_length"] for r in h.steps] == [16, 16, 24, 24]
    sampled = [r for r in h.steps if "reward" in r]  # a rollout of 16 completions feeds 2 steps
    assert [r["step"] for r in sampled] == [0, 2]
    for key in ("rewards/execution_reward/mean", "rewards/format_reward/mean", "rewards/parse_reward/mean",
                "pass_rate", "completions/mean_length", "completions/clipped_ratio", "reward_std",
                "frac_reward_zero_std"):
        assert all(key in r for r in sampled), key
    assert all("clip_ratio/high_mean" in r and "clip_ratio/low_mean" in r for r in h.steps)
    assert all(r["completions/mean_length"] <= r["max_completion_length"] for r in sampled)
    assert len(h.rollouts) == 2 * 2 * s.rl_global_batch and {r["step"] for r in h.rollouts} == {0, 2}
    assert all(set(r["rewards"]) == {"execution_reward", "format_reward", "parse_reward"} for r in h.rollouts)
    assert [c["pool_size"] for c in h.curriculum] == [4, 4]
    # what each round's trainer was given: the stage's values, the round's budget, the kit's rollouts
    assert [r["config"]["max_completion_length"] for r in h.rounds] == [16, 24]
    assert all(r["config"]["learning_rate"] == s.rl_learning_rate and r["config"]["temperature"] == s.temperature
               and r["config"]["weight_decay"] == 0.0 and r["rollouts"] == "kit" for r in h.rounds)
    # each round's Trainer built its own AdamW (as FSDP requires); the second started from the first's moments
    assert [r["adam_moments_carried"] for r in h.rounds] == [False, True]


def _alternating(completions, **_):
    """0, 1, 0, 1, ...: every group of 4 holds two of each, whatever the model wrote (known spread)."""
    return [float(i % 2) for i in range(len(completions))]


def _constant(completions, **_):
    return [0.5] * len(completions)


def _one_grpo_step(tmp_path, reward, **cfg_changes):
    """One GRPO step (one rollout of 8 completions, 2 problems x 4) on a tiny model with ``reward``; returns
    (parameters before, model after, the step's log row)."""
    from seedkit.longcot_rl.grpo import grpo_config, train_grpo

    model, tok = tiny_policy(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_completion_lengths=[8], rl_steps_per_length=[1],
                                      minibatches_per_rollout=1, rl_learning_rate=1e-3)
    cfg = grpo_config(s, output_dir=tmp_path / "grpo", device="cpu")
    for k, v in cfg_changes.items():
        setattr(cfg, k, v)
    before = [p.detach().clone() for p in model.parameters()]
    cfg.reward_weights = [1.0]
    h = train_grpo(model, tok, [dict(PROBLEM, task_id=f"fixture/add{i}") for i in range(2)], s, cfg, [reward],
                   output_dir=tmp_path / "grpo")
    return before, model, h.steps[0]


@pytest.mark.slow
def test_weights_move_when_every_group_has_reward_spread(tmp_path, monkeypatch, one_thread):
    import torch

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    before, model, row = _one_grpo_step(tmp_path, _alternating)
    assert row["frac_reward_zero_std"] == 0.0
    assert row["reward_std"] == pytest.approx(float(torch.tensor([0.0, 1.0] * 4).std()))  # the batch's spread
    assert row["reward"] == pytest.approx(0.5)
    assert row["grad_norm"] > 0
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.slow
def test_no_reward_spread_means_zero_gradient_and_unmoved_weights(tmp_path, monkeypatch, one_thread):
    import torch

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    before, model, row = _one_grpo_step(tmp_path, _constant)
    assert row["reward_std"] == 0.0 and row["frac_reward_zero_std"] == 1.0
    assert row["grad_norm"] == 0.0 and row["loss"] == 0.0
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.slow
def test_with_a_weight_decay_flat_rewards_still_shrink_the_weights(tmp_path, monkeypatch, one_thread):
    """What an earlier version saw (weights moved while the logged reward_std was 0): the optimizer's weight
    decay, not the rewards. Every weight the Trainer's AdamW decays (not norms or biases) is scaled by
    exactly 1 - lr * decay; the others stay."""
    import torch
    from transformers import Trainer

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    before, model, row = _one_grpo_step(tmp_path, _constant, weight_decay=0.01)
    assert row["reward_std"] == 0.0 and row["grad_norm"] == 0.0
    decayed = set(Trainer.get_decay_parameter_names(None, model))
    names = [n for n, _ in model.named_parameters()]
    assert any(n in decayed for n in names) and any(n not in decayed for n in names)
    shrink = 1 - 1e-3 * 0.01
    for name, a, b in zip(names, before, model.parameters(), strict=True):
        torch.testing.assert_close(b.detach(), a * shrink if name in decayed else a, rtol=1e-6, atol=1e-9)
