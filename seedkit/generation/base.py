"""What every generator shares: the interface, its error, stop-string truncation, progress bars."""

from __future__ import annotations

from collections.abc import Sequence
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


def check_request(n: int, temperature: float, max_new_tokens: int, stop: Sequence[str] | None) -> None:
    """One-line errors for settings no generator can honour."""
    if n < 1:
        raise GenerationError(f"n={n}: ask for at least one sample per input")
    if temperature < 0:
        raise GenerationError(f"temperature={temperature}: use 0 for greedy decoding or a value > 0 to sample")
    if n > 1 and temperature == 0:
        raise GenerationError("n > 1 needs temperature > 0 (greedy decoding gives n identical answers)")
    if max_new_tokens < 1:
        raise GenerationError(f"max_new_tokens={max_new_tokens}: must be at least 1")
    if isinstance(stop, str):
        raise GenerationError(f"stop={stop!r}: pass a list of stop strings, not one string")


def progress_bar(total: int, desc: str, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, disable=not enabled, leave=False)
