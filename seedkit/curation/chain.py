"""Running per-document steps over a list or a ``datasets.Dataset`` (with ``num_proc``).

Both paths call the same step object on the same dicts in the same order, so their outputs are
identical (a test checks it); the list path avoids datasets' process start-up and Arrow cache
writes, which dominate on small corpora, and the Dataset path spreads big ones over processes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from seedkit.curation.filters import Verdict

if TYPE_CHECKING:
    import datasets

Step = Callable[[dict[str, Any]], Verdict]

KEEP_COL = "_kept"
REASON_COL = "_reason"


def apply_step_to_list(step: Step, docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(kept, dropped); dropped docs get ``_reason``. A step that raises drops its doc, never the run."""
    kept, dropped = [], []
    for doc in docs:
        ok, reason = _safe_call(step, doc)
        if ok:
            kept.append(doc)
        else:
            doc[REASON_COL] = reason or "dropped"
            dropped.append(doc)
    return kept, dropped


def _safe_call(step: Step, doc: dict[str, Any]) -> Verdict:
    try:
        return step(doc)
    except Exception as e:  # one bad document must not stop the run: it is dropped and counted
        return False, f"step_error:{type(e).__name__}"


class _Annotate:
    """Picklable map function: runs the step and records its verdict in two columns."""

    def __init__(self, step: Step):
        self.step = step

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        doc = dict(row)
        ok, reason = _safe_call(self.step, doc)
        doc[KEEP_COL] = bool(ok)
        doc[REASON_COL] = "" if ok else (reason or "dropped")
        return doc


def apply_step_to_dataset(step: Step, ds: datasets.Dataset, num_proc: int | None = None
                          ) -> tuple[datasets.Dataset, datasets.Dataset]:
    """(kept, dropped) Datasets; ``dropped`` keeps the ``_reason`` column."""
    name = getattr(step, "name", type(step).__name__)
    num_proc = num_proc if num_proc and num_proc > 1 and len(ds) >= num_proc else None
    annotated = ds.map(_Annotate(step), num_proc=num_proc, desc=f"step {name}", load_from_cache_file=False)
    kept = annotated.filter(_is_kept, input_columns=KEEP_COL, load_from_cache_file=False)
    dropped = annotated.filter(_is_dropped, input_columns=KEEP_COL, load_from_cache_file=False)
    return kept.remove_columns([KEEP_COL, REASON_COL]), dropped.remove_columns([KEEP_COL])


def _is_kept(k: bool) -> bool:
    return bool(k)


def _is_dropped(k: bool) -> bool:
    return not k


def apply_step(step: Step, docs: list[dict[str, Any]], num_proc: int = 1
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run a step in-process (num_proc 1) or through ``Dataset.map(num_proc=...)``; lists either way."""
    if num_proc <= 1 or len(docs) < 2 * num_proc:
        return apply_step_to_list(step, docs)
    import datasets

    kept, dropped = apply_step_to_dataset(step, datasets.Dataset.from_list(docs), num_proc)
    return kept.to_list(), dropped.to_list()
