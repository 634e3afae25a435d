"""The slot-batching engine against ``model.generate`` on small models (no timing here: bench/).

Exactness: greedy text equal to ``model.generate`` run one prompt at a time, for every prompt, with
stop strings, end-of-turn tokens, mixed prompt lengths and more prompts than slots. Sampling: the
sampler's distribution is ``softmax(logits / T)`` (checked against transformers' own logits
processors and by a chi-square test of draws), reproducible given a seed.
"""

from __future__ import annotations

import math

import pytest
import torch

from seedkit.generation import GenerationError, TransformersGenerator
from seedkit.generation.engine import DecodeStats, check_supported, decode, sample_tokens
from seedkit.generation.stops import StopWatch

TEXTS = [
    "def add(a, b):\n    return a + b\n",
    "def is_even(n):\n    return n % 2 == 0\n",
    "```python\nprint('hello')\n```\nDone.\n",
    "The answer is 42. Rating: [[7]]\n",
    "for i in range(10):\n    total += i\n",
] * 30


@pytest.fixture(scope="module")
def tiny():
    """The tiny profile's scratch Llama, weights scaled up so that its next-token choices are not
    near-ties (a fresh model's logits are almost flat) and sequences end at different lengths."""
    from seedkit.config import PROFILES
    from seedkit.models import load_model

    torch.manual_seed(0)
    model, tok = load_model("scratch", device="cpu", dtype="float32", scratch_config=PROFILES["tiny"].scratch_model,
                            tokenizer_texts=TEXTS, verbose=False)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.mul_(6.0)
    model.eval()
    return model, tok



pytestmark = pytest.mark.usefixtures("one_thread")

PROMPTS = [
    "def add(a, b):\n",
    "The answer",
    "```python\nprint(",
    "for i in range(10):\n    total",
    "def is_even(n):\n    return n % 2 == 0\ndef add(a, b):\n    return",
    "Rating: [[",
    "x",
    "print('hello')\n```\nDone.\nThe answer is 42. Rating: [[7]]\nfor i in",
]


def reference_greedy(model, tok, prompts, max_new_tokens, stop, eos_ids):
    """``model.generate`` one prompt at a time (no padding), text cut at the first stop string."""
    from seedkit.generation import truncate_at_stop

    out = []
    for p in prompts:
        enc = tok(p, return_tensors="pt", add_special_tokens=False)
        kw = dict(stop_strings=list(stop), tokenizer=tok) if stop else {}
        with torch.no_grad():
            g = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, eos_token_id=eos_ids,
                               pad_token_id=tok.pad_token_id, **kw)
        out.append(truncate_at_stop(tok.decode(g[0, enc["input_ids"].shape[1]:], skip_special_tokens=True), stop))
    return out


@pytest.mark.parametrize("slots", [1, 3, 64])
@pytest.mark.parametrize("stop", [None, ["\n"], ["```", "]]"]])
def test_greedy_equals_model_generate(tiny, slots, stop):
    model, tok = tiny
    gen = TransformersGenerator(model, tok, batch_size=slots, engine="slots", verbose=False)
    got = gen.complete(PROMPTS, max_new_tokens=20, stop=stop, progress=False)
    want = reference_greedy(model, tok, PROMPTS, 20, stop, gen._eos_ids())
    assert [g[0] for g in got] == want
    # the workload really mixes lengths: some sequences stopped early, some ran to the cap
    lengths = {len(tok(w, add_special_tokens=False)["input_ids"]) for w in want}
    assert len(lengths) > 2


def test_greedy_equals_the_generate_engine_batched(tiny):
    """The kit's two engines agree; ``engine='generate'`` is model.generate with left padding."""
    model, tok = tiny
    slots = TransformersGenerator(model, tok, engine="slots", verbose=False)
    bare = TransformersGenerator(model, tok, batch_size=4, engine="generate", verbose=False)
    kw = dict(max_new_tokens=16, stop=["]]"], progress=False)
    assert slots.complete(PROMPTS, **kw) == bare.complete(PROMPTS, **kw)


def test_eos_ends_a_sequence_and_is_not_in_the_text(tiny):
    model, tok = tiny
    gen = TransformersGenerator(model, tok, engine="slots", verbose=False)
    ids = [tok(p, add_special_tokens=False)["input_ids"] for p in PROMPTS]
    free = decode(model, ids, n=1, max_new_tokens=12, eos_token_ids=[], slots=4)
    # make the 3rd token of the first prompt's greedy answer the end-of-sequence token
    eos = free[0][0][2]
    ended = decode(model, ids, n=1, max_new_tokens=12, eos_token_ids=[eos], slots=4)
    assert ended[0][0] == free[0][0][:2]
    for f, e in zip(free, ended, strict=True):
        cut = f[0].index(eos) if eos in f[0] else len(f[0])
        assert e[0] == f[0][:cut]
    assert gen.complete(["def"], max_new_tokens=3, progress=False)[0][0] is not None


def test_n_samples_share_a_prompt_and_come_back_in_order(tiny):
    model, tok = tiny
    gen = TransformersGenerator(model, tok, engine="slots", verbose=False)
    out = gen.complete(PROMPTS[:5], n=4, temperature=1.5, max_new_tokens=10, progress=False, seed=3)
    assert [len(o) for o in out] == [4] * 5
    assert gen.last_stats.sequences == 20
    assert gen.last_stats.prefill_tokens == sum(len(tok(p, add_special_tokens=False)["input_ids"])
                                                for p in PROMPTS[:5])  # each prompt prefilled once
    # each prompt's samples follow that prompt: greedy on the same prompt list keeps the order
    greedy = gen.complete(PROMPTS[:5], max_new_tokens=10, progress=False)
    assert greedy == [[g[0]] for g in reference_greedy_list(gen, PROMPTS[:5])]


def test_samples_that_wait_for_a_slot_start_from_the_kept_prompt_not_a_second_prefill(tiny):
    """3 slots for 5 prompts x 4 samples: most prompts' samples are split across admissions. Each
    prompt is still prefilled once, and the later samples (started from the kept keys, values and
    logits) give the same greedy answer as model.generate."""
    model, tok = tiny
    ids = [tok(p, add_special_tokens=False)["input_ids"] for p in PROMPTS[:5]]
    stats = DecodeStats()
    out = decode(model, ids, n=4, max_new_tokens=10, eos_token_ids=[], slots=3, stats=stats)
    assert stats.prefill_tokens == sum(len(x) for x in ids)
    want = reference_greedy(model, tok, PROMPTS[:5], 10, None, [])
    assert [[tok.decode(s, skip_special_tokens=True) for s in samples] for samples in out] == [[w] * 4 for w in want]
    # sampled: every sample its own draw, reproducible with the same generator seed
    draw = lambda: decode(model, ids, n=4, max_new_tokens=10, eos_token_ids=[], slots=3, temperature=1.5,  # noqa: E731
                          generator=torch.Generator().manual_seed(5))
    first = draw()
    assert first == draw()
    assert any(len({tuple(s) for s in samples}) > 1 for samples in first)


def test_each_prompt_can_stop_at_its_own_strings_in_one_call(tiny):
    """prompt_stops: prompts with different stop strings decode together, each cut as if asked alone
    (and the model.generate engine, which takes one list per call, gives the same texts)."""
    model, tok = tiny
    own = [["\n"], None, ["de"], ["]]"], ["```", "\n"], None, ["ev"], []]
    default = ["return"]
    for engine in ("slots", "generate"):
        gen = TransformersGenerator(model, tok, batch_size=3, engine=engine, verbose=False)
        got = gen.complete(PROMPTS, max_new_tokens=20, stop=default, prompt_stops=own, progress=False)
        want = [reference_greedy(model, tok, [p], 20, default if o is None else o, gen._eos_ids())[0]
                for p, o in zip(PROMPTS, own, strict=True)]
        assert [g[0] for g in got] == want, engine
    unstopped = reference_greedy(model, tok, PROMPTS, 20, None, gen._eos_ids())
    assert sum(w != u for w, u in zip(want, unstopped, strict=True)) >= 2  # some prompts were really cut
    with pytest.raises(GenerationError, match="prompt_stops"):
        gen.complete(PROMPTS, prompt_stops=[None])


def reference_greedy_list(gen, prompts):
    return [[x] for x in reference_greedy(gen.model, gen.tokenizer, prompts, 10, None, gen._eos_ids())]


def test_sampling_is_reproducible_given_a_seed(tiny):
    model, tok = tiny
    gen = TransformersGenerator(model, tok, engine="slots", verbose=False)
    kw = dict(n=3, temperature=1.0, max_new_tokens=12, progress=False)
    a = gen.complete(PROMPTS[:4], seed=7, **kw)
    assert gen.complete(PROMPTS[:4], seed=7, **kw) == a
    assert gen.complete(PROMPTS[:4], seed=8, **kw) != a
    torch.manual_seed(11)
    b = gen.complete(PROMPTS[:4], **kw)
    torch.manual_seed(11)
    assert gen.complete(PROMPTS[:4], **kw) == b


def test_sampler_distribution_is_transformers_temperature_softmax():
    """Our draws follow the probabilities transformers' own processors give for temperature T
    (top_k=0, top_p=1): a chi-square test on 40,000 draws from a 12-way distribution."""
    from transformers import GenerationConfig
    from transformers.generation.utils import GenerationMixin

    torch.manual_seed(0)
    logits = torch.randn(1, 12) * 2
    T = 0.8
    cfg = GenerationConfig(do_sample=True, temperature=T, top_k=0, top_p=1.0)
    procs = GenerationMixin._get_logits_processor(GenerationMixin.__new__(GenerationMixin), cfg)
    hf_probs = torch.softmax(procs(torch.zeros(1, 1, dtype=torch.long), logits.clone()), dim=-1)[0]
    assert torch.allclose(hf_probs, torch.softmax(logits / T, dim=-1)[0])
    g = torch.Generator().manual_seed(1)
    draws = sample_tokens(logits.expand(40_000, -1), T, g)
    counts = torch.bincount(draws, minlength=12).double()
    expected = hf_probs.double() * 40_000
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 31.3  # 11 degrees of freedom, p = 0.001
    # a broken sampler (e.g. one that ignores the temperature) fails the same test
    wrong = torch.softmax(logits, dim=-1)[0].double() * 40_000
    assert float(((counts - wrong) ** 2 / wrong).sum()) > 31.3


def test_sampler_never_picks_a_zero_probability_token():
    logits = torch.full((2000, 50), -math.inf)
    logits[:, 7] = 0.0
    logits[:, 9] = 0.0
    draws = sample_tokens(logits, 1.0, torch.Generator().manual_seed(0))
    assert set(draws.tolist()) == {7, 9}


def test_stop_watch_sees_a_stop_string_split_across_tokens(tiny):
    _, tok = tiny
    ids = tok("print('hello')\n```\nDone", add_special_tokens=False)["input_ids"]
    w = StopWatch(tok, ["```\nDo"])
    hits = [w.hits([ids[:k]])[0] for k in range(1, len(ids) + 1)]
    first = hits.index(True)
    assert "```\nDo" in tok.decode(ids[:first + 1]) and "```\nDo" not in tok.decode(ids[:first])
    assert all(hits[first:])


def test_peft_lora_model_generates_with_its_current_adapter(tiny):
    from peft import LoraConfig, get_peft_model

    model, tok = tiny
    import copy

    base = copy.deepcopy(model)
    lora = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"],
                                           lora_dropout=0.5))
    gen = TransformersGenerator(lora, tok, engine="slots", verbose=False)
    before = gen.complete(PROMPTS, max_new_tokens=12, progress=False)
    # train-mode dropout would make generation random: the generator generates in eval mode
    lora.train()
    with torch.no_grad():
        for n_, p in lora.named_parameters():
            if "lora_B" in n_:
                p.normal_(0, 2.0)
    after = gen.complete(PROMPTS, max_new_tokens=12, progress=False)
    assert lora.training  # restored
    assert after != before  # the new adapter weights are used
    lora.eval()
    want = reference_greedy(lora, tok, PROMPTS, 12, None, gen._eos_ids())
    assert [a[0] for a in after] == want


@pytest.mark.parametrize("kind", ["qwen2", "mistral", "qwen3"])
def test_other_supported_architectures_match_generate(tiny, kind):
    import transformers

    _, tok = tiny
    cls = {"qwen2": (transformers.Qwen2Config, transformers.Qwen2ForCausalLM),
           "mistral": (transformers.MistralConfig, transformers.MistralForCausalLM),
           "qwen3": (transformers.Qwen3Config, transformers.Qwen3ForCausalLM)}[kind]
    torch.manual_seed(0)
    cfg = cls[0](vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                 pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, initializer_range=0.3)
    model = cls[1](cfg).eval()
    check_supported(model)
    gen = TransformersGenerator(model, tok, engine="slots", verbose=False)
    got = gen.complete(PROMPTS, max_new_tokens=12, progress=False)
    assert [g[0] for g in got] == reference_greedy(model, tok, PROMPTS, 12, None, gen._eos_ids())


def test_unsupported_models_fall_back_to_generate_and_say_why(tiny, capsys):
    model, tok = tiny
    model.generation_config.repetition_penalty = 1.3
    try:
        gen = TransformersGenerator(model, tok, name="tiny")
        assert gen.choose_engine()[0] == "generate"
        out = gen.complete(PROMPTS[:2], max_new_tokens=4, progress=False)
        assert len(out) == 2
        line = capsys.readouterr().out
        assert "engine=generate" in line and "repetition_penalty" in line
        with pytest.raises(GenerationError, match="repetition_penalty"):
            TransformersGenerator(model, tok, engine="slots").complete(PROMPTS[:1], max_new_tokens=2)
    finally:
        model.generation_config.repetition_penalty = 1.0


def test_choices_are_printed_once_with_the_reason(tiny, capsys):
    model, tok = tiny
    gen = TransformersGenerator(model, tok, name="tiny")
    gen.complete(PROMPTS, max_new_tokens=2, progress=False)
    gen.complete(PROMPTS, max_new_tokens=2, progress=False)
    out = capsys.readouterr().out.splitlines()
    assert [x for x in out if "engine=slots" in x] == [out[0]]
    assert len([x for x in out if "decode together" in x]) == 1
    assert "8 sequence(s) asked for" in out[1]


def test_bad_requests_get_one_line_errors(tiny):
    model, tok = tiny
    gen = TransformersGenerator(model, tok, verbose=False)
    with pytest.raises(GenerationError, match="n > 1 needs temperature"):
        gen.complete(["x"], n=2)
    with pytest.raises(GenerationError, match="temperature=-1"):
        gen.complete(["x"], temperature=-1)
    with pytest.raises(GenerationError, match="max_new_tokens=0"):
        gen.complete(["x"], max_new_tokens=0)
    with pytest.raises(GenerationError, match="list of stop strings"):
        gen.complete(["x"], stop="```")
    with pytest.raises(GenerationError, match="prompt 1 is empty"):
        gen.complete(["x", ""])
    with pytest.raises(GenerationError, match="engine='fast'"):
        TransformersGenerator(model, tok, engine="fast")
    with pytest.raises(GenerationError, match="batch_size=0"):
        TransformersGenerator(model, tok, batch_size=0)
    assert gen.complete([], max_new_tokens=4) == []


@pytest.mark.slow
def test_smollm2_greedy_equals_model_generate():
    """The packaged SmolLM2-135M-Instruct: the slot engine's greedy chat answers equal
    ``model.generate``'s, one prompt at a time, and with the prompts left-padded in one batch."""
    from seedkit.models import load_model

    model, tok = load_model("smollm2-135m-instruct", verbose=False)
    model.eval()
    asks = ["Write a Python function that reverses a string.", "What does `len([1, 2, 3])` return?",
            "Explain a for loop in one sentence."]
    gen = TransformersGenerator(model, tok, engine="slots", verbose=False)
    prompts = [gen.render_chat([{"role": "user", "content": a}]) for a in asks]
    got = gen.complete(prompts, max_new_tokens=24, stop=["\n```\n"], progress=False)
    want = reference_greedy(model, tok, prompts, 24, ["\n```\n"], gen._eos_ids())
    assert [g[0] for g in got] == want
    batched = TransformersGenerator(model, tok, batch_size=3, engine="generate", verbose=False)
    assert batched.complete(prompts, max_new_tokens=24, stop=["\n```\n"], progress=False) == got


def test_decoding_leaves_a_model_that_trains(tiny):
    """Decoding runs under inference mode; a LoRA model that decoded must still train afterwards
    (nothing the engine makes may end up in a later backward)."""
    import copy

    from peft import LoraConfig, get_peft_model

    model, tok = tiny
    lora = get_peft_model(copy.deepcopy(model), LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    lora.eval()
    ids = [tok(p)["input_ids"] for p in PROMPTS[:3]]
    decode(lora, ids, n=2, max_new_tokens=6, eos_token_ids=[], slots=4)
    lora.train()
    batch = torch.tensor([ids[0]])
    loss = lora(input_ids=batch, labels=batch).loss
    loss.backward()
    grads = [p.grad for n_, p in lora.named_parameters() if "lora_" in n_]
    assert grads and all(g is not None and torch.isfinite(g).all() for g in grads)


def test_models_with_bitsandbytes_layers_decode_under_no_grad(tiny):
    from seedkit.generation.engine import _grad_off

    model, _ = tiny
    assert isinstance(_grad_off(model), torch.inference_mode)
    fake = type("Linear4bit", (torch.nn.Module,), {"__module__": "bitsandbytes.nn.modules"})
    wrapped = torch.nn.Sequential(model, fake())
    assert isinstance(_grad_off(wrapped), torch.no_grad)


@pytest.mark.parametrize("attention", ["sdpa", "eager"])
def test_a_shared_prefix_is_prefilled_once_and_changes_no_answer(tiny, monkeypatch, attention):
    """Prompts that begin alike (a system prompt) prefill those tokens once; every answer is still
    ``model.generate``'s, with samples that wait for a slot, prompts of other lengths and more
    prompts than slots; a prompt no longer than the prefix keeps one token of its own."""
    import copy

    from seedkit.generation import engine

    model, tok = tiny
    if attention == "eager":  # eager attention adds its mask instead of selecting with it
        model = copy.deepcopy(model)
        model.set_attn_implementation("eager")
        assert model.config._attn_implementation == "eager"
    head = "def is_even(n):\n    return n % 2 == 0\ndef add(a, b):\n    return a + b\n"
    prompts = [head + p for p in PROMPTS] + [head]
    ids = [tok(p, add_special_tokens=False)["input_ids"] for p in prompts]
    shared = engine.shared_prefix_length(ids)
    assert engine.MIN_SHARED_PREFIX <= shared < min(len(x) for x in ids)
    assert engine.shared_prefix_length(ids[:1]) == 0 and engine.shared_prefix_length([ids[0], [7] + ids[1]]) == 0
    stats = DecodeStats()
    got = decode(model, ids, n=2, max_new_tokens=10, eos_token_ids=[], slots=3, stats=stats)
    assert stats.prefill_tokens == shared + sum(len(x) - shared for x in ids)  # the prefix once
    monkeypatch.setattr(engine, "MIN_SHARED_PREFIX", 10**9)
    plain_stats = DecodeStats()
    plain = decode(model, ids, n=2, max_new_tokens=10, eos_token_ids=[], slots=3, stats=plain_stats)
    assert plain_stats.prefill_tokens == sum(len(x) for x in ids)
    assert got == plain
    want = reference_greedy(model, tok, prompts, 10, None, [])
    assert [tok.decode(s[0], skip_special_tokens=True) for s in got] == want
