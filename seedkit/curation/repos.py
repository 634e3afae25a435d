"""Repository-level samples: a repository's kept files concatenated in dependency order.

The report packs repository-level data so a file's dependencies come before it. The kit reads
imports with light regular expressions (Python ``import``/``from``, JavaScript/TypeScript
``import``/``require`` of relative paths, C/C++ ``#include "..."``), resolves them to files of
the same repository, and orders files depth-first so every dependency precedes its users;
cycles are broken at the first file met; ties go by path. Files whose imports show nothing
keep path order.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import Any

PATH_HEADER = "# ==== {path} ===="

_PY_IMPORT = re.compile(r"^\s*(?:from\s+(\.*[\w.]*)\s+import\s+([\w*, ()]+)|import\s+([\w., ]+))", re.M)
_JS_IMPORT = re.compile(r"""(?:from\s+|require\(\s*|import\s*\(\s*|import\s+)['"](\.{1,2}/[^'"]+)['"]""")
_C_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
_JS_EXTS = ("", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", "/index.js", "/index.ts")


def _python_modules(path: str) -> list[str]:
    """Module names a Python file may be imported as (full dotted path and its suffixes)."""
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[i:]) for i in range(len(parts)) if parts[i:]]


def _python_deps(path: str, text: str, modules: dict[str, str]) -> list[str]:
    deps = []
    pkg = path.split("/")[:-1]
    for m in _PY_IMPORT.finditer(text):
        frm, names, plain = m.group(1), m.group(2), m.group(3)
        cands: list[str] = []
        if frm is not None:
            dots = len(frm) - len(frm.lstrip("."))
            base = frm.lstrip(".")
            if dots:
                up = pkg[: len(pkg) - (dots - 1)] if dots - 1 <= len(pkg) else []
                prefix = ".".join(up + ([base] if base else []))
            else:
                prefix = base
            cands.append(prefix)
            for n in re.split(r"[,\s()]+", names or ""):
                if n and n != "*":
                    cands.append(f"{prefix}.{n}" if prefix else n)
        else:
            for n in (plain or "").split(","):
                n = n.strip().split(" ")[0]
                if n:
                    cands.append(n)
        for c in cands:
            target = modules.get(c)
            if target and target != path:
                deps.append(target)
    return deps


def _relative_deps(path: str, text: str, files: set[str], pattern: re.Pattern[str], exts: Sequence[str]) -> list[str]:
    deps = []
    here = posixpath.dirname(path)
    for m in pattern.finditer(text):
        rel = posixpath.normpath(posixpath.join(here, m.group(1)))
        for ext in exts:
            if rel + ext in files and rel + ext != path:
                deps.append(rel + ext)
                break
    return deps


def dependency_order(files: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The files of one repository, each dependency before the files importing it."""
    by_path = {f["path"]: f for f in files}
    paths = sorted(by_path)
    pathset = set(paths)
    modules: dict[str, str] = {}
    for p in paths:
        if p.endswith(".py"):
            for name in _python_modules(p):
                modules.setdefault(name, p)
    deps: dict[str, list[str]] = {}
    for p in paths:
        text = by_path[p].get("content") or ""
        lang = by_path[p].get("language")
        if lang == "python":
            d = _python_deps(p, text, modules)
        elif lang in ("javascript", "typescript", "tsx"):
            d = _relative_deps(p, text, pathset, _JS_IMPORT, _JS_EXTS)
        elif lang in ("c", "cpp"):
            d = _relative_deps(p, text, pathset, _C_INCLUDE, ("",))
        else:
            d = []
        deps[p] = sorted(set(d))
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(p: str) -> None:
        stack = [(p, iter(deps[p]))]
        state[p] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif state.get(nxt, 0) == 0:
                state[nxt] = 1
                stack.append((nxt, iter(deps[nxt])))

    for p in paths:
        if state.get(p, 0) == 0:
            visit(p)
    return [by_path[p] for p in order]


def repo_text(files: Sequence[dict[str, Any]]) -> str:
    """Files (already ordered) concatenated, each preceded by a path header line."""
    return "\n".join(PATH_HEADER.format(path=f["path"]) + "\n" + f["content"].rstrip("\n") + "\n" for f in files)


def build_repo_rows(files: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per repository (contract ``repos/``): repo, content, languages, num_files."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in files:
        groups.setdefault(f["repo"], []).append(f)
    rows = []
    for repo in sorted(groups):
        ordered = dependency_order(groups[repo])
        rows.append({"repo": repo, "content": repo_text(ordered),
                     "languages": sorted({f["language"] for f in ordered}), "num_files": len(ordered)})
    return rows
