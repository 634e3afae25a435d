"""The quality samples and what the oracle sees of them (no label leaks)."""

from __future__ import annotations

import pytest

from fixtures.llm_filter_fakes import CharTokenizer, CountingGenerator, ScriptedLM
from seedkit.llm_filter.oracle import Oracle
from seedkit.llm_filter.rubric import load_rubric
from seedkit.llm_filter.samples import compare_groups, load_quality_samples


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
