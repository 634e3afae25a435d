"""The in-child half of the Python sandbox: runs a program, then its tests, and reports.

Stdlib only: this file runs inside the sandboxed interpreter (forked from the warm server or
started fresh), never in the kit's own process.

Proof that the tests ran: the parent hands the harness a random per-run nonce and a write-only
pipe (the *report fd*) before any untrusted code runs. The harness writes one line per test
(``<nonce> T <index> <outcome> <error_type>``) and a final ``<nonce> D`` line only after the
last check returned, then leaves with ``os._exit`` so that no atexit hook, finalizer or thread
of the program runs after the proof. The parent counts only lines that carry the nonce, so a
program that exits early (``os._exit(0)``, ``sys.exit(0)``, ``raise SystemExit``, a signal), or
writes fake lines to the pipe, cannot produce a pass. Every function the harness needs after
untrusted code has run is captured in locals before it runs, so rebinding ``os.write``,
``builtins.AssertionError`` or ``print`` changes nothing. ``assert`` itself raises the real
AssertionError whatever ``builtins`` says (the compiler emits LOAD_ASSERTION_ERROR).

Not defended: the nonce lives in this process's memory while untrusted code runs, so a program
written to walk the interpreter's frames (``sys._getframe(1).f_locals``) or read its own memory
can find it and forge a pass; and a program can return objects whose ``__eq__`` always says True.
Both are deliberate exploits rather than accidents; see the package docstring.
"""

from __future__ import annotations

import os
import sys

# Modules imported before untrusted code runs: in the privilege-dropped child the interpreter's
# own files may be unreadable (pyenv under a 0700 /root), and a warm import is faster anyway.
PRELOAD = (
    "array", "bisect", "collections", "collections.abc", "copy", "dataclasses", "datetime",
    "decimal", "enum", "fractions", "functools", "hashlib", "heapq", "itertools", "json",
    "math", "numbers", "operator", "random", "re", "statistics", "string", "struct",
    "textwrap", "time", "traceback", "typing", "unicodedata", "cmath", "io", "abc",
    "contextlib", "types", "weakref", "queue", "threading", "signal", "errno", "ast", "pprint",
    "secrets", "base64", "binascii", "zlib", "calendar", "locale", "codecs", "difflib",
    "doctest", "inspect", "keyword", "numbers", "shlex", "glob", "fnmatch", "tempfile", "uuid",
)


def preload() -> None:
    """Import PRELOAD (missing ones are ignored: they simply fail later for the program)."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional module is not our failure
            pass


def _error_name(exc: BaseException) -> str:
    name = type(exc).__name__
    return "".join(ch for ch in str(name) if ch.isalnum() or ch in "_.")[:60] or "Exception"


def run_python(program: str, tests: list[str], entry_point: str | None, report_fd: int,
               nonce: str) -> None:
    """Run ``program`` then each test snippet in one namespace; report each outcome; never return.

    A snippet that defines ``check`` (HumanEval style) is followed by ``check(<entry_point>)``.
    Outcomes: ok, fail (AssertionError), memory (MemoryError), error (anything else, including
    SystemExit and KeyboardInterrupt).
    """
    import builtins

    write = os.write
    exit_now = os._exit
    encode = str.encode
    assertion_error = AssertionError
    memory_error = MemoryError
    base_exception = BaseException
    print_exc = __import__("traceback").print_exc
    compile_ = compile
    exec_ = exec
    stdout, stderr = sys.stdout, sys.stderr
    error_name = _error_name

    def report(line: str) -> None:
        try:
            write(report_fd, encode(nonce + " " + line + "\n"))
        except base_exception:
            exit_now(70)

    def classify(exc: BaseException) -> str:
        if isinstance(exc, assertion_error):
            return "fail"
        if isinstance(exc, memory_error):
            return "memory"
        return "error"

    namespace: dict = {"__name__": "__sandbox__", "__builtins__": builtins}
    try:
        exec_(compile_(program, "<program>", "exec"), namespace)
    except base_exception as exc:  # noqa: BLE001 - every failure of the program is reported
        report("P " + classify(exc) + " " + error_name(exc))
        try:
            print_exc(file=stderr)
        except base_exception:
            pass
        _finish(stdout, stderr, exit_now, 0)
    report("P ok -")
    for index, snippet in enumerate(tests):
        check_before = namespace.get("check")
        try:
            exec_(compile_(snippet, f"<test {index}>", "exec"), namespace)
            check = namespace.get("check")
            if entry_point and check is not None and check is not check_before:
                if entry_point not in namespace:
                    raise NameError(f"name {entry_point!r} is not defined")
                check(namespace[entry_point])
        except base_exception as exc:  # noqa: BLE001
            report(f"T {index} " + classify(exc) + " " + error_name(exc))
            try:
                print_exc(file=stderr)
            except base_exception:
                pass
            continue
        report(f"T {index} ok -")
    _finish(stdout, stderr, exit_now, 0, lambda: report("D"))


def _finish(stdout, stderr, exit_now, code: int, last=None) -> None:  # noqa: ANN001
    for stream in (stdout, stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    if last is not None:
        last()
    exit_now(code)


def main() -> None:
    """Fresh-interpreter entry: ``python -I _harness.py SPEC_FD REPORT_FD``.

    The spec (JSON from the parent, read before any untrusted code) carries the nonce, the
    program and the tests; privileges are dropped here (after preloading) when started as root.
    """
    import json

    spec_fd, report_fd = int(sys.argv[1]), int(sys.argv[2])
    chunks = []
    while True:
        chunk = os.read(spec_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(spec_fd)
    spec = json.loads(b"".join(chunks))
    preload()
    drop = spec.get("drop_to_uid")
    if drop is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(drop, drop, drop)
        os.setresuid(drop, drop, drop)
    run_python(spec["program"], spec["tests"], spec.get("entry_point"), report_fd, spec["nonce"])


if __name__ == "__main__":
    main()
