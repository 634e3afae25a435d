"""What continued pretraining does to the parent's chat ability, and the instruction data that keeps it.

Stage 03 continues an *instruct* model (smol: the packaged SmolLM2-135M-Instruct) on raw code. Raw code
is not what the model was last tuned on, so the chat ability stages 04-06 build on can erode. Two
things here:

- **The measurement** (:func:`probe_problems`, :func:`chat_losses`, :func:`chat_change`): the mean
  per-token loss of the reference answers of problems the kit never trains on (``chat_probe_set``,
  default the 51 held-out problems), asked exactly as the evaluation asks a chat model
  (:func:`seedkit.posttraining.answer_loss.answer_losses`), for the parent and for stage 03's model,
  paired by problem with a bootstrap interval over problems. It needs no generation (one forward pass
  per problem, seconds on smol), so it is measured on every run; pass@1 in the chat format on the
  evidence problems is the stage's ``effect`` beside it.
- **Replay of instruction data** (:func:`chat_documents`): a share (``chat_weight``) of each stage's
  tokens drawn from instruction/answer pairs in the chat template, the kit's verified training problems
  (``data_samples/problems/generated.jsonl``, decontaminated against every evaluation set by execution)
  unless the settings name another file. Mixing some of the data a model was last tuned on back into
  continued training is the usual way to keep what it had (rehearsal); ``docs/pretraining.md`` has the
  measurement that chose smol's share against a lower rate and LoRA.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.formats import chat_messages
from seedkit.measure.evidence import spread_subset
from seedkit.posttraining.answer_loss import answer_losses, loss_effect, reference_answer
from seedkit.problems import PROBLEMS_DIR, Problem, load_problem_set

GENERATED = "generated"  # the name of the kit's verified training problems as a chat_data source


def chat_data_path(name: str) -> str:
    """The problems file behind ``chat_data``: 'generated' (the kit's) or a JSONL path in the kit's format."""
    if name == GENERATED:
        return str(PROBLEMS_DIR / "generated.jsonl")
    if not Path(name).exists():
        raise SettingsError(f"chat_data: {name!r} is neither 'generated' nor an existing JSONL file of problems")
    return name


def probe_problems(probe_set: str, limit: int = 0) -> list[Problem]:
    """The problems chat ability is measured on: ``limit`` of them spread over the set's languages and
    order (:func:`seedkit.measure.evidence.spread_subset`; 0 = all)."""
    try:
        probs = load_problem_set(probe_set)
    except (FileNotFoundError, ValueError) as e:
        raise SettingsError(f"chat_probe_set: {e}") from None
    return spread_subset(probs, limit)


def _identity(p: Problem) -> set[str]:
    return {p.entry_point.strip().lower(), " ".join(p.instruction.lower().split())}


def chat_documents(data: str, tokenizer: Any, probe: list[Problem], rng: random.Random,
                   max_items: int = 0) -> list[list[int]]:
    """Token ids of instruction/answer conversations in the tokenizer's chat template: the user turn is
    what the evaluation asks (:func:`seedkit.formats.chat_messages`), the assistant turn the reference
    in one fence. Items that share a function name or an instruction with a probe problem are left out
    (the measurement must stay on problems no stage trains on). ``max_items`` (0 = all) caps how many
    are rendered, drawn with ``rng``."""

    items = load_problem_set(chat_data_path(data))
    seen = set().union(*(_identity(p) for p in probe)) if probe else set()
    items = [p for p in items if not (_identity(p) & seen)]
    if max_items and len(items) > max_items:
        items = rng.sample(items, max_items)
    texts = [tokenizer.apply_chat_template(chat_messages(p) + [{"role": "assistant", "content": reference_answer(p)}],
                                           tokenize=False) for p in items]
    # the template's own control tokens are parsed as such; the texts are the kit's problems, not files
    return tokenizer(texts, add_special_tokens=False)["input_ids"] if texts else []


def chat_losses(model: Any, tokenizer: Any, problems: list[Problem], batch_size: int = 8) -> dict[str, float]:
    """task_id -> mean NLL per reference-answer token, asked in the chat format."""
    return answer_losses(model, tokenizer, problems, batch_size=batch_size)


def chat_change(after: dict[str, float], before: dict[str, float], child: str,
                say: Callable[[str], None] | None = print) -> dict[str, Any]:
    """The paired change of the chat answer loss, child - parent, with its interval over problems
    (negative = the child finds the reference answers more likely than the parent did)."""
    if not after or not before:
        return {}
    out = loss_effect(after, before, child, "parent", print_fn=None)
    d, a, b = out["difference"], out["after"], out["before"]
    verdict = ("kept (no change resolved)" if d["lo"] <= 0 <= d["hi"] else
               "improved" if d["hi"] < 0 else "eroded")
    out["verdict"] = verdict
    out["line"] = (f"chat answer loss {child} - parent {d['mean']:+.3f} [{d['lo']:+.3f}, {d['hi']:+.3f}] nats/token "
                   f"over {d['n_problems']} problems ({child} {a['mean']:.3f}, parent {b['mean']:.3f}; lower is "
                   f"better) -> {verdict}")
    if say is not None:
        say(f"[03_pretraining] chat ability: {out['line']}")
    return out
