"""Code-change samples from a git repository."""

from __future__ import annotations

from fixtures.curation_docs import git
from seedkit.curation.commits import CommitOptions, commit_samples


def test_commit_samples_from_a_repository(tmp_path):
    repo = tmp_path / "proj"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("# proj\nParses configuration files.\n")
    (repo / "parser.py").write_text("def parse_config(text):\n    return dict(l.split('=') for l in text.splitlines())\n")
    (repo / "other.py").write_text("def unrelated():\n    return 42\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial")
    (repo / "parser.py").write_text("def parse_config(text):\n    return dict(l.split('=', 1) for l in text.splitlines() if l)\n")
    git(repo, "commit", "-q", "-am", "parse_config: skip blank lines and split on the first '='")
    res = commit_samples(repo, CommitOptions(max_commits=5, context_files=1))
    assert len(res.rows) == 2
    newest = res.rows[0]
    assert newest["message"].startswith("parse_config")
    assert newest["retrieved"] == ["parser.py"]  # BM25 on the message finds the file it changes
    assert "## README" in newest["context"] and "split('=')" in newest["context"]  # pre-commit snapshot
    assert "M\tparser.py" in newest["target"] and "+    return dict(l.split('=', 1)" in newest["target"]
    assert "(empty repository before this commit)" in res.rows[1]["context"]
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    assert commit_samples(empty).skipped == {"no_commits": 1}
    assert commit_samples(tmp_path / "nothing").skipped == {"not_a_git_repo": 1}
