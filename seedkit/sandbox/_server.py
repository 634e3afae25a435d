"""The warm fork server: one per worker, started once, forks one isolated child per job.

Started by the kit as ``python -I _server.py`` with a scrubbed environment; speaks length-prefixed
JSON on stdin/stdout (4-byte big-endian length, then UTF-8 JSON). Stdlib only, never imports
seedkit (the package may be unreadable once privileges are dropped).

Process tree per job (namespace mode: Linux, running as root)::

    server (root, warm, own mount namespace where every mount is read-only; it is also the
    │       job's monitor: enforces the wall-clock deadline, captures output with a cap)
    └── init (cloned straight into new PID, network, mount, IPC and UTS namespaces; pid 1
        │     there; root; mounts a fresh tmpfs on /tmp and /dev/shm and a fresh /proc;
        │     reaps orphans; when the program exits, init exits and the kernel kills every
        │     process left in the namespace, setsid'd daemons included; SIGKILLed by the
        │     server at the deadline, with the same effect)
        └── program (uid/gid 65534, no supplementary groups, no_new_privs, rlimits,
                     scrubbed environment, cwd /tmp/job; runs the harness in-process for
                     Python, or execs node / the compiled binary)

Where clone(2) cannot be called directly (an architecture without a known syscall number), an
intermediate process calls unshare(2) and forks init instead. Fallback mode (not root, no
namespaces, not Linux): the same tree without namespaces, mounts and (unless root) the uid
change; init starts a new session whose process group is killed at the end, and the job's
directory is a ``tempfile.mkdtemp`` removed afterwards.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import secrets
import select
import shutil
import signal
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402  (sibling module, imported by path so the kit need not be importable)

sys.path.pop(0)

NOBODY = 65534
# Root without namespaces (e.g. a container without CAP_SYS_ADMIN) still drops to uid 65534: a
# program running as root could signal or write anything on the machine.
DROP_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PROTO_IN, PROTO_OUT = 0, 1
NODE_EXTRA_AS_MB = 1024
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
IS_LINUX = sys.platform.startswith("linux")

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUSER = 0x20000000, 0x40000000, 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 1, 38, 24
NAMESPACED = ("namespaces", "userns")  # the modes whose jobs get their own namespaces
JOB_FLAGS = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS

_libc = None


def libc():  # noqa: ANN201
    global _libc
    if _libc is None:
        import ctypes

        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _check(ret: int, what: str) -> None:
    if ret != 0:
        import ctypes

        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    _check(libc().unshare(flags), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    def enc(s: str | None) -> bytes | None:
        return None if s is None else s.encode()

    _check(libc().mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def prctl(option: int, arg: int) -> None:
    if IS_LINUX:
        libc().prctl(option, arg, 0, 0, 0)


# ----------------------------------------------------------------------------- seccomp

# x86_64 syscalls the program gets EPERM for: namespaces and mounts (kernel attack surface that
# unprivileged user namespaces would otherwise open), tracing other processes' memory, kernel
# keyrings, BPF, perf, io_uring, userfaultfd, modules, kexec, swap, reboot, raw I/O ports.
SECCOMP_DENIED_X86_64 = (
    272, 308,  # unshare, setns
    165, 166, 155, 428, 429, 430, 431, 432, 433, 442,  # mount, umount2, pivot_root, new mount API
    101, 310, 311,  # ptrace, process_vm_readv/writev
    321, 298, 250, 248, 249, 323, 425, 426, 427,  # bpf, perf, keyctl, add/request_key, uffd, io_uring
    304, 246, 320, 175, 313, 176, 134,  # open_by_handle_at, kexec, modules, uselib
    139, 156, 163, 167, 168, 169, 153, 154, 172, 173,  # sysfs, _sysctl, acct, swap, reboot, ...
)
CLONE_NS_FLAGS = 0x7E020000 | 0x00000080  # every CLONE_NEW* flag, CLONE_NEWTIME included
_seccomp_prog = None


def build_seccomp() -> str | None:
    """Prepare the BPF filter once (x86_64 only); None when ready, else why it is not used."""
    global _seccomp_prog
    import ctypes
    import errno as errno_mod
    import platform

    if not IS_LINUX or platform.machine().lower() not in ("x86_64", "amd64"):
        return f"no seccomp filter for {sys.platform}/{platform.machine()}"
    ld_abs, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, deny, nosys = 0x7FFF0000, 0x00050000 | errno_mod.EPERM, 0x00050000 | errno_mod.ENOSYS
    prog = [(ld_abs, 0, 0, 4), (jeq, 1, 0, 0xC000003E), (ret, 0, 0, deny),  # x86_64 ABI only
            (ld_abs, 0, 0, 0), (jge, 0, 1, 0x40000000), (ret, 0, 0, deny),  # no x32 ABI
            (jeq, 0, 1, 435), (ret, 0, 0, nosys),  # clone3 (flags unreadable): libc falls back to clone
            (jeq, 0, 3, 56), (ld_abs, 0, 0, 16), (jset, 0, 1, CLONE_NS_FLAGS), (ret, 0, 0, deny),
            (ld_abs, 0, 0, 0),
            # kill(-1, sig) signals every process the caller may signal: all of the user's own
            # processes in fallback mode without a uid change
            (jeq, 0, 3, 62), (ld_abs, 0, 0, 16), (jeq, 0, 1, 0xFFFFFFFF), (ret, 0, 0, deny),
            (ld_abs, 0, 0, 0)]
    for number in SECCOMP_DENIED_X86_64:
        prog += [(jeq, 0, 1, number), (ret, 0, 0, deny)]
    prog.append((ret, 0, 0, allow))
    code = b"".join(struct.pack("HBBI", *ins) for ins in prog)
    buffer = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    _seccomp_prog = (buffer, SockFprog(len(prog), ctypes.addressof(buffer)))
    return None


def apply_seccomp() -> None:
    """Install the filter in the calling process (after no_new_privs); inherited by children."""
    if _seccomp_prog is not None:
        import ctypes

        _check(libc().prctl(22, 2, ctypes.byref(_seccomp_prog[1]), 0, 0), "seccomp")


# ----------------------------------------------------------------------------- protocol

def read_exact(fd: int, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def read_message(fd: int) -> dict:
    (size,) = struct.unpack(">I", read_exact(fd, 4))
    return json.loads(read_exact(fd, size))


def write_message(fd: int, message: dict) -> None:
    data = json.dumps(message).encode()
    data = struct.pack(">I", len(data)) + data
    while data:
        data = data[os.write(fd, data):]


# ----------------------------------------------------------------------------- server setup

def _world_traversable(path: str) -> bool:
    try:
        return bool(os.stat(path).st_mode & 0o001)
    except OSError:
        return False


def _hidden_ancestor(path: str) -> str | None:
    """The top-most ancestor of ``path`` that uid 65534 cannot traverse (e.g. a 0700 /root)."""
    parts = os.path.abspath(path).split(os.sep)[1:]
    current = ""
    for part in parts:
        current += os.sep + part
        if os.path.isdir(current) and not _world_traversable(current):
            return current
    return None


def _mount_points() -> list[tuple[str, str]]:
    """(mount point, filesystem type) of every mount, in mountinfo order."""
    points = []
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            before, _, after = line.partition(" - ")
            point = before.split()[4].encode().decode("unicode_escape")
            points.append((point, after.split()[0] if after else ""))
    return points


def setup_namespace_mode(hide: tuple[str, ...] = ()) -> list[str]:
    """Give the server its own mount namespace: private propagation, the interpreter's files
    reachable by the job's uid, the directories in ``hide`` covered by an empty tmpfs (except
    the interpreter's trees inside them), every mount read-only. Returns notes on what could
    not be done."""
    notes: list[str] = []
    unshare(CLONE_NEWNS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    needed = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix,
                                            os.path.dirname(os.path.realpath(sys.executable)))}
    needed |= {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}
    by_hidden: dict[str, list[str]] = {h: [] for h in hide if os.path.isdir(h) and h != "/"}
    for path in sorted(needed):
        hidden = _hidden_ancestor(path)
        for extra in by_hidden:
            if path == extra or path.startswith(extra + os.sep):
                hidden = extra
        if hidden is not None:
            by_hidden.setdefault(hidden, []).append(path)
    if by_hidden:
        # Bind what is needed aside, cover the unreadable ancestor with an empty tmpfs (hiding
        # e.g. /root's other contents too), and bind the needed trees back at the same paths.
        mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700")
        staged: list[tuple[str, str]] = []
        for hidden, paths in by_hidden.items():
            keep = [p for p in paths if not any(p != q and p.startswith(q + os.sep) for q in paths)]
            for path in keep:
                stage = f"/tmp/stage{len(staged)}"
                os.mkdir(stage)
                mount(path, stage, None, MS_BIND | MS_REC)
                staged.append((stage, path))
            mount("tmpfs", hidden, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
            for stage, path in staged:
                if path.startswith(hidden + os.sep):
                    os.makedirs(path, mode=0o755, exist_ok=True)
                    mount(stage, path, None, MS_BIND | MS_REC)
    for point, fstype in reversed(_mount_points()):
        if fstype in ("cgroup", "cgroup2"):
            continue  # root-only control files; each job's init writes itself into its cgroup
        try:
            mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
        except OSError as exc:
            if point.startswith(("/proc", "/sys", "/dev")):
                continue
            notes.append(f"{point} not read-only ({exc.strerror})")
    return notes


def probe_namespaces() -> str | None:
    """Fork a child that tries the per-job unshare; None if it works, else the reason."""
    if not IS_LINUX:
        return f"no Linux namespaces on {sys.platform}"
    if os.geteuid() != 0:
        return "not root (namespaces, read-only mounts and the uid change need root)"
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            unshare(JOB_FLAGS)
            os.write(w, b"ok")
        except BaseException as exc:  # noqa: BLE001
            os.write(w, str(exc).encode()[:200])
        os._exit(0)
    os.close(w)
    answer = os.read(r, 256).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return None if answer == "ok" else f"unshare failed: {answer}"


def enter_user_namespace() -> None:
    """Without root: become 'root' of a new user namespace (capabilities only over namespaces
    it owns), keeping the same uid/gid inside, so jobs can get their own namespaces."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as fh:
            fh.write(text)


def probe_user_namespaces() -> str | None:
    """Fork a child that tries a user namespace plus the per-job namespaces."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            enter_user_namespace()
            unshare(JOB_FLAGS)
            os.write(w, b"ok")
        except BaseException as exc:  # noqa: BLE001
            os.write(w, str(exc).encode()[:200])
        os._exit(0)
    os.close(w)
    answer = os.read(r, 256).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return None if answer == "ok" else f"user namespaces unavailable: {answer}"


def drop_capabilities() -> None:
    """Clear every capability (bounding set included) of the calling process."""
    import ctypes

    for cap in range(64):
        libc().prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    _check(libc().capset(header, data), "capset")


def toolchains() -> dict[str, str | None]:
    return {"node": shutil.which("node", path=SAFE_PATH), "gcc": shutil.which("gcc", path=SAFE_PATH),
            "g++": shutil.which("g++", path=SAFE_PATH)}


# ----------------------------------------------------------------------------- cgroups

def _sweep_dead_cgroups(parent: str) -> None:
    """Remove job cgroups left by servers that were killed before they could remove their own
    (named seedkit-sandbox-<server pid>; a cgroup still holding processes refuses rmdir)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        pid = name.rsplit("-", 1)[-1]
        if name.startswith("seedkit-sandbox-") and pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            try:
                os.rmdir(os.path.join(parent, name))
            except OSError:
                pass


class JobCgroup:
    """A cgroup v1 memory + pids pair for this server's jobs (one job at a time), created under
    the server's own cgroups: bounds a whole job's memory (RLIMIT_AS is per process) and its
    process count (RLIMIT_NPROC is per uid, shared by concurrent jobs)."""

    def __init__(self, dirs: dict[str, str]) -> None:
        self.dirs = dirs
        self.current: tuple[str, str] | None = None  # the limits last written

    @classmethod
    def create(cls) -> tuple[JobCgroup | None, str | None]:
        if not IS_LINUX or not DROP_ROOT:
            return None, "cgroups need Linux and root"
        own: dict[str, str] = {}
        try:
            with open("/proc/self/cgroup") as fh:
                for line in fh:
                    _, controllers, path = line.rstrip("\n").split(":", 2)
                    for controller in controllers.split(","):
                        own[controller] = path
        except OSError as exc:
            return None, f"no /proc/self/cgroup ({exc.strerror})"
        dirs = {}
        for controller in ("memory", "pids"):
            root = f"/sys/fs/cgroup/{controller}"
            if controller not in own or not os.path.isfile(os.path.join(root, "cgroup.procs")):
                return None, "no cgroup v1 memory and pids hierarchies (cgroup v2 is not used)"
            parent = root + own[controller]
            _sweep_dead_cgroups(parent)
            path = os.path.join(parent, f"seedkit-sandbox-{os.getpid()}")
            try:
                os.mkdir(path, 0o755)
            except OSError as exc:
                for made in dirs.values():
                    os.rmdir(made)
                return None, f"cannot create {path} ({exc.strerror})"
            dirs[controller] = path
        group = cls(dirs)
        try:
            # The server lives in the cgroup, so its jobs are born there: moving a process
            # between cgroups waits for an RCU grace period (~5 ms a job). Its jobs are the
            # OOM killer's first choice (program_process sets theirs to 1000).
            group.enter()
        except OSError as exc:
            group.remove()
            return None, f"cannot enter {dirs['memory']} ({exc.strerror})"
        return group, None

    def _write(self, controller: str, name: str, value: str) -> None:
        with open(os.path.join(self.dirs[controller], name), "w") as fh:
            fh.write(value)

    def oom_kills(self) -> int:
        try:
            with open(os.path.join(self.dirs["memory"], "memory.oom_control")) as fh:
                for line in fh:
                    if line.startswith("oom_kill "):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def prepare(self, limits: dict) -> int:
        """Set this job's limits; returns the OOM-kill count to compare with afterwards."""
        # the address-space limit already stops a single process; this bounds them together
        # (plus the job's tmpfs pages), with room for the interpreter's own pages
        memory = str((int(limits["memory_mb"]) + 256) * 1024 * 1024)
        pids = str(int(limits["max_procs"]) + 2)  # + the server and init
        if self.current == (memory, pids):
            return self.oom_kills()
        self.current = None
        names = ["memory.limit_in_bytes"]
        if os.path.exists(os.path.join(self.dirs["memory"], "memory.memsw.limit_in_bytes")):
            names.append("memory.memsw.limit_in_bytes")  # memory + swap, never below memory
        try:
            for name in names:
                self._write("memory", name, memory)
        except OSError:  # raising the limit: memory+swap has to go up first
            for name in reversed(names):
                self._write("memory", name, memory)
        self._write("pids", "pids.max", pids)  # the server, init and max_procs for the program
        self.current = (memory, pids)
        return self.oom_kills()

    def enter(self) -> None:
        """Move the calling process (the server, at start) in."""
        for controller in self.dirs:
            self._write(controller, "cgroup.procs", "0")

    def remove(self) -> None:
        """Leave (back to the parent cgroup) and remove the directories."""
        for path in self.dirs.values():
            try:
                with open(os.path.join(os.path.dirname(path), "cgroup.procs"), "w") as fh:
                    fh.write("0")
                os.rmdir(path)
            except OSError:
                pass


CGROUP: JobCgroup | None = None


# ----------------------------------------------------------------------------- per job

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
        for fd in ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                fds.discard(fd)
            elif fd == sentinel:
                status += chunk
            else:
                captures[fd].add(chunk)
    return False, bytes(status)


def drain_rest(captures: dict[int, Capture], grace_s: float) -> None:
    """After the job ended: read what is left (writers are dead, or killed just now)."""
    deadline = time.monotonic() + grace_s
    fds = set(captures)
    while fds and time.monotonic() < deadline:
        ready, _, _ = select.select(list(fds), [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        for fd in ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if chunk:
                captures[fd].add(chunk)
            else:
                fds.discard(fd)


def set_limits(limits: dict) -> list[str]:
    notes = []
    mem = int(limits["memory_mb"]) * 1024 * 1024
    cpu = max(1, int(float(limits["cpu_s"]) + 0.999))
    wanted = [("RLIMIT_AS", mem, mem), ("RLIMIT_CPU", cpu, cpu + 1),
              ("RLIMIT_FSIZE", int(limits["file_size_mb"]) * 1024 * 1024, None),
              ("RLIMIT_NOFILE", int(limits["open_files"]), None),
              ("RLIMIT_NPROC", int(limits["max_procs"]), None), ("RLIMIT_CORE", 0, None)]
    for name, soft, hard in wanted:
        res = getattr(resource, name, None)
        if res is None:
            notes.append(f"no {name}")
            continue
        try:
            resource.setrlimit(res, (soft, soft if hard is None else hard))
        except (ValueError, OSError):
            notes.append(f"{name} not applied")
    return notes


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
    os.environ.clear()
    os.environ.update({"PATH": SAFE_PATH, "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8",
                       "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
                       "USER": "nobody", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "MKL_NUM_THREADS": "1"})
    os.umask(0o077)
    if CGROUP is not None:  # in the server's cgroup: the OOM killer must pick the job, not it
        try:
            with open("/proc/self/oom_score_adj", "w") as fh:
                fh.write("1000")
        except OSError:
            pass
    limits = dict(job["limits"])
    if job["language"] == "javascript":
        # V8 reserves ~700 MB of address space before running anything: node gets the memory
        # limit as its heap limit (--max-old-space-size) and 1 GB more address space.
        limits["memory_mb"] = int(limits["memory_mb"]) + NODE_EXTRA_AS_MB
    set_limits(limits)
    if mode == "namespaces" or DROP_ROOT:
        os.setgroups([])
        if hasattr(os, "setresuid"):
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
        else:  # macOS: setgid/setuid as root set the real, effective and saved ids
            os.setgid(NOBODY)
            os.setuid(NOBODY)
    elif mode == "userns":
        drop_capabilities()  # the user namespace's capabilities stay with init
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    apply_seccomp()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    language = job["language"]
    if language == "python":
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        nonce = job.pop("nonce")
        os.close(4)
        program, tests, entry = job.pop("program"), job.pop("tests"), job.get("entry_point")
        _harness.run_python(program, tests, entry, 3, nonce)
    elif language == "javascript":
        _run_javascript(job)
    elif language in ("c", "cpp"):
        _run_native(job)
    os._exit(127)


JS_PREAMBLE = """const %(name)s = (() => {
  const fs = require('fs');
  const nonce = fs.readFileSync(4, 'utf8'); fs.closeSync(4); fs.unlinkSync(__filename);
  return (line) => fs.writeSync(3, nonce + ' ' + line + '\\n');
})();
"""


def _js_test_block(index: int, snippet: str, name: str) -> str:
    return (f"\ntry {{\n{snippet}\n;{name}('T {index} ok -');\n}} catch (e) {{\n"
            f"  const n = String((e && e.name) || 'Error').replace(/[^A-Za-z0-9_.]/g, '').slice(0, 60)"
            f" || 'Error';\n"
            f"  {name}('T {index} ' + (n === 'AssertionError' || n === 'Error' ? 'fail' : 'error')"
            f" + ' ' + n);\n  console.error(e);\n}}\n")


def _run_javascript(job: dict) -> None:
    # The reporter's name is random per job and the source file is deleted once loaded, so a
    # program cannot call it by a known name (see the package docstring for what remains).
    name = "__seedkit_" + secrets.token_hex(12)
    source = JS_PREAMBLE % {"name": name} + job["program"] + f"\n;{name}('P ok -');\n"
    source += "".join(_js_test_block(i, t, name) for i, t in enumerate(job["tests"]))
    source += f"\n{name}('D');\n"
    with open("main.js", "w") as fh:
        fh.write(source)
    node = job["toolchain"]
    heap = max(16, int(job["limits"]["memory_mb"]))
    os.execv(node, [node, f"--max-old-space-size={heap}", "--stack-size=2048", "main.js"])


C_MAIN = """#undef main
#include <stdio.h>
#include <string.h>
#include <unistd.h>
%(decl)s
int main(void) {
    char nonce[128]; ssize_t n = read(4, nonce, sizeof(nonce) - 1); close(4);
    if (n < 0) n = 0;
    nonce[n] = 0;
    int code = seedkit_user_main();
    fflush(stdout); fflush(stderr);
    if (code == 0) { char line[160]; int len = snprintf(line, sizeof line, "%%s D\\n", nonce);
        if (write(3, line, len) != len) return 70; }
    return code;
}
"""


def _run_native(job: dict) -> None:
    """Compile program + tests (whose ``main`` is renamed) with a harness ``main`` that reports
    only after the tests' main returned 0; then exec the binary."""
    cpp = job["language"] == "cpp"
    ext = "cpp" if cpp else "c"
    with open(f"prog.{ext}", "w") as fh:
        fh.write(job["program"] + "\n" + "\n".join(job["tests"]) + "\n")
    decl = "int seedkit_user_main();" if cpp else "int seedkit_user_main();"
    with open(f"harness.{ext}", "w") as fh:
        fh.write(C_MAIN % {"decl": decl})
    compiler = job["toolchain"]
    import subprocess

    proc = subprocess.run(
        [compiler, "-O1", "-o", "prog", "-Dmain=seedkit_user_main", f"prog.{ext}",
         "-x", "c++" if cpp else "c", f"harness.{ext}", *(["-lm"] if not cpp else [])],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        os.write(2, proc.stdout[-4000:])
        os._exit(121)  # the parent maps 121 + no report to CompileError
    os.execv("./prog", ["./prog"])


def init_process(job: dict, mode: str, workdir: str, fds: dict[str, int]) -> None:
    """Pid 1 of the job's namespace (or a session leader in fallback): start the program,
    reap everything, report the program's exit status, exit (taking the namespace with it)."""
    if mode in NAMESPACED:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # (getppid() is 0 here: the parent is outside)
        tmp_mb = max(64, 4 * int(job["limits"]["file_size_mb"]))
        mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777")
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        os.mkdir(workdir, 0o700)
        if mode == "namespaces":
            os.chown(workdir, NOBODY, NOBODY)
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
        os._exit(125)
    for key in ("out_w", "err_w", "rep_w", "nonce_r"):
        os.close(fds[key])
    code = 125
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


def _clone_syscall() -> int | None:
    """The raw clone(2) number where its first argument is the flags (x86_64, aarch64)."""
    import platform

    return {"x86_64": 56, "amd64": 56, "aarch64": 220, "arm64": 220}.get(platform.machine().lower())


CLONE_SYSCALL = _clone_syscall() if IS_LINUX else None


def spawn_init(job: dict, mode: str, workdir: str, fds: dict[str, int], close: list[int]) -> int:
    """Start the job's init; returns the pid to wait for and to SIGKILL at the deadline.

    Namespace mode uses clone(2) with the namespace flags straight from the server (one fork
    fewer per job; the child only runs trusted code until init's own ``os.fork`` of the
    program, which does Python's full after-fork work). Elsewhere an intermediate process calls
    unshare and forks init; killing that intermediate kills init (parent-death signal).
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
        os._exit(126)

    if mode in NAMESPACED and CLONE_SYSCALL is not None:
        pid = libc().syscall(CLONE_SYSCALL, JOB_FLAGS | signal.SIGCHLD, 0, 0, 0, 0)
        if pid == 0:
            child(lambda: init_process(job, mode, workdir, fds))
        if pid < 0:
            import ctypes

            raise OSError(ctypes.get_errno(), "clone failed")
        return pid
    pid = os.fork()
    if pid != 0:
        return pid
    if mode not in NAMESPACED:
        child(lambda: init_process(job, mode, workdir, fds))

    def intermediate() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        unshare(JOB_FLAGS)
        init = os.fork()
        if init == 0:
            child(lambda: init_process(job, mode, workdir, fds), close=[])
        for fd in fds.values():
            os.close(fd)
        os.waitpid(init, 0)
        os._exit(0)

    child(intermediate)
    return -1  # not reached


def run_job(job: dict, mode: str) -> dict:
    """Run one job under a fresh isolation; returns the raw facts for the parent to judge."""
    if mode in NAMESPACED:
        workdir = "/tmp/job"  # inside the job's own tmpfs
    else:
        import tempfile

        workdir = tempfile.mkdtemp(prefix="seedkit-sandbox-")
        if DROP_ROOT:
            os.chown(workdir, NOBODY, NOBODY)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    rep_r, rep_w = os.pipe()
    st_r, st_w = os.pipe()
    nonce_r, nonce_w = os.pipe()
    os.write(nonce_w, job["nonce"].encode())
    os.close(nonce_w)
    fds = {"out_w": out_w, "err_w": err_w, "rep_w": rep_w, "nonce_r": nonce_r, "st_w": st_w}
    limits = job["limits"]
    oom_before = CGROUP.prepare(limits) if CGROUP is not None else 0
    start = time.monotonic()
    try:
        pid = spawn_init(job, mode, workdir, fds, [out_r, err_r, rep_r, st_r, PROTO_IN, PROTO_OUT])
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
        # Namespace mode: killing init (or the intermediate) ends the PID namespace.
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
        shutil.rmtree(workdir, ignore_errors=True)
    drain_rest(captures, 0.5)
    for fd in (out_r, err_r, rep_r, st_r):
        os.close(fd)
    try:
        returncode = int(status.decode() or "x")
    except ValueError:
        returncode = None
    oom_killed = CGROUP is not None and CGROUP.oom_kills() > oom_before
    return {"ok": True, "timed_out": timed_out, "returncode": returncode, "time_s": elapsed,
            "oom_killed": oom_killed,
            "stdout": out.value(), "stderr": err.value(), "report": rep.value(),
            "stdout_bytes": out.total, "stderr_bytes": err.total}


def handle(job: dict, mode: str) -> None:
    try:
        reply = run_job(job, mode)
    except Exception as exc:  # noqa: BLE001 - report instead of dying
        reply = {"ok": False, "reason": f"sandbox server failed: {exc!r}"}
    write_message(PROTO_OUT, reply)


def main() -> None:
    os.chdir("/")
    _harness.preload()
    _harness.snapshot_builtins()
    if IS_LINUX:
        libc()  # loaded now: after the uid change ctypes may no longer be importable
    seccomp_reason = build_seccomp()
    for sig in (signal.SIGINT, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN if sig == signal.SIGINT else signal.SIG_DFL)
    global CGROUP
    CGROUP, cgroup_reason = JobCgroup.create()  # before /proc becomes read-only below
    reason = "forced by SEEDKIT_SANDBOX_FALLBACK" if "--fallback" in sys.argv else probe_namespaces()
    notes: list[str] = []
    mode = "fallback"
    if reason is not None and DROP_ROOT:
        hidden = sorted({h for p in (sys.base_prefix, sys.prefix) if (h := _hidden_ancestor(p))})
        if hidden:
            _harness.preload(_harness.PRELOAD_EXTRA)
            notes.append(f"interpreter under {', '.join(hidden)} (unreadable to uid 65534): only "
                         "preloaded modules import")
    if reason is None:
        try:
            notes = setup_namespace_mode()
            mode = "namespaces"
        except OSError as exc:
            reason = f"mount setup failed: {exc}"
    elif IS_LINUX and not DROP_ROOT and "--fallback" not in sys.argv:
        user_reason = probe_user_namespaces()
        if user_reason is None:
            try:
                enter_user_namespace()
                # The program runs as you here: hide your home (keys, tokens, other projects)
                # except the interpreter's and the venv's trees.
                notes = setup_namespace_mode(hide=(os.path.realpath(os.path.expanduser("~")),))
                mode = "userns"
            except OSError as exc:
                reason += f"; user namespace setup failed: {exc}"
        else:
            reason += f"; {user_reason}"
    write_message(PROTO_OUT, {"hello": True, "mode": mode, "reason": reason, "notes": notes,
                              "cgroups": CGROUP.dirs if CGROUP else None, "cgroup_reason": cgroup_reason,
                              "toolchains": toolchains(), "pid": os.getpid(),
                              "drops_root": DROP_ROOT, "seccomp": seccomp_reason is None,
                              "seccomp_reason": seccomp_reason})
    while True:
        try:
            job = read_message(PROTO_IN)
        except (EOFError, OSError):
            break
        if job.get("quit"):
            break
        job.setdefault("nonce", secrets.token_hex(16))
        handle(job, mode)
    if CGROUP is not None:
        CGROUP.remove()
    os._exit(0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        os._exit(0)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
