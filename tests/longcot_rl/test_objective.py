"""seedkit.longcot_rl.objective: GRPO's objective computed by hand for one fixed group (rewards, group-relative
advantages, the importance ratio, the clipped objective with clip-higher, the token-level mean) equals what
TRL's GRPOTrainer computes for the same batch (notebook 06 makes the same check on the run's warm-up model)."""

from __future__ import annotations

import math

import pytest

from fixtures.longcot_rl import CORRECT, NO_CODE, PROBLEM, WRONG, tiny_policy
from seedkit.formats import completion_text
from seedkit.longcot_rl.grpo import grpo_config
from seedkit.longcot_rl.objective import group_completion_ids, score_group, trl_loss
from seedkit.longcot_rl.settings import LongCoTRLSettings


def _length_reward(completions, **_):
    return [len(completion_text(c)) / 100 for c in completions]


def _think_reward(completions, **_):
    return [float("<think>" in completion_text(c)) for c in completions]


def _completion_logps(model, batch, temperature):
    import torch

    ids = torch.cat([batch["prompt_ids"], batch["completion_ids"]], dim=1)
    attention = torch.cat([batch["prompt_mask"], batch["completion_mask"]], dim=1)
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=attention).logits
    logits = logits[:, -batch["completion_ids"].size(1) - 1:-1].float() / temperature
    return torch.log_softmax(logits, dim=-1).gather(-1, batch["completion_ids"].unsqueeze(-1)).squeeze(-1)


def test_the_objective_by_hand_equals_trls_loss_on_one_batch(tmp_path, monkeypatch, one_thread):
    import torch

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    model, tok = tiny_policy(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t")
    assert (s.clip_epsilon_low, s.clip_epsilon_high, s.loss_type) == (0.2, 0.28, "dapo")
    config = grpo_config(s, output_dir=tmp_path / "grpo", device="cpu")
    config.reward_weights = [1.0, 0.5]
    funcs = [_length_reward, _think_reward]
    completion_ids = group_completion_ids(tok, [CORRECT, WRONG, NO_CODE], s.num_generations)
    assert len(completion_ids) == s.num_generations and all(ids[-1] == tok.eos_token_id for ids in completion_ids)
    trainer, batch = score_group(model, tok, config, funcs, PROBLEM, completion_ids)

    # rewards and the group-relative advantages (scale_rewards="group": divided by the group's std, Bessel)
    decoded = [tok.decode(ids, skip_special_tokens=True) for ids in completion_ids]
    per_function = torch.tensor([f(completions=decoded) for f in funcs])
    rewards = (torch.tensor(config.reward_weights).unsqueeze(1) * per_function).sum(0)
    group = rewards.view(-1, s.num_generations)
    advantages = ((group - group.mean(1, keepdim=True)) / (group.std(1, keepdim=True) + 1e-4)).view(-1)
    assert torch.allclose(advantages, batch["advantages"], atol=1e-5)
    assert advantages.abs().sum() > 0  # the group has spread: something to learn

    # log-probabilities at the sampling temperature, as TRL computes them for the policy that sampled
    mask = batch["completion_mask"].float()
    old = _completion_logps(trainer.model, batch, config.temperature)
    if "old_per_token_logps" in batch:
        assert torch.allclose(old * mask, batch["old_per_token_logps"] * mask, atol=1e-4)

    # the policy moves; the ratio, the clipped objective with clip-higher, the token-level mean
    noise = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in trainer.model.parameters():
            p.add_(0.05 * torch.randn(p.shape, generator=noise))
    ratio = torch.exp(_completion_logps(trainer.model, batch, config.temperature) - old)
    a = advantages.unsqueeze(1)
    per_token = -torch.min(ratio * a, ratio.clamp(1 - 0.2, 1 + 0.28) * a)
    by_hand = float((per_token * mask).sum() / mask.sum())
    clipped = ((ratio > 1.28) & (a > 0)) | ((ratio < 0.8) & (a < 0))
    assert clipped[mask.bool()].any() and not clipped[mask.bool()].all()  # both branches of the min are used
    assert trl_loss(trainer, batch, old) == pytest.approx(by_hand, rel=1e-4, abs=1e-6)

    # the policy that sampled is the policy being updated: ratio 1, loss = -(mean advantage per token)
    same = trl_loss(trainer, batch, _completion_logps(trainer.model, batch, config.temperature))
    assert math.isclose(same, float(-(a * mask).sum() / mask.sum()), rel_tol=1e-4, abs_tol=1e-6)
