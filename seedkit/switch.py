"""Which run a notebook opens when its parameters cell names none: the run switch.

``$SEEDKIT_RUN`` and ``$SEEDKIT_PROFILE`` (one kernel, or every kernel of a ``make lab`` started with
them), else ``seedkit-run.yaml`` in the notebook's folder (``seedkit use RUN`` writes it), else the run's
own profile (from its manifests) and the profile's own run. :meth:`seedkit.config.StageSettings.from_notebook`
reads it, and the names a notebook's parameters were given under (:func:`parameter_names`), so a misspelt
one is an error.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# The switch file, in the notebook's folder: lines `run_name: NAME`, `profile: P`, `runs_dir: DIR`.
RUN_SWITCH = "seedkit-run.yaml"


def run_switch(folder: str | os.PathLike[str] | None = None) -> dict[str, tuple[str, str]]:
    """What points a notebook at a run: field -> (value, where it was said), from ``$SEEDKIT_RUN`` and
    ``$SEEDKIT_PROFILE`` over :data:`RUN_SWITCH` in ``folder`` (default: the current folder, which is the
    notebook's own in Jupyter and under papermill)."""
    out: dict[str, tuple[str, str]] = {}
    path = Path(folder if folder is not None else Path.cwd()) / RUN_SWITCH
    if path.is_file():
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            key, sep, value = text.partition(":")
            if not sep or key.strip() not in ("run_name", "profile", "runs_dir"):
                raise ValueError(f"{path}:{i}: write `run_name: NAME`, `profile: PROFILE` or `runs_dir: DIR` "
                                 "(`seedkit use RUN` writes this file)")
            out[key.strip()] = (value.strip().strip("'\""), str(path))
    for key, env in (("run_name", "SEEDKIT_RUN"), ("profile", "SEEDKIT_PROFILE")):
        if os.environ.get(env):
            out[key] = (os.environ[env], f"${env}")
    return out


def run_profile(root: Path, stages: Iterable[str], profiles: Iterable[str]) -> str:
    """The profile the run in ``root`` was made with, read from its first stage manifest ('' when none)."""
    for stage in stages:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            profile = json.loads((root / stage / "manifest.json").read_text(encoding="utf-8")).get("profile")
            if profile in profiles:
                return str(profile)
    return ""


def parameter_names(namespace: dict[str, Any]) -> list[str]:
    """The names a notebook's parameters were given under: its parameters cell (the last one run, which
    opens with ``profile =``) and papermill's injected cell (``# Parameters``), read from the kernel's
    history (``In``); empty outside a notebook."""
    last: dict[str, str] = {}
    for src in namespace.get("In") or []:
        if not isinstance(src, str):
            continue
        lines = [ln for ln in src.strip().splitlines() if ln.strip() and not ln.startswith("#")]
        if src.lstrip().startswith("# Parameters"):
            last["injected"] = src
        elif lines and lines[0].replace(" ", "").startswith("profile="):
            last["cell"] = src
            last.pop("injected", None)  # an injected cell comes after the cell it overrides
    names: list[str] = []
    for src in last.values():
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        names += [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                  if isinstance(t, ast.Name)]
    return names
