"""Seeds for instruction synthesis: top-scored code snippets and hand-written seed instructions.

The report seeded its ~3M synthetic instructions with high-quality code: the files its LLM filter
scored highest. Here a seed is one top-level function or class cut out of a stage-02 ``scored``
file by parsing (Python's ``ast``, so a seed is always a complete, syntactically valid unit), or
one instruction from ``data_samples/seed_instructions.jsonl`` (which carries its own tests, so a
small generator only has to write the solution). Only Python files are cut: the verification
sandbox and the held-out problems are Python-first; other languages are counted and skipped.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES
from seedkit.files import iter_jsonl

SEED_INSTRUCTIONS = DATA_SAMPLES / "seed_instructions.jsonl"


@dataclass
class Seed:
    """What a generated item starts from."""

    id: str
    kind: str  # "code" (a snippet from scored/) | "instruction" (seed_instructions.jsonl)
    text: str  # the snippet's code, or the instruction
    origin: str = ""  # repo/path:name for code, the file's task id for instructions
    quality_score: float | None = None
    entry_point: str = ""
    tests: str = ""  # assert lines, for instruction seeds that carry them
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Snippet:
    name: str
    kind: str  # "function" | "class"
    code: str
    num_lines: int


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def extract_snippets(source: str, min_lines: int = 3, max_lines: int = 60) -> list[Snippet]:
    """Top-level functions and classes of a Python file, each as its own source text.

    Returns [] for a file that does not parse. Private helpers (``_name``) and tests (``test_*``)
    are skipped: they make poor seeds (their meaning lives elsewhere in the file).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    out: list[Snippet] = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if node.name.startswith("_") or node.name.startswith("test"):
            continue
        code = ast.get_source_segment(source, node)
        if code is None:
            continue
        # decorators belong to the unit
        if node.decorator_list:
            first = min(d.lineno for d in node.decorator_list)
            code = "\n".join(source.splitlines()[first - 1:node.end_lineno])
        n = code.count("\n") + 1
        if not (min_lines <= n <= max_lines):
            continue
        kind = "class" if isinstance(node, ast.ClassDef) else "function"
        out.append(Snippet(node.name, kind, code, n))
    return out


def select_code_seeds(rows: Iterable[Mapping[str, Any]], num_seeds: int, min_quality: float = 0.0,
                      min_lines: int = 3, max_lines: int = 60) -> tuple[list[Seed], dict[str, int]]:
    """The ``num_seeds`` snippets from the highest-scored Python files, at most one per file first.

    Files are visited from the highest ``quality_score`` down; each contributes its first unused
    snippet per pass, so seeds spread over files before a second snippet of any file is taken.
    Returns (seeds, counts) where counts say how many files were seen, skipped and why.
    """
    counts = {"files": 0, "not_python": 0, "below_min_quality": 0, "no_snippet": 0, "snippets": 0}
    per_file: list[tuple[float, str, list[Snippet]]] = []
    for row in rows:
        counts["files"] += 1
        if str(row.get("language", "")).lower() != "python":
            counts["not_python"] += 1
            continue
        score = row.get("quality_score")
        score = float(score) if score is not None else 0.0
        if score < min_quality:
            counts["below_min_quality"] += 1
            continue
        snippets = extract_snippets(str(row.get("content", "")), min_lines, max_lines)
        if not snippets:
            counts["no_snippet"] += 1
            continue
        counts["snippets"] += len(snippets)
        origin = f"{row.get('repo', '')}/{row.get('path', '')}".strip("/")
        per_file.append((score, origin, snippets))
    per_file.sort(key=lambda t: (-t[0], t[1]))
    seeds: list[Seed] = []
    seen: set[str] = set()
    depth = 0
    while len(seeds) < num_seeds and any(depth < len(s) for _, _, s in per_file):
        for score, origin, snippets in per_file:
            if len(seeds) >= num_seeds:
                break
            if depth >= len(snippets):
                continue
            sn = snippets[depth]
            key = _sha(sn.code)
            if key in seen:
                continue
            seen.add(key)
            seeds.append(Seed(id=f"code-{key}", kind="code", text=sn.code, origin=f"{origin}:{sn.name}",
                              quality_score=score, entry_point=sn.name if sn.kind == "function" else "",
                              extra={"snippet_kind": sn.kind}))
        depth += 1
    return seeds, counts


def problem_seed(problem: Any) -> Seed:
    """A training problem (:class:`seedkit.problems.Problem`) as an instruction seed: the generator writes its own
    solution, which joins the SFT data only when it passes the problem's tests in the sandbox."""
    return Seed(id=f"own/{problem.task_id}", kind="instruction", text=problem.instruction, origin=problem.task_id,
                entry_point=problem.entry_point, tests=f"{problem.tests.rstrip()}\n\ncheck({problem.entry_point})\n")


def load_seed_instructions(path: str | Path = "", limit: int | None = None) -> list[Seed]:
    """Seed instructions from JSONL: ``instruction`` (required), ``entry_point``, ``tests`` (asserts), ``id``."""
    p = Path(path) if path else SEED_INSTRUCTIONS
    if not p.exists():
        raise FileNotFoundError(f"seed instructions: {p} does not exist; set seed_instructions_file or "
                                f"num_seed_instructions=0")
    seeds: list[Seed] = []
    for lineno, obj in iter_jsonl(p):  # one-line errors naming file:line (JsonlError is a ValueError)
        if "instruction" not in obj:
            raise ValueError(f"{p}:{lineno}: needs an 'instruction' field")
        tests = obj.get("tests", "")
        if isinstance(tests, list):
            tests = "\n".join(tests)
        seeds.append(Seed(id=str(obj.get("id") or f"instr-{_sha(obj['instruction'])}"), kind="instruction",
                          text=obj["instruction"], origin=str(p.name), entry_point=obj.get("entry_point", ""),
                          tests=tests))
        if limit is not None and len(seeds) >= limit:
            break
    return seeds
