"""Stage 04 filters: parse, exact and near dedup, decontamination, the judge's cut."""

from __future__ import annotations

import pytest

from fixtures.sft_fakes import (
    item,
)
from seedkit.sft import filters, judge
from seedkit.sft.settings import SFTSettings


@pytest.mark.parametrize("kw,reason", [
    ({"instruction": "Do"}, "no_instruction"),
    ({"solution": ""}, "no_solution"),
    ({"solution": "def add(a, b)\n    return a"}, "solution_syntax_error"),
    ({"entry_point": "plus"}, "entry_point_not_defined"),
    ({"tests": ""}, "no_tests"),
    ({"tests": "assert add(1,"}, "tests_syntax_error"),
    ({"tests": "assert 1 == 1"}, "tests_do_not_call_entry_point"),
    ({}, ""),
])
def test_parse_filter(kw, reason):
    v = filters.parse_verdict(item(**kw))
    assert v.keep == (reason == "") and v.reason == reason


def test_exact_and_near_dedup():
    a = item(id="a")
    b = item(id="b", instruction="  write a FUNCTION add(a, b) returning the sum. ")
    long_text = "Write a function that takes a list of integers and returns a new list with every value doubled in order"
    c = item(id="c", instruction=long_text, solution="def dbl(v):\n    return [2 * x for x in v]\n", entry_point="dbl")
    d = item(id="d", instruction=long_text + " please", solution="def dbl(v):\n    return [2 * x for x in v]\n",
             entry_point="dbl")
    e = item(id="e", instruction="Parse a date string in ISO format and return the weekday name as text",
             solution="def wd(s):\n    import datetime\n    return datetime.date.fromisoformat(s).strftime('%A')\n")
    assert [v.reason for v in filters.exact_dedup([a, b, c])] == ["", "exact_duplicate", ""]
    # c and d share 22 of 31 word 5-shingles (Jaccard 0.71): near duplicates at 0.6, not at 0.8
    assert [v.reason for v in filters.near_dedup([c, d, e], threshold=0.6)] == ["", "near_duplicate", ""]
    assert [v.reason for v in filters.near_dedup([c, d, e], threshold=0.8)] == ["", "", ""]


def test_decontamination_against_humaneval_and_heldout():
    from seedkit.problems import load_heldout, load_humaneval

    dec = filters.Decontaminator(ngram=10)
    he0 = load_humaneval(limit=1)[0]
    v = dec.verdict(item(solution=he0.prompt + he0.reference))
    assert not v.keep and v.reason == "overlaps HumanEval/0"
    held = load_heldout(language="python")[0]
    v = dec.verdict(item(instruction="Solve this:\n" + held.reference))
    assert not v.keep and v.reason == f"overlaps {held.task_id}"
    assert dec.verdict(item()).keep
    # an evaluation reference's body copied as escaped text (a JSON line, a diff): the word rule misses it
    import json

    from seedkit.problems import load_basic

    target = next(p for p in load_basic("python") if len(p.reference) - len(p.prompt) > 80)
    escaped = json.dumps(target.reference[len(target.prompt):])
    v = dec.verdict(item(solution="def f(x):\n    return x\n", instruction="Here is the code: " + escaped))
    assert not v.keep and v.reason.startswith(f"overlaps {target.task_id}")


def test_judge_filter_and_rating_parse():
    assert judge.parse_rating("fine.\nRating: [[7]]") == 7.0
    assert judge.parse_rating("Rating: [[12]]") == 10.0
    assert judge.parse_rating("no rating") is None
    assert filters.judge_verdict(item(difficulty=2.9), 3.0).reason == "difficulty 2.9 < 3"
    assert filters.judge_verdict(item(difficulty=3.0), 3.0).keep
    assert filters.judge_verdict(item(difficulty=None), 3.0, keep_unjudged=False).reason == "judge_unreadable"
    assert filters.judge_verdict(item(difficulty=0.0), None).keep  # no filter


def test_judge_threshold_absolute_by_rank_or_off():
    assert filters.judge_threshold([1.2, 1.5], "threshold", 3.0)[0] == 3.0
    cut, why = filters.judge_threshold([1.5, 1.2, None, 1.7, 1.4, 1.6], "rank", 3.0, 0.4)
    dropped = [s for s in [1.5, 1.2, 1.7, 1.4, 1.6] if not filters.judge_verdict(item(difficulty=s), cut).keep]
    assert sorted(dropped) == [1.2, 1.4] and "bottom 40%" in why
    assert filters.judge_threshold([2.0], "rank", 3.0, 0.2)[0] is None  # rounds to dropping none
    assert filters.judge_threshold([2.0, 9.0], "off", 3.0, 0.5)[0] is None


def test_the_filter_gpu_builds_drops_difficulty_below_three():
    """gpu: the report's rule, whatever the judge's signal measurement says."""
    s = SFTSettings.from_params("gpu")
    no_signal = {"has_signal": False, "why": "flat"}
    rule, why = judge.decide_filter(s.judge_filter, no_signal, s.judge_min_difficulty, s.judge_drop_bottom_fraction)
    assert rule == "threshold" and "report" in why
    items = [item(id=str(d), difficulty=d) for d in (0.5, 2.99, 3.0, 7.5)] + [item(id="none", difficulty=None)]
    cut, _ = filters.judge_threshold([it.difficulty for it in items], rule, s.judge_min_difficulty)
    kept, gone = filters.apply(items, [filters.judge_verdict(it, cut, s.keep_unjudged) for it in items], "judge")
    assert [it.id for it in kept] == ["3.0", "7.5", "none"] and [it.id for it in gone] == ["0.5", "2.99"]
    assert all(it.dropped_by == "judge" for it in gone)
