"""What callers build and get back: :class:`Job`, :class:`Limits`, :class:`Result`."""

from __future__ import annotations

import dataclasses
import math

STATUSES = ("passed", "failed", "timeout", "memory", "error", "skipped")
LANGUAGES = {"python": None, "javascript": "node", "js": "node", "c": "gcc", "cpp": "g++",
             "c++": "g++"}
CANONICAL = {"js": "javascript", "c++": "cpp"}
MODES = ("namespaces", "userns", "fallback", "none")
# Where a job's tests are judged: "apart" (every language: in a process where no candidate code
# has run; values cross as plain data), "in_process" (the tests run in the candidate's own
# process, with the in-process defences; only when a Job asks for it).
JUDGES = ("apart", "in_process")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run jobs with the isolation this machine supports (its setup failed,
    or its servers do not start). Raised instead of running anything with less."""


class SandboxModeRefused(SandboxUnavailable):
    """A caller that requires per-job namespaces (``run_jobs(..., require=...)``) got a weaker
    mode it did not ask for; the message names the missing capability and how to get it."""


@dataclasses.dataclass(frozen=True)
class Limits:
    """Per-job resource limits.

    Defaults fit HumanEval-sized programs (they need well under a second and a few MB) with a
    wide margin for a busy 2-core machine: a correct solution must never time out by accident.
    ``memory_mb`` is an address-space limit per process (RLIMIT_AS); for node it is the V8 heap
    limit and the address space gets 1 GB more (V8 reserves ~700 MB before running anything).
    ``max_procs`` limits the job's processes and threads (RLIMIT_NPROC on a uid of the job's
    own, and the job's cgroup where there is one).
    """

    wall_s: float = 10.0
    cpu_s: float = 10.0
    memory_mb: int = 1024
    max_procs: int = 64
    file_size_mb: int = 16
    open_files: int = 256
    output_bytes: int = 65536

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def problem(self) -> str | None:
        """Why these limits cannot be applied, or None."""
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                return f"limit {field.name}={value!r} is not a finite number"
            if value < 0 or (value == 0 and field.name != "output_bytes"):
                return f"limit {field.name}={value!r} must be positive"
        if self.memory_mb > 1 << 30 or self.max_procs > 1 << 20 or self.output_bytes > 1 << 30:
            return "a limit is larger than this sandbox can apply"
        return None


@dataclasses.dataclass(frozen=True)
class Job:
    """A program and its tests.

    ``tests`` is one snippet or a list of snippets run (and counted) one by one in the program's
    namespace. With ``entry_point`` a snippet that defines ``check(candidate)`` is followed by
    ``check(<entry_point>)`` (HumanEval style). JavaScript tests are statements that throw on
    failure (``console.assert`` included); C/C++ tests hold a ``main`` that returns 0 on
    success (asserts abort).

    ``judge``: ``"apart"`` (the default) runs the tests in a process where no candidate code has
    run, against plain data from the candidate's process (``server/judged.py``,
    ``javascript_apart.py``, ``native_apart.py``): tests that compare, hash or test the truth of
    an object of the candidate's fail there, and C/C++ tests can call only functions of plain
    signatures. ``"in_process"`` runs them in the candidate's process (objects shared, the
    weaker defences of ``python_harness.py``, ``javascript.py``, ``native.py``); ``Result.judge``
    says which ran.

    ``support`` (Python judged apart): the problem's own code that its tests rely on, such as a
    prompt's helper functions (HumanEval/38's ``encode_cyclic``), run where the tests run, before
    them: the names it defines are the problem's in the tests, never the candidate's (the entry
    point excepted, which stays the candidate's). Trusted: give only the problem's text.
    """

    program: str
    tests: str | list[str] = ""
    language: str = "python"
    entry_point: str | None = None
    limits: Limits | None = None
    judge: str = "apart"
    support: str = ""

    def test_list(self) -> list[str]:
        if isinstance(self.tests, str):
            return [self.tests] if self.tests.strip() else []
        if isinstance(self.tests, (list, tuple)):
            return list(self.tests)
        return []

    def problem(self) -> str | None:
        """Why this job cannot be run as given, or None."""
        if not isinstance(self.program, str):
            return f"program must be a string, not {type(self.program).__name__}"
        if not isinstance(self.tests, (str, list, tuple)) or \
                not all(isinstance(t, str) for t in (self.tests if not isinstance(self.tests, str) else [])):
            return "tests must be a string or a list of strings"
        if self.entry_point is not None and not (isinstance(self.entry_point, str) and self.entry_point.isidentifier()):
            return f"entry_point {self.entry_point!r} is not an identifier"
        if not isinstance(self.support, str):
            return f"support must be a string, not {type(self.support).__name__}"
        if self.judge not in JUDGES:
            return f"judge {self.judge!r} is not one of {JUDGES}"
        if self.limits is not None and not isinstance(self.limits, Limits):
            return "limits must be a seedkit.sandbox.Limits"
        return (self.limits or Limits()).problem()


@dataclasses.dataclass(frozen=True)
class Result:
    """What happened to one job.

    ``status``: passed (every test ran to the end, proven by the harness), failed (an assertion
    failed), timeout (wall clock or CPU limit), memory (allocation refused under the memory
    limit), error (anything else: ``error_type`` names it, e.g. SyntaxError, NameError,
    SystemExit, EarlyExit(0), Signal:SIGSEGV, CompileError, InvalidJob, SandboxError), skipped
    (toolchain missing or language unknown; the reason is in ``stderr_tail``). ``isolation``
    says in words what isolation the job ran under; ``mode`` names it: ``namespaces``,
    ``userns``, ``fallback``, or ``none`` (nothing ran). ``judge`` says where the tests'
    verdict was reached: ``apart`` (a process where no candidate code ran), ``in_process`` (the
    candidate's own process: jobs that asked for it), ``none``.
    """

    status: str
    error_type: str | None
    stderr_tail: str
    stdout_tail: str
    time_s: float
    tests_passed: int
    tests_total: int
    isolation: str
    mode: str = "none"
    judge: str = "none"

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)
