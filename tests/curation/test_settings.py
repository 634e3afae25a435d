"""Stage 01 settings: where they follow the report."""

from __future__ import annotations

from seedkit.curation.settings import CurationSettings


def test_report_comparison_says_where_stage_01_follows_the_report():
    rows = CurationSettings.from_params("gpu").report_comparison()
    assert rows and all(set(r) == {"setting", "report", "kit", "why"} and all(r.values()) for r in rows)
    by = {r["setting"]: r for r in rows}
    assert (by["commit context"]["report"], by["commit context"]["kit"], by["commit context"]["why"]) == (
        "README, directory tree, top 5 BM25 files", "README, tree, top 5 BM25 files", "same")
    assert "fastText on every page" in by["web recall"]["kit"]
    changed = CurationSettings.from_params("gpu", commit_context_files=3).report_comparison()
    assert {r["setting"]: r for r in changed}["commit context"]["why"] == "changed by the settings"
