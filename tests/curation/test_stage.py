"""Stage 01 end to end: begin, steps saved and reused, every source optional, the planted files."""

from __future__ import annotations

import json

import pytest

from fixtures.curation_docs import GOOD_PY, git, quiet, run_tiny
from seedkit.config import SettingsError
from seedkit.curation.planted import PLANTED_FILES, PLANTED_PAGES
from seedkit.curation.result import planted_check
from seedkit.curation.settings import CurationSettings
from seedkit.curation.stage import begin, filter_files, read_sources, run_curation


def test_a_missing_source_folder_is_a_one_line_error(tmp_path):
    for field in ("repo_dirs", "dataset_paths", "web_dirs", "commit_repos"):
        s = CurationSettings.from_params("tiny", **{field: [str(tmp_path / "no-such-folder")]})
        with pytest.raises(SettingsError, match=f"^{field}: .*no-such-folder does not exist") as e:
            begin(s, say=quiet)
        assert "\n" not in str(e.value)


def test_stage_removes_every_planted_file_under_its_reason(tmp_path, monkeypatch):
    not_git = tmp_path / "not-a-repo"
    not_git.mkdir()
    s, res = run_tiny(tmp_path, monkeypatch, "planted", stdlib_sample_files=0, commit_repos=[str(not_git)])
    table = planted_check(res, s)
    assert table is not None and len(table) == len(PLANTED_FILES) + 1 + len(PLANTED_PAGES)
    assert [r for r in table if not r["ok"]] == []
    st = res.stats
    assert st["files"]["docs_in"] == st["files"]["docs_out"] + st["files"]["docs_dropped"]
    assert [f["step"] for f in st["funnel"]] == ["read", "language", "basic_filters", "syntax", "secrets",
                                                 "repo_dedup", "exact_dedup", "near_dedup", "decontamination"]
    for a, b in zip(st["funnel"], st["funnel"][1:], strict=False):
        assert a["docs_out"] == b["docs_in"] and a["bytes_out"] == b["bytes_in"]
    assert st["funnel"][-1]["docs_out"] == len(res.files)
    assert st["commits"]["skipped"] == {"not_a_git_repo": 1}
    files = res.files
    assert len(set(files["id"])) == len(files)
    assert set(res.repos["repo"]) == set(files["repo"])
    assert res.why("textstats", "textstats/broken.py") == "syntax/syntax_error"
    assert res.why("textstats-fork", "counts.py").startswith("exact_dedup/exact_duplicate (of textstats/")
    assert res.why("mathlib", "primes.py") == "kept"
    m = json.loads((res.path / "manifest.json").read_text())
    assert m["metrics"]["files_out"] == len(files) and m["metrics"]["dropped_by_reason"]["syntax_error"] == 2
    again = run_curation(s, say=quiet)  # finished run with the same settings: loaded, not redone
    assert again.stats == st


# every source: (setting, value that turns it off); a run with each one off in turn, and with only one on
SOURCES = {"repo_dirs": [], "single_files": [], "stdlib_sample_files": 0, "dataset_paths": [], "commit_repos": [],
           "web_dirs": []}


@pytest.fixture(scope="module")
def own_sources(tmp_path_factory) -> dict:
    """Small sources of every kind, none of them the kit's samples."""
    root = tmp_path_factory.mktemp("own")
    repo = root / "projects" / "calc"
    repo.mkdir(parents=True)
    (repo / "ops.py").write_text(GOOD_PY)
    (repo / "main.js").write_text("function main(argv) {\n  const n = argv.length;\n  return n * 2;\n}\n")
    single = root / "tool.py"
    single.write_text("def tool(x):\n    y = x + 1\n    return y * 2\n")
    dump = root / "dump.jsonl"
    dump.write_text(json.dumps({"content": "def from_dump(a):\n    b = a * 3\n    return b - 1\n", "path": "d.py"}) + "\n")
    git_repo = root / "history"
    git_repo.mkdir()
    git(git_repo, "init", "-q")
    (git_repo / "app.py").write_text("def app():\n    return 1\n")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-q", "-m", "app: first version")
    web = root / "web"
    web.mkdir()
    (web / "loops.html").write_text(
        "<html><title>Loops in Python</title><body><p>A for loop calls the function once for each item of a list; "
        "the compiler turns the loop into bytecode and the interpreter runs it. Use a variable to keep the "
        "running total and return it from the function.</p>"
        "<pre>def total(values):\n    result = 0\n    for v in values:\n        result += v\n    return result</pre>"
        "</body></html>")
    return {"repo_dirs": [str(root / "projects")], "single_files": [str(single)], "stdlib_sample_files": 3,
            "dataset_paths": [str(dump)], "commit_repos": [str(git_repo)], "web_dirs": [str(web)]}


EXPECTED_FILES = {"repo_dirs": 2, "single_files": 1, "stdlib_sample_files": 3, "dataset_paths": 1}


@pytest.mark.parametrize("mode", ["without", "only"])
@pytest.mark.parametrize("source", list(SOURCES))
def test_every_source_is_optional(tmp_path, monkeypatch, own_sources, source, mode):
    """Stage 01 on one's own sources with one source off (and with only one on) finishes, and each
    output holds exactly what the sources that are on gave it."""
    on = {k: own_sources[k] for k in SOURCES}
    if mode == "without":
        on[source] = SOURCES[source]
    else:
        on = {k: (own_sources[k] if k == source else off) for k, off in SOURCES.items()}
    s, res = run_tiny(tmp_path, monkeypatch, f"{mode}-{source}", **on)
    active = {k for k in SOURCES if on[k] != SOURCES[k]}
    n_files = sum(n for k, n in EXPECTED_FILES.items() if k in active)
    assert res.stats["files"]["docs_in"] == n_files
    assert len(res.files) + len(res.dropped.filter(lambda r: r["step"] != "web")) == n_files
    assert len(res.commits) == (1 if "commit_repos" in active else 0)
    assert len(res.web) == (1 if "web_dirs" in active else 0)
    assert (res.path / "manifest.json").exists()
    assert planted_check(res, s) is None  # the planted-file check applies to the kit's samples only
    st = res.stats  # every output loads back, empty ones included, with the rows the stats count
    expected = {"files": st["files"]["docs_out"], "repos": st["repos"]["repos_out"], "commits": st["commits"]["samples"],
                "web": st["web"]["pages_out"],
                "dropped": st["files"]["docs_dropped"] + st["web"]["pages_in"] - st["web"]["pages_out"]}
    assert {name: len(res.dataset(name)) for name in expected} == expected


def test_steps_are_saved_and_reused_one_by_one(tmp_path, monkeypatch):
    """A restarted kernel (a new begin, stage not finished) reuses each finished step instead of
    recomputing it; force=True recomputes; a changed setting recomputes."""
    import seedkit.curation.stage as stage

    monkeypatch.setenv("SEEDKIT_RUNS_DIR", str(tmp_path / "runs"))
    s = CurationSettings.from_params("tiny", run_name="resume", stdlib_sample_files=0, commit_repos=[], web_dirs=[])
    first = begin(s, say=quiet)
    filtered = filter_files(first, read_sources(first))
    n_kept = len(filtered.kept)
    calls = []
    real = stage.filter_records
    monkeypatch.setattr(stage, "filter_records", lambda *a: calls.append(1) or real(*a))
    again = begin(s, say=quiet)  # the kernel restarted before the stage finished
    assert not again.done
    assert len(filter_files(again, read_sources(again)).kept) == n_kept and calls == []
    forced = begin(s.replace(force=True), say=quiet)
    filter_files(forced, read_sources(forced))
    assert calls == [1]
    changed = begin(s.replace(min_lines=1), say=quiet)
    filter_files(changed, read_sources(changed))
    assert calls == [1, 1]
    with pytest.raises(RuntimeError, match="finish: run the step"):
        stage.finish(changed)


@pytest.mark.slow  # runs the notebook in a kernel: ~30 s
def test_notebook_on_ones_own_repositories_without_web_pages_or_commits(tmp_path, own_sources):
    """The newcomer's case: `-p repo_dirs=[...] -p web_dirs=[] -p commit_repos=[]` crashed in the cell
    that checks the kit's planted files; every cell must run and that one must say it skipped."""
    from seedkit.pipeline import run_notebooks

    over = {"repo_dirs": own_sources["repo_dirs"], "web_dirs": [], "commit_repos": [], "stdlib_sample_files": 0}
    outcomes = run_notebooks("tiny", "own", ["01_curation"], over, runs_dir=tmp_path, cell_timeout_s=300)
    assert [o.ok for o in outcomes] == [True], outcomes
    text = json.dumps(json.loads(outcomes[0].output.read_text()))
    assert "skipped: this run does not read data_samples/repos" in text
    assert json.loads((tmp_path / "own" / "01_curation" / "manifest.json").read_text())["metrics"]["files_out"] == 2
