"""Stage 04: seeds, docstring mining, each filter, the verification loop, the stage end to end (tiny)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fixtures.notebook_cells import notebook_cell
from seedkit.sft import docstrings, filters, judge, seeds, synthesis, verify
from seedkit.sft.settings import SFTSettings
from seedkit.sft.synthesis import SFTItem

GOOD_FILE = '''"""Geometry helpers."""
import math
from collections import Counter

SCALE = 2


def circle_area(radius):
    """Return the area of a circle with the given radius.

    >>> round(circle_area(1), 2)
    3.14
    >>> circle_area(0)
    0.0
    """
    area = math.pi * radius * radius
    return area


def letter_counts(text):
    """Count how often each letter occurs in text.

    >>> letter_counts("aab")["a"]
    2
    """
    counts = Counter(c for c in text if c.isalpha())
    return dict(counts)


def scaled(x):
    """Multiply x by the module scale factor."""
    y = x * SCALE
    return y


def clamp_int(value, low, high):
    """Limit value to the closed range from low to high."""
    if value < low:
        return low
    return min(value, high)


def _private(x):
    """A private helper nobody should learn from."""
    return x


class Stack:
    """A last-in first-out stack."""

    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)
'''

BROKEN_FILE = "def broken(:\n    return 1\n"


def scored_rows() -> list[dict[str, Any]]:
    return [
        {"id": "a", "repo": "geo", "path": "geo/shapes.py", "language": "python", "content": GOOD_FILE,
         "quality_score": 8.5, "size_bytes": len(GOOD_FILE), "num_lines": GOOD_FILE.count("\n"), "source": "repos"},
        {"id": "b", "repo": "bad", "path": "bad/broken.py", "language": "python", "content": BROKEN_FILE,
         "quality_score": 9.0, "size_bytes": 20, "num_lines": 2, "source": "repos"},
        {"id": "c", "repo": "web", "path": "web/app.js", "language": "javascript",
         "content": "function add(a, b) {\n  return a + b;\n}\n", "quality_score": 9.5,
         "size_bytes": 30, "num_lines": 3, "source": "repos"},
        {"id": "d", "repo": "low", "path": "low/util.py", "language": "python",
         "content": "def tiny_fn(a):\n    b = a + 1\n    c = b * 2\n    return c\n", "quality_score": 1.0,
         "size_bytes": 40, "num_lines": 4, "source": "repos"},
    ]


class ScriptedGenerator:
    """Returns fixed texts in order, one per conversation, and records what it was asked."""

    name = "scripted"

    def __init__(self, texts: list[str]):
        self.texts = list(texts)
        self.calls: list[list[list[dict[str, str]]]] = []

    def chat(self, conversations, **kw):
        self.calls.append(list(conversations))
        out = []
        for _ in conversations:
            out.append([self.texts.pop(0) if self.texts else ""])
        return out


@dataclass
class FakeResult:
    status: str
    error_type: str | None = None
    stderr_tail: str = ""
    stdout_tail: str = ""


def exec_runner(jobs, workers=None, progress=False):
    """Test double of seedkit.sandbox.run_jobs: exec in-process (trusted, fixed texts only)."""
    out = []
    for job in jobs:
        ns: dict[str, Any] = {}
        try:
            exec(job.program, ns)
            for t in (job.tests if isinstance(job.tests, list) else [job.tests]):
                exec(t, ns)
            out.append(FakeResult("passed"))
        except AssertionError:
            out.append(FakeResult("failed", "AssertionError", "AssertionError"))
        except Exception as e:  # noqa: BLE001 - the verdict is the point
            out.append(FakeResult("error", type(e).__name__, f"{type(e).__name__}: {e}"))
    return out


def item(**kw: Any) -> SFTItem:
    base = dict(id="x", source="generated", style="concise",
                instruction="Write a function add(a, b) returning the sum.",
                solution="def add(a, b):\n    return a + b\n", tests="assert add(1, 2) == 3", entry_point="add")
    base.update(kw)
    return SFTItem(**base)


# --------------------------------------------------------------------------- settings


def test_settings_profiles_and_validation():
    tiny = SFTSettings.from_params("tiny", run_name="r1")
    assert tiny.resolved_base_model() == "run:r1/03_pretraining"
    assert tiny.resolved_generator() == "run:r1/03_pretraining"
    assert tiny.finetune_method == "full" and tiny.judge_filter == "auto"
    smol = SFTSettings.from_params("smol", run_name="r1")
    # the chain: SFT starts from this run's stage-03 model on every profile; SmolLM2 writes the data
    assert smol.resolved_base_model() == "run:r1/03_pretraining" and smol.finetune_method == "lora"
    assert smol.resolved_generator() == "smollm2-135m-instruct"
    gpu = SFTSettings.from_params("gpu")
    assert (gpu.finetune_method, gpu.judge_filter, gpu.judge_min_difficulty) == ("qlora", "threshold", 3.0)
    multi = SFTSettings.from_params("multi-gpu")
    assert (multi.finetune_method, multi.judge_filter, multi.max_length) == ("full", "threshold", 2048)
    # the shared evidence fields, not per-stage copies
    assert (tiny.eval_set, tiny.eval_limit, tiny.eval_samples) == ("basic", 6, 2)
    assert not hasattr(tiny, "eval_problems")
    from seedkit.config import SettingsError

    with pytest.raises(SettingsError, match="held_for_dpo_fraction"):
        SFTSettings.from_params("smol", held_for_dpo_fraction=1.5)
    with pytest.raises(SettingsError, match="max_correction_rounds"):
        SFTSettings.from_params("smol", max_correction_rounds=-1)
    with pytest.raises(SettingsError, match="server_model"):
        SFTSettings.from_params("smol", generator="http://127.0.0.1:8000/v1")


def test_report_comparison_rows_per_profile():
    rows = SFTSettings.from_params("gpu").report_comparison()
    assert all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    assert by["difficulty filter"]["kit"] == "drop difficulty < 3" and by["difficulty filter"]["why"] == "same"
    smol = {r["setting"]: r for r in SFTSettings.from_params("smol").report_comparison()}
    assert "measure" in smol["difficulty filter"]["kit"] and smol["difficulty filter"]["why"] != "same"
    assert smol["training"]["kit"].startswith("LoRA r=16")


# --------------------------------------------------------------------------- seeds


def test_extract_snippets_cuts_public_functions_and_classes():
    snips = seeds.extract_snippets(GOOD_FILE, min_lines=3, max_lines=60)
    assert [s.name for s in snips] == ["circle_area", "letter_counts", "scaled", "clamp_int", "Stack"]
    assert snips[-1].kind == "class" and snips[-1].code.startswith("class Stack:")
    assert seeds.extract_snippets(BROKEN_FILE) == []


def test_select_code_seeds_orders_by_score_and_counts_skips():
    got, counts = seeds.select_code_seeds(scored_rows(), num_seeds=3, min_quality=2.0)
    assert counts == {"files": 4, "not_python": 1, "below_min_quality": 1, "no_snippet": 1, "snippets": 5}
    assert [s.origin for s in got] == ["geo/geo/shapes.py:circle_area", "geo/geo/shapes.py:letter_counts",
                                      "geo/geo/shapes.py:scaled"]
    assert got[0].quality_score == 8.5 and got[0].entry_point == "circle_area"


def test_seed_instructions_file_tests_pass_with_references():
    rows = [json.loads(x) for x in seeds.SEED_INSTRUCTIONS.read_text().splitlines() if x.strip()]
    assert len(rows) >= 12
    for r in rows:
        ns: dict[str, Any] = {}
        exec(r["reference"], ns)
        for t in r["tests"]:
            exec(t, ns)
    # never a copy of an evaluation problem: no shared entry point, no shared word 10-gram
    from seedkit.curation.decontam import Decontaminator
    from seedkit.problems import evaluation_problems

    names = {p.entry_point for p in evaluation_problems()}
    dec = Decontaminator.default(ngram=10)
    for r in rows:
        assert r["entry_point"] not in names, r["id"]
        assert not any(dec.check(t)[0] for t in (r["instruction"], r["reference"], "\n".join(r["tests"]))), r["id"]
    assert len({r["entry_point"] for r in rows}) == len(rows) >= 40
    loaded = seeds.load_seed_instructions(limit=3)
    assert len(loaded) == 3 and loaded[0].tests.count("assert") == 3 and loaded[0].kind == "instruction"


# --------------------------------------------------------------------------- docstring mining


def test_docstring_mining_keeps_only_self_contained_functions():
    pairs, counts = docstrings.mine_docstring_pairs(GOOD_FILE, "geo/shapes.py")
    assert [p.entry_point for p in pairs] == ["circle_area", "letter_counts", "clamp_int"]
    assert counts == {"kept": 3, "not_self_contained": 1, "private_or_test": 1}
    area = pairs[0]
    assert area.solution.startswith("import math\n") and '"""' not in area.solution
    assert area.tests == "assert round(circle_area(1), 2) == 3.14\nassert circle_area(0) == 0.0"
    assert pairs[1].solution.startswith("from collections import Counter\n")
    assert pairs[2].tests == "assert callable(clamp_int)" and not pairs[2].has_doctests
    assert "Limit value to the closed range" in pairs[2].instruction
    # the mined pairs are real: they pass their own tests
    for p in pairs:
        assert exec_runner([type("J", (), {"program": p.solution, "tests": p.tests.splitlines()})])[0].status == "passed"


def test_free_names_sees_globals_but_not_locals():
    import ast

    fn = ast.parse("def f(a):\n    b = [x for x in a]\n    return len(b) + G\n").body[0]
    assert docstrings.free_names(fn) == {"G"}


# --------------------------------------------------------------------------- synthesis parsing


def test_parse_generation_reads_the_asked_format_and_stray_asserts():
    text = ("Task: Write a function that doubles a number.\nSolution:\n```python\ndef double(x):\n"
            "    return 2 * x\n```\nTests:\n```python\nassert double(2) == 4\nassert double(0) == 0\n```")
    p = synthesis.parse_generation(text, expect_task=True)
    assert p == {"task": "Write a function that doubles a number.", "solution": "def double(x):\n    return 2 * x",
                 "tests": "assert double(2) == 4\nassert double(0) == 0", "entry_point": "double"}
    p2 = synthesis.parse_generation("```python\ndef f(a):\n    return a\nassert f(1) == 1\n```", expect_task=False)
    assert p2["solution"] == "def f(a):\n    return a" and p2["tests"] == "assert f(1) == 1"
    assert synthesis.parse_generation("no code here", expect_task=True)["solution"] == ""


def test_generate_items_uses_styles_and_keeps_seed_tests():
    st = [synthesis.Style("plain", "g", "{task}"), synthesis.Style("polite", "g", "Please: {task}")]
    code_seed = seeds.Seed(id="c1", kind="code", text="def f(x):\n    return x\n")
    instr_seed = seeds.Seed(id="i1", kind="instruction", text="Write is_even(n).", entry_point="is_even",
                            tests="assert is_even(2)")
    gen = ScriptedGenerator([
        "Task: Return the input unchanged, please.\n```python\ndef ident(v):\n    return v\n```\n```python\nassert ident(3) == 3\n```",
        "```python\ndef is_even(n):\n    return n % 2 == 0\n```",
    ])
    items = synthesis.generate_items(gen, [code_seed, instr_seed], st, temperature=0.7, max_new_tokens=64, seed=0)
    assert [i.source for i in items] == ["generated", "seed"]
    assert items[0].entry_point == "ident" and items[0].tests == "assert ident(3) == 3"
    assert items[1].tests == "assert is_even(2)" and "is_even" in items[1].instruction
    assert {i.style for i in items} <= {"plain", "polite"}
    assert "def f(x)" in gen.calls[0][0][1]["content"]  # the code seed is in the prompt


def test_generate_items_asks_once_with_each_answer_its_own_stop_when_the_generator_can():
    class OneCall(ScriptedGenerator):
        supports_prompt_stops = True

        def chat(self, conversations, **kw):
            self.kw = kw
            return super().chat(conversations, **kw)

    st = [synthesis.Style("plain", "g", "{task}")]
    code_seed = seeds.Seed(id="c1", kind="code", text="def f(x):\n    return x\n")
    instr_seed = seeds.Seed(id="i1", kind="instruction", text="Write is_even(n).", entry_point="is_even",
                            tests="assert is_even(2)")
    gen = OneCall(["Task: Return it.\n```python\ndef ident(v):\n    return v\n```",
                   "```python\ndef is_even(n):\n    return n % 2 == 0\n```"])
    items = synthesis.generate_items(gen, [code_seed, instr_seed], st, temperature=0.7, max_new_tokens=64, seed=0)
    assert len(gen.calls) == 1 and len(gen.calls[0]) == 2
    # the code seed's answer holds several blocks (no stop); the instruction's is one block
    assert gen.kw["prompt_stops"] == [[], list(synthesis.ONE_BLOCK_STOP)]
    assert [i.source for i in items] == ["generated", "seed"] and items[1].solution.startswith("def is_even")


def test_style_file_loads():
    styles = synthesis.load_styles()
    assert len(styles) >= 3 and all("{task}" in s.template for s in styles)


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize("kw,reason", [
    ({"instruction": "Do"}, "no_instruction"),
    ({"solution": ""}, "no_solution"),
    ({"solution": "def add(a, b)\n    return a"}, "solution_syntax_error"),
    ({"entry_point": "plus"}, "entry_point_not_defined"),
    ({"tests": ""}, "no_tests"),
    ({"tests": "assert add(1,"}, "tests_syntax_error"),
    ({"tests": "assert 1 == 1"}, "tests_do_not_call_entry_point"),
    ({}, ""),
])
def test_parse_filter(kw, reason):
    v = filters.parse_verdict(item(**kw))
    assert v.keep == (reason == "") and v.reason == reason


def test_exact_and_near_dedup():
    a = item(id="a")
    b = item(id="b", instruction="  write a FUNCTION add(a, b) returning the sum. ")
    long_text = "Write a function that takes a list of integers and returns a new list with every value doubled in order"
    c = item(id="c", instruction=long_text, solution="def dbl(v):\n    return [2 * x for x in v]\n", entry_point="dbl")
    d = item(id="d", instruction=long_text + " please", solution="def dbl(v):\n    return [2 * x for x in v]\n",
             entry_point="dbl")
    e = item(id="e", instruction="Parse a date string in ISO format and return the weekday name as text",
             solution="def wd(s):\n    import datetime\n    return datetime.date.fromisoformat(s).strftime('%A')\n")
    assert [v.reason for v in filters.exact_dedup([a, b, c])] == ["", "exact_duplicate", ""]
    # c and d share 22 of 31 word 5-shingles (Jaccard 0.71): near duplicates at 0.6, not at 0.8
    assert [v.reason for v in filters.near_dedup([c, d, e], threshold=0.6)] == ["", "near_duplicate", ""]
    assert [v.reason for v in filters.near_dedup([c, d, e], threshold=0.8)] == ["", "", ""]


def test_decontamination_against_humaneval_and_heldout():
    from seedkit.problems import load_heldout, load_humaneval

    dec = filters.Decontaminator(ngram=10)
    he0 = load_humaneval(limit=1)[0]
    v = dec.verdict(item(solution=he0.prompt + he0.reference))
    assert not v.keep and v.reason == "overlaps HumanEval/0"
    held = load_heldout(language="python")[0]
    v = dec.verdict(item(instruction="Solve this:\n" + held.reference))
    assert not v.keep and v.reason == f"overlaps {held.task_id}"
    assert dec.verdict(item()).keep


def test_judge_filter_and_rating_parse():
    assert judge.parse_rating("fine.\nRating: [[7]]") == 7.0
    assert judge.parse_rating("Rating: [[12]]") == 10.0
    assert judge.parse_rating("no rating") is None
    assert filters.judge_verdict(item(difficulty=2.9), 3.0).reason == "difficulty 2.9 < 3"
    assert filters.judge_verdict(item(difficulty=3.0), 3.0).keep
    assert filters.judge_verdict(item(difficulty=None), 3.0, keep_unjudged=False).reason == "judge_unreadable"
    assert filters.judge_verdict(item(difficulty=0.0), None).keep  # no filter


def test_judge_threshold_absolute_by_rank_or_off():
    assert filters.judge_threshold([1.2, 1.5], "threshold", 3.0)[0] == 3.0
    cut, why = filters.judge_threshold([1.5, 1.2, None, 1.7, 1.4, 1.6], "rank", 3.0, 0.4)
    dropped = [s for s in [1.5, 1.2, 1.7, 1.4, 1.6] if not filters.judge_verdict(item(difficulty=s), cut).keep]
    assert sorted(dropped) == [1.2, 1.4] and "bottom 40%" in why
    assert filters.judge_threshold([2.0], "rank", 3.0, 0.2)[0] is None  # rounds to dropping none
    assert filters.judge_threshold([2.0, 9.0], "off", 3.0, 0.5)[0] is None


def test_the_filter_gpu_builds_drops_difficulty_below_three():
    """gpu: the report's rule, whatever the judge's signal measurement says."""
    s = SFTSettings.from_params("gpu")
    no_signal = {"has_signal": False, "why": "flat"}
    rule, why = judge.decide_filter(s.judge_filter, no_signal, s.judge_min_difficulty, s.judge_drop_bottom_fraction)
    assert rule == "threshold" and "report" in why
    items = [item(id=str(d), difficulty=d) for d in (0.5, 2.99, 3.0, 7.5)] + [item(id="none", difficulty=None)]
    cut, _ = filters.judge_threshold([it.difficulty for it in items], rule, s.judge_min_difficulty)
    kept, gone = filters.apply(items, [filters.judge_verdict(it, cut, s.keep_unjudged) for it in items], "judge")
    assert [it.id for it in kept] == ["3.0", "7.5", "none"] and [it.id for it in gone] == ["0.5", "2.99"]
    assert all(it.dropped_by == "judge" for it in gone)


def test_auto_rule_filters_only_a_judge_with_signal():
    proxies = [float(i) for i in range(30)]
    good = judge.judge_signal([p / 3 + (i % 3) * 0.1 for i, p in enumerate(proxies)], proxies)
    assert good["has_signal"] and good["rho"] > 0.9 and good["interval"][0] > 0
    flat = judge.judge_signal([1.5] * 30, proxies)
    assert not flat["has_signal"] and "do not vary" in flat["why"]
    import random

    rng = random.Random(1)
    noise = judge.judge_signal([rng.random() for _ in proxies], [rng.random() for _ in proxies])
    assert not noise["has_signal"] and noise["interval"][0] < 0 < noise["interval"][1]
    assert judge.decide_filter("auto", good, 3.0, 0.2)[0] == "rank"
    rule, why = judge.decide_filter("auto", flat, 3.0, 0.2)
    assert rule == "off" and "no measurable signal" in why
    assert judge.judge_signal([1.0, None, 2.0], [1.0, 2.0, 3.0])["why"].startswith("only 2 rated")


def test_difficulty_proxy_and_correctness_separation():
    easy = "def f(x):\n    return x\n"
    hard = "def f(xs):\n    out = []\n    for x in xs:\n        if x % 2:\n            out.append(x * x)\n    return out\n"
    assert judge.difficulty_proxy(hard) > judge.difficulty_proxy(easy) > 0
    sep = judge.separation([9, 8, 7, 2, 1, None], [True, True, True, False, False, True])
    assert sep["auc"] == 1.0 and (sep["n_passed"], sep["n_failed"]) == (3, 2)
    assert judge.separation([5, 5, 5, 5], [True, False, True, False])["auc"] == 0.5
    assert judge.separation([5, 6], [True, True])["auc"] is None


def test_judge_generate_method_rates_difficulty_and_correctness_apart():
    gen = ScriptedGenerator(["Easy. Rating: [[2]]", "Hard. Rating: [[8]]", "???",  # difficulty, per item
                             "Right. Rating: [[9]]", "Wrong. Rating: [[1]]", "Rating: [[5]]"])  # correctness
    items = [item(id=str(i)) for i in range(3)]
    assert judge.judge_items(gen, items) == "generate"
    assert [i.difficulty for i in items] == [2.0, 8.0, None]
    assert [i.judge_score for i in items] == [9.0, 1.0, 5.0]
    assert "difficult" in gen.calls[0][0][0]["content"] and "correctly solves" in gen.calls[1][0][0]["content"]


def test_judge_likelihood_method_on_a_tiny_model():
    from seedkit.generation import TransformersGenerator
    from seedkit.models import load_model

    texts = ["def f(x):\n    return x + 1\n", "Rating: [[5]] 0 1 2 3 4 5 6 7 8 9 10"] * 20
    model, tok = load_model("scratch", device="cpu", dtype="float32", tokenizer_texts=texts, verbose=False,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    items = [item(id="a"), item(id="b", instruction="Write a function add(a, b) returning the sum of two numbers.")]
    assert judge.judge_items(TransformersGenerator(model, tok), items, progress=False) == "likelihood"
    assert all(0.0 <= i.judge_score <= 10.0 and 0.0 <= i.difficulty <= 10.0 for i in items)
    assert items[0].judge_score != items[0].difficulty  # two prompts, two readings


# --------------------------------------------------------------------------- verification loop


def test_verification_loop_rescues_with_correction_and_bounds_attempts():
    ok = item(id="ok")
    fixable = item(id="fix", solution="def add(a, b):\n    return a - b\n")
    hopeless = item(id="bad", solution="def add(a, b):\n    return a * b\n")
    mined = item(id="doc", source="docstring", solution="def add(a, b):\n    return 0\n")
    gen = ScriptedGenerator([
        "```python\ndef add(a, b):\n    return a + b\n```",  # round 1: fixes 'fix'
        "I cannot fix this.",  # round 1: no code for 'bad'
        "```python\ndef add(a, b):\n    return a ** b\n```",  # round 2: still wrong for 'bad'
    ])
    stats = verify.verify_items([ok, fixable, hopeless, mined], generator=gen, max_correction_rounds=2,
                                runner=exec_runner, make_job_fn=lambda it: type(
                                    "J", (), {"program": it.solution, "tests": verify.split_tests(it.tests)})(),
                                progress=False)
    assert (ok.verified, ok.attempts) == (True, 1)
    assert (fixable.verified, fixable.attempts, fixable.history) == (True, 2, ["def add(a, b):\n    return a - b\n"])
    assert (hopeless.verified, hopeless.attempts, hopeless.verify_status) == (False, 3, "failed")
    assert (mined.verified, mined.attempts) == (False, 1)  # corpus code is never rewritten
    assert [len(c) for c in gen.calls] == [2, 1]  # round 1: fix + bad; round 2: bad only
    assert "AssertionError" in gen.calls[0][0][1]["content"]  # the error is fed back
    assert stats == {"checked": 4, "passed": 2, "passed_at_attempt": {"1": 1, "2": 1},
                     "rescued_by_correction": 1, "failed": 2, "failed_status": {"failed": 2}}


def test_verification_without_rounds_makes_one_attempt():
    bad = item(solution="def add(a, b):\n    return 0\n")
    gen = ScriptedGenerator(["```python\ndef add(a, b):\n    return a + b\n```"])
    verify.verify_items([bad], generator=gen, max_correction_rounds=0, runner=exec_runner,
                        make_job_fn=lambda it: type("J", (), {"program": it.solution, "tests": it.tests})(),
                        progress=False)
    assert (bad.verified, bad.attempts, gen.calls) == (False, 1, [])


def test_verification_through_the_real_sandbox():
    good, bad = item(id="g"), item(id="b", solution="def add(a, b):\n    raise ValueError('no')\n")
    stats = verify.verify_items([good, bad], generator=None, max_correction_rounds=1, progress=False, workers=2)
    assert good.verified and not bad.verified and bad.verify_status == "error"
    assert stats["passed"] == 1 and "ValueError" in bad.verify_error


def test_generated_tests_for_docstring_items_keep_only_asserts_the_solution_passes():
    mined = item(id="m", source="docstring", tests="assert callable(add)")
    doctested = item(id="d", source="docstring", tests="assert add(2, 2) == 4")
    gen = ScriptedGenerator(["```python\nassert add(1, 2) == 3\nassert add(1, 1) == 3\nassert other(1)\n"
                             "assert add(0, 0) == 0\n```"])
    job = lambda it: type("J", (), {"program": it.solution, "tests": [it.tests]})()  # noqa: E731
    counts = verify.add_generated_tests([mined, doctested], generator=gen, runner=exec_runner, make_job_fn=job,
                                        progress=False)
    assert mined.tests == "assert add(1, 2) == 3\nassert add(0, 0) == 0"
    assert doctested.tests == "assert add(2, 2) == 4" and len(gen.calls[0]) == 1  # only the untested item asked
    assert counts == {"asked": 1, "asserts_written": 3, "asserts_kept": 2, "items_with_tests": 1}


def test_split_tests():
    assert verify.split_tests("assert f(1)\nassert f(2) == 3") == ["assert f(1)", "assert f(2) == 3"]
    assert verify.split_tests("x = 1\nassert f(x)") == "x = 1\nassert f(x)"


def test_chat_examples_and_packed_training_on_a_tiny_model(tmp_path):
    from seedkit.formats import chat_example
    from seedkit.models import load_model
    from seedkit.posttraining.finetune import train_sft

    ex = chat_example("Write f.", "def f():\n    return 1\n")
    assert ex == {"prompt": [{"role": "user", "content": "Write f."}],
                  "completion": [{"role": "assistant", "content": "```python\ndef f():\n    return 1\n```"}]}
    texts = ["def f(x):\n    return x + 1\n"] * 30
    model, tok = load_model("scratch", device="cpu", dtype="float32", tokenizer_texts=texts, verbose=False,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    items = [{"instruction": f"Write f number {i} now", "solution": f"def f(x):\n    return x + {i}\n"}
             for i in range(8)]
    _, log = train_sft(model, tok, items, output_dir=str(tmp_path), device="cpu", dtype="float32",
                       global_batch=4, per_device_max=4, learning_rate=1e-3, max_steps=2, num_epochs=1,
                       max_length=128, packing=True)
    assert len([r for r in log if "loss" in r]) == 2
    with pytest.raises(ValueError, match="no training items"):
        train_sft(model, tok, [], output_dir=str(tmp_path), device="cpu", dtype="float32", global_batch=4,
                  per_device_max=4, learning_rate=1e-3, max_steps=1, num_epochs=1, max_length=64, packing=False)


# --------------------------------------------------------------------------- the stage (tiny)


def make_fake_run(runs_dir: Path, run_name: str, adapter: bool = False) -> None:
    """Stage 02's scored/ (contracts.md columns) and a scratch stage-03 model with manifests; with
    ``adapter`` the stage-03 model is a LoRA adapter saved over a base model (as QLoRA chains save it)."""
    import datasets

    from seedkit.models import load_model, save_model
    from seedkit.runs import StageRun

    settings = SFTSettings.from_params("tiny", run_name=run_name, runs_dir=str(runs_dir))
    s02 = StageRun(settings, stage="02_llm_filter")
    s02.start({})
    s02.save_dataset("scored", datasets.Dataset.from_list(scored_rows()))
    s02.finish()
    s03 = StageRun(settings, stage="03_pretraining")
    s03.start({})
    texts = [r["content"] for r in scored_rows()] * 5 + [json.dumps(x) for x in range(50)]
    dims = dict(hidden_size=64, intermediate_size=128) if adapter else dict(hidden_size=32, intermediate_size=64)
    model, tok = load_model("scratch", device="cpu", dtype="float32", tokenizer_texts=texts, verbose=False,
                            scratch_config=dict(vocab_size=400, num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=1024, **dims))
    if adapter:
        from seedkit.models import LoraOptions

        base = save_model(model, tok, runs_dir / f"{run_name}-base")
        model, tok = load_model(str(base), lora=LoraOptions(r=4, alpha=8, dropout=0.0), verbose=False)
        save_model(model, tok, s03.path / "model", base_spec=str(base))
    else:
        save_model(model, tok, s03.path / "model")
    s03.finish()


@pytest.mark.slow
def test_run_sft_tiny_end_to_end(tmp_path, monkeypatch):
    import torch

    from seedkit.formats import chat_messages
    from seedkit.models import load_model
    from seedkit.problems import load_train_problems
    from seedkit.runs import read_manifest
    from seedkit.sft.stage import FILTER_STEPS, SFTResult, run_sft

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    make_fake_run(tmp_path, "t")
    s = SFTSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), compare_prompts=1,
                                num_code_seeds=2, num_seed_instructions=2, max_steps=3)
    res = run_sft(s)
    assert isinstance(res, SFTResult)
    assert [f["step"] for f in res.stats["funnel"]] == list(FILTER_STEPS)
    # 2 generated (garbage from a random model) + 2 seed instructions + 3 mined docstring pairs
    assert res.stats["sources"] == {"generated": 2, "seed": 2, "docstring": 3}
    assert res.stats["funnel"][0]["in"] == 7
    # the judge: a random 1M model's ratings are measured, and the auto rule keeps everything
    assert res.stats["judge"]["rule"] == "off" and "no measurable signal" in res.stats["judge"]["why"]
    assert len(res.stats["judge"]["difficulty"]) == res.stats["funnel"][4]["in"]
    # the kit's training problems in the evaluation's chat format; the rest left for stage 05
    train = {p.task_id: p for p in load_train_problems()}
    chosen = res.stats["kept"]["train_problems_for_sft"]
    gone = res.stats["kept"]["train_problems_dropped"]
    assert len(chosen) + len(gone["contaminated"]) + len(gone["failed_tests"]) == round(len(train) * 0.5)
    assert len(res.stats["kept"]["train_problems_left_for_dpo"]) == len(train) - round(len(train) * 0.5)
    for tid in gone["contaminated"]:  # a training problem sharing a 10-gram with an evaluation problem is left out
        assert not filters.Decontaminator(ngram=10).verdict(SFTItem(
            id=tid, source="train_problem", style="", instruction="", solution=train[tid].reference, tests="",
            entry_point="")).keep
    rows = {r["id"]: r for r in res.data}
    for tid in chosen:
        assert rows[tid]["source"] == "train_problem" and rows[tid]["split"] == "sft" and rows[tid]["verified"]
        assert rows[tid]["instruction"] == chat_messages(train[tid])[0]["content"]
    assert all(res.data["verified"]) and set(res.data["split"]) <= {"sft", "held_for_dpo"}
    # nothing an evaluation uses is trained on
    dec = filters.Decontaminator(ngram=10)
    assert all(dec.verdict(SFTItem(**{k: r[k] for k in ("id", "source", "style", "instruction", "solution", "tests",
                                                          "entry_point")})).keep for r in res.data)
    assert len(res.loss_curve["loss"]) == 3
    # the manifest names the parent and records the effect with its sizes
    m = read_manifest(tmp_path / "t" / "04_sft")["metrics"]
    assert m["parent_model"] == "run:t/03_pretraining" == res.parent_model
    eff = m["effect"]
    assert (eff["parent"], eff["child"], eff["n_problems"], eff["n_samples"]) == ("03_pretraining", "04_sft", 6, 2)
    assert eff["before"]["prompt_format"] == "completion" and eff["after"]["prompt_format"] == "chat"
    lo, hi = eff["difference"]["lo"], eff["difference"]["hi"]
    assert lo <= eff["difference"]["mean"] <= hi
    same = m["effect_same_format"]  # the parent asked in the SFT model's format too
    assert same["before"]["prompt_format"] == same["after"]["prompt_format"] == "chat" and not same["formats_differ"]
    assert same["after"] == eff["after"] and same["n_problems"] == 6
    loss = m["answer_loss_effect"]
    assert loss["n_problems"] == 6 and loss["before"]["mean"] > 0 and loss["after"]["mean"] > 0
    assert loss["difference"]["mean"] == pytest.approx(loss["after"]["mean"] - loss["before"]["mean"], abs=1e-9)
    # the saved model is the trained one: it loads as run:t/04_sft and differs from its parent
    child, _ = load_model("run:t/04_sft", device="cpu", runs_dir=str(tmp_path), verbose=False)
    parent, _ = load_model("run:t/03_pretraining", device="cpu", runs_dir=str(tmp_path), verbose=False)
    pp = dict(parent.named_parameters())
    assert any(not torch.equal(p, pp[n]) for n, p in child.named_parameters())
    assert not (tmp_path / "t" / "04_sft" / "checkpoints").exists()
    again = run_sft(s)  # done: loaded from disk
    assert again.stats == res.stats and again.metrics == res.metrics


def test_steps_are_reused_and_recomputed_when_an_input_changes(tmp_path, monkeypatch):
    """A restarted kernel picks up the steps already done; a retrained parent (a changed input) redoes them."""
    from seedkit.files import atomic_write_json
    from seedkit.runs import read_manifest
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "t")
    s = SFTSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), num_code_seeds=1,
                                num_seed_instructions=1, max_docstring_items=3)
    gen = ScriptedGenerator(["Task: Return the input.\n```python\ndef ident(v):\n    return v\n```\n"
                             "```python\nassert ident(3) == 3\n```",
                             "```python\ndef reverse_string(text):\n    return text[::-1]\n```"])
    monkeypatch.setattr(sft.SFTStage, "generator", lambda self: gen)
    first = sft.begin(s)
    seeds = sft.select_seeds(first)
    cands = sft.synthesize(first, seeds)
    assert [it["source"] for it in cands["items"]] == ["generated", "seed", "docstring", "docstring", "docstring"]
    first.close()

    def boom(*a, **k):
        raise AssertionError("synthesis ran again")

    monkeypatch.setattr(sft.SFTStage, "generator", boom)
    second = sft.begin(s)  # a restarted kernel: same settings, same inputs
    assert not second.done
    assert sft.synthesize(second, sft.select_seeds(second)) == cands
    second.close()
    # stage 03 retrained: its manifest (the input's digest) changes
    mf = tmp_path / "t" / "03_pretraining" / "manifest.json"
    m = read_manifest(mf.parent)
    m["finished_at"] = "later"
    atomic_write_json(mf, m)
    third = sft.begin(s)
    with pytest.raises(AssertionError, match="synthesis ran again"):
        sft.synthesize(third, sft.select_seeds(third))
    third.close()


def test_answer_logprobs_equal_a_direct_computation():
    import torch

    from seedkit.models import load_model
    from seedkit.posttraining.answer_loss import answer_logprobs, loss_effect

    model, tok = load_model("scratch", device="cpu", dtype="float32", verbose=False,
                            tokenizer_texts=["def f(x):\n    return x + 1\n"] * 30,
                            scratch_config=dict(vocab_size=300, hidden_size=32, intermediate_size=64,
                                                num_hidden_layers=1, num_attention_heads=2,
                                                num_key_value_heads=1, max_position_embeddings=512))
    prompts, answers = ["Write f.", "Write a longer f please."], ["def f(x):", "    return x + 1"]
    got = answer_logprobs(model, tok, prompts, answers, batch_size=2)
    for p, a, (lp, n) in zip(prompts, answers, got, strict=True):
        pi = tok(p, add_special_tokens=False)["input_ids"]
        ai = tok(a, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([pi + ai])).logits[0]
        logp = torch.log_softmax(logits.float(), -1)
        want = sum(logp[len(pi) - 1 + j, t].item() for j, t in enumerate(ai))
        assert n == len(ai) and lp == pytest.approx(want, abs=1e-4)
    eff = loss_effect({"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 2.0, "b": 2.5, "c": 3.5, "d": 9.0}, "child", "parent",
                      print_fn=None)
    assert eff["n_problems"] == 3 and eff["difference"]["mean"] == pytest.approx(-2 / 3)
    assert eff["difference"]["hi"] < 0 and eff["before"]["mean"] == pytest.approx(8 / 3)


def test_report_to_tensorboard_reaches_the_trainer_config_and_logs_under_the_stage(tmp_path):
    import os

    from seedkit.posttraining.stage import tensorboard_dir
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "t")
    s = SFTSettings.from_params("tiny", run_name="t", runs_dir=str(tmp_path), report_to="tensorboard")
    st = sft.begin(s)
    cfg = sft.training_config(st)
    assert list(cfg.report_to) == ["tensorboard"] and cfg.completion_only_loss and cfg.max_length == 256
    before = os.environ.get("TENSORBOARD_LOGGING_DIR")
    with tensorboard_dir(st, cfg):
        assert os.environ["TENSORBOARD_LOGGING_DIR"] == str(st.path / "tensorboard")
    assert os.environ.get("TENSORBOARD_LOGGING_DIR") == before
    st.close()
    st2 = sft.begin(s.replace(report_to="none"))
    assert sft.training_config(st2).report_to in ([], "none", ["none"])
    st2.close()




def test_the_notebook_builds_the_same_sft_config_as_the_stage(tmp_path):
    """The SFTConfig written out argument by argument in notebook 04 equals what run_sft trains with."""
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "t")
    for profile, kw in (("tiny", {}), ("tiny", {"max_steps": 0, "packing": True, "report_to": "tensorboard"})):
        s = SFTSettings.from_params(profile, run_name="t", runs_dir=str(tmp_path), **kw)
        st = sft.begin(s)
        ns = {"settings": s, "stage": st}
        exec(notebook_cell("04_sft", "from trl import SFTConfig"), ns)
        want = sft.training_config(st).to_dict()
        got = ns["config"].to_dict()
        assert got == want, {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        st.close()


@pytest.mark.slow
def test_qlora_on_an_adapter_parent_continues_its_adapter(tmp_path):
    """gpu chains keep stage 03's adapter unmerged over a 4-bit base: SFT trains that adapter on (a fresh
    one on top could not be saved against a merged parent) and saves it against the parent's own base."""
    import torch
    from peft import PeftModel

    from seedkit.models import SEEDKIT_MODEL_JSON, load_model
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "q", adapter=True)
    s = SFTSettings.from_params("tiny", run_name="q", runs_dir=str(tmp_path), finetune_method="qlora", max_steps=2,
                                learning_rate=1e-2)
    st = sft.begin(s)
    model, _ = sft.load_parent(st)
    assert isinstance(model, PeftModel) and model._seedkit_continued_adapter
    assert any(p.dtype == torch.uint8 for p in model.parameters())  # 4-bit base weights
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in n for n in trainable)
    del model
    rows = [{"id": str(i), "instruction": f"Write f{i} returning {i}.", "solution": f"def f{i}():\n    return {i}\n",
             "split": "sft"} for i in range(4)]
    trained = sft.train(st, {"items": rows})
    assert len([r for r in trained["log_history"] if "loss" in r]) == 2
    meta = json.loads((tmp_path / "q" / "04_sft" / "model" / SEEDKIT_MODEL_JSON).read_text())
    assert meta["kind"] == "lora-adapter" and Path(meta["base"]) == (tmp_path / "q-base").resolve()
    child, _ = load_model("run:q/04_sft", runs_dir=str(tmp_path), verbose=False)  # loads and merges
    parent, _ = load_model("run:q/03_pretraining", runs_dir=str(tmp_path), verbose=False)
    pp = dict(parent.named_parameters())
    assert any(not torch.equal(p, pp[n]) for n, p in child.named_parameters())
    st.close()


def test_lora_trains_over_a_bfloat16_base_and_saves_a_float32_adapter(tmp_path):
    """lora_base_dtype=bfloat16 (smol's auto on a CPU with AMX): the frozen base is 16-bit, the adapters,
    the output head and so the logits and loss stay float32, and the saved adapter loads into a float32
    model as usual."""
    import torch

    from seedkit.models import load_model
    from seedkit.sft import stage as sft

    make_fake_run(tmp_path, "b")
    s = SFTSettings.from_params("tiny", run_name="b", runs_dir=str(tmp_path), finetune_method="lora",
                                lora_base_dtype="bfloat16", max_steps=2, learning_rate=1e-2)
    st = sft.begin(s)
    assert st.training_dtype(True) == "bfloat16" and st.training_dtype(False) == "float32"  # tiny's float32
    model, tok = sft.load_parent(st)
    frozen = {p.dtype for p in model.parameters() if not p.requires_grad}
    trainable = {n: p.dtype for n, p in model.named_parameters() if p.requires_grad}
    assert torch.bfloat16 in frozen and trainable and set(trainable.values()) == {torch.float32}
    assert all("lora_" in n for n in trainable)
    ids = tok("def f():", return_tensors="pt")
    assert model(**ids).logits.dtype == torch.float32
    del model
    rows = [{"id": str(i), "instruction": f"Write f{i} returning {i}.", "solution": f"def f{i}():\n    return {i}\n",
             "split": "sft"} for i in range(4)]
    trained = sft.train(st, {"items": rows})
    losses = [r["loss"] for r in trained["log_history"] if "loss" in r]
    assert len(losses) == 2 and all(math.isfinite(x) for x in losses)
    child, _ = load_model("run:b/04_sft", runs_dir=str(tmp_path), verbose=False)
    parent, _ = load_model("run:b/03_pretraining", runs_dir=str(tmp_path), verbose=False)
    assert {p.dtype for p in child.parameters()} == {torch.float32}
    pp = dict(parent.named_parameters())
    assert any(not torch.equal(p, pp[n]) for n, p in child.named_parameters())
    st.close()
    from seedkit.config import SettingsError

    with pytest.raises(SettingsError, match="lora_base_dtype: 'half' is not one of auto"):
        SFTSettings.from_params("tiny", lora_base_dtype="half")
