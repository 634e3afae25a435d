"""Preference accuracy on held-out pairs: does the model prefer the passing answer, before and after DPO?

DPO's implicit reward of an answer is ``beta * (log pi(answer) - log pi_ref(answer))``; TRL logs the
share of *training* pairs whose chosen answer gets the higher reward (``rewards/accuracies``). That
says the optimiser did its job, not that the model learnt something that carries over. Stage 05
therefore holds back the pairs of some prompts (``heldout_prompt_fraction``) and measures on them:

- **likelihood preference**, before and after: the share of held-out pairs for which the model gives
  the chosen answer a higher log-probability than the rejected one (summed over the answer's
  tokens, DPO's own quantity), for the stage-04 model (before) and the DPO model (after), paired
  over prompts;
- **implicit-reward accuracy**, after: the share whose implicit reward (log-ratio to the reference,
  the stage-04 model) prefers the chosen answer. Before training the policy *is* the reference and
  every reward is 0, so this starts at 0.5 (ties count half) by construction.

Intervals: 95% percentile bootstrap over held-out prompts (a prompt's pairs share their prompt and
often their chosen answer, so the prompt is the unit), the same method as :mod:`seedkit.measure.stats`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from seedkit.measure.stats import bootstrap_interval, paired_difference
from seedkit.posttraining.answer_loss import answer_logprobs, render_chat


def pair_logprobs(model: Any, tokenizer: Any, pairs: Sequence[dict[str, Any]], *,
                  batch_size: int = 8) -> list[tuple[float, float]]:
    """(log pi(chosen), log pi(rejected)) per pair, summed over the answer tokens, in the chat format
    the pairs were sampled and trained in."""

    prompts = [render_chat(tokenizer, [{"role": "user", "content": p["prompt"]}]) for p in pairs]
    chosen = answer_logprobs(model, tokenizer, prompts, [p["chosen"] for p in pairs], batch_size=batch_size)
    rejected = answer_logprobs(model, tokenizer, prompts, [p["rejected"] for p in pairs], batch_size=batch_size)
    return [(c[0], r[0]) for c, r in zip(chosen, rejected, strict=True)]


def _win(x: float) -> float:
    return 1.0 if x > 0 else (0.5 if x == 0 else 0.0)


def per_prompt(pairs: Sequence[dict[str, Any]], values: Sequence[float]) -> dict[str, float]:
    """task_id -> mean of ``values`` over that prompt's pairs."""
    sums: dict[str, list[float]] = {}
    for p, v in zip(pairs, values, strict=True):
        sums.setdefault(p["task_id"], []).append(v)
    return {t: sum(v) / len(v) for t, v in sums.items()}


def preference_effect(pairs: Sequence[dict[str, Any]], before: Sequence[tuple[float, float]],
                      after: Sequence[tuple[float, float]], *, beta: float, child: str, parent: str,
                      print_fn: Callable[[str], None] | None = print) -> dict[str, Any]:
    """The manifest's ``preference`` record from the log-probabilities of the held-out pairs under the
    parent (reference) and the DPO model."""

    if not pairs:
        line = "preference accuracy: no held-out pairs (every held-out prompt all passed or none passed)"
        if print_fn is not None:
            print_fn(line)
        return {"n_pairs": 0, "n_prompts": 0, "line": line}
    like_before = per_prompt(pairs, [_win(c - r) for c, r in before])
    like_after = per_prompt(pairs, [_win(c - r) for c, r in after])
    margins = [beta * ((ca - cb) - (ra - rb)) for (cb, rb), (ca, ra) in zip(before, after, strict=True)]
    implicit = per_prompt(pairs, [_win(m) for m in margins])
    b, a = bootstrap_interval(like_before.values()), bootstrap_interval(like_after.values())
    d = paired_difference(like_after, like_before)
    acc = bootstrap_interval(implicit.values())
    margin = bootstrap_interval(per_prompt(pairs, margins).values())
    line = (f"preference accuracy on {len(pairs)} held-out pairs from {len(like_before)} prompts: {child} - {parent}: "
            f"{d}  ({child} {a}, {parent} {b}; implicit-reward accuracy {acc}, 0.5 before by construction; "
            f"mean implicit margin {margin.mean:+.3f} [{margin.lo:+.3f}, {margin.hi:+.3f}])")
    if print_fn is not None:
        print_fn(line)
    return {
        "metric": "share of held-out pairs whose chosen answer is more likely than the rejected one",
        "n_pairs": len(pairs), "n_prompts": len(like_before), "child": child, "parent": parent,
        "before": {"mean": b.mean, "interval": [b.lo, b.hi]}, "after": {"mean": a.mean, "interval": [a.lo, a.hi]},
        "difference": d.to_dict(),
        "implicit_reward_accuracy": {"mean": acc.mean, "interval": [acc.lo, acc.hi], "before": 0.5},
        "implicit_margin": {"mean": margin.mean, "interval": [margin.lo, margin.hi]},
        "off_policy_pairs": sum(bool(p.get("off_policy")) for p in pairs), "line": line,
        "method": "per-prompt means; percentile bootstrap over held-out prompts (10,000 resamples, seed 0), paired",
    }
