"""Settings of stage 06 (long chain-of-thought warm-up, then GRPO with execution rewards).

Defaults are the ``smol`` values: this run's stage-03 model (SmolLM2-135M continued-pretrained on
the curated corpus) with LoRA on two CPU cores, a handful of GRPO steps with 4 completions per
problem. ``tiny`` starts from stage 03's ~1M-parameter scratch model and runs in seconds; ``gpu``
and ``multi-gpu`` take the report's RL values (temperature 0.6; learning rate 1e-6 for multi-gpu's full
training, about ten times it for gpu's QLoRA adapters) with longer completions, bigger groups and many
more steps.

The RL knobs follow the report's DAPO-style recipe where TRL 1.16's ``GRPOConfig`` offers them:
no KL term (``beta=0``), asymmetric clipping (``epsilon=0.2``, ``epsilon_high=0.28``), token-level
loss (``loss_type="dapo"``), truncated completions masked out of the loss (overlong filtering).
:meth:`LongCoTRLSettings.report_comparison` lists, row by row, where a profile follows the report
and where it differs and why. How the stage measures its models (the ``eval_*`` fields) is shared
by every stage (:class:`seedkit.config.EvidenceSettings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from seedkit.config import DataGenerationSettings, SettingsError
from seedkit.problems import parse_problem_sources
from seedkit.training import rate_for_method, rate_reason

# What the Seed-Coder report did for its reasoning model, for the rows of report_comparison().
REPORT = {
    "start": "the base model (Seed-Coder-8B-Base), not the instruct model",
    "warmup": "SFT on long chain-of-thought solutions whose final code passed its tests in a sandbox",
    "algorithm": "GRPO with DAPO's settings",
    "kl": "no KL term",
    "clip": "clip-higher: 0.2 below, 0.28 above",
    "loss": "token-level loss",
    "overlong": "overlong filtering: truncated completions left out of the loss",
    "learning_rate": 1e-6,
    "temperature": 0.6,
    "rewards": "running the code against tests, plus a format reward for the think-then-answer layout",
    "solved": "problems solved more than 87.5% of the time leave the pool",
    "lengths": "16K then 32K tokens",
}


@dataclass
class LongCoTRLSettings(DataGenerationSettings):
    stage: ClassVar[str] = "06_longcot_rl"
    # The steps before training (the training problems, the seed traces and the generated traces, each verified
    # in the sandbox), and the settings only the warm-up and GRPO read: a new RL learning rate, group size,
    # curriculum or reward weight trains again without generating and verifying traces again
    # (seedkit.runs.StageRun keys those steps without these settings).
    DATA_STEPS: ClassVar[tuple[str, ...]] = ("problems", "seed_traces", "generated_traces")
    TRAINING_FIELDS: ClassVar[tuple[str, ...]] = (
        "use_lora", "lora_r", "warmup_steps", "warmup_learning_rate", "warmup_batch_size", "warmup_max_length",
        "rl_learning_rate", "num_generations", "rl_global_batch", "rl_per_device_max", "minibatches_per_rollout",
        "max_completion_lengths", "rl_steps_per_length", "curriculum_interval_steps", "drop_solved_rate",
        "solve_window_groups", "temperature", "kl_beta", "clip_epsilon_low", "clip_epsilon_high", "loss_type",
        "mask_truncated_completions", "execution_reward_weight", "format_reward_weight", "parse_reward_weight",
        "rollout_engine", "rollouts_to_show", "reward_window", "lora_base_dtype", "gradient_checkpointing",
        "report_to", "rl_pool_candidates", "rl_pool_samples")
    TAUGHT: ClassVar[tuple[str, ...]] = ("max_problems", "warmup_steps", "num_generations", "rl_learning_rate",
                                         "temperature", "clip_epsilon_high", "max_completion_lengths",
                                         "drop_solved_rate")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(
            trace_generator="none", max_problems=8, warmup_steps=32, warmup_learning_rate=3e-3, temperature=0.7,
            warmup_batch_size=4, warmup_max_length=384, rl_learning_rate=1e-4,
            max_completion_lengths=[32, 48], rl_steps_per_length=[4, 4], curriculum_interval_steps=4,
            num_generations=4, rl_global_batch=8, rl_per_device_max=8,
            mask_truncated_completions=False, execution_timeout_s=2.0, rollouts_to_show=3, reward_window=2,
        ),
        # the report's temperature; its learning rate is a full-parameter one, so QLoRA adapters take ~10x it
        # (seedkit.training.rate_for_method); longer completions, bigger groups, more steps
        # hour: twice smol's problems, warm-up and RL steps at each completion length
        "hour": dict(max_problems=32, warmup_steps=32, rl_steps_per_length=[8, 8]),
        "gpu": dict(
            torch_threads=0, max_problems=0, trace_samples_per_problem=4, trace_max_new_tokens=2048,
            warmup_steps=200, warmup_learning_rate=1e-4, warmup_batch_size=16, warmup_max_length=4096,
            rl_learning_rate=rate_for_method("qlora", REPORT["learning_rate"]), temperature=REPORT["temperature"],
            max_completion_lengths=[1024, 2048], rl_steps_per_length=[100, 100],
            curriculum_interval_steps=20, num_generations=8, rl_global_batch=64, rl_per_device_max=8,
            reward_window=10,
        ),
    }
    # several GPUs: full fine-tuning of the base (the profile's use_lora is off), so full-model rates: the
    # report's for RL
    PROFILE_DEFAULTS["multi-gpu"] = {**PROFILE_DEFAULTS["gpu"], "warmup_learning_rate": 1e-5,
                                     "rl_learning_rate": rate_for_method("full", REPORT["learning_rate"])}

    # ------------------------------------------------------------------ inputs and models
    base_model: str = field(default="", metadata={
        "help": "model the warm-up starts from; empty = this run's stage-03 model (run:{run}/03_pretraining) on "
                "every profile, as in the report, whose reasoning model started from the base, not the instruct "
                "model; '{run}' is replaced by run_name"})
    problems_file: str = field(default="", metadata={
        "help": "JSONL of training problems (task_id, instruction, prompt, entry_point, tests), taken in its order; "
                "empty = problem_sources (never an evaluation set)"})
    problem_sources: str = field(default="train,generated", metadata={
        "help": "the kit's training problems RL draws on, in a seeded order: train (data_samples/problems/train.jsonl, "
                "68 written by hand), generated (data_samples/problems/generated.jsonl, 2,000 from the procedural "
                "families) or a JSONL file, each with an optional count (its first N). Every profile: all 2,068, "
                "so the max_problems drawn come from many families; max_problems, not this, sets the cost"})
    max_problems: int = field(default=16, metadata={
        "help": "problems used for traces and RL (0 = all); 16 keeps a smol run to a few minutes"})
    seed_traces_file: str = field(default="", metadata={
        "help": "hand-checked reasoning traces; empty = data_samples/longcot/seed_traces.jsonl, so the "
                "offline path always has warm-up data"})

    # ------------------------------------------------------------------ warm-up traces
    trace_generator: str = field(default="", metadata={
        "help": "model spec or http(s):// server that writes reasoning traces; empty = the profile's "
                "helper_model; 'none' = seed traces only (tiny: a random model writes nothing that passes)"})
    server_model: str = field(default="", metadata={"help": "model name the server serves, when trace_generator is a URL"})
    trace_samples_per_problem: int = field(default=1, metadata={
        "help": "sampled traces per problem; only those whose final code passes every test are kept"})
    trace_temperature: float = field(default=0.7, metadata={
        "help": "sampling temperature of the trace generator (> 0 so several samples differ)"})
    trace_max_new_tokens: int = field(default=160, metadata={
        "help": "room for a short <think> block and a function (the seed traces are 57-100 SmolLM2 tokens); "
                "generation stops at the closing code fence"})

    # ------------------------------------------------------------------ warm-up SFT
    use_lora: bool | None = field(default=None, metadata={
        "help": "LoRA adapters instead of full fine-tuning; None = the profile's choice (tiny: full, smol: LoRA)"})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank; 16 on q,k,v,o trains SmolLM2 in ~3.5 s a step"})
    warmup_steps: int = field(default=16, metadata={
        "help": "SFT steps on the verified traces: 16 x 4 = 2.7 passes over the 24 seeds took SmolLM2's loss 1.71 -> "
                "0.82 and its greedy answers on unseen problems to the full <think>/code layout (8 steps at 2e-4 "
                "did not: format reward ~0.12)"})
    warmup_learning_rate: float = field(default=1e-3, metadata={
        "help": "high for LoRA, on purpose: a few dozen examples must teach a new layout in a few steps"})
    warmup_batch_size: int = field(default=4, metadata={"help": "traces per optimizer step"})
    warmup_max_length: int = field(default=512, metadata={"help": "prompt + trace tokens; longer traces are cut"})

    # ------------------------------------------------------------------ GRPO
    rl_learning_rate: float = field(default=1e-5, metadata={
        "help": "policy learning rate; RL moves the model a little at a time"})
    num_generations: int = field(default=4, metadata={
        "help": "completions per problem (group size, >= 2): advantages are rewards relative to the group mean; "
                "the report used larger groups, 4 keeps a smol step near 10-13 s"})
    rl_global_batch: int = field(default=4, metadata={
        "help": "completions per optimizer step; must be a multiple of num_generations (TRL's rule), "
                "so it holds rl_global_batch / num_generations problems"})
    rl_per_device_max: int = field(default=4, metadata={
        "help": "completions per forward pass on one device; the rest is accumulated"})
    minibatches_per_rollout: int = field(default=2, metadata={
        "help": "optimizer steps per rollout batch (DAPO: a rollout batch is split into mini-batches): one "
                "generation of minibatches_per_rollout x rl_global_batch completions feeds that many steps; from the "
                "second one on the policy has moved, so the probability ratio leaves 1 and the clip range acts "
                "(with 1, every ratio is exactly 1 and nothing ever clips)"})
    max_completion_lengths: list[int] = field(default_factory=lambda: [96, 128], metadata={
        "help": "the length schedule: completion budget per phase, shorter then longer (report: 16K then 32K tokens); "
                "the seed traces are 57-100 SmolLM2 tokens"})
    rl_steps_per_length: list[int] = field(default_factory=lambda: [4, 4], metadata={
        "help": "GRPO optimizer steps in each phase of the length schedule (smol: 8 steps from 4 rollouts of 8 "
                "completions)"})
    curriculum_interval_steps: int = field(default=4, metadata={
        "help": "steps between curriculum checks (a phase is split into rounds of at most this many steps)"})
    rl_pool_candidates: int = field(default=0, metadata={
        "help": "problems the warm-up model is tried on before GRPO (the first N of the problem pool, rl_pool_samples "
                "answers each at the RL temperature and first completion length); GRPO then trains on up to "
                "max_problems of those whose answers earned different execution rewards, the groups that give "
                "that reward an advantage (DAPO's dynamic sampling, done once). 0 = no probe: GRPO trains on the "
                "max_problems the traces were written for"})
    rl_pool_samples: int = field(default=4, metadata={
        "help": "answers per candidate in that probe (>= 2: one answer cannot differ from itself)"})
    drop_solved_rate: float = field(default=0.875, metadata={
        "help": "problems solved above this rate in recent groups leave the pool (report: 87.5%): they give "
                "every completion the same reward, hence zero advantage"})
    solve_window_groups: int = field(default=2, metadata={
        "help": "recent groups per problem the solve rate is measured over"})
    temperature: float = field(default=0.6, metadata={
        "help": "sampling temperature of the rollouts (report: 0.6); GRPO needs groups whose rewards differ: the "
                "packaged SmolLM2 at 0.6 gave mixed outcomes on 23 of 48 basic problems (5 samples each; 20 at 0.4, 16 at 1.0); "
                "tiny: 0.7, because the stage-03 model after warm-up wrote a <think> tag or fence in 21 of 32 "
                "samples at 0.7 but 8 of 32 at 1.0 (measured)"})
    kl_beta: float = field(default=0.0, metadata={
        "help": "KL penalty to a reference model; 0 as in DAPO and the report (no reference model needed)"})
    clip_epsilon_low: float = field(default=0.2, metadata={"help": "lower clip of the probability ratio (PPO's 0.2)"})
    clip_epsilon_high: float = field(default=0.28, metadata={
        "help": "upper clip (DAPO's clip-higher, report: 0.28): lets rare good tokens grow, against entropy collapse"})
    loss_type: Literal["dapo", "grpo", "dr_grpo", "bnpo"] = field(default="dapo", metadata={
        "help": "'dapo' = token-level loss normalised over all tokens of the batch (no length bias)"})
    mask_truncated_completions: bool = field(default=True, metadata={
        "help": "leave completions cut at the length limit out of the loss (DAPO's overlong filtering); "
                "tiny: off, because a small random model never stops and would learn nothing"})

    # ------------------------------------------------------------------ rewards
    execution_reward_weight: float = field(default=1.0, metadata={
        "help": "weight of the fraction of tests passed in the sandbox: the reward that matters"})
    format_reward_weight: float = field(default=0.2, metadata={
        "help": "weight of the <think>...</think> then ```python``` layout score (0-1, half credit for stray tags): "
                "dense, so a model that passes nothing yet still gets a signal"})
    parse_reward_weight: float = field(default=0.1, metadata={
        "help": "weight of 'the final code block parses as Python': a step between layout and passing tests"})
    execution_timeout_s: float = field(default=5.0, metadata={
        "help": "wall and CPU seconds per program in the sandbox; an endless loop earns 0"})
    sandbox_workers: int = field(default=0, metadata={"help": "parallel sandbox processes; 0 = the sandbox's default"})
    rollout_engine: Literal["kit", "trl"] = field(default="kit", metadata={
        "help": "who samples the GRPO rollouts: 'kit' = the kit's slot engine with the policy's current weights "
                "(seedkit.generation.trl; exact sampling, falls back to TRL's path with the reason where it does not "
                "apply), 'trl' = TRL's own model.generate"})

    # ------------------------------------------------------------------ what the notebook shows
    rollouts_to_show: int = field(default=4, metadata={"help": "rollouts printed with their rewards at the end"})
    reward_window: int = field(default=4, metadata={
        "help": "rollout batches in the reward curve's moving average (its 95% interval is a bootstrap over the "
                "problem groups in the window)"})

    def validate(self) -> None:
        super().validate()
        try:
            parse_problem_sources(self.problem_sources)
        except ValueError as e:
            raise SettingsError(str(e)) from None
        if len(self.max_completion_lengths) != len(self.rl_steps_per_length):
            raise SettingsError(
                f"max_completion_lengths has {len(self.max_completion_lengths)} phases but rl_steps_per_length has "
                f"{len(self.rl_steps_per_length)}: give one step count per completion length")
        if not self.max_completion_lengths:
            raise SettingsError("max_completion_lengths: give at least one completion length")
        if any(n < 1 for n in self.max_completion_lengths):
            raise SettingsError(f"max_completion_lengths: {self.max_completion_lengths} must all be >= 1 token")
        if any(n < 0 for n in self.rl_steps_per_length):
            raise SettingsError(f"rl_steps_per_length: {self.rl_steps_per_length} must all be >= 0")
        if self.num_generations < 2:
            raise SettingsError(f"num_generations={self.num_generations}: GRPO needs at least 2 completions per problem")
        if self.rl_global_batch % self.num_generations:
            lo = max(self.num_generations, self.rl_global_batch // self.num_generations * self.num_generations)
            raise SettingsError(
                f"rl_global_batch={self.rl_global_batch} is not a multiple of num_generations={self.num_generations}: "
                f"set rl_global_batch to {lo} or {lo + self.num_generations}, or num_generations to a divisor of "
                f"{self.rl_global_batch}")
        if self.minibatches_per_rollout < 1:
            raise SettingsError(f"minibatches_per_rollout={self.minibatches_per_rollout}: must be >= 1")
        if self.rl_pool_candidates and self.rl_pool_samples < 2:
            raise SettingsError(f"rl_pool_samples={self.rl_pool_samples}: the probe needs at least 2 answers per "
                                "problem to see whether they differ")
        if not 0.0 <= self.drop_solved_rate <= 1.0:
            raise SettingsError(f"drop_solved_rate={self.drop_solved_rate}: a rate between 0 and 1")
        if self.curriculum_interval_steps < 1:
            raise SettingsError(f"curriculum_interval_steps={self.curriculum_interval_steps}: must be >= 1")
        if self.reward_window < 1:
            raise SettingsError(f"reward_window={self.reward_window}: must be >= 1 rollout batch")
        if self.clip_epsilon_high < self.clip_epsilon_low:
            raise SettingsError(
                f"clip_epsilon_high={self.clip_epsilon_high} < clip_epsilon_low={self.clip_epsilon_low}: "
                "clip-higher means the upper bound is at least the lower one")
        if min(self.execution_reward_weight, self.format_reward_weight, self.parse_reward_weight) < 0:
            raise SettingsError("reward weights must be >= 0")
        if self.execution_reward_weight + self.format_reward_weight + self.parse_reward_weight <= 0:
            raise SettingsError("reward weights: at least one must be > 0")

    # ------------------------------------------------------------------ resolved values

    def resolved_trace_generator(self) -> str:
        """'none', a URL, or a model spec (empty = the profile's helper model)."""
        spec = self.trace_generator or self.profile_info.helper_model
        if spec == "scratch":
            return "none"
        return self.resolve_model_spec(spec)

    def resolved_base_model(self) -> str:
        """The model the warm-up starts from: ``base_model``, else this run's stage-03 model (every profile)."""
        return self.resolve_model_spec(self.base_model or "run:{run}/03_pretraining")

    def resolved_use_lora(self) -> bool:
        return self.profile_info.use_lora if self.use_lora is None else self.use_lora

    def rl_method(self) -> str:
        """full | lora | qlora: what the warm-up and GRPO train (their learning rates follow it)."""
        if not self.resolved_use_lora():
            return "full"
        return "qlora" if self.profile_info.load_in_4bit else "lora"

    # ------------------------------------------------------------------ the report, row by row

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit value is this profile's; "same" when it follows)."""
        r = REPORT
        small = self.profile == "tiny" or self.profile_info.based_on("smol")
        lengths = " then ".join(str(n) for n in self.max_completion_lengths) + " tokens"
        gen = self.resolved_trace_generator()
        method = (f"LoRA r={self.lora_r}" + (" on a 4-bit base (QLoRA)" if self.profile_info.load_in_4bit else "")
                  if self.resolved_use_lora() else "full fine-tuning")
        rows = [
            ("starting model", r["start"], self.resolved_base_model(),
             "same: this run's stage-03 model" if not self.base_model else "base_model set by you"),
            ("warm-up data", r["warmup"],
             f"{'the 24 seed traces' if not self.seed_traces_file else self.seed_traces_file}"
             + ("" if gen == "none" else f" + {self.trace_samples_per_problem} trace(s) per problem from {gen}")
             + ", kept only when the final code passes every test and the layout is complete",
             "same rule; short hand-checked traces keep the offline path supplied, since a small generator rarely "
             "writes a passing trace in the layout" if small else "same: the same rule"),
            ("warm-up training", "SFT on those traces", f"{self.warmup_steps} steps, {method}, lr "
             f"{self.warmup_learning_rate:g}", "what the profile's time and memory afford"),
            ("RL algorithm", r["algorithm"], f"TRL GRPOTrainer, {self.num_generations} completions per problem, "
             f"{self.rl_global_batch} per step", "same algorithm; group and batch sizes are the profile's budget"),
            ("KL term", r["kl"], f"beta={self.kl_beta:g}", "same" if self.kl_beta == 0 else "kl_beta set by you"),
            ("clipping", r["clip"], f"{self.clip_epsilon_low:g} / {self.clip_epsilon_high:g}",
             "same" if (self.clip_epsilon_low, self.clip_epsilon_high) == (0.2, 0.28) else "set by you"),
            ("loss aggregation", r["loss"], f"loss_type={self.loss_type!r}",
             "same" if self.loss_type == "dapo" else "loss_type set by you"),
            ("overlong filtering", r["overlong"], f"mask_truncated_completions={self.mask_truncated_completions}",
             "same" if self.mask_truncated_completions else self._why("mask_truncated_completions")),
            ("learning rate", f"{r['learning_rate']:g} (full-parameter)", f"{self.rl_learning_rate:g}",
             self._why("rl_learning_rate") if small and self.origin("rl_learning_rate") != "set by you" else
             rate_reason(self.rl_method(), self.rl_learning_rate, r["learning_rate"], self.origin("rl_learning_rate"),
                         "rl_learning_rate")),
            ("sampling temperature", f"{r['temperature']:g}", f"{self.temperature:g}",
             "same" if self.temperature == r["temperature"] else self._why("temperature")),
            ("rewards", r["rewards"], f"tests passed (fraction, weight {self.execution_reward_weight:g}) + layout "
             f"(weight {self.format_reward_weight:g}) + code parses (weight {self.parse_reward_weight:g})",
             "same kind; the fraction of tests and the parse reward are denser signals for a small model"),
            ("solved-problem filter", r["solved"], f"drop above {self.drop_solved_rate:.1%} over the last "
             f"{self.solve_window_groups} group(s)",
             "same" if self.drop_solved_rate == 0.875 else "drop_solved_rate set by you"),
            ("RL problems", "DAPO's dynamic sampling: groups whose answers all earn the same reward are dropped",
             f"the first {self.max_problems or 'all'} of the pool" if not self.rl_pool_candidates else
             f"those of the first {self.rl_pool_candidates} whose {self.rl_pool_samples} probe answers earned "
             "different execution rewards",
             "no probe (rl_pool_candidates=0): groups whose answers all fail stay in the batch" if not
             self.rl_pool_candidates else "the same rule, applied once before RL instead of to every batch: one "
             "probe is cheaper than generating groups that are then thrown away"),
            ("length schedule", r["lengths"], lengths,
             "same shape; the lengths are what the profile's time budget affords"),
        ]
        return [{"setting": a, "report": b, "kit": c, "why": d} for a, b, c, d in rows]

    def _why(self, name: str) -> str:
        """Why this profile's value of ``name`` differs from the report's: the measured reason of the
        small profiles, or who set it."""
        origin = self.origin(name)
        if origin == "set by you":
            return f"{name} set by you"
        return SMALL_PROFILE_REASONS.get((self.profile, name)) or SMALL_PROFILE_REASONS.get(("*", name)) or \
            f"{name}: the {origin} value"


# Why the small profiles leave the report's values, as measured (printed by the GRPO step and listed in
# report_comparison); each reason names the measurement.
SMALL_PROFILE_REASONS: dict[tuple[str, str], str] = {
    ("tiny", "mask_truncated_completions"): (
        "tiny: the 1M-parameter model hardly ever ends a completion within its budget, so masking truncated "
        "completions would leave nothing in the loss"),
    ("tiny", "temperature"): (
        "tiny: the stage-03 model after warm-up wrote a <think> tag or fence in 21 of 32 samples at 0.7 but 8 of 32 "
        "at 1.0 (measured), and GRPO needs that spread within a group"),
    ("tiny", "rl_learning_rate"): (
        "tiny: 8 steps of a 1M-parameter model; at the report's 1e-6 the policy does not measurably move"),
    ("smol", "rl_learning_rate"): (
        "smol: 8 steps of LoRA adapters, which start at zero; the report's 1e-6 is a full-model rate over many "
        "steps, and LoRA is usually run about 10x higher (a choice, not measured here: -p rl_learning_rate=1e-6 "
        "runs the report's value)"),
}
