"""Settings of stage 04 (synthetic instruction data + SFT).

Defaults are the ``smol`` values: SmolLM2-135M-Instruct writes, rates and corrects the items and
stage 03's model (SmolLM2 continued-pretrained on the curated corpus) is fine-tuned, on two CPU
cores. ``tiny`` shrinks every count so the notebook runs in seconds with stage 03's ~1M-parameter
model; ``gpu`` switches to QLoRA, a strong generator and the report's absolute difficulty bar.
How the stage measures its effect (the ``eval_*`` fields) is shared by every stage
(:class:`seedkit.config.EvidenceSettings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import DataGenerationSettings, SettingsError
from seedkit.problems import parse_problem_sources

# What the Seed-Coder report did, for the rows of report_comparison().
REPORT = {
    "items": "about 3M synthetic instruction items",
    "seeds": "high-quality code snippets from the pretraining corpus",
    "generator": "strong LLMs",
    "difficulty": "an LLM judge rates difficulty 0-10; items below 3 are dropped",
    "verification": "sandbox-verified, with self-correction",
    "training": "full fine-tuning, 3 epochs",
}


@dataclass
class SFTSettings(DataGenerationSettings):
    stage: ClassVar[str] = "04_sft"
    # The steps before training, and the settings only training reads: a new learning rate or batch retrains
    # without synthesising, judging and verifying again (seedkit.runs.StageRun keys those steps without them).
    DATA_STEPS: ClassVar[tuple[str, ...]] = ("seeds", "synthesis", "filters", "judge", "verify", "dataset")
    TRAINING_FIELDS: ClassVar[tuple[str, ...]] = ("learning_rate", "num_epochs", "max_steps", "global_batch_size",
                                                  "per_device_batch_max", "gradient_checkpointing", "packing",
                                                  "max_length", "report_to")
    # what notebook 04 teaches: who writes and judges the data, how hard the filters cut, what trains
    TAUGHT: ClassVar[tuple[str, ...]] = ("generator", "judge", "judge_filter", "max_correction_rounds",
                                         "train_problems_fraction", "finetune_method", "learning_rate", "max_steps")
    MEASURING_FIELDS: ClassVar[tuple[str, ...]] = (*DataGenerationSettings.MEASURING_FIELDS, "loss_problems", "compare_prompts")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            num_code_seeds=4, num_seed_instructions=4, max_docstring_items=12, generation_max_new_tokens=48,
            correction_max_new_tokens=48, max_correction_rounds=1, finetune_method="full", learning_rate=1e-3,
            max_steps=8, num_epochs=1.0, global_batch_size=4, per_device_batch_max=4, max_length=256,
            compare_prompts=2, loss_problems=6, problem_sources="train,generated:20",
        ),
        # hour: twice smol's training at the same batch, over twice the generated problems (each item still seen
        # about once); the hour's measurement (every basic problem) is what can resolve the change
        "hour": dict(problem_sources="train,generated:600", max_steps=60),
        "gpu": dict(
            num_code_seeds=400, num_seed_instructions=0, max_docstring_items=2000,
            generation_max_new_tokens=768, correction_max_new_tokens=768, finetune_method="qlora",
            judge_filter="threshold", global_batch_size=32, per_device_batch_max=8, max_length=2048,
            learning_rate=1e-4, max_steps=0, num_epochs=3.0, loss_problems=0, problem_sources="train,generated",
            own_solution_problems=400,
        ),
    }
    # several GPUs: the report's full fine-tuning (sharded by the accelerate config), else the gpu values
    PROFILE_DEFAULTS["multi-gpu"] = {**PROFILE_DEFAULTS["gpu"], "finetune_method": "full", "learning_rate": 2e-5}

    # ------------------------------------------------------------------ inputs and models
    scored_input: str = field(default="", metadata={
        "help": "stage 02 directory to read scored/ from; empty = this run's 02_llm_filter"})
    base_model: str = field(default="", metadata={
        "help": "model to fine-tune; empty = this run's stage-03 model (run:{run}/03_pretraining), as in the "
                "report, where SFT starts from the pretrained base"})
    generator: str = field(default="", metadata={
        "help": "model spec or http(s):// OpenAI-compatible server that writes tasks, solutions and fixes; "
                "empty = the profile's helper_model (tiny: the stage-03 model, a random-ish 1M model)"})
    server_model: str = field(default="", metadata={
        "help": "model name the server serves, when generator or judge is a URL"})
    judge: str = field(default="", metadata={
        "help": "model spec or server URL that rates items; empty = the generator (the report used one strong LLM)"})

    # ------------------------------------------------------------------ seeds
    num_code_seeds: int = field(default=8, metadata={
        "help": "top-scored functions cut from scored/ that seed generation; each costs one generation"})
    min_seed_quality: float = field(default=0.0, metadata={
        "help": "skip files scored below this (0-10); the top-N by score is taken anyway"})
    seed_min_lines: int = field(default=3, metadata={"help": "shorter snippets teach nothing"})
    seed_max_lines: int = field(default=60, metadata={"help": "longer snippets overflow a small model's context"})
    num_seed_instructions: int = field(default=40, metadata={
        "help": "instructions taken from data_samples/seed_instructions.jsonl (0 = none). They carry tests, so "
                "a small generator only has to write the solution, and SmolLM2 solves about half of them"})
    seed_instructions_file: str = field(default="", metadata={
        "help": "JSONL of seed instructions; empty = data_samples/seed_instructions.jsonl"})
    max_docstring_items: int = field(default=40, metadata={
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
    judge_filter: Literal["auto", "threshold", "rank", "off"] = field(default="auto", metadata={
        "help": "how the judge's difficulty rating filters items. threshold: drop difficulty < judge_min_difficulty "
                "(the report's rule; gpu). rank: drop the bottom judge_drop_bottom_fraction. auto (smol, tiny): "
                "first measure whether the judge's ratings carry signal (Spearman correlation of its difficulty "
                "rating with the solution's size, 95% bootstrap interval); rank-filter when the interval is above "
                "zero, keep everything when it is not (a judge that cannot rate removes items at random). off: no "
                "judge filter (ratings are still recorded)"})
    judge_min_difficulty: float = field(default=3.0, metadata={
        "help": "threshold rule: drop items rated below this difficulty (the report: 3/10)"})
    judge_drop_bottom_fraction: float = field(default=0.2, metadata={
        "help": "rank rule: drop this share of the items rated least difficult (for a judge whose 0-10 scale is "
                "not calibrated: SmolLM2-135M rates nearly everything alike)"})
    keep_unjudged: bool = field(default=True, metadata={
        "help": "keep items whose judge answer could not be read (only happens with a server judge)"})
    near_dup_threshold: float = field(default=0.8, metadata={
        "help": "MinHash Jaccard above which two instructions count as near duplicates"})
    decontam_ngram: int = field(default=10, metadata={
        "help": "word n-gram length shared with an evaluation problem (basic, held-out, HumanEval) that marks an "
                "item contaminated"})
    max_correction_rounds: int = field(default=1, metadata={
        "help": "self-correction rounds after a failed verification (failing code + error fed back); one round "
                "on smol: a second rescued almost nothing from a 135M generator for the same generation cost"})
    correction_max_new_tokens: int = field(default=256, metadata={"help": "a fixed function, not a new task"})
    sandbox_workers: int = field(default=2, metadata={"help": "parallel sandbox jobs: the 2 cores"})
    held_for_dpo_fraction: float = field(default=0.2, metadata={
        "help": "share of the verified items with real tests (not only `assert callable(f)`) set aside "
                "(split='held_for_dpo') as prompts for stage 05; never trained on here"})

    # ------------------------------------------------------------------ training data
    problem_sources: str = field(default="train,generated:300", metadata={
        "help": "the kit's training problems this stage draws on: sources train (data_samples/problems/train.jsonl, "
                "68 written by hand), generated (data_samples/problems/generated.jsonl, 2,000 from the procedural "
                "families) or a JSONL file, each with an optional count (its first N). smol: all of train and 300 "
                "generated, so that with train_problems_fraction 0.5 about 184 problems of 46 families join SFT and "
                "its 30 steps see about one epoch of varied items instead of three of 78; tiny: 20 generated; gpu: "
                "all 2,068"})
    own_solution_problems: int = field(default=0, metadata={
        "help": "problems of SFT's share of problem_sources whose instruction the generator also answers, as it "
                "does the seed instructions; an answer that passes the problem's tests in the sandbox joins the "
                "data beside the reference (source 'seed'): the model's own solutions that pass. Each costs a "
                "generation, so smol and tiny leave it at 0 (their time budget); gpu: 400"})
    train_problems_fraction: float = field(default=0.5, metadata={
        "help": "share of the training problems (problem_sources, in a seeded order) whose verified reference "
                "solutions join the SFT data, asked in the chat format the evaluation uses; the rest are left for "
                "stage 05's on-policy pairs (stage 05 never samples a problem stage 04 trained on). 0 = only the "
                "synthesised items"})

    # ------------------------------------------------------------------ training
    finetune_method: Literal["lora", "full", "qlora"] = field(default="lora", metadata={
        "help": "LoRA on CPU (a third faster per step than full, docs/environment.md); full for the 1M tiny model; "
                "QLoRA (4-bit base) on GPUs"})
    lora_r: int = field(default=16, metadata={"help": "adapter rank; 16 on q,k,v,o as measured (docs/environment.md)"})
    lora_alpha: int = field(default=32, metadata={"help": "2 x r, the usual scaling"})
    learning_rate: float = field(default=2e-4, metadata={"help": "a common LoRA rate; full fine-tuning wants ~10x less"})
    num_epochs: float = field(default=3.0, metadata={"help": "the report trained 3 epochs; used when max_steps = 0"})
    max_steps: int = field(default=30, metadata={"help": (
        "optimizer steps; 0 = num_epochs over the data. smol: 30, the steps its 3 epochs over 78 items took "
        "before the generated problems joined (about 8 minutes on 2 cores): more variety, not more steps")})
    global_batch_size: int = field(default=8, metadata={
        "help": "sequences per optimizer step, whatever the process count"})
    per_device_batch_max: int = field(default=1, metadata={"help": (
        "sequences per forward pass; the rest of the global batch is gradient accumulation (the same update). "
        "smol: 1, no padding: the items run from 77 to 471 tokens, so batches of 4 were 29% padding, and one "
        "LoRA step over 16 such sequences took 18 s one at a time against 22 s in batches of 4 (2 threads)")})
    max_length: int = field(default=512, metadata={"help": "tokens per training sequence (prompt + answer)"})
    packing: bool = field(default=False, metadata={
        "help": "pack several short items into one sequence (TRL packing); off: with one sequence per forward "
                "(smol) nothing is padded, and packing without padding-free attention lets items see each other"})

    # ------------------------------------------------------------------ before/after
    loss_problems: int = field(default=0, metadata={
        "help": "problems of eval_set whose reference answers' loss is measured before and after (0 = all of "
                "eval_set's first eval_limit): forward passes only, a few seconds for 135M"})
    compare_prompts: int = field(default=3, metadata={"help": "prompts shown side by side before/after"})

    def validate(self) -> None:
        super().validate()
        if not 0.0 <= self.held_for_dpo_fraction < 1.0:
            raise SettingsError(f"held_for_dpo_fraction: {self.held_for_dpo_fraction} must be in [0, 1)")
        try:
            parse_problem_sources(self.problem_sources)
        except ValueError as e:
            raise SettingsError(str(e)) from None
        if self.own_solution_problems < 0:
            raise SettingsError("own_solution_problems: must be >= 0 (0 = none)")
        if not 0.0 <= self.train_problems_fraction <= 1.0:
            raise SettingsError(f"train_problems_fraction: {self.train_problems_fraction} must be in [0, 1]")
        if not 0.0 < self.near_dup_threshold <= 1.0:
            raise SettingsError(f"near_dup_threshold: {self.near_dup_threshold} must be in (0, 1]")
        if not 0.0 <= self.judge_drop_bottom_fraction < 1.0:
            raise SettingsError(f"judge_drop_bottom_fraction: {self.judge_drop_bottom_fraction} must be in [0, 1)")
        if not 0.0 <= self.judge_min_difficulty <= 10.0:
            raise SettingsError(f"judge_min_difficulty: {self.judge_min_difficulty} must be on the 0-10 scale")
        if self.max_correction_rounds < 0:
            raise SettingsError("max_correction_rounds: must be >= 0 (0 = no self-correction)")
        if self.max_steps < 0 or (self.max_steps == 0 and self.num_epochs <= 0):
            raise SettingsError("max_steps: must be > 0, or 0 with num_epochs > 0")
        if self.global_batch_size < 1 or self.per_device_batch_max < 1:
            raise SettingsError("global_batch_size and per_device_batch_max: must be >= 1")
        if self.loss_problems < 0 or self.compare_prompts < 0:
            raise SettingsError("loss_problems and compare_prompts: must be >= 0")
        urls = [s for s in (self.generator, self.judge) if s.startswith(("http://", "https://"))]
        if urls and not self.server_model:
            raise SettingsError(f"server_model: {urls[0]} is a server; name the model it serves (server_model=...)")

    # ------------------------------------------------------------------ resolved values

    def resolved_base_model(self) -> str:
        """The model SFT starts from: ``base_model``, else this run's stage-03 model (every profile)."""
        return self.resolve_model_spec(self.base_model or "run:{run}/03_pretraining")

    def resolved_generator(self) -> str:
        spec = self.generator or self.profile_info.helper_model
        if spec == "scratch":
            return self.resolved_base_model()
        return self.resolve_model_spec(spec)

    def resolved_judge(self) -> str:
        return self.resolve_model_spec(self.judge) if self.judge else self.resolved_generator()

    # ------------------------------------------------------------------ the report, row by row

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit value is this profile's)."""
        steps = f"{self.max_steps} steps" if self.max_steps else f"{self.num_epochs:g} epochs"
        method = {"full": "full fine-tuning", "lora": f"LoRA r={self.lora_r}", "qlora": f"QLoRA r={self.lora_r} (4-bit base)"}
        judge_rule = {
            "threshold": f"drop difficulty < {self.judge_min_difficulty:g}",
            "rank": f"drop the {self.judge_drop_bottom_fraction:.0%} rated least difficult",
            "auto": f"measure the judge's signal first; drop the {self.judge_drop_bottom_fraction:.0%} rated least "
                    "difficult only if it has some, else keep all",
            "off": "ratings recorded, no filter",
        }[self.judge_filter]
        rows = [
            ("synthetic items", REPORT["items"],
             f"{self.num_code_seeds} code seeds + {self.num_seed_instructions} seed instructions + up to "
             f"{self.max_docstring_items} mined docstring pairs"
             + (f" + {self.train_problems_fraction:.0%} of the kit's training problems ({self.problem_sources})"
                if self.train_problems_fraction else ""),
             "what the profile's time budget affords; the training problems add items in the evaluation's chat "
             "format, which a weak generator cannot supply"),
            ("seeds", REPORT["seeds"], "top-scored functions of stage 02's scored/, seed instructions with tests",
             "same idea; seed instructions give a small generator tasks it can solve"),
            ("generator and judge", REPORT["generator"], self.resolved_generator(),
             "same" if self.profile_info.helper_model not in ("scratch", "smollm2-135m-instruct") else
             "the profile's helper model; point generator/judge at a server for a strong one"),
            ("difficulty filter", REPORT["difficulty"], judge_rule,
             "same" if self.judge_filter == "threshold" and self.judge_min_difficulty == 3.0 else
             "a small judge's ratings are not on the report's scale, so the stage measures them before trusting them"),
            ("verification", REPORT["verification"], f"seedkit.sandbox, {self.max_correction_rounds} correction round(s)",
             "same"),
            ("decontamination", "against the benchmarks",
             f"word {self.decontam_ngram}-grams against HumanEval, the held-out and the basic tier", "same"),
            ("training", REPORT["training"], f"{method[self.finetune_method]}, {steps}, lr {self.learning_rate:g}",
             "same" if self.finetune_method == "full" and not self.max_steps and self.num_epochs == 3 else
             "adapters fit the profile's memory; 3 epochs as the report" if not self.max_steps else
             "a fixed step count keeps the profile's time budget"),
            ("starting model", "the pretrained base (Seed-Coder-8B-Base)", self.resolved_base_model(),
             "same: the stage-03 model of this run"),
        ]
        return [{"setting": a, "report": b, "kit": c, "why": d} for a, b, c, d in rows]
