"""Instruction synthesis: a generator model turns seeds into (task, solution, tests) items.

For a code seed the generator writes a new self-contained task inspired by the snippet, a
solution and assert tests, in a style sampled from the editable style set
(``seedkit/prompts/sft_styles.yaml``) so the data is not all one voice. For an instruction seed
that carries tests it writes only the solution (the tests are trusted). The prompts live in
``seedkit/prompts/sft_prompts.yaml``.

The generator is anything with ``.chat(conversations, ...)`` (``seedkit.generation``): an
in-process model or an OpenAI-compatible server. Parsing is tolerant, because small models do not
follow formats: the first code block that defines a function is the solution, ``assert`` lines
(in a later block or anywhere) are the tests. Whatever cannot be parsed is still recorded; the
parse filter (``sft_filters``) drops it with a reason.
"""

from __future__ import annotations

import ast
import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from seedkit.sft.seeds import Seed

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
STYLES_FILE = PROMPTS_DIR / "sft_styles.yaml"
PROMPTS_FILE = PROMPTS_DIR / "sft_prompts.yaml"

# The closing fence of a code block (an opening fence has a language tag after the backticks).
ONE_BLOCK_STOP = ("\n```\n",)
CODE_BLOCK = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)


@dataclass
class Style:
    name: str
    guidance: str
    template: str = "{task}"
    weight: float = 1.0

    def render(self, task: str, entry_point: str = "") -> str:
        ep = entry_point or "solution"
        return self.template.replace("{task}", task.strip()).replace("{entry_point}", ep).strip()


@dataclass
class SFTItem:
    """One candidate instruction item; its fields are the columns of 04_sft/data (contracts.md)."""

    id: str
    source: str  # generated | docstring | seed
    style: str
    instruction: str
    solution: str
    tests: str
    entry_point: str
    judge_score: float | None = None  # the judge's correctness rating, 0-10
    difficulty: float | None = None  # the judge's difficulty rating, 0-10
    verified: bool = False
    attempts: int = 0
    split: str = ""  # sft | held_for_dpo, set for kept items
    # bookkeeping beyond the contract's columns (saved too: they explain each verdict)
    seed_id: str = ""
    raw_output: str = ""
    dropped_by: str = ""  # the filter that removed it ("" = kept)
    drop_reason: str = ""
    verify_status: str = ""
    verify_error: str = ""
    history: list[str] = field(default_factory=list)  # earlier (failed) solutions, oldest first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_styles(path: str | Path = "") -> list[Style]:
    """The style set; a one-line error names what is wrong with the file."""
    p = Path(path) if path else STYLES_FILE
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise FileNotFoundError(f"styles_file: {p} does not exist") from e
    styles = []
    for i, s in enumerate((data or {}).get("styles", [])):
        if not isinstance(s, dict) or "name" not in s or "guidance" not in s:
            raise ValueError(f"{p}: style #{i + 1} needs at least 'name' and 'guidance'")
        styles.append(Style(name=str(s["name"]), guidance=str(s["guidance"]),
                            template=str(s.get("template", "{task}")), weight=float(s.get("weight", 1.0))))
    if not styles:
        raise ValueError(f"{p}: no styles under 'styles:'")
    return styles


def load_prompts(path: str | Path = "") -> dict[str, str]:
    return yaml.safe_load(Path(path or PROMPTS_FILE).read_text(encoding="utf-8"))


def fill(template: str, **values: str) -> str:
    """str.format without tripping over braces in code: only the named placeholders are replaced."""
    out = template
    for k, v in values.items():
        out = out.replace("{" + k + "}", v)
    return out


def sample_styles(styles: Sequence[Style], n: int, seed: int) -> list[Style]:
    rng = random.Random(seed)
    return rng.choices(list(styles), weights=[s.weight for s in styles], k=n)


# --------------------------------------------------------------------------- parsing


def code_blocks(text: str) -> list[str]:
    return [m.group(2).strip("\n") for m in CODE_BLOCK.finditer(text)]


def defined_function(code: str) -> str:
    """Name of the first top-level function defined in ``code`` ("" when none or it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        m = re.search(r"^def\s+([A-Za-z_]\w*)\s*\(", code, re.MULTILINE)
        return m.group(1) if m else ""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node.name
    return ""


def split_asserts(code: str) -> tuple[str, list[str]]:
    """Separate top-level ``assert`` statements from the rest of a block: (rest, asserts)."""
    keep, asserts = [], []
    for line in code.splitlines():
        if line.startswith("assert ") or line.startswith("assert("):
            asserts.append(line.rstrip())
        else:
            keep.append(line)
    return "\n".join(keep).strip("\n"), asserts


def parse_generation(text: str, expect_task: bool) -> dict[str, str]:
    """Tolerant parse of a generator answer into task, solution, tests and entry point.

    Missing parts come back empty; the parse filter decides what that means.
    """
    task = ""
    if expect_task:
        m = re.search(r"Task\s*:\s*(.*?)(?:\n\s*Solution\s*:|```|\Z)", text, re.DOTALL | re.IGNORECASE)
        task = m.group(1).strip() if m else text.split("```")[0].strip()
    blocks = code_blocks(text)
    if not blocks:
        # no fences: take the text from the first def on as code
        m = re.search(r"^def\s", text, re.MULTILINE)
        blocks = [text[m.start():]] if m else []
    solution = ""
    asserts: list[str] = []
    for b in blocks:
        rest, found = split_asserts(b)
        asserts.extend(found)
        if not solution and defined_function(rest):
            solution = rest
    if not asserts:  # assert lines outside any block
        asserts = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("assert ")]
    return {"task": task, "solution": solution, "tests": "\n".join(asserts),
            "entry_point": defined_function(solution)}


def extract_solution(text: str) -> str:
    """The code of a correction answer: the first block defining a function, asserts removed."""
    return parse_generation(text, expect_task=False)["solution"]


# --------------------------------------------------------------------------- generation


def _item_id(*parts: str) -> str:
    return "gen-" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def build_conversation(seed: Seed, style: Style, prompts: dict[str, str]) -> list[dict[str, str]]:
    if seed.kind == "code":
        user = fill(prompts["from_code"], code=seed.text.strip(), guidance=style.guidance)
    elif seed.tests:
        user = fill(prompts["from_instruction"], instruction=seed.text.strip(),
                    entry_point=seed.entry_point or "solution")
    else:
        user = fill(prompts["from_instruction_no_tests"], instruction=seed.text.strip())
    return [{"role": "system", "content": prompts["system"]}, {"role": "user", "content": user}]


def generate_items(generator: Any, seeds: Sequence[Seed], styles: Sequence[Style], *, temperature: float,
                   max_new_tokens: int, seed: int = 0, prompts: dict[str, str] | None = None,
                   progress: bool = True) -> list[SFTItem]:
    """One generated item per seed, in seed order (items the generator botched included)."""
    prompts = prompts or load_prompts()
    chosen = sample_styles(styles, len(seeds), seed)
    convs = [build_conversation(s, st, prompts) for s, st in zip(seeds, chosen, strict=True)]
    if not convs:
        return []
    # Answers that are one code block stop at its closing fence: small models ramble on after it,
    # and every rambling token costs generation time.
    single = [i for i, s in enumerate(seeds) if s.kind != "code" and s.tests]
    multi = [i for i in range(len(seeds)) if i not in set(single)]
    answers: list[list[str]] = [[] for _ in seeds]
    if getattr(generator, "supports_prompt_stops", False):
        # one call, each answer with its own stop: the few long multi-block answers decode beside the
        # one-block ones instead of alone afterwards (8 sequences sharing a step cost about what 48 do)
        answers = generator.chat(convs, n=1, temperature=temperature, max_new_tokens=max_new_tokens,
                                 prompt_stops=[list(ONE_BLOCK_STOP) if i in set(single) else [] for i in range(len(seeds))],
                                 progress=progress, desc="synthesising items")
        groups: tuple[tuple[list[int], list[str] | None], ...] = ()
    else:
        groups = ((multi, None), (single, list(ONE_BLOCK_STOP)))
    for group, stop in groups:
        if not group:
            continue
        got = generator.chat([convs[i] for i in group], n=1, temperature=temperature,
                             max_new_tokens=max_new_tokens, stop=stop, progress=progress,
                             desc="synthesising items")
        for i, a in zip(group, got, strict=True):
            answers[i] = a
    items: list[SFTItem] = []
    for s, st, ans in zip(seeds, chosen, answers, strict=True):
        text = ans[0] if ans else ""
        if s.kind == "code":
            parsed = parse_generation(text, expect_task=True)
            entry = parsed["entry_point"]
            instruction = st.render(parsed["task"], entry) if parsed["task"] else ""
            tests = parsed["tests"]
            source = "generated"
        else:
            parsed = parse_generation(text, expect_task=False)
            entry = s.entry_point or parsed["entry_point"]
            instruction = st.render(s.text, entry)
            tests = s.tests or parsed["tests"]
            source = "seed"
        items.append(SFTItem(id=_item_id(s.id, st.name, text), source=source, style=st.name,
                             instruction=instruction, solution=parsed["solution"], tests=tests,
                             entry_point=entry, seed_id=s.id, raw_output=text))
    return items
