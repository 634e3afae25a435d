"""The LLM judge of stage 04: a 0-10 rating of each item's correctness and worth.

The report had an LLM rate every synthetic item and dropped those below 3/10. Two ways to read a
rating, chosen by the judge backend:

- ``likelihood`` (an in-process model): the prompt ends with ``Rating: [[`` and the score is the
  expected value over the strings "0".."10", renormalised (stage 02's reading). Every item gets a
  score (even from a tiny random model), and one forward pass per item is far cheaper than
  generating an explanation.
- ``generate`` (an OpenAI-compatible server, where logits are not at hand): the judge writes its
  answer and ``Rating: [[X]]`` is parsed from it; an answer without one gives ``None``.

Stage 02's oracle reads scores the same two ways; the likelihood reading is its function, the
prompt (``seedkit/prompts/sft_prompts.yaml``, key ``judge``) is this stage's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from seedkit.sft.synthesis import SFTItem, fill, load_prompts

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


def likelihood_scores(generator: Any, conversations: Sequence[list[dict[str, str]]],
                      progress: bool = True) -> list[float]:
    """Expected rating under the model's distribution over "0".."10" after ``Rating: [[``.

    Reuses stage 02's reading (:func:`seedkit.llm_filter.oracle.score_distribution`), which scores
    each number string as a whole: SmolLM2 writes "10" as "1","0", so reading single next tokens
    would count every "10" as a "1".
    """
    from tqdm.auto import tqdm

    from seedkit.llm_filter.oracle import score_distribution

    out = []
    for conv in tqdm(conversations, desc="judging", disable=not progress, leave=False):
        d = score_distribution(generator.model, generator.tokenizer, generator.render_chat(conv) + ANSWER_PREFIX)
        out.append(round(d.expected, 3))
    return out


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
