"""The problem families: deterministic draws, the kit's problem format, tests that kill near misses,
and decontamination against the evaluation sets by execution and by text."""

from __future__ import annotations

import ast
import random
import re

import pytest

from seedkit.measure.problem_checks import (
    Variant,
    arity,
    mutation_report,
    run_variants,
    same_body_groups,
    same_task_by_execution,
)
from seedkit.problem_families import (
    FAMILIES,
    MAX_TESTS,
    MIN_TESTS,
    Family,
    Spec,
    build_problems,
    write_problem,
)
from seedkit.problem_families.base import family, ints, lines
from seedkit.problem_families.generate import third_person
from seedkit.problems import (
    PROBLEMS_DIR,
    evaluation_problems,
    load_problem_set,
    load_problems_file,
    write_problems,
)

GENERATED = PROBLEMS_DIR / "generated.jsonl"


def members(seed: int = 0, per_family: int = 1) -> list:
    """One written problem per family and draw, without the checks (fast)."""
    out = []
    for fam in FAMILIES:
        for k in range(per_family):
            spec = fam.make(random.Random(f"{seed}/{fam.name}/{k}"))
            out.append(write_problem(fam, spec, f"seedkit/gen/{fam.name}/{k}"))
    return out


def test_there_are_thirty_or_more_families_each_with_many_distinct_members():
    assert len(FAMILIES) >= 30
    assert len({f.name for f in FAMILIES}) == len(FAMILIES)
    for fam in FAMILIES:
        keys = {fam.make(random.Random(f"k/{i}")).key for i in range(60)}
        assert len(keys) >= 8, (fam.name, len(keys))


def test_same_seed_same_problems_other_seed_other_problems():
    assert members(3) == members(3)
    assert [p.reference for p in members(3)] != [p.reference for p in members(4)]


def test_problems_have_the_kit_format():
    for p in members(1, per_family=2):
        args = ", ".join(a.arg for a in ast.parse(p.prompt + "    pass\n").body[0].args.args)
        assert p.language == "python"
        assert p.instruction.startswith(f"Write a Python function {p.entry_point}({args}) that ")
        assert p.prompt.count(">>> ") == 1 and p.prompt.startswith(f"def {p.entry_point}(")
        assert p.reference.startswith(p.prompt)
        assert p.tests.startswith("def check(candidate):\n")
        n_asserts = p.tests.count("\n    assert candidate(")
        assert MIN_TESTS <= n_asserts == p.tests.count("assert") <= MAX_TESTS, p.task_id
        ast.parse(p.reference)
        ast.parse(p.tests)


def test_the_file_round_trips_through_the_kits_loader(tmp_path):
    ps = members(2)
    write_problems(tmp_path / "g.jsonl", ps)
    assert load_problems_file(tmp_path / "g.jsonl") == ps


def test_references_pass_their_tests_and_their_doctest_in_a_child_interpreter():
    ps = members(5)
    doctests = []
    for p in ps:
        call, want = re.search(r">>> (.*)\n\s+(.*)\n", p.prompt).groups()
        doctests.append(p.__class__(**{**p.to_dict(), "tests": f"def check(candidate):\n    assert repr({call}) == {want!r}\n"}))
    results = run_variants([(p, [Variant(p.reference, p.entry_point)]) for p in ps + doctests])
    assert all(r == [True] for r in results), [p.task_id for p, r in zip(ps + doctests, results, strict=True) if r != [True]]


def test_no_body_has_a_while_loop_so_no_mutant_can_hang_the_test_writer():
    for p in members(6):
        assert not any(isinstance(n, ast.While) for n in ast.walk(ast.parse(p.reference))), p.task_id


def test_tests_kill_the_single_point_mutants_of_a_sample():
    report = mutation_report(members(7))
    assert not report.reference_fails
    assert report.score >= 0.9, (report.score, report.survivors)


def test_arity_reads_fixed_argument_counts_only():
    assert arity("def f(a, b):\n    pass\n", "f") == 2
    assert arity("def f(a, b=1):\n    pass\n", "f") is None
    assert arity("def f(*a):\n    pass\n", "f") is None
    assert arity("def g(a):\n    pass\n", "f") is None
    assert third_person("Return the sum.") == "returns the sum."
    assert third_person("Return, in order, the keys.") == "returns, in order, the keys."
    assert third_person("Multiply x, then return it.") == "multiplies x, then return it."
    assert third_person("Read text and return its length.") == "reads text and returns its length."
    assert third_person("Return 1 when x < 0; otherwise return 2.") == "returns 1 when x < 0; otherwise returns 2."


PLANTED: list[Family] = []


@family(PLANTED, "planted")
def planted_power(rng: random.Random) -> Spec:
    """Its exponent-3 member is the basic tier's cube under another name: execution must catch it."""
    k = rng.choice([3, 4])
    return Spec(name=f"power_{k}_of", args=(("x", "int"),), returns="int", doc=f"Return x to the power {k}.",
                body=lines(f"return x ** {k}"), key=str(k), cases=[(0,), (2,), (-3,)], randoms=ints(rng, -9, 9))


@family(PLANTED, "planted")
def planted_name(rng: random.Random) -> Spec:
    """Named like a basic-tier problem but computing something else: the text check must catch it."""
    k = rng.choice([5, 6])
    name = "sum_of_evens" if k == 5 else "add_six"
    return Spec(name=name, args=(("x", "int"),), returns="int", doc=f"Return x plus {k}.",
                body=lines(f"return x + {k}"), key=str(k), cases=[(0,), (1,)], randoms=ints(rng, -9, 9))


def test_a_planted_evaluation_problem_is_dropped_by_execution_and_by_name():
    basic = load_problem_set("basic")
    generated = build_problems(10, seed=0, families=PLANTED, evaluation=basic)
    names = sorted(p.entry_point for p in generated.problems)
    assert names == ["add_six", "power_4_of"]
    summary = generated.summary
    assert list(summary.contaminated_by_execution.values()) == [[next(p.task_id for p in basic if p.entry_point == "cube")]]
    assert [why for why in summary.contaminated_by_text.values()] == [
        f"entry point sum_of_evens is {next(p.task_id for p in basic if p.entry_point == 'sum_of_evens')}'s"]
    assert summary.exhausted == ["planted_power", "planted_name"]
    assert sorted(p.task_id for p in generated.problems) == ["seedkit/gen/planted_name/0", "seedkit/gen/planted_power/0"]


def test_a_small_run_is_deterministic_and_meets_the_guarantees():
    basic = load_problem_set("basic")
    families = FAMILIES[::6]
    one = build_problems(16, seed=2, families=families, evaluation=basic)
    two = build_problems(16, seed=2, families=families, evaluation=basic)
    assert one.problems == two.problems and len(one.problems) == 16
    assert len({p.task_id for p in one.problems}) == 16
    assert all(re.fullmatch(r"seedkit/gen/[a-z_0-9]+/\d+", p.task_id) for p in one.problems)
    assert same_body_groups(one.problems) == []
    assert one.summary.total == 16 and not one.summary.failed_verification


@pytest.mark.slow
def test_a_fresh_draw_is_verified_decontaminated_distinct_and_kills_mutants():
    """The whole pipeline on a small draw (what generating 2,000 does, in a fraction of the time)."""
    generated = build_problems(150, seed=1)
    ps = generated.problems
    assert len(ps) == 150 and len({p.task_id for p in ps}) == 150
    assert same_body_groups(ps) == []
    evaluation = evaluation_problems()
    assert same_task_by_execution([(p.task_id, p.reference) for p in ps], evaluation) == {}
    report = mutation_report(ps)
    assert not report.reference_fails and report.score >= 0.9


@pytest.mark.slow
def test_the_shipped_two_thousand_hold_the_guarantees():
    """data_samples/problems/generated.jsonl as committed: 2,000 distinct problems, no name or instruction of
    an evaluation problem, every reference passing its tests, and (on a seeded sample of 200, the whole
    file costs minutes: `python -m seedkit.problem_families --n 2000 --seed 0` redoes all of it) no
    reference that passes an evaluation problem's tests."""
    ps = load_problems_file(GENERATED)
    assert len(ps) == 2000 and len({p.task_id for p in ps}) == 2000
    assert same_body_groups(ps) == []
    evaluation = evaluation_problems()
    names = {p.entry_point.lower() for p in evaluation}
    instructions = {p.instruction.strip().lower() for p in evaluation}
    assert not [p.task_id for p in ps if p.entry_point.lower() in names or p.instruction.strip().lower() in instructions]
    passed = run_variants([(p, [Variant(p.reference, p.entry_point)]) for p in ps])
    assert all(row == [True] for row in passed)
    sample = random.Random(0).sample(ps, 200)
    assert same_task_by_execution([(p.task_id, p.reference) for p in sample], evaluation) == {}
