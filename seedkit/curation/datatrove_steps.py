"""Stage 01's steps inside a datatrove pipeline, for corpora beyond one machine.

The kit's step objects (``__call__(record) -> (kept, reason)``) run unchanged inside datatrove:

* :class:`KitSourcesReader` lists the kit's sources (directories of repositories, single files,
  the stdlib sample, JSONL/Parquet/HF datasets) and gives task ``rank`` every ``world_size``-th
  record, in the same global order as the in-process run (``metadata["order"]``);
* :class:`KitFilter` wraps any per-file step as a datatrove ``BaseFilter``: the drop reason is
  datatrove's ``dropped_<reason>`` stat and, with an ``exclusion_writer``, goes to disk with the
  document;
* :class:`KitSignatures` computes each file's content hash and MinHash signature in the parallel
  stage (the expensive part of dedup);
* :class:`KitCorpusSteps` is the single-task stage (like datatrove's own MinHash cluster stage):
  it sorts the documents back into source order and runs repository dedup, file exact and near
  dedup and decontamination exactly as :func:`seedkit.curation.stage.run_curation` does.

:func:`run_datatrove_curation` wires these into two ``LocalPipelineExecutor`` stages; for a
cluster, swap the executor (see docs/scaling_datatrove.md for the Slurm configuration). Output:
JSONL (datatrove's writer) that :func:`read_outputs` turns back into the kit's records, so the
result can be compared with (and saved like) the in-process one.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from seedkit.curation import corpus
from seedkit.curation.chain import REASON_COL, _safe_call
from seedkit.curation.corpus import Fingerprinter, FingerprintOptions, fingerprint_shard
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.file_steps import filter_steps, iter_source_records
from seedkit.curation.filters import SecretRedactor
from seedkit.curation.records import dropped_row, file_row, small_dataset
from seedkit.curation.settings import CurationSettings

_SKIP_META = (REASON_COL,)


def doc_to_record(doc: Document) -> dict[str, Any]:
    rec = dict(doc.metadata)
    rec["content"] = doc.text
    return rec


def record_to_doc(rec: dict[str, Any], doc: Document | None = None) -> Document:
    meta = {k: v for k, v in rec.items() if k != "content" and k not in _SKIP_META}
    if doc is None:
        return Document(text=rec.get("content") or "", id=str(rec.get("order", "")), metadata=meta)
    doc.text = rec.get("content") or ""
    doc.metadata = meta
    return doc


class KitSourcesReader(PipelineStep):
    """Reader: the kit's sources as Documents (text empty until the read step fills it)."""

    name = "seedkit sources"
    type = "📖 - READER"

    def __init__(self, settings: CurationSettings):
        super().__init__()
        self.settings = settings

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:

        if data:
            yield from data
        for rec in iter_source_records(self.settings, say=lambda m: None):
            if rec["order"] % world_size != rank:
                continue
            self.stat_update("listed")
            yield record_to_doc(rec)


class KitFilter(BaseFilter):
    """Any kit step as a datatrove filter; the doc carries the step's rewrites (e.g. redaction)."""

    type = "🔻 - FILTER"

    def __init__(self, step: Any, exclusion_writer: DiskWriter | None = None):
        super().__init__(exclusion_writer)
        self.step = step
        self.name = f"seedkit {getattr(step, 'name', type(step).__name__)}"

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        rec = doc_to_record(doc)
        ok, reason = _safe_call(self.step, rec)
        if not ok:
            rec["step"] = getattr(self.step, "name", "")
            rec["detail"] = ""
        record_to_doc(rec, doc)
        return True if ok else (False, reason or "dropped")


class KitSignatures(PipelineStep):
    """Per-file fingerprints in metadata (SHA-256, MinHash signature, benchmark overlap), computed in
    the parallel stage by the same function as the in-process stage."""

    name = "seedkit fingerprints"
    type = "🫂 - DEDUP"

    def __init__(self, settings: CurationSettings, shard_rows: int = 256):
        super().__init__()
        self.settings = settings
        self.shard_rows = shard_rows

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:

        s = self.settings
        dec = Decontaminator.default(ngram=s.decontam_ngram) if s.decontaminate else None
        fp = Fingerprinter(FingerprintOptions.from_settings(s, dec))
        batch: list[Document] = []

        def flush() -> Iterator[Document]:
            with self.track_time():
                recs, sig = fingerprint_shard(fp, [doc_to_record(d) for d in batch])
            for d, rec, row in zip(batch, recs, sig, strict=True):
                rec["minhash"] = row.tolist()
                yield record_to_doc(rec, d)
            batch.clear()

        for doc in data:
            batch.append(doc)
            if len(batch) >= self.shard_rows:
                yield from flush()
        if batch:
            yield from flush()


class KitCorpusSteps(PipelineStep):
    """Single task: repository/exact/near dedup and decontamination over every surviving file, with
    the decisions of :mod:`seedkit.curation.corpus` that the in-process stage uses."""

    name = "seedkit corpus-level steps"
    type = "🫂 - DEDUP"

    def __init__(self, settings: CurationSettings, exclusion_writer: DiskWriter | None = None):
        super().__init__()
        self.settings = settings
        self.exclusion_writer = exclusion_writer

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:

        if world_size != 1:
            raise ValueError("KitCorpusSteps needs every document: run it with tasks=1")
        s = self.settings
        docs = sorted((doc_to_record(d) for d in data), key=lambda r: r["order"])
        dropped_all: list[dict[str, Any]] = []

        def cols(ds: list[dict[str, Any]], key: str) -> list[Any]:
            return [d[key] for d in ds]

        def sig_of(ds: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
            return (np.asarray(cols(ds, "minhash"), dtype=np.uint32).reshape(len(ds), -1),
                    np.asarray(cols(ds, "minhash_valid"), dtype=bool))

        steps = [
            ("repo_dedup", s.exact_dedup or s.near_dedup, lambda ds: corpus.repo_dedup_decisions(
                cols(ds, "repo"), cols(ds, "sha256"), *(sig_of(ds) if s.near_dedup else (None, None)),
                exact=s.exact_dedup, near=s.near_dedup, bands=s.lsh_bands, rows=s.lsh_rows,
                min_jaccard=s.near_dup_min_jaccard)),
            ("exact_dedup", s.exact_dedup, lambda ds: corpus.exact_dedup_decisions(
                cols(ds, "repo"), cols(ds, "path"), cols(ds, "sha256"))),
            ("near_dedup", s.near_dedup, lambda ds: corpus.near_dedup_decisions(
                cols(ds, "repo"), cols(ds, "path"), *sig_of(ds), bands=s.lsh_bands, rows=s.lsh_rows,
                min_jaccard=s.near_dup_min_jaccard)),
            ("decontamination", s.decontaminate, lambda ds: corpus.decontamination_decisions(
                cols(ds, "contamination"), s.decontam_ngram)),
        ]
        for step, on, decide in steps:
            if not on or not docs:
                continue
            kept = []
            for d, decision in zip(docs, decide(docs), strict=True):
                if decision is None:
                    kept.append(d)
                    continue
                d[REASON_COL], d["detail"] = decision
                d["step"] = step
                self.stat_update(f"dropped_{d[REASON_COL].split(':')[0]}")
                dropped_all.append(d)
            docs = kept
        for d in docs + dropped_all:  # the signatures did their job: keep them out of the outputs
            d.pop("minhash", None)
        if self.exclusion_writer is not None:
            with self.exclusion_writer as w:
                for d in dropped_all:
                    d["filter_reason"] = d[REASON_COL]
                    w.write(record_to_doc(d), rank)
        for d in docs:
            self.stat_update("kept")
            yield record_to_doc(d)


def file_pipeline(settings: CurationSettings, dropped_folder: str | None = None) -> list[PipelineStep]:
    """The parallel stage's steps: sources -> per-file steps -> signatures (no writer)."""
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    steps: list[PipelineStep] = [KitSourcesReader(settings)]
    for st in filter_steps(settings) + ([SecretRedactor()] if settings.redact_secrets else []):
        writer = JsonlWriter(f"{dropped_folder}/{st.name}") if dropped_folder else None
        steps.append(KitFilter(st, exclusion_writer=writer))
    steps.append(KitSignatures(settings))
    return steps


def run_datatrove_curation(settings: CurationSettings, work_dir: str | Path, tasks: int = 2, workers: int = 2) -> Path:
    """Run stage 01's file chain as two datatrove stages on the local machine; returns ``work_dir``.

    Stage 1 (``tasks`` tasks on ``workers`` processes): read, per-file filters, signatures ->
    ``work_dir/stage1``. Stage 2 (one task): corpus-level steps -> ``work_dir/files``. Dropped
    documents (with ``filter_reason``) go to ``work_dir/dropped/<step>``.
    """
    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    w = Path(work_dir)
    stage1 = LocalPipelineExecutor(
        pipeline=[*file_pipeline(settings, str(w / "dropped")), JsonlWriter(str(w / "stage1"))],
        tasks=tasks, workers=workers, logging_dir=str(w / "logs" / "stage1"))
    stage2 = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(w / "stage1")), KitCorpusSteps(settings, JsonlWriter(str(w / "dropped" / "corpus"))),
                  JsonlWriter(str(w / "files"))],
        tasks=1, workers=1, logging_dir=str(w / "logs" / "stage2"), depends=stage1)
    stage2.run()
    return w


def _read_jsonl_folder(folder: Path) -> list[dict[str, Any]]:
    out = []
    for fp in sorted(folder.rglob("*.jsonl*")):
        op = gzip.open if fp.suffix == ".gz" else open
        with op(fp, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                rec = dict(d.get("metadata") or {})
                rec["content"] = d.get("text", "")
                out.append(rec)
    return out


def read_outputs(work_dir: str | Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(kept, dropped) records from a finished run, in source order; dropped carry step and reason."""
    w = Path(work_dir)
    kept = sorted(_read_jsonl_folder(w / "files"), key=lambda r: r["order"])
    dropped = _read_jsonl_folder(w / "dropped")
    for d in dropped:
        d[REASON_COL] = d.get("filter_reason", "")
    dropped.sort(key=lambda r: r["order"])
    return kept, dropped


def to_datasets(work_dir: str | Path, dropped_content_chars: int = 2000) -> tuple[Any, Any]:
    """``files`` and ``dropped`` Hugging Face datasets, the same columns as stage 01 saves."""

    kept, dropped = read_outputs(work_dir)
    for d in dropped:
        if d.get("step") in ("read", "language", "basic_filters", "syntax", "secrets"):
            d["detail"] = d.get("syntax_note") or ""

    return (small_dataset("files", [file_row(r) for r in kept]),
            small_dataset("dropped", [dropped_row(r, dropped_content_chars) for r in dropped]))
