"""The memory plan's estimate against a measured peak: one forward, backward and optimizer step of a
randomly initialised Llama of given dimensions (no download), in full or LoRA mode, with activation
checkpointing on or off.

On a CPU the peak is the process's resident high-water mark (``VmHWM``, reset through
``/proc/self/clear_refs`` before each case) less the resident size before it; run it with
``MALLOC_MMAP_THRESHOLD_=65536`` so that freed tensors go back to the system at once and the resident
size follows what is allocated (glibc otherwise keeps freed blocks and the high-water mark overstates
the peak). On a GPU it is ``torch.cuda.max_memory_allocated`` less what was allocated before. The tests
run ``python -m seedkit.checks.memory_check`` on the CPU; ``make gpu-check`` compares each stage's
planned peak with the measured one on the card.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seedkit.memory_plan import Workload, dims_from_config, estimate_train, precision

# Shapes sized so that weights, optimizer state, activations and logits all weigh (each case a few
# hundred MiB, seconds on one core); the attention has grouped key/value heads as Llama 3 and Seed-Coder.
CASES: tuple[dict[str, Any], ...] = (
    dict(vocab_size=8192, hidden_size=256, intermediate_size=688, num_hidden_layers=4, num_attention_heads=4,
         num_key_value_heads=2, seq=512, batch=4),
    dict(vocab_size=4096, hidden_size=384, intermediate_size=1024, num_hidden_layers=3, num_attention_heads=6,
         num_key_value_heads=2, seq=1024, batch=2),
)
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj")
MIB = 2 ** 20


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}: the CPU measurement needs Linux")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def estimate_case(case: dict[str, Any], method: str, checkpointing: bool, device: str = "cpu") -> float:
    """The plan's bytes for one step of ``case`` (fp32 on the CPU, bf16 on a GPU)."""
    dims = dims_from_config({k: v for k, v in case.items() if k not in ("seq", "batch")}, "case", "test case")
    w = Workload("case", "", "train", method, case["seq"], case["batch"], case["batch"], 16, LORA_TARGETS)
    p = precision(device, "float32" if device == "cpu" else "bfloat16")
    return estimate_train(dims, w, case["batch"], checkpointing, p).total


def measure_case(case: dict[str, Any], method: str, checkpointing: bool, device: str = "cpu",
                 steps: int = 2) -> float:
    """Peak bytes of ``steps`` optimizer steps (the second one has AdamW's state) above the baseline."""
    import peft  # noqa: F401  (imported before the baseline: its modules are not the step's memory)
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(**{k: v for k, v in case.items() if k not in ("seq", "batch")},
                      max_position_embeddings=max(4096, case["seq"]), tie_word_embeddings=False)
    ids = torch.randint(0, case["vocab_size"], (case["batch"], case["seq"]), device=device)
    gc.collect()
    if device == "cpu":
        _reset_peak()
        base = _status_kib("VmRSS") * 1024
    else:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg).to(device)
    if method == "lora":
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05,
                                                 target_modules=list(LORA_TARGETS), task_type="CAUSAL_LM"))
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device != "cpu" else torch.autocast("cpu", enabled=False)
    for _ in range(steps):
        with autocast:
            out = model(input_ids=ids, labels=ids)
        out.loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        del out
    peak = (_status_kib("VmHWM") * 1024 if device == "cpu" else torch.cuda.max_memory_allocated()) - base
    del model, opt
    gc.collect()
    return float(peak)


def compare(cases: Sequence[dict[str, Any]] = CASES, methods: Sequence[str] = ("full", "lora"),
            checkpointing: Sequence[bool] = (False, True), device: str = "cpu") -> list[dict[str, Any]]:
    """Estimate and measurement of every combination, one row each."""
    import torch

    torch.manual_seed(0)
    # one throwaway step of a one-layer model first: the first step of a process allocates once-only
    # things (autograd's and the allocator's own structures, kernel caches) that are no step's memory
    tiny = dict(CASES[0], num_hidden_layers=1, vocab_size=256, seq=16, batch=1)
    for method in methods:
        measure_case(tiny, method, any(checkpointing), device, steps=1)
    rows = []
    for i, case in enumerate(cases):
        for method in methods:
            for ckpt in checkpointing:
                measured = measure_case(case, method, ckpt, device)
                est = estimate_case(case, method, ckpt, device)
                rows.append({"case": i, "method": method, "checkpointing": ckpt, "measured_mib": round(measured / MIB, 1),
                             "estimated_mib": round(est / MIB, 1), "error": round(est / measured - 1, 3)})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m seedkit.checks.memory_check", description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    p.add_argument("--cases", default="", help="comma-separated case numbers (default all)")
    p.add_argument("--methods", default="full,lora")
    p.add_argument("--checkpointing", default="off,on")
    a = p.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    cases = [CASES[int(i)] for i in a.cases.split(",")] if a.cases else list(CASES)
    rows = compare(cases, a.methods.split(","), [c == "on" for c in a.checkpointing.split(",")], a.device)
    for row in rows:
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
