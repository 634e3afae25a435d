"""How much memory each training or generation step of a stage takes, and the per-device batch and
activation checkpointing that make it fit, worked out from the model's configuration alone (nothing
is loaded, torch is not imported).

The estimate of one step is a sum of named parts (``docs/memory.md`` gives each formula):

- **weights**: full training keeps fp32 master weights (4 bytes a parameter) plus, on a GPU, the bf16
  copies autocast caches for the step (2); LoRA keeps a frozen base in the compute dtype; QLoRA keeps
  the block's linear layers as 4-bit NF4 with double-quantised scales (0.5 + 1/64 bytes) and, after
  peft's k-bit preparation, embeddings, output head and norms in fp32;
- **gradients and optimizer**: 4 bytes of gradient and 8 of AdamW moments per trained parameter (and,
  on a GPU, one more 4-byte temporary during the update);
- **activations**: what autograd keeps per token and layer (layer inputs, norm outputs, the inputs
  of trained linear layers, attention's q, k, v and output, the MLP's gate, up and product), each in
  the dtype it has on the path (:func:`layer_activation_bytes`); with activation checkpointing only
  each layer's input plus one layer recomputed;
- **logits**: the output head's logits, their fp32 copy for the loss, the log-softmax kept for the
  backward and the two gradients that exist at its start (``(a + 16) x vocab`` bytes a token);
- **generation**: weights plus the key/value cache of every slot (prompt + new tokens) and one
  prefill's transient.

:func:`plan_stage` tries per-device micro-batches from the setting's cap down to 1, without and then
with checkpointing, keeps the global batch through gradient accumulation, and picks the fitting
choice with the best expected throughput; :func:`plan_settings` does that for every phase of a
stage; :func:`check_fits` raises :class:`MemoryPlanError` (one line) when a phase fits in no way.
Stages call :func:`plan_settings` (or :func:`phase_plan` for one phase) before they train.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from seedkit.config import PROFILES, SettingsError
from seedkit.model_dims import KNOWN_CONFIGS, SEED_CODER_8B, ModelDims, dims_from_config, model_dims

GIB = 1024 ** 3

# What the CUDA context, cuBLAS workspaces and kernels take outside torch's allocator (not in
# max_memory_allocated), and the share of the rest kept free for the caching allocator's fragmentation.
CONTEXT_GIB = 1.0
FRAGMENTATION = 0.10
# Prompt tokens assumed for a rollout, a sample or an evaluation answer (problem statements and the
# kit's chat turns are a few hundred tokens; the longest budgeted for).
PROMPT_TOKENS = 512
# Sequences the kit's generation engine decodes together at most on a GPU (seedkit.generation.local).
MAX_SLOTS = 256
# Tokens per forward pass from which a GPU is taken to be busy: below it, throughput is counted
# proportionally lower; activation checkpointing costs one more forward (about a third more work).
BUSY_TOKENS = 4096
CHECKPOINTING_COST = 4 / 3
LORA_ATTENTION = ("q_proj", "k_proj", "v_proj", "o_proj")
LORA_ALL_LINEAR = (*LORA_ATTENTION, "gate_proj", "up_proj", "down_proj")


class MemoryPlanError(SettingsError):
    """No per-device batch and checkpointing choice fits a phase in the card's memory (one line)."""


# --------------------------------------------------------------------------- what a phase does


@dataclass(frozen=True)
class Workload:
    """One phase of a stage, as memory sees it.

    ``kind``: ``train`` (forward, backward, optimizer step), ``dpo`` (the same over a chosen and a
    rejected sequence per item, plus a reference forward without gradients) or ``generate`` (decoding
    ``sequences`` answers of ``new_tokens`` after ``prompt_tokens``)."""

    stage: str
    phase: str
    kind: str
    method: str  # full | lora | qlora (generate: qlora means 4-bit weights)
    seq_len: int = 0
    global_batch: int = 1
    per_device_max: int = 1
    lora_r: int = 16
    lora_targets: tuple[str, ...] = LORA_ATTENTION
    lora_dropout: bool = True
    logits_tokens: int = 0  # tokens whose logits are computed (0 = every token); GRPO: the completion
    prompt_tokens: int = 0
    new_tokens: int = 0
    sequences: int = 0
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.stage}/{self.phase}" if self.phase else self.stage


@dataclass(frozen=True)
class Precision:
    """Bytes of each kind of tensor on the device: ``compute`` (matmul outputs; bf16 under autocast on a
    GPU, fp32 on a CPU) and whether autocast runs (GPU) or every weight computes in its own dtype (CPU)."""

    device: str = "cuda"
    compute_bytes: int = 2

    @property
    def autocast(self) -> bool:
        return self.device != "cpu" and self.compute_bytes < 4


def precision(device: str = "cuda", dtype: str = "bfloat16") -> Precision:
    if device == "cpu" or dtype == "float32":
        return Precision(device, 4)
    return Precision(device, 2)


# --------------------------------------------------------------------------- estimates


@dataclass
class Estimate:
    """Bytes of one step's peak: ``parts`` alive together, plus the largest of the ``transients`` (tensors
    that exist one after the other in the backward); ``total`` is the larger of that and the optimizer
    step's peak."""

    parts: dict[str, float] = field(default_factory=dict)
    transients: dict[str, float] = field(default_factory=dict)
    optimizer_peak: float = 0.0

    @property
    def total(self) -> float:
        return max(sum(self.parts.values()) + max(self.transients.values(), default=0.0), self.optimizer_peak)

    def gib(self) -> str:
        shown = [f"{k} {v / GIB:.1f}" for k, v in self.parts.items() if v >= 0.05 * GIB]
        if self.transients:
            name, v = max(self.transients.items(), key=lambda kv: kv[1])
            shown.append(f"{name} {v / GIB:.1f}")
        return ", ".join(shown)


def static_bytes(dims: ModelDims, w: Workload, p: Precision) -> dict[str, float]:
    """Weights, gradients and optimizer state: what lives through the whole step."""
    a = p.compute_bytes
    trained = dims.params if w.method == "full" else dims.lora_params(w.lora_r, w.lora_targets)
    if w.method == "qlora":  # 4-bit NF4 blocks with double-quantised scales; embeddings, head, norms fp32
        weights = dims.block_linear_params * (0.5 + 1 / 64) + (dims.embedding_params + dims.norm_params) * 4
    elif w.method == "full" and w.kind != "generate":
        # fp32 master weights; under autocast a bf16 copy of each weight is cached for the step
        weights = dims.params * (4 + (2 if p.autocast else 0))
    else:  # a frozen base (LoRA) or a model that only generates, in the compute dtype
        weights = dims.params * a
    if w.method != "full":
        weights += trained * 4  # the fp32 adapters
    if w.kind == "generate":
        return {"weights": weights}
    parts = {"weights": weights, "gradients": trained * 4.0, "optimizer": trained * 8.0}
    if w.kind == "dpo" and w.method == "full":
        parts["reference model"] = dims.params * a  # a frozen copy: adapters use the base with them switched off
    return parts


def _bytes(w: Workload, p: Precision) -> tuple[int, int, int]:
    """(a, r, m): bytes of matmul outputs (the compute dtype), of the residual stream and norm outputs (fp32
    on a CPU, over full training's fp32 master weights and after QLoRA's k-bit preparation, else the
    compute dtype), and of the MLP's elementwise tensors (bitsandbytes returns a 4-bit layer's output in
    its input's dtype, so fp32 under QLoRA; else the compute dtype)."""
    a = p.compute_bytes
    r = 4 if (a == 4 or w.method in ("full", "qlora")) else a
    m = 4 if (a == 4 or w.method == "qlora") else a
    return a, r, m


def _kept_input(fan_in: int, src: int, modules: int, w: Workload, p: Precision) -> float:
    """Bytes a group of trained linear layers sharing one input keeps of it per token: a dropout copy and
    its mask per module (LoRA dropout), a copy per module where autocast casts an fp32 input down, else
    the shared input once."""
    if not modules:
        return 0.0
    a = p.compute_bytes
    cast = p.autocast and src > a
    if w.lora_dropout and w.method != "full":
        return modules * fan_in * (1 + (a if cast else src))
    return modules * fan_in * a if cast else fan_in * src


def layer_activation_bytes(dims: ModelDims, w: Workload, p: Precision) -> float:
    """Bytes autograd keeps per token in one decoder layer (no checkpointing): each RMSNorm's fp32 input
    (and its normalised output when its weight trains), the inputs of the trained linear layers (every
    one in full training, the adapted ones under LoRA), attention's q, k, v and output, and the MLP's
    gate, up and silu(gate)."""
    h, q, kv, i = dims.hidden, dims.q_dim, dims.kv_dim, dims.intermediate
    a, r, m = _bytes(w, p)
    full = w.method == "full"
    trained = set(dims.linear_shapes()) if full else set(w.lora_targets)
    kept = 2 * (4 * h + (h * r if full else 0))
    kept += (q + 2 * kv) * a + q * a + 3 * i * m
    for fan_in, src, names in ((h, r, ("q_proj", "k_proj", "v_proj")), (q, a, ("o_proj",)),
                               (h, r, ("gate_proj", "up_proj")), (i, m, ("down_proj",))):
        kept += _kept_input(fan_in, src, sum(n in trained for n in names), w, p)
    return kept


def logits_bytes(dims: ModelDims, tokens: int, p: Precision) -> tuple[float, float]:
    """(kept, backward): the logits in the compute dtype, their fp32 copy and the log-softmax the loss
    keeps; then the two fp32 gradients alive at the start of the backward."""
    kept = tokens * dims.vocab * (p.compute_bytes + (4 if p.compute_bytes < 4 else 0) + 4)
    return float(kept), float(tokens * dims.vocab * 8)


def estimate_train(dims: ModelDims, w: Workload, micro: int, checkpointing: bool, p: Precision) -> Estimate:
    """One optimizer step of a training phase at ``micro`` items per forward."""
    parts = static_bytes(dims, w, p)
    seqs = micro * (2 if w.kind == "dpo" else 1)
    tokens = seqs * w.seq_len
    per_layer = layer_activation_bytes(dims, w, p)
    a, r, _ = _bytes(w, p)
    transients: dict[str, float] = {}
    if checkpointing:  # each layer's input; in the backward one layer at a time is recomputed
        acts = tokens * dims.layers * dims.hidden * r
        transients["recomputed layer"] = float(tokens * per_layer)
    else:
        acts = tokens * dims.layers * per_layer
    # the final norm's fp32 input; in full training its output and the trained head's input too
    acts += tokens * dims.hidden * (4 + ((r + (a if p.autocast else r)) if w.method == "full" else 0))
    parts["activations"] = acts
    # attention runs in fused kernels (flash or memory-efficient on a GPU, flash on a CPU) that keep no score
    # matrix; a padded batch brings the boolean 4D mask transformers builds
    parts["attention mask"] = float(seqs * w.seq_len ** 2)
    parts["logits"], transients["logits backward"] = logits_bytes(dims, seqs * (w.logits_tokens or w.seq_len), p)
    if w.method == "qlora" and p.autocast:
        parts["head cast"] = dims.vocab * dims.hidden * p.compute_bytes  # fp32 head cast each call
    trained = parts.get("gradients", 0.0) / 4
    static = parts["weights"] + parts.get("reference model", 0.0) + parts["gradients"] + parts["optimizer"]
    opt_peak = static + (trained * 4 if p.device != "cpu" else 0)  # foreach AdamW's temporary on a GPU
    return Estimate(parts, transients, opt_peak)


def kv_bytes_per_token(dims: ModelDims, w: Workload, p: Precision) -> int:
    """Keys and values of one token across the layers; fp32 after QLoRA's k-bit preparation."""
    e = 4 if (w.method == "qlora" or p.compute_bytes == 4) else p.compute_bytes
    return 2 * dims.layers * dims.kv_dim * e


def estimate_generate(dims: ModelDims, w: Workload, slots: int, p: Precision) -> Estimate:
    """Decoding ``slots`` sequences together: weights, the preallocated cache, one prefill's transient."""
    parts = static_bytes(dims, w, p)
    length = w.prompt_tokens + w.new_tokens
    parts["kv cache"] = float(slots * length * kv_bytes_per_token(dims, w, p))
    a = p.compute_bytes
    r = 4 if (w.method == "qlora" or a == 4) else a
    one_layer = dims.hidden * 3 * r + (dims.q_dim + 2 * dims.kv_dim) * a + 3 * dims.intermediate * r
    parts["prefill"] = float(w.prompt_tokens * min(slots, 8) * one_layer)
    parts["logits"] = float(slots * dims.vocab * (a + 8))
    return Estimate(parts)


# --------------------------------------------------------------------------- choosing


@dataclass
class StagePlan:
    """The choice for one phase: per-device batch (or generation slots), accumulation and checkpointing,
    with the estimate, the budget and the reason. ``fits`` False: nothing fits (``reason`` says why)."""

    workload: Workload
    per_device_batch: int
    accumulation: int
    gradient_checkpointing: bool
    estimate: Estimate
    budget: float
    memory: float
    fits: bool
    reason: str
    model: str = ""

    @property
    def peak_gib(self) -> float:
        return self.estimate.total / GIB

    def line(self) -> str:
        w = self.workload
        if w.kind == "generate":
            what = f"{self.per_device_batch} slots x {w.prompt_tokens}+{w.new_tokens} tokens"
        else:
            what = (f"micro-batch {self.per_device_batch} x {w.seq_len} tokens"
                    + (" x 2 (chosen, rejected)" if w.kind == "dpo" else "")
                    + f", accumulation {self.accumulation}, checkpointing {'on' if self.gradient_checkpointing else 'off'}")
        head = "fits" if self.fits else "DOES NOT FIT"
        return (f"{w.label:<26} {w.method:<5} {what}: {self.peak_gib:.1f} of {self.budget / GIB:.1f} GiB, {head}; "
                f"{self.reason}")

    def to_dict(self) -> dict[str, Any]:
        w = self.workload
        return {"stage": w.stage, "phase": w.phase, "kind": w.kind, "method": w.method, "seq_len": w.seq_len,
                "per_device_batch": self.per_device_batch, "accumulation": self.accumulation,
                "gradient_checkpointing": self.gradient_checkpointing, "peak_gib": round(self.peak_gib, 2),
                "budget_gib": round(self.budget / GIB, 2), "fits": self.fits, "reason": self.reason,
                "parts_gib": {k: round(v / GIB, 3) for k, v in self.estimate.parts.items()}}


def budget_bytes(memory_gib: float, device: str = "cuda") -> float:
    """What a step may take of a card of ``memory_gib``: less the CUDA context, less fragmentation."""
    if device == "cpu":
        return memory_gib * GIB * (1 - FRAGMENTATION)
    return max(memory_gib - CONTEXT_GIB, 0.0) * GIB * (1 - FRAGMENTATION)


def _divisors_down(n: int, cap: int) -> list[int]:
    return [d for d in range(min(n, cap), 0, -1) if n % d == 0]


def _throughput(tokens: int, checkpointing: bool) -> float:
    return min(1.0, tokens / BUSY_TOKENS) / (CHECKPOINTING_COST if checkpointing else 1.0)


def plan_stage(dims: ModelDims, w: Workload, memory_gib: float, *, device: str = "cuda",
               dtype: str = "bfloat16", world: int = 1, checkpointing: bool | None = None) -> StagePlan:
    """The fitting choice for one phase with the best expected throughput (see the module doc);
    ``checkpointing`` True or False keeps it so (a setting the user chose), None lets the plan choose."""
    p = precision(device, dtype)
    budget = budget_bytes(memory_gib, device)
    if w.kind == "generate":
        return _plan_generate(dims, w, p, budget, memory_gib)
    per_proc = max(1, w.global_batch // max(world, 1))
    modes = (False, True) if checkpointing is None else (checkpointing,)
    tries = [(m, c) for c in modes for m in _divisors_down(per_proc, w.per_device_max)]
    best: tuple[float, int, bool, Estimate] | None = None
    smallest: tuple[int, bool, Estimate] | None = None
    for micro, ckpt in tries:
        est = estimate_train(dims, w, micro, ckpt, p)
        if micro == 1 and (ckpt or checkpointing is False):
            smallest = (micro, ckpt, est)
        if est.total <= budget:
            score = _throughput(micro * w.seq_len * (2 if w.kind == "dpo" else 1), ckpt)
            if best is None or score > best[0] + 1e-9:
                best = (score, micro, ckpt, est)
    if best is None:
        assert smallest is not None
        _, ckpt, est = smallest
        why = (f"even 1 {'pair' if w.kind == 'dpo' else 'sequence'} per device with checkpointing "
               f"{'on' if ckpt else 'off (as set)'} needs {est.total / GIB:.1f} GiB ({est.gib()})")
        return StagePlan(w, 1, per_proc, ckpt, est, budget, memory_gib * GIB, False, why, dims.name)
    _, micro, ckpt, est = best
    cap = w.per_device_max
    why = [f"{est.gib()} GiB"]
    if micro < min(cap, per_proc):
        why.append(f"micro-batch {micro} of the setting's {cap}: larger ones do not fit"
                   + (" without checkpointing" if not ckpt else ""))
    if checkpointing is not None:
        why.append(f"checkpointing {'on' if ckpt else 'off'} as set")
    elif ckpt:
        no_ckpt = estimate_train(dims, w, 1, False, p)
        why.append(f"checkpointing on: without it even micro-batch 1 needs {no_ckpt.total / GIB:.1f} GiB"
                   if no_ckpt.total > budget else "checkpointing on: a larger micro-batch keeps the GPU busier")
    return StagePlan(w, micro, per_proc // micro, ckpt, est, budget, memory_gib * GIB, True, "; ".join(why), dims.name)


def _plan_generate(dims: ModelDims, w: Workload, p: Precision, budget: float, memory_gib: float) -> StagePlan:
    want = max(1, min(MAX_SLOTS, w.sequences or MAX_SLOTS))
    lo, hi = 0, want
    while lo < hi:  # the most slots that fit (the estimate grows with slots)
        mid = (lo + hi + 1) // 2
        if estimate_generate(dims, w, mid, p).total <= budget:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        est = estimate_generate(dims, w, 1, p)
        return StagePlan(w, 1, 1, False, est, budget, memory_gib * GIB, False,
                         f"even one sequence needs {est.total / GIB:.1f} GiB ({est.gib()})", dims.name)
    est = estimate_generate(dims, w, lo, p)
    why = f"{est.gib()} GiB; " + (f"all {want} sequences decode together" if lo == want else
                                  f"{lo} of {want} sequences decode together: more slots' caches do not fit")
    return StagePlan(w, lo, math.ceil((w.sequences or lo) / lo), False, est, budget, memory_gib * GIB, True, why,
                     dims.name)


# --------------------------------------------------------------------------- stages


def _method_of(s: Any, field_name: str = "finetune_method") -> str:
    return str(getattr(s, field_name))


def stage_workloads(s: Any) -> list[Workload]:
    """The phases of a stage's settings object (03-07), with the profile's lengths and batches."""
    stage = s.stage
    prof = PROFILES[s.profile]
    four = "qlora" if prof.load_in_4bit else "full"
    out: list[Workload] = []
    if stage == "03_pretraining":
        method, _ = s.adapter_choice()
        for phase, seq, steps in (("stage1", s.seq_len_stage1, s.max_steps_stage1),
                                  ("stage2", s.seq_len_stage2, s.max_steps_stage2)):
            if steps:
                out.append(Workload(stage, phase, "train", method, seq, s.global_batch_size, s.per_device_max_batch,
                                    s.lora_r, LORA_ALL_LINEAR, lora_dropout=False))
    elif stage == "04_sft":
        out.append(Workload(stage, "generation", "generate", four, prompt_tokens=PROMPT_TOKENS,
                            new_tokens=s.generation_max_new_tokens, sequences=MAX_SLOTS,
                            note="synthesis by the helper model"))
        out.append(Workload(stage, "train", "train", _method_of(s), s.max_length, s.global_batch_size,
                            s.per_device_batch_max, s.lora_r))
    elif stage == "05_dpo":
        out.append(Workload(stage, "sampling", "generate", four, prompt_tokens=PROMPT_TOKENS,
                            new_tokens=s.sampling_max_new_tokens, sequences=MAX_SLOTS))
        out.append(Workload(stage, "train", "dpo", _method_of(s), s.max_length, s.global_batch_size,
                            s.per_device_batch_max, s.lora_r))
    elif stage == "06_longcot_rl":
        method = ("qlora" if prof.load_in_4bit else "lora") if s.resolved_use_lora() else "full"
        longest = max(s.max_completion_lengths)
        out.append(Workload(stage, "traces", "generate", four, prompt_tokens=PROMPT_TOKENS,
                            new_tokens=s.trace_max_new_tokens, sequences=MAX_SLOTS))
        out.append(Workload(stage, "warmup", "train", method, s.warmup_max_length, s.warmup_batch_size,
                            s.warmup_batch_size, s.lora_r, lora_dropout=True))
        per_gen = s.rl_global_batch * s.minibatches_per_rollout  # completions one rollout generates
        out.append(Workload(stage, "rollouts", "generate", method, prompt_tokens=PROMPT_TOKENS, new_tokens=longest,
                            sequences=per_gen))
        out.append(Workload(stage, "grpo", "train", method, PROMPT_TOKENS + longest, s.rl_global_batch,
                            s.rl_per_device_max, s.lora_r, logits_tokens=longest + 1))
    elif stage == "07_eval":
        new = max(s.eval_max_new_tokens, s.humaneval_max_new_tokens if s.humaneval_limit else 0)
        out.append(Workload(stage, "generation", "generate", four, prompt_tokens=PROMPT_TOKENS, new_tokens=new,
                            sequences=MAX_SLOTS))
    else:
        raise SettingsError(f"stage {stage}: no memory plan (it loads no model to train or generate with)")
    return out


def chosen_checkpointing(settings: Any) -> bool | None:
    """The stage's ``gradient_checkpointing`` when the user set it (the plan keeps it), else None (the
    plan chooses; a profile's default is the plan's to overrule)."""
    if not hasattr(settings, "gradient_checkpointing"):
        return None
    origins = getattr(settings, "origins", {})
    return bool(settings.gradient_checkpointing) if origins.get("gradient_checkpointing") == "set by you" else None


def plan_settings(settings: Any, *, memory_gib: float, dims: ModelDims | None = None, world: int = 1,
                  runs_dir: str = "") -> list[StagePlan]:
    """Every phase of a stage planned for a card of ``memory_gib`` (``dims``: the model; default the
    stage's starting model as far as its configuration can be read before anything loads)."""
    if dims is None:
        dims = default_dims(settings, runs_dir=runs_dir)
    prof = PROFILES[settings.profile]
    device = prof.device if prof.device != "auto" else "cuda"
    dtype = prof.dtype if prof.dtype != "auto" else "bfloat16"
    ckpt = chosen_checkpointing(settings)
    return [plan_stage(dims, w, memory_gib, device=device, dtype=dtype, world=world, checkpointing=ckpt)
            for w in stage_workloads(settings)]


def phase_plan(settings: Any, phase: str, *, memory_gib: float, dims: ModelDims | None = None,
               world: int = 1) -> StagePlan:
    """The plan of one phase (``stage1``, ``stage2``, ``train``, ``warmup``, ``grpo``, ...) of a stage,
    raising :class:`MemoryPlanError` when it does not fit: what a stage calls before it trains."""
    plans = [p for p in plan_settings(settings, memory_gib=memory_gib, dims=dims, world=world)
             if p.workload.phase == phase]
    if not plans:
        raise SettingsError(f"stage {settings.stage} has no phase {phase!r}")
    check_fits(plans)
    return plans[0]


def default_dims(settings: Any, runs_dir: str = "") -> ModelDims:
    """The dimensions of the model a stage starts from: 03's parent; for 04-07 the model their settings
    name (a run's stage once it is saved, an adapter's base), else the profile's base model, whose
    architecture a chain keeps."""
    prof = PROFILES[settings.profile]
    if settings.stage == "03_pretraining":
        return model_dims(settings.model_spec(), runs_dir=runs_dir, scratch=settings.scratch_dims())
    try:
        return model_dims(settings.resolved_base_model(), runs_dir=runs_dir or settings.runs_dir,
                          scratch=prof.scratch_model)
    except SettingsError:
        pass  # not saved yet (a plan before the run): the chain keeps the base's architecture
    return model_dims(prof.base_model, runs_dir=runs_dir, scratch=prof.scratch_model)


ADVICE = {
    "full": "train adapters (finetune_method/adapter lora or qlora), shard the model over several GPUs (multi-gpu "
            "profile, FSDP), or use a card with more memory",
    "lora": "use qlora (4-bit base), shorter sequences, or a card with more memory",
    "qlora": "use shorter sequences or a card with more memory",
}


def check_fits(plans: Iterable[StagePlan]) -> None:
    """Raise :class:`MemoryPlanError` naming the first phase that fits in no way, in one line."""
    for p in plans:
        if not p.fits:
            raise MemoryPlanError(
                f"memory plan: {p.workload.label} ({p.workload.method}, {p.model}) does not fit "
                f"{p.memory / GIB:g} GiB: {p.reason}; " + ADVICE.get(p.workload.method, ADVICE["qlora"]))


def format_plans(plans: Sequence[StagePlan]) -> list[str]:
    return [p.line() for p in plans]


# An 80 GB H100 (or A100) as torch reports it (total_memory: 85,049,802,752 bytes on an H100 SXM).
DEFAULT_CARD_GIB = 79.2


def nvidia_smi() -> dict[str, Any] | None:
    """The first GPU as ``nvidia-smi`` sees it, without torch: name, memory (GiB), driver version and
    the highest CUDA version that driver supports; None when there is no nvidia-smi or it fails."""
    import shutil
    import subprocess

    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"],
                              capture_output=True, text=True, timeout=30)
        head = subprocess.run([exe], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    rows = [r.split(",") for r in done.stdout.strip().splitlines() if r.count(",") >= 2]
    if done.returncode != 0 or not rows:
        return None
    name, mem, driver = (x.strip() for x in rows[0][:3])
    cuda = ""
    for part in head.split("CUDA Version:")[1:2]:
        cuda = part.split()[0] if part.split() else ""
    try:
        gib = float(mem) / 1024
    except ValueError:
        gib = 0.0
    return {"name": name, "memory_gib": round(gib, 1), "driver": driver, "driver_cuda": cuda, "count": len(rows)}


def gpu_memory_gib() -> float | None:
    """Total memory of CUDA device 0 in GiB, None without one (imports torch)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") == "":
        return None
    import torch

    if not torch.cuda.is_available():
        return None
    return torch.cuda.get_device_properties(0).total_memory / GIB


__all__ = ["GIB", "KNOWN_CONFIGS", "SEED_CODER_8B", "MemoryPlanError", "ModelDims", "dims_from_config", "model_dims",
           "Workload", "Precision", "precision", "Estimate", "static_bytes", "layer_activation_bytes",
           "logits_bytes", "estimate_train", "estimate_generate", "kv_bytes_per_token", "StagePlan",
           "budget_bytes", "plan_stage", "stage_workloads", "plan_settings", "phase_plan", "default_dims",
           "check_fits", "chosen_checkpointing", "format_plans", "DEFAULT_CARD_GIB", "nvidia_smi", "gpu_memory_gib", "replace"]
