"""Settings of stage 03 (pretraining): what a notebook's parameters cell may set.

Defaults are the ``smol`` values (a laptop CPU: continued pretraining of the packaged
SmolLM2-135M-Instruct, a few minutes through both stages); ``tiny`` (tests, CI: a ~1M-parameter
Llama trained from scratch) and ``gpu`` differences are in ``PROFILE_DEFAULTS``. The report's
full-scale numbers are in each field's help and in :meth:`PretrainingSettings.report_comparison`,
so a reader sees what was scaled down, by how much and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import PROFILES, SettingsError, TrainingStageSettings
from seedkit.pretraining.train import stage_lr

# The report's pretraining numbers the kit maps onto its settings (Seed-Coder tech report, 2025).
REPORT_PEAK_LR = 3e-4

# smol's choice between full fine-tuning and LoRA for continued pretraining, measured on two CPU cores
# (docs/environment.md, "Stage 03 on smol"); adapter="auto" takes it and prints the reason.
SMOL_ADAPTER = "full"
SMOL_ADAPTER_WHY = ("profile smol: measured on two cores, full training at LR 3e-5 lowered held-out loss 1.45x "
                    "more per CPU-minute than LoRA (r=16, every linear layer, LR 2e-4), although LoRA ran 1.2x "
                    "more tokens per CPU-second (docs/environment.md)")


@dataclass
class PretrainingSettings(TrainingStageSettings):
    """Two-stage pretraining (regular, then continued) with FIM, repo-level data and the ablation."""

    stage: ClassVar[str] = "03_pretraining"
    # The steps that read no training setting (the packed blocks; the parent's held-out loss, chat ability and
    # demos), and the settings only training reads: a new learning rate, schedule, adapter or checkpointing
    # trains again without packing the blocks or measuring the parent again (seedkit.runs.StageRun keys those
    # steps without these settings). The ablation reads the schedule too, so it stays keyed by them.
    DATA_STEPS: ClassVar[tuple[str, ...]] = ("blocks_stage1", "blocks_stage2", "heldout_parent", "chat_parent",
                                             "demos_parent")
    TRAINING_FIELDS: ClassVar[tuple[str, ...]] = ("learning_rate", "warmup_ratio", "weight_decay", "save_steps",
                                                  "eval_steps", "adapter", "lora_r", "gradient_checkpointing",
                                                  "report_to")
    # What notebook 03 teaches (its parameters cell); every other field is still a parameter.
    TAUGHT: ClassVar[tuple[str, ...]] = ("fim_mode", "fim_rate_stage1", "seq_len_stage1", "max_steps_stage1",
                                         "learning_rate", "adapter", "chat_weight", "ablation_seeds",
                                         "ablation_token_budget")
    MEASURING_FIELDS: ClassVar[tuple[str, ...]] = (*TrainingStageSettings.MEASURING_FIELDS, "effect_prompt_formats")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            scratch_model_overrides={}, seq_len_stage1=64, seq_len_stage2=128, global_batch_size=8,
            per_device_max_batch=8,
            max_steps_stage1=24, max_steps_stage2=8, learning_rate=3e-3, save_steps=8,
            heldout_random_files=8, heldout_top_files=8, heldout_max_tokens=128, completion_max_new_tokens=16,
            fim_demo_max_new_tokens=12, ablation_token_budget=2048, ablation_learning_rate=3e-3,
            ablation_seq_len=64, effect_prompt_formats=["completion"], chat_weight=0.0, chat_probe_limit=8,
        ),
        "gpu": dict(
            torch_threads=0, scratch_model_overrides={}, seq_len_stage1=2048, seq_len_stage2=8192, global_batch_size=32,
            per_device_max_batch=4, max_steps_stage1=400, max_steps_stage2=100, learning_rate=2e-4,
            warmup_ratio=0.02, save_steps=100, heldout_random_files=64, heldout_top_files=64,
            heldout_max_tokens=4096, ablation_token_budget=2_000_000, ablation_seq_len=1024, chat_probe_limit=0,
            chat_weight=0.0,
            ablation_learning_rate=1e-3, effect_prompt_formats=["completion"],
        ),
        # full training of the pretrained base (the profile's use_lora is off): a tenth of gpu's QLoRA rate
        # (seedkit.training.LORA_RATE_FACTOR), not the adapters' rate
        "multi-gpu": dict(learning_rate=2e-5),
    }

    # ----------------------------------------------------------------- model
    model_source: str = field(default="base", metadata={"help": (
        "the model stage 03 trains: 'base' = the profile's base model (tiny: a fresh Llama trained from "
        "scratch; smol: continued pretraining of the packaged SmolLM2-135M-Instruct; gpu: the chosen base with "
        "QLoRA), 'scratch', or any model spec. Stages 04 and 06 start from what it saves")})
    adapter: Literal["auto", "full", "lora", "qlora"] = field(default="auto", metadata={"help": (
        "how a pretrained model is trained: full, lora (adapters merged into full weights when saved) or "
        "qlora (4-bit base + adapters); auto = the profile's choice (smol: the one measured better per minute "
        "on two cores, docs/environment.md; gpu: qlora). A scratch model is always trained in full")})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank (adapters on every linear layer of the blocks)"})
    scratch_model_overrides: dict[str, int] = field(default_factory=lambda: dict(
        vocab_size=4096, hidden_size=192, intermediate_size=512, num_hidden_layers=4, num_attention_heads=6,
        num_key_value_heads=2), metadata={"help": (
        "change the profile's scratch Llama dims (hidden_size, num_hidden_layers, vocab_size, ...) for the "
        "scratch models (tiny: the main model; every profile: the ablation's); vocab_size also sizes the "
        "BPE tokenizer trained on the run's corpus. smol: a 2.4M-parameter Llama, which trains at ~4,500 "
        "tokens per CPU-second (the profile's 6.5M one: ~1,900), so the ablation's six models fit in about "
        "a minute")})
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
    heldout_random_files: int = field(default=16, metadata={"help": (
        "held-out set the filter did not choose: a random sample of stage 01's files (before any LLM "
        "filter), removed from both training corpora; the ablation's main yardstick")})
    heldout_top_files: int = field(default=16, metadata={"help": (
        "the report's held-out set: the highest-scored files (shown beside the random set; it favours "
        "the filtered corpus by construction), also removed from every training source")})
    heldout_max_tokens: int = field(default=192, metadata={"help": (
        "first N tokens of each held-out file are scored (evaluation cost: every token is a forward pass "
        "of the model, three times per run on smol)")})

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
    max_steps_stage1: int = field(default=6, metadata={"help": (
        "smol: 6 x 8 x 256 = 12,288 tokens, about 2 min of full training on one core (~105 tokens/s)")})
    max_steps_stage2: int = field(default=2, metadata={"help": (
        "smol: 2 x 8 x 512 = 8,192 tokens at twice the context, about 1.5 min; 0 skips stage 2")})
    learning_rate: float = field(default=3e-5, metadata={"help": (
        "peak LR of stage 1 (report: 3e-4 for a model trained from scratch; smol, full training of an "
        "instruct model: 3e-5, small so that it stays usable; LoRA takes ~2e-4; tiny's scratch model 3e-3; "
        "gpu QLoRA 2e-4). The schedule is the report's: stage 1 decays by cosine to LR/sqrt(10), stage 2 "
        "from there to LR/10")})
    warmup_ratio: float = field(default=0.1, metadata={"help": "linear warm-up share of stage 1"})
    weight_decay: float = field(default=0.1, metadata={"help": "AdamW weight decay (report: 0.1)"})
    save_steps: int = field(default=4, metadata={"help": "checkpoint every N steps (a killed stage resumes there)"})
    eval_steps: int = field(default=0, metadata={"help": (
        "held-out loss every N steps during training (a loss curve); 0 = only before and after each stage "
        "(smol: each evaluation of SmolLM2 costs ~10 s)")})

    # ----------------------------------------------------------------- demos
    completion_max_new_tokens: int = field(default=32, metadata={"help": "greedy completion length after each stage"})
    fim_demo_max_new_tokens: int = field(default=24, metadata={"help": "tokens the model may write into the cut-out middle"})

    # ----------------------------------------------------------------- effect
    effect_prompt_formats: list[str] = field(default_factory=lambda: ["chat"], metadata={"help": (
        "prompt formats in which the parent and stage 03's model are measured on eval_set (the same problems, "
        "paired; the first is the manifest's effect): chat is what the instruct parent was tuned for and what "
        "continued pretraining on raw code may erode; completion is what a base model is asked, but the "
        "packaged SmolLM2 scored pass@1 0.01 [0.00, 0.02] that way on the basic problems (233 x 5 samples), "
        "a floor that shows nothing, at ~4.5 CPU-minutes per model; [] = no effect measurement")})

    # ----------------------------------------------------------------- chat ability
    chat_weight: float = field(default=0.25, metadata={"help": (
        "share of each stage's tokens drawn from instruction/answer pairs in the chat template (replay of the "
        "kind of data an instruct parent was last tuned on, so that continued pretraining keeps its chat "
        "ability; seedkit/pretraining/chat.py); 0 = raw code only. smol: 0.25, chosen on two full chains "
        "(docs/pretraining.md, 'Decision'); tiny and gpu: 0 (a scratch model and a base model have no chat "
        "ability to keep)")})
    chat_data: str = field(default="generated", metadata={"help": (
        "the instruction data of chat_weight: 'generated' (the kit's verified training problems, "
        "data_samples/problems/generated.jsonl, decontaminated against every evaluation set) or a JSONL file "
        "of problems in the kit's format")})
    chat_probe_set: str = field(default="heldout", metadata={"help": (
        "problems no stage trains on whose reference answers' loss in the chat format measures the parent's "
        "and this stage's chat ability (one forward pass each, no generation): 'heldout' (51), 'basic', "
        "'humaneval' or a JSONL file")})
    chat_probe_limit: int = field(default=24, metadata={"help": (
        "N probe problems spread over the set (0 = all): smol scores 24 of the 51 held-out problems, "
        "about 6,500 SmolLM2 tokens a model, ~25 CPU-seconds each, so that the measurement adds under a minute "
        "to the stage; its paired interval on all 51 was 0.005 nats wide (docs/pretraining.md)")})

    # ----------------------------------------------------------------- ablation
    run_ablation: bool = field(default=True, metadata={"help": (
        "train fresh scratch models on filtered and on rules_only at the same token budget (report Figure 6)")})
    ablation_seeds: int = field(default=3, metadata={"help": (
        "seeds of the ablation (each trains both corpora): the difference is reported as the mean over seeds "
        "with a 95% t-interval, so one lucky seed cannot decide it; at least 2")})
    ablation_token_budget: int = field(default=40_960, metadata={"help": (
        "tokens each ablation model sees, and the size of each slice it is cut from, to the token: the "
        "best-scored files of the LLM-filtered corpus and a random slice of the rules-only one (report Figure "
        "6: equal tokens per corpus, hundreds of billions; smol: 20 steps of 8 x 256, about 10 s per model)")})
    ablation_seq_len: int = field(default=256, metadata={"help": "context of the ablation's scratch models"})
    ablation_learning_rate: float = field(default=2e-3, metadata={"help": (
        "peak LR of the ablation's scratch models (small fresh models take a high LR)")})

    def validate(self) -> None:
        super().validate()
        for name in ("web_weight", "commits_weight", "stage2_repo_weight", "stage2_top_fraction",
                     "fim_rate_stage1", "fim_rate_stage2", "warmup_ratio"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise SettingsError(f"{name}: {v} must be between 0 and 1")
        if not 0.0 <= self.chat_weight < 1.0:
            raise SettingsError(f"chat_weight: {self.chat_weight} must be >= 0 and < 1 (the rest is code)")
        if self.chat_probe_limit < 0:
            raise SettingsError("chat_probe_limit: must be >= 0 (0 = every probe problem)")
        if self.web_weight + self.commits_weight > 1.0:
            raise SettingsError(f"web_weight + commits_weight = {self.web_weight + self.commits_weight} leaves no "
                                "room for code files: keep their sum at most 1")
        if self.stage2_top_fraction <= 0:
            raise SettingsError("stage2_top_fraction: must be > 0 (stage 2 needs some files)")
        for name in ("seq_len_stage1", "seq_len_stage2", "global_batch_size", "per_device_max_batch",
                     "max_steps_stage1", "save_steps", "heldout_max_tokens", "lora_r", "ablation_seq_len"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name}: must be >= 1")
        for name in ("max_steps_stage2", "eval_steps", "heldout_random_files", "heldout_top_files"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name}: must be >= 0")
        if self.heldout_random_files + self.heldout_top_files < 1:
            raise SettingsError("heldout_random_files + heldout_top_files: must be >= 1 (nothing to measure on)")
        if self.seq_len_stage2 < self.seq_len_stage1:
            raise SettingsError(f"seq_len_stage2 ({self.seq_len_stage2}) must be >= seq_len_stage1 "
                                f"({self.seq_len_stage1}): continued pretraining lengthens the context")
        if self.learning_rate <= 0 or self.ablation_learning_rate <= 0:
            raise SettingsError("learning_rate and ablation_learning_rate: must be > 0")
        bad = [f for f in self.effect_prompt_formats if f not in ("completion", "chat")]
        if bad:
            raise SettingsError(f"effect_prompt_formats: {bad} not in ['completion', 'chat']")
        dims = dict(PROFILES[self.profile].scratch_model)
        unknown = set(self.scratch_model_overrides) - set(dims)
        if unknown:
            raise SettingsError(f"scratch_model_overrides: unknown dims {sorted(unknown)}; known: {sorted(dims)}")
        dims.update(self.scratch_model_overrides)
        if self.model_spec() == "scratch" and self.seq_len_stage2 > dims["max_position_embeddings"]:
            raise SettingsError(f"seq_len_stage2 ({self.seq_len_stage2}) exceeds the scratch model's "
                                f"max_position_embeddings ({dims['max_position_embeddings']})")
        if self.run_ablation:
            if self.ablation_seeds < 2:
                raise SettingsError(f"ablation_seeds: {self.ablation_seeds}; at least 2 seeds are needed for an "
                                    "interval over seeds (3 or more for a useful one)")
            if self.ablation_seq_len > dims["max_position_embeddings"]:
                raise SettingsError(f"ablation_seq_len ({self.ablation_seq_len}) exceeds the scratch model's "
                                    f"max_position_embeddings ({dims['max_position_embeddings']})")
            if self.ablation_token_budget < self.ablation_seq_len * self.global_batch_size:
                raise SettingsError(f"ablation_token_budget ({self.ablation_token_budget}) is less than one step "
                                    f"({self.ablation_seq_len} x {self.global_batch_size} tokens)")

    # ----------------------------------------------------------------- derived

    def scratch_dims(self) -> dict[str, int]:
        dims = dict(PROFILES[self.profile].scratch_model)
        dims.update(self.scratch_model_overrides)
        return dims

    def model_spec(self) -> str:
        """The load_model spec stage 03 starts from (its parent): 'scratch', the profile's base model, or
        what the user named."""
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
            return "qlora", f"profile {self.profile}: 4-bit base weights + LoRA adapters"
        if self.profile_info.based_on("smol"):
            return SMOL_ADAPTER, SMOL_ADAPTER_WHY
        if prof.use_lora:
            return "lora", f"profile {self.profile}: LoRA adapters on a frozen base"
        return "full", f"profile {self.profile}: full training"

    def resolved_device(self) -> str:
        return self.device or PROFILES[self.profile].device

    def resolved_dtype(self) -> str:
        return self.dtype or PROFILES[self.profile].dtype

    def ablation_seed_values(self) -> list[int]:
        """The seeds of the ablation: 1000 x seed + i, so that runs with different ``seed`` (a sweep) use
        disjoint seeds."""
        return [1000 * self.seed + i for i in range(self.ablation_seeds)]

    # ----------------------------------------------------------------- the report, row by row

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit value is this profile's)."""

        adapter, adapter_why = self.adapter_choice()
        s1, e1 = stage_lr(self.learning_rate, 1)
        _, e2 = stage_lr(self.learning_rate, 2)
        spec = self.model_spec()
        start = ("a fresh Llama " + ", ".join(f"{k}={v}" for k, v in self.scratch_dims().items()
                                              if k in ("hidden_size", "num_hidden_layers"))
                 if spec == "scratch" else f"{spec} (continued pretraining)")
        rows = [
            ("starting model", "random init, 8.2B Llama-3-style", start,
             "same" if spec == "scratch" else
             "the kit cannot pretrain a useful model from scratch at this scale, so it continues a pretrained one"),
            ("training method", "full training", adapter, adapter_why),
            ("tokens", "6T (regular) + continued pretraining",
             f"{self.max_steps_stage1 * self.global_batch_size * self.seq_len_stage1:,} + "
             f"{self.max_steps_stage2 * self.global_batch_size * self.seq_len_stage2:,}",
             "what fits the profile's time budget"),
            ("context", "8K, then 32K", f"{self.seq_len_stage1}, then {self.seq_len_stage2}",
             "same doubling-or-more between stages; length scaled to the budget"),
            ("FIM", "SPM, rate 0.5 then 0.1, character-level split points",
             f"{self.fim_mode.upper()}, rate {self.fim_rate_stage1} then {self.fim_rate_stage2}, character-level",
             "same" if (self.fim_mode, self.fim_rate_stage1, self.fim_rate_stage2) == ("spm", 0.5, 0.1) else "set by you"),
            ("peak learning rate", f"{REPORT_PEAK_LR:g}", f"{s1:g}",
             "same" if math.isclose(s1, REPORT_PEAK_LR) else
             ("a small fresh model trains at a higher LR" if spec == "scratch" else
              "LoRA adapters on a pretrained model" if adapter != "full" else
              "continued training of a pretrained model in full: about a tenth of the adapters' rate, so that what "
              "it knows stays (smol: an instruct model, kept usable)")),
            ("LR schedule", "warm-up, decay to peak/sqrt(10); continued pretraining decays to about peak/10",
             f"warm-up {self.warmup_ratio:.0%}, cosine to {e1:.2g}; stage 2 cosine to {e2:.2g}",
             "same shape, anchored on the kit's peak (seedkit/pretraining/train.py)"),
            ("weight decay", "0.1", f"{self.weight_decay:g}", "same" if self.weight_decay == 0.1 else "set by you"),
            ("stage-2 data", "high-quality files + repository-level samples",
             f"top {self.stage2_top_fraction:.0%} by quality score + repository samples "
             f"({self.stage2_repo_weight:.0%} of tokens)", "same kinds of data; shares are settings"),
            ("ablation (Fig. 6)", "LLM-filtered vs rule-filtered, equal tokens, one run each, held-out on "
             "high-quality data",
             f"{self.ablation_seeds} seeds x 2 slices of exactly {self.ablation_token_budget:,} tokens (the "
             "best-scored LLM-filtered files; rules-only files at random), scratch models; random and top-scored "
             "held-out sets",
             "seeds and a held-out set the filter did not choose, because small-scale gaps are near the noise"),
        ]
        return [{"setting": a, "report": b, "kit": c, "why": d} for a, b, c, d in rows]
