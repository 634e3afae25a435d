"""The curation funnel: documents and bytes into and out of each step, by language and by reason.

Computed from what the steps saved (each step's ``kept`` and ``dropped`` datasets), with Arrow
group-bys over a few columns, so it costs no pass over the text and no list of the corpus in
memory. One entry per step::

    {"step", "docs_in", "docs_out", "bytes_in", "bytes_out", "dropped_by_reason",
     "in_by_language", "out_by_language", "dropped_by_language": {language: {reason: n}}}

A step function that runs several per-file steps at once (``filters``: read, language, basic
filters, syntax) gives one entry per sub-step: the ``step`` column of its dropped rows says
which sub-step dropped each file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any


def arrow_table(ds: Any) -> Any:
    """The Arrow table behind a dataset (its selected rows when it carries an indices mapping)."""
    if getattr(ds, "_indices", None) is not None:
        return ds.data.table.take(ds._indices.column(0))
    return ds.data.table


def value_counts(ds: Any, column: str) -> Counter[str]:
    import pyarrow.compute as pc

    t = arrow_table(ds)
    if t.num_rows == 0:
        return Counter()
    return Counter({d["values"]: int(d["counts"]) for d in pc.value_counts(t.column(column)).to_pylist()})


def column_sum(ds: Any, column: str) -> int:
    import pyarrow.compute as pc

    t = arrow_table(ds)
    return int(pc.sum(t.column(column)).as_py() or 0) if t.num_rows else 0


def reason_key(reason: str) -> str:
    """``contaminated:HumanEval/0`` -> ``contaminated``: the reason without its detail."""
    return reason.split(":")[0]


def dropped_groups(dropped: Any) -> list[dict[str, Any]]:
    """One row per (step, reason key, language) of a dropped dataset: ``n`` files, ``bytes``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arrow_table(dropped)
    if t.num_rows == 0:
        return []
    key = pc.list_element(pc.split_pattern(t.column("reason"), ":", max_splits=1), 0)
    g = pa.table({"step": t.column("step"), "reason": key, "language": t.column("language"),
                  "size_bytes": t.column("size_bytes")})
    out = g.group_by(["step", "reason", "language"]).aggregate([("size_bytes", "sum"), ("size_bytes", "count")])
    return [{"step": r["step"], "reason": r["reason"], "language": r["language"], "n": int(r["size_bytes_count"]),
             "bytes": int(r["size_bytes_sum"] or 0)} for r in out.to_pylist()]


def step_funnel(product: Any, steps: Sequence[str]) -> list[dict[str, Any]]:
    """Funnel entries of one step product (a :class:`~seedkit.curation.records.Split`) for its sub-steps in order."""
    kept, dropped = product.kept, product.dropped
    groups = dropped_groups(dropped)
    unknown = {g["step"] for g in groups} - set(steps)
    if unknown:
        raise ValueError(f"dropped rows name steps {sorted(unknown)} outside {list(steps)}")
    out_lang = value_counts(kept, "language")
    out_bytes = column_sum(kept, "size_bytes")
    entries: list[dict[str, Any]] = []
    # walk backwards: what went out of step k is what came into step k+1
    for step in reversed(steps):
        mine = [g for g in groups if g["step"] == step]
        drop_lang: dict[str, Counter[str]] = defaultdict(Counter)
        by_reason: Counter[str] = Counter()
        for g in mine:
            drop_lang[g["language"]][g["reason"]] += g["n"]
            by_reason[g["reason"]] += g["n"]
        n_drop = sum(by_reason.values())
        in_lang = out_lang + Counter({lang: sum(c.values()) for lang, c in drop_lang.items()})
        bytes_in = out_bytes + sum(g["bytes"] for g in mine)
        entries.append({
            "step": step, "docs_in": sum(out_lang.values()) + n_drop, "docs_out": sum(out_lang.values()),
            "bytes_in": int(bytes_in), "bytes_out": int(out_bytes),
            "dropped_by_reason": dict(by_reason.most_common()),
            "in_by_language": dict(in_lang.most_common()), "out_by_language": dict(out_lang.most_common()),
            "dropped_by_language": {k: dict(v) for k, v in sorted(drop_lang.items())},
        })
        out_lang, out_bytes = in_lang, bytes_in
    return entries[::-1]


def format_funnel(entries: Sequence[dict[str, Any]]) -> str:
    """The funnel as text: one line per step, documents in -> out and why they left."""
    lines = []
    for f in entries:
        why = ", ".join(f"{k} {v}" for k, v in f["dropped_by_reason"].items()) or "-"
        lines.append(f"{f['step']:>16}: {f['docs_in']:6d} -> {f['docs_out']:6d} files, "
                     f"{f['bytes_in'] / 1e6:8.2f} -> {f['bytes_out'] / 1e6:8.2f} MB   dropped: {why}")
    return "\n".join(lines)
