"""Checks of an evaluation tier and of the training data against it: same task as a training item (by
execution), same text (code-token n-grams, escapes decoded), same body, mutation score."""

from __future__ import annotations

import json

import pytest

from seedkit.measure.problem_checks import (
    NgramIndex,
    Variant,
    canonical_body,
    code_tokens,
    kit_training_functions,
    mutants,
    mutation_report,
    run_variants,
    same_body_groups,
    same_task_by_execution,
    same_text,
    unescape,
)
from seedkit.problems import (
    GENERATED_PREFIX,
    Problem,
    evaluation_problems,
    load_basic,
    load_problem_set,
    load_training_problems,
)


def problem(task_id: str, entry: str, body: str, asserts: list[str]) -> Problem:
    prompt = f"def {entry}(x, y):\n    \"\"\"A test problem.\"\"\"\n"
    return Problem(task_id=task_id, language="python", instruction=f"Write {entry}.", prompt=prompt,
                   entry_point=entry, reference=prompt + body,
                   tests="def check(candidate):\n" + "".join(f"    assert {a}\n" for a in asserts))


def test_mutants_are_single_point_changes_that_differ_from_the_reference():
    found = dict(mutants("def f(x, y):\n    return x + 1 if x <= y else max(x, y)\n"))
    codes = set(found.values())
    assert "def f(x, y):\n    return x + 1 if x < y else max(x, y)" in codes
    assert "def f(x, y):\n    return x - 1 if x <= y else max(x, y)" in codes
    assert "def f(x, y):\n    return x + 1 if x <= y else min(x, y)" in codes
    assert all(c != "def f(x, y):\n    return x + 1 if x <= y else max(x, y)" for c in codes)
    assert mutants("not python (") == []


def test_a_training_function_under_another_name_is_the_same_task():
    tier = [problem("t/0", "larger", "    return x if x >= y else y\n", ["candidate(1, 2) == 2", "candidate(5, 3) == 5"]),
            problem("t/1", "total", "    return x + y\n", ["candidate(1, 2) == 3", "candidate(0, 0) == 0"])]
    training = [("train/a", "def pick_bigger(a, b):\n    return max(a, b)\n"),
                ("train/b", "def diff(a, b):\n    return a - b\n"),
                ("train/c", "this does not parse (")]
    assert same_task_by_execution(training, tier) == {"t/0": ["train/a"]}


def test_a_function_is_only_run_where_the_argument_counts_agree():
    tier = [problem("t/0", "larger", "    return x if x >= y else y\n", ["candidate(1, 2) == 2", "candidate(5, 3) == 5"])]
    one_arg = [("train/a", "def biggest(xs):\n    return max(xs)\n")]
    many = [("train/b", "def biggest(*xs):\n    return max(xs)\n")]
    assert same_task_by_execution(one_arg, tier) == {}
    assert same_task_by_execution(many, tier) == {"t/0": ["train/b"]}


def test_text_check_sees_escaped_copies_and_lines_of_code_with_few_letters():
    assert unescape(json.dumps("a\n\t\"b\" \\ c")) == '"a\n\t"b" \\ c"'
    assert unescape("x\\\\ny") == "x\ny"  # escaped twice
    assert code_tokens("def f(x: list[int]) -> int:\n    return x[::-1]\n") == ["return", "x", "[", ":", ":", "-", "1", "]"]
    tier = load_basic("python")
    index = NgramIndex.of(tier)
    target = next(p for p in tier if len(code_tokens(p.reference)) > 40)
    diff = "+" + json.dumps({"reference": target.reference})  # a problem pasted into a JSON line, as in a diff
    assert same_text([("leak", diff)], tier, index=index)["leak"][0] == target.task_id
    body = target.reference[len(target.prompt):]
    assert same_text([("body", json.dumps(body))], tier, index=index)["body"][0] == target.task_id
    numbers = problem("t/n", "table", "    return [0, 1, 1, 2, 3, 5, 8, 13, 21, 34][x] + y\n", ["candidate(0, 0) == 0"])
    code_only = "+    return [0, 1, 1, 2, 3, 5, 8, 13, 21, 34][x] + y"  # 3 letters in 25 tokens: the old rule skipped it
    assert same_text([("line", json.dumps(code_only))], [numbers])["line"][0] == "t/n"
    other = problem("t/o", "other", "    return x * 2 - y\n", ["candidate(1, 1) == 1"])
    assert same_text([other], [numbers]) == {}  # a typed signature or a short body names no problem


def test_no_shipped_training_problem_shares_text_with_an_evaluation_problem():
    training = [*load_training_problems("train,generated", language=None), *kit_training_functions()]
    assert sum(p[0].startswith(GENERATED_PREFIX) if isinstance(p, tuple) else 0 for p in training) >= 2000
    assert same_text(training, evaluation_problems()) == {}


def test_same_body_up_to_names_and_docstrings():
    a = problem("t/0", "has_item", "    return y in x\n", ["candidate([1], 1) is True"])
    b = problem("t/1", "has_key", "    return y in x\n", ["candidate({'k': 1}, 'k') is True"])
    c = problem("t/2", "lacks", "    return y not in x\n", ["candidate([1], 2) is True"])
    assert same_body_groups([a, b, c]) == [["t/0", "t/1"]]
    assert canonical_body("def f(a):\n    '''doc'''\n    return a\n") == canonical_body("def g(b):\n    return b\n")


def test_weak_tests_let_a_mutant_through_and_strong_ones_do_not():
    weak = problem("t/0", "at_most", "    return x <= y\n", ["candidate(1, 2) is True", "candidate(3, 2) is False"])
    strong = problem("t/1", "at_most2", "    return x <= y\n",
                     ["candidate(1, 2) is True", "candidate(3, 2) is False", "candidate(2, 2) is True"])
    broken = problem("t/2", "broken", "    return x\n", ["candidate(1, 2) == 2"])
    report = mutation_report([weak, strong, broken])
    assert "t/0" in report.survivors and any("LtE -> Lt" in s for s in report.survivors["t/0"])
    assert "t/1" not in report.survivors
    assert report.reference_fails == ["t/2"]
    assert 0 < report.score < 1


def test_the_timer_counts_cpu_time_so_a_slow_machine_fails_no_reference_and_a_loop_fails_alone():
    p = problem("t/3", "plus", "    return x + y\n", ["candidate(1, 2) == 3"])
    waits = p.reference.replace("    return", "    __import__('time').sleep(1.5)\n    return")  # wall time, no CPU
    loops = p.reference.replace("    return", "    while True:\n        pass\n    return")
    swallows = p.reference.replace("    return", "    try:\n        while True:\n            pass\n"
                                   "    except TimeoutError:\n        pass\n    while True:\n        pass\n    return")
    rows = run_variants([(p, [Variant(waits, "plus"), Variant(loops, "plus"), Variant(swallows, "plus"),
                              Variant(p.reference, "plus")])], timeout_s=0.5)
    # a 1.5 s wait is not 0.5 s of CPU (a wall-time timer failed correct code on a loaded machine); the
    # loops fail, the second timeout reaches the one that swallowed the first, and the chunk goes on
    assert rows == [[True, False, False, True]]


# Mutants of the basic tier that compute the same function on every input the problem allows, so no
# test can kill them (each checked by hand): task id -> (mutation, why it is the same function).
EQUIVALENT_MUTANTS = {
    "seedkit/basic/3": {"line 6: Gt -> GtE": "n = 0 gives 0 * 1 // 2 = 0 either way",
                        "line 6: 0 -> -1": "n > -1 lets n = 0 and n = -1 through, both give 0"},
    "seedkit/basic/15": {"line 6: 1 -> 2": "range(1, n + 2) adds d = n + 1, which never divides n"},
    "seedkit/basic/53": {"line 6: Gt -> GtE": "n = 0 slices items[len(items):], the empty list",
                         "line 6: 0 -> -1": "n = 0 again gives the empty slice"},
    "seedkit/basic/63": {"line 6: 0 -> -1": "all equal to the first item is all equal to the last"},
    "seedkit/basic/113": {"line 6: LtE -> Lt": "when a == b, (a, b) and (b, a) are the same tuple"},
    "seedkit/basic/133": {"line 8: Sub -> Add": "windows past the end are shorter than part, never equal to it",
                          "line 8: 1 -> 2": "one more window past the end, shorter than part"},
    "seedkit/basic/182": {"line 6: abs(...) dropped": "the minus sign is not a digit, so the count is the same"},
}


@pytest.mark.slow
@pytest.mark.parametrize("set_name", ["heldout", "humaneval"])
def test_no_training_function_is_an_evaluation_problem_under_another_name(set_name):
    assert same_task_by_execution(kit_training_functions(), load_problem_set(set_name)) == {}


@pytest.mark.slow
def test_the_basic_tier_is_clean_distinct_and_its_tests_kill_every_non_equivalent_mutant():
    tier = load_basic()
    assert same_task_by_execution(kit_training_functions(), tier) == {}
    assert same_body_groups(tier) == []
    report = mutation_report(tier)
    assert report.reference_fails == []
    unexplained = {task: [m for m in alive if m not in EQUIVALENT_MUTANTS.get(task, {})]
                   for task, alive in report.survivors.items()}
    assert not {t: m for t, m in unexplained.items() if m}, (
        "tests that let a plausible wrong program through: add an assert that tells them apart "
        f"(python -m seedkit.measure.problem_checks): {unexplained}")
    assert report.total > 500
