"""Handing runs out: `seedkit verify`, `seedkit export`, `seedkit import` on a small run of fake stages."""

from __future__ import annotations

import io
import json
import shutil
import tarfile

import pytest

from fixtures.fake_stages import FakeFirstSettings, FakeSecondSettings
from seedkit.cli import main
from seedkit.runs import StageRun, verify_stage


def make_run(runs, name="lesson"):
    import datasets

    first = FakeFirstSettings.from_params("tiny", run_name=name, runs_dir=str(runs))
    r1 = StageRun(first)
    r1.start({})
    r1.save_json("numbers.json", [1, 2, 3])
    r1.save_dataset("files", datasets.Dataset.from_dict({"text": [f"def f{i}(): pass" for i in range(100)]}))
    (r1.path / "checkpoints").mkdir()
    (r1.path / "checkpoints" / "big.bin").write_bytes(b"x" * 1000)  # left over: not handed out
    r1.finish()
    second = FakeSecondSettings.from_params("tiny", run_name=name, runs_dir=str(runs))
    r2 = StageRun(second)
    inputs = {"01_curation": r2.input("01_curation")}
    r2.start(inputs)
    r2.save_json("scaled.json", [2, 4, 6])
    r2.finish()
    (runs / name / "notebooks").mkdir()
    (runs / name / "notebooks" / "01_curation.ipynb").write_text("{}")
    return first, second


def test_export_then_import_elsewhere_gives_a_run_that_is_done(tmp_path, capsys):
    make_run(tmp_path / "teacher")
    archive = tmp_path / "lesson.seedkit.tar.gz"
    assert main(["export", "lesson", "--runs-dir", str(tmp_path / "teacher"), "-o", str(archive)]) == 0
    assert f"to {archive}" in capsys.readouterr().out
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "lesson/seedkit-export.json" in names and "lesson/01_curation/manifest.json" in names
    assert "lesson/notebooks/01_curation.ipynb" in names
    assert not any("checkpoints" in n or ".verified" in n or ".in_progress" in n for n in names)
    shutil.rmtree(tmp_path / "teacher")  # the laptop has only the archive
    assert main(["import", str(archive), "--runs-dir", str(tmp_path / "laptop")]) == 0
    out = capsys.readouterr().out
    assert "every file matches its manifest" in out and "seedkit use lesson" in out
    second = FakeSecondSettings.from_params("tiny", run_name="lesson", runs_dir=str(tmp_path / "laptop"))
    run = StageRun(second)
    assert run.is_done({"01_curation": run.input("01_curation")}, quiet=True)
    assert main(["verify", "lesson", "--runs-dir", str(tmp_path / "laptop")]) == 0
    assert "2 of 2 stage(s) intact" in capsys.readouterr().out
    # again: refused without --force, replaced with it; under another name beside it
    assert main(["import", str(archive), "--runs-dir", str(tmp_path / "laptop")]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["import", str(archive), "--runs-dir", str(tmp_path / "laptop"), "--force"]) == 0
    assert main(["import", str(archive), "--runs-dir", str(tmp_path / "laptop"), "--name", "mine"]) == 0
    assert sorted(p.name for p in (tmp_path / "laptop").iterdir()) == ["lesson", "mine"]


def test_import_refuses_a_truncated_or_tampered_archive_and_writes_nothing(tmp_path, capsys):
    make_run(tmp_path / "teacher")
    archive = tmp_path / "a.seedkit.tar.gz"
    main(["export", "lesson", "--runs-dir", str(tmp_path / "teacher"), "-o", str(archive)])
    capsys.readouterr()
    data = archive.read_bytes()
    cut = tmp_path / "cut.seedkit.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    laptop = tmp_path / "laptop"
    assert main(["import", str(cut), "--runs-dir", str(laptop)]) == 2
    err = capsys.readouterr().err.strip()
    assert "damaged or truncated" in err and "\n" not in err
    # a file changed inside the archive: its hash no longer matches the manifest
    tampered = tmp_path / "tampered.seedkit.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for m in src.getmembers():
            blob = src.extractfile(m).read() if m.isfile() else None
            if m.name.endswith("scaled.json"):
                blob = blob.replace(b"4", b"5")
            dst.addfile(m, io.BytesIO(blob) if blob is not None else None)
    assert main(["import", str(tampered), "--runs-dir", str(laptop)]) == 2
    err = capsys.readouterr().err
    assert "scaled.json changed since the stage wrote it" in err
    assert not laptop.exists() or [p.name for p in laptop.iterdir()] == []  # nothing half-imported


def test_import_refuses_paths_outside_the_run(tmp_path, capsys):
    evil = tmp_path / "evil.seedkit.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for name, blob in (("lesson/seedkit-export.json", b"{}"), ("lesson/../../escaped.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    assert main(["import", str(evil), "--runs-dir", str(tmp_path / "runs")]) == 2
    assert not (tmp_path / "escaped.txt").exists() and "import:" in capsys.readouterr().err


def test_export_refuses_a_damaged_stage_and_verify_names_it_with_the_command(tmp_path, capsys):
    make_run(tmp_path / "runs")
    numbers = tmp_path / "runs" / "lesson" / "01_curation" / "numbers.json"
    numbers.write_text(numbers.read_text().replace("2", "7"))
    assert main(["export", "lesson", "--runs-dir", str(tmp_path / "runs"), "-o", str(tmp_path / "x.tar.gz")]) == 2
    assert "numbers.json" in capsys.readouterr().err and not (tmp_path / "x.tar.gz").exists()
    assert main(["verify", "lesson", "--runs-dir", str(tmp_path / "runs")]) == 1
    out = capsys.readouterr().out
    assert "[FAIL]  01_curation" in out and "numbers.json changed" in out
    assert "[OK]    02_llm_filter" in out  # what it read (01's manifest) is unchanged; 01 is redone and then so is 02
    assert f"seedkit run --profile tiny --run-name lesson --stages 01 --runs-dir {tmp_path / 'runs'}" in out
    assert verify_stage(tmp_path / "runs" / "lesson" / "01_curation")[0] == "done"


def test_export_index_says_what_is_inside(tmp_path):
    make_run(tmp_path / "runs")
    archive = tmp_path / "x.seedkit.tar.gz"
    main(["export", "lesson", "--runs-dir", str(tmp_path / "runs"), "-o", str(archive)])
    with tarfile.open(archive) as tar:
        index = json.load(tar.extractfile("lesson/seedkit-export.json"))
    assert index["profile"] == "tiny" and set(index["stages"]) == {"01_curation", "02_llm_filter"}
    with pytest.raises(KeyError):
        index["stages"]["03_pretraining"]


def test_every_file_of_a_run_and_its_export_is_readable_by_others(tmp_path):
    """mkstemp/mkdtemp make 0600 files and 0700 folders and safetensors writes 0600: a participant who
    may read the folder must read every manifest, model and the archive (the umask decides, as usual)."""
    import os
    import stat

    from seedkit.files import atomic_dir, atomic_write_json, umask

    if umask() & 0o044:
        pytest.skip("this umask keeps files from group and others on purpose")
    first, _ = make_run(tmp_path / "teacher")
    with atomic_dir(tmp_path / "teacher" / "lesson" / "01_curation" / "model") as tmp:  # as safetensors does
        (tmp / "model.safetensors").write_bytes(b"w")
        os.chmod(tmp / "model.safetensors", 0o600)
    atomic_write_json(tmp_path / "teacher" / "lesson" / "x.json", {})
    archive = tmp_path / "lesson.seedkit.tar.gz"
    assert main(["export", "lesson", "--runs-dir", str(tmp_path / "teacher"), "-o", str(archive)]) == 0
    closed = [p for p in [*(tmp_path / "teacher").rglob("*"), archive]
              if not p.stat().st_mode & (stat.S_IROTH | stat.S_IRGRP)
              or (p.is_dir() and not p.stat().st_mode & stat.S_IXOTH)]
    assert closed == []
    with tarfile.open(archive) as tar:
        assert all(m.mode & 0o444 == 0o444 for m in tar.getmembers() if m.isfile())
    # an archive of 0600 files (made before) imports readable
    os.chmod(tmp_path / "teacher" / "lesson" / "01_curation" / "manifest.json", 0o600)
    assert main(["export", "lesson", "--runs-dir", str(tmp_path / "teacher"), "-o", str(archive)]) == 0
    assert main(["import", str(archive), "--runs-dir", str(tmp_path / "laptop")]) == 0
    assert (tmp_path / "laptop" / "lesson" / "01_curation" / "manifest.json").stat().st_mode & 0o044 == 0o044


def _hashes(root):
    import hashlib

    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_a_handout_is_never_written_and_each_participant_redoes_stages_in_a_run_of_their_own(tmp_path, capsys):
    from seedkit.config import RUN_SWITCH
    from seedkit.runs import HandoutError, previous_dir, restore_previous

    runs = tmp_path / "room"
    first, _ = make_run(runs)
    assert main(["handout", "lesson", "--runs-dir", str(runs)]) == 0
    assert "hand-out now" in capsys.readouterr().out
    before = _hashes(runs / "lesson")
    assert all(not mode & 0o222 and mode & 0o444 == 0o444 for _, mode in before.values())  # read-only, readable
    # writing a stage into the hand-out itself is refused in one line
    with pytest.raises(HandoutError, match="seedkit use lesson"):
        StageRun(FakeSecondSettings.from_params("tiny", run_name="lesson", runs_dir=str(runs), scale=3.0)).start({})
    # alice: her own run reuses every finished stage by reference and the notebooks open it
    nb = tmp_path / "nb"
    nb.mkdir()
    assert main(["use", "lesson", "--runs-dir", str(runs), "--as", "alice", "--notebooks", str(nb)]) == 0
    assert "reuses its finished stages" in capsys.readouterr().out
    assert (runs / "alice" / "01_curation").is_symlink() and (runs / "alice" / "02_llm_filter").is_symlink()
    assert "run_name: alice" in (nb / RUN_SWITCH).read_text() and "profile: tiny" in (nb / RUN_SWITCH).read_text()
    same = FakeSecondSettings.from_params("tiny", run_name="alice", runs_dir=str(runs))
    run = StageRun(same)
    assert run.is_done({"01_curation": run.input("01_curation")}, quiet=True)  # nothing recomputed
    # she changes a setting of stage 02: written into her run, the reference replaced, 01 still shared
    changed = StageRun(same.replace(scale=3.0))
    inputs = {"01_curation": changed.input("01_curation")}
    assert not changed.is_done(inputs, quiet=True)
    changed.start(inputs)
    changed.save_json("scaled.json", [3, 6, 9])
    changed.finish()
    assert not (runs / "alice" / "02_llm_filter").is_symlink() and (runs / "alice" / "01_curation").is_symlink()
    assert json.loads((runs / "alice" / "02_llm_filter" / "scaled.json").read_text()) == [3, 6, 9]
    assert main(["verify", "alice", "--runs-dir", str(runs)]) == 0
    # bob's redo fails half-way: his reference to the hand-out's finished stage comes back
    assert main(["use", str(runs / "lesson"), "--runs-dir", str(runs), "--as", "bob", "--notebooks", str(nb)]) == 0
    bad = StageRun(FakeSecondSettings.from_params("tiny", run_name="bob", runs_dir=str(runs), scale=5.0))
    bad.start({"01_curation": bad.input("01_curation")})
    bad.save_json("scaled.json", [5])  # ... and the kernel dies before finish
    assert previous_dir(runs / "bob" / "02_llm_filter").is_symlink()
    assert restore_previous(runs / "bob" / "02_llm_filter")
    assert (runs / "bob" / "02_llm_filter").is_symlink()
    assert main(["verify", "bob", "--runs-dir", str(runs)]) == 0
    capsys.readouterr()
    assert _hashes(runs / "lesson") == before  # byte for byte, modes too
    # a hand-out exports like any run; a participant's run exports the stages it reuses as files
    assert main(["export", "lesson", "--runs-dir", str(runs), "-o", str(tmp_path / "l.tar.gz")]) == 0
    assert main(["export", "alice", "--runs-dir", str(runs), "-o", str(tmp_path / "a.tar.gz")]) == 0
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        names = tar.getnames()
    assert "alice/01_curation/numbers.json" in names and "alice/base.json" not in names
    assert main(["import", str(tmp_path / "a.tar.gz"), "--runs-dir", str(tmp_path / "home")]) == 0
    assert main(["verify", "alice", "--runs-dir", str(tmp_path / "home")]) == 0


def test_a_failed_redo_never_removes_the_finished_stage_and_asking_for_it_again_brings_it_back(tmp_path, capsys):
    from seedkit.runs import previous_dir

    runs = tmp_path / "runs"
    _, second = make_run(runs)
    before = (runs / "lesson" / "02_llm_filter" / "manifest.json").read_bytes()
    redo = StageRun(second.replace(scale=7.0))
    redo.start({"01_curation": redo.input("01_curation")})  # ... and fails: no finish
    assert (previous_dir(redo.path) / "manifest.json").read_bytes() == before
    again = StageRun(second)  # the old settings asked for again (a notebook's cell reverted)
    assert again.is_done({"01_curation": again.input("01_curation")})
    assert "back in place" in capsys.readouterr().out
    assert (runs / "lesson" / "02_llm_filter" / "manifest.json").read_bytes() == before
    assert not previous_dir(redo.path).exists()
    redo = StageRun(second.replace(scale=7.0))  # a redo that finishes removes the version it replaces
    redo.start({"01_curation": redo.input("01_curation")})
    redo.finish()
    assert not previous_dir(redo.path).exists() and (redo.path / "manifest.json").read_bytes() != before
