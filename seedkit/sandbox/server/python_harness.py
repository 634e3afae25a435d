"""The Python harness: runs a program, then each test, in the program process; reports (proof.py).

Stdlib only: imported by the warm server and run inside the job's program process.

The tests run in a copy of the program's namespace whose ``__builtins__`` is a private copy taken
before any program ran, and from which every name the program bound that is also a builtin's
name (``def abs``, ``sorted = ...``, ``from math import pow``) is removed, except the job's
entry point: the tests' own calls of builtins reach the real ones, while every other function
the program defined is there (and the program's functions keep seeing their own globals).
"""

from __future__ import annotations

import os
import sys

from . import proof

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


def error_name(exc: BaseException, _type=type, _str=str, _isinstance=isinstance) -> str:  # noqa: ANN001
    try:
        name = _type(exc).__name__
        if not _isinstance(name, _str):
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


def run_python(program: str, tests: list[str], entry_point: str | None, report_fd: int,
               nonce: str) -> None:
    """Run ``program`` then each test snippet; report each outcome; never return.

    A snippet that defines ``check`` (HumanEval style) is followed by ``check(<entry_point>)``.
    Outcomes: ok, fail (AssertionError), memory (MemoryError), error (anything else, SystemExit
    and KeyboardInterrupt included).
    """
    import builtins

    if not _PRISTINE_BUILTINS:
        snapshot_builtins()
    # Everything used after untrusted code has run is bound here, before it runs.
    report, refuse = proof.reporter(report_fd, nonce)
    exit_now, finish = os._exit, proof.finish
    isinstance_, range_, len_, dict_, str_, list_, type_ = isinstance, range, len, dict, str, list, type
    assertion_error, memory_error, base_exception = AssertionError, MemoryError, BaseException
    compile_, exec_, name_error = compile, exec, NameError
    print_exc = __import__("traceback").print_exc
    stdout, stderr = sys.stdout, sys.stderr
    error_name_ = error_name
    pristine = dict_(_PRISTINE_BUILTINS)
    dict_keys, dict_get, dict_pop = dict.keys, dict.get, dict.pop

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
        report("P " + classify(exc) + " " + error_name_(exc))
        show(exc)
        finish((stdout, stderr), exit_now)
    report("P ok -")
    try:
        test_ns = dict_(namespace)
        for name in list_(dict_keys(test_ns)):
            if type_(name) is str_ and name in pristine and name[:2] != "__" and name != entry_point:
                dict_pop(test_ns, name)
        test_ns["__builtins__"] = pristine
    except base_exception:
        refuse(proof.TAMPERED, b"the program's namespace could not be copied for the tests")
    for index in range_(len_(tests)):
        check_before = dict_get(test_ns, "check")
        try:
            exec_(compile_(tests[index], "<test " + str_(index) + ">", "exec"), test_ns)
            check = dict_get(test_ns, "check")
            if entry_point and check is not None and check is not check_before:
                if entry_point not in test_ns:
                    raise name_error(f"name {entry_point!r} is not defined")
                check(test_ns[entry_point])
        except base_exception as exc:  # noqa: BLE001
            report("T " + str_(index) + " " + classify(exc) + " " + error_name_(exc))
            show(exc)
            continue
        report("T " + str_(index) + " ok -")
    finish((stdout, stderr), exit_now, lambda: report("D"))
