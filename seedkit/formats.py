"""How the kit asks a model for code and reads its answer: one module for every prompt format.

Three formats, each the one a kind of model was trained in (:func:`choose_prompt_format` picks):

- ``completion``: a base model continues the problem's prompt; :data:`STOP_SEQUENCES` end the function.
- ``chat``: an instruction-tuned model gets one user turn (:func:`chat_messages`) and answers with the
  whole function in one code block (:func:`answer_text` is that answer, as SFT teaches it).
- ``reasoning``: stage 06's models get :data:`REASONING_TEMPLATE` and answer
  ``<think>...</think>`` then one code block (:func:`parse_trace` splits such an answer).

Stage 04 trains in the chat format, stage 06 in the reasoning format, and every measurement asks each
model in its own format, so what a stage teaches and what the evaluation asks are the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from seedkit.problems import Problem
from seedkit.tokens import is_kit_template

PROMPT_FORMATS = ("auto", "completion", "chat", "reasoning")


# Stop sequences for base-style completion: a new top-level statement ends the function
# (the Codex paper's list for Python; MultiPL-E's for JavaScript), and so does a code fence (an
# instruct model continuing a prompt often closes the code block it thinks it is in, then explains).
STOP_SEQUENCES: dict[str, list[str]] = {
    "python": ["\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#", "\nassert ", "```"],
    "javascript": ["\nfunction ", "\n/*", "\n//", "\nconsole.log", "\nmodule.exports", "```"],
}


LANGUAGE_NAMES = {"python": "Python", "javascript": "JavaScript"}


FENCE_TAGS = {"python": "python", "javascript": "javascript"}


def choose_prompt_format(model_name: str, requested: str = "auto", tokenizer: Any = None) -> tuple[str, str]:
    """(format, reason): ``completion`` for base models, ``chat`` for instruction-tuned ones,
    ``reasoning`` for stage 06's models (each model is asked the way it was trained).

    ``auto`` decides from what the model is: the kit's pretraining stage (03) makes a base model;
    its SFT/DPO stages (04, 05) make chat models; stage 06 (warm-up and RL) makes a reasoning model
    that thinks inside ``<think>...</think>`` before one code block; names with instruct/chat/it are chat models;
    a server is asked through chat; other models are chat only when their tokenizer ships a chat
    template of its own (the kit adds a ChatML template to tokenizers without one, so a template
    that is exactly the kit's says nothing about the model).
    """
    if requested not in PROMPT_FORMATS:
        raise ValueError(f"prompt_format: {requested!r} is not one of {', '.join(PROMPT_FORMATS)}")
    if requested != "auto":
        return requested, "set by you"
    name = model_name.lower()
    if "03_pretraining" in name:
        return "completion", "auto: stage 03 makes a base model, which continues the prompt"
    if "06_longcot_rl" in name:
        return "reasoning", ("auto: stage 06 trains a reasoning model (its user turn, <think>...</think>, then one "
                             "code block)")
    if any(s in name for s in ("04_sft", "05_dpo")):
        return "chat", "auto: stages 04 and 05 make a chat model"
    if name.startswith(("http://", "https://")) or "@http" in name:
        return "chat", "auto: a server is asked through its chat endpoint"
    if re.search(r"(instruct|chat|(^|[-_/])it($|[-_/]))", name):
        return "chat", "auto: the model name says it is instruction-tuned"
    template = getattr(tokenizer, "chat_template", None) if tokenizer is not None else None
    if template:

        if not is_kit_template(template):
            return "chat", "auto: the tokenizer ships its own chat template"
    return "completion", "auto: no sign of instruction tuning, so a base model continuing the prompt"


def chat_messages(problem: Problem) -> list[dict[str, str]]:
    """The chat request for a problem: the instruction, then the prompt to complete in a fence."""
    lang = LANGUAGE_NAMES.get(problem.language, problem.language)
    tag = FENCE_TAGS.get(problem.language, problem.language)
    text = (
        f"{problem.instruction}\n\n"
        f"Complete the following {lang} function. Answer with the whole function in one "
        f"```{tag} code block.\n\n```{tag}\n{problem.prompt.rstrip()}\n```"
    )
    return [{"role": "user", "content": text}]


CODE_FENCE_STOP = "\n```"


# Stage 06's own stop for its traces: the closing fence of the final block.
REASONING_STOP = "\n```\n"


def reasoning_messages_for(problem: Problem) -> list[dict[str, str]]:
    """Stage 06's user turn for a problem (:func:`seedkit.longcot_rl.traces.reasoning_messages`); for a
    language other than Python its code fences name that language (stage 06 trains on Python only)."""

    messages = reasoning_messages(problem.to_dict())
    if problem.language == "python":
        return messages
    tag = FENCE_TAGS.get(problem.language, problem.language)
    return [{**m, "content": m["content"].replace("```python", f"```{tag}")} for m in messages]


THINK_OPEN = "<think>"


THINK_CLOSE = "</think>"


# A fenced block: ``` + optional language tag + newline, body, closing ```.
_FENCE_RE = re.compile(r"```[ \t]*([A-Za-z0-9_+.-]*)[ \t]*\n(.*?)```", re.S)


# An opened fence with no closing one (the completion was cut at the length limit).
_OPEN_FENCE_RE = re.compile(r"```[ \t]*([A-Za-z0-9_+.-]*)[ \t]*\n(.*)\Z", re.S)


@dataclass(frozen=True)
class ParsedTrace:
    """What a completion holds, in the layout the rewards look for."""

    thinking: str | None  # text inside <think>...</think>; None when not closed
    code: str | None  # the final code block (after </think> when there is one)
    opens_with_think: bool
    closes_think: bool
    code_block_closed: bool  # the final block has its closing fence
    trailing_text: str  # whatever follows the final closed block


def completion_text(completion: Any) -> str:
    """TRL hands completions as strings (plain prompts) or message lists (chat prompts)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list | tuple):
        return "".join(m.get("content", "") if isinstance(m, dict) else str(m) for m in completion)
    if isinstance(completion, dict):
        return str(completion.get("content", ""))
    return str(completion)


def parse_trace(text: str) -> ParsedTrace:
    """Split a completion into thinking and final code.

    The code is the last fenced block after ``</think>`` (or anywhere, when ``</think>`` is missing);
    an unclosed last block still yields its code (it may run), but does not count as well formatted.
    """
    stripped = text.lstrip()
    opens = stripped.startswith(THINK_OPEN)
    close_at = text.find(THINK_CLOSE)
    closes = opens and close_at != -1
    thinking = None
    after = text
    if close_at != -1:
        after = text[close_at + len(THINK_CLOSE):]
        start = text.find(THINK_OPEN)
        if opens and start < close_at:
            thinking = text[start + len(THINK_OPEN):close_at].strip()
    blocks = list(_FENCE_RE.finditer(after))
    if blocks:
        last = blocks[-1]
        rest = after[last.end():]
        unclosed = _OPEN_FENCE_RE.search(rest)
        if unclosed is not None:  # a later block that was cut off wins
            return ParsedTrace(thinking, unclosed.group(2), opens, closes, False, "")
        return ParsedTrace(thinking, last.group(2), opens, closes, True, rest)
    unclosed = _OPEN_FENCE_RE.search(after)
    if unclosed is not None:
        return ParsedTrace(thinking, unclosed.group(2), opens, closes, False, "")
    return ParsedTrace(thinking, None, opens, closes, False, "")


REASONING_TEMPLATE = (
    "{instruction}\n\n"
    "Complete this function:\n```python\n{prompt}```\n\n"
    "First think step by step inside <think> and </think>, then write the whole function in one "
    "```python code block."
)


def reasoning_messages(problem: dict[str, Any]) -> list[dict[str, str]]:
    """The one user turn both warm-up and RL use: the task, the signature, the layout asked for."""
    return [{"role": "user", "content": REASONING_TEMPLATE.format(
        instruction=problem["instruction"].strip(), prompt=problem["prompt"])}]


def answer_text(solution: str) -> str:
    """The assistant turn for a solution: one fenced python block (what extract_code reads back)."""
    return f"```python\n{solution.strip()}\n```"


def chat_example(instruction: str, solution: str) -> dict[str, list[dict[str, str]]]:
    return {"prompt": [{"role": "user", "content": instruction.strip()}],
            "completion": [{"role": "assistant", "content": answer_text(solution)}]}


def problem_message(problem: Any) -> str:
    """The user turn for a kit problem: exactly what the evaluation asks a chat model
    (:func:`seedkit.measure.harness.chat_messages`), so SFT teaches the format pass@1 is measured in."""

    return chat_messages(problem)[0]["content"]
