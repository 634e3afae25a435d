"""Generation speed of the kit's in-process path against bare ``model.generate``, and against the
machine's limits, on the packaged SmolLM2-135M-Instruct (float32), in one invocation.

Workloads (the kit's own prompt builders and data):

- ``synthesis`` (stage 04): chat conversations built by ``seedkit.sft.synthesis.build_conversation``
  from the basic problem tier's instructions, greedy, stop at the closing code fence, one answer each.
  The kit's path is ``TransformersGenerator(model, tok)`` with its defaults; the peer is
  ``model.generate`` on left-padded batches of ``--batch`` prompts (``engine="generate"``), the
  kit's previous path and what the stages ran before.
- ``rollout`` (stage 06 GRPO): the training problems' reasoning prompts in TRL's layout, each
  repeated ``--group`` times, ``--rollout-rows`` rows per call (one rollout batch of smol's GRPO),
  sampled at temperature 1.0 up to ``--max-new-tokens`` or an end-of-turn token. The kit's path is
  :func:`seedkit.generation.generate_token_ids` (which stage 06 can call from TRL); the peer is
  ``model.generate`` on the same rows, as TRL's GRPOTrainer calls it.
- ``evaluation`` (stage 07, with ``--workloads``): basic-tier problems, chat prompts primed with a
  code fence, ``--samples`` samples at temperature 0.8, stop at the closing fence.

Kit and peer runs alternate (kit, peer, peer, kit, ...) so that load from other processes hits both
alike; the median over rounds is reported. Tokens are the generated tokens each path kept (up to
its stop); greedy outputs of both paths are compared for identity. Where a workload has more
prompts than the peer gets through in a round, the peer runs a different slice each round: its
batches are independent, so its rate does not depend on how many prompts there are, while the
kit's rate does (it keeps ``slots`` sequences in flight).

Limits, measured in the same invocation with the same torch threads:
- compute: a 2048 x 2048 float32 matrix product (best of 3), against 2 x (parameters in matrix
  products) FLOP per generated token;
- memory: a 512 MiB copy (bytes read + written per second, best of 3): at batch b a decode step
  reads the 540 MB of weights once for b tokens, so b x bandwidth / weight bytes tokens/s.

    .venv/bin/python bench/bench_generation.py                 # make bench: synthesis + rollout
    .venv/bin/python bench/bench_generation.py --candidates    # engines x batch 1/8/32/64 (long)

Prints one JSON line per workload and a summary line; target: kit >= 3x the peer's tokens/s
(synthesis: against model.generate at batch 8; rollout: at the same rows per call, as TRL calls it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# --------------------------------------------------------------------------- limits


def measure_limits() -> dict[str, float]:
    import torch

    a = torch.randn(2048, 2048)
    b = torch.randn(2048, 2048)
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * 2048**3 / (time.perf_counter() - t))
    x = torch.empty(512 * 2**20 // 4)
    x.fill_(1.0)
    y = torch.empty_like(x)
    bw = 0.0
    for _ in range(3):
        t = time.perf_counter()
        y.copy_(x)
        bw = max(bw, 2 * x.numel() * 4 / (time.perf_counter() - t))
    return {"matmul_flop_per_s": best, "copy_bytes_per_s": bw}


def model_costs(model: Any) -> dict[str, float]:
    """FLOP per token (2 x parameters in matrix products: every Linear, the tied output layer
    included once; attention over the cache left out) and bytes of weights read per step."""
    import torch

    linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    return {"flop_per_token": 2.0 * linear, "weight_bytes": float(weight_bytes)}


def roofline(tok_per_s: float, batch: float, lim: dict[str, float], cost: dict[str, float]) -> dict[str, float]:
    compute = lim["matmul_flop_per_s"] / cost["flop_per_token"]
    memory = batch * lim["copy_bytes_per_s"] / cost["weight_bytes"]
    return {"compute_bound_tokens_per_s": round(compute, 1), "memory_bound_tokens_per_s": round(memory, 1),
            "fraction_of_compute_bound": round(tok_per_s / compute, 3),
            "fraction_of_memory_bound": round(tok_per_s / memory, 3)}


# --------------------------------------------------------------------------- workloads


def synthesis_conversations(count: int) -> list[list[dict[str, str]]]:
    from seedkit.problems import load_basic
    from seedkit.sft.seeds import Seed
    from seedkit.sft.synthesis import build_conversation, load_prompts, load_styles, sample_styles

    probs = [p for p in load_basic("python")][:count]
    prompts = load_prompts()
    styles = sample_styles(load_styles(), len(probs), seed=0)
    seeds = [Seed(id=p.task_id, kind="instruction", text=p.instruction, entry_point=p.entry_point,
                  tests="assert True") for p in probs]
    return [build_conversation(s, st, prompts) for s, st in zip(seeds, styles, strict=True)]


def rollout_rows(tok: Any, problems: int, group: int) -> list[list[int]]:
    from seedkit.formats import reasoning_messages
    from seedkit.longcot_rl.traces import load_problems

    probs = load_problems(limit=problems)
    rows = []
    for p in probs:
        ids = tok.apply_chat_template(reasoning_messages(p), add_generation_prompt=True, tokenize=True)
        ids = list(ids["input_ids"] if isinstance(ids, dict) or hasattr(ids, "keys") else ids)
        rows += [ids] * group
    return rows


def evaluation_prompts(gen: Any, count: int) -> list[str]:
    from seedkit.formats import FENCE_TAGS, chat_messages
    from seedkit.problems import load_basic

    probs = load_basic("python")[:count]
    return [gen.render_chat(chat_messages(p)) + f"```{FENCE_TAGS.get('python', 'python')}\n" for p in probs]


# --------------------------------------------------------------------------- runs


def timed(fn: Any) -> tuple[Any, float, float]:
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def count_tokens(tok: Any, texts: list[list[str]]) -> int:
    return sum(len(tok(t, add_special_tokens=False)["input_ids"]) for group in texts for t in group)


def bare_rollout(model: Any, tok: Any, rows: list[list[int]], max_new_tokens: int, eos: list[int],
                 temperature: float) -> list[list[int]]:
    """TRL GRPOTrainer's regular path: left-pad the rows, model.generate, cut after the first EOS."""
    import torch

    width = max(len(r) for r in rows)
    ids = torch.tensor([[tok.pad_token_id] * (width - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
    with torch.no_grad():
        out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, do_sample=True,
                             temperature=temperature, top_k=0, top_p=1.0, eos_token_id=eos,
                             pad_token_id=tok.pad_token_id)
    comp = []
    for row in out[:, width:].tolist():
        cut = next((i + 1 for i, t in enumerate(row) if t in eos), len(row))
        comp.append(row[:cut])
    return comp


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def run_pair(name: str, kit_fn: Any, peer_fn: Any, rounds: int, tokens_of: Any) -> dict[str, Any]:
    """Alternate kit and peer runs; per-run (tokens, wall s, cpu s, load)."""
    runs: dict[str, list[dict[str, float]]] = {"kit": [], "peer": []}
    outs: dict[str, list[Any]] = {"kit": [], "peer": []}
    for r in range(rounds):
        order = [("kit", kit_fn), ("peer", peer_fn)] if r % 2 == 0 else [("peer", peer_fn), ("kit", kit_fn)]
        for who, fn in order:
            out, wall, cpu = timed(lambda fn=fn, r=r: fn(r))
            n = tokens_of(out)
            runs[who].append({"tokens": n, "wall_s": wall, "cpu_s": cpu, "tokens_per_s": n / wall,
                              "tokens_per_cpu_s": n / cpu, "load_1min": os.getloadavg()[0]})
            outs[who].append(out)
            print(f"  {name} round {r + 1} {who}: {n} tokens in {wall:.1f} s ({n / wall:.1f}/s, "
                  f"{n / cpu:.1f} per CPU-s), load {os.getloadavg()[0]:.1f}", flush=True)
    return {"runs": runs, "outs": outs}


def summarise(name: str, pair: dict[str, Any], kit_batch: float, peer_batch: float, lim: dict[str, float],
              cost: dict[str, float], extra: dict[str, Any]) -> dict[str, Any]:
    runs = pair["runs"]
    k = median([x["tokens_per_s"] for x in runs["kit"]])
    p = median([x["tokens_per_s"] for x in runs["peer"]])
    kc = median([x["tokens_per_cpu_s"] for x in runs["kit"]])
    pc = median([x["tokens_per_cpu_s"] for x in runs["peer"]])
    ratios = [a["tokens_per_s"] / b["tokens_per_s"] for a, b in zip(runs["kit"], runs["peer"], strict=True)]
    return {
        "bench": "generation", "workload": name, **extra,
        "kit_tokens_per_s": round(k, 1), "peer_tokens_per_s": round(p, 1), "kit_over_peer": round(k / p, 2),
        "kit_over_peer_per_round": [round(x, 2) for x in ratios],
        "kit_tokens_per_cpu_s": round(kc, 1), "peer_tokens_per_cpu_s": round(pc, 1),
        "kit_over_peer_cpu": round(kc / pc, 2), "target_kit_over_peer": 3.0, "meets_target": k / p >= 3.0,
        "kit_limits": roofline(k, kit_batch, lim, cost), "peer_limits": roofline(p, peer_batch, lim, cost),
        "kit_batch": kit_batch, "peer_batch": peer_batch, "rounds": len(runs["kit"]),
        "load_1min": [round(x["load_1min"], 1) for x in runs["kit"] + runs["peer"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", default="synthesis,rollout", help="comma list: synthesis, rollout, evaluation")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8, help="the peer's batch (prompts per model.generate call)")
    ap.add_argument("--prompts", type=int, default=64, help="synthesis/evaluation prompts the kit generates for")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--group", type=int, default=4, help="rollout: completions per problem (num_generations)")
    ap.add_argument("--rollout-rows", type=int, default=16, help="rollout: rows per generation call (smol stage 06: "
                    "rl_global_batch 8 x minibatches_per_rollout 2)")
    ap.add_argument("--rollout-calls", type=int, default=1, help="rollout: GRPO generation calls per run")
    ap.add_argument("--samples", type=int, default=5, help="evaluation: samples per problem")
    ap.add_argument("--threads", type=int, default=1, help="torch threads for both paths (1: on a shared machine the ratio is steadier)")
    ap.add_argument("--candidates", action="store_true", help="measure every engine at batch 1/8/32/64 instead")
    ap.add_argument("--sizes", default="1,8,32,64", help="--candidates: batch sizes")
    ap.add_argument("--engines", default="", help="--candidates: comma list (default: all of them)")
    ap.add_argument("--slow-batches", default="8", help="--candidates: batch sizes generate_batch and static_compile run at")
    a = ap.parse_args()

    import torch
    from transformers.utils import logging as hf_logging

    from seedkit.generation import TransformersGenerator, generate_token_ids
    from seedkit.models import load_model

    hf_logging.set_verbosity_error()
    torch.set_num_threads(a.threads)
    model, tok = load_model("smollm2-135m-instruct", verbose=False)
    model.eval()
    if a.candidates:
        from candidates_generation import run_candidates  # bench/candidates_generation.py

        run_candidates(a, model, tok)
        return
    lim = measure_limits()
    cost = model_costs(model)
    print(f"limits ({a.threads} torch thread(s)): matmul {lim['matmul_flop_per_s'] / 1e9:.0f} GFLOP/s, copy "
          f"{lim['copy_bytes_per_s'] / 1e9:.1f} GB/s; model {cost['flop_per_token'] / 1e6:.0f} MFLOP/token, "
          f"{cost['weight_bytes'] / 1e6:.0f} MB of weights; load {os.getloadavg()[0]:.1f}", flush=True)
    kit = TransformersGenerator(model, tok, name="smollm2 (kit)")
    peer = TransformersGenerator(model, tok, batch_size=a.batch, engine="generate", name="smollm2 (peer)",
                                 verbose=False)
    eos = kit._eos_ids()
    results = []
    for wl in [w.strip() for w in a.workloads.split(",") if w.strip()]:
        if wl == "synthesis":
            from seedkit.sft.synthesis import ONE_BLOCK_STOP

            convs = synthesis_conversations(a.prompts)
            kw = dict(max_new_tokens=a.max_new_tokens, stop=list(ONE_BLOCK_STOP), progress=False)
            per_round = 2 * a.batch  # the peer's slice per round

            def kit_fn(r: int, convs=convs, kw=kw) -> Any:
                return kit.chat(convs, **kw)

            def peer_fn(r: int, convs=convs, kw=kw, per_round=per_round) -> Any:
                lo = (r * per_round) % len(convs)
                return lo, peer.chat(convs[lo:lo + per_round], **kw)

            def tokens_of(out: Any) -> int:
                return count_tokens(tok, out[1] if isinstance(out, tuple) else out)

            pair = run_pair(wl, kit_fn, peer_fn, a.rounds, tokens_of)
            same = total = 0
            for lo, texts in pair["outs"]["peer"]:
                for i, t in enumerate(texts):
                    total += 1
                    same += t == pair["outs"]["kit"][0][lo + i]
            slots = kit.last_stats.slot_steps / max(1, kit.last_stats.decode_steps)
            res = summarise(wl, pair, slots, a.batch, lim, cost, {
                "prompts": len(convs), "peer_prompts_per_round": per_round, "temperature": 0.0,
                "max_new_tokens": a.max_new_tokens, "greedy_outputs_identical": f"{same}/{total}",
                "kit_mean_busy_slots": round(kit.last_stats.generated_tokens / max(1, kit.last_stats.decode_steps), 1)})
        elif wl == "rollout":
            rows = rollout_rows(tok, a.rollout_calls * a.rollout_rows // a.group, a.group)
            calls = [rows[i:i + a.rollout_rows] for i in range(0, len(rows), a.rollout_rows)]

            def kit_fn(r: int, calls=calls) -> Any:
                return [generate_token_ids(model, c, max_new_tokens=a.max_new_tokens, eos_token_ids=eos,
                                           temperature=1.0, seed=r) for c in calls]

            def peer_fn(r: int, calls=calls) -> Any:
                torch.manual_seed(r)
                return [bare_rollout(model, tok, c, a.max_new_tokens, eos, 1.0) for c in calls]

            def tokens_of(out: Any) -> int:
                return sum(len(x) for call in out for x in call)

            pair = run_pair(wl, kit_fn, peer_fn, a.rounds, tokens_of)
            res = summarise(wl, pair, a.rollout_rows, a.rollout_rows, lim, cost, {
                "rows_per_call": a.rollout_rows, "group": a.group, "calls": len(calls), "temperature": 1.0,
                "max_new_tokens": a.max_new_tokens})
        elif wl == "evaluation":
            prompts = evaluation_prompts(kit, a.prompts)
            kw = dict(n=a.samples, temperature=0.8, max_new_tokens=a.max_new_tokens, stop=["\n```"], progress=False)
            peer_prompts = max(1, round(a.batch / a.samples))  # prompts per model.generate call
            per_round = 2 * peer_prompts

            def kit_fn(r: int, prompts=prompts, kw=kw) -> Any:
                return kit.complete(prompts, seed=r, **kw)

            def peer_fn(r: int, prompts=prompts, kw=kw, per_round=per_round) -> Any:
                lo = (r * per_round) % len(prompts)
                return peer.complete(prompts[lo:lo + per_round], seed=r, **kw)

            peer.batch_size = peer_prompts
            pair = run_pair(wl, kit_fn, peer_fn, a.rounds, lambda out: count_tokens(tok, out))
            slots = kit.last_stats.slot_steps / max(1, kit.last_stats.decode_steps)
            res = summarise(wl, pair, slots, peer.batch_size * a.samples, lim, cost, {
                "prompts": len(prompts), "samples": a.samples, "temperature": 0.8, "max_new_tokens": a.max_new_tokens})
            peer.batch_size = a.batch
        else:
            raise SystemExit(f"--workloads: unknown workload {wl!r}; use synthesis, rollout, evaluation")
        res.update(torch_threads=a.threads, cpu_count=os.cpu_count(),
                   matmul_gflop_per_s=round(lim["matmul_flop_per_s"] / 1e9, 1),
                   copy_gb_per_s=round(lim["copy_bytes_per_s"] / 1e9, 2))
        print(json.dumps(res), flush=True)
        results.append(res)
    print("summary: " + "; ".join(
        f"{r['workload']}: kit {r['kit_tokens_per_s']} tok/s = {r['kit_over_peer']}x model.generate at batch "
        f"{r['peer_batch']} ({r['kit_limits']['fraction_of_compute_bound']:.0%} of compute-bound, "
        f"{r['kit_limits']['fraction_of_memory_bound']:.0%} of memory-bound at its batch)" for r in results))


if __name__ == "__main__":
    main()
