"""The slot engine's decoding under ``torch.inference_mode`` (its default) against ``torch.no_grad``
(what it ran before), on the packaged SmolLM2-135M-Instruct (float32), in one invocation.

Workload: ``--prompts`` synthesis conversations (stage 04's prompt builder, as in
``bench_generation.py``), greedy, ``--max-new-tokens`` each with no end-of-sequence token (every row
runs the full length, so both modes do the same steps), ``--slots`` sequences together. The two
modes alternate (before, after, after, before, ...) so that load from other processes hits both
alike; each run is timed in CPU-seconds of this process (``time.process_time``: all torch threads).
Prints each mode's median tokens per CPU-second with its quartiles, the ratio of medians, whether
the token ids of the two modes are identical, and the load average.

    .venv/bin/python bench/bench_generation_grad_mode.py                      # 1 thread, 8 x 48 tokens
    .venv/bin/python bench/bench_generation_grad_mode.py --threads 2 --rounds 10
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prompts", type=int, default=8)
    ap.add_argument("--slots", type=int, default=8)
    ap.add_argument("--max-new-tokens", type=int, default=48)
    ap.add_argument("--rounds", type=int, default=8, help="runs of each mode")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    import torch
    from bench_generation import synthesis_conversations

    from seedkit.generation import engine
    from seedkit.models import load_model

    torch.set_num_threads(args.threads)
    model, tok = load_model("smollm2-135m-instruct", dtype="float32", verbose=False)
    model.eval()
    prompts = [list(tok.apply_chat_template(c, add_generation_prompt=True, tokenize=True, return_dict=True)
                    ["input_ids"]) for c in synthesis_conversations(args.prompts)]
    after_mode = engine._grad_off

    def run(mode: str) -> tuple[list, float]:
        engine._grad_off = after_mode if mode == "inference_mode" else (lambda model: torch.no_grad())
        t = time.process_time()
        try:
            out = engine.decode(model, prompts, n=1, max_new_tokens=args.max_new_tokens, eos_token_ids=[],
                                slots=args.slots)
        finally:
            engine._grad_off = after_mode
        return out, time.process_time() - t

    modes = ("no_grad", "inference_mode")
    rate: dict[str, list[float]] = {m: [] for m in modes}
    outs: dict[str, list] = {}
    run("inference_mode")  # warm-up (first-call allocations, lazy imports)
    for r in range(args.rounds):
        for mode in (modes if r % 2 == 0 else modes[::-1]):
            out, cpu = run(mode)
            outs.setdefault(mode, out)
            rate[mode].append(sum(len(s) for p in out for s in p) / cpu)
    med = {m: statistics.median(v) for m, v in rate.items()}
    quart = {m: [round(q, 1) for q in statistics.quantiles(v, n=4)[::2]] for m, v in rate.items()}
    print(json.dumps({"threads": args.threads, "prompts": args.prompts, "slots": args.slots,
                      "max_new_tokens": args.max_new_tokens, "rounds": args.rounds,
                      "tokens_per_cpu_s": {m: round(v, 1) for m, v in med.items()}, "quartiles": quart,
                      "identical_tokens": outs["no_grad"] == outs["inference_mode"],
                      "load_average": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}))
    print(f"inference_mode {med['inference_mode'] / med['no_grad']:.3f}x no_grad tokens per CPU-second "
          f"(identical tokens: {outs['no_grad'] == outs['inference_mode']})")


if __name__ == "__main__":
    main()
