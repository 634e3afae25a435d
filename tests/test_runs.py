from __future__ import annotations

import json

import pytest

from fixtures.fake_stages import FakeFirstSettings, FakeSecondSettings
from seedkit.runs import (
    IN_PROGRESS,
    MissingInputError,
    StageRun,
    atomic_write_json,
    atomic_write_text,
    completed_stages,
    hash_path,
)


@pytest.fixture
def settings(tmp_path):
    return FakeFirstSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path))


def _complete(settings, metrics=None):
    run = StageRun(settings)
    run.start({})
    run.save_json("numbers.json", [1, 2, 3])
    return run, run.finish(metrics=metrics or {"n": 3})


def test_manifest_written_last_with_config_outputs_versions(settings, tmp_path):
    run, m = _complete(settings)
    assert run.path == tmp_path / "r" / "01_curation"
    on_disk = json.loads((run.path / "manifest.json").read_text())
    assert on_disk == json.loads(json.dumps(m))
    assert m["config"]["num_items"] == 3 and m["metrics"] == {"n": 3}
    assert m["outputs"]["numbers.json"]["sha256"] == hash_path(run.path / "numbers.json")
    assert "torch" in m["versions"] and "python" in m["versions"]
    assert not (run.path / IN_PROGRESS).exists()
    assert completed_stages("r", tmp_path) == ["01_curation"]


def test_done_stage_is_skipped_unless_forced_or_changed(settings, capsys):
    _complete(settings)
    assert StageRun(settings).is_done({})
    assert "skipping" in capsys.readouterr().out
    assert not StageRun(settings.replace(force=True)).is_done({})
    assert not StageRun(settings.replace(mode="cubes")).is_done({})


def test_killed_stage_is_not_read_as_complete_and_is_redone(settings, tmp_path):
    run = StageRun(settings)
    run.start({})
    (run.path / "checkpoints").mkdir()
    (run.path / "checkpoints" / "step-5").write_text("x")
    (run.path / "half.json").write_text("{")
    # killed here: no manifest
    second = FakeSecondSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    with pytest.raises(MissingInputError) as e:
        StageRun(second).input("01_curation")
    assert "01_curation" in str(e.value) and "\n" not in str(e.value)
    assert not StageRun(settings).is_done({})
    again = StageRun(settings)
    again.start({})
    assert again.resuming and (again.path / "checkpoints" / "step-5").exists()
    assert not (again.path / "half.json").exists()
    # a different config does not resume from the old checkpoints
    other = StageRun(settings.replace(mode="cubes"))
    other.start({})
    assert not other.resuming and not (other.path / "checkpoints").exists()


def test_inputs_are_hashed_and_change_detected(settings, tmp_path):
    _complete(settings)
    second = FakeSecondSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    run2 = StageRun(second)
    inp = {"01_curation": run2.input("01_curation")}
    run2.start(inp)
    m2 = run2.finish()
    assert m2["inputs"]["01_curation"]["sha256"] == hash_path(inp["01_curation"] / "manifest.json")
    assert StageRun(second).is_done(inp, quiet=True)
    _complete(settings, metrics={"n": 4})  # stage 01 redone with other results
    assert not StageRun(second).is_done(inp, quiet=True)


def test_atomic_write_keeps_old_content_on_failure(tmp_path):
    p = tmp_path / "a.json"
    atomic_write_json(p, {"v": 1})

    class Boom:
        def __str__(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_write_json(p, {"v": Boom()})
    assert json.loads(p.read_text()) == {"v": 1}
    assert [q.name for q in tmp_path.iterdir()] == ["a.json"]
    atomic_write_text(p, "x")
    assert p.read_text() == "x"


def test_dataset_roundtrip(settings):
    import datasets

    run = StageRun(settings)
    run.start({})
    run.save_dataset("files", datasets.Dataset.from_dict({"a": [1, 2]}))
    run.save_dataset("files", datasets.Dataset.from_dict({"a": [3]}))  # replaced atomically
    assert run.load_dataset("files")["a"] == [3]
    with pytest.raises(MissingInputError, match="does not exist"):
        run.load_dataset("nope")


def test_steps_are_reused_for_the_same_settings_and_redone_for_others(settings):
    import datasets

    calls: list[str] = []

    def numbers():
        calls.append("numbers")
        return {"values": [1, 2, 3]}

    def table():
        calls.append("table")
        return datasets.Dataset.from_dict({"x": [1, 2]})

    run = StageRun(settings)
    run.start({})
    assert run.step("numbers", numbers) == {"values": [1, 2, 3]}
    assert run.step("table", table, dataset=True)["x"] == [1, 2]
    # a restarted kernel: a new StageRun with the same settings reuses both steps without computing
    again = StageRun(settings)
    again.start({})
    assert again.step("numbers", numbers) == {"values": [1, 2, 3]}
    assert again.step("table", table, dataset=True)["x"] == [1, 2]
    assert calls == ["numbers", "table"]
    again.finish()
    assert "steps" not in json.loads((again.path / "manifest.json").read_text())["outputs"]
    # another setting: recomputed, and the old settings' steps are gone after start()
    other = StageRun(settings.replace(num_items=4))
    other.start({})
    assert other.step("numbers", numbers) == {"values": [1, 2, 3]}
    assert calls == ["numbers", "table", "numbers"]
    assert [p.name for p in (other.path / "steps").iterdir()] == [settings.replace(num_items=4).config_hash()]
