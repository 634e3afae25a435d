"""Launching training stages outside a notebook: `seedkit train`, `seedkit configs`, notebook_launcher.

Recipes apart from launchers: a stage's settings say what to train; an accelerate configuration
(shipped in ``seedkit/configs/``) says how to launch it. The same stage function runs

- in a notebook, in-process;
- from a notebook on several processes: :func:`launch_from_notebook` (accelerate.notebook_launcher);
- from a shell: ``accelerate launch --config_file $(seedkit configs --path single_gpu) -m seedkit train sft
  --run-name demo --profile gpu``, or ``torchrun --nproc_per_node 2 -m seedkit train sft ...``.
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError, resolve_stage, stage_settings_class
from seedkit.training import init_distributed

# stage -> "module:function" taking the stage's settings; the function is what the notebook calls.
TRAIN_ENTRY: dict[str, str] = {
    "03_pretraining": "seedkit.pretraining.stage:run_pretraining",
    "04_sft": "seedkit.sft.stage:run_sft",
    "05_dpo": "seedkit.dpo.stage:run_dpo",
    "06_longcot_rl": "seedkit.longcot_rl.stage:run_longcot_rl",
}


def config_paths() -> dict[str, Path]:
    """Shipped accelerate configurations by name (file stem)."""
    root = resources.files("seedkit") / "configs"
    return {Path(str(p)).stem: Path(str(p)) for p in root.iterdir() if str(p).endswith(".yaml")}


def entry_point(stage: str) -> Any:
    key = resolve_stage(stage)
    if key not in TRAIN_ENTRY:
        raise SettingsError(f"train: stage {key} is not a training stage; choose one of "
                            f"{', '.join(s[3:] for s in TRAIN_ENTRY)}")
    module, _, fn = TRAIN_ENTRY[key].partition(":")
    try:
        return getattr(importlib.import_module(module), fn)
    except (ImportError, AttributeError) as e:
        raise SettingsError(f"train: {TRAIN_ENTRY[key]} is not available: {e}") from e


def train_stage(stage: str, profile: str, run_name: str, overrides: dict[str, Any] | None = None,
                runs_dir: str | None = None) -> Any:
    """Build the stage's settings (validated) and run its entry point in this process; under a launcher the
    process group is started and this process pinned to its local GPU first, before any model loads."""
    where = init_distributed()
    if where:
        print(f"[train] {where}", flush=True)
    cls = stage_settings_class(stage)
    kw = dict(overrides or {})
    kw["run_name"] = run_name
    if runs_dir:
        kw["runs_dir"] = runs_dir
    settings = cls.from_params(profile, **kw)
    try:
        return entry_point(stage)(settings)
    finally:
        close_process_group()


def close_process_group() -> None:
    """Tear down torch.distributed before the interpreter exits: left to the C++ destructors at
    exit, the gloo group was seen to abort the process ("terminate called without an active
    exception") after the work had finished."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def launch_from_notebook(stage: str, profile: str, run_name: str, overrides: dict[str, Any] | None = None,
                         num_processes: int = 1, runs_dir: str | None = None) -> None:
    """Run a training stage on ``num_processes`` processes from a notebook (accelerate.notebook_launcher)."""
    from accelerate import notebook_launcher

    notebook_launcher(train_stage, args=(stage, profile, run_name, overrides, runs_dir), num_processes=num_processes)
