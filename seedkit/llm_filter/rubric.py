"""The oracle's rubric prompt: load it, render it for one file, and parse the oracle's answer.

The prompt lives in a file (``seedkit/prompts/quality_rubric.md`` by default) so users can edit
it. Its version is the ``version:`` line of its front matter plus a short hash of its body, so an
edit that forgets to bump the version still gets labels of its own in the cache.

The answer format is the report's: ``Rating: [[X]]`` with X in 0..10. A malformed answer parses
to ``None`` with a reason; it is never turned into a score of 0, because 0 means "configuration,
data or generated file" and would silently push unparseable files out of the corpus.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_RUBRIC = Path(__file__).resolve().parents[1] / "prompts" / "quality_rubric.md"

# What the assistant's reply starts with. The likelihood reading appends it to the prompt and reads
# the next-token probabilities of the score; the rubric asks for the rating first for the same reason.
ANSWER_PREFIX = "Rating: [["
SCORES = tuple(range(11))


class RubricError(ValueError):
    """The rubric file is unusable; the message says what to fix."""


DEFAULT_VERDICT_QUESTION = "Is this file good code or bad code by the criteria above? Answer good or bad."
DEFAULT_VERDICT_PREFIX = "This file is"
DEFAULT_VERDICT_WORDS = ("good", "bad")


@dataclass(frozen=True)
class Rubric:
    template: str  # the body, with {path}, {language} and {code} placeholders
    version: str  # front-matter version + "+" + 8 hex digits of the whole file's hash
    path: str
    # The verdict reading (oracle_method="verdict"): the template's last paragraph (the answer
    # format) is replaced by this question, the reply starts with the prefix, and the score is
    # 10 * P(first word) / P(first or second word).
    verdict_question: str = DEFAULT_VERDICT_QUESTION
    verdict_prefix: str = DEFAULT_VERDICT_PREFIX
    verdict_words: tuple[str, str] = DEFAULT_VERDICT_WORDS

    def render_verdict(self, code: str, path: str = "", language: str = "", max_chars: int | None = None) -> str:
        """The user message of the verdict reading: the rubric with a good-or-bad question at the end."""
        text = self.render(code, path, language, max_chars).rstrip("\n")
        cut = text.rfind("\n\n")
        return (text[:cut + 2] if cut != -1 else text + "\n\n") + self.verdict_question

    def render(self, code: str, path: str = "", language: str = "", max_chars: int | None = None) -> str:
        """The user message for one file. Code longer than ``max_chars`` is cut at a line end.

        Placeholders are replaced literally (not str.format) because code is full of braces.
        """
        shown = truncate_code(code, max_chars) if max_chars else code
        lang = (language or "text").lower()
        return (self.template.replace("{path}", path or "unknown").replace("{language}", lang)
                .replace("{code}", shown.rstrip("\n")))

    def messages(self, code: str, path: str = "", language: str = "",
                 max_chars: int | None = None) -> list[dict[str, str]]:
        return [{"role": "user", "content": self.render(code, path, language, max_chars)}]


def truncate_code(code: str, max_chars: int) -> str:
    """The first ``max_chars`` characters, cut back to the last full line, with a marker."""
    if len(code) <= max_chars:
        return code
    cut = code[:max_chars]
    nl = cut.rfind("\n")
    if nl > max_chars // 2:
        cut = cut[:nl]
    return cut + "\n... (truncated)"


def load_rubric(path: str | Path = "") -> Rubric:
    """Read a rubric file: optional ``---`` front matter with ``version:``, then the template."""
    p = Path(path) if path else DEFAULT_RUBRIC
    if not p.exists():
        raise RubricError(f"rubric_path: {p} does not exist; point it at a copy of {DEFAULT_RUBRIC}")
    text = p.read_text(encoding="utf-8")
    version = "unversioned"
    extra: dict[str, str] = {}
    body = text
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end == -1:
            raise RubricError(f"{p}: front matter opened with '---' is never closed")
        for line in text[3:end].splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "version" and value.strip():
                version = value.strip()
            elif key.strip() in ("verdict_question", "verdict_prefix", "verdict_words") and value.strip():
                extra[key.strip()] = value.strip()
        body = text[end + 4:].lstrip("\n")
    if "{code}" not in body:
        raise RubricError(f"{p}: the template has no {{code}} placeholder, so the oracle would never see the file")
    if ANSWER_PREFIX.rstrip("[ ") not in body:
        raise RubricError(f"{p}: the template must ask for the answer as '{ANSWER_PREFIX}X]]'")
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    words = tuple(w.strip() for w in extra.get("verdict_words", ",".join(DEFAULT_VERDICT_WORDS)).split(","))
    if len(words) != 2 or not all(words):
        raise RubricError(f"{p}: verdict_words must be two words separated by a comma, e.g. 'good, bad'")
    return Rubric(template=body, version=f"{version}+{digest}", path=str(p),
                  verdict_question=extra.get("verdict_question", DEFAULT_VERDICT_QUESTION),
                  verdict_prefix=extra.get("verdict_prefix", DEFAULT_VERDICT_PREFIX),
                  verdict_words=(words[0], words[1]))


# --------------------------------------------------------------------------- parsing

_RATING = re.compile(r"Rating\s*:?\s*\[\[\s*(-?\d+(?:\.\d+)?)\s*\]\]", re.IGNORECASE)
_BRACKETS = re.compile(r"\[\[\s*(-?\d+(?:\.\d+)?)\s*\]\]")


@dataclass(frozen=True)
class ParsedAnswer:
    score: float | None
    reason: str  # "ok", or why it did not parse


def parse_rating(answer: str, prefilled: bool = False) -> ParsedAnswer:
    """Read ``Rating: [[X]]`` from an answer (the first one; the rubric asks for it first).

    ``prefilled``: the answer continues a prompt that already ended in ``Rating: [[``.
    Falls back to a bare ``[[X]]``. Out of range (outside 0..10) or missing: score None.
    """
    text = (ANSWER_PREFIX + answer) if prefilled else answer
    m = _RATING.search(text) or _BRACKETS.search(text)
    if m is None:
        return ParsedAnswer(None, "no 'Rating: [[X]]' in the answer")
    value = float(m.group(1))
    if not 0.0 <= value <= 10.0:
        return ParsedAnswer(None, f"rating {m.group(1)} is outside 0-10")
    return ParsedAnswer(value, "ok")
