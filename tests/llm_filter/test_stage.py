"""Stage 02 end to end on a fixture stage-01 run (tiny profile)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seedkit.llm_filter.settings import LLMFilterSettings

FIXTURE_FILES = [
    ("good/lru.py", "python", "from collections import OrderedDict\n\n\nclass LRU:\n    \"\"\"A small cache.\"\"\"\n\n"
     "    def __init__(self, capacity: int) -> None:\n        self.capacity = capacity\n        self.items = OrderedDict()\n"),
    ("conf/settings.yaml", "yaml", "port: 8080\ndebug: true\nworkers: 4\n"),
    ("data/codes.py", "python", "CODES = {" + ", ".join(f"'{i}': {i}" for i in range(40)) + "}\n"),
    ("web/app.js", "javascript", "function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n"),
]


def make_stage01(runs: Path, run_name: str, n: int = 24) -> Path:
    """A finished 01_curation stage holding only files/, with the contracts.md schema."""
    import hashlib

    from datasets import Dataset

    from seedkit.files import atomic_write_json

    rows = []
    for i in range(n):
        path, lang, content = FIXTURE_FILES[i % len(FIXTURE_FILES)]
        content = content + f"# variant {i}\n" + ("x = 1\n" * (i % 5))
        rows.append({"id": hashlib.sha256(content.encode()).hexdigest(), "repo": f"repo{i % 3}",
                     "path": path.replace(".", f"_{i}.", 1), "language": lang, "content": content,
                     "size_bytes": len(content.encode()), "num_lines": content.count("\n"), "source": "repos"})
    stage = runs / run_name / "01_curation"
    Dataset.from_list(rows).save_to_disk(str(stage / "files"))
    atomic_write_json(stage / "manifest.json", {"stage": "01_curation", "finished_at": "fixture"})
    return stage


def test_stage_needs_stage_01(tmp_path, monkeypatch):
    from seedkit.llm_filter.stage import run_llm_filter
    from seedkit.runs import MissingInputError

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path))
    with pytest.raises(MissingInputError, match="needs stage 01_curation"):
        run_llm_filter(LLMFilterSettings.from_params("tiny", run_name="none"))


@pytest.mark.slow
def test_stage_tiny_end_to_end_resumes_by_step_and_reuses_labels(tmp_path, monkeypatch):
    import seedkit.llm_filter.stage as stage
    from seedkit.llm_filter.scorer import load_scorer, scorer_text
    from seedkit.llm_filter.stage import begin, draw_sample, label_sample, run_llm_filter
    from seedkit.runs import load_dataset_dir

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    make_stage01(tmp_path / "runs", "t")
    s = LLMFilterSettings.from_params("tiny", run_name="t", label_sample_size=12,
                                      label_cache_dir=str(tmp_path / "cache"), scorer_epochs=50)
    # a session that stops after labelling (a kernel restart): the next one reuses the labels
    first = begin(s, say=lambda m: None)
    labels_first = label_sample(first, draw_sample(first)).scores
    first.close()
    calls = []
    real = stage.oracle_labels
    monkeypatch.setattr(stage, "oracle_labels", lambda *a: calls.append(1) or real(*a))
    res = run_llm_filter(s)
    assert calls == [] and list(load_dataset_dir(res.path / "labels")["score"]) == labels_first
    out = res.path
    for name in ("labels", "scorer", "scored", "filtered", "rules_only", "stats.json", "manifest.json"):
        assert (out / name).exists(), name
    labels = load_dataset_dir(out / "labels")
    assert len(labels) == 12 and set(labels["method"]) == {"likelihood"}
    assert all(0.0 <= v <= 10.0 for v in labels["score"])
    assert {"id", "score", "raw_answer", "method", "prompt_version", "oracle"} <= set(labels.column_names)
    scored = load_dataset_dir(out / "scored")
    assert len(scored) == 24 and scored.column_names == [*load_dataset_dir(
        tmp_path / "runs" / "t" / "01_curation" / "files").column_names, "quality_score"]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["counts"]["dropped"] == 2 and stats["counts"]["kept"] == 22  # bottom 10% of 24
    assert len(load_dataset_dir(out / "filtered")) == 22
    t = stats["tokens"]
    assert abs(t["rules_only"] - t["filtered"]) <= max(len(c) for _, _, c in FIXTURE_FILES) + 40
    assert stats["labels"]["unparseable"] == 0 and stats["oracle_check"] == {}  # tiny: compare_samples=False
    ev = stats["scorer"]["evidence"]
    assert ev["n"] == 3 and len(ev["mae_ci"]) == 2 and ev["mae_ci"][0] <= ev["mae"] <= ev["mae_ci"][1]
    m = json.loads((out / "manifest.json").read_text())["metrics"]
    assert m["scorer_heldout_n"] == 3 and m["scorer_mae"] == ev["mae"] and m["scorer_mae_ci95"] == ev["mae_ci"]
    assert "oracle_good_minus_poor" not in m  # not measured in this run, so not reported
    # the saved scorer reloads and reproduces the stored scores
    rows = scored.select(range(3)).to_list()
    again = load_scorer(out / "scorer").predict([scorer_text(r) for r in rows])
    assert np.allclose(again, [r["quality_score"] for r in rows], atol=1e-3)
    # done already: skipped and loaded from disk
    assert run_llm_filter(s).stats["counts"] == stats["counts"]
    # forced rerun: every step again, every label from the cache
    res2 = run_llm_filter(s.replace(force=True))
    assert calls == [1] and res2.stats["oracle"]["cache_hits"] == 12 and res2.stats["oracle"]["cache_misses"] == 0


@pytest.mark.slow
def test_stage_reports_the_oracle_check_with_intervals_in_its_metrics(tmp_path, monkeypatch):
    """With compare_samples the manifest carries the good-vs-poor difference, P(good > poor), their
    intervals and n, measured on prompts without the label."""
    from seedkit.llm_filter.stage import run_llm_filter

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    make_stage01(tmp_path / "runs", "c")
    s = LLMFilterSettings.from_params("tiny", run_name="c", label_sample_size=8, compare_samples=True,
                                      label_cache_dir=str(tmp_path / "cache"), scorer_epochs=20)
    res = run_llm_filter(s)
    check = res.stats["oracle_check"]
    reading = check["readings"][check["chosen"]]
    assert reading["n_good"] == 10 and reading["n_poor"] == 12 and len(reading["files"]) == 22
    lo, hi = reading["difference_ci"]
    assert lo <= reading["difference"] <= hi
    m = json.loads((res.path / "manifest.json").read_text())["metrics"]
    assert m["oracle_good_minus_poor"] == reading["difference"] and m["oracle_good_minus_poor_ci95"] == [lo, hi]
    assert m["oracle_n_good"] == 10 and m["oracle_n_poor"] == 12
    assert m["oracle_separates_good_from_poor"] == (lo > 0 and m["oracle_p_good_above_poor_ci95"][0] > 0.5)
