"""The memory plan applied: before a stage trains on a GPU, its per-device batch and activation
checkpointing are what :mod:`seedkit.memory_plan` chooses for the card it runs on.

:meth:`seedkit.steps.Stage.open` calls :func:`fit_to_card` for every stage, so a notebook and
``run_<stage>`` get the same choice (notebooks read ``stage.settings`` after ``begin``). On a CPU,
or where the card's memory cannot be read, settings are returned unchanged: there is no card to
plan for, and the small profiles fit by construction. On a card the stage prints each phase's plan,
refuses in one line (:class:`seedkit.memory_plan.MemoryPlanError`) when a phase fits in no way, and
otherwise lowers the per-device batch where the plan says so (accumulation keeps the global batch:
:func:`seedkit.training.split_batch`) and turns checkpointing on or off, unless you set it. The
manifest records the values that ran, with their origin ``memory plan``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seedkit.memory_plan import check_fits, chosen_checkpointing, gpu_memory_gib, plan_settings
from seedkit.training import world_size

# Each stage's phases whose plan sets a per-device batch setting (06's warm-up batch is its global batch
# too, so the plan does not change it; its rollouts are generation, which sizes its own slots).
PER_DEVICE_FIELDS: dict[str, dict[str, str]] = {
    "03_pretraining": {"stage1": "per_device_max_batch", "stage2": "per_device_max_batch"},
    "04_sft": {"train": "per_device_batch_max"},
    "05_dpo": {"train": "per_device_batch_max"},
    "06_longcot_rl": {"grpo": "rl_per_device_max"},
}


def on_cuda(settings: Any) -> bool:
    """Whether the stage will run on a CUDA device (its ``device`` setting, else its profile's: ``auto``
    or ``cuda...``, and a GPU visible; a profile that asks for one where none is gets its one-line error
    when the model loads)."""
    import torch

    device = str(getattr(settings, "device", "") or settings.profile_info.device)
    return (device == "auto" or device.startswith("cuda")) and torch.cuda.is_available()


def fit_to_card(settings: Any, *, memory_gib: float | None = None, world: int | None = None,
                say: Callable[[str], None] = print) -> Any:
    """``settings`` with the plan's per-device batch and checkpointing for a card of ``memory_gib``
    (default: this machine's GPU; no GPU: ``settings`` unchanged). Raises MemoryPlanError when a
    phase fits in no way."""
    fields = PER_DEVICE_FIELDS.get(getattr(settings, "stage", ""))
    if fields is None:
        return settings
    if memory_gib is None:
        memory_gib = gpu_memory_gib() if on_cuda(settings) else None
        if memory_gib is None:
            return settings
    plans = plan_settings(settings, memory_gib=memory_gib, world=world or world_size())
    for p in plans:
        say(f"[{settings.stage}] memory plan: {p.line()}")
    check_fits(plans)
    changes: dict[str, Any] = {}
    for p in plans:
        name = fields.get(p.workload.phase)
        if name and p.per_device_batch < changes.get(name, getattr(settings, name)):
            changes[name] = p.per_device_batch
    trained = [p for p in plans if p.workload.kind != "generate"]
    if trained and hasattr(settings, "gradient_checkpointing") and chosen_checkpointing(settings) is None:
        wanted = any(p.gradient_checkpointing for p in trained)
        if wanted != settings.gradient_checkpointing:
            changes["gradient_checkpointing"] = wanted
    if not changes:
        return settings
    origin = f"memory plan ({memory_gib:g} GiB card)"
    say(f"[{settings.stage}] {origin}: " + ", ".join(f"{k}={v} (was {getattr(settings, k)})"
                                                    for k, v in changes.items()))
    return settings.replace(origin=origin, **changes)


__all__ = ["PER_DEVICE_FIELDS", "fit_to_card", "on_cuda"]
