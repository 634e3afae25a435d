"""Where one decode step of the kit's slot engine spends its time, at batch 8, on the packaged
SmolLM2-135M-Instruct (float32), against the machine's memory- and compute-bound limits.

The engine is set up as stage 04's synthesis runs it: ``--batch`` chat prompts admitted into as many
slots, then ``--warm`` greedy steps so that each row attends to its prompt plus that many tokens.
Then, in rounds that alternate the parts (so that load from other processes hits them alike), it
times with CPU-seconds (``time.process_time``; the whole process, all torch threads), median over
rounds:

- ``engine step``: one :meth:`_Decoder.step` (forward, sampling, bookkeeping, stop checks);
- ``model forward``: the model's ``forward`` with the same inputs (cache, mask, positions), alone;
- ``linear layers``: every matrix product of that forward (the 7 projections of each layer and the
  output layer, tied to the embeddings) as bare ``F.linear`` on ``[batch, in]`` inputs;
- ``attention``: ``scaled_dot_product_attention`` of each layer over the slot cache at this width,
  with the engine's boolean mask, in the layout transformers passes it (grouped-query heads packed);
- ``cache writes``: the per-layer writes of the step's keys and values into the slot cache;
- ``greedy pick``: ``argmax`` over the vocabulary for the batch; ``sampled pick``: the engine's
  inverse-CDF sampler at temperature 1.

The rest of the forward (forward minus linear layers, attention and cache writes) is the
elementwise work (norms, rotary embeddings, the gated activation, residual adds) plus transformers'
Python per layer; ``torch.profiler`` over ``--profile-steps`` engine steps splits it by operator.

Limits, measured in the same invocation with the same threads: the weights read per step divided
by copy bandwidth (memory-bound), and 2 x matrix-product parameters x batch FLOP divided by a large
matrix product's rate (compute-bound); see ``bench_generation.py``.

    .venv/bin/python bench/profile_decode.py                  # 1 thread, batch 8, 96 warm steps
    .venv/bin/python bench/profile_decode.py --threads 2 --rounds 30

Prints the table (milliseconds of CPU time per step) and then the profiler's top operators.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def cpu_ms(fn: Any, repeat: int) -> float:
    t = time.process_time()
    for _ in range(repeat):
        fn()
    return 1000 * (time.process_time() - t) / repeat


def setup(model: Any, tok: Any, batch: int, warm: int, steps: int) -> Any:
    """A :class:`_Decoder` with ``batch`` synthesis prompts in ``batch`` slots, ``warm`` steps in."""
    from bench_generation import synthesis_conversations

    prompts = [tok.apply_chat_template(c, add_generation_prompt=True, tokenize=True)
               for c in synthesis_conversations(batch)]
    prompts = [list(p["input_ids"]) if isinstance(p, dict) or hasattr(p, "keys") else list(p) for p in prompts]
    return setup_ids(model, prompts, warm, steps)


def setup_ids(model: Any, prompts: list[list[int]], warm: int, steps: int) -> Any:
    from seedkit.generation.engine import DecodeStats, _Decoder

    batch = len(prompts)
    # no end-of-sequence ids and room for every step: all rows stay busy, the batch stays `batch`
    run = _Decoder(model, prompts, [1] * batch, max_new_tokens=warm + steps + 8, eos_token_ids=[], slots=batch,
                   temperature=0.0, stop_watch=None, generator=None, on_prompt_done=None, stats=DecodeStats(),
                   keep_eos=False)
    run.admit()
    busy = list(range(batch))
    for _ in range(warm):
        run.step(busy)
    return run, prompts


def narrow_twin(model: Any) -> Any:
    """The same architecture (layers, heads, grouped keys and values, tied output layer) with every
    width cut to a few units: its decode step is the per-operator and Python cost alone."""
    import torch
    from transformers import AutoModelForCausalLM

    cfg = model.config.__class__(**{**model.config.to_dict(), "hidden_size": 2 * model.config.num_attention_heads,
                                    "head_dim": 2, "intermediate_size": 8, "vocab_size": 512})
    torch.manual_seed(0)
    return AutoModelForCausalLM.from_config(cfg, attn_implementation="sdpa").eval()


def parts(model: Any, run: Any) -> dict[str, Any]:
    """Closures that each run one part of a decode step with the engine's current inputs."""
    import torch
    import torch.nn.functional as F

    st, table = run.state, run.table
    busy = list(range(len(table)))
    positions = torch.tensor([sl.position for sl in table], dtype=torch.long)
    width = int(positions.max()) + 1
    last = torch.tensor([[sl.tokens[-1]] for sl in table], dtype=torch.long)
    mask = (torch.arange(width)[None, :] <= positions[:, None])[:, None, None, :]
    b = len(table)
    cfg = model.config
    heads, kv, d = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.hidden_size // cfg.num_attention_heads
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    xs = [torch.randn(b, m.in_features) for m in linears]
    layers = run.cache.layers
    q = torch.randn(b, kv, heads // kv, d)

    def forward() -> None:
        st.width, st.positions, st.rows = width, positions, torch.arange(b)
        model(input_ids=last, position_ids=positions[:, None], attention_mask=mask, cache=run.cache, use_cache=True)

    def linear() -> None:
        for m, x in zip(linears, xs, strict=True):
            F.linear(x, m.weight, m.bias)

    def attention() -> None:
        for layer in layers:
            F.scaled_dot_product_attention(q, layer.keys[:, :, :width], layer.values[:, :, :width], attn_mask=mask,
                                           scale=d ** -0.5)

    kn = torch.randn(b, kv, d)
    rows = torch.arange(b)

    def cache_writes() -> None:
        for layer in layers:
            layer.keys[rows, :, positions] = kn
            layer.values[rows, :, positions] = kn

    logits = torch.randn(b, cfg.vocab_size)
    from seedkit.generation.engine import sample_tokens

    def step() -> None:
        # a real step: appends a token and advances each row; rewind so every repeat is the same width
        run.step(busy)
        for sl in table:
            sl.tokens.pop()
            sl.position -= 1

    return {"engine step": step, "model forward": forward, "linear layers": linear, "attention": attention,
            "cache writes": cache_writes, "greedy pick": lambda: torch.argmax(logits, dim=-1),
            "sampled pick": lambda: sample_tokens(logits, 1.0)}, width


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--warm", type=int, default=96, help="decode steps before measuring (cache width)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: CPU-seconds are not inflated by "
                                                         "waiting threads on a loaded machine)")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--repeat", type=int, default=4, help="calls of each part per round")
    ap.add_argument("--profile-steps", type=int, default=20)
    args = ap.parse_args()

    import torch
    from bench_generation import measure_limits, model_costs

    from seedkit.models import load_model

    torch.set_num_threads(args.threads)
    print(f"threads={args.threads} batch={args.batch} warm={args.warm} (defaults: 1 thread for stable "
          f"CPU-seconds on a shared machine; batch 8 as synthesis runs; ~100 generated tokens in the cache)")
    model, tok = load_model("smollm2-135m-instruct", dtype="float32", verbose=False)
    model.eval()
    with torch.no_grad():
        run, prompts = setup(model, tok, args.batch, args.warm, args.rounds * args.repeat * 2 + 64)
        fns, width = parts(model, run)
        twin = narrow_twin(model)
        run_twin, _ = setup_ids(twin, [[t % 512 for t in p] for p in prompts], args.warm,
                                args.rounds * args.repeat * 2 + 64)
        fns["narrow twin step"] = parts(twin, run_twin)[0]["engine step"]
        times: dict[str, list[float]] = {k: [] for k in fns}
        for r in range(args.rounds):
            names = list(fns) if r % 2 == 0 else list(reversed(fns))
            for name in names:
                times[name].append(cpu_ms(fns[name], args.repeat))
        lim = measure_limits()
        cost = model_costs(model)
    med = {k: statistics.median(v) for k, v in times.items()}
    iqr = {k: (statistics.quantiles(v, n=4)[0], statistics.quantiles(v, n=4)[2]) for k, v in times.items()}
    mem_ms = 1000 * cost["weight_bytes"] / lim["copy_bytes_per_s"]
    flop_ms = 1000 * args.batch * cost["flop_per_token"] / lim["matmul_flop_per_s"]
    load = os.getloadavg()[0]
    print(f"prompt lengths {min(map(len, prompts))}-{max(map(len, prompts))} tokens, cache width {width}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs; {args.rounds} rounds x {args.repeat} calls, "
          f"median [quartiles], CPU ms per step")
    step = med["engine step"]
    print(f"{'part':<34}{'CPU ms':>9}  {'quartiles':>17}{'of step':>9}")
    rows = list(med.items())
    rest = med["model forward"] - med["linear layers"] - med["attention"] - med["cache writes"]
    rows.insert(5, ("forward rest (elementwise, Python)", rest))
    rows.insert(6, ("step outside forward", step - med["model forward"]))
    for name, v in rows:
        q = f"[{iqr[name][0]:.1f}, {iqr[name][1]:.1f}]" if name in iqr else ""
        print(f"{name:<34}{v:9.2f}  {q:>17}{100 * v / step:8.0f}%")
    print(f"{'memory-bound step':<34}{mem_ms:9.2f}  {'':>17}{100 * mem_ms / step:8.0f}%   "
          f"{cost['weight_bytes'] / 1e6:.0f} MB of weights at {lim['copy_bytes_per_s'] / 1e9:.1f} GB/s")
    print(f"{'compute-bound step':<34}{flop_ms:9.2f}  {'':>17}{100 * flop_ms / step:8.0f}%   "
          f"{args.batch} x {cost['flop_per_token'] / 1e6:.0f} MFLOP at {lim['matmul_flop_per_s'] / 1e9:.1f} GFLOP/s")
    print(f"tokens per CPU-second at this step: {1000 * args.batch / step:.0f}")
    from torch.profiler import ProfilerActivity, profile

    with torch.no_grad(), profile(activities=[ProfilerActivity.CPU]) as prof:
        t = time.perf_counter()
        for _ in range(args.profile_steps):
            fns["engine step"]()
        wall = time.perf_counter() - t
    events = prof.key_averages()
    print(f"\ntorch.profiler over {args.profile_steps} engine steps (wall time, so inflated alike by load and "
          f"by the profiler; read the shares): {len(events)} operator kinds, "
          f"{sum(e.count for e in events) / args.profile_steps:.0f} operator calls per step")
    share = categorise(events, wall)
    for name, us in share.items():
        print(f"  {name:<44}{100 * us / (wall * 1e6):5.0f}%")
    print(events.table(sort_by="self_cpu_time_total", row_limit=14, max_name_column_width=40))


CATEGORIES = (
    ("matrix products (linear, mm)", ("aten::linear", "aten::matmul", "aten::mm", "aten::addmm", "aten::bmm", "aten::t")),
    ("attention (sdpa)", ("aten::scaled_dot_product_attention", "aten::_scaled_dot_product_flash_attention_for_cpu")),
    ("cache writes (index_put)", ("aten::index_put_", "aten::_index_put_impl_")),
    ("views and copies (view, transpose, to, cat...)",
     ("aten::view", "aten::as_strided", "aten::transpose", "aten::reshape", "aten::slice", "aten::to",
      "aten::_to_copy", "aten::copy_", "aten::cat", "aten::expand", "aten::unsqueeze", "aten::select",
      "aten::contiguous", "aten::clone", "aten::empty", "aten::_unsafe_view", "aten::detach", "aten::alias",
      "aten::lift_fresh", "aten::empty_strided", "aten::index", "aten::_reshape_alias", "aten::empty_like")),
)
OTHER = "other operators (norms, rotary, activation, adds)"


def categorise(events: Any, wall_s: float) -> dict[str, float]:
    """Self CPU microseconds of the profiled steps by kind of operator; what no operator accounts
    for is Python (modules, transformers' wrappers, the engine) between operators."""
    out = {name: 0.0 for name, _ in CATEGORIES}
    out[OTHER] = 0.0
    for e in events:
        kind = next((name for name, keys in CATEGORIES if e.key in keys), OTHER)
        out[kind] += e.self_cpu_time_total
    out["outside operators (Python)"] = wall_s * 1e6 - sum(out.values())
    return out


if __name__ == "__main__":
    main()
