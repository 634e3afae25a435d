"""The distilled scorer: metrics, held-out split, training, and its objective computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from seedkit.llm_filter.scorer import agreement, spearman, split_heldout, train_scorer


def test_spearman_and_agreement():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9486833, abs=1e-6)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    a = agreement([0.0, 0.2, 8.0, 7.6], [1.0, 1.0, 7.0, 8.0])
    assert a["mae"] == pytest.approx((1.0 + 0.8 + 1.0 + 0.4) / 4)
    assert a["per_score_class"]["0"]["n"] == 2 and a["per_score_class"]["8"]["mae"] == pytest.approx(0.7)


def test_split_heldout():
    tr, ho = split_heldout(10, 0.25, seed=0)
    assert len(ho) == 2 and len(tr) == 8 and not set(tr) & set(ho)
    tr, ho = split_heldout(2, 0.9)
    assert len(tr) == 1 and len(ho) == 1


class FakeBackbone:
    """Embeds a text as [length / 100, has 'def', 1]: enough to learn 'has def = good'."""

    dim = 3

    def embed(self, texts, batch_size=32, progress=False):
        return np.array([[len(t) / 100, float("def " in t), 1.0] for t in texts], np.float32)


def test_train_scorer_learns_a_separable_signal():
    texts = [f"def f{i}(x):\n    return x" if i % 2 else f"X{i} = {i}" for i in range(40)]
    labels = [8.0 if i % 2 else 1.0 for i in range(40)]
    scorer, report = train_scorer(texts, labels, backbone=FakeBackbone(), epochs=400, learning_rate=0.05,
                                  heldout_fraction=0.25, progress=False)
    assert report.heldout["n"] == 10 and report.heldout["mae"] < 1.0
    assert report.heldout["spearman"] > 0.8
    pred = scorer.predict(["def g(y):\n    return y", "Z = 3"])
    assert pred[0] > 6 and pred[1] < 3 and 0 <= pred.min() and pred.max() <= 10


def test_the_scorer_objective_by_hand_is_mse_on_labels_rescaled_to_0_1():
    """Notebook 02's objective cell: the loss of one batch computed with numpy from the head's weights equals
    scorer_loss, the function the training loop calls; 10 x the head's output is the predicted score."""
    import torch

    from seedkit.llm_filter.scorer import QualityScorer, make_head, rescale_labels, scorer_loss

    torch.manual_seed(0)
    head = make_head(6, hidden=5).eval()
    x = np.random.default_rng(0).normal(size=(8, 6)).astype(np.float32)
    y = np.array([0.0, 2.5, 10.0, 7.0, 4.0, 9.5, 1.0, 12.0])  # 12 is clipped to the top of the scale
    w1, b1, w2, b2 = (p.detach().numpy().astype(np.float64) for p in (head[0].weight, head[0].bias, head[2].weight,
                                                                     head[2].bias))
    prediction = 1.0 / (1.0 + np.exp(-(np.maximum(x @ w1.T + b1, 0.0) @ w2.T + b2)[:, 0]))
    by_hand = float(np.mean((prediction - np.clip(y / 10.0, 0.0, 1.0)) ** 2))
    with torch.no_grad():
        package = float(scorer_loss(head, torch.from_numpy(x), rescale_labels(y)))
    assert by_hand == pytest.approx(package, abs=1e-6)
    scorer = QualityScorer(backbone=None, head=head, backbone_kind="minilm")
    assert np.allclose(10 * prediction, scorer.predict_embeddings(x), atol=1e-4)
