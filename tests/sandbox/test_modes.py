"""The reward and verifier paths refuse a sandbox mode they did not ask for; manifests record the
mode that ran a stage's code."""

from __future__ import annotations

import os
import sys

import pytest

from seedkit import sandbox
from seedkit.longcot_rl.rewards import execution_outcomes
from seedkit.sandbox import Job, SandboxModeRefused, pool
from seedkit.sft.synthesis import SFTItem
from seedkit.sft.verify import verify_items

LINUX_ROOT = sys.platform.startswith("linux") and os.geteuid() == 0
FORCED = os.environ.get("SEEDKIT_SANDBOX_FALLBACK", "") not in ("", "0")


def test_check_mode_names_the_missing_capability(monkeypatch):
    monkeypatch.delenv("SEEDKIT_SANDBOX_FALLBACK", raising=False)
    sandbox.check_mode("namespaces", "", "x")
    sandbox.check_mode("userns", "", "x")
    with pytest.raises(SandboxModeRefused) as info:
        sandbox.check_mode("fallback", "namespaces refused: EPERM", "stage 06's execution reward")
    text = str(info.value)
    assert "stage 06's execution reward" in text and "'fallback'" in text and "namespaces refused" in text
    assert "root" in text and "user namespaces" in text and "SEEDKIT_SANDBOX_FALLBACK=1" in text
    with pytest.raises(SandboxModeRefused):
        sandbox.check_mode("none", "", "x")
    monkeypatch.setenv("SEEDKIT_SANDBOX_FALLBACK", "1")  # asked for: accepted
    sandbox.check_mode("fallback", "forced", "x")


def _unasked_fallback_server():
    """The real server, told that namespaces are refused: fallback nobody asked for."""
    main = pool.SERVER_DIR / "__main__.py"
    source = ("import importlib, runpy\n"
              f"runpy.run_path({str(main)!r})['load']()\n"
              "main = importlib.import_module('_seedkit_sandbox_server.main')\n"
              "main._probe = lambda body: 'injected: Operation not permitted'\n"
              "main.run()\n")
    return lambda forced: [sys.executable, "-I", "-c", source, *(["--fallback"] if forced else [])]


@pytest.mark.skipif(not LINUX_ROOT or FORCED, reason="simulates a machine without namespaces for root")
def test_reward_and_verifier_refuse_an_unasked_fallback(monkeypatch):
    sandbox.shutdown()
    monkeypatch.setattr(pool, "server_command", _unasked_fallback_server())
    try:
        program, tests = "def inc(x):\n    return x + 1\n", ["assert inc(1) == 2"]
        plain = sandbox.run_jobs([Job(program, tests)], progress=False)[0]  # nobody required more
        assert plain.passed and plain.mode == "fallback"
        with pytest.raises(SandboxModeRefused, match="stage 06's execution reward"):
            execution_outcomes([program], [tests])
        item = SFTItem(id="0", source="generated", style="", instruction="", solution=program,
                       tests="assert inc(1) == 2\n", entry_point="inc")
        with pytest.raises(SandboxModeRefused, match="stage 04's verifier"):
            verify_items([item], generator=None, progress=False)
        assert not item.verified
        monkeypatch.setenv("SEEDKIT_SANDBOX_FALLBACK", "1")  # now it is asked for
        assert execution_outcomes([program], [tests])[0].reward == 1.0
    finally:
        sandbox.shutdown()


def test_manifest_records_the_modes_that_ran(tmp_path):
    from seedkit import runs

    before = sandbox.modes_used()
    result = sandbox.run_one(Job("x = 1\n", "assert x == 1"))
    after = sandbox.modes_used()
    assert after.get(result.mode, 0) == before.get(result.mode, 0) + 1
    assert runs._sandbox_modes() == after


def test_callers_that_require_refuse_jobs_judged_in_process():
    """The paths whose numbers train or select models grade only jobs judged apart."""
    job = Job("def inc(x):\n    return x + 1\n", ["assert inc(1) == 2"], judge="in_process")
    with pytest.raises(SandboxModeRefused, match="judged apart"):
        sandbox.run_jobs([job], progress=False, require="stage 06's execution reward")
    with pytest.raises(SandboxModeRefused, match="judge='in_process'"):
        sandbox.run_one(job, require="stage 04's verifier")
    assert sandbox.run_one(job).passed  # nobody required more
