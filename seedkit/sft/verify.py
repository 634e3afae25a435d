"""Sandbox verification with bounded self-correction.

Each item's solution runs against its own assert tests in ``seedkit.sandbox`` (a separate
process with time, memory and process limits). A failing model-written solution gets up to
``max_correction_rounds`` more tries: the generator sees the task, its failing code, the tests
and the error tail, and writes a fix, which is verified again. This is the report's
"sandbox-verified with self-correction" step; ``attempts`` records how many verifications an
item took, so the data shows how much the loop rescued.

Mined docstring pairs are never rewritten (their answer is the corpus's own code): they get one
attempt. Those without doctests can get tests from the generator first
(:func:`add_generated_tests`): each generated assert is run against the corpus's solution and
kept only when it passes, so a wrong assert costs the item nothing. The runner is injectable so
the loop's logic can be tested without a sandbox.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any

from seedkit.sandbox import Job, Limits, verifier_runner
from seedkit.sft.synthesis import ONE_BLOCK_STOP, SFTItem, extract_solution, fill, load_prompts

Runner = Callable[..., list[Any]]


def split_tests(tests: str) -> str | list[str]:
    """A list of single assert snippets when the tests are only asserts (counted one by one by the
    sandbox), else the whole text (setup lines must run with the asserts)."""
    try:
        tree = ast.parse(tests)
    except (SyntaxError, ValueError):
        return tests
    if tree.body and all(isinstance(n, ast.Assert) for n in tree.body):
        return [ast.get_source_segment(tests, n) or "" for n in tree.body]
    return tests


def make_job(item: SFTItem, wall_s: float = 10.0) -> Any:

    return Job(program=item.solution, tests=split_tests(item.tests), language="python",
               limits=Limits(wall_s=wall_s, cpu_s=wall_s))


def error_text(result: Any, limit: int = 600) -> str:
    parts = [p for p in (getattr(result, "error_type", None), getattr(result, "stderr_tail", "")) if p]
    text = "\n".join(str(p) for p in parts).strip() or f"status {result.status}"
    return text[-limit:]


def correction_conversation(item: SFTItem, result: Any, prompts: dict[str, str]) -> list[dict[str, str]]:
    user = fill(prompts["correction"], instruction=item.instruction.strip(), solution=item.solution.strip(),
                tests=item.tests.strip(), status=str(result.status), error=error_text(result))
    return [{"role": "system", "content": prompts["system"]}, {"role": "user", "content": user}]


def verify_items(items: Sequence[SFTItem], *, generator: Any = None, max_correction_rounds: int = 2,
                 temperature: float = 0.7, max_new_tokens: int = 256, workers: int | None = None,
                 runner: Runner | None = None, make_job_fn: Callable[[SFTItem], Any] | None = None,
                 prompts: dict[str, str] | None = None, progress: bool = True) -> dict[str, Any]:
    """Verify every item in place (``verified``, ``attempts``, ``verify_status``, ``verify_error``,
    ``history``); returns counts: passed per attempt, rescued by correction, failure statuses."""
    runner = runner or verifier_runner("stage 04's verifier")
    make_job_fn = make_job_fn or make_job
    prompts = prompts or load_prompts()
    pending = list(items)
    passed_at: dict[int, int] = {}
    last_results: dict[str, Any] = {}
    for round_ in range(max_correction_rounds + 1):
        if not pending:
            break
        results = runner([make_job_fn(it) for it in pending], workers=workers, progress=progress)
        failing: list[tuple[SFTItem, Any]] = []
        for it, res in zip(pending, results, strict=True):
            it.attempts += 1
            it.verify_status = str(res.status)
            it.verify_error = "" if res.status == "passed" else error_text(res, 300)
            if res.status == "passed":
                it.verified = True
                passed_at[it.attempts] = passed_at.get(it.attempts, 0) + 1
            else:
                failing.append((it, res))
                last_results[it.id] = res
        correctable = [(it, r) for it, r in failing if it.source != "docstring"]
        if round_ == max_correction_rounds or generator is None or not correctable:
            break
        convs = [correction_conversation(it, r, prompts) for it, r in correctable]
        answers = generator.chat(convs, n=1, temperature=temperature, max_new_tokens=max_new_tokens,
                                 stop=list(ONE_BLOCK_STOP), progress=progress,
                                 desc=f"self-correction round {round_ + 1}")
        pending = []
        for (it, _), ans in zip(correctable, answers, strict=True):
            fixed = extract_solution(ans[0] if ans else "")
            it.history.append(it.solution)
            if fixed.strip():
                it.solution = fixed
            pending.append(it)  # an unparseable fix still counts as an attempt (it re-runs the old code)
    failed = [it for it in items if not it.verified]
    statuses: dict[str, int] = {}
    for it in failed:
        statuses[it.verify_status] = statuses.get(it.verify_status, 0) + 1
    return {
        "checked": len(items),
        "passed": sum(passed_at.values()),
        "passed_at_attempt": {str(k): v for k, v in sorted(passed_at.items())},
        "rescued_by_correction": sum(v for k, v in passed_at.items() if k > 1),
        "failed": len(failed),
        "failed_status": statuses,
    }


SMOKE_TEST_PREFIX = "assert callable("


def add_generated_tests(items: Sequence[SFTItem], *, generator: Any, max_new_tokens: int = 128,
                        temperature: float = 0.0, workers: int | None = None, runner: Runner | None = None,
                        make_job_fn: Callable[[SFTItem], Any] | None = None, prompts: dict[str, str] | None = None,
                        progress: bool = True) -> dict[str, int]:
    """Give items whose only test is ``assert callable(f)`` generator-written asserts that their
    (trusted) solution passes; returns counts (asked, asserts written, asserts kept, items improved)."""
    runner = runner or verifier_runner("stage 04's verifier")
    make_job_fn = make_job_fn or make_job
    prompts = prompts or load_prompts()
    todo = [it for it in items if it.tests.startswith(SMOKE_TEST_PREFIX)]
    counts = {"asked": len(todo), "asserts_written": 0, "asserts_kept": 0, "items_with_tests": 0}
    if not todo or generator is None:
        return counts
    convs = [[{"role": "system", "content": prompts["system"]},
              {"role": "user", "content": fill(prompts["tests_for_function"], solution=it.solution.strip(),
                                               entry_point=it.entry_point)}] for it in todo]
    answers = generator.chat(convs, n=1, temperature=temperature, max_new_tokens=max_new_tokens,
                             stop=list(ONE_BLOCK_STOP), progress=progress, desc="writing tests for docstring items")
    candidates: list[tuple[SFTItem, str]] = []
    for it, ans in zip(todo, answers, strict=True):
        text = ans[0] if ans else ""
        asserts = [a for a in parse_asserts(text) if it.entry_point in a]
        counts["asserts_written"] += len(asserts)
        candidates.extend((it, a) for a in asserts[:5])
    if not candidates:
        return counts
    probes = [SFTItem(id=it.id, source=it.source, style=it.style, instruction=it.instruction, solution=it.solution,
                      tests=a, entry_point=it.entry_point) for it, a in candidates]
    results = runner([make_job_fn(p) for p in probes], workers=workers, progress=progress)
    kept: dict[str, list[str]] = {}
    for (it, a), res in zip(candidates, results, strict=True):
        if res.status == "passed":
            kept.setdefault(it.id, []).append(a)
    for it in todo:
        if it.id in kept:
            it.tests = "\n".join(kept[it.id])
            counts["asserts_kept"] += len(kept[it.id])
            counts["items_with_tests"] += 1
    return counts


def parse_asserts(text: str) -> list[str]:
    """Single-line assert statements that parse, from anywhere in ``text``."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("assert ") or line.startswith("assert("):
            try:
                ast.parse(line)
            except SyntaxError:
                continue
            out.append(line)
    return out
