"""Test-wide settings: offline, runs in a temporary directory, quiet tokenizers."""

from __future__ import annotations

import os
import signal
import tempfile

import pytest

# A suite started in the background of a script (`make test &`, nohup, some CI runners) inherits SIGINT
# ignored, and every process it starts would too: Python then installs no KeyboardInterrupt and bash
# cannot trap the signal, so the Ctrl-C tests would wait for nothing. Restore it; exec resets a handler
# to the default in the children.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
# Nothing a test runs may write into the checkout's runs/.
if "SEEDKIT_RUNS_DIR" not in os.environ:
    os.environ["SEEDKIT_RUNS_DIR"] = tempfile.mkdtemp(prefix="seedkit-test-runs-")


@pytest.fixture
def one_thread():
    """Small models on a busy 2-core machine: one torch thread is 10-30x faster than two that fight
    the other work for the cores (measured on the 1M-parameter tiny model)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
