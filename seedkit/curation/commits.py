"""Commit samples: each commit becomes a code-change prediction sample.

As in the report: the input is the commit message plus context from the pre-commit snapshot
(README, the directory tree and the files most relevant to the message, retrieved with BM25),
the target is the list of changed paths and the diff. Everything is read with ``git`` itself
(no checkout is touched): ``git ls-tree``/``git cat-file --batch`` read the parent snapshot.

A path that is not a git repository is skipped with a message; a repository without commits is
counted (``no_commits``) and skipped; merge commits are counted and skipped (their diff is not a
single change).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.curation.languages import language_of

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass
class CommitOptions:
    max_commits: int = 40
    context_files: int = 3
    max_context_file_chars: int = 3000
    max_diff_chars: int = 6000
    max_tree_lines: int = 80
    max_readme_chars: int = 2000


@dataclass
class CommitResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)


def _git(repo: Path, *args: str, input_bytes: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], input=input_bytes, capture_output=True, timeout=120)


def _split_words(text: str) -> list[str]:
    words = []
    for w in _WORD.findall(text):
        words.append(w.lower())
        parts = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", w)  # camelCase -> camel, case
        if len(parts) > 1:
            words.extend(p.lower() for p in parts)
    return words


def _read_blobs(repo: Path, shas: list[str]) -> list[bytes]:
    if not shas:
        return []
    res = _git(repo, "cat-file", "--batch", input_bytes=("\n".join(shas) + "\n").encode())
    out, data, pos = [], res.stdout, 0
    for _ in shas:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].split()
        if len(header) < 3 or header[1] == b"missing":
            out.append(b"")
            pos = nl + 1
            continue
        size = int(header[2])
        out.append(data[nl + 1: nl + 1 + size])
        pos = nl + 1 + size + 1
    return out


def commit_samples(repo: str | Path, options: CommitOptions | None = None) -> CommitResult:
    """Samples for the most recent ``max_commits`` non-merge commits of ``repo`` (newest first)."""
    from rank_bm25 import BM25Okapi

    opt = options or CommitOptions()
    result = CommitResult()
    repo = Path(repo)
    top = _git(repo, "rev-parse", "--show-toplevel") if repo.exists() else None
    if top is None or top.returncode != 0:
        result.skipped["not_a_git_repo"] += 1
        result.messages.append(f"commit samples: {repo} is not a git repository: skipped")
        return result
    if _git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        result.skipped["no_commits"] += 1
        result.messages.append(f"commit samples: {repo} has no commits: skipped")
        return result
    name = Path(top.stdout.decode().strip()).name
    log = _git(repo, "log", f"-n{opt.max_commits}", "--format=%H %P").stdout.decode().splitlines()
    for line in log:
        parts = line.split()
        commit, parents = parts[0], parts[1:]
        if len(parents) > 1:
            result.skipped["merge_commit"] += 1
            continue
        parent = parents[0] if parents else EMPTY_TREE
        message = _git(repo, "log", "-1", "--format=%B", commit).stdout.decode("utf-8", "replace").strip()
        changed = _git(repo, "diff-tree", "--no-commit-id", "--name-status", "-r", "--root", commit
                       ).stdout.decode("utf-8", "replace").strip()
        diff = _git(repo, "show", "--format=", "--patch", "--no-color", commit).stdout.decode("utf-8", "replace")
        if not diff.strip():
            result.skipped["empty_diff"] += 1
            continue
        if len(diff) > opt.max_diff_chars:
            diff = diff[: opt.max_diff_chars] + f"\n... [diff truncated at {opt.max_diff_chars} chars]\n"
        # pre-commit snapshot
        tree_lines = _git(repo, "ls-tree", "-r", "-l", parent).stdout.decode("utf-8", "replace").splitlines() \
            if parents else []
        entries = []
        for tl in tree_lines:
            meta, _, path = tl.partition("\t")
            bits = meta.split()
            if len(bits) == 4 and bits[1] == "blob" and bits[3].isdigit():
                entries.append((path, bits[2], int(bits[3])))
        paths = [e[0] for e in entries]
        readme = next((e for e in entries if e[0].lower() in ("readme.md", "readme.rst", "readme.txt", "readme")), None)
        code = [e for e in entries if language_of(e[0])[0] and e[2] < 200_000]
        blobs = _read_blobs(repo, [e[1] for e in code] + ([readme[1]] if readme else []))
        readme_text = blobs.pop().decode("utf-8", "replace")[: opt.max_readme_chars] if readme else ""
        texts = [b.decode("utf-8", "replace") for b in blobs]
        picked: list[int] = []
        if texts:
            corpus = [_split_words(p + " " + t) or ["_"] for p, t in zip([e[0] for e in code], texts, strict=True)]
            scores = BM25Okapi(corpus).get_scores(_split_words(message) or ["_"])
            order = sorted(range(len(texts)), key=lambda i: (-scores[i], code[i][0]))
            picked = [i for i in order[: opt.context_files] if scores[i] > 0]
        tree = "\n".join(paths[: opt.max_tree_lines]) + (f"\n... ({len(paths)} paths)" if len(paths) > opt.max_tree_lines else "")
        ctx = []
        if readme_text:
            ctx.append(f"## README\n{readme_text}")
        ctx.append(f"## Tree\n{tree}" if paths else "## Tree\n(empty repository before this commit)")
        for i in picked:
            ctx.append(f"## File: {code[i][0]}\n{texts[i][: opt.max_context_file_chars]}")
        context = "\n\n".join(ctx)
        target = f"## Changed paths\n{changed}\n\n## Diff\n{diff}"
        text = f"<commit_message>\n{message}\n</commit_message>\n<context>\n{context}\n</context>\n<change>\n{target}</change>\n"
        result.rows.append({"id": hashlib.sha256(f"{name}:{commit}".encode()).hexdigest(), "repo": name,
                            "commit": commit, "message": message, "context": context, "target": target,
                            "text": text, "retrieved": [code[i][0] for i in picked]})
    return result
