"""The slot engine with prepacked matrix products (``seedkit/generation/packed.py``, its default)
against plain ``F.linear`` (what it ran before), on the packaged SmolLM2-135M-Instruct in float32,
in one invocation.

Two parts:

- ``--shapes``: each of SmolLM2's weight shapes at several row counts, ``F.linear`` against the
  prepacked product, alternating, CPU-microseconds per call (best of the rounds): the table the
  module's thresholds come from.
- the engine (default): ``--prompts`` synthesis conversations (stage 04's prompt builder), greedy,
  ``--max-new-tokens`` each with no end-of-sequence token (both modes do the same steps), at each of
  ``--slots`` sequences together. Modes alternate (off, on, on, off, ...) after one warm-up each; a
  run's CPU time is ``time.process_time`` (all torch threads). Prints each mode's median tokens per
  CPU-second with quartiles, the ratio, and how many of the sequences are token-for-token identical
  (the products are summed in another order, so a greedy pick can change where two logits tie).

    .venv/bin/python bench/bench_packed_linear.py                    # 1 thread; 8 and 64 slots
    .venv/bin/python bench/bench_packed_linear.py --shapes           # the per-shape table
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROWS = (1, 4, 8, 16, 24, 32, 64, 128)


def shapes_table(model: object, rounds: int) -> None:
    import torch
    import torch.nn.functional as F

    from seedkit.generation import packed

    seen: dict[tuple[int, int], str] = {}
    for name, m in model.named_modules():
        if isinstance(m, torch.nn.Linear):
            seen.setdefault(tuple(m.weight.shape), name.split(".")[-1])
    print(f"{'weight (out x in)':>22} {'layer':>10}  " + "  ".join(f"{r:>6}" for r in ROWS)
          + "   (F.linear / packed CPU time; > 1: packed faster)")
    for (n, k), label in sorted(seen.items(), key=lambda kv: -kv[0][0] * kv[0][1]):
        w = torch.randn(n, k)
        p = torch.ops.mkldnn._reorder_linear_weight(w, packed.PACK_ROWS_HINT)
        ratios = []
        for rows in ROWS:
            x = torch.randn(rows, k)
            reps = max(3, int(2e8 / (rows * n * k)))
            best = {"F": float("inf"), "P": float("inf")}
            fns = {"F": lambda x=x, w=w: F.linear(x, w),
                   "P": lambda x=x, p=p: torch.ops.mkldnn._linear_pointwise(x, p, None, "none", [], "")}
            for r in range(rounds):
                for key in ("F", "P") if r % 2 == 0 else ("P", "F"):
                    fns[key]()
                    t = time.process_time()
                    for _ in range(reps):
                        fns[key]()
                    best[key] = min(best[key], (time.process_time() - t) / reps)
            ratios.append(best["F"] / best["P"])
        used = "packed" if n * k >= packed.MIN_ELEMENTS else "F.linear"
        print(f"{f'{n} x {k}':>22} {label:>10}  " + "  ".join(f"{x:6.2f}" for x in ratios) + f"   kit uses: {used}"
              + (f" for {packed.MIN_ROWS}-{packed.MAX_ROWS} rows" if used == "packed" and n < packed.WIDE_OUTPUT else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shapes", action="store_true", help="the per-shape table instead of the engine runs")
    ap.add_argument("--prompts", type=int, default=16)
    ap.add_argument("--slots", default="8,64", help="comma list: sequences decoding together")
    ap.add_argument("--max-new-tokens", type=int, default=48)
    ap.add_argument("--rounds", type=int, default=4, help="runs of each mode")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    import torch
    from bench_generation import synthesis_conversations

    from seedkit.generation import engine, packed
    from seedkit.models import load_model

    torch.set_num_threads(args.threads)
    model, tok = load_model("smollm2-135m-instruct", dtype="float32", verbose=False)
    model.eval()
    if not packed.enabled():
        print("skipped: this torch has no oneDNN (mkldnn) prepacking, or SEEDKIT_PACKED_MATMUL=0")
        return
    if args.shapes:
        shapes_table(model, max(3, args.rounds))
        return
    prompts = [list(tok.apply_chat_template(c, add_generation_prompt=True, tokenize=True, return_dict=True)
                    ["input_ids"]) for c in synthesis_conversations(args.prompts)]

    def run(mode: str, slots: int) -> tuple[list, float]:
        os.environ["SEEDKIT_PACKED_MATMUL"] = "1" if mode == "packed" else "0"
        t = time.process_time()
        try:
            out = engine.decode(model, prompts, n=1, max_new_tokens=args.max_new_tokens, eos_token_ids=[], slots=slots)
        finally:
            os.environ.pop("SEEDKIT_PACKED_MATMUL", None)
        return out, time.process_time() - t

    modes = ("F.linear", "packed")
    ratios = []
    for slots in [int(s) for s in args.slots.split(",") if s.strip()]:
        rate: dict[str, list[float]] = {m: [] for m in modes}
        outs: dict[str, list] = {}
        for m in modes:  # warm-up: first-call allocations, the packs
            run(m, slots)
        for r in range(args.rounds):
            for mode in (modes if r % 2 == 0 else modes[::-1]):
                out, cpu = run(mode, slots)
                outs.setdefault(mode, out)
                rate[mode].append(sum(len(s) for p in out for s in p) / cpu)
        med = {m: statistics.median(v) for m, v in rate.items()}
        quart = {m: [round(q, 1) for q in statistics.quantiles(v, n=4)[::2]] if len(v) > 1 else v for m, v in rate.items()}
        same = sum(a == b for a, b in zip(outs["F.linear"], outs["packed"], strict=True))
        ratios.append(f"{slots} slots {med['packed'] / med['F.linear']:.2f}x")
        print(json.dumps({"slots": slots, "threads": args.threads, "prompts": args.prompts,
                          "max_new_tokens": args.max_new_tokens, "rounds": args.rounds,
                          "tokens_per_cpu_s": {m: round(v, 1) for m, v in med.items()}, "quartiles": quart,
                          "identical_sequences": f"{same}/{len(prompts)}",
                          "load_average": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}), flush=True)
    print("packed over F.linear, tokens per CPU-second: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
