"""Stage 03's data (seedkit.pretraining.data): token-share mixtures, the two held-out sets, long files split."""

from __future__ import annotations

import random

import pytest

from seedkit.pretraining.data import mix_by_tokens
from seedkit.pretraining.settings import PretrainingSettings


def test_mix_by_tokens_respects_shares_and_redistributes_empty_sources():
    rng = random.Random(0)
    sources = {"code": [[1] * 9] * 10, "web": [[2] * 4] * 3, "commits": []}
    msgs = []
    mix = mix_by_tokens(sources, {"code": 0.7, "web": 0.2, "commits": 0.1}, 1000, rng, msgs.append, "stage 1")
    assert "commits" in msgs[0]
    assert mix.stats["code"]["share"] == pytest.approx(0.7 / 0.9, abs=1e-3)
    web = sum(len(d) + 1 for d in mix.docs if d[0] == 2)
    assert abs(web - 1000 * 0.2 / 0.9) <= 5  # within one document
    assert mix.stats["web"]["epochs"] > 1  # a small source is repeated, and that is reported


def test_inputs_hold_out_a_random_set_and_the_top_scored_set_everywhere(tmp_path):
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining.data import load_inputs

    run = write_fixture_run(tmp_path, "inp", n_files=60)
    s = PretrainingSettings.from_params("tiny", run_name="inp", runs_dir=str(tmp_path), corpus="rules_only",
                                        heldout_random_files=12, heldout_top_files=5)
    inp = load_inputs(s, run / "01_curation", run / "02_llm_filter", say=lambda *a: None)
    rnd, top = inp.heldout["random"], inp.heldout["top_scored"]
    assert len(rnd) == 12 and len(top) == 5 and not {f.id for f in rnd} & {f.id for f in top}
    held = {f.id for f in rnd + top}
    # top_scored: the highest scores among files not drawn at random
    others = [f.quality_score for f in inp.train_files + inp.other_files if f.quality_score is not None]
    assert min(f.quality_score for f in top) >= max(others)
    # random: drawn whatever the score, so low-scored files (the ones the filter drops) get in
    assert min(f.quality_score for f in rnd) < min(f.quality_score for f in top)
    contents = {f.content for f in rnd + top}
    for files in (inp.train_files, inp.other_files):
        assert not held & {f.id for f in files} and not contents & {f.content for f in files}
    assert not any(f.content in c for f in rnd + top for _, c in inp.repos)
    assert all(f.quality_score is None for f in inp.train_files)  # rules_only world has no LLM scores
    assert all(f.quality_score is not None for f in inp.other_files)  # filtered world
    # the random draw depends on the seed, not on the scores
    again = load_inputs(s.replace(seed=1), run / "01_curation", run / "02_llm_filter", say=lambda *a: None)
    assert {f.id for f in again.heldout["random"]} != {f.id for f in rnd}


def test_split_long_cuts_at_lines_and_joins_back():
    from seedkit.pretraining.data import split_long

    text = "".join(f"line {i} " + "x" * (i % 13) + "\n" for i in range(200)) + "y" * 90
    parts = split_long(text, 64)
    assert "".join(parts) == text and all(0 < len(p) <= 64 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-2])  # line ends where a line fits
    assert split_long("short", 64) == ["short"]
