"""GRPO with execution rewards through TRL 1.16's ``GRPOTrainer``, with the report's DAPO-style knobs.

What this module adds around TRL:

- :func:`check_group_batch`: TRL needs the completions of one generation batch (per-device batch x
  processes x steps per generation) to be a whole number of groups. Checked up front, with a one-line
  message naming the numbers to change, instead of TRL's error after the model has loaded.
- :func:`grpo_config`: a ``GRPOConfig`` from the stage settings (no KL, clip-high, token-level loss,
  truncation masking, temperature, reward weights) on top of :func:`seedkit.training.trainer_kwargs`.
- :func:`train_grpo`: the length schedule and the solved-problem filter. Training runs in rounds
  (see :mod:`seedkit.longcot_rl.curriculum`); each round is one ``GRPOTrainer`` over the current pool
  with the phase's completion budget. The AdamW optimizer is created once and handed to every
  round, so its moments carry over; the learning rate is constant.

Every step's TRL log (reward by component, pass rate, completion length, clip fractions, loss) is
collected into :class:`RLHistory` with the global step, round, phase, budget and pool size.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.longcot_rl.curriculum import SolveTracker, filter_pool, plan_rounds
from seedkit.longcot_rl.rewards import CodeRewards, split_check_tests
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.traces import reasoning_messages
from seedkit.training import BatchSplit, split_batch, trainer_kwargs, world_size

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


def grpo_config(settings: LongCoTRLSettings, *, output_dir: str | Path, max_completion_length: int, max_steps: int,
                device: str, reward_weights: Sequence[float], seed: int | None = None) -> Any:
    """TRL ``GRPOConfig`` for one round, with the stage's DAPO-style defaults."""
    from trl import GRPOConfig

    check_group_batch(settings.rl_global_batch, settings.num_generations, settings.rl_per_device_max)
    kw = trainer_kwargs(
        output_dir=str(output_dir), device=device, global_batch=settings.rl_global_batch,
        per_device_max=settings.rl_per_device_max, learning_rate=settings.rl_learning_rate,
        max_steps=max_steps, seed=settings.seed if seed is None else seed,
        dtype=settings.profile_info.dtype, lr_scheduler_type="constant", verbose=False,
    )
    # TRL generates per_device x processes x steps_per_generation completions at once; one optimizer step
    # takes gradient_accumulation_steps micro-batches, so this many micro-steps make minibatches_per_rollout steps.
    steps_per_generation = kw["gradient_accumulation_steps"] * settings.minibatches_per_rollout
    return GRPOConfig(
        **kw,
        steps_per_generation=steps_per_generation,
        num_generations=settings.num_generations,
        max_completion_length=max_completion_length,
        temperature=settings.temperature,
        beta=settings.kl_beta,
        epsilon=settings.clip_epsilon_low,
        epsilon_high=settings.clip_epsilon_high,
        loss_type=settings.loss_type,
        mask_truncated_completions=settings.mask_truncated_completions,
        reward_weights=list(reward_weights),
        scale_rewards="group",
        log_completions=False,
        disable_tqdm=True,
    )


def rl_dataset(problems: Sequence[dict[str, Any]]) -> Any:
    """Prompt (chat messages), task_id and test snippets per problem: TRL passes the extra columns to the rewards."""
    import datasets

    return datasets.Dataset.from_list([
        {"prompt": reasoning_messages(p), "task_id": p["task_id"],
         "test_snippets": split_check_tests(p["tests"], p["entry_point"])}
        for p in problems
    ])


def stop_token_ids(model: Any, tokenizer: Any) -> list[int]:
    """EOS plus ChatML's ``<|im_end|>``: a warmed-up model ends its turn with the latter."""
    ids: list[int] = []
    gc = getattr(model, "generation_config", None)
    cur = getattr(gc, "eos_token_id", None)
    ids.extend([cur] if isinstance(cur, int) else list(cur or []))
    for t in (tokenizer.eos_token, "<|im_end|>"):
        if t and t in tokenizer.get_vocab():
            ids.append(tokenizer.convert_tokens_to_ids(t))
    return sorted(set(ids))


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


def train_grpo(model: Any, tokenizer: Any, problems: Sequence[dict[str, Any]], settings: LongCoTRLSettings, *,
               output_dir: str | Path, device: str = "cpu") -> RLHistory:
    """GRPO over ``problems`` with the length schedule and the solved-problem filter; trains ``model`` in place."""
    import torch
    from transformers import TrainerCallback
    from transformers.trainer_callback import PrinterCallback
    from trl import GRPOTrainer

    split = check_group_batch(settings.rl_global_batch, settings.num_generations, settings.rl_per_device_max)
    per_step = settings.rl_global_batch // settings.num_generations
    per_rollout = per_step * settings.minibatches_per_rollout
    if len(problems) < per_rollout:
        raise SettingsError(
            f"{len(problems)} problem(s) but a rollout needs {per_rollout} (rl_global_batch={settings.rl_global_batch} / "
            f"num_generations={settings.num_generations} x minibatches_per_rollout={settings.minibatches_per_rollout}): "
            "raise max_problems or lower one of those")
    print(f"[06_longcot_rl] GRPO batch: {per_step} problem(s) x {settings.num_generations} completions a step; {split}; "
          f"one rollout of {settings.rl_global_batch * settings.minibatches_per_rollout} completions feeds "
          f"{settings.minibatches_per_rollout} step(s)")
    print(f"[06_longcot_rl] DAPO-style: beta={settings.kl_beta} (no KL), clip {settings.clip_epsilon_low}/"
          f"{settings.clip_epsilon_high}, loss_type={settings.loss_type}, mask_truncated="
          f"{settings.mask_truncated_completions}, temperature={settings.temperature}")

    tracker = SolveTracker(window_groups=settings.solve_window_groups, group_size=settings.num_generations)
    rewards = CodeRewards(
        execution_weight=settings.execution_reward_weight, format_weight=settings.format_reward_weight,
        parse_weight=settings.parse_reward_weight, timeout_s=settings.execution_timeout_s,
        workers=settings.sandbox_workers or None, on_solved=tracker.record,
    )
    model.generation_config.eos_token_id = stop_token_ids(model, tokenizer)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.rl_learning_rate)
    history = RLHistory()
    pool = list(problems)
    step_times: list[float] = []

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
                print(f"[06_longcot_rl] step {self.offset + state.global_step - 1}: {format_step(logs)}{secs}")

    rounds = plan_rounds(settings.max_completion_lengths, settings.rl_steps_per_length, settings.curriculum_interval_steps)
    for rnd in rounds:
        decision = filter_pool(pool, tracker, settings.drop_solved_rate, min_pool=per_rollout)
        if decision.dropped:
            print(f"[06_longcot_rl] curriculum before step {rnd.first_step}: {decision.reason}")
        history.curriculum.append({"step": rnd.first_step, "pool_size": len(decision.kept),
                                   "dropped": decision.dropped, "reason": decision.reason})
        pool = decision.kept
        print(f"[06_longcot_rl] round {rnd.index}: steps {rnd.first_step}-{rnd.first_step + rnd.steps - 1}, "
              f"max_completion_length={rnd.max_completion_length} (phase {rnd.phase + 1} of the length schedule), "
              f"pool {len(pool)} problem(s)")
        cfg = grpo_config(settings, output_dir=Path(output_dir) / f"round{rnd.index}",
                          max_completion_length=rnd.max_completion_length, max_steps=rnd.steps, device=device,
                          reward_weights=rewards.reward_weights(), seed=settings.seed + rnd.index)
        rewards.step_offset = rnd.first_step
        step_times.clear()
        step_log = StepLog()
        step_log.offset = rnd.first_step
        trainer = GRPOTrainer(model=model, reward_funcs=rewards.reward_funcs(), args=cfg,
                              train_dataset=rl_dataset(pool), processing_class=tokenizer,
                              optimizers=(optimizer, None), callbacks=[step_log])
        trainer.remove_callback(PrinterCallback)  # StepLog prints a shorter line
        t0 = time.perf_counter()
        trainer.train()
        history.rounds.append({"round": rnd.index, "phase": rnd.phase, "first_step": rnd.first_step,
                               "steps": rnd.steps, "max_completion_length": rnd.max_completion_length,
                               "pool_size": len(pool), "seconds": round(time.perf_counter() - t0, 2)})
        logged = [row for row in trainer.state.log_history if "reward" in row or "loss" in row]
        for i, row in enumerate(logged):
            step = rnd.first_step + int(row.get("step", i + 1)) - 1
            out = {"step": step, "round": rnd.index, "phase": rnd.phase,
                   "max_completion_length": rnd.max_completion_length, "pool_size": len(pool)}
            out.update({k: v for k, v in row.items() if k != "step" and isinstance(v, int | float)})
            if i < len(step_times):
                out["step_seconds"] = round(step_times[i], 3)
            history.steps.append(out)
        print(f"[06_longcot_rl] round {rnd.index} done in {time.perf_counter() - t0:.1f} s")
    history.rollouts = rewards.rollout_table()
    return history
