"""Generation engines side by side at batch 1/8/32/64 (``bench_generation.py --candidates``).

Engines, on the same prompts, settings and torch threads, runs alternating within each batch size:

- ``generate``: bare ``model.generate`` on left-padded batches of ``b`` sequences (the peer);
- ``slots``: the kit's slot engine with ``b`` slots (``TransformersGenerator(batch_size=...)``);
- ``generate_batch``: transformers' continuous batching (paged attention, ``max_requests_per_batch=b``),
  which TRL's GRPO can use (``use_transformers_paged``); at ``--slow-batches`` only (it is slow here);
- ``static_compile``: ``model.generate`` with a static cache and ``torch.compile`` (inductor), at
  ``--slow-batches`` only, as each batch size compiles again; the first call (compilation) is timed
  apart (its CPU time leaves out the compiler's worker processes);
- ``slots_bf16``: the slot engine on a bfloat16 copy of the weights (quantises: its greedy
  agreement with float32 is printed).

Workloads as in bench_generation.py: synthesis (greedy chat answers, stop at the closing fence) and
rollout (GRPO rows, sampled at temperature 1.0, stop at end of turn). Each line: engine, workload,
batch, generated tokens, wall and CPU seconds, tokens/s, tokens per CPU-second, the 1-minute load.
"""

from __future__ import annotations

import copy
import json
import os
import time
from typing import Any


def run_candidates(a: Any, model: Any, tok: Any) -> None:
    import torch
    from bench_generation import count_tokens, rollout_rows, synthesis_conversations

    from seedkit.generation import TransformersGenerator, generate_token_ids

    sizes = [int(x) for x in (a.sizes.split(",") if getattr(a, "sizes", "") else ["1", "8", "32", "64"])]
    engines = (getattr(a, "engines", "") or "generate,slots,generate_batch,static_compile,slots_bf16").split(",")
    compile_batches = [int(x) for x in (getattr(a, "slow_batches", "") or "8").split(",")]
    mnt = a.max_new_tokens
    eos = TransformersGenerator(model, tok, verbose=False)._eos_ids()
    bf16 = copy.deepcopy(model).to(torch.bfloat16) if "slots_bf16" in engines else None

    def line(engine: str, wl: str, b: int, n: int, wall: float, cpu: float, **extra: Any) -> None:
        print(json.dumps({"engine": engine, "workload": wl, "batch": b, "tokens": n, "wall_s": round(wall, 2),
                          "cpu_s": round(cpu, 2), "tokens_per_s": round(n / wall, 1),
                          "tokens_per_cpu_s": round(n / cpu, 1), "load_1min": round(os.getloadavg()[0], 1),
                          **extra}), flush=True)

    def timed(fn: Any, *args: Any, **kw: Any) -> tuple[Any, float, float]:
        t, c = time.perf_counter(), time.process_time()
        out = fn(*args, **kw)
        return out, time.perf_counter() - t, time.process_time() - c

    def slot_rollouts(m: Any, rows: list[list[int]], b: int) -> list[list[int]]:
        return [x for i in range(0, len(rows), b) for x in generate_token_ids(
            m, rows[i:i + b], max_new_tokens=mnt, eos_token_ids=eos, temperature=1.0, seed=i, slots=b)]

    convs_all = synthesis_conversations(max(sizes) * 2)
    rows_all = rollout_rows(tok, max(sizes) * 2 // a.group + 1, a.group)
    stop = ["\n```\n"]
    for b in sizes:
        # enough work that a batch of b is filled at least twice (at least 8 sequences)
        k = max(8, 2 * b)
        convs = convs_all[:k]
        rows = rows_all[:k]
        prompts = [TransformersGenerator(model, tok, verbose=False).render_chat(c) for c in convs]
        ids = [tok(p, add_special_tokens=False)["input_ids"] for p in prompts]
        greedy_ref: list[list[str]] | None = None
        for engine in engines:
            if engine == "generate":
                g = TransformersGenerator(model, tok, batch_size=b, engine="generate", verbose=False)
                out, w, c = timed(g.chat, convs, max_new_tokens=mnt, stop=stop, progress=False)
                greedy_ref = out
                line(engine, "synthesis", b, count_tokens(tok, out), w, c)
                out, w, c = timed(_bare_rollout_calls, model, tok, rows, b, mnt, eos)
                line(engine, "rollout", b, sum(len(x) for x in out), w, c)
            elif engine == "slots":
                g = TransformersGenerator(model, tok, batch_size=b, engine="slots", verbose=False)
                out, w, c = timed(g.chat, convs, max_new_tokens=mnt, stop=stop, progress=False)
                same = sum(x == y for x, y in zip(out, greedy_ref or [], strict=False))
                line(engine, "synthesis", b, count_tokens(tok, out), w, c,
                     greedy_identical_to_generate=f"{same}/{len(out)}" if greedy_ref else "not run")
                out, w, c = timed(slot_rollouts, model, rows, b)
                line(engine, "rollout", b, sum(len(x) for x in out), w, c)
            elif engine == "slots_bf16":
                g = TransformersGenerator(bf16, tok, batch_size=b, engine="slots", verbose=False)
                out, w, c = timed(g.chat, convs, max_new_tokens=mnt, stop=stop, progress=False)
                same = sum(x == y for x, y in zip(out, greedy_ref or [], strict=False))
                line(engine, "synthesis", b, count_tokens(tok, out), w, c,
                     greedy_identical_to_float32=f"{same}/{len(out)}" if greedy_ref else "not run")
                out, w, c = timed(slot_rollouts, bf16, rows, b)
                line(engine, "rollout", b, sum(len(x) for x in out), w, c)
            elif engine == "generate_batch":
                if b not in compile_batches:
                    continue
                for wl, inputs, sample in (("synthesis", ids, False), ("rollout", rows, True)):
                    try:
                        out, w, c = timed(_generate_batch, model, tok, inputs, b, mnt, eos, sample)
                        line(engine, wl, b, sum(len(x) for x in out), w, c)
                    except Exception as e:  # noqa: BLE001 - a candidate that fails is reported, not fatal
                        print(json.dumps({"engine": engine, "workload": wl, "batch": b,
                                          "error": f"{type(e).__name__}: {str(e)[:200]}"}), flush=True)
            elif engine == "static_compile":
                if b not in compile_batches:
                    continue
                try:
                    first, rest = _static_compile(model, tok, rows, b, mnt, eos)
                    line(engine + " (first call, compiling)", "rollout", b, *first)
                    line(engine, "rollout", b, *rest)
                except Exception as e:  # noqa: BLE001
                    print(json.dumps({"engine": engine, "batch": b, "error": f"{type(e).__name__}: {str(e)[:300]}"}),
                          flush=True)
            else:
                raise SystemExit(f"--engines: unknown engine {engine!r}")


def _bare_rollout_calls(model: Any, tok: Any, rows: list[list[int]], b: int, mnt: int, eos: list[int]) -> list:
    import torch
    from bench_generation import bare_rollout

    torch.manual_seed(0)
    return [x for i in range(0, len(rows), b) for x in bare_rollout(model, tok, rows[i:i + b], mnt, eos, 1.0)]


def _generate_batch(model: Any, tok: Any, inputs: list[list[int]], b: int, mnt: int, eos: list[int],
                    sample: bool) -> list[list[int]]:
    from transformers import GenerationConfig
    from transformers.generation import ContinuousBatchingConfig

    before = model.config._attn_implementation
    model.set_attn_implementation("paged|sdpa")
    try:
        gc = GenerationConfig(max_new_tokens=mnt, do_sample=sample, temperature=1.0 if sample else None,
                              top_k=0 if sample else None, top_p=1.0, eos_token_id=eos, pad_token_id=tok.pad_token_id)
        # a bounded paged cache: left to size itself, an 8-row run here ended the process without an error
        longest = max(len(x) for x in inputs) + mnt
        blocks = b * (-(-longest // 256) + 1) + 4
        cb = ContinuousBatchingConfig(max_requests_per_batch=b, num_blocks=blocks, page_size=256,
                                      max_batch_tokens=max(256, b * 64))
        out = model.generate_batch(inputs=inputs, generation_config=gc, continuous_batching_config=cb,
                                   progress_bar=False)
        return [list(o.generated_tokens) for o in out.values()]
    finally:
        model.set_attn_implementation(before)


def _static_compile(model: Any, tok: Any, rows: list[list[int]], b: int, mnt: int,
                    eos: list[int]) -> tuple[tuple[int, float, float], tuple[int, float, float]]:
    """(tokens, wall, cpu) of the first call (compiles) and of the remaining calls."""
    import torch
    from transformers import GenerationConfig
    from transformers.generation.configuration_utils import CompileConfig

    cc = CompileConfig(fullgraph=False, dynamic=False, mode="default")
    cc._compile_all_devices = True
    gc = GenerationConfig(max_new_tokens=mnt, do_sample=True, temperature=1.0, top_k=0, top_p=1.0,
                          eos_token_id=eos, pad_token_id=tok.pad_token_id, cache_implementation="static",
                          compile_config=cc)
    width = max(len(r) for r in rows)
    calls = [rows[i:i + b] for i in range(0, len(rows), b) if len(rows[i:i + b]) == b]
    res = []
    for call in calls:
        # pad every call to the same width: a new shape would compile again
        ids = torch.tensor([[tok.pad_token_id] * (width - len(r)) + r for r in call])
        mask = (torch.arange(width)[None, :] >= torch.tensor([width - len(r) for r in call])[:, None]).long()
        t, c = time.perf_counter(), time.process_time()
        with torch.no_grad():
            out = model.generate(input_ids=ids, attention_mask=mask, generation_config=gc)
        n = 0
        for row in out[:, width:].tolist():
            n += next((i + 1 for i, x in enumerate(row) if x in eos), len(row))
        res.append((n, time.perf_counter() - t, time.process_time() - c))
    first = res[0]
    rest = tuple(sum(r[i] for r in res[1:]) for i in range(3)) if len(res) > 1 else (0, 1e-9, 1e-9)
    return first, rest  # type: ignore[return-value]
