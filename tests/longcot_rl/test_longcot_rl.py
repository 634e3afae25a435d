"""Stage 06: rewards on fixed completions, the curriculum, the GRPO batch rule, the GRPO configuration built
for every profile, seed traces, what moves the weights in a GRPO step, and the stage on a tiny model."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from typing import ClassVar

import pytest

from fixtures.notebook_cells import notebook_cell
from seedkit.config import PROFILES, SettingsError, StageSettings
from seedkit.formats import parse_trace
from seedkit.longcot_rl.curriculum import SolveTracker, filter_pool, plan_rounds
from seedkit.longcot_rl.grpo import check_group_batch
from seedkit.longcot_rl.rewards import (
    RolloutLog,
    execution_outcomes,
    format_score,
    parse_score,
    reward_functions,
)
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.stage import DEFAULT_SEED_TRACES, load_problems, load_seed_traces, verify_traces
from seedkit.problems import split_check_tests

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


def test_reward_functions_as_trl_calls_them_and_the_rollout_log():
    solved: list[tuple[str, list[bool]]] = []
    metrics: dict[str, float] = {}
    settings = LongCoTRLSettings.from_params("tiny", execution_timeout_s=2.0)
    funcs, weights = reward_functions(settings)
    assert [f.__name__ for f in funcs] == ["execution_reward", "format_reward", "parse_reward"]
    assert weights == [1.0, 0.2, 0.1]
    log = RolloutLog(dict(zip([f.__name__ for f in funcs], weights, strict=True)),
                     on_solved=lambda t, f: solved.append((t, f)), step_offset=5)
    wrapped = [log.wrap(f) for f in funcs]
    assert [f.__name__ for f in wrapped] == ["execution_reward", "format_reward", "parse_reward"]
    completions = [[{"role": "assistant", "content": c}] for c in (CORRECT, WRONG, NO_CODE, CORRECT)]
    kw = dict(prompts=[[{"role": "user", "content": "x"}]] * 4, completions=completions,
              task_id=["a", "a", "b", "b"], test_snippets=[snippets()] * 4, trainer_state=None,
              log_metric=lambda k, v: metrics.__setitem__(k, v), extra_column="ignored")
    ex, fm, ps = (f(**kw) for f in wrapped)
    assert ex == [1.0, pytest.approx(1 / 3), 0.0, 1.0]
    assert fm == [1.0, 1.0, 0.5, 1.0]
    assert ps == [1.0, 1.0, 0.0, 1.0]
    assert metrics == {"pass_rate": 0.5}
    assert solved == [("a", [True, False]), ("b", [False, True])]
    table = log.rollout_table()
    assert len(table) == 4 and {r["step"] for r in table} == {5}
    assert table[0]["total"] == pytest.approx(1.0 + 0.2 + 0.1)
    assert table[2]["rewards"] == {"execution_reward": 0.0, "format_reward": 0.5, "parse_reward": 0.0}


def test_the_notebooks_reward_functions_are_the_stages():
    """The three reward functions written out in notebook 06 score fixed completions as the stage's do."""

    settings = LongCoTRLSettings.from_params("tiny", execution_timeout_s=2.0)
    cell = notebook_cell("06_longcot_rl", "def execution_reward(")
    code = cell.split("# what each says")[0]
    ns: dict = {"settings": settings}
    exec("from seedkit.longcot_rl.rewards import completion_text, execution_outcomes, format_score, parse_score, "
         "parse_trace", ns)
    exec(code, ns)
    texts = [CORRECT, WRONG, TIMEOUT, NO_CODE, SYNTAX_ERROR, CORRECT + "chatter", "<think>\nhmm"]
    completions = [[{"role": "assistant", "content": t}] for t in texts]
    ours, _ = reward_functions(settings)
    for mine, theirs in zip(ns["reward_funcs"], ours, strict=True):
        assert mine.__name__ == theirs.__name__
        kw = dict(completions=completions, test_snippets=[snippets()] * len(texts), task_id=["x"] * len(texts))
        assert mine(**kw) == theirs(**kw), mine.__name__


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
    for profile in PROFILES:  # the chain: stage 06 warms up from this run's stage 03 on every profile
        assert LongCoTRLSettings.from_params(profile, run_name="demo").resolved_base_model() == "run:demo/03_pretraining"
    tiny = LongCoTRLSettings.from_params("tiny", run_name="demo")
    assert tiny.resolved_trace_generator() == "none" and tiny.resolved_use_lora() is False


def test_report_comparison_rows_and_the_small_profiles_deviations():
    from seedkit.longcot_rl.settings import REPORT

    for profile in ("gpu", "multi-gpu"):
        s = LongCoTRLSettings.from_params(profile)
        rows = {r["setting"]: r for r in s.report_comparison()}
        for name in ("learning rate", "sampling temperature", "KL term", "clipping", "loss aggregation",
                     "overlong filtering", "starting model", "solved-problem filter"):
            assert rows[name]["why"].startswith("same"), (profile, rows[name])
        assert rows["learning rate"]["kit"] == "1e-06" and rows["sampling temperature"]["kit"] == "0.6"
    for profile, differ in (("tiny", ("learning rate", "sampling temperature")), ("smol", ("learning rate",))):
        s = LongCoTRLSettings.from_params(profile)
        rows = {r["setting"]: r for r in s.report_comparison()}
        assert all(set(r) == {"setting", "report", "kit", "why"} for r in rows.values())
        for name in differ:  # each deviation says why, naming the measurement or the report's value
            assert not rows[name]["why"].startswith("same")
            assert rows[name]["why"].startswith(profile + ":"), (profile, rows[name])
            assert "measured" in rows[name]["why"] or "1e-6" in rows[name]["why"], (profile, rows[name])
        assert {r["setting"] for r in s.deviations()} >= set(differ)
    assert LongCoTRLSettings.from_params("smol").temperature == REPORT["temperature"]
    assert REPORT["learning_rate"] == 1e-6 and REPORT["temperature"] == 0.6
    set_by_you = LongCoTRLSettings.from_params("gpu", rl_learning_rate=3e-6)
    row = next(r for r in set_by_you.report_comparison() if r["setting"] == "learning rate")
    assert row["why"] == "rl_learning_rate set by you"


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_grpo_config_built_for_every_profile(profile, tmp_path):
    """The GRPOConfig the stage constructs (not the settings object): the report's DAPO values on gpu and
    multi-gpu, the profile's own values on tiny and smol, and the optimizer-side choices."""
    from seedkit.longcot_rl.grpo import grpo_config

    s = LongCoTRLSettings.from_params(profile)
    cfg = grpo_config(s, output_dir=tmp_path, device="cpu")
    assert (cfg.beta, cfg.epsilon, cfg.epsilon_high, cfg.loss_type, cfg.scale_rewards) == (0.0, 0.2, 0.28, "dapo", "group")
    assert cfg.mask_truncated_completions is (profile != "tiny")
    assert (cfg.learning_rate, cfg.temperature) == (s.rl_learning_rate, s.temperature)
    if profile in ("gpu", "multi-gpu"):
        assert (cfg.learning_rate, cfg.temperature) == (1e-6, 0.6)
    else:  # the small profiles' learning rates differ, each with its reason (report_comparison)
        assert cfg.learning_rate != 1e-6
    assert (cfg.top_p, cfg.top_k, cfg.weight_decay, cfg.disable_dropout) == (1.0, 0, 0.0, True)
    assert cfg.num_generations == s.num_generations and cfg.max_completion_length == s.max_completion_lengths[0]
    assert cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps == s.rl_global_batch
    assert cfg.steps_per_generation == cfg.gradient_accumulation_steps * s.minibatches_per_rollout
    assert cfg.reward_weights == [s.execution_reward_weight, s.format_reward_weight, s.parse_reward_weight]
    assert cfg.max_steps == sum(s.rl_steps_per_length) and cfg.lr_scheduler_type == "constant"
    assert cfg.report_to in ("none", [], ["none"])
    # settings reach the config: a changed value is the config's value
    changed = grpo_config(s.replace(kl_beta=0.01, temperature=0.9, report_to="tensorboard"), output_dir=tmp_path,
                          device="cpu")
    assert (changed.beta, changed.temperature, changed.report_to) == (0.01, 0.9, ["tensorboard"])


def test_each_rounds_config_is_the_stages_with_its_budget_and_steps(tmp_path):
    from seedkit.longcot_rl.curriculum import plan_rounds
    from seedkit.longcot_rl.grpo import grpo_config, round_config

    s = LongCoTRLSettings.from_params("smol")
    cfg = grpo_config(s, output_dir=tmp_path, device="cpu")
    rounds = plan_rounds(s.max_completion_lengths, s.rl_steps_per_length, s.curriculum_interval_steps)
    got = [round_config(cfg, r, tmp_path / str(r.index)) for r in rounds]
    assert [(c.max_steps, c.max_completion_length, c.seed) for c in got] == [
        (r.steps, r.max_completion_length, s.seed + r.index) for r in rounds]
    for c in got:
        assert (c.learning_rate, c.temperature, c.epsilon_high, c.mask_truncated_completions) == (
            cfg.learning_rate, cfg.temperature, cfg.epsilon_high, cfg.mask_truncated_completions)
    assert cfg.max_steps == sum(s.rl_steps_per_length)  # the stage's config is left as it was


def test_reward_curve_intervals_are_over_problem_groups():
    from seedkit.longcot_rl.grpo import curve_summary, reward_curve

    rows = []
    for step, values in ((0, {"a": [0, 0], "b": [1, 1]}), (2, {"a": [1, 1], "b": [1, 1]}),
                         (4, {"c": [0.5, 0.5], "d": [0.5, 0.5]})):
        for task, vs in values.items():
            rows += [{"step": step, "task_id": task, "total": v, "rewards": {"execution_reward": v / 2}} for v in vs]
    curve = reward_curve(rows, window=2)
    assert [r["step"] for r in curve] == [0, 2, 4]
    assert [r["mean"] for r in curve] == [0.5, 1.0, 0.5]
    assert [(r["groups"], r["completions"]) for r in curve] == [(2, 4)] * 3
    assert (curve[0]["lo"], curve[0]["hi"]) == (0.0, 1.0)  # two groups, 0 and 1: the bootstrap spans both
    assert curve[1]["lo"] == curve[1]["hi"] == 1.0
    assert curve[1]["ma_mean"] == pytest.approx(0.75) and curve[1]["ma_groups"] == 4 and curve[1]["ma_batches"] == 2
    assert curve[2]["ma_mean"] == pytest.approx(0.75) and curve[2]["ma_batches"] == 2
    assert [r["mean"] for r in reward_curve(rows, window=1, key="execution_reward")] == [0.25, 0.5, 0.25]
    summary = curve_summary(curve)
    assert summary["intervals_overlap"] and summary["change"] == pytest.approx(0.25)
    assert reward_curve([], window=3) == [] and curve_summary([]) == {"batches": 0}


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



def _tiny_policy(tmp_path):
    from seedkit.models import load_model

    _fake_pretrained_run(tmp_path)
    return load_model("run:t/03_pretraining", device="cpu", dtype="float32", runs_dir=str(tmp_path), verbose=False)


@pytest.mark.slow
def test_grpo_steps_on_a_tiny_model_log_every_reward(tmp_path, monkeypatch, one_thread):
    from seedkit.longcot_rl.grpo import grpo_config, train_grpo

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    model, tok = _tiny_policy(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_completion_lengths=[16, 24], rl_steps_per_length=[2, 2],
                                      curriculum_interval_steps=2)
    problems = [dict(PROBLEM, task_id=f"fixture/add{i}") for i in range(4)]
    h = train_grpo(model, tok, problems, s, grpo_config(s, output_dir=tmp_path / "grpo", device="cpu"),
                   reward_functions(s)[0], output_dir=tmp_path / "grpo")
    assert [r["step"] for r in h.steps] == [0, 1, 2, 3]
    assert [r["max_completion_length"] for r in h.steps] == [16, 16, 24, 24]
    sampled = [r for r in h.steps if "reward" in r]  # a rollout of 16 completions feeds 2 steps
    assert [r["step"] for r in sampled] == [0, 2]
    for key in ("rewards/execution_reward/mean", "rewards/format_reward/mean", "rewards/parse_reward/mean",
                "pass_rate", "completions/mean_length", "completions/clipped_ratio", "reward_std",
                "frac_reward_zero_std"):
        assert all(key in r for r in sampled), key
    assert all("clip_ratio/high_mean" in r and "clip_ratio/low_mean" in r for r in h.steps)
    assert all(r["completions/mean_length"] <= r["max_completion_length"] for r in sampled)
    assert len(h.rollouts) == 2 * 2 * s.rl_global_batch and {r["step"] for r in h.rollouts} == {0, 2}
    assert all(set(r["rewards"]) == {"execution_reward", "format_reward", "parse_reward"} for r in h.rollouts)
    assert [c["pool_size"] for c in h.curriculum] == [4, 4]
    # what each round's trainer was given: the stage's values, the round's budget, the kit's rollouts
    assert [r["config"]["max_completion_length"] for r in h.rounds] == [16, 24]
    assert all(r["config"]["learning_rate"] == s.rl_learning_rate and r["config"]["temperature"] == s.temperature
               and r["config"]["weight_decay"] == 0.0 and r["rollouts"] == "kit" for r in h.rounds)


# ----------------------------------------------------------------------------- what moves the weights
#
# TRL logs ``reward_std`` as the spread of the whole batch's rewards. When it is 0 every group is flat,
# every advantage is 0 and the policy-gradient loss has an exactly zero gradient (beta = 0: no KL term).
# Weights can then still move through the optimizer alone: a weight decay (torch's AdamW defaults to
# 0.01; the stage's earlier optimizer used that default) shrinks them by (1 - lr * decay) every step, or
# Adam's momentum from an earlier step with spread carries them on. The tests below pin each case down
# with reward functions of known spread.


def _alternating(completions, **_):
    """0, 1, 0, 1, ...: every group of 4 holds two of each, whatever the model wrote (known spread)."""
    return [float(i % 2) for i in range(len(completions))]


def _constant(completions, **_):
    return [0.5] * len(completions)


def _one_grpo_step(tmp_path, reward, **cfg_changes):
    """One GRPO step (one rollout of 8 completions, 2 problems x 4) on a tiny model with ``reward``; returns
    (parameters before, model after, the step's log row)."""
    from seedkit.longcot_rl.grpo import grpo_config, train_grpo

    model, tok = _tiny_policy(tmp_path)
    s = LongCoTRLSettings.from_params("tiny", run_name="t", max_completion_lengths=[8], rl_steps_per_length=[1],
                                      minibatches_per_rollout=1, rl_learning_rate=1e-3)
    cfg = grpo_config(s, output_dir=tmp_path / "grpo", device="cpu")
    for k, v in cfg_changes.items():
        setattr(cfg, k, v)
    before = [p.detach().clone() for p in model.parameters()]
    cfg.reward_weights = [1.0]
    h = train_grpo(model, tok, [dict(PROBLEM, task_id=f"fixture/add{i}") for i in range(2)], s, cfg, [reward],
                   output_dir=tmp_path / "grpo")
    return before, model, h.steps[0]


@pytest.mark.slow
def test_weights_move_when_every_group_has_reward_spread(tmp_path, monkeypatch, one_thread):
    import torch

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    before, model, row = _one_grpo_step(tmp_path, _alternating)
    assert row["frac_reward_zero_std"] == 0.0
    assert row["reward_std"] == pytest.approx(float(torch.tensor([0.0, 1.0] * 4).std()))  # the batch's spread
    assert row["reward"] == pytest.approx(0.5)
    assert row["grad_norm"] > 0
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.slow
def test_no_reward_spread_means_zero_gradient_and_unmoved_weights(tmp_path, monkeypatch, one_thread):
    import torch

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    before, model, row = _one_grpo_step(tmp_path, _constant)
    assert row["reward_std"] == 0.0 and row["frac_reward_zero_std"] == 1.0
    assert row["grad_norm"] == 0.0 and row["loss"] == 0.0
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


@pytest.mark.slow
def test_with_a_weight_decay_flat_rewards_still_shrink_the_weights(tmp_path, monkeypatch, one_thread):
    """What an earlier version saw (weights moved while the logged reward_std was 0): the optimizer's weight
    decay, not the rewards. Every weight is scaled by exactly 1 - lr * decay."""
    import torch

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    before, model, row = _one_grpo_step(tmp_path, _constant, weight_decay=0.01)
    assert row["reward_std"] == 0.0 and row["grad_norm"] == 0.0
    after = list(model.parameters())
    assert any(not torch.equal(a, b) for a, b in zip(before, after, strict=True))
    shrink = 1 - 1e-3 * 0.01
    for a, b in zip(before, after, strict=True):
        torch.testing.assert_close(b.detach(), a * shrink, rtol=1e-6, atol=1e-9)


# ----------------------------------------------------------------------------- the stage


@pytest.mark.slow
def test_stage_end_to_end_on_a_fake_run(tmp_path, monkeypatch):
    from seedkit.longcot_rl.stage import WARMUP_LABEL, run_longcot_rl
    from seedkit.measure.effects import EFFECTS_DIR
    from seedkit.models import load_model
    from seedkit.runs import read_manifest

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    _fake_pretrained_run(tmp_path)
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
    assert m["reward_curve"]["batches"] == 2 and "line" in m["reward_curve"]
    assert any("learning rate" in d for d in m["deviations_from_report"])
    for d in ("warmup_data", "model", "warmup_model"):
        assert (path / d).is_dir(), d
    assert not (path / "checkpoints").exists()
    assert {f.name for f in (path / EFFECTS_DIR).glob("*.json")} >= {
        "03_pretraining.json", "03_pretraining_reasoning.json", f"{WARMUP_LABEL}.json", "06_longcot_rl.json"}
    assert res.summary["warmup_traces_kept"] == 24 and len(res.warmup_log) == 4
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
    _fake_pretrained_run(tmp_path)
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
    _fake_pretrained_run(tmp_path)
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
