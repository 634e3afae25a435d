"""The steps of ``make gpu-check``: a few optimizer steps of each training stage and a small evaluation,
each through the stages' own functions (see :mod:`seedkit.checks.gpu`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedkit.checks.gpu_measure import Meter
from seedkit.checks.gpu_plan import Options, Step
from seedkit.config import DATA_SAMPLES, PROFILES
from seedkit.dpo.pairs import (
    build_all_pairs,
    format_answer,
    sandbox_runner,
    score_answers,
    tasks_from_problems,
    verify_references,
)
from seedkit.dpo.stage import dpo_config, train_dpo
from seedkit.formats import problem_message
from seedkit.generation import TransformersGenerator
from seedkit.longcot_rl.grpo import grpo_config, train_grpo
from seedkit.longcot_rl.rewards import reward_functions
from seedkit.longcot_rl.traces import load_problems
from seedkit.measure.effects import spread_subset
from seedkit.measure.harness import evaluate_model_on_problems
from seedkit.models import LoraOptions, load_model, train_tokenizer
from seedkit.posttraining.finetune import chat_dataset, fit, sft_config, trainable_parameters
from seedkit.posttraining.stage import continue_or_add_adapter
from seedkit.pretraining.data import tokenize_source
from seedkit.pretraining.fim import FimTokens, ensure_fim_tokens
from seedkit.pretraining.models import load_stage_model, load_tokenizer
from seedkit.pretraining.packing import pack
from seedkit.pretraining.train import stage_lr, train_phase
from seedkit.problems import load_basic, load_train_problems

# --------------------------------------------------------------------------- the steps


@dataclass
class Context:
    opts: Options
    workdir: Path
    _scratch_tok: Any = None

    def scratch_tokenizer(self) -> Any:
        """One BPE for every scratch model of the run (the tiny profile trains one on its corpus)."""
        if self._scratch_tok is None:

            self._scratch_tok = train_tokenizer(code_texts(), vocab_size=1024)
        return self._scratch_tok

    def load(self, lora: Any = None, *, load_in_4bit: bool | None = None) -> tuple[Any, Any]:
        """The model as the gpu profile loads it (:func:`seedkit.models.load_model`, the kit's one loader)."""

        o = self.opts
        four = o.load_in_4bit if load_in_4bit is None else load_in_4bit
        if o.model == "scratch":
            return load_model("scratch", scratch_config=dict(PROFILES["tiny"].scratch_model),
                              tokenizer=self.scratch_tokenizer(), device=o.device, dtype=o.dtype, lora=lora)
        return load_model(o.model, device=o.device, dtype=o.dtype, load_in_4bit=four, lora=lora)

    def out(self, name: str) -> Path:
        p = self.workdir / name
        p.mkdir(parents=True, exist_ok=True)
        return p


def code_texts() -> list[str]:
    """The Python files shipped in data_samples/ (repositories and quality samples), in a fixed order."""

    files = sorted(p for p in DATA_SAMPLES.rglob("*.py") if p.is_file())
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise FileNotFoundError(f"no Python files under {DATA_SAMPLES}: restore data_samples/ with git checkout")
    return texts


def _checkpointing(model: Any, step: Step) -> Any:
    """``--full-size``: activation checkpointing on where the memory plan chose it (non-reentrant, as the
    trainers set it), whatever the stage's own wiring does with the setting."""
    if step.overrides.get("gradient_checkpointing", step.extra.get("gradient_checkpointing")):
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if hasattr(model, "enable_input_require_grads"):
            model.enable_input_require_grads()
    return model


def _losses(history: Sequence[dict[str, Any]], key: str = "loss") -> str:
    vals = [float(r[key]) for r in history if key in r]
    return f"{key} {vals[0]:.3f} -> {vals[-1]:.3f}" if vals else f"no {key} logged"


def try_pretraining(step: Step, ctx: Context, meter: Meter) -> dict[str, Any]:
    import random

    s = step.settings
    if ctx.opts.model == "scratch":
        tok = ctx.scratch_tokenizer()
    else:
        tok = load_tokenizer(ctx.opts.model)
        ensure_fim_tokens(tok)  # as stage 03 does: SmolLM2's tokenizer has no FIM tokens
    seq = s.seq_len_stage1
    docs = tokenize_source(code_texts(), tok, s.fim_rate_stage1, FimTokens.from_tokenizer(tok), s.fim_mode,
                           random.Random(s.seed))
    blocks = pack(docs, seq, tok.eos_token_id, tok.pad_token_id, keep_partial=False)
    if len(blocks) < s.global_batch_size:
        raise RuntimeError(f"data_samples/ gives {len(blocks)} blocks of {seq} tokens, fewer than one batch "
                           f"({s.global_batch_size})")
    model = _checkpointing(load_stage_model(s, None, tok, trainable=True), step)
    meter.loaded(model)
    lr_start, lr_end = stage_lr(s.learning_rate, 1)
    res = train_phase(model, tok, blocks.to_dataset(), output_dir=ctx.out("03_pretraining"), label="gpu-check 03",
                      block_size=seq, device=s.resolved_device(), dtype=s.resolved_dtype(),
                      global_batch=s.global_batch_size, per_device_max=s.per_device_max_batch, lr_start=lr_start,
                      lr_end=lr_end, max_steps=s.max_steps_stage1, warmup_ratio=s.warmup_ratio,
                      weight_decay=s.weight_decay, save_steps=None, seed=s.seed, resume=False)
    meter.done()
    adapter, _ = s.adapter_choice()
    return {"note": f"{adapter}, {_losses(res.log_history)}", "optimizer_steps": res.global_step,
            "blocks": len(blocks), "trainer_tokens_per_s": res.tokens_per_second, "adapter": adapter}


def try_sft(step: Step, ctx: Context, meter: Meter) -> dict[str, Any]:

    s = step.settings
    problems = load_train_problems("python")[:step.extra["examples"]]
    # the items stage 04 adds from the training problems: the evaluation's chat question, the reference answer
    ds = chat_dataset([{"instruction": problem_message(p), "solution": p.reference} for p in problems])
    model, tok = ctx.load(load_in_4bit=ctx.opts.load_in_4bit and s.finetune_method == "qlora")
    model = _checkpointing(continue_or_add_adapter(model, LoraOptions(r=s.lora_r, alpha=s.lora_alpha)), step)
    trainable, total = trainable_parameters(model)
    cfg = sft_config(output_dir=str(ctx.out("04_sft")), device=ctx.opts.device, dtype=ctx.opts.dtype,
                     global_batch=s.global_batch_size, per_device_max=s.per_device_batch_max,
                     learning_rate=s.learning_rate, max_steps=s.max_steps, num_epochs=s.num_epochs,
                     max_length=s.max_length, packing=s.packing, seed=s.seed)
    meter.loaded(model)
    history = fit(model, tok, ds, cfg)
    meter.done()
    return {"note": f"{s.finetune_method}, {_losses(history)}", "examples": len(ds),
            "trainable_parameters": trainable, "total_parameters": total,
            "optimizer_steps": max((int(r.get("step", 0)) for r in history), default=0)}


def try_dpo(step: Step, ctx: Context, meter: Meter) -> dict[str, Any]:

    s = step.settings
    tasks = tasks_from_problems(load_train_problems("python")[:step.extra["prompts"]])
    # No sampling here (that is generation, which the eval and GRPO steps time): one stub answer per prompt,
    # run in the sandbox like sampled answers are, so the pairs are the stage's own off-policy fallback:
    # the verified reference (chosen) against an answer that failed its tests (rejected).
    stubs = [[format_answer(f"def {t.entry_point or 'solution'}(*args, **kwargs):\n    return None")] for t in tasks]
    runner = sandbox_runner(progress=False)
    outcomes = score_answers(tasks, stubs, timeout_s=s.sandbox_timeout_s, run_jobs=runner)
    verified = verify_references(tasks, timeout_s=s.sandbox_timeout_s, run_jobs=runner)
    pairs, _ = build_all_pairs(tasks, outcomes, max_pairs=s.max_pairs_per_prompt, off_policy_fallback=True,
                               reference_verified=verified,
                               max_off_policy_pairs=s.max_off_policy_pairs_per_prompt)
    if not pairs:
        raise RuntimeError(f"no preference pair: {sum(verified)} of {len(tasks)} references passed their tests in "
                           "the sandbox (seedkit doctor checks the sandbox)")
    model, tok = ctx.load(load_in_4bit=ctx.opts.load_in_4bit and s.finetune_method == "qlora")
    model = _checkpointing(model, step)
    cfg = dpo_config(s, ctx.out("05_dpo"), device=ctx.opts.device)
    meter.loaded(model)
    _, history, how = train_dpo(model, tok, pairs, s, ctx.out("05_dpo"), device=ctx.opts.device, config=cfg)
    meter.done()
    margins = [float(r["rewards/margins"]) for r in history if "rewards/margins" in r]
    return {"note": f"{s.finetune_method}, {_losses(history)}" + (f", margin {margins[-1]:+.3f}" if margins else ""),
            "pairs": len(pairs), "reference_model": how,
            "optimizer_steps": max((int(r.get("step", 0)) for r in history), default=0)}


def try_grpo(step: Step, ctx: Context, meter: Meter) -> dict[str, Any]:

    s = step.settings
    problems = load_problems(limit=step.extra["problems"])
    lora = LoraOptions(r=s.lora_r, alpha=2 * s.lora_r) if s.resolved_use_lora() else None  # as stage 06's load_parent
    model, tok = ctx.load(lora)
    model = _checkpointing(model, step)
    cfg = grpo_config(s, output_dir=ctx.out("06_longcot_rl"), device=ctx.opts.device)
    meter.loaded(model)
    history = train_grpo(model, tok, problems, s, cfg, reward_functions(s)[0], output_dir=ctx.out("06_longcot_rl"))
    meter.done()  # the execution reward's sandbox runs stay in: they are part of an RL step
    rewards = [float(r["reward"]) for r in history.steps if "reward" in r]
    paths = sorted({str(r["rollouts"]) for r in history.rounds})
    note = f"{len(history.steps)} GRPO step(s), reward {rewards[-1]:.3f}" if rewards else "no reward logged"
    return {"note": f"{note}, rollouts: {', '.join(paths)}",
            "grpo_steps": len(history.steps), "rollouts": paths, "completions": len(history.rollouts),
            "reward": rewards}


def try_eval(step: Step, ctx: Context, meter: Meter) -> dict[str, Any]:
    import torch

    s = step.settings
    # Python only: a JavaScript problem needs node in the sandbox, which is not what this check is about
    problems = spread_subset(load_basic(step.extra["language"]), s.eval_limit)
    model, tok = ctx.load()  # as a measurement loads a model: the profile's 4-bit weights, no adapter
    gen = TransformersGenerator(model, tok, name=ctx.opts.model)
    meter.loaded(model)
    torch.manual_seed(s.seed)
    report = evaluate_model_on_problems(gen, problems, n=s.eval_samples, temperature=s.eval_temperature,
                                        max_new_tokens=s.eval_max_new_tokens, prompt_format="auto", ks=[1],
                                        progress=False, model_name=ctx.opts.model)
    meter.done(exclude_s=float(report.timings.get("scoring_s", 0.0)))  # generation only: the sandbox is CPU work
    engine = gen.choose_engine()[0]
    return {"note": f"pass@1 {report.pass_at_1:.2f} ({len(problems)} problems x {s.eval_samples}, "
                    f"{report.prompt_format}, engine {engine})", "pass_at_1": report.pass_at_1,
            "problems": len(problems), "prompt_format": report.prompt_format, "timings": dict(report.timings),
            "generated_tokens": getattr(gen.last_stats, "generated_tokens", None), "engine": engine}


RUNNERS: dict[str, Callable[[Step, Context, Meter], dict[str, Any]]] = {
    "03_pretraining": try_pretraining, "04_sft": try_sft, "05_dpo": try_dpo, "06_longcot_rl": try_grpo,
    "eval": try_eval,
}


__all__ = ["Context", "code_texts", "try_pretraining", "try_sft", "try_dpo", "try_grpo", "try_eval", "RUNNERS"]
