"""One job: spawn its init (in new namespaces where the mode has them), drop the program's
privileges, apply limits and the seccomp filter, run the language's harness, capture output.

Every module a job's program process uses is imported here, in the server, before any job: the
server's own files may be out of the job's sight (a checkout under a private directory).
"""

from __future__ import annotations

import os
import resource
import select
import shutil
import signal
import sys
import time

from . import libc, mounts, seccomp
from .enclosure import open_enclosure
from .javascript import run_javascript
from .javascript_apart import run_javascript_apart
from .judged import run_judged
from .libc import JOB_FLAGS, PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG, prctl
from .native import run_native
from .native_apart import run_native_apart
from .python_harness import run_python

NAMESPACED = ("namespaces", "userns")  # the modes whose jobs get their own namespaces
ENCLOSED = ("javascript", "c", "cpp")  # judged apart with the candidate in an enclosure of its own (enclosure.py)
NODE_EXTRA_AS_MB = 1024
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
INIT_FAILED, SETUP_FAILED = 126, 125
WORKDIR_PREFIX = "seedkit-sandbox-"  # fallback job directories: seedkit-sandbox-<server pid>-XXXX


def sweep_workdirs() -> None:
    """Fallback: remove job directories left by servers that were killed mid-job."""
    import tempfile

    top = tempfile.gettempdir()
    try:
        names = os.listdir(top)
    except OSError:
        return
    for name in names:
        pid = name[len(WORKDIR_PREFIX):].split("-", 1)[0]
        if name.startswith(WORKDIR_PREFIX) and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(top, name), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Settings:
    """What the server decided at start (set once by main)."""

    mode = "fallback"
    job_uid: int | None = None  # the uid jobs run as (None: keep the server's)
    cgroup = None  # cgroups.JobCgroup or None
    keep: list[str] = []  # interpreter trees a job's fresh mounts must not hide
    cgroup_mounts: list[tuple[str, int]] = []  # (mount point, flags): read-only in every job
    sys_path: list[str] | None = None  # namespace modes: the job's sys.path (read-only trees only)


SETTINGS = Settings()


class Capture:
    """Keeps the last ``cap`` bytes of a stream; counts what was dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = max(0, cap)
        self.data = bytearray()
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.data += chunk
        if len(self.data) > 2 * self.cap + 65536:
            del self.data[: len(self.data) - self.cap]

    def value(self) -> str:
        return bytes(self.data[-self.cap:] if self.cap else b"").decode("utf-8", "replace")


def _read_ready(captures: dict[int, Capture], fds: set[int], ready: list[int], status: bytearray | None,
                sentinel: int | None) -> None:
    for fd in ready:
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            fds.discard(fd)
        elif fd == sentinel and status is not None:
            status += chunk
        else:
            captures[fd].add(chunk)


def drain(captures: dict[int, Capture], sentinel: int, deadline: float) -> tuple[bool, bytes]:
    """Read the output fds until the sentinel (init's status pipe) closes or the deadline."""
    status = bytearray()
    fds = set(captures) | {sentinel}
    while sentinel in fds:
        left = deadline - time.monotonic()
        if left <= 0:
            return True, bytes(status)
        try:
            ready, _, _ = select.select(list(fds), [], [], left)
        except InterruptedError:
            continue
        _read_ready(captures, fds, ready, status, sentinel)
    return False, bytes(status)


def drain_rest(captures: dict[int, Capture], grace_s: float) -> None:
    """After the job ended: read what is left (writers are dead, or killed just now)."""
    deadline = time.monotonic() + grace_s
    fds = set(captures)
    while fds and time.monotonic() < deadline:
        try:
            ready, _, _ = select.select(list(fds), [], [], max(0.0, deadline - time.monotonic()))
        except InterruptedError:
            continue
        if not ready:
            break
        _read_ready(captures, fds, ready, None, None)


def set_limits(limits: dict) -> None:
    mem = int(limits["memory_mb"]) * 1024 * 1024
    cpu = max(1, int(float(limits["cpu_s"]) + 0.999))
    wanted = [("RLIMIT_AS", mem, mem), ("RLIMIT_CPU", cpu, cpu + 1),
              ("RLIMIT_FSIZE", int(limits["file_size_mb"]) * 1024 * 1024, None),
              ("RLIMIT_NOFILE", int(limits["open_files"]), None),
              ("RLIMIT_NPROC", int(limits["max_procs"]), None), ("RLIMIT_CORE", 0, None)]
    for name, soft, hard in wanted:
        res = getattr(resource, name, None)
        if res is None:
            continue
        hard = soft if hard is None else hard
        try:
            resource.setrlimit(res, (soft, hard))
        except (ValueError, OSError):
            if name == "RLIMIT_AS" and sys.platform == "darwin":
                continue  # macOS refuses RLIMIT_AS (documented: no address-space limit there)
            # without the right to raise the hard limit, a lower one is stricter: keep it
            current = resource.getrlimit(res)[1]
            resource.setrlimit(res, (min(soft, current), min(hard, current)))


def drop_privileges(mode: str) -> None:
    uid = SETTINGS.job_uid
    if uid is not None:
        os.setgroups([])
        if hasattr(os, "setresuid"):
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
        else:  # macOS: setgid/setuid as root set the real, effective and saved ids
            os.setgid(uid)
            os.setuid(uid)
    elif mode == "userns":
        libc.drop_capabilities()  # the user namespace's capabilities stay with init


def program_process(job: dict, mode: str, workdir: str, fds: dict[str, int]) -> None:
    """The job's program: drop everything, then run the harness or exec the toolchain."""
    import fcntl

    # Move the pipes out of the way first, so that no dup2 below overwrites a source fd.
    high = {key: fcntl.fcntl(fds[key], fcntl.F_DUPFD, 100) for key in ("out_w", "err_w", "rep_w", "nonce_r")}
    high["devnull"] = fcntl.fcntl(os.open(os.devnull, os.O_RDONLY), fcntl.F_DUPFD, 100)
    for key, target in (("devnull", 0), ("out_w", 1), ("err_w", 2), ("rep_w", 3), ("nonce_r", 4)):
        os.dup2(high[key], target)
    os.closerange(5, 1 << 16)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)
    os.chdir(workdir)
    if SETTINGS.sys_path is not None:
        sys.path[:] = SETTINGS.sys_path
    os.environ.clear()
    os.environ.update({"PATH": SAFE_PATH, "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8",
                       "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
                       "USER": "nobody", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "MKL_NUM_THREADS": "1"})
    os.umask(0o077)
    if SETTINGS.cgroup is not None:  # in the server's cgroup: the OOM killer must pick the job
        with open("/proc/self/oom_score_adj", "w") as fh:
            fh.write("1000")
    limits = dict(job["limits"])
    if job["language"] == "javascript":
        # V8 reserves ~700 MB of address space before running anything: node gets the memory
        # limit as its heap limit (--max-old-space-size) and 1 GB more address space.
        limits["memory_mb"] = int(limits["memory_mb"]) + NODE_EXTRA_AS_MB
    set_limits(limits)
    language = job["language"]
    enclosure = None
    if job.get("judge", "apart") == "apart" and language in ENCLOSED:  # forked while it can still mount
        enclosure = open_enclosure(mode, drop_privileges, max(64, 4 * int(limits["file_size_mb"])), SETTINGS.keep,
                                   SETTINGS.job_uid)
    drop_privileges(mode)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    seccomp.apply()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    if language == "javascript" and enclosure is not None:
        run_javascript_apart(job, enclosure)
    elif language == "javascript":
        run_javascript(job)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    nonce = job.pop("nonce")
    os.close(4)
    if language == "python" and job.get("judge", "apart") == "apart":
        run_judged(job.pop("program"), job.pop("tests"), job.get("entry_point"), 3, nonce, job.get("support") or "")
    elif language == "python":
        run_python(job.pop("program"), job.pop("tests"), job.get("entry_point"), 3, nonce)
    elif language in ("c", "cpp") and enclosure is not None:
        run_native_apart(job, enclosure, 3, nonce)
    elif language in ("c", "cpp"):
        run_native(job, 3, nonce)
    os._exit(127)


def init_process(job: dict, mode: str, workdir: str, fds: dict[str, int]) -> None:
    """Pid 1 of the job's namespace (or a session leader in fallback): start the program,
    reap everything, report the program's exit status, exit (taking the namespace with it)."""
    if mode in NAMESPACED:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # (getppid() is 0 here: the parent is outside)
        mounts.job_mounts(max(64, 4 * int(job["limits"]["file_size_mb"])), SETTINGS.keep, SETTINGS.cgroup_mounts)
        os.mkdir(workdir, 0o700)
        if SETTINGS.job_uid is not None:
            os.chown(workdir, SETTINGS.job_uid, SETTINGS.job_uid)
    os.setsid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(fds["st_w"])
            program_process(job, mode, workdir, fds)
        except BaseException as exc:  # noqa: BLE001 - the setup failed: say so on stderr
            try:
                os.write(2, f"seedkit sandbox setup failed: {exc!r}\n".encode())
            except OSError:
                pass
        os._exit(SETUP_FAILED)
    for key in ("out_w", "err_w", "rep_w", "nonce_r"):
        os.close(fds[key])
    code = SETUP_FAILED
    while True:
        try:
            reaped, status = os.waitpid(-1 if mode in NAMESPACED else pid, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if reaped == pid:
            code = os.waitstatus_to_exitcode(status)
            break
    os.write(fds["st_w"], str(code).encode())
    os._exit(0)


def spawn_init(job: dict, mode: str, workdir: str, fds: dict[str, int], close: list[int]) -> int:
    """Start the job's init; returns the pid to wait for and to SIGKILL at the deadline.

    Namespace modes use clone(2) with the namespace flags straight from the server (one fork
    fewer per job; the child only runs trusted code until init's own ``os.fork`` of the
    program, which does Python's full after-fork work). Where the clone number is unknown an
    intermediate process calls unshare and forks init; killing it kills init (parent-death
    signal). Fallback mode forks init directly.
    """
    def child(body, close: list[int] = close) -> None:  # noqa: ANN001
        try:
            for fd in close:
                os.close(fd)
            body()
        except BaseException as exc:  # noqa: BLE001 - a failed setup must say why
            try:
                os.write(fds["err_w"], f"seedkit sandbox init failed: {exc!r}\n".encode())
            except OSError:
                pass
        os._exit(INIT_FAILED)

    if mode in NAMESPACED and libc.CLONE_SYSCALL is not None:
        pid = libc.libc().syscall(libc.CLONE_SYSCALL, JOB_FLAGS | signal.SIGCHLD, 0, 0, 0, 0)
        if pid == 0:
            child(lambda: init_process(job, mode, workdir, fds))
        if pid < 0:
            import ctypes

            err = ctypes.get_errno()
            raise OSError(err, f"clone: {os.strerror(err)}")
        return pid
    pid = os.fork()
    if pid != 0:
        return pid
    if mode not in NAMESPACED:
        child(lambda: init_process(job, mode, workdir, fds))

    def intermediate() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        libc.unshare(JOB_FLAGS)
        init = os.fork()
        if init == 0:
            child(lambda: init_process(job, mode, workdir, fds), close=[])
        for fd in fds.values():
            os.close(fd)
        os.waitpid(init, 0)
        os._exit(0)

    child(intermediate)
    return -1  # not reached


def _reap_orphans() -> None:
    """Reap every child that has exited (in fallback the server is the job's subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        except InterruptedError:
            continue
        if pid == 0:
            return


def _uid_has_processes(uid: int) -> bool:
    """Whether any process (zombies included) has real uid ``uid`` (Linux: /proc)."""
    wanted = str(uid)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as fh:
                    for line in fh:
                        if line.startswith("Uid:"):
                            if line.split()[1] == wanted:
                                return True
                            break
            except OSError:
                continue
    return False


def kill_uid(uid: int, budget_s: float = 5.0) -> None:
    """Fallback as root: kill every process of the job's uid (no other process has it), those
    that left the job's process group (``setsid``) or were forked while it was being killed
    included. A child that takes the uid calls ``kill(-1, SIGKILL)``; the server reaps what
    died (zombies still count against RLIMIT_NPROC) and repeats while any is left. (Without
    /proc, one round.)"""
    deadline = time.monotonic() + budget_s
    while time.monotonic() < deadline:
        if libc.IS_LINUX and not _uid_has_processes(uid):
            return
        pid = os.fork()
        if pid == 0:
            try:
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        _reap_orphans()
        if not libc.IS_LINUX:
            return
        time.sleep(0.002)


def run_job(job: dict, mode: str, protocol_fds: tuple[int, int]) -> dict:
    """Run one job under a fresh isolation; returns the raw facts for the kit to judge."""
    if mode in NAMESPACED:
        workdir = "/tmp/job"  # inside the job's own tmpfs
    else:
        import tempfile

        workdir = tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-")
        if SETTINGS.job_uid is not None:
            os.chown(workdir, SETTINGS.job_uid, SETTINGS.job_uid)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    rep_r, rep_w = os.pipe()
    st_r, st_w = os.pipe()
    nonce_r, nonce_w = os.pipe()
    os.write(nonce_w, job["nonce"].encode())
    os.close(nonce_w)
    for fd in (rep_r, nonce_r):  # neither pipe can be reopened through /proc/self/fd (userns: same uid)
        os.fchmod(fd, 0)
    fds = {"out_w": out_w, "err_w": err_w, "rep_w": rep_w, "nonce_r": nonce_r, "st_w": st_w}
    limits = job["limits"]
    cgroup = SETTINGS.cgroup
    oom_before = cgroup.prepare(limits) if cgroup is not None else 0
    start = time.monotonic()
    try:
        pid = spawn_init(job, mode, workdir, fds, [out_r, err_r, rep_r, st_r, *protocol_fds])
    except BaseException:
        for fd in (out_r, err_r, rep_r, st_r):
            os.close(fd)
        if mode not in NAMESPACED:
            shutil.rmtree(workdir, ignore_errors=True)
        raise
    finally:
        for fd in fds.values():
            os.close(fd)
    cap = int(limits["output_bytes"])
    out, err, rep = Capture(cap), Capture(cap), Capture(1 << 20)
    captures = {out_r: out, err_r: err, rep_r: rep}
    timed_out, status = drain(captures, st_r, start + float(limits["wall_s"]))
    elapsed = time.monotonic() - start
    if timed_out or mode not in NAMESPACED:
        # Namespace modes: killing init (or the intermediate) ends the PID namespace.
        # Fallback: kill init's session (its process group).
        try:
            if mode in NAMESPACED:
                os.kill(pid, signal.SIGKILL)
            else:
                os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    while True:
        try:
            os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if mode not in NAMESPACED:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if SETTINGS.job_uid is not None:
            kill_uid(SETTINGS.job_uid)
        shutil.rmtree(workdir, ignore_errors=True)
    drain_rest(captures, 0.5)
    for fd in (out_r, err_r, rep_r, st_r):
        os.close(fd)
    try:
        returncode = int(status.decode() or "x")
    except ValueError:
        returncode = None
    oom_killed = cgroup is not None and cgroup.oom_kills() > oom_before
    return {"ok": True, "timed_out": timed_out, "returncode": returncode, "time_s": elapsed,
            "oom_killed": oom_killed, "stdout": out.value(), "stderr": err.value(), "report": rep.value(),
            "stdout_bytes": out.total, "stderr_bytes": err.total}
