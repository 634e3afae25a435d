"""How good is an evaluation tier, and is the training data apart from it? Checks of a problem set.

- **Same task as a training item** (:func:`same_task_by_execution`): a training function that passes
  an evaluation problem's tests *is* that problem, whatever its name or wording, so a model trained
  on it is measured on what it saw. Text n-grams miss such pairs (other names, other docstrings);
  execution does not.
- **Same text** (:func:`same_text`): a training item that shares a window of 16 code tokens with an
  evaluation problem (identifiers, numbers and each operator a token, JSON/Python escapes decoded
  first, ``def`` lines left out; no window skipped for holding few letters (only windows of numbers and marks alone)), so a line of evaluation
  code or an escaped copy of a problem (as in a diff or a JSON line) is found too.
- **Same body** (:func:`same_body_groups`): two problems whose references are the same code up to
  names count one skill twice.
- **Tests that kill near misses** (:func:`mutation_report`): every single-point mutant of a reference
  (``<`` for ``<=``, ``+ 1`` for ``+ 0``, ``min`` for ``max``, ``and`` for ``or``, a dropped
  ``sorted``, ...) that still passes the tests is a plausible wrong program the tier would count as
  right. Some mutants compute the same function (``x >= 1`` and ``x > 0`` on integers) and can never
  be killed; the rest point at a missing test. The mutation score is the fraction killed.

What runs here is code the kit ships (references, their mutants, its own training solutions), never
a model's answer: it runs in a child interpreter (``python -I``) with a time limit per variant and
an address-space limit, not in the sandbox, so that thousands of variants take seconds.
``python -m seedkit.measure.problem_checks --set basic|heldout|humaneval`` prints all four for a set (the
training items: ``train.jsonl``, ``generated.jsonl``, the SFT seeds and the warm-up traces).
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from seedkit.config import DATA_SAMPLES
from seedkit.formats import parse_trace
from seedkit.problems import Problem, load_problem_set, load_training_problems

# The child interpreter: for each job, exec the variant in a fresh namespace, take the named function
# and call the tests' check(candidate) on it, under a timer and an address-space limit. One line of
# JSON out: per job, per variant, True when every assert held. The timer counts the child's own CPU
# time (ITIMER_PROF), so a loaded machine does not fail a correct reference; a wall-time timer at 20x
# is the backstop for a variant that waits. Both re-fire every 0.1 s (a variant that swallows the
# first TimeoutError gets another), and the handler raises only while a variant runs: a timer that
# fires after the variant finished can never escape and end the whole chunk.
_DRIVER = r"""
import json, resource, signal, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
armed = False
def _alarm(*_):
    if armed:
        raise TimeoutError("variant took too long")
signal.signal(signal.SIGALRM, _alarm)
signal.signal(signal.SIGPROF, _alarm)
compiled = {}
def _compiled(src, where):
    # a variant runs against many problems: compile each source once
    if src not in compiled:
        compiled[src] = compile(src, where, "exec")
    return compiled[src]
out = []
for job in json.load(sys.stdin):
    passed = []
    for code, name in job["variants"]:
        ok = False
        try:
            try:
                armed = True
                signal.setitimer(signal.ITIMER_PROF, job["timeout"], 0.1)
                signal.setitimer(signal.ITIMER_REAL, max(10.0, 20 * job["timeout"]), 0.1)
                ns = {"__name__": "__variant__"}
                exec(_compiled(code, "<variant>"), ns)
                tests = dict(ns)  # HumanEval's checks call helpers the prompt defines (poly, encode_cyclic)
                exec(_compiled(job["tests"], "<tests>"), tests)
                tests["check"](ns[name])
                ok = True
            finally:
                armed = False
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.setitimer(signal.ITIMER_REAL, 0)
        except BaseException:
            pass
        passed.append(ok)
    out.append(passed)
sys.stdout.write(json.dumps(out))
"""


@dataclass(frozen=True)
class Variant:
    """Code to try against a problem's tests, and the name of the function in it to call."""

    code: str
    function: str
    label: str = ""


def run_variants(jobs: Sequence[tuple[Problem, Sequence[Variant]]], *, timeout_s: float = 1.0,
                 workers: int | None = None, chunk: int = 16) -> list[list[bool]]:
    """For each (problem, variants): whether each variant passes the problem's Python tests."""
    payload = [{"tests": p.tests, "timeout": timeout_s, "variants": [(v.code, v.function) for v in vs]}
               for p, vs in jobs]
    chunks = [payload[i:i + chunk] for i in range(0, len(payload), chunk)]
    workers = workers or min(2, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(_run_chunk, chunks))
    return [row for part in parts for row in part]


def _run_chunk(jobs: list[dict]) -> list[list[bool]]:
    if not jobs:
        return []
    limit = 60 + sum(len(j["variants"]) for j in jobs) * max(10.0, 20 * jobs[0]["timeout"])
    done = subprocess.run([sys.executable, "-I", "-c", _DRIVER], input=json.dumps(jobs), capture_output=True,
                          text=True, timeout=limit)
    if done.returncode != 0:
        raise RuntimeError(f"problem checks: the child interpreter failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- same task by execution


def functions_in(code: str) -> list[str]:
    """Names of the top-level functions a piece of code defines (none when it does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]


def arity(code: str, name: str) -> int | None:
    """How many positional arguments ``name`` takes in ``code``; None when that is not one fixed number
    (defaults, ``*args``, keyword-only arguments) or the function is not found."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            a = node.args
            if a.vararg or a.kwarg or a.kwonlyargs or a.defaults or a.posonlyargs:
                return None
            return len(a.args)
    return None


def same_task_by_execution(candidates: Sequence[tuple[str, str]], problems: Sequence[Problem], *,
                           timeout_s: float = 1.0, workers: int | None = None) -> dict[str, list[str]]:
    """Evaluation task id -> the training items (``(item id, code)``) one of whose functions passes its
    tests. Only Python problems are checked. A function with a fixed number of arguments runs only against
    the problems whose entry point takes as many, or whose count is not fixed: called with another count it
    raises, so it could not pass (this keeps thousands of candidates to minutes)."""
    variants = [(arity(code, fn), Variant(code, fn, item)) for item, code in candidates for fn in functions_in(code)]
    python = [p for p in problems if p.language == "python"]
    jobs = []
    for p in python:
        count = arity(p.prompt, p.entry_point)
        jobs.append((p, [v for a, v in variants if a is None or count is None or a == count]))
    results = run_variants([(p, vs) for p, vs in jobs if vs], timeout_s=timeout_s, workers=workers)
    found: dict[str, list[str]] = {}
    for (p, vs), passed in zip([(p, vs) for p, vs in jobs if vs], results, strict=True):
        hits = sorted({v.label for v, ok in zip(vs, passed, strict=True) if ok})
        if hits:
            found[p.task_id] = hits
    return found


# --------------------------------------------------------------------------- same text: code-token n-grams

NGRAM = 16  # code tokens per window: about the text of the corpus rule's 10 words
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|[0-9]+|[^\sA-Za-z_0-9]")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrt\"'\\/])")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "'": "'", "\\": "\\", "/": "/"}


def unescape(text: str, rounds: int = 3) -> str:
    """``text`` with JSON/Python string escapes decoded until none is left (at most ``rounds`` times): a
    problem copied into a JSON line or a diff (``\\n    return a - b``) reads as the code it holds."""
    for _ in range(rounds):
        out = _ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "u" else _ESCAPES[m.group(1)],
                          text)
        if out == text:
            break
        text = out
    return text


_SIGNATURE = re.compile(r"^\s*(?:async\s+)?def\s+\w+\s*\(.*?\)\s*(?:->[^:]*)?:\s*$", re.M | re.S)


# a doctest example and the line of output after it: small literals (``[1, 2, 3]``) that unrelated problems share
_TRIPLE = re.compile("\"\"\"|'''")
_DOCTEST = re.compile(r"^[ \t]*>>>.*\n(?:(?![ \t]*(?:>>>|\"\"\"|'''))[^\n]*\n)?", re.M)


def code_segments(text: str) -> list[list[str]]:
    """Lower-cased identifiers, digit runs and single punctuation marks of ``text`` after :func:`unescape`, cut
    into segments at triple quotes (a docstring's prose and the code around it are apart, so no window joins
    the two), its ``def`` lines and doctest examples left out. Code keeps its operators (``text[::-1]`` is
    eight tokens), so a line of code or a test table counts as much as a sentence; typed signatures
    (``(xs: list[int]) -> list[int]:``) and doctest literals, shared by unrelated tasks, match nothing."""
    text = _DOCTEST.sub("", _SIGNATURE.sub("", unescape(text)))
    return [toks for part in _TRIPLE.split(text) if (toks := [t.lower() for t in _TOKEN.findall(part)])]


def code_tokens(text: str) -> list[str]:
    """The tokens of :func:`code_segments`, one list."""
    return [t for seg in code_segments(text) for t in seg]


def _ordered_windows(text: str, n: int) -> list[tuple[str, ...]]:
    """Every window of ``n`` tokens inside one segment of ``text`` that holds a word (one of numbers and
    marks alone, such as ``[1, 2, 3, 4, 5], 2)``, is shared by unrelated problems)."""
    out = []
    for toks in code_segments(text):
        word = [t[0].isalpha() or t[0] == "_" for t in toks]
        out += [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1) if any(word[i:i + n])]
    return out


def _windows(text: str, n: int) -> set[tuple[str, ...]]:
    return set(_ordered_windows(text, n))


def _texts(item: Problem | tuple[str, str], tests: bool = True) -> tuple[str, list[str]]:
    if isinstance(item, Problem):
        return item.task_id, [item.instruction, item.prompt, item.reference, *([item.tests] if tests else [])]
    return item[0], [item[1]]


@dataclass
class NgramIndex:
    """Code-token ``n``-grams of evaluation problems (each field on its own), without the boilerplate: windows
    found in more than ``max_problems`` problems (``def check ( candidate ) :``, the JavaScript helper)
    name no problem."""

    owner: dict[tuple[str, ...], str]
    n: int
    boilerplate: int

    @classmethod
    def of(cls, problems: Sequence[Problem], n: int = NGRAM, max_problems: int = 2) -> NgramIndex:
        seen: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for p in problems:
            task, texts = _texts(p)
            for w in set().union(*(_windows(t, n) for t in texts)):
                seen[w].append(task)
        owner = {w: ids[0] for w, ids in seen.items() if len(ids) <= max_problems}
        return cls(owner, n, len(seen) - len(owner))

    def check(self, text: str) -> tuple[str, str] | None:
        """(evaluation task id, the shared window) for the first window of ``text`` in the index, else None."""
        for window in _ordered_windows(text, self.n):
            if (hit := self.owner.get(window)) is not None:
                return hit, " ".join(window)
        return None


def same_text(candidates: Sequence[Problem | tuple[str, str]], problems: Sequence[Problem], *, n: int = NGRAM,
              index: NgramIndex | None = None) -> dict[str, tuple[str, str]]:
    """Training item id -> (evaluation task id, shared window) for every item one of whose texts shares a
    code-token ``n``-gram with an evaluation problem's instruction, prompt, reference or tests.

    A training problem's texts are what a stage trains on: its instruction, prompt and reference, each on
    its own (its tests are never trained on, and boundary asserts such as ``candidate('') == ''`` are
    shared by unrelated tasks); an ``(id, text)`` pair's is its text, escaped or not.
    """
    index = index or NgramIndex.of(problems, n)
    found: dict[str, tuple[str, str]] = {}
    for item in candidates:
        task, texts = _texts(item, tests=False)
        for text in texts:
            if (hit := index.check(text)) is not None:
                found[task] = hit
                break
    return found


# --------------------------------------------------------------------------- same body


class _Canon(ast.NodeTransformer):
    """Arguments and local names renamed by first appearance, docstrings dropped."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _name(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self._name(node.arg)
        node.annotation = None
        return node

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.names or isinstance(node.ctx, ast.Store):
            node.id = self._name(node.id)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.name = "f"
        node.returns = None
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
            body = body[1:]
        node.body = body or [ast.Pass()]
        self.generic_visit(node)
        return node


def canonical_body(reference: str) -> str | None:
    """The reference's code with names, annotations and docstrings taken out (None: does not parse)."""
    try:
        tree = ast.parse(reference)
    except SyntaxError:
        return None
    return ast.dump(_Canon().visit(tree), annotate_fields=False)


def same_body_groups(problems: Sequence[Problem]) -> list[list[str]]:
    """Groups (two or more task ids) of Python problems whose references are the same code."""
    groups: dict[str, list[str]] = defaultdict(list)
    for p in problems:
        if p.language == "python" and (key := canonical_body(p.reference)) is not None:
            groups[key].append(p.task_id)
    return sorted((ids for ids in groups.values() if len(ids) > 1), key=lambda g: g[0])


# --------------------------------------------------------------------------- mutants

_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE,), ast.LtE: (ast.Lt,), ast.Gt: (ast.GtE,), ast.GtE: (ast.Gt,),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Add,), ast.Div: (ast.FloorDiv,),
    ast.FloorDiv: (ast.Div,), ast.Mod: (ast.FloorDiv,), ast.Pow: (ast.Mult,), ast.And: (ast.Or,),
    ast.Or: (ast.And,),
}
_NAME_SWAPS = {"max": "min", "min": "max", "any": "all", "all": "any", "True": "False", "False": "True"}


def _mutation_points(tree: ast.AST) -> Iterator[tuple[str, ast.AST, str]]:
    """(kind, node, what) for every place a single-point mutation applies."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _SWAPS:
                    yield "compare", node, str(i)
        elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _SWAPS:
            yield "binop", node, ""
        elif isinstance(node, ast.BoolOp) and type(node.op) in _SWAPS:
            yield "boolop", node, ""
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield "int+1", node, ""
            yield "int-1", node, ""
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield "not", node, ""
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in _NAME_SWAPS:
                yield "swapname", node.func, ""
            if node.func.id in ("sorted", "reversed", "abs", "int", "round") and len(node.args) == 1 and not node.keywords:
                yield "dropcall", node, ""
        elif isinstance(node, ast.Name) and node.id in ("True", "False"):
            yield "swapname", node, ""


def _apply(tree: ast.AST, index: int) -> tuple[ast.AST, str] | None:
    """A copy of ``tree`` with the ``index``-th mutation applied, and its description."""
    tree = copy.deepcopy(tree)
    points = list(_mutation_points(tree))
    if index >= len(points):
        return None
    kind, node, what = points[index]
    line = getattr(node, "lineno", 0)
    if kind == "compare":
        i = int(what)
        old = node.ops[i]
        node.ops[i] = _SWAPS[type(old)][0]()
        return tree, f"line {line}: {type(old).__name__} -> {type(node.ops[i]).__name__}"
    if kind in ("binop", "boolop"):
        old = node.op
        node.op = _SWAPS[type(old)][0]()
        return tree, f"line {line}: {type(old).__name__} -> {type(node.op).__name__}"
    if kind in ("int+1", "int-1"):
        old = node.value
        node.value = old + (1 if kind == "int+1" else -1)
        return tree, f"line {line}: {old} -> {node.value}"
    if kind == "not":
        return _replace(tree, node, node.operand), f"line {line}: not dropped"
    if kind == "swapname":
        old = node.id
        node.id = _NAME_SWAPS[old]
        return tree, f"line {line}: {old} -> {node.id}"
    if kind == "dropcall":
        return _replace(tree, node, node.args[0]), f"line {line}: {node.func.id}(...) dropped"
    return None


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> ast.AST:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return tree
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return tree
    return tree


def mutants(reference: str, limit: int = 60) -> list[tuple[str, str]]:
    """(description, code) for each single-point mutant of a reference whose code differs from it."""
    try:
        tree = ast.parse(reference)
    except SyntaxError:
        return []
    body = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
    if body is None:
        return []
    original = ast.unparse(tree)
    out: list[tuple[str, str]] = []
    seen = {original}
    for i in range(len(list(_mutation_points(tree)))):
        applied = _apply(tree, i)
        if applied is None:
            break
        mutated, what = applied
        try:
            code = ast.unparse(ast.fix_missing_locations(mutated))
        except Exception:  # noqa: BLE001 - a mutation the unparser cannot write is no mutant
            continue
        if code not in seen:
            seen.add(code)
            out.append((what, code))
        if len(out) >= limit:
            break
    return out


@dataclass
class MutationReport:
    """Mutants of every reference, and which the tests let through."""

    total: int = 0
    killed: int = 0
    survivors: dict[str, list[str]] = field(default_factory=dict)  # task id -> descriptions
    reference_fails: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.killed / self.total if self.total else 1.0


def mutation_report(problems: Sequence[Problem], *, timeout_s: float = 1.0, workers: int | None = None) -> MutationReport:
    """Run every single-point mutant of every Python reference against its problem's tests."""
    python = [p for p in problems if p.language == "python"]
    plans = [(p, [("reference", p.reference), *mutants(p.reference)]) for p in python]
    jobs = [(p, [Variant(code, p.entry_point, what) for what, code in ms]) for p, ms in plans]
    results = run_variants(jobs, timeout_s=timeout_s, workers=workers)
    report = MutationReport()
    for (p, variants), passed in zip(jobs, results, strict=True):
        if not passed[0]:
            report.reference_fails.append(p.task_id)
            continue
        report.total += len(variants) - 1
        report.killed += sum(1 for ok in passed[1:] if not ok)
        alive = [v.label for v, ok in zip(variants[1:], passed[1:], strict=True) if ok]
        if alive:
            report.survivors[p.task_id] = alive
    return report


# --------------------------------------------------------------------------- the kit's own sets


def kit_training_functions() -> list[tuple[str, str]]:
    """(item id, code) of every function the kit trains on: the training problems' references (written by hand
    and generated by the problem families), the SFT seeds' references and the warm-up traces' code."""
    items = [(p.task_id, p.reference) for p in load_training_problems("train,generated", language=None)]
    for line in (DATA_SAMPLES / "seed_instructions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append((row["id"], row["reference"]))
    traces = DATA_SAMPLES / "longcot" / "seed_traces.jsonl"
    for line in traces.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            code = parse_trace(row["trace"]).code
            if code:
                items.append((f"trace:{row['task_id']}", code))
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seedkit.measure.problem_checks",
                                     description="Check an evaluation set: same task as a training item (by "
                                                 "execution), same bodies, and the mutation score of its tests.")
    parser.add_argument("--set", default="basic", help="problem set (basic, heldout, humaneval)")
    parser.add_argument("--show", type=int, default=20, help="how many surviving mutants to list")
    args = parser.parse_args(argv)
    problems = load_problem_set(args.set)
    python = [p for p in problems if p.language == "python"]
    print(f"{args.set}: {len(problems)} problems, {len(python)} in Python (the checks below run those)")
    training = kit_training_functions()
    same = same_task_by_execution(training, problems)
    print(f"same task as a training item (by execution, {len(training)} training functions): {len(same)}")
    for task, items in same.items():
        print(f"  {task}: {', '.join(items)}")
    text = same_text([*load_training_problems("train,generated", language=None), *training], problems)
    print(f"training items sharing a code-token {NGRAM}-gram with it (escapes decoded): {len(text)}")
    for item, (task, window) in text.items():
        print(f"  {item}: '{window}' of {task}")
    groups = same_body_groups(problems)
    print(f"groups of problems with the same body: {len(groups)}")
    for g in groups:
        print("  " + ", ".join(g))
    report = mutation_report(problems)
    print(f"mutation score: {report.killed}/{report.total} = {report.score:.3f} single-point mutants killed; "
          f"{len(report.survivors)} problems let at least one through (some survivors compute the same function)")
    if report.reference_fails:
        print(f"references failing their own tests: {', '.join(report.reference_fails)}")
    for task, alive in list(report.survivors.items())[: args.show]:
        print(f"  {task}: " + "; ".join(alive[:4]) + (" ..." if len(alive) > 4 else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
