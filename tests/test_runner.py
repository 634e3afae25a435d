"""The notebook runner on two small fixture notebooks (real papermill, real kernel)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import seedkit.pipeline as runner
from fixtures.fake_stages import FakeFirstSettings, FakeSecondSettings
from seedkit.cli import main
from seedkit.config import SettingsError
from seedkit.notebooks import notebook_problems

TESTS = Path(__file__).resolve().parent


def write_notebook(path, cells, parameters_source):
    """A notebook in the kit's shape: cells, with the tagged parameters cell after the first one."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    out = []
    for i, (kind, source) in enumerate(cells):
        out.append(nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source))
        if i == 0:
            params = nbformat.v4.new_code_cell(parameters_source)
            params.metadata["tags"] = ["parameters"]
            out.append(params)
    nb.cells = out
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))

FIRST = f"""
import sys; sys.path.insert(0, {str(TESTS)!r})
from fixtures.fake_stages import FakeFirstSettings
from seedkit.runs import StageRun
settings = FakeFirstSettings.from_notebook(globals())
run = StageRun(settings)
run.start({{}})
power = 2 if settings.mode == "squares" else 3
run.save_json("numbers.json", [i ** power for i in range(settings.num_items)])
run.finish()
"""

SECOND = f"""
import sys; sys.path.insert(0, {str(TESTS)!r})
from fixtures.fake_stages import FakeSecondSettings
from seedkit.runs import StageRun
settings = FakeSecondSettings.from_notebook(globals())
run = StageRun(settings)
src = run.input("01_curation")
nums = __import__("json").loads((src / "numbers.json").read_text())
if settings.fail_on_purpose:
    raise ValueError("asked to fail")
run.start({{"01_curation": src}})
run.save_json("scaled.json", [n * settings.scale for n in nums])
run.finish()
"""


@pytest.fixture
def fake_kit(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    for stage, cls, body in (("01_curation", FakeFirstSettings, FIRST), ("02_llm_filter", FakeSecondSettings, SECOND)):
        write_notebook(nbdir / f"{stage}.ipynb", [("markdown", f"# {stage}"), ("code", body),
                                                  ("markdown", "## Exercises\n1. Change a setting.")],
                       parameters_source=cls.parameters_cell())
    classes = {"01_curation": FakeFirstSettings, "02_llm_filter": FakeSecondSettings}
    monkeypatch.setattr(runner, "stage_settings_class", lambda s: classes[s])
    monkeypatch.setattr(runner, "NOTEBOOKS", nbdir)
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
    write_notebook(nbdir / "01_curation.ipynb", [("markdown", "# slow"), ("code", "import time; time.sleep(60)"),
                                                 ("markdown", "## Exercises\n1. Wait.")],
                   parameters_source=FakeFirstSettings.parameters_cell())
    with pytest.raises(runner.StageFailed) as e:
        runner.run_notebooks("tiny", "slow", ["01_curation"], {}, runs_dir=runs, notebooks_dir=nbdir,
                             say=lambda s: None, cell_timeout_s=3)
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


@pytest.mark.parametrize("spec,expect", [
    ("01-02", ["01_curation", "02_llm_filter"]),
    ("07,01", ["01_curation", "07_eval"]),
    ("sft", ["04_sft"]),
    (None, list(runner.STAGES)),
])
def test_parse_stages(spec, expect):
    assert runner.parse_stages(spec) == expect


def test_parse_overrides_reads_yaml_values():
    assert runner.parse_overrides(["a=0.5", "b=true", "c=[1, 2]", "d=text", "e="]) == {
        "a": 0.5, "b": True, "c": [1, 2], "d": "text", "e": ""}
    with pytest.raises(SettingsError, match="key=value"):
        runner.parse_overrides(["novalue"])
