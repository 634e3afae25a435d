"""Held-out loss (seedkit.pretraining.heldout): windows that predict every token once, per-file losses equal
to the model's, bootstrap intervals and paired differences."""

from __future__ import annotations

import os

import pytest

from fixtures.pretraining_run import small_tokenizer

os.environ.setdefault("HF_HUB_OFFLINE", "1")

@pytest.fixture(scope="module")
def tokenizer():
    return small_tokenizer()


def test_windows_predict_every_token_exactly_once():
    from seedkit.pretraining.heldout import file_windows

    for n, block in ((1, 4), (2, 4), (5, 4), (9, 4), (13, 5), (3, 100)):
        ids = list(range(n))
        ws = file_windows(ids, block)
        predicted = [t for w in ws for t in w[1:]]
        assert predicted == ids[1:], (n, block, ws)
        assert all(2 <= len(w) <= block + 1 for w in ws)


def test_file_losses_equal_the_model_loss_on_each_file(tokenizer):
    import torch

    from seedkit.config import PROFILES
    from seedkit.models import load_model
    from seedkit.pretraining.heldout import file_losses

    model, tok = load_model("scratch", scratch_config=dict(PROFILES["tiny"].scratch_model), tokenizer=tokenizer,
                            device="cpu", verbose=False)
    texts = ["def f(x):\n    return x + 1\n", "x = [1, 2, 3]\nprint(sum(x))\n" * 3]
    got = file_losses(model, tok, texts, block_size=1000, max_tokens=1000, batch_size=2)
    for text, (nll, count) in zip(texts, got, strict=True):
        ids = torch.tensor([[tok.eos_token_id] + tok(text, add_special_tokens=False)["input_ids"]])
        with torch.no_grad():
            want = model(input_ids=ids, labels=ids).loss.item()  # mean over the file's tokens
        assert count == ids.shape[1] - 1 and nll / count == pytest.approx(want, rel=1e-4)
    # cut into windows, the same tokens are scored, each once
    short = file_losses(model, tok, texts, block_size=5, max_tokens=1000, batch_size=3)
    assert [c for _, c in short] == [c for _, c in got]


def test_ratio_bootstrap_and_paired_difference():
    from seedkit.pretraining.heldout import paired_difference, ratio_bootstrap

    lo, hi = ratio_bootstrap([2.0, 4.0, 6.0], [1, 2, 3])  # every file at 2 nats/token: no spread
    assert lo == pytest.approx(2.0) and hi == pytest.approx(2.0)
    lo, hi = ratio_bootstrap([1.0, 9.0] * 10, [1, 1] * 10)
    assert 1.0 < lo < 5.0 < hi < 9.0
    before = {"ids": ["a", "b", "c"], "per_file": [[10.0, 10], [20.0, 10], [30.0, 10]]}
    after = {"ids": ["a", "b", "c"], "per_file": [[9.0, 10], [19.0, 10], [29.0, 10]]}
    d = paired_difference(after, before)
    assert d["mean"] == pytest.approx(-0.1) and d["interval"] == pytest.approx([-0.1, -0.1])
    assert d["files"] == 3 and d["tokens"] == 30
    with pytest.raises(ValueError, match="different files"):
        paired_difference({**after, "ids": ["a", "b", "x"]}, before)
