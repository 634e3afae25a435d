"""What every training stage (03-06) shares: batch split, precision and trainer arguments.

Stage 03 uses the Hugging Face Trainer and stages 04-06 TRL's trainers; all of them take
``TrainingArguments``-style keyword arguments, built here once so that a stage does not restate
the CPU/GPU precision rules, the batch split across processes, or the logging defaults.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BatchSplit:
    global_batch: int
    world_size: int
    per_device: int
    accumulation: int
    reason: str

    def __str__(self) -> str:
        return (f"global batch {self.global_batch} = {self.per_device} per device x {self.world_size} "
                f"process(es) x {self.accumulation} accumulation step(s) ({self.reason})")


def world_size() -> int:
    """Processes in this launch (torchrun / accelerate set WORLD_SIZE); 1 in a notebook."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def split_batch(global_batch: int, per_device_max: int, world: int | None = None) -> BatchSplit:
    """Derive per-device batch and accumulation so that the global batch stays the same for any
    number of processes. Raises ValueError when ``global_batch`` is not divisible by the processes."""
    world = world or world_size()
    if global_batch < 1 or per_device_max < 1:
        raise ValueError(f"global_batch ({global_batch}) and per_device_max ({per_device_max}) must be >= 1")
    if global_batch % world:
        raise ValueError(f"global_batch_size={global_batch} is not divisible by {world} processes: "
                         f"choose a multiple of {world}")
    per_proc = global_batch // world
    per_device = min(per_device_max, per_proc)
    while per_proc % per_device:
        per_device -= 1
    accumulation = per_proc // per_device
    reason = ("fits in one step per device" if accumulation == 1
              else f"per-device batch capped at {per_device_max}, the rest accumulated")
    return BatchSplit(global_batch, world, per_device, accumulation, reason)


def precision_kwargs(device: str, dtype: str = "auto") -> tuple[dict[str, Any], str]:
    """bf16/fp16/use_cpu flags for TrainingArguments, and why.

    TRL configs default to bf16=True; on CPU that means bf16 autocast, slower and less exact for
    small models, so CPU runs turn it off explicitly (docs/environment.md).
    """
    import torch

    if device == "cpu" or not torch.cuda.is_available():
        return {"bf16": False, "fp16": False, "use_cpu": True}, "CPU: float32 training (bf16 autocast off)"
    if dtype in ("auto", "bfloat16") and torch.cuda.is_bf16_supported():
        return {"bf16": True, "fp16": False}, "GPU with bfloat16 support: bf16 mixed precision"
    if dtype == "float32":
        return {"bf16": False, "fp16": False}, "float32 set by you"
    return {"bf16": False, "fp16": True}, "GPU without bfloat16: fp16 mixed precision"


def trainer_kwargs(*, output_dir: str, device: str, global_batch: int, per_device_max: int,
                   learning_rate: float, max_steps: int, seed: int = 0, dtype: str = "auto",
                   logging_steps: int = 1, save_steps: int | None = None, warmup_ratio: float = 0.0,
                   lr_scheduler_type: str = "cosine", verbose: bool = True,
                   data_order: str | None = None, report_to: str = "none") -> dict[str, Any]:
    """Keyword arguments shared by TrainingArguments and TRL's SFT/DPO/GRPO configs.

    ``data_order`` is "random" (the default) or "sequential"; it defaults to $SEEDKIT_DATA_ORDER.
    Sequential order makes a 1-process run and an N-process run see the same global batches, so
    their losses can be compared step by step (the multi-process test does that).
    ``report_to`` is the stage's tracker setting (``none``, ``tensorboard``, ``wandb``, ...; comma-separated).
    """
    split = split_batch(global_batch, per_device_max)
    prec, why = precision_kwargs(device, dtype)
    order = data_order or os.environ.get("SEEDKIT_DATA_ORDER", "random")
    if order not in ("random", "sequential"):
        raise ValueError(f"data_order / SEEDKIT_DATA_ORDER: {order!r}; use random or sequential")
    if verbose:
        print(f"[training] {split}; {why}")
    kw: dict[str, Any] = dict(
        output_dir=output_dir,
        per_device_train_batch_size=split.per_device,
        gradient_accumulation_steps=split.accumulation,
        learning_rate=learning_rate,
        max_steps=max_steps,
        logging_steps=logging_steps,
        seed=seed,
        data_seed=seed,
        report_to=[t.strip() for t in report_to.split(",") if t.strip()] if report_to != "none" else "none",
        activation_checkpointing=False,  # (transformers 5 name) faster for the small models of tiny/smol
        dataloader_num_workers=0,
        # transformers 5 has no warmup_ratio: warmup_steps takes a float in [0, 1) as a fraction of all steps
        warmup_steps=float(warmup_ratio),
        lr_scheduler_type=lr_scheduler_type,
        train_sampling_strategy=order,
        save_strategy="steps" if save_steps else "no",
        **({"save_steps": save_steps, "save_total_limit": 2} if save_steps else {}),
        **prec,
    )
    return kw


def log_history_table(log_history: list[dict[str, Any]], keys: tuple[str, ...] = ("loss",)) -> dict[str, list[float]]:
    """Columns (step + keys) from a Trainer's ``state.log_history`` for plotting."""
    out: dict[str, list[float]] = {"step": []}
    for k in keys:
        out[k] = []
    for row in log_history:
        if all(k in row for k in keys):
            out["step"].append(row.get("step", len(out["step"])))
            for k in keys:
                out[k].append(float(row[k]))
    return out


@contextlib.contextmanager
def torch_threads(threads: int, stage: str) -> Iterator[None]:
    """Run a stage with ``threads`` torch CPU threads (0 = torch's default), restoring them after.

    Why a setting: the kit's small models gain nothing from a second thread, and on a busy 2-core
    machine two threads were measured 4-30x slower than one (thread synchronisation stalls when
    the other core is taken). Said once, with the reason.
    """
    import torch

    before = torch.get_num_threads()
    if threads and threads != before:
        print(f"[{stage}] torch threads: {threads} (was {before}; set by torch_threads: small models lose more to "
              f"thread synchronisation than they gain, worst on a busy machine)")
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def tensorboard_logs(folder: str | Path | None, cfg: Any) -> Iterator[None]:
    """With ``report_to`` naming tensorboard: the trainer built inside writes its logs under ``folder``
    (transformers 5 reads it from $TENSORBOARD_LOGGING_DIR; its default lies inside the checkpoints,
    which are deleted). ``cfg``: the trainer's arguments (their ``report_to``)."""
    wanted = folder is not None and "tensorboard" in (cfg.report_to or [])
    old = os.environ.get("TENSORBOARD_LOGGING_DIR")
    if wanted:
        os.environ["TENSORBOARD_LOGGING_DIR"] = str(folder)
    try:
        yield
    finally:
        if wanted:
            if old is None:
                os.environ.pop("TENSORBOARD_LOGGING_DIR", None)
            else:
                os.environ["TENSORBOARD_LOGGING_DIR"] = old
