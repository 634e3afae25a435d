"""What a newcomer and a workshop meet first: the README's first steps, make lab, one-line errors for
the commonest mistakes, and (slow) a scripted workshop on a tiny run: an instructor's hand-out given to
two participants who each change a setting and rerun a stage, one with a bad value."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from seedkit.cli import main
from seedkit.config import REPO_ROOT, SettingsError
from seedkit.sandbox.server.mounts import hidden_ancestor

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _start_here() -> str:
    return README.split("## Start here", 1)[1].split("\n## ", 1)[0]


def test_the_readme_says_how_to_put_seedkit_on_the_path_and_what_to_do_after_the_pipeline():
    start = _start_here()
    assert "source .venv/bin/activate" in start and ".venv/bin/seedkit" in start
    after = start.split("After the pipeline", 1)[1]
    for step in ("make lab", "runs/", "seedkit report", "seedkit use", "docs/workshop.md"):
        assert step in after, step


def test_make_lab_opens_the_checkout_so_executed_notebooks_under_runs_open_too():
    out = subprocess.run(["make", "-n", "lab"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    lab = out.replace("\\\n", " ")
    assert "--notebook-dir notebooks" not in lab and "root_dir=." in lab and "preferred_dir=notebooks" in lab
    out = subprocess.run(["make", "-n", "pipeline", "PROFILE=tiny"], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert "seedkit use tiny" in out  # the notebooks then open the run the pipeline made


def test_eval_samples_given_a_directory_is_one_line_naming_a_file_in_it(tmp_path, capsys):
    (tmp_path / "model_samples.jsonl").write_text('{"task_id": "HumanEval/0", "completion": "  return 1"}\n')
    assert main(["eval", "humaneval", "--samples", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "is a directory" in err and "model_samples.jsonl" in err and "\n" not in err
    (tmp_path / "bad.jsonl").write_text("not json\n")
    assert main(["eval", "humaneval", "--samples", str(tmp_path / "bad.jsonl")]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_stage_01_with_no_input_file_fails_in_one_line(tmp_path):
    from seedkit.curation import stage as curation
    from seedkit.curation.settings import CurationSettings

    (tmp_path / "empty").mkdir()
    s = CurationSettings.from_params("tiny", run_name="nothing", runs_dir=str(tmp_path / "runs"),
                                     repo_dirs=[str(tmp_path / "empty")], single_files=[], dataset_paths=[],
                                     stdlib_sample_files=0, installed_files=0, commit_repos=[], web_dirs=[])
    stage = curation.begin(s, say=lambda line: None)
    with pytest.raises(SettingsError, match="no file to curate") as e:
        curation.read_sources(stage)
    assert "\n" not in str(e.value)


def test_a_copied_run_names_itself_not_the_run_it_was_copied_from(tmp_path):
    from fixtures.fake_stages import FakeFirstSettings, FakeSecondSettings
    from seedkit.runs import DamagedStageError, StageRun

    first = FakeFirstSettings.from_params("tiny", run_name="original", runs_dir=str(tmp_path))
    run = StageRun(first)
    run.start({})
    run.save_json("numbers.json", [1, 2])
    run.finish()
    shutil.copytree(tmp_path / "original", tmp_path / "copy")
    (tmp_path / "copy" / "01_curation" / "numbers.json").write_text("[9]")
    second = StageRun(FakeSecondSettings.from_params("tiny", run_name="copy", runs_dir=str(tmp_path)))
    with pytest.raises(DamagedStageError) as e:
        second.input("01_curation")
    assert "--run-name copy" in str(e.value) and "seedkit verify copy" in str(e.value) and "original" not in str(e.value)


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _remove_handout(room: Path) -> None:
    subprocess.run(["chmod", "-R", "u+w", str(room)], check=False)  # a hand-out is read-only, even to its owner
    shutil.rmtree(room, ignore_errors=True)


@pytest.mark.slow
def test_a_scripted_workshop_on_tiny(tmp_path, monkeypatch, capsys, request):
    """docs/workshop.md's dry run, on stage 01 of tiny (the cheapest notebook, ~30 s): the instructor's run
    is handed out; two participants each point the notebooks at a run of their own and rerun notebook 01
    with another near-duplicate threshold, one first with an impossible value and a misspelt papermill
    parameter. The hand-out is byte-identical and read-only afterwards; both participants' runs are
    complete and verified."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from seedkit.config import NOTEBOOKS
    from seedkit.pipeline import default_kernel, run_notebooks
    from seedkit.runs import completed_stages

    room = Path(tempfile.mkdtemp(prefix="seedkit-room-"))  # a folder others may enter, unlike pytest's tmp_path
    os.chmod(room, 0o755)
    request.addfinalizer(lambda: _remove_handout(room))
    outcomes = run_notebooks("tiny", "workshop", ["01_curation"], {}, runs_dir=room, say=lambda line: None,
                             cell_timeout_s=600)
    assert all(o.ok for o in outcomes)
    assert main(["handout", "workshop", "--runs-dir", str(room)]) == 0
    before = _hashes(room / "workshop")
    for p in [room / "workshop", *(room / "workshop").rglob("*")]:  # readable by others, folders enterable
        mode = os.stat(p, follow_symlinks=False).st_mode
        assert mode & 0o004 and (not p.is_dir() or mode & 0o001), (p, oct(mode))
    kit_reachable = hidden_ancestor(str(REPO_ROOT)) is None and hidden_ancestor(sys.executable) is None
    if os.getuid() == 0 and shutil.which("setpriv") and kit_reachable:  # another user (nobody) reads the hand-out
        other = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                                "seedkit", "verify", "workshop", "--runs-dir", str(room)],
                               capture_output=True, text=True, env={**os.environ, "HOME": str(room)})
        assert other.returncode == 0 and "[OK]    01_curation" in other.stdout, other.stdout + other.stderr
    seats = {}
    for name in ("alice", "bob"):
        seats[name] = tmp_path / name
        (seats[name] / "notebooks").mkdir(parents=True)
        assert main(["use", str(room / "workshop"), "--as", name, "--runs-dir", str(seats[name] / "runs"),
                     "--notebooks", str(seats[name] / "notebooks")]) == 0
        assert (seats[name] / "runs" / name / "01_curation").is_symlink()  # reused, not copied
    capsys.readouterr()
    # bob: an impossible value fails at once in one line; a misspelt papermill parameter names the right one
    assert main(["run", "--profile", "tiny", "--run-name", "bob", "--runs-dir", str(seats["bob"] / "runs"),
                 "--stages", "01", "-p", "near_dup_min_jaccard=-0.5"]) == 2
    assert "near_dup_min_jaccard" in capsys.readouterr().err
    nb = NOTEBOOKS / "01_curation.ipynb"
    monkeypatch.chdir(seats["bob"] / "notebooks")  # the kernel starts here and reads its seedkit-run.yaml
    with pytest.raises(PapermillExecutionError) as e:
        papermill.execute_notebook(str(nb), str(tmp_path / "typo.ipynb"), parameters={"near_dup_min_jacard": 0.7},
                                   cwd=str(seats["bob"] / "notebooks"), progress_bar=False, execution_timeout=600,
                                   kernel_name=default_kernel(nb, lambda line: None))
    assert "did you mean 'near_dup_min_jaccard'" in str(e.value.evalue)
    # each reruns notebook 01 with another threshold, in their own run
    for name, jaccard in (("alice", 0.7), ("bob", 0.4)):
        runs = seats[name] / "runs"
        out = run_notebooks("tiny", name, ["01_curation"], {"near_dup_min_jaccard": jaccard}, runs_dir=runs,
                            say=lambda line: None, cell_timeout_s=600)
        assert out[0].ok and not out[0].skipped
        assert completed_stages(name, runs) == ["01_curation"]
        assert main(["verify", name, "--runs-dir", str(runs)]) == 0
        assert not (runs / name / "01_curation").is_symlink()
        manifest = json.loads((runs / name / "01_curation" / "manifest.json").read_text())
        assert manifest["config"]["near_dup_min_jaccard"] == jaccard and manifest["run_name"] == name
    assert _hashes(room / "workshop") == before
    assert not any(os.stat(p).st_mode & 0o222 for p in (room / "workshop").rglob("*"))


def test_the_instructors_guide_covers_the_room_the_plan_the_handout_and_trouble_and_its_commands_parse():
    import shlex

    from seedkit.cli import build_parser

    guide = (REPO_ROOT / "docs" / "workshop.md").read_text(encoding="utf-8")
    for heading in ("## Which profile for which room", "## A two-hour plan", "## Preparing and handing out a run",
                    "### Installing without a network", "## Troubleshooting", "## The dry run in CI"):
        assert heading in guide, heading
    for trouble in ("hangs", "Permission denied", "stuck or dead kernel"):
        assert trouble in guide, trouble
    assert "shared with other" in guide  # the times say the machine was busy
    commands = [line.split("#")[0].strip() for block in guide.split("```bash")[1:]
                for line in block.split("```")[0].splitlines() if line.startswith("seedkit ")]
    assert len(commands) >= 5
    parser = build_parser()
    for cmd in commands:
        parser.parse_args(shlex.split(cmd)[1:])  # exits (SystemExit) on an unknown command or flag


@pytest.mark.parametrize("stage, training_change, data_change", [
    ("03_pretraining", dict(learning_rate=1e-2), dict(seq_len_stage1=32)),
    ("06_longcot_rl", dict(rl_learning_rate=5e-4), dict(max_problems=4)),
])
def test_a_training_only_setting_of_03_and_06_recomputes_training_not_the_data(tmp_path, stage, training_change,
                                                                              data_change):
    """Stage 03's learning rate trains again without packing the blocks or measuring the parent again; stage
    06's RL learning rate trains again without choosing problems or generating and verifying traces again; a
    setting the data steps read recomputes them."""
    import dataclasses

    from seedkit.config import stage_settings_class
    from seedkit.runs import StageRun

    cls = stage_settings_class(stage)
    assert set(cls.TRAINING_FIELDS) <= {f.name for f in dataclasses.fields(cls)}
    assert not set(cls.TRAINING_FIELDS) & set(data_change)
    calls: list[str] = []

    def go(s):
        run = StageRun(s)
        if run.is_done({}, quiet=True):
            return
        run.start({})
        for name in (*cls.DATA_STEPS, "train"):
            run.step(name, lambda name=name: calls.append(name) or 1)
        run.finish()

    base = cls.from_params("tiny", run_name="r", runs_dir=str(tmp_path))
    go(base)
    assert calls == [*cls.DATA_STEPS, "train"]
    go(base.replace(**training_change))
    assert calls[len(cls.DATA_STEPS) + 1:] == ["train"]
    del calls[:]
    go(base.replace(**data_change))
    assert calls == [*cls.DATA_STEPS, "train"]


def test_every_exercise_the_guide_plans_is_a_rerun_of_the_catalog_with_its_setting():
    """The two-hour plan's exercises are the catalog's (id and setting agree), so the guide and the
    notebooks cannot drift apart."""
    import re

    from seedkit.exercises import EXERCISES

    guide = (REPO_ROOT / "docs" / "workshop.md").read_text(encoding="utf-8")
    plan = guide.split("## A two-hour plan", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in plan.splitlines() if line.startswith("| ") and "exercise" in line]
    assert len(rows) >= 3
    for row in rows:
        named = re.findall(r"exercise (\d\d-\d+)", row)
        assert len(named) == 1, f"a plan row names an exercise not by its catalog id: {row}"
        e = EXERCISES[named[0]]
        assert "rerun" in e.needs and e.expect, e.id
        assert f"`{e.setting}`" in row, (e.id, e.setting, row)
    named = re.findall(r"^- (\d\d-\d+):", plan, re.M) + re.findall(r"exercises? ([\d, and-]+\d)", plan)
    ids = re.findall(r"\d\d-\d+", " ".join(named))
    assert len(ids) >= 6
    for exercise_id in ids:
        assert exercise_id in EXERCISES, exercise_id
