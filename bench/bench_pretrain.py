"""Stage 03 benchmarks: the kit's training loop vs a bare PyTorch loop, and LoRA vs full training.

``--mode loop`` (default): throughput of the kit's stage-1 training loop vs a bare PyTorch loop on
the profile's scratch model (the ablation's), same batch.

The kit's loop is :func:`seedkit.pretraining.train.train_phase` (HF Trainer with the kit's arguments:
cosine-to-min-LR schedule, grad-norm clipping, loss/LR logging every step, the tokens/s progress
callback; checkpoints and evaluation off, as they are not part of a training step). The bare loop
is a plain model, ``torch.optim.AdamW``, forward / backward / step / zero_grad over the same
blocks, nothing else. Both start from the same initial weights. Rounds alternate (kit, bare, kit,
bare, ...) so that load from other processes on a shared machine hits both alike; each figure is
the best round (the least disturbed). The first ``--warmup`` steps of every round are not timed.
Tokens per CPU second (process time) are printed too: with one torch thread they are what a
busy shared machine cannot distort by descheduling the process.

    .venv/bin/python bench/bench_pretrain.py [--profile smol] [--steps 20] [--rounds 2]

Prints one JSON line; the target is kit tokens/s >= 95% of bare tokens/s.

``--mode adapters``: the smol profile's choice for continued pretraining of SmolLM2-135M, LoRA
(every linear layer of the blocks, plus the FIM token rows) vs full fine-tuning, each at its
learning rate (``--lora-lr``, ``--full-lr``), rounds alternating, same blocks: tokens per second
(wall and CPU) and the held-out loss drop per CPU-minute, on the kit's own Python source as code
(offline, nothing to download; held-out files are never trained on)::

    .venv/bin/python bench/bench_pretrain.py --mode adapters --steps 6 --rounds 2
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="smol")
    ap.add_argument("--steps", type=int, default=20, help="timed steps per round")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps at the start of each round")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = the profile's torch_threads or default)")
    ap.add_argument("--mode", choices=["loop", "adapters"], default="loop")
    ap.add_argument("--lora-lr", type=float, default=0.0, help="adapters mode: LoRA peak LR (0 = the smol default)")
    ap.add_argument("--full-lr", type=float, default=3e-5, help="adapters mode: full fine-tuning peak LR")
    a = ap.parse_args()
    if a.mode == "adapters":
        adapters(a)
        return

    import tempfile

    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, TrainerCallback
    from transformers.utils import logging as hf_logging

    from seedkit.pretraining.packing import PackedBlocks
    from seedkit.pretraining.settings import PretrainingSettings
    from seedkit.pretraining.train import stage_lr, train_phase

    hf_logging.set_verbosity_error()
    s = PretrainingSettings.from_params(a.profile)
    threads = a.threads or s.torch_threads
    if threads:
        torch.set_num_threads(threads)
    dims = s.scratch_dims()
    batch, seq = s.global_batch_size, s.ablation_seq_len
    total = a.warmup + a.steps
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(16, dims["vocab_size"], (total * batch, seq), generator=g)
    blocks = PackedBlocks(ids.tolist(), [seq] * len(ids), seq, 0)
    dataset = blocks.to_dataset()
    torch.manual_seed(0)
    init = LlamaForCausalLM(LlamaConfig(**dims, tie_word_embeddings=True, bos_token_id=1, eos_token_id=1,
                                        pad_token_id=0))
    lr_start, lr_end = stage_lr(s.ablation_learning_rate, 1)
    tokens_per_step = batch * seq

    class Stamps(TrainerCallback):
        def __init__(self) -> None:
            self.t: list[tuple[float, float]] = []

        def on_step_end(self, args, state, control, **kw):  # noqa: ANN001
            self.t.append((time.perf_counter(), time.process_time()))

    def rates(t: list[tuple[float, float]]) -> tuple[float, float]:
        """(tokens per wall second, tokens per CPU second) over the timed steps."""
        n = a.steps * tokens_per_step
        return n / (t[-1][0] - t[a.warmup - 1][0]), n / (t[-1][1] - t[a.warmup - 1][1])

    def kit_round() -> tuple[float, float]:
        model = copy.deepcopy(init)
        stamps = Stamps()
        with tempfile.TemporaryDirectory() as out:
            train_phase(model, None, dataset, output_dir=out, label="kit loop", block_size=seq, device="cpu",
                        dtype="float32", global_batch=batch, per_device_max=s.per_device_max_batch,
                        lr_start=lr_start, lr_end=lr_end, max_steps=total, warmup_ratio=s.warmup_ratio,
                        weight_decay=s.weight_decay, save_steps=None, eval_dataset=None, seed=0, resume=False,
                        verbose=False, extra_callbacks=[stamps])
        return rates(stamps.t)

    def bare_round() -> tuple[float, float]:
        model = copy.deepcopy(init)
        model.train()
        opt = torch.optim.AdamW(model.parameters(), lr=lr_start, weight_decay=s.weight_decay)
        t: list[tuple[float, float]] = []
        for step in range(total):
            x = ids[step * batch:(step + 1) * batch]
            loss = model(input_ids=x, labels=x).loss
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            t.append((time.perf_counter(), time.process_time()))
        return rates(t)

    kit, bare = [], []
    for _ in range(a.rounds):
        kit.append(kit_round())
        bare.append(bare_round())
    k, b = max(r[0] for r in kit), max(r[0] for r in bare)
    kc, bc = max(r[1] for r in kit), max(r[1] for r in bare)
    print(json.dumps({
        "bench": "pretrain_stage1_loop", "profile": a.profile,
        "model_parameters": sum(p.numel() for p in init.parameters()), "batch": batch, "seq_len": seq,
        "timed_steps": a.steps, "rounds": a.rounds, "torch_threads": torch.get_num_threads(),
        "kit_tokens_per_s": round(k, 1), "bare_tokens_per_s": round(b, 1),
        "kit_over_bare": round(k / b, 4), "kit_slowdown": round(1 - k / b, 4), "target_max_slowdown": 0.05,
        "meets_target": (1 - k / b) <= 0.05,
        "kit_tokens_per_cpu_s": round(kc, 1), "bare_tokens_per_cpu_s": round(bc, 1),
        "kit_over_bare_cpu": round(kc / bc, 4),
        "rounds_kit_tokens_per_s": [round(x[0], 1) for x in kit],
        "rounds_bare_tokens_per_s": [round(x[0], 1) for x in bare],
        "load_average_1min": round(os.getloadavg()[0], 2), "cpu_count": os.cpu_count(),
    }))


def adapters(a: argparse.Namespace) -> None:
    """LoRA vs full continued pretraining of the smol base model, alternating rounds."""
    import gc
    import random
    import tempfile
    from pathlib import Path

    import torch
    from transformers.utils import logging as hf_logging

    from seedkit.pretraining import models as st
    from seedkit.pretraining.data import CHARS_PER_TOKEN, tokenize_source
    from seedkit.pretraining.fim import FimTokens, ensure_fim_tokens
    from seedkit.pretraining.heldout import HeldoutFile, evaluate_sets
    from seedkit.pretraining.packing import pack
    from seedkit.pretraining.settings import PretrainingSettings
    from seedkit.pretraining.train import stage_lr, train_phase

    hf_logging.set_verbosity_error()
    base = PretrainingSettings.from_params("smol")
    torch.set_num_threads(a.threads or base.torch_threads or torch.get_num_threads())
    files = sorted(Path(__file__).resolve().parents[1].joinpath("seedkit").rglob("*.py"))
    texts = [f.read_text() for f in files if f.stat().st_size > 2000]
    random.Random(0).shuffle(texts)
    held, train = texts[:12], texts[12:]
    tok = st.load_tokenizer(base.model_spec())
    ensure_fim_tokens(tok)
    seq, batch = base.seq_len_stage1, base.global_batch_size
    docs = tokenize_source(train, tok, base.fim_rate_stage1, FimTokens.from_tokenizer(tok), base.fim_mode,
                           random.Random(0), max_chars=seq * CHARS_PER_TOKEN)
    blocks = pack(docs, seq, tok.eos_token_id, tok.pad_token_id, keep_partial=False)
    steps = a.steps
    ds = blocks.to_dataset().select(range(min(len(blocks), steps * batch)))
    sets = {"held": [HeldoutFile(str(i), "python", t) for i, t in enumerate(held)]}
    lrs = {"lora": a.lora_lr or base.learning_rate, "full": a.full_lr}

    def one(adapter: str) -> dict[str, float]:
        s = base.replace(adapter=adapter, learning_rate=lrs[adapter])
        model = st.load_stage_model(s, None, tok, trainable=True)
        before = evaluate_sets(model, tok, sets, base.seq_len_stage2, base.heldout_max_tokens)["held"]["loss"]
        lr0, lr1 = stage_lr(s.learning_rate, 1)
        c0 = time.process_time()
        with tempfile.TemporaryDirectory() as out:
            res = train_phase(model, tok, ds, output_dir=out, label=adapter, block_size=seq, device="cpu",
                              dtype="float32", global_batch=batch, per_device_max=base.per_device_max_batch,
                              lr_start=lr0, lr_end=lr1, max_steps=steps, warmup_ratio=base.warmup_ratio,
                              weight_decay=base.weight_decay, save_steps=None, seed=0, resume=False, verbose=False)
        cpu = time.process_time() - c0
        after = evaluate_sets(model, tok, sets, base.seq_len_stage2, base.heldout_max_tokens)["held"]["loss"]
        del model
        gc.collect()
        tokens = res.global_step * res.tokens_per_step
        return {"tokens_per_s": res.tokens_per_second, "tokens_per_cpu_s": tokens / cpu,
                "heldout_drop": before - after, "drop_per_cpu_min": (before - after) / (cpu / 60)}

    rounds: dict[str, list[dict[str, float]]] = {"lora": [], "full": []}
    for _ in range(a.rounds):
        for adapter in ("lora", "full"):
            rounds[adapter].append(one(adapter))
    best = {k: {m: max(r[m] for r in v) for m in v[0]} for k, v in rounds.items()}
    print(json.dumps({
        "bench": "pretrain_adapters", "model": base.model_spec(), "steps": steps, "batch": batch, "seq_len": seq,
        "learning_rates": lrs, "rounds": a.rounds, "torch_threads": torch.get_num_threads(),
        "lora": {k: round(v, 4) for k, v in best["lora"].items()},
        "full": {k: round(v, 4) for k, v in best["full"].items()},
        "lora_over_full_tokens_per_cpu_s": round(best["lora"]["tokens_per_cpu_s"] / best["full"]["tokens_per_cpu_s"], 3),
        "rounds_detail": rounds, "load_average_1min": round(os.getloadavg()[0], 2), "cpu_count": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
