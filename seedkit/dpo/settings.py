"""Settings of stage 05 (execution-verified preference pairs + DPO).

Defaults are the ``smol`` values: the stage-04 model (SmolLM2 after SFT) samples answers for the
prompts stage 04 left for it on two CPU cores, the sandbox scores them, pairs are built, and a
LoRA adapter is trained with DPO. ``tiny`` shrinks every count so that the notebook runs in
seconds with the ~1M-parameter chain (whose samples never pass, so its pairs come from the
off-policy fallback); ``gpu`` samples more, longer answers and trains QLoRA. How the stage
measures its effect (the ``eval_*`` fields) is shared by every stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import DataGenerationSettings, SettingsError
from seedkit.problems import parse_problem_sources
from seedkit.training import rate_for_method, rate_reason

# The report's DPO learning rate, for full fine-tuning of the whole model.
REPORT_LEARNING_RATE = 5e-6


@dataclass
class DPOSettings(DataGenerationSettings):
    stage: ClassVar[str] = "05_dpo"
    # The steps before training, and the settings only training reads: a new beta or learning rate reuses the
    # prompts, samples, outcomes and pairs (seedkit.runs.StageRun keys those steps without these settings).
    DATA_STEPS: ClassVar[tuple[str, ...]] = ("prompts", "samples", "outcomes", "pairs")
    TRAINING_FIELDS: ClassVar[tuple[str, ...]] = ("beta", "learning_rate", "num_epochs", "max_steps", "global_batch_size",
                                                  "per_device_batch_max", "lora_r", "lora_alpha", "max_length",
                                                  "report_to")
    # what notebook 05 teaches: how pairs are sampled and built, and how far DPO moves the policy
    TAUGHT: ClassVar[tuple[str, ...]] = ("samples_per_prompt", "sampling_temperature", "max_pairs_per_prompt",
                                         "off_policy_fallback", "heldout_prompt_fraction", "finetune_method", "beta",
                                         "learning_rate")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            max_prompts=6, samples_per_prompt=2, sampling_max_new_tokens=32, finetune_method="full",
            learning_rate=1e-3, max_steps=6, global_batch_size=2, per_device_batch_max=2, max_length=256,
            sandbox_timeout_s=3.0,
        ),
        # hour: twice smol's prompts and steps, so the pairs are not reused more than on smol
        "hour": dict(max_prompts=48, max_steps=32),
        "gpu": dict(
            max_prompts=0, samples_per_prompt=8, sampling_max_new_tokens=512,
            finetune_method="qlora", learning_rate=rate_for_method("qlora", REPORT_LEARNING_RATE), max_steps=0,
            num_epochs=1.0, global_batch_size=32, per_device_batch_max=4, max_length=2048, max_pairs_per_prompt=4,
            torch_threads=0,
        ),
        # Several GPUs: a bf16 LoRA adapter (the base model is the reference under DDP/FSDP without a
        # second copy), otherwise the gpu values.
        "multi-gpu": dict(
            max_prompts=0, samples_per_prompt=8, sampling_max_new_tokens=512,
            finetune_method="lora", learning_rate=rate_for_method("lora", REPORT_LEARNING_RATE), max_steps=0, num_epochs=1.0,
            global_batch_size=32, per_device_batch_max=4, max_length=2048, max_pairs_per_prompt=4, torch_threads=0,
        ),
    }

    # ------------------------------------------------------------------ inputs and model
    sft_input: str = field(default="", metadata={
        "help": "stage 04 directory to read data/ and model/ from; empty = this run's 04_sft"})
    policy_model: str = field(default="", metadata={
        "help": "model that samples the answers and is trained; empty = run:<run>/04_sft (on-policy: "
                "the pairs come from the model DPO then updates)"})
    use_held_for_dpo: bool = field(default=True, metadata={
        "help": "prompts from stage 04's verified items with split == 'held_for_dpo' (never seen in SFT)"})
    use_train_problems: bool = field(default=True, metadata={
        "help": "prompts from the kit's training problems (problem_sources) that stage 04 did not train on (its "
                "stats name them); evaluation problems are never used for pairs"})
    problem_sources: str = field(default="train,generated", metadata={
        "help": "the training problems pairs may be drawn from: train (data_samples/problems/train.jsonl, 68 written "
                "by hand), generated (data_samples/problems/generated.jsonl, 2,000 from the procedural families) or "
                "a JSONL file, each with an optional count (its first N). Every profile: all of train and generated, "
                "so stage 04's share and these never run short; max_prompts, not this, sets how many are sampled "
                "(smol 24, tiny 6), so more sources add variety, not time"})
    heldout_prompt_fraction: float = field(default=0.25, metadata={
        "help": "share of the prompts whose pairs are not trained on: the preference accuracy before and after "
                "DPO is measured on them (pairs from problems the policy never trained on)"})
    max_prompts: int = field(default=24, metadata={
        "help": "prompts to sample (0 = all); each costs samples_per_prompt generations, ~6 s per prompt "
                "with SmolLM2 on 2 cores"})

    # ------------------------------------------------------------------ sampling and verification
    sampler_server_url: str = field(default="", metadata={
        "help": "empty = sample in-process from the policy; or an OpenAI-compatible server (vLLM: serve the "
                "stage-04 model there) so sampling scales out while training stays here"})
    server_model: str = field(default="", metadata={"help": "the model name sampler_server_url serves"})
    samples_per_prompt: int = field(default=4, metadata={
        "help": "answers sampled per prompt; the report sampled many, 4 is what 2 cores afford and "
                "already gives mixed pass/fail prompts"})
    sampling_temperature: float = field(default=0.8, metadata={
        "help": "> 0 so the answers to one prompt differ (greedy decoding gives n copies)"})
    sampling_max_new_tokens: int = field(default=160, metadata={
        "help": "one function's worth of tokens; sampling also stops at the end of the first code block"})
    sandbox_workers: int = field(default=2, metadata={"help": "parallel sandbox jobs: the 2 cores"})
    sandbox_timeout_s: float = field(default=5.0, metadata={
        "help": "wall-clock limit per program; the kit's problems finish in milliseconds, so a loop "
                "that runs longer is a failure"})

    # ------------------------------------------------------------------ pairs
    max_pairs_per_prompt: int = field(default=2, metadata={
        "help": "pairs built from one prompt: more would let easy prompts dominate the set"})
    off_policy_fallback: bool = field(default=True, metadata={
        "help": "when no sample of a prompt passes, pair the verified reference (chosen) with a failing "
                "sample (rejected), flagged off_policy: the only source of pairs for a model that never passes"})
    max_off_policy_pairs_per_prompt: int = field(default=1, metadata={
        "help": "fallback pairs per prompt: one, so that the model's own pass/fail contrasts are not "
                "outnumbered (SmolLM2 passes ~15% of samples: 3 of 4 prompts need the fallback)"})

    # ------------------------------------------------------------------ training
    finetune_method: Literal["lora", "full", "qlora"] = field(default="lora", metadata={
        "help": "LoRA on CPU (the base model then doubles as the DPO reference, no second copy in memory); "
                "full for the 1M tiny model (a frozen copy is the reference); QLoRA on GPUs"})
    lora_r: int = field(default=16, metadata={"help": "adapter rank; 16 on q,k,v,o as measured (docs/environment.md)"})
    lora_alpha: int = field(default=32, metadata={"help": "2 x r, the usual scaling"})
    beta: float = field(default=0.1, metadata={
        "help": "DPO temperature: how far the policy may move from the reference (the DPO paper's 0.1)"})
    learning_rate: float = field(default=1e-4, metadata={
        "help": "LoRA DPO rate: high enough to move the margins in 16 small steps (5e-5 moved them by "
                "0.13 in 5 steps of 4 pairs), half the SFT rate"})
    num_epochs: float = field(default=1.0, metadata={"help": "epochs over the pairs; used when max_steps = 0"})
    max_steps: int = field(default=16, metadata={
        "help": "optimizer steps; 0 = num_epochs. A SmolLM2 DPO step on 4 pairs of ~350 tokens costs ~40 "
                "CPU-seconds (policy and reference forwards, one backward), so 16 steps of 2 pairs"})
    global_batch_size: int = field(default=2, metadata={
        "help": "pairs per optimizer step, whatever the process count; 2 keeps smol's training to a few minutes"})
    per_device_batch_max: int = field(default=1, metadata={"help": (
        "pairs per forward pass, the rest gradient accumulation (the same update). smol: 1, so that only a "
        "pair's two answers are padded to each other (stage 04 measured one sequence per forward 1.2-1.4x "
        "faster than padded batches of 4 on the CPU)")})
    max_length: int = field(default=512, metadata={"help": "tokens per prompt + answer; longer pairs are cut"})

    def validate(self) -> None:
        super().validate()
        if self.sampler_server_url and not self.server_model:
            raise SettingsError("server_model: sampler_server_url needs the name of the model the server serves")
        if self.samples_per_prompt < 2:
            raise SettingsError("samples_per_prompt: must be >= 2 (a pair needs a passing and a failing answer)")
        if self.sampling_temperature <= 0:
            raise SettingsError("sampling_temperature: must be > 0 (greedy decoding gives identical samples)")
        try:
            parse_problem_sources(self.problem_sources)
        except ValueError as e:
            raise SettingsError(str(e)) from None
        if not (self.use_held_for_dpo or self.use_train_problems):
            raise SettingsError("use_held_for_dpo / use_train_problems: at least one prompt source must be on")
        if self.max_prompts < 0:
            raise SettingsError("max_prompts: must be >= 0 (0 = all)")
        if not 0.0 <= self.heldout_prompt_fraction < 1.0:
            raise SettingsError(f"heldout_prompt_fraction: {self.heldout_prompt_fraction} must be in [0, 1)")
        if self.max_pairs_per_prompt < 1 or self.max_off_policy_pairs_per_prompt < 1:
            raise SettingsError("max_pairs_per_prompt and max_off_policy_pairs_per_prompt: must be >= 1 "
                                "(turn the fallback off with off_policy_fallback = False)")
        if self.beta <= 0:
            raise SettingsError("beta: must be > 0")
        if self.max_steps < 0 or (self.max_steps == 0 and self.num_epochs <= 0):
            raise SettingsError("max_steps: must be > 0, or 0 with num_epochs > 0")
        if self.global_batch_size < 1 or self.per_device_batch_max < 1:
            raise SettingsError("global_batch_size and per_device_batch_max: must be >= 1")

    # ------------------------------------------------------------------ resolved values

    def resolved_policy_model(self) -> str:
        return self.resolve_model_spec(self.policy_model or "run:{run}/04_sft")

    # ------------------------------------------------------------------ the report, row by row

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit value is this profile's)."""
        steps = f"{self.max_steps} steps" if self.max_steps else f"{self.num_epochs:g} epoch(s)"
        method = {"full": "full fine-tuning", "lora": f"LoRA r={self.lora_r}", "qlora": f"QLoRA r={self.lora_r}"}
        prompts = "all" if not self.max_prompts else f"up to {self.max_prompts}"
        rows = [
            ("pairs", "about 20K on-policy preference pairs",
             f"{prompts} prompts x {self.samples_per_prompt} samples, up to {self.max_pairs_per_prompt} pairs a prompt",
             "what the profile's time budget affords"),
            ("prompts", "prompts with unit tests",
             "stage 04's verified items held back from SFT + the kit's training problems stage 04 did not train on",
             "same: prompts with tests; the evaluation problems are never used"),
            ("policy that samples", "the SFT model (on-policy)", self.resolved_policy_model(), "same"),
            ("judge of answers", "execution against the tests", "seedkit.sandbox", "same"),
            ("pair rule", "a passing answer preferred to a failing one",
             "passing vs failing; failures on a test before run-time errors and syntax errors"
             + ("; a verified reference vs a failing sample (flagged off-policy) where nothing passed"
                if self.off_policy_fallback else ""),
             "same rule; the fallback gives pairs where a small model never passes"),
            ("training", "DPO, full fine-tuning", f"TRL DPO, {method[self.finetune_method]}, beta {self.beta:g}, {steps}",
             "same loss; adapters fit the profile's memory (the frozen base doubles as the reference model)"
             if self.finetune_method != "full" else "same"),
            ("learning rate", f"{REPORT_LEARNING_RATE:g} (full fine-tuning)", f"{self.learning_rate:g}",
             rate_reason(self.finetune_method, self.learning_rate, REPORT_LEARNING_RATE, self.origin("learning_rate"),
                         "learning_rate", note=self.help_of("learning_rate"))),
            ("reference model", "the SFT model", "the stage-04 model (adapter off, or a frozen copy)", "same"),
        ]
        return [{"setting": a, "report": b, "kit": c, "why": d} for a, b, c, d in rows]
