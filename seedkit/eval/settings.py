"""Settings of stage 07 (evaluation): which models, which problems, how to sample.

The ``eval_*`` fields (inherited from :class:`seedkit.config.EvidenceSettings`) are the ones every
training stage measures its model with; stage 07 keeps them equal to the stages' so that it reuses
their measurements instead of generating again (seedkit.measure.effects). HumanEval has its own
sample count and length cap because its prompts and answers are longer (its cost is measured in
docs/environment.md, "Evaluation cost").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from seedkit.config import EvidenceSettings, SettingsError

MODEL_STAGES = ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl")


@dataclass
class EvalSettings(EvidenceSettings):
    """Stage 07: the profile's base model and every model of the run, each beside its parent."""

    stage: ClassVar[str] = "07_eval"
    TAUGHT: ClassVar[tuple[str, ...]] = ("eval_limit", "eval_samples", "eval_temperature", "prompt_format",
                                         "parent_in_child_format", "humaneval_limit", "extra_models")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict]] = {
        "tiny": dict(humaneval_limit=2, humaneval_samples=1, humaneval_max_new_tokens=24),  # the path, tested
        "gpu": dict(humaneval_limit=164, humaneval_samples=10, humaneval_max_new_tokens=512, torch_threads=0),
    }

    stages: list[str] = field(default_factory=lambda: list(MODEL_STAGES), metadata={
        "help": "stages whose models to evaluate (those the run has; the rest are skipped with a message)"})
    include_base: bool = field(default=True, metadata={"help": (
        "also evaluate the profile's base model (smol: the packaged SmolLM2-135M-Instruct, which stage 03 "
        "continues to pretrain): the root of the chain of models. On tiny the base is a random model, so "
        "the stage-03 model is the root instead")})
    base_model: str = field(default="", metadata={"help": "spec of the base model; empty = the profile's"})
    extra_models: list[str] = field(default_factory=list, metadata={
        "help": "more model specs or OpenAI-compatible server URLs (with server_model) to put side by side"})
    server_model: str = field(default="", metadata={"help": "the model name a server URL in extra_models serves"})
    prompt_format: Literal["auto", "completion", "chat", "reasoning"] = field(default="auto", metadata={"help": (
        "auto: each model is asked the way it was trained (base models continue the prompt, chat models get "
        "the instruction in their chat template, stage 06's models its reasoning turn)")})
    parent_in_child_format: Literal["reuse", "measure", "off"] = field(default="reuse", metadata={"help": (
        "when a model and its parent are asked in different formats (smol: the instruct base in chat, stage 03 "
        "in completion), the difference mixes training with format. 'reuse' also shows the difference with the "
        "parent asked in the child's format where a stage measured that already (stage 03 does); 'measure' "
        "generates it where missing (one more model measurement per such pair); 'off' shows only the "
        "as-trained difference")})
    humaneval_limit: int = field(default=0, metadata={"help": (
        "the first N of HumanEval's 164 (0 = leave HumanEval out). smol: 0. The field's yardstick, but at the "
        "smol scale it shows nothing the basic tier does not: the packaged SmolLM2 solved 0 of the first 20 "
        "(greedy, chat), one greedy sample on 20 problems gives an interval about +-0.2 wide, and 20 problems "
        "for 6 models took 380 s of the pipeline's time budget. Measure one model with `seedkit eval "
        "humaneval --model run:smol/04_sft`, or set humaneval_limit=164; gpu: all 164")})
    humaneval_samples: int = field(default=1, metadata={"help": (
        "samples per HumanEval problem, at eval_temperature when > 1 (1 = greedy, the standard pass@1)")})
    humaneval_max_new_tokens: int = field(default=256, metadata={"help": (
        "answer length cap on HumanEval. 256 on smol: of the packaged model's 20 greedy answers, those that "
        "passed any test were at most 66 tokens long, while 5 ran to a 384 cap in a repetition loop (all "
        "failing); the cap cuts those short")})
    eval_batch_size: int = field(default=0, metadata={"help": (
        "prompts per generate() call when stage 07 loads a model (each carries its samples); 0 = the "
        "generator's default")})
    workers: int = field(default=0, metadata={"help": "sandbox workers; 0 = one per CPU core"})
    timeout_s: float = field(default=10.0, metadata={
        "help": "wall and CPU seconds per program; HumanEval's slowest reference needs about 1 s"})

    def validate(self) -> None:
        super().validate()
        for s in self.stages:
            if s not in MODEL_STAGES:
                raise SettingsError(f"stages: {s!r} is not one of {', '.join(MODEL_STAGES)}")
        if self.humaneval_limit < 0 or self.humaneval_limit > 164:
            raise SettingsError(f"humaneval_limit: {self.humaneval_limit}; use 0 (no HumanEval) to 164 (all)")
        if self.humaneval_samples < 1 or self.humaneval_max_new_tokens < 1:
            raise SettingsError("humaneval_samples and humaneval_max_new_tokens must be at least 1")
        if self.humaneval_samples > 1 and self.eval_temperature <= 0:
            raise SettingsError(f"humaneval_samples={self.humaneval_samples} needs eval_temperature > 0 "
                                "(greedy answers are identical)")
        if any(m.startswith(("http://", "https://")) for m in self.extra_models) and not self.server_model:
            raise SettingsError("server_model: a server URL in extra_models needs the name of the model it serves")
        if self.eval_batch_size < 0 or self.timeout_s <= 0 or self.workers < 0:
            raise SettingsError("eval_batch_size and workers must be >= 0, timeout_s > 0")

    def humaneval_settings(self) -> EvalSettings:
        """These settings as HumanEval is measured with (its own samples and length cap)."""
        temperature = self.eval_temperature if self.humaneval_samples > 1 else 0.0
        return self.replace(eval_samples=self.humaneval_samples, eval_temperature=temperature,
                            eval_max_new_tokens=self.humaneval_max_new_tokens)
