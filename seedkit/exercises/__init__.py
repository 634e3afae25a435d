"""Exercises of the notebooks that check themselves: a catalog, the checks, and solutions to reveal.

Each notebook ends with exercises, each marked by **level** (warm-up, core, stretch) and by what it
**needs** (``tiny``: seconds on any run, the tiny profile included; ``smol``: a run of the default
profile, minutes; ``GPU``; ``network``: a model server or the Hub). An exercise that can be done in
the notebook itself has three cells:

1. the participant's cell, which runs as it stands (the untouched notebook) and has ``# EDIT`` lines;
2. a check cell, ``check_answer("04-1", name=value, ...)``: one line that says whether the result
   shows what it should, the expected range, and why (:class:`CheckResult`; it never raises, so a
   notebook run headless with the exercise untouched still finishes);
3. a solution cell, ``solution("04-1")``: in JupyterLab a collapsed block to click open, as text
   ``print(solution("04-1"))`` (:class:`Solution`). Solutions live here, not in the notebook.

The checks read quantities that move on ``tiny`` too (losses, counts, probabilities, rewards,
intervals on given data), never a pass@1 (zero for every ``tiny`` model). ``tests/test_exercises.py``
runs every check on its exercise's untouched cell (it must fail) and on its solution (it must pass).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from seedkit.exercises.catalog import EXERCISES, Exercise
from seedkit.exercises.checks import CHECKS, CheckResult

__all__ = ["EXERCISES", "CheckResult", "Exercise", "Solution", "check_answer", "exercises_of", "solution"]


def _exercise(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISES:
        raise KeyError(f"exercise {exercise_id!r}: no such exercise (known: {', '.join(sorted(EXERCISES))})")
    return EXERCISES[exercise_id]


def exercises_of(stage: str) -> list[Exercise]:
    """A notebook's exercises in order (``stage`` is ``"04_sft"`` or ``"04"``)."""
    prefix = stage[:2]
    return [e for e in EXERCISES.values() if e.id.startswith(prefix + "-")]


def check_answer(exercise_id: str, **inputs: Any) -> CheckResult:
    """Check a participant's result: one line with the verdict, the expected range and why.

    A result the check cannot read (a name left undefined, a value of the wrong type) is a failed
    check whose line says what to fix, never an exception: Run All goes on to the next cell.
    """
    ex = _exercise(exercise_id)
    if ex.id not in CHECKS:
        raise KeyError(f"exercise {exercise_id!r} has no check: it needs {', '.join(ex.needs)} ({ex.title})")
    try:
        return CHECKS[ex.id](**inputs)
    except Exception as e:  # noqa: BLE001 - the participant's code or values: one line, never a traceback
        return CheckResult(ex.id, False, f"cannot read your result ({type(e).__name__}: {e}); "
                                         f"rerun the exercise cell above, then this one")


@dataclass(frozen=True)
class Solution:
    """One exercise's solution: a collapsed block in JupyterLab, its code with ``print``/``str``."""

    exercise_id: str
    code: str

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"solution of {self.exercise_id} hidden: print(solution({self.exercise_id!r})) shows it"

    def _repr_html_(self) -> str:
        return (f"<details><summary>Solution of exercise {self.exercise_id} (click to show)</summary>"
                f"<pre>{html.escape(self.code)}</pre></details>")


def solution(exercise_id: str) -> Solution:
    """The solution of an exercise, hidden until asked for (see :class:`Solution`)."""
    ex = _exercise(exercise_id)
    if not ex.solution:
        raise KeyError(f"exercise {exercise_id!r} has no stored solution: it needs {', '.join(ex.needs)}")
    return Solution(ex.id, ex.solution.strip("\n") + "\n")
