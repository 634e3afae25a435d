"""seedkit.longcot_rl.stage: the stage end to end on a fake run, its steps resumed after a restart, its trackers
and its errors."""

from __future__ import annotations

import importlib.util

import pytest

from fixtures.longcot_rl import (
    fake_pretrained_run,
)
from seedkit.config import SettingsError
from seedkit.longcot_rl.settings import LongCoTRLSettings


@pytest.mark.slow
def test_stage_end_to_end_on_a_fake_run(tmp_path, monkeypatch, capsys):
    from seedkit.longcot_rl.stage import WARMUP_LABEL, run_longcot_rl
    from seedkit.measure.effects import EFFECTS_DIR
    from seedkit.models import load_model
    from seedkit.runs import read_manifest

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    fake_pretrained_run(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_problems=4, warmup_steps=4, max_completion_lengths=[16],
                                      rl_steps_per_length=[2], minibatches_per_rollout=1)
    res = run_longcot_rl(s)
    path = tmp_path / "t" / "06_longcot_rl"
    m = read_manifest(path)["metrics"]
    assert m["rl_steps"] == 2 and m["parent_model"] == "run:t/03_pretraining" and m["warmup_model"] == "warmup_model"
    for key, (child, parent) in {"effect_warmup": (WARMUP_LABEL, "03_pretraining (reasoning)"),
                                 "effect_grpo": ("06_longcot_rl", WARMUP_LABEL),
                                 "effect_same_format": ("06_longcot_rl", "03_pretraining (reasoning)"),
                                 "effect": ("06_longcot_rl", "03_pretraining (completion)")}.items():
        e = m[key]
        assert (e["child"], e["parent"]) == (child, parent), key
        assert e["n_problems"] == 6 and e["n_samples"] == 2 and len(e["after"]["interval"]) == 2
        assert {"mean", "lo", "hi"} <= set(e["difference"])
    assert m["effect_warmup"]["after"]["prompt_format"] == m["effect_warmup"]["before"]["prompt_format"] == "reasoning"
    assert m["effect"]["formats_differ"] and not m["effect_same_format"]["formats_differ"]
    layouts = m["answers_in_layout"]  # every reasoning-format measurement, read from its samples file
    assert set(layouts) == {"03_pretraining_reasoning", WARMUP_LABEL, "06_longcot_rl"}
    assert all(v["answers"] == 12 and 0.0 <= v["complete"] <= v["format"] <= 1.0 for v in layouts.values())
    out = capsys.readouterr().out
    assert "answers in the complete reasoning layout: 03_pretraining_reasoning " in out
    assert f"answers in the complete reasoning layout: {WARMUP_LABEL} " in out  # the GRPO measurement's line
    assert m["reward_curve"]["batches"] == 2 and "line" in m["reward_curve"]
    assert any("learning rate" in d for d in m["deviations_from_report"])
    for d in ("warmup_data", "model", "warmup_model"):
        assert (path / d).is_dir(), d
    assert not (path / "checkpoints").exists()
    assert {f.name for f in (path / EFFECTS_DIR).glob("*.json")} >= {
        "03_pretraining.json", "03_pretraining_reasoning.json", f"{WARMUP_LABEL}.json", "06_longcot_rl.json"}
    assert res.summary["warmup_traces_kept"] == 24 and len(res.warmup_log) == 4
    pool = res.metrics["rl_pool"]  # no probe: the trace problems, said so, and no probe figures in the manifest
    assert pool["candidates"] == 0 and len(pool["problems"]) == 4 and pool["reason"].startswith("rl_pool_candidates=0")
    assert "rl_pool_probe" not in m and 0 <= m["groups_with_differing_execution_reward"] <= m["rollout_groups"] > 0
    xs, ys = res.column("rewards/format_reward/mean")
    assert xs == [0, 1] and all(0.0 <= y <= 1.0 for y in ys)
    assert len(res.best_rollouts(3)) == 3 and len(res.reward_curve) == 2
    for spec in ("run:t/06_longcot_rl", str(path / "warmup_model")):
        model, _ = load_model(spec, device="cpu", dtype="float32", verbose=False)
        assert model is not None
    again = run_longcot_rl(s)  # done: loaded from disk, not retrained
    assert again.rl_steps == res.rl_steps and again.summary == res.summary


@pytest.mark.slow
def test_steps_resume_one_by_one_after_a_restart(tmp_path, monkeypatch):
    """The notebook's cells: each step saved; a new session (a restarted kernel) reuses every finished step
    without training again, and puts back the measurements the restart wiped from effects/."""
    from seedkit.longcot_rl import stage as rl

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    fake_pretrained_run(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_problems=2, warmup_steps=2, max_completion_lengths=[8],
                                      rl_steps_per_length=[1], minibatches_per_rollout=1, num_generations=2,
                                      rl_global_batch=2, rl_per_device_max=2)
    st = rl.begin(s)
    problems = rl.training_problems(st)
    seeds = rl.seed_traces(st)
    generated = rl.generate_traces(st, problems)
    warm = rl.warmup(st, seeds, generated)
    first = rl.measure_warmup_effect(st)
    st.close()  # the kernel dies here

    st = rl.begin(s)
    assert not st.done and not (st.path / "effects").exists()
    calls = []
    monkeypatch.setattr(rl, "load_parent", lambda stage: calls.append("loaded") or (_ for _ in ()).throw(AssertionError))
    problems = rl.training_problems(st)
    seeds, generated = rl.seed_traces(st), rl.generate_traces(st, problems)
    assert rl.warmup(st, seeds, generated) == warm and not calls  # reused, not trained again
    assert rl.measure_warmup_effect(st).warmup_vs_parent == first.warmup_vs_parent
    assert (st.path / "effects" / f"{rl.WARMUP_LABEL}.json").exists()  # written back for stage 07
    assert (st.path / "warmup_model" / "seedkit_model.json").exists()
    rl.train(st, problems)  # GRPO starts from the saved warm-up model (the kernel's copy is gone)
    rl.measure_grpo_effect(st)
    result = rl.finish(st)
    assert result.summary["rl_steps"] == 1 and result.summary["effect_grpo"]["child"] == "06_longcot_rl"


@pytest.mark.slow
def test_the_rl_pool_probe_keeps_problems_whose_answers_differ_and_grpo_trains_on_them(tmp_path, monkeypatch):
    """The probe's answers (here written by hand: the reference for some, a wrong body for others) run in the
    sandbox; only problems whose answers earned different rewards enter the pool, and GRPO samples only those."""
    from seedkit.longcot_rl import stage as rl

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    fake_pretrained_run(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_problems=2, warmup_steps=1, max_completion_lengths=[8],
                                      rl_steps_per_length=[2], minibatches_per_rollout=1, num_generations=2,
                                      rl_global_batch=2, rl_per_device_max=2, rl_pool_candidates=6, rl_pool_samples=2,
                                      eval_limit=2, eval_samples=1)
    asked = []

    def answers(generator, problems, *, n, temperature, max_new_tokens, **kw):
        asked.append((len(problems), n, temperature, max_new_tokens))
        wrong = "def {e}(*args):\n    return None\n"
        out = []
        for i, p in enumerate(problems):
            codes = [[p["reference"], wrong.format(e=p["entry_point"])], [wrong.format(e=p["entry_point"])] * 2,
                     [p["reference"]] * 2][i % 3]
            out += [{"task_id": p["task_id"], "source": "generated",
                     "trace": f"<think>\nplan\n</think>\n```python\n{c}```\n"} for c in codes]
        return out

    st = rl.begin(s)
    problems = rl.training_problems(st)
    rl.warmup(st, rl.seed_traces(st), rl.generate_traces(st, problems))
    monkeypatch.setattr(rl.traces, "generate_traces", answers)
    pool = rl.rl_pool(st, problems)
    candidates = st.problem_pool()[:6]
    assert asked == [(6, 2, s.temperature, 8)]
    assert [p["task_id"] for p in pool.problems] == [candidates[0]["task_id"], candidates[3]["task_id"]]
    assert dict(pool.dropped) == {candidates[i]["task_id"]: rate for i, rate in ((1, 0.0), (2, 1.0), (4, 0.0),
                                                                                   (5, 1.0))}
    assert len(pool.rows) == 12 and pool.candidates == 6 and "RL pool 2" in pool.reason
    trained = rl.train(st, pool)
    assert {r["task_id"] for r in trained.rollouts} <= {p["task_id"] for p in pool.problems}
    rl.measure_warmup_effect(st)
    rl.measure_grpo_effect(st)
    result = rl.finish(st)
    assert result.summary["rl_pool_probe"]["kept"] == 2 and result.summary["rollout_groups"] == 2
    assert result.metrics["rl_pool"]["candidates"] == 6


def test_report_to_tensorboard_without_the_package_is_a_one_line_error_before_anything_loads(tmp_path, monkeypatch):
    import importlib.util

    from seedkit.longcot_rl.stage import begin, check_trackers

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("tensorboard") else real(name, *a))
    s = LongCoTRLSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), report_to="tensorboard")
    with pytest.raises(SettingsError, match=r"report_to: tensorboard needs the tensorboard package"):
        begin(s)  # no stage 03 here: the tracker is checked first
    check_trackers("none")
    check_trackers("wandb")


@pytest.mark.skipif(importlib.util.find_spec("tensorboard") is None, reason="tensorboard is not installed")
@pytest.mark.slow
def test_report_to_tensorboard_logs_under_the_stage_directory(tmp_path, monkeypatch):
    from seedkit.longcot_rl.stage import run_longcot_rl

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    fake_pretrained_run(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_problems=2, warmup_steps=2, max_completion_lengths=[8],
                                      rl_steps_per_length=[1], minibatches_per_rollout=1, num_generations=2,
                                      rl_global_batch=2, rl_per_device_max=2, report_to="tensorboard",
                                      eval_limit=2, eval_samples=1)
    run_longcot_rl(s)
    path = tmp_path / "t" / "06_longcot_rl" / "tensorboard"
    assert any((path / "warmup").rglob("events.out.tfevents.*"))
    assert any((path / "grpo").rglob("events.out.tfevents.*"))


def test_missing_base_model_run_is_a_one_line_error(tmp_path):
    from seedkit.longcot_rl.stage import run_longcot_rl
    from seedkit.runs import MissingInputError

    s = LongCoTRLSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path))
    with pytest.raises(MissingInputError, match=r"t/03_pretraining does not exist"):
        run_longcot_rl(s)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), base_model="run:other/04_sft")
    with pytest.raises(MissingInputError, match=r"other/04_sft does not exist"):
        run_longcot_rl(s)
