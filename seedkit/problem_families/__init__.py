"""Procedural families of function-writing problems, for training data at the scale of thousands.

Each family is a task with drawn parameters (a threshold, a divisor, a character, a comparison, what to
return); :func:`generate_problems` draws members, writes each as a :class:`seedkit.problems.Problem`
with tests chosen to kill single-point mutants of its reference, verifies them, and drops any that is
an evaluation problem by execution or by name/instruction. docs/problem_families.md explains it;
``python -m seedkit.problem_families --n 2000 --seed 0 --out data_samples/problems/generated.jsonl``
writes the shipped file.
"""

from __future__ import annotations

from seedkit.problem_families.base import Family, Spec
from seedkit.problem_families.catalog import FAMILIES, GROUPS, family_named
from seedkit.problem_families.generate import (
    MAX_TESTS,
    MIN_TESTS,
    Generated,
    Summary,
    build_problems,
    choose_tests,
    generate_problems,
    write_problem,
)

__all__ = ["FAMILIES", "GROUPS", "MAX_TESTS", "MIN_TESTS", "Family", "Generated", "Spec", "Summary", "build_problems", "choose_tests",
           "family_named", "generate_problems", "write_problem"]
