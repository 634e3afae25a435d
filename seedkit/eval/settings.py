"""Settings of stage 07 (evaluation): which models, which problems, how to sample."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from seedkit.config import EvidenceSettings, SettingsError

MODEL_STAGES = ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl")


@dataclass
class EvalSettings(EvidenceSettings):
    """Stage 07: every model of the run plus the profile's reference model on the same problems."""

    stage: ClassVar[str] = "07_eval"
    PROFILE_DEFAULTS: ClassVar[dict[str, dict]] = {
        "tiny": dict(humaneval_problems=2, heldout_problems=2, max_new_tokens=24, batch_size=4),
        "gpu": dict(humaneval_problems=164, heldout_problems=51, max_new_tokens=512, batch_size=32, torch_threads=0),
    }

    humaneval_problems: int = field(default=10, metadata={"help": (
        "the first N of HumanEval's 164 (0 = none, 164 = all). 10 because smol evaluates up to five models "
        "(four of them 135M parameters) on CPU and must finish in under 10 minutes on 2 cores: SmolLM2 on "
        "10 + 8 problems at 256 tokens took 74 CPU-seconds (1 thread), so about 5 minutes for all five on an "
        "idle machine (two full batches of 8 Python prompts plus one of JavaScript per model). "
        "The gpu profile uses all 164")})
    heldout_problems: int = field(default=8, metadata={"help": (
        "how many of the kit's held-out problems (0 = none, 51 = all); a fifth of them JavaScript when "
        "javascript is among heldout_languages. 8 for the same time budget as humaneval_problems")})
    heldout_languages: list[str] = field(default_factory=lambda: ["python", "javascript"], metadata={
        "help": "languages of the held-out set to use; JavaScript needs node (skipped with a reason otherwise)"})
    stages: list[str] = field(default_factory=lambda: list(MODEL_STAGES), metadata={
        "help": "stages whose models to evaluate (those the run has; the rest are skipped with a message)"})
    include_reference: bool = field(default=True, metadata={
        "help": "also evaluate the profile's reference model (its base_model), the yardstick for the run's models"})
    reference_model: str = field(default="", metadata={
        "help": "model spec of the reference; empty = the profile's base_model"})
    extra_models: list[str] = field(default_factory=list, metadata={
        "help": "more model specs or OpenAI-compatible server URLs (with server_model) to put side by side"})
    server_model: str = field(default="", metadata={"help": "the model name a server URL in extra_models serves"})
    prompt_format: Literal["auto", "completion", "chat"] = field(default="auto", metadata={
        "help": "auto: base models continue the prompt, chat models get the instruction + prompt"})
    n_samples: int = field(default=1, metadata={
        "help": "samples per problem; 1 with greedy decoding is the standard pass@1; use >= 10 with "
                "temperature 0.8 for pass@10"})
    temperature: float = field(default=0.0, metadata={"help": "0 = greedy (deterministic); > 0 samples"})
    k_values: list[int] = field(default_factory=lambda: [1], metadata={
        "help": "pass@k to report; each k needs n_samples >= k"})
    max_new_tokens: int = field(default=256, metadata={
        "help": "answer length cap: 256 fits nearly every HumanEval solution and bounds CPU time"})
    batch_size: int = field(default=8, metadata={"help": "prompts per generate() call; 8 is fastest for 135M on CPU"})
    workers: int = field(default=0, metadata={"help": "sandbox workers; 0 = one per CPU core"})
    timeout_s: float = field(default=10.0, metadata={
        "help": "wall and CPU seconds per program; HumanEval's slowest reference needs about 1 s"})

    def validate(self) -> None:
        super().validate()
        from seedkit.problems import LANGUAGES

        if self.n_samples < 1:
            raise SettingsError(f"n_samples: {self.n_samples} must be at least 1")
        if self.n_samples > 1 and self.temperature <= 0:
            raise SettingsError(f"n_samples={self.n_samples} needs temperature > 0 (greedy answers are identical)")
        bad_k = [k for k in self.k_values if k < 1 or k > self.n_samples]
        if bad_k or not self.k_values:
            raise SettingsError(f"k_values: {self.k_values} must be between 1 and n_samples={self.n_samples}")
        for lang in self.heldout_languages:
            if lang not in LANGUAGES:
                raise SettingsError(f"heldout_languages: {lang!r} is not one of {', '.join(LANGUAGES)}")
        for s in self.stages:
            if s not in MODEL_STAGES:
                raise SettingsError(f"stages: {s!r} is not one of {', '.join(MODEL_STAGES)}")
        for name in ("humaneval_problems", "heldout_problems"):
            v = getattr(self, name)
            if v < 0:
                raise SettingsError(f"{name}: {v} must be >= 0 (0 = none of that set)")
        if (self.humaneval_problems == 0) and (self.heldout_problems == 0):
            raise SettingsError("humaneval_problems and heldout_problems are both 0: nothing to evaluate")
        if any(m.startswith(("http://", "https://")) for m in self.extra_models) and not self.server_model:
            raise SettingsError("server_model: a server URL in extra_models needs the name of the model it serves")
        if self.max_new_tokens < 1 or self.batch_size < 1 or self.timeout_s <= 0:
            raise SettingsError("max_new_tokens, batch_size and timeout_s must be positive")
