"""C and C++ judged apart: the tests' ``main`` runs in a process where no candidate code has run.

The program is compiled on its own (its ``main``, if any, renamed) and linked with a generated
*dispatcher* into the candidate's executable, which runs in its enclosure (:mod:`enclosure`:
no report pipe, no nonce, no ``/proc``, a ``/tmp`` of its own). The tests are compiled without
the program: with the system headers the program included, and, for each function of the
program they can call, a generated *stub* of the same signature that sends the arguments to
the candidate and returns what it answers. The judge (this process, which holds the report
pipe and the nonce and is not dumpable) loads the tests and calls their ``main``. Nothing the
program defines (an ``operator==`` that says yes to everything, macros, ``NDEBUG``, symbols,
constructors) is in the judge: the tests' comparisons and assertions are the language's own.

Which functions cross: those the program defines with external linkage whose parameter and
return types are plain data (see :mod:`native_wire`): arithmetic types and ``bool``;
``char *``/``const char *`` as NUL-terminated strings; a pointer to an arithmetic type directly
followed by an integer parameter, as an array of that many items, and otherwise as one item
(an output parameter: ``int *result``); in C++ also ``std::string``,
``vector``, ``map``, ``set``, ``unordered_map``, ``unordered_set``, ``pair`` and ``tuple`` of
plain types, by value or reference. A non-const string, array or reference argument is
updated after the call with the candidate's copy; a C++ exception crosses as the nearest
standard exception class with its message. Functions of other signatures (a struct of the
program's, a function pointer, templates, overloaded names, ``static`` functions), and the
program's global variables, types and macros, are not declared to the tests, whose compile then
fails naming the functions that could cross (``CompileError``); such tests need
``Job(judge="in_process")``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

from . import proof
from .enclosure import Enclosure, place
from .libc import IS_LINUX, prctl
from .native import NO_TEST_MAIN, _refuse_compile, _search_dirs, _top_system_headers, main_reference
from .native_wire import wire_source

PR_SET_DUMPABLE = 4
INT_WORDS = {"signed", "unsigned", "short", "long", "int", "char"}
TYPEDEFS = {"size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "int8_t", "int16_t", "int32_t", "int64_t",
            "uint8_t", "uint16_t", "uint32_t", "uint64_t"}
FLOATS = {"float", "double", "long double"}
BOOLS = {"bool", "_Bool"}
STRINGS = {"std::string", "std::__cxx11::string", "std::__cxx11::basic_string<char>", "std::basic_string<char>"}
CONTAINERS = {"std::vector": 1, "std::set": 1, "std::unordered_set": 1, "std::map": 2, "std::unordered_map": 2,
              "std::pair": 2, "std::tuple": None}
EXCEPTIONS = ["std::invalid_argument", "std::domain_error", "std::length_error", "std::out_of_range",
              "std::logic_error", "std::range_error", "std::overflow_error", "std::underflow_error",
              "std::runtime_error", "std::bad_alloc", "std::exception"]


class Param:
    """``kind``: scalar, value (C++ plain type), cstr, array; ``ref``: val, ref, cref, rref."""

    def __init__(self, kind: str, type_: str, const: bool = False, ref: str = "val") -> None:
        self.kind, self.type, self.const, self.ref = kind, type_, const, ref
        self.counted = False  # an array whose length is the next parameter (else one item)

    def decl(self, name: str) -> str:
        if self.kind == "cstr":
            return f"{'const ' if self.const else ''}char *{name}"
        if self.kind == "array":
            return f"{'const ' if self.const else ''}{self.type} *{name}"
        prefix = "const " if self.ref == "cref" else ""
        suffix = {"val": "", "ref": "&", "cref": "&", "rref": "&&"}[self.ref]
        return f"{prefix}{self.type} {suffix}{name}"

    @property
    def written_back(self) -> bool:
        return (self.kind in ("cstr", "array") and not self.const) or self.ref == "ref"


def scalar(text: str) -> str | None:
    t = " ".join(text.split())
    if t.startswith("std::") and t[5:] in TYPEDEFS:
        return t
    if t in TYPEDEFS or t in FLOATS or t in BOOLS:
        return t
    words = t.split()
    return t if words and all(w in INT_WORDS for w in words) and words.count("char") + words.count("int") <= 1 \
        else None


def split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:k].strip())
            start = k + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def plain_type(text: str, cpp: bool) -> str | None:
    t = " ".join(text.split())
    if t.startswith("const "):
        t = t[6:]
    found = scalar(t)
    if found or not cpp:
        return found
    if t in STRINGS:
        return "std::string"
    match = re.fullmatch(r"(std::[a-z_]+)<(.*)>", t)
    if match and match.group(1) in CONTAINERS:
        args = split_top(match.group(2))
        want = CONTAINERS[match.group(1)]
        parts = [plain_type(a, cpp) for a in args]
        if not parts or None in parts or (want is not None and len(parts) != want):
            return None
        return f"{match.group(1)}<{', '.join(parts)} >"
    return None


def parse_param(text: str, cpp: bool) -> Param | None:
    t = " ".join(text.replace(" *", "*").replace("* ", "*").split())
    ref = "val"
    if cpp and t.endswith("&&"):
        ref, t = "rref", t[:-2].strip()
    elif cpp and t.endswith("&"):
        ref, t = "ref", t[:-1].strip()
    const = t.startswith("const ")
    if const:
        t = t[6:]
    if t.endswith(" const"):
        const, t = True, t[:-6]
    if t.endswith("*"):
        base = t[:-1].strip()
        if base.endswith("*") or ref != "val":
            return None
        if base.startswith("const "):
            const, base = True, base[6:]
        if base == "char":
            return Param("cstr", "char", const)
        element = scalar(base)
        return Param("array", element, const) if element and element not in BOOLS else None
    found = plain_type(t, cpp)
    if found is None:
        return None
    if ref == "ref" and const:
        ref = "cref"
    kind = "scalar" if not cpp else "value"
    return Param(kind, found, const and ref == "val", ref) if cpp or ref == "val" else None


def parse_return(text: str, cpp: bool) -> Param | None | str:
    """A Param, "void", or None (not plain)."""
    t = " ".join(text.replace(" *", "*").split())
    if t == "void":
        return "void"
    if t.endswith("&"):
        return None
    param = parse_param(t, cpp)
    if param is None or param.kind == "array":
        return None
    param.ref = "val"
    return param


class Function:
    def __init__(self, name: str, ret: Param | str, params: list[Param]) -> None:
        self.name, self.ret, self.params = name, ret, params


def _bridge(name: str, ret_text: str, param_texts: list[str], cpp: bool) -> Function | None:
    ret = parse_return(ret_text, cpp)
    params = [parse_param(p, cpp) for p in param_texts]
    if ret is None or None in params:
        return None
    for k, p in enumerate(params):  # an array's length is the integer right after it, else one item
        p.counted = p.kind == "array" and k + 1 < len(params) and params[k + 1].kind in ("scalar", "value") and \
            params[k + 1].ref in ("val", "cref") and params[k + 1].type not in FLOATS | BOOLS and \
            bool(scalar(params[k + 1].type))
    return Function(name, ret, params)


def _strip_c_name(text: str) -> str:
    """A C parameter's type without its name (``const int *arr`` -> ``const int *``)."""
    t = text.strip()
    if "*" in t:
        head, _, tail = t.rpartition("*")
        return head + "*" if re.fullmatch(r"\s*[A-Za-z_]\w*\s*|\s*", tail) else t
    words = t.split()
    known = INT_WORDS | TYPEDEFS | BOOLS | {"float", "double", "const", "void"}
    if len(words) > 1 and words[-1] not in known:
        words = words[:-1]
    return " ".join(words)


def discover_c(aux: str, source: str) -> tuple[list[Function], list[str]]:
    found, skipped = [], []
    for line in aux.splitlines():
        match = re.match(r"/\* " + re.escape(source) + r":\d+:[NO]F \*/ extern (.*?) \((.*)\);", line)
        if not match:
            continue
        head, params = match.group(1), match.group(2)
        name_match = re.search(r"([A-Za-z_]\w*)$", head)
        if not name_match:
            continue
        name = name_match.group(1)
        if name.startswith("seedkit_"):
            continue
        texts = [] if params.strip() == "void" else [_strip_c_name(p) for p in split_top(params)]
        function = _bridge(name, head[: name_match.start()], texts, cpp=False)
        (found.append(function) if function else skipped.append(name))
    return found, skipped


def discover_cpp(dump: str, symbols: str) -> tuple[list[Function], list[str]]:
    """Functions of the program from the compiler's tree dump, kept where ``nm`` shows an external
    definition of a global (unqualified) name defined once."""
    defined: dict[str, int] = {}
    for line in symbols.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] == "T":
            name = parts[2].split("(", 1)[0]
            if re.fullmatch(r"[A-Za-z_]\w*", name):
                defined[name] = defined.get(name, 0) + 1
    found, skipped = [], []
    for line in dump.splitlines():
        match = re.match(r";; Function (.*) \(null\)$", line)
        if not match or "[with" in match.group(1):
            continue
        text = match.group(1)
        if not text.endswith(")"):
            continue
        depth, k = 0, len(text) - 1
        while k >= 0:
            depth += {")": 1, "(": -1}.get(text[k], 0)
            if depth == 0:
                break
            k -= 1
        name_match = re.search(r"(^|[^:\w])([A-Za-z_]\w*)$", text[:k])
        if not name_match:
            continue
        name = name_match.group(2)
        if defined.get(name) != 1 or name.startswith("seedkit_") or name == "main":
            continue
        function = _bridge(name, text[: name_match.start(2)], split_top(text[k + 1:-1]), cpp=True)
        (found.append(function) if function else skipped.append(name))
    return found, skipped


# --------------------------------------------------------------------------- generated code


def _put(p: Param, var: str, out: str, cpp: bool, count: str = "") -> str:
    if p.kind == "cstr":
        return f"sk_put_cstr(&{out}, {var});"
    if p.kind == "array":
        return f"sk_put_array(&{out}, {var}, {count}, sizeof *{var});"
    if cpp:
        return f"sk::put({out}, {var});"
    if p.type in BOOLS:
        return f"{{ unsigned char b_ = {var} ? 1 : 0; sk_put_raw(&{out}, &b_, 1); }}"
    return f"sk_put_raw(&{out}, &{var}, sizeof {var});"


def _get_new(p: Param, var: str, cpp: bool) -> str:
    """Declare ``var`` and read it (the reader ``i``)."""
    if p.kind == "cstr":
        return f"char *{var} = sk_get_cstr(&i);"
    if p.kind == "array":
        return f"uint64_t n_{var}; {p.type} *{var} = ({p.type} *)sk_get_array(&i, &n_{var}, sizeof({p.type}));"
    if cpp:
        return f"{p.type} {var}{{}}; sk::get(i, {var});"
    if p.type in BOOLS:
        return f"{p.type} {var} = sk_get_bool(&i);"
    return f"{p.type} {var}; sk_get_raw(&i, &{var}, sizeof {var});"


def _ret_decl(ret: Param | str) -> str:
    if ret == "void":
        return "void"
    if ret.kind == "cstr":
        return f"{'const ' if ret.const else ''}char *"
    return ret.type


def _signature(f: Function) -> str:
    return f"{_ret_decl(f.ret)} {f.name}({', '.join(p.decl(f'a{k}') for k, p in enumerate(f.params)) or 'void'})"


JUDGE_CALL = r"""
int seedkit_candidate_pid = 0;
static void sk_mirror(void) {
    int status = 0;
    fflush(NULL);
    if (waitpid(seedkit_candidate_pid, &status, 0) < 0) _exit(1);
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        sigset_t set; sigemptyset(&set); sigaddset(&set, sig); sigprocmask(SIG_UNBLOCK, &set, NULL);
        signal(sig, SIG_DFL); raise(sig); _exit(128 + sig);
    }
    _exit(WEXITSTATUS(status));
}
static sk_in sk_call(sk_out *o) {
    size_t n = 0;
    if (!seedkit_candidate_pid) sk_bad("the tests called the program before their main (a static initialiser)");
    if (!sk_send(6, o)) sk_mirror();
    free(o->p);
    unsigned char *p = sk_receive(5, &n);
    if (!p) sk_mirror();
    sk_in i = {p, p + n};
    unsigned char status = sk_get_bool(&i);
    if (status) {
#ifdef __cplusplus
        unsigned char kind; std::string message;
        sk::get(i, kind); sk::get(i, message);
        switch (kind) {
%(throws)s
        default: throw seedkit_candidate_exception();
        }
#else
        sk_bad("a C function cannot throw");
#endif
    }
    return i;
}
static void sk_end(sk_in *i) { if (i->p != i->end) sk_bad("a reply longer than its type"); }
"""


def judge_stub(k: int, f: Function, cpp: bool) -> str:
    lines = [_signature(f) + " {", f"    sk_out o = {{0, 0, 0}}; uint32_t id = {k}; sk_put_raw(&o, &id, 4);"]
    for j, p in enumerate(f.params):
        if p.kind == "array":
            count = f"sk_length((long long)a{j + 1})" if p.counted else "1"
            lines.append(f"    uint64_t n{j} = a{j} ? {count} : 0;")
        lines.append("    " + _put(p, f"a{j}", "o", cpp, f"n{j}"))
    lines.append("    sk_in i = sk_call(&o);")
    if f.ret != "void":
        if f.ret.kind == "cstr":
            lines.append("    char *r = sk_get_cstr(&i);")
        else:
            lines.append("    " + _get_new(f.ret, "r", cpp))
    for j, p in enumerate(f.params):
        if not p.written_back:
            continue
        if p.kind == "cstr":
            lines.append(f"    {{ char *t = sk_get_cstr(&i); if (t && a{j}) {{ size_t L = strlen(a{j}), m = strlen(t);"
                         f" if (m > L) m = L; memcpy(a{j}, t, m); a{j}[m] = 0; }} }}")
        elif p.kind == "array":
            lines.append(f"    sk_get_array_into(&i, a{j}, n{j}, sizeof *a{j});")
        else:
            lines.append(f"    sk::get(i, a{j});")
    lines.append("    sk_end(&i);")
    if f.ret != "void":
        lines.append("    return r;")
    lines.append("}")
    return "\n".join(lines)


def dispatch_case(k: int, f: Function, cpp: bool) -> str:
    lines = [f"    case {k}: {{"]
    for j, p in enumerate(f.params):
        lines.append("        " + _get_new(p, f"a{j}", cpp))
    args = ", ".join(f"std::move(a{j})" if p.ref == "rref" else f"a{j}" for j, p in enumerate(f.params))
    if f.ret == "void":
        lines.append(f"        {f.name}({args});")
    else:
        lines.append(f"        {_ret_decl(f.ret)} r = {f.name}({args});")
        lines.append("        " + _put(f.ret, "r", "o", cpp))
    for j, p in enumerate(f.params):
        if p.written_back:
            lines.append("        " + _put(p, f"a{j}", "o", cpp, f"n_a{j}"))
    lines.append("        break;\n    }")
    return "\n".join(lines)


CANDIDATE_MAIN = r"""
int main(void) {
    for (;;) {
        size_t n = 0;
        unsigned char *request = sk_receive(3, &n);
        if (!request) for (;;) pause();
        sk_in i = {request, request + n};
        uint32_t id = 0; sk_get_raw(&i, &id, 4);
        sk_out o = {0, 0, 0};
        unsigned char ok = 0; sk_put_raw(&o, &ok, 1);
#ifdef __cplusplus
        try {
#endif
        switch (id) {
%(cases)s
        default: sk_bad("unknown function");
        }
#ifdef __cplusplus
        } catch (...) {
            o.n = 0;
            unsigned char failed = 1, kind = %(n_kinds)d; std::string message;
            try { throw; }
%(catches)s
            catch (...) {}
            sk_put_raw(&o, &failed, 1); sk::put(o, kind); sk::put(o, message.substr(0, 300));
        }
#endif
        fflush(NULL);
        if (!sk_send(4, &o)) _exit(0);
        free(o.p); free(request);
    }
}
"""


def _types(functions: list[Function]) -> list[str]:
    return [t.type for f in functions for t in [f.ret, *f.params] if isinstance(t, Param)]


def candidate_source(functions: list[Function], cpp: bool) -> str:
    head = "#include <stdio.h>\n#include <unistd.h>\n" + ("#include <stdexcept>\n#include <new>\n" if cpp else "")
    declarations = "\n".join(_signature(f) + ";" for f in functions)
    catches = "\n".join(f"            catch (const {e} &e) {{ kind = {k}; message = e.what(); }}"
                        for k, e in enumerate(EXCEPTIONS))
    cases = "\n".join(dispatch_case(k, f, cpp) for k, f in enumerate(functions))
    return head + wire_source(_types(functions), cpp) + declarations + "\n" + CANDIDATE_MAIN % {"cases": cases, "catches": catches,
                                                                     "n_kinds": len(EXCEPTIONS)}


def tests_source(functions: list[Function], headers: list[str], tests: list[str], cpp: bool,
                 usings: list[str]) -> str:
    throws = "\n".join(f"        case {k}: throw {e}({'' if e in ('std::bad_alloc', 'std::exception') else 'message'});"
                       for k, e in enumerate(EXCEPTIONS))
    head = "#undef NDEBUG\n" + "".join(f"#include {h}\n" for h in headers)
    head += "#include <assert.h>\n#include <signal.h>\n#include <stdio.h>\n#include <sys/wait.h>\n"
    if cpp:
        head += "#include <stdexcept>\n#include <new>\nstruct seedkit_candidate_exception {};\n"
    body = wire_source(_types(functions), cpp) + JUDGE_CALL % {"throws": throws} + "\n".join(judge_stub(k, f, cpp) for k, f in enumerate(functions))
    using = "".join(u + "\n" for u in usings) if cpp else ""
    return head + body + "\n" + using + '#line 1 "tests"\n' + "\n".join(tests) + "\n"


# --------------------------------------------------------------------------- the judge


def _discover(compiler: str, lang: str, wrapper: str, source: str) -> tuple[list[Function], list[str], str]:
    """Compile the program alone (to ``prog.o``); its bridgeable functions, the names it defines
    that cannot cross, and the compiler's ``-H -v`` output (the headers it included)."""
    cpp = lang == "c++"
    dump = ["-fdump-tree-original=stdout"] if cpp else ["-aux-info", "/dev/stdout"]
    build = subprocess.run([compiler, "-x", lang, "-O1", "-H", "-v", *dump, "-c", wrapper, "-o", "prog.o"],
                           capture_output=True)
    stderr = build.stderr.decode("utf-8", "replace")
    if build.returncode != 0:
        if "gcc version" not in stderr:  # clang (macOS's gcc/g++) has neither dump
            stderr += (f"\nseedkit sandbox: judging C/C++ apart reads the program's signatures with GCC's "
                       f"{dump[0]}; {compiler} is not GCC. Install GCC, or use Job(judge='in_process').\n")
        _refuse_compile(stderr)
    text = build.stdout.decode("utf-8", "replace")
    if not cpp:
        functions, skipped = discover_c(text, source)
    else:
        symbols = subprocess.run(["nm", "-C", "-g", "--defined-only", "prog.o"], capture_output=True)
        functions, skipped = discover_cpp(text, symbols.stdout.decode("utf-8", "replace"))
    reserved = library_names(compiler)
    skipped += [f"{f.name} (a C library name)" for f in functions if f.name in reserved or f.name.startswith("_")]
    functions = [f for f in functions if f.name not in reserved and not f.name.startswith("_")]
    return functions, skipped, stderr


def library_names(compiler: str) -> set[str]:
    """Every function the C and math libraries export: a program function of such a name
    (``strcmp``, ``abs``) is never bridged, so the tests' own calls of it, and the stubs' calls,
    stay the library's (the candidate cannot answer a ``strcmp`` the tests use to compare)."""
    names: set[str] = set()
    for library in ("libc.so.6", "libm.so.6"):
        path = subprocess.run([compiler, f"-print-file-name={library}"], capture_output=True, text=True).stdout.strip()
        if not os.path.isabs(path) or not os.path.exists(path):
            continue
        listing = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True).stdout
        names.update(parts[2].split("@", 1)[0] for parts in map(str.split, listing.splitlines()) if len(parts) >= 3)
    return names


def _compile(job: dict, tag: str) -> tuple[bytes, str]:
    """(the candidate's executable, the tests' shared object's path)."""
    lang = "c++" if job["language"] == "cpp" else "c"
    cpp = lang == "c++"
    compiler, ext = job["toolchain"], ("cpp" if cpp else "c")
    source = f"prog.{ext}"
    with open(source, "w", encoding="utf-8", errors="replace") as fh:
        fh.write(job["program"] + "\n")
    wrapper = f"candidate_program.{ext}"
    with open(wrapper, "w") as fh:
        fh.write(f'#define main seedkit_program_main_{tag}\n#include "{source}"\n')
    functions, skipped, verbose = _discover(compiler, lang, wrapper, source)
    headers = [h for h in _top_system_headers(verbose, _search_dirs(verbose))]
    with open(f"dispatch.{ext}", "w") as fh:
        fh.write(candidate_source(functions, cpp))
    tests = list(job["tests"])
    reference, tail = main_reference(tag, cpp)
    # the program's own using-declarations of the standard library (tests written beside it use them)
    usings = sorted({" ".join(m.split()) for m in re.findall(r"^[ \t]*(using\s+(?:namespace\s+std|std::\w+)\s*;)",
                                                             job["program"], re.M)})
    unit = tests_source(functions, headers, tests, cpp, usings)
    if re.search(r"\bmain\b", "\n".join(tests)):
        unit += tail
    libs = [] if cpp else ["-lm"]
    candidate = subprocess.Popen([compiler, "prog.o", "-x", lang, "-O0", f"dispatch.{ext}", "-o", "candidate", *libs],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    build = subprocess.run([compiler, "-x", lang, "-O0", "-fPIC", "-shared", "-Wl,-Bsymbolic", "-Wl,--no-undefined", "-o", "tests.so",
                            "-", *libs], input=unit.encode("utf-8", "replace"), capture_output=True)
    linked = candidate.communicate()[0]
    if build.returncode != 0:
        note = (f"\nseedkit sandbox: the tests are judged apart from the program; they can call its functions "
                f"whose types are plain data (found: {', '.join(f.name for f in functions) or 'none'}"
                + (f"; not plain: {', '.join(skipped)}" if skipped else "") +
                "). Job(judge='in_process') compiles them with the program instead.\n")
        _refuse_compile((build.stdout + build.stderr).decode("utf-8", "replace") + note)
    if candidate.returncode != 0:
        _refuse_compile(linked.decode("utf-8", "replace"))
    with open("candidate", "rb") as fh:
        binary = fh.read()
    return binary, reference


def run_native_apart(job: dict, enclosure: Enclosure, report_fd: int, nonce: str) -> None:
    """Compile both sides, start the candidate, call the tests' ``main`` here; never returns."""
    import ctypes
    import secrets

    report, _ = proof.reporter(report_fd, nonce)
    if IS_LINUX:
        prctl(PR_SET_DUMPABLE, 0)
    exit_now, finish = os._exit, proof.finish
    tag = secrets.token_hex(8)
    binary, reference = _compile(job, tag)
    place({5: enclosure.replies, 6: enclosure.requests})
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a dead candidate is EPIPE, then its death mirrored
    sys.stdout.flush()
    library = ctypes.CDLL(os.path.abspath("tests.so"), mode=os.RTLD_NOW | os.RTLD_LOCAL)
    for name in os.listdir("."):  # nothing of the tests on disk once the candidate starts (fallback:
        if not os.path.isdir(name):  # its directory is beside these files)
            os.unlink(name)
    enclosure.start(["./candidate"], {"candidate": binary})
    ctypes.c_int.in_dll(library, "seedkit_candidate_pid").value = enclosure.pid
    try:
        address = ctypes.c_void_p.in_dll(library, reference).value
    except ValueError:
        address = None
    if not address:
        os.write(2, b"seedkit sandbox: the tests define no main\n")
        exit_now(NO_TEST_MAIN)
    entry = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p))(address)
    argv = (ctypes.c_char_p * 2)(b"./tests", None)
    code = entry(1, argv)
    ctypes.CDLL(None).fflush(None)
    finish((), exit_now, (lambda: report("D")) if code == 0 else None, code & 0xFF)
