"""What ``make gpu-check`` runs: its options, its steps with their settings, and its exit codes
(see :mod:`seedkit.checks.gpu`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from seedkit.config import PROFILES
from seedkit.dpo.settings import DPOSettings
from seedkit.eval.settings import EvalSettings
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.sft.settings import SFTSettings

EXIT_OK = 0
EXIT_STEP_FAILED = 1
EXIT_NO_CUDA = 2

NO_CUDA_LINE = ("gpu-check: needs a CUDA GPU (torch.cuda.is_available() is False on this machine); nothing was run "
                "(--dry-run shows the plan; --device cpu runs the same steps on the CPU)")

PACKAGED = "smollm2-135m-instruct"
PROFILE = "gpu"
STEP_NAMES = ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl", "eval")
GIB = 1024 ** 3


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

    def add(name: str, stage: str, what: str, cls: Any, overrides: dict[str, Any], extra: dict[str, Any],
            shown: tuple[str, ...]) -> None:
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


__all__ = ["EXIT_OK", "EXIT_STEP_FAILED", "EXIT_NO_CUDA", "NO_CUDA_LINE", "PACKAGED", "PROFILE", "STEP_NAMES", "GIB", "Options", "Step", "plan", "format_plan"]
