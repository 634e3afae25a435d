"""The package's shape: layers that read bottom to top, no import loops, no hidden dependencies.

Every import of the kit's own modules is counted (module level, inside functions, under
``TYPE_CHECKING``), so a loop cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "seedkit"

# Bottom to top. A module may import modules of its own layer or of a lower one, never a higher one.
SPINE = {"config", "profiles", "fieldtypes", "switch", "files", "manifests", "runs", "steps", "models", "problems", "formats", "training", "notebooks", "launchers", "memory_plan", "memory_fit", "model_dims",
         "pipeline", "transfer", "tokens"}
LIBRARIES = {"generation", "sandbox", "measure", "problem_families"}
STAGES = {"curation", "llm_filter", "pretraining", "posttraining", "sft", "dpo", "longcot_rl", "eval"}
TOP = {"cli", "checks", "sweep", "sweep_curves", "doctor", "__main__", "exercises"}
LAYER = {**{m: 0 for m in SPINE}, **{m: 1 for m in LIBRARIES}, **{m: 2 for m in STAGES}, **{m: 3 for m in TOP}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def kit_imports(path: Path, known: dict[str, Path]) -> list[tuple[str, ast.AST]]:
    """(imported kit module, node) for every import statement of the kit in a file, wherever it sits."""
    mod = module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if not name.startswith("seedkit"):
                continue
            while name not in known and "." in name:
                name = name.rpartition(".")[0]
            out.append((name, node))
    return out


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, path in known.items():
        for target, _ in kit_imports(path, known):
            if target != mod and target != "seedkit":
                graph[mod].add(target)
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(set(graph) | {t for ts in graph.values() for t in ts}):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def top_package(mod: str) -> str:
    return mod.split(".")[1] if "." in mod else mod


def test_loop_finder_finds_a_planted_loop():
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert loops({"a": {"b"}, "b": set()}) == []


def test_no_import_loops_counting_every_import():
    found = loops(import_graph())
    assert not found, f"import loops: {found}"


def test_every_package_has_a_layer():
    tops = {top_package(m) for m in modules() if m != "seedkit"}
    assert tops <= set(LAYER), f"give these a layer in tests/test_architecture.py: {sorted(tops - set(LAYER))}"


def test_layers_read_bottom_to_top():
    wrong = []
    for mod, targets in import_graph().items():
        here = top_package(mod)
        for target in targets:
            there = top_package(target)
            if here != there and LAYER[there] > LAYER[here]:
                wrong.append(f"{mod} -> {target}")
            elif LAYER[here] == LAYER[there] == 2 and here != there and there != "posttraining":
                # stages read each other's outputs from the run, not each other's code; what 04-06 share
                # is posttraining, and only SFT's synthesis reads the curation and filter stages' helpers
                if not (here == "sft" and there in ("curation", "llm_filter")) and not (
                        here == "dpo" and there in ("curation",)):
                    wrong.append(f"{mod} -> {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_measure_knows_no_stage():
    wrong = [f"{m} -> {t}" for m, ts in import_graph().items() if top_package(m) == "measure"
             for t in ts if top_package(t) in STAGES]
    assert not wrong, wrong


def test_kit_imports_sit_at_the_top_of_each_module_outside_cli():
    known = modules()
    inside = []
    for mod, path in known.items():
        if top_package(mod) == "cli":
            continue  # the command line imports a stage only when its command runs, to start fast
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Import | ast.ImportFrom) and kit_imports_in(node, path, known):
                        inside.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not inside, "imports of the kit inside functions (move them to the top):\n" + "\n".join(sorted(set(inside)))


def kit_imports_in(node: ast.AST, path: Path, known: dict[str, Path]) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").startswith("seedkit")
    return any(a.name.startswith("seedkit") for a in node.names)


@pytest.mark.timeout(300)
def test_importing_any_kit_module_loads_no_torch():
    """The command line and the notebooks' first cells start fast: torch (and transformers, which
    imports it) load only when a model is used."""
    names = sorted(m for m in modules() if not m.endswith("__main__"))
    code = ("import importlib, sys\n"
            f"for m in {names!r}:\n"
            "    importlib.import_module(m)\n"
            "    assert 'torch' not in sys.modules, m\n"
            "print('ok', len(sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")


MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 100


def test_files_and_functions_stay_readable():
    """A module a reader can hold in mind (600 lines at most) and functions of a screen or two (100)."""
    long_files, long_functions = [], []
    for mod, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_FILE_LINES:
            long_files.append(f"{mod}: {text.count(chr(10))} lines")
        for fn in ast.walk(ast.parse(text)):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and fn.end_lineno - fn.lineno + 1 > MAX_FUNCTION_LINES:
                long_functions.append(f"{mod}.{fn.name}: {fn.end_lineno - fn.lineno + 1} lines")
    assert not long_files and not long_functions, "split these:\n" + "\n".join(long_files + long_functions)
