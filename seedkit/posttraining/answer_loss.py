"""Teacher-forced evidence: how likely a model finds given answers, before and after training.

Sampling-based pass@1 (:mod:`seedkit.measure.effects`) says whether a model *writes* working code; the
log-probability of a known-good answer says whether training moved the model towards it, with no
generation at all (one forward pass per answer). Stage 04 reports the **held-out answer loss**:
the mean per-token negative log-likelihood of the evaluation problems' reference solutions, asked
exactly as the evaluation asks (:func:`seedkit.measure.harness.chat_messages`) and answered in one
fenced block, for the parent model and for the SFT model, paired by problem. The problems are
never trained on (decontamination keeps them out of the SFT data), so a lower loss after SFT is
generalisation, not memorisation. Stage 05 uses :func:`answer_logprobs` for DPO's implicit reward.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from seedkit.formats import FENCE_TAGS, chat_messages
from seedkit.measure.stats import bootstrap_interval, paired_difference
from seedkit.problems import Problem


def answer_logprobs(model: Any, tokenizer: Any, prompts: Sequence[str], answers: Sequence[str], *,
                    batch_size: int = 8, progress: bool = False, desc: str = "scoring answers") -> list[tuple[float, int]]:
    """(sum of the answer tokens' log-probabilities, number of answer tokens) per (prompt, answer).

    ``prompts`` are rendered text (a chat prompt ending with the assistant header); prompt and answer
    are tokenised apart and joined, so the answer's tokens are exactly its own. Sequences longer than
    the model's context are cut from the left of the prompt.
    """
    import torch
    from tqdm.auto import tqdm

    if len(prompts) != len(answers):
        raise ValueError(f"answer_logprobs: {len(prompts)} prompts but {len(answers)} answers")
    device = next(model.parameters()).device
    limit = int(getattr(getattr(model, "config", None), "max_position_embeddings", 0) or 4096)
    rows = []
    for p, a in zip(prompts, answers, strict=True):
        pi = tokenizer(p, add_special_tokens=False)["input_ids"]
        ai = tokenizer(a, add_special_tokens=False)["input_ids"]
        ai = ai[:limit - 1]
        pi = pi[-(limit - len(ai)):] if len(pi) + len(ai) > limit else pi
        rows.append((pi, ai))
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]) + len(rows[i][1]))  # little padding per batch
    out: list[tuple[float, int]] = [(0.0, 0)] * len(rows)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    was_training = model.training
    model.eval()
    try:
        for start in tqdm(range(0, len(order), batch_size), desc=desc, disable=not progress, leave=False):
            idx = order[start:start + batch_size]
            seqs = [rows[i][0] + rows[i][1] for i in idx]
            width = max(len(s) for s in seqs)
            ids = torch.tensor([s + [pad] * (width - len(s)) for s in seqs], device=device)
            mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs], device=device)
            with torch.inference_mode():
                logits = model(input_ids=ids, attention_mask=mask).logits.float()
            logp = torch.log_softmax(logits[:, :-1], dim=-1)
            target = ids[:, 1:]
            tok_lp = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1)
            for row, i in enumerate(idx):
                n_prompt, n_answer = len(rows[i][0]), len(rows[i][1])
                if n_answer == 0:
                    continue
                # position t predicts token t+1: the answer's tokens are predicted from n_prompt-1 on
                s = tok_lp[row, n_prompt - 1:n_prompt - 1 + n_answer].sum().item()
                out[i] = (float(s), n_answer)
    finally:
        model.train(was_training)
    return out


def render_chat(tokenizer: Any, conversation: list[dict[str, str]]) -> str:
    return tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)


def reference_answer(problem: Problem) -> str:
    """The reference solution as the evaluation reads a chat answer: the whole function in one fence."""

    tag = FENCE_TAGS.get(problem.language, problem.language)
    return f"```{tag}\n{problem.reference.strip()}\n```"


def answer_losses(model: Any, tokenizer: Any, problems: Sequence[Problem], *, batch_size: int = 8,
                  progress: bool = False) -> dict[str, float]:
    """task_id -> mean per-token NLL of the problem's reference answer, asked as the evaluation asks."""

    prompts = [render_chat(tokenizer, chat_messages(p)) for p in problems]
    answers = [reference_answer(p) for p in problems]
    lps = answer_logprobs(model, tokenizer, prompts, answers, batch_size=batch_size, progress=progress,
                          desc="answer loss")
    return {p.task_id: (-s / n if n else math.nan) for p, (s, n) in zip(problems, lps, strict=True)}


def loss_effect(after: dict[str, float], before: dict[str, float], child: str, parent: str,
                print_fn: Callable[[str], None] | None = print) -> dict[str, Any]:
    """Held-out answer loss before and after with 95% bootstrap intervals over problems, and the paired
    difference (after - before: negative = the trained model finds the references more likely)."""

    shared = [t for t in after if t in before and not math.isnan(after[t]) and not math.isnan(before[t])]
    a = bootstrap_interval([after[t] for t in shared])
    b = bootstrap_interval([before[t] for t in shared])
    d = paired_difference({t: after[t] for t in shared}, {t: before[t] for t in shared})
    line = (f"held-out answer loss {child} - {parent}: {d}  (nats per answer token, {d.n_problems} problems; "
            f"{child} {a.mean:.3f} [{a.lo:.3f}, {a.hi:.3f}], {parent} {b.mean:.3f} [{b.lo:.3f}, {b.hi:.3f}]; "
            "lower is better)")
    if print_fn is not None:
        print_fn(line)
    return {"metric": "mean NLL per reference-answer token", "child": child, "parent": parent,
            "after": {"mean": a.mean, "interval": [a.lo, a.hi]}, "before": {"mean": b.mean, "interval": [b.lo, b.hi]},
            "difference": d.to_dict(), "n_problems": d.n_problems, "line": line,
            "method": "per-problem mean NLL; percentile bootstrap over problems (10,000 resamples, seed 0), paired"}
