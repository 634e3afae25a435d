"""Auto torch threads (``torch_threads=0``): the CPUs other work leaves idle, followed while a stage
runs. Other work is simulated with a busy child process; nothing here is timed."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import torch

from seedkit import training
from seedkit.config import SettingsError
from seedkit.sft.settings import SFTSettings

pytestmark = pytest.mark.skipif(training._cpu_snapshot() is None, reason="needs /proc/stat (Linux)")


@pytest.fixture
def burner():
    """A process that keeps one CPU busy until the test ends."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    time.sleep(0.3)
    yield proc
    proc.kill()
    proc.wait()


def test_other_load_leaves_out_this_process_own_work():
    # 2 s of wall time, 4 CPU-s busy on the machine, 2.5 of them this process's: 0.75 CPUs of other work
    assert training.other_load((10.0, 100.0, 5.0), (12.0, 104.0, 7.5)) == pytest.approx(0.75)
    assert training.other_load((10.0, 100.0, 5.0), (12.0, 101.0, 7.5)) == 0.0  # never negative
    before, cpu0 = training._cpu_snapshot(), time.process_time()
    # this process busy until it has had 0.6 CPU-s, however loaded the machine (a wall-time bound would
    # give it less on a busy one); its own CPU time is what is taken out
    end = time.monotonic() + 120
    while time.process_time() - cpu0 < 0.6 and time.monotonic() < end:
        pass
    after = training._cpu_snapshot()
    assert after[2] - before[2] > 0.3 and after[1] - before[1] >= after[2] - before[2] - 0.05


def test_busy_cpu_means_fewer_threads(burner):
    threads, why = training.auto_threads(window_s=0.5)
    cores = training.auto_ceiling()
    assert threads <= max(1, cores - 1)  # the burner's CPU is not offered (other work may take more)
    assert why.startswith("auto: other work kept") and f"of {cores} CPUs" in why


def test_the_governor_drops_threads_when_other_work_starts(capsys):
    if training.auto_ceiling() < 2:
        pytest.skip("one CPU: auto is always one thread")
    before = torch.get_num_threads()
    gov = training._Governor("test", ceiling=2, threads=2, interval_s=0.5)
    torch.set_num_threads(2)
    try:
        proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            time.sleep(0.8)
            gov.check()
        finally:
            proc.kill()
            proc.wait()
        assert gov.threads == 1 and torch.get_num_threads() == 1
        assert "[test] torch threads: 2 -> 1 (auto: other work kept" in capsys.readouterr().out
    finally:
        torch.set_num_threads(before)


def test_torch_threads_context_restores_and_says_why(capsys):
    before = torch.get_num_threads()
    with training.torch_threads(0, "04_sft"):
        inside = torch.get_num_threads()
        assert training._GOVERNORS  # followed while the stage runs
    assert torch.get_num_threads() == before and not training._GOVERNORS
    assert 1 <= inside <= training.auto_ceiling()
    assert f"[04_sft] torch threads: {inside} (auto: other work kept" in capsys.readouterr().out
    with training.torch_threads(1, "04_sft"):
        assert torch.get_num_threads() == 1 and not training._GOVERNORS


def test_launchers_share_the_cpus(monkeypatch):
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "2")
    assert training.auto_ceiling() == max(1, training.usable_cpus() // 2)


def test_settings_default_to_auto_except_tiny():
    assert SFTSettings.from_params("smol").torch_threads == 0
    assert SFTSettings.from_params("tiny").torch_threads == 1
    with pytest.raises(SettingsError, match="torch_threads"):
        SFTSettings.from_params("smol", torch_threads=-1)


def test_a_notebook_kernel_keeps_its_setting_until_replaced(capsys):
    before = torch.get_num_threads()
    try:
        assert training.set_torch_threads(1, "03_pretraining") == 1 and not training._GOVERNORS
        n = training.set_torch_threads(0, "03_pretraining")  # replaces the first: auto, followed
        assert 1 <= n <= training.auto_ceiling() and len(training._GOVERNORS) == 1
        assert "[03_pretraining] torch threads:" in capsys.readouterr().out
    finally:
        while training._KERNEL_THREADS:
            training._KERNEL_THREADS.pop().__exit__(None, None, None)
    assert torch.get_num_threads() == before and not training._GOVERNORS
