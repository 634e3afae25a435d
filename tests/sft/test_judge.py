"""Stage 04 judge: whether its ratings carry signal, and both ways of reading them."""

from __future__ import annotations

from fixtures.sft_fakes import (
    ScriptedGenerator,
    item,
)
from seedkit.sft import judge


def test_auto_rule_filters_only_a_judge_with_signal():
    proxies = [float(i) for i in range(30)]
    good = judge.judge_signal([p / 3 + (i % 3) * 0.1 for i, p in enumerate(proxies)], proxies)
    assert good["has_signal"] and good["rho"] > 0.9 and good["interval"][0] > 0
    flat = judge.judge_signal([1.5] * 30, proxies)
    assert not flat["has_signal"] and "do not vary" in flat["why"]
    import random

    rng = random.Random(1)
    noise = judge.judge_signal([rng.random() for _ in proxies], [rng.random() for _ in proxies])
    assert not noise["has_signal"] and noise["interval"][0] < 0 < noise["interval"][1]
    assert judge.decide_filter("auto", good, 3.0, 0.2)[0] == "rank"
    rule, why = judge.decide_filter("auto", flat, 3.0, 0.2)
    assert rule == "off" and "no measurable signal" in why
    assert judge.judge_signal([1.0, None, 2.0], [1.0, 2.0, 3.0])["why"].startswith("only 2 rated")


def test_difficulty_proxy_and_correctness_separation():
    easy = "def f(x):\n    return x\n"
    hard = "def f(xs):\n    out = []\n    for x in xs:\n        if x % 2:\n            out.append(x * x)\n    return out\n"
    assert judge.difficulty_proxy(hard) > judge.difficulty_proxy(easy) > 0
    sep = judge.separation([9, 8, 7, 2, 1, None], [True, True, True, False, False, True])
    assert sep["auc"] == 1.0 and (sep["n_passed"], sep["n_failed"]) == (3, 2)
    assert judge.separation([5, 5, 5, 5], [True, False, True, False])["auc"] == 0.5
    assert judge.separation([5, 6], [True, True])["auc"] is None


def test_judge_generate_method_rates_difficulty_and_correctness_apart():
    gen = ScriptedGenerator(["Easy. Rating: [[2]]", "Hard. Rating: [[8]]", "???",  # difficulty, per item
                             "Right. Rating: [[9]]", "Wrong. Rating: [[1]]", "Rating: [[5]]"])  # correctness
    items = [item(id=str(i)) for i in range(3)]
    assert judge.judge_items(gen, items) == "generate"
    assert [i.difficulty for i in items] == [2.0, 8.0, None]
    assert [i.judge_score for i in items] == [9.0, 1.0, 5.0]
    assert "difficult" in gen.calls[0][0][0]["content"] and "correctly solves" in gen.calls[1][0][0]["content"]


def test_judge_likelihood_method_on_a_tiny_model():
    from seedkit.generation import TransformersGenerator
    from seedkit.models import load_model

    texts = ["def f(x):\n    return x + 1\n", "Rating: [[5]] 0 1 2 3 4 5 6 7 8 9 10"] * 20
    model, tok = load_model("scratch", device="cpu", dtype="float32", tokenizer_texts=texts, verbose=False,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    items = [item(id="a"), item(id="b", instruction="Write a function add(a, b) returning the sum of two numbers.")]
    assert judge.judge_items(TransformersGenerator(model, tok), items, progress=False) == "likelihood"
    assert all(0.0 <= i.judge_score <= 10.0 and 0.0 <= i.difficulty <= 10.0 for i in items)
    assert items[0].judge_score != items[0].difficulty  # two prompts, two readings
