"""The notebooks' exercises that check themselves: each check fails on the notebook's untouched cell
and passes on the stored solution, and the notebooks mark every exercise as the catalog does.

The exercise cells are read from the notebooks' jupytext sources and run in a namespace holding
small stand-ins for what the notebook's earlier cells made (same names, same types), so no model
and no run is needed.
"""

from __future__ import annotations

import json
import math
import re
from types import SimpleNamespace as NS

import numpy as np
import pytest

from seedkit.config import DATA_SAMPLES, NOTEBOOKS, STAGES
from seedkit.exercises import EXERCISES, CheckResult, check_answer, exercises_of, solution
from seedkit.exercises.checks import CHECKS


def _cells(stage: str) -> list[tuple[str, str]]:
    import jupytext

    nb = jupytext.read(NOTEBOOKS / f"{stage}.py")
    return [(c.cell_type, c.source) for c in nb.cells]


def exercise_cells(exercise_id: str) -> tuple[str, str, str]:
    """(the participant's cell, the check cell, the solution cell) of a checked exercise."""
    stage = next(s for s in STAGES if s.startswith(exercise_id[:2]))
    cells = _cells(stage)
    at = [i for i, (kind, src) in enumerate(cells) if kind == "code" and src.startswith(f'check_answer("{exercise_id}"')]
    assert len(at) == 1, f"{stage}: {len(at)} check cells for {exercise_id}"
    i = at[0]
    assert cells[i - 1][0] == "code" and "# EDIT" in cells[i - 1][1], f"{exercise_id}: no cell with EDIT lines before the check"
    assert cells[i + 1] == ("code", f'solution("{exercise_id}")'), f"{exercise_id}: no solution cell after the check"
    return cells[i - 1][1], cells[i][1], cells[i + 1][1]


def _curation_settings():
    from seedkit.curation.settings import CurationSettings

    f = CurationSettings.__dataclass_fields__
    return NS(**{k: f[k].default for k in ("shingle_ngram", "lsh_bands", "lsh_rows", "minhash_seed", "near_dup_min_jaccard")})


class _Tok(list):
    """len() is the vocabulary size; ids print as <id>."""

    def convert_ids_to_tokens(self, i):
        return f"<{i}>"


def _first_training_problem():
    from seedkit.problems import split_check_tests

    problem = json.loads((DATA_SAMPLES / "problems" / "train.jsonl").read_text().splitlines()[0])
    tests = split_check_tests(problem["tests"], problem["entry_point"])
    seeds = [json.loads(line) for line in (DATA_SAMPLES / "longcot" / "seed_traces.jsonl").read_text().splitlines()
             if line.strip()]
    name = problem["entry_point"]
    examples = {
        "seed trace": next((r["trace"] for r in seeds if r["task_id"] == problem["task_id"]), ""),
        "wrong": f"<think>\nReturn nothing.\n</think>\n```python\ndef {name}(*args):\n    return None\n```",
    }
    return problem, tests, examples


def namespace(exercise_id: str) -> dict:
    """What the notebook's earlier cells leave behind, for one exercise (stand-ins of the same shape)."""
    rng = np.random.default_rng(0)
    if exercise_id in ("01-1", "01-2"):
        from seedkit.curation import dedup

        return {"settings": _curation_settings(), "dedup": dedup,
                "a_text": (DATA_SAMPLES / "repos/textstats/textstats/tokenize.py").read_text(encoding="utf-8"),
                "b_text": (DATA_SAMPLES / "repos/textstats-fork/tokenize.py").read_text(encoding="utf-8")}
    if exercise_id == "02-1":
        from seedkit.llm_filter.rubric import parse_rating

        return {"parse_rating": parse_rating}
    if exercise_id == "02-2":
        return {"np": np, "target": rng.uniform(0.3, 0.7, 32), "by_hand": 0.01}
    if exercise_id == "03-1":
        from seedkit.pretraining.fim import FimTokens

        doc = "def add(a, b):\n    return a + b\n"
        prefix, middle, suffix = doc[:5], doc[5:20], doc[20:]
        fim = FimTokens("<p>", "<s>", "<m>", 1, 2, 3)
        return {"doc": doc, "prefix": prefix, "middle": middle, "suffix": suffix, "fim": fim, "tokenizer": _Tok(),
                "spm": [fim.suffix_id, suffix, fim.prefix_id, prefix, fim.middle_id, middle]}
    if exercise_id == "03-2":
        from seedkit.pretraining.packing import pack

        length = 32
        docs = [list(range(10, 10 + n)) for n in (length // 2 + 7, length // 2 + 7, 9)]
        return {"docs": docs, "length": length, "eos": 0, "pad": 1, "pack": pack}
    if exercise_id == "03-3":
        return {"math": math, "tokenizer": _Tok(range(4096)), "model_loss": 5.1}
    if exercise_id == "04-1":
        import torch

        ids = rng.integers(0, 50, 40).tolist()
        log_probs = torch.log_softmax(torch.from_numpy(rng.normal(size=(39, 50))).float(), dim=-1)
        labels = [-100] * 25 + ids[25:]
        targets = torch.tensor(ids[1:])
        scored = torch.tensor(labels[1:]) != -100
        by_hand = -log_probs[torch.arange(39), targets][scored].mean().item()
        return {"torch": torch, "ids": ids, "labels": labels, "log_probs": log_probs, "targets": targets,
                "by_hand": by_hand}
    if exercise_id == "04-2":
        funnel = [NS(step="parse", removed=8), NS(step="exact_dedup", removed=0), NS(step="near_dedup", removed=2),
                  NS(step="decontam", removed=1)]
        return {"filtered": NS(funnel=funnel)}
    if exercise_id in ("05-1", "05-2"):
        return {"math": math, "settings": NS(beta=0.1)}
    if exercise_id == "05-3":
        from seedkit.dpo.pairs import format_answer, tasks_from_problems
        from seedkit.dpo.products import Pair
        from seedkit.problems import load_training_problems

        tasks = tasks_from_problems(load_training_problems(language="python")[:2])
        pairs = [Pair(prompt=t.message, chosen=format_answer(t.reference), task_id=t.task_id, source=t.source,
                      rejected=format_answer(f"def {t.entry_point}(*args):\n    return None"), pass_rate=0.0,
                      rejected_failure="failed", off_policy=True, split="train") for t in tasks]
        return {"tasks": tasks, "pairs": NS(pairs=pairs)}
    if exercise_id == "06-1":
        from seedkit.formats import parse_trace
        from seedkit.longcot_rl.rewards import format_reward, make_execution_reward, parse_reward

        problem, tests, examples = _first_training_problem()
        return {"problem": problem, "tests": tests, "examples": examples, "parse_trace": parse_trace,
                "reward_funcs": [make_execution_reward(), format_reward, parse_reward],
                "settings": NS(execution_reward_weight=1.0, format_reward_weight=0.2)}
    if exercise_id == "06-2":
        return {"settings": NS(num_generations=4)}
    if exercise_id in ("07-1", "07-2"):
        from seedkit.measure.stats import bootstrap_interval, paired_difference

        return {"paired_difference": paired_difference, "bootstrap_interval": bootstrap_interval}
    raise KeyError(exercise_id)


CHECKED_ON_TINY = [e.id for e in EXERCISES.values() if e.checked and "tiny" in e.needs]


def _run(exercise_id: str, cell: str) -> CheckResult:
    _, check_cell, _ = exercise_cells(exercise_id)
    ns = namespace(exercise_id) | {"check_answer": check_answer, "solution": solution}  # the first exercise imports them
    exec(compile(cell, f"<exercise {exercise_id}>", "exec"), ns)  # noqa: S102 - the notebook's own cell
    result = eval(check_cell, ns)  # noqa: S307 - the notebook's check cell, one expression
    assert isinstance(result, CheckResult) and result.exercise_id == exercise_id
    assert "\n" not in result.line and "expected" in result.line, result.line
    return result


@pytest.mark.parametrize("exercise_id", CHECKED_ON_TINY)
def test_check_fails_on_the_untouched_notebook(exercise_id):
    untouched, _, _ = exercise_cells(exercise_id)
    result = _run(exercise_id, untouched)
    assert not result.ok and result.line.startswith(f"NOT YET {exercise_id}:"), result.line


@pytest.mark.parametrize("exercise_id", CHECKED_ON_TINY)
def test_check_passes_on_its_solution(exercise_id):
    result = _run(exercise_id, str(solution(exercise_id)))
    assert result.ok and result.line.startswith(f"PASS {exercise_id}:"), result.line


def test_every_checked_exercise_has_a_check_and_a_solution_and_runs_on_tiny():
    checked = {e.id for e in EXERCISES.values() if e.checked}
    assert checked == set(CHECKS)
    assert all(EXERCISES[i].solution.strip() for i in checked)
    assert set(CHECKED_ON_TINY) == checked  # the workshop's profile: every checked exercise runs on tiny
    # what runs in the notebook on tiny checks itself; the rest say what more they need
    assert {e.id for e in EXERCISES.values() if e.needs == ("tiny",)} == checked
    for stage in STAGES:
        assert sum(e.checked for e in exercises_of(stage)) >= 2, stage


@pytest.mark.parametrize("stage", STAGES)
def test_notebook_marks_every_exercise_as_the_catalog(stage):
    """Each exercise's level and needs are in the notebook as the catalog has them, and nothing else is."""
    text = (NOTEBOOKS / f"{stage}.py").read_text(encoding="utf-8")
    section = text[text.index("# ## Exercises"):]
    for e in exercises_of(stage):
        heading = f"# ### {e.tag}: " if e.checked else f"# - **{e.tag}.**"
        assert heading in section, (stage, heading)
    marked = re.findall(r"(?:### |- \*\*)(\d\d-\d+) · ", section)
    assert marked == [e.id for e in exercises_of(stage)], (stage, marked)
    assert "what you should see" in text.lower(), stage


def test_solution_is_hidden_until_asked_for():
    s = solution("07-1")
    assert "hidden" in repr(s) and "math.comb" not in repr(s)
    assert "math.comb" in str(s)
    assert s._repr_html_().startswith("<details><summary>") and "math.comb" in s._repr_html_()


def test_a_result_the_check_cannot_read_is_a_failed_line_not_a_traceback():
    result = check_answer("07-2", child=[0.1, 0.2], parent=[0.1])
    assert not result.ok and "cannot read your result" in result.line and "one rate per problem" in result.line
    result = check_answer("05-1", loss=lambda *a: 1 / 0, at_reference=0.0, beta=0.1)
    assert not result.ok and "ZeroDivisionError" in result.line


def test_unknown_exercise_or_one_without_a_check_names_what_exists():
    with pytest.raises(KeyError, match="known: 01-1"):
        check_answer("09-1")
    with pytest.raises(KeyError, match="needs smol"):
        check_answer("07-3")


def test_pair_check_compares_with_the_sandbox_not_with_the_claim():
    ns = namespace("05-3")
    pairs = ns["pairs"].pairs
    wrong = check_answer("05-3", pairs=pairs, tasks=ns["tasks"], checked_pairs=[(False, False)] * len(pairs))
    right = check_answer("05-3", pairs=pairs, tasks=ns["tasks"], checked_pairs=[(True, False)] * len(pairs))
    assert not wrong.ok and right.ok, (wrong, right)  # the stand-in's pairs hold: references pass, None fails


RERUNS_WITH_A_SETTING = [e.id for e in EXERCISES.values() if e.setting]


@pytest.mark.parametrize("exercise_id", RERUNS_WITH_A_SETTING)
def test_a_rerun_exercise_names_a_setting_of_its_stage_and_its_notebook_says_what_to_expect(exercise_id):
    import dataclasses

    from seedkit.config import stage_settings_class

    e = EXERCISES[exercise_id]
    stage = next(s for s in STAGES if s.startswith(exercise_id[:2]))
    assert "rerun" in e.needs and e.setting in {f.name for f in dataclasses.fields(stage_settings_class(stage))}
    text = (NOTEBOOKS / f"{stage}.py").read_text(encoding="utf-8")
    bullet = text[text.index(f"# - **{e.tag}.**"):].split("\n# - ", 1)[0]
    prose = " ".join(line.removeprefix("#").strip() for line in bullet.splitlines())
    assert f"`{e.setting} = " in prose and f"What you should see: {e.expect}." in prose


def test_a_setting_without_what_to_expect_is_refused():
    from seedkit.exercises.catalog import Exercise

    with pytest.raises(ValueError, match="what to expect"):
        Exercise("09-1", "t", "core", ("rerun",), setting="beta")
    with pytest.raises(ValueError, match="what to expect"):
        Exercise("09-1", "t", "core", ("smol",), setting="beta", expect="x")
