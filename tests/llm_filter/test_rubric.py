"""The rubric prompt: rendering, versions, truncation and parsing the rating."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seedkit.llm_filter.rubric import RubricError, load_rubric, parse_rating, truncate_code


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


def test_rubric_front_matter_sets_the_verdict_question(tmp_path):
    r = load_rubric()
    assert r.verdict_words == ("good", "bad") and r.verdict_prefix == "This file is"
    custom = tmp_path / "r.md"
    custom.write_text("---\nversion: mine\nverdict_question: Keep it?\nverdict_words: yes, no\n---\n"
                      "Grade {code}\n\nAnswer Rating: [[X]]\n")
    c = load_rubric(custom)
    assert c.verdict_words == ("yes", "no") and c.render_verdict("x = 1").endswith("Grade x = 1\n\nKeep it?")
    assert c.version.startswith("mine+")
