"""Stage 01 as step functions: sources -> filters -> secrets -> fingerprints -> repository dedup ->
exact dedup -> near dedup -> decontamination -> repositories; commits; web pages; outputs.

Each step function takes the settings and what earlier steps produced and returns what it made:
a ``datasets.Dataset``, or a ``DatasetDict`` with ``kept`` and ``dropped`` (the dropped rows
name their step, reason and detail). The notebook calls them one cell at a time through
:class:`CurationSteps`, which saves each product under ``steps/<config hash>/`` (``StageRun.step``)
so a rerun cell, a restarted kernel or a killed run picks up at the first step not yet done;
:func:`run_curation` calls the same methods in order for ``seedkit run``.

Memory stays flat as the corpus grows: every step reads its input a shard of rows at a time from
Arrow files on disk and writes what it keeps and drops as it goes (``seedkit.curation.chain``).
The corpus-level steps decide from per-file fingerprints (a SHA-256, a MinHash signature and a
benchmark-overlap flag, 0.5 KB per file) rather than from the texts
(``seedkit.curation.corpus``); ``bench/bench_curation_memory.py`` measures the peak.

Every input ends in exactly one of ``files/`` or ``dropped/`` (checked before the outputs are
written), and ``stats.json`` holds the funnel: documents and bytes in and out of each step, by
language and by reason.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES, REPO_ROOT, SettingsError
from seedkit.curation.chain import (
    REASON_COL,
    SHARD_BYTES,
    ShardWriter,
    empty_dataset,
    iter_shards,
    map_shards,
    run_steps_on_shard,
    small_save_batches,
)
from seedkit.curation.commits import CommitOptions, commit_samples
from seedkit.curation.corpus import (
    Fingerprinter,
    FingerprintOptions,
    decontamination_decisions,
    exact_dedup_decisions,
    fingerprint_shard,
    near_dedup_decisions,
    repo_dedup_decisions,
)
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.filters import BasicFilters, LanguageStep, SecretRedactor, SyntaxFilter, redact_secrets
from seedkit.curation.funnel import arrow_table, reason_key, step_funnel, value_counts
from seedkit.curation.languages import language_of
from seedkit.curation.planted import check_planted
from seedkit.curation.repos import dependency_order, repo_text
from seedkit.curation.settings import CurationSettings, resolve_path
from seedkit.curation.sources import (
    ReadStep,
    content_id,
    iter_dataset,
    iter_repo_dir,
    list_single_files,
    record_id,
    stdlib_sample,
)
from seedkit.curation.web import decide_pages, load_seeds, read_pages, score_pages
from seedkit.runs import StageRun, load_dataset_dir

STAGE = "01_curation"
FILE_COLUMNS = ("id", "repo", "path", "language", "content", "size_bytes", "num_lines", "source")
FILTER_STEPS = ("read", "language", "basic_filters", "syntax")
STEP_ORDER = (*FILTER_STEPS, "secrets", "repo_dedup", "exact_dedup", "near_dedup", "decontamination")
RECORD_COLUMNS = ("order", "origin", "repo", "path", "abs_path", "language", "content", "size_bytes", "num_lines",
                  "source", "listing_error", "redactions", "syntax_note")


# --------------------------------------------------------------------------- schemas


def _features(kind: str, num_perm: int = 112) -> Any:
    import datasets as hf

    v = hf.Value
    record = {c: v("int64") if c in ("order", "size_bytes", "num_lines") else v("string") for c in RECORD_COLUMNS}
    return {
        "records": hf.Features(record),
        "fingerprinted": hf.Features({**record, "sha256": v("string"),
                                      "minhash": hf.List(v("uint32"), length=num_perm),
                                      "minhash_valid": v("bool"), "contamination": v("string")}),
        "files": hf.Features({"id": v("string"), "repo": v("string"), "path": v("string"), "language": v("string"),
                              "content": v("string"), "size_bytes": v("int64"), "num_lines": v("int64"),
                              "source": v("string")}),
        "repos": hf.Features({"repo": v("string"), "content": v("string"), "languages": hf.List(v("string")),
                              "num_files": v("int64")}),
        "commits": hf.Features({"id": v("string"), "repo": v("string"), "commit": v("string"), "message": v("string"),
                                "context": v("string"), "target": v("string"), "text": v("string"),
                                "retrieved": hf.List(v("string"))}),
        "web": hf.Features({"id": v("string"), "path": v("string"), "title": v("string"), "text": v("string"),
                            "code_blocks": hf.List(v("string")), "code_score": v("float64"),
                            "kept_by": v("string")}),
        "dropped": hf.Features({"id": v("string"), "repo": v("string"), "path": v("string"), "language": v("string"),
                                "step": v("string"), "reason": v("string"), "detail": v("string"),
                                "content": v("string"), "size_bytes": v("int64")}),
    }[kind]


def _dataset(kind: str, rows: list[dict[str, Any]]) -> Any:
    """A small in-memory dataset of one of the stage's kinds (an empty one keeps its schema)."""
    import datasets as hf

    feats = _features(kind)
    if not rows:
        return empty_dataset(feats)
    return hf.Dataset.from_dict({k: [r.get(k) for r in rows] for k in feats}, features=feats)


def _lang(doc: dict[str, Any]) -> str:
    return doc.get("language") or language_of(doc.get("path") or "")[0] or "unknown"


def dropped_row(d: dict[str, Any], limit: int) -> dict[str, Any]:
    """A dropped document as a ``dropped/`` row (content cut to ``limit`` characters)."""
    content = d.get("content") or ""
    return {"id": record_id(d), "repo": str(d.get("repo") or ""), "path": str(d.get("path") or ""),
            "language": _lang(d), "step": d["step"], "reason": d[REASON_COL], "detail": str(d.get("detail") or ""),
            "content": content[:limit], "size_bytes": int(d.get("size_bytes") or 0)}


def file_row(d: dict[str, Any]) -> dict[str, Any]:
    """A kept document as a ``files/`` row (docs/contracts.md); ``id`` is the SHA-256 of its normalised text."""

    text = d["content"]
    return {"id": d.get("sha256") or content_id(text), "repo": d["repo"], "path": d["path"], "language": d["language"],
            "content": text, "size_bytes": len(text.encode("utf-8")),
            "num_lines": text.count("\n") + (0 if text.endswith("\n") else 1), "source": d["source"]}


def _split(kept: Any, dropped: Any) -> Any:
    import datasets

    return datasets.DatasetDict({"kept": kept, "dropped": dropped})


def _saveable(value: Any) -> Any:
    """A step product with every empty dataset in it replaced by one that loads back (see
    :func:`seedkit.curation.chain.empty_dataset`): a step may pass an empty input through."""
    import datasets

    if isinstance(value, datasets.DatasetDict):
        return datasets.DatasetDict({k: _saveable(v) for k, v in value.items()})
    if isinstance(value, datasets.Dataset) and len(value) == 0:
        return empty_dataset(value.features)
    return value


def _progress(total: int, desc: str) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="file", leave=False)


# --------------------------------------------------------------------------- sources


def check_sources(s: CurationSettings) -> None:
    """One-line SettingsError for a source path that does not exist (every source may be empty)."""
    for name in ("repo_dirs", "single_files", "dataset_paths", "web_dirs"):
        for d in getattr(s, name):
            if not resolve_path(d).exists():
                raise SettingsError(f"{name}: {d} does not exist (resolved to {resolve_path(d)}); "
                                    f"fix the path or leave it out ({name}=[] turns the source off)")
    for r in s.commit_repos:
        if r != "." and not resolve_path(r).exists():
            raise SettingsError(f"commit_repos: {r} does not exist; give git repositories or commit_repos=[]")
    if s.web_dirs and s.web_seeds and not resolve_path(s.web_seeds).exists():
        raise SettingsError(f"web_seeds: {s.web_seeds} does not exist; give a JSONL of labelled pages "
                            "({'text', 'label': 'code'|'other'}) or web_seeds='' for no seeds")


def iter_source_records(s: CurationSettings, say: Callable[[str], None] = print) -> Iterator[dict[str, Any]]:
    """Every record of every source, in the stage's order (repositories, single files, stdlib, datasets);
    ``order`` numbers them and ``origin`` says which source each came from."""
    check_sources(s)

    def tagged(origin: str, records: Any) -> Iterator[dict[str, Any]]:
        for rec in records:
            rec["origin"] = origin
            yield rec

    streams: list[Iterator[dict[str, Any]]] = [tagged(f"repo_dirs:{d}", iter_repo_dir(resolve_path(d))) for d in s.repo_dirs]
    if s.single_files:
        streams.append(tagged("single_files", list_single_files([resolve_path(f) for f in s.single_files])))
    if s.stdlib_sample_files > 0:
        recs = stdlib_sample(s.stdlib_sample_files, seed=s.seed)
        say(f"[{STAGE}] stdlib sample: {len(recs)} files of the running Python's standard library "
            f"(stdlib_sample_files={s.stdlib_sample_files}, profile {s.profile}, seed {s.seed}): real code nobody here wrote")
        streams.append(tagged("stdlib_sample", recs))
    streams += [tagged(f"dataset_paths:{d}", iter_dataset(resolve_path(d), s.dataset_content_column))
                for d in s.dataset_paths]
    order = 0
    for stream in streams:
        for rec in stream:
            rec["order"] = order
            order += 1
            yield rec


def list_sources(s: CurationSettings, workdir: Path, say: Callable[[str], None] = print) -> Any:
    """Step ``sources``: one record per file or dataset row, texts not yet read (dataset rows carry theirs)."""
    w = ShardWriter(workdir / "sources.arrow", _features("records"))
    shard: list[dict[str, Any]] = []
    size = 0
    for rec in iter_source_records(s, say):
        shard.append(rec)
        size += len(rec["content"])  # dataset rows carry their text; files are read later
        if len(shard) >= 1024 or size >= SHARD_BYTES:
            w.write(shard)
            shard, size = [], 0
    w.write(shard)
    return w.dataset()


# --------------------------------------------------------------------------- per-file steps


def _run_file_steps(state: tuple[list[Any], int], shard: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    steps, limit = state
    kept, dropped = run_steps_on_shard(steps, shard)
    for d in dropped:
        d["detail"] = d.get("syntax_note") or ""  # the syntax step notes parser disagreements
    return kept, [dropped_row(d, limit) for d in dropped]


def _per_file(s: CurationSettings, ds: Any, steps: list[Any], workdir: Path, name: str) -> Any:
    kept_w = ShardWriter(workdir / f"{name}-kept.arrow", _features("records"))
    drop_w = ShardWriter(workdir / f"{name}-dropped.arrow", _features("dropped"))
    num_proc = s.num_proc if len(ds) > 256 else 1  # one shard: a process pool would only add its start-up
    bar = _progress(len(ds), f"{name} ({'+'.join(st.name for st in steps)})")
    for kept, dropped in map_shards(_run_file_steps, iter_shards(ds, RECORD_COLUMNS), (steps, s.dropped_content_chars),
                                    num_proc):
        kept_w.write(kept)
        drop_w.write(dropped)
        bar.update(len(kept) + len(dropped))
    bar.close()
    return _split(kept_w.dataset(), drop_w.dataset())


def filter_steps(s: CurationSettings) -> list[Any]:
    """The per-file filters in order: read, language, basic filters, syntax (when ``syntax_check``)."""
    steps: list[Any] = [ReadStep(s.max_file_bytes), LanguageStep(s.keep_unknown_languages), BasicFilters.from_settings(s)]
    if s.syntax_check:
        steps.append(SyntaxFilter(s.python_syntax_check))
    return steps


def filter_files(s: CurationSettings, sources: Any, workdir: Path) -> Any:
    """Step ``filters``: read each file (encoding detected; binary, empty, oversize out), name its
    language, apply the basic filters and the syntax check. ``{"kept", "dropped"}``."""
    return _per_file(s, sources, filter_steps(s), workdir, "filters")


def redact_files(s: CurationSettings, files: Any, workdir: Path) -> Any:
    """Step ``secrets``: keys, tokens, passwords and e-mail addresses replaced (never dropped);
    ``redactions`` counts them per file. A no-op with ``redact_secrets=False``."""
    if not s.redact_secrets:
        return _split(files, _dataset("dropped", []))
    return _per_file(s, files, [SecretRedactor()], workdir, "secrets")


# --------------------------------------------------------------------------- fingerprints and corpus-level steps


def fingerprint_files(s: CurationSettings, files: Any, workdir: Path, decontaminator: Decontaminator | None) -> Any:
    """Step ``fingerprints``: each file's SHA-256, MinHash signature and benchmark overlap, in one
    pass over the texts (tokenised once). Adds ``sha256``, ``minhash``, ``minhash_valid`` and
    ``contamination`` columns; drops nothing."""
    num_perm = s.lsh_bands * s.lsh_rows
    fp = Fingerprinter(FingerprintOptions.from_settings(s, decontaminator if s.decontaminate else None))
    w = ShardWriter(workdir / "fingerprints.arrow", _features("fingerprinted", num_perm))
    num_proc = s.num_proc if len(files) > 256 else 1
    bar = _progress(len(files), "fingerprints (sha256, minhash, benchmark n-grams)")
    import pyarrow as pa

    for shard, sig in map_shards(fingerprint_shard, iter_shards(files, RECORD_COLUMNS), fp, num_proc):
        w.write(shard, minhash=pa.FixedSizeListArray.from_arrays(pa.array(sig.ravel(), pa.uint32()), num_perm))
        bar.update(len(shard))
    bar.close()
    return w.dataset()


def column(ds: Any, name: str) -> list[Any]:
    """One column of a dataset as a Python list (read from Arrow, no row dicts)."""
    return arrow_table(ds).column(name).to_pylist()


def signatures(ds: Any) -> tuple[Any, Any]:
    """(n x num_perm uint32 MinHash matrix, validity) of a fingerprinted dataset."""
    import numpy as np

    t = arrow_table(ds)
    n = t.num_rows
    if n == 0:
        return np.zeros((0, 0), np.uint32), np.zeros(0, bool)
    flat = t.column("minhash").combine_chunks().flatten()
    return np.asarray(flat, dtype=np.uint32).reshape(n, -1), np.asarray(t.column("minhash_valid").to_pylist(), bool)


def split_by(s: CurationSettings, ds: Any, decisions: list[Any], step: str, workdir: Path) -> Any:
    """``{"kept", "dropped"}`` from per-file decisions (None = kept, else (reason, detail))."""
    keep = [i for i, d in enumerate(decisions) if d is None]
    drop = [i for i, d in enumerate(decisions) if d is not None]
    w = ShardWriter(workdir / f"{step}-dropped.arrow", _features("dropped"))
    if drop:
        it = iter(drop)
        for shard in iter_shards(ds.select(drop), ("repo", "path", "language", "content", "size_bytes")):
            rows = []
            for d in shard:
                reason, detail = decisions[next(it)]
                rows.append(dropped_row({**d, "step": step, REASON_COL: reason, "detail": detail}, s.dropped_content_chars))
            w.write(rows)
    if not drop:
        return _split(ds, w.dataset())
    # a selection is saved (StageRun.step) in 100-row batches: see small_save_batches
    return _split(ds.select(keep) if keep else empty_dataset(ds.features), w.dataset())


def dedup_repositories(s: CurationSettings, files: Any, workdir: Path) -> Any:
    """Step ``repo_dedup``: whole repositories that copy an earlier one, exactly or nearly, go."""
    if not (s.exact_dedup or s.near_dedup):
        return _split(files, _dataset("dropped", []))
    sig, valid = signatures(files) if s.near_dedup else (None, None)
    decisions = repo_dedup_decisions(column(files, "repo"), column(files, "sha256"), sig, valid, exact=s.exact_dedup,
                                     near=s.near_dedup, bands=s.lsh_bands, rows=s.lsh_rows,
                                     min_jaccard=s.near_dup_min_jaccard)
    return split_by(s, files, decisions, "repo_dedup", workdir)


def dedup_exact(s: CurationSettings, files: Any, workdir: Path) -> Any:
    """Step ``exact_dedup``: files whose normalised text equals an earlier file's go."""
    if not s.exact_dedup:
        return _split(files, _dataset("dropped", []))
    decisions = exact_dedup_decisions(column(files, "repo"), column(files, "path"), column(files, "sha256"))
    return split_by(s, files, decisions, "exact_dedup", workdir)


def dedup_near(s: CurationSettings, files: Any, workdir: Path) -> Any:
    """Step ``near_dedup``: files in a MinHash LSH cluster with an earlier file go."""
    if not s.near_dedup:
        return _split(files, _dataset("dropped", []))
    sig, valid = signatures(files)
    decisions = near_dedup_decisions(column(files, "repo"), column(files, "path"), sig, valid, bands=s.lsh_bands,
                                     rows=s.lsh_rows, min_jaccard=s.near_dup_min_jaccard)
    return split_by(s, files, decisions, "near_dedup", workdir)


def decontaminate_files(s: CurationSettings, files: Any, workdir: Path) -> Any:
    """Step ``decontamination``: files sharing a ``decontam_ngram``-gram with a benchmark problem go."""
    if not s.decontaminate:
        return _split(files, _dataset("dropped", []))
    decisions = decontamination_decisions(column(files, "contamination"), s.decontam_ngram)
    return split_by(s, files, decisions, "decontamination", workdir)


def repository_rows(s: CurationSettings, files: Any, workdir: Path) -> Any:
    """Step ``repos``: one row per repository, its kept files concatenated with dependencies first.

    Files are visited sorted by repository, so only one repository is in memory at a time."""
    repos = column(files, "repo")
    order = sorted(range(len(repos)), key=lambda i: (repos[i], i))
    w = ShardWriter(workdir / "repos.arrow", _features("repos"))
    current: list[dict[str, Any]] = []

    def flush() -> None:
        if current:
            ordered = dependency_order(current)
            w.write([{"repo": current[0]["repo"], "content": repo_text(ordered),
                      "languages": sorted({f["language"] for f in ordered}), "num_files": len(ordered)}])
            current.clear()

    if order:
        for shard in iter_shards(files.select(order), ("repo", "path", "language", "content")):
            for f in shard:
                if current and f["repo"] != current[0]["repo"]:
                    flush()
                current.append(f)
        flush()
    return w.dataset()


# --------------------------------------------------------------------------- commits and web


def commit_rows(s: CurationSettings, decontaminator: Decontaminator | None, say: Callable[[str], None] = print
                ) -> dict[str, Any]:
    """Step ``commits``: code-change samples from ``commit_repos`` (message + README, tree and the
    ``commit_context_files`` most relevant files -> changed paths + diff), secrets redacted,
    contaminated samples dropped. ``{"rows", "skipped", "dropped", "messages", "redactions"}``."""

    rows: list[dict[str, Any]] = []
    out: dict[str, Any] = {"skipped": Counter(), "dropped": Counter(), "messages": [], "redactions": Counter()}
    for r in s.commit_repos:
        path = resolve_path(r) if r != "." else REPO_ROOT
        res = commit_samples(path, CommitOptions(max_commits=s.max_commits, context_files=s.commit_context_files))
        out["skipped"].update(res.skipped)
        for m in res.messages:
            say(f"[{STAGE}] {m}")
            out["messages"].append(m)
        for row in res.rows:
            if s.redact_secrets:
                for k in ("message", "context", "target", "text"):
                    row[k], c = redact_secrets(row[k])
                    out["redactions"].update({f"commit_{kk}": vv for kk, vv in c.items()})
            if decontaminator is not None and decontaminator.check(row["text"])[0]:
                out["dropped"]["contaminated"] += 1
                continue
            rows.append(row)
    return {"rows": rows, **{k: dict(v) if isinstance(v, Counter) else v for k, v in out.items()}}


def web_rows(s: CurationSettings, decontaminator: Decontaminator | None, say: Callable[[str], None] = print
             ) -> dict[str, Any]:
    """Step ``web``: pages from ``web_dirs``; a fastText classifier decides on every page (pages with
    code blocks seed its training, cross-fitted). ``{"rows", "dropped", "classifier", "redactions"}``."""

    paths: list[Path] = []
    for d in s.web_dirs:
        p = resolve_path(d)
        paths += sorted(x for x in p.rglob("*") if x.suffix.lower() in (".html", ".htm")) if p.is_dir() else [p]
    pages, unreadable = read_pages(paths)
    seeds = load_seeds(resolve_path(s.web_seeds)) if s.web_seeds else []
    scores, how = score_pages(pages, seeds, s.web_rule_seeds, seed=s.seed)
    if pages and scores is None:
        say(f"[{STAGE}] web: {how}; the code-tags rule decides instead (give web_seeds to train a classifier)")
    res = decide_pages(pages, unreadable, None, s.web_min_code_score, scores)
    kept: list[dict[str, Any]] = []
    redactions: Counter[str] = Counter()
    for row in res.rows:
        if s.redact_secrets:
            row["text"], c = redact_secrets(row["text"])
            redactions.update({f"web_{k}": v for k, v in c.items()})
        if decontaminator is not None and decontaminator.check(row["text"] + "\n" + "\n".join(row["code_blocks"]))[0]:
            res.dropped.append({"id": row["id"], "path": row["path"], "reason": "contaminated", "content": row["text"][:2000],
                                "code_score": row["code_score"]})
            continue
        kept.append(row)
    how = (f"{how}; a page is kept at P(code) >= {s.web_min_code_score}" if scores is not None
           else "none (no seeds to train one): the code-tags rule decided")
    if pages and scores is not None:
        say(f"[{STAGE}] web: {how}")
    return {"rows": kept, "dropped": res.dropped, "classifier": how,
            "pages_in": len(paths), "redactions": dict(redactions)}


# --------------------------------------------------------------------------- result


@dataclass
class CurationResult:
    """What the notebook plots from; datasets load lazily from the stage directory."""

    path: Path
    stats: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path) -> CurationResult:
        import json

        path = Path(path)
        return cls(path=path, stats=json.loads((path / "stats.json").read_text(encoding="utf-8")))

    def dataset(self, name: str) -> Any:

        return load_dataset_dir(self.path / name)

    @property
    def files(self) -> Any:
        return self.dataset("files")

    @property
    def repos(self) -> Any:
        return self.dataset("repos")

    @property
    def commits(self) -> Any:
        return self.dataset("commits")

    @property
    def web(self) -> Any:
        return self.dataset("web")

    @property
    def dropped(self) -> Any:
        return self.dataset("dropped")

    def why(self, repo: str, path: str) -> str:
        """The fate of one file: 'kept', '<step>/<reason> (<detail>)', or 'not in this run's sources'."""
        d = self.dropped
        for i, (r, p) in enumerate(zip(column(d, "repo"), column(d, "path"), strict=True)):
            if r == repo and p == path:
                row = d[i]
                return f"{row['step']}/{row['reason']}" + (f" ({row['detail']})" if row["detail"] else "")
        f = self.files
        if any(r == repo and p == path for r, p in zip(column(f, "repo"), column(f, "path"), strict=True)):
            return "kept"
        return "not in this run's sources"


# --------------------------------------------------------------------------- the stage, one step at a time


def uses_kit_samples(s: CurationSettings) -> dict[str, bool]:
    """Which of the kit's own sample folders this run reads: the planted-file checks apply to those only."""
    def has(paths: list[str], sample: Path) -> bool:
        return any(resolve_path(p).resolve() == sample.resolve() for p in paths)

    return {"repos": has(s.repo_dirs, DATA_SAMPLES / "repos"), "web": has(s.web_dirs, DATA_SAMPLES / "web")}


class CurationSteps:
    """Stage 01, one step per method; each product is saved by ``StageRun.step`` and reused on a rerun.

    ``steps = CurationSteps(settings)`` opens the stage (a finished stage with the same settings is
    kept; ``force=True`` drops the saved steps of these settings and redoes them). Then::

        sources = steps.sources()
        filtered = steps.filters(sources)            # {"kept", "dropped"}
        redacted = steps.secrets(filtered["kept"])
        fp = steps.fingerprints(redacted["kept"])
        repo = steps.repo_dedup(fp)
        exact = steps.exact_dedup(repo["kept"])
        near = steps.near_dedup(exact["kept"])
        clean = steps.decontamination(near["kept"])
        repos = steps.repos(clean["kept"])
        commits = steps.commits()
        web = steps.web()
        result = steps.finish()                       # files/, repos/, commits/, web/, dropped/, stats.json
    """

    def __init__(self, settings: CurationSettings | None = None, say: Callable[[str], None] = print):
        s = settings or CurationSettings.from_params("smol")
        check_sources(s)
        self.s = s
        self.say = say
        self.run = StageRun(s)
        self.done = self.run.is_done({}, quiet=say is not print)
        self.products: dict[str, Any] = {}
        self._decontam: Decontaminator | None = None
        if not self.done:
            self.run.start({})  # force=True deletes the saved steps there
        say(f"[{STAGE}] near dedup: MinHash {s.lsh_bands}x{s.lsh_rows} over word {s.shingle_ngram}-grams "
            f"(threshold ~{s.lsh_threshold:.2f}; a pair of Jaccard 0.85 is caught with p={s.catch_probability(0.85):.2f}, "
            f"0.7 with p={s.catch_probability(0.7):.2f})")
        say(f"[{STAGE}] num_proc={s.num_proc}: " + ("every step runs in this process" if s.num_proc <= 1 else
            f"per-file steps and fingerprints run on {s.num_proc} processes, {256} files a shard "
            "(corpora of one shard stay in this process)"))

    # ----------------------------------------------------------------- plumbing

    def _step(self, name: str, compute: Callable[[Path], Any], dataset: bool = True) -> Any:
        self.run.path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.run.path, prefix=".work-") as tmp, small_save_batches():
            value = self.run.step(name, lambda: _saveable(compute(Path(tmp))), dataset=dataset)
        self.products[name] = value
        return value

    @property
    def decontaminator(self) -> Decontaminator | None:
        """The benchmark n-gram index (built once, on first use), or None with ``decontaminate=False``."""
        if self.s.decontaminate and self._decontam is None:
            t = time.perf_counter()
            self._decontam = Decontaminator.default(ngram=self.s.decontam_ngram)
            self.run.timings["decontam_index"] = round(time.perf_counter() - t, 3)
            self.say(f"[{STAGE}] decontamination: {self._decontam.num_problems} problems (HumanEval, held-out, basic "
                     f"tier), {len(self._decontam)} {self.s.decontam_ngram}-grams indexed")
        return self._decontam

    # ----------------------------------------------------------------- steps

    def sources(self) -> Any:
        return self._step("sources", lambda w: list_sources(self.s, w, self.say))

    def filters(self, sources: Any) -> Any:
        return self._step("filters", lambda w: filter_files(self.s, sources, w))

    def secrets(self, files: Any) -> Any:
        return self._step("secrets", lambda w: redact_files(self.s, files, w))

    def fingerprints(self, files: Any) -> Any:
        return self._step("fingerprints", lambda w: fingerprint_files(self.s, files, w, self.decontaminator))

    def repo_dedup(self, files: Any) -> Any:
        return self._step("repo_dedup", lambda w: dedup_repositories(self.s, files, w))

    def exact_dedup(self, files: Any) -> Any:
        return self._step("exact_dedup", lambda w: dedup_exact(self.s, files, w))

    def near_dedup(self, files: Any) -> Any:
        return self._step("near_dedup", lambda w: dedup_near(self.s, files, w))

    def decontamination(self, files: Any) -> Any:
        return self._step("decontamination", lambda w: decontaminate_files(self.s, files, w))

    def repos(self, files: Any) -> Any:
        return self._step("repos", lambda w: repository_rows(self.s, files, w))

    def commits(self) -> dict[str, Any]:
        return self._step("commits", lambda w: commit_rows(self.s, self.decontaminator, self.say), dataset=False)

    def web(self) -> dict[str, Any]:
        return self._step("web", lambda w: web_rows(self.s, self.decontaminator, self.say), dataset=False)

    # ----------------------------------------------------------------- views

    def funnel_steps(self) -> list[tuple[str, tuple[str, ...]]]:
        """(product name, funnel steps it covers) for the steps these settings run."""
        s = self.s
        out = [("filters", tuple(x for x in FILTER_STEPS if x != "syntax" or s.syntax_check))]
        out += [(name, (name,)) for name, on in (
            ("secrets", s.redact_secrets), ("repo_dedup", s.exact_dedup or s.near_dedup),
            ("exact_dedup", s.exact_dedup), ("near_dedup", s.near_dedup), ("decontamination", s.decontaminate)) if on]
        return out

    def funnel(self) -> list[dict[str, Any]]:
        """The funnel of the steps run so far, in order."""
        entries: list[dict[str, Any]] = []
        for name, covers in self.funnel_steps():
            if name in self.products:
                entries += step_funnel(self.products[name], covers)
        for prev, entry in zip(entries, entries[1:], strict=False):
            entry["bytes_in"] = prev["bytes_out"]  # redaction shortens texts inside the secrets step
        return entries

    # ----------------------------------------------------------------- outputs

    def finish(self) -> CurationResult:
        """Write files/, repos/, commits/, web/, dropped/, stats.json and the manifest (last)."""
        if self.done:
            return CurationResult.load(self.run.path)
        need = ["sources", *(n for n, _ in self.funnel_steps()), "fingerprints", "repos", "commits", "web"]
        missing = [n for n in need if n not in self.products]
        if missing:
            raise RuntimeError(f"[{STAGE}] finish: run the step(s) {', '.join(missing)} first (their cells, in order)")
        return _write_outputs(self)


def _final(products: dict[str, Any]) -> Any:
    for name in ("decontamination", "near_dedup", "exact_dedup", "repo_dedup"):
        if name in products:
            return products[name]["kept"]
    return products["fingerprints"]


def _write_outputs(st: CurationSteps) -> CurationResult:
    import datasets

    s, run, p = st.s, st.run, st.products
    t0 = time.perf_counter()
    funnel = st.funnel()
    final = _final(p)
    n_in = len(p["sources"])
    dropped_parts = [p[name]["dropped"] for name, _ in st.funnel_steps()]
    n_dropped = sum(len(d) for d in dropped_parts)
    if len(final) + n_dropped != n_in:
        raise RuntimeError(f"curation lost documents: {n_in} in, {len(final)} kept + {n_dropped} dropped")
    web = p["web"]
    web_dropped = [{"id": w["id"], "repo": "web", "path": w["path"], "language": "html", "step": "web",
                    "reason": w["reason"], "detail": "", "content": (w.get("content") or "")[: s.dropped_content_chars],
                    "size_bytes": 0} for w in web["dropped"]]
    with tempfile.TemporaryDirectory(dir=run.path, prefix=".work-") as tmp, run.timer("save"), small_save_batches():
        w = ShardWriter(Path(tmp) / "files.arrow", _features("files"))
        cols = ("sha256", "repo", "path", "language", "content", "source")
        for shard in iter_shards(final, cols):
            w.write([file_row(d) for d in shard])
        files = w.dataset()
        run.save_dataset("files", files)
        run.save_dataset("repos", _saveable(p["repos"]))
        run.save_dataset("commits", _dataset("commits", p["commits"]["rows"]))
        run.save_dataset("web", _dataset("web", web["rows"]))
        parts = [d for d in dropped_parts if len(d)] + [_dataset("dropped", web_dropped)]
        run.save_dataset("dropped", datasets.concatenate_datasets(parts))
    redactions: Counter[str] = Counter()
    syntax: Counter[str] = value_counts(p["filters"]["kept"], "syntax_note")
    syntax.pop("", None)
    dropped_syntax = p["filters"]["dropped"]
    for step_, detail in zip(column(dropped_syntax, "step"), column(dropped_syntax, "detail"), strict=True):
        if step_ == "syntax" and detail:
            syntax[detail] += 1
    if "secrets" in p:
        for cell in column(p["secrets"]["kept"], "redactions"):
            for part in filter(None, (cell or "").split(",")):
                k, _, v = part.partition(":")
                redactions[k] += int(v)
    redactions.update(p["commits"]["redactions"])
    redactions.update(web["redactions"])
    ids = column(files, "id")
    kept_by_language = value_counts(files, "language")
    dropped_by_step: Counter[str] = Counter()
    dropped_by_reason: Counter[str] = Counter()
    for f in funnel:
        dropped_by_step[f["step"]] += f["docs_in"] - f["docs_out"]
        dropped_by_reason.update(f["dropped_by_reason"])
    repos = p["repos"]
    commits = p["commits"]
    stats = {
        "funnel": funnel,
        "files": {"docs_in": n_in, "docs_out": len(files), "docs_dropped": n_dropped,
                  "bytes_out": int(sum(column(files, "size_bytes"))),
                  "kept_fraction": round(len(files) / max(1, n_in), 4),
                  "kept_by_language": dict(kept_by_language.most_common()),
                  "dropped_by_step": {k: v for k, v in dropped_by_step.items() if v},
                  "dropped_by_reason": dict(dropped_by_reason.most_common())},
        "sources": dict(value_counts(p["sources"], "origin")),
        "redactions": dict(redactions),
        "syntax_crosscheck": dict(syntax),
        "repos": {"repos_out": len(repos), "files_in_repos": int(sum(column(repos, "num_files")))},
        "commits": {"samples": len(commits["rows"]), "skipped": commits["skipped"], "dropped": commits["dropped"],
                    "messages": commits["messages"], "context_files": s.commit_context_files},
        "web": {"pages_in": web["pages_in"], "pages_out": len(web["rows"]), "classifier": web["classifier"],
                "kept_by": dict(Counter(r["kept_by"] for r in web["rows"])),
                "dropped_by_reason": dict(Counter(r["reason"] for r in web["dropped"])),
                "scores": {Path(r["path"]).name: r["code_score"] for r in web["rows"]}
                | {Path(r["path"]).name: r.get("code_score") for r in web["dropped"]}},
        "timings_s": {**run.timings, "write_outputs": round(time.perf_counter() - t0, 3)},
        "settings": {"lsh_threshold": round(s.lsh_threshold, 4), "catch_p_at_0.85": round(s.catch_probability(0.85), 4),
                     "catch_p_at_0.7": round(s.catch_probability(0.7), 4)},
        "fingerprint": hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16],
    }
    run.save_json("stats.json", stats)
    st.say(f"[{STAGE}] kept {len(files)}/{n_in} files ({stats['files']['kept_fraction']:.1%}), {len(repos)} repos, "
           f"{len(commits['rows'])} commit samples, {len(web['rows'])}/{web['pages_in']} web pages")
    run.finish(metrics={"files_in": n_in, "files_out": len(files), "repos": len(repos),
                        "commits": len(commits["rows"]), "web_pages": len(web["rows"]),
                        "dropped_by_reason": dict(dropped_by_reason.most_common())})
    return CurationResult(path=run.path, stats=stats)


def run_curation(settings: CurationSettings | None = None, say: Callable[[str], None] = print) -> CurationResult:
    """Stage 01 end to end (``seedkit run``): the notebook's steps in order, or the finished stage's result."""
    st = CurationSteps(settings, say)
    if st.done:
        return st.finish()
    sources = st.sources()
    kept = st.filters(sources)["kept"]
    kept = st.secrets(kept)["kept"]
    kept = st.fingerprints(kept)
    kept = st.repo_dedup(kept)["kept"]
    kept = st.exact_dedup(kept)["kept"]
    kept = st.near_dedup(kept)["kept"]
    kept = st.decontamination(kept)["kept"]
    st.repos(kept)
    st.commits()
    st.web()
    return st.finish()


def planted_check(result: CurationResult, settings: CurationSettings) -> list[dict[str, Any]] | None:
    """The planted-file table for a run that read the kit's own samples; None for other sources."""

    kit = uses_kit_samples(settings)
    if not kit["repos"]:
        return None
    dropped = result.dropped
    steps = column(dropped, "step")
    file_drops = dropped.select([i for i, st_ in enumerate(steps) if st_ != "web"]).to_list()
    web = None
    if kit["web"]:
        web = dropped.select([i for i, st_ in enumerate(steps) if st_ == "web"]).to_list() + result.web.to_list()
    return check_planted(file_drops, result.files.to_list(), web)


def dropped_examples(dropped: Any, per_reason: int = 1) -> dict[str, list[dict[str, Any]]]:
    """The first ``per_reason`` dropped rows of every ``step / reason``, for paging through in the notebook."""
    steps_, reasons = column(dropped, "step"), column(dropped, "reason")
    picked: dict[str, list[int]] = defaultdict(list)
    for i, (st_, r) in enumerate(zip(steps_, reasons, strict=True)):
        key = f"{st_} / {reason_key(r)}"
        if len(picked[key]) < per_reason:
            picked[key].append(i)
    return {k: [dropped[i] for i in idx] for k, idx in sorted(picked.items())}
