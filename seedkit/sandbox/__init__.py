"""Run untrusted programs with their tests: seedkit's security boundary (first version).

(Docstring completed in the hardened version.)
"""

from __future__ import annotations

import dataclasses
import os
import resource
import secrets
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

__all__ = ["Job", "Limits", "Result", "run_jobs", "run_one", "isolation_report", "STATUSES"]

STATUSES = ("passed", "failed", "timeout", "memory", "error", "skipped")
NOBODY_UID = 65534
_HARNESS = Path(__file__).with_name("_harness.py")
_SAFE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
             "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}


@dataclasses.dataclass(frozen=True)
class Limits:
    """Per-job resource limits (why these defaults: HumanEval-sized programs need well under
    a second and a few MB; the margins absorb a busy 2-core machine)."""

    wall_s: float = 10.0
    cpu_s: float = 10.0
    memory_mb: int = 1024
    max_procs: int = 64
    file_size_mb: int = 16
    open_files: int = 256
    output_bytes: int = 65536


@dataclasses.dataclass(frozen=True)
class Job:
    """A program and its tests. ``tests`` is one snippet or a list run (and counted) one by one."""

    program: str
    tests: str | list[str] = ""
    language: str = "python"
    entry_point: str | None = None
    limits: Limits | None = None

    def test_list(self) -> list[str]:
        if isinstance(self.tests, str):
            return [self.tests] if self.tests.strip() else []
        return list(self.tests)


@dataclasses.dataclass(frozen=True)
class Result:
    """What happened. ``status``: passed / failed (an assertion) / timeout / memory / error
    (``error_type`` names it) / skipped (toolchain missing; the reason is in ``stderr_tail``)."""

    status: str
    error_type: str | None
    stderr_tail: str
    stdout_tail: str
    time_s: float
    tests_passed: int
    tests_total: int
    isolation: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def _tail(data: bytes, limit: int = 2000) -> str:
    return data[-limit:].decode("utf-8", "replace")


class _Capture:
    """Keeps the head of a stream up to ``cap`` bytes and counts the rest (drained, dropped)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = self.cap - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))


def _drain(fds: dict[int, _Capture], deadline: float) -> bool:
    """Read every fd until EOF on all or the deadline; returns True when the deadline passed."""
    open_fds = set(fds)
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        ready, _, _ = select.select(list(open_fds), [], [], left)
        for fd in ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if chunk:
                fds[fd].add(chunk)
            else:
                open_fds.discard(fd)
    return False


def _interpret(report: bytes, nonce: str, returncode: int | None, timed_out: bool,
               n_tests: int) -> tuple[str, str | None, int]:
    """Turn the nonce-authenticated report lines and the exit into (status, error_type, passed)."""
    program_outcome: tuple[str, str] | None = None
    tests: dict[int, tuple[str, str]] = {}
    done = False
    prefix = nonce + " "
    for raw in report.decode("utf-8", "replace").splitlines():
        if not raw.startswith(prefix):
            continue  # not from the harness: ignored (a program cannot know the nonce)
        parts = raw[len(prefix):].split(" ")
        if parts[0] == "P" and len(parts) == 3:
            program_outcome = (parts[1], parts[2])
        elif parts[0] == "T" and len(parts) == 4 and parts[1].isdigit():
            tests[int(parts[1])] = (parts[2], parts[3])
        elif parts[0] == "D":
            done = True
    passed = sum(1 for i in range(n_tests) if tests.get(i, ("",))[0] == "ok")
    if timed_out:
        return "timeout", None, passed
    if returncode is not None and returncode < 0:
        sig = -returncode
        if sig in (signal.SIGXCPU, signal.SIGKILL) and program_outcome is None and not tests:
            # SIGXCPU is the CPU limit; see the hardened version for SIGKILL accounting.
            pass
        if sig == signal.SIGXCPU:
            return "timeout", None, passed
    if program_outcome is not None and program_outcome[0] != "ok":
        kind, name = program_outcome
        return _outcome_status(kind), name, 0
    for i in range(n_tests):
        kind, name = tests.get(i, ("", ""))
        if kind and kind != "ok":
            return _outcome_status(kind), name, passed
    if done and returncode == 0 and program_outcome is not None and passed == n_tests:
        return "passed", None, passed
    if returncode is not None and returncode < 0:
        return "error", f"Signal:{signal.Signals(-returncode).name}", passed
    return "error", f"EarlyExit({returncode})", passed


def _outcome_status(kind: str) -> str:
    return {"fail": "failed", "memory": "memory"}.get(kind, "error")


def _limits_preexec(limits: Limits, new_session: bool = True):  # noqa: ANN202
    def apply() -> None:
        if new_session:
            os.setsid()
        mem = limits.memory_mb * 1024 * 1024
        cpu = max(1, int(limits.cpu_s + 0.999))
        for res, val in ((resource.RLIMIT_AS, mem), (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_FSIZE, limits.file_size_mb * 1024 * 1024),
                         (resource.RLIMIT_NOFILE, limits.open_files),
                         (resource.RLIMIT_NPROC, limits.max_procs), (resource.RLIMIT_CORE, 0)):
            try:
                hard = val if res != resource.RLIMIT_CPU else cpu + 1
                resource.setrlimit(res, (val, hard))
            except (ValueError, OSError):
                pass
    return apply


def _run_python_subprocess(job: Job, limits: Limits) -> Result:
    """First version: a fresh ``python -I`` per job in its own session, killed as a group."""
    import json

    tests = job.test_list()
    nonce = secrets.token_hex(16)
    spec_r, spec_w = os.pipe()
    rep_r, rep_w = os.pipe()
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    spec = {"program": job.program, "tests": tests, "entry_point": job.entry_point,
            "nonce": nonce, "drop_to_uid": NOBODY_UID if is_root else None}
    workdir = tempfile.mkdtemp(prefix="seedkit-sandbox-")
    if is_root:
        os.chown(workdir, NOBODY_UID, NOBODY_UID)
    start = time.monotonic()
    env = dict(_SAFE_ENV, HOME=workdir, TMPDIR=workdir)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", str(_HARNESS), str(spec_r), str(rep_w)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            pass_fds=(spec_r, rep_w), cwd=workdir, env=env,
            preexec_fn=_limits_preexec(limits))
        os.close(spec_r)
        os.close(rep_w)
        with os.fdopen(spec_w, "wb") as fh:
            try:
                fh.write(json.dumps(spec).encode())
            except BrokenPipeError:
                pass
        out, err, rep = _Capture(limits.output_bytes), _Capture(limits.output_bytes), _Capture(1 << 20)
        assert proc.stdout is not None and proc.stderr is not None
        timed_out = _drain({proc.stdout.fileno(): out, proc.stderr.fileno(): err, rep_r: rep},
                           start + limits.wall_s)
        if timed_out:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=max(0.1, start + limits.wall_s - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers left in the group
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        elapsed = time.monotonic() - start
        status, error_type, passed = _interpret(bytes(rep.data), nonce, proc.returncode,
                                                timed_out, len(tests))
        proc.stdout.close()
        proc.stderr.close()
        os.close(rep_r)
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return Result(status, error_type, _tail(bytes(err.data)), _tail(bytes(out.data)), elapsed,
                  passed, len(tests), "subprocess: own session, rlimits" +
                  (", uid 65534" if is_root else ""))


def run_one(job: Job) -> Result:
    """Run one job and return its Result."""
    limits = job.limits or Limits()
    if job.language == "python":
        return _run_python_subprocess(job, limits)
    return Result("skipped", None, f"language {job.language!r} not supported yet", "", 0.0, 0,
                  len(job.test_list()), "none")


def default_workers() -> int:
    """One worker per core: execution is CPU-bound."""
    return max(1, os.cpu_count() or 1)


def run_jobs(jobs: Iterable[Job], workers: int | None = None, progress: bool = True) -> list[Result]:
    """Run many jobs across a worker pool; results come back in input order."""
    job_list: Sequence[Job] = list(jobs)
    n = workers or default_workers()
    results: list[Result | None] = [None] * len(job_list)
    bar = None
    if progress and len(job_list) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(job_list), desc="sandbox", leave=False)
    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = {pool.submit(run_one, job): i for i, job in enumerate(job_list)}
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return [r for r in results if r is not None]


def isolation_report() -> str:
    """One line describing the isolation available on this machine."""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return "subprocess sandbox: own session, rlimits" + (", runs as uid 65534" if root else "")
