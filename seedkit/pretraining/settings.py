"""Settings of stage 03 (pretraining): what a notebook's parameters cell may set.

Defaults are the ``smol`` values (a laptop CPU, a few minutes through both stages); ``tiny``
(tests, CI) and ``gpu`` differences are in ``PROFILE_DEFAULTS``. The report's full-scale numbers
are given in each field's help so the reader can see what was scaled down and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import PROFILES, SettingsError, TrainingStageSettings


@dataclass
class PretrainingSettings(TrainingStageSettings):
    """Two-stage pretraining (regular, then continued) with FIM, repo-level data and the ablation."""

    stage: ClassVar[str] = "03_pretraining"
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            seq_len_stage1=64, seq_len_stage2=128, global_batch_size=8, per_device_max_batch=8,
            max_steps_stage1=24, max_steps_stage2=8, learning_rate=3e-3, save_steps=8, eval_steps=8,
            heldout_files=8, heldout_max_blocks=4, ablation_token_budget=4096, completion_max_new_tokens=16,
            fim_demo_max_new_tokens=12,
        ),
        "gpu": dict(
            model_source="base", torch_threads=0, seq_len_stage1=2048, seq_len_stage2=8192, global_batch_size=32,
            per_device_max_batch=4, max_steps_stage1=400, max_steps_stage2=100, learning_rate=2e-4,
            save_steps=100, eval_steps=50, heldout_max_blocks=32, ablation_token_budget=2_000_000,
        ),
    }

    # ----------------------------------------------------------------- model
    model_source: str = field(default="scratch", metadata={"help": (
        "'scratch' trains the profile's Llama from a fresh init (smol: 6 layers x 256 wide, 6.5M parameters, "
        "~1,800 tokens per CPU-second measured, so a few minutes see ~0.5M tokens and held-out loss falls by "
        "several nats); 'base' continues pretraining the profile's base model (smol: SmolLM2-135M with LoRA, "
        "~290 tokens/s measured (docs/environment.md): ~6x fewer tokens, too few to move a 135M model or show the ablation); "
        "or any model spec")})
    adapter: Literal["auto", "full", "lora", "qlora"] = field(default="auto", metadata={"help": (
        "for a loaded model: auto = the profile's choice (smol LoRA, gpu 4-bit QLoRA); a scratch model "
        "is always trained in full")})
    scratch_model_overrides: dict[str, int] = field(default_factory=dict, metadata={"help": (
        "change the profile's scratch Llama dims (hidden_size, num_hidden_layers, vocab_size, ...); "
        "vocab_size also sizes the BPE tokenizer trained on the run's corpus")})
    device: str = field(default="", metadata={"help": "empty = the profile's (auto: CUDA if visible)"})
    dtype: str = field(default="", metadata={"help": "empty = the profile's (auto: float32 on CPU, bf16 on GPUs)"})

    # ----------------------------------------------------------------- data
    corpus: Literal["filtered", "rules_only"] = field(default="filtered", metadata={"help": (
        "stage 02's LLM-filtered files, or the rules-only sample of the same size (the ablation's control)")})
    curation_dir: str = field(default="", metadata={"help": "empty = this run's 01_curation; or a stage dir of another run"})
    filter_dir: str = field(default="", metadata={"help": "empty = this run's 02_llm_filter; or a stage dir of another run"})
    web_weight: float = field(default=0.1, metadata={"help": (
        "share of stage-1 tokens from code web pages (report: web data is a minor part of its 6T tokens)")})
    commits_weight: float = field(default=0.1, metadata={"help": (
        "share of stage-1 tokens from commit samples (report: 74M commits as message+context -> diff)")})
    stage2_repo_weight: float = field(default=0.5, metadata={"help": (
        "share of stage-2 tokens from repository-level samples; the rest is the top-scored files")})
    stage2_top_fraction: float = field(default=0.5, metadata={"help": (
        "stage 2 'higher-quality' files = this top fraction of the corpus by quality_score")})
    heldout_files: int = field(default=24, metadata={"help": (
        "the highest-scored files held out of training (both corpora) to measure loss on")})
    heldout_max_blocks: int = field(default=16, metadata={"help": "cap on held-out blocks per language (eval cost)"})

    # ----------------------------------------------------------------- FIM
    fim_mode: Literal["spm", "psm"] = field(default="spm", metadata={"help": (
        "suffix-prefix-middle as the report uses; psm = prefix-suffix-middle")})
    fim_rate_stage1: float = field(default=0.5, metadata={"help": "report: FIM rate 0.5 in regular pretraining"})
    fim_rate_stage2: float = field(default=0.1, metadata={"help": "report: FIM rate 0.1 in continued pretraining"})

    # ----------------------------------------------------------------- training
    seq_len_stage1: int = field(default=256, metadata={"help": "report: 8K context in regular pretraining"})
    seq_len_stage2: int = field(default=512, metadata={"help": "report: 32K context in continued pretraining"})
    global_batch_size: int = field(default=8, metadata={"help": (
        "sequences per optimizer step, kept the same for any number of processes")})
    per_device_max_batch: int = field(default=8, metadata={"help": "above this per device the rest is accumulated"})
    max_steps_stage1: int = field(default=160, metadata={"help": "smol: ~330k tokens, ~3 min of one core"})
    max_steps_stage2: int = field(default=32, metadata={"help": "smol: ~130k tokens at 512 context, ~1.5 min"})
    learning_rate: float = field(default=2e-3, metadata={"help": (
        "peak LR of stage 1 (small scratch models take a high LR; use ~2e-4 for LoRA). Stage 1 decays "
        "it by cosine to LR/sqrt(10); stage 2 goes from LR/sqrt(10) to LR/100 (the report's schedule)")})
    warmup_ratio: float = field(default=0.05, metadata={"help": "linear warm-up share of stage 1"})
    weight_decay: float = field(default=0.1, metadata={"help": "AdamW weight decay, the usual Llama value"})
    save_steps: int = field(default=40, metadata={"help": "checkpoint every N steps (resume after a kill)"})
    eval_steps: int = field(default=40, metadata={"help": "held-out loss every N steps (the loss curves)"})

    # ----------------------------------------------------------------- demos
    completion_max_new_tokens: int = field(default=48, metadata={"help": "greedy completion length after each stage"})
    fim_demo_max_new_tokens: int = field(default=32, metadata={"help": "tokens the model may write into the cut-out middle"})

    # ----------------------------------------------------------------- ablation
    run_ablation: bool = field(default=True, metadata={"help": (
        "train two fresh scratch models, on filtered and on rules_only, at the same token budget")})
    ablation_token_budget: int = field(default=98_304, metadata={"help": (
        "tokens each ablation model sees (report Figure 6: equal tokens per corpus; smol ~1 min each)")})

    def validate(self) -> None:
        super().validate()
        for name in ("web_weight", "commits_weight", "stage2_repo_weight", "stage2_top_fraction",
                     "fim_rate_stage1", "fim_rate_stage2", "warmup_ratio"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise SettingsError(f"{name}: {v} must be between 0 and 1")
        if self.web_weight + self.commits_weight > 1.0:
            raise SettingsError(f"web_weight + commits_weight = {self.web_weight + self.commits_weight} leaves no "
                                "room for code files: keep their sum at most 1")
        if self.stage2_top_fraction <= 0:
            raise SettingsError("stage2_top_fraction: must be > 0 (stage 2 needs some files)")
        for name in ("seq_len_stage1", "seq_len_stage2", "global_batch_size", "per_device_max_batch",
                     "max_steps_stage1", "save_steps", "eval_steps", "heldout_files", "heldout_max_blocks"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name}: must be >= 1")
        if self.max_steps_stage2 < 0:
            raise SettingsError("max_steps_stage2: must be >= 0 (0 skips continued pretraining)")
        if self.seq_len_stage2 < self.seq_len_stage1:
            raise SettingsError(f"seq_len_stage2 ({self.seq_len_stage2}) must be >= seq_len_stage1 "
                                f"({self.seq_len_stage1}): continued pretraining lengthens the context")
        if self.learning_rate <= 0:
            raise SettingsError("learning_rate: must be > 0")
        dims = dict(PROFILES[self.profile].scratch_model)
        unknown = set(self.scratch_model_overrides) - set(dims)
        if unknown:
            raise SettingsError(f"scratch_model_overrides: unknown dims {sorted(unknown)}; known: {sorted(dims)}")
        dims.update(self.scratch_model_overrides)
        if self.model_source == "scratch" and self.seq_len_stage2 > dims["max_position_embeddings"]:
            raise SettingsError(f"seq_len_stage2 ({self.seq_len_stage2}) exceeds the scratch model's "
                                f"max_position_embeddings ({dims['max_position_embeddings']})")
        if self.run_ablation and self.ablation_token_budget < self.seq_len_stage1 * self.global_batch_size:
            raise SettingsError(f"ablation_token_budget ({self.ablation_token_budget}) is less than one step "
                                f"({self.seq_len_stage1} x {self.global_batch_size} tokens)")

    # ----------------------------------------------------------------- derived

    def scratch_dims(self) -> dict[str, int]:
        dims = dict(PROFILES[self.profile].scratch_model)
        dims.update(self.scratch_model_overrides)
        return dims

    def model_spec(self) -> str:
        """The load_model spec: 'scratch', the profile's base model, or what the user named."""
        if self.model_source == "base":
            return PROFILES[self.profile].base_model
        return self.model_source

    def adapter_choice(self) -> tuple[str, str]:
        """(full | lora | qlora, reason)."""
        if self.model_spec() == "scratch":
            return "full", "a scratch model has no pretrained weights to keep frozen"
        if self.adapter != "auto":
            return self.adapter, "set by you"
        prof = PROFILES[self.profile]
        if prof.load_in_4bit:
            return "qlora", f"profile {self.profile}: 4-bit base weights + LoRA"
        if prof.use_lora:
            return "lora", f"profile {self.profile}: LoRA adapters on a frozen base"
        return "full", f"profile {self.profile}: full fine-tune"

    def resolved_device(self) -> str:
        return self.device or PROFILES[self.profile].device

    def resolved_dtype(self) -> str:
        return self.dtype or PROFILES[self.profile].dtype
