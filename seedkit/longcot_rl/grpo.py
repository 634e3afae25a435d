"""GRPO with execution rewards through TRL 1.16's ``GRPOTrainer``, with the report's DAPO-style knobs.

What this module adds around TRL:

- :func:`check_group_batch`: TRL needs the completions of one generation batch (per-device batch x
  processes x steps per generation) to be a whole number of groups. Checked up front, with a one-line
  message naming the numbers to change, instead of TRL's error after the model has loaded.
- :func:`grpo_config`: a ``GRPOConfig`` from the stage settings (no KL, clip-high, token-level loss,
  truncation masking, temperature, reward weights) on top of :func:`seedkit.training.trainer_kwargs`;
  notebook 06 builds the same one inline, argument by argument.
- :func:`train_grpo`: the length schedule and the solved-problem filter. Training runs in rounds
  (see :mod:`seedkit.longcot_rl.curriculum`); each round is one ``GRPOTrainer`` over the current pool
  with the phase's completion budget (:func:`round_config`). Each round's Trainer builds its AdamW from
  the config (``optim``, betas, epsilon, weight decay), after it has wrapped the model, as FSDP requires
  (a Trainer handed an optimizer instance refuses to run under FSDP); the moments of one round's
  optimizer are loaded into the next one's (:func:`carry_optimizer_state`), so they carry over as if one
  optimizer ran throughout; the learning rate is constant. Rollouts go through the kit's slot engine (``rollout_engine="kit"``,
  :mod:`seedkit.generation.trl`) where it applies.

Every step's TRL log (reward by component, pass rate, completion length, clip fractions, loss) is
collected into :class:`RLHistory` with the global step, round, phase, budget and pool size.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.formats import reasoning_messages
from seedkit.generation.trl import SlotRolloutsMixin, slot_rollout_blocker
from seedkit.longcot_rl.curriculum import Round, SolveTracker, filter_pool, plan_rounds
from seedkit.longcot_rl.rewards import RolloutLog
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.traces import say
from seedkit.measure.stats import bootstrap_interval
from seedkit.problems import split_check_tests
from seedkit.tokens import end_of_turn_ids
from seedkit.training import (
    BatchSplit,
    keep_trained_state,
    split_batch,
    tensorboard_logs,
    threads_callback,
    trainer_kwargs,
    world_size,
)

_SHORT = (("rewards/execution_reward/mean", "exec"), ("rewards/format_reward/mean", "format"),
          ("rewards/parse_reward/mean", "parse"), ("pass_rate", "pass"), ("completions/mean_length", "len"),
          ("completions/clipped_ratio", "truncated"), ("clip_ratio/low_mean", "clip_lo"),
          ("clip_ratio/high_mean", "clip_hi"), ("loss", "loss"))


def format_step(logs: dict[str, Any]) -> str:
    """One step's log in one line; steps that trained on an earlier rollout have no reward keys."""
    parts = [f"{name}={float(logs[key]):.3f}" if name != "len" else f"len={float(logs[key]):.1f}"
             for key, name in _SHORT if logs.get(key) is not None]
    if "reward" not in logs:
        parts.insert(0, "(same rollout)")
    return " ".join(parts)


def check_group_batch(global_batch: int, num_generations: int, per_device_max: int,
                      world: int | None = None) -> BatchSplit:
    """The batch split for GRPO, after checking TRL's divisibility rule (raises a one-line SettingsError).

    TRL generates ``per_device x processes x steps_per_generation`` completions at a time (here that
    product is ``global_batch``: steps_per_generation = gradient accumulation) and needs it to be a
    multiple of ``num_generations``, the group size, which must be at least 2.
    """
    world = world or world_size()
    if num_generations < 2:
        raise SettingsError(f"num_generations={num_generations}: GRPO needs groups of at least 2 completions; set 2 or more")
    if global_batch % num_generations:
        lo = max(num_generations, global_batch // num_generations * num_generations)
        raise SettingsError(
            f"rl_global_batch={global_batch} is not a multiple of num_generations={num_generations} (TRL's rule): "
            f"set rl_global_batch to {lo} or {lo + num_generations}, or num_generations to a divisor of {global_batch}")
    if global_batch % world:
        raise SettingsError(
            f"rl_global_batch={global_batch} does not split over {world} processes: use a multiple of "
            f"{num_generations * world // _gcd(num_generations, world)} (num_generations={num_generations} x processes)")
    return split_batch(global_batch, per_device_max, world)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def grpo_config(settings: LongCoTRLSettings, *, output_dir: str | Path, device: str) -> Any:
    """The stage's TRL ``GRPOConfig`` (notebook 06 writes the same one out, argument by argument).

    ``max_steps`` is the whole length schedule and ``max_completion_length`` its first phase;
    :func:`round_config` sets both (and the output folder and seed) for each curriculum round.
    """
    from trl import GRPOConfig

    check_group_batch(settings.rl_global_batch, settings.num_generations, settings.rl_per_device_max)
    kw = trainer_kwargs(
        output_dir=str(output_dir), device=device, global_batch=settings.rl_global_batch,
        per_device_max=settings.rl_per_device_max, learning_rate=settings.rl_learning_rate,
        max_steps=sum(settings.rl_steps_per_length), seed=settings.seed, dtype=settings.profile_info.dtype,
        lr_scheduler_type="constant", verbose=False, report_to=settings.report_to,
        gradient_checkpointing=settings.gradient_checkpointing,
    )
    # TRL generates per_device x processes x steps_per_generation completions at once; one optimizer step
    # takes gradient_accumulation_steps micro-batches, so this many micro-steps make minibatches_per_rollout steps.
    steps_per_generation = kw["gradient_accumulation_steps"] * settings.minibatches_per_rollout
    return GRPOConfig(
        **kw,
        steps_per_generation=steps_per_generation,
        num_generations=settings.num_generations,
        max_completion_length=settings.max_completion_lengths[0],
        temperature=settings.temperature,
        top_p=1.0,
        top_k=0,
        beta=settings.kl_beta,
        epsilon=settings.clip_epsilon_low,
        epsilon_high=settings.clip_epsilon_high,
        loss_type=settings.loss_type,
        mask_truncated_completions=settings.mask_truncated_completions,
        scale_rewards="group",
        reward_weights=[settings.execution_reward_weight, settings.format_reward_weight, settings.parse_reward_weight],
        disable_dropout=True,
        optim="adamw_torch",  # built by each round's Trainer after wrapping the model (FSDP); moments carried over
        weight_decay=0.0,
        log_completions=False,
        disable_tqdm=True,
    )


def round_config(config: Any, rnd: Round, output_dir: str | Path) -> Any:
    """A copy of ``config`` for one curriculum round: its steps, its completion budget, its own folder
    and seed (a copy, not ``dataclasses.replace``: TrainingArguments' ``__post_init__`` rewrites some
    fields, which a second pass would rewrite again)."""
    import copy

    cfg = copy.deepcopy(config)
    cfg.max_steps = rnd.steps
    cfg.max_completion_length = rnd.max_completion_length
    cfg.output_dir = str(output_dir)
    cfg.seed = config.seed + rnd.index
    return cfg


# What the GRPO trainer of a round was actually given (recorded per round in the history).
CONFIG_FIELDS = ("learning_rate", "temperature", "top_p", "top_k", "beta", "epsilon", "epsilon_high", "loss_type",
                 "mask_truncated_completions", "scale_rewards", "num_generations", "steps_per_generation",
                 "per_device_train_batch_size", "gradient_accumulation_steps", "max_completion_length", "max_steps",
                 "weight_decay", "disable_dropout", "reward_weights", "lr_scheduler_type")


_TRAINERS: dict[str, Any] = {}


def trainer_class(rollout_engine: str) -> Any:
    """TRL's ``GRPOTrainer``, with the kit's slot-engine rollouts in front for ``rollout_engine="kit"``
    (:class:`seedkit.generation.trl.SlotRolloutsMixin`: it says once which path samples, and why)."""
    from trl import GRPOTrainer

    if rollout_engine == "trl":
        return GRPOTrainer
    if "kit" not in _TRAINERS:

        class KitGRPOTrainer(SlotRolloutsMixin, GRPOTrainer):
            """GRPOTrainer whose rollouts go through the kit's slot engine (when it applies)."""

        _TRAINERS["kit"] = KitGRPOTrainer
    return _TRAINERS["kit"]


def rl_dataset(problems: Sequence[dict[str, Any]]) -> Any:
    """Prompt (chat messages), task_id and test snippets per problem: TRL passes the extra columns to the rewards."""
    import datasets

    return datasets.Dataset.from_list([
        {"prompt": reasoning_messages(p), "task_id": p["task_id"],
         "test_snippets": split_check_tests(p["tests"], p["entry_point"])}
        for p in problems
    ])


def stop_token_ids(model: Any, tokenizer: Any) -> list[int]:
    """What ends a rollout: EOS plus ChatML's ``<|im_end|>`` where it is a token (a warmed-up model ends its
    turn with it); :func:`seedkit.models.end_of_turn_ids`."""
    return end_of_turn_ids(tokenizer, model)


@dataclass
class RLHistory:
    """What GRPO did: one row per step, every scored rollout, each curriculum decision, the rounds."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    rollouts: list[dict[str, Any]] = field(default_factory=list)
    curriculum: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)

    def column(self, key: str) -> tuple[list[int], list[float]]:
        """(steps, values) for one logged key, skipping steps that did not log it."""
        xs, ys = [], []
        for row in self.steps:
            v = row.get(key)
            if v is not None:
                xs.append(int(row["step"]))
                ys.append(float(v))
        return xs, ys

    def to_dict(self) -> dict[str, Any]:
        return {"steps": self.steps, "rollouts": self.rollouts, "curriculum": self.curriculum, "rounds": self.rounds}


def train_grpo(model: Any, tokenizer: Any, problems: Sequence[dict[str, Any]], settings: LongCoTRLSettings,
               config: Any, reward_funcs: Sequence[Callable[..., list[float]]], *, output_dir: str | Path,
               tensorboard_dir: str | Path | None = None) -> RLHistory:
    """GRPO over ``problems`` with the length schedule and the solved-problem filter; trains ``model`` in place.

    ``config`` is the stage's ``GRPOConfig`` (:func:`grpo_config`, or the notebook's); ``reward_funcs``
    the TRL reward functions, in the order of ``config.reward_weights``. Each round is one
    ``GRPOTrainer`` (:func:`round_config`); Adam's moments carry over from round to round.
    """
    from transformers import TrainerCallback
    from transformers.trainer_callback import PrinterCallback

    per_rollout = _check_and_say_batch(problems, settings, config, reward_funcs)

    names = [getattr(f, "__name__", f"reward{i}") for i, f in enumerate(reward_funcs)]
    weights = list(config.reward_weights or [1.0] * len(reward_funcs))
    tracker = SolveTracker(window_groups=settings.solve_window_groups, group_size=config.num_generations)
    log = RolloutLog(dict(zip(names, weights, strict=True)), on_solved=tracker.record)
    funcs = [log.wrap(f) for f in reward_funcs]
    model.generation_config.eos_token_id = stop_token_ids(model, tokenizer)
    # Each round's Trainer builds AdamW from the config (its weight decay matters: with a non-zero decay the
    # weights shrink at every step even when every advantage is 0; TRL's config defaults to 0.0,
    # tests/longcot_rl/test_grpo.py); the moments go from round to round.
    carry = carry_optimizer_state()
    history = RLHistory()
    pool = list(problems)
    step_times: list[float] = []
    cls = trainer_class(settings.rollout_engine)

    class StepLog(TrainerCallback):
        """Times each step and prints one line per step: reward components, pass rate, lengths, clipping."""

        offset = 0

        def on_step_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.t = time.perf_counter()

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            step_times.append(time.perf_counter() - self.t)

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kw: Any) -> None:
            if logs and "loss" in logs:
                secs = f" ({step_times[-1]:.1f} s)" if step_times else ""
                say(f"step {self.offset + state.global_step - 1}: {format_step(logs)}{secs}")

    steps = [rnd.steps for rnd in plan_rounds(settings.max_completion_lengths, settings.rl_steps_per_length,
                                              settings.curriculum_interval_steps)]
    if sum(steps) != config.max_steps:
        say(f"the length schedule has {sum(steps)} steps (rl_steps_per_length); config.max_steps={config.max_steps} "
            "is replaced round by round")
    rounds = plan_rounds(settings.max_completion_lengths, settings.rl_steps_per_length, settings.curriculum_interval_steps)
    for rnd in rounds:
        decision = filter_pool(pool, tracker, settings.drop_solved_rate, min_pool=per_rollout)
        if decision.dropped:
            say(f"curriculum before step {rnd.first_step}: {decision.reason}")
        history.curriculum.append({"step": rnd.first_step, "pool_size": len(decision.kept),
                                   "dropped": decision.dropped, "reason": decision.reason})
        pool = decision.kept
        say(f"round {rnd.index}: steps {rnd.first_step}-{rnd.first_step + rnd.steps - 1}, max_completion_length="
            f"{rnd.max_completion_length} (phase {rnd.phase + 1} of the length schedule), pool {len(pool)} problem(s)")
        cfg = round_config(config, rnd, Path(output_dir) / f"round{rnd.index}")
        log.step_offset = rnd.first_step
        step_times.clear()
        step_log = StepLog()
        step_log.offset = rnd.first_step
        tb = (Path(tensorboard_dir) / f"round{rnd.index}_steps{rnd.first_step}-{rnd.first_step + rnd.steps - 1}"
              if tensorboard_dir is not None else None)
        with tensorboard_logs(tb, cfg):
            trainer = cls(model=model, reward_funcs=funcs, args=cfg, train_dataset=rl_dataset(pool),
                          processing_class=tokenizer, callbacks=[step_log, carry, threads_callback()])
            trainer.remove_callback(PrinterCallback)  # StepLog prints a shorter line
            rollouts = _rollout_path(trainer, settings.rollout_engine)
            t0 = time.perf_counter()
            trainer.train()
            keep_trained_state(trainer, model)  # every process: sharded weights gathered for rank 0's save_model
        _record_round(history, trainer, rnd, len(pool), rollouts, time.perf_counter() - t0, step_times)
        history.rounds[-1]["adam_moments_carried"] = carry.loaded == rnd.index > 0
        say(f"round {rnd.index} done in {time.perf_counter() - t0:.1f} s")
    history.rollouts = log.rollout_table()
    return history


def carry_optimizer_state() -> Any:
    """A TrainerCallback that carries Adam's moments from one curriculum round's Trainer to the next: the
    state of the optimizer a round's Trainer built is kept when it ends and loaded into the next round's
    optimizer when it begins (the same model and config give the same parameter groups; under FSDP each
    rank keeps and reloads its own shards). ``.loaded`` counts the rounds that started from kept moments."""
    from transformers import TrainerCallback

    class CarryOptimizerState(TrainerCallback):
        def __init__(self) -> None:
            self.saved: dict[str, Any] | None = None
            self.loaded = 0

        def on_train_begin(self, args: Any, state: Any, control: Any, optimizer: Any = None, **kw: Any) -> None:
            if self.saved is not None and optimizer is not None:
                optimizer.load_state_dict(self.saved)
                self.loaded += 1

        def on_train_end(self, args: Any, state: Any, control: Any, optimizer: Any = None, **kw: Any) -> None:
            if optimizer is not None:
                self.saved = optimizer.state_dict()

    return CarryOptimizerState()


def _check_and_say_batch(problems: Sequence[dict[str, Any]], settings: LongCoTRLSettings, config: Any,
                         reward_funcs: Sequence[Callable[..., list[float]]]) -> int:
    """Check the reward weights, TRL's batch rule and the problem count; print the batch and DAPO's knobs.
    Returns the problems one rollout needs."""
    if len(reward_funcs) != len(config.reward_weights or [1.0] * len(reward_funcs)):
        raise SettingsError(f"{len(reward_funcs)} reward functions but {len(config.reward_weights)} reward_weights "
                            "in the GRPO config: give one weight per function")
    split = check_group_batch(config.per_device_train_batch_size * config.gradient_accumulation_steps * world_size(),
                              config.num_generations, config.per_device_train_batch_size)
    global_batch = split.global_batch
    per_step = global_batch // config.num_generations
    minibatches = config.steps_per_generation // config.gradient_accumulation_steps
    per_rollout = per_step * minibatches
    if len(problems) < per_rollout:
        raise SettingsError(
            f"{len(problems)} problem(s) but a rollout needs {per_rollout} (rl_global_batch={global_batch} / "
            f"num_generations={config.num_generations} x minibatches_per_rollout={minibatches}): "
            "raise max_problems or lower one of those")
    say(f"GRPO batch: {per_step} problem(s) x {config.num_generations} completions a step; {split}; one rollout "
        f"of {global_batch * minibatches} completions feeds {minibatches} step(s)")
    say(f"DAPO-style: beta={config.beta} (no KL), clip {config.epsilon}/{config.epsilon_high}, "
        f"loss_type={config.loss_type}, mask_truncated={config.mask_truncated_completions}, "
        f"temperature={config.temperature}, learning rate {config.learning_rate:g}, weight decay {config.weight_decay:g}")
    for row in settings.deviations():
        if row["setting"] in ("learning rate", "sampling temperature", "overlong filtering", "KL term", "clipping",
                              "loss aggregation"):
            say(f"{row['setting']}: {row['kit']} here, {row['report']} in the report ({row['why']})")
    return per_rollout


def _record_round(history: RLHistory, trainer: Any, rnd: Round, pool_size: int, rollouts: str, seconds: float,
                  step_times: Sequence[float]) -> None:
    """One round into the history: what its trainer was given, and one row per logged step."""
    history.rounds.append({"round": rnd.index, "phase": rnd.phase, "first_step": rnd.first_step,
                           "steps": rnd.steps, "max_completion_length": rnd.max_completion_length,
                           "pool_size": pool_size, "seconds": round(seconds, 2),
                           "rollouts": rollouts,
                           "config": {k: _plain(getattr(trainer.args, k, None)) for k in CONFIG_FIELDS}})
    logged = [row for row in trainer.state.log_history if "reward" in row or "loss" in row]
    for i, row in enumerate(logged):
        step = rnd.first_step + int(row.get("step", i + 1)) - 1
        out = {"step": step, "round": rnd.index, "phase": rnd.phase,
               "max_completion_length": rnd.max_completion_length, "pool_size": pool_size}
        out.update({k: v for k, v in row.items() if k != "step" and isinstance(v, int | float)})
        if i < len(step_times):
            out["step_seconds"] = round(step_times[i], 3)
        history.steps.append(out)


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(getattr(value, "value", value))


def _rollout_path(trainer: Any, engine: str) -> str:
    """Which path samples this trainer's rollouts: ``kit`` (the slot engine) or ``trl: <why>``."""
    if engine == "trl":
        return "trl: rollout_engine='trl'"

    why = slot_rollout_blocker(trainer)
    return f"trl: {why}" if why else "kit"


def reward_curve(rollouts: Sequence[dict[str, Any]], *, window: int, key: str = "total",
                 confidence: float = 0.95) -> list[dict[str, Any]]:
    """The reward over GRPO's rollout batches, with 95% intervals, for the notebook's curve and the manifest.

    Per rollout batch (a step that sampled): the mean reward (``key``: ``total``, the weighted sum the
    policy was trained on, or one function's name such as ``execution_reward``) and its interval, a
    percentile bootstrap over the batch's problem groups (the completions of one problem share their
    prompt, so the group is the unit, as the problem is in :mod:`seedkit.measure.stats`); and the same
    over the last ``window`` batches (the moving average). Rows: ``step``, ``mean``, ``lo``, ``hi``,
    ``groups``, ``completions``, ``ma_mean``, ``ma_lo``, ``ma_hi``, ``ma_groups``, ``ma_batches``.
    """
    from statistics import fmean

    by_step: dict[int, dict[str, list[float]]] = {}
    for r in rollouts:
        value = r.get("total") if key == "total" else (r.get("rewards") or {}).get(key)
        if value is None:
            continue
        by_step.setdefault(int(r["step"]), {}).setdefault(str(r.get("task_id", "")), []).append(float(value))
    steps = sorted(by_step)
    group_means = {s: [fmean(v) for v in by_step[s].values()] for s in steps}
    out = []
    for i, s in enumerate(steps):
        here = bootstrap_interval(group_means[s], confidence=confidence)
        batches = steps[max(0, i - window + 1): i + 1]
        pooled = [g for b in batches for g in group_means[b]]
        ma = bootstrap_interval(pooled, confidence=confidence)
        out.append({"step": s, "mean": here.mean, "lo": here.lo, "hi": here.hi, "groups": len(group_means[s]),
                    "completions": sum(len(v) for v in by_step[s].values()), "ma_mean": ma.mean, "ma_lo": ma.lo,
                    "ma_hi": ma.hi, "ma_groups": len(pooled), "ma_batches": len(batches)})
    return out


def curve_summary(curve: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """First and last moving-average points of a :func:`reward_curve`, and whether their intervals overlap
    (the groups differ between the two windows, so this is not a paired difference)."""
    if not curve:
        return {"batches": 0}
    a, b = curve[0], curve[-1]
    overlap = not (a["ma_hi"] < b["ma_lo"] or b["ma_hi"] < a["ma_lo"])
    return {"batches": len(curve), "first": {k: a[k] for k in ("step", "ma_mean", "ma_lo", "ma_hi", "ma_groups")},
            "last": {k: b[k] for k in ("step", "ma_mean", "ma_lo", "ma_hi", "ma_groups")},
            "change": b["ma_mean"] - a["ma_mean"], "intervals_overlap": overlap,
            "line": (f"reward moving average {a['ma_mean']:.3f} [{a['ma_lo']:.3f}, {a['ma_hi']:.3f}] at step {a['step']} "
                     f"({a['ma_groups']} groups) -> {b['ma_mean']:.3f} [{b['ma_lo']:.3f}, {b['ma_hi']:.3f}] at step "
                     f"{b['step']} ({b['ma_groups']} groups): "
                     + ("the intervals overlap, no change resolved" if overlap else
                        ("up" if b["ma_mean"] > a["ma_mean"] else "down") + ", the intervals do not overlap"))}
