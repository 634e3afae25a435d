"""The oracle readings: likelihood, verdict and generated answers."""

from __future__ import annotations

import pytest

from fixtures.llm_filter_fakes import RECORDS, CharTokenizer, CountingGenerator, ScriptedLM
from seedkit.llm_filter.label_cache import LabelCache
from seedkit.llm_filter.oracle import Oracle, OracleError, score_continuations, score_distribution
from seedkit.llm_filter.rubric import load_rubric


def test_likelihood_score_with_digit_split_ten():
    tok = CharTokenizer()
    model = ScriptedLM({ord("1"): 0.5, ord("7"): 0.5}, {ord("0"): 0.5, ord("]"): 0.5})
    shared, conts = score_continuations(tok, "Rating: [[")
    assert conts[10] == [ord("1"), ord("0")] and conts[7] == [ord("7")]
    d = score_distribution(model, tok, "Rating: [[")
    # P(1) = 0.5 * P(not "0" after "1") = 0.25, P(10) = 0.5 * 0.5 = 0.25, P(7) = 0.5
    assert d.probs[1] == pytest.approx(0.25, abs=1e-4)
    assert d.probs[10] == pytest.approx(0.25, abs=1e-4)
    assert d.probs[7] == pytest.approx(0.5, abs=1e-4)
    assert d.expected == pytest.approx(0.25 * 1 + 0.25 * 10 + 0.5 * 7, abs=1e-3)
    assert d.valid_mass == pytest.approx(1.0, abs=1e-3)
    assert d.argmax == 7


class KeepingLM(ScriptedLM):
    """The same scripted model with transformers' ``logits_to_keep`` (only the last positions' logits)."""

    def forward(self, input_ids, attention_mask=None, logits_to_keep=0):
        out = super().forward(input_ids, attention_mask)
        out.logits = out.logits[:, -logits_to_keep:] if logits_to_keep else out.logits
        self.kept = out.logits.shape[1]
        return out


def test_likelihood_reads_only_the_positions_after_the_prompt():
    tok = CharTokenizer()
    args = ({ord("1"): 0.5, ord("7"): 0.5}, {ord("0"): 0.5, ord("]"): 0.5})
    keeping = KeepingLM(*args)
    prompt = "A long judge prompt that the output layer need not cover. Rating: [["
    d = score_distribution(keeping, tok, prompt)
    assert keeping.kept == 2  # the prompt's last position and the one after "1", not all ~70
    assert d.probs == pytest.approx(score_distribution(ScriptedLM(*args), tok, prompt).probs, abs=1e-9)
    assert d.probs[10] == pytest.approx(0.25, abs=1e-4)


def test_likelihood_score_with_a_single_token_ten_and_lost_mass():
    tok = CharTokenizer(merge_ten=True)
    # 40% of the probability goes to a token that is no score ("x"): valid mass 0.6, renormalised
    model = ScriptedLM({300: 0.3, ord("7"): 0.3, ord("x"): 0.4}, {})
    d = score_distribution(model, tok, "Rating: [[")
    assert d.probs[10] == pytest.approx(0.5, abs=1e-4) and d.probs[7] == pytest.approx(0.5, abs=1e-4)
    assert d.valid_mass == pytest.approx(0.6, abs=1e-3)
    assert d.expected == pytest.approx(8.5, abs=1e-3)


def test_verdict_reading_with_multi_token_words(tmp_path):
    class ChatCharTokenizer(CharTokenizer):
        def apply_chat_template(self, msgs, tokenize=False, add_generation_prompt=True):
            return "<user>" + msgs[-1]["content"] + "<assistant>"

    model = ScriptedLM({}, {})
    # next token chosen by the current one: ' ' -> g 0.6 | b 0.2 | x 0.2; g -> o; o -> o | d; b -> a; a -> d
    model.table = {ord(" "): {ord("g"): 0.6, ord("b"): 0.2, ord("x"): 0.2}, ord("g"): {ord("o"): 1.0},
                   ord("o"): {ord("o"): 0.5, ord("d"): 0.5}, ord("b"): {ord("a"): 1.0}, ord("a"): {ord("d"): 1.0}}
    oracle = Oracle(load_rubric(), name="scripted-lm", method="verdict", model=model,
                    tokenizer=ChatCharTokenizer(), cache=LabelCache(tmp_path / "c.sqlite"))
    text = oracle.verdict_prompt_text(RECORDS[0])
    assert text.endswith("good code or bad code by the criteria above? Answer good or bad.<assistant>This file is")
    assert "Reply with the rating first" not in text and "def f0():" in text
    lab = oracle.label(RECORDS[:1], progress=False)[0]
    # P(good) = 0.6 * 1 * 0.5 * 0.5 = 0.15, P(bad) = 0.2 * 1 * 1 = 0.2
    assert lab.score == pytest.approx(10 * 0.15 / 0.35, abs=1e-3)
    assert lab.valid_mass == pytest.approx(0.35, abs=1e-4) and lab.method == "verdict"


def test_likelihood_needs_an_in_process_model():
    with pytest.raises(OracleError, match="in-process model"):
        Oracle(load_rubric(), name="x", method="likelihood", generator=object())


def test_generate_labels_unparseable_counted_and_cached(tmp_path):
    gen = CountingGenerator(["Rating: [[8]] nice", "no idea", "Rating: [[2]]", "Rating: [[12]]"])
    cache = LabelCache(tmp_path / "labels.sqlite")
    oracle = Oracle(load_rubric(), name="scripted", method="generate", generator=gen, cache=cache)
    labels = oracle.label(RECORDS, progress=False)
    assert [lab.score for lab in labels] == [8.0, None, 2.0, None]
    assert labels[1].raw_answer == "no idea" and labels[1].method == "generate"
    assert all(lab.prompt_version == oracle.rubric.version for lab in labels)
    assert len(gen.seen) == 4 and cache.misses == 4 and len(cache) == 4
    # a rerun reads every label from disk: the generator is not asked again
    oracle2 = Oracle(load_rubric(), name="scripted", method="generate", generator=gen,
                     cache=LabelCache(tmp_path / "labels.sqlite"))
    again = oracle2.label(RECORDS, progress=False)
    assert [lab.score for lab in again] == [8.0, None, 2.0, None]
    assert len(gen.seen) == 4 and oracle2.cache.hits == 4
    # another oracle name, or another prompt version, pays again
    other = Oracle(load_rubric(), name="other", method="generate", generator=gen, cache=cache)
    other.label(RECORDS[:1], progress=False)
    assert len(gen.seen) == 5


def test_oracle_likelihood_labels_through_the_scripted_model(tmp_path):
    tok = CharTokenizer()

    class ChatCharTokenizer(CharTokenizer):
        def apply_chat_template(self, msgs, tokenize=False, add_generation_prompt=True):
            return "<user>" + msgs[-1]["content"] + "<assistant>"

    model = ScriptedLM({ord("1"): 0.5, ord("7"): 0.5}, {ord("0"): 0.5, ord("]"): 0.5})
    oracle = Oracle(load_rubric(), name="scripted-lm", method="likelihood", model=model,
                    tokenizer=ChatCharTokenizer(), cache=LabelCache(tmp_path / "c.sqlite"))
    assert oracle.prompt_text(RECORDS[0]).endswith("<assistant>Rating: [[")
    labs = oracle.label(RECORDS[:2], progress=False)
    assert [lab.score for lab in labs] == [pytest.approx(6.25, abs=1e-3)] * 2
    assert labs[0].method == "likelihood" and len(labs[0].score_probs) == 11
    del tok
