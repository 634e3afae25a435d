"""Stage 04 seeds: snippets cut from scored files, the seed instructions file."""

from __future__ import annotations

import json
from typing import Any

from fixtures.sft_fakes import (
    BROKEN_FILE,
    GOOD_FILE,
    scored_rows,
)
from seedkit.sft import seeds


def test_extract_snippets_cuts_public_functions_and_classes():
    snips = seeds.extract_snippets(GOOD_FILE, min_lines=3, max_lines=60)
    assert [s.name for s in snips] == ["circle_area", "letter_counts", "scaled", "clamp_int", "Stack"]
    assert snips[-1].kind == "class" and snips[-1].code.startswith("class Stack:")
    assert seeds.extract_snippets(BROKEN_FILE) == []


def test_select_code_seeds_orders_by_score_and_counts_skips():
    got, counts = seeds.select_code_seeds(scored_rows(), num_seeds=3, min_quality=2.0)
    assert counts == {"files": 4, "not_python": 1, "below_min_quality": 1, "no_snippet": 1, "snippets": 5}
    assert [s.origin for s in got] == ["geo/geo/shapes.py:circle_area", "geo/geo/shapes.py:letter_counts",
                                      "geo/geo/shapes.py:scaled"]
    assert got[0].quality_score == 8.5 and got[0].entry_point == "circle_area"


def test_seed_instructions_file_tests_pass_with_references():
    rows = [json.loads(x) for x in seeds.SEED_INSTRUCTIONS.read_text().splitlines() if x.strip()]
    assert len(rows) >= 12
    for r in rows:
        ns: dict[str, Any] = {}
        exec(r["reference"], ns)
        for t in r["tests"]:
            exec(t, ns)
    # never a copy of an evaluation problem: no shared entry point, no shared word 10-gram
    from seedkit.curation.decontam import Decontaminator
    from seedkit.problems import evaluation_problems

    names = {p.entry_point for p in evaluation_problems()}
    dec = Decontaminator.default(ngram=10)
    for r in rows:
        assert r["entry_point"] not in names, r["id"]
        assert not any(dec.check(t)[0] for t in (r["instruction"], r["reference"], "\n".join(r["tests"]))), r["id"]
    assert len({r["entry_point"] for r in rows}) == len(rows) >= 40
    loaded = seeds.load_seed_instructions(limit=3)
    assert len(loaded) == 3 and loaded[0].tests.count("assert") == 3 and loaded[0].kind == "instruction"
