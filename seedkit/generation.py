"""Text generation backends behind one interface.

Stages 02 (oracle), 04 (synthesis, judge), 05 (sampling), 06 (traces) and 07 (evaluation) all ask
a model for text the same way: ``generator.chat(conversations, ...)`` or
``generator.complete(prompts, ...)``, each returning ``n`` strings per input, in input order.

- :class:`TransformersGenerator`: an in-process model (any spec of :func:`seedkit.models.load_model`),
  batched, with stop strings, greedy or sampled, with a progress bar.
- :class:`OpenAIServerGenerator`: any OpenAI-compatible server (vLLM, SGLang, llama.cpp server,
  hosted APIs) through ``/v1/chat/completions`` and ``/v1/completions``, with concurrency, retries
  and timeouts.

:func:`make_generator` picks one from a string: an ``http(s)://`` URL is a server, anything else
a model spec.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Message = dict[str, str]


class GenerationError(RuntimeError):
    pass


class Generator(Protocol):
    name: str

    def chat(self, conversations: Sequence[list[Message]], *, n: int = 1, temperature: float = 0.0,
             max_new_tokens: int = 256, stop: Sequence[str] | None = None, progress: bool = True,
             desc: str = "generating") -> list[list[str]]: ...

    def complete(self, prompts: Sequence[str], *, n: int = 1, temperature: float = 0.0,
                 max_new_tokens: int = 256, stop: Sequence[str] | None = None, progress: bool = True,
                 desc: str = "generating") -> list[list[str]]: ...


def truncate_at_stop(text: str, stop: Sequence[str] | None) -> str:
    """Cut ``text`` at the earliest stop string (the stop string itself is dropped)."""
    if not stop:
        return text
    cut = len(text)
    for s in stop:
        i = text.find(s)
        if i != -1:
            cut = min(cut, i)
    return text[:cut]


def _progress(total: int, desc: str, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, disable=not enabled, leave=False)


# --------------------------------------------------------------------------- in-process


class TransformersGenerator:
    """Generation with an in-process transformers model, batched with left padding."""

    def __init__(self, model: Any, tokenizer: Any, batch_size: int = 8, name: str | None = None):
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.name = name or str(getattr(model, "_seedkit_spec", type(model).__name__))

    @classmethod
    def from_spec(cls, spec: str, batch_size: int = 8, **load_kwargs: Any) -> TransformersGenerator:
        from seedkit.models import load_model

        model, tok = load_model(spec, **load_kwargs)
        return cls(model, tok, batch_size=batch_size, name=spec)

    def render_chat(self, conversation: list[Message]) -> str:
        return self.tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)

    def chat(self, conversations: Sequence[list[Message]], **kw: Any) -> list[list[str]]:
        return self.complete([self.render_chat(c) for c in conversations], **kw)

    def complete(self, prompts: Sequence[str], *, n: int = 1, temperature: float = 0.0,
                 max_new_tokens: int = 256, stop: Sequence[str] | None = None, progress: bool = True,
                 desc: str = "generating") -> list[list[str]]:
        import torch

        tok = self.tokenizer
        old_side = tok.padding_side
        tok.padding_side = "left"
        device = next(self.model.parameters()).device
        out: list[list[str]] = []
        do_sample = temperature > 0
        if n > 1 and not do_sample:
            raise GenerationError("n > 1 needs temperature > 0 (greedy decoding gives n identical answers)")
        bar = _progress(len(prompts), desc, progress)
        try:
            for i in range(0, len(prompts), self.batch_size):
                batch = list(prompts[i:i + self.batch_size])
                enc = tok(batch, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
                kwargs: dict[str, Any] = dict(
                    max_new_tokens=max_new_tokens, do_sample=do_sample, num_return_sequences=n,
                    pad_token_id=tok.pad_token_id, eos_token_id=self._eos_ids(),
                )
                if do_sample:
                    kwargs["temperature"] = temperature
                    kwargs["top_p"] = 1.0
                    kwargs["top_k"] = 0
                if stop:
                    kwargs["stop_strings"] = list(stop)
                    kwargs["tokenizer"] = tok
                with torch.no_grad():
                    gen = self.model.generate(**enc, **kwargs)
                new = gen[:, enc["input_ids"].shape[1]:]
                texts = tok.batch_decode(new, skip_special_tokens=True)
                for j in range(len(batch)):
                    out.append([truncate_at_stop(t, stop) for t in texts[j * n:(j + 1) * n]])
                bar.update(len(batch))
        finally:
            tok.padding_side = old_side
            bar.close()
        return out

    def _eos_ids(self) -> list[int]:
        tok = self.tokenizer
        ids = {tok.eos_token_id}
        im_end = tok.convert_tokens_to_ids("<|im_end|>") if "<|im_end|>" in tok.get_vocab() else None
        if im_end is not None:
            ids.add(im_end)
        return sorted(i for i in ids if i is not None)


# --------------------------------------------------------------------------- server


@dataclass
class OpenAIServerGenerator:
    """An OpenAI-compatible HTTP server (vLLM: ``vllm serve MODEL`` then base_url=http://host:8000/v1)."""

    base_url: str
    model: str
    api_key: str | None = None
    concurrency: int = 8
    timeout_s: float = 120.0
    max_retries: int = 3
    retry_backoff_s: float = 1.0

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.api_key = self.api_key or os.environ.get("OPENAI_API_KEY")
        self.name = f"{self.model}@{self.base_url}"

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        last: Exception | None = None
        for attempt in range(self.max_retries + 1):
            try:
                r = httpx.post(self.base_url + path, json=payload, headers=headers, timeout=self.timeout_s)
                if r.status_code in (429, 500, 502, 503, 504):
                    raise GenerationError(f"server answered {r.status_code}: {r.text[:200]}")
                if r.status_code >= 400:
                    # a client error will not get better by retrying
                    raise GenerationError(f"{self.base_url}{path} answered {r.status_code}: {r.text[:300]}")
                return r.json()
            except (httpx.TransportError, GenerationError) as e:
                last = e
                if isinstance(e, GenerationError) and "answered 4" in str(e) and "429" not in str(e):
                    raise
                if attempt < self.max_retries:
                    time.sleep(self.retry_backoff_s * (2 ** attempt))
        raise GenerationError(f"{self.base_url}{path}: failed after {self.max_retries + 1} tries: {last}")

    def _run(self, payloads: list[tuple[str, dict[str, Any]]], n: int, stop: Sequence[str] | None,
             progress: bool, desc: str, chat: bool) -> list[list[str]]:
        results: list[list[str] | None] = [None] * len(payloads)
        bar = _progress(len(payloads), desc, progress)

        def one(i: int) -> None:
            path, payload = payloads[i]
            data = self._post(path, payload)
            choices = sorted(data.get("choices", []), key=lambda c: c.get("index", 0))
            texts = [(c["message"]["content"] or "") if chat else c.get("text", "") for c in choices]
            if len(texts) != n:
                raise GenerationError(f"server returned {len(texts)} choices, expected {n}")
            results[i] = [truncate_at_stop(t, stop) for t in texts]

        try:
            with cf.ThreadPoolExecutor(max_workers=max(1, self.concurrency)) as pool:
                futures = [pool.submit(one, i) for i in range(len(payloads))]
                for f in cf.as_completed(futures):
                    f.result()
                    bar.update(1)
        finally:
            bar.close()
        return [r or [] for r in results]

    def chat(self, conversations: Sequence[list[Message]], *, n: int = 1, temperature: float = 0.0,
             max_new_tokens: int = 256, stop: Sequence[str] | None = None, progress: bool = True,
             desc: str = "generating") -> list[list[str]]:
        payloads = [("/chat/completions", {
            "model": self.model, "messages": c, "n": n, "temperature": temperature,
            "max_tokens": max_new_tokens, **({"stop": list(stop)} if stop else {}),
        }) for c in conversations]
        return self._run(payloads, n, stop, progress, desc, chat=True)

    def complete(self, prompts: Sequence[str], *, n: int = 1, temperature: float = 0.0,
                 max_new_tokens: int = 256, stop: Sequence[str] | None = None, progress: bool = True,
                 desc: str = "generating") -> list[list[str]]:
        payloads = [("/completions", {
            "model": self.model, "prompt": p, "n": n, "temperature": temperature,
            "max_tokens": max_new_tokens, **({"stop": list(stop)} if stop else {}),
        }) for p in prompts]
        return self._run(payloads, n, stop, progress, desc, chat=False)


def make_generator(spec: str, *, server_model: str | None = None, batch_size: int = 8,
                   **load_kwargs: Any) -> Generator:
    """A server generator for an ``http(s)://`` URL (``server_model`` names the served model), else an
    in-process one for a model spec (``load_kwargs`` go to load_model)."""
    if spec.startswith(("http://", "https://")):
        if not server_model:
            raise GenerationError(f"{spec}: a server needs server_model (the model name it serves)")
        return OpenAIServerGenerator(base_url=spec, model=server_model)
    return TransformersGenerator.from_spec(spec, batch_size=batch_size, **load_kwargs)
