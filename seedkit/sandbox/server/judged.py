"""Python with the judge apart from the candidate: the tests' comparisons run where no candidate
code has ever run.

Stdlib only: imported by the warm server and run inside the job. The job's program process (the
*judge*) holds the report pipe and the nonce; before anything of the candidate's runs it makes
itself non-dumpable (its memory and descriptors are closed to the job's uid through ``/proc``)
and forks the *candidate* process, which closes the report pipe and then runs the program. The
candidate only computes: the judge asks it over a pipe to call a function (or to read an
attribute, a length, an item, ...) and gets back plain data, which the judge rebuilds from bytes
itself:

- exact built-in types, recursively: None, bool, int, float, str, bytes, list, tuple, dict, set.
  A subclass of an immutable one (a namedtuple, an IntEnum member) or a Counter, OrderedDict or
  defaultdict crosses as its base type's contents, read with the base type's own methods, rebuilt in the judge as a
  subclass of that type whose comparisons and methods are the type's own and whose other
  attributes (a field, ``most_common``) the candidate answers: nothing it overrides takes part.
  Any other object comes back as a :class:`CandidateObject`: a
  handle whose methods and attributes can be reached (their results cross the same way) but
  which cannot be compared, hashed, or used as a truth value (each raises ``NotPlainData``), so
  an object whose ``__eq__`` always says yes decides nothing.
- a list, dict or set passed to a candidate function is updated in place with its contents after
  the call (tests that check mutation in place keep working).
- an exception raised in the candidate is raised in the judge as the nearest built-in exception
  class of its type (``ValueError`` for a subclass of it), so ``try``/``except`` in tests works;
  StopIteration crosses as a RuntimeError (it would end the tests' ``map``/``filter`` over the
  candidate as if it were empty).
- if the candidate process dies (exit, signal, CPU limit), the judge dies the same way without
  reporting further: the kit sees what it would have seen from one process.

The tests run in the judge with the real builtins and modules of the judge's own (the program
cannot have patched them: it never ran there); every top-level name the program bound is there,
as plain data, a :class:`CandidateObject`, or, for a module, the judge's own import of a module
of that name (and for any name of a standard module, ``math`` bound to an object of the
program's included, the judge's own import of that module). Names that shadow a builtin (other than the entry point) and dunder names are left
out, as in the in-process harness. The program's globals are looked up lazily (a mapping behind
the tests' builtins) and the entry point is addressed by name, so the tests start at once and
their first call is already in the pipe when the candidate finishes the program: one round trip
per job instead of three for a one-call test. The judge's ``sys.path`` holds only read-only
trees, so nothing the candidate writes can be imported here.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys

from . import proof
from .judged_data import (
    CandidateExited,
    NotPlainData,
    decode,
    encode,
    receive_message,
    send_message,
    write_frame,
)
from .libc import IS_LINUX, prctl
from .python_harness import _PRISTINE_BUILTINS, error_name, snapshot_builtins

# A program global named like a standard module is the judge's own import of it in the tests,
# whatever the program bound to the name (an object whose ``isclose`` always says yes).
STDLIB_MODULES = frozenset(getattr(sys, "stdlib_module_names", ()))
# A request this small fits an empty pipe: the judge sends it without waiting for the candidate's
# first message (no deadlock even if that message is large), saving a round trip per job.
PRESEND_MAX = 32768
PR_SET_DUMPABLE = 4


# --------------------------------------------------------------------------- candidate side


def _nearest_builtin(exc: BaseException) -> str:
    import builtins

    for klass in type(exc).__mro__:
        if getattr(builtins, klass.__name__, None) is klass:
            return klass.__name__
    return "Exception"


def candidate_main(program: str, rfd: int, wfd: int) -> None:
    """The candidate process: run the program, then answer the judge's requests; never returns."""
    import builtins
    import json
    import traceback
    import types

    objects: list = []

    def ref(value) -> int:  # noqa: ANN001
        objects.append(value)
        return len(objects) - 1

    def take(n, base=None) -> object:  # noqa: ANN001, ARG001 - the object itself, not its contents
        if type(n) is str:  # a global of the program, by name (the entry point)
            if n not in namespace:
                raise NameError(f"name {n!r} is not defined")
            return namespace[n]
        if type(n) is not int or not 0 <= n < len(objects):
            raise NotPlainData("unknown reference")
        return objects[n]

    streams = (sys.stdout, sys.stderr)

    def send(message) -> None:  # noqa: ANN001
        for stream in streams:  # the judge may end this process right after its last answer
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001, S110
                pass
        send_message(wfd, message, json.dumps)

    namespace: dict = {"__name__": "__sandbox__", "__builtins__": builtins}
    try:
        exec(compile(program, "<program>", "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001 - every failure of the program is reported
        kind = "fail" if isinstance(exc, AssertionError) else "memory" if isinstance(exc, MemoryError) else "error"
        traceback.print_exc()
        send({"program": kind, "name": error_name(exc)})
        os._exit(0)
    names = {}
    for name, value in list(namespace.items()):
        if type(name) is not str or name.startswith("__"):
            continue
        if isinstance(value, types.ModuleType) and type(getattr(value, "__name__", None)) is str:
            names[name] = {"m": value.__name__}
        else:
            names[name] = encode(value, ref)
    send({"program": "ok", "names": names})
    while True:
        request = receive_message(rfd, json.loads)
        try:
            op, target = request["op"], take(request["ref"])
            args = [decode(a, take) for a in request.get("args", [])]
            if op == "call":
                kwargs = {k: decode(v, take) for k, v in request.get("kwargs", {}).items()}
                value = target(*args, **kwargs)
            elif op == "getattr":
                value = getattr(target, request["name"])
            elif op == "len":
                value = len(target)
            elif op == "list":
                value = list(target)
            elif op == "getitem":
                value = target[args[0]]
            elif op == "str":
                value = str(target)
            else:
                raise NotPlainData(f"unknown request {op!r}")
            after = [encode(a, ref) if type(a) in (list, dict, set) else None for a in args]
            reply = {"value": encode(value, ref), "after": after}
        except BaseException as exc:  # noqa: BLE001 - the judge decides what an exception means
            try:
                message = str(exc)[:300]
            except BaseException:  # noqa: BLE001
                message = ""
            reply = {"raise": error_name(exc), "base": _nearest_builtin(exc), "message": message}
        try:
            send(reply)
        except (NotPlainData, RecursionError, ValueError) as exc:
            send({"raise": "NotPlainData", "base": "Exception", "message": f"unencodable: {exc}"[:300]})


# --------------------------------------------------------------------------- judge side


class Channel:
    """The judge's end of the pipes to the candidate process."""

    def __init__(self, rfd: int, wfd: int, pid: int) -> None:
        import json

        self.rfd, self.wfd, self.pid = rfd, wfd, pid
        self.dumps, self.loads = json.dumps, json.loads
        self.objects: dict[int, CandidateObject] = {}
        self.names_ready = False  # the candidate's first message (program outcome) was read
        self.program_ran = lambda: None  # reads it (set by run_judged)

    def handle(self, n: int, base=None):  # noqa: ANN001, ANN201
        """A handle on object ``n``; with ``base`` (its contents, for a subclass of a plain type),
        that plain value here, whose other attributes the candidate answers."""
        if n not in self.objects:
            self.objects[n] = CandidateObject(self, n)
        if base is None:
            return self.objects[n]
        value = WRAPPERS[type(base)](base)
        value._candidate = self.objects[n]
        return value

    def encode_arg(self, value):  # noqa: ANN001, ANN201
        def ref(obj) -> int:  # noqa: ANN001
            if type(obj) in WRAPPED:
                obj = obj._candidate
            if type(obj) is CandidateObject and obj._channel is self:
                return obj._ref
            raise NotPlainData(f"a {type(obj).__name__} cannot be passed to the candidate: plain data only")

        return encode(value, ref)

    def receive(self):  # noqa: ANN201
        try:
            return receive_message(self.rfd, self.loads)
        except CandidateExited:
            self.mirror_death()
            raise
        except (ValueError, UnicodeDecodeError) as exc:
            raise NotPlainData(f"unreadable message from the candidate: {exc}") from None

    def mirror_death(self) -> None:
        """The candidate is gone: end this process the way it ended (no further report)."""
        try:
            _, status = os.waitpid(self.pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        if code < 0:
            signal.signal(-code, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [-code])
            os.kill(os.getpid(), -code)
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(code)

    def request(self, op: str, ref: int, args: tuple = (), kwargs: dict | None = None, **extra):  # noqa: ANN201
        message = {"op": op, "ref": ref, "args": [self.encode_arg(a) for a in args], **extra}
        if kwargs:
            message["kwargs"] = {str(k): self.encode_arg(v) for k, v in kwargs.items()}
        data = self.dumps(message).encode("utf-8", "surrogatepass")
        if len(data) > PRESEND_MAX:  # might not fit the pipe while the candidate still writes
            self.program_ran()
        try:
            write_frame(self.wfd, data)
        except OSError:  # the candidate is gone: a program that failed said so before it left
            self.program_ran()
            self.mirror_death()
        self.program_ran()  # the first call was sent before the program's outcome was read
        reply = self.receive()
        if type(reply) is not dict:
            raise NotPlainData("malformed reply from the candidate")
        if "raise" in reply:
            raise _rebuild_exception(reply)
        if "value" not in reply:
            raise NotPlainData("malformed reply from the candidate")
        value = decode(reply["value"], self.handle)
        after = reply.get("after")
        if type(after) is list and len(after) == len(args):
            for arg, new in zip(args, after, strict=True):
                if new is not None and type(arg) in (list, dict, set):
                    _update_in_place(arg, decode(new, self.handle))
        return value


def _update_in_place(target, new) -> None:  # noqa: ANN001
    if type(new) is not type(target):
        return
    if type(target) is list:
        target[:] = new
    else:
        target.clear()
        target.update(new)


def _rebuild_exception(reply: dict) -> BaseException:
    import builtins

    name, base, message = reply.get("raise"), reply.get("base"), reply.get("message")
    message = message if type(message) is str else ""
    klass = getattr(builtins, base, None) if type(base) is str else None
    if name == "NotPlainData":
        return NotPlainData(message)
    if klass in (StopIteration, StopAsyncIteration):
        # raised from a call it would end the iteration that made the call (map, filter, zip,
        # iter(f, sentinel)) as if it were empty: ``all(map(candidate, cases))`` would pass
        return RuntimeError(f"the candidate raised {base}: {message}")
    if isinstance(klass, type) and issubclass(klass, Exception) and klass.__module__ == "builtins":
        try:
            return klass(message)
        except BaseException:  # noqa: BLE001 - classes whose constructor wants other arguments
            pass
    return CandidateError(f"{name}: {message}" if type(name) is str else message)


class CandidateError(Exception):
    """The candidate raised something that is not a plain built-in exception."""


def _refuse(what: str):  # noqa: ANN202
    def method(self, *args, **kwargs):  # noqa: ANN001, ANN202, ARG001
        raise NotPlainData(f"a candidate object cannot be {what}: return plain data "
                           "(None, bool, int, float, str, bytes, list, tuple, dict, set)")

    return method


class CandidateObject:
    """A handle on an object that lives in the candidate process. Calls, attributes, ``len``,
    iteration, items and ``str`` are answered there (as plain data or further handles);
    comparisons (``in`` included: made here over its items), hashing and truth values are refused."""

    __slots__ = ("_channel", "_ref")

    def __init__(self, channel: Channel, ref: int) -> None:
        object.__setattr__(self, "_channel", channel)
        object.__setattr__(self, "_ref", ref)

    def __call__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
        return self._channel.request("call", self._ref, args, kwargs)

    def __getattr__(self, name: str):  # noqa: ANN204
        if name.startswith("__"):
            raise AttributeError(name)
        return self._channel.request("getattr", self._ref, name=name)

    def __len__(self) -> int:
        value = self._channel.request("len", self._ref)
        if type(value) is not int:
            raise NotPlainData("len() of a candidate object did not give an int")
        return value

    def __iter__(self):  # noqa: ANN204
        value = self._channel.request("list", self._ref)
        if type(value) is not list:
            raise NotPlainData("iterating a candidate object did not give a list")
        return iter(value)

    def __getitem__(self, key):  # noqa: ANN001, ANN204
        return self._channel.request("getitem", self._ref, (key,))

    def __contains__(self, item) -> bool:  # noqa: ANN001
        """``in`` is a comparison: made here, on the items the candidate's iteration gives (an
        object whose ``__contains__`` always says yes decides nothing)."""
        return item in list(self.__iter__())

    def __str__(self) -> str:
        value = self._channel.request("str", self._ref)
        if type(value) is not str:
            raise NotPlainData("str() of a candidate object did not give a str")
        return value

    def __repr__(self) -> str:
        return f"<candidate object #{self._ref}>"

    __eq__ = _refuse("compared")
    __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __bool__ = _refuse("used as a truth value")
    __hash__ = _refuse("hashed")
    __setattr__ = _refuse("changed from the tests")
    __index__ = __int__ = __float__ = _refuse("converted to a number")


def run_judged(program: str, tests: list[str], entry_point: str | None, report_fd: int, nonce: str,
               support: str = "") -> None:
    """Fork the candidate, run the tests here against it, report each outcome; never returns."""
    import builtins

    if not _PRISTINE_BUILTINS:
        snapshot_builtins()
    report, _ = proof.reporter(report_fd, nonce)
    if IS_LINUX:
        prctl(PR_SET_DUMPABLE, 0)  # /proc/<judge>/{mem,fd,...} closed to the candidate's uid
    to_candidate_r, to_candidate_w = os.pipe()
    to_judge_r, to_judge_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        # The tests are the answer key and the nonce and reporter the proof: none may stay
        # reachable (frames, gc) from the process that runs the program.
        del tests, nonce, report
        try:
            os.close(report_fd)
            os.close(to_candidate_w)
            os.close(to_judge_r)
            candidate_main(program, to_candidate_r, to_judge_w)
        finally:
            os._exit(1)
    os.close(to_candidate_r)
    os.close(to_judge_w)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a dead candidate is an OSError, then its death
    gc.disable()  # the judge lives for one job's tests: no collection pauses (or page copies)
    channel = Channel(to_judge_r, to_candidate_w, pid)
    stdout, stderr = sys.stdout, sys.stderr

    def show(exc: BaseException) -> None:
        _show(exc, stderr)

    def end(last=None) -> None:  # noqa: ANN001
        try:  # a SIGKILLed process runs no further instruction; init reaps it
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        proof.finish((stdout, stderr), os._exit, last)

    pristine = dict(_PRISTINE_BUILTINS)
    program_names: dict = {}

    def program_ran() -> None:
        """Read the candidate's first message (the program's outcome and its globals), once:
        report a failed program and end, or report it ran and make its globals available."""
        if channel.names_ready:
            return
        channel.names_ready = True
        try:
            first = channel.receive()
            outcome = first.get("program") if type(first) is dict else None
            if outcome in ("fail", "memory", "error"):
                name = first.get("name")
                report("P " + outcome + " " + ("".join(ch for ch in name if ch.isalnum() or ch in "_.")[:60]
                                               if type(name) is str else "") or "Exception")
                end()
            names = first.get("names") if outcome == "ok" else None
            if type(names) is not dict:
                raise NotPlainData("malformed first message from the candidate")
        except NotPlainData as exc:
            report("P error " + error_name(exc))
            show(exc)
            end()
        report("P ok -")
        for name, data in names.items():
            if type(name) is str and name.isidentifier() and not name.startswith("__") and name not in pristine:
                program_names[name] = data

    channel.program_ran = program_ran
    test_ns: dict = {"__name__": "__sandbox__",
                     "__builtins__": ProgramGlobals(builtins.__dict__, channel, program_names)}
    if support:  # the problem's own helpers: the tests get these, not the candidate's
        try:
            exec(compile(support, "<support>", "exec"), test_ns)
        except BaseException as exc:  # noqa: BLE001 - its names then stay the program's
            show(exc)
    if entry_point:  # by name: its first call can be on its way before the program has run
        test_ns[entry_point] = CandidateObject(channel, entry_point)
    _run_tests(tests, test_ns, entry_point, report, program_ran, show)
    program_ran()
    end(lambda: report("D"))


class ProgramGlobals(dict):
    """The tests' builtins: the real ones, then (looked up only for a name neither the tests nor the
    builtins define) the program's globals, rebuilt here on first use."""

    def __init__(self, builtins_dict: dict, channel: Channel, program_names: dict) -> None:
        super().__init__(builtins_dict)
        self.channel, self.program_names = channel, program_names

    def __missing__(self, name: str):  # noqa: ANN204
        self.channel.program_ran()
        if name not in self.program_names:
            raise KeyError(name)
        data = self.program_names[name]
        try:
            if name in STDLIB_MODULES:  # a test that uses ``math`` unimported gets the real one
                value = importlib.import_module(name)
            elif type(data) is dict and set(data) == {"m"} and type(data["m"]) is str:
                value = importlib.import_module(data["m"])
            else:
                value = decode(data, self.channel.handle)
        except NotPlainData as exc:
            value = _Unreadable(str(exc))
        except Exception:  # noqa: BLE001 - a module the judge cannot import stays undefined
            raise KeyError(name) from None
        self[name] = value
        return value


def _classify(exc: BaseException) -> str:
    if isinstance(exc, AssertionError):
        return "fail"
    if isinstance(exc, MemoryError):
        return "memory"
    return "error"


def _show(exc: BaseException, stderr) -> None:  # noqa: ANN001
    import traceback

    try:
        traceback.print_exception(exc, file=stderr)
    except BaseException:  # noqa: BLE001
        pass


def _run_tests(tests: list[str], test_ns: dict, entry_point: str | None, report, program_ran, show) -> None:  # noqa: ANN001
    """Each test snippet in the judge's namespace (a ``check`` it defines is called on the entry point's
    proxy), one report line per snippet."""
    for index in range(len(tests)):
        check_before = test_ns.get("check")
        try:
            exec(compile(tests[index], "<test " + str(index) + ">", "exec"), test_ns)
            check = test_ns.get("check")
            if entry_point and check is not None and check is not check_before:
                check(test_ns[entry_point])
        except BaseException as exc:  # noqa: BLE001
            program_ran()
            report("T " + str(index) + " " + _classify(exc) + " " + error_name(exc))
            show(exc)
            continue
        program_ran()
        report("T " + str(index) + " ok -")


def _wrapper(plain: type) -> type:
    """A subclass of ``plain`` for the contents of a candidate's subclass of it: comparisons,
    hashing and every method of ``plain`` are the judge's own on those contents; any other
    attribute (a namedtuple's field, Counter.most_common) is asked of the candidate's object."""

    def __getattr__(self, name: str):  # noqa: ANN001, ANN202, N807
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.__dict__["_candidate"], name)

    return type("Candidate" + plain.__name__.capitalize(), (plain,), {"__getattr__": __getattr__})


WRAPPERS = {plain: _wrapper(plain) for plain in (int, float, str, bytes, tuple, dict)}
WRAPPED = frozenset(WRAPPERS.values())


class _Unreadable:
    """A program global the judge could not rebuild; any use of it fails the test."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __getattr__(self, name: str):  # noqa: ANN204
        raise NotPlainData(self.why)

    def __call__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
        raise NotPlainData(self.why)

    __eq__ = _refuse("compared")
    __bool__ = _refuse("used as a truth value")
    __hash__ = _refuse("hashed")
