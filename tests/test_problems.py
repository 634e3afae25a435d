"""data_samples/problems/basic.jsonl: the easy evaluation tier (docs/problems.md).

Checks that the file is a valid problem set of the kit's format and size, that every reference
passes its tests in the sandbox while stub solutions fail, that each prompt's example is right,
and that the tier shares no name, instruction or 10-gram with what the kit trains on (or with the
other evaluation sets). No model is loaded.
"""

from __future__ import annotations

import json
import os
import re
import sysconfig
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from seedkit.config import DATA_SAMPLES
from seedkit.curation.dedup import TokenHasher, ngram_hashes, tokens_of
from seedkit.problems import load_humaneval, load_problems_file
from seedkit.sandbox import Job, run_jobs

BASIC_FILE = DATA_SAMPLES / "problems" / "basic.jsonl"
NGRAM = 10
MAX_PROBLEMS_PER_NGRAM = 2  # decontam.py: n-grams in more problems than this are boilerplate


@pytest.fixture(scope="module")
def tier():
    return load_problems_file(BASIC_FILE)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _stub(language: str) -> str:
    return "    return None\n" if language == "python" else "  return undefined;\n}\n"


# --------------------------------------------------------------------------- shape


def test_tier_has_the_kit_format_and_size(tier):
    python = [p for p in tier if p.language == "python"]
    javascript = [p for p in tier if p.language == "javascript"]
    assert len(python) >= 150
    assert len(javascript) >= 20
    assert len(python) + len(javascript) == len(tier)
    assert [p.task_id for p in tier] == [f"seedkit/basic/{i}" for i in range(len(tier))]
    assert len({p.entry_point for p in tier}) == len(tier)
    assert len({p.instruction.lower() for p in tier}) == len(tier)
    for p in tier:
        lang = "Python" if p.language == "python" else "JavaScript"
        assert p.instruction.startswith(f"Write a {lang} function {p.entry_point}("), p.task_id
        assert p.instruction.endswith("."), p.task_id
        assert p.reference.startswith(p.prompt) and len(p.reference) > len(p.prompt), p.task_id
        if p.language == "python":
            assert p.prompt.startswith(f"def {p.entry_point}(") and p.prompt.endswith('    """\n'), p.task_id
            assert f">>> {p.entry_point}(" in p.prompt, p.task_id
            assert p.tests.startswith("def check(candidate):\n"), p.task_id
            assert p.tests.count("assert ") >= 3, p.task_id
        else:
            assert re.search(rf"\nfunction {p.entry_point}\([^)]*\) {{\n$", p.prompt), p.task_id
            assert f"Example: {p.entry_point}(" in p.prompt, p.task_id
            assert p.tests.count(f"assertEqual({p.entry_point}(") >= 3, p.task_id


# --------------------------------------------------------------------------- sandbox


def _example_check(p) -> str:
    """A test snippet asserting the example in the prompt (doctest / 'Example: ... returns ...')."""
    if p.language == "python":
        m = re.search(r">>> (.+)\n    (.+)\n", p.prompt)
        assert m, p.task_id
        return f"assert repr({m.group(1)}) == {m.group(2)!r}\n"
    m = re.search(r"Example: (.+) returns (.+)\.\n", p.prompt)
    assert m, p.task_id
    return (f"if (JSON.stringify({m.group(1)}) !== JSON.stringify({m.group(2)})) "
            f"{{ throw new Error('example of {p.entry_point}'); }}\n")


def test_references_pass_examples_hold_and_stubs_fail(tier):
    jobs = []
    for p in tier:
        jobs.append(Job(program=p.reference, tests=[p.tests, _example_check(p)], language=p.language,
                        entry_point=p.entry_point))
        jobs.append(Job(program=p.prompt + _stub(p.language), tests=p.tests, language=p.language,
                        entry_point=p.entry_point))
    results = run_jobs(jobs, progress=False)
    refs, stubs = results[0::2], results[1::2]
    skipped = [p.task_id for p, r in zip(tier, refs, strict=True) if r.status == "skipped"]
    if skipped and all(p.language == "javascript" for p in tier if p.task_id in skipped):
        pytest.skip(f"node is not installed: {len(skipped)} JavaScript problems could not run")
    failing = [(p.task_id, r.status, r.error_type, r.stderr_tail[-200:]) for p, r in zip(tier, refs, strict=True) if not r.passed]
    assert failing == []
    assert all(r.tests_total == 2 and r.tests_passed == 2 for r in refs)
    assert [p.task_id for p, r in zip(tier, stubs, strict=True) if r.passed] == []
    assert all(r.status in ("failed", "error") for r in stubs)


# --------------------------------------------------------------------------- never trained on


_HASHER = TokenHasher()


def _ngrams(*fields: str) -> set[int]:
    """The 10-gram hashes seedkit.curation.decontam indexes, field by field (no n-gram spans two).

    Tokens and hashes are the kit's (tokens_of, TokenHasher, ngram_hashes); like decontam.py only
    n-grams whose tokens are at least 60% words count (TokenHasher marks numbers in the low bit).
    """
    out: set[int] = set()
    for text in fields:
        th = _HASHER.hashes(tokens_of(text))
        if len(th) < NGRAM:
            continue
        hs = ngram_hashes(th, NGRAM)
        alpha = ((th & np.uint64(1)) == 0).astype(np.int32)
        csum = np.concatenate([[0], np.cumsum(alpha)])
        wordy = (csum[NGRAM:] - csum[:-NGRAM]) >= int(np.ceil(0.6 * NGRAM))
        out.update(hs[wordy].tolist())
    return out


def _index(entries: list[tuple[str, set[int]]]) -> dict[int, str]:
    """n-gram -> first owner, without the n-grams found in more than MAX_PROBLEMS_PER_NGRAM entries."""
    seen: Counter[int] = Counter()
    owner: dict[int, str] = {}
    for name, grams in entries:
        for h in grams:
            seen[h] += 1
            owner.setdefault(h, name)
    return {h: owner[h] for h, c in seen.items() if c <= MAX_PROBLEMS_PER_NGRAM}


def _other_sets() -> list[tuple[str, set[int]]]:
    """Training problems (written and generated), SFT seeds, long-CoT traces, the held-out set and HumanEval."""
    out = []
    for name in ("train", "heldout"):
        for r in _rows(DATA_SAMPLES / "problems" / f"{name}.jsonl"):
            out.append((r["task_id"], _ngrams(r["instruction"], r["prompt"], r["reference"], r["tests"])))
    # generated problems: what a stage trains on (their tests are never trained on; drawn from the
    # reference on boundary inputs, their `assert candidate(0) == 0`-style lines match other tables)
    for r in _rows(DATA_SAMPLES / "problems" / "generated.jsonl"):
        out.append((r["task_id"], _ngrams(r["instruction"], r["prompt"], r["reference"])))
    for r in _rows(DATA_SAMPLES / "seed_instructions.jsonl"):
        tests = r["tests"] if isinstance(r["tests"], list) else [r["tests"]]
        out.append((r["id"], _ngrams(r["instruction"], r["reference"], *tests)))
    for r in _rows(DATA_SAMPLES / "longcot" / "seed_traces.jsonl"):
        out.append((f"trace:{r['task_id']}", _ngrams(r["trace"])))
    for p in load_humaneval():
        out.append((p.task_id, _ngrams(p.instruction, p.prompt, p.reference, p.tests)))
    return out


def _tier_sets(tier) -> list[tuple[str, set[int]]]:
    return [(p.task_id, _ngrams(p.instruction, p.prompt, p.reference, p.tests)) for p in tier]


def _hits(texts: list[tuple[str, set[int]]], index: dict[int, str]) -> list[tuple[str, str]]:
    return [(name, index[next(iter(grams & index.keys()))]) for name, grams in texts if grams & index.keys()]


def test_no_name_or_instruction_shared_with_other_sets(tier):
    def norm_name(name: str) -> str:  # camelCase and snake_case spellings of one name are the same name
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

    def norm_text(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    others = (_rows(DATA_SAMPLES / "problems" / "train.jsonl") + _rows(DATA_SAMPLES / "problems" / "heldout.jsonl")
              + _rows(DATA_SAMPLES / "problems" / "generated.jsonl") + _rows(DATA_SAMPLES / "seed_instructions.jsonl"))
    humaneval = load_humaneval()
    names = {norm_name(r["entry_point"]) for r in others} | {norm_name(p.entry_point) for p in humaneval}
    instructions = {norm_text(r["instruction"]) for r in others} | {norm_text(p.instruction) for p in humaneval}
    assert len(names) > 250 and len(instructions) > 250
    assert [p.entry_point for p in tier if norm_name(p.entry_point) in names] == []
    assert [p.task_id for p in tier if norm_text(p.instruction) in instructions] == []


def test_no_10gram_shared_with_training_or_evaluation_sets(tier):
    tier_sets = _tier_sets(tier)
    other_sets = _other_sets()
    # the kit's direction: the tier is the benchmark index, the other texts are checked against it
    tier_index = _index(tier_sets)
    assert _hits(other_sets, tier_index) == []
    # and the other way round (their boilerplate is judged among themselves)
    other_index = _index(other_sets)
    assert _hits(tier_sets, other_index) == []
    # the check can fail: a training text that quotes one tier reference is caught
    longest = max(tier, key=lambda p: len(p.reference))
    planted = ("planted", _ngrams("# copied\n" + longest.reference))
    assert _hits([planted], tier_index) == [("planted", longest.task_id)]


@pytest.mark.slow  # ~2,000 files (the interpreter's standard library): a few seconds idle, more on a busy machine
def test_no_10gram_shared_with_the_code_corpus(tier):
    from seedkit.curation.sources import SKIPPED_DIRS

    tier_index = _index(_tier_sets(tier))
    files = [f for sub in ("repos", "web", "quality") for f in sorted((DATA_SAMPLES / sub).rglob("*")) if f.is_file()]
    stdlib = sysconfig.get_paths()["stdlib"]
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and d != "site-packages")
        files += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py")]
    assert len(files) > 500
    texts = [(str(f), _ngrams(f.read_text(encoding="utf-8", errors="replace"))) for f in files]
    assert _hits(texts, tier_index) == []


# --------------------------------------------------------------------------- training problems by source


def test_problem_sources_parse_and_refuse_with_one_line_errors(tmp_path):
    from seedkit.problems import parse_problem_sources

    assert parse_problem_sources("train, generated:300") == [("train", None), ("generated", 300)]
    own = tmp_path / "mine.jsonl"
    own.write_text("", encoding="utf-8")
    assert parse_problem_sources(f"{own}:5") == [(str(own), 5)]
    for bad, says in [("", "empty"), ("gen", "'gen' is not one of"), ("generated:x", "whole number"),
                      ("train,train", "named twice"), ("nowhere.jsonl", "not one of")]:
        with pytest.raises(ValueError, match=says) as e:
            parse_problem_sources(bad)
        assert str(e.value).startswith("problem_sources: ") and "\n" not in str(e.value)


def test_training_problems_from_both_sources_at_least_2000_never_an_evaluation_problem(tmp_path):
    from seedkit.problems import (
        GENERATED_PREFIX,
        evaluation_problems,
        load_training_problems,
        write_problems,
    )

    everything = load_training_problems("train,generated")
    assert len(everything) >= 2000 + 60
    assert sum(p.task_id.startswith(GENERATED_PREFIX) for p in everything) >= 2000
    some = load_training_problems("train:10,generated:30")
    assert [p.task_id for p in some[:10]] == [p.task_id for p in everything[:10]]
    assert len(some) == 40 and len({p.task_id.split("/")[2] for p in some[10:]}) >= 25  # a prefix spans families
    a, b = load_training_problems("train,generated:300", seed=1), load_training_problems("train,generated:300", seed=1)
    assert a == b and a != load_training_problems("train,generated:300", seed=2)
    assert {p.task_id for p in a} == {p.task_id for p in load_training_problems("train,generated:300")}
    assert 0 < sum(p.task_id.startswith(GENERATED_PREFIX) for p in a[:40]) < 40  # both sources mixed
    leaked = tmp_path / "leak.jsonl"
    write_problems(leaked, [next(p for p in evaluation_problems() if p.language == "python")])
    with pytest.raises(ValueError, match="an evaluation problem"):
        load_training_problems(f"train,{leaked}")


def test_each_post_training_stage_has_a_problem_sources_setting_checked_at_once():
    from seedkit.config import SettingsError
    from seedkit.dpo.settings import DPOSettings
    from seedkit.longcot_rl.settings import LongCoTRLSettings
    from seedkit.problems import load_training_problems
    from seedkit.sft.settings import SFTSettings

    for cls in (SFTSettings, DPOSettings, LongCoTRLSettings):
        smol = cls.from_params("smol", run_name="t")
        assert "generated" in smol.problem_sources
        with pytest.raises(SettingsError, match="problem_sources: 'nope'"):
            cls.from_params("smol", run_name="t", problem_sources="train,nope")
    # every stage can reach at least 2,000 problems; SFT's smol share is sized to its 30 fixed steps
    assert len(load_training_problems(SFTSettings.from_params("gpu", run_name="t").problem_sources)) >= 2000
    for cls in (DPOSettings, LongCoTRLSettings):
        assert len(load_training_problems(cls.from_params("smol", run_name="t").problem_sources)) >= 2000
    sft = SFTSettings.from_params("smol", run_name="t")
    assert sft.max_steps == 30 and 150 <= len(load_training_problems(sft.problem_sources)) * sft.train_problems_fraction
    assert len(load_training_problems(SFTSettings.from_params("tiny", run_name="t").problem_sources)) < 100
