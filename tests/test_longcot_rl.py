"""Stage 06: rewards on fixed completions, the curriculum, the GRPO batch rule, seed traces, GRPO on a tiny model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import ClassVar

import pytest

from seedkit.config import PROFILES, SettingsError, StageSettings
from seedkit.longcot_rl.curriculum import SolveTracker, filter_pool, plan_rounds
from seedkit.longcot_rl.grpo import check_group_batch
from seedkit.longcot_rl.rewards import (
    CodeRewards,
    execution_outcomes,
    format_score,
    parse_score,
    parse_trace,
    split_check_tests,
)
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.stage import DEFAULT_SEED_TRACES, load_problems, load_seed_traces, verify_traces

# ----------------------------------------------------------------------------- fixtures

PROBLEM = {
    "task_id": "fixture/add", "language": "python", "entry_point": "add",
    "instruction": "Write a Python function add(a, b) that returns a + b.",
    "prompt": "def add(a: int, b: int) -> int:\n    \"\"\"Return a + b.\"\"\"\n",
    "tests": "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(0, 0) == 0\n"
             "    assert candidate(-1, 5) == 4\n",
}


def trace(code: str, think: str = "Add the two numbers.") -> str:
    return f"<think>\n{think}\n</think>\n```python\n{code}\n```\n"


CORRECT = trace("def add(a, b):\n    return a + b")
WRONG = trace("def add(a, b):\n    return a * b if a else b")  # passes only add(0, 0)
TIMEOUT = trace("def add(a, b):\n    while True:\n        pass")
LOOP_AT_IMPORT = trace("while True:\n    pass")
NO_CODE = "<think>\nI am not sure.\n</think>\nThe answer is a plus b."
SYNTAX_ERROR = trace("def add(a, b)\n    return a + b")


def snippets() -> list[str]:
    return split_check_tests(PROBLEM["tests"], PROBLEM["entry_point"])


# ----------------------------------------------------------------------------- parsing and format


def test_parse_trace_takes_the_final_block_after_think():
    text = "<think>\ntry ```python\nx = 1\n``` first\n</think>\n```python\ndef f():\n    return 2\n```\n"
    p = parse_trace(text)
    assert p.thinking.startswith("try")
    assert p.code == "def f():\n    return 2\n"
    assert p.opens_with_think and p.closes_think and p.code_block_closed


def test_parse_trace_keeps_code_of_a_block_cut_at_the_length_limit():
    p = parse_trace("<think>\nok\n</think>\n```python\ndef f():\n    return 1")
    assert p.code == "def f():\n    return 1"
    assert not p.code_block_closed


def test_format_score_on_fixed_completions():
    assert format_score(CORRECT) == 1.0
    assert format_score(CORRECT + "Some chatter after the code.") == 0.75  # no clean end
    assert format_score("```python\ndef add(a, b):\n    return a + b\n```") == 0.125  # a fence, no thinking
    assert format_score("<think>\nhmm") == 0.25  # opened only
    assert format_score("random text </think> more") == 0.125  # stray closing tag
    assert format_score("") == 0.0
    assert format_score(NO_CODE) == 0.5
    assert format_score("<think>\nok\n</think>\n```python\ndef f():") == 0.625  # cut-off block


def test_parse_score_on_fixed_completions():
    assert parse_score(CORRECT) == 1.0
    assert parse_score(SYNTAX_ERROR) == 0.0
    assert parse_score(NO_CODE) == 0.0
    assert parse_score("") == 0.0


def test_split_check_tests_one_snippet_per_assert_with_setup():
    tests = ("import math\nEPS = 1e-9\n\ndef check(candidate):\n    xs = [1, 2]\n    assert candidate(xs) == 3\n"
             "    for x in xs:\n        assert candidate([x]) == x\n    ys = []\n    assert candidate(ys) == 0\n")
    parts = split_check_tests(tests, "total")
    assert len(parts) == 3
    assert parts[0].splitlines()[:3] == ["import math", "EPS = 1e-09", "candidate = total"]
    assert "xs = [1, 2]" in parts[2] and "ys = []" in parts[2] and "for x in xs" not in parts[2]
    ns: dict = {}
    exec("def total(v):\n    return sum(v)", ns)
    for p in parts:
        exec(p, dict(ns))


def test_split_check_tests_falls_back_to_one_check_call():
    assert split_check_tests("def check(candidate) broken", "f") == ["def check(candidate) broken\n\ncheck(f)\n"]
    assert split_check_tests("assert f(1) == 1\n", "f") == ["assert f(1) == 1\n\ncheck(f)\n"]


# ----------------------------------------------------------------------------- execution reward


def test_execution_outcomes_correct_wrong_timeout_bad_format():
    codes = [parse_trace(t).code for t in (CORRECT, WRONG, TIMEOUT, LOOP_AT_IMPORT, NO_CODE, SYNTAX_ERROR)]
    out = execution_outcomes(codes, [snippets()] * len(codes), timeout_s=1.0)
    rewards = [o.reward for o in out]
    # WRONG: 1*2=2 != 3 fails, 0 -> b = 0 passes, -1*5 = -5 != 4 fails
    assert rewards == [1.0, pytest.approx(1 / 3), 0.0, 0.0, 0.0, 0.0]
    assert out[0].status == "passed" and out[0].tests_total == 3
    assert out[2].status == "timeout" and out[3].status == "timeout"
    assert out[4].status == "no_code" and out[4].tests_total == 3
    assert out[5].status == "error" and out[5].error_type == "SyntaxError"


def test_code_rewards_as_trl_functions_record_rollouts_and_solves():
    solved: list[tuple[str, list[bool]]] = []
    metrics: dict[str, float] = {}
    rw = CodeRewards(timeout_s=2.0, on_solved=lambda t, f: solved.append((t, f)), step_offset=5)
    completions = [[{"role": "assistant", "content": c}] for c in (CORRECT, WRONG, NO_CODE, CORRECT)]
    kw = dict(prompts=[[{"role": "user", "content": "x"}]] * 4, completions=completions,
              task_id=["a", "a", "b", "b"], test_snippets=[snippets()] * 4, trainer_state=None,
              log_metric=lambda k, v: metrics.__setitem__(k, v), extra_column="ignored")
    ex = rw.execution_reward(**kw)
    fm = rw.format_reward(**kw)
    ps = rw.parse_reward(**kw)
    assert ex == [1.0, pytest.approx(1 / 3), 0.0, 1.0]
    assert fm == [1.0, 1.0, 0.5, 1.0]
    assert ps == [1.0, 1.0, 0.0, 1.0]
    assert metrics == {"pass_rate": 0.5}
    assert solved == [("a", [True, False]), ("b", [False, True])]
    assert [f.__name__ for f in rw.reward_funcs()] == ["execution_reward", "format_reward", "parse_reward"]
    table = rw.rollout_table()
    assert len(table) == 4 and {r["step"] for r in table} == {5}
    assert table[0]["total"] == pytest.approx(1.0 + 0.2 + 0.1)
    assert table[2]["status"] == "no_code"


def test_zero_weight_rewards_are_not_computed():
    rw = CodeRewards(execution_weight=0.0, format_weight=1.0, parse_weight=0.5)
    assert [f.__name__ for f in rw.reward_funcs()] == ["format_reward", "parse_reward"]
    assert rw.reward_weights() == [1.0, 0.5]


# ----------------------------------------------------------------------------- curriculum


def test_curriculum_drops_problems_solved_above_the_rate():
    pool = [{"task_id": t} for t in ("easy", "mid", "hard", "new")]
    tr = SolveTracker(window_groups=2, group_size=4)
    tr.record("easy", [True] * 4)
    tr.record("easy", [True] * 3 + [False])  # 7/8 = 87.5%: not above the rate
    tr.record("mid", [True, False, True, False])
    tr.record("hard", [False] * 4)
    d = filter_pool(pool, tr, drop_above=0.875)
    assert [p["task_id"] for p in d.kept] == ["easy", "mid", "hard", "new"] and d.dropped == []
    tr.record("easy", [True] * 4)  # the window now holds the last 8: 7 then 8 of 8 solved -> 8/8 after one more group
    tr.record("easy", [True] * 4)
    d = filter_pool(pool, tr, drop_above=0.875)
    assert [p["task_id"] for p in d.kept] == ["mid", "hard", "new"]
    assert d.dropped == [("easy", 1.0)]
    assert "pool 4 -> 3" in d.reason


def test_curriculum_needs_a_full_group_and_keeps_a_minimum_pool():
    tr = SolveTracker(window_groups=1, group_size=4)
    tr.record("a", [True, True])  # only half a group seen
    tr.record("b", [True] * 4)
    tr.record("c", [True, True, True, False])
    pool = [{"task_id": t} for t in ("a", "b", "c")]
    d = filter_pool(pool, tr, drop_above=0.5, min_pool=2)
    assert [p["task_id"] for p in d.kept] == ["a", "c"]  # c (0.75) comes back: a step needs 2 problems
    assert d.dropped == [("b", 1.0)]
    assert "kept 1 solved" in d.reason


def test_length_schedule_rounds():
    rounds = plan_rounds([96, 128], [5, 3], interval=2)
    assert [(r.phase, r.steps, r.max_completion_length, r.first_step) for r in rounds] == [
        (0, 2, 96, 0), (0, 2, 96, 2), (0, 1, 96, 4), (1, 2, 128, 5), (1, 1, 128, 7)]


# ----------------------------------------------------------------------------- batch rule


def test_batch_check_names_the_numbers_to_change():
    with pytest.raises(SettingsError, match=r"rl_global_batch=6 is not a multiple of num_generations=4.*set rl_global_batch to 4 or 8"):
        check_group_batch(6, 4, 4, world=1)
    with pytest.raises(SettingsError, match="num_generations=1"):
        check_group_batch(4, 1, 4, world=1)
    with pytest.raises(SettingsError, match="does not split over 3 processes"):
        check_group_batch(8, 4, 4, world=3)
    split = check_group_batch(8, 4, 2, world=1)
    assert (split.per_device, split.accumulation) == (2, 4)
    with pytest.raises(SettingsError, match="rl_global_batch=6 is not a multiple"):
        LongCoTRLSettings.from_params("tiny", rl_global_batch=6, num_generations=4)
    with pytest.raises(SettingsError, match="one step count per completion length"):
        LongCoTRLSettings.from_params("smol", max_completion_lengths=[64, 128, 256])


def test_batch_check_agrees_with_trl():
    """What check_group_batch accepts, GRPOConfig accepts; what it rejects, GRPOConfig rejects too."""
    from trl import GRPOConfig

    def trl_ok(global_batch: int, gens: int, per_device_max: int) -> bool:
        from seedkit.training import split_batch

        s = split_batch(global_batch, per_device_max, 1)
        try:
            GRPOConfig(output_dir="/tmp/unused", per_device_train_batch_size=s.per_device,
                       gradient_accumulation_steps=s.accumulation, num_generations=gens, use_cpu=True, bf16=False,
                       report_to="none")
        except ValueError:
            return False
        return True

    for gb, gens, pd in [(8, 4, 8), (8, 4, 2), (6, 4, 6), (6, 4, 2), (12, 3, 4), (4, 8, 4)]:
        try:
            check_group_batch(gb, gens, pd, world=1)
            ours = True
        except SettingsError:
            ours = False
        assert ours == trl_ok(gb, gens, pd), (gb, gens, pd)


def test_settings_defaults_follow_dapo_and_profiles():
    smol = LongCoTRLSettings.from_params("smol")
    assert (smol.kl_beta, smol.clip_epsilon_high, smol.loss_type, smol.mask_truncated_completions) == (0.0, 0.28, "dapo", True)
    assert smol.drop_solved_rate == 0.875
    assert smol.resolved_base_model() == PROFILES["smol"].base_model
    tiny = LongCoTRLSettings.from_params("tiny", run_name="demo")
    assert tiny.resolved_base_model() == "run:demo/03_pretraining"
    assert tiny.resolved_trace_generator() == "none" and tiny.resolved_use_lora() is False


# ----------------------------------------------------------------------------- seed traces


def test_every_seed_trace_passes_its_problem_in_the_sandbox():
    problems = {p["task_id"]: p for p in load_problems()}
    seeds = load_seed_traces(DEFAULT_SEED_TRACES)
    assert len(seeds) >= 16
    assert all(s["task_id"] in problems for s in seeds), "a seed trace names a problem missing from train.jsonl"
    rows = verify_traces(seeds, problems, timeout_s=5.0)
    bad = [(r["task_id"], r["status"], r["tests_passed"], r["tests_total"], r["format_score"]) for r in rows if not r["kept"]]
    assert not bad, bad
    assert all(r["tests_total"] >= 3 for r in rows)


def test_verify_traces_drops_a_failing_trace():
    rows = verify_traces([{"task_id": "fixture/add", "trace": CORRECT}, {"task_id": "fixture/add", "trace": WRONG},
                          {"task_id": "fixture/add", "trace": CORRECT.replace("<think>", "")},
                          {"task_id": "not/there", "trace": CORRECT}], {"fixture/add": PROBLEM}, timeout_s=2.0)
    assert [r["kept"] for r in rows] == [True, False, False]  # unknown problem skipped, bad layout not kept


# ----------------------------------------------------------------------------- GRPO on a tiny model


@dataclass
class _Pretrain(StageSettings):
    stage: ClassVar[str] = "03_pretraining"


def _fake_pretrained_run(runs_dir, run_name: str = "t") -> None:
    """A scratch tiny model saved as a finished 03_pretraining (stage 03 may not have run)."""
    from seedkit.models import load_model, save_model
    from seedkit.runs import StageRun

    texts = [json.loads(line)["trace"] for line in DEFAULT_SEED_TRACES.read_text().splitlines()] * 2
    cfg = dict(PROFILES["tiny"].scratch_model, hidden_size=64, intermediate_size=128, num_hidden_layers=2)
    model, tok = load_model("scratch", scratch_config=cfg, tokenizer_texts=texts, device="cpu", dtype="float32",
                            verbose=False)
    run = StageRun(_Pretrain(profile="tiny", run_name=run_name, runs_dir=str(runs_dir)))
    run.start({})
    save_model(model, tok, run.path / "model")
    run.finish()


@pytest.mark.slow
def test_grpo_steps_on_a_tiny_model_log_every_reward(tmp_path, monkeypatch):
    import torch

    from seedkit.longcot_rl.grpo import train_grpo
    from seedkit.models import load_model

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _fake_pretrained_run(tmp_path)
        model, tok = load_model("run:t/03_pretraining", device="cpu", dtype="float32", verbose=False)
        s = LongCoTRLSettings.from_params("tiny", run_name="t", max_completion_lengths=[16, 24], rl_steps_per_length=[2, 2],
                                   curriculum_interval_steps=2)
        problems = [dict(PROBLEM, task_id=f"fixture/add{i}") for i in range(4)]
        before = [p.detach().clone() for p in model.parameters()]
        h = train_grpo(model, tok, problems, s, output_dir=tmp_path / "grpo")
    finally:
        torch.set_num_threads(threads)
    assert [r["step"] for r in h.steps] == [0, 1, 2, 3]
    assert [r["max_completion_length"] for r in h.steps] == [16, 16, 24, 24]
    sampled = [r for r in h.steps if "reward" in r]  # a rollout of 16 completions feeds 2 steps
    assert [r["step"] for r in sampled] == [0, 2]
    for key in ("rewards/execution_reward/mean", "rewards/format_reward/mean", "rewards/parse_reward/mean",
                "pass_rate", "completions/mean_length", "completions/clipped_ratio"):
        assert all(key in r for r in sampled), key
    assert all("clip_ratio/high_mean" in r and "clip_ratio/low_mean" in r for r in h.steps)
    assert all(r["completions/mean_length"] <= r["max_completion_length"] for r in sampled)
    assert len(h.rollouts) == 2 * 2 * s.rl_global_batch and {r["step"] for r in h.rollouts} == {0, 2}
    assert all(set(r["rewards"]) == {"execution_reward", "format_reward", "parse_reward"} for r in h.rollouts)
    assert [c["pool_size"] for c in h.curriculum] == [4, 4]
    # the format reward gives the random model something to learn: with any spread in a group, weights move
    if any(r["reward_std"] > 0 for r in sampled):
        assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.slow
def test_stage_end_to_end_on_a_fake_run(tmp_path, monkeypatch):
    from seedkit.longcot_rl.stage import run_longcot_rl
    from seedkit.models import load_model
    from seedkit.runs import read_manifest

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    _fake_pretrained_run(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_problems=4, warmup_steps=4, max_completion_lengths=[16],
                               rl_steps_per_length=[2], minibatches_per_rollout=1)
    res = run_longcot_rl(s)
    path = tmp_path / "t" / "06_longcot_rl"
    assert read_manifest(path)["metrics"]["rl_steps"] == 2
    assert (path / "warmup_data").is_dir() and (path / "model" / "config.json").exists()
    assert not (path / "checkpoints").exists()
    assert res.summary["warmup_traces_kept"] == 24 and len(res.warmup_log) == 4
    xs, ys = res.column("rewards/format_reward/mean")
    assert xs == [0, 1] and all(0.0 <= y <= 1.0 for y in ys)
    assert len(res.best_rollouts(3)) == 3
    model, _ = load_model("run:t/06_longcot_rl", device="cpu", dtype="float32", verbose=False)
    assert model is not None
    again = run_longcot_rl(s)  # done: loaded from disk, not retrained
    assert again.rl_steps == res.rl_steps and again.summary == res.summary


def test_missing_base_model_run_is_a_one_line_error(tmp_path):
    from seedkit.longcot_rl.stage import run_longcot_rl
    from seedkit.runs import MissingInputError

    s = LongCoTRLSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path))
    with pytest.raises(MissingInputError, match=r"t/03_pretraining does not exist"):
        run_longcot_rl(s)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), base_model="run:other/04_sft")
    with pytest.raises(MissingInputError, match=r"other/04_sft does not exist"):
        run_longcot_rl(s)
