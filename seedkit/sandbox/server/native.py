"""C and C++: the tests' ``main`` runs from a shared object loaded into the trusted harness.

Nothing the program can write or run before the tests decides the outcome:

- The program and the tests are one translation unit (the tests need the program's
  declarations), but the program's preprocessor state stops at its end: the macro table after
  the program is compared with what its system headers alone define, and every macro the
  program added, changed or removed is undefined or restored before the tests (``#define
  NDEBUG``, ``#define assert(x)``, ``#define main ...`` reach nothing). The program's own
  ``main``, if any, is renamed and never called; a program that redefines ``main`` is refused.
- Assertions are forced on: ``NDEBUG`` is undefined and ``assert.h`` re-included, and its
  failure path calls a function with a random per-job name that writes the message with a raw
  system call and traps, so no function the program defines (``__assert_fail``, ``abort``,
  ``write``) is on it. Optimisation and packing pragmas are reset before the tests, and a
  ``#pragma GCC optimize`` with an option that changes what code computes (``fast-math``,
  ``Ofast``, ...) or ``#pragma GCC target("fpmath=...")`` is refused: it would also reach the
  inline functions of headers the program included, which the tests call.
- The unit is compiled (``-shared -fPIC -Wl,-Bsymbolic -Wl,--no-undefined``) to ``job.so``,
  which the Python harness ``dlopen``s only after it holds the nonce and has closed the fd it
  came on: constructors, static initialisers and IFUNC resolvers run after that, and whatever
  the object defines (``read``, ``write``, ``__libc_start_main``) does not reach the harness.
  The harness calls the tests' ``main`` through a data symbol of a random per-job name that
  holds its address (``main_reference``), not through the symbol ``main``, which a program can
  take over (``__asm__("main")``, ``#pragma redefine_extname``), and writes the proof line only
  if it returned 0.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

from . import proof

COMPILE_ERROR, NO_TEST_MAIN = 121, 122  # exit codes the kit maps to CompileError, NoTestMain
FAIL_C = r"""
#ifdef __cplusplus
#define SEEDKIT_NOEXCEPT noexcept
extern "C" {
#else
#define SEEDKIT_NOEXCEPT
#endif
static void %(fail)s(const char *e, const char *f, unsigned int l, const char *fn)
    SEEDKIT_NOEXCEPT __attribute__((__noreturn__, __used__));
static void %(fail)s(const char *e, const char *f, unsigned int l, const char *fn) SEEDKIT_NOEXCEPT {
    char buf[2048]; unsigned long n = 0; char digits[16]; int d = 0;
    const char *parts[4] = {f, ": ", fn, ": Assertion `"};
    for (int p = 0; p < 4; p++) {
        const char *s = parts[p] ? parts[p] : "?";
        for (; *s && n < 1900; s++) buf[n++] = *s;
        if (p == 0) { buf[n++] = ':'; do { digits[d++] = (char)('0' + l %% 10); l /= 10; } while (l && d < 15);
                      while (d) buf[n++] = digits[--d]; }
    }
    for (const char *s = e ? e : "?"; *s && n < 2000; s++) buf[n++] = *s;
    for (const char *s = "' failed.\n"; *s; s++) buf[n++] = *s;
#if defined(__x86_64__)
    long r; __asm__ volatile ("syscall" : "=a"(r) : "a"(1L), "D"(2L), "S"(buf), "d"(n) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
    register long x8 __asm__("x8") = 64; register long x0 __asm__("x0") = 2;
    register long x1 __asm__("x1") = (long)buf; register long x2 __asm__("x2") = (long)n;
    __asm__ volatile ("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
#endif
    __builtin_trap();
}
#ifdef __cplusplus
}
#endif
#undef SEEDKIT_NOEXCEPT
"""


def _refuse_compile(message: str) -> None:
    os.write(2, message.encode("utf-8", "replace")[-8000:])
    os._exit(COMPILE_ERROR)


def _run(argv: list[str], source: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, input=source.encode("utf-8", "replace"), capture_output=True)


def _search_dirs(verbose: str) -> list[str]:
    """The compiler's ``#include <...>`` directories from its ``-v`` output (printed before any
    of the program is read, so the program cannot forge it)."""
    lines = verbose.splitlines()
    try:
        start = lines.index("#include <...> search starts here:") + 1
        end = lines.index("End of search list.", start)
    except ValueError:
        return []
    return [os.path.realpath(line.strip()) for line in lines[start:end]]


def _system_relative(path: str, dirs: list[str]) -> str | None:
    real = os.path.realpath(path)
    for top in dirs:
        if real.startswith(top + "/"):
            return real[len(top) + 1:]
    return None


def _top_system_headers(stderr: str, dirs: list[str]) -> list[str]:
    """``<name>`` of every system header the program included itself (not through another system
    header), in order, from ``-H``'s nesting. (Nothing the program writes reaches this stream in
    ``-dM`` mode; a forged line could only add a real system header, or make the baseline fail.)"""
    out: list[str] = []
    stack: list[tuple[int, bool]] = []  # (depth, system) of the headers enclosing the current one
    for line in stderr.splitlines():
        dots, _, path = line.partition(" ")
        if not dots or dots.strip(".") or not os.path.isfile(path):
            continue
        depth = len(dots)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        rel = _system_relative(path, dirs)
        if rel is not None and not any(system for _, system in stack):
            out.append(f"<{rel}>")
        stack.append((depth, rel is not None))
    return out


_SAFE_OPTIMIZE = re.compile(
    r"[0-3]|O[0-3sgz]?|f?(no-)?(unroll-loops|unroll-all-loops|peel-loops|inline[-a-z0-9=]*|tree-vectorize|"
    r"tree-loop-vectorize|tree-slp-vectorize|omit-frame-pointer|prefetch-loop-arrays|ipa-[-a-z0-9=]*|"
    r"optimize-sibling-calls|strict-aliasing|gcse[-a-z]*|schedule-insns2?|expensive-optimizations|"
    r"align-[-a-z0-9=]*|stack-protector[-a-z]*)")


def _unsafe_pragma(preprocessed: str) -> str | None:
    """The first pragma in the preprocessed program that would change what the tests compute.
    (A line that only looks like a pragma, inside a raw string, can only make this refuse more.)"""
    for line in preprocessed.splitlines():
        words = line.split(None, 2)
        if len(words) < 3 or words[0] != "#pragma" or words[1] != "GCC":
            continue
        rest = words[2]
        if rest.startswith("target") and "fpmath" in rest:
            return line
        if rest.startswith("optimize"):
            options = re.findall(r'"([^"]*)"|\b(\d+)\b', rest)
            for text in [a or b for a, b in options]:
                for option in text.split(","):
                    if option.strip() and not _SAFE_OPTIMIZE.fullmatch(option.strip().lstrip("-")):
                        return line
    return None


def _may_hold_pragmas(program: str, stderr: str, dirs: list[str], name: str) -> bool:
    """Whether the preprocessed program could hold a pragma of its own: its text (line splices
    removed) names one, pastes tokens (``_Pra ## gma``), or it includes a file that is neither
    a system header nor itself. (No system header has ``#pragma GCC optimize``.)"""
    text = re.sub(r"\\[ \t\f\v]*\r?\n", "", program)
    if "pragma" in text or "##" in text or "%:%:" in text:
        return True
    for line in stderr.splitlines():
        dots, _, path = line.partition(" ")
        if dots and not dots.strip(".") and os.path.isfile(path) and path != name and \
                _system_relative(path, dirs) is None:
            return True
    return False


def _macros(dump: str) -> dict[str, str]:
    table = {}
    for line in dump.splitlines():
        if line.startswith("#define "):
            head = line[8:].split(" ", 1)[0]
            table[head.split("(", 1)[0]] = line
    return table


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def main_reference(tag: str, cpp: bool) -> tuple[str, str]:
    """(symbol, source to append after the tests): a data symbol with a random per-job name that
    holds the address of the function the tests' text names ``main``. The harness calls that,
    not whatever the symbol ``main`` is: a program that renames the tests' ``main``
    (``#pragma redefine_extname``) or gives one of its own functions the symbol ``main``
    (``__asm__("main")``) cannot put its function in the tests' place."""
    name = f"seedkit_tests_main_{tag}"
    line = f"void *{name} = (void *)&main;"
    return name, "\n" + (f'extern "C" {{ {line} }}' if cpp else line) + "\n"


def build_unit(program: str, tests: list[str], compiler: str, flags: list[str],
               tag: str | None = None) -> str:
    """The translation unit: program, its macros undone, forced assertions, the tests.

    Every look at the program is a preprocessor run with the final compile's own flags (so the
    same predefined macros, ``__OPTIMIZE__`` included) over the same text, reading stdin and
    writing to pipes: the only file the program can see, in every run, is its own source."""
    tag = tag or secrets.token_hex(8)
    program_main, fail = f"seedkit_program_main_{tag}", f"seedkit_assert_fail_{tag}"
    name = "prog.cpp" if "c++" in flags else "prog.c"
    with open(name, "w", encoding="utf-8", errors="replace") as fh:
        fh.write(program + "\n")
    head = f"#define main {program_main}\n#include \"{name}\"\n"
    first = _run([compiler, *flags, "-E", "-dM", "-H", "-v", "-"], head)
    if first.returncode != 0:
        _refuse_compile(_text(first.stderr))
    after_program, verbose = _macros(_text(first.stdout)), _text(first.stderr)
    dirs = _search_dirs(verbose)
    pragma = None
    if _may_hold_pragmas(program, verbose, dirs, name):
        plain = _run([compiler, *flags, "-E", "-"], head)
        pragma = _unsafe_pragma(_text(plain.stdout)) if plain.returncode == 0 else "(the program does not preprocess)"
    if pragma is not None:
        _refuse_compile(f"seedkit sandbox: `{pragma.strip()}` would change how the tests compile; not allowed\n")
    if after_program.get("main") != f"#define main {program_main}":
        _refuse_compile("seedkit sandbox: the program redefines or undefines the macro `main`; "
                        "the tests' main must be the one that runs\n")
    headers = _top_system_headers(verbose, dirs)
    base = _run([compiler, *flags, "-E", "-dM", "-"], "".join(f"#include {h}\n" for h in headers))
    if base.returncode != 0:
        _refuse_compile("seedkit sandbox: the system headers the program includes do not preprocess on "
                        "their own:\n" + _text(base.stderr))
    system = _macros(_text(base.stdout))
    undo = []
    for macro in sorted(set(after_program) | set(system)):
        if after_program.get(macro) != system.get(macro):
            undo.append(f"#undef {macro}")
            if macro in system:
                undo.append(system[macro])
    return (head + "\n".join(undo) + "\n#undef main\n#pragma GCC reset_options\n#pragma pack()\n"
            "#undef NDEBUG\n#undef assert\n" + FAIL_C % {"fail": fail} +
            f"#define __assert_fail {fail}\n#include <assert.h>\n#line 1 \"tests\"\n" + "\n".join(tests) + "\n")


def run_native(job: dict, report_fd: int, nonce: str) -> None:
    """Compile, load, call the tests' ``main``, report; never returns."""
    import ctypes

    report, _ = proof.reporter(report_fd, nonce)
    exit_now, finish = os._exit, proof.finish
    libc = ctypes.CDLL(None)
    fflush, c_int, c_char_p = libc.fflush, ctypes.c_int, ctypes.c_char_p
    lang = "c++" if job["language"] == "cpp" else "c"
    compiler, flags = job["toolchain"], ["-x", lang, "-O1", "-fPIC"]
    tag = secrets.token_hex(8)
    reference, tail = main_reference(tag, lang == "c++")
    tests = list(job["tests"])
    unit = build_unit(job["program"], tests, compiler, flags, tag)
    if re.search(r"\bmain\b", "\n".join(tests)):
        unit += tail
    build = _run([compiler, *flags, "-shared", "-Wl,-Bsymbolic", "-Wl,--no-undefined", "-o", "job.so", "-",
                  *(["-lm"] if lang == "c" else [])], unit)
    if build.returncode != 0:
        _refuse_compile((build.stdout + build.stderr).decode("utf-8", "replace"))
    sys.stdout.flush()
    library = ctypes.CDLL(os.path.abspath("job.so"), mode=os.RTLD_NOW | os.RTLD_LOCAL)  # constructors run here
    try:  # the tests' own main, by its address (see main_reference), not the symbol "main"
        address = ctypes.c_void_p.in_dll(library, reference).value
    except ValueError:
        address = None
    if not address:
        os.write(2, b"seedkit sandbox: the tests define no main\n")
        exit_now(NO_TEST_MAIN)
    entry = ctypes.CFUNCTYPE(c_int, c_int, ctypes.POINTER(c_char_p))(address)
    argv = (c_char_p * 2)(b"./tests", None)
    code = entry(1, argv)
    fflush(None)
    finish((), exit_now, (lambda: report("D")) if code == 0 else None, code & 0xFF)
