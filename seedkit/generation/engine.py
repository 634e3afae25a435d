"""The kit's in-process decoding engine: slot batching over a preallocated KV cache.

Why the kit has its own loop instead of ``model.generate``: on a CPU the speed of a 135M model is
set by how many sequences share each read of the weights (a decode step reads all of them whatever
the batch), and ``model.generate`` loses that in three ways on the kit's workloads:

- a batch runs until its longest member ends, so rows that stopped early (end of turn, a stop
  string, a closing code fence) keep costing a full row each step;
- its dynamic cache concatenates every layer's keys and values each step, copying the whole cache;
- each of ``n`` samples of a prompt prefills the prompt again.

Here a fixed number of *slots* decode together. A slot that finishes is refilled at once with the
next waiting sequence (continuous batching, without paging: each slot owns a row of a
preallocated cache, so admitting a sequence copies only its own prompt's keys and values). A
prompt with ``n`` samples is prefilled once and its cache written into ``n`` slots; when only some
of its samples find free slots, its keys, values and next-token logits are kept until the rest
start (refilling one or two freed slots at a time had prefilled prompts 2.5 times each on the
evaluation's 48 x 5 workload). Rows keep their
own positions; a boolean mask hides the unused columns of shorter rows. The tokens every prompt of
a call starts with (a chat template's system prompt) are prefilled once, and on the CPU the
decode steps' matrix products use weights prepacked for oneDNN (``packed.py``): the two things
that put vLLM's CPU build ahead of this engine on the kit's workloads (docs/generation_vllm.md).

The model's own ``forward`` runs every step (transformers' Llama-family modules, a peft wrapper
with its current adapter weights, bitsandbytes layers), so the arithmetic per row is the model's;
only the scheduling and the cache are the kit's. Greedy decoding picks ``argmax`` like
``model.generate``; sampling draws from ``softmax(logits / temperature)`` over the whole
vocabulary (top_p = 1, top_k = 0), the distribution ``model.generate`` samples from with those
settings. transformers' own continuous batching (``generate_batch``) was measured on the same
workloads and was slower than plain ``model.generate`` on the CPU (docs/environment.md,
"Generation speed").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from seedkit.generation.packed import packed_linears
from seedkit.generation.stops import StopWatch
from seedkit.training import adapt_threads

# Model types whose decoder layers are all full attention through the cache ``update`` API and
# whose attention takes a 4D boolean mask and per-row position ids (checked by the tests with tiny
# random models of each type).
SUPPORTED_MODEL_TYPES = ("llama", "mistral", "qwen2", "qwen3")

# Prompts prefill together when their lengths differ by at most this many tokens (right padding
# wastes at most that much per row, and the output layer runs on that many positions per row) and
# their padded tokens stay within PREFILL_TOKENS (activation memory of one forward).
PREFILL_LENGTH_SPREAD = 8
PREFILL_TOKENS = 4096

# Prompts that all begin with the same tokens (a chat template's system prompt, a task's instructions)
# prefill those once when there are at least this many: a forward over the shared prefix alone, whose
# keys and values every prompt's own tokens then attend to (what a serving engine's prefix cache does
# for a batch). The evaluation's chat prompts share 26 tokens of 139 on average, synthesis prompts
# 29 of 79. Below it the extra forward costs more than it saves.
MIN_SHARED_PREFIX = 16


def shared_prefix_length(prompts: Sequence[Sequence[int]]) -> int:
    """Tokens every prompt starts with, leaving each prompt at least one token of its own (whose
    logits pick the first new token); 0 when fewer than :data:`MIN_SHARED_PREFIX` or one prompt."""
    if len(prompts) < 2:
        return 0
    first, n = prompts[0], min(len(p) for p in prompts) - 1
    length = 0
    while length < n and all(p[length] == first[length] for p in prompts):
        length += 1
    return length if length >= MIN_SHARED_PREFIX else 0

# generation_config fields whose non-default values change which tokens model.generate picks. The
# engine implements none of them; a model that sets one generates through model.generate instead.
_UNSUPPORTED_GENERATION_SETTINGS = {
    "repetition_penalty": 1.0, "encoder_repetition_penalty": 1.0, "no_repeat_ngram_size": 0,
    "bad_words_ids": None, "suppress_tokens": None, "begin_suppress_tokens": None, "min_length": 0,
    "min_new_tokens": None, "forced_bos_token_id": None, "forced_eos_token_id": None, "sequence_bias": None,
    "exponential_decay_length_penalty": None, "guidance_scale": None, "renormalize_logits": False,
}


class EngineUnsupported(Exception):
    """The model cannot run in the slot engine; the message says why (the caller falls back)."""


def check_supported(model: Any) -> None:
    """Raise :class:`EngineUnsupported` with the reason when ``model`` cannot use the slot engine."""
    config = getattr(model, "config", None)
    mtype = getattr(config, "model_type", None)
    if mtype not in SUPPORTED_MODEL_TYPES:
        raise EngineUnsupported(f"model type {mtype!r} is not one the slot engine was checked on "
                                f"({', '.join(SUPPORTED_MODEL_TYPES)})")
    if getattr(config, "is_encoder_decoder", False):
        raise EngineUnsupported("encoder-decoder model")
    layer_types = getattr(config, "layer_types", None) or []
    if any(t != "full_attention" for t in layer_types):
        raise EngineUnsupported("the model has sliding-window or linear-attention layers")
    if getattr(config, "use_sliding_window", False) and getattr(config, "sliding_window", None):
        raise EngineUnsupported("the model uses sliding-window attention")
    impl = getattr(config, "_attn_implementation", None)
    if impl not in (None, "sdpa", "eager"):
        raise EngineUnsupported(f"attention implementation {impl!r} (the engine passes 4D masks: sdpa or eager)")
    gc = getattr(model, "generation_config", None)
    for name, default in _UNSUPPORTED_GENERATION_SETTINGS.items():
        value = getattr(gc, name, default)
        if value not in (default, None) and not (name == "no_repeat_ngram_size" and value == 0):
            raise EngineUnsupported(f"generation_config.{name}={value!r} changes decoding and the engine does not "
                                    f"implement it")


# --------------------------------------------------------------------------- cache


def _cache_classes() -> tuple[type, type]:
    from transformers.cache_utils import Cache, CacheLayerMixin

    class SlotLayer(CacheLayerMixin):
        """One layer's keys and values: ``[slots, kv_heads, capacity, head_dim]``, written in place."""

        is_sliding = False
        is_compileable = False
        is_croppable = False

        def __init__(self, state: _StepState, layer_index: int) -> None:
            super().__init__()
            self.state = state
            self.layer_index = layer_index

        def lazy_initialization(self, key_states: Any, value_states: Any) -> None:
            import torch

            st = self.state
            shape = (st.slots, key_states.shape[1], st.capacity, key_states.shape[3])
            self.keys = torch.zeros(shape, dtype=key_states.dtype, device=key_states.device)
            self.values = torch.zeros(shape[:3] + (value_states.shape[3],), dtype=value_states.dtype,
                                      device=value_states.device)
            self.device = key_states.device
            self.is_initialized = True

        def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
            st = self.state
            if st.capture is not None:  # the prompts' shared prefix [1, H, L, D]: kept, attended as is
                st.capture.append((key_states, value_states))
                return key_states, value_states
            if st.prefill_slots is not None:  # prompts [b, H, P, D]: each row into each of its slots
                if st.prefix is not None:  # P tokens after the shared prefix's L: keys are [prefix, own]
                    import torch

                    pk, pv = st.prefix[self.layer_index]
                    b = key_states.shape[0]
                    key_states = torch.cat([pk.expand(b, -1, -1, -1), key_states], dim=2)
                    value_states = torch.cat([pv.expand(b, -1, -1, -1), value_states], dim=2)
                p = key_states.shape[2]
                self.keys[st.prefill_slots, :, :p] = key_states.index_select(0, st.prefill_rows)
                self.values[st.prefill_slots, :, :p] = value_states.index_select(0, st.prefill_rows)
                return key_states, value_states
            # decode: one token per slot, each at its own column
            self.keys[st.rows, :, st.positions] = key_states[:, :, 0]
            self.values[st.rows, :, st.positions] = value_states[:, :, 0]
            return self.keys[:, :, :st.width], self.values[:, :, :st.width]

        def get_mask_sizes(self, query_length: int) -> tuple[int, int]:
            st = self.state
            if st.capture is not None:
                return query_length, 0
            if st.prefill_slots is not None:
                return query_length + st.prefix_length, 0
            return st.width, 0

        def get_seq_length(self) -> int:
            st = self.state
            if st.capture is not None:
                return 0
            return st.prefix_length if st.prefill_slots is not None else st.width - 1

        def get_max_length(self) -> int:
            return self.state.capacity

        def keep(self, index: Any) -> None:
            if self.is_initialized:
                self.keys = self.keys.index_select(0, index)
                self.values = self.values.index_select(0, index)

    class SlotCache(Cache):
        def __init__(self, state: _StepState, num_layers: int) -> None:
            super().__init__(layers=[SlotLayer(state, i) for i in range(num_layers)])

    return SlotLayer, SlotCache


@dataclass
class _StepState:
    """What the cache layers need to know about the current forward (set by the engine before it)."""

    slots: int
    capacity: int
    prefill_slots: Any = None  # LongTensor of slots during a prefill, else None
    prefill_rows: Any = None  # the prefill batch's row for each of prefill_slots
    rows: Any = None  # arange(slots) during decode
    positions: Any = None  # LongTensor [slots]: the column each slot writes this step
    width: int = 0  # columns attended this step
    capture: list[tuple[Any, Any]] | None = None  # during the shared prefix's forward: each layer's keys, values
    prefix: list[tuple[Any, Any]] | None = None  # the shared prefix's keys and values per layer, once computed
    prefix_length: int = 0  # tokens every prompt starts with, prefilled once (0: none)


# --------------------------------------------------------------------------- sampling


def sample_tokens(logits: Any, temperature: float, generator: Any = None) -> Any:
    """One token per row from ``softmax(logits / temperature)`` over the whole vocabulary.

    The distribution ``model.generate`` samples with ``top_k=0, top_p=1``, drawn by inverting the
    cumulative distribution with one uniform number per row: ``torch.multinomial`` draws an
    exponential variate per vocabulary entry, which cost 17 ms a step for 8 rows of SmolLM2's 49,152
    entries here, as much as a tenth of the step (a cumulative sum and a binary search cost ~1 ms).
    """
    import torch

    probs = torch.softmax(logits.float() / temperature, dim=-1)
    cdf = probs.cumsum(dim=-1)
    u = torch.rand((cdf.shape[0], 1), generator=generator, device=cdf.device, dtype=cdf.dtype) * cdf[:, -1:]
    picked = torch.searchsorted(cdf, u, right=True).squeeze(-1)
    # u can equal the total only through rounding; the last entry with probability > 0 is then the answer
    return torch.minimum(picked, (probs > 0).cumsum(dim=-1).argmax(dim=-1))


# --------------------------------------------------------------------------- engine


@dataclass
class _Slot:
    request: int = -1  # index of the prompt; -1 = free
    sample: int = 0
    position: int = 0  # column where the next fed token is written (= its position id)
    tokens: list[int] = field(default_factory=list)


@dataclass
class DecodeStats:
    prompts: int = 0
    sequences: int = 0
    generated_tokens: int = 0
    prefill_tokens: int = 0
    decode_steps: int = 0
    slot_steps: int = 0  # slots computed over all decode steps (busy or idle)
    prefill_s: float = 0.0  # wall seconds in prefill forwards
    decode_s: float = 0.0  # wall seconds in decode steps (forward, sampling, stop checks)


def decode(
    model: Any,
    prompts: Sequence[list[int]],
    *,
    n: int | Sequence[int],
    max_new_tokens: int,
    eos_token_ids: Sequence[int],
    slots: int,
    temperature: float = 0.0,
    stop_watch: StopWatch | None = None,
    generator: Any = None,
    on_prompt_done: Callable[[int], None] | None = None,
    stats: DecodeStats | None = None,
    keep_eos: bool = False,
) -> list[list[list[int]]]:
    """Generate ``n`` continuations of every tokenised prompt (``n`` may differ per prompt);
    returns their token ids per prompt, per sample, in input order, without the end-of-sequence
    token unless ``keep_eos``.

    ``slots`` sequences decode together. A sequence ends at an end-of-sequence token, when
    ``stop_watch`` sees a stop string in its text, or after ``max_new_tokens`` tokens.
    """
    counts = [n] * len(prompts) if isinstance(n, int) else [int(k) for k in n]
    if len(counts) != len(prompts) or any(k < 1 for k in counts):
        raise ValueError("n: one sample count >= 1 per prompt")
    if not prompts:
        return []
    if max_new_tokens < 1:
        return [[[] for _ in range(k)] for k in counts]
    if any(len(p) == 0 for p in prompts):
        raise ValueError("an empty prompt: every prompt needs at least one token")
    stats = stats if stats is not None else DecodeStats()
    stats.prompts += len(prompts)
    stats.sequences += sum(counts)
    run = _Decoder(model, prompts, counts, max_new_tokens=max_new_tokens, eos_token_ids=eos_token_ids,
                   slots=slots, temperature=temperature, stop_watch=stop_watch, generator=generator,
                   on_prompt_done=on_prompt_done, stats=stats, keep_eos=keep_eos)
    with _grad_off(model), packed_linears(model):
        run.run()
    return run.out


def _grad_off(model: Any) -> Any:
    """The autograd setting decoding runs under: ``torch.inference_mode``, else ``torch.no_grad``.

    A decode step of SmolLM2-135M runs some 7,000 operator calls; inference mode skips the view
    and version-counter bookkeeping each of them does under ``no_grad``. The gain is small (1.01x
    tokens per CPU-second at batch 8 on the 2-core development machine, identical tokens;
    ``bench/bench_generation_grad_mode.py``, docs/generation_profile.md) but free. Nothing made here
    leaves :func:`decode` as a tensor (outputs are token-id lists, the cache is this call's own).
    A module may keep what its forward makes, though: bitsandbytes' 4-bit layers repack their
    weights on the CPU at their first forward in eval mode, and weights made in inference mode
    could not be saved for a later backward (QLoRA training the same model). Models with
    bitsandbytes layers therefore decode under ``no_grad``.
    """
    import torch

    if any(type(m).__module__.startswith("bitsandbytes") for m in model.modules()):
        return torch.no_grad()
    return torch.inference_mode()


class _Decoder:
    """One :func:`decode` call: the slot table, the shared cache, the queue of (prompt, sample) waiting
    for a slot, the prompts whose prefill is held for their remaining samples, and the outputs."""

    def __init__(self, model: Any, prompts: Sequence[list[int]], counts: list[int], *, max_new_tokens: int,
                 eos_token_ids: Sequence[int], slots: int, temperature: float, stop_watch: StopWatch | None,
                 generator: Any, on_prompt_done: Callable[[int], None] | None, stats: DecodeStats,
                 keep_eos: bool) -> None:
        import torch

        self.model, self.prompts, self.max_new_tokens = model, prompts, max_new_tokens
        self.temperature, self.stop_watch, self.generator = temperature, stop_watch, generator
        self.on_prompt_done, self.stats, self.keep_eos = on_prompt_done, stats, keep_eos
        self.device = next(model.parameters()).device
        self.eos_set = set(int(e) for e in eos_token_ids)
        self.filler = min(self.eos_set) if self.eos_set else 0  # fed in padding and idle slots (never attended)
        slots = max(1, min(slots, sum(counts)))
        self.state = _StepState(slots=slots, capacity=max(len(p) for p in prompts) + max_new_tokens,
                                prefix_length=shared_prefix_length(prompts))
        self.additive_mask = getattr(model.config, "_attn_implementation", "sdpa") == "eager"
        dtype = next(model.parameters()).dtype
        self.mask_dtype = dtype if dtype.is_floating_point else torch.float32
        _, SlotCache = _cache_classes()
        self.cache = SlotCache(self.state, model.config.num_hidden_layers)
        self.table = [_Slot() for _ in range(slots)]
        self.out: list[list[list[int]]] = [[[] for _ in range(k)] for k in counts]
        self.left = list(counts)  # samples of each prompt not yet finished
        # (prompt, sample), longest prompts first so that prompts admitted together have similar lengths;
        # the order changes no result (a row's arithmetic does not depend on the other rows)
        order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
        self.queue = [(i, s) for i in order for s in range(counts[i])]
        self.head = 0
        self.held: dict[int, tuple[list[tuple[Any, Any]], Any]] = {}  # prompt -> (per-layer keys/values, logits)

    # ----------------------------------------------------------------- tokens and endings

    def pick(self, logits: Any) -> Any:
        import torch

        if self.temperature <= 0:
            return torch.argmax(logits, dim=-1)
        return sample_tokens(logits, self.temperature, self.generator)

    def finish(self, k: int) -> None:
        sl = self.table[k]
        toks = sl.tokens
        if toks and toks[-1] in self.eos_set and not self.keep_eos:
            toks = toks[:-1]
        self.out[sl.request][sl.sample] = toks
        self.left[sl.request] -= 1
        if self.left[sl.request] == 0 and self.on_prompt_done is not None:
            self.on_prompt_done(sl.request)
        self.table[k] = _Slot()

    def ended(self, k: int) -> bool:
        toks = self.table[k].tokens
        return toks[-1] in self.eos_set or len(toks) >= self.max_new_tokens

    def check_stops(self, ks: list[int]) -> None:
        """Finish the slots in ``ks`` whose last token ended them (eos, length or a stop string)."""
        done = [k for k in ks if self.ended(k)]
        rest = [k for k in ks if k not in set(done)]
        if self.stop_watch is not None and rest:
            hits = self.stop_watch.hits([self.table[k].tokens for k in rest], [self.table[k].request for k in rest])
            done += [k for k, h in zip(rest, hits, strict=True) if h]
        for k in done:
            self.finish(k)

    def free_slots(self) -> list[int]:
        return [k for k, sl in enumerate(self.table) if sl.request < 0]

    def take_samples(self, req: int, room: int) -> list[int]:
        """The next waiting samples of prompt ``req``, at most ``room`` of them (taken off the queue)."""
        samples = []
        while self.head < len(self.queue) and self.queue[self.head][0] == req and len(samples) < room:
            samples.append(self.queue[self.head][1])
            self.head += 1
        return samples

    # ----------------------------------------------------------------- admitting sequences

    def admit_held(self, free: list[int]) -> None:
        """Start the rest of a prompt whose samples did not all fit last time, from its kept cache."""
        import torch

        req = self.queue[self.head][0]
        kv, row = self.held[req]
        samples = self.take_samples(req, len(free))
        ks = free[:len(samples)]
        index = torch.tensor(ks, dtype=torch.long, device=self.device)
        p = len(self.prompts[req])
        for layer, (k, v) in zip(self.cache.layers, kv, strict=True):
            layer.keys[index, :, :p] = k
            layer.values[index, :, :p] = v
        first = self.pick(row[None].expand(len(ks), -1)).tolist()
        for k, sample, t in zip(ks, samples, first, strict=True):
            self.table[k] = _Slot(request=req, sample=sample, position=p, tokens=[int(t)])
        if self.head >= len(self.queue) or self.queue[self.head][0] != req:
            del self.held[req]
        self.stats.generated_tokens += len(ks)
        self.check_stops(ks)

    def prefill_batch(self, free: list[int]) -> list[tuple[int, list[int], list[int]]]:
        """(prompt, slots, samples) of the prompts that prefill together: lengths within
        PREFILL_LENGTH_SPREAD, padded tokens within PREFILL_TOKENS."""
        batch: list[tuple[int, list[int], list[int]]] = []
        lo = hi = len(self.prompts[self.queue[self.head][0]])
        while free and self.head < len(self.queue):
            req = self.queue[self.head][0]
            p = len(self.prompts[req])
            lo2, hi2 = min(lo, p), max(hi, p)
            if batch and (hi2 - lo2 > PREFILL_LENGTH_SPREAD or (len(batch) + 1) * hi2 > PREFILL_TOKENS):
                break
            lo, hi = lo2, hi2
            samples = self.take_samples(req, len(free))
            batch.append((req, free[:len(samples)], samples))
            free = free[len(samples):]
        return batch

    def prefill_prefix(self) -> None:
        """One forward over the prompts' shared prefix alone: its keys and values, per layer, which every
        prompt's own tokens attend to (and which are written into each slot with them)."""
        import torch

        state = self.state
        t0 = time.perf_counter()
        ids = torch.tensor([self.prompts[0][:state.prefix_length]], dtype=torch.long, device=self.device)
        state.capture = []
        try:
            self.model(input_ids=ids, position_ids=torch.arange(ids.shape[1], device=self.device)[None],
                       cache=self.cache, use_cache=True, logits_to_keep=1)
            state.prefix = state.capture
        finally:
            state.capture = None
        self.stats.prefill_tokens += state.prefix_length
        self.stats.prefill_s += time.perf_counter() - t0

    def prefill(self, batch: list[tuple[int, list[int], list[int]]]) -> None:
        """One forward over the batch's prompts (right-padded), their cache written into each of their
        slots; each slot's first token picked. Prompts that share a prefix feed only their own tokens,
        attending to the prefix's keys and values (:meth:`prefill_prefix`)."""
        import torch

        device, prompts, state = self.device, self.prompts, self.state
        if state.prefix_length and state.prefix is None:
            self.prefill_prefix()
        skip = state.prefix_length
        lengths = [len(prompts[req]) - skip for req, _, _ in batch]
        lo, hi = min(lengths), max(lengths)
        t0 = time.perf_counter()
        ids = torch.full((len(batch), hi), self.filler, dtype=torch.long, device=device)
        for r, (req, _, _) in enumerate(batch):
            ids[r, :lengths[r]] = torch.tensor(prompts[req][skip:], dtype=torch.long, device=device)
        ks = [k for _, slots_, _ in batch for k in slots_]
        rows = [r for r, (_, slots_, _) in enumerate(batch) for _ in slots_]
        state.prefill_slots = torch.tensor(ks, dtype=torch.long, device=device)
        state.prefill_rows = torch.tensor(rows, dtype=torch.long, device=device)
        positions = torch.arange(skip, skip + hi, device=device)
        mask = None  # causal attention over the prompt alone needs none: a row's padding comes after it
        if skip:  # own tokens see the whole prefix and themselves causally
            mask = (torch.arange(skip + hi, device=device)[None, :] <= positions[:, None])[None, None]
            if self.additive_mask:
                mask = torch.zeros(mask.shape, dtype=self.mask_dtype, device=device).masked_fill_(
                    ~mask, torch.finfo(self.mask_dtype).min)
        try:
            logits = self.model(input_ids=ids, position_ids=positions[None].expand(len(batch), -1),
                                attention_mask=mask, cache=self.cache, use_cache=True,
                                logits_to_keep=hi - lo + 1).logits
        finally:
            state.prefill_slots = state.prefill_rows = None
        last = torch.tensor([n - lo for n in lengths], device=device)  # kept: lo-1 .. hi-1
        logits = logits[torch.arange(len(batch), device=device), last]
        self.stats.prefill_tokens += sum(lengths)
        self.stats.prefill_s += time.perf_counter() - t0
        req, slots_, _ = batch[-1]
        if self.head < len(self.queue) and self.queue[self.head][0] == req:
            # this prompt's other samples wait for free slots: keep its keys, values and next-token
            # logits so that they start from a copy instead of a second prefill
            p = len(prompts[req])
            self.held[req] = ([(layer.keys[slots_[0], :, :p].clone(), layer.values[slots_[0], :, :p].clone())
                               for layer in self.cache.layers], logits[len(batch) - 1].clone())
        first = self.pick(logits[rows]).tolist()
        i = 0
        for req, slots_, samples in batch:
            for k, sample in zip(slots_, samples, strict=True):
                self.table[k] = _Slot(request=req, sample=sample, position=len(prompts[req]), tokens=[int(first[i])])
                i += 1
        self.stats.generated_tokens += len(ks)
        self.check_stops(ks)

    def admit(self) -> None:
        """Admit waiting sequences into free slots: each prompt prefilled once, its cache into each of
        its slots; prompts of similar length prefill together."""
        free = self.free_slots()
        while free and self.head < len(self.queue):
            if self.queue[self.head][0] in self.held:
                self.admit_held(free)
            else:
                self.prefill(self.prefill_batch(free))
            free = self.free_slots()

    # ----------------------------------------------------------------- decoding

    def shrink(self, busy: list[int]) -> list[int]:
        """Drop the idle slots (one copy of the cache); returns the busy slots' new indices."""
        import torch

        index = torch.tensor(busy, dtype=torch.long, device=self.device)
        for layer in self.cache.layers:
            layer.keep(index)
        self.table = [self.table[k] for k in busy]
        self.state.slots = len(self.table)
        return list(range(len(self.table)))

    def step(self, busy: list[int]) -> None:
        """One decode step over every slot (idle slots feed a dummy token at column 0)."""
        import torch

        device, state, table = self.device, self.state, self.table
        t0 = time.perf_counter()
        positions = [sl.position if sl.request >= 0 else 0 for sl in table]
        last = [sl.tokens[-1] if sl.request >= 0 else self.filler for sl in table]
        state.width = max(positions) + 1
        state.positions = torch.tensor(positions, dtype=torch.long, device=device)
        state.rows = torch.arange(len(table), device=device)
        mask = (torch.arange(state.width, device=device)[None, :] <= state.positions[:, None])[:, None, None, :]
        if self.additive_mask:  # eager attention adds its mask
            mask = torch.zeros(mask.shape, dtype=self.mask_dtype, device=device).masked_fill_(
                ~mask, torch.finfo(self.mask_dtype).min)
        logits = self.model(input_ids=torch.tensor(last, dtype=torch.long, device=device)[:, None],
                            position_ids=state.positions[:, None], attention_mask=mask,
                            cache=self.cache, use_cache=True).logits[:, -1]
        self.stats.decode_steps += 1
        adapt_threads()  # an auto thread count follows other work (a clock read between checks)
        self.stats.slot_steps += len(table)
        nxt = self.pick(logits[busy]).tolist() if len(busy) < len(table) else self.pick(logits).tolist()
        for k, t in zip(busy, nxt, strict=True):
            sl = table[k]
            sl.tokens.append(int(t))
            sl.position += 1
        self.stats.generated_tokens += len(busy)
        self.check_stops(busy)
        self.stats.decode_s += time.perf_counter() - t0

    def run(self) -> None:
        while True:
            self.admit()
            busy = [k for k, sl in enumerate(self.table) if sl.request >= 0]
            if not busy:
                if self.head >= len(self.queue):
                    break
                continue
            # when nothing waits and at most half the slots are busy, drop the idle ones
            if self.head >= len(self.queue) and len(busy) <= len(self.table) // 2:
                busy = self.shrink(busy)
            self.step(busy)
