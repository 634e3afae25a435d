"""What ``make gpu-check`` runs: its options, its steps with their settings, and its exit codes
(see :mod:`seedkit.checks.gpu`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from seedkit.config import PROFILES, SettingsError
from seedkit.dpo.settings import DPOSettings
from seedkit.eval.settings import EvalSettings
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.memory_plan import (
    DEFAULT_CARD_GIB,
    MAX_SLOTS,
    check_fits,
    estimate_generate,
    estimate_train,
    model_dims,
    nvidia_smi,
    plan_settings,
    precision,
    replace,
    stage_workloads,
)
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.sft.settings import SFTSettings

EXIT_OK = 0
EXIT_STEP_FAILED = 1
EXIT_NO_CUDA = 2

NO_CUDA_LINE = ("gpu-check: needs a CUDA GPU (torch.cuda.is_available() is False on this machine); nothing was run "
                "(--dry-run shows the plan; --device cpu runs the same steps on the CPU)")

# The oldest NVIDIA driver each CUDA major version runs on (minor-version compatibility): a torch wheel
# built for CUDA 13 (the index's build of the kit's pinned torch) needs a driver >= 580.
CUDA_MIN_DRIVER = {13: 580, 12: 525, 11: 450}

PACKAGED = "smollm2-135m-instruct"
PROFILE = "gpu"
STEP_NAMES = ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl", "eval")
GIB = 1024 ** 3


def _major(version: str) -> int | None:
    head = str(version or "").split(".")[0]
    return int(head) if head.isdigit() else None


def versions_line(torch_version: str, torch_cuda: str | None, smi: dict[str, Any] | None) -> str:
    """The check's first line: the driver and the CUDA versions (the driver's and torch's build)."""
    if smi is None:
        driver = "NVIDIA driver: none found (no nvidia-smi)"
    else:
        driver = (f"NVIDIA driver {smi['driver']} (supports CUDA up to {smi['driver_cuda'] or '?'}), "
                  f"{smi['count']} x {smi['name']} {smi['memory_gib']} GiB")
    build = f"built for CUDA {torch_cuda}" if torch_cuda else "a CPU build"
    return f"gpu-check: {driver}; torch {torch_version} {build}"


def no_cuda_line(torch_version: str, torch_cuda: str | None, smi: dict[str, Any] | None) -> str:
    """Why torch sees no CUDA device, in one line: no GPU at all (:data:`NO_CUDA_LINE`), a CPU build of
    torch, a driver older than torch's CUDA build needs (the version found against the one needed), or
    something else between the two (visibility, container access)."""
    if smi is None:
        return NO_CUDA_LINE
    gpu = f"{smi['name']}, driver {smi['driver']}"
    if not torch_cuda:
        return (f"gpu-check: nvidia-smi sees {gpu}, but torch {torch_version} is a CPU build; install a CUDA build of "
                "torch (make install on the GPU machine); nothing was run")
    need = CUDA_MIN_DRIVER.get(_major(torch_cuda) or 0)
    have = _major(smi["driver"])
    if need and have is not None and have < need:
        driver_cuda = smi.get("driver_cuda") or "?"
        return (f"gpu-check: torch {torch_version} is built for CUDA {torch_cuda}, which needs an NVIDIA driver >= {need}; "
                f"this machine's driver is {smi['driver']} (CUDA {driver_cuda}) on {smi['name']}: update the driver to "
                f">= {need}, or install a build of torch {torch_version.split('+')[0]} for CUDA {driver_cuda} or older "
                "(pytorch.org lists the builds and their index URLs); nothing was run")
    return (f"gpu-check: nvidia-smi sees {gpu} and torch {torch_version} is built for CUDA {torch_cuda}, yet "
            f"torch.cuda.is_available() is False; check CUDA_VISIBLE_DEVICES ({os.environ.get('CUDA_VISIBLE_DEVICES', 'unset')}) "
            "and the container's access to the GPU; nothing was run")


# --------------------------------------------------------------------------- options and plan


@dataclass(frozen=True)
class Options:
    """What to run: the device, 4-bit or not, the model spec, the sizes."""

    device: str = "cuda"
    load_in_4bit: bool = True
    model: str = PACKAGED
    steps: int = 4
    grpo_steps: int = 2
    eval_problems: int = 5
    only: tuple[str, ...] = STEP_NAMES
    out: str = ""
    full_size: bool = False  # the profile's lengths, the memory plan's micro-batches, one step each
    memory_gib: float = 0.0  # the card's memory for the plan (0: nvidia-smi's, else an 80 GB H100)

    @property
    def small(self) -> bool:
        """CPU sizes: a CPU run only has to prove the path, and the test suite runs it in seconds."""
        return self.device == "cpu"

    @property
    def dtype(self) -> str:
        # the gpu profile computes in bfloat16; on a CPU the kit trains in float32 (seedkit.training)
        return "float32" if self.device == "cpu" else "bfloat16"

    @property
    def finetune_method(self) -> str:
        return "qlora" if self.load_in_4bit else "lora"


@dataclass
class Step:
    """One step of the check: the stage's settings (the gpu profile, shrunk) and what else it takes."""

    name: str
    stage: str
    what: str
    settings: Any  # the stage's StageSettings (validated when the plan is built)
    overrides: dict[str, Any]  # what the check changes from the gpu profile's values
    extra: dict[str, Any] = field(default_factory=dict)  # sizes that are not stage settings
    shown: tuple[str, ...] = ()  # settings kept at the gpu profile's values, worth naming in the plan

    def from_profile(self) -> dict[str, Any]:
        return {k: getattr(self.settings, k) for k in self.shown}

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "stage": self.stage, "what": self.what, "profile": PROFILE,
                "settings": {**self.overrides, **self.extra}, "from_profile": self.from_profile()}


def plan(opts: Options | None = None) -> list[Step]:
    """The steps the check runs, each with the stage's settings for the ``gpu`` profile and the few values
    it shrinks. Builds (and so validates) the settings without importing torch."""

    o = opts or Options()
    small = o.small
    method = o.finetune_method
    steps: list[Step] = []

    sizes = full_sizes(o) if o.full_size else {}

    def add(name: str, stage: str, what: str, cls: Any, overrides: dict[str, Any], extra: dict[str, Any],
            shown: tuple[str, ...]) -> None:
        more, more_extra = sizes.get(name, ({}, {}))
        if more.get("gradient_checkpointing") is not None and "gradient_checkpointing" not in cls.field_types():
            more = {k: v for k, v in more.items() if k != "gradient_checkpointing"}
            more_extra = {**more_extra, "gradient_checkpointing": sizes[name][0]["gradient_checkpointing"]}
        overrides, extra = {**overrides, **more}, {**extra, **more_extra}
        steps.append(Step(name, stage, what, cls.from_params(PROFILE, **overrides), overrides, extra, shown))

    pre = dict(model_source=o.model, adapter=method, device=o.device, dtype=o.dtype, run_ablation=False,
               seq_len_stage1=64 if small else 512, seq_len_stage2=64 if small else 512,
               global_batch_size=2 if small else 8, per_device_max_batch=2 if small else 4,
               max_steps_stage1=o.steps, max_steps_stage2=0)
    if o.model == "scratch":  # the tiny profile's Llama, not the gpu profile's 100M-parameter one
        pre["scratch_model_overrides"] = dict(PROFILES["tiny"].scratch_model)
    add("03_pretraining", "03", "train_phase on FIM'd, packed code from data_samples/ (stage 1 of 03)",
        PretrainingSettings, pre, {}, ("learning_rate", "lora_r", "fim_mode", "fim_rate_stage1", "warmup_ratio"))
    add("04_sft", "04", "sft.finetune.fit: TRL SFTTrainer on chat prompt/answer pairs (training problems)",
        SFTSettings, dict(finetune_method=method, max_steps=o.steps, global_batch_size=2 if small else 8,
                          per_device_batch_max=2 if small else 8, max_length=256 if small else 1024),
        {"examples": 4 if small else 16}, ("learning_rate", "lora_r", "lora_alpha", "packing"))
    add("05_dpo", "05", "dpo.stage.train_dpo: TRL DPOTrainer on build_all_pairs' chosen/rejected pairs",
        DPOSettings, dict(finetune_method=method, max_steps=o.steps, global_batch_size=2 if small else 8,
                          per_device_batch_max=2 if small else 4, max_length=256 if small else 1024),
        {"prompts": 2 if small else 8}, ("learning_rate", "beta", "lora_r", "lora_alpha"))
    generations = 2 if small else 4
    add("06_longcot_rl", "06", "longcot_rl.grpo.train_grpo: TRL GRPOTrainer with the stage's three rewards",
        LongCoTRLSettings, dict(max_completion_lengths=[16 if small else 128], rl_steps_per_length=[o.grpo_steps],
                                curriculum_interval_steps=o.grpo_steps, num_generations=generations,
                                rl_global_batch=2 * generations, rl_per_device_max=2 * generations,
                                minibatches_per_rollout=min(2, o.grpo_steps), execution_timeout_s=2.0),
        # a rollout holds rl_global_batch / num_generations x minibatches_per_rollout problems
        {"problems": 2 * min(2, o.grpo_steps)},
        ("rl_learning_rate", "temperature", "kl_beta", "clip_epsilon_low", "clip_epsilon_high", "loss_type",
         "lora_r", "rollout_engine"))
    add("eval", "07", "eval.harness.evaluate_model_on_problems: load_basic() Python problems, generation + sandbox",
        EvalSettings, dict(eval_set="basic", eval_limit=o.eval_problems, eval_samples=2,
                           eval_max_new_tokens=16 if small else 256),
        {"language": "python"}, ("eval_temperature",))
    return [s for s in steps if s.name in o.only]


def full_sizes(o: Options) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """``--full-size``: per step, the settings (and extra sizes) of one step at the gpu profile's lengths,
    with the memory plan's micro-batch and checkpointing for the model and card: 03 at its longest
    context (stage 2's), 04 and 05 at their max_length, 06 one rollout group at the longest completion
    and one update, the evaluation at its answer length. Raises MemoryPlanError when a phase fits in
    no way."""
    memory = o.memory_gib or ((nvidia_smi() or {}).get("memory_gib") or DEFAULT_CARD_GIB)
    dims = model_dims(o.model, scratch=PROFILES["tiny"].scratch_model)
    chosen: dict[str, Any] = {}
    for cls in (PretrainingSettings, SFTSettings, DPOSettings, LongCoTRLSettings):
        base = cls.from_params(PROFILE, **({"adapter": o.finetune_method} if cls is PretrainingSettings else {}))
        plans = plan_settings(base, memory_gib=memory, dims=dims)
        check_fits(plans)
        chosen.update({f"{cls.stage}/{p.workload.phase}": p for p in plans})
        chosen[cls.stage] = base
    pre, sft, dpo, rl = (chosen[k] for k in ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl"))
    p03, p04, p05, p06 = (chosen[k] for k in ("03_pretraining/stage2", "04_sft/train", "05_dpo/train",
                                              "06_longcot_rl/grpo"))
    g = rl.num_generations
    micro06 = max(d for d in range(1, g + 1) if g % d == 0 and d <= p06.per_device_batch)
    return {
        "03_pretraining": (dict(seq_len_stage1=pre.seq_len_stage2, seq_len_stage2=pre.seq_len_stage2,
                                global_batch_size=p03.per_device_batch, per_device_max_batch=p03.per_device_batch,
                                max_steps_stage1=1, gradient_checkpointing=p03.gradient_checkpointing), {}),
        "04_sft": (dict(max_length=sft.max_length, global_batch_size=p04.per_device_batch,
                        per_device_batch_max=p04.per_device_batch, max_steps=1,
                        gradient_checkpointing=p04.gradient_checkpointing), {"examples": p04.per_device_batch}),
        "05_dpo": (dict(max_length=dpo.max_length, global_batch_size=p05.per_device_batch,
                        per_device_batch_max=p05.per_device_batch, max_steps=1,
                        gradient_checkpointing=p05.gradient_checkpointing), {"prompts": p05.per_device_batch}),
        "06_longcot_rl": (dict(max_completion_lengths=[max(rl.max_completion_lengths)], rl_steps_per_length=[1],
                               curriculum_interval_steps=1, num_generations=g, rl_global_batch=g,
                               rl_per_device_max=micro06, minibatches_per_rollout=1,
                               gradient_checkpointing=p06.gradient_checkpointing), {"problems": 1}),
        "eval": (dict(eval_max_new_tokens=EvalSettings.from_params(PROFILE).humaneval_max_new_tokens), {}),
    }


def format_plan(steps: Sequence[Step], opts: Options) -> list[str]:
    lines = [f"gpu-check plan: profile {PROFILE} on {opts.device}, model {opts.model}, "
             + (f"4-bit NF4 (bitsandbytes) + LoRA, {opts.dtype} compute" if opts.load_in_4bit
                else f"no 4-bit, LoRA, {opts.dtype}")]
    for s in steps:
        d = s.to_dict()
        lines.append(f"  {s.name} (stage {s.stage}): {s.what}")
        lines.append("      set here: " + ", ".join(f"{k}={v}" for k, v in d["settings"].items()))
        lines.append(f"      profile {PROFILE}'s: " + ", ".join(f"{k}={v}" for k, v in d["from_profile"].items()))
    return lines


__all__ = ["full_sizes", "PHASES", "planned_gib", "CUDA_MIN_DRIVER", "versions_line", "no_cuda_line", "EXIT_OK", "EXIT_STEP_FAILED", "EXIT_NO_CUDA", "NO_CUDA_LINE", "PACKAGED", "PROFILE", "STEP_NAMES", "GIB", "Options", "Step", "plan", "format_plan"]


# --------------------------------------------------------------------------- the memory plan of a step

PHASES = {"03_pretraining": ("stage1",), "04_sft": ("train",), "05_dpo": ("train",),
          "06_longcot_rl": ("rollouts", "grpo"), "eval": ("generation",)}


def planned_gib(step: Step, opts: Options, shape: tuple[int, int] | None = None) -> float | None:
    """The memory plan's peak for this step (GiB): a training step at the largest (sequences, tokens) a
    forward of it took (``shape``, from the meter; DPO's forward holds chosen and rejected), else at the
    settings' lengths; GRPO the larger of its rollout and its update; an evaluation its generation. None
    when the model's configuration cannot be read before loading (a spec the plan does not know)."""
    s = step.settings
    try:
        dims = model_dims(opts.model, scratch=PROFILES["tiny"].scratch_model)
    except SettingsError:
        return None
    p = precision(opts.device, opts.dtype)
    ckpt = bool(getattr(s, "gradient_checkpointing", False))
    peaks = []
    for w in (w for w in stage_workloads(s) if w.phase in PHASES[step.name]):
        if step.name in ("06_longcot_rl", "eval"):  # the check's model: 4-bit or not as asked, LoRA for 06
            w = replace(w, method=(opts.finetune_method if step.name == "06_longcot_rl" else
                                   ("qlora" if opts.load_in_4bit else "full")))
        if w.kind == "generate":
            if step.name == "eval":
                w = replace(w, new_tokens=s.eval_max_new_tokens, sequences=opts.eval_problems * s.eval_samples)
            peaks.append(estimate_generate(dims, w, min(w.sequences or MAX_SLOTS, MAX_SLOTS), p).total)
            continue
        micro = min(w.per_device_max, w.global_batch)
        if shape is not None and step.name != "06_longcot_rl":
            rows, tokens = shape
            micro = max(1, rows // 2) if w.kind == "dpo" else rows
            w = replace(w, seq_len=tokens)
        peaks.append(estimate_train(dims, w, micro, ckpt, p).total)
    return round(max(peaks) / GIB, 3) if peaks else None
