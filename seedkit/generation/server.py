"""Generation through an OpenAI-compatible HTTP server (vLLM, SGLang, llama.cpp server, hosted APIs)."""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seedkit.generation.base import GenerationError, Message, progress_bar, truncate_at_stop


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
        bar = progress_bar(len(payloads), desc, progress)

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
