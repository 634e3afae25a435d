"""Execution-verified preference pairs: sample answers, run them against tests, pair pass with fail.

The Seed-Coder report aligned its instruct model with on-policy DPO: for each prompt with unit
tests the model samples several answers, a sandbox runs them, and a passing answer is preferred
to a failing one. This module holds that logic, separated from models so it can be tested with
fixed answers and fixed outcomes:

- :class:`PromptTask`: one prompt with tests (a kit training problem or a stage-04 item held out
  of SFT), the chat message the model sees and how an answer becomes a runnable program.
- :func:`score_answers`: extract the code of each answer and run it in the sandbox.
- :func:`build_pairs`: turn one prompt's scored answers into pairs and a per-prompt record.

Pairing rules (why):

- chosen = a passing answer, rejected = a failing one. Rejected answers that fail on a test
  (wrong output, an assertion) are used before runtime errors, timeouts and syntax errors: a
  pair whose rejected answer does not even parse teaches "write Python", not "write the right
  function", and a model that already writes valid code learns little from it.
- A prompt where every answer passes or every answer fails gives no on-policy pair: there is
  nothing to contrast. Where none pass, the optional fallback pairs the verified reference
  solution (chosen) against the most informative failing sample (rejected) and flags the pair
  ``off_policy``: the chosen text was not written by the model, so DPO then acts partly like
  SFT on the reference. For a model that never passes (the tiny profile's 1M model) this is
  the only source of pairs, and the stage says so.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from seedkit.formats import chat_messages
from seedkit.measure.extraction import completion_for_problem, extract_code
from seedkit.sandbox import Job, Limits, run_jobs

if TYPE_CHECKING:
    from seedkit.problems import Problem

# What a rejected answer did wrong, from most to least useful as a "rejected" example.
FAILURE_RANK: dict[str, int] = {
    "failed": 0,       # ran and gave a wrong answer: the most informative contrast
    "error": 1,        # raised at run time (NameError, TypeError, ...)
    "timeout": 2,
    "memory": 2,
    "skipped": 3,
    "syntax": 4,       # does not parse
    "no_code": 5,      # nothing that looks like code
}

OUTCOMES = ("on_policy", "all_pass", "none_pass_off_policy", "none_pass_no_pair")


# --------------------------------------------------------------------------- prompts


def format_answer(code: str, language: str = "python") -> str:
    """A code answer the way stage 04's SFT data presents one (``sft_training.answer_text``): a single fenced block."""
    return f"```{language}\n{code.strip()}\n```"


# Sampling stops at the end of the first code block: what follows is a small model's rambling,
# which costs generation time and would be trained on as part of the answer.
ANSWER_STOP = ("\n```\n",)


def close_fence(answer: str) -> str:
    """Re-close a code block that the stop string cut (an odd number of ``` fences)."""
    if answer.count("```") % 2 == 1:
        return answer.rstrip() + "\n```"
    return answer


def problem_message(problem: Problem) -> str:
    """The user message for a kit problem: exactly what the evaluation harness asks a chat model
    (instruction, then the signature and docstring to complete), so DPO trains on the format that
    pass@1 is measured with, and a small model names the function as the tests expect."""

    return chat_messages(problem)[0]["content"]


@dataclass
class PromptTask:
    """One prompt with tests, from the kit's training problems or stage 04's held-back items.

    ``program_prefix`` is prepended to the extracted code when a kit problem's answer is only a
    function body (see :func:`seedkit.eval.completion_for_problem`); ``reference`` is a
    verified full solution used by the off-policy fallback.
    """

    task_id: str
    source: str  # "train_problem" | "held_for_dpo"
    message: str
    tests: str
    entry_point: str | None
    reference: str
    language: str = "python"
    problem: Any = None  # the Problem for kit problems (prompt-aware program building)

    def program(self, answer: str) -> str:
        """The program to run for a model ``answer`` ("" when the answer holds no code)."""

        code = extract_code(answer, self.language)
        if not code.strip():
            return ""
        if self.problem is not None:
            return self.problem.prompt + completion_for_problem(self.problem, answer, "chat")
        return code

    def conversation(self) -> list[dict[str, str]]:
        return [{"role": "user", "content": self.message}]


def tasks_from_problems(problems: Sequence[Problem]) -> list[PromptTask]:
    return [PromptTask(task_id=p.task_id, source="train_problem", message=problem_message(p), tests=p.tests,
                       entry_point=p.entry_point, reference=p.reference, language=p.language, problem=p)
            for p in problems]


def tasks_from_sft_items(rows: Sequence[dict[str, Any]]) -> list[PromptTask]:
    """Stage 04 items (docs/contracts.md, 04_sft data/) with split == 'held_for_dpo' and verified.

    Their ``tests`` run the way stage 04 verified them: assert statements after the program (the
    item's ``entry_point`` only names the function). Tests that define ``check(candidate)`` are
    run against the entry point instead.
    """
    out = []
    for r in rows:
        if r.get("split") != "held_for_dpo" or not r.get("verified", False):
            continue
        tests = r.get("tests") or ""
        if isinstance(tests, list):
            tests = "\n".join(tests)
        if not str(tests).strip():
            continue
        uses_check = "def check(" in str(tests)
        out.append(PromptTask(task_id=f"sft/{r['id']}", source="held_for_dpo", message=r["instruction"].strip(),
                              tests=str(tests), entry_point=(r.get("entry_point") or None) if uses_check else None,
                              reference=r.get("solution") or "", language="python"))
    return out


# --------------------------------------------------------------------------- outcomes


@dataclass
class SampleOutcome:
    """One sampled answer and what the sandbox said about it."""

    answer: str
    status: str  # passed | failed | error | timeout | memory | skipped | no_code
    error_type: str | None = None
    stderr_tail: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failure(self) -> str:
        """A short label of why the answer failed: 'failed', 'error:NameError', 'syntax:SyntaxError', ..."""
        if self.status == "passed":
            return "passed"
        if self.status == "error" and self.error_type in ("SyntaxError", "IndentationError", "TabError"):
            return f"syntax:{self.error_type}"
        if self.status == "error" and self.error_type:
            return f"error:{self.error_type}"
        return self.status

    @property
    def failure_kind(self) -> str:
        return self.failure.split(":", 1)[0]

    @property
    def rank(self) -> int:
        return FAILURE_RANK.get(self.failure_kind, 3)


@dataclass(frozen=True)
class JobSpec:
    """What to run for one answer; turned into a :class:`seedkit.sandbox.Job` by :func:`sandbox_runner`.

    Kept apart from the sandbox's own type so that pairing logic can be tested with a fake runner.
    """

    program: str
    tests: str
    language: str
    entry_point: str | None
    timeout_s: float


RunJobs = Callable[[list[JobSpec]], list[Any]]


def sandbox_runner(workers: int | None = None, progress: bool = True) -> RunJobs:
    """A runner that executes :class:`JobSpec` s in :mod:`seedkit.sandbox` (results in input order)."""

    def run(specs: list[JobSpec]) -> list[Any]:

        jobs = [Job(program=s.program, tests=s.tests, language=s.language, entry_point=s.entry_point,
                    limits=Limits(wall_s=s.timeout_s, cpu_s=s.timeout_s)) for s in specs]
        return run_jobs(jobs, workers=workers, progress=progress, require="stage 05's preference pairing")

    return run


def score_answers(tasks: Sequence[PromptTask], answers: Sequence[Sequence[str]], *, timeout_s: float = 5.0,
                  run_jobs: RunJobs | None = None) -> list[list[SampleOutcome]]:
    """Run every answer against its task's tests; outcomes in input order.

    Answers without code are recorded as ``no_code`` without a sandbox run. ``run_jobs`` defaults
    to :func:`sandbox_runner` (tests pass a fake).
    """
    if len(tasks) != len(answers):
        raise ValueError(f"score_answers: {len(tasks)} tasks but {len(answers)} answer lists")
    run_jobs = run_jobs or sandbox_runner()
    jobs, where = [], []
    outcomes: list[list[SampleOutcome | None]] = [[None] * len(a) for a in answers]
    for i, (task, task_answers) in enumerate(zip(tasks, answers, strict=True)):
        for j, answer in enumerate(task_answers):
            program = task.program(answer)
            if not program.strip():
                outcomes[i][j] = SampleOutcome(answer, "no_code")
                continue
            jobs.append(_job(task, program, timeout_s))
            where.append((i, j))
    results = run_jobs(jobs) if jobs else []
    for (i, j), res in zip(where, results, strict=True):
        outcomes[i][j] = SampleOutcome(answers[i][j], res.status, getattr(res, "error_type", None),
                                       getattr(res, "stderr_tail", "")[-300:])
    return [[o for o in row if o is not None] for row in outcomes]


def verify_references(tasks: Sequence[PromptTask], *, timeout_s: float = 5.0,
                      run_jobs: RunJobs | None = None) -> list[bool]:
    """Whether each task's reference passes its tests (the fallback only trusts verified references)."""
    run_jobs = run_jobs or sandbox_runner(progress=False)
    idx = [i for i, t in enumerate(tasks) if t.reference.strip()]
    results = run_jobs([_job(tasks[i], tasks[i].reference, timeout_s) for i in idx]) if idx else []
    ok = [False] * len(tasks)
    for i, res in zip(idx, results, strict=True):
        ok[i] = res.status == "passed"
    return ok


def _job(task: PromptTask, program: str, timeout_s: float) -> JobSpec:
    return JobSpec(program=program, tests=task.tests, language=task.language, entry_point=task.entry_point,
                   timeout_s=timeout_s)


# --------------------------------------------------------------------------- pairs


@dataclass
class PromptRecord:
    """What happened to one prompt: its pass rate, its failures, and how many pairs it gave."""

    task_id: str
    source: str
    num_samples: int
    num_passed: int
    pass_rate: float
    failures: dict[str, int] = field(default_factory=dict)
    outcome: str = ""  # one of OUTCOMES
    num_pairs: int = 0
    reference_verified: bool | None = None

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["failures"] = json.dumps(self.failures, sort_keys=True)
        row["reference_verified"] = bool(self.reference_verified)
        return row


def _distinct(outcomes: Sequence[SampleOutcome]) -> list[SampleOutcome]:
    seen: set[str] = set()
    out = []
    for o in outcomes:
        key = o.answer.strip()
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


def build_pairs(task: PromptTask, outcomes: Sequence[SampleOutcome], *, max_pairs: int = 2,
                off_policy_fallback: bool = True, reference_verified: bool = True,
                max_off_policy_pairs: int | None = None) -> tuple[list[dict[str, Any]], PromptRecord]:
    """Pairs (rows of the ``pairs/`` dataset) and the prompt's record, from its scored samples.

    Passing answers are used in sample order; failing answers in order of usefulness
    (:data:`FAILURE_RANK`: test failures first, syntax errors and empty answers last), each
    distinct text at most once, up to ``max_pairs`` pairs (``max_off_policy_pairs`` for the
    fallback; default the same).
    """
    passed = _distinct([o for o in outcomes if o.passed])
    failed = sorted(_distinct([o for o in outcomes if not o.passed]), key=lambda o: o.rank)  # stable sort
    n = len(outcomes)
    record = PromptRecord(task_id=task.task_id, source=task.source, num_samples=n,
                          num_passed=sum(o.passed for o in outcomes),
                          pass_rate=(sum(o.passed for o in outcomes) / n) if n else 0.0,
                          failures=dict(Counter(o.failure for o in outcomes if not o.passed)),
                          reference_verified=reference_verified)
    base = dict(prompt=task.message, task_id=task.task_id, source=task.source, pass_rate=record.pass_rate)
    pairs: list[dict[str, Any]] = []
    if passed and failed:
        record.outcome = "on_policy"
        for k in range(min(max_pairs, len(failed))):
            chosen = passed[k % len(passed)]
            pairs.append(dict(base, chosen=chosen.answer, rejected=failed[k].answer,
                              rejected_failure=failed[k].failure, off_policy=False))
    elif passed:
        record.outcome = "all_pass"
    elif failed and off_policy_fallback and reference_verified and task.reference.strip():
        record.outcome = "none_pass_off_policy"
        chosen_text = format_answer(task.reference, task.language)
        cap = max_pairs if max_off_policy_pairs is None else max_off_policy_pairs
        for k in range(min(cap, len(failed))):
            if failed[k].answer.strip() == chosen_text.strip():
                continue
            pairs.append(dict(base, chosen=chosen_text, rejected=failed[k].answer,
                              rejected_failure=failed[k].failure, off_policy=True))
    else:
        record.outcome = "none_pass_no_pair"
    if not pairs and record.outcome == "none_pass_off_policy":
        record.outcome = "none_pass_no_pair"
    record.num_pairs = len(pairs)
    return pairs, record


PAIR_COLUMNS = ("prompt", "chosen", "rejected", "task_id", "source", "pass_rate", "rejected_failure", "off_policy")


def build_all_pairs(tasks: Sequence[PromptTask], outcomes: Sequence[Sequence[SampleOutcome]], *, max_pairs: int = 2,
                    off_policy_fallback: bool = True, reference_verified: Sequence[bool] | None = None,
                    max_off_policy_pairs: int | None = None) -> tuple[list[dict[str, Any]], list[PromptRecord]]:
    """:func:`build_pairs` over every task; returns all pairs and one record per task."""
    pairs: list[dict[str, Any]] = []
    records: list[PromptRecord] = []
    verified = list(reference_verified) if reference_verified is not None else [True] * len(tasks)
    for task, outs, ok in zip(tasks, outcomes, verified, strict=True):
        p, r = build_pairs(task, outs, max_pairs=max_pairs, off_policy_fallback=off_policy_fallback,
                           reference_verified=ok, max_off_policy_pairs=max_off_policy_pairs)
        pairs.extend(p)
        records.append(r)
    return pairs, records


def summarize(pairs: Sequence[dict[str, Any]], records: Sequence[PromptRecord]) -> dict[str, Any]:
    """The pair set's report card: outcomes per prompt, failure types, off-policy share, and why."""
    outcomes = Counter(r.outcome for r in records)
    n_off = sum(bool(p["off_policy"]) for p in pairs)
    total_samples = sum(r.num_samples for r in records)
    summary: dict[str, Any] = {
        "prompts": len(records),
        "samples": total_samples,
        "samples_passed": sum(r.num_passed for r in records),
        "sample_pass_rate": (sum(r.num_passed for r in records) / total_samples) if total_samples else 0.0,
        "prompt_outcomes": {k: outcomes.get(k, 0) for k in OUTCOMES},
        "pairs": len(pairs),
        "pairs_on_policy": len(pairs) - n_off,
        "pairs_off_policy": n_off,
        "rejected_failures": dict(Counter(p["rejected_failure"] for p in pairs)),
        "sample_failures": dict(sum((Counter(r.failures) for r in records), Counter())),
    }
    summary["why"] = explain(summary)
    return summary


def explain(summary: dict[str, Any]) -> str:
    """One sentence on where the pairs came from, for the notebook and the log."""
    oc = summary["prompt_outcomes"]
    if summary["pairs"] == 0:
        return (f"no pairs: {oc['all_pass']} prompt(s) all passed, {oc['none_pass_no_pair']} none passed without a "
                "usable reference; sample more answers, use more prompts or turn off_policy_fallback on")
    if summary["pairs_on_policy"] == 0:
        return (f"all {summary['pairs']} pairs are off-policy: none of the {summary['samples']} sampled answers passed "
                f"(pass rate {summary['sample_pass_rate']:.0%}), so every chosen answer is a verified reference solution "
                "and every rejected one the model's own failing sample")
    return (f"{summary['pairs_on_policy']} on-policy pairs from {oc['on_policy']} prompt(s) with mixed results, "
            f"{summary['pairs_off_policy']} off-policy pairs from {oc['none_pass_off_policy']} prompt(s) where nothing "
            f"passed; {oc['all_pass']} prompt(s) all passed and gave none")
