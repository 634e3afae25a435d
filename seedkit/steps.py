"""A stage is a sequence of steps: the one vocabulary of all seven stages.

Every stage package offers the same three kinds of function, which its notebook calls one cell at a
time and its ``run_<stage>`` composes:

- ``begin(settings) -> <Name>Stage``: checks the inputs, opens ``runs/<run>/<NN_stage>/`` and says what
  it will do. The stage object (a :class:`Stage`) carries the settings, the run, the inputs, whether a
  finished run with these settings is already there (``done``), and every product made so far.
- the steps, ``verb(stage, <earlier products>) -> <Product>``: each returns a small dataclass with
  named fields (its shape in one line, tab completion in a notebook). :meth:`Stage.step` saves it
  under ``steps/`` (:meth:`seedkit.runs.StageRun.step`), so a rerun cell or a restarted kernel reuses
  it and a changed setting or input recomputes it.
- ``finish(stage) -> <Name>Result``: writes the stage's outputs from the products and the manifest
  last; the result object reads a finished stage back (``<Name>Result.load(path)``).

The order of the stages, the pipeline's spine, is :data:`seedkit.config.STAGES`.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from seedkit.config import StageSettings
from seedkit.files import load_product
from seedkit.memory_fit import fit_to_card
from seedkit.runs import RankWaitError, StageRun, is_main_process, load_dataset_dir
from seedkit.training import torch_threads


@dataclass
class Stage:
    """One run of a stage in progress: its settings, directory, inputs and the products of its steps."""

    settings: Any  # the stage's settings object (a seedkit.config.StageSettings)
    run: StageRun
    inputs: dict[str, Path]
    done: bool
    products: dict[str, Any] = field(default_factory=dict)
    _exit: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    _launched: float = field(default_factory=time.time)

    @classmethod
    def open(cls, settings: StageSettings, inputs: dict[str, Path | None], *, threads: bool = True,
             **extra: Any) -> Self:
        """The stage object for ``settings``: done already (its manifest matches settings and inputs), or
        started (products of other settings or inputs forgotten). ``inputs`` maps upstream stages to
        their folders (None: this run's). ``threads``: torch threads set for the stage's lifetime."""
        settings = fit_to_card(settings)  # on a GPU: the memory plan's per-device batch and checkpointing
        run = StageRun(settings)
        resolved = {name: (run.input(name) if path is None else Path(path)) for name, path in inputs.items()}
        stage = cls(settings, run, resolved, done=run.is_done(resolved), **extra)
        if threads and hasattr(settings, "torch_threads"):
            stage._exit.enter_context(torch_threads(settings.torch_threads, run.stage))
        if not stage.done:
            run.start(resolved)  # saved steps of other settings or inputs, or all of them under force, are deleted
        return stage

    @property
    def path(self) -> Path:
        return self.run.path

    @property
    def name(self) -> str:
        return self.run.stage

    def step_dir(self) -> Path:
        """Where the steps save their products (:attr:`seedkit.runs.StageRun.steps_dir`: keyed by settings
        and inputs)."""
        return self.run.steps_dir

    def say(self, line: str) -> None:
        print(f"[{self.name}] {line}", flush=True)

    def close(self) -> None:
        self._exit.close()

    def step(self, name: str, compute: Callable[[], Any], *, product: type | None = None, dataset: bool = False,
             shared: bool = True, measures: bool = False) -> Any:
        """:meth:`StageRun.step`, with the product kept on the stage (``product``: the dataclass the step
        returns). ``shared``: under torchrun only the main process computes it and the others read its
        product, so every process trains on the same data. ``measures``: keyed by the measuring settings
        too (:meth:`StageRun.step`)."""
        if measures and shared:
            raise ValueError(f"step {name}: a measuring step runs on every process (shared=False)")
        if not shared or is_main_process():
            value = self.run.step(name, compute, dataset=dataset, measures=measures, product=product)
            target = self.run.step_path(name, dataset=dataset or product is not None, measures=measures)
            if is_main_process() and target.exists():
                os.utime(target)  # fresh for the other processes of this launch, reused or not
        else:
            value = self._wait_for_step(name, dataset, product)
        self.products[name] = value
        return value

    def need(self, name: str) -> Any:
        """The product of step ``name`` made in this session, or a one-line error saying which cell to run."""
        if name not in self.products:
            raise RuntimeError(f"{self.name}: step {name!r} has not run in this session; run its cell (or the "
                               "cells above it) first")
        return self.products[name]

    def _wait_for_step(self, name: str, dataset: bool, product: type | None = None) -> Any:
        """On a process other than the main one: the product the main process saved in this launch."""
        import datasets

        target = self.run.step_path(name, dataset=dataset or product is not None)
        limit = float(os.environ.get("SEEDKIT_RANK_WAIT_S", "3600"))
        since = self._launched - 5.0
        t0 = time.monotonic()
        while True:
            if target.exists() and target.stat().st_mtime >= since:
                try:
                    if product is not None:
                        return load_product(product, target)
                    return datasets.load_from_disk(str(target)) if dataset else json.loads(target.read_text("utf-8"))
                except (OSError, ValueError):
                    pass  # being replaced right now: try again
            if time.monotonic() - t0 > limit:
                raise RankWaitError(f"[{self.name}] rank {os.environ.get('RANK')}: waited {limit:.0f} s for the main "
                                    f"process's step {name} ({target}); see rank 0's output (SEEDKIT_RANK_WAIT_S sets "
                                    "the wait)")
            time.sleep(0.25)


@dataclass
class DatasetStageResult:
    """A finished stage whose outputs are datasets beside a ``stats.json`` (01, 02), read back: the stats
    at once, each dataset when first asked for."""

    path: Path
    stats: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path) -> Self:
        path = Path(path)
        return cls(path, json.loads((path / "stats.json").read_text(encoding="utf-8")))

    def dataset(self, name: str) -> Any:
        return load_dataset_dir(self.path / name)
