"""The datatrove pipeline gives the same result as the stage in process."""

from __future__ import annotations

import pytest

from fixtures.curation_docs import run_tiny


@pytest.mark.slow  # forkserver workers import the kit: ~10 s idle, more on a busy machine
def test_datatrove_pipeline_on_two_workers_matches_in_process(tmp_path, monkeypatch):
    from seedkit.curation.datatrove_steps import run_datatrove_curation, to_datasets

    s, res = run_tiny(tmp_path, monkeypatch, "dt", stdlib_sample_files=6, commit_repos=[], web_dirs=[])
    run_datatrove_curation(s, tmp_path / "dt", tasks=2, workers=2)
    files, dropped = to_datasets(tmp_path / "dt")
    assert files.to_list() == res.files.to_list()
    key = lambda r: (r["repo"], r["path"])  # noqa: E731
    assert sorted(dropped.to_list(), key=key) == sorted(res.dropped.to_list(), key=key)
    assert {r["reason"] for r in dropped} >= {"binary", "syntax_error", "near_duplicate_repo", "exact_duplicate"}
