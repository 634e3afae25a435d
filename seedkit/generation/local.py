"""Generation with an in-process transformers model (any spec of :func:`seedkit.models.load_model`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from seedkit.generation.base import GenerationError, Message, check_request, progress_bar, truncate_at_stop
from seedkit.generation.engine import DecodeStats, EngineUnsupported, check_supported, decode
from seedkit.generation.stops import StopWatch
from seedkit.models import load_model

ENGINES = ("auto", "slots", "generate")

# Sequences decoding together when the caller does not say (batch_size=None), by device. On the
# CPU a decode step costs a fixed part (weights read, per-layer overhead: about 90 ms for SmolLM2 on
# two threads) plus matrix products per row; float32 products are slow enough that 64, 130 or 235
# rows took the same time on the evaluation's 48 x 5 workload (47, 45, 46 s), while in bfloat16 the
# fixed part dominates and 130 rows took 30-31 s against 34-36 s at 64 (docs/environment.md,
# "Generation speed"). On a GPU the products stay cheap far longer.
AUTO_SLOTS = {"cpu": 128, "cuda": 256}
# The preallocated key/value cache may take at most this many bytes; fewer slots otherwise.
KV_CACHE_BUDGET = {"cpu": 2 * 2**30, "cuda": 8 * 2**30}


def kv_bytes_per_token(model: Any) -> int:
    """Bytes of keys and values one token occupies across all layers."""
    import torch

    cfg = model.config
    heads = getattr(cfg, "num_key_value_heads", None) or cfg.num_attention_heads
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    dtype = next((p.dtype for p in model.parameters() if p.dtype.is_floating_point), torch.float32)
    return 2 * cfg.num_hidden_layers * heads * head_dim * torch.finfo(dtype).bits // 8


def auto_slots(model: Any, longest_prompt: int, sequences: int, max_new_tokens: int) -> tuple[int, str]:
    """How many sequences to decode together when the caller does not say: (slots, why)."""
    dev = next(model.parameters()).device.type
    want = AUTO_SLOTS.get(dev, AUTO_SLOTS["cpu"])
    per_seq = kv_bytes_per_token(model) * (longest_prompt + max_new_tokens)
    budget = KV_CACHE_BUDGET.get(dev, KV_CACHE_BUDGET["cpu"])
    fit = max(1, budget // per_seq)
    slots = max(1, min(sequences, want, fit))
    why = f"auto: up to {want} on {dev}"
    if fit < want:
        why += f", {fit} fit the {budget / 2**30:.0f} GiB cache budget at {per_seq / 2**20:.1f} MiB a sequence"
    if sequences < min(want, fit):
        why += f", {sequences} sequence(s) asked for"
    return slots, why


def generate_token_ids(model: Any, prompt_ids: Sequence[Sequence[int]], *, max_new_tokens: int,
                       eos_token_ids: Sequence[int], temperature: float = 0.0, slots: int | None = None,
                       seed: int | None = None, keep_eos: bool = True) -> list[list[int]]:
    """One completion (token ids) per row of ``prompt_ids`` through the slot engine, with the model's
    current weights; rows that repeat the row before them (GRPO's groups) share one prefill.

    For trainers that hand over token ids and take token ids back (TRL's GRPO rollouts): the
    end-of-sequence token is kept by default, as such trainers train on it. Raises
    :class:`~seedkit.generation.engine.EngineUnsupported` for a model the engine does not support.
    """
    import torch

    check_supported(model)
    check_request(1, temperature, max_new_tokens, None)
    if not prompt_ids:
        return []
    groups: list[list[int]] = []
    counts: list[int] = []
    for row in prompt_ids:
        row = [int(t) for t in row]
        if groups and row == groups[-1]:
            counts[-1] += 1
        else:
            groups.append(row)
            counts.append(1)
    if slots is None:
        slots, _ = auto_slots(model, max(len(g) for g in groups), len(prompt_ids), max_new_tokens)
    gen = None
    if temperature > 0:
        seed = seed if seed is not None else int(torch.randint(0, 2**62, (1,)).item())
        gen = torch.Generator(device=next(model.parameters()).device).manual_seed(seed)
    with eval_mode(model):
        out = decode(model, groups, n=counts, max_new_tokens=max_new_tokens, eos_token_ids=eos_token_ids,
                     slots=slots, temperature=temperature, generator=gen, keep_eos=keep_eos)
    return [ids for samples in out for ids in samples]


@contextlib.contextmanager
def eval_mode(model: Any) -> Iterator[None]:
    """Dropout off while generating (a model mid-training is in train mode), restored after."""
    was = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was)


class TransformersGenerator:
    """Generation with an in-process transformers model.

    ``engine``: ``"slots"`` is the kit's slot-batching engine (:mod:`seedkit.generation.engine`);
    ``"generate"`` is ``model.generate`` on batches of ``batch_size`` prompts with left padding;
    ``"auto"`` (default) takes the slot engine when the model is one it supports and says why not
    otherwise. ``batch_size`` counts prompts, each carrying its ``n`` samples, as
    ``model.generate`` does (``batch_size x n`` sequences decode together); ``None`` lets the
    generator choose how many sequences decode together, printed once with the reason.
    ``seed`` makes sampling reproducible (a call's own ``seed`` wins; without either, the seed is
    drawn from torch's global generator, so ``torch.manual_seed`` upstream also fixes it).
    """

    supports_prompt_stops = True  # complete()/chat() take prompt_stops

    def __init__(self, model: Any, tokenizer: Any, batch_size: int | None = None, name: str | None = None,
                 engine: str = "auto", seed: int | None = None, verbose: bool = True):
        if engine not in ENGINES:
            raise GenerationError(f"engine={engine!r}: choose one of {', '.join(ENGINES)}")
        if batch_size is not None and batch_size < 1:
            raise GenerationError(f"batch_size={batch_size}: must be at least 1 (or None to let the generator choose)")
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.engine = engine
        self.seed = seed
        self.verbose = verbose
        self.name = name or str(getattr(model, "_seedkit_spec", type(model).__name__))
        self.last_stats = DecodeStats()
        self._said: set[str] = set()

    @classmethod
    def from_spec(cls, spec: str, batch_size: int | None = None, **load_kwargs: Any) -> TransformersGenerator:

        model, tok = load_model(spec, **load_kwargs)
        return cls(model, tok, batch_size=batch_size, name=spec)

    def render_chat(self, conversation: list[Message]) -> str:
        return self.tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)

    def chat(self, conversations: Sequence[list[Message]], **kw: Any) -> list[list[str]]:
        return self.complete([self.render_chat(c) for c in conversations], **kw)

    # ------------------------------------------------------------------ choices

    def _say(self, line: str) -> None:
        if self.verbose and line not in self._said:
            self._said.add(line)
            print(line, flush=True)

    def choose_engine(self) -> tuple[str, str]:
        """(engine, why)."""
        if self.engine == "generate":
            return "generate", "asked for (engine='generate')"
        try:
            check_supported(self.model)
        except EngineUnsupported as e:
            if self.engine == "slots":
                raise GenerationError(f"engine='slots' cannot run this model: {e}; use engine='auto' or 'generate'") from e
            return "generate", f"the slot engine does not support this model: {e}"
        if self.engine == "slots":
            return "slots", "asked for (engine='slots')"
        return "slots", "the model is one the slot engine supports (exact, faster on many sequences)"

    def choose_slots(self, prompt_lengths: Sequence[int], n: int, max_new_tokens: int) -> tuple[int, str]:
        """(sequences decoding together, why)."""
        if self.batch_size is not None:
            return min(len(prompt_lengths) * n, self.batch_size * n), f"batch_size={self.batch_size} prompt(s) x n={n}"
        return auto_slots(self.model, max(prompt_lengths), len(prompt_lengths) * n, max_new_tokens)

    def _device(self) -> Any:
        return next(self.model.parameters()).device

    def _eos_ids(self) -> list[int]:
        tok = self.tokenizer
        ids = {tok.eos_token_id}
        im_end = tok.convert_tokens_to_ids("<|im_end|>") if "<|im_end|>" in tok.get_vocab() else None
        if im_end is not None:
            ids.add(im_end)
        return sorted(i for i in ids if i is not None)

    def _seed(self, seed: int | None) -> int:
        """The call's seed, else the generator's, else one drawn from torch's global generator."""
        import torch

        if seed is not None:
            return seed
        if self.seed is not None:
            return self.seed
        return int(torch.randint(0, 2**62, (1,)).item())

    # ------------------------------------------------------------------ generation

    def complete(self, prompts: Sequence[str], *, n: int = 1, temperature: float = 0.0,
                 max_new_tokens: int = 256, stop: Sequence[str] | None = None, progress: bool = True,
                 desc: str = "generating", seed: int | None = None,
                 prompt_stops: Sequence[Sequence[str] | None] | None = None) -> list[list[str]]:
        """``n`` continuations of every prompt. ``prompt_stops``: one list of stop strings per prompt
        (None = ``stop``), so that prompts with different stops decode in one call (more sequences share
        each step); honoured by this generator only."""
        check_request(n, temperature, max_new_tokens, stop)
        if not prompts:
            return []
        if prompt_stops is not None:
            if len(prompt_stops) != len(prompts):
                raise GenerationError(f"prompt_stops: one entry per prompt ({len(prompts)}), got {len(prompt_stops)}")
            for own in prompt_stops:
                check_request(n, temperature, max_new_tokens, own)
        engine, why = self.choose_engine()
        self._say(f"[generation] {self.name}: engine={engine} ({why})")
        if engine == "generate":
            if prompt_stops is not None:  # model.generate takes one stop list per call: one call per list
                groups: dict[tuple[str, ...], list[int]] = {}
                for i, own in enumerate(prompt_stops):
                    groups.setdefault(tuple(stop or []) if own is None else tuple(own), []).append(i)
                out: list[list[str]] = [[] for _ in prompts]
                for key, idx in groups.items():
                    got = self._complete_generate([prompts[i] for i in idx], n=n, temperature=temperature,
                                                  max_new_tokens=max_new_tokens, stop=list(key) or None,
                                                  progress=progress, desc=desc, seed=seed)
                    for i, g in zip(idx, got, strict=True):
                        out[i] = g
                return out
            return self._complete_generate(prompts, n=n, temperature=temperature, max_new_tokens=max_new_tokens,
                                           stop=stop, progress=progress, desc=desc, seed=seed)
        tok = self.tokenizer
        ids = [tok(p, add_special_tokens=False)["input_ids"] for p in prompts]
        empty = [i for i, x in enumerate(ids) if not x]
        if empty:
            raise GenerationError(f"prompt {empty[0]} is empty: every prompt needs at least one token")
        slots, why = self.choose_slots([len(x) for x in ids], n, max_new_tokens)
        self._say(f"[generation] {self.name}: {slots} sequences decode together ({why})")
        gen = None
        if temperature > 0:
            import torch

            gen = torch.Generator(device=self._device()).manual_seed(self._seed(seed))
        stats = DecodeStats()
        bar = progress_bar(len(prompts), desc, progress)
        watch = StopWatch(tok, stop, prompt_stops)
        try:
            with eval_mode(self.model):
                token_ids = decode(self.model, ids, n=n, max_new_tokens=max_new_tokens,
                                   eos_token_ids=self._eos_ids(), slots=slots, temperature=temperature,
                                   stop_watch=watch if watch.any else None, generator=gen,
                                   on_prompt_done=lambda _i: bar.update(1), stats=stats)
        finally:
            bar.close()
        self.last_stats = stats
        return [[truncate_at_stop(t, watch.stops_for(i)) for t in tok.batch_decode(samples, skip_special_tokens=True)]
                for i, samples in enumerate(token_ids)]

    def _complete_generate(self, prompts: Sequence[str], *, n: int, temperature: float, max_new_tokens: int,
                           stop: Sequence[str] | None, progress: bool, desc: str,
                           seed: int | None) -> list[list[str]]:
        """``model.generate`` on batches of ``batch_size`` prompts with left padding."""
        import torch

        tok = self.tokenizer
        batch_size = self.batch_size or 8
        old_side = tok.padding_side
        tok.padding_side = "left"
        device = self._device()
        out: list[list[str]] = []
        do_sample = temperature > 0
        bar = progress_bar(len(prompts), desc, progress)
        rng = torch.random.fork_rng(devices=[device] if device.type == "cuda" else []) if do_sample else None
        try:
            if rng is not None:
                chosen = self._seed(seed)
                rng.__enter__()
                torch.manual_seed(chosen)
            with eval_mode(self.model):
                for i in range(0, len(prompts), batch_size):
                    batch = list(prompts[i:i + batch_size])
                    enc = tok(batch, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
                    kwargs: dict[str, Any] = dict(
                        max_new_tokens=max_new_tokens, do_sample=do_sample, num_return_sequences=n,
                        pad_token_id=tok.pad_token_id, eos_token_id=self._eos_ids(),
                    )
                    if do_sample:
                        kwargs.update(temperature=temperature, top_p=1.0, top_k=0)
                    if stop:
                        kwargs.update(stop_strings=list(stop), tokenizer=tok)
                    with torch.no_grad():
                        gen = self.model.generate(**enc, **kwargs)
                    new = gen[:, enc["input_ids"].shape[1]:]
                    texts = tok.batch_decode(new, skip_special_tokens=True)
                    for j in range(len(batch)):
                        out.append([truncate_at_stop(t, stop) for t in texts[j * n:(j + 1) * n]])
                    bar.update(len(batch))
        finally:
            if rng is not None:
                rng.__exit__(None, None, None)
            tok.padding_side = old_side
            bar.close()
        return out
