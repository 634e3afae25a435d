"""From a server's raw reply to a :class:`Result`: only nonce-tagged report lines count.

Whatever a job writes (on stdout, stderr or the report pipe, with or without the nonce), the
worst it can earn is its own ``error``: every field of the reply is read defensively and
:func:`judge` never raises for a reply's content.
"""

from __future__ import annotations

import re
import signal

from .jobs import Job, Limits, Result
from .server.native import COMPILE_ERROR, NO_TEST_MAIN
from .server.native_wire import NOT_PLAIN
from .server.process import INIT_FAILED, SETUP_FAILED
from .server.proof import REPORT_FD_REPLACED, TAMPERED, THREADS_LEFT

KINDS = {"ok", "fail", "memory", "error"}
KIND_STATUS = {"fail": "failed", "memory": "memory", "error": "error"}
_INDEX = re.compile(r"[0-9]{1,9}", re.ASCII)
_NAME = re.compile(r"[A-Za-z0-9_.]{1,60}|-", re.ASCII)
HARNESS_EXITS = {TAMPERED: "HarnessTampered", THREADS_LEFT: "ThreadsLeftRunning",
                 REPORT_FD_REPLACED: "ReportFdReplaced"}  # any language's harness
NATIVE_EXITS = {COMPILE_ERROR: "CompileError", NO_TEST_MAIN: "NoTestMain", NOT_PLAIN: "NotPlainData"}
SETUP_EXITS = (SETUP_FAILED, INIT_FAILED)
NATIVE = ("c", "cpp")
APART = ("python", "javascript", "c", "cpp")  # the languages a Job(judge="apart") is judged apart in


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def parse_report(report: str, nonce: str) -> tuple[tuple[str, str] | None, dict[int, tuple[str, str]], bool]:
    """(program outcome, test outcomes by index, done) from the lines tagged with ``nonce``.

    The first line for the program and for each test counts; a line that is not exactly the
    harness's format is ignored."""
    program: tuple[str, str] | None = None
    tests: dict[int, tuple[str, str]] = {}
    done = False
    prefix = nonce + " "
    for raw in report.split("\n"):
        if not raw.startswith(prefix):
            continue
        parts = raw[len(prefix):].split(" ")
        if parts[0] == "P" and len(parts) == 3 and parts[1] in KINDS and _NAME.fullmatch(parts[2]):
            if program is None:
                program = (parts[1], parts[2])
        elif parts[0] == "T" and len(parts) == 4 and _INDEX.fullmatch(parts[1]) and parts[2] in KINDS \
                and _NAME.fullmatch(parts[3]):
            tests.setdefault(int(parts[1]), (parts[2], parts[3]))
        elif parts == ["D"]:
            done = True
    return program, tests, done


def _error_from_stderr(stderr: str) -> str | None:
    """The exception name of an uncaught error from node's or Python's last error line."""
    for line in reversed(stderr.strip().splitlines()[-40:]):
        match = re.match(r"^\s*(?:Uncaught )?([A-Za-z_][A-Za-z0-9_.]*(?:Error|Exception))\b", line)
        if match:
            return match.group(1).split(".")[-1]
    return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def judge(job: Job, language: str, reply: dict, nonce: str, isolation: str, mode: str) -> Result:
    tests = job.test_list()
    n_tests = len(tests)
    stdout, stderr = _text(reply.get("stdout")), _text(reply.get("stderr"))
    elapsed = reply.get("time_s")
    elapsed = float(elapsed) if isinstance(elapsed, (int, float)) and not isinstance(elapsed, bool) else 0.0
    program, outcomes, done = parse_report(_text(reply.get("report")), nonce)
    native = language in NATIVE
    if native:  # one proof for the whole test main: all or nothing
        outcomes = {i: ("ok", "-") for i in range(n_tests)} if done else {}
        program = ("ok", "-") if done else None
    passed = sum(1 for i in range(n_tests) if outcomes.get(i, ("",))[0] == "ok")

    where = "apart" if language in APART and job.judge == "apart" else "in_process"

    def result(status: str, error_type: str | None, n_passed: int = passed) -> Result:
        return Result(status, error_type, stderr, stdout, elapsed, n_passed, n_tests, isolation, mode, where)

    code = reply.get("returncode")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    limits = job.limits or Limits()
    if reply.get("timed_out") is True:
        return result("timeout", None)
    if reply.get("oom_killed") is True:  # the job's cgroup ran out of memory and the kernel killed in it
        return result("memory", "OutOfMemory")
    if code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL) and \
            (-code == signal.SIGXCPU or elapsed >= limits.cpu_s * 0.9):
        return result("timeout", None)
    if program is not None and program[0] != "ok":
        return result(KIND_STATUS[program[0]], program[1], 0)
    for i in range(n_tests):
        kind, name = outcomes.get(i, ("", ""))
        if kind and kind != "ok":
            return result(KIND_STATUS[kind], name)
    if done and code == 0 and program is not None and passed == n_tests:
        return result("passed", None)
    low = stderr.lower()
    if "heap out of memory" in low or "std::bad_alloc" in low or "memoryerror" in low:
        return result("memory", "MemoryError")
    if code in SETUP_EXITS and "seedkit sandbox" in stderr:  # the program's own setup failed
        return result("error", "SandboxSetupError")
    if code in HARNESS_EXITS:
        return result("error", HARNESS_EXITS[code])
    if native and code in NATIVE_EXITS:
        return result("error", NATIVE_EXITS[code])
    if code is not None and code < 0:
        name = _signal_name(-code)
        if native and name in ("SIGILL", "SIGTRAP", "SIGABRT") and "assertion" in low:
            return result("failed", "AssertionError")
        return result("error", f"Signal:{name}")
    named = _error_from_stderr(stderr) if language != "python" else None
    if named:
        return result("failed" if named == "AssertionError" else "error", named)
    if code not in (None, 0):
        return result("error", f"ExitCode({code})")
    return result("error", f"EarlyExit({code})")
