"""Sandbox: one attack class per guarantee, each followed by a known-good job.

One test (or a few) per class of the guarantees list in seedkit/sandbox/__init__.py. Attacks run
in order on one worker (``workers=1``) with a known-good job of the same language after each, so
a server left in a bad state by an attack shows up as a failed good job.
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from seedkit import sandbox
from seedkit.sandbox import Job, Limits, SandboxUnavailable, judge, pool, run_jobs, run_one

from .test_sandbox import (  # noqa: F401 - the module's autouse fixture applies here too
    CAN_BE_NOBODY,
    CHECK,
    FAST,
    LINUX_ROOT,
    MARK,
    NobodyServer,
    nothing_left_behind,
    require_namespaces,
)

HAS_NODE, HAS_GCC, HAS_GXX = (shutil.which(t) is not None for t in ("node", "gcc", "g++"))
NATIVE_LIMITS = Limits(wall_s=60.0, cpu_s=30.0)  # a C++ compile on two busy cores
JS_LIMITS = Limits(wall_s=30.0, cpu_s=15.0)
SLEEPER = Limits(wall_s=30.0, cpu_s=10.0)  # a job that sleeps while the host probes it

GOOD = {
    "python": Job("def inc(x):\n    return x + 1\n", CHECK, entry_point="inc"),
    "javascript": Job("function inc(x) { return x + 1; }",
                      "const assert = require('assert');\nassert.strictEqual(inc(1), 2);\nassert.strictEqual(inc(5), 6);",
                      language="javascript", limits=JS_LIMITS),
    "c": Job("int inc(int x) { return x + 1; }",
             "#include <assert.h>\nint main(void) { assert(inc(1) == 2); assert(inc(5) == 6); return 0; }\n",
             language="c", limits=NATIVE_LIMITS),
    "cpp": Job("#include <vector>\nusing namespace std;\nint inc(int x) { return x + 1; }",
               "#include <cassert>\nint main() { vector<int> v{inc(1)}; assert(v[0] == 2); }\n",
               language="cpp", limits=NATIVE_LIMITS),
}
NEEDS = {"javascript": HAS_NODE, "c": HAS_GCC, "cpp": HAS_GXX, "python": True}


def each_then_good(attacks: dict[str, Job], language: str) -> dict[str, sandbox.Result]:
    """Run every attack, each followed by the language's known-good job, in order on one worker;
    assert every good job passed; return the attacks' results by name."""
    if not NEEDS[language]:
        pytest.skip(f"no toolchain for {language}")
    names = list(attacks)
    jobs = [job for name in names for job in (attacks[name], GOOD[language])]
    results = run_jobs(jobs, workers=1, progress=False)
    for name, good in zip(names, results[1::2], strict=True):
        assert good.passed, (f"the good {language} job after {name!r} failed", good)
    return dict(zip(names, results[0::2], strict=True))


def none_passed(results: dict[str, sandbox.Result]) -> None:
    forged = {name: (r.status, r.error_type, r.stdout_tail[-300:], r.stderr_tail[-300:])
              for name, r in results.items() if r.status == "passed" or r.tests_passed}
    assert forged == {}


# ----------------------------------------------------------------------------- 1. one job, one result

STEAL_NONCE = "import sys\nnonce = sys._getframe(1).f_locals['nonce']\n"  # a deliberate in-process attack


def test_forged_report_lines_cost_only_their_own_job():
    """Lines that carry the real nonce (found by walking frames, an admitted limit) but are not
    the harness's format: indexes that str.isdigit() accepts and int() rejects, non-ASCII digits,
    huge and negative indexes, unknown outcomes, extra fields, control bytes."""
    junk = ["T \u00b2 ok -", "T \u0661 ok -", "T 99999999999999999999999 ok -", "T -1 ok -", "T 1 okay -",
            "T 1 ok - extra", "P ok", "T 1 ok \u00e9", "T 1 ok a b", "T 1\tok -", "\x00", "T " + "9" * 5000 + " ok -"]
    program = STEAL_NONCE + "import os\nfor j in " + repr(junk) + ":\n    os.write(3, (nonce + ' ' + j + '\\n').encode())\n" \
        "os.write(3, os.urandom(4096))\ndef inc(x):\n    return x\n"
    good = GOOD["python"]
    jobs = [good, Job(program, [CHECK, "assert inc(1) == 2"], entry_point="inc", judge="in_process"), good, good]
    results = run_jobs(jobs, workers=2, progress=False)
    assert [r.status for r in results] == ["passed", "failed", "passed", "passed"], results
    assert results[1].tests_passed == 0


def test_garbage_on_every_descriptor():
    """A batch where jobs write random bytes to every descriptor they can reach (0-1023), in
    Python, C and JavaScript: each gets its own result, the correct jobs beside them pass."""
    python = ("import os, random\nrandom.seed(1)\nfor fd in range(1024):\n    for _ in range(3):\n        try:\n"
              "            os.write(fd, bytes(random.getrandbits(8) for _ in range(700)) + b'\\n')\n"
              "        except OSError:\n            pass\ndef inc(x):\n    return x\n")
    c = ("#include <unistd.h>\n#include <stdlib.h>\n__attribute__((constructor)) static void g(void) {\n"
         "  char b[700]; srand(1); for (int fd = 0; fd < 1024; fd++) for (int k = 0; k < 3; k++) {\n"
         "    for (int i = 0; i < 700; i++) b[i] = (char)rand(); b[699] = '\\n'; (void)!write(fd, b, 700); } }\n"
         "int inc(int x) { for (int fd = 0; fd < 1024; fd++) (void)!write(fd, \"0 D\\n\", 4); return x; }\n")
    js = ("const fs = require('fs');\nfor (let fd = 0; fd < 1024; fd++) for (let k = 0; k < 3; k++) {\n"
          "  try { fs.writeSync(fd, require('crypto').randomBytes(700)); } catch (e) {} }\n"
          "function inc(x) { return x; }")
    jobs = [Job(python, CHECK, entry_point="inc"), GOOD["python"]]
    if HAS_GCC:
        jobs += [Job(c, GOOD["c"].tests, language="c", limits=NATIVE_LIMITS), GOOD["c"]]
    if HAS_NODE:
        jobs += [Job(js, GOOD["javascript"].tests, language="javascript", limits=JS_LIMITS), GOOD["javascript"]]
    results = run_jobs(jobs * 2, workers=2, progress=False)
    assert len(results) == len(jobs) * 2
    assert all(r.passed for r in results[1::2]), results[1::2]
    assert not any(r.passed or r.tests_passed for r in results[0::2]), results[0::2]


def test_judging_never_raises_for_any_reply():
    rng = random.Random(7)
    values = [None, True, -1, 0, 2**70, 1.5, float("nan"), "", "x" * 10, [], {}, ["a"], {"a": 1}, "\udcff"]
    nonce = "n" * 32
    job = Job("pass", ["assert 1", "assert 2"])
    for _ in range(3000):
        reply = {key: rng.choice(values) for key in ("stdout", "stderr", "report", "returncode", "time_s",
                                                     "timed_out", "oom_killed") if rng.random() < 0.8}
        if rng.random() < 0.5:
            reply["report"] = "\n".join(nonce + " " + " ".join(rng.choice(["T", "P", "D", "0", "1", "\u00b2", "ok",
                                                                          "fail", "-", "x", ""])
                                                           for _ in range(rng.randint(0, 5))) for _ in range(5))
        language = rng.choice(["python", "javascript", "c", "cpp"])
        result = judge.judge(job, language, reply, nonce, "iso", "namespaces")
        assert result.status in sandbox.STATUSES
        assert not (result.status == "passed" and not isinstance(reply.get("report"), str))


def test_bad_input_and_internal_failures_are_the_jobs_own_error(monkeypatch):
    bad = [Job(None, "assert 1"), Job("x = 1", [1, 2]), Job("x = 1", limits=Limits(wall_s=-1)),
           Job("x = 1", limits=Limits(memory_mb=float("nan"))), Job("x = 1", entry_point="not an identifier"),
           Job("x = 1", language=["python"]), Job("\udcff = 1"), "not a job"]
    results = run_jobs([*bad, GOOD["python"]], workers=2, progress=False)
    assert [r.status for r in results[:6]] == ["error"] * 5 + ["skipped"], results
    assert {r.error_type for r in results[:5]} == {"InvalidJob"} and results[6].status == "error"
    assert results[7].error_type == "InvalidJob" and results[8].passed
    real = judge.judge
    poisoned = "def inc(x):\n    return x + 1\n# poison\n"

    def flaky(job, *args):  # noqa: ANN001, ANN002
        if "poison" in job.program:
            raise RuntimeError("judging blew up")
        return real(job, *args)

    monkeypatch.setattr(pool, "judge", flaky)
    results = run_jobs([GOOD["python"], Job(poisoned, CHECK, entry_point="inc"), GOOD["python"]],
                       workers=2, progress=False)
    assert [r.status for r in results] == ["passed", "error", "passed"]
    assert results[1].error_type == "SandboxError" and "judging blew up" in results[1].stderr_tail


# ----------------------------------------------------------------------------- 2. C and C++ forgeries

C_TESTS = GOOD["c"].tests
FORGE = ('char b[128]; ssize_t n = read(4, b, 127); if (n > 0) { b[n] = 0; char l[512]; int k = snprintf(l, sizeof l, '
         '"%s P ok -\\n%s T 0 ok -\\n%s D\\n", b, b, b); if (write(3, l, k) == k) _exit(0); }')
C_ATTACKS = {
    "constructor reads the handover": "#include <unistd.h>\n#include <stdio.h>\n"
                                      "__attribute__((constructor)) static void steal(void) { " + FORGE + " }\n"
                                      "int inc(int x) { return x; }\n",
    "IFUNC resolver reads the handover": "#include <unistd.h>\n#include <stdio.h>\nstatic int real_inc(int x) { return x; }\n"
                                         "static void *pick(void) { " + FORGE + " return (void *)real_inc; }\n"
                                         "int inc(int x) __attribute__((ifunc(\"pick\")));\n",
    "preinit array and __libc_start_main": "#include <unistd.h>\n#include <stdio.h>\nstatic void steal(void) { " + FORGE +
                                           " }\n__attribute__((section(\".preinit_array\"), used)) static void "
                                           "(*early)(void) = steal;\nint __libc_start_main(void) { steal(); return 0; }\n"
                                           "int inc(int x) { return x; }\n",
    "NDEBUG at the top": "#define NDEBUG\nint inc(int x) { return x; }\n",
    "NDEBUG after assert.h": "#include <assert.h>\n#define NDEBUG\n#include <assert.h>\nint inc(int x) { return x; }\n",
    "assert redefined": "#include <assert.h>\n#undef assert\n#define assert(e) ((void)0)\nint inc(int x) { return x; }\n",
    "__assert_fail macro": "#include <assert.h>\n#define __assert_fail(a, b, c, d) ((void)0)\nint inc(int x) { return x; }\n",
    "__assert_fail function": "#include <stdio.h>\nstatic void __assert_fail(const char *a, const char *f, unsigned l, "
                              "const char *fn) { (void)a; (void)f; (void)l; (void)fn; }\nint inc(int x) { return x; }\n",
    "abort redefined": "#include <stdlib.h>\nvoid abort(void) { for (;;) _Exit(0); }\nint inc(int x) { return x; }\n",
    "main redefined after the program's main": "int inc(int x) { return x; }\nint main(void) { return 0; }\n"
                                               "#define main seedkit_unused_tests_main\n",
    "#undef main": "#undef main\nint main(void) { return 0; }\n#define main other_main\nint inc(int x) { return x; }\n",
    "fake system-header line marker": "int inc(int x) { return x; }\n# 1 \"/usr/include/assert.h\" 1 3 4\n#include <assert.h>\n"
                                      "#define __assert_fail(a, b, c, d) ((void)0)\n# 5 \"prog.c\" 2\n",
    "self-include as a system header": "#ifndef ONCE\n#define ONCE\nint inc(int x) { return x; }\n#include <assert.h>\n"
                                       "#include __FILE__\n#else\n#pragma GCC system_header\n"
                                       "#define __assert_fail(a, b, c, d) ((void)0)\n#endif\n",
    "macro defined only when optimising": "int inc(int x) { return x; }\n#ifdef __OPTIMIZE__\n#define inc(x) ((x) + 1)\n"
                                          "#endif\n",
    "macro defined once the compiler wrote a file": "int inc(int x) { return x; }\n#if __has_include(\"macros.txt\") || "
                                                    "__has_include(\"deps.d\") || __has_include(\"base.txt\") || "
                                                    "__has_include(\"program.i\") || __has_include(\"job.so\")\n"
                                                    "#define inc(x) ((x) + 1)\n#endif\n",
    "macro implementing the function": "int inc(int x) { return x; }\n#define inc(x) ((x) + 1)\n",
    "exit(0) inside the function": "#include <stdlib.h>\nint inc(int x) { exit(0); }\n",
}


def test_c_programs_cannot_forge_a_pass():
    none_passed(each_then_good({n: Job(p, C_TESTS, language="c", limits=NATIVE_LIMITS)
                                for n, p in C_ATTACKS.items()}, "c"))


def test_cpp_static_initialiser_and_optimisation_pragmas_cannot_forge_a_pass():
    tests = "#include <cassert>\n#include <cmath>\nint main() { assert(inc(1) == 2); volatile double x = nan_of(); " \
            "assert(!std::isnan(x)); }\n"
    attacks = {
        "static initialiser reads the handover": "#include <unistd.h>\n#include <cstdio>\nstruct Steal { Steal() { " +
                                                 FORGE + " } } steal_now;\nint inc(int x) { return x; }\n"
                                                 "double nan_of() { return 0.0; }\n",
        "fast-math pragma reaches the tests": "#pragma GCC optimize (\"fast-math\")\n#include <cmath>\n"
                                              "int inc(int x) { return x + 1; }\ndouble nan_of() { return NAN; }\n",
        "fast-math pragma behind a line splice": "#pra\\\ngma GCC optimize (\"fast-math\")\n#include <cmath>\n"
                                                 "int inc(int x) { return x + 1; }\ndouble nan_of() { return NAN; }\n",
        "fast-math _Pragma pasted together": "#define PASTE(a, b) a##b\n#define FAST PASTE(_Pra, gma)(\"GCC optimize "
                                             "(\\\"fast-math\\\")\")\nFAST\n#include <cmath>\n"
                                             "int inc(int x) { return x + 1; }\ndouble nan_of() { return NAN; }\n",
        "NDEBUG and assert macro": "#define NDEBUG\n#include <cassert>\n#define assert(e) ((void)0)\n"
                                   "int inc(int x) { return x; }\ndouble nan_of() { return 0.0; }\n",
    }
    none_passed(each_then_good({n: Job(p, tests, language="cpp", limits=NATIVE_LIMITS) for n, p in attacks.items()},
                               "cpp"))


def test_c_and_cpp_programs_with_their_own_main_and_tests_without_return():
    if not (HAS_GCC and HAS_GXX):
        pytest.skip("gcc/g++ not installed")
    c_program = "#include <stdio.h>\nint inc(int x) { return x + 1; }\nint main(void) { printf(\"%d\", inc(1)); return 7; }\n"
    cpp_program = "#include <vector>\nusing namespace std;\nint inc(int x) { return x + 1; }\nint main() { return 3; }\n"
    cpp_tests = "#undef NDEBUG\n#include <assert.h>\nint main() {\n  assert(inc(1) == 2);\n}\n"  # HumanEval-X style
    results = run_jobs([Job(c_program, C_TESTS, language="c", limits=NATIVE_LIMITS),
                        Job(cpp_program, cpp_tests, language="cpp", limits=NATIVE_LIMITS),
                        Job(cpp_program.replace("x + 1", "x"), cpp_tests, language="cpp", limits=NATIVE_LIMITS),
                        Job("int inc(int x) { return x + 1; }", "int helper(void) { return 0; }\n", language="c",
                            limits=NATIVE_LIMITS)], workers=2, progress=False)
    assert [(r.status, r.error_type) for r in results] == [
        ("passed", None), ("passed", None), ("failed", "AssertionError"), ("error", "NoTestMain")], results
    assert "Assertion `inc(1) == 2' failed" in results[2].stderr_tail


# ----------------------------------------------------------------------------- 3. JavaScript forgeries

JS_TESTS = GOOD["javascript"].tests
JS_ATTACKS = {
    "fs.writeSync rewrites failures": "const fs = require('fs'); const w = fs.writeSync;\n"
                                      "fs.writeSync = function (fd, s, ...r) { return w.call(fs, fd, typeof s === 'string' ? "
                                      "s.replace(/ (fail|error) \\S+/g, ' ok -') : s, ...r); };\nfunction inc(x) { return x; }",
    "fs binding rewrites failures": "try { const b = process.binding('fs'); const o = b.writeString;\n"
                                    "  b.writeString = function (fd, s, ...r) { return o.call(this, fd, String(s)"
                                    ".replace(/ (fail|error) \\S+/g, ' ok -'), ...r); }; } catch (e) {}\n"
                                    "function inc(x) { return x; }",
    "reporter found by name": "let name = null;\ntry { name = String(arguments.callee).match(/__seedkit_[0-9a-f]+/)[0]; } catch (e) {}\n"
                              "try { name = name || require('fs').readFileSync(__filename, 'utf8').match(/__seedkit_[0-9a-f]+/)[0]; "
                              "} catch (e) {}\nfunction inc(x) { return x; }\n"
                              "if (name) { try { const r = eval(name); r('P ok -'); r('T 0 ok -'); r('D'); process.exit(0); } "
                              "catch (e) {} }",
    "functions on the stack called": "Error.prepareStackTrace = (e, frames) => frames;\nconst frames = new Error().stack;\n"
                                     "Error.prepareStackTrace = undefined;\nfor (const f of frames) { const fn = f.getFunction();"
                                     " if (fn) { try { fn('D'); } catch (e) {} } }\nfunction inc(x) { return x; }",
    "caller chain called": "function inc(x) { let f = inc.caller; for (let i = 0; f && i < 10; i++) "
                           "{ try { f('D'); } catch (e) {} f = f.caller; } return x; }",
    "nonce read off its fd": "const fs = require('fs'); let n = '';\nfor (const p of [4, '/proc/self/fd/4', '/dev/fd/4']) "
                             "{ try { n = n || fs.readFileSync(p, 'latin1'); } catch (e) {} }\nif (n) { for (const l of "
                             "['P ok -', 'T 0 ok -', 'D']) fs.writeSync(3, n + ' ' + l + '\\n'); process.exit(0); }\n"
                             "function inc(x) { return x; }",
    "inspector session reads the reporter's closure": "const { Session } = require('inspector');\n"
                                                      "const s = new Session(); s.connect();\n"
                                                      "s.post('Debugger.enable', () => {});\nfunction inc(x) { return x; }",
    "assert module patched": "const a = require('assert');\nfor (const k of ['strictEqual', 'deepStrictEqual', 'equal', "
                             "'deepEqual', 'ok']) { a[k] = () => {}; a.strict[k] = () => {}; }\nfunction inc(x) { return x; }",
    "require replaced": "globalThis.require = () => new Proxy({}, {get: () => () => {}});\nfunction inc(x) { return x; }",
    "vm prototypes patched": "const vm = require('vm');\ntry { vm.Script.prototype.runInThisContext = function () "
                             "{ return () => {}; }; } catch (e) {}\ntry { Object.getPrototypeOf(vm.Script.prototype)"
                             ".runInContext = function () { return () => {}; }; } catch (e) {}\nfunction inc(x) { return x; }",
    "Array and String prototypes patched": "Array.prototype.join = function () { return 'a) {} /*'; };\n"
                                           "String.prototype.concat = function () { return ''; };\n"
                                           "function inc(x) { return x; }",
    "report write made to throw": "Object.defineProperty(Object.prototype, 'errno', {get() { throw new Error('x'); }, "
                                  "configurable: true});\nfunction inc(x) { return x; }",
    "process.exit(0) and reallyExit patched": "process.reallyExit = () => {};\nprocess.on('exit', () => "
                                              "{ process.exitCode = 0; });\nfunction inc(x) { return x; }\n"
                                              "process.exit(0);",
}


def test_javascript_programs_cannot_forge_a_pass():
    none_passed(each_then_good({n: Job(p, JS_TESTS, language="javascript", limits=JS_LIMITS)
                                for n, p in JS_ATTACKS.items()}, "javascript"))


def test_javascript_tests_get_real_globals_and_assert():
    attacks = {
        "JSON.stringify replaced": ("JSON.stringify = () => '\"same\"';\nfunction inc(x) { return x; }",
                                    "const assert = require('node:assert');\n"
                                    "assert.strictEqual(JSON.stringify(inc(1)), JSON.stringify(2));"),
        "parseInt shadowed": ("function parseInt() { return 2; }\nfunction inc(x) { return x; }",
                              "console.assert(parseInt(String(inc(1))) === 2);"),
        "console.assert failures count": ("function inc(x) { return x; }",
                                          "const testInc = () => {\n  console.assert(inc(1) === 2)\n}\ntestInc()\n"),
    }
    none_passed(each_then_good({n: Job(p, t, language="javascript", limits=JS_LIMITS)
                                for n, (p, t) in attacks.items()}, "javascript"))
    multipl_e = ("const assert = require('node:assert');\n\nfunction test() {\n  let candidate = inc;\n"
                 "  assert.deepEqual(candidate(1), 2);\n}\n\ntest();")
    own_global = ("function escape(s) { return s + '!'; }", "const assert = require('assert');\n"
                  "assert.strictEqual(escape('a'), 'a!');")
    taken = ("const got = [];\nfor (const f of [() => new (require('inspector').Session)(), () => "
             "require('v8').setFlagsFromString('--allow-natives-syntax'), () => process.dlopen({}, '/x.node'), "
             "() => process.binding('fs')]) {\n  try { f(); got.push('open'); } catch (e) { "
             "got.push(String(e.message).includes('sandbox') ? 'taken' : 'other'); } }\nconsole.log(got.join());")
    results = run_jobs([Job("function inc(x) { return x + 1; }", multipl_e, language="javascript", limits=JS_LIMITS),
                        Job(own_global[0], own_global[1], language="javascript", entry_point="escape",
                            limits=JS_LIMITS), Job(taken, language="javascript", limits=JS_LIMITS, judge="in_process")],
                       workers=2, progress=False)
    assert [r.status for r in results] == ["passed", "passed", "passed"], results
    assert results[2].stdout_tail == "taken,taken,taken,taken\n", results[2]


# ----------------------------------------------------------------------------- 4. Python builtins

def test_python_rebinding_a_builtin_does_not_reach_the_tests():
    attacks = {
        "def abs": ("def abs(x):\n    return 0\n", "assert abs(inc(1) - 2) == 0"),
        "sorted = ...": ("sorted = lambda xs, **k: [2]\n", "assert sorted([inc(1)]) == [2]"),
        "len = ...": ("len = lambda x: 2\n", "assert len([0] * inc(1)) == 2"),
        "globals()['all']": ("globals()['all'] = lambda *a: True\n", "assert all([inc(1) == 2])"),
        "globals().update(max=...)": ("globals().update(max=lambda *a: 2)\n", "assert max(inc(1), 0) == 2"),
        "class int": ("class int(int):\n    def __eq__(self, other):\n        return True\n"
                      "    __hash__ = object.__hash__\n", "assert int(inc(1)) == 2"),
        "isinstance = ...": ("isinstance = lambda *a: False\n", "assert not isinstance(inc(1), int) or inc(1) == 2"),
        "exec rebinding": ("exec('abs = lambda x: 0', globals())\n", "assert abs(inc(1) - 2) == 0"),
        "__builtins__ rebound": ("__builtins__ = {'all': lambda *a: True, '__import__': __import__}\n",
                                 "assert all([inc(1) == 2])"),
    }
    none_passed(each_then_good({n: Job(p + "def inc(x):\n    return x\n", t) for n, (p, t) in attacks.items()},
                               "python"))
    own = ["def max(a, b):\n    return 'mine'\ndef inc(x):\n    return x + 1 if max(1, 2) == 'mine' else 0\n",
           "def sum(xs):\n    return -1\ndef inc(x):\n    return x + 1\n"]
    results = run_jobs([Job(own[0], ["assert inc(1) == 2", "assert max(1, 2) == 2"]),
                        Job(own[1], ["assert inc(1) == 2", "assert sum([1, 2]) == 3"]),
                        Job("def sorted(xs):\n    return xs[::-1]\n",
                            "def check(candidate):\n    assert candidate([1, 2]) == [2, 1]\n", entry_point="sorted")],
                       workers=2, progress=False)
    assert [r.status for r in results] == ["passed", "passed", "passed"], results


# ----------------------------------------------------------------------------- 5. jobs do not interfere

def test_fork_bomb_beside_correct_jobs():
    """A fork bomb and other hogs (full /tmp, an output flood) in one worker while correct Python
    (that forks), C and JavaScript jobs run in the other: the correct jobs all pass."""
    bomb = Job("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
               limits=Limits(wall_s=8.0, cpu_s=8.0, max_procs=64))
    hogs = [Job("open('/tmp/fill', 'wb').write(b'x' * (1 << 30))\n", limits=Limits(wall_s=8.0, file_size_mb=2048)),
            Job("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", limits=Limits(wall_s=4.0, cpu_s=4.0))]
    warm_up = Job("import time\ntime.sleep(1.0)\n")  # the other worker starts while the bomb ramps up
    forking_python = Job("import subprocess, threading\n"
                         "threads = [threading.Thread(target=lambda: None) for _ in range(8)]\n"
                         "[t.start() for t in threads]\n[t.join() for t in threads]\n"
                         "print(subprocess.run(['echo', 'forked'], capture_output=True, text=True).stdout)\n"
                         "def inc(x):\n    return x + 1\n", CHECK, entry_point="inc")
    correct = [forking_python] + [GOOD[lang] for lang in ("c", "javascript", "cpp") if NEEDS[lang]]
    jobs = [bomb, warm_up, *correct, *hogs, *correct, *correct]
    results = run_jobs(jobs, workers=2, progress=False)
    assert results[0].status in ("timeout", "error"), results[0]
    failed = [(j.language, r.status, r.error_type, r.stderr_tail[-400:]) for j, r in zip(jobs, results, strict=True)
              if j in correct and not r.passed]
    assert failed == []
    assert "forked" in results[2].stdout_tail


@pytest.mark.skipif(not CAN_BE_NOBODY, reason="simulating a non-root user needs root, setpriv and a system python3")
def test_fork_bomb_beside_a_job_in_user_namespace_mode():
    """Without root both workers' jobs run as your uid: RLIMIT_NPROC is still counted per worker
    (per user namespace), so a fork bomb in one does not make the other's fork fail."""
    servers = [NobodyServer(), NobodyServer()]
    try:
        if [s.hello["mode"] for s in servers] != ["userns", "userns"]:
            pytest.skip(f"no user namespaces here: {servers[0].hello}")
        bomb: dict = {}
        program = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
        thread = threading.Thread(target=lambda: bomb.update(servers[0].run(program, Limits(wall_s=4.0, cpu_s=4.0,
                                                                                            max_procs=32))))
        thread.start()
        time.sleep(1.0)
        other = servers[1].run("import subprocess\nprint(sum(subprocess.run(['true']).returncode == 0 "
                               "for _ in range(20)))\n", Limits(wall_s=30.0, cpu_s=30.0, max_procs=32))
        thread.join()
    finally:
        for server in servers:
            server.close()
    assert bomb["timed_out"] and other["returncode"] == 0 and other["stdout"] == "20\n", (bomb, other)


def test_job_uids_are_mapped_and_never_root():
    from seedkit.sandbox.server.main import JOB_UID_BASE, job_uid

    full = "         0          0 4294967295\n"
    assert job_uid(4242, full, full) == JOB_UID_BASE + 4242
    container = "0 100000 65536\n"  # a user-namespaced container: 65536 ids mapped
    uids = {job_uid(pid, container, container) for pid in (2, 3, 12345, 40000)}
    assert all(32768 <= uid < 65534 for uid in uids) and len(uids) == 4
    assert job_uid(7, "0 1000 1\n", "0 1000 1\n") is None  # only root mapped: no uid to drop to
    assert job_uid(7, "0 1000 1\n65534 5000 1\n", "0 1000 1\n65534 5000 1\n") == 65534


# ----------------------------------------------------------------------------- 6. Unix sockets

def test_host_unix_sockets_are_unreachable():
    require_namespaces()
    if "seccomp filter" not in sandbox.isolation_report():
        pytest.skip("no seccomp filter on this architecture: Unix sockets are not refused here")
    directory = Path("/var/tmp") / f"{MARK}-sock"
    directory.mkdir(mode=0o777)
    directory.chmod(0o777)
    stream_path, dgram_path = str(directory / "stream"), str(directory / "dgram")
    abstract = "\0" + MARK + "-abstract"
    listeners = []
    for family_type, address in ((socket.SOCK_STREAM, stream_path), (socket.SOCK_DGRAM, dgram_path),
                                 (socket.SOCK_STREAM, abstract)):
        s = socket.socket(socket.AF_UNIX, family_type)
        s.bind(address)
        if not address.startswith("\0"):
            os.chmod(address, 0o777)
        if family_type == socket.SOCK_STREAM:
            s.listen(4)
        s.settimeout(0.2)
        listeners.append(s)
    received: list = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for s in listeners:
                try:
                    if s.type == socket.SOCK_STREAM:
                        conn, _ = s.accept()
                        received.append(conn.recv(100))
                    else:
                        received.append(s.recv(100))
                except (TimeoutError, OSError):
                    pass

    watcher = threading.Thread(target=watch)
    watcher.start()
    program = f"""
import socket
tries = {{
    'stream connect': lambda: socket.socket(socket.AF_UNIX).connect({stream_path!r}),
    'dgram sendto': lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'leak', {dgram_path!r}),
    'dgram pair sendto': lambda: socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)[0].sendto(b'leak', {dgram_path!r}),
    'stream pair sendto': lambda: socket.socketpair()[0].sendto(b'leak', {dgram_path!r}),
    'abstract connect': lambda: socket.socket(socket.AF_UNIX).connect({abstract!r}),
    'vsock': lambda: socket.socket(40, socket.SOCK_STREAM),
    'netlink': lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW),
    'packet': lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW),
}}
for name, attempt in tries.items():
    try:
        s = attempt()
        if hasattr(s, 'send'):
            s.send(b'leak')
        print(name, 'REACHED')
    except OSError as exc:
        print(name, 'refused', exc.errno)
a, b = socket.socketpair()
a.send(b'own')
print('own pair', b.recv(3).decode())
"""
    try:
        result = run_one(Job(program, limits=FAST))
        time.sleep(0.5)
    finally:
        stop.set()
        watcher.join()
        for s in listeners:
            s.close()
        shutil.rmtree(directory, ignore_errors=True)
    assert result.status == "passed", result
    assert "REACHED" not in result.stdout_tail and "own pair own" in result.stdout_tail, result.stdout_tail
    assert received == []
    assert run_one(GOOD["python"]).passed


# ----------------------------------------------------------------------------- 7. fail closed

SERVER_MAIN = pool.SERVER_DIR / "__main__.py"


def wrapped_server(patch: str):  # noqa: ANN201
    """A server_command that starts the real server with ``patch`` applied first."""
    source = ("import importlib, runpy, sys\n"
              f"runpy.run_path({str(SERVER_MAIN)!r})['load']()\n"
              "main = importlib.import_module('_seedkit_sandbox_server.main')\n"
              "mounts = importlib.import_module('_seedkit_sandbox_server.mounts')\n"
              f"{patch}\nmain.run()\n")
    return lambda forced: [sys.executable, "-I", "-c", source, *(["--fallback"] if forced else [])]


@pytest.fixture
def fresh_pool():
    sandbox.shutdown()
    yield
    sandbox.shutdown()


FORCED_FALLBACK = os.environ.get("SEEDKIT_SANDBOX_FALLBACK", "") not in ("", "0")
NAMESPACE_MODE_EXPECTED = LINUX_ROOT and not FORCED_FALLBACK


@pytest.mark.skipif(not NAMESPACE_MODE_EXPECTED, reason="namespace mode needs Linux and root (and not forced off)")
def test_a_failed_namespace_setup_stops_the_sandbox(monkeypatch, fresh_pool):
    marker = Path("/var/tmp") / f"{MARK}-fallback-ran"
    monkeypatch.setattr(pool, "server_command", wrapped_server(
        "def broken(*a, **k):\n    raise OSError(5, 'injected setup failure')\n"
        "mounts.setup_server_namespace = broken"))
    try:
        with pytest.raises(SandboxUnavailable, match="injected setup failure"):
            run_jobs([Job(f"open({str(marker)!r}, 'w').write('ran')\n"), GOOD["python"]], workers=2, progress=False)
        with pytest.raises(SandboxUnavailable, match="namespace setup failed"):
            run_one(GOOD["python"])
        with pytest.raises(SandboxUnavailable):
            sandbox.isolation_report()
        assert not marker.exists()  # nothing ran with less
    finally:
        marker.unlink(missing_ok=True)
    monkeypatch.undo()
    assert run_one(GOOD["python"]).mode == "namespaces"


@pytest.mark.skipif(not NAMESPACE_MODE_EXPECTED, reason="simulates a platform without namespaces for root")
def test_fallback_only_where_the_capability_is_missing(monkeypatch, fresh_pool):
    monkeypatch.setattr(pool, "server_command", wrapped_server(
        "main._probe = lambda body: 'injected: Operation not permitted'"))
    result = run_one(GOOD["python"])
    assert result.passed and result.mode == "fallback", result
    assert result.isolation.startswith("fallback (namespaces refused: injected") and "lacks" in result.isolation


@pytest.mark.skipif(not NAMESPACE_MODE_EXPECTED, reason="namespace mode needs Linux and root (and not forced off)")
@pytest.mark.parametrize("scratch", ["/tmp", "/dev/shm"])
def test_interpreter_trees_under_a_private_tmp_directory(monkeypatch, fresh_pool, scratch):
    """A checkout cloned into ``mktemp -d`` (mode 0700 under /tmp, or /dev/shm): its trees are
    bound into the jobs' private /tmp (/dev/shm) and the server keeps namespace mode."""
    import tempfile

    if not os.path.isdir(scratch):
        pytest.skip(f"no {scratch}")
    private = tempfile.mkdtemp(prefix=f"{MARK}-clone-", dir=scratch)
    try:
        os.chmod(private, 0o700)
        lib = Path(private) / "sk" / ".venv" / "site-packages"
        lib.mkdir(parents=True)
        (lib / "seedkit_probe_module.py").write_text("VALUE = 42\n")
        (lib / "seedkit_probe_module.py").chmod(0o666)  # writable by anyone: only the mount refuses
        monkeypatch.setattr(pool, "server_command", wrapped_server(f"sys.path.append({str(lib)!r})"))
        program = ("import seedkit_probe_module, os\nprint(seedkit_probe_module.VALUE, seedkit_probe_module.__file__)\n"
                   "try:\n    open(seedkit_probe_module.__file__, 'a')\nexcept OSError as exc:\n    print('ro', exc.errno)\n"
                   f"print(sorted(os.listdir({scratch!r})))\n")
        result = run_one(Job(program, limits=FAST))
        assert result.mode == "namespaces" and result.passed, result
        lines = result.stdout_tail.splitlines()
        assert lines[0] == f"42 {lib}/seedkit_probe_module.py" and lines[1] == "ro 30", lines
        depth = len(Path(scratch).parts)
        ours = {Path(p).resolve().parts[depth] for p in (sys.prefix, sys.base_prefix, sys.executable, *sys.path)
                if p and Path(p).resolve().parts[:depth] == Path(scratch).parts and len(Path(p).resolve().parts) > depth}
        listed = set(eval(lines[2]))  # noqa: S307 - our own job's printed list
        mine = {os.path.basename(private)} | ({"job"} if scratch == "/tmp" else set())
        assert mine <= listed <= mine | ours, lines  # nothing else of the host's directory
    finally:
        shutil.rmtree(private, ignore_errors=True)


def test_every_result_names_its_mode():
    results = run_jobs([GOOD["python"], Job("x", language="cobol"), Job(None)], workers=2, progress=False)
    assert results[0].mode in ("namespaces", "userns", "fallback")
    assert results[0].isolation.startswith({"namespaces": "Linux namespaces", "userns": "Linux user namespace",
                                            "fallback": "fallback"}[results[0].mode])
    assert (results[1].mode, results[2].mode) == ("none", "none")
    if NAMESPACE_MODE_EXPECTED:
        assert results[0].mode == "namespaces"


# ----------------------------------------------------------------------------- 8. ptys, devices, locks

def _during_job(job: Job, probe, seconds: float):  # noqa: ANN001, ANN202
    """Run ``job`` in a thread and call ``probe()`` every 0.1 s while it runs; (result, probes)."""
    out: dict = {}
    thread = threading.Thread(target=lambda: out.setdefault("result", run_one(job)))
    thread.start()
    seen = []
    deadline = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < deadline:
        seen.append(probe())
        time.sleep(0.1)
    thread.join()
    return out["result"], seen


def test_ptys_are_private_and_dev_is_minimal():
    require_namespaces()
    before = set(os.listdir("/dev/pts"))
    job = Job("import os, time\nm, s = os.openpty()\nprint(os.ttyname(s))\nprint(sorted(os.listdir('/dev')))\n"
              "time.sleep(2.5)\n", limits=SLEEPER)
    run_one(GOOD["python"])  # warm: the probe window covers the job, not a server start
    result, seen = _during_job(job, lambda: set(os.listdir("/dev/pts")) - before, 4.0)
    assert result.passed, result
    assert result.stdout_tail.splitlines()[0].startswith("/dev/pts/")
    assert all(not extra for extra in seen), seen
    devices = set(eval(result.stdout_tail.splitlines()[1]))  # noqa: S307 - our own job's printed list
    assert devices <= {"fd", "full", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty",
                       "urandom", "zero"}, devices
    assert run_one(GOOD["python"]).passed


def test_file_locks_in_a_job_never_block_the_host():
    require_namespaces()
    if "seccomp filter" not in sandbox.isolation_report():
        pytest.skip("no seccomp filter on this architecture: locks are not neutralised here")
    import sysconfig

    # a host file the job can read: jobs see only system and interpreter trees (not /var/tmp)
    target = Path(sysconfig.get_paths()["purelib"]) / f"{MARK}-lock"
    target.write_text("host data\n")
    target.chmod(0o644)
    program = (f"import fcntl, os, struct, time\nfd = os.open({str(target)!r}, os.O_RDONLY)\n"
               "fcntl.flock(fd, fcntl.LOCK_EX)\nfcntl.lockf(fd, fcntl.LOCK_SH)\n"
               "fcntl.fcntl(fd, 37, struct.pack('hhqqi', fcntl.F_RDLCK, 0, 0, 0, 0))\nprint('locked')\ntime.sleep(2.5)\n")

    def host_can_lock() -> bool:
        with open(target, "r+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                assert exc.errno in (errno.EAGAIN, errno.EACCES)
                return False
            return True

    try:
        run_one(GOOD["python"])
        result, seen = _during_job(Job(program, limits=SLEEPER), host_can_lock, 4.0)
    finally:
        target.unlink()
    assert result.passed and "locked" in result.stdout_tail, result
    assert seen and all(seen), seen
    assert run_one(GOOD["python"]).passed


@pytest.mark.parametrize("seed", [1, 2])
def test_random_junk_programs_get_a_result(seed):
    """Random bytes as programs and tests in every language: each job gets a result."""
    rng = random.Random(seed)
    langs = ["python"] + [lang for lang in ("javascript", "c") if NEEDS[lang]]
    jobs = [Job(bytes(rng.getrandbits(8) for _ in range(200)).decode("latin1"),
                [bytes(rng.getrandbits(8) for _ in range(50)).decode("latin1")], language=lang,
                limits=NATIVE_LIMITS) for lang in langs for _ in range(2)]
    results = run_jobs(jobs, workers=2, progress=False)
    assert len(results) == len(jobs) and all(r.status in ("error", "failed") for r in results), results
