"""The slot engine's two CPU gains against the engine without them, on the packaged
SmolLM2-135M-Instruct in float32, in one invocation: prepacked matrix products
(``seedkit/generation/packed.py``) and shared prefixes prefilled once (``engine.prefill_prefix``).

Two parts:

- ``--shapes``: each of SmolLM2's weight shapes at several row counts, ``F.linear`` against the
  prepacked product, alternating, CPU-microseconds per call (best of the rounds): the table the
  packing thresholds come from.
- the engine (default): the kit's own generation workloads (``bench_vllm_cpu.workload_prompts``):
  ``synthesis`` (stage 04's chat conversations, greedy, 8 in flight, stop at the closing fence) and
  ``eval-sampled`` (the evaluation's 48 basic problems x 5 samples at 0.6, as ``smol`` measures; the
  kit's own slots), each run ``before`` (``--features`` turned off) and ``now`` (the default engine).
  Modes alternate (before, now, now, before, ...) after one warm-up each; a run's CPU time is
  ``time.process_time`` (all torch threads). Prints each mode's median tokens per CPU-second, the
  ratio, and how many answers are identical (greedy: every answer must be; sampled with the same
  seed: the products are summed in another order, so a draw can change where two logits tie).

    .venv/bin/python bench/bench_engine_gains.py                     # both gains, 2 rounds
    .venv/bin/python bench/bench_engine_gains.py --features packed --workloads synthesis
    .venv/bin/python bench/bench_engine_gains.py --shapes            # the per-shape table
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
    ap.add_argument("--workloads", default="synthesis,eval-sampled", help="comma list: synthesis, eval-greedy, eval-sampled")
    ap.add_argument("--features", default="both", choices=("packed", "prefix", "both"),
                    help="what 'before' turns off: prepacked products, shared prefixes, or both")
    ap.add_argument("--rounds", type=int, default=2, help="runs of each mode per workload")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    import torch
    from bench_vllm_cpu import workload_prompts

    from seedkit.generation import TransformersGenerator, engine, packed
    from seedkit.models import load_model

    torch.set_num_threads(args.threads)
    model, tok = load_model("smollm2-135m-instruct", dtype="float32", verbose=False)
    model.eval()
    if args.shapes:
        if not packed.enabled():
            print("skipped: this torch has no oneDNN (mkldnn) prepacking, or SEEDKIT_PACKED_MATMUL=0")
            return
        shapes_table(model, max(3, args.rounds))
        return
    wl_args = argparse.Namespace(synthesis_prompts=16, synthesis_batch=8, synthesis_max_new_tokens=128, eval_problems=48,
                                 eval_samples=5, eval_temperature=0.6, eval_max_new_tokens=160)
    shared = engine.MIN_SHARED_PREFIX

    def run(mode: str, wl: dict, kit: TransformersGenerator) -> tuple[list, float, int]:
        off = mode == "before"
        if off and args.features in ("packed", "both"):
            os.environ["SEEDKIT_PACKED_MATMUL"] = "0"
        if off and args.features in ("prefix", "both"):
            engine.MIN_SHARED_PREFIX = 10**9
        t = time.process_time()
        try:
            out = kit.complete(wl["texts"], n=wl["n"], temperature=wl["temperature"], max_new_tokens=wl["max_tokens"],
                               stop=wl["stop"], progress=False, seed=0)
        finally:
            os.environ.pop("SEEDKIT_PACKED_MATMUL", None)
            engine.MIN_SHARED_PREFIX = shared
        return out, time.process_time() - t, kit.last_stats.generated_tokens

    modes = ("before", "now")
    ratios = []
    for name in [w.strip() for w in args.workloads.split(",") if w.strip()]:
        wl = workload_prompts(name, tok, wl_args)
        kit = TransformersGenerator(model, tok, batch_size=wl["slots"], name="kit", verbose=False)
        kit.complete(wl["texts"][:2], n=1, max_new_tokens=8, progress=False)  # warm-up: allocations, the packs
        rate: dict[str, list[float]] = {m: [] for m in modes}
        cpu: dict[str, list[float]] = {m: [] for m in modes}
        outs: dict[str, list] = {}
        for r in range(args.rounds):
            for mode in (modes if r % 2 == 0 else modes[::-1]):
                out, c, tokens = run(mode, wl, kit)
                outs.setdefault(mode, out)
                rate[mode].append(tokens / c)
                cpu[mode].append(c)
                print(f"  {name} round {r + 1} {mode}: {tokens} tokens, {c:.1f} CPU-s ({tokens / c:.1f} per CPU-s), "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
        med = {m: statistics.median(v) for m, v in rate.items()}
        same = sum(a == b for a, b in zip(outs["before"], outs["now"], strict=True))
        ratios.append(f"{name} {med['now'] / med['before']:.2f}x")
        print(json.dumps({"workload": name, "features": args.features, "threads": args.threads, "rounds": args.rounds,
                          "tokens_per_cpu_s": {m: round(v, 1) for m, v in med.items()},
                          "tokens_per_cpu_s_runs": {m: [round(x, 1) for x in v] for m, v in rate.items()},
                          "cpu_s_runs": {m: [round(x, 1) for x in v] for m, v in cpu.items()},
                          "identical_answers": f"{same}/{len(outs['now'])}", "load_average": round(os.getloadavg()[0], 1)}),
              flush=True)
    print(f"now ({args.features} on) over before, tokens per CPU-second: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
