"""The Makefile a newcomer meets: `make help`, `make lab LAB_ARGS=...`, `make test-busy`'s CPU burner."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from seedkit.config import REPO_ROOT

BURNER = REPO_ROOT / ".ci" / "with-cpu-burner"


def _make(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)


def test_make_help_lists_every_target_with_what_it_does():
    r = _make("help")
    assert r.returncode == 0, r.stderr
    phony = re.search(r"^\.PHONY:(.*)$", (REPO_ROOT / "Makefile").read_text(), re.M).group(1).split()
    for target in phony:
        assert re.search(rf"^  make {re.escape(target)} +\S", r.stdout, re.M), (target, r.stdout)
    assert "LAB_ARGS" in r.stdout and "PROFILE" in r.stdout
    assert _make().stdout == r.stdout  # plain `make` says the same instead of installing


def test_make_lab_passes_lab_args_and_allows_root_only_as_root():
    r = _make("-n", "lab", "LAB_ARGS=--port 8899 --no-browser")
    assert r.returncode == 0, r.stderr
    assert "--port 8899 --no-browser" in r.stdout and "--ServerApp.root_dir=." in r.stdout
    assert "--FileContentsManager.preferred_dir=notebooks" in r.stdout  # opens in notebooks/, runs/ one click away


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_starts_and_offers_the_kits_kernel(tmp_path):
    """JupyterLab started by `make lab` (as root too) serves the `seedkit` kernel the notebooks name."""
    port, token = _free_port(), "seedkit-test"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    proc = subprocess.Popen(["make", "lab", f"LAB_ARGS=--no-browser --port {port} --IdentityProvider.token={token}"],
                            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # seconds when idle; minutes on a busy machine
        specs = None
        while specs is None:
            assert proc.poll() is None, proc.stdout.read()[-3000:]
            assert time.monotonic() < deadline, "JupyterLab did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=5) as f:
                    specs = json.load(f)
            except OSError:
                time.sleep(1)
        assert "seedkit" in specs["kernelspecs"], specs["kernelspecs"].keys()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}", timeout=30) as f:
            listed = {c["name"] for c in json.load(f)["content"]}  # served from the checkout: runs/ opens too
        assert "01_curation.ipynb" in listed
        nb = json.loads((REPO_ROOT / "notebooks" / "01_curation.ipynb").read_text())
        assert nb["metadata"]["kernelspec"]["name"] == "seedkit"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)


def _burners_of(pid: int) -> list[int]:
    out = []
    for p in psutil.Process(pid).children(recursive=True):
        try:
            if "getppid" in " ".join(p.cmdline()):
                out.append(p.pid)
        except psutil.Error:
            continue
    return out


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_gone(pids: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while any(_running(p) for p in pids):
        assert time.monotonic() < deadline, f"burners {pids} still running"
        time.sleep(0.2)


def test_the_burner_keeps_the_commands_exit_status_and_stops_with_it(tmp_path):
    r = subprocess.run([str(BURNER), sys.executable, "-c", "import sys; sys.exit(3)"], capture_output=True,
                       text=True, timeout=120, env={**os.environ, "BURNERS": "2"})
    assert r.returncode == 3 and "burners stopped" in r.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_the_burner_stops_however_the_run_ends(tmp_path, sig):
    marker = tmp_path / "started"
    proc = subprocess.Popen([str(BURNER), sys.executable, "-c",
                             f"import time; open({str(marker)!r}, 'w').close(); time.sleep(600)"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "BURNERS": "2"},
                            start_new_session=True)
    burners: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() or len(burners) < 2:
            assert time.monotonic() < deadline and proc.poll() is None, proc.returncode
            time.sleep(0.1)
            burners = _burners_of(proc.pid)
        if sig == signal.SIGKILL:
            proc.kill()  # the wrapper dies without running its trap: the burners see their parent gone
        else:
            os.killpg(proc.pid, sig)  # Ctrl-C, or a kill of the whole job
        proc.wait(timeout=60)
        _wait_gone(burners)
    finally:  # never leave a burner behind on a shared machine, whatever failed above
        for pid in burners:
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_makefile_and_ci_script_name_no_machine_paths():
    """They run on any clone: no absolute path but the shebang's /usr/bin/env and /dev/null, and
    neither this checkout's location nor the temporary directory."""
    import re
    import tempfile

    for f in (REPO_ROOT / "Makefile", BURNER, REPO_ROOT / ".ci" / "run"):
        text = f.read_text()
        assert str(REPO_ROOT) not in text and tempfile.gettempdir() + "/" not in text, f
        absolute = set(re.findall(r"(?<![\w.$)}])/[A-Za-z][\w.-]*/", text)) - {"/usr/", "/dev/"}
        assert not absolute, (f, absolute)
    assert Path(BURNER).stat().st_mode & 0o111
