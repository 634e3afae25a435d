"""seedkit.measure.compare and `seedkit compare`: metrics across runs, intervals, the spread across seeds.

Runs are written as manifests by hand (what a stage records in ``metrics``), so the arithmetic is
exact; tests/eval/test_stage.py compares a real (tiny) stage-07 run.
"""

from __future__ import annotations

import json

import pytest

from seedkit.measure.compare import Value, compare_runs, flatten_metrics
from seedkit.runs import MissingInputError


def _write_run(root, name, seed, lr, loss, diff, after):
    d = root / name / "03_pretraining"
    d.mkdir(parents=True)
    metrics = {
        "final_loss": loss, "steps": 100, "trained": True, "note": "text is not a metric",
        "effect": {"after": {"pass@1": after, "interval": [after - 0.1, after + 0.1], "n_problems": 200},
                   "before": {"pass@1": 0.40, "interval": [0.33, 0.47], "n_problems": 200},
                   "difference": {"mean": diff, "lo": diff - 0.04, "hi": diff + 0.04, "n_problems": 200},
                   "eval": {"eval_limit": 48, "eval_samples": 5}},
    }
    (d / "manifest.json").write_text(json.dumps({
        "stage": "03_pretraining", "run_name": name, "config": {"seed": seed, "learning_rate": lr, "run_name": name},
        "metrics": metrics}))


@pytest.fixture
def runs(tmp_path):
    for seed, loss, diff in ((0, 2.0, 0.05), (1, 2.1, 0.07), (2, 2.2, 0.03)):
        _write_run(tmp_path, f"llm-s{seed}", seed, 1e-3, loss, diff, 0.45 + diff)
    _write_run(tmp_path, "fast-s0", 0, 3e-3, 2.5, -0.02, 0.38)
    return tmp_path


def test_flatten_metrics_reads_intervals_from_their_shape():
    flat = flatten_metrics({"loss": 1.5, "flag": True, "name": "x", "nested": {"k": 2},
                            "effect": {"after": {"pass@1": 0.5, "interval": [0.4, 0.6], "n_problems": 9},
                                       "difference": {"mean": 0.1, "lo": 0.0, "hi": 0.2, "n_problems": 9}},
                            "pass@1": 0.7, "pass@1_interval": [0.6, 0.8]})
    assert flat == {"loss": Value(1.5), "nested/k": Value(2.0), "effect/after/pass@1": Value(0.5, 0.4, 0.6, 9),
                    "effect/difference": Value(0.1, 0.0, 0.2, 9), "pass@1": Value(0.7, 0.6, 0.8)}
    assert str(Value(0.1, 0.0, 0.2, 9)) == "0.100 [0.000, 0.200]"


def test_compare_groups_seeds_and_computes_the_spread(runs, tmp_path, capsys):
    names = ["llm-s0", "llm-s1", "llm-s2", "fast-s0"]
    out = tmp_path / "cmp.png"
    c = compare_runs(names, runs_dir=runs, out=out)
    printed = capsys.readouterr().out
    # the three llm runs differ only by seed: one group; the fast run is its own
    assert sorted(map(sorted, c.groups.values())) == [["fast-s0"], ["llm-s0", "llm-s1", "llm-s2"]]
    llm = next(g for g, m in c.groups.items() if len(m) == 3)
    assert "learning_rate=0.001" in llm
    # by hand: losses 2.0, 2.1, 2.2 -> mean 2.1, sd 0.1, t(0.975, 2) = 4.3027 -> half width 0.2484
    spread = c.across("03_pretraining/final_loss", llm)
    assert spread.value == pytest.approx(2.1) and spread.n == 3
    assert spread.hi - spread.value == pytest.approx(0.2484, abs=1e-4)
    # differences 0.05, 0.07, 0.03 -> mean 0.05, sd 0.02 -> half width 4.3027 * 0.02 / sqrt(3) = 0.0497
    d = c.across("03_pretraining/effect/difference", llm)
    assert d.value == pytest.approx(0.05) and d.hi - d.value == pytest.approx(0.0497, abs=1e-4)
    # each run keeps its own interval
    v = c.value("03_pretraining/effect/difference", "llm-s1")
    assert (v.value, v.lo, v.hi, v.n) == pytest.approx((0.07, 0.03, 0.11, 200))
    assert c.across("03_pretraining/final_loss", "fast-s0") is None  # one run: no spread to speak of
    assert "03_pretraining/trained" not in c.metrics() and "03_pretraining/note" not in c.metrics()
    assert not [m for m in c.metrics() if "/eval/" in m]  # an effect's settings are not results
    # a value every run shares says nothing about the runs: listed only on request
    assert "03_pretraining/steps" in c.metrics() and "03_pretraining/steps" not in c.informative()
    assert "equal in every run not shown" in printed and "03_pretraining/steps " not in printed
    assert "03_pretraining/steps " in c.table(every_metric=True)
    # the printed table: a row per metric, a column per run and per group of several runs
    assert "llm-s0" in printed and "mean [95%] over 3 runs" in printed
    row = next(line for line in printed.splitlines() if line.startswith("03_pretraining/effect/difference"))
    assert "0.070 [0.030, 0.110]" in row and "0.050 [0.000, 0.100]" in row
    assert out.exists() and out.stat().st_size > 5000 and c.plot == out


def test_compare_filters_and_errors(runs, tmp_path):
    c = compare_runs(["llm-s0", "llm-s1"], runs_dir=runs, metrics=["effect/difference"], print_fn=None)
    assert c.metrics() == ["03_pretraining/effect/difference"]
    assert list(c.groups) == ["all runs"]
    # a run given as a directory works too
    assert compare_runs([runs / "llm-s0"], print_fn=None).runs[0].name == "llm-s0"
    with pytest.raises(MissingInputError, match="nope"):
        compare_runs(["nope"], runs_dir=runs, print_fn=None)
    with pytest.raises(MissingInputError, match="no finished stage"):
        compare_runs(["llm-s0"], runs_dir=runs, stages=["05"], print_fn=None)


def test_cli_compare(runs, tmp_path, capsys):
    from seedkit.cli import main

    out = tmp_path / "c.png"
    assert main(["compare", "llm-s0", "llm-s1", "llm-s2", "--runs-dir", str(runs), "--stages", "03",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "03_pretraining/final_loss" in text and "over 3 runs" in text and out.exists()
    assert main(["compare", "missing-run", "--runs-dir", str(runs), "--no-plot"]) == 2
    assert "missing-run" in capsys.readouterr().err
    assert main(["compare", "llm-s0", "--runs-dir", str(runs), "--no-plot"]) == 0
    assert not (runs / "llm-s0" / "compare.png").exists()
