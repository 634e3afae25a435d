"""The proof that a job's tests ran: nonce-tagged report lines, written only by trusted code.

Before any untrusted code runs, the program process holds a random per-job nonce and a pipe to
the server (the *report fd*, 3). It writes one line per outcome (``<nonce> P|T <index> <outcome>
<error_type>``) and a final ``<nonce> D`` only after the last check returned, then leaves with
``os._exit`` so that no atexit hook, finalizer or thread of the program runs after the proof. The
kit counts only lines that carry the nonce, so a program that exits early or writes fake lines
cannot produce a pass.

Every function :func:`reporter` uses is bound when it is built, before untrusted code runs, so
rebinding ``os.write`` or builtins changes nothing. Each write first removes trace/profile hooks
and sys.monitoring callbacks, blocks signals, disables the GC, and refuses (exit 70-72) if
another thread exists or the report fd is no longer the original pipe, so nothing of the
program's can run between the check and the write.
"""

from __future__ import annotations

import os
import sys

# Exit codes of a program process that refuses to report (the kit maps them to error types).
TAMPERED, THREADS_LEFT, REPORT_FD_REPLACED = 70, 71, 72


def _monitoring_silencer():  # noqa: ANN202
    """Python 3.12+ (PEP 669): a function that removes every sys.monitoring callback, bound now
    so the program cannot replace what it calls. A no-op where sys.monitoring does not exist."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return lambda: None
    clear = getattr(monitoring, "clear_tool_id", None)  # 3.13+: also drops local events
    set_events, register = monitoring.set_events, monitoring.register_callback
    events = [getattr(monitoring.events, name) for name in dir(monitoring.events)
              if name.isupper() and isinstance(getattr(monitoring.events, name), int)]
    range_, base_exception = range, BaseException  # bound now: builtins may be patched later

    def silence() -> None:
        for tool in range_(6):
            for action in ([lambda t=tool: clear(t)] if clear else []) + [lambda t=tool: set_events(t, 0)] + \
                    [lambda t=tool, e=e: register(t, e, None) for e in events]:
                try:
                    action()
                except base_exception:  # an unused tool id raises: nothing to silence
                    pass

    return silence


def reporter(report_fd: int, nonce: str):  # noqa: ANN201
    """Build ``(report, refuse)`` now, before untrusted code runs.

    ``report(line)`` writes one authenticated line if nothing else can intercept it: no other
    thread (they share the fd table), no trace/profile hook, signals blocked, GC off, and
    ``report_fd`` still the pipe it was when this was built (not dup2'd over).
    ``refuse(code, why)`` writes ``why`` to stderr and exits with ``code``.
    """
    import gc
    import signal

    write, exit_now, fstat, listdir = os.write, os._exit, os.fstat, os.listdir
    encode, len_, base_exception = str.encode, len, BaseException
    gc_disable, gc_enable, gc_isenabled = gc.disable, gc.enable, gc.isenabled
    sigmask, sig_block, sig_setmask = signal.pthread_sigmask, signal.SIG_BLOCK, signal.SIG_SETMASK
    all_signals = signal.valid_signals()
    settrace, setprofile = sys.settrace, sys.setprofile
    silence_monitoring = _monitoring_silencer()
    if os.path.isdir("/proc/self/task"):  # every thread, however it was started
        def thread_count() -> int:
            return len_(listdir("/proc/self/task"))
    else:  # macOS: only threads started through the threading module are seen
        import threading

        thread_count = threading.active_count
    report_stat = fstat(report_fd)
    report_id = (report_stat.st_dev, report_stat.st_ino)

    def refuse(code: int, why: bytes) -> None:
        try:
            write(2, b"\nseedkit sandbox: " + why + b"; results not counted\n")
        finally:
            exit_now(code)

    def flush_pending() -> None:
        """Calling a Python function lets the interpreter run signal handlers already pending."""

    def report(line: str) -> None:
        settrace(None)
        setprofile(None)
        silence_monitoring()
        try:
            old_mask = sigmask(sig_block, all_signals)
            gc_was = gc_isenabled()
            gc_disable()
            flush_pending()
            if thread_count() != 1:
                refuse(THREADS_LEFT, b"a thread started by the program was still running")
            st = fstat(report_fd)
            if (st.st_dev, st.st_ino) != report_id:
                refuse(REPORT_FD_REPLACED, b"the harness's report pipe was replaced")
            data = encode(nonce + " " + line + "\n")
            while data:
                data = data[write(report_fd, data):]
            sigmask(sig_setmask, old_mask)
            if gc_was:
                gc_enable()
        except base_exception:
            refuse(TAMPERED, b"the harness could not report (its environment was tampered with)")

    return report, refuse


def finish(streams, exit_now, last=None, code: int = 0) -> None:  # noqa: ANN001
    """Flush ``streams``, call ``last`` (the final report), leave with ``exit_now(code)``."""
    for stream in streams:
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    if last is not None:
        last()
    exit_now(code)
