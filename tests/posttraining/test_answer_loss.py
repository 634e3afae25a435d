"""Teacher-forced evidence: answer log-probabilities and the answer-loss effect."""

from __future__ import annotations

import pytest


def test_answer_logprobs_equal_a_direct_computation():
    import torch

    from seedkit.models import load_model
    from seedkit.posttraining.answer_loss import answer_logprobs, loss_effect

    model, tok = load_model("scratch", device="cpu", dtype="float32", verbose=False,
                            tokenizer_texts=["def f(x):\n    return x + 1\n"] * 30,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    prompts, answers = ["Write f.", "Write a longer f please."], ["def f(x):", "    return x + 1"]
    got = answer_logprobs(model, tok, prompts, answers, batch_size=2)
    for p, a, (lp, n) in zip(prompts, answers, got, strict=True):
        pi = tok(p, add_special_tokens=False)["input_ids"]
        ai = tok(a, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([pi + ai])).logits[0]
        logp = torch.log_softmax(logits.float(), -1)
        want = sum(logp[len(pi) - 1 + j, t].item() for j, t in enumerate(ai))
        assert n == len(ai) and lp == pytest.approx(want, abs=1e-4)
    eff = loss_effect({"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 2.0, "b": 2.5, "c": 3.5, "d": 9.0}, "child", "parent",
                      print_fn=None)
    assert eff["n_problems"] == 3 and eff["difference"]["mean"] == pytest.approx(-2 / 3)
    assert eff["difference"]["hi"] < 0 and eff["before"]["mean"] == pytest.approx(8 / 3)
