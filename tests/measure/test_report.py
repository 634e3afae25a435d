"""seedkit.measure.report and `seedkit report`: a run's measurements page, from manifests written by hand."""

from __future__ import annotations

import json

import pytest

from seedkit.cli import main
from seedkit.measure.report import report_markdown, verdict, write_report


def _manifest(d, stage, metrics, timings):
    d.mkdir(parents=True)
    (d / "manifest.json").write_text(json.dumps({
        "stage": stage, "run_name": "fake", "profile": "tiny", "finished_at": "2026-12-01T10:00:00+0000",
        "config": {}, "metrics": metrics, "timings": timings}))


@pytest.fixture
def fake_run(tmp_path):
    run = tmp_path / "fake"
    _manifest(run / "03_pretraining", "03_pretraining",
              {"heldout_loss": 2.5, "heldout_loss_difference": -0.05, "heldout_loss_difference_ci95": [-0.07, -0.03],
               "scorer_spearman": 0.4, "scorer_spearman_ci95": [-0.1, 0.8],
               "heldout_change": {"random": {"mean": -0.75, "interval": [-0.8, -0.7], "files": 8}}},
              {"train": 12.5, "save": 0.5, "total_s": 14.0})
    _manifest(run / "04_sft", "04_sft", {"effect": {
        "metric": "pass@1", "child": "04_sft", "parent": "03_pretraining", "n_problems": 48, "n_samples": 5,
        "after": {"label": "04_sft", "pass@1": 0.4, "interval": [0.3, 0.5], "prompt_format": "chat"},
        "before": {"label": "03_pretraining", "pass@1": 0.35, "interval": [0.25, 0.45], "prompt_format": "chat"},
        "difference": {"mean": 0.05, "lo": -0.01, "hi": 0.11, "n_problems": 48}}}, {"total_s": 30.0})
    _manifest(run / "07_eval", "07_eval", {}, {"total_s": 3.0})
    (run / "07_eval" / "summary.json").write_text(json.dumps({
        "evidence": {"eval_limit": 48, "eval_samples": 5},
        "table": [{"model": "03_pretraining", "parent": "", "set": "basic", "n_problems": 48, "samples": 5,
                   "pass@1": 0.35, "pass@1_lo": 0.25, "pass@1_hi": 0.45, "prompt_format": "chat"},
                  {"model": "04_sft", "parent": "03_pretraining", "set": "basic", "n_problems": 48, "samples": 5,
                   "pass@1": 0.4, "pass@1_lo": 0.3, "pass@1_hi": 0.5, "prompt_format": "chat",
                   "difference": 0.05, "difference_lo": 0.01, "difference_hi": 0.09, "noise_floor": 0.06,
                   "resolved_in_family": False, "family_size": 2,
                   "difference_same_format": 0.05, "difference_same_format_lo": -0.02,
                   "difference_same_format_hi": 0.12}]}))
    return run


def test_verdict_says_not_resolved_when_the_interval_includes_zero():
    assert verdict(-0.01, 0.11) == "not resolved (the interval includes 0)"
    assert verdict(0.0, 0.1).startswith("not resolved")
    assert verdict(0.01, 0.1) == "resolved" and verdict(-0.2, -0.1) == "resolved"
    assert verdict(None, None) == "no interval"


def test_the_page_holds_every_figure_with_its_interval_verdict_and_command(fake_run):
    text = report_markdown(fake_run, today="2026-12-02")
    assert "profile `tiny`" in text and "not what the Seed-Coder recipe does" in text and "2026-12-02" in text
    assert "seedkit run --profile tiny --run-name fake --stages 03 -p force=true" in text
    # the chain: pass@1 with interval and size, the differences with their verdicts
    assert "| 04_sft | 03_pretraining | basic | 48 x 5 | 0.400 [0.300, 0.500] (chat) | ±0.060 | +0.050 [+0.010, " \
           "+0.090] | resolved; over the run's 2 comparisons (Holm): not resolved | +0.050 [-0.020, +0.120] " \
           "| not resolved (the interval includes 0) |" in text
    # a stage's effect and its held-out loss difference (`_ci95` intervals are read too)
    assert "04_sft - 03_pretraining: **+0.050 [-0.010, +0.110]** (pass@1, 48 problems x 5 samples" in text
    assert "| `heldout_loss_difference` | -0.050 [-0.070, -0.030] |  | resolved |" in text
    assert "| `scorer_spearman` | 0.400 [-0.100, 0.800] |  |  |" in text
    assert "| `heldout_change/random` | -0.750 [-0.800, -0.700] | 8 | resolved |" in text
    assert "Time: 14.0 s in all; slowest steps: train 12.5 s, save 0.5 s." in text


def test_seedkit_report_writes_the_page(fake_run, tmp_path, capsys):
    out = tmp_path / "docs" / "measurements.md"
    assert main(["report", str(fake_run), "--out", str(out)]) == 0
    assert out.read_text().startswith("# Measurements of run `fake` (profile `tiny`)")
    assert f"by `seedkit report fake --out {out}`" in out.read_text()
    assert write_report(fake_run).name == "measurements.md"
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "seedkit report:" in capsys.readouterr().err
