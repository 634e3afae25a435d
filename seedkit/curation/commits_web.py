"""Stage 01's two other corpora: code-change samples from git history and code-related web pages,
each with its secrets redacted and its contaminated samples dropped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import REPO_ROOT
from seedkit.curation.commits import CommitOptions, commit_samples
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.filters import redact_secrets
from seedkit.curation.records import STAGE
from seedkit.curation.settings import CurationSettings, resolve_path
from seedkit.curation.web import decide_pages, load_seeds, read_pages, score_pages


@dataclass
class Commits:
    """Code-change samples (``rows``: message, context, target, text, retrieved) and what was left out."""

    rows: list[dict[str, Any]]
    skipped: dict[str, int] = field(default_factory=dict)  # repositories or commits skipped, by reason
    dropped: dict[str, int] = field(default_factory=dict)  # samples dropped, by reason (contaminated)
    messages: list[str] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)


@dataclass
class WebPages:
    """The web pages kept (``rows``) and dropped (each with its ``reason``), and how they were decided."""

    rows: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    classifier: str
    pages_in: int
    redactions: dict[str, int] = field(default_factory=dict)


def commit_rows(s: CurationSettings, decontaminator: Decontaminator | None, say: Callable[[str], None] = print
                ) -> Commits:
    """Code-change samples from ``commit_repos`` (message + README, tree and the ``commit_context_files``
    most relevant files -> changed paths + diff), secrets redacted, contaminated samples dropped."""

    out = Commits(rows=[])
    skipped: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    redactions: Counter[str] = Counter()
    for r in s.commit_repos:
        path = resolve_path(r) if r != "." else REPO_ROOT
        res = commit_samples(path, CommitOptions(max_commits=s.max_commits, context_files=s.commit_context_files))
        skipped.update(res.skipped)
        for m in res.messages:
            say(f"[{STAGE}] {m}")
            out.messages.append(m)
        for row in res.rows:
            if s.redact_secrets:
                for k in ("message", "context", "target", "text"):
                    row[k], c = redact_secrets(row[k])
                    redactions.update({f"commit_{kk}": vv for kk, vv in c.items()})
            if decontaminator is not None and decontaminator.check(row["text"])[0]:
                dropped["contaminated"] += 1
                continue
            out.rows.append(row)
    out.skipped, out.dropped, out.redactions = dict(skipped), dict(dropped), dict(redactions)
    return out


def web_rows(s: CurationSettings, decontaminator: Decontaminator | None, say: Callable[[str], None] = print
             ) -> WebPages:
    """Pages from ``web_dirs``; a fastText classifier decides on every page (pages with code blocks seed
    its training, cross-fitted)."""

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
    return WebPages(rows=kept, dropped=res.dropped, classifier=how, pages_in=len(paths), redactions=dict(redactions))
