"""The notebook runner on two small fixture notebooks (real papermill, real kernel)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import seedkit.pipeline as runner
from fixtures.fake_kit import make_fake_kit, write_notebook
from fixtures.fake_stages import FakeFirstSettings
from seedkit.cli import main
from seedkit.config import SettingsError, resolve_stage
from seedkit.notebooks import notebook_problems

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def fake_kit(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    classes = make_fake_kit(nbdir)
    real = runner.stage_settings_class
    monkeypatch.setattr(runner, "stage_settings_class", lambda s: classes.get(resolve_stage(s)) or real(s))
    monkeypatch.setattr(runner, "NOTEBOOKS", nbdir)
    monkeypatch.setenv("SEEDKIT_FAKE_LOG", str(tmp_path / "ran.log"))
    return nbdir, tmp_path / "runs"


def test_fixture_notebooks_have_the_kit_shape(fake_kit):
    nbdir, _ = fake_kit
    assert notebook_problems(nbdir / "01_curation.ipynb") == []


@pytest.mark.slow
def test_runs_stages_in_order_with_overrides_and_saves_executed_notebooks(fake_kit):
    nbdir, runs = fake_kit
    lines: list[str] = []
    out = runner.run_notebooks("tiny", "demo", ["01_curation", "02_llm_filter"],
                               {"mode": "cubes", "scale": 2}, runs_dir=runs, notebooks_dir=nbdir, say=lines.append)
    assert [o.ok for o in out] == [True, True]
    assert json.loads((runs / "demo" / "02_llm_filter" / "scaled.json").read_text()) == [0.0, 2.0, 16.0]
    assert (runs / "demo" / "notebooks" / "01_curation.ipynb").exists()
    assert any("01_curation done in" in s for s in lines)


@pytest.mark.slow
def test_stops_at_first_failure_naming_stage_cell_and_error(fake_kit):
    nbdir, runs = fake_kit
    runner.run_notebooks("tiny", "f", ["01_curation"], {}, runs_dir=runs, notebooks_dir=nbdir, say=lambda s: None)
    with pytest.raises(runner.StageFailed) as e:
        runner.run_notebooks("tiny", "f", ["02_llm_filter"], {"fail_on_purpose": True}, runs_dir=runs,
                             notebooks_dir=nbdir, say=lambda s: None)
    msg = str(e.value)
    assert "02_llm_filter" in msg and "ValueError: asked to fail" in msg and "cell" in msg and "\n" not in msg


@pytest.mark.slow
def test_a_cell_past_its_timeout_fails_the_stage_instead_of_hanging(fake_kit, tmp_path):
    nbdir, runs = fake_kit
    write_notebook(nbdir / "01_curation.ipynb", [("markdown", "# slow"), ("code", "import time; time.sleep(3600)"),
                                                 ("markdown", "## Exercises\n1. Wait.")],
                   parameters_source=FakeFirstSettings.parameters_cell())
    with pytest.raises(runner.StageFailed) as e:  # 30 s: the other cells finish within it even on a busy machine
        runner.run_notebooks("tiny", "slow", ["01_curation"], {}, runs_dir=runs, notebooks_dir=nbdir,
                             say=lambda s: None, cell_timeout_s=30)
    assert "01_curation" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.slow
def test_missing_input_stage_is_one_line(fake_kit, capsys):
    nbdir, runs = fake_kit
    with pytest.raises(runner.StageFailed) as e:
        runner.run_notebooks("tiny", "empty", ["02_llm_filter"], {}, runs_dir=runs, notebooks_dir=nbdir,
                             say=lambda s: None)
    assert "MissingInputError" in str(e.value) and "needs stage 01_curation" in str(e.value)


def test_bad_overrides_fail_before_anything_runs(fake_kit, capsys):
    nbdir, runs = fake_kit
    with pytest.raises(SettingsError, match="no selected stage .* has a setting named 'nmu_items'"):
        runner.run_notebooks("tiny", "x", ["01_curation"], {"nmu_items": 3}, runs_dir=runs, notebooks_dir=nbdir)
    with pytest.raises(SettingsError, match="num_items: got 'many'"):
        runner.run_notebooks("tiny", "x", ["01_curation"], {"num_items": "many"}, runs_dir=runs, notebooks_dir=nbdir)
    assert not (runs / "x" / "01_curation").exists()
    # through the CLI: exit code 2 and one line on stderr
    code = main(["run", "--profile", "tiny", "--stages", "01", "--runs-dir", str(runs), "-p", "nmu_items=3"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("seedkit: -p nmu_items") and "\n" not in err


def test_an_impossible_value_fails_before_any_notebook_starts(tmp_path, capsys):
    """`-p learning_rate=-1` passed the type check and failed 52 s later inside the trainer, after stage 04
    had cleared its finished outputs; now the settings' ranges are checked with the names and types."""
    runs = tmp_path / "runs"
    for pair, says in (("learning_rate=-1", "learning_rate: got -1.0; expected a positive number"),
                       ("beta=0", "beta: got 0"), ("heldout_prompt_fraction=1.5", "a fraction lies between 0 and 1"),
                       ("samples_per_prompt=-2", "cannot be negative")):
        stages = "04" if pair.startswith("learning") else "05"
        code = main(["run", "--profile", "tiny", "--stages", stages, "--runs-dir", str(runs), "-p", pair])
        err = capsys.readouterr().err.strip()
        assert code == 2 and says in err and "\n" not in err, (pair, err)
    assert not runs.exists()


@pytest.mark.parametrize("spec,expect", [
    ("01-02", ["01_curation", "02_llm_filter"]),
    ("07,01", ["01_curation", "07_eval"]),
    ("sft", ["04_sft"]),
    (None, list(runner.STAGES)),
])
def test_parse_stages(spec, expect):
    assert runner.parse_stages(spec) == expect


def test_parse_overrides_reads_yaml_values():
    assert runner.parse_overrides(["a=0.5", "b=true", "c=[1, 2]", "d=text", "e=", "f=1e-3", "g=2E5"]) == {
        "a": 0.5, "b": True, "c": [1, 2], "d": "text", "e": "", "f": 0.001, "g": 200000.0}
    with pytest.raises(SettingsError, match="key=value"):
        runner.parse_overrides(["novalue"])


def test_a_mistyped_override_suggests_the_closest_names_and_the_stage_that_has_it():
    stages = ["01_curation", "02_llm_filter", "03_pretraining"]
    with pytest.raises(SettingsError) as e:
        runner.route_overrides(stages, "tiny", {"near_dup_threshold": 0.8})
    msg = str(e.value)
    assert "did you mean 'near_dup_min_jaccard'" in msg and "setting of 04_sft" in msg and "\n" not in msg
    assert len(msg) < 400  # not a list of ninety names
    with pytest.raises(SettingsError, match="did you mean 'learning_rate'"):
        runner.route_overrides(["03_pretraining"], "tiny", {"lerning_rate": 1e-3})


@pytest.mark.slow
def test_one_line_per_stage_a_skipped_stage_says_so_and_the_kernel_keeps_its_warnings_to_a_log(fake_kit, capfd):
    nbdir, runs = fake_kit
    lines: list[str] = []
    runner.run_notebooks("tiny", "once", ["01_curation"], {}, runs_dir=runs, notebooks_dir=nbdir, say=lines.append)
    runner.run_notebooks("tiny", "once", ["01_curation"], {}, runs_dir=runs, notebooks_dir=nbdir, say=lines.append)
    stage_lines = [s for s in lines if s.startswith("[1/1]")]
    assert len(stage_lines) == 2  # one line per stage, not a start line and an end line
    assert "done in" in stage_lines[0] and "skipped: done already" in stage_lines[1] and "done in" not in stage_lines[1]
    err = capfd.readouterr().err
    assert "without encryption" not in err
    assert "without encryption" in (runs / "once" / "notebooks" / "01_curation.kernel.log").read_text()


INTERRUPT_DRIVER = """
import sys
sys.path.insert(0, {tests!r})
from pathlib import Path
import seedkit.pipeline as runner
from fixtures.fake_kit import make_fake_kit, write_notebook
from fixtures.fake_stages import FakeFirstSettings
from seedkit.cli import main
nbdir = Path({nbdir!r})
classes = make_fake_kit(nbdir)
write_notebook(nbdir / "01_curation.ipynb", [("markdown", "# slow"),
               ("code", "import time; open({marker!r}, 'w').write('started'); time.sleep(600)"),
               ("markdown", "## Exercises\\n1. Wait.")], parameters_source=FakeFirstSettings.parameters_cell())
runner.stage_settings_class = lambda s: classes[s]
runner.NOTEBOOKS = nbdir
sys.exit(main(["run", "--profile", "tiny", "--run-name", "slow", "--stages", "01", "--runs-dir", {runs!r},
               "--kernel", "python3"]))
"""


@pytest.mark.slow
def test_ctrl_c_prints_one_closing_line_and_leaves_no_kernel(tmp_path):
    """A terminal's Ctrl-C: SIGINT to the foreground process group of `seedkit run`."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    marker = tmp_path / "started"
    driver = tmp_path / "driver.py"
    driver.write_text(INTERRUPT_DRIVER.format(tests=str(TESTS), nbdir=str(tmp_path / "nb"), marker=str(marker),
                                              runs=str(tmp_path / "runs")))
    proc = subprocess.Popen([sys.executable, str(driver)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 300  # a kernel starts in seconds; minutes on a busy machine
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the slow cell never started"
        time.sleep(0.2)
    kernels = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    assert kernels
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    lines = [s for s in err.splitlines() if s.strip()]
    assert len(lines) <= 2, err  # no tracebacks
    assert "interrupted during stage 01_curation" in lines[-1] and "run the same command again to resume" in lines[-1]
    deadline = time.monotonic() + 60
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in kernels):
        assert time.monotonic() < deadline, "the kernel outlived seedkit run"
        time.sleep(0.5)


def test_papermills_unknown_parameter_warning_is_dropped_for_checked_names(caplog):
    """Settings a notebook's short parameters cell does not list (runs_dir, force, any -p knob) are valid:
    the runner checked them, so papermill's warning about them is not shown; its other warnings are."""
    import logging

    from seedkit.pipeline import _KnownParameters

    log = logging.getLogger("papermill")
    quiet = _KnownParameters()
    log.addFilter(quiet)
    try:
        with caplog.at_level(logging.WARNING, logger="papermill"):
            log.warning("Passed unknown parameter: force")
            log.warning("Input notebook does not contain a cell with tag 'parameters'")
    finally:
        log.removeFilter(quiet)
    assert [r.getMessage() for r in caplog.records] == ["Input notebook does not contain a cell with tag 'parameters'"]


@pytest.mark.slow
def test_a_handout_run_is_redone_in_the_users_own_run_and_a_failing_redo_keeps_the_finished_stage(fake_kit, tmp_path):
    """`seedkit run` on a hand-out writes to <run>-<user>, which reuses its stages; a finished stage is
    skipped without a kernel; a redo that fails puts the finished stage back."""
    import getpass
    import hashlib

    nbdir, runs = fake_kit
    lines: list[str] = []
    runner.run_notebooks("tiny", "lesson", ["01_curation", "02_llm_filter"], {}, runs_dir=runs, notebooks_dir=nbdir,
                         say=lines.append)
    assert main(["handout", "lesson", "--runs-dir", str(runs)]) == 0
    files = sorted(p for p in (runs / "lesson").rglob("*") if p.is_file())
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    ran = tmp_path / "ran.log"
    n = len(ran.read_text().split())
    out = runner.run_notebooks("tiny", "lesson", ["01_curation", "02_llm_filter"], {"scale": 3}, runs_dir=runs,
                               notebooks_dir=nbdir, say=lines.append)
    own = runs / f"lesson-{getpass.getuser()}"
    assert any("is a hand-out" in s for s in lines) and out[0].skipped and not out[1].skipped
    assert ran.read_text().split()[n:] == ["02_llm_filter"]  # 01 skipped without starting a kernel
    assert (own / "01_curation").is_symlink() and json.loads((own / "02_llm_filter" / "scaled.json").read_text())
    manifest = (own / "02_llm_filter" / "manifest.json").read_bytes()
    from fixtures.fake_stages import FakeSecondSettings

    write_notebook(nbdir / "02_llm_filter.ipynb", [
        ("markdown", "# fails half-way"),
        ("code", f"import sys; sys.path.insert(0, {str(TESTS)!r})\nfrom fixtures.fake_stages import FakeSecondSettings\n"
                 "from seedkit.runs import StageRun\nsettings = FakeSecondSettings.from_notebook(globals())\n"
                 "run = StageRun(settings)\nsrc = run.input('01_curation')\n"
                 "assert not run.is_done({'01_curation': src})\nrun.start({'01_curation': src})\n"
                 "run.save_json('scaled.json', [0])\nraise ValueError('asked to fail half-way')"),
        ("markdown", "## Exercises\n1. None.")], parameters_source=FakeSecondSettings.parameters_cell())
    with pytest.raises(runner.StageFailed, match="half-way.*back in place"):
        runner.run_notebooks("tiny", own.name, ["02_llm_filter"], {"scale": 4}, runs_dir=runs, notebooks_dir=nbdir,
                             say=lines.append)
    assert (own / "02_llm_filter" / "manifest.json").read_bytes() == manifest
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before
    assert sorted(p for p in (runs / "lesson").rglob("*") if p.is_file()) == files
