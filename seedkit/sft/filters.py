"""The filters between synthesis and training, each returning a verdict and a reason.

In the order the stage applies them (each counted in ``stats.json``):

1. ``parse``: the item has an instruction, a solution that parses and defines its entry point,
   and assert tests that parse and call it.
2. ``exact_dedup``: same normalised instruction + solution as an earlier item.
3. ``near_dedup``: MinHash Jaccard of instruction + solution word 5-shingles above a threshold.
4. ``decontam``: shares a word 10-gram with an evaluation problem (HumanEval, held-out, basic tier:
   prompt, reference, tests), so training cannot leak evaluation answers.

Dedup and decontamination are stage 01's own implementations (``seedkit.curation.dedup`` and
``seedkit.curation.decontam``), applied to items instead of files.
5. ``judge``: the LLM judge's 0-10 difficulty rating is below the threshold (the report dropped
   < 3/10), or among the lowest by rank; the ratings come from :mod:`seedkit.sft.judge`.
6. ``verify``: the solution does not pass its own tests in the sandbox, even after the
   self-correction rounds (:mod:`seedkit.sft.verify`).

A filter never mutates what it is given beyond recording ``dropped_by``/``drop_reason`` on the
items it drops, so the stage can save every dropped item with its reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from seedkit.curation.decontam import Decontaminator as CorpusDecontaminator
from seedkit.curation.dedup import exact_duplicates, near_duplicates
from seedkit.measure.problem_checks import NgramIndex
from seedkit.problems import evaluation_problems
from seedkit.sft.synthesis import SFTItem


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
# Both reuse stage 01's implementations (seedkit.curation.dedup) so corpus and SFT data are
# deduplicated by the same rules.


def dedup_text(item: SFTItem) -> str:
    """What two items must share to count as duplicates: the task (prose: case and spacing
    ignored) and its answer (code: as stage 01 normalises files)."""
    return " ".join(item.instruction.lower().split()) + "\n" + item.solution


def exact_dedup(items: Sequence[SFTItem]) -> list[Verdict]:
    """First occurrence of each normalised (instruction, solution) text wins."""

    dup_of = exact_duplicates([dedup_text(it) for it in items])
    return [KEEP if j is None else Verdict(False, "exact_duplicate") for j in dup_of]


def near_dedup(items: Sequence[SFTItem], threshold: float = 0.8, ngram: int = 5) -> list[Verdict]:
    """MinHash LSH clusters of word 5-gram shingles (stage 01's near dedup); the first item of a
    cluster is kept, the others are dropped when their Jaccard estimate is >= ``threshold``."""

    if not items:
        return []
    kept_of = near_duplicates([dedup_text(it) for it in items], ngram=ngram, min_jaccard=threshold)
    return [KEEP if j is None else Verdict(False, "near_duplicate") for j in kept_of]


# --------------------------------------------------------------------------- 4. decontamination


class Decontaminator:
    """Two n-gram indexes of every evaluation problem (HumanEval, held-out, basic tier), applied to an item's
    instruction and its solution separately: stage 01's word ``ngram``-grams, and the code-token windows of
    :func:`seedkit.measure.problem_checks.same_text` (escapes decoded, operators kept, windows with few
    letters counted), which find a line of evaluation code or an escaped copy that words alone miss."""

    def __init__(self, ngram: int = 10, extra: Sequence[tuple[str, str]] = ()):

        self.index = CorpusDecontaminator.default(ngram=ngram, extra=list(extra))
        self.code_index = NgramIndex.of(evaluation_problems())

    def __len__(self) -> int:
        return len(self.index)

    def verdict(self, item: SFTItem) -> Verdict:
        for text in (item.instruction, item.solution):
            bad, why = self.index.check(text)
            if bad:
                return Verdict(False, f"overlaps {str(why).split(' with ')[-1]}")
            if (hit := self.code_index.check(text)) is not None:
                return Verdict(False, f"overlaps {hit[0]} (code)")
        return KEEP


# --------------------------------------------------------------------------- 5. judge


def judge_threshold(ratings: Sequence[float | None], rule: str, min_difficulty: float,
                    drop_bottom_fraction: float = 0.0) -> tuple[float | None, str]:
    """(threshold, why) for a rule decided by :func:`seedkit.sft.judge.decide_filter`: the report's
    absolute bar, the rating below which the bottom share lies, or None (nothing dropped).

    Ranking by a judge whose scale is uncalibrated (a 135M model rates everything alike) still
    removes its least-liked items; an absolute bar would remove all or nothing.
    """
    if rule == "off":
        return None, "no judge filter"
    if rule == "threshold":
        return min_difficulty, f"difficulty below {min_difficulty:g}/10"
    valid = sorted(s for s in ratings if s is not None)
    k = int(round(len(valid) * drop_bottom_fraction))
    if k == 0 or not valid:
        return None, f"bottom {drop_bottom_fraction:.0%} of {len(valid)} items rounds to none"
    # the k-th lowest rating + a hair: items strictly below it are dropped (ties at the cut are kept)
    return valid[k - 1] + 1e-9, (f"bottom {drop_bottom_fraction:.0%} by difficulty rank; ratings span "
                                 f"{valid[0]:.2f}-{valid[-1]:.2f}")


def judge_verdict(item: SFTItem, threshold: float | None, keep_unjudged: bool = True) -> Verdict:
    if threshold is None:
        return KEEP
    if item.difficulty is None:
        return KEEP if keep_unjudged else Verdict(False, "judge_unreadable")
    if item.difficulty < threshold:
        return Verdict(False, f"difficulty {item.difficulty:.1f} < {threshold:.3g}")
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
        key = it.drop_reason.split(" ")[0] if it.drop_reason.startswith(("difficulty", "overlaps")) else it.drop_reason
        out[key] = out.get(key, 0) + 1
    return out
