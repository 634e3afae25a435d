"""seedkit.measure.harness: samples scored in the sandbox, and models (scripted, tiny) evaluated on problems."""

from __future__ import annotations

import json

import pytest

from fixtures.eval_models import ScriptedChat, ScriptedInProcess, tiny_generator
from seedkit.measure.harness import (
    EvalReport,
    canonical_samples,
    evaluate_model_on_problems,
    score_samples,
)
from seedkit.problems import (
    Problem,
    load_heldout,
    load_humaneval,
)

STATUSES = {"passed", "failed", "timeout", "memory", "error", "skipped"}


def _stub(p: Problem) -> str:
    """A completion that returns nothing useful: every problem's tests must reject it."""
    return "    return None\n" if p.language == "python" else "  return undefined;\n}\n"


def test_every_heldout_reference_passes_and_a_stub_fails():
    probs = load_heldout()
    refs = score_samples(canonical_samples(probs), probs, progress=False)
    not_passed = [(s.task_id, s.status, s.stderr_tail[-200:]) for s in refs.samples if s.status != "passed"]
    assert not_passed == []
    assert refs.pass_at_1 == 1.0
    stubs = score_samples([{"task_id": p.task_id, "completion": _stub(p)} for p in probs], probs, progress=False)
    passed = [s.task_id for s in stubs.samples if s.status == "passed"]
    assert passed == []
    assert stubs.pass_at_1 == 0.0


def test_humaneval_canonical_solutions_score_one_and_broken_ones_zero():
    probs = load_humaneval(6)
    good = score_samples(canonical_samples(probs), probs, ks=[1], progress=False)
    assert good.pass_at_k() == {"pass@1": 1.0}
    assert [s.status for s in good.samples] == ["passed"] * 6
    broken = [{"task_id": p.task_id, "completion": "    return None\n"} for p in probs]
    bad = score_samples(broken, probs, progress=False)
    assert bad.pass_at_k() == {"pass@1": 0.0}
    syntax = score_samples([{"task_id": probs[0].task_id, "completion": "    return (\n"}], probs, progress=False)
    assert (syntax.samples[0].status, syntax.samples[0].error_type) == ("error", "SyntaxError")


def test_score_samples_with_several_samples_per_problem():
    probs = load_humaneval(2)
    canon = canonical_samples(probs)
    rows = [canon[0], {"task_id": probs[0].task_id, "completion": "    return None\n"},
            canon[1], canon[1]]
    rep = score_samples(rows, probs, ks=[1, 2], progress=False)
    assert rep.per_problem() == {"HumanEval/0": (2, 1), "HumanEval/1": (2, 2)}
    assert rep.pass_at_k() == {"pass@1": 0.75, "pass@2": 1.0}
    assert [s.completion_id for s in rep.samples] == [0, 1, 0, 1]
    with pytest.raises(ValueError, match="not in the problem set"):
        score_samples([{"task_id": "HumanEval/99", "completion": ""}], probs, progress=False)


def test_evaluate_with_a_scripted_chat_model():
    probs = [load_heldout("python")[0], load_heldout("javascript")[0]]
    py_ref = probs[0].reference
    answers = {probs[0].entry_point: f"Here you go:\n```python\n{py_ref}```\nHope it helps.",
               probs[1].entry_point: "```js\nfunction " + probs[1].entry_point + "() { return 0; }\n```"}
    gen = ScriptedChat(answers)
    rep = evaluate_model_on_problems(gen, probs, progress=False, verbose=False)
    assert rep.prompt_format == "chat"
    assert gen.calls == [2]  # every problem, both languages, in one call (the generator batches)
    assert [s.status for s in rep.samples][0] == "passed"
    assert rep.samples[1].status in ("failed", "error") and rep.samples[1].language == "javascript"
    assert rep.pass_at_1 == 0.5
    assert rep.samples[0].raw.startswith("Here you go")


def test_chat_answers_are_primed_with_a_code_fence():
    prob = load_heldout("python")[1]
    code_after_fence = prob.reference.rstrip("\n")  # what the model writes after "```python\n"
    gen = ScriptedInProcess(code_after_fence)
    rep = evaluate_model_on_problems(gen, [prob], progress=False, verbose=False)
    assert gen.prompts[0].endswith("<assistant>```python\n")
    assert gen.stops == [["\n```"]]
    assert rep.samples[0].raw == "```python\n" + code_after_fence + "\n```"
    assert rep.pass_at_1 == 1.0
    assert "primed" in rep.prompt_format_reason


@pytest.mark.slow
def test_tiny_random_model_end_to_end(tmp_path, one_thread):
    import torch

    probs = load_humaneval(2)
    gen = tiny_generator(probs)
    rep = evaluate_model_on_problems(gen, probs, max_new_tokens=8, progress=False, verbose=False)
    assert rep.prompt_format == "completion"
    assert rep.task_ids == ["HumanEval/0", "HumanEval/1"]
    assert [(s.task_id, s.completion_id) for s in rep.samples] == [("HumanEval/0", 0), ("HumanEval/1", 0)]
    assert all(s.status in STATUSES and s.status != "passed" for s in rep.samples)
    assert rep.pass_at_k() == {"pass@1": 0.0}
    paths = rep.save(tmp_path, "scratch")
    samples = [json.loads(x) for x in paths["samples"].read_text().splitlines()]
    assert [sorted(s) for s in samples] == [["completion", "raw", "task_id"]] * 2
    assert len(paths["results"].read_text().splitlines()) == 2
    back = EvalReport.load(tmp_path, "scratch")
    assert back.pass_at_k() == rep.pass_at_k()
    assert [(s.task_id, s.status, s.completion, s.raw) for s in back.samples] == [
        (s.task_id, s.status, s.completion, s.raw) for s in rep.samples]
    # sampled: n=2 per problem
    torch.manual_seed(0)
    rep2 = evaluate_model_on_problems(gen, probs, n=2, temperature=1.0, max_new_tokens=4, ks=[1, 2],
                                      progress=False, verbose=False)
    assert rep2.per_problem() == {"HumanEval/0": (2, 0), "HumanEval/1": (2, 0)}
    assert rep2.pass_at_k() == {"pass@1": 0.0, "pass@2": 0.0}
    with pytest.raises(ValueError, match="temperature"):
        evaluate_model_on_problems(gen, probs, n=2, temperature=0.0, progress=False, verbose=False)
