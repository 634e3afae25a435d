"""The LLM judge of stage 04: a 0-10 rating of each item's correctness and worth.

The report had an LLM rate every synthetic item and dropped those below 3/10. Two ways to read a
rating, chosen by the judge backend:

- ``likelihood`` (an in-process model): the prompt ends with ``Rating: [[`` and the score is the
  expected value of the next token over the digits 0-10, renormalised. Every item gets a score
  (even from a tiny random model, which then rates about 4.5 on average), and one forward pass
  per item is far cheaper than generating an explanation.
- ``generate`` (an OpenAI-compatible server, where logits are not at hand): the judge writes its
  answer and ``Rating: [[X]]`` is parsed from it; an answer without one gives ``None``.

Stage 02's oracle reads scores the same two ways; this module keeps the SFT prompt and parsing
separate so that changing one stage's judge does not silently change the other's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from seedkit.posttrain.synthesis import SFTItem, fill, load_prompts

RATING = re.compile(r"Rating:\s*\[\[\s*(\d+(?:\.\d+)?)\s*\]\]", re.IGNORECASE)
ANSWER_PREFIX = "Rating: [["


def judge_conversation(item: SFTItem, prompts: dict[str, str]) -> list[dict[str, str]]:
    return [{"role": "user", "content": fill(prompts["judge"], instruction=item.instruction.strip(),
                                             solution=item.solution.strip())}]


def parse_rating(text: str) -> float | None:
    """``Rating: [[X]]`` -> X clipped to 0-10; None when absent."""
    m = RATING.findall(text)
    if not m:
        return None
    return max(0.0, min(10.0, float(m[-1])))


def judge_method(generator: Any) -> str:
    return "likelihood" if hasattr(generator, "model") and hasattr(generator, "tokenizer") else "generate"


def _digit_token_ids(tokenizer: Any) -> dict[int, int]:
    """score -> token id, for scores whose text is a single token (0-9 always; 10 when the vocab has it)."""
    out: dict[int, int] = {}
    for d in range(11):
        ids = tokenizer.encode(str(d), add_special_tokens=False)
        if len(ids) == 1:
            out[d] = ids[0]
    return out


def likelihood_scores(generator: Any, conversations: Sequence[list[dict[str, str]]], batch_size: int = 8,
                      progress: bool = True) -> list[float]:
    """Expected rating under the model's next-token distribution after ``Rating: [[``."""
    import torch
    from tqdm.auto import tqdm

    tok, model = generator.tokenizer, generator.model
    digits = _digit_token_ids(tok)
    scores_t = torch.tensor(list(digits.keys()), dtype=torch.float32)
    ids_t = torch.tensor(list(digits.values()))
    texts = [generator.render_chat(c) + ANSWER_PREFIX for c in conversations]
    old = tok.padding_side
    tok.padding_side = "left"
    device = next(model.parameters()).device
    out: list[float] = []
    try:
        for i in tqdm(range(0, len(texts), batch_size), desc="judging", disable=not progress, leave=False):
            enc = tok(texts[i:i + batch_size], return_tensors="pt", padding=True, add_special_tokens=False).to(device)
            with torch.no_grad():
                logits = model(**enc).logits[:, -1, :].float().cpu()
            probs = torch.softmax(logits[:, ids_t], dim=-1)
            out.extend((probs * scores_t).sum(-1).tolist())
    finally:
        tok.padding_side = old
    return [round(s, 3) for s in out]


def judge_items(generator: Any, items: Sequence[SFTItem], *, prompts: dict[str, str] | None = None,
                max_new_tokens: int = 128, progress: bool = True) -> str:
    """Set ``judge_score`` on every item; returns the method used."""
    prompts = prompts or load_prompts()
    convs = [judge_conversation(it, prompts) for it in items]
    method = judge_method(generator)
    if not convs:
        return method
    if method == "likelihood":
        scores: list[float | None] = list(likelihood_scores(generator, convs, progress=progress))
    else:
        answers = generator.chat(convs, n=1, temperature=0.0, max_new_tokens=max_new_tokens,
                                 progress=progress, desc="judging")
        scores = [parse_rating(a[0] if a else "") for a in answers]
    for it, s in zip(items, scores, strict=True):
        it.judge_score = s
    return method
