"""seedkit.longcot_rl.traces: the think-then-answer layout, and warm-up traces verified in the sandbox."""

from __future__ import annotations

from fixtures.longcot_rl import (
    CORRECT,
    PROBLEM,
    WRONG,
)
from seedkit.formats import parse_trace
from seedkit.longcot_rl.stage import DEFAULT_SEED_TRACES, load_problems, load_seed_traces, verify_traces


def test_parse_trace_takes_the_final_block_after_think():
    text = "<think>\ntry ```python\nx = 1\n``` first\n</think>\n```python\ndef f():\n    return 2\n```\n"
    p = parse_trace(text)
    assert p.thinking.startswith("try")
    assert p.code == "def f():\n    return 2\n"
    assert p.opens_with_think and p.closes_think and p.code_block_closed


def test_parse_trace_keeps_code_of_a_block_cut_at_the_length_limit():
    p = parse_trace("<think>\nok\n</think>\n```python\ndef f():\n    return 1")
    assert p.code == "def f():\n    return 1"
    assert not p.code_block_closed


def test_every_seed_trace_passes_its_problem_in_the_sandbox():
    problems = {p["task_id"]: p for p in load_problems()}
    seeds = load_seed_traces(DEFAULT_SEED_TRACES)
    assert len(seeds) >= 16
    assert all(s["task_id"] in problems for s in seeds), "a seed trace names a problem missing from train.jsonl"
    rows = verify_traces(seeds, problems, timeout_s=5.0)
    bad = [(r["task_id"], r["status"], r["tests_passed"], r["tests_total"], r["format_score"]) for r in rows if not r["kept"]]
    assert not bad, bad
    assert all(r["tests_total"] >= 3 for r in rows)


def test_verify_traces_drops_a_failing_trace():
    rows = verify_traces([{"task_id": "fixture/add", "trace": CORRECT}, {"task_id": "fixture/add", "trace": WRONG},
                          {"task_id": "fixture/add", "trace": CORRECT.replace("<think>", "")},
                          {"task_id": "not/there", "trace": CORRECT}], {"fixture/add": PROBLEM}, timeout_s=2.0)
    assert [r["kept"] for r in rows] == [True, False, False]  # unknown problem skipped, bad layout not kept
