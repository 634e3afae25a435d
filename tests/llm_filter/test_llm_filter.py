"""Stage 02: rubric rendering, answer parsing, the likelihood score, the label cache, the scorer,
the cut, equal-token sampling, and the stage end to end on a fixture stage-01 run (tiny profile)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from seedkit.config import SettingsError
from seedkit.llm_filter.label_cache import Label, LabelCache
from seedkit.llm_filter.oracle import Oracle, OracleError, score_continuations, score_distribution
from seedkit.llm_filter.rubric import RubricError, load_rubric, parse_rating, truncate_code
from seedkit.llm_filter.samples import compare_groups, load_quality_samples
from seedkit.llm_filter.scorer import agreement, spearman, split_heldout, train_scorer
from seedkit.llm_filter.settings import LLMFilterSettings
from seedkit.llm_filter.threshold import choose_cut, sample_to_tokens, token_counter


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Two intra-op threads on a busy 2-core machine made a 400-step head fit take 47 s instead of 1 s."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# --------------------------------------------------------------------------- settings


def test_settings_profiles_and_checks():
    assert LLMFilterSettings.stage == "02_llm_filter"
    assert LLMFilterSettings.from_params("smol").oracle_model == "smollm2-135m-instruct"
    assert LLMFilterSettings.from_params("tiny").oracle_model == "scratch"
    with pytest.raises(SettingsError, match="drop_bottom_fraction"):
        LLMFilterSettings.from_params("tiny", drop_bottom_fraction=1.5)
    with pytest.raises(SettingsError, match="oracle_server_model"):
        LLMFilterSettings.from_params("tiny", oracle_server_url="http://127.0.0.1:8000")
    cell = LLMFilterSettings.parameters_cell()
    assert "drop_bottom_fraction = None" in cell and "oracle_method = None" in cell


# --------------------------------------------------------------------------- rubric


def test_rubric_renders_code_with_braces_and_records_a_version():
    r = load_rubric()
    assert r.version.startswith("quality-rubric-v") and re.search(r"\+[0-9a-f]{8}$", r.version)
    text = r.render("d = {'a': {1}}\nprint(f'{d}')\n", path="x/y.py", language="Python")
    assert "d = {'a': {1}}\nprint(f'{d}')" in text
    assert "File: x/y.py (python)" in text and "```python" in text
    assert "{code}" not in text and "{path}" not in text
    for dim in ("Readability", "Modularity", "Clarity", "Reusability", "Zero-score", "Rating: [[X]]"):
        assert dim in text
    assert r.messages("x = 1")[0]["role"] == "user"


def test_rubric_version_changes_with_the_body(tmp_path):
    base = load_rubric().path
    edited = tmp_path / "rubric.md"
    edited.write_text(Path(base).read_text().replace("Give an overall score", "Give one overall score"))
    assert load_rubric(edited).version.split("+")[0] == load_rubric().version.split("+")[0]
    assert load_rubric(edited).version != load_rubric().version
    bad = tmp_path / "bad.md"
    bad.write_text("---\nversion: x\n---\nRate this. Rating: [[X]]\n")
    with pytest.raises(RubricError, match="no \\{code\\} placeholder"):
        load_rubric(bad)
    with pytest.raises(RubricError, match="does not exist"):
        load_rubric(tmp_path / "missing.md")


def test_truncate_code_cuts_at_a_line_end():
    code = "".join(f"line {i}\n" for i in range(100))
    out = truncate_code(code, 60)
    assert out.endswith("\n... (truncated)") and len(out) <= 60 + len("\n... (truncated)")
    assert out.split("\n... (truncated)")[0].endswith(("line 7", "line 8"))
    assert truncate_code("short", 60) == "short"


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("answer,score", [
    ("Rating: [[7]] clean code.", 7.0),
    ("The code is fine.\nRating: [[ 10 ]]", 10.0),
    ("rating:[[0]] config file", 0.0),
    ("Rating: [[6.5]]", 6.5),
    ("Rating: [[3]] ... later Rating: [[9]]", 3.0),  # the first one: the rubric asks for it first
    ("I'd say [[4]]", 4.0),  # bare brackets are accepted as a fallback
])
def test_parse_rating(answer, score):
    p = parse_rating(answer)
    assert p.score == score and p.reason == "ok"


@pytest.mark.parametrize("answer", [
    "", "Rating: 7", "Rating: [[seven]]", "Rating: [7]", "Rating: [[11]]", "Rating: [[-1]]",
    "1. Readability: clear names", "Rating: [[",
])
def test_malformed_answers_are_none_not_zero(answer):
    p = parse_rating(answer)
    assert p.score is None and p.reason != "ok"


def test_parse_prefilled_answer():
    assert parse_rating("8]] good", prefilled=True).score == 8.0
    assert parse_rating("eight", prefilled=True).score is None


# --------------------------------------------------------------------------- likelihood


class CharTokenizer:
    """One token per character (so "10" is two tokens, like SmolLM2's digits); optionally one
    merged token (id 300) for "10", like tokenizers that hold whole numbers."""

    pad_token_id = 0

    def __init__(self, merge_ten: bool = False):
        self.merge_ten = merge_ten

    def __call__(self, text, add_special_tokens=False):
        ids, i = [], 0
        while i < len(text):
            if self.merge_ten and text.startswith("10", i):
                ids.append(300)
                i += 2
            else:
                ids.append(ord(text[i]))
                i += 1
        return {"input_ids": ids}


class ScriptedLM(torch.nn.Module):
    """Next-token distribution chosen by the current token: after '[' the scripted score tokens,
    after '1' either '0' or ']' (so P(1) and P(10) share the first token)."""

    def __init__(self, after_bracket: dict[int, float], after_one: dict[int, float]):
        super().__init__()
        self.p = torch.nn.Parameter(torch.zeros(1))
        self.table = {ord("["): after_bracket, ord("1"): after_one}

    def forward(self, input_ids, attention_mask=None):
        logits = torch.full((*input_ids.shape, 301), -1e4)
        for b in range(input_ids.shape[0]):
            for t in range(input_ids.shape[1]):
                for tok, p in self.table.get(int(input_ids[b, t]), {}).items():
                    logits[b, t, tok] = float(np.log(p))

        class Out:
            pass

        o = Out()
        o.logits = logits
        return o


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


def test_rubric_front_matter_sets_the_verdict_question(tmp_path):
    r = load_rubric()
    assert r.verdict_words == ("good", "bad") and r.verdict_prefix == "This file is"
    custom = tmp_path / "r.md"
    custom.write_text("---\nversion: mine\nverdict_question: Keep it?\nverdict_words: yes, no\n---\n"
                      "Grade {code}\n\nAnswer Rating: [[X]]\n")
    c = load_rubric(custom)
    assert c.verdict_words == ("yes", "no") and c.render_verdict("x = 1").endswith("Grade x = 1\n\nKeep it?")
    assert c.version.startswith("mine+")


def test_likelihood_needs_an_in_process_model():
    with pytest.raises(OracleError, match="in-process model"):
        Oracle(load_rubric(), name="x", method="likelihood", generator=object())


# --------------------------------------------------------------------------- oracle + cache


class CountingGenerator:
    """A scripted generator: answers from a list in turn, counting the prompts it saw."""

    name = "scripted"

    def __init__(self, answers):
        self.answers = list(answers)
        self.seen: list[str] = []

    def chat(self, conversations, **kw):
        out = []
        for c in conversations:
            self.seen.append(c[-1]["content"])
            out.append([self.answers[(len(self.seen) - 1) % len(self.answers)]])
        return out


RECORDS = [{"path": f"m{i}.py", "language": "python", "content": f"def f{i}():\n    return {i}\n"} for i in range(4)]


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


def test_cache_key_holds_prompt_version_and_duplicates_are_labelled_once(tmp_path):
    cache = LabelCache(tmp_path / "c.sqlite")
    cache.put_many({"h1": Label(3.0, "r", "generate", "v1", "o")})
    assert cache.get_many(["h1"], "v1", "o", "generate")["h1"].score == 3.0
    assert cache.get_many(["h1"], "v2", "o", "generate") == {}
    assert cache.get_many(["h1"], "v1", "o", "likelihood") == {}
    gen = CountingGenerator(["Rating: [[5]]"])
    oracle = Oracle(load_rubric(), name="s", method="generate", generator=gen, cache=cache)
    labs = oracle.label([RECORDS[0], RECORDS[0], RECORDS[1]], progress=False)
    assert len(gen.seen) == 2 and [lab.score for lab in labs] == [5.0, 5.0, 5.0]


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


# --------------------------------------------------------------------------- samples, metrics, cut


def test_quality_samples_exist_in_several_languages():
    recs = load_quality_samples()
    groups = {g: [r for r in recs if r["group"] == g] for g in ("good", "poor")}
    assert len(groups["good"]) == 10 and len(groups["poor"]) == 12
    assert {"python", "javascript", "go", "java"} <= {r["language"] for r in recs}
    c = compare_groups(recs, [8.0 if r["group"] == "good" else 2.0 for r in recs])
    assert c["good_mean"] == 8.0 and c["poor_mean"] == 2.0 and c["good_above_poor_auc"] == 1.0
    assert c["poor_lower_on_average"] is True
    assert {f["path"].split("/")[0] for f in c["files"]} == {"good", "poor"}  # tables still say where a file sits


LABEL_WORDS = ("good", "poor")


class ChatCharTokenizerForPrompts(CharTokenizer):
    def apply_chat_template(self, msgs, tokenize=False, add_generation_prompt=True):
        return "<user>" + msgs[-1]["content"] + "<assistant>"


def prompts_the_oracle_sees(records, tmp_path) -> list[str]:
    """Every text the oracle reads for these records, in all three readings."""
    gen = CountingGenerator(["Rating: [[5]]"])
    Oracle(load_rubric(), name="g", method="generate", generator=gen).label(records, progress=False)
    lm = Oracle(load_rubric(), name="lm", method="verdict", model=ScriptedLM({}, {}), tokenizer=ChatCharTokenizerForPrompts())
    return gen.seen + [lm.verdict_prompt_text(r) for r in records] + [lm.prompt_text(r) for r in records]


def test_no_prompt_the_oracle_sees_for_the_quality_samples_holds_their_label(tmp_path):
    """Every prompt built for every quality sample, in every reading: the words good/poor occur exactly as
    often as in the prompt of a file that says nothing (the rubric's own 'good code or bad code?'), and the
    parts that come from the file (its shown name and text) hold neither word."""
    recs = load_quality_samples()
    neutral = {"path": "x.py", "language": "python", "content": "x = 1\n"}
    base = prompts_the_oracle_sees([neutral], tmp_path)
    seen = prompts_the_oracle_sees(recs, tmp_path)
    assert len(seen) == 3 * len(recs) == 66
    kinds = [base[0]] * len(recs) + [base[1]] * len(recs) + [base[2]] * len(recs)
    for prompt, ref in zip(seen, kinds, strict=True):
        for w in LABEL_WORDS:
            assert prompt.lower().count(w) == ref.lower().count(w), (w, prompt[-300:])
    for r in recs:
        assert not any(w in (r["path"] + r["content"]).lower() for w in LABEL_WORDS), r["sample"]


def test_the_leak_check_catches_a_label_in_the_path(tmp_path):
    """The shipped prompt showed 'File: good/RateLimiter.java'; the check above must fail on that."""
    recs = [{**r, "path": r["sample"]} for r in load_quality_samples()]
    neutral = {"path": "x.py", "language": "python", "content": "x = 1\n"}
    base = prompts_the_oracle_sees([neutral], tmp_path)
    seen = prompts_the_oracle_sees(recs, tmp_path)
    leaks = [p for p in seen[: len(recs)] if p.lower().count("good") != base[0].lower().count("good")
             or p.lower().count("poor") != base[0].lower().count("poor")]
    assert len(leaks) == len(recs)
    bad = tmp_path / "q"
    (bad / "good").mkdir(parents=True)
    (bad / "poor").mkdir()
    (bad / "good" / "good_code.py").write_text("x = 1\n")
    with pytest.raises(ValueError, match="good_code.py: a file name that says good or poor"):
        load_quality_samples(bad)


def test_separation_intervals_say_when_an_oracle_separates_and_when_not():
    from seedkit.llm_filter.evidence import describe_separation, separation

    clear = separation([8.0, 8.5, 9.0, 7.5, 8.2], [2.0, 3.0, 1.5, 2.5, 2.2])
    assert clear["separates"] and clear["difference_ci"][0] > 5 and clear["p_good_above_poor_ci"] == [1.0, 1.0]
    assert "it separates them" in describe_separation(clear)
    rng = np.random.default_rng(0)
    same = separation(rng.normal(5, 1, 10).tolist(), rng.normal(5, 1, 12).tolist())
    assert not same["separates"] and same["difference_ci"][0] < 0 < same["difference_ci"][1]
    assert "does NOT separate" in describe_separation(same) and "n = 10 good + 12 poor" in describe_separation(same)
    backwards = separation([1.0, 2.0, 1.5], [8.0, 9.0, 7.0])
    assert not backwards["separates"] and "ABOVE" in describe_separation(backwards)


def test_agreement_intervals():
    from seedkit.llm_filter.evidence import agreement_intervals

    perfect = agreement_intervals([1.0, 3.0, 5.0, 7.0, 9.0], [1.0, 3.0, 5.0, 7.0, 9.0])
    assert perfect["spearman"] == pytest.approx(1.0) and perfect["spearman_ci"] == [pytest.approx(1.0)] * 2
    assert perfect["mae"] == 0.0 and perfect["mae_ci"] == [0.0, 0.0] and perfect["n"] == 5
    rng = np.random.default_rng(1)
    o = rng.uniform(0, 10, 40)
    noisy = agreement_intervals(o.tolist(), (o + rng.normal(0, 3, 40)).tolist())
    lo, hi = noisy["spearman_ci"]
    assert lo < noisy["spearman"] < hi and 0 < lo and hi < 1
    assert noisy["mae_ci"][0] < noisy["mae"] < noisy["mae_ci"][1]
    from seedkit.llm_filter.evidence import _spearman_rows

    rows = rng.integers(0, 4, size=(20, 9)).astype(float), rng.normal(size=(20, 9))  # ties in x
    got = _spearman_rows(*rows)
    assert np.allclose(got, [spearman(a, b) for a, b in zip(*rows, strict=True)])


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


def test_choose_cut_percentile_and_absolute():
    scores = [float(i) for i in range(20)]  # 0..19
    cut = choose_cut(scores, drop_bottom_fraction=0.10)
    assert cut.threshold == 2.0 and cut.n_dropped == 2 and cut.n_kept == 18
    assert cut.keep_mask(scores).sum() == 18 and "percentile" in cut.reason
    cut = choose_cut(scores, drop_bottom_fraction=0.10, min_score=5.0)
    assert cut.n_dropped == 5 and "absolute" in cut.reason
    assert choose_cut(scores, drop_bottom_fraction=0.0).n_dropped == 0


def test_sample_to_tokens_matches_the_target():
    counts = [100] * 50
    chosen = sample_to_tokens(counts, 1000, seed=1)
    assert len(chosen) == 10 and chosen == sorted(chosen)
    assert sample_to_tokens([100] * 50, 1000, seed=1) == chosen  # seeded
    chosen = sample_to_tokens([10, 500, 20, 30], 60, seed=0)
    assert sum([10, 500, 20, 30][i] for i in chosen) == 60
    count, desc = token_counter("regex")
    assert count("def f(x): return x+1") == 10 and "regex" in desc


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


# --------------------------------------------------------------------------- the stage (tiny)


FIXTURE_FILES = [
    ("good/lru.py", "python", "from collections import OrderedDict\n\n\nclass LRU:\n    \"\"\"A small cache.\"\"\"\n\n"
     "    def __init__(self, capacity: int) -> None:\n        self.capacity = capacity\n        self.items = OrderedDict()\n"),
    ("conf/settings.yaml", "yaml", "port: 8080\ndebug: true\nworkers: 4\n"),
    ("data/codes.py", "python", "CODES = {" + ", ".join(f"'{i}': {i}" for i in range(40)) + "}\n"),
    ("web/app.js", "javascript", "function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n"),
]


def make_stage01(runs: Path, run_name: str, n: int = 24) -> Path:
    """A finished 01_curation stage holding only files/, with the contracts.md schema."""
    import hashlib

    from datasets import Dataset

    from seedkit.files import atomic_write_json

    rows = []
    for i in range(n):
        path, lang, content = FIXTURE_FILES[i % len(FIXTURE_FILES)]
        content = content + f"# variant {i}\n" + ("x = 1\n" * (i % 5))
        rows.append({"id": hashlib.sha256(content.encode()).hexdigest(), "repo": f"repo{i % 3}",
                     "path": path.replace(".", f"_{i}.", 1), "language": lang, "content": content,
                     "size_bytes": len(content.encode()), "num_lines": content.count("\n"), "source": "repos"})
    stage = runs / run_name / "01_curation"
    Dataset.from_list(rows).save_to_disk(str(stage / "files"))
    atomic_write_json(stage / "manifest.json", {"stage": "01_curation", "finished_at": "fixture"})
    return stage


def test_stage_needs_stage_01(tmp_path, monkeypatch):
    from seedkit.llm_filter.stage import run_llm_filter
    from seedkit.runs import MissingInputError

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    with pytest.raises(MissingInputError, match="needs stage 01_curation"):
        run_llm_filter(LLMFilterSettings.from_params("tiny", run_name="none"))


@pytest.mark.slow
def test_stage_tiny_end_to_end_resumes_by_step_and_reuses_labels(tmp_path, monkeypatch):
    import seedkit.llm_filter.stage as stage
    from seedkit.llm_filter.scorer import load_scorer, scorer_text
    from seedkit.llm_filter.stage import FilterSteps, run_llm_filter
    from seedkit.runs import load_dataset_dir

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    make_stage01(tmp_path / "runs", "t")
    s = LLMFilterSettings.from_params("tiny", run_name="t", label_sample_size=12,
                                      label_cache_dir=str(tmp_path / "cache"), scorer_epochs=50)
    # a session that stops after labelling (a kernel restart): the next one reuses the labels
    first = FilterSteps(s, say=lambda m: None)
    labels_first = first.labels(first.sample())["score"]
    calls = []
    real = stage.oracle_labels
    monkeypatch.setattr(stage, "oracle_labels", lambda *a: calls.append(1) or real(*a))
    res = run_llm_filter(s)
    assert calls == [] and list(load_dataset_dir(res.path / "labels")["score"]) == labels_first
    out = res.path
    for name in ("labels", "scorer", "scored", "filtered", "rules_only", "stats.json", "manifest.json"):
        assert (out / name).exists(), name
    labels = load_dataset_dir(out / "labels")
    assert len(labels) == 12 and set(labels["method"]) == {"likelihood"}
    assert all(0.0 <= v <= 10.0 for v in labels["score"])
    assert {"id", "score", "raw_answer", "method", "prompt_version", "oracle"} <= set(labels.column_names)
    scored = load_dataset_dir(out / "scored")
    assert len(scored) == 24 and scored.column_names == [*load_dataset_dir(
        tmp_path / "runs" / "t" / "01_curation" / "files").column_names, "quality_score"]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["counts"]["dropped"] == 2 and stats["counts"]["kept"] == 22  # bottom 10% of 24
    assert len(load_dataset_dir(out / "filtered")) == 22
    t = stats["tokens"]
    assert abs(t["rules_only"] - t["filtered"]) <= max(len(c) for _, _, c in FIXTURE_FILES) + 40
    assert stats["labels"]["unparseable"] == 0 and stats["oracle_check"] == {}  # tiny: compare_samples=False
    ev = stats["scorer"]["evidence"]
    assert ev["n"] == 3 and len(ev["mae_ci"]) == 2 and ev["mae_ci"][0] <= ev["mae"] <= ev["mae_ci"][1]
    m = json.loads((out / "manifest.json").read_text())["metrics"]
    assert m["scorer_heldout_n"] == 3 and m["scorer_mae"] == ev["mae"] and m["scorer_mae_ci95"] == ev["mae_ci"]
    assert "oracle_good_minus_poor" not in m  # not measured in this run, so not reported
    # the saved scorer reloads and reproduces the stored scores
    rows = scored.select(range(3)).to_list()
    again = load_scorer(out / "scorer").predict([scorer_text(r) for r in rows])
    assert np.allclose(again, [r["quality_score"] for r in rows], atol=1e-3)
    # done already: skipped and loaded from disk
    assert run_llm_filter(s).stats["counts"] == stats["counts"]
    # forced rerun: every step again, every label from the cache
    res2 = run_llm_filter(s.replace(force=True))
    assert calls == [1] and res2.stats["oracle"]["cache_hits"] == 12 and res2.stats["oracle"]["cache_misses"] == 0


@pytest.mark.slow
def test_stage_reports_the_oracle_check_with_intervals_in_its_metrics(tmp_path, monkeypatch):
    """With compare_samples the manifest carries the good-vs-poor difference, P(good > poor), their
    intervals and n, measured on prompts without the label."""
    from seedkit.llm_filter.stage import run_llm_filter

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    make_stage01(tmp_path / "runs", "c")
    s = LLMFilterSettings.from_params("tiny", run_name="c", label_sample_size=8, compare_samples=True,
                                      label_cache_dir=str(tmp_path / "cache"), scorer_epochs=20)
    res = run_llm_filter(s)
    check = res.stats["oracle_check"]
    reading = check["readings"][check["chosen"]]
    assert reading["n_good"] == 10 and reading["n_poor"] == 12 and len(reading["files"]) == 22
    lo, hi = reading["difference_ci"]
    assert lo <= reading["difference"] <= hi
    m = json.loads((res.path / "manifest.json").read_text())["metrics"]
    assert m["oracle_good_minus_poor"] == reading["difference"] and m["oracle_good_minus_poor_ci95"] == [lo, hi]
    assert m["oracle_n_good"] == 10 and m["oracle_n_poor"] == 12
    assert m["oracle_separates_good_from_poor"] == (lo > 0 and m["oracle_p_good_above_poor_ci95"][0] > 0.5)


def test_report_comparison_says_where_stage_02_follows_the_report():
    rows = LLMFilterSettings.from_params("gpu").report_comparison()
    assert rows and all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    assert (by["labelled files"]["report"], by["labelled files"]["kit"]) == ("222,066", "2000")
    assert by["oracle"]["report"] == "DeepSeek-V2-Chat"
    assert by["oracle answer"]["why"] == "same" and by["cut"]["why"] == "same"  # gpu: a model that writes its rating
    smol = {r["setting"]: r for r in LLMFilterSettings.from_params("smol").report_comparison()}
    assert smol["oracle answer"]["kit"] == "verdict reading" and smol["oracle answer"]["why"] != "same"
