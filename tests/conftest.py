"""Test-wide settings: offline, runs in a temporary directory, quiet tokenizers."""

from __future__ import annotations

import os
import tempfile

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
# Nothing a test runs may write into the checkout's runs/.
if "SEEDKIT_RUNS_DIR" not in os.environ:
    os.environ["SEEDKIT_RUNS_DIR"] = tempfile.mkdtemp(prefix="seedkit-test-runs-")
