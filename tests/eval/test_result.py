"""Stage 07's table: the family of a run's comparisons, adjusted together (Holm), beside each interval."""

from __future__ import annotations

from pathlib import Path

from seedkit.eval.report import markdown_rows
from seedkit.eval.result import EvalStageResult, ModelPlan
from seedkit.measure.counts import PassCounts, ProblemCounts


def counts(label: str, solved: list[int], n: int = 5) -> PassCounts:
    return PassCounts(label=label, model_spec=label, model_identity=f"id-{label}", prompt_format="chat",
                      prompt_format_reason="", evidence={"eval_set": "basic", "eval_samples": n},
                      problems={f"t{i}": ProblemCounts(n, c, syntax_ok=n, entry_point_defined=n,
                                                       tests_passed_fraction=c / n) for i, c in enumerate(solved)})


def chain(child_solved: dict[str, list[int]]) -> EvalStageResult:
    """A base and children that each differ from the base by what ``child_solved`` says."""
    base = [2] * 40
    plans = [ModelPlan("base", "base", None, "root")]
    by = {"base": counts("base", base)}
    for label, solved in child_solved.items():
        plans.append(ModelPlan(label, label, "base", "child"))
        by[label] = counts(label, solved)
    return EvalStageResult(path=Path("."), plans=plans, counts={"basic": by})


def test_a_lone_barely_resolved_difference_is_not_resolved_among_six():
    barely = [3] * 7 + [1] * 1 + [2] * 32  # 7 problems one sample better, 1 worse: p about 0.03
    flat = [2] * 40
    alone = chain({"a": barely})
    assert alone.difference("a", "basic").resolved
    assert alone.family_verdicts("basic") == {"a": True}
    six = chain({"a": barely, "b": flat, "c": flat, "d": flat, "e": flat, "f": flat})
    verdicts = six.family_verdicts("basic")
    assert set(verdicts) == {"a", "b", "c", "d", "e", "f"} and not verdicts["a"]
    row = next(r for r in six.rows() if r["model"] == "a")
    assert row["resolved"] is True and row["resolved_in_family"] is False and row["family_size"] == 6
    assert row["detectable_80"] > row["noise_floor"] > 0
    line = next(x for x in six.difference_lines() if x.startswith("basic: a - base"))
    assert "over the run's 6 comparisons (Holm): not resolved" in line
    table = markdown_rows(six)
    assert "resolved over the run (Holm)" in table and "detected 80% of the time" in table


def test_a_large_difference_stays_resolved_over_the_family():
    big = [5] * 40
    flat = [2] * 40
    result = chain({"a": big, "b": flat, "c": flat})
    assert result.family_verdicts("basic") == {"a": True, "b": False, "c": False}


def test_the_chain_ends_against_its_root_each_post_trained_model_adjusted_over_its_own_family():
    base = counts("base", [2] * 40)
    sft, dpo, rl = counts("04_sft", [3] * 40), counts("05_dpo", [5] * 40), counts("06_longcot_rl", [0] * 40)
    plans = [ModelPlan("base", "base", None, "root"), ModelPlan("03_pretraining", "p", "base", "cpt"),
             ModelPlan("04_sft", "s", "03_pretraining", "sft"), ModelPlan("05_dpo", "d", "04_sft", "dpo"),
             ModelPlan("06_longcot_rl", "r", "03_pretraining", "rl")]
    result = EvalStageResult(path=Path("."), plans=plans, counts={"basic": {
        "base": base, "03_pretraining": counts("03_pretraining", [2] * 40), "04_sft": sft, "05_dpo": dpo,
        "06_longcot_rl": rl}})
    diffs = result.against_root("basic")
    assert set(diffs) == {"04_sft", "05_dpo", "06_longcot_rl"}  # 03 (not post-trained) is not compared
    assert diffs["05_dpo"].mean == 0.6 and diffs["06_longcot_rl"].mean == -0.4
    lines = result.against_root_lines()
    assert lines[1].startswith("basic: 05_dpo - base, each in its own format (chat vs chat): +0.60")
    assert "over the 3 comparisons with base (Holm): resolved" in lines[1]
    assert lines[-1] == ("basic: against base: 06_longcot_rl resolved below it; the best, 05_dpo, "
                         "+0.60 [+0.60, +0.60], resolved above it")
    assert result.metrics()["against_root"]["basic"]["06_longcot_rl"]["resolved_in_family"] is True
    flat = EvalStageResult(path=Path("."), plans=plans[:3], counts={"basic": {"base": base, "04_sft": base}})
    assert flat.against_root_lines()[-1].endswith("none resolved below it; the best, 04_sft, +0.00 [+0.00, +0.00], "
                                                  "not resolved above it")
