"""Stage 04 verification: the sandbox, self-correction, tests written for mined functions."""

from __future__ import annotations

from fixtures.sft_fakes import (
    ScriptedGenerator,
    exec_runner,
    item,
)
from seedkit.sft import verify


def test_verification_loop_rescues_with_correction_and_bounds_attempts():
    ok = item(id="ok")
    fixable = item(id="fix", solution="def add(a, b):\n    return a - b\n")
    hopeless = item(id="bad", solution="def add(a, b):\n    return a * b\n")
    mined = item(id="doc", source="docstring", solution="def add(a, b):\n    return 0\n")
    gen = ScriptedGenerator([
        "```python\ndef add(a, b):\n    return a + b\n```",  # round 1: fixes 'fix'
        "I cannot fix this.",  # round 1: no code for 'bad'
        "```python\ndef add(a, b):\n    return a ** b\n```",  # round 2: still wrong for 'bad'
    ])
    stats = verify.verify_items([ok, fixable, hopeless, mined], generator=gen, max_correction_rounds=2,
                                runner=exec_runner, make_job_fn=lambda it: type(
                                    "J", (), {"program": it.solution, "tests": verify.split_tests(it.tests)})(),
                                progress=False)
    assert (ok.verified, ok.attempts) == (True, 1)
    assert (fixable.verified, fixable.attempts, fixable.history) == (True, 2, ["def add(a, b):\n    return a - b\n"])
    assert (hopeless.verified, hopeless.attempts, hopeless.verify_status) == (False, 3, "failed")
    assert (mined.verified, mined.attempts) == (False, 1)  # corpus code is never rewritten
    assert [len(c) for c in gen.calls] == [2, 1]  # round 1: fix + bad; round 2: bad only
    assert "AssertionError" in gen.calls[0][0][1]["content"]  # the error is fed back
    assert stats == {"checked": 4, "passed": 2, "passed_at_attempt": {"1": 1, "2": 1},
                     "rescued_by_correction": 1, "failed": 2, "failed_status": {"failed": 2}}


def test_verification_without_rounds_makes_one_attempt():
    bad = item(solution="def add(a, b):\n    return 0\n")
    gen = ScriptedGenerator(["```python\ndef add(a, b):\n    return a + b\n```"])
    verify.verify_items([bad], generator=gen, max_correction_rounds=0, runner=exec_runner,
                        make_job_fn=lambda it: type("J", (), {"program": it.solution, "tests": it.tests})(),
                        progress=False)
    assert (bad.verified, bad.attempts, gen.calls) == (False, 1, [])


def test_verification_through_the_real_sandbox():
    good, bad = item(id="g"), item(id="b", solution="def add(a, b):\n    raise ValueError('no')\n")
    stats = verify.verify_items([good, bad], generator=None, max_correction_rounds=1, progress=False, workers=2)
    assert good.verified and not bad.verified and bad.verify_status == "error"
    assert stats["passed"] == 1 and "ValueError" in bad.verify_error


def test_generated_tests_for_docstring_items_keep_only_asserts_the_solution_passes():
    mined = item(id="m", source="docstring", tests="assert callable(add)")
    doctested = item(id="d", source="docstring", tests="assert add(2, 2) == 4")
    gen = ScriptedGenerator(["```python\nassert add(1, 2) == 3\nassert add(1, 1) == 3\nassert other(1)\n"
                             "assert add(0, 0) == 0\n```"])
    job = lambda it: type("J", (), {"program": it.solution, "tests": [it.tests]})()  # noqa: E731
    counts = verify.add_generated_tests([mined, doctested], generator=gen, runner=exec_runner, make_job_fn=job,
                                        progress=False)
    assert mined.tests == "assert add(1, 2) == 3\nassert add(0, 0) == 0"
    assert doctested.tests == "assert add(2, 2) == 4" and len(gen.calls[0]) == 1  # only the untested item asked
    assert counts == {"asked": 1, "asserts_written": 3, "asserts_kept": 2, "items_with_tests": 1}


def test_split_tests():
    assert verify.split_tests("assert f(1)\nassert f(2) == 3") == ["assert f(1)", "assert f(2) == 3"]
    assert verify.split_tests("x = 1\nassert f(x)") == "x = 1\nassert f(x)"
