"""One pretraining stage with the Hugging Face Trainer: checkpoints, resume, LR schedule, tokens/s.

The same :func:`train_phase` runs in a notebook (one process) and under ``torchrun`` /
``accelerate launch`` (the Trainer sets up DDP from the environment, and
:func:`seedkit.training.trainer_kwargs` splits the global batch across processes so the
optimisation is the same for any number of them).

The report's learning-rate schedule, mapped onto two Trainer runs
-----------------------------------------------------------------
The report trains with a peak learning rate of 3e-4 and lowers it across its two phases: regular
pretraining ends at 3e-4/sqrt(10) (about 9.5e-5), and continued pretraining goes on from there
down to about 3e-5, i.e. one more factor of 1/sqrt(10), ending near peak/10. The kit keeps those
anchor points relative to its own peak ``LR`` and makes the curve continuous across the stages:

- stage 1 (regular): linear warm-up to ``LR``, then cosine decay to ``LR/sqrt(10)``;
- stage 2 (continued): starts at ``LR/sqrt(10)`` (where stage 1 ended) and decays by cosine to
  ``LR/10``.

Both are the Trainer's ``cosine_with_min_lr`` scheduler with ``min_lr`` set; :func:`stage_lr` gives
(start, end) per stage and is unit-tested. (An earlier version of the kit decayed stage 2 to
``LR/100``; that reads the report's second factor as a decay of the stage-1 endpoint by 1/100,
which its 3e-5 endpoint contradicts.)

Resume
------
Checkpoints go to ``<output_dir>/checkpoint-<step>`` every ``save_steps`` (model, optimizer,
scheduler, RNG states, trainer state). :func:`train_phase` resumes from the newest one when it
exists, so a run killed mid-way continues from its last checkpoint when it is started again.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.training import keep_trained_state, threads_callback, trainer_kwargs


def stage_lr(peak: float, stage: int) -> tuple[float, float]:
    """(start LR, end LR) of a stage under the report's schedule (see the module docstring)."""
    if stage == 1:
        return peak, peak / math.sqrt(10)
    if stage == 2:
        return peak / math.sqrt(10), peak / 10
    raise ValueError(f"stage must be 1 or 2, got {stage}")


def last_complete_checkpoint(output_dir: str | Path) -> str | None:
    """The newest ``checkpoint-<step>`` that was written to the end.

    The Trainer writes trainer_state.json last (after model, optimizer, scheduler and RNG states),
    so a process killed while saving leaves a directory without it; that one is skipped.
    """
    import re

    found = []
    for p in Path(output_dir).glob("checkpoint-*"):
        m = re.fullmatch(r"checkpoint-(\d+)", p.name)
        if m and p.is_dir() and (p / "trainer_state.json").exists():
            found.append((int(m.group(1)), p))
    return str(max(found)[1]) if found else None


def _tokens_per_step(args: Any, block_size: int) -> int:
    return args.per_device_train_batch_size * args.gradient_accumulation_steps * args.world_size * block_size


def make_progress_callback(block_size: int, label: str = "train") -> Any:
    """A TrainerCallback: a tqdm bar showing loss, learning rate and tokens/s (replaces the default)."""
    from tqdm.auto import tqdm
    from transformers import TrainerCallback

    class TokensPerSecondCallback(TrainerCallback):
        """Progress bar with throughput; also keeps (step, tokens/s) pairs for the metrics."""

        def __init__(self) -> None:
            self.bar: Any = None
            self.t0 = 0.0
            self.start_step = 0
            self.tokens_per_step = 0
            self.rates: list[tuple[int, float]] = []
            self.last_logs: dict[str, float] = {}
            self.step_seconds = 0.0  # time inside optimizer steps only (periodic evals excluded)
            self._step_t0 = 0.0

        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.tokens_per_step = _tokens_per_step(args, block_size)
            self.start_step = state.global_step
            self.t0 = time.perf_counter()
            if state.is_world_process_zero:
                self.bar = tqdm(total=state.max_steps, initial=state.global_step, desc=label,
                                unit="step", dynamic_ncols=True)

        def on_step_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self._step_t0 = time.perf_counter()

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.step_seconds += time.perf_counter() - self._step_t0
            done = state.global_step - self.start_step
            rate = done * self.tokens_per_step / self.step_seconds if self.step_seconds > 0 else 0.0
            self.rates.append((state.global_step, rate))
            if self.bar is not None:
                self.bar.update(state.global_step - self.bar.n)
                post = {"tok/s": f"{rate:,.0f}"}
                if "loss" in self.last_logs:
                    post["loss"] = f"{self.last_logs['loss']:.3f}"
                if "learning_rate" in self.last_logs:
                    post["lr"] = f"{self.last_logs['learning_rate']:.2e}"
                self.bar.set_postfix(post, refresh=False)

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, float] | None = None, **kw: Any) -> None:
            self.last_logs.update({k: v for k, v in (logs or {}).items() if isinstance(v, int | float)})

        def on_train_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if self.bar is not None:
                self.bar.close()
                self.bar = None

    return TokensPerSecondCallback()


@dataclass
class StageTrainResult:
    """What one training stage did: its log, steps, throughput and where it resumed from."""

    label: str
    log_history: list[dict[str, Any]]
    global_step: int
    max_steps: int
    block_size: int
    tokens_per_step: int
    train_seconds: float
    tokens_per_second: float
    step_seconds: float = 0.0
    resumed_from: str | None = None
    lr_start: float = 0.0
    lr_end: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def build_training_args(*, output_dir: str | Path, device: str, dtype: str, global_batch: int,
                        per_device_max: int, lr_start: float, lr_end: float, max_steps: int, warmup_ratio: float,
                        weight_decay: float, save_steps: int | None, eval_steps: int | None, seed: int,
                        verbose: bool = True, eval_on_start: bool = True, report_to: str = "none",
                        gradient_checkpointing: bool = False) -> Any:
    """TrainingArguments from the kit's shared kwargs plus this stage's schedule."""
    from transformers import TrainingArguments

    kw = trainer_kwargs(output_dir=str(output_dir), device=device, dtype=dtype, global_batch=global_batch,
                        per_device_max=per_device_max, learning_rate=lr_start, max_steps=max_steps, seed=seed,
                        logging_steps=1, save_steps=save_steps, warmup_ratio=warmup_ratio,
                        lr_scheduler_type="cosine_with_min_lr", verbose=verbose, report_to=report_to,
                        gradient_checkpointing=gradient_checkpointing)
    kw["lr_scheduler_kwargs"] = {"min_lr": lr_end}
    kw["weight_decay"] = weight_decay
    kw["disable_tqdm"] = True  # our own bar (with tokens/s) replaces the Trainer's
    kw["per_device_eval_batch_size"] = kw["per_device_train_batch_size"]
    if eval_steps:
        kw.update(eval_strategy="steps", eval_steps=eval_steps, eval_on_start=eval_on_start)
    if save_steps:
        kw["save_total_limit"] = 2
    return TrainingArguments(**kw)


def tracker_callbacks(report_to: str, logging_dir: str | Path | None) -> tuple[str, list[Any]]:
    """(report_to for the Trainer, extra callbacks): TensorBoard is given its own writer so that its
    logs go to ``logging_dir`` (under the stage directory, kept after the stage) rather than into the
    checkpoint folder; other trackers (wandb, mlflow, ...) pass through to the Trainer unchanged."""
    import importlib.util

    names = [t.strip() for t in report_to.split(",") if t.strip() and t.strip() != "none"]
    if "tensorboard" not in names or logging_dir is None:
        return report_to, []
    if importlib.util.find_spec("tensorboard") is None and importlib.util.find_spec("tensorboardX") is None:
        raise RuntimeError("report_to: tensorboard needs the tensorboard package (pip install tensorboard), "
                           "or set report_to='none'")
    from torch.utils.tensorboard import SummaryWriter
    from transformers.integrations import TensorBoardCallback

    Path(logging_dir).mkdir(parents=True, exist_ok=True)
    rest = [n for n in names if n != "tensorboard"]
    return ",".join(rest) or "none", [TensorBoardCallback(tb_writer=SummaryWriter(log_dir=str(logging_dir)))]


def remove_checkpoints(output_dir: str | Path) -> None:
    """Drop the ``checkpoint-*`` folders of a finished stage: they exist for resume only, and a full
    fine-tune's optimizer state is several times the model's size."""
    import shutil

    for p in Path(output_dir).glob("checkpoint-*"):
        shutil.rmtree(p, ignore_errors=True)


def train_phase(model: Any, tokenizer: Any, train_dataset: Any, *, output_dir: str | Path, label: str,
                block_size: int, device: str, dtype: str, global_batch: int, per_device_max: int,
                lr_start: float, lr_end: float, max_steps: int, warmup_ratio: float = 0.0,
                weight_decay: float = 0.1, save_steps: int | None = None, eval_dataset: Any = None,
                eval_steps: int | None = None, seed: int = 0, resume: bool = True,
                verbose: bool = True, extra_callbacks: list[Any] | None = None, report_to: str = "none",
                logging_dir: str | Path | None = None, gradient_checkpointing: bool = False) -> StageTrainResult:
    """Train ``model`` on packed blocks for ``max_steps`` optimizer steps with the HF Trainer.

    Resumes from the newest ``checkpoint-*`` in ``output_dir`` when ``resume`` is true. Returns the
    log history (loss, learning_rate, grad_norm per step; eval_loss every ``eval_steps``) and the
    measured tokens/s. ``report_to`` names trackers as transformers does; TensorBoard writes to
    ``logging_dir``.
    """
    from transformers import PrinterCallback, Trainer, default_data_collator

    say = print if verbose else (lambda *a, **k: None)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    last = last_complete_checkpoint(output_dir) if resume else None
    report_to, tracker_cbs = tracker_callbacks(report_to, logging_dir)
    args = build_training_args(output_dir=output_dir, device=device, dtype=dtype, global_batch=global_batch,
                               per_device_max=per_device_max, lr_start=lr_start, lr_end=lr_end,
                               max_steps=max_steps, warmup_ratio=warmup_ratio, weight_decay=weight_decay,
                               save_steps=save_steps, eval_steps=eval_steps if eval_dataset is not None else None,
                               seed=seed, verbose=verbose, eval_on_start=last is None, report_to=report_to,
                               gradient_checkpointing=gradient_checkpointing)
    progress = make_progress_callback(block_size, label)
    trainer = Trainer(model=model, args=args, train_dataset=train_dataset, eval_dataset=eval_dataset,
                      data_collator=default_data_collator, processing_class=tokenizer,
                      callbacks=[progress, threads_callback(), *tracker_cbs, *(extra_callbacks or [])])
    trainer.remove_callback(PrinterCallback)  # it would print every log dict; the bar shows them
    if last:
        say(f"[03_pretraining] {label}: resuming from {Path(last).name} (found in {output_dir})")
    t0 = time.perf_counter()
    trainer.train(resume_from_checkpoint=last)
    keep_trained_state(trainer, model)  # every process: sharded weights gathered for rank 0's save_model
    seconds = time.perf_counter() - t0
    steps_done = trainer.state.global_step - progress.start_step
    tps = _tokens_per_step(trainer.args, block_size)
    rate = steps_done * tps / progress.step_seconds if progress.step_seconds > 0 else 0.0
    say(f"[03_pretraining] {label}: {steps_done} steps in {seconds:.1f} s ({progress.step_seconds:.1f} s training, "
        f"the rest evaluation and checkpoints), {rate:,.0f} tokens/s (step {trainer.state.global_step}/{max_steps})")
    return StageTrainResult(label=label, log_history=list(trainer.state.log_history),
                            global_step=trainer.state.global_step, max_steps=max_steps, block_size=block_size,
                            tokens_per_step=tps, train_seconds=round(seconds, 3), tokens_per_second=round(rate, 1),
                            step_seconds=round(progress.step_seconds, 3),
                            resumed_from=Path(last).name if last else None, lr_start=lr_start, lr_end=lr_end,
                            extra={"is_world_process_zero": trainer.is_world_process_zero()})
