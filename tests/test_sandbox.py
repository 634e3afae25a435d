"""Sandbox: ordinary outcomes (hostile programs follow in the hardened version)."""

from __future__ import annotations

from seedkit.sandbox import Job, Limits, run_jobs, run_one

CHECK = "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(5) == 6\n"


def test_pass_fail_and_error_types():
    jobs = [
        Job("def inc(x):\n    return x + 1\n", CHECK, entry_point="inc"),
        Job("def inc(x):\n    return x\n", CHECK, entry_point="inc"),
        Job("def inc(x) return x\n", CHECK, entry_point="inc"),
        Job("def inc(x):\n    return y\n", CHECK, entry_point="inc"),
    ]
    results = run_jobs(jobs, workers=2, progress=False)
    assert [r.status for r in results] == ["passed", "failed", "error", "error"]
    assert [r.error_type for r in results] == [None, "AssertionError", "SyntaxError", "NameError"]
    assert results[0].tests_passed == 1 and results[0].tests_total == 1


def test_early_exit_is_not_a_pass():
    for program in ("import os\nos._exit(0)\n", "import sys\nsys.exit(0)\n", "raise SystemExit\n"):
        result = run_one(Job(program, "assert False"))
        assert result.status == "error", (program, result)


def test_timeout_and_memory():
    results = run_jobs([Job("while True:\n    pass\n", limits=Limits(wall_s=1.0, cpu_s=1.0)),
                        Job("x = bytearray(4 * 1024 ** 3)\n", limits=Limits(memory_mb=512))],
                       workers=2, progress=False)
    assert [r.status for r in results] == ["timeout", "memory"]


def test_per_test_counting_in_input_order():
    tests = ["assert f(1) == 1", "assert f(2) == 3", "assert f(3) == 3"]
    results = run_jobs([Job("def f(x):\n    return x\n", tests), Job("def f(x):\n    return x * x\n", tests)],
                       workers=2, progress=False)
    assert [(r.tests_passed, r.tests_total) for r in results] == [(2, 3), (1, 3)]
    assert [r.status for r in results] == ["failed", "failed"]
