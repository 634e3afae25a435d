"""Reading sources: binary, empty, oversize and legacy-encoded files, links, listings, dataset rows."""

from __future__ import annotations

import os
from pathlib import Path

from fixtures.curation_docs import GOOD_PY
from seedkit.curation import sources
from seedkit.curation.sources import ReadStep, list_repo_dir, new_record


def read(tmp_path: Path, name: str, data: bytes, max_bytes: int = 1000) -> tuple[bool, str | None, dict]:
    p = tmp_path / name
    p.write_bytes(data)
    d = new_record("r", name, str(p))
    ok, why = ReadStep(max_bytes)(d)
    return ok, why, d


def test_read_rejects_binary_empty_oversize_and_decodes_legacy_encodings(tmp_path):
    assert read(tmp_path, "a.py", b"x = 1\x00\x01\x02")[:2] == (False, "binary")
    assert read(tmp_path, "b.py", b"")[:2] == (False, "empty")
    assert read(tmp_path, "c.py", b"  \n\n\t\n")[:2] == (False, "empty")
    assert read(tmp_path, "d.py", b"x = 1\n" * 400)[:2] == (False, "oversize")
    ok, why, d = read(tmp_path, "e.py", "# café et crème brûlée, voilà\nname = 'Müller'\n".encode("latin-1"))
    assert ok and why is None and "Müller" in d["content"] and d["num_lines"] == 2
    ok, _, d = read(tmp_path, "f.py", b"print('hi')\n")
    assert ok and d["content"] == "print('hi')\n"


def test_read_counts_symlink_loops_dangling_links_and_permission_errors(tmp_path, monkeypatch):
    loop = tmp_path / "loop.py"
    os.symlink(loop, loop)
    d = new_record("r", "loop.py", str(loop))
    assert ReadStep()(d) == (False, "symlink_loop")
    dangling = tmp_path / "dangling.py"
    os.symlink(tmp_path / "nowhere.py", dangling)
    assert ReadStep()(new_record("r", "dangling.py", str(dangling))) == (False, "missing_or_dangling_link")
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1\n")
    real_open = open

    def fake_open(path, *a, **k):  # root ignores chmod, so the permission error is simulated
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(sources, "open", fake_open, raising=False)
    assert ReadStep()(new_record("r", "secret.py", str(secret))) == (False, "permission_denied")


def test_listing_turns_symlinked_dirs_into_records_and_skips_vcs_dirs(tmp_path):
    (tmp_path / "repo" / "pkg").mkdir(parents=True)
    (tmp_path / "repo" / "pkg" / "a.py").write_text(GOOD_PY)
    (tmp_path / "repo" / ".git").mkdir()
    (tmp_path / "repo" / ".git" / "config").write_text("[core]\n")
    os.symlink(tmp_path / "repo", tmp_path / "repo" / "pkg" / "again")  # a directory loop
    (tmp_path / "top.py").write_text(GOOD_PY)
    recs = list_repo_dir(tmp_path)
    got = {(r["repo"], r["path"], r["listing_error"]) for r in recs}
    assert ("repo", "pkg/a.py", "") in got
    assert ("loose-files", "top.py", "") in got
    assert any(r["listing_error"] == "symlink_dir" for r in recs)
    assert not any(".git" in r["path"] for r in recs)


def test_dataset_sources_jsonl_rows_and_bad_lines(tmp_path):
    p = tmp_path / "dump.jsonl"
    p.write_text('{"content": "def f():\\n    return 1\\n\\n\\nx = f()\\n", "path": "a/f.py", "repo": "a"}\n'
                 "not json\n"
                 '{"text": "no content column"}\n'
                 '{"content": "", "path": "e.py"}\n')
    recs = sources.list_dataset(p)
    assert [r["listing_error"] for r in recs] == ["", "bad_jsonl_line", "missing_content", ""]
    verdicts = [ReadStep()(r) for r in recs]
    assert verdicts == [(True, None), (False, "bad_jsonl_line"), (False, "missing_content"), (False, "empty")]
    assert recs[0]["repo"] == "a" and recs[0]["source"] == "dataset" and recs[0]["num_lines"] == 5
