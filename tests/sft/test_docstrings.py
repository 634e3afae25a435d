"""Stage 04 docstring mining: self-contained functions and their doctests."""

from __future__ import annotations

from fixtures.sft_fakes import (
    GOOD_FILE,
    exec_runner,
)
from seedkit.sft import docstrings


def test_docstring_mining_keeps_only_self_contained_functions():
    pairs, counts = docstrings.mine_docstring_pairs(GOOD_FILE, "geo/shapes.py")
    assert [p.entry_point for p in pairs] == ["circle_area", "letter_counts", "clamp_int"]
    assert counts == {"kept": 3, "not_self_contained": 1, "private_or_test": 1}
    area = pairs[0]
    assert area.solution.startswith("import math\n") and '"""' not in area.solution
    assert area.tests == "assert round(circle_area(1), 2) == 3.14\nassert circle_area(0) == 0.0"
    assert pairs[1].solution.startswith("from collections import Counter\n")
    assert pairs[2].tests == "assert callable(clamp_int)" and not pairs[2].has_doctests
    assert "Limit value to the closed range" in pairs[2].instruction
    # the mined pairs are real: they pass their own tests
    for p in pairs:
        assert exec_runner([type("J", (), {"program": p.solution, "tests": p.tests.splitlines()})])[0].status == "passed"


def test_free_names_sees_globals_but_not_locals():
    import ast

    fn = ast.parse("def f(a):\n    b = [x for x in a]\n    return len(b) + G\n").body[0]
    assert docstrings.free_names(fn) == {"G"}
