"""What every training stage (03-06) shares: batch split, precision and trainer arguments.

Stage 03 uses the Hugging Face Trainer and stages 04-06 TRL's trainers; all of them take
``TrainingArguments``-style keyword arguments, built here once so that a stage does not restate
the CPU/GPU precision rules, the batch split across processes, or the logging defaults.
"""

from __future__ import annotations

import contextlib
import os
import time
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


def init_distributed() -> str:
    """Under a launcher (torchrun, accelerate: WORLD_SIZE > 1), start the process group and pin this process
    to its local GPU before anything loads, so that models load after the group exists, each onto its own
    device (:func:`seedkit.models.resolve_device` gives ``cuda:<LOCAL_RANK>``). accelerate's ``PartialState``
    does it the way the Trainer expects (NCCL on GPUs, gloo on CPUs); the Trainer later finds the group made.
    Returns a one-line description ("" in a single process)."""
    if world_size() <= 1:
        return ""
    import torch
    import torch.distributed as dist
    from accelerate import PartialState

    # cpu=True on a machine without CUDA: gloo, and the Trainer's own PartialState(cpu=True) finds the same
    # state (a first PartialState() there would record a single process and the Trainer would train alone)
    state = PartialState(cpu=not torch.cuda.is_available())
    if not dist.is_initialized() or state.num_processes != world_size():
        raise RuntimeError(f"WORLD_SIZE={world_size()} but no process group started ({state.distributed_type}): "
                           "launch with torchrun or accelerate launch")
    return (f"process {state.process_index} of {state.num_processes} on {state.device} "
            f"({dist.get_backend()} process group)")


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
        return {"bf16": False, "fp16": False, "use_cpu": True}, ("CPU: no autocast; each weight computes in its own "
                                                                "dtype (a LoRA base may be bfloat16: lora_base_dtype)")
    if dtype in ("auto", "bfloat16") and torch.cuda.is_bf16_supported():
        return {"bf16": True, "fp16": False}, "GPU with bfloat16 support: bf16 mixed precision"
    if dtype == "float32":
        return {"bf16": False, "fp16": False}, "float32 set by you"
    return {"bf16": False, "fp16": True}, "GPU without bfloat16: fp16 mixed precision"


def trainer_kwargs(*, output_dir: str, device: str, global_batch: int, per_device_max: int,
                   learning_rate: float, max_steps: int, seed: int = 0, dtype: str = "auto",
                   logging_steps: int = 1, save_steps: int | None = None, warmup_ratio: float = 0.0,
                   lr_scheduler_type: str = "cosine", verbose: bool = True,
                   data_order: str | None = None, report_to: str = "none",
                   gradient_checkpointing: bool = False) -> dict[str, Any]:
    """Keyword arguments shared by TrainingArguments and TRL's SFT/DPO/GRPO configs.

    ``gradient_checkpointing`` (the training stages' setting of that name; transformers 5 calls it activation
    checkpointing): keep only each layer's input during the
    forward pass and recompute the rest in the backward, trading about a third more compute for activation
    memory that no longer grows with the layers (what lets long sequences of an 8B model fit a GPU); off for
    the small models of tiny/smol, where it only costs time. Non-reentrant, so it works under LoRA's frozen
    embeddings and under FSDP.

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
        print(f"[training] {split}; {why}" + ("; activation checkpointing on" if gradient_checkpointing else ""))
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
        activation_checkpointing=gradient_checkpointing,  # (transformers 5 name)
        **({"activation_checkpointing_kwargs": {"use_reentrant": False}} if gradient_checkpointing else {}),
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


# LoRA adapters start at zero and train a small fraction of the weights; at the same data they match full
# fine-tuning at about ten times the full-parameter learning rate (Schulman et al., "LoRA Without Regret",
# Thinking Machines Lab, 2025: the best LoRA rate was ~10x the best full rate across model sizes and ranks).
# A published rule of thumb, not measured by the kit at 8B: the rows below say so.
LORA_RATE_FACTOR = 10.0


def rate_for_method(method: str, report_full_rate: float) -> float:
    """The learning rate that fits a training method when the report gives a full-parameter rate:
    the report's own for full training, about ten times it for LoRA and QLoRA adapters."""
    return report_full_rate if method == "full" else float(f"{report_full_rate * LORA_RATE_FACTOR:.6g}")


def rate_reason(method: str, rate: float, report_full_rate: float, origin: str, name: str, note: str = "") -> str:
    """The ``why`` of a stage's learning-rate row (report_comparison): "same" only where full training runs
    at the report's full-parameter rate; for adapters, the factor and where it comes from; otherwise who set
    the value (and ``note``, the setting's own reason), with a warning when a rate set by you looks like the
    other method's."""
    import math

    label = {"full": "full fine-tuning", "lora": "LoRA adapters", "qlora": "QLoRA adapters"}.get(method, method)
    fits = rate_for_method(method, report_full_rate)
    if method == "full" and math.isclose(rate, report_full_rate):
        return "same"
    if method != "full" and math.isclose(rate, fits):
        return (f"{label}: the report's {report_full_rate:g} is a full-parameter rate; adapters start at zero and "
                f"train few weights, and take about {LORA_RATE_FACTOR:g}x a full rate (LoRA Without Regret, "
                "Thinking Machines 2025; a published rule of thumb, not measured here)")
    who = f"{name} set by you" if origin == "set by you" else f"{name}: the {origin} value" + (f" ({note})" if note else "")
    if origin != "set by you":
        return who
    if method != "full" and rate <= report_full_rate:
        return f"{who}; {label} at the report's full-parameter rate or below move slowly ({fits:g} would fit them)"
    if method == "full" and rate >= report_full_rate * LORA_RATE_FACTOR:
        return f"{who}; an adapter's rate for {label} ({report_full_rate:g} is the report's full-parameter rate)"
    return who


def keep_trained_state(trainer: Any, model: Any) -> None:
    """After ``trainer.train()``, on every process: where the weights are sharded across processes (FSDP,
    DeepSpeed ZeRO-3) gather the full state dict the way the Trainer's own ``save_model`` does
    (``accelerator.get_state_dict``, a collective every rank must enter) and keep it on ``model`` for
    :func:`seedkit.models.save_model`, which rank 0 calls; a rank-0 ``save_pretrained`` of a sharded model
    would write rank 0's shards only. A no-op in one process and under DDP (every rank holds all weights)."""
    acc = getattr(trainer, "accelerator", None)
    sharded = bool(getattr(trainer, "is_fsdp_enabled", False) or getattr(trainer, "is_deepspeed_enabled", False))
    if acc is None or not sharded or acc.num_processes <= 1:
        return
    state = acc.get_state_dict(trainer.model_wrapped if hasattr(trainer, "model_wrapped") else trainer.model)
    if acc.is_main_process:
        model._seedkit_state_dict = state


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


def usable_cpus() -> int:
    """CPUs this process may run on: its affinity mask, capped by a cgroup v2 CPU quota (containers)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(float(quota) / float(period) + 0.5)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def auto_ceiling() -> int:
    """The most threads auto gives one process: the usable CPUs shared among the processes that a
    launcher (torchrun, accelerate) started on this machine."""
    local = int(os.environ.get("LOCAL_WORLD_SIZE") or 1)
    return max(1, usable_cpus() // max(1, local))


def _cpu_snapshot() -> tuple[float, float, float] | None:
    """(wall time, CPU-seconds busy on the CPUs this process may use, CPU-seconds of this process);
    None without ``/proc/stat`` (macOS, Windows)."""
    try:
        lines = Path("/proc/stat").read_text().splitlines()
        mine = {f"cpu{i}" for i in os.sched_getaffinity(0)}
    except (OSError, AttributeError):
        return None
    busy = 0.0
    for line in lines:
        fields = line.split()
        if not fields or fields[0] not in mine:
            continue
        ticks = [float(x) for x in fields[1:9]]  # user nice system idle iowait irq softirq steal
        busy += sum(ticks) - ticks[3] - (ticks[4] if len(ticks) > 4 else 0.0)
    if not busy:
        return None
    return time.monotonic(), busy / os.sysconf("SC_CLK_TCK"), time.process_time()


def other_load(before: tuple[float, float, float], after: tuple[float, float, float]) -> float:
    """CPUs kept busy by other processes between two snapshots (this process's own threads excluded)."""
    wall = after[0] - before[0]
    if wall <= 0:
        return 0.0
    return max(0.0, ((after[1] - before[1]) - (after[2] - before[2])) / wall)


def auto_threads(window_s: float = 0.5) -> tuple[int, str]:
    """(threads, why) for ``torch_threads=0``: the CPUs that other work leaves idle, measured over
    ``window_s``, at least one. Other work counts from 0.3 of a CPU: two threads on a 2-core machine
    whose second core is taken were measured 4-30x slower than one (docs/environment.md)."""
    cores = auto_ceiling()
    first = _cpu_snapshot()
    if first is None:
        return 1, "auto: this system has no /proc/stat to see other work, so one thread (set torch_threads to use more)"
    time.sleep(window_s)
    others = other_load(first, _cpu_snapshot() or first)
    threads = max(1, min(cores, int(cores - others + 0.3)))
    return threads, f"auto: other work kept {others:.1f} of {cores} CPUs busy over {window_s:g} s"


class _Governor:
    """Auto threads kept right while a stage runs: every ``interval_s`` (checked from the main thread
    between generation and training steps) other work's load is read again; the thread count drops
    when other work starts and comes back when it ends, printed each time it changes."""

    def __init__(self, stage: str, ceiling: int, threads: int, interval_s: float = 15.0) -> None:
        self.stage, self.ceiling, self.threads, self.interval_s = stage, ceiling, threads, interval_s
        self.last = _cpu_snapshot()

    def check(self) -> None:
        import torch

        if self.last is None or time.monotonic() - self.last[0] < self.interval_s:
            return
        now = _cpu_snapshot()
        if now is None:
            return
        others, window = other_load(self.last, now), now[0] - self.last[0]
        self.last = now
        want = max(1, min(self.ceiling, int(self.ceiling - others + 0.3)))
        if want != self.threads:
            print(f"[{self.stage}] torch threads: {self.threads} -> {want} (auto: other work kept {others:.1f} of "
                  f"{self.ceiling} CPUs busy over the last {window:.0f} s)", flush=True)
            self.threads = want
            torch.set_num_threads(want)


_GOVERNORS: list[_Governor] = []


def adapt_threads() -> None:
    """Called between steps (decoding, training): lets an auto thread count follow other work. Cheap
    (a clock read) except every 15 s; a no-op unless a stage runs with ``torch_threads=0``."""
    if _GOVERNORS:
        _GOVERNORS[-1].check()


def threads_callback() -> Any:
    """A transformers ``TrainerCallback`` that calls :func:`adapt_threads` after every optimizer step."""
    from transformers import TrainerCallback

    class AdaptThreads(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            adapt_threads()

    return AdaptThreads()


@contextlib.contextmanager
def torch_threads(threads: int, stage: str) -> Iterator[None]:
    """Run a stage with ``threads`` torch CPU threads, restoring them after; ``0`` = auto
    (:func:`auto_threads`: the CPUs other work leaves idle, re-read every 15 s while the stage runs).

    Why not torch's default (every CPU): on a 2-core machine whose other core is busy, two threads
    were measured 4-30x slower than one (thread synchronisation stalls); on an idle one two threads
    generate 1.6x faster than one. Said once, with the reason.
    """
    import torch

    before = torch.get_num_threads()
    governor = None
    if threads == 0:
        threads, why = auto_threads()
        governor = _Governor(stage, auto_ceiling(), threads)
    else:
        why = "set by torch_threads"
    if threads != before or governor is not None:
        print(f"[{stage}] torch threads: {threads} ({why})", flush=True)
    torch.set_num_threads(threads)
    if governor is not None:
        _GOVERNORS.append(governor)
    try:
        yield
    finally:
        if governor is not None:
            _GOVERNORS.remove(governor)
        torch.set_num_threads(before)


_KERNEL_THREADS: list[Any] = []


def set_torch_threads(threads: int, stage: str) -> int:
    """:func:`torch_threads` for the rest of the process (a notebook's kernel, whose cells are not one
    ``with`` block): ``0`` = auto, followed while the kernel runs. Returns the threads now in use; a
    second call replaces the first."""
    import torch

    while _KERNEL_THREADS:
        _KERNEL_THREADS.pop().__exit__(None, None, None)
    ctx = torch_threads(threads, stage)
    ctx.__enter__()
    _KERNEL_THREADS.append(ctx)
    return torch.get_num_threads()


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
