"""GRPO rollouts through the slot engine (seedkit.generation.trl) inside TRL's GRPOTrainer."""

from __future__ import annotations

import pytest
import torch

from seedkit.generation import generate_token_ids
from seedkit.generation.trl import SlotRolloutsMixin, slot_rollout_blocker

TEXTS = ["def add(a, b):\n    return a + b\n", "print('hello')\n", "x = [1, 2, 3]\n", "Rating: [[7]]\n"] * 40


@pytest.fixture(scope="module")
def tiny():
    from seedkit.config import PROFILES
    from seedkit.models import load_model

    torch.manual_seed(0)
    model, tok = load_model("scratch", device="cpu", dtype="float32", scratch_config=PROFILES["tiny"].scratch_model,
                            tokenizer_texts=TEXTS, verbose=False)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(6.0)
    return model, tok



pytestmark = pytest.mark.usefixtures("one_thread")

def make_trainer(model, tok, tmp_path, **cfg):
    import datasets
    from trl import GRPOConfig, GRPOTrainer

    class Trainer(SlotRolloutsMixin, GRPOTrainer):
        pass

    args = GRPOConfig(output_dir=str(tmp_path), per_device_train_batch_size=4, num_generations=4, max_steps=1,
                      max_completion_length=12, use_cpu=True, bf16=False, report_to="none", beta=0.0,
                      logging_steps=1, save_strategy="no", disable_tqdm=True, **cfg)
    ds = datasets.Dataset.from_list([{"prompt": "def add(a, b):"}, {"prompt": "print("}] * 4)

    def reward(completions, **kw):
        return [float(len(c)) for c in completions]

    return Trainer(model=model, reward_funcs=[reward], args=args, train_dataset=ds, processing_class=tok)


def test_rollouts_equal_trls_own_path_at_a_vanishing_temperature(tiny, tmp_path, capsys):
    """At temperature 1e-4 sampling is argmax for both paths: the same completions token for token,
    with the end-of-sequence token kept where a completion ended on it."""
    import copy

    model, tok = tiny
    trainer = make_trainer(copy.deepcopy(model), tok, tmp_path, temperature=1e-4, top_k=0, top_p=1.0)
    assert slot_rollout_blocker(trainer) == ""
    rows = [tok("def add(a, b):", add_special_tokens=False)["input_ids"]] * 4 + \
        [tok("print(", add_special_tokens=False)["input_ids"]] * 4
    ours, logprobs = trainer._generate_single_turn(rows, None, {}, 4)
    assert logprobs is None
    theirs, _ = super(SlotRolloutsMixin, trainer)._generate_single_turn(rows, None, {}, 4)
    assert ours == theirs
    assert "the kit's slot engine" in capsys.readouterr().out


def test_generate_token_ids_keeps_eos_and_shares_prefill(tiny):
    model, tok = tiny
    rows = [tok("x = [", add_special_tokens=False)["input_ids"]] * 3
    free = generate_token_ids(model, rows[:1], max_new_tokens=8, eos_token_ids=[])[0]
    eos = free[3]
    got = generate_token_ids(model, rows, max_new_tokens=8, eos_token_ids=[eos], temperature=0.0)
    assert got == [free[:free.index(eos) + 1]] * 3
    assert generate_token_ids(model, rows, max_new_tokens=8, eos_token_ids=[eos], keep_eos=False)[0] == \
        free[:free.index(eos)]


def test_settings_the_engine_does_not_implement_keep_trls_path(tiny, tmp_path, capsys):
    import copy

    model, tok = tiny
    SlotRolloutsMixin._seedkit_rollout_said = False
    trainer = make_trainer(copy.deepcopy(model), tok, tmp_path, top_p=0.9)
    try:
        assert "top_p=0.9" in slot_rollout_blocker(trainer)
        rows = [tok("print(", add_special_tokens=False)["input_ids"]] * 4
        out, _ = trainer._generate_single_turn(rows, None, {}, 4)
        assert len(out) == 4
        assert "TRL's model.generate (top_p=0.9" in capsys.readouterr().out
    finally:
        type(trainer)._seedkit_rollout_said = False


def test_one_grpo_step_trains_on_slot_engine_rollouts(tiny, tmp_path):
    import copy

    model, tok = tiny
    policy = copy.deepcopy(model)
    trainer = make_trainer(policy, tok, tmp_path, temperature=1.0, top_k=0, top_p=1.0, learning_rate=1e-2)
    before = [p.detach().clone() for p in policy.parameters()]
    trainer.train()
    assert any(not torch.equal(a, b) for a, b in zip(before, policy.parameters(), strict=True))
    assert trainer.state.global_step == 1
