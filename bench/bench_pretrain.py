"""Throughput of the kit's stage-1 training loop vs a bare PyTorch loop, same model, same batch.

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
    a = ap.parse_args()

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
    batch, seq = s.global_batch_size, s.seq_len_stage1
    total = a.warmup + a.steps
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(16, dims["vocab_size"], (total * batch, seq), generator=g)
    blocks = PackedBlocks(ids.tolist(), [seq] * len(ids), seq, 0)
    dataset = blocks.to_dataset()
    torch.manual_seed(0)
    init = LlamaForCausalLM(LlamaConfig(**dims, tie_word_embeddings=True, bos_token_id=1, eos_token_id=1,
                                        pad_token_id=0))
    lr_start, lr_end = stage_lr(s.learning_rate, 1)
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


if __name__ == "__main__":
    main()
