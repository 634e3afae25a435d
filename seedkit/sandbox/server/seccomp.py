"""The program's system-call filter (x86_64 only; elsewhere none, and the isolation line says so).

Refused with EPERM: new namespaces (``unshare``, ``setns``, ``clone`` with CLONE_NEW* flags),
mounts, ``ptrace``, cross-process memory access and ``pidfd_getfd``, BPF, perf events, keyrings, io_uring,
userfaultfd, kernel modules, kexec, swap, reboot, ``kill(-1, ...)``; sockets of any family but
AF_INET/AF_INET6 (no Unix sockets, so no host socket file is reachable; no vsock, netlink,
packet, ...), and socket pairs other than AF_UNIX stream/seqpacket (a datagram pair could
``sendto`` a host socket path). File locks (``flock``, ``fcntl`` F_SETLK/F_SETLKW and their OFD
forms) succeed without locking, so a job can never block the host's lockers. ``clone3`` gets
ENOSYS (its flags are out of the filter's reach; libc falls back to ``clone``). 32-bit and x32
system-call ABIs are refused outright.
"""

from __future__ import annotations

import errno
import struct

from . import libc

DENIED_X86_64 = (
    272, 308,  # unshare, setns
    165, 166, 155, 428, 429, 430, 431, 432, 433, 442,  # mount, umount2, pivot_root, new mount API
    101, 310, 311, 438,  # ptrace, process_vm_readv/writev, pidfd_getfd (another process's descriptors)
    321, 298, 250, 248, 249, 323, 425, 426, 427,  # bpf, perf, keyctl, add/request_key, uffd, io_uring
    304, 246, 320, 175, 313, 176, 134,  # open_by_handle_at, kexec, modules, uselib
    139, 156, 163, 167, 168, 169, 153, 154, 172, 173,  # sysfs, _sysctl, acct, swap, reboot, ...
)
CLONE_NS_FLAGS = 0x7E020000 | 0x00000080  # every CLONE_NEW* flag, CLONE_NEWTIME included
AF_INET, AF_INET6, AF_UNIX = 2, 10, 1
SOCK_STREAM, SOCK_SEQPACKET = 1, 5
F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW = 6, 7, 37, 38
NR_CLONE, NR_CLONE3, NR_KILL, NR_SOCKET, NR_SOCKETPAIR, NR_FLOCK, NR_FCNTL = 56, 435, 62, 41, 53, 73, 72

LD_ABS, JEQ, JGE, JSET, RET, AND = 0x20, 0x15, 0x35, 0x45, 0x06, 0x54
ALLOW, DENY = 0x7FFF0000, 0x00050000 | errno.EPERM
NOSYS, FAKE_SUCCESS = 0x00050000 | errno.ENOSYS, 0x00050000  # SECCOMP_RET_ERRNO with 0: returns 0
NR, ARCH = 0, 4


def _arg(i: int) -> int:
    return 16 + 8 * i  # low 32 bits of args[i] (little endian)


def _only(nr: int, body: list[tuple]) -> list[tuple]:
    """``body`` runs for system call ``nr`` and must end in a return; others skip it."""
    return [(JEQ, 0, len(body), nr), *body]


def _returns_if(values: tuple[int, ...], action: int) -> list[tuple]:
    out: list[tuple] = []
    for value in values:
        out += [(JEQ, 0, 1, value), (RET, 0, 0, action)]
    return out


def program() -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions."""
    prog = [(LD_ABS, 0, 0, ARCH), (JEQ, 1, 0, 0xC000003E), (RET, 0, 0, DENY),  # x86_64 ABI only
            (LD_ABS, 0, 0, NR), (JGE, 0, 1, 0x40000000), (RET, 0, 0, DENY)]  # no x32 ABI
    prog += [(JEQ, 0, 1, NR_CLONE3), (RET, 0, 0, NOSYS)]
    prog += [(JEQ, 0, 3, NR_CLONE), (LD_ABS, 0, 0, _arg(0)), (JSET, 0, 1, CLONE_NS_FLAGS), (RET, 0, 0, DENY),
             (LD_ABS, 0, 0, NR)]
    # kill(-1, sig) signals every process the caller may signal
    prog += [(JEQ, 0, 3, NR_KILL), (LD_ABS, 0, 0, _arg(0)), (JEQ, 0, 1, 0xFFFFFFFF), (RET, 0, 0, DENY),
             (LD_ABS, 0, 0, NR)]
    prog += _only(NR_SOCKET, [(LD_ABS, 0, 0, _arg(0)), *_returns_if((AF_INET, AF_INET6), ALLOW),
                              (RET, 0, 0, DENY)])
    prog += _only(NR_SOCKETPAIR, [(LD_ABS, 0, 0, _arg(0)), (JEQ, 1, 0, AF_UNIX), (RET, 0, 0, DENY),
                                  (LD_ABS, 0, 0, _arg(1)), (AND, 0, 0, 0xF),
                                  *_returns_if((SOCK_STREAM, SOCK_SEQPACKET), ALLOW), (RET, 0, 0, DENY)])
    prog += [(JEQ, 0, 1, NR_FLOCK), (RET, 0, 0, FAKE_SUCCESS)]
    prog += _only(NR_FCNTL, [(LD_ABS, 0, 0, _arg(1)),
                             *_returns_if((F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW), FAKE_SUCCESS),
                             (RET, 0, 0, ALLOW)])
    for number in DENIED_X86_64:
        prog += [(JEQ, 0, 1, number), (RET, 0, 0, DENY)]
    prog.append((RET, 0, 0, ALLOW))
    return prog


_prepared = None


def prepare() -> str | None:
    """Build the filter once (in the server, before any job); None when ready, else why not."""
    global _prepared
    import ctypes
    import sys

    if not libc.IS_LINUX or libc.MACHINE not in ("x86_64", "amd64"):
        return f"no seccomp filter for {sys.platform}/{libc.MACHINE}"
    prog = program()
    code = b"".join(struct.pack("HBBI", *ins) for ins in prog)
    buffer = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    _prepared = (buffer, SockFprog(len(prog), ctypes.addressof(buffer)))
    return None


def apply() -> None:
    """Install the filter in the calling process (after no_new_privs); inherited by children."""
    if _prepared is not None:
        import ctypes

        libc.check(libc.libc().prctl(libc.PR_SET_SECCOMP, 2, ctypes.byref(_prepared[1]), 0, 0), "seccomp")
