"""Stop strings for the slot engine: per-sequence detection on the decoded tail of generated tokens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class StopWatch:
    """Per-sequence stop-string detection on the decoded tail of the generated tokens.

    A stop string is found when it appears in the text of the last ``window`` tokens; checked after
    every token, so it is found the step it completes. One batched detokenisation per step.
    ``per_prompt`` (one list or None per prompt) gives some prompts stop strings of their own instead
    of ``stop``, so that requests with different stops still decode together.
    """

    def __init__(self, tokenizer: Any, stop: Sequence[str] | None,
                 per_prompt: Sequence[Sequence[str] | None] | None = None) -> None:
        self.tokenizer = tokenizer
        self.stop = [s for s in (stop or []) if s]
        self.per_prompt = ([self.stop if own is None else [s for s in own if s] for own in per_prompt]
                           if per_prompt is not None else None)
        every = [s for own in (self.per_prompt or [self.stop]) for s in own]
        longest = max((len(s) for s in every), default=0)
        self.any = bool(every)
        self.window = longest + 8  # tokens: every token decodes to at least one character but special ones

    def stops_for(self, prompt: int) -> list[str]:
        return self.per_prompt[prompt] if self.per_prompt is not None else self.stop

    def hits(self, token_lists: Sequence[list[int]], prompts: Sequence[int] | None = None) -> list[bool]:
        if not self.any or not token_lists:
            return [False] * len(token_lists)
        tails = self.tokenizer.batch_decode([t[-self.window:] for t in token_lists], skip_special_tokens=True)
        if prompts is None:
            return [any(s in text for s in self.stop) for text in tails]
        return [any(s in text for s in self.stops_for(i)) for text, i in zip(tails, prompts, strict=True)]
