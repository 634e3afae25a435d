"""Stage 05 pairs: from fixed answers and outcomes, the off-policy fallback, scoring with a fake runner, the prompts."""

from __future__ import annotations

import pytest

from fixtures.dpo_fakes import (
    EMPTY,
    NAME_ERR,
    PASS_A,
    PASS_B,
    SYNTAX,
    TASK,
    WRONG,
    exec_runner,
)
from seedkit.dpo.pairs import (
    JobSpec,
    PromptTask,
    build_all_pairs,
    build_pairs,
    close_fence,
    format_answer,
    score_answers,
    summarize,
    tasks_from_problems,
    tasks_from_sft_items,
)
from seedkit.problems import load_heldout, load_train_problems


def test_mixed_prompt_prefers_test_failures_over_syntax_errors():
    pairs, rec = build_pairs(TASK, [SYNTAX, PASS_A, WRONG, PASS_B], max_pairs=2)
    assert [(p["chosen"], p["rejected"]) for p in pairs] == [(PASS_A.answer, WRONG.answer), (PASS_B.answer, SYNTAX.answer)]
    assert [p["rejected_failure"] for p in pairs] == ["failed", "syntax:SyntaxError"]
    assert not any(p["off_policy"] for p in pairs)
    assert all(p["pass_rate"] == 0.5 and p["prompt"] == TASK.message and p["task_id"] == "t/0" for p in pairs)
    assert rec.outcome == "on_policy" and rec.num_pairs == 2 and rec.num_passed == 2 and rec.pass_rate == 0.5
    assert rec.failures == {"failed": 1, "syntax:SyntaxError": 1}


def test_max_pairs_caps_and_runtime_error_ranks_between_failed_and_syntax():
    pairs, _ = build_pairs(TASK, [EMPTY, SYNTAX, NAME_ERR, PASS_A], max_pairs=1)
    assert len(pairs) == 1 and pairs[0]["rejected_failure"] == "error:NameError"
    pairs, _ = build_pairs(TASK, [EMPTY, SYNTAX, NAME_ERR, PASS_A], max_pairs=5)
    assert [p["rejected_failure"] for p in pairs] == ["error:NameError", "syntax:SyntaxError", "no_code"]
    assert all(p["chosen"] == PASS_A.answer for p in pairs)  # one passing answer serves every pair


def test_all_pass_gives_no_pair():
    pairs, rec = build_pairs(TASK, [PASS_A, PASS_B, PASS_A])
    assert pairs == [] and rec.outcome == "all_pass" and rec.pass_rate == 1.0 and rec.failures == {}


def test_none_pass_without_fallback_gives_no_pair():
    pairs, rec = build_pairs(TASK, [WRONG, SYNTAX], off_policy_fallback=False)
    assert pairs == [] and rec.outcome == "none_pass_no_pair" and rec.pass_rate == 0.0


def test_none_pass_fallback_pairs_the_reference_and_flags_off_policy():
    pairs, rec = build_pairs(TASK, [SYNTAX, WRONG, SYNTAX], max_pairs=3)
    assert rec.outcome == "none_pass_off_policy" and rec.num_pairs == 2  # the repeated syntax error counts once
    assert all(p["off_policy"] for p in pairs)
    assert all(p["chosen"] == format_answer(TASK.reference) == "```python\ndef inc(x):\n    return x + 1\n```" for p in pairs)
    assert [p["rejected"] for p in pairs] == [WRONG.answer, SYNTAX.answer]


def test_fallback_has_its_own_cap():
    pairs, _ = build_pairs(TASK, [SYNTAX, WRONG, EMPTY], max_pairs=3, max_off_policy_pairs=1)
    assert [p["rejected"] for p in pairs] == [WRONG.answer]
    pairs, _ = build_pairs(TASK, [SYNTAX, WRONG, PASS_A, EMPTY], max_pairs=3, max_off_policy_pairs=1)
    assert len(pairs) == 3  # on-policy pairs are not capped by it


def test_fallback_needs_a_verified_reference():
    pairs, rec = build_pairs(TASK, [WRONG], reference_verified=False)
    assert pairs == [] and rec.outcome == "none_pass_no_pair" and rec.reference_verified is False


def test_duplicate_answers_are_paired_once():
    pairs, _ = build_pairs(TASK, [PASS_A, PASS_A, WRONG, WRONG], max_pairs=4)
    assert len(pairs) == 1


def test_close_fence_recloses_a_block_cut_by_the_stop_string():
    assert close_fence("Here:\n```python\ndef f():\n    return 1") == "Here:\n```python\ndef f():\n    return 1\n```"
    assert close_fence("```python\nx = 1\n```") == "```python\nx = 1\n```"
    assert close_fence("no code at all") == "no code at all"


def test_summary_says_why_pairs_are_off_policy():
    tasks = [TASK, PromptTask(**{**TASK.__dict__, "task_id": "t/1"})]
    pairs, recs = build_all_pairs(tasks, [[WRONG, SYNTAX], [EMPTY, EMPTY]], max_pairs=2)
    s = summarize(pairs, recs)
    assert s["pairs"] == 3 and s["pairs_off_policy"] == 3 and s["pairs_on_policy"] == 0
    assert s["prompt_outcomes"]["none_pass_off_policy"] == 2
    assert s["sample_failures"] == {"failed": 1, "syntax:SyntaxError": 1, "no_code": 2}
    assert s["why"].startswith("all 3 pairs are off-policy: none of the 4 sampled answers passed")


def test_score_answers_builds_programs_and_skips_answers_without_code():
    problem = next(p for p in load_train_problems() if p.entry_point == "add_three")
    task = tasks_from_problems([problem])[0]
    assert problem.prompt.rstrip() in task.message
    seen: list[JobSpec] = []

    def runner(specs):
        seen.extend(specs)
        return exec_runner(specs)

    answers = [[
        "```python\ndef add_three(a, b, c):\n    return a + b + c\n```",
        "```python\ndef add_three(a, b, c):\n    return a * b * c\n```",
        "Sure! Here you go.",
        "```python\ndef add_three(a, b, c)\n    return a + b + c\n```",
    ]]
    outs = score_answers([task], answers, run_jobs=runner)[0]
    assert [o.failure for o in outs] == ["passed", "failed", "no_code", "syntax:SyntaxError"]
    assert len(seen) == 3 and all(s.entry_point == "add_three" and s.program.startswith(problem.prompt) for s in seen)


def test_sft_items_only_held_for_dpo_and_verified():
    rows = [
        dict(id="a", instruction="i", solution="def f():\n    return 1\n", tests="assert f() == 1", entry_point="",
             verified=True, split="held_for_dpo"),
        dict(id="b", instruction="i", solution="s", tests="t", entry_point="f", verified=True, split="sft"),
        dict(id="c", instruction="i", solution="s", tests="t", entry_point="f", verified=False, split="held_for_dpo"),
    ]
    rows.append(dict(id="d", instruction="i", solution="def f():\n    return 1\n", entry_point="f", verified=True,
                     split="held_for_dpo", tests="def check(candidate):\n    assert candidate() == 1\n"))
    rows[0]["entry_point"] = "f"  # stage 04 names the function but verifies with plain asserts
    tasks = tasks_from_sft_items(rows)
    assert [t.task_id for t in tasks] == ["sft/a", "sft/d"]
    assert tasks[0].entry_point is None and tasks[1].entry_point == "f"
    assert exec_runner([JobSpec(tasks[0].reference, tasks[0].tests, "python", None, 1.0)])[0].status == "passed"


def test_train_problems_are_valid_and_disjoint_from_heldout():
    train = load_train_problems()
    assert len(train) >= 30 and all(p.language == "python" and p.task_id.startswith("seedkit/train/") for p in train)
    assert all(r.status == "passed" for r in exec_runner(
        [JobSpec(p.reference, p.tests, "python", p.entry_point, 5.0) for p in train]))
    try:
        held = load_heldout()
    except FileNotFoundError:
        pytest.skip("heldout.jsonl not written yet")
    assert not {p.entry_point for p in train} & {p.entry_point for p in held}
    assert not {p.instruction for p in train} & {p.instruction for p in held}
