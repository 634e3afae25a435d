"""Stage 01 entry point: ``run_curation(settings) -> CurationResult``.

Sources -> read -> language -> basic filters -> syntax -> secrets -> repository-level dedup ->
file exact dedup -> file near dedup -> decontamination, every step recording (kept, reason) per
document; then repository rows in dependency order, commit samples and web pages. Every input
ends in exactly one of ``files/`` or ``dropped/`` (checked before anything is saved), and
``stats.json`` holds the funnel: documents and bytes in and out of each step, by language and
by reason.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.curation.chain import REASON_COL, apply_step
from seedkit.curation.commits import CommitOptions, commit_samples
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.dedup import (
    exact_duplicates,
    lsh_clusters,
    signatures_of,
    token_hashes,
    union_signatures,
)
from seedkit.curation.filters import BasicFilters, LanguageStep, SecretRedactor, SyntaxFilter, redact_secrets
from seedkit.curation.languages import language_of
from seedkit.curation.repos import build_repo_rows
from seedkit.curation.settings import CurationSettings, resolve_path
from seedkit.curation.sources import (
    ReadStep,
    content_id,
    list_dataset,
    list_repo_dir,
    list_single_files,
    normalise,
    record_id,
    stdlib_sample,
)
from seedkit.curation.web import CodePageClassifier, load_seeds, process_pages
from seedkit.runs import StageRun

FILE_COLUMNS = ("id", "repo", "path", "language", "content", "size_bytes", "num_lines", "source")
STEP_ORDER = ("read", "language", "basic_filters", "syntax", "secrets", "repo_dedup", "exact_dedup",
              "near_dedup", "decontamination")


# --------------------------------------------------------------------------- funnel


def _lang(doc: dict[str, Any]) -> str:
    return doc.get("language") or language_of(doc.get("path") or "")[0] or "unknown"


def _reason_key(reason: str) -> str:
    return reason.split(":")[0]


@dataclass
class Funnel:
    """Per-step counts: docs and bytes in/out, by language and by reason."""

    steps: list[dict[str, Any]] = field(default_factory=list)

    def record(self, step: str, bytes_in: int, kept: list[dict[str, Any]], dropped: list[dict[str, Any]],
               in_by_language: Counter[str] | None = None) -> None:
        out_lang = Counter(_lang(d) for d in kept)
        drop_lang: dict[str, Counter[str]] = defaultdict(Counter)
        for d in dropped:
            drop_lang[_lang(d)][_reason_key(d[REASON_COL])] += 1
        in_lang = in_by_language if in_by_language is not None else out_lang + Counter(_lang(d) for d in dropped)
        self.steps.append({
            "step": step,
            "docs_in": len(kept) + len(dropped), "docs_out": len(kept),
            "bytes_in": int(bytes_in), "bytes_out": int(sum(d["size_bytes"] for d in kept)),
            "dropped_by_reason": dict(Counter(_reason_key(d[REASON_COL]) for d in dropped).most_common()),
            "in_by_language": dict(in_lang.most_common()),
            "out_by_language": dict(out_lang.most_common()),
            "dropped_by_language": {k: dict(v) for k, v in sorted(drop_lang.items())},
        })


def _bytes(docs: list[dict[str, Any]]) -> int:
    return sum(int(d.get("size_bytes") or 0) for d in docs)


# --------------------------------------------------------------------------- result


@dataclass
class CurationResult:
    """What the notebook plots from; datasets load lazily from the stage directory."""

    path: Path
    stats: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path) -> CurationResult:
        path = Path(path)
        return cls(path=path, stats=json.loads((path / "stats.json").read_text(encoding="utf-8")))

    def dataset(self, name: str) -> Any:
        import datasets

        return datasets.load_from_disk(str(self.path / name))

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
        """The fate of one file: 'kept' or '<step>/<reason> (<detail>)'."""
        for row in self.dropped.filter(lambda r: r["repo"] == repo and r["path"] == path):
            return f"{row['step']}/{row['reason']}" + (f" ({row['detail']})" if row["detail"] else "")
        if len(self.files.filter(lambda r: r["repo"] == repo and r["path"] == path)):
            return "kept"
        return "not in this run's sources"


# --------------------------------------------------------------------------- sources


def collect_sources(s: CurationSettings, say: Any = print) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every file/row record of every source, and a summary of where they came from."""
    records: list[dict[str, Any]] = []
    summary: dict[str, Any] = {}
    for d in s.repo_dirs:
        p = resolve_path(d)
        recs = list_repo_dir(p)
        summary[f"repo_dir:{d}"] = len(recs)
        records += recs
    if s.single_files:
        recs = list_single_files([resolve_path(f) for f in s.single_files])
        summary["single_files"] = len(recs)
        records += recs
    if s.stdlib_sample_files > 0:
        recs = stdlib_sample(s.stdlib_sample_files, seed=s.seed)
        summary["stdlib_sample"] = len(recs)
        say(f"[01_curation] stdlib sample: {len(recs)} files of the running Python's standard library "
            f"(stdlib_sample_files={s.stdlib_sample_files}, profile {s.profile}, seed {s.seed}): real code nobody here wrote")
        records += recs
    for d in s.dataset_paths:
        recs = list_dataset(resolve_path(d), s.dataset_content_column)
        summary[f"dataset:{d}"] = len(recs)
        records += recs
    return records, summary


# --------------------------------------------------------------------------- the file chain


def file_steps(s: CurationSettings) -> list[Any]:
    """The per-file step objects in order (also used by the datatrove pipeline)."""
    steps: list[Any] = [ReadStep(s.max_file_bytes), LanguageStep(s.keep_unknown_languages), BasicFilters.from_settings(s)]
    if s.syntax_check:
        steps.append(SyntaxFilter(s.python_syntax_check))
    if s.redact_secrets:
        steps.append(SecretRedactor())
    return steps


def _mark(doc: dict[str, Any], reason: str, detail: str = "") -> dict[str, Any]:
    doc[REASON_COL] = reason
    doc["detail"] = detail
    return doc


def _content_hashes(docs: list[dict[str, Any]]) -> None:
    """sha256 of each doc's normalised content, once (file and repository exact dedup share it)."""
    for d in docs:
        if "_sha" not in d:
            d["_sha"] = hashlib.sha256(normalise(d["content"]).encode("utf-8", errors="replace")).hexdigest()


def _signatures(docs: list[dict[str, Any]], s: CurationSettings) -> tuple[Any, Any]:
    """MinHash signatures of every doc, computed once; docs remember their row in ``_sig_row``."""
    toks = token_hashes([d["content"] for d in docs])
    sig, valid = signatures_of([], s.shingle_ngram, s.lsh_bands * s.lsh_rows, s.minhash_seed, tokens=toks)
    for i, d in enumerate(docs):
        d["_sig_row"] = i
        d["_tok"] = toks[i]  # decontamination reuses the token hashes
    return sig, valid


def dedup_repos(docs: list[dict[str, Any]], s: CurationSettings, sig: Any = None, valid: Any = None
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Repository level: whole repositories that duplicate an earlier one (exactly or nearly) go.

    Exact: the sorted content hashes of the repository's files. Near: the MinHash of a repository
    is the element-wise minimum of its files' MinHashes (the MinHash of the union of their
    shingles), so no text is hashed twice.
    """
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        groups[d["repo"]].append(d)
    names = list(groups)  # first appearance: the earlier source wins, as at file level
    fate: dict[str, tuple[str, str]] = {}
    if s.exact_dedup:
        _content_hashes(docs)
        keys = ["\n".join(sorted(f["_sha"] for f in groups[r])) for r in names]
        for i, j in enumerate(exact_duplicates(keys)):
            if j is not None:
                fate[names[i]] = ("exact_duplicate_repo", f"same content as repo {names[j]}")
    if s.near_dedup:
        if sig is None:
            sig, valid = _signatures(docs, s)
        live = [i for i in range(len(names)) if names[i] not in fate]
        rsig, rvalid = union_signatures(sig, valid, [[f["_sig_row"] for f in groups[names[i]]] for i in live])
        res = lsh_clusters(rsig, s.lsh_bands, s.lsh_rows, s.near_dup_min_jaccard, rvalid)
        for k, j in enumerate(res):
            if j is not None:
                fate[names[live[k]]] = ("near_duplicate_repo", f"near duplicate of repo {names[live[j]]}")
    kept, dropped = [], []
    for d in docs:
        if d["repo"] in fate:
            dropped.append(_mark(d, *fate[d["repo"]]))
        else:
            kept.append(d)
    return kept, dropped


def dedup_files_exact(docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    _content_hashes(docs)
    first: dict[str, dict[str, Any]] = {}
    kept, dropped = [], []
    for d in docs:
        orig = first.setdefault(d["_sha"], d)
        if orig is d:
            kept.append(d)
        else:
            dropped.append(_mark(d, "exact_duplicate", f"of {orig['repo']}/{orig['path']}"))
    return kept, dropped


def dedup_files_near(docs: list[dict[str, Any]], s: CurationSettings, sig: Any = None, valid: Any = None
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if sig is None:
        sig, valid = _signatures(docs, s)
    rows = [d["_sig_row"] for d in docs]
    res = lsh_clusters(sig[rows], s.lsh_bands, s.lsh_rows, s.near_dup_min_jaccard, valid[rows])
    kept, dropped = [], []
    for d, j in zip(docs, res, strict=True):
        if j is None:
            kept.append(d)
        else:
            dropped.append(_mark(d, "near_duplicate", f"of {docs[j]['repo']}/{docs[j]['path']}"))
    return kept, dropped


def run_corpus_steps(docs: list[dict[str, Any]], s: CurationSettings, decontaminator: Decontaminator | None,
                     account: Any, timings: dict[str, float], sig: Any = None, valid: Any = None) -> list[dict[str, Any]]:
    """Corpus-level steps in order (repository dedup, exact, near, decontamination); returns kept docs.

    ``account(step, bytes_in, kept, dropped)`` records each step and returns the kept docs. MinHash
    signatures are computed once for both dedup levels unless given (the datatrove pipeline
    computes them in parallel in its first stage).
    """
    if s.near_dedup and sig is None:
        t = time.perf_counter()
        sig, valid = _signatures(docs, s)
        timings["minhash_signatures"] = round(time.perf_counter() - t, 3)
    for name, enabled, fn in (
        ("repo_dedup", s.exact_dedup or s.near_dedup, lambda ds: dedup_repos(ds, s, sig, valid)),
        ("exact_dedup", s.exact_dedup, dedup_files_exact),
        ("near_dedup", s.near_dedup, lambda ds: dedup_files_near(ds, s, sig, valid)),
    ):
        if not enabled:
            continue
        t = time.perf_counter()
        before = _bytes(docs)
        kept, dropped = fn(docs)
        docs = account(name, before, kept, dropped)
        timings[name] = round(time.perf_counter() - t, 3)
    if decontaminator is not None:
        if s.num_proc > 1:  # numpy arrays do not cross into Arrow rows: workers re-tokenise instead
            for d in docs:
                d.pop("_tok", None)
        t = time.perf_counter()
        before = _bytes(docs)
        kept, dropped = apply_step(decontaminator, docs, s.num_proc)
        for d in dropped:
            d["detail"] = d[REASON_COL].split(":", 1)[-1]
        docs = account("decontamination", before, kept, dropped)
        timings["decontamination"] = round(time.perf_counter() - t, 3)
    return docs


def curate_files(records: list[dict[str, Any]], s: CurationSettings, decontaminator: Decontaminator | None = None,
                 say: Any = print) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Funnel, dict[str, float]]:
    """The whole file chain in-process: (kept, dropped with step/reason, funnel, timings)."""
    funnel = Funnel()
    timings: dict[str, float] = {}
    docs = records
    all_dropped: list[dict[str, Any]] = []

    def account(step: str, bytes_in: int, kept: list[dict[str, Any]], dropped: list[dict[str, Any]],
                in_lang: Counter[str] | None = None) -> list[dict[str, Any]]:
        for d in dropped:
            d["step"] = step
            d.setdefault("detail", "")
        funnel.record(step, bytes_in, kept, dropped, in_lang)
        all_dropped.extend(dropped)
        return kept

    for step in file_steps(s):
        t = time.perf_counter()
        before = None if step.name == "read" else _bytes(docs)
        in_lang = None if step.name in ("read", "language") else Counter(_lang(d) for d in docs)
        kept, dropped = apply_step(step, docs, s.num_proc)
        if before is None:
            before = _bytes(kept) + _bytes(dropped)
        docs = account(step.name, before, kept, dropped, in_lang)
        timings[step.name] = round(time.perf_counter() - t, 3)
    docs = run_corpus_steps(docs, s, decontaminator, account, timings)
    if len(docs) + len(all_dropped) != len(records):
        raise RuntimeError(f"curation lost documents: {len(records)} in, {len(docs)} kept + {len(all_dropped)} dropped")
    return docs, all_dropped, funnel, timings


def file_row(d: dict[str, Any]) -> dict[str, Any]:
    text = d["content"]
    return {"id": content_id(text), "repo": d["repo"], "path": d["path"], "language": d["language"],
            "content": text, "size_bytes": len(text.encode("utf-8")),
            "num_lines": text.count("\n") + (0 if text.endswith("\n") else 1), "source": d["source"]}


def dropped_row(d: dict[str, Any], limit: int) -> dict[str, Any]:
    content = d.get("content") or ""
    return {"id": record_id(d), "repo": str(d.get("repo") or ""), "path": str(d.get("path") or ""),
            "language": _lang(d), "step": d["step"], "reason": d[REASON_COL], "detail": str(d.get("detail") or ""),
            "content": content[:limit], "size_bytes": int(d.get("size_bytes") or 0)}


# --------------------------------------------------------------------------- datasets


def _features(kind: str) -> Any:
    import datasets as hf

    v = hf.Value
    return {
        "files": hf.Features({"id": v("string"), "repo": v("string"), "path": v("string"), "language": v("string"),
                              "content": v("string"), "size_bytes": v("int64"), "num_lines": v("int64"),
                              "source": v("string")}),
        "repos": hf.Features({"repo": v("string"), "content": v("string"), "languages": hf.Sequence(v("string")),
                              "num_files": v("int64")}),
        "commits": hf.Features({"id": v("string"), "repo": v("string"), "commit": v("string"), "message": v("string"),
                                "context": v("string"), "target": v("string"), "text": v("string"),
                                "retrieved": hf.Sequence(v("string"))}),
        "web": hf.Features({"id": v("string"), "path": v("string"), "title": v("string"), "text": v("string"),
                            "code_blocks": hf.Sequence(v("string")), "code_score": v("float64"),
                            "kept_by": v("string")}),
        "dropped": hf.Features({"id": v("string"), "repo": v("string"), "path": v("string"), "language": v("string"),
                                "step": v("string"), "reason": v("string"), "detail": v("string"),
                                "content": v("string"), "size_bytes": v("int64")}),
    }[kind]


def _dataset(kind: str, rows: list[dict[str, Any]]) -> Any:
    import datasets as hf

    feats = _features(kind)
    columns = {k: [r.get(k) for r in rows] for k in feats}  # from_dict: an empty table keeps its schema
    return hf.Dataset.from_dict(columns, features=feats)


# --------------------------------------------------------------------------- stage


def run_curation(settings: CurationSettings | None = None, say: Any = print) -> CurationResult:
    """Run stage 01 (or load it when a finished run has the same settings)."""
    s = settings or CurationSettings.from_params("smol")
    run = StageRun(s)
    if run.is_done({}):
        return CurationResult.load(run.path)
    run.start({})
    t0 = time.perf_counter()
    say(f"[01_curation] near dedup: MinHash {s.lsh_bands}x{s.lsh_rows} over word {s.shingle_ngram}-grams "
        f"(threshold ~{s.lsh_threshold:.2f}; a pair of Jaccard 0.85 is caught with p={s.catch_probability(0.85):.2f}, "
        f"0.7 with p={s.catch_probability(0.7):.2f})")
    say(f"[01_curation] num_proc={s.num_proc}: " + ("per-file steps run in-process" if s.num_proc <= 1
        else "per-file steps run through datasets.map(num_proc)"))
    with run.timer("sources"):
        records, source_summary = collect_sources(s, say)
    decontam = None
    if s.decontaminate:
        with run.timer("decontam_index"):
            decontam = Decontaminator.default(ngram=s.decontam_ngram)
        say(f"[01_curation] decontamination: {decontam.num_problems} problems (HumanEval + held-out), "
            f"{len(decontam)} {s.decontam_ngram}-grams indexed")
    kept, dropped, funnel, step_timings = curate_files(records, s, decontam, say)

    # secrets counted from the docs (worker processes' counters are not shared)
    redactions: Counter[str] = Counter()
    crosscheck: Counter[str] = Counter()
    for d in kept + dropped:
        for part in filter(None, (d.get("redactions") or "").split(",")):
            k, _, v = part.partition(":")
            redactions[k] += int(v)
        if d.get("syntax_note"):
            crosscheck[d["syntax_note"]] += 1
    files_rows = [file_row(d) for d in kept]
    with run.timer("repos"):
        repo_rows = build_repo_rows(files_rows)

    # commits
    commit_rows: list[dict[str, Any]] = []
    commit_stats: dict[str, Any] = {"skipped": Counter(), "messages": [], "dropped": Counter()}
    with run.timer("commits"):
        for r in s.commit_repos:
            path = resolve_path(r) if r != "." else Path(__file__).resolve().parents[2]
            res = commit_samples(path, CommitOptions(max_commits=s.max_commits))
            commit_stats["skipped"].update(res.skipped)
            for m in res.messages:
                say(f"[01_curation] {m}")
                commit_stats["messages"].append(m)
            for row in res.rows:
                if s.redact_secrets:
                    for k in ("message", "context", "target", "text"):
                        row[k], c = redact_secrets(row[k])
                        redactions.update({f"commit_{kk}": vv for kk, vv in c.items()})
                if decontam is not None and decontam.check(row["text"])[0]:
                    commit_stats["dropped"]["contaminated"] += 1
                    continue
                commit_rows.append(row)

    # web
    web_rows: list[dict[str, Any]] = []
    web_dropped: list[dict[str, Any]] = []
    web_stats: dict[str, Any] = {}
    with run.timer("web"):
        pages = []
        for d in s.web_dirs:
            p = resolve_path(d)
            if p.is_dir():
                pages += sorted(x for x in p.rglob("*") if x.suffix.lower() in (".html", ".htm"))
        classifier = None
        seeds_path = resolve_path(s.web_seeds) if s.web_seeds else None
        if pages and seeds_path and seeds_path.exists():
            seeds = load_seeds(seeds_path)
            classifier = CodePageClassifier.train(seeds, seed=s.seed)
            say(f"[01_curation] web: fastText classifier trained on {len(seeds)} labelled seeds "
                f"({seeds_path.name}); pages without code tags kept at P(code) >= {s.web_min_code_score}")
        elif pages:
            say("[01_curation] web: no seeds file: pages without code tags are dropped")
        wr = process_pages(pages, classifier, s.web_min_code_score)
        for row in wr.rows:
            if s.redact_secrets:
                row["text"], c = redact_secrets(row["text"])
                redactions.update({f"web_{k}": v for k, v in c.items()})
            if decontam is not None and decontam.check(row["text"] + "\n" + "\n".join(row["code_blocks"]))[0]:
                wr.dropped.append({"id": row["id"], "path": row["path"], "reason": "contaminated", "content": row["text"][:2000]})
                continue
            web_rows.append(row)
        web_dropped = wr.dropped
        web_stats = {"pages_in": len(pages), "pages_out": len(web_rows),
                     "kept_by": dict(Counter(r["kept_by"] for r in web_rows)),
                     "dropped_by_reason": dict(Counter(r["reason"] for r in web_dropped)),
                     "scores": {Path(r["path"]).name: r["code_score"] for r in web_rows}
                     | {Path(r["path"]).name: r.get("code_score") for r in web_dropped}}

    dropped_rows = [dropped_row(d, s.dropped_content_chars) for d in dropped]
    for w in web_dropped:
        dropped_rows.append({"id": w["id"], "repo": "web", "path": w["path"], "language": "html", "step": "web",
                             "reason": w["reason"], "detail": "", "content": (w.get("content") or "")[: s.dropped_content_chars],
                             "size_bytes": 0})

    with run.timer("save"):
        run.save_dataset("files", _dataset("files", files_rows))
        run.save_dataset("repos", _dataset("repos", repo_rows))
        run.save_dataset("commits", _dataset("commits", commit_rows))
        run.save_dataset("web", _dataset("web", web_rows))
        run.save_dataset("dropped", _dataset("dropped", dropped_rows))
    total_in = len(records)
    stats = {
        "funnel": funnel.steps,
        "files": {
            "docs_in": total_in, "docs_out": len(files_rows), "docs_dropped": len(dropped),
            "bytes_out": sum(r["size_bytes"] for r in files_rows),
            "kept_fraction": round(len(files_rows) / max(1, total_in), 4),
            "kept_by_language": dict(Counter(r["language"] for r in files_rows).most_common()),
            "dropped_by_step": dict(Counter(d["step"] for d in dropped)),
            "dropped_by_reason": dict(Counter(_reason_key(d[REASON_COL]) for d in dropped).most_common()),
        },
        "sources": source_summary,
        "redactions": dict(redactions),
        "syntax_crosscheck": dict(crosscheck),
        "repos": {"repos_out": len(repo_rows), "files_in_repos": sum(r["num_files"] for r in repo_rows)},
        "commits": {"samples": len(commit_rows), "skipped": dict(commit_stats["skipped"]),
                    "dropped": dict(commit_stats["dropped"]), "messages": commit_stats["messages"]},
        "web": web_stats,
        "timings_s": {**step_timings, "total": round(time.perf_counter() - t0, 3)},
        "settings": {"lsh_threshold": round(s.lsh_threshold, 4), "catch_p_at_0.85": round(s.catch_probability(0.85), 4),
                     "catch_p_at_0.7": round(s.catch_probability(0.7), 4)},
    }
    stats["fingerprint"] = hashlib.sha256(json.dumps(sorted(r["id"] for r in files_rows)).encode()).hexdigest()[:16]
    run.save_json("stats.json", stats)
    say(f"[01_curation] kept {len(files_rows)}/{total_in} files ({stats['files']['kept_fraction']:.1%}), "
        f"{len(repo_rows)} repos, {len(commit_rows)} commit samples, {len(web_rows)}/{len(pages)} web pages "
        f"in {stats['timings_s']['total']:.1f}s")
    run.finish(metrics={"files_in": total_in, "files_out": len(files_rows), "repos": len(repo_rows),
                        "commits": len(commit_rows), "web_pages": len(web_rows)})
    return CurationResult(path=run.path, stats=stats)
