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

_WORD = re.compile(r"[^\W\d_][^\W_]+")  # words of two or more letters/digits, any script
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass
class CommitOptions:
    max_commits: int = 40
    context_files: int = 5  # the report: README, directory tree and the top 5 BM25-relevant files
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


_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def _word_terms(w: str, memo: dict[str, list[str]]) -> list[str]:
    terms = memo.get(w)
    if terms is None:
        parts = _CAMEL.findall(w)  # camelCase -> camel, case
        terms = memo[w] = [w.lower()] + ([p.lower() for p in parts] if len(parts) > 1 else [])
    return terms


def _split_words(text: str, memo: dict[str, list[str]] | None = None) -> list[str]:
    """BM25 terms of a text: every word lower-cased, plus the parts of camelCase and snake words."""
    memo = {} if memo is None else memo
    words: list[str] = []
    for w in _WORD.findall(text):
        words.extend(_word_terms(w, memo))
    return words


class _BlobReader:
    """One ``git cat-file --batch`` process for a whole repository: object contents by sha, without
    a process start per commit."""

    def __init__(self, repo: Path):
        self.proc = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def read(self, shas: list[str]) -> list[bytes]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        out = []
        for sha in shas:
            self.proc.stdin.write(sha.encode() + b"\n")
            self.proc.stdin.flush()
            header = self.proc.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                out.append(b"")
                continue
            size = int(header[2])
            out.append(self.proc.stdout.read(size + 1)[:size])
        return out

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _show(repo: Path, commit: str) -> tuple[str, str, str]:
    """(message, changed paths as ``--name-status`` writes them, patch) of a commit in one git call."""
    out = _git(repo, "show", "--no-color", "--format=%B%x00", "--raw", "--patch", commit).stdout.decode("utf-8", "replace")
    message, _, rest = out.partition("\x00")
    changed = []
    for line in rest.lstrip("\n").split("\n"):
        if not line.startswith(":"):
            break
        changed.append(line.split(" ", 4)[-1])  # ":mode mode sha sha M\tpath" -> "M\tpath"
    at = rest.find("diff --git ")
    return message.strip(), "\n".join(changed), rest[at:] if at != -1 else ""


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
    term_cache: dict[str, list[str]] = {}
    memo: dict[str, list[str]] = {}
    log = _git(repo, "log", f"-n{opt.max_commits}", "--format=%H %P").stdout.decode().splitlines()
    blobs = _BlobReader(repo)
    try:
        for line in log:
            parts = line.split()
            commit, parents = parts[0], parts[1:]
            if len(parents) > 1:
                result.skipped["merge_commit"] += 1
                continue
            parent = parents[0] if parents else EMPTY_TREE
            message, changed, diff = _show(repo, commit)
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
            # consecutive snapshots share nearly every file: BM25 terms are cached by blob, so only the
            # blobs this commit's parent changed are read and split (40 commits of the kit: 13 s -> 2 s)
            new = [e for e in code if e[1] not in term_cache]
            for e, b in zip(new, blobs.read([e[1] for e in new]), strict=True):
                term_cache[e[1]] = _split_words(b.decode("utf-8", "replace"), memo)
            picked: list[int] = []
            if code:
                corpus = [(_split_words(e[0], memo) + term_cache[e[1]]) or ["_"] for e in code]
                scores = BM25Okapi(corpus).get_scores(_split_words(message, memo) or ["_"])
                order = sorted(range(len(code)), key=lambda i: (-scores[i], code[i][0]))
                picked = [i for i in order[: opt.context_files] if scores[i] > 0]
            shown = blobs.read([code[i][1] for i in picked] + ([readme[1]] if readme else []))
            readme_text = shown.pop().decode("utf-8", "replace")[: opt.max_readme_chars] if readme else ""
            texts = {i: b.decode("utf-8", "replace") for i, b in zip(picked, shown, strict=True)}
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
    finally:
        blobs.close()
    return result
