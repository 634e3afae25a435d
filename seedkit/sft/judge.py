"""The LLM judge of stage 04: a difficulty rating and a correctness rating of every item (0-10 each).

The report had an LLM rate its synthetic items and dropped those rated below 3/10 in difficulty;
correctness it checked by running the tests (here: :mod:`seedkit.sft.verify`). The judge rates
both, separately, so that each rating can be checked against something objective:

- difficulty against the size of the solution (:func:`difficulty_proxy`: AST nodes, branches and
  loops); a judge whose difficulty ratings do not rise with it is not reading difficulty;
- correctness against the sandbox (stage 04 reports how well it separates items that passed
  their tests on the first try from those that did not).

Whether the ratings can be trusted is measured, not assumed (:func:`judge_signal`): the stage's
``judge_filter="auto"`` filters by rank only when the difficulty rating's correlation with the
proxy has a 95% interval above zero, and keeps every item otherwise, saying so with the numbers.

Two ways to read a rating, chosen by the judge backend:

- ``likelihood`` (an in-process model): the prompt ends with ``Rating: [[`` and the score is the
  expected value over the strings "0".."10", renormalised (stage 02's reading). Every item gets a
  score, and one forward pass per rating is far cheaper than generating an explanation.
- ``generate`` (an OpenAI-compatible server, where logits are not at hand): the judge writes its
  answer and ``Rating: [[X]]`` is parsed from it; an answer without one gives ``None``.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Sequence
from typing import Any

from seedkit.llm_filter.oracle import score_distribution
from seedkit.sft.synthesis import SFTItem, fill, load_prompts

RATING = re.compile(r"Rating:\s*\[\[\s*(\d+(?:\.\d+)?)\s*\]\]", re.IGNORECASE)
ANSWER_PREFIX = "Rating: [["
ASPECTS = ("difficulty", "correctness")


def judge_conversation(item: SFTItem, prompts: dict[str, str], aspect: str) -> list[dict[str, str]]:
    if aspect not in ASPECTS:
        raise ValueError(f"aspect: {aspect!r} is not one of {', '.join(ASPECTS)}")
    return [{"role": "user", "content": fill(prompts[f"judge_{aspect}"], instruction=item.instruction.strip(),
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
                      progress: bool = True, desc: str = "judging") -> list[float]:
    """Expected rating under the model's distribution over "0".."10" after ``Rating: [[``.

    Reuses stage 02's reading (:func:`seedkit.llm_filter.oracle.score_distribution`), which scores
    each number string as a whole: SmolLM2 writes "10" as "1","0", so reading single next tokens
    would count every "10" as a "1".
    """
    from tqdm.auto import tqdm

    out = []
    for conv in tqdm(conversations, desc=desc, disable=not progress, leave=False):
        d = score_distribution(generator.model, generator.tokenizer, generator.render_chat(conv) + ANSWER_PREFIX)
        out.append(round(d.expected, 3))
    return out


def rate(generator: Any, items: Sequence[SFTItem], aspect: str, *, prompts: dict[str, str] | None = None,
         max_new_tokens: int = 128, progress: bool = True) -> list[float | None]:
    """One 0-10 rating of ``aspect`` per item (None where a generated answer held no rating)."""
    prompts = prompts or load_prompts()
    convs = [judge_conversation(it, prompts, aspect) for it in items]
    if not convs:
        return []
    if judge_method(generator) == "likelihood":
        return list(likelihood_scores(generator, convs, progress=progress, desc=f"judging {aspect}"))
    answers = generator.chat(convs, n=1, temperature=0.0, max_new_tokens=max_new_tokens, progress=progress,
                             desc=f"judging {aspect}")
    return [parse_rating(a[0] if a else "") for a in answers]


def judge_items(generator: Any, items: Sequence[SFTItem], *, prompts: dict[str, str] | None = None,
                max_new_tokens: int = 128, progress: bool = True) -> str:
    """Set ``difficulty`` and ``judge_score`` (correctness) on every item; returns the method used."""
    diff = rate(generator, items, "difficulty", prompts=prompts, max_new_tokens=max_new_tokens, progress=progress)
    corr = rate(generator, items, "correctness", prompts=prompts, max_new_tokens=max_new_tokens, progress=progress)
    for it, d, c in zip(items, diff, corr, strict=True):
        it.difficulty, it.judge_score = d, c
    return judge_method(generator)


# --------------------------------------------------------------------------- is the judge reading anything?


def difficulty_proxy(solution: str) -> float:
    """An objective stand-in for difficulty: AST nodes of the solution plus 5 per branch or loop.

    Crude (a long solution is not always a hard task), but it is what a judge that reads difficulty
    at all should agree with more often than not; a rating that does not rise with it is noise.
    """
    try:
        tree = ast.parse(solution)
    except (SyntaxError, ValueError):
        return float(len(solution.split()))
    nodes = list(ast.walk(tree))
    control = sum(isinstance(n, ast.If | ast.For | ast.While | ast.Try | ast.comprehension | ast.IfExp) for n in nodes)
    return float(len(nodes) + 5 * control)


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (ties get their average rank); NaN when either side is constant."""
    from scipy.stats import spearmanr

    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan
    return float(spearmanr(x, y).statistic)


def correlation_interval(x: Sequence[float], y: Sequence[float], *, resamples: int = 2000,
                         seed: int = 0) -> tuple[float, float, float]:
    """(rho, lo, hi): Spearman's rho and its 95% percentile-bootstrap interval over items (pairs
    resampled together; resamples where one side is constant are left out)."""
    import numpy as np

    rho = spearman(x, y)
    if math.isnan(rho):
        return rho, math.nan, math.nan
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(resamples):
        idx = rng.integers(0, len(xa), len(xa))
        r = spearman(xa[idx].tolist(), ya[idx].tolist())
        if not math.isnan(r):
            vals.append(r)
    if len(vals) < resamples // 2:
        return rho, math.nan, math.nan
    lo, hi = np.quantile(vals, [0.025, 0.975])
    return rho, float(lo), float(hi)


def judge_signal(ratings: Sequence[float | None], proxies: Sequence[float]) -> dict[str, Any]:
    """Does a rating carry signal? Spearman's rho with the proxy, its 95% interval, the spread of the
    ratings; ``has_signal`` when the interval lies above zero."""
    pairs = [(r, p) for r, p in zip(ratings, proxies, strict=True) if r is not None]
    if len(pairs) < 5:
        return {"n": len(pairs), "rho": None, "interval": None, "has_signal": False,
                "why": f"only {len(pairs)} rated item(s): too few to tell"}
    rs, ps = [r for r, _ in pairs], [p for _, p in pairs]
    rho, lo, hi = correlation_interval(rs, ps)
    spread = (min(rs), max(rs))
    has = not math.isnan(lo) and lo > 0
    if math.isnan(rho):
        why = f"the ratings do not vary ({spread[0]:.2f}-{spread[1]:.2f})"
    else:
        why = (f"Spearman rho {rho:+.2f} [{lo:+.2f}, {hi:+.2f}] between difficulty rating and solution size on "
               f"{len(pairs)} items; ratings span {spread[0]:.2f}-{spread[1]:.2f}")
    return {"n": len(pairs), "rho": None if math.isnan(rho) else rho,
            "interval": None if math.isnan(lo) else [lo, hi], "rating_min": spread[0], "rating_max": spread[1],
            "has_signal": has, "why": why}


def separation(ratings: Sequence[float | None], outcomes: Sequence[bool]) -> dict[str, Any]:
    """How well a correctness rating separates passing items from failing ones: the AUC (probability
    that a random passing item is rated above a random failing one; 0.5 = no signal) with a 95%
    bootstrap interval."""
    import numpy as np

    pairs = [(r, o) for r, o in zip(ratings, outcomes, strict=True) if r is not None]
    pos = [r for r, o in pairs if o]
    neg = [r for r, o in pairs if not o]
    if not pos or not neg:
        return {"n_passed": len(pos), "n_failed": len(neg), "auc": None, "interval": None,
                "why": "needs both passing and failing items"}

    def auc(p: Any, n: Any) -> float:
        p, n = np.asarray(p)[:, None], np.asarray(n)[None, :]
        return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))

    value = auc(pos, neg)
    rng = np.random.default_rng(0)
    boot = [auc(rng.choice(pos, len(pos)), rng.choice(neg, len(neg))) for _ in range(2000)]
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return {"n_passed": len(pos), "n_failed": len(neg), "auc": value, "interval": [float(lo), float(hi)],
            "why": f"AUC {value:.2f} [{lo:.2f}, {hi:.2f}] for passing ({len(pos)}) vs failing ({len(neg)}) items "
                   "(0.5 = the rating says nothing about correctness)"}


def decide_filter(rule: str, signal: dict[str, Any], min_difficulty: float,
                  drop_bottom_fraction: float) -> tuple[str, str]:
    """(the rule applied: threshold | rank | off, why) for the ``judge_filter`` setting."""
    if rule == "threshold":
        return "threshold", f"judge_filter=threshold: drop difficulty < {min_difficulty:g}/10, the report's rule"
    if rule == "rank":
        return "rank", f"judge_filter=rank: drop the {drop_bottom_fraction:.0%} rated least difficult"
    if rule == "off":
        return "off", "judge_filter=off: ratings recorded, nothing dropped"
    if signal.get("has_signal"):
        return "rank", (f"judge_filter=auto: the difficulty ratings carry signal ({signal['why']}), but not on "
                        f"the report's scale, so the {drop_bottom_fraction:.0%} rated least difficult are dropped")
    return "off", (f"judge_filter=auto: the difficulty ratings carry no measurable signal ({signal['why']}), so "
                   "filtering on them would drop items at random: nothing dropped")
