"""``seedkit plan --profile gpu [--memory-gib 80] [--model SPEC] [--stages 03-07]``: the memory plan of a
profile's training and generation phases, before anything loads.

For each phase of stages 03-07 (03's two context lengths, 04's synthesis and SFT, 05's sampling and DPO,
06's traces, warm-up, rollouts and GRPO steps, 07's evaluation) it estimates the peak memory of one step
from the model's configuration, the profile's lengths and batches, the method (full, LoRA, QLoRA) and
precision, and chooses the per-device micro-batch (gradient accumulation keeps the global batch) and
activation checkpointing so that the step fits the card; generation phases get the number of sequences
that decode together. docs/memory.md gives the formula. Exit 0 when every phase fits; 1 with one line
naming the phase that fits in no way; 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``plan`` to the ``seedkit`` command's subparsers."""
    from seedkit.config import PROFILES

    r = subparsers.add_parser(
        "plan", help="memory plan of a profile's stages: per-device batch and checkpointing that fit the card",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--profile", default="gpu", choices=list(PROFILES), help="profile whose settings to plan (default gpu)")
    r.add_argument("--memory-gib", type=float, default=None, metavar="GIB",
                   help="the card's memory in GiB (default: the GPU nvidia-smi reports, else 79.2, an 80 GB H100 "
                        "as torch reports it)")
    r.add_argument("--model", default="", metavar="SPEC",
                   help="model to plan for (a known config, a folder with config.json, run:<run>/<stage>, a cached "
                        "hub id); default the profile's base model")
    r.add_argument("--stages", default="03-07", help="stages to plan (default 03-07)")
    r.add_argument("--processes", type=int, default=1, metavar="N",
                   help="processes sharing the global batch (data parallel; default 1)")
    r.add_argument("--json", action="store_true", help="print the plan as JSON")
    r.set_defaults(func=_cmd_plan)
    return r


def _cmd_plan(args: argparse.Namespace) -> int:
    from seedkit.config import PROFILES, SettingsError, stage_settings_class
    from seedkit.memory_plan import (
        DEFAULT_CARD_GIB,
        GIB,
        MemoryPlanError,
        budget_bytes,
        check_fits,
        model_dims,
        nvidia_smi,
        plan_settings,
    )
    from seedkit.pipeline import parse_stages

    prof = PROFILES[args.profile]
    if args.memory_gib is not None and args.memory_gib <= 0:
        raise SettingsError(f"--memory-gib: {args.memory_gib} must be a positive number of GiB")
    if args.processes < 1:
        raise SettingsError(f"--processes: {args.processes} must be >= 1")
    memory, where = args.memory_gib, "set by you"
    if memory is None:
        card = nvidia_smi()
        memory, where = ((card["memory_gib"], f"{card['name']}, nvidia-smi") if card and card["memory_gib"]
                         else (DEFAULT_CARD_GIB, "an 80 GB H100 as torch reports it; --memory-gib for another card"))
    stages = [s for s in parse_stages(args.stages) if s >= "03"]
    if not stages:
        raise SettingsError(f"--stages {args.stages}: the plan covers stages 03-07 (01 and 02 train nothing)")
    spec = args.model or prof.base_model
    plans = []
    for stage in stages:
        settings = stage_settings_class(stage).from_params(args.profile)
        scratch = settings.scratch_dims() if stage == "03_pretraining" else prof.scratch_model
        if not args.model and stage == "03_pretraining":
            spec03 = settings.model_spec()
            dims = model_dims(spec03, scratch=scratch)
        else:
            dims = model_dims(spec, scratch=scratch)
        plans += plan_settings(settings, memory_gib=memory, dims=dims, world=args.processes)
    if args.json:
        print(json.dumps({"profile": args.profile, "model": spec, "memory_gib": memory, "processes": args.processes,
                          "budget_gib": round(budget_bytes(memory) / GIB, 2),
                          "phases": [p.to_dict() for p in plans]}, indent=2))
    else:
        print(f"seedkit plan: profile {args.profile}, {memory:g} GiB card ({where}), {args.processes} process(es)")
        print(f"  model {dims.describe()}")
        print(f"  budget {budget_bytes(memory) / GIB:.1f} GiB a step: the card less about 1 GiB of CUDA context "
              "and 10% kept for the allocator's fragmentation")
        for p in plans:
            print("  " + p.line())
    try:
        check_fits(plans)
    except MemoryPlanError as e:
        print(f"seedkit plan: {e}", file=sys.stderr)
        return 1
    if not args.json:
        print(f"seedkit plan: every phase fits {memory:g} GiB")
    return 0
