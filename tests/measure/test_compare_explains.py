"""`seedkit compare` says what sets runs apart, which stages are stale, and gives intervals only where they
mean something; its plot goes where asked or in a folder of its own; a missing or empty run is an error."""

from __future__ import annotations

import json

import pytest

from seedkit.cli import main
from seedkit.measure.compare import compare_runs


def _stage(root, run, stage, config, metrics, inputs=None):
    d = root / run / stage
    d.mkdir(parents=True)
    (d / "manifest.json").write_text(json.dumps({"stage": stage, "run_name": run, "config": config,
                                                 "metrics": metrics, "inputs": inputs or {}}))


@pytest.fixture
def runs(tmp_path):
    root = tmp_path / "runs"
    for name, seed, lr, loss in (("a0", 0, 1e-3, 2.0), ("a1", 1, 1e-3, 2.2), ("b0", 0, 3e-3, 2.5)):
        _stage(root, name, "03_pretraining", {"seed": seed, "learning_rate": lr}, {"final_loss": loss, "train_s": 6.0})
        digest = "1" * 64 if name != "b0" else "2" * 64
        _stage(root, name, "04_sft", {"seed": seed}, {"final_loss": loss - 1},
               {"03_pretraining": {"path": "03_pretraining", "sha256": digest}})
    return root


def test_compare_names_the_settings_and_inputs_that_differ_and_the_stale_stages(runs, capsys):
    compare_runs(["a0", "b0"], runs_dir=runs)
    out = capsys.readouterr().out
    assert "what differs between the runs:" in out
    assert "03_pretraining: setting learning_rate: a0=0.001, b0=0.003" in out
    assert "04_sft: input 03_pretraining differs in content (a0:11111111, b0:22222222)" in out
    assert "setting seed" not in out  # the same seed
    # 04 recorded a hash of 03's manifest that is not the manifest there now: stale, said per run
    assert "STALE a0/04_sft: input 03_pretraining" in out and "STALE b0/04_sft" in out


def test_two_runs_give_their_mean_and_say_too_few_runs_instead_of_an_interval(runs, capsys):
    c = compare_runs(["a0", "a1"], runs_dir=runs, print_fn=print)
    out = capsys.readouterr().out
    v = c.across("03_pretraining/final_loss")
    assert v.value == pytest.approx(2.1) and v.lo is None and v.hi is None  # t(1) would give [0.83, 3.37]
    assert "too few runs" in out and "mean of 2 runs" in out
    row = next(line for line in out.splitlines() if line.startswith("03_pretraining/final_loss"))
    assert "[" not in row


def test_the_plot_goes_where_asked_or_in_a_folder_of_its_own_never_into_a_run(runs, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["compare", "a0", "b0", "--runs-dir", str(runs)]) == 0
    assert (tmp_path / "seedkit-compare" / "a0-vs-b0.png").stat().st_size > 1000
    assert not list(runs.rglob("*.png"))
    assert main(["compare", "a0", "b0", "--runs-dir", str(runs), "--out", str(tmp_path / "x" / "p.png")]) == 0
    assert (tmp_path / "x" / "p.png").exists()


def test_a_missing_or_empty_run_is_a_one_line_error(runs, capsys):
    (runs / "empty").mkdir()
    for args in (["a0", "empty"], ["a0", "nope"]):
        assert main(["compare", *args, "--runs-dir", str(runs), "--no-plot"]) == 2
        err = capsys.readouterr().err.strip()
        assert args[1] in err and "\n" not in err
