"""Mounts: the server's own mount namespace (once) and each job's fresh ones (per job).

The server's namespace (namespace and user-namespace modes): private propagation; every mount
read-only (cgroup file systems excepted: their control files are root's); directories the job's
uid cannot enter that hold the interpreter's trees (a 0700 ``/root`` holding pyenv, a 0700
``mktemp -d`` directory holding the checkout's virtualenv), and in user-namespace mode your home
directory, covered by an empty read-only tmpfs into which only the needed trees are bound back;
``/dev`` replaced by a read-only tmpfs holding null, zero, full, random, urandom and tty, a
devpts instance of the server's own (``/dev/ptmx`` allocates terminals the host cannot see),
and an empty ``shm``. Any step that fails raises: the caller must not run jobs with less.

Trees are bound back from ``O_PATH`` descriptors opened before the covering mount
(``/proc/self/fd/N``), so nothing needs a staging directory that could itself be covered.
"""

from __future__ import annotations

import os
import sys

from .libc import (
    CLONE_NEWNS,
    MS_BIND,
    MS_NOATIME,
    MS_NODEV,
    MS_NODIRATIME,
    MS_NOEXEC,
    MS_NOSUID,
    MS_PRIVATE,
    MS_RDONLY,
    MS_REC,
    MS_RELATIME,
    MS_REMOUNT,
    MS_STRICTATIME,
    mount,
    unshare,
)

DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
MS_NOSYMFOLLOW = 256
_FLAG_OPTIONS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                 "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME,
                 "nosymfollow": MS_NOSYMFOLLOW}
SPECIAL = ("/proc", "/sys")  # kernel file systems: a submount that refuses read-only is not ours


def mount_table() -> list[tuple[str, str, int]]:
    """(mount point, file system type, per-mount flags) of every mount, in mountinfo order."""
    table = []
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            before, _, after = line.partition(" - ")
            fields = before.split()
            point = fields[4].encode().decode("unicode_escape")
            flags = 0
            for option in fields[5].split(","):
                flags |= _FLAG_OPTIONS.get(option, 0)
                if option == "ro":
                    flags |= MS_RDONLY
            table.append((point, after.split()[0] if after else "", flags))
    return table


def _under(path: str, top: str) -> bool:
    return top == "/" or path == top or path.startswith(top.rstrip("/") + "/")


def world_traversable(path: str) -> bool:
    try:
        return bool(os.stat(path).st_mode & 0o001)
    except OSError:
        return False


def hidden_ancestor(path: str) -> str | None:
    """The top-most ancestor of ``path`` (or itself) that others cannot traverse (a 0700 dir)."""
    current = ""
    for part in os.path.abspath(path).split(os.sep)[1:]:
        current += os.sep + part
        if os.path.isdir(current) and not world_traversable(current):
            return current
    return None


def needed_trees() -> list[str]:
    """The interpreter's trees a job needs (stdlib, extension modules, site-packages), top-most
    only (a tree inside another is dropped)."""
    paths = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix,
                                           os.path.dirname(os.path.realpath(sys.executable)))}
    paths |= {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}
    paths = {p for p in paths if p != "/"}
    return sorted(p for p in paths if not any(q != p and _under(p, q) for q in paths))


def cover(target: str, fstype: str, flags: int, data: str, keep: list[str]) -> None:
    """Mount a fresh ``fstype`` on ``target`` and bind the trees ``keep`` (under it) back in."""
    fds = [(path, os.open(path, os.O_PATH | os.O_CLOEXEC)) for path in keep if _under(path, target)]
    try:
        mount(fstype, target, fstype, flags, data)
        for path, fd in fds:
            os.makedirs(path, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
    finally:
        for _, fd in fds:
            os.close(fd)


def _read_only(point: str, flags: int) -> None:
    # Keep the mount's own flags: in a user namespace, nosuid/nodev/noexec/atime are locked.
    keep = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME |
                    MS_NOSYMFOLLOW)
    mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | keep)


def _reachable(path: str) -> bool:
    try:
        os.stat(path)
    except OSError:
        return False  # covered, gone, or closed even to root (a FUSE mount of another user)
    return True


def make_read_only() -> None:
    """Every mount (cgroup file systems excepted) read-only. A mount under /proc or /sys that
    refuses, or one that cannot be reached at all, is skipped; any other refusal raises."""
    for point, fstype, flags in reversed(mount_table()):
        if fstype in ("cgroup", "cgroup2") or flags & MS_RDONLY:
            continue
        try:
            _read_only(point, flags)
        except OSError:
            if any(_under(point, s) for s in SPECIAL) or not _reachable(point):
                continue
            raise


def build_dev(keep: list[str]) -> None:
    """Replace /dev with a minimal read-only tmpfs and a devpts instance of our own."""
    nodes = {name: os.open(f"/dev/{name}", os.O_PATH | os.O_CLOEXEC) for name in DEVICES
             if os.path.exists(f"/dev/{name}")}
    try:
        cover("/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=256,mode=0755", keep)
        for name, fd in nodes.items():
            os.close(os.open(f"/dev/{name}", os.O_CREAT | os.O_WRONLY, 0o666))
            mount(f"/proc/self/fd/{fd}", f"/dev/{name}", None, MS_BIND)
    finally:
        for fd in nodes.values():
            os.close(fd)
    for name in ("pts", "shm"):
        os.makedirs(f"/dev/{name}", mode=0o755, exist_ok=True)
    os.chmod("/dev/shm", 0o1777)
    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620")
    os.symlink("pts/ptmx", "/dev/ptmx")
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"/dev/{name}")
    _read_only("/dev", MS_NOSUID | MS_NOEXEC)


def setup_server_namespace(hide: tuple[str, ...] = ()) -> None:
    """The server's own mount namespace (see the module docstring). Raises OSError with the
    step that failed; the server then refuses to run jobs."""
    unshare(CLONE_NEWNS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    trees = needed_trees()
    covers: dict[str, list[str]] = {h: [] for h in hide if os.path.isdir(h) and h != "/"}
    for path in trees:
        top = hidden_ancestor(path)
        for extra in covers:
            if _under(path, extra):
                top = extra
        if top is not None:
            covers.setdefault(top, []).append(path)
    make_read_only()
    for top in sorted(covers, key=len):
        cover(top, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755", covers[top])
        _read_only(top, MS_NOSUID | MS_NODEV)
    build_dev(trees)
    check_read_only()


def check_read_only() -> None:
    """Raise if any reachable mount (cgroup, /proc and /sys submounts excepted) is writable."""
    for point, fstype, _ in mount_table():
        if fstype in ("cgroup", "cgroup2", "devpts") or any(_under(point, s) for s in SPECIAL):
            continue
        try:
            writable = not os.statvfs(point).f_flag & os.ST_RDONLY
        except OSError:
            continue  # covered by a later mount: unreachable by path
        if writable:
            raise OSError(30, f"{point} is still writable after the read-only remount")


def job_mounts(tmp_mb: int, keep: list[str]) -> None:
    """In the job's init (its own mount namespace): fresh /tmp, /dev/shm and /proc. Trees the
    job needs that lie under /tmp or /dev/shm (a checkout in ``mktemp -d``) are bound back."""
    cover("/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777", keep)
    cover("/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777", keep)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
