"""The per-file work on whole corpora: bad input counted, shards on two processes."""

from __future__ import annotations

import os

from fixtures.curation_docs import GOOD_PY, quiet
from seedkit.curation.chain import iter_shards, map_shards
from seedkit.curation.file_steps import filter_records, list_sources, run_file_steps
from seedkit.curation.settings import CurationSettings


def test_bad_input_is_counted_never_lost(tmp_path):
    src = tmp_path / "src" / "repo"
    src.mkdir(parents=True)
    (src / "good.py").write_text(GOOD_PY)
    (src / "zero.py").write_bytes(b"")
    (src / "huge.py").write_bytes(b"x = 1\n" * 700_000)  # 4.2 MB
    (src / "blob.bin.py").write_bytes(bytes(range(256)) * 10)
    os.symlink(src / "self.py", src / "self.py")
    os.symlink(src, src / "loopdir")
    (src / "weird.xyz").write_text("hello\n")
    s = CurationSettings.from_params("tiny", repo_dirs=[str(tmp_path / "src")], stdlib_sample_files=0,
                                     commit_repos=[], web_dirs=[])
    recs = list_sources(s, tmp_path / "work", quiet)
    assert len(recs) == 7
    out = filter_records(s, recs, tmp_path / "work")
    kept, dropped = out.kept, out.dropped
    assert len(kept) + len(dropped) == 7
    assert kept["path"] == ["good.py"]
    got = {d["path"]: (d["step"], d["reason"]) for d in dropped}
    assert got == {"zero.py": ("read", "empty"), "huge.py": ("read", "oversize"), "blob.bin.py": ("read", "binary"),
                   "self.py": ("read", "symlink_loop"), "loopdir": ("read", "symlink_dir"),
                   "weird.xyz": ("language", "unknown_language")}
    assert kept[0]["content"] == GOOD_PY and kept[0]["language"] == "python"


def test_shards_on_two_processes_give_the_same_result_as_one(tmp_path):
    s = CurationSettings.from_params("tiny", stdlib_sample_files=0, commit_repos=[], web_dirs=[])
    recs = list_sources(s, tmp_path, quiet)
    from seedkit.curation.file_steps import filter_steps

    state = (filter_steps(s), 100)
    one = list(map_shards(run_file_steps, iter_shards(recs, rows=7), state, num_proc=1))
    two = list(map_shards(run_file_steps, iter_shards(recs, rows=7), state, num_proc=2))
    assert len(one) == -(-len(recs) // 7) and one == two
    kept = [d["path"] for k, _ in one for d in k]
    dropped = [d["path"] for _, dr in one for d in dr]
    assert len(kept) + len(dropped) == len(recs) and len(dropped) >= 10
