"""The problem sets stage 07 and `seedkit eval` measure on: HumanEval, the held-out set, a problems file's errors."""

from __future__ import annotations

import json

import pytest

from seedkit.problems import (
    ProblemFormatError,
    load_heldout,
    load_humaneval,
    load_problems_file,
    load_train_problems,
)


def test_load_humaneval():
    probs = load_humaneval()
    assert len(probs) == 164
    assert [p.task_id for p in load_humaneval(3)] == ["HumanEval/0", "HumanEval/1", "HumanEval/2"]
    p = probs[0]
    assert p.entry_point == "has_close_elements" and p.language == "python"
    assert p.reference.startswith(p.prompt) and "def check(candidate)" in p.tests
    assert p.instruction.startswith("Write a Python function `has_close_elements(")


def test_heldout_set_shape():
    probs = load_heldout()
    assert len(probs) >= 40
    assert len({p.task_id for p in probs}) == len(probs)
    assert len({p.entry_point for p in probs}) == len(probs)
    assert sum(p.language == "javascript" for p in probs) >= 5
    assert len(load_heldout("javascript")) + len(load_heldout("python")) == len(probs)
    for p in probs:
        assert p.instruction and p.reference.startswith(p.prompt)
        if p.language == "python":
            assert "def check(candidate)" in p.tests and '"""' in p.prompt
    # never the same function as HumanEval's or the training set's
    names = {p.entry_point for p in probs}
    assert not names & {p.entry_point for p in load_humaneval()}
    try:
        train = load_train_problems()
    except FileNotFoundError:
        train = []
    assert not names & {p.entry_point for p in train}


def test_problems_file_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"task_id": "x", "language": "python"}) + "\n")
    with pytest.raises(ProblemFormatError, match=r"bad.jsonl:1: missing"):
        load_problems_file(bad)
    p = load_heldout()[0].to_dict()
    dup = tmp_path / "dup.jsonl"
    dup.write_text(json.dumps(p) + "\n" + json.dumps(p) + "\n")
    with pytest.raises(ProblemFormatError, match="duplicate"):
        load_problems_file(dup)
