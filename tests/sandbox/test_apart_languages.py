"""JavaScript and C/C++ judged apart: the tests run where no candidate code ran, plain data crosses.

What must hold: references of each test shape pass (mutation in place, strings, arrays with a
length, containers, exceptions, program globals); a candidate value that is not plain data fails
its test with a clear reason; exploits that beat an in-process harness (a C++ ``operator==`` that
says yes, forging the proof after reading the nonce from memory, reading the tests) score 0; the
candidate's enclosure has no ``/proc`` and none of the judge's files.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from seedkit.sandbox import Job, Limits, run_jobs, run_one

from .test_sandbox import CAN_BE_NOBODY, NobodyServer

# A checkout under /tmp (a CI clone in mktemp -d) has its interpreter's trees bound back into every
# job's fresh /tmp: the top folder's name is there, none of the judge's files.
_PREFIX = os.path.realpath(sys.prefix)
KEPT_IN_TMP = _PREFIX.split("/")[2] if _PREFIX.startswith("/tmp/") else ""

# A C++ job judged apart compiles three times; on a busy machine that takes a while.
SLOW_COMPILE = Limits(wall_s=90.0, cpu_s=20.0)


def _run(jobs: dict[str, Job]) -> dict[str, object]:
    results = run_jobs(list(jobs.values()), workers=2, progress=False)
    if any(r.status == "skipped" for r in results):
        pytest.skip(next(r.stderr_tail for r in results if r.status == "skipped"))
    return dict(zip(jobs, results, strict=True))


# --------------------------------------------------------------------------- C and C++

C_SHAPES = {
    "scalars": ("int add(int a, int b) { return a + b; }\n"
                "double half(long long x) { return x / 2.0; }\n#include <stdbool.h>\nbool odd(unsigned n) { return n % 2; }\n",
                "int main(void) { assert(add(2, 3) == 5); assert(half(5) == 2.5); assert(odd(3) && !odd(4)); return 0; }"),
    "array with its length, written back": (
        "void double_all(int *a, int n) { for (int i = 0; i < n; i++) a[i] *= 2; }\n"
        "long sum(const int *a, int n) { long s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }\n"
        "void minmax(const int *a, int n, int *lo, int *hi) { *lo = *hi = a[0];"
        " for (int i = 1; i < n; i++) { if (a[i] < *lo) *lo = a[i]; if (a[i] > *hi) *hi = a[i]; } }\n",
        "int main(void) { int a[] = {1, 2, 3}; double_all(a, 3); assert(a[0] == 2 && a[2] == 6);\n"
        "  assert(sum(a, 3) == 12); assert(sum(a, 0) == 0);\n"
        "  int lo = 0, hi = 0; minmax(a, 3, &lo, &hi); assert(lo == 2 && hi == 6); return 0; }"),
    "strings in, out and in place": (
        "#include <string.h>\n#include <stdlib.h>\n"
        "void upper(char *s) { for (; *s; s++) if (*s >= 'a' && *s <= 'z') *s -= 32; }\n"
        "char *twice(const char *s) { size_t n = strlen(s); char *r = malloc(2 * n + 1);"
        " memcpy(r, s, n); memcpy(r + n, s, n); r[2 * n] = 0; return r; }\n"
        "const char *name(int k) { return k ? \"one\" : NULL; }\n",
        "#include <string.h>\nint main(void) { char s[] = \"abc\"; upper(s); assert(strcmp(s, \"ABC\") == 0);\n"
        "  assert(strcmp(twice(\"xy\"), \"xyxy\") == 0); assert(strcmp(name(1), \"one\") == 0);"
        " assert(name(0) == NULL); return 0; }"),
}

CPP_SHAPES = {
    "containers": ("#include <vector>\n#include <map>\n#include <string>\n#include <set>\n#include <utility>\n"
                   "using namespace std;\n"
                   "map<string, int> counts(const vector<string>& w) { map<string, int> m; for (auto& x : w) m[x]++; return m; }\n"
                   "pair<int, string> first(const vector<pair<int, string>>& v) { return v.front(); }\n"
                   "set<int> uniq(vector<int> v) { return set<int>(v.begin(), v.end()); }\n",
                   "int main() { map<string, int> want{{\"a\", 2}, {\"b\", 1}};\n"
                   "  assert(counts({\"a\", \"b\", \"a\"}) == want);\n"
                   "  assert(first({{1, \"x\"}, {2, \"y\"}}) == make_pair(1, string(\"x\")));\n"
                   "  assert(uniq({3, 1, 3}) == set<int>({1, 3})); return 0; }"),
    "reference written back": ("#include <vector>\n#include <algorithm>\n"
                               "void sort_in_place(std::vector<int>& v) { std::sort(v.begin(), v.end()); }\n",
                               "#include <vector>\nint main() { std::vector<int> v{3, 1, 2}; sort_in_place(v);\n"
                               "  assert((v == std::vector<int>{1, 2, 3})); return 0; }"),
    "the program's headers and using-declarations": (
        "#include <vector>\nusing std::vector;\nvector<int> twice(const vector<int>& v) {"
        " vector<int> r(v); r.insert(r.end(), v.begin(), v.end()); return r; }\n",
        "int main() { assert(twice({1}) == vector<int>({1, 1})); return 0; }"),
    "exceptions cross as the standard class": (
        "#include <stdexcept>\nint checked(int x) { if (x < 0) throw std::invalid_argument(\"negative\"); return x; }\n",
        "#include <stdexcept>\n#include <string>\nint main() { assert(checked(2) == 2);\n"
        "  try { checked(-1); assert(false); } catch (const std::invalid_argument& e) {"
        " assert(std::string(e.what()) == \"negative\"); }\n  return 0; }"),
}


def test_native_shapes_pass_apart():
    jobs = {f"c {n}": Job(p, t, language="c", limits=SLOW_COMPILE) for n, (p, t) in C_SHAPES.items()}
    jobs |= {f"cpp {n}": Job(p, t, language="cpp", limits=SLOW_COMPILE) for n, (p, t) in CPP_SHAPES.items()}
    results = _run(jobs)
    bad = {n: (r.status, r.error_type, r.stderr_tail[-400:]) for n, r in results.items() if not r.passed}
    assert bad == {}
    assert {r.judge for r in results.values()} == {"apart"}


NATIVE_EXPLOITS = {
    "operator== that says yes to everything": (
        "cpp", "#include <vector>\n"
        "bool operator==(const std::vector<int>&, const std::vector<int>&) { return true; }\n"
        "namespace std { bool operator!=(const vector<int>&, const vector<int>&) { return false; } }\n"
        "std::vector<int> evens(const std::vector<int>& v) { return {}; }\n"),
    "a returned object whose operator== says yes": (
        "cpp", "#include <vector>\nstruct Yes { template <class T> bool operator==(const T&) const { return true; } };\n"
               "Yes evens(const std::vector<int>& v) { return {}; }\n"),
    "the nonce read from memory, the proof forged on descriptor 3": (
        "cpp", r"""#include <vector>
#include <cstdio>
#include <cstring>
#include <unistd.h>
static bool hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
std::vector<int> evens(const std::vector<int>& v) {
  FILE *m = fopen("/proc/self/maps", "r"); char line[512];
  while (m && fgets(line, sizeof line, m)) {
    unsigned long lo, hi; char perm[5];
    if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) != 3 || perm[0] != 'r' || strchr(line, '/') || strstr(line, "[v")) continue;
    for (char *p = (char *)lo; p + 33 < (char *)hi; p++)
      if (hex(p[0]) && (p == (char *)lo || !hex(p[-1]))) {
        int k = 0; while (k < 33 && hex(p[k])) k++;
        if (k == 32) { char out[64]; memcpy(out, p, 32); memcpy(out + 32, " D\n", 3); write(3, out, 35); }
      }
  }
  for (int fd = 3; fd < 64; fd++) write(fd, "PASS\n", 5);
  _exit(0);
}
"""),
    "a constructor that exits 0": ("c", "#include <stdlib.h>\n__attribute__((constructor)) static void go(void) { exit(0); }\n"
                                        "int add(int a, int b) { return 0; }\n"),
    "assert and NDEBUG redefined": ("c", "#define NDEBUG\n#undef assert\n#define assert(x) ((void)0)\n"
                                         "int add(int a, int b) { return 0; }\n"),
    "the tests read from the judge's files": (
        "c", "#include <stdio.h>\n#include <string.h>\n#include <dirent.h>\nint add(int a, int b) {\n"
             "  const char *dirs[] = {\".\", \"/tmp\", \"/tmp/job\", \"/proc\"};\n"
             "  for (int d = 0; d < 4; d++) { DIR *x = opendir(dirs[d]); struct dirent *e;\n"
             "    while (x && (e = readdir(x))) if (e->d_name[0] != '.' && e->d_name[0] != 'c' && e->d_name[0] != 'j'"
             f" && strcmp(e->d_name, \"{KEPT_IN_TMP}\") != 0) return 3; }}\n  return 0; }}\n"),
}
C_TESTS = "int main(void) {\n    assert(add(1, 2) == 3);\n    return 0;\n}\n"
CPP_TESTS = ("#include <vector>\nint main() {\n    assert(evens({1, 2, 3, 4}) == std::vector<int>({2, 4}));\n"
             "    assert(!(evens({}) != std::vector<int>()));\n    return 0;\n}\n")


def test_native_exploits_score_zero_apart():
    jobs = {n: Job(p, C_TESTS if lang == "c" else CPP_TESTS, language=lang, limits=SLOW_COMPILE)
            for n, (lang, p) in NATIVE_EXPLOITS.items()}
    results = _run(jobs)
    earned = {n: (r.status, r.error_type) for n, r in results.items() if r.passed or r.tests_passed}
    assert earned == {}
    assert results["a returned object whose operator== says yes"].error_type == "CompileError"
    assert "not plain: evens" in results["a returned object whose operator== says yes"].stderr_tail


def test_library_functions_in_the_tests_stay_the_librarys():
    """A program's own strcmp or abs would answer the comparisons the tests make with them: a
    function named like the C library's is never bridged (the tests get the library's)."""
    hijacks = {
        "strcmp": ("#include <string.h>\nint strcmp(const char *a, const char *b) { return 0; }\n"
                   "const char *rev(const char *s) { return \"nope\"; }\n",
                   "#include <string.h>\nint main(void) { assert(strcmp(rev(\"abc\"), \"cba\") == 0); return 0; }"),
        "abs": ("#include <stdlib.h>\nint abs(int x) { return 5; }\nint f(int x) { return -1; }\n",
                "#include <stdlib.h>\nint main(void) { assert(abs(f(5)) == 5); return 0; }"),
    }
    jobs = {f"{lang} {n}": Job(p, t, language=lang, limits=SLOW_COMPILE) for n, (p, t) in hijacks.items()
            for lang in ("c", "cpp")}
    results = _run(jobs)
    assert {n: (r.status, r.error_type) for n, r in results.items()} == \
        {n: ("failed", "AssertionError") for n in jobs}, {n: r.stderr_tail[-300:] for n, r in results.items()}


def test_native_in_process_judge_still_available():
    program = "struct P { int x; };\nstruct P make(int x) { struct P p = {x}; return p; }\n"
    tests = "int main(void) { assert(make(3).x == 3); return 0; }"
    results = _run({"apart": Job(program, tests, language="c", limits=SLOW_COMPILE),
                    "in": Job(program, tests, language="c", judge="in_process", limits=SLOW_COMPILE)})
    assert results["apart"].error_type == "CompileError" and results["in"].passed, results
    assert results["in"].judge == "in_process"


# --------------------------------------------------------------------------- JavaScript

JS_SHAPES = {
    "mutation in place": ("function push3(a) { a.push(3); }\nfunction setKey(o) { o.k = 1; }",
                          "const a = [1]; push3(a); if (JSON.stringify(a) !== '[1,3]') throw new Error('a');\n"
                          "const o = {}; setKey(o); if (o.k !== 1) throw new Error('o');"),
    "exceptions cross as the built-in class": (
        "function checked(x) { if (x < 0) throw new RangeError('negative'); return x; }",
        "const assert = require('assert');\nassert.throws(() => checked(-1), RangeError);\nassert.strictEqual(checked(2), 2);"),
    "special numbers, undefined, Map and Set": (
        "function odd() { return [NaN, -0, Infinity, undefined, 10n, new Map([[1, 'a']]), new Set(['x'])]; }",
        "const r = odd();\nif (!Number.isNaN(r[0]) || !Object.is(r[1], -0) || r[2] !== Infinity || r[3] !== undefined"
        " || r[4] !== 10n) throw new Error('numbers');\n"
        "if (r[5].get(1) !== 'a' || !r[6].has('x')) throw new Error('collections');"),
    "program globals, lexical ones included": (
        "const TABLE = {a: 1};\nconst look = (k) => TABLE[k];\nfunction helper() { return 2; }",
        "if (look('a') !== 1 || TABLE.a !== 1 || helper() !== 2) throw new Error('globals');"),
}


def test_javascript_shapes_pass_apart():
    results = _run({n: Job(p, t, language="javascript") for n, (p, t) in JS_SHAPES.items()})
    bad = {n: (r.status, r.error_type, r.stderr_tail[-400:]) for n, r in results.items() if not r.passed}
    assert bad == {}
    assert {r.judge for r in results.values()} == {"apart"}


JS_EXPLOITS = {
    "valueOf, toString and Symbol.toPrimitive": (
        "function f(x) { return {valueOf() { return 7; }, toString() { return '7'; },"
        " [Symbol.toPrimitive]() { return 7; }}; }",
        "if (f(1) != 7) throw new Error('no');"),
    "a class instance with toJSON": ("class Y { toJSON() { return 7; } }\nfunction f(x) { return new Y(); }",
                                     "if (JSON.stringify(f(1)) !== '7') throw new Error('no');"),
    "a getter that answers the comparison": ("function f(x) { return {get v() { return 7; }}; }",
                                             "if (f(1).v !== 7) throw new Error('no');"),
    "assert defined by the program for tests that use it without require": (
        "function assert(x) {}\nfunction f(x) { return 0; }", "assert(f(1) === 7);"),
    "the nonce read from /proc/self/mem, the proof forged": (
        r"""const fs = require('fs');
function f(x) {
  try {
    const fd = fs.openSync('/proc/self/mem', 'r');
    for (const line of fs.readFileSync('/proc/self/maps', 'latin1').split('\n')) {
      const m = line.match(/^([0-9a-f]+)-([0-9a-f]+) r/);
      if (!m || line.includes('/') || line.includes('[v')) continue;
      const lo = parseInt(m[1], 16), hi = parseInt(m[2], 16);
      if (hi - lo > 64 * 1024 * 1024) continue;
      const buf = Buffer.alloc(hi - lo);
      try { fs.readSync(fd, buf, 0, hi - lo, lo); } catch (e) { continue; }
      for (const n of buf.toString('latin1').match(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g) || [])
        for (const out of [3, 4, 5, 6]) try { fs.writeSync(out, n + ' P ok -\n' + n + ' T 0 ok -\n' + n + ' D\n'); } catch (e) {}
    }
  } catch (e) {}
  process.reallyExit(0);
}""", "if (f(1) !== 7) throw new Error('no');"),
    "the tests read from the judge's files": (
        "const fs = require('fs');\nfunction f(x) {\n  for (const d of ['.', '/tmp', '/tmp/job', '/proc']) {\n"
        "    try { for (const n of fs.readdirSync(d)) { const m = String(fs.readFileSync(d + '/' + n)).match(/!== (\\d+)/);"
        " if (m) return Number(m[1]); } } catch (e) {}\n  }\n  return 0;\n}",
        "if (f(1) !== 7) throw new Error('no');"),
}


def test_javascript_exploits_score_zero_apart():
    results = _run({n: Job(p, t, language="javascript", entry_point="f") for n, (p, t) in JS_EXPLOITS.items()})
    earned = {n: (r.status, r.error_type) for n, r in results.items() if r.passed or r.tests_passed}
    assert earned == {}
    assert results["a class instance with toJSON"].error_type == "NotPlainData"
    assert "not plain data" in results["a class instance with toJSON"].stderr_tail


def test_javascript_candidate_sees_no_proc_and_none_of_the_judges_files():
    program = ("const fs = require('fs');\nconst seen = {};\nfor (const d of ['/proc', '/tmp', '/tmp/job']) {"
               " try { seen[d] = fs.readdirSync(d).sort(); } catch (e) { seen[d] = e.code; } }\n"
               "function look() { return seen; }")
    result = run_one(Job(program, "console.log(JSON.stringify(look()));", language="javascript"))
    if result.status == "skipped":
        pytest.skip(result.stderr_tail)
    assert result.passed, result
    seen = json.loads(result.stdout_tail)
    kept = {KEPT_IN_TMP} - {""}
    assert (seen["/proc"], sorted(set(seen["/tmp"]) - kept), seen["/tmp/job"]) == ([], ["job"], []), result


@pytest.mark.skipif(not CAN_BE_NOBODY, reason="simulating a non-root user needs root, setpriv and a system python3")
def test_enclosure_in_user_namespace_mode():
    """Without root (a laptop), the enclosure is set up inside the server's user namespace: the
    candidate still sees an empty /proc, and the tests' proof still comes from the judge."""
    server = NobodyServer()
    try:
        if server.hello["mode"] != "userns":
            pytest.skip(f"no user namespaces here: {server.hello}")
        runs = {}
        if shutil.which("node"):
            runs["javascript"] = server.run(
                "const fs = require('fs');\nconst seen = fs.readdirSync('/proc').length;\nfunction f(x) { return seen; }",
                SLOW_COMPILE, language="javascript", tests=["if (f(1) !== 0) throw new Error('proc');"], entry_point="f")
        if shutil.which("g++"):
            runs["cpp"] = server.run(CPP_SHAPES["reference written back"][0], SLOW_COMPILE, language="cpp",
                                     tests=[CPP_SHAPES["reference written back"][1]])
    finally:
        server.close()
    if not runs:
        pytest.skip("neither node nor g++ is installed")
    bad = {lang: (r.get("returncode"), r.get("report"), r.get("stderr", "")[-300:]) for lang, r in runs.items()
           if r.get("returncode") != 0 or not r.get("report", "").endswith("n0 D\n")}
    assert bad == {}


def test_javascript_and_c_apart_in_fallback_mode(monkeypatch):
    """Fallback (no namespaces): the enclosure still runs the candidate apart from its judge."""
    from seedkit import sandbox

    monkeypatch.setenv("SEEDKIT_SANDBOX_FALLBACK", "1")
    sandbox.shutdown()
    try:
        jobs = {"js": Job("function inc(x) { return x + 1; }", "if (inc(1) !== 2) throw new Error('no');",
                          language="javascript"),
                "js wrong": Job("function inc(x) { return x; }", "if (inc(1) !== 2) throw new Error('no');",
                                language="javascript"),
                "c": Job("int inc(int x) { return x + 1; }", "int main(void) { assert(inc(1) == 2); return 0; }",
                         language="c", limits=SLOW_COMPILE)}
        results = _run(jobs)
    finally:
        sandbox.shutdown()
    assert {n: (r.status, r.mode, r.judge) for n, r in results.items()} == {
        "js": ("passed", "fallback", "apart"), "js wrong": ("failed", "fallback", "apart"),
        "c": ("passed", "fallback", "apart")}, {n: r.stderr_tail[-300:] for n, r in results.items()}


def test_no_job_can_take_another_process_descriptors():
    """pidfd_getfd would hand a candidate the judge's report pipe where the judge is dumpable
    (node): refused by the seccomp filter, for the job's own process too."""
    program = ("import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nfd = os.pidfd_open(os.getpid())\n"
               "got = libc.syscall(438, fd, 1, 0)\nprint(got, ctypes.get_errno())\n")
    result = run_one(Job(program))
    if "seccomp" not in result.isolation:
        pytest.skip("no seccomp filter here")
    assert result.passed and result.stdout_tail.split() == ["-1", "1"], result
