"""Settings of stage 04 (synthetic instruction data + SFT).

Defaults are the ``smol`` values (SmolLM2-135M-Instruct as generator, judge and base model on two
CPU cores, the whole stage in under ten minutes); ``tiny`` shrinks every count so the notebook
runs in seconds with stage 03's ~1M-parameter model, and ``gpu`` switches to QLoRA and larger
counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import SettingsError, TrainingStageSettings


@dataclass
class SFTSettings(TrainingStageSettings):
    stage: ClassVar[str] = "04_sft"
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            base_model="run:{run}/03_pretraining", num_code_seeds=4, num_seed_instructions=4,
            max_docstring_items=12, generation_max_new_tokens=48, correction_max_new_tokens=48,
            max_correction_rounds=1, finetune_method="full", learning_rate=1e-3, max_steps=8,
            global_batch_size=4, per_device_batch_max=4, max_length=256, eval_problems=3,
            eval_max_new_tokens=32, compare_prompts=2, torch_threads=1,
        ),
        "gpu": dict(
            num_code_seeds=400, num_seed_instructions=0, max_docstring_items=2000,
            generation_max_new_tokens=768, correction_max_new_tokens=768, finetune_method="qlora",
            global_batch_size=32, judge_drop_bottom_fraction=0.0, per_device_batch_max=8, max_length=2048,
            eval_problems=0, eval_max_new_tokens=512, generation_batch_size=32,
        ),
    }

    # ------------------------------------------------------------------ inputs and models
    scored_input: str = field(default="", metadata={
        "help": "stage 02 directory to read scored/ from; empty = this run's 02_llm_filter"})
    base_model: str = field(default="", metadata={
        "help": "model to fine-tune; empty = the profile's base_model (tiny: run:<run>/03_pretraining, "
                "so the chain is real end to end); '{run}' is replaced by run_name"})
    generator: str = field(default="", metadata={
        "help": "model spec or http(s):// OpenAI-compatible server that writes tasks, solutions and fixes; "
                "empty = the profile's helper_model (tiny: the base model, a random-ish 1M model)"})
    server_model: str = field(default="", metadata={
        "help": "model name the server serves, when generator is a URL"})
    judge: str = field(default="", metadata={
        "help": "model spec or server URL that rates items; empty = the generator (the report used one strong LLM)"})

    # ------------------------------------------------------------------ seeds
    num_code_seeds: int = field(default=10, metadata={
        "help": "top-scored functions/classes cut from scored/ that seed generation: each costs one "
                "generation (~5 s with SmolLM2 on 2 cores)"})
    min_seed_quality: float = field(default=0.0, metadata={
        "help": "skip files scored below this (0-10); the top-N by score is taken anyway"})
    seed_min_lines: int = field(default=3, metadata={"help": "shorter snippets teach nothing"})
    seed_max_lines: int = field(default=60, metadata={"help": "longer snippets overflow a small model's context"})
    num_seed_instructions: int = field(default=12, metadata={
        "help": "instructions taken from data_samples/seed_instructions.jsonl (they carry tests, so a small "
                "generator only has to write the solution)"})
    seed_instructions_file: str = field(default="", metadata={
        "help": "JSONL of seed instructions; empty = data_samples/seed_instructions.jsonl"})
    max_docstring_items: int = field(default=60, metadata={
        "help": "cap on docstring-to-implementation pairs mined offline from scored/ (no generator needed)"})
    tests_for_docstring_items: bool = field(default=True, metadata={
        "help": "ask the generator for asserts for mined functions without doctests; each assert is kept only "
                "if the corpus's own solution passes it (else the item is checked by executing it only)"})
    styles_file: str = field(default="", metadata={
        "help": "YAML style set; empty = seedkit/prompts/sft_styles.yaml (edit it to change the voices)"})

    # ------------------------------------------------------------------ generation and filters
    generation_temperature: float = field(default=0.7, metadata={
        "help": "sampling temperature of the generator: > 0 so seeds in the same style do not collapse to one text"})
    generation_max_new_tokens: int = field(default=320, metadata={
        "help": "enough for a short task, a function and a few asserts"})
    generation_batch_size: int = field(default=4, metadata={
        "help": "in-process batch; 4 is where SmolLM2 throughput levels off on 2 cores (measured; docs/environment.md)"})
    judge_min_score: float = field(default=3.0, metadata={
        "help": "drop items the judge rates below this (the report: 3/10)"})
    judge_drop_bottom_fraction: float = field(default=0.2, metadata={
        "help": "> 0: drop this share of the lowest-rated items instead of those below judge_min_score. smol uses "
                "0.2 because SmolLM2-135M's ratings are not calibrated to the 0-10 scale (measured: 1.2-1.7 for "
                "right and wrong solutions alike, so '< 3' dropped everything); 0 = the report's absolute rule"})
    keep_unjudged: bool = field(default=True, metadata={
        "help": "keep items whose judge answer could not be read (only happens with a server judge)"})
    near_dup_threshold: float = field(default=0.8, metadata={
        "help": "MinHash Jaccard above which two instructions count as near duplicates"})
    decontam_ngram: int = field(default=10, metadata={
        "help": "word n-gram length shared with a HumanEval/held-out problem that marks an item contaminated"})
    max_correction_rounds: int = field(default=2, metadata={
        "help": "self-correction rounds after a failed verification (failing code + error fed back); "
                "attempts = 1 + rounds at most"})
    correction_max_new_tokens: int = field(default=256, metadata={"help": "a fixed function, not a new task"})
    sandbox_workers: int = field(default=2, metadata={"help": "parallel sandbox jobs: the 2 cores"})
    held_for_dpo_fraction: float = field(default=0.2, metadata={
        "help": "share of verified items set aside (split='held_for_dpo') as prompts for stage 05"})

    # ------------------------------------------------------------------ training
    finetune_method: Literal["lora", "full", "qlora"] = field(default="lora", metadata={
        "help": "LoRA on CPU (a third faster per step than full, docs/environment.md); full for the 1M tiny model; "
                "QLoRA (4-bit base) on GPUs"})
    lora_r: int = field(default=16, metadata={"help": "adapter rank; 16 on q,k,v,o as measured (docs/environment.md)"})
    lora_alpha: int = field(default=32, metadata={"help": "2 x r, the usual scaling"})
    learning_rate: float = field(default=2e-4, metadata={"help": "a common LoRA rate; full fine-tuning wants ~10x less"})
    num_epochs: float = field(default=3.0, metadata={"help": "the report trained 3 epochs; used when max_steps = 0"})
    max_steps: int = field(default=0, metadata={
        "help": "optimizer steps; 0 = num_epochs over the data (smol keeps ~10 verified items: a fixed 40 "
                "steps would be ~45 epochs of memorising them)"})
    global_batch_size: int = field(default=4, metadata={
        "help": "sequences per optimizer step, whatever the process count; 4 gives a few steps per epoch on "
                "smol's ~10 items"})
    per_device_batch_max: int = field(default=4, metadata={"help": "the rest is gradient accumulation"})
    max_length: int = field(default=512, metadata={"help": "tokens per training sequence (prompt + answer)"})
    packing: bool = field(default=False, metadata={
        "help": "pack several short items into one sequence (TRL bfd packing); off on CPU where padding is cheap"})

    # ------------------------------------------------------------------ before/after checks
    eval_problems: int = field(default=8, metadata={
        "help": "held-out problems for pass@1 before and after (0 = all); each costs one generation per model"})
    eval_max_new_tokens: int = field(default=192, metadata={"help": "one function's worth of tokens"})
    compare_prompts: int = field(default=3, metadata={"help": "prompts shown side by side before/after"})
    torch_threads: int = field(default=0, metadata={
        "help": "CPU threads for torch during the stage; 0 = torch's default. tiny: 1 (a 1M model gains nothing "
                "from threads). On a busy shared machine 1 is far faster: SmolLM2 generating 4 x 64 tokens took "
                "30 s with 1 thread and > 300 s with 2 at load average 15 on 2 cores (measured)"})

    def validate(self) -> None:
        super().validate()
        if not 0.0 <= self.held_for_dpo_fraction < 1.0:
            raise SettingsError(f"held_for_dpo_fraction: {self.held_for_dpo_fraction} must be in [0, 1)")
        if not 0.0 < self.near_dup_threshold <= 1.0:
            raise SettingsError(f"near_dup_threshold: {self.near_dup_threshold} must be in (0, 1]")
        if not 0.0 <= self.judge_drop_bottom_fraction < 1.0:
            raise SettingsError(f"judge_drop_bottom_fraction: {self.judge_drop_bottom_fraction} must be in [0, 1)")
        if not 0.0 <= self.judge_min_score <= 10.0:
            raise SettingsError(f"judge_min_score: {self.judge_min_score} must be on the 0-10 scale")
        if self.max_correction_rounds < 0:
            raise SettingsError("max_correction_rounds: must be >= 0 (0 = no self-correction)")
        if self.max_steps < 0 or (self.max_steps == 0 and self.num_epochs <= 0):
            raise SettingsError("max_steps: must be > 0, or 0 with num_epochs > 0")
        if self.global_batch_size < 1 or self.per_device_batch_max < 1:
            raise SettingsError("global_batch_size and per_device_batch_max: must be >= 1")

    # ------------------------------------------------------------------ resolved values

    def resolved_generator(self) -> str:
        spec = self.generator or self.profile_info.helper_model
        if spec == "scratch":
            return self.resolved_base_model()
        return self.resolve_model_spec(spec)

    def resolved_judge(self) -> str:
        return self.resolve_model_spec(self.judge) if self.judge else self.resolved_generator()
