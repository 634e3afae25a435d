"""`seedkit eval` (seedkit/cli/eval.py): score a samples file, generate with a saved model, one-line errors."""

from __future__ import annotations

import json

import pytest

from fixtures.eval_models import tiny_generator
from seedkit.measure.harness import (
    read_samples,
)
from seedkit.problems import (
    load_humaneval,
)


def test_cli_scores_a_samples_file(tmp_path, capsys):
    from seedkit.cli import main

    samples = tmp_path / "canon.jsonl"
    assert main(["eval", "humaneval", "--write-canonical", str(samples), "--limit", "3"]) == 0
    assert len(read_samples(samples)) == 3
    capsys.readouterr()
    assert main(["eval", "humaneval", "--samples", str(samples), "--workers", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "pass@1 = 1.0  95% interval [1.000, 1.000] over 3 problems x 1 samples" in out
    results = [json.loads(x) for x in (tmp_path / "results_canon.jsonl").read_text().splitlines()]
    assert [r["status"] for r in results] == ["passed"] * 3
    assert set(results[0]) >= {"task_id", "status", "error_type", "time_s"}
    summary = json.loads((tmp_path / "summary_canon.json").read_text())
    assert summary["pass@1"] == 1.0 and summary["problems"] == 3
    # the held-out set by name, and a one-line error for samples of another set
    held = tmp_path / "held.jsonl"
    assert main(["eval", "humaneval", "--write-canonical", str(held), "--problems", "heldout", "--limit", "2"]) == 0
    capsys.readouterr()
    assert main(["eval", "humaneval", "--samples", str(held), "--problems", "humaneval", "--quiet"]) == 2
    assert "not in the problem set" in capsys.readouterr().err
    # the basic tier by name; its samples are recognised without --problems
    basic = tmp_path / "basic.jsonl"
    assert main(["eval", "humaneval", "--write-canonical", str(basic), "--problems", "basic", "--limit", "4"]) == 0
    assert {r["task_id"].rsplit("/", 1)[0] for r in read_samples(basic)} == {"seedkit/basic"}
    capsys.readouterr()
    assert main(["eval", "humaneval", "--samples", str(basic), "--quiet"]) == 0
    assert "pass@1 = 1.0  95% interval [1.000, 1.000] over 4 problems" in capsys.readouterr().out


def test_cli_registers_under_seedkit():
    import argparse

    from seedkit.cli.eval import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "humaneval", "--samples", "x.jsonl", "--k", "1,10"])
    assert args.k == [1, 10] and callable(args.func)


@pytest.mark.slow
def test_cli_generates_with_a_saved_model(tmp_path, capsys, one_thread, monkeypatch):
    from seedkit.cli import main
    from seedkit.models import save_model

    probs = load_humaneval(1)
    gen = tiny_generator(probs)
    save_model(gen.model, gen.tokenizer, tmp_path / "m")
    out_dir = tmp_path / "out"
    assert main(["eval", "humaneval", "--model", str(tmp_path / "m"), "--limit", "1", "--max-new-tokens", "4",
                 "--out", str(out_dir), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "prompt format: completion" in out and "pass@1 = 0.0  95% interval [0.000, 0.000]" in out
    assert "s per problem" in out and f"results will be written to {out_dir}" in out
    samples = sorted(p.name for p in out_dir.iterdir())
    assert samples == ["results_m.jsonl", "samples_m.jsonl", "summary_m.json"]
    assert json.loads((out_dir / "samples_m.jsonl").read_text().splitlines()[0])["task_id"] == "HumanEval/0"
    # without --out: into the runs folder, never the current directory (a checkout stays clean)
    runs, cwd = tmp_path / "runs", tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(runs))
    monkeypatch.chdir(cwd)
    assert main(["eval", "humaneval", "--model", str(tmp_path / "m"), "--limit", "1", "--max-new-tokens", "4",
                 "--quiet"]) == 0
    assert f"results will be written to {runs / 'eval' / 'm'}" in capsys.readouterr().out
    assert list(cwd.iterdir()) == [] and (runs / "eval" / "m" / "summary_m.json").exists()


def test_cli_k_beyond_n_is_an_error(tmp_path, capsys):
    """--k 10 with one sample per problem used to print a note and exit 0 with no score."""
    from seedkit.cli import main

    assert main(["eval", "humaneval", "--model", "smollm2-135m-instruct", "--k", "10", "--limit", "1"]) == 2
    err = capsys.readouterr().err
    assert "--n 10 --temperature 0.8" in err and err.count("\n") == 1
    samples = tmp_path / "canon.jsonl"
    assert main(["eval", "humaneval", "--write-canonical", str(samples), "--limit", "2"]) == 0
    assert main(["eval", "humaneval", "--samples", str(samples), "--k", "10", "--quiet"]) == 2
    assert "--n 10 --temperature 0.8" in capsys.readouterr().err
    assert not list(tmp_path.glob("results_*"))  # nothing scored, nothing written
