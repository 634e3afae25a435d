"""Stage 01's outputs, written from its step products: ``files/``, ``repos/``, ``commits/``, ``web/``,
``dropped/`` and ``stats.json`` (the funnel: documents and bytes in and out of each step, by language
and by reason), then the manifest, last. Every input ends in exactly one of ``files/`` or ``dropped/``
(checked before anything is written)."""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from seedkit.curation.chain import ShardWriter, iter_shards, small_save_batches
from seedkit.curation.commits_web import Commits, WebPages
from seedkit.curation.funnel import reason_key, value_counts
from seedkit.curation.installed import REPO_PREFIX
from seedkit.curation.records import STAGE, Split, column, features, file_row, saveable, small_dataset
from seedkit.curation.result import CurationResult
from seedkit.curation.settings import CurationSettings
from seedkit.runs import StageRun


def final_files(products: dict[str, Any]) -> Any:
    """The files the last corpus step kept (the fingerprints when every dedup step is off)."""
    for name in ("decontamination", "near_dedup", "exact_dedup", "repo_dedup"):
        if name in products:
            return products[name].kept
    return products["fingerprints"].files


def _web_dropped_rows(s: CurationSettings, web: WebPages) -> list[dict[str, Any]]:
    return [{"id": w["id"], "repo": "web", "path": w["path"], "language": "html", "step": "web",
             "reason": w["reason"], "detail": "", "content": (w.get("content") or "")[: s.dropped_content_chars],
             "size_bytes": 0} for w in web.dropped]


def _save_datasets(s: CurationSettings, run: StageRun, p: dict[str, Any], dropped_parts: list[Any]) -> Any:
    """Write the five datasets; returns ``files``."""
    import datasets

    with tempfile.TemporaryDirectory(dir=run.path, prefix=".work-") as tmp, run.timer("save"), small_save_batches():
        w = ShardWriter(Path(tmp) / "files.arrow", features("files"))
        for shard in iter_shards(final_files(p), ("sha256", "repo", "path", "language", "content", "source")):
            w.write([file_row(d) for d in shard])
        files = w.dataset()
        run.save_dataset("files", files)
        run.save_dataset("repos", saveable(p["repos"].repos))
        run.save_dataset("commits", small_dataset("commits", p["commits"].rows))
        run.save_dataset("web", small_dataset("web", p["web"].rows))
        parts = [d for d in dropped_parts if len(d)] + [small_dataset("dropped", _web_dropped_rows(s, p["web"]))]
        run.save_dataset("dropped", datasets.concatenate_datasets(parts))
    return files


def _syntax_and_redactions(p: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """(parser disagreements noted by the syntax step, secrets redacted by kind over every corpus)."""
    filters: Split = p["filters"]
    syntax: Counter[str] = value_counts(filters.kept, "syntax_note")
    syntax.pop("", None)
    for step_, detail in zip(column(filters.dropped, "step"), column(filters.dropped, "detail"), strict=True):
        if step_ == "syntax" and detail:
            syntax[detail] += 1
    redactions: Counter[str] = Counter()
    if "secrets" in p:
        for cell in column(p["secrets"].kept, "redactions"):
            for part in filter(None, (cell or "").split(",")):
                k, _, v = part.partition(":")
                redactions[k] += int(v)
    redactions.update(p["commits"].redactions)
    redactions.update(p["web"].redactions)
    return syntax, redactions


def _web_stats(web: WebPages) -> dict[str, Any]:
    return {"pages_in": web.pages_in, "pages_out": len(web.rows), "classifier": web.classifier,
            "kept_by": dict(Counter(r["kept_by"] for r in web.rows)),
            "dropped_by_reason": dict(Counter(r["reason"] for r in web.dropped)),
            "scores": {Path(r["path"]).name: r["code_score"] for r in web.rows}
            | {Path(r["path"]).name: r.get("code_score") for r in web.dropped}}


def _is_vendored(path: str) -> bool:
    return any(part in ("_vendor", "vendor", "_vendored", "vendored", "_vendored_packages") for part in path.split("/"))


def _installed_stats(p: dict[str, Any], files: Any, dropped_parts: list[Any]) -> dict[str, Any]:
    """The installed distributions read (name, version, license, files listed and kept) and what the steps
    dropped of them, by step and reason, vendored copies (``_vendor/`` folders) counted apart; {} when
    the source is off."""
    dists = p["sources"].distributions
    if not dists:
        return {}
    kept = Counter(r for r in column(files, "repo") if r.startswith(REPO_PREFIX))
    by_step: Counter[str] = Counter()
    by_reason: Counter[str] = Counter()
    vendored = {"in": 0, "dropped": Counter()}
    for part in dropped_parts:
        for repo, path, step_, reason in zip(column(part, "repo"), column(part, "path"), column(part, "step"),
                                             column(part, "reason"), strict=True):
            if repo.startswith(REPO_PREFIX):
                by_step[step_] += 1
                by_reason[reason_key(reason)] += 1
                if _is_vendored(path):
                    vendored["dropped"][f"{step_}/{reason_key(reason)}"] += 1
    vendored["in"] = sum(1 for r, path in zip(column(p["sources"].records, "repo"), column(p["sources"].records, "path"),
                                              strict=True) if r.startswith(REPO_PREFIX) and _is_vendored(path))
    return {"distributions": [{**d, "kept": kept.get(REPO_PREFIX + d["name"], 0)} for d in dists],
            "files_in": sum(d["files"] for d in dists), "bytes_in": sum(d["bytes"] for d in dists),
            "files_out": sum(kept.values()), "dropped_by_step": dict(by_step.most_common()),
            "dropped_by_reason": dict(by_reason.most_common()),
            "vendored": {"in": vendored["in"], "dropped": dict(vendored["dropped"].most_common())}}


def _stats(s: CurationSettings, p: dict[str, Any], funnel: list[dict[str, Any]], files: Any, n_dropped: int
           ) -> dict[str, Any]:
    n_in = len(p["sources"].records)
    syntax, redactions = _syntax_and_redactions(p)
    dropped_by_step: Counter[str] = Counter()
    dropped_by_reason: Counter[str] = Counter()
    for f in funnel:
        dropped_by_step[f["step"]] += f["docs_in"] - f["docs_out"]
        dropped_by_reason.update(f["dropped_by_reason"])
    repos, commits = p["repos"].repos, p["commits"]
    return {
        "funnel": funnel,
        "files": {"docs_in": n_in, "docs_out": len(files), "docs_dropped": n_dropped,
                  "bytes_out": int(sum(column(files, "size_bytes"))),
                  "kept_fraction": round(len(files) / max(1, n_in), 4),
                  "kept_by_language": dict(value_counts(files, "language").most_common()),
                  "dropped_by_step": {k: v for k, v in dropped_by_step.items() if v},
                  "dropped_by_reason": dict(dropped_by_reason.most_common())},
        "sources": dict(value_counts(p["sources"].records, "origin")),
        "redactions": dict(redactions),
        "syntax_crosscheck": dict(syntax),
        "repos": {"repos_out": len(repos), "files_in_repos": int(sum(column(repos, "num_files")))},
        "commits": {"samples": len(commits.rows), "skipped": commits.skipped, "dropped": commits.dropped,
                    "messages": commits.messages, "context_files": s.commit_context_files},
        "web": _web_stats(p["web"]),
        "settings": {"lsh_threshold": round(s.lsh_threshold, 4), "catch_p_at_0.85": round(s.catch_probability(0.85), 4),
                     "catch_p_at_0.7": round(s.catch_probability(0.7), 4)},
        "fingerprint": hashlib.sha256("\n".join(sorted(column(files, "id"))).encode()).hexdigest()[:16],
    }


def write_outputs(s: CurationSettings, run: StageRun, p: dict[str, Any], funnel_names: Sequence[str],
                  funnel: list[dict[str, Any]], say: Callable[[str], None]) -> CurationResult:
    """Check that no document was lost, write the datasets, ``stats.json`` and the manifest (last)."""
    t0 = time.perf_counter()
    n_in = len(p["sources"].records)
    dropped_parts = [p[name].dropped for name in funnel_names]
    n_dropped = sum(len(d) for d in dropped_parts)
    n_final = len(final_files(p))
    if n_final + n_dropped != n_in:
        raise RuntimeError(f"curation lost documents: {n_in} in, {n_final} kept + {n_dropped} dropped")
    files = _save_datasets(s, run, p, dropped_parts)
    stats = _stats(s, p, funnel, files, n_dropped)
    stats["installed"] = _installed_stats(p, files, dropped_parts)
    stats["timings_s"] = {**run.timings, "write_outputs": round(time.perf_counter() - t0, 3)}
    stats = {k: stats[k] for k in (*[k for k in stats if k not in ("timings_s", "settings", "fingerprint")],
                                   "timings_s", "settings", "fingerprint")}
    run.save_json("stats.json", stats)
    commits: Commits = p["commits"]
    web: WebPages = p["web"]
    say(f"[{STAGE}] kept {len(files)}/{n_in} files ({stats['files']['kept_fraction']:.1%}), {len(p['repos'].repos)} "
        f"repos, {len(commits.rows)} commit samples, {len(web.rows)}/{web.pages_in} web pages")
    run.finish(metrics={"files_in": n_in, "files_out": len(files), "repos": len(p["repos"].repos),
                        "commits": len(commits.rows), "web_pages": len(web.rows),
                        "dropped_by_reason": stats["files"]["dropped_by_reason"],
                        "installed_distributions": [{k: d[k] for k in ("name", "version", "license", "files", "kept")}
                                                    for d in stats["installed"].get("distributions", [])]})
    return CurationResult(path=run.path, stats=stats)
