"""One training stage (seedkit.pretraining.train): the report's learning-rate schedule, the Trainer's arguments,
trackers, checkpoints, and notebook 03's next-token loss by hand."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from seedkit.pretraining.train import stage_lr

os.environ.setdefault("HF_HUB_OFFLINE", "1")

def test_stage_schedule_follows_the_report():
    """The report: peak 3e-4, regular pretraining ends at 3e-4/sqrt(10), continued pretraining at ~3e-5."""
    s1, e1 = stage_lr(3e-4, 1)
    s2, e2 = stage_lr(3e-4, 2)
    assert s1 == 3e-4 and math.isclose(e1, 3e-4 / math.sqrt(10))
    assert s2 == e1 and math.isclose(e2, 3e-5)  # peak/10, not peak/100
    with pytest.raises(ValueError):
        stage_lr(1e-3, 3)


def test_training_args_use_cosine_to_min_lr(tmp_path):
    from seedkit.pretraining.train import build_training_args

    a = build_training_args(output_dir=tmp_path, device="cpu", dtype="float32", global_batch=8, per_device_max=4,
                            lr_start=1e-3, lr_end=1e-5, max_steps=10, warmup_ratio=0.1, weight_decay=0.1,
                            save_steps=5, eval_steps=None, seed=0, verbose=False)
    assert getattr(a.lr_scheduler_type, "value", a.lr_scheduler_type) == "cosine_with_min_lr" and a.lr_scheduler_kwargs == {"min_lr": 1e-5}
    assert a.per_device_train_batch_size * a.gradient_accumulation_steps == 8 and not a.bf16


def test_report_to_tensorboard_gets_its_own_writer_or_a_one_line_error(tmp_path, monkeypatch):
    import importlib.util

    from seedkit.pretraining.train import tracker_callbacks

    assert tracker_callbacks("none", tmp_path) == ("none", [])
    assert tracker_callbacks("wandb", tmp_path) == ("wandb", [])  # passed through to the Trainer
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("tensorboard") else real(name, *a))
    with pytest.raises(RuntimeError, match="pip install tensorboard") as e:
        tracker_callbacks("tensorboard,wandb", tmp_path / "tb")
    assert "\n" not in str(e.value)


def test_last_complete_checkpoint_skips_a_half_written_one(tmp_path):
    from seedkit.pretraining.train import last_complete_checkpoint

    assert last_complete_checkpoint(tmp_path) is None
    for step, complete in ((4, True), (8, True), (12, False)):
        (tmp_path / f"checkpoint-{step}").mkdir()
        if complete:
            (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
    assert Path(last_complete_checkpoint(tmp_path)).name == "checkpoint-8"


def test_next_token_loss_by_hand_equals_the_model_loss():
    """Notebook 03's objective cell: the mean over positions of logsumexp(logits) - logit of the next
    token (the shifted cross-entropy every training step minimises) equals the model's own loss."""
    import torch

    from fixtures.pretraining_run import small_tokenizer
    from seedkit.config import PROFILES
    from seedkit.models import load_model
    from seedkit.pretraining.packing import pack

    tok = small_tokenizer()
    model, _ = load_model("scratch", scratch_config=dict(PROFILES["tiny"].scratch_model), tokenizer=tok,
                          device="cpu", verbose=False)
    docs = [tok(t, add_special_tokens=False)["input_ids"] for t in ("def f(x):\n    return x + 1\n", "x = 1\n" * 5)]
    ids = torch.tensor([pack(docs, 24, tok.eos_token_id, tok.pad_token_id).input_ids[0]])
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0].float()
        kit_loss = model(input_ids=ids, labels=ids).loss.item()
    targets = ids[0, 1:]
    nll = torch.logsumexp(logits[:-1], dim=-1) - logits[:-1].gather(1, targets[:, None])[:, 0]
    assert nll.shape == (23,) and nll.mean().item() == pytest.approx(kit_loss, rel=1e-5)
