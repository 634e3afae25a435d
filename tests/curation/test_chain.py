"""Running steps on shards: a failing step drops its document; empty datasets survive saving."""

from __future__ import annotations

import pytest

from fixtures.curation_docs import doc
from seedkit.curation.chain import empty_dataset, run_steps_on_shard


def test_a_step_that_raises_drops_its_document_not_the_run():
    def boom(d):
        if d["path"] == "x.py":
            raise RuntimeError("bad")
        return True, None

    kept, dropped = run_steps_on_shard([boom], [doc("a", "x.py"), doc("b", "y.py")])
    assert [d["path"] for d in kept] == ["y.py"] and dropped[0]["_reason"] == "step_error:RuntimeError"


def test_empty_datasets_survive_a_save_and_load(tmp_path):
    import datasets

    feats = datasets.Features({"a": datasets.Value("string"), "m": datasets.List(datasets.Value("uint32"), length=4)})
    plain = datasets.Dataset.from_dict({"a": [], "m": []}, features=feats)
    plain.save_to_disk(str(tmp_path / "plain"))
    with pytest.raises(IndexError):  # datasets 5.2.0: the bug empty_dataset works around
        datasets.load_from_disk(str(tmp_path / "plain"))
    e = empty_dataset(feats)
    datasets.DatasetDict({"kept": e, "dropped": e}).save_to_disk(str(tmp_path / "dd"))
    back = datasets.load_from_disk(str(tmp_path / "dd"))
    assert len(back["kept"]) == 0 and back["dropped"].features == feats and back["kept"].to_list() == []
