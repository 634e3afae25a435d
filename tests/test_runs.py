from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import ClassVar

import pytest

from fixtures.fake_stages import FakeFirstSettings, FakeSecondSettings
from seedkit.files import atomic_write_json, atomic_write_text, hash_file, hash_path
from seedkit.runs import IN_PROGRESS, MissingInputError, StageRun, completed_stages


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
    assert m2["inputs"]["01_curation"] == {"path": "01_curation", "sha256": hash_file(inp["01_curation"] / "manifest.json")}
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
    assert [p.name for p in (other.path / "steps").iterdir()] == [other.steps_dir.name]
    assert other.steps_dir.name.startswith(settings.replace(num_items=4).config_hash() + "-")


def test_measuring_differently_redoes_the_measuring_steps_only(tmp_path):
    """-p eval_limit=0 (a measuring setting) on a finished stage: the stage is not done any more (its
    effect depends on it), its training steps are reused, its measuring step is computed again; a
    training setting or the seed changes both; the thread count changes neither."""
    from seedkit.sft.settings import SFTSettings

    calls: list[str] = []

    def go(s):
        run = StageRun(s)
        run.start({})
        run.step("train", lambda: calls.append("train") or 1)
        run.step("effect", lambda: calls.append("effect") or 2, measures=True)
        run.finish()
        return run

    base = SFTSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    first = go(base)
    assert calls == ["train", "effect"]
    wider = base.replace(eval_limit=0)
    assert not StageRun(wider).is_done({}, quiet=True)
    assert go(wider).steps_dir == first.steps_dir
    assert calls == ["train", "effect", "effect"]
    go(base)  # back: both products still there, nothing computed
    assert calls == ["train", "effect", "effect"]
    go(base.replace(learning_rate=base.learning_rate * 2))
    assert calls[-2:] == ["train", "effect"]
    go(base.replace(seed=5))
    assert calls[-2:] == ["train", "effect"] and len(calls) == 7
    assert base.replace(torch_threads=2).config_hash() == base.config_hash()
    # the dtype models are measured in is a measuring setting; the dtype that writes the data is not
    assert base.replace(eval_dtype="bfloat16").steps_hash() == base.steps_hash()
    assert base.replace(eval_dtype="bfloat16").measuring_hash() != base.measuring_hash()
    assert base.replace(generation_dtype="bfloat16").steps_hash() != base.steps_hash()


def test_steps_are_keyed_by_their_inputs_too(settings, tmp_path):
    """An upstream stage redone with the same settings here: the steps computed from its old outputs are
    not reused, and force=True computes every step again."""
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    (upstream / "data.txt").write_text("first version")
    calls = []

    def numbers():
        calls.append(1)
        return len(calls)

    first = StageRun(settings)
    first.start({"up": upstream})
    assert first.step("numbers", numbers) == 1
    same = StageRun(settings)
    same.start({"up": upstream})
    assert same.step("numbers", numbers) == 1 and len(calls) == 1  # same settings, same input: reused
    (upstream / "data.txt").write_text("second version")
    changed = StageRun(settings)
    changed.start({"up": upstream})
    assert changed.steps_dir != same.steps_dir
    assert changed.step("numbers", numbers) == 2  # computed again from the new input
    assert [p.name for p in (changed.path / "steps").iterdir()] == [changed.steps_dir.name]
    forced = StageRun(settings.replace(force=True))
    forced.start({"up": upstream})
    assert forced.step("numbers", numbers) == 3


# --------------------------------------------------------------------------- runs that survive copying and corruption


def _two_stages(tmp_path, run_name="r"):
    """Stage 01 (a JSON file and a dataset) and stage 02 reading it, finished in ``tmp_path/runs``."""
    import datasets

    first = FakeFirstSettings.from_params("tiny", run_name=run_name, runs_dir=str(tmp_path / "runs"))
    r1 = StageRun(first)
    r1.start({})
    r1.save_json("numbers.json", [1, 2, 3])
    r1.save_dataset("files", datasets.Dataset.from_dict({"text": [f"def f{i}(): pass" for i in range(200)]}))
    r1.finish()
    second = FakeSecondSettings.from_params("tiny", run_name=run_name, runs_dir=str(tmp_path / "runs"))
    r2 = StageRun(second)
    inputs = {"01_curation": r2.input("01_curation")}
    r2.start(inputs)
    r2.save_json("scaled.json", [2, 4, 6])
    r2.finish()
    return first, second


def test_a_copied_or_moved_run_is_done_and_its_manifests_name_no_folder(tmp_path):
    import shutil

    _two_stages(tmp_path)
    for stage in ("01_curation", "02_llm_filter"):
        text = (tmp_path / "runs" / "r" / stage / "manifest.json").read_text()
        assert str(tmp_path) not in text  # inputs are relative to the run; the runs folder is not recorded
    # copied without keeping modification times, to another runs folder, under another name
    shutil.copytree(tmp_path / "runs" / "r", tmp_path / "elsewhere" / "copy", copy_function=shutil.copy)
    shutil.rmtree(tmp_path / "runs")
    second = FakeSecondSettings.from_params("tiny", run_name="copy", runs_dir=str(tmp_path / "elsewhere"))
    run = StageRun(second)
    assert run.is_done({"01_curation": run.input("01_curation")}, quiet=True)
    first = FakeFirstSettings.from_params("tiny", run_name="copy", runs_dir=str(tmp_path / "elsewhere"))
    assert StageRun(first).is_done({}, quiet=True)


def test_cheap_checks_hash_only_files_whose_size_or_time_changed(tmp_path, monkeypatch):
    import shutil

    import seedkit.manifests as manifests

    first, _ = _two_stages(tmp_path)
    hashed: list[str] = []
    real = manifests.hash_file
    monkeypatch.setattr(manifests, "hash_file", lambda p: hashed.append(str(p)) or real(p))
    assert StageRun(first).is_done({}, quiet=True)
    assert hashed == []  # sizes and times as recorded: nothing hashed
    stage = tmp_path / "runs" / "r" / "01_curation"
    shutil.copytree(stage, tmp_path / "copy", copy_function=shutil.copy)
    shutil.rmtree(stage)
    shutil.copytree(tmp_path / "copy", stage, copy_function=shutil.copy)  # new modification times
    assert StageRun(first).is_done({}, quiet=True)
    n_files = len(json.loads((stage / "manifest.json").read_text())["files"])
    assert len(hashed) == n_files  # each file hashed once after the copy...
    assert StageRun(first).is_done({}, quiet=True)
    assert len(hashed) == n_files  # ...and remembered


def test_a_truncated_output_is_redone_and_its_reader_names_the_file_and_the_command(tmp_path, capsys):
    from seedkit.runs import DamagedStageError

    first, second = _two_stages(tmp_path)
    arrow = next((tmp_path / "runs" / "r" / "01_curation" / "files").glob("*.arrow"))
    data = arrow.read_bytes()
    arrow.write_bytes(data[: len(data) // 2])
    assert not StageRun(first).is_done({})
    out = capsys.readouterr().out
    assert arrow.name in out and "redoing the stage" in out and "skipping" not in out
    with pytest.raises(DamagedStageError) as e:
        StageRun(second).input("01_curation")
    msg = str(e.value)
    assert str(arrow) in msg and "seedkit run --profile tiny --run-name r --stages 01" in msg and "\n" not in msg
    # the same size, other content, new time: found by its hash
    arrow.write_bytes(bytes(len(data)))
    with pytest.raises(DamagedStageError, match="changed since the stage wrote it"):
        StageRun(second).input("01_curation")


def test_a_damaged_dataset_read_directly_is_a_one_line_error_naming_it(tmp_path):
    from seedkit.runs import DamagedStageError, load_dataset_dir

    _two_stages(tmp_path)
    d = tmp_path / "runs" / "r" / "01_curation" / "files"
    arrow = next(d.glob("*.arrow"))
    arrow.write_bytes(arrow.read_bytes()[:100])
    with pytest.raises(DamagedStageError) as e:
        load_dataset_dir(d)
    assert str(d) in str(e.value) and "\n" not in str(e.value)


def test_verify_hashes_everything_and_names_damage_and_stale_inputs(tmp_path):
    from seedkit.runs import stale_inputs, verify_stage

    first, _ = _two_stages(tmp_path)
    root = tmp_path / "runs" / "r"
    assert verify_stage(root / "01_curation") == ("done", [])
    assert verify_stage(root / "02_llm_filter") == ("done", [])
    numbers = root / "01_curation" / "numbers.json"
    st = numbers.stat()
    numbers.write_text(numbers.read_text().replace("1", "9"))  # same size
    import os

    os.utime(numbers, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same time: only a full hash sees it
    assert StageRun(first).is_done({}, quiet=True)
    state, problems = verify_stage(root / "01_curation")
    assert state == "done" and len(problems) == 1 and "numbers.json changed" in problems[0]
    # stage 01 redone: stage 02's input changed after it ran
    r1 = StageRun(first.replace(force=True))
    r1.start({})
    r1.save_json("numbers.json", [1, 2, 4])
    r1.finish()
    assert verify_stage(root / "02_llm_filter") == ("done", [])  # intact...
    assert stale_inputs(root / "02_llm_filter") == [  # ...but stale
        f"input 01_curation ({root / '01_curation'}) changed after this stage ran"]


def test_unreadable_manifest_is_reported_as_unreadable_not_unfinished(tmp_path, capsys):
    first, second = _two_stages(tmp_path)
    (tmp_path / "runs" / "r" / "01_curation" / "manifest.json").write_text('{"stage": "01_cur')
    assert not StageRun(first).is_done({})
    assert "manifest.json is unreadable" in capsys.readouterr().out
    with pytest.raises(MissingInputError) as e:
        StageRun(second).input("01_curation")
    assert "unreadable" in str(e.value) and "not finish" not in str(e.value)


def test_missing_input_hint_names_every_missing_stage_with_the_profile(tmp_path):
    settings = FakeSecondSettings.from_params("tiny", run_name="fresh", runs_dir=str(tmp_path))
    like_stage_03 = StageRun(settings, stage="03_pretraining")
    with pytest.raises(MissingInputError) as e:
        like_stage_03.input("01_curation")
    msg = str(e.value)
    assert "needs stage 01_curation" in msg and "also lacks 02_llm_filter" in msg
    assert f"seedkit run --profile tiny --run-name fresh --stages 01-02 --runs-dir {tmp_path}" in msg
    # an unfinished stage: said so, and that a rerun resumes
    (tmp_path / "fresh" / "01_curation").mkdir(parents=True)
    with pytest.raises(MissingInputError, match="did not finish .* resumes from its checkpoints"):
        like_stage_03.input("01_curation")


def test_other_ranks_wait_for_the_main_process_manifest(tmp_path, monkeypatch):
    """A process of rank 1 returns from finish() only once rank 0's manifest of this launch is on disk."""
    import threading
    import time

    from seedkit.runs import RankWaitError

    first = FakeFirstSettings.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    main = StageRun(first)
    main.start({})
    main.save_json("numbers.json", [1])
    main.finish()
    stale = json.loads((main.path / "manifest.json").read_text())
    stale["finished_unix"] = 1.0  # an earlier launch's manifest
    atomic_write_json(main.path / "manifest.json", stale)

    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("SEEDKIT_RANK_WAIT_S", "60")
    other = StageRun(first)
    other.start({})

    def rank0_finishes_later():
        time.sleep(1.0)
        fresh = dict(stale, finished_unix=time.time(), metrics={"n": 1})
        atomic_write_json(main.path / "manifest.json", fresh)

    t = threading.Thread(target=rank0_finishes_later)
    t.start()
    got = other.finish(metrics={"ignored": True})
    t.join()
    assert got["metrics"] == {"n": 1}  # rank 0's manifest of this launch, written a second later: it waited
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("SEEDKIT_RANK_WAIT_S", "0.5")
    atomic_write_json(main.path / "manifest.json", stale)
    with pytest.raises(RankWaitError, match="waited"):
        StageRun(first).finish()


def test_an_unreadable_step_product_is_recomputed(settings):
    run = StageRun(settings)
    run.start({})
    assert run.step("numbers", lambda: [1, 2]) == [1, 2]
    saved = run.steps_dir / "numbers.json"
    saved.write_text("[1, 2")  # damaged
    assert StageRun(settings).step("numbers", lambda: [3]) == [3]


@dataclass
class Pairs(FakeFirstSettings):
    DATA_STEPS: ClassVar[tuple[str, ...]] = ("samples", "pairs")
    TRAINING_FIELDS: ClassVar[tuple[str, ...]] = ("beta",)
    beta: float = field(default=0.1, metadata={"help": "DPO's beta"})
    temperature: float = 0.8


def test_a_training_only_setting_recomputes_training_not_the_data_steps(tmp_path):
    """A settings class names the steps before training (DATA_STEPS) and the settings only training reads
    (TRAINING_FIELDS): changing DPO's beta reuses the samples and pairs and trains again; a sampling
    setting recomputes everything."""
    calls: list[str] = []

    def go(s):
        run = StageRun(s)
        if run.is_done({}, quiet=True):
            return run
        run.start({})
        for name in ("samples", "pairs", "train"):
            run.step(name, lambda name=name: calls.append(name) or 1)
        run.finish()
        return run

    base = Pairs.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    go(base)
    assert calls == ["samples", "pairs", "train"]
    go(base.replace(beta=0.5))
    assert calls[3:] == ["train"]
    go(base)  # back to the first beta: trained again (one training key is kept), the data still reused
    assert calls[3:] == ["train", "train"]
    go(base.replace(temperature=1.0))
    assert calls[5:] == ["samples", "pairs", "train"]
    from seedkit.dpo.settings import DPOSettings

    assert "beta" in DPOSettings.TRAINING_FIELDS and "samples" in DPOSettings.DATA_STEPS
    assert not set(DPOSettings.TRAINING_FIELDS) & {"samples_per_prompt", "sampling_temperature", "finetune_method"}
