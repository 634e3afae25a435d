"""Warm fork servers (one per worker), shared by every caller in this process, and the calls
that run jobs on them: :func:`run_jobs`, :func:`run_one`, :func:`isolation_report`."""

from __future__ import annotations

import atexit
import os
import queue
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from .jobs import CANONICAL, LANGUAGES, Job, Limits, Result, SandboxModeRefused, SandboxUnavailable
from .judge import judge
from .server.wire import encode, read_message

SERVER_DIR = Path(__file__).with_name("server")
SERVER_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
              "PYTHONDONTWRITEBYTECODE": "1"}
STARTUP_TIMEOUT_S = 120.0  # generous: a busy 2-core machine
START_ATTEMPTS = 3
REPLY_GRACE_S = 30.0

ISOLATION_TEXT = {
    "namespaces": ("Linux namespaces (pid, net, mount, ipc, uts) per job, a uid of the worker's own without "
                   "groups, no_new_privs, read-only filesystem, minimal /dev with private ptys, private tmpfs "
                   "/tmp, rlimits (wall, cpu, address space, processes, file size, open files), no network"),
    "userns": ("Linux user namespace without root: pid, net, mount, ipc, uts namespaces per job, your uid "
               "without capabilities, no_new_privs, read-only filesystem, your home directory hidden, minimal "
               "/dev with private ptys, private tmpfs /tmp, rlimits, no network; lacks a separate uid (the "
               "program can read what you can outside your home)"),
}


NAMESPACE_MODES = ("namespaces", "userns")
FALLBACK_ENV = "SEEDKIT_SANDBOX_FALLBACK"
_USED: dict[str, int] = {}
_USED_LOCK = threading.Lock()


def fallback_requested() -> bool:
    """Whether the user asked for fallback mode (``SEEDKIT_SANDBOX_FALLBACK=1``)."""
    return os.environ.get(FALLBACK_ENV, "") not in ("", "0")


def modes_used() -> dict[str, int]:
    """How many jobs each sandbox mode has run in this process (``{}``: none ran). Stage manifests
    record it (``seedkit.runs``)."""
    with _USED_LOCK:
        return dict(sorted(_USED.items()))


def check_mode(mode: str, reason: str, required_by: str) -> None:
    """Raise :class:`SandboxModeRefused` unless ``mode`` is a namespace mode, or fallback that the
    user asked for. The message names what is missing and how to get it."""
    if mode in NAMESPACE_MODES or (mode == "fallback" and fallback_requested()):
        return
    raise SandboxModeRefused(
        f"{required_by} runs model-written code only with per-job Linux namespaces (sandbox mode "
        f"'namespaces' as root, or 'userns' without root), but this machine gives sandbox mode {mode!r} "
        f"({reason}); to get namespaces run on Linux as root, or enable unprivileged user namespaces "
        "(sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0 on "
        "Ubuntu), or give the container CAP_SYS_ADMIN; to accept the weaker fallback isolation knowingly, "
        f"set {FALLBACK_ENV}=1")


def server_command(forced_fallback: bool) -> list[str]:
    """How a server is started (tests substitute a wrapper to inject setup failures)."""
    return [sys.executable, "-I", str(SERVER_DIR), *(["--fallback"] if forced_fallback else [])]


def describe(hello: dict) -> str:
    """The one-line isolation text for a server's hello message."""
    mode = hello.get("mode")
    extras = ("seccomp filter (no namespaces, mounts, ptrace, bpf, keyrings, io_uring, perf, modules; "
              "no sockets but TCP/UDP, so no Unix sockets; file locks are no-ops)" if hello.get("seccomp")
              else f"no seccomp ({hello.get('seccomp_reason')})")
    if hello.get("cgroups"):
        extras += ", " + str(hello["cgroups"])
    if mode in ISOLATION_TEXT:
        text = ISOLATION_TEXT[mode] + ", " + extras
        if hello.get("notes"):
            text += "; not applied: " + "; ".join(hello["notes"])
        return text
    own_uid = hello.get("job_uid") is not None
    text = ("fallback (" + str(hello.get("reason")) + "): own session with the process group killed at the end, "
            + ("every process of the job's own uid killed at the end, " if own_uid else "")
            + "rlimits, temp dir removed afterwards; lacks network isolation, a PID namespace"
            + ("" if own_uid else " (processes that call setsid can outlive the job)")
            + " and a read-only filesystem" + ("" if own_uid else ", and does not change uid") + "; " + extras)
    if own_uid:
        text += "; runs as a uid of the worker's own"
    if hello.get("notes"):
        text += "; " + "; ".join(hello["notes"])
    return text


class Server:
    """One warm fork server (a child interpreter started once; see server/)."""

    def __init__(self) -> None:
        forced = fallback_requested()
        self.cgroup_dirs: list[str] = []
        self.proc = subprocess.Popen(server_command(forced), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=SERVER_ENV, cwd="/", close_fds=True, start_new_session=True)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.fd = self.proc.stdout.fileno()
        try:
            hello = read_message(self.fd, time.monotonic() + STARTUP_TIMEOUT_S)
        except BaseException:
            self.kill()
            raise
        self.mode: str = str(hello.get("mode"))
        self.reason = str(hello.get("reason"))
        self.pid = hello.get("pid")
        self.toolchains: dict = hello.get("toolchains") or {}
        self.isolation = describe(hello)
        if self.mode == "unavailable":
            self.close()
            raise SandboxUnavailable(f"sandbox unavailable: {hello.get('reason')}")
        dirs = hello.get("cgroup_dirs")
        self.cgroup_dirs = [d for d in dirs if isinstance(d, str)] if isinstance(dirs, list) else []

    def run(self, payload: dict, timeout_s: float) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(encode(payload))
        self.proc.stdin.flush()
        return read_message(self.fd, time.monotonic() + timeout_s)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self._finish()

    def kill(self) -> None:
        """The job's init dies with the server (parent-death signal), and with it the job."""
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()
        self._finish()

    def _finish(self) -> None:
        """A server that did not exit by itself leaves its (empty) cgroups: remove them."""
        for path in self.cgroup_dirs:
            for _ in range(40):  # the job's processes may take a moment to leave
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


def start_server() -> Server:
    """A new server; transient start failures are retried, then SandboxUnavailable."""
    last: BaseException | None = None
    for attempt in range(START_ATTEMPTS):
        try:
            return Server()
        except SandboxUnavailable:
            raise  # a setup failure is deterministic: say why, at once
        except (EOFError, TimeoutError, OSError, ValueError) as exc:
            last = exc
            time.sleep(0.5 * (attempt + 1))
    raise SandboxUnavailable(f"sandbox server did not start ({START_ATTEMPTS} attempts): {last!r}")


class Pool:
    """Warm servers shared by every caller in this process; grown on demand, reused."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.idle: queue.LifoQueue[Server] = queue.LifoQueue()
        self.count = 0
        self.all: list[Server] = []

    def acquire(self, limit: int) -> Server:
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
                    server = start_server()
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

    def release(self, server: Server) -> None:
        with self.lock:
            current = server in self.all
        if current:
            self.idle.put(server)
        else:  # the pool was shut down while this server ran a job
            server.close()

    def discard(self, server: Server) -> None:
        server.kill()
        with self.lock:
            if server in self.all:
                self.all.remove(server)
                self.count -= 1

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


POOL = Pool()
atexit.register(POOL.shutdown)


def shutdown() -> None:
    """Stop the warm servers (they also stop by themselves when this process exits)."""
    POOL.shutdown()


def default_workers() -> int:
    """One worker per core: running tests is CPU-bound."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _error(job: Job, error_type: str, why: str, isolation: str = "none", mode: str = "none") -> Result:
    return Result("error", error_type, why, "", 0.0, 0, len(job.test_list()), isolation, mode)


def _run_on_pool(job: Job, pool_limit: int) -> Result:
    problem = job.problem() if isinstance(job, Job) else f"not a seedkit.sandbox.Job: {type(job).__name__}"
    if problem:
        return Result("error", "InvalidJob", problem, "", 0.0, 0, 0, "none", "none") if not isinstance(job, Job) \
            else _error(job, "InvalidJob", problem)
    limits = job.limits or Limits()
    if not isinstance(job.language, str) or job.language not in LANGUAGES:
        return Result("skipped", None, f"unsupported language {job.language!r}", "", 0.0, 0,
                      len(job.test_list()), "none", "none")
    language = CANONICAL.get(job.language, job.language)
    nonce = secrets.token_hex(16)
    tool = LANGUAGES[job.language]
    for attempt in range(2):  # a server that died (not the job: it is isolated) is replaced once
        server = POOL.acquire(pool_limit)
        toolchain = server.toolchains.get(tool) if tool else None
        if tool and not toolchain:
            POOL.release(server)
            return Result("skipped", None, f"{tool} not found on PATH: {job.language} jobs skipped", "",
                          0.0, 0, len(job.test_list()), server.isolation, server.mode)
        payload = {"language": language, "program": job.program, "tests": job.test_list(),
                   "entry_point": job.entry_point, "limits": limits.as_dict(), "nonce": nonce,
                   "toolchain": toolchain, "judge": job.judge, "support": job.support}
        try:
            reply = server.run(payload, limits.wall_s + REPLY_GRACE_S)
        except (EOFError, OSError, ValueError) as exc:
            POOL.discard(server)
            if attempt == 0:
                continue
            return _error(job, "SandboxError", f"sandbox server failed: {exc}", server.isolation, server.mode)
        except BaseException as exc:  # a hung server, or Ctrl-C: never reuse a server mid-job
            POOL.discard(server)
            if isinstance(exc, TimeoutError):
                return _error(job, "SandboxError", f"sandbox server failed: {exc}", server.isolation, server.mode)
            raise
        POOL.release(server)
        break
    if reply.get("ok") is not True:
        return _error(job, "SandboxError", str(reply.get("reason")), server.isolation, server.mode)
    return judge(job, language, reply, nonce, server.isolation, server.mode)


def _run_guarded(job: Job, pool_limit: int) -> Result:
    """One job's Result whatever happens inside: only SandboxUnavailable (the machine cannot
    isolate) and interrupts escape."""
    try:
        result = _run_on_pool(job, pool_limit)
        with _USED_LOCK:
            _USED[result.mode] = _USED.get(result.mode, 0) + 1
        return result
    except SandboxUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - a job must never cost another its result
        tests = job.test_list() if isinstance(job, Job) else []
        return Result("error", "SandboxError", f"sandbox failed on this job: {exc!r}", "", 0.0, 0,
                      len(tests), "none", "none")


def _check_pool(n: int, required_by: str | None) -> None:
    """Fail before running anything if no server can start, or (``required_by``) if its mode is
    weaker than namespaces and the user did not ask for fallback."""
    server = POOL.acquire(n)
    try:
        if required_by:
            check_mode(server.mode, server.reason, required_by)
    finally:
        POOL.release(server)


def _check_judges(jobs: list, required_by: str | None) -> None:
    """A caller whose numbers train or select models grades only jobs judged apart."""
    asked = [job for job in jobs if isinstance(job, Job) and job.judge != "apart"]
    if required_by and asked:
        raise SandboxModeRefused(
            f"{required_by} grades model-written code only judged apart (the verdict reached in a "
            f"process where no candidate code ran), but {len(asked)} job(s) asked for judge={asked[0].judge!r}; "
            "leave Job.judge at its default")


def _check_results(results: list[Result], required_by: str | None) -> None:
    for result in results:
        if required_by and result.mode != "none":
            check_mode(result.mode, "a server of this run", required_by)


def run_one(job: Job, require: str | None = None) -> Result:
    """Run one job and return its Result (SandboxUnavailable if the sandbox cannot isolate;
    ``require``: as in :func:`run_jobs`)."""
    _check_judges([job], require)
    _check_pool(default_workers(), require)
    result = _run_guarded(job, default_workers())
    _check_results([result], require)
    return result


def run_jobs(jobs: Iterable[Job], workers: int | None = None, progress: bool = True,
             require: str | None = None) -> list[Result]:
    """Run many jobs across ``workers`` warm servers (default: one per core); input order kept.

    Every job gets a Result, whatever any job does; SandboxUnavailable is raised (before any
    job runs, where it can be known then) when the sandbox cannot give its isolation.
    ``require`` names the caller (``"stage 06's execution reward"``): then a mode weaker than
    per-job namespaces (fallback) that the user did not ask for (``SEEDKIT_SANDBOX_FALLBACK=1``)
    raises :class:`SandboxModeRefused`, naming what is missing and how to get it, and so does a
    job that asks for ``judge="in_process"``."""
    job_list = list(jobs)
    _check_judges(job_list, require)
    n = max(1, workers or default_workers())
    results: list[Result | None] = [None] * len(job_list)
    if not job_list:
        return []
    _check_pool(n, require)
    bar = None
    if progress and len(job_list) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(job_list), desc="sandbox", leave=False)
    try:
        if n == 1 or len(job_list) == 1:
            for i, job in enumerate(job_list):
                results[i] = _run_guarded(job, n)
                if bar is not None:
                    bar.update(1)
        else:
            with ThreadPoolExecutor(max_workers=n, thread_name_prefix="sandbox") as pool:
                futures = {pool.submit(_run_guarded, job, n): i for i, job in enumerate(job_list)}
                try:
                    for fut in as_completed(futures):
                        results[futures[fut]] = fut.result()
                        if bar is not None:
                            bar.update(1)
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    raise
    finally:
        if bar is not None:
            bar.close()
    done = [r for r in results if r is not None]
    _check_results(done, require)
    return done


def verifier_runner(required_by: str):  # noqa: ANN201
    """``run_jobs`` with ``require=required_by``: for callers that take a runner function."""

    def runner(jobs: Iterable[Job], workers: int | None = None, progress: bool = True) -> list[Result]:
        return run_jobs(jobs, workers=workers, progress=progress, require=required_by)

    return runner


def isolation_report() -> str:
    """One line: the isolation this machine gives jobs, and which languages can run
    (SandboxUnavailable if none can be given)."""
    server = POOL.acquire(default_workers())
    try:
        langs = ["python"] + [lang for lang, tool in (("javascript", "node"), ("c", "gcc"),
                                                       ("cpp", "g++")) if server.toolchains.get(tool)]
        return f"sandbox: {server.isolation}; languages: {', '.join(langs)}"
    finally:
        POOL.release(server)
