"""The server's start (mode choice, the hello message) and its job loop.

Modes, strongest first. ``namespaces``: Linux, root, and the per-job namespaces work.
``userns``: Linux without root where unprivileged user namespaces work. ``fallback``: only
where the platform lacks both (not Linux; namespaces refused, e.g. a container without
CAP_SYS_ADMIN; no root and no user namespaces), or when the kit asks for it
(``SEEDKIT_SANDBOX_FALLBACK=1``). When a namespace mode is possible but its setup fails, the
server says ``unavailable`` with the cause and runs nothing: it never drops to a weaker mode.
"""

from __future__ import annotations

import errno
import gc
import os
import secrets
import shutil
import signal
import sys

from . import cgroups, libc, mounts, process, python_harness, seccomp, wire
from .libc import CLONE_NEWUSER, IS_LINUX, JOB_FLAGS, PR_SET_CHILD_SUBREAPER

PROTO_IN, PROTO_OUT = 0, 1
# Jobs run as a uid of their server's own (as root): RLIMIT_NPROC counts processes per uid, so
# a job's process limit is its own, not shared with the other workers' jobs.
JOB_UID_BASE = 1_900_000_000
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _probe(body) -> str | None:  # noqa: ANN001
    """Run ``body`` in a forked child: None if it returned, else what it raised."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            body()
            os.write(w, b"ok")
        except BaseException as exc:  # noqa: BLE001
            os.write(w, str(exc).encode()[:200])
        os._exit(0)
    os.close(w)
    answer = os.read(r, 256).decode(errors="replace")
    os.close(r)
    os.waitpid(pid, 0)
    return None if answer == "ok" else answer


def enter_user_namespace() -> None:
    """Without root: become 'root' of a new user namespace (capabilities only over namespaces
    it owns), keeping the same uid/gid inside, so jobs can get their own namespaces."""
    uid, gid = os.getuid(), os.getgid()
    libc.unshare(CLONE_NEWUSER)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as fh:
            fh.write(text)


def _id_ranges(text: str) -> list[tuple[int, int]]:
    """(first, count) of the ids mapped inside this user namespace, from a uid_map/gid_map."""
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and all(f.isdigit() for f in fields):
            out.append((int(fields[0]), int(fields[2])))
    return out


def job_uid(pid: int, uid_map: str, gid_map: str) -> int | None:
    """The uid (and gid) this server's jobs run as: JOB_UID_BASE + pid where that is mapped (the
    initial user namespace); inside a user-namespaced container, a uid from the upper half of its
    largest mapped range, chosen by pid; None if no id but root can be used."""
    uids, gids = _id_ranges(uid_map), _id_ranges(gid_map)

    def mapped(n: int) -> bool:
        return all(any(first <= n < first + count for first, count in ranges) for ranges in (uids, gids))

    if mapped(JOB_UID_BASE + pid):
        return JOB_UID_BASE + pid
    for first, count in sorted(uids, key=lambda r: -r[1]):
        low, high = max(first + count // 2, first + 1000), first + count - 2  # not root, nobody or overflow
        if high > low:
            candidate = low + pid % (high - low)
            if mapped(candidate):
                return candidate
    return 65534 if mapped(65534) else None


def toolchains() -> dict[str, str | None]:
    path = process.SAFE_PATH
    return {"node": shutil.which("node", path=path), "gcc": shutil.which("gcc", path=path),
            "g++": shutil.which("g++", path=path)}


def choose_mode(forced_fallback: bool) -> tuple[str, str | None]:
    """(mode, reason): the strongest mode this platform can give, set up; ``unavailable`` with
    the cause when a namespace mode is possible but its setup failed."""
    if forced_fallback:
        return "fallback", "forced by SEEDKIT_SANDBOX_FALLBACK"
    if not IS_LINUX:
        return "fallback", f"no Linux namespaces on {sys.platform}"
    if IS_ROOT:
        refused = _probe(lambda: libc.unshare(JOB_FLAGS))
        if refused is not None:
            return "fallback", f"namespaces refused: {refused}"
        try:
            mounts.setup_server_namespace(process.SETTINGS.keep)
        except OSError as exc:
            return "unavailable", f"namespace setup failed: {exc}"
        return "namespaces", None
    refused = _probe(lambda: (enter_user_namespace(), libc.unshare(JOB_FLAGS)))
    if refused is not None:
        return "fallback", f"not root, and user namespaces unavailable: {refused}"
    try:
        enter_user_namespace()
        # The program runs as you here: only the system's, the interpreter's and the
        # toolchains' trees are in its root (not your home, keys, tokens, other projects).
        mounts.setup_server_namespace(process.SETTINGS.keep)
    except OSError as exc:
        return "unavailable", f"user-namespace setup failed: {exc}"
    return "userns", None


def serve(mode: str) -> None:
    while True:
        try:
            job = wire.read_message(PROTO_IN)
        except (EOFError, OSError, ValueError):
            break
        if job.get("quit"):
            break
        job.setdefault("nonce", secrets.token_hex(16))
        try:
            reply = process.run_job(job, mode, (PROTO_IN, PROTO_OUT))
        except Exception as exc:  # noqa: BLE001 - report instead of dying
            reply = {"ok": False, "reason": f"sandbox server failed: {exc!r}"}
        wire.write_message(PROTO_OUT, reply)


def main() -> None:
    os.chdir("/")
    python_harness.preload()
    python_harness.snapshot_builtins()
    if IS_LINUX:
        libc.libc()  # loaded now: after the uid change ctypes may no longer be importable
    seccomp_reason = seccomp.prepare()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    settings = process.SETTINGS
    settings.cgroup, cgroup_reason = cgroups.JobCgroup.create(IS_ROOT)  # before /proc turns read-only
    settings.keep = mounts.needed_trees(tuple(toolchains().values()))
    mode, reason = choose_mode("--fallback" in sys.argv)
    notes: list[str] = []
    if IS_ROOT:
        maps = ["", ""]
        if IS_LINUX:
            for i, name in enumerate(("uid_map", "gid_map")):
                with open(f"/proc/self/{name}") as fh:
                    maps[i] = fh.read()
        else:
            maps = ["0 0 4294967295", "0 0 4294967295"]
        settings.job_uid = job_uid(os.getpid(), *maps)
        if settings.job_uid is None and mode != "unavailable":
            mode, reason = "unavailable", "no uid but root is mapped in this user namespace: jobs cannot drop root"
        hidden = sorted({h for p in (sys.base_prefix, sys.prefix) if (h := mounts.hidden_ancestor(p))})
        if mode == "fallback" and hidden:
            python_harness.preload(python_harness.PRELOAD_EXTRA)
            notes.append(f"interpreter under {', '.join(hidden)} (unreadable to the job's uid): only "
                         "preloaded modules import")
    settings.mode = mode
    if mode in process.NAMESPACED:
        settings.cgroup_mounts = mounts.cgroup_mounts()
        settings.sys_path = mounts.safe_sys_path(settings.keep)
    if mode == "fallback":
        process.sweep_workdirs()
        if IS_LINUX:
            libc.prctl(PR_SET_CHILD_SUBREAPER, 1)  # the job's orphans come back here, to be reaped
    # Everything the server holds now is permanent: no collection in a job's processes walks
    # (and so copies, page by page, after the fork) the server's objects.
    gc.freeze()
    wire.write_message(PROTO_OUT, {
        "hello": True, "mode": mode, "reason": reason, "notes": notes,
        "cgroups": settings.cgroup.describe() if settings.cgroup else None, "cgroup_reason": cgroup_reason,
        "cgroup_dirs": list(settings.cgroup.dirs.values()) if settings.cgroup else [],
        "toolchains": toolchains(), "pid": os.getpid(), "job_uid": settings.job_uid,
        "seccomp": seccomp_reason is None, "seccomp_reason": seccomp_reason})
    if mode != "unavailable":
        serve(mode)
    if settings.cgroup is not None:
        settings.cgroup.remove()
    os._exit(0)


def run() -> None:
    try:
        main()
    except KeyboardInterrupt:
        os._exit(0)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
