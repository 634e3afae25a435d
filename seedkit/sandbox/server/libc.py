"""The few Linux system calls the server needs, through ctypes (loaded once, as root)."""

from __future__ import annotations

import os
import platform
import sys

IS_LINUX = sys.platform.startswith("linux")
MACHINE = platform.machine().lower()

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWUSER = 0x20000000, 0x40000000, 0x10000000
JOB_FLAGS = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 16384, 1 << 18, 1 << 21, 1 << 24
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_SET_SECCOMP = 1, 38, 24, 22
PR_SET_CHILD_SUBREAPER = 36
# clone(2) where its first argument is the flags
CLONE_SYSCALL = {"x86_64": 56, "amd64": 56, "aarch64": 220, "arm64": 220}.get(MACHINE) if IS_LINUX else None
PIVOT_ROOT_SYSCALL = {"x86_64": 155, "amd64": 155, "aarch64": 41, "arm64": 41}.get(MACHINE) if IS_LINUX else None

_libc = None


def libc():  # noqa: ANN201
    global _libc
    if _libc is None:
        import ctypes

        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def check(ret: int, what: str) -> None:
    if ret != 0:
        import ctypes

        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    check(libc().unshare(flags), "unshare")


def _enc(s: str | None) -> bytes | None:
    return None if s is None else s.encode()


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    check(libc().mount(_enc(source), _enc(target), _enc(fstype), flags, _enc(data)), f"mount {target}")


def umount(target: str, flags: int = 0) -> None:
    check(libc().umount2(_enc(target), flags), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    if PIVOT_ROOT_SYSCALL is None:
        raise OSError(38, f"pivot_root: no system call number known for {MACHINE}")
    check(libc().syscall(PIVOT_ROOT_SYSCALL, _enc(new_root), _enc(put_old)), "pivot_root")


def prctl(option: int, arg: int) -> None:
    if IS_LINUX:
        libc().prctl(option, arg, 0, 0, 0)


def drop_capabilities() -> None:
    """Clear every capability (bounding set included) of the calling process."""
    import ctypes

    for cap in range(64):
        libc().prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    check(libc().capset(header, data), "capset")
