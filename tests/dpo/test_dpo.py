"""Stage 05: pair construction from fixed answers and outcomes, the off-policy fallback, the DPO
reference-model handling with in-memory models, and the stage end to end on a scratch model."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
import torch

from seedkit.config import SettingsError
from seedkit.dpo.pairs import (
    JobSpec,
    PromptTask,
    SampleOutcome,
    build_all_pairs,
    build_pairs,
    close_fence,
    format_answer,
    score_answers,
    summarize,
    tasks_from_problems,
    tasks_from_sft_items,
)
from seedkit.dpo.settings import DPOSettings
from seedkit.problems import load_heldout, load_train_problems

TASK = PromptTask(task_id="t/0", source="train_problem", message="Write inc(x) returning x + 1.",
                  tests="def check(candidate):\n    assert candidate(1) == 2\n", entry_point="inc",
                  reference="def inc(x):\n    return x + 1\n")

PASS_A = SampleOutcome("```python\ndef inc(x):\n    return x + 1\n```", "passed")
PASS_B = SampleOutcome("```python\ndef inc(x):\n    return 1 + x\n```", "passed")
WRONG = SampleOutcome("```python\ndef inc(x):\n    return x + 2\n```", "failed", "AssertionError")
SYNTAX = SampleOutcome("```python\ndef inc(x)\n    return x + 1\n```", "error", "SyntaxError")
NAME_ERR = SampleOutcome("```python\ndef inc(x):\n    return y\n```", "error", "NameError")
EMPTY = SampleOutcome("I cannot help with that.", "no_code")


# --------------------------------------------------------------------------- pairs from fixed outcomes


def test_mixed_prompt_prefers_test_failures_over_syntax_errors():
    pairs, rec = build_pairs(TASK, [SYNTAX, PASS_A, WRONG, PASS_B], max_pairs=2)
    assert [(p["chosen"], p["rejected"]) for p in pairs] == [(PASS_A.answer, WRONG.answer), (PASS_B.answer, SYNTAX.answer)]
    assert [p["rejected_failure"] for p in pairs] == ["failed", "syntax:SyntaxError"]
    assert not any(p["off_policy"] for p in pairs)
    assert all(p["pass_rate"] == 0.5 and p["prompt"] == TASK.message and p["task_id"] == "t/0" for p in pairs)
    assert rec.outcome == "on_policy" and rec.num_pairs == 2 and rec.num_passed == 2 and rec.pass_rate == 0.5
    assert rec.failures == {"failed": 1, "syntax:SyntaxError": 1}


def test_max_pairs_caps_and_runtime_error_ranks_between_failed_and_syntax():
    pairs, _ = build_pairs(TASK, [EMPTY, SYNTAX, NAME_ERR, PASS_A], max_pairs=1)
    assert len(pairs) == 1 and pairs[0]["rejected_failure"] == "error:NameError"
    pairs, _ = build_pairs(TASK, [EMPTY, SYNTAX, NAME_ERR, PASS_A], max_pairs=5)
    assert [p["rejected_failure"] for p in pairs] == ["error:NameError", "syntax:SyntaxError", "no_code"]
    assert all(p["chosen"] == PASS_A.answer for p in pairs)  # one passing answer serves every pair


def test_all_pass_gives_no_pair():
    pairs, rec = build_pairs(TASK, [PASS_A, PASS_B, PASS_A])
    assert pairs == [] and rec.outcome == "all_pass" and rec.pass_rate == 1.0 and rec.failures == {}


def test_none_pass_without_fallback_gives_no_pair():
    pairs, rec = build_pairs(TASK, [WRONG, SYNTAX], off_policy_fallback=False)
    assert pairs == [] and rec.outcome == "none_pass_no_pair" and rec.pass_rate == 0.0


def test_none_pass_fallback_pairs_the_reference_and_flags_off_policy():
    pairs, rec = build_pairs(TASK, [SYNTAX, WRONG, SYNTAX], max_pairs=3)
    assert rec.outcome == "none_pass_off_policy" and rec.num_pairs == 2  # the repeated syntax error counts once
    assert all(p["off_policy"] for p in pairs)
    assert all(p["chosen"] == format_answer(TASK.reference) == "```python\ndef inc(x):\n    return x + 1\n```" for p in pairs)
    assert [p["rejected"] for p in pairs] == [WRONG.answer, SYNTAX.answer]


def test_fallback_has_its_own_cap():
    pairs, _ = build_pairs(TASK, [SYNTAX, WRONG, EMPTY], max_pairs=3, max_off_policy_pairs=1)
    assert [p["rejected"] for p in pairs] == [WRONG.answer]
    pairs, _ = build_pairs(TASK, [SYNTAX, WRONG, PASS_A, EMPTY], max_pairs=3, max_off_policy_pairs=1)
    assert len(pairs) == 3  # on-policy pairs are not capped by it


def test_fallback_needs_a_verified_reference():
    pairs, rec = build_pairs(TASK, [WRONG], reference_verified=False)
    assert pairs == [] and rec.outcome == "none_pass_no_pair" and rec.reference_verified is False


def test_duplicate_answers_are_paired_once():
    pairs, _ = build_pairs(TASK, [PASS_A, PASS_A, WRONG, WRONG], max_pairs=4)
    assert len(pairs) == 1


def test_close_fence_recloses_a_block_cut_by_the_stop_string():
    assert close_fence("Here:\n```python\ndef f():\n    return 1") == "Here:\n```python\ndef f():\n    return 1\n```"
    assert close_fence("```python\nx = 1\n```") == "```python\nx = 1\n```"
    assert close_fence("no code at all") == "no code at all"


def test_summary_says_why_pairs_are_off_policy():
    tasks = [TASK, PromptTask(**{**TASK.__dict__, "task_id": "t/1"})]
    pairs, recs = build_all_pairs(tasks, [[WRONG, SYNTAX], [EMPTY, EMPTY]], max_pairs=2)
    s = summarize(pairs, recs)
    assert s["pairs"] == 3 and s["pairs_off_policy"] == 3 and s["pairs_on_policy"] == 0
    assert s["prompt_outcomes"]["none_pass_off_policy"] == 2
    assert s["sample_failures"] == {"failed": 1, "syntax:SyntaxError": 1, "no_code": 2}
    assert s["why"].startswith("all 3 pairs are off-policy: none of the 4 sampled answers passed")


# --------------------------------------------------------------------------- scoring with a fake runner


@dataclass
class FakeResult:
    status: str
    error_type: str | None = None
    stderr_tail: str = ""


def exec_runner(specs: list[JobSpec]) -> list[FakeResult]:
    """Runs each program and its check() in-process: enough for the fixed programs of these tests."""
    out = []
    for s in specs:
        ns: dict = {}
        try:
            exec(compile(s.program, "<program>", "exec"), ns)
            exec(s.tests, ns)
            if s.entry_point:
                ns["check"](ns[s.entry_point])
            out.append(FakeResult("passed"))
        except AssertionError:
            out.append(FakeResult("failed", "AssertionError"))
        except Exception as e:  # noqa: BLE001 - the point is to classify any error
            out.append(FakeResult("error", type(e).__name__))
    return out


def test_score_answers_builds_programs_and_skips_answers_without_code():
    problem = next(p for p in load_train_problems() if p.entry_point == "add_three")
    task = tasks_from_problems([problem])[0]
    assert problem.prompt.rstrip() in task.message
    seen: list[JobSpec] = []

    def runner(specs):
        seen.extend(specs)
        return exec_runner(specs)

    answers = [[
        "```python\ndef add_three(a, b, c):\n    return a + b + c\n```",
        "```python\ndef add_three(a, b, c):\n    return a * b * c\n```",
        "Sure! Here you go.",
        "```python\ndef add_three(a, b, c)\n    return a + b + c\n```",
    ]]
    outs = score_answers([task], answers, run_jobs=runner)[0]
    assert [o.failure for o in outs] == ["passed", "failed", "no_code", "syntax:SyntaxError"]
    assert len(seen) == 3 and all(s.entry_point == "add_three" and s.program.startswith(problem.prompt) for s in seen)


def test_sft_items_only_held_for_dpo_and_verified():
    rows = [
        dict(id="a", instruction="i", solution="def f():\n    return 1\n", tests="assert f() == 1", entry_point="",
             verified=True, split="held_for_dpo"),
        dict(id="b", instruction="i", solution="s", tests="t", entry_point="f", verified=True, split="sft"),
        dict(id="c", instruction="i", solution="s", tests="t", entry_point="f", verified=False, split="held_for_dpo"),
    ]
    rows.append(dict(id="d", instruction="i", solution="def f():\n    return 1\n", entry_point="f", verified=True,
                     split="held_for_dpo", tests="def check(candidate):\n    assert candidate() == 1\n"))
    rows[0]["entry_point"] = "f"  # stage 04 names the function but verifies with plain asserts
    tasks = tasks_from_sft_items(rows)
    assert [t.task_id for t in tasks] == ["sft/a", "sft/d"]
    assert tasks[0].entry_point is None and tasks[1].entry_point == "f"
    assert exec_runner([JobSpec(tasks[0].reference, tasks[0].tests, "python", None, 1.0)])[0].status == "passed"


# --------------------------------------------------------------------------- the kit's training problems


def test_train_problems_are_valid_and_disjoint_from_heldout():
    train = load_train_problems()
    assert len(train) >= 30 and all(p.language == "python" and p.task_id.startswith("seedkit/train/") for p in train)
    assert all(r.status == "passed" for r in exec_runner(
        [JobSpec(p.reference, p.tests, "python", p.entry_point, 5.0) for p in train]))
    try:
        held = load_heldout()
    except FileNotFoundError:
        pytest.skip("heldout.jsonl not written yet")
    assert not {p.entry_point for p in train} & {p.entry_point for p in held}
    assert not {p.instruction for p in train} & {p.instruction for p in held}


def test_settings_reject_a_single_sample():
    with pytest.raises(SettingsError, match="samples_per_prompt"):
        DPOSettings.from_params("tiny", samples_per_prompt=1)
    with pytest.raises(SettingsError, match="heldout_prompt_fraction"):
        DPOSettings.from_params("tiny", heldout_prompt_fraction=1.0)
    s = DPOSettings.from_params("tiny", run_name="r")
    assert s.finetune_method == "full" and s.resolved_policy_model() == "run:r/04_sft"
    assert (s.eval_set, s.eval_limit, s.eval_samples) == ("basic", 6, 2) and not hasattr(s, "eval_problems")
    rows = DPOSettings.from_params("gpu").report_comparison()
    assert all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    assert {r["setting"]: r for r in rows}["training"]["kit"].startswith("TRL DPO, QLoRA")


def test_preference_effect_from_log_probabilities():
    from seedkit.dpo.effect import preference_effect

    pairs = [{"task_id": "a"}, {"task_id": "a"}, {"task_id": "b"}, {"task_id": "c"}]
    before = [(-10.0, -9.0), (-10.0, -12.0), (-5.0, -5.0), (-8.0, -7.0)]  # parent prefers chosen in 1, ties 1
    after = [(-9.0, -9.5), (-9.0, -12.5), (-4.0, -5.5), (-8.5, -7.0)]  # child: 3 of 4, one implicit margin < 0
    eff = preference_effect(pairs, before, after, beta=0.1, child="05_dpo", parent="04_sft", print_fn=None)
    assert (eff["n_pairs"], eff["n_prompts"]) == (4, 3)
    # per prompt: before a 0.5, b 0.5 (tie), c 0 -> 1/3; after a 1, b 1, c 0 -> 2/3
    assert eff["before"]["mean"] == pytest.approx(1 / 3) and eff["after"]["mean"] == pytest.approx(2 / 3)
    assert eff["difference"]["mean"] == pytest.approx(1 / 3) and eff["difference"]["n_problems"] == 3
    # implicit margins 0.1 x (change of chosen - change of rejected): +0.15, +0.15, +0.15, -0.05
    assert eff["implicit_reward_accuracy"]["mean"] == pytest.approx(2 / 3)
    assert eff["implicit_margin"]["mean"] == pytest.approx((0.15 + 0.15 - 0.05) / 3)
    assert preference_effect([], [], [], beta=0.1, child="c", parent="p", print_fn=None)["n_pairs"] == 0


# --------------------------------------------------------------------------- DPO with in-memory models

TEXTS = ["def add(a, b):\n    return a + b\n", "```python\ndef inc(x):\n    return x + 1\n```\n"] * 20
TINY = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=256)


def _tiny_model():
    from seedkit.models import load_model

    return load_model("scratch", scratch_config=TINY, tokenizer_texts=TEXTS, device="cpu", dtype="float32",
                      verbose=False)


def _pairs(n=4):
    pairs, _ = build_pairs(TASK, [WRONG, SYNTAX, NAME_ERR, EMPTY], max_pairs=4)
    return pairs[:n]


@pytest.mark.slow
@pytest.mark.parametrize("method", ["full", "lora"])
def test_dpo_trains_an_in_memory_model(tmp_path, method):
    from seedkit.dpo.stage import train_dpo

    model, tok = _tiny_model()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    settings = DPOSettings.from_params("tiny", finetune_method=method, max_steps=3, learning_rate=1e-2,
                                       global_batch_size=2, per_device_batch_max=2)
    trained, logs, how = train_dpo(model, tok, _pairs(), settings, tmp_path / "out", verbose=False)
    margins = [r["rewards/margins"] for r in logs if "rewards/margins" in r]
    assert len(margins) == 3
    assert margins[0] == pytest.approx(0.0, abs=1e-5)  # step 1: policy == reference
    if method == "full":
        assert "frozen in-memory copy" in how
        assert any(not torch.equal(before[n], p) for n, p in trained.named_parameters())
    else:
        assert "adapter switched off" in how and hasattr(trained, "peft_config")
        with trained.disable_adapter():  # the base (= reference) is untouched
            base = dict(trained.get_base_model().named_parameters())
            assert all(torch.equal(before[n], base[n]) for n in before if n in base)


# --------------------------------------------------------------------------- the stage end to end


def _fake_sft_run(runs_dir, run_name="r"):
    from datasets import Dataset

    from seedkit.models import save_model
    from seedkit.runs import StageRun

    settings = DPOSettings.from_params("tiny", run_name=run_name, runs_dir=str(runs_dir))
    stage = StageRun(settings, stage="04_sft")
    stage.start({})
    model, tok = _tiny_model()
    save_model(model, tok, stage.path / "model")
    trained_on = load_train_problems()[0]
    stage.save_dataset("data", Dataset.from_list([
        dict(id="x1", source="seed", style="plain", instruction="Write f() returning 1.",
             solution="def f():\n    return 1\n", tests="def check(candidate):\n    assert candidate() == 1\n",
             entry_point="f", judge_score=8.0, verified=True, attempts=1, split="held_for_dpo"),
        dict(id="x2", source="seed", style="plain", instruction="Write g().", solution="def g():\n    return 2\n",
             tests="assert g() == 2", entry_point="", judge_score=8.0, verified=True, attempts=1, split="sft"),
        dict(id=trained_on.task_id, source="train_problem", style="evaluation_format", instruction="...",
             solution=trained_on.reference, tests=trained_on.tests, entry_point=trained_on.entry_point,
             judge_score=None, verified=True, attempts=1, split="sft"),
    ]))
    stage.finish()


@pytest.mark.slow
def test_run_dpo_tiny_end_to_end_with_off_policy_pairs(tmp_path, monkeypatch):
    from seedkit.dpo import stage as dpo
    from seedkit.models import load_model
    from seedkit.runs import read_manifest

    _fake_sft_run(tmp_path)
    settings = DPOSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path), max_prompts=8, max_steps=2,
                                       heldout_prompt_fraction=0.25)
    result = dpo.run_dpo(settings, run_jobs=exec_runner)
    assert result.trained and not result.skipped
    assert result.summary["prompts"] == 8 and result.summary["pairs"] > 0
    assert result.summary["pairs_on_policy"] == 0 and "off-policy" in result.summary["why"]
    assert {p["task_id"] for p in result.pairs} >= {"sft/x1"}  # held-back item first, then kit problems
    # a training problem stage 04 trained on is never a DPO prompt
    assert load_train_problems()[0].task_id not in {p["task_id"] for p in result.prompts}
    assert all(p["off_policy"] for p in result.pairs)
    # two of the eight prompts are held out: their pairs are measured on, never trained on
    held = {p["task_id"] for p in result.prompts if p["split"] == "heldout"}
    assert len(held) == 2 and {p["split"] for p in result.pairs if p["task_id"] in held} <= {"heldout"}
    assert result.summary["train_pairs"] + result.summary["heldout_pairs"] == result.summary["pairs"]
    assert len(result.prompts) == 8 and "rewards/margins" in result.curves()
    metrics = json.loads((tmp_path / "r" / "05_dpo" / "metrics.json").read_text())
    assert metrics["train_steps"] == 2 and "frozen in-memory copy" in metrics["reference_model"]
    assert metrics["train_pairs"] == result.summary["train_pairs"]
    m = read_manifest(tmp_path / "r" / "05_dpo")["metrics"]
    assert m["parent_model"] == "run:r/04_sft" == result.parent_model
    assert (m["effect"]["parent"], m["effect"]["child"], m["effect"]["n_problems"]) == ("04_sft", "05_dpo", 6)
    pref = m["preference_effect"]
    assert pref["n_pairs"] == result.summary["heldout_pairs"] and pref["implicit_reward_accuracy"]["before"] == 0.5
    assert 0.0 <= pref["after"]["mean"] <= 1.0
    model, _ = load_model("run:r/05_dpo", runs_dir=tmp_path, verbose=False)  # what stages 06/07 do
    assert type(model).__name__ == "LlamaForCausalLM"
    again = dpo.run_dpo(settings, run_jobs=exec_runner)  # manifest current: read back, not redone
    assert again.skipped and again.pairs == result.pairs


@pytest.mark.slow
def test_dpo_continues_a_loaded_adapter_against_its_frozen_copy(tmp_path):
    """A stage-04 adapter kept unmerged (the QLoRA path): TRL's 'ref' copy is the reference, the
    trained adapter is saved against stage 04's own base (not on top of stage 04 again)."""
    from peft import PeftModel

    from seedkit.dpo.stage import adapter_base_spec, train_dpo
    from seedkit.models import LoraOptions, load_model, save_model

    base, tok = _tiny_model()
    base_dir = save_model(base, tok, tmp_path / "base")
    sft, tok = load_model(str(base_dir), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
    sft_dir = save_model(sft, tok, tmp_path / "sft")
    fresh, tok = load_model(str(base_dir), verbose=False)
    model = PeftModel.from_pretrained(fresh, str(sft_dir))  # frozen, as load_model leaves a 4-bit adapter
    settings = DPOSettings.from_params("tiny", finetune_method="qlora", max_steps=2, learning_rate=1e-2,
                                       global_batch_size=2, per_device_batch_max=2)
    trained, logs, how = train_dpo(model, tok, _pairs(), settings, tmp_path / "out", verbose=False)
    assert "'ref' adapter" in how and len([r for r in logs if "rewards/margins" in r]) == 2
    ref = {n: p for n, p in trained.named_parameters() if ".ref." in n}
    default = {n.replace(".ref.", ".default."): p for n, p in ref.items()}
    assert ref and any(not torch.equal(p, dict(trained.named_parameters())[n]) for n, p in default.items())
    assert adapter_base_spec(trained, str(sft_dir)) == str(base_dir.resolve())
    assert "ref" not in trained.peft_config


def test_sampler_server_needs_the_served_model_name():
    import pytest as _pytest

    from seedkit.config import SettingsError
    from seedkit.dpo.settings import DPOSettings

    with _pytest.raises(SettingsError, match="server_model"):
        DPOSettings.from_params("tiny", sampler_server_url="http://127.0.0.1:8000/v1")
    s = DPOSettings.from_params("tiny", sampler_server_url="http://127.0.0.1:8000/v1", server_model="sft")
    assert s.sampler_server_url.endswith("/v1") and s.server_model == "sft"


def test_the_notebook_builds_the_same_dpo_config_as_the_stage(tmp_path):
    """The DPOConfig written out argument by argument in notebook 05 equals what run_dpo trains with."""
    from seedkit.config import NOTEBOOKS
    from seedkit.dpo import stage as dpo

    _fake_sft_run(tmp_path)
    text = (NOTEBOOKS / "05_dpo.py").read_text(encoding="utf-8")
    cell = next(c.split("\n", 1)[1] for c in text.split("\n# %%") if c.split("\n", 1)[-1].startswith("from trl import"))
    for kw in ({}, {"max_steps": 0, "report_to": "tensorboard", "beta": 0.3}):
        s = DPOSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path), **kw)
        st = dpo.begin(s)
        ns = {"settings": s, "stage": st}
        exec(cell, ns)
        got, want = ns["config"].to_dict(), dpo.training_config(st).to_dict()
        assert got == want, {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        assert ns["config"].beta == s.beta
        st.close()
