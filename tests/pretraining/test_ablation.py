"""The filtered-vs-rules ablation (seedkit.pretraining.ablation): the t-interval over seeds, the summary's
arithmetic, and its sign on corpora built to differ."""

from __future__ import annotations

import math
import os

import pytest

from seedkit.pretraining.settings import PretrainingSettings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

def test_seed_interval_is_the_t_interval_over_seeds():
    from seedkit.pretraining.ablation import seed_interval, verdict

    r = seed_interval([0.10, 0.20, 0.30])  # mean 0.2, sd 0.1, t(0.975, 2) = 4.303
    assert r["mean"] == pytest.approx(0.2) and r["sd"] == pytest.approx(0.1)
    half = 4.303 * 0.1 / math.sqrt(3)
    assert r["interval"] == pytest.approx([0.2 - half, 0.2 + half], abs=2e-3)
    assert verdict(*r["interval"]) == "no difference resolved"  # 0.2 - 0.248 < 0
    assert verdict(0.01, 0.2) == "filtered lower" and verdict(-0.3, -0.01) == "rules_only lower"
    with pytest.raises(ValueError, match="at least 2"):
        seed_interval([0.1])


def _fake_seed(seed, f_files, r_files):
    def side(per_file):
        nll, n = sum(a for a, _ in per_file), sum(b for _, b in per_file)
        return {"heldout": {"random": {"loss": nll / n, "per_file": per_file}}, "curve": {}}
    f, r = side(f_files), side(r_files)
    return {"seed": seed, "steps": 4, "tokens": 1024, "filtered": f, "rules_only": r,
            "difference": {"random": r["heldout"]["random"]["loss"] - f["heldout"]["random"]["loss"]}}


def test_summarize_averages_seeds_and_resamples_files():
    from seedkit.pretraining.ablation import summarize

    per_seed = [_fake_seed(0, [[10.0, 10], [20.0, 10]], [[12.0, 10], [22.0, 10]]),   # +0.2
                _fake_seed(1, [[10.0, 10], [20.0, 10]], [[13.0, 10], [23.0, 10]]),   # +0.3
                _fake_seed(2, [[10.0, 10], [20.0, 10]], [[14.0, 10], [24.0, 10]])]   # +0.4
    s = summarize(per_seed)["sets"]["random"]
    assert s["per_seed"] == pytest.approx([0.2, 0.3, 0.4]) and s["mean"] == pytest.approx(0.3)
    assert s["interval"][0] == pytest.approx(0.3 - 4.303 * 0.1 / math.sqrt(3), abs=2e-3)
    assert s["verdict"] == "filtered lower"  # 0.3 - 0.248 > 0
    assert s["interval_over_files"] == pytest.approx([0.3, 0.3])  # both files moved by the same amount
    assert s["loss_filtered"] == pytest.approx(1.5) and s["loss_rules_only"] == pytest.approx(1.8)


def _with_pass(seed: dict, filtered: dict, rules_only: dict) -> dict:
    from seedkit.measure.stats import paired_difference

    seed["pass_at_1"] = {"filtered": filtered, "rules_only": rules_only,
                         "difference": paired_difference(filtered, rules_only).mean}
    return seed


def test_the_ablations_pass_at_1_over_seeds_and_problems_and_when_it_shows_nothing():
    from seedkit.pretraining.ablation import describe, summarize

    files = ([[10.0, 10]], [[12.0, 10]])
    better = [_with_pass(_fake_seed(i, *files), {"a": 1.0, "b": 1.0, "c": 0.0}, {"a": 0.0, "b": 0.0, "c": 0.0})
              for i in range(3)]
    ps = summarize(better)["pass_at_1"]
    assert ps["per_seed"] == pytest.approx([2 / 3] * 3) and ps["problems"] == 3
    assert ps["filtered"] == pytest.approx(2 / 3, abs=1e-4) and ps["rules_only"] == 0.0
    assert ps["solved_by_any_seed"] == {"filtered": 2, "rules_only": 0}
    assert ps["verdict"] == "filtered higher" and ps["interval_over_problems"][0] >= 0

    nothing = [_with_pass(_fake_seed(i, *files), {"a": 0.0, "b": 0.0}, {"a": 0.0, "b": 0.0}) for i in range(3)]
    summary = summarize(nothing)
    assert summary["pass_at_1"]["verdict"].startswith("shows nothing")
    assert "pass@1 filtered - rules_only: +0.0000 [+0.0000, +0.0000]" in describe(summary)

    older = [_fake_seed(0, *files), *nothing[1:]]  # a seed trained before pass@1 was measured
    summary = summarize(older)
    assert summary["pass_at_1"] is None and "pass@1: not measured" in describe(summary)


@pytest.mark.slow
def test_ablation_finds_the_corpus_constructed_to_be_better(tmp_path):
    """rules_only is half junk (random characters found nowhere else), filtered is clean code: at equal
    tokens the filtered models must predict both held-out sets better, on every seed."""
    from fixtures.pretraining_run import write_fixture_run
    from seedkit.pretraining import stage as st

    write_fixture_run(tmp_path, "abl", n_files=80, rules_junk_fraction=0.5)
    s = PretrainingSettings.from_params("tiny", run_name="abl", runs_dir=str(tmp_path), ablation_seeds=3,
                                        ablation_token_budget=4096, effect_prompt_formats=[])
    stage = st.begin(s)
    inputs = st.corpus(stage)
    res = st.ablate(stage, inputs)
    summary = res.summary
    assert res.ran and summary["n_seeds"] == 3 and summary["tokens_each"] == 4096 and len(res.per_seed) == 3
    for name in ("random", "top_scored"):
        row = summary["sets"][name]
        assert all(d > 0 for d in row["per_seed"]), row
        assert row["mean"] == pytest.approx(sum(row["per_seed"]) / 3, abs=1e-3)
        assert row["interval"][0] > 0 and row["verdict"] == "filtered lower", row
        assert row["interval_over_files"][0] > 0
    seeds = [r.seed for r in res.per_seed]
    assert seeds == [0, 1, 2]
    # every ablation model answered every evidence problem once (pass@1, filtered - rules_only)
    ps = summary["pass_at_1"]
    assert ps is not None and ps["problems"] == s.eval_limit and len(ps["per_seed"]) == 3
    assert all(set(r.pass_at_1["filtered"]) == set(r.pass_at_1["rules_only"]) for r in res.per_seed)
    assert (tmp_path / "abl" / "03_pretraining" / "effects" / "ablation_seed0_filtered.json").exists()
    # different seeds train different models (init and data order), both corpora of a seed the same init
    assert len({r.filtered["heldout"]["random"]["loss"] for r in res.per_seed}) == 3
    stage.close()
