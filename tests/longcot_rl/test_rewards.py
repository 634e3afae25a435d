"""seedkit.longcot_rl.rewards: the format, parse and execution rewards on fixed completions, as TRL calls them."""

from __future__ import annotations

import pytest

from fixtures.longcot_rl import (
    CORRECT,
    LOOP_AT_IMPORT,
    NO_CODE,
    SYNTAX_ERROR,
    TIMEOUT,
    WRONG,
    snippets,
)
from fixtures.notebook_cells import notebook_cell
from seedkit.formats import parse_trace
from seedkit.longcot_rl.rewards import (
    RolloutLog,
    answer_layouts,
    execution_outcomes,
    format_score,
    layout_line,
    parse_score,
    reward_functions,
)
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.problems import split_check_tests


def test_format_score_on_fixed_completions():
    assert format_score(CORRECT) == 1.0
    assert format_score(CORRECT + "Some chatter after the code.") == 0.75  # no clean end
    assert format_score("```python\ndef add(a, b):\n    return a + b\n```") == 0.125  # a fence, no thinking
    assert format_score("<think>\nhmm") == 0.25  # opened only
    assert format_score("random text </think> more") == 0.125  # stray closing tag
    assert format_score("") == 0.0
    assert format_score(NO_CODE) == 0.5
    assert format_score("<think>\nok\n</think>\n```python\ndef f():") == 0.625  # cut-off block


def test_answer_layouts_read_each_models_samples(tmp_path):
    """The share of a measurement's answers in the complete layout, from its samples file as generated;
    a model without a samples file is left out, not counted as 0."""
    import json

    whole = "<think>\nadd\n</think>\n```python\ndef f(a):\n    return a\n```"
    code_only = "<think>\n```python\ndef f(a):\n    return a\n```"
    rows = {"parent_reasoning": [code_only] * 3 + [whole], "warm": [whole] * 4}
    for label, texts in rows.items():
        (tmp_path / f"samples_{label}.jsonl").write_text(
            "".join(json.dumps({"task_id": "t", "completion": "", "raw": t}) + "\n" for t in texts))
    out = answer_layouts(tmp_path, ["parent_reasoning", "warm", "never_measured"])
    assert out["parent_reasoning"]["complete"] == 0.25 and out["warm"] == {"answers": 4, "complete": 1.0, "format": 1.0}
    assert 0.25 < out["parent_reasoning"]["format"] < 1.0 and "never_measured" not in out
    assert layout_line(out) == ("answers in the complete reasoning layout: parent_reasoning 0.25 of 4, "
                                "warm 1.00 of 4")


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
