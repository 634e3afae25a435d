"""Decontamination against benchmark n-grams."""

from __future__ import annotations

from pathlib import Path

from fixtures.curation_docs import GOOD_PY
from seedkit.curation.decontam import Decontaminator


def test_decontamination_names_the_problem_and_spares_number_runs():
    dec = Decontaminator.default()
    he0 = (Path(__file__).resolve().parents[2] / "data_samples/repos/textstats/textstats/contaminated.py").read_text()
    assert dec.check(he0) == (True, "10-gram overlap with HumanEval/0")
    assert dec.check(GOOD_PY) == (False, None)
    assert dec.check("TABLE = " + str(list(range(100)))) == (False, None)
    custom = Decontaminator([("kit/1", "def frobnicate_widgets(widgets): return sorted(w.size for w in widgets if w.ok)")])
    assert custom.check("x = 1\ndef frobnicate_widgets(widgets): return sorted(w.size for w in widgets if w.ok)\n")[0]
    assert custom({"content": GOOD_PY}) == (True, None)
