"""Python judged apart: what crosses from the candidate (plain data, handles), what the tests can
still do with the candidate's functions and objects, and that every canonical solution passes."""

from __future__ import annotations

import math

import pytest

from seedkit.problems import load_humaneval
from seedkit.sandbox import Job, run_jobs, run_one
from seedkit.sandbox.server.judged_data import NotPlainData, decode, encode


def _round_trip(value):
    refs: list = []

    def ref(obj) -> int:
        refs.append(obj)
        return len(refs) - 1

    return decode(encode(value, ref), lambda n, base=None: ("handle", n) if base is None else ("plain", n, base)), refs


def test_plain_data_crosses_with_its_exact_types():
    value = [None, True, 0, -(1 << 80), 1.5, -0.0, "é\ud800", b"\x00\xff", (1, [2]), {(1, "a"): {3}}, set()]
    back, refs = _round_trip(value)
    assert back == value and refs == []
    assert [type(v) for v in back] == [type(v) for v in value]
    assert math.copysign(1, back[5]) == -1 and type(back[8]) is tuple and type(back[9][(1, "a")]) is set
    nan, _ = _round_trip(float("nan"))
    assert math.isnan(nan)


def test_anything_else_crosses_as_a_handle():
    class Yes(int):
        def __eq__(self, other):
            return True

    back, refs = _round_trip([Yes(1), object(), len])
    assert back == [("plain", 0, 1), ("handle", 1), ("handle", 2)] and len(refs) == 3  # the subclass: its int value
    assert type(back[0][2]) is int


@pytest.mark.parametrize("data", [{"t": 1}, {"x": []}, {"d": [[[1], 2]]}, {"b": "zz"}, {"i": "12"}, {"t": [], "s": []}])
def test_malformed_data_is_refused(data):
    with pytest.raises(NotPlainData):
        decode(data, lambda n: n)


def test_too_deep_is_refused():
    deep: list = []
    for _ in range(300):
        deep = [deep]
    with pytest.raises(NotPlainData):
        encode(deep, lambda obj: 0)


TESTS_OF_SHAPES = {
    "mutation in place": ("def srt(x):\n    x.sort()\n", "a = [3, 1, 2]\nsrt(a)\nassert a == [1, 2, 3]\n"),
    "dict mutated": ("def put(d):\n    d['k'] = 1\n", "d = {}\nput(d)\nassert d == {'k': 1}\n"),
    "objects and methods": ("class Stack:\n    def __init__(self):\n        self.items = []\n"
                            "    def push(self, x):\n        self.items.append(x)\n"
                            "    def pop(self):\n        return self.items.pop()\n",
                            "s = Stack()\ns.push(4)\ns.push(5)\nassert s.pop() == 5\nassert len(s.items) == 1\n"),
    "exceptions keep their built-in class": ("def f(x):\n    if x < 0:\n        raise ValueError('negative')\n"
                                             "    return x\n",
                                             "try:\n    f(-1)\n    assert False\nexcept ValueError:\n    pass\n"),
    "subclass exceptions too": ("class Bad(KeyError):\n    pass\ndef f():\n    raise Bad('x')\n",
                                "try:\n    f()\nexcept KeyError:\n    pass\n"),
    "constants and helpers of the program": ("LIMIT = 10\ndef helper(x):\n    return x * 2\n"
                                             "def f(x):\n    return helper(x) + LIMIT\n",
                                             "assert f(1) == helper(1) + LIMIT == 12\n"),
    "modules the program imported": ("import math\ndef f(x):\n    return math.sqrt(x)\n",
                                     "assert math.isclose(f(4.0), 2.0)\n"),
    "kwargs, floats, tuples, big ints": ("def f(a, *, b=0):\n    return (a / 3, 2 ** 100 + b)\n",
                                         "r = f(1, b=1)\nassert type(r) is tuple and abs(r[0] - 1 / 3) < 1e-12\n"
                                         "assert r[1] == 2 ** 100 + 1\n"),
}


@pytest.mark.parametrize("shape", list(TESTS_OF_SHAPES))
def test_test_shapes_that_work_apart(shape):
    program, tests = TESTS_OF_SHAPES[shape]
    result = run_one(Job(program, tests))
    assert result.passed and result.judge == "apart", result


def test_comparing_or_testing_a_candidate_object_fails_with_a_reason():
    program = "class P:\n    def __eq__(self, other):\n        return True\ndef f():\n    return P()\n"
    results = run_jobs([Job(program, "assert f() == 1\n"), Job(program, "assert f()\n"),
                        Job(program, "assert f() in [1]\n"), Job(program, "assert f() == 1\n", judge="in_process")],
                       workers=2, progress=False)
    assert [(r.status, r.error_type) for r in results[:3]] == [("error", "NotPlainData")] * 3, results
    assert "plain data" in results[0].stderr_tail
    assert results[3].passed and results[3].judge == "in_process"  # the in-process harness shares objects


def test_every_humaneval_canonical_solution_passes_apart():
    problems = load_humaneval()
    results = run_jobs([Job(p.reference, p.tests, entry_point=p.entry_point) for p in problems], workers=2,
                       progress=False)
    failing = [(p.task_id, r.status, r.error_type) for p, r in zip(problems, results, strict=True) if not r.passed]
    assert failing == [] and {r.judge for r in results} == {"apart"}


def test_a_standard_module_name_in_the_tests_is_the_judges_own():
    """Tests that use ``math`` without importing it (relying on the program's import) get the
    judge's math, never an object the program bound to that name."""
    fake = ("class _M:\n    def isclose(self, *a, **k):\n        return True\n    pi = 3\n"
            "math = _M()\nos = _M()\ndef f(x):\n    return 0.0\n")
    honest = "import math\ndef f(x):\n    return math.sqrt(x)\n"
    tests = "assert math.isclose(f(4.0), 2.0)\n"
    results = run_jobs([Job(fake, tests), Job(honest, tests)], workers=2, progress=False)
    assert (results[0].status, results[0].error_type) == ("failed", "AssertionError"), results[0]
    assert results[1].passed, results[1]


def test_in_on_a_candidate_object_is_decided_in_the_judge():
    """``x in obj`` asks the candidate for obj's items, never for the answer."""
    liar = "class _All:\n    def __contains__(self, x):\n        return True\n    def __iter__(self):\n" \
           "        return iter(())\ndef f():\n    return _All()\n"
    subclass = "class L(list):\n    pass\ndef f():\n    return L([3, 4])\n"
    results = run_jobs([Job(liar, "assert 3 in f()\n"), Job(subclass, "assert 3 in f() and 5 not in f()\n")],
                       workers=2, progress=False)
    assert (results[0].status, results[0].error_type) == ("failed", "AssertionError"), results[0]
    assert results[1].passed, results[1]


def test_stop_iteration_from_the_candidate_does_not_end_the_tests_iteration():
    tests = "assert all(map(f, [1, 2, 3]))\nassert list(filter(f, [1, -1])) == [1]\n"
    results = run_jobs([Job("def f(x):\n    raise StopIteration\n", tests),
                        Job("def f(x):\n    return x > 0\n", tests)], workers=2, progress=False)
    assert (results[0].status, results[0].error_type) == ("error", "RuntimeError"), results[0]
    assert results[1].passed, results[1]


def test_the_problems_helpers_come_from_its_support_not_the_candidate():
    """HumanEval/38's tests call the prompt's encode_cyclic: a completion that redefines it (and
    decodes with the identity) passes unless the prompt runs as the job's support."""
    problem = next(p for p in load_humaneval() if p.task_id == "HumanEval/38")
    hack = problem.prompt + "    return s\n\ndef encode_cyclic(s):\n    return s\n"
    results = run_jobs([Job(hack, problem.tests, entry_point=problem.entry_point),
                        Job(hack, problem.tests, entry_point=problem.entry_point, support=problem.prompt),
                        Job(problem.reference, problem.tests, entry_point=problem.entry_point, support=problem.prompt)],
                       workers=2, progress=False)
    assert results[0].passed  # what the support is for
    assert (results[1].status, results[1].error_type) == ("failed", "AssertionError"), results[1]
    assert results[2].passed, results[2]


def test_every_humaneval_canonical_solution_passes_with_its_prompt_as_support():
    problems = load_humaneval()
    results = run_jobs([Job(p.reference, p.tests, entry_point=p.entry_point, support=p.prompt) for p in problems],
                       workers=2, progress=False)
    failing = [(p.task_id, r.status, r.error_type) for p, r in zip(problems, results, strict=True) if not r.passed]
    assert failing == []


def test_subclasses_of_plain_types_cross_as_their_base_types_contents():
    """Counter, defaultdict, namedtuple, IntEnum: honest results that compare as their base type;
    an override (an __eq__ that always says yes, a lying __iter__ or items) takes no part; a
    stack of the program's built on list keeps its own methods (a handle)."""
    honest = ("import collections, enum\nclass C(enum.IntEnum):\n    RED = 1\n"
              "P = collections.namedtuple('P', 'x y')\n"
              "def f(s):\n    return collections.Counter(s)\ndef g():\n    d = collections.defaultdict(list)\n"
              "    d['a'].append(1)\n    return d\ndef h():\n    return P(1, 2)\ndef k():\n    return C.RED\n")
    tests = ("assert f('aab') == {'a': 2, 'b': 1} and f('aab').most_common(1) == [('a', 2)]\n"
             "assert g() == {'a': [1]}\nassert h() == (1, 2) and h().y == 2 and isinstance(h(), tuple)\n"
             "assert k() == 1 and k().name == 'RED' and {k(): 'x'}[1] == 'x'\n")
    liar = ("class D(dict):\n    def __eq__(self, o):\n        return True\n    def items(self):\n        return [('a', 2)]\n"
            "class L(list):\n    def __iter__(self):\n        return iter([1, 2])\n"
            "def f(s):\n    return D()\ndef g():\n    return L()\n")
    results = run_jobs([Job(honest, tests), Job(liar, "assert f('aa') == {'a': 2}\n"),
                        Job(liar, "assert g() == [1, 2]\n")], workers=2, progress=False)
    assert results[0].passed, results[0]
    # a dict or list subclass of the program's own stays a handle: its comparisons are refused
    assert [(r.status, r.error_type) for r in results[1:]] == [("error", "NotPlainData")] * 2, results


def test_a_list_subclass_with_methods_of_its_own_keeps_them():
    program = ("class Stack(list):\n    def push(self, x):\n        self.append(x)\n    def peek(self):\n"
               "        return self[-1]\ndef make():\n    return Stack()\n")
    tests = "s = make()\ns.push(1)\ns.push(2)\nassert s.peek() == 2 and s.pop() == 2 and len(s) == 1\n"
    result = run_one(Job(program, tests))
    assert result.passed, result
