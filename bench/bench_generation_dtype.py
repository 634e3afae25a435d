"""What bfloat16 generation costs in answers and saves in time: the same model on the same problems
in float32 and in bfloat16, paired, in one invocation.

The kit loads models that only generate (measurements, synthesis, judging, on-policy samples) in
bfloat16 on a CPU with bfloat16 matrix instructions (``eval_dtype`` / ``generation_dtype`` =
auto, :func:`seedkit.models.fast_dtype`). This checks that choice on the basic problem tier
(greedy by default, so that the only difference between the two runs is the arithmetic):

- identical answers: how many of the samples are the same text in both dtypes;
- pass@1 in each dtype with its 95% interval, and the paired difference bfloat16 - float32 over
  problems (:func:`seedkit.measure.stats.paired_difference`): an interval that holds 0 means the
  change of dtype is not resolved at this sample size;
- generation seconds of each, and their ratio.

    .venv/bin/python bench/bench_generation_dtype.py                          # packaged model, 233 problems
    .venv/bin/python bench/bench_generation_dtype.py --models smollm2-135m-instruct,run:smol/04_sft
    .venv/bin/python bench/bench_generation_dtype.py --limit 48 --samples 5 --temperature 0.6

Prints one JSON line per model. On a CPU without bfloat16 matrix instructions bfloat16 is emulated
and slower; the line says which instructions were found.
"""

from __future__ import annotations

import argparse
import json
import time


def measure(spec: str, dtype: str, problems: list, args: argparse.Namespace) -> tuple[object, float]:
    import torch

    from seedkit.generation import TransformersGenerator
    from seedkit.measure.effects import PassCounts
    from seedkit.measure.harness import evaluate_model_on_problems
    from seedkit.models import load_model

    model, tok = load_model(spec, dtype=dtype, runs_dir=args.runs_dir, verbose=False)
    generator = TransformersGenerator(model, tok, name=spec, seed=0)
    torch.manual_seed(0)
    t0 = time.perf_counter()
    report = evaluate_model_on_problems(generator, problems, n=args.samples, temperature=args.temperature,
                                        max_new_tokens=args.max_new_tokens, prompt_format=args.prompt_format,
                                        ks=[1], progress=False, verbose=False, model_name=spec)
    seconds = time.perf_counter() - t0 - report.timings.get("scoring_s", 0.0)
    counts = PassCounts.from_report(report, label=dtype, model_spec=spec, model_identity=dtype, evidence={})
    return (counts, [s.raw or s.completion for s in report.samples]), seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="smollm2-135m-instruct", help="comma-separated model specs")
    ap.add_argument("--runs-dir", default="", help="where run:<run>/<stage> specs live (default: the kit's)")
    ap.add_argument("--limit", type=int, default=0, help="problems spread over the basic tier; 0 = all 233")
    ap.add_argument("--samples", type=int, default=1)
    ap.add_argument("--temperature", type=float, default=0.0)
    ap.add_argument("--max-new-tokens", type=int, default=160)
    ap.add_argument("--prompt-format", default="chat")
    ap.add_argument("--threads", type=int, default=0, help="torch threads; 0 = the kit's auto")
    args = ap.parse_args()

    from seedkit.measure.effects import spread_subset
    from seedkit.measure.stats import paired_difference
    from seedkit.models import cpu_multiplies_bfloat16
    from seedkit.problems import load_basic
    from seedkit.training import torch_threads

    problems = load_basic()
    if args.limit:
        problems = spread_subset(problems, args.limit)
    isa = cpu_multiplies_bfloat16() or "none (bfloat16 emulated)"
    for spec in args.models.split(","):
        with torch_threads(args.threads, "bench"):
            (c32, raw32), s32 = measure(spec, "float32", problems, args)
            (c16, raw16), s16 = measure(spec, "bfloat16", problems, args)
        diff = paired_difference(c16, c32)
        p32, p16 = c32.interval(1), c16.interval(1)
        print(json.dumps({
            "model": spec, "problems": len(problems), "samples": args.samples, "temperature": args.temperature,
            "bfloat16_instructions": isa,
            "identical_answers": f"{sum(a == b for a, b in zip(raw32, raw16, strict=True))}/{len(raw32)}",
            "pass@1_float32": [round(p32.mean, 4), round(p32.lo, 4), round(p32.hi, 4)],
            "pass@1_bfloat16": [round(p16.mean, 4), round(p16.lo, 4), round(p16.hi, 4)],
            "difference_bfloat16_minus_float32": [round(diff.mean, 4), round(diff.lo, 4), round(diff.hi, 4)],
            "difference_resolved": not (diff.lo <= 0 <= diff.hi),
            "generation_s_float32": round(s32, 1), "generation_s_bfloat16": round(s16, 1),
            "speedup": round(s32 / s16, 2),
        }), flush=True)


if __name__ == "__main__":
    main()
