"""How good is an evaluation tier? Three checks of a problem set, by execution.

- **Same task as a training item** (:func:`same_task_by_execution`): a training function that passes
  an evaluation problem's tests *is* that problem, whatever its name or wording, so a model trained
  on it is measured on what it saw. Text n-grams miss such pairs (other names, other docstrings);
  execution does not.
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
``python -m seedkit.measure.problem_checks`` prints all three for the kit's basic tier.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from seedkit.config import DATA_SAMPLES
from seedkit.formats import parse_trace
from seedkit.problems import Problem, load_problem_set, load_train_problems

# The child interpreter: for each job, exec the variant in a fresh namespace, take the named function
# and call the tests' check(candidate) on it, under a timer and an address-space limit. One line of
# JSON out: per job, per variant, True when every assert held.
_DRIVER = r"""
import json, resource, signal, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
def _alarm(*_):
    raise TimeoutError("variant took too long")
signal.signal(signal.SIGALRM, _alarm)
out = []
for job in json.load(sys.stdin):
    passed = []
    for code, name in job["variants"]:
        ok = False
        try:
            signal.setitimer(signal.ITIMER_REAL, job["timeout"])
            ns = {"__name__": "__variant__"}
            exec(compile(code, "<variant>", "exec"), ns)
            tests = dict(ns)  # HumanEval's checks call helpers the prompt defines (poly, encode_cyclic)
            exec(compile(job["tests"], "<tests>", "exec"), tests)
            tests["check"](ns[name])
            ok = True
        except BaseException:
            ok = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
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
    limit = 30 + sum(len(j["variants"]) for j in jobs) * (jobs[0]["timeout"] + 0.2)
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


def same_task_by_execution(candidates: Sequence[tuple[str, str]], problems: Sequence[Problem], *,
                           timeout_s: float = 1.0, workers: int | None = None) -> dict[str, list[str]]:
    """Evaluation task id -> the training items (``(item id, code)``) one of whose functions passes its
    tests. Only Python problems are checked."""
    variants = [Variant(code, fn, item) for item, code in candidates for fn in functions_in(code)]
    python = [p for p in problems if p.language == "python"]
    results = run_variants([(p, variants) for p in python], timeout_s=timeout_s, workers=workers)
    found: dict[str, list[str]] = {}
    for p, passed in zip(python, results, strict=True):
        hits = sorted({v.label for v, ok in zip(variants, passed, strict=True) if ok})
        if hits:
            found[p.task_id] = hits
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
    """(item id, code) of every function the kit trains on: the training problems' references, the SFT
    seeds' references and the warm-up traces' code."""
    items = [(p.task_id, p.reference) for p in load_train_problems()]
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
    same = same_task_by_execution(kit_training_functions(), problems)
    print(f"same task as a training item (by execution): {len(same)}")
    for task, items in same.items():
        print(f"  {task}: {', '.join(items)}")
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
