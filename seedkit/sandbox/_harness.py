"""The in-child half of the Python sandbox: runs a program, then its tests, and reports.

Stdlib only: this file is imported by the warm fork server (``_server.py``) and runs inside the
job's program process, never in the kit's own process.

Proof that the tests ran: before any untrusted code runs the harness holds a random per-job
nonce and a pipe to the server (the *report fd*, 3). It writes one line per outcome
(``<nonce> P|T <index> <outcome> <error_type>``) and a final ``<nonce> D`` only after the last
check returned, then leaves with ``os._exit`` so that no atexit hook, finalizer or thread of the
program runs after the proof. The kit counts only lines that carry the nonce, so a program that
exits early (``os._exit(0)``, ``sys.exit(0)``, ``raise SystemExit``, a signal) or writes fake
lines cannot produce a pass. Every function used after untrusted code has run is bound before it
runs, so rebinding ``os.write``, ``builtins.AssertionError`` or ``print`` changes nothing;
``assert`` raises the real AssertionError whatever ``builtins`` says (the compiler emits
LOAD_ASSERTION_ERROR). Each report write first removes trace/profile hooks, blocks signals,
disables the GC, and refuses (exit 70-72) if another thread exists or fd 3 is no longer the
original pipe, so nothing of the program's can run between the check and the write.

Not defended: the nonce lives in this process's memory while untrusted code runs, so a program
written to walk the interpreter's frames (``sys._getframe(1).f_locals``) or read its own memory
can find it and forge a pass; and a program can return objects whose ``__eq__`` always says True.
Both are deliberate exploits rather than accidents; see the package docstring.
"""

from __future__ import annotations

import os
import sys

# Modules imported once in the warm server, before any untrusted code runs: the ones HumanEval-
# style programs import (a warm import is free for every job; each module also makes every
# fork a little slower, so the list stays short).
PRELOAD = (
    "bisect", "collections", "collections.abc", "copy", "datetime", "decimal", "fractions",
    "functools", "hashlib", "heapq", "itertools", "json", "math", "operator", "random", "re",
    "statistics", "string", "typing", "traceback", "cmath", "signal", "gc", "fcntl",
)
# Added when the interpreter's own files are unreadable to the job's uid (root without
# namespaces and a 0700 home holding the interpreter): then only preloaded modules import.
PRELOAD_EXTRA = (
    "array", "dataclasses", "enum", "numbers", "struct", "textwrap", "time", "unicodedata", "io",
    "abc", "contextlib", "types", "weakref", "queue", "threading", "errno", "ast", "pprint",
    "secrets", "base64", "binascii", "zlib", "calendar", "locale", "codecs", "difflib",
    "doctest", "inspect", "keyword", "shlex", "glob", "fnmatch", "tempfile", "uuid",
    "subprocess", "socket", "pathlib", "shutil", "csv", "concurrent.futures", "urllib.parse",
    "html", "platform", "sqlite3", "multiprocessing", "unittest", "xml.etree.ElementTree",
    "getpass", "argparse", "logging", "pickle", "graphlib", "bz2", "lzma", "gzip", "zipfile",
    "ipaddress", "email", "http", "selectors", "asyncio",
)


def preload(names: tuple[str, ...] = PRELOAD) -> None:
    """Import ``names`` (missing ones are ignored: they simply fail later for the program)."""
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional module is not our failure
            pass


def _error_name(exc: BaseException, _type=type, _str=str) -> str:  # noqa: ANN001
    try:
        name = _type(exc).__name__
        if not isinstance(name, _str):
            return "Exception"
    except BaseException:  # noqa: BLE001 - a hostile class may raise from __name__
        return "Exception"
    return "".join([ch for ch in name if ch.isalnum() or ch in "_."])[:60] or "Exception"


_PRISTINE_BUILTINS: dict = {}


def snapshot_builtins() -> None:
    """Remember the builtins as they are before any untrusted code (the tests get a copy)."""
    import builtins

    _PRISTINE_BUILTINS.clear()
    _PRISTINE_BUILTINS.update(builtins.__dict__)


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


def run_python(program: str, tests: list[str], entry_point: str | None, report_fd: int,
               nonce: str) -> None:
    """Run ``program`` then each test snippet; report each outcome; never return.

    The tests run in a copy of the program's namespace whose ``__builtins__`` is a private copy
    taken before the program ran, so a program that rebinds ``builtins.abs`` or ``print`` does
    not change what the tests compute. A snippet that defines ``check`` (HumanEval style) is
    followed by ``check(<entry_point>)``. Outcomes: ok, fail (AssertionError), memory
    (MemoryError), error (anything else, SystemExit and KeyboardInterrupt included).
    """
    import builtins
    import gc
    import signal

    if not _PRISTINE_BUILTINS:
        snapshot_builtins()
    # Everything used after untrusted code has run is bound here, before it runs.
    write, exit_now, fstat, listdir = os.write, os._exit, os.fstat, os.listdir
    encode, isinstance_, range_, len_, dict_, str_ = str.encode, isinstance, range, len, dict, str
    assertion_error, memory_error, base_exception = AssertionError, MemoryError, BaseException
    compile_, exec_ = compile, exec
    gc_disable, gc_enable, gc_isenabled = gc.disable, gc.enable, gc.isenabled
    sigmask, sig_block, sig_setmask = signal.pthread_sigmask, signal.SIG_BLOCK, signal.SIG_SETMASK
    all_signals = signal.valid_signals()
    settrace, setprofile = sys.settrace, sys.setprofile
    silence_monitoring = _monitoring_silencer()
    print_exc = __import__("traceback").print_exc
    stdout, stderr = sys.stdout, sys.stderr
    error_name = _error_name
    pristine = dict_(_PRISTINE_BUILTINS)
    if os.path.isdir("/proc/self/task"):  # every thread, however it was started
        def thread_count() -> int:
            return len_(listdir("/proc/self/task"))
    else:  # macOS: only threads started through the threading module are seen
        import threading

        thread_count = threading.active_count
    report_stat = fstat(report_fd)
    report_id = (report_stat.st_dev, report_stat.st_ino)

    def flush_pending() -> None:
        """Calling a Python function lets the interpreter run signal handlers already pending."""

    def report(line: str) -> None:
        """Write one authenticated line, only if nothing else can intercept it: no other
        thread (they share the fd table), no trace/profile hook, signals blocked, GC off,
        and fd ``report_fd`` still the pipe it was before the program ran (not dup2'd)."""
        settrace(None)
        setprofile(None)
        silence_monitoring()
        try:
            old_mask = sigmask(sig_block, all_signals)
            gc_was = gc_isenabled()
            gc_disable()
            flush_pending()
            if thread_count() != 1:
                refuse(71, b"a thread started by the program was still running")
            st = fstat(report_fd)
            if (st.st_dev, st.st_ino) != report_id:
                refuse(72, b"the harness's report pipe was replaced")
            data = encode(nonce + " " + line + "\n")
            while data:
                data = data[write(report_fd, data):]
            sigmask(sig_setmask, old_mask)
            if gc_was:
                gc_enable()
        except base_exception:
            refuse(70, b"the harness could not report (its environment was tampered with)")

    def refuse(code: int, why: bytes) -> None:
        try:
            write(2, b"\nseedkit sandbox: " + why + b"; results not counted\n")
        finally:
            exit_now(code)

    def classify(exc: BaseException) -> str:
        if isinstance_(exc, assertion_error):
            return "fail"
        if isinstance_(exc, memory_error):
            return "memory"
        return "error"

    def show(exc: BaseException) -> None:
        try:
            print_exc(file=stderr)
        except base_exception:
            pass

    namespace: dict = {"__name__": "__sandbox__", "__builtins__": builtins}
    try:
        exec_(compile_(program, "<program>", "exec"), namespace)
    except base_exception as exc:  # noqa: BLE001 - every failure of the program is reported
        report("P " + classify(exc) + " " + error_name(exc))
        show(exc)
        _finish(stdout, stderr, exit_now)
    report("P ok -")
    test_ns = dict_(namespace)
    test_ns["__builtins__"] = pristine
    for index in range_(len_(tests)):
        check_before = test_ns.get("check")
        try:
            exec_(compile_(tests[index], "<test " + str_(index) + ">", "exec"), test_ns)
            check = test_ns.get("check")
            if entry_point and check is not None and check is not check_before:
                if entry_point not in test_ns:
                    raise NameError(f"name {entry_point!r} is not defined")
                check(test_ns[entry_point])
        except base_exception as exc:  # noqa: BLE001
            report("T " + str_(index) + " " + classify(exc) + " " + error_name(exc))
            show(exc)
            continue
        report("T " + str_(index) + " ok -")
    _finish(stdout, stderr, exit_now, lambda: report("D"))


def _finish(stdout, stderr, exit_now, last=None) -> None:  # noqa: ANN001
    for stream in (stdout, stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    if last is not None:
        last()
    exit_now(0)
