"""seedkit.eval.stage: stage 07 on a tiny chain of models."""

from __future__ import annotations

import json

import pytest

from fixtures.eval_models import tiny_generator
from seedkit.eval.settings import EvalSettings
from seedkit.problems import (
    load_humaneval,
)


def _save_stage_model(settings, stage, model, tok, parent):
    from seedkit.models import save_model
    from seedkit.runs import StageRun

    run = StageRun(settings, stage=stage)
    run.start()
    save_model(model, tok, run.path / "model")
    run.finish(metrics={"parent_model": parent})
    return run


@pytest.mark.slow
def test_stage_07_on_a_tiny_chain(tmp_path, capsys, one_thread):
    """A run with a stage-03 model and a stage-04 model trained from it (here: its weights nudged):
    07 evaluates both, names 04's parent, reuses 03's own measurement, and writes the table."""
    import torch

    from seedkit.config import EvidenceSettings
    from seedkit.eval.stage import run_eval
    from seedkit.measure.compare import compare_runs
    from seedkit.measure.effects import measure
    from seedkit.problems import load_basic

    runs = tmp_path / "runs"
    base = dict(run_name="r", runs_dir=str(runs))
    gen = tiny_generator(load_basic()[:6] + load_humaneval(2))
    ev = EvidenceSettings.from_params("tiny", **base)
    r03 = _save_stage_model(ev, "03_pretraining", gen.model, gen.tokenizer, "scratch")
    with torch.no_grad():
        for p in gen.model.parameters():
            p.add_(0.01)
    _save_stage_model(ev, "04_sft", gen.model, gen.tokenizer, "run:r/03_pretraining")
    measure("run:r/03_pretraining", ev, r03, "after", progress=False)  # what stage 03 records as its own
    capsys.readouterr()

    settings = EvalSettings.from_params("tiny", **base)
    result = run_eval(settings)
    out = capsys.readouterr().out
    assert "skipping base" in out and "skipping 05_dpo" in out
    assert "chain: 03_pretraining -> 04_sft" in out
    assert "reusing 03_pretraining's measurement" in out  # generated once per run
    assert [(p.label, p.parent) for p in result.plans] == [("03_pretraining", None), ("04_sft", "03_pretraining")]
    assert result.sets == ["basic", "humaneval"]
    rows = result.rows()
    assert [(r["model"], r["set"], r["n_problems"], r["samples"]) for r in rows] == [
        ("03_pretraining", "basic", 6, 2), ("04_sft", "basic", 6, 2),
        ("03_pretraining", "humaneval", 2, 1), ("04_sft", "humaneval", 2, 1)]
    assert rows[0]["prompt_format"] == "completion" and rows[1]["prompt_format"] == "chat"
    assert rows[1]["difference_n"] == 6 and rows[0]["difference"] is None
    assert any(line.startswith("basic: 04_sft - 03_pretraining: ") for line in result.difference_lines())
    d = tmp_path / "runs" / "r" / "07_eval"
    for name in ("summary.json", "report.md", "effects.png", "manifest.json", "effects/04_sft.json",
                 "effects/04_sft.humaneval.json", "effects/details/results_04_sft.jsonl"):
        assert (d / name).exists(), name
    report = (d / "report.md").read_text()
    assert "| 04_sft | 03_pretraining | basic | 6 | 2 |" in report and "Reproduce: `seedkit run --profile tiny" in report
    metrics = json.loads((d / "manifest.json").read_text())["metrics"]
    assert set(metrics["pass@1"]["basic"]["04_sft"]) == {"mean", "lo", "hi", "n"}
    assert metrics["difference"]["basic"]["04_sft"]["parent"] == "03_pretraining"
    assert metrics["models"]["04_sft"] == {"spec": "run:r/04_sft", "parent": "03_pretraining"}
    kinds = result.failure_kinds("basic")
    assert sum(kinds["04_sft"].values()) == 12
    assert set(result.moved("04_sft", "basic")) == {"gained", "lost"}
    labels, task_ids, grid = result.grid("basic")
    assert labels == ["03_pretraining", "04_sft"] and len(task_ids) == 6 and len(grid[1]) == 6
    again = run_eval(settings)  # done: read back from disk
    assert "done already" in capsys.readouterr().out
    assert again.rows() == rows
    # the parent asked in the child's format too; 07's own measurements survive the redo
    both = run_eval(settings.replace(parent_in_child_format="measure"))
    out = capsys.readouterr().out
    assert "settings changed" in out and "reusing effects/04_sft.humaneval.json" in out
    assert "measure 03_pretraining.as_chat: run:r/03_pretraining on 6 basic problems" in out
    same = both.rows()[1]
    assert same["model"] == "04_sft" and same["difference_same_format"] is not None
    assert any("04_sft - 03_pretraining, both asked in chat: " in line for line in both.difference_lines())
    assert both.parent_in_child_format["basic"]["04_sft"].prompt_format == "chat"
    assert run_eval(settings.replace(parent_in_child_format="measure")).rows() == both.rows()  # read back
    # the run compared with itself: 07's values come with their intervals
    c = compare_runs(["r"], runs_dir=runs, stages=["07"], print_fn=None)
    v = c.value("07_eval/pass@1/basic/04_sft", "r")
    assert v is not None and v.lo is not None and v.n == 6


def test_begin_without_any_model_is_a_one_line_error(tmp_path):
    from seedkit.eval.stage import begin

    with pytest.raises(RuntimeError, match="no model to evaluate: run stage 03 first"):
        begin(EvalSettings.from_params("tiny", run_name="empty", runs_dir=str(tmp_path)))


def test_the_warmup_model_is_compared_with_the_model_stage_06_started_from(tmp_path):
    """Stage 06 can start from another stage's model (base_model=run:{run}/04_sft): its warm-up model's
    parent in the chain is the model the stage recorded, not the default stage 03."""
    from seedkit.config import EvidenceSettings
    from seedkit.eval.plan import plan_models
    from seedkit.models import save_model
    from seedkit.problems import load_basic

    ev = EvidenceSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    gen = tiny_generator(load_basic()[:2])
    model, tok = gen.model, gen.tokenizer
    _save_stage_model(ev, "03_pretraining", model, tok, "scratch")
    _save_stage_model(ev, "04_sft", model, tok, "run:r/03_pretraining")
    run = _save_stage_model(ev, "06_longcot_rl", model, tok, "run:r/04_sft")
    save_model(model, tok, run.path / "warmup_model")
    plans, _, _ = plan_models(EvalSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path)))
    parents = {p.label: p.parent for p in plans}
    assert parents["06_warmup"] == "04_sft"
    assert parents["06_longcot_rl"] == "06_warmup"
    assert parents["04_sft"] == "03_pretraining"
