"""Step 7: decontamination against every problem the kit evaluates on (stage 04 reuses it).

The report drops training files that share a 10-gram with a benchmark. Here an n-gram is ``n``
consecutive word tokens (lower-cased alphanumeric runs, as near dedup uses), hashed to 64 bits;
a text is contaminated when any of its n-gram hashes is in the index built from every problem's
``prompt``, ``reference`` and ``tests``. The answer names the first problem it overlaps, so a
drop is explainable: ``(True, "10-gram overlap with HumanEval/0")``.

N-grams that occur in many problems (boilerplate such as ``from typing import List``-style
headers) are removed from the index: they identify no problem and would only drop innocent code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seedkit.curation.dedup import TokenHasher, ngram_hashes, tokens_of
from seedkit.problems import evaluation_problems


@dataclass(frozen=True)
class ProblemText:
    task_id: str
    text: str


def evaluation_problem_texts() -> list[ProblemText]:
    """Prompt, reference and tests of every problem the kit evaluates on (HumanEval, held-out, basic tier)."""

    return [ProblemText(p.task_id, "\n".join([p.prompt, p.reference, p.tests])) for p in evaluation_problems()]


class Decontaminator:
    """Answers ``(contaminated, reason)`` for a text; built once from the benchmark problems."""

    name = "decontamination"

    def __init__(self, problems: Iterable[ProblemText | tuple[str, str] | Any], ngram: int = 10,
                 max_problems_per_ngram: int = 2):
        self.ngram = ngram
        hasher = TokenHasher()
        owner: dict[int, str] = {}
        seen_in: Counter[int] = Counter()
        self.num_problems = 0
        for p in problems:
            task_id, text = _as_pair(p)
            self.num_problems += 1
            hs = set(self._wordy_ngrams(hasher, tokens_of(text)).tolist())
            for h in hs:
                seen_in[h] += 1
                owner.setdefault(h, task_id)
        keep = [h for h, c in seen_in.items() if c <= max_problems_per_ngram]
        self.dropped_common_ngrams = len(seen_in) - len(keep)
        self._sorted = np.array(sorted(keep), dtype=np.uint64)
        self._owner = {h: owner[h] for h in keep}
        self._hasher = hasher

    @classmethod
    def default(cls, ngram: int = 10, extra: Sequence[ProblemText | tuple[str, str]] = ()) -> Decontaminator:
        """Every problem the kit evaluates on (HumanEval, held-out set, basic tier), plus ``extra``."""
        return cls(evaluation_problem_texts() + list(extra), ngram=ngram)

    def _wordy_ngrams(self, hasher: TokenHasher | None, toks: list[bytes], hashed: np.ndarray | None = None) -> np.ndarray:
        """Hashes of the n-grams with at least 60% tokens holding a letter.

        Runs of numbers (``0 1 2 3 ...``, test tables, prime lists) are shared by problems and
        ordinary code alike; measured on the stdlib they made 44 of 45 false hits.
        """
        n = self.ngram
        th = hashed if hashed is not None else hasher.hashes(toks)  # type: ignore[union-attr]
        if len(th) < n:
            return np.zeros(0, dtype=np.uint64)
        hs = ngram_hashes(th, n)
        alpha = ((th & np.uint64(1)) == 0).astype(np.int32)  # TokenHasher: low bit 1 = a number
        csum = np.concatenate([[0], np.cumsum(alpha)])
        wordy = (csum[n:] - csum[:-n]) >= int(np.ceil(0.6 * n))
        return hs[wordy]

    def __len__(self) -> int:
        return len(self._sorted)

    def check(self, text: str, token_hashes: np.ndarray | None = None) -> tuple[bool, str | None]:
        """(True, "10-gram overlap with <task_id>") when ``text`` shares an n-gram, else (False, None).

        ``token_hashes`` (from :class:`TokenHasher`, as near dedup computed them) skips re-tokenising.
        """
        if not len(self._sorted):
            return False, None
        if token_hashes is not None:
            hs = self._wordy_ngrams(None, [], np.asarray(token_hashes, dtype=np.uint64))
        else:
            hs = self._wordy_ngrams(self._hasher, tokens_of(text))
        if not len(hs):
            return False, None
        pos = np.searchsorted(self._sorted, hs)
        pos[pos >= len(self._sorted)] = 0
        hit = np.flatnonzero(self._sorted[pos] == hs)
        if not len(hit):
            return False, None
        return True, f"{self.ngram}-gram overlap with {self._owner[int(hs[hit[0]])]}"

    def __call__(self, doc: dict[str, Any]) -> tuple[bool, str | None]:
        """As a pipeline step: keep (True) unless contaminated; the reason names the problem."""
        bad, why = self.check(doc["content"], doc.get("_tok"))
        return (False, f"contaminated:{why.split(' with ')[-1]}") if bad and why else (True, None)

    def filter_texts(self, texts: Sequence[str]) -> list[tuple[bool, str | None]]:
        return [self.check(t) for t in texts]


def _as_pair(p: Any) -> tuple[str, str]:
    if isinstance(p, ProblemText):
        return p.task_id, p.text
    if isinstance(p, tuple):
        return str(p[0]), str(p[1])
    return str(p.task_id), "\n".join(str(getattr(p, k, "") or "") for k in ("prompt", "reference", "tests"))
