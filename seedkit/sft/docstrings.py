"""Docstring-to-implementation pairs mined from the corpus: instruction data with no generator.

A documented top-level function is already an instruction and its answer: the signature and
docstring say what to build, the body builds it. A pair is kept only when it is *self-contained*:
the function parses, and every name it reads is a parameter, a local, a builtin, or a standard
library module imported by the file (those import lines travel with the solution). Anything that
leans on the rest of its file (a helper, a global, a class) is dropped with the reason, since an
answer that calls code the reader never sees teaches the wrong thing.

Doctest examples in the docstring (``>>> f(2)`` / ``4``) become assert tests, so such pairs are
verified against behaviour; pairs without examples are verified by executing the definition only
(the record's ``tests`` then holds just ``assert callable(f)``).
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BUILTIN_NAMES = frozenset(dir(builtins))
STDLIB = frozenset(sys.stdlib_module_names)


@dataclass
class MinedPair:
    id: str
    entry_point: str
    instruction: str
    solution: str  # imports + the function without its docstring
    tests: str  # assert lines from doctests, or a callable() smoke check
    has_doctests: bool
    origin: str


def _bound_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Every name the function binds itself: parameters, assignments, loop/with/except targets,
    comprehension variables, nested defs and local imports."""
    bound: set[str] = {fn.name}
    for node in ast.walk(fn):
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            if not isinstance(node, ast.Lambda):
                bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for a in node.names:
                bound.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
    return bound


def free_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names the function reads but does not bind and that are not builtins."""
    bound = _bound_names(fn)
    loads = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return {n for n in loads - bound if n not in BUILTIN_NAMES}


def module_stdlib_imports(tree: ast.Module) -> dict[str, str]:
    """name -> import line, for the file's top-level imports of standard-library modules."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in STDLIB:
                    name = a.asname or a.name.split(".")[0]
                    out[name] = f"import {a.name}" + (f" as {a.asname}" if a.asname else "")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in STDLIB:
                for a in node.names:
                    if a.name == "*":
                        continue
                    name = a.asname or a.name
                    out[name] = f"from {node.module} import {a.name}" + (f" as {a.asname}" if a.asname else "")
    return out


def doctest_asserts(docstring: str) -> list[str]:
    """``>>> expr`` followed by an expected line -> ``assert expr == expected``.

    Only single-line examples whose expected output is a Python literal-ish expression are used
    (printing, exceptions and multi-line examples are skipped: they do not turn into one assert).
    """
    lines = docstring.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith(">>> "):
            expr = line[4:].strip()
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if nxt and not nxt.startswith(">>>") and not nxt.startswith("..."):
                if not nxt.startswith("Traceback") and not expr.startswith(("print(", "import ", "from ")):
                    candidate = f"assert {expr} == {nxt}"
                    try:
                        ast.parse(candidate)
                        out.append(candidate)
                    except SyntaxError:
                        pass
                i += 2
                continue
        i += 1
    return out


def _strip_docstring(fn: ast.FunctionDef | ast.AsyncFunctionDef, source: str) -> str:
    """The function's source with its docstring statement removed (the answer should not repeat the question)."""
    lines = source.splitlines()
    start = (min(d.lineno for d in fn.decorator_list) if fn.decorator_list else fn.lineno) - 1
    body_first = fn.body[0]
    keep = lines[start:body_first.lineno - 1] + lines[body_first.end_lineno:fn.end_lineno]
    if len(fn.body) == 1:  # only a docstring: nothing to implement
        return ""
    return "\n".join(keep)


def signature_text(fn: ast.FunctionDef | ast.AsyncFunctionDef, source: str) -> str:
    """``def name(args) -> ret:`` as written."""
    seg = ast.get_source_segment(source, fn) or ""
    header_end = fn.body[0].lineno - fn.lineno
    header = "\n".join(seg.splitlines()[:header_end]) if header_end > 0 else seg.splitlines()[0]
    return header.strip()


def mine_docstring_pairs(source: str, origin: str = "", min_body_lines: int = 2,
                         max_body_lines: int = 40) -> tuple[list[MinedPair], dict[str, int]]:
    """Self-contained documented top-level functions of one Python file, with reasons for the rest."""
    counts: dict[str, int] = {}

    def drop(reason: str) -> None:
        counts[reason] = counts.get(reason, 0) + 1

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        drop("file_does_not_parse")
        return [], counts
    imports = module_stdlib_imports(tree)
    pairs: list[MinedPair] = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        doc = ast.get_docstring(fn)
        if not doc or len(doc.split()) < 4:
            drop("no_docstring")
            continue
        if fn.name.startswith("_") or fn.name.startswith("test"):
            drop("private_or_test")
            continue
        if isinstance(fn, ast.AsyncFunctionDef):
            drop("async")
            continue
        body = _strip_docstring(fn, source)
        n_body = len(fn.body) - 1
        body_lines = (fn.end_lineno or fn.lineno) - fn.body[0].end_lineno if n_body else 0
        if n_body == 0 or not body.strip():
            drop("empty_body")
            continue
        if not (min_body_lines <= body_lines <= max_body_lines):
            drop("body_length")
            continue
        try:
            ast.parse(body)
        except SyntaxError:
            drop("body_does_not_parse")
            continue
        missing = free_names(fn) - set(imports)
        if missing:
            drop("not_self_contained")
            continue
        needed = sorted({imports[n] for n in free_names(fn) if n in imports})
        solution = ("\n".join(needed) + "\n\n\n" if needed else "") + body.strip("\n") + "\n"
        asserts = doctest_asserts(doc)
        tests = "\n".join(asserts) if asserts else f"assert callable({fn.name})"
        sig = signature_text(fn, source)
        doc_block = textwrap.indent(f'"""{doc}\n"""', "    ")
        instruction = (f"Implement the Python function `{fn.name}` with this signature and docstring. "
                       f"Return the complete function.\n\n```python\n{sig}\n{doc_block}\n```")
        key = hashlib.sha256(solution.encode()).hexdigest()[:16]
        pairs.append(MinedPair(id=f"doc-{key}", entry_point=fn.name, instruction=instruction,
                               solution=solution, tests=tests, has_doctests=bool(asserts),
                               origin=f"{origin}:{fn.name}" if origin else fn.name))
        counts["kept"] = counts.get("kept", 0) + 1
    return pairs, counts


def mine_corpus(rows: Iterable[Mapping[str, Any]], limit: int) -> tuple[list[MinedPair], dict[str, int]]:
    """Mine Python rows (highest quality_score first), up to ``limit`` pairs; counts summed over files."""
    rows = sorted((r for r in rows if str(r.get("language", "")).lower() == "python"),
                  key=lambda r: -(float(r["quality_score"]) if r.get("quality_score") is not None else 0.0))
    total: dict[str, int] = {}
    out: list[MinedPair] = []
    seen: set[str] = set()
    for r in rows:
        if len(out) >= limit:
            break
        pairs, counts = mine_docstring_pairs(str(r.get("content", "")), f"{r.get('repo', '')}/{r.get('path', '')}")
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        for p in pairs:
            if p.id in seen or len(out) >= limit:
                continue
            seen.add(p.id)
            out.append(p)
    return out, total
