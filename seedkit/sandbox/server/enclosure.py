"""The candidate's enclosure: the process that will run the program, apart from its judge.

For JavaScript and C/C++ judged apart, the job's program process forks the enclosure while it
still has the privileges to set it up (before it drops them itself). The enclosure:

- closes the report pipe and the nonce pipe (descriptors 3 and 4) at once, and later replaces
  its whole memory by ``execve``: the program it runs never holds the proof, in its descriptors
  or its memory;
- in the namespace modes, enters a mount namespace of its own in which ``/proc`` is an empty
  read-only tmpfs (no ``/proc/<judge>/mem``, ``fd``, ``environ``: the judge's memory, pipes and
  files cannot be reached, even where the judge is dumpable, as node is) and ``/tmp`` and
  ``/dev/shm`` are fresh tmpfs mounts (the judge's files, the tests among them, are not there);
- drops privileges and applies the seccomp filter the same way as the judge (no ptrace, no
  cross-process memory access);
- waits for the judge's *go* message (the program's files and the argv to run), writes the
  files into its own ``/tmp/job`` and ``execve``s, with the request pipe on descriptor 3 and
  the reply pipe on descriptor 4. If the go pipe closes first (the tests did not compile), it
  exits without running anything.

Fallback mode has no namespaces: there the enclosure still holds neither the report pipe nor
the nonce, but it shares the judge's ``/proc`` and files (documented in ``seedkit.sandbox``).
"""

from __future__ import annotations

import json
import os
import signal
import struct

from . import seccomp
from .libc import (
    CLONE_NEWNS,
    MS_NODEV,
    MS_NOEXEC,
    MS_NOSUID,
    MS_PRIVATE,
    MS_RDONLY,
    MS_REC,
    PR_SET_NO_NEW_PRIVS,
    PR_SET_PDEATHSIG,
    mount,
    prctl,
    unshare,
)
from .mounts import cover

REQUESTS_FD, REPLIES_FD = 3, 4  # in the candidate: the judge's requests in, its replies out
GO_FD = 5
_HEADER = struct.Struct(">I")
NAMESPACED = ("namespaces", "userns")
CANDIDATE_SETUP_FAILED = 124


class Enclosure:
    """The judge's ends: ``requests`` (write), ``replies`` (read), ``go`` (write once)."""

    def __init__(self, pid: int, requests: int, replies: int, go: int) -> None:
        self.pid, self.requests, self.replies, self.go = pid, requests, replies, go

    def start(self, argv: list[str], files: dict[str, bytes]) -> None:
        """Hand the enclosure its files and argv; it execs at once."""
        message = json.dumps({"argv": argv, "files": {k: v.hex() for k, v in files.items()}}).encode()
        data = _HEADER.pack(len(message)) + message
        try:
            while data:
                data = data[os.write(self.go, data):]
        finally:
            os.close(self.go)
            self.go = -1


def open_enclosure(mode: str, drop, tmp_mb: int, keep: list[str], job_uid: int | None) -> Enclosure:  # noqa: ANN001
    """Fork the enclosure (see the module docstring); ``drop`` drops the process's privileges."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            for fd in (req_w, rep_r, go_w):
                os.close(fd)
            _enclose(mode, drop, tmp_mb, keep, job_uid, req_r, rep_w, go_r)
        except BaseException as exc:  # noqa: BLE001 - a failed setup says why and runs nothing
            try:
                os.write(2, f"seedkit sandbox: the candidate's enclosure failed: {exc!r}\n".encode())
            except OSError:
                pass
        os._exit(CANDIDATE_SETUP_FAILED)
    for fd in (req_r, rep_w, go_r):
        os.close(fd)
    for fd in (req_w, rep_r, go_w):
        os.set_inheritable(fd, False)
    return Enclosure(pid, req_w, rep_r, go_w)


def _enclose(mode: str, drop, tmp_mb: int, keep: list[str], job_uid: int | None,  # noqa: ANN001
             req_r: int, rep_w: int, go_r: int) -> None:
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    for fd in (3, 4):  # the report pipe and the nonce pipe
        try:
            os.close(fd)
        except OSError:
            pass
    if mode in NAMESPACED:
        unshare(CLONE_NEWNS)
        mount(None, "/", None, MS_REC | MS_PRIVATE)
        # /tmp and /dev/shm first: cover() binds the kept trees back through /proc/self/fd, which
        # the empty /proc below would hide (a checkout under /tmp keeps its virtualenv there).
        cover("/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777", keep)
        cover("/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777", keep)
        mount("tmpfs", "/proc", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
        workdir = "/tmp/job"
        os.mkdir(workdir, 0o700)
        if job_uid is not None:
            os.chown(workdir, job_uid, job_uid)
    else:
        import tempfile

        workdir = tempfile.mkdtemp(prefix="candidate-", dir=os.getcwd())
        if job_uid is not None:  # fallback as root: the job's own uid writes its files there
            os.chown(workdir, job_uid, job_uid)
    os.chdir(workdir)
    drop(mode)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    seccomp.apply()
    for fd, target in ((req_r, REQUESTS_FD), (rep_w, REPLIES_FD), (go_r, GO_FD)):
        if fd != target:
            os.dup2(fd, target)
            os.close(fd)
    os.closerange(GO_FD + 1, 1 << 16)
    message = _read_go()
    if message is None:
        os._exit(0)
    for name, hexed in message["files"].items():
        if "/" in name or name.startswith("."):
            raise ValueError(f"bad file name {name!r}")
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o700)
        data = bytes.fromhex(hexed)
        while data:
            data = data[os.write(fd, data):]
        os.close(fd)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    argv = [str(a) for a in message["argv"]]
    os.execv(argv[0], argv)


def _read_go() -> dict | None:
    def exact(n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            chunk = os.read(GO_FD, n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    head = exact(4)
    if head is None:
        return None
    body = exact(_HEADER.unpack(head)[0])
    os.close(GO_FD)
    return None if body is None else json.loads(body)


def place(targets: dict[int, int]) -> None:
    """Put each source descriptor on its target number (``{target: source}``), whatever numbers
    they have now (a source may sit on another's target), and close the sources."""
    import fcntl

    high = {target: fcntl.fcntl(source, fcntl.F_DUPFD, 100) for target, source in targets.items()}
    for source in set(targets.values()):
        os.close(source)
    for target, fd in high.items():
        os.dup2(fd, target)
        os.close(fd)


def supervise(judge_pid: int, candidate_pid: int) -> None:
    """Wait for the judge and the candidate; end this process the way the first of them ended
    (the other is killed): a candidate that dies before the judge is done decides how the job
    ended, but never that its tests passed (only the judge reports). Never returns."""
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
        if pid in (judge_pid, candidate_pid):
            other = candidate_pid if pid == judge_pid else judge_pid
            try:
                os.kill(other, signal.SIGKILL)
            except OSError:
                pass
            mirror(os.waitstatus_to_exitcode(status))


def mirror(code: int) -> None:
    """Exit with ``code`` (a negative one: die of that signal)."""
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [-code])
        os.kill(os.getpid(), -code)
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(code)
