"""The one stage vocabulary: typed step products saved, reused, recomputed; the short parameters cell."""

from __future__ import annotations

from dataclasses import dataclass

import datasets
import pytest

from seedkit.config import SettingsError
from seedkit.curation.settings import CurationSettings
from seedkit.files import load_product, save_product
from seedkit.steps import Stage


@dataclass
class Split:
    kept: datasets.Dataset
    dropped: datasets.Dataset
    reasons: dict[str, int]


@dataclass
class Scores:
    values: list[float]
    threshold: float


def test_a_product_with_datasets_and_plain_fields_round_trips(tmp_path):
    value = Split(datasets.Dataset.from_list([{"a": 1}, {"a": 2}]), datasets.Dataset.from_list([{"a": 3}]),
                  {"too_long": 1})
    save_product(value, tmp_path / "split")
    back = load_product(Split, tmp_path / "split")
    assert isinstance(back, Split)
    assert back.kept["a"] == [1, 2] and back.dropped["a"] == [3] and back.reasons == {"too_long": 1}


def test_a_product_saved_by_another_class_is_refused(tmp_path):
    save_product(Scores([0.5], 0.1), tmp_path / "p")
    with pytest.raises(ValueError, match="saved fields"):
        load_product(Split, tmp_path / "p")
    with pytest.raises(TypeError, match="dataclass instance"):
        save_product({"values": []}, tmp_path / "q")


def test_stage_steps_are_typed_saved_and_reused(tmp_path, capsys):
    settings = CurationSettings.from_params("tiny", runs_dir=str(tmp_path), run_name="steps")
    stage = Stage.open(settings, {})
    calls = []

    def compute():
        calls.append(1)
        return Scores([0.1, 0.9], 0.5)

    first = stage.step("scores", compute, product=Scores)
    assert isinstance(first, Scores) and first.values == [0.1, 0.9] and first.threshold == 0.5
    again = Stage.open(settings, {}).step("scores", compute, product=Scores)
    assert again == first and len(calls) == 1
    assert "reusing what these settings computed before" in capsys.readouterr().out
    with pytest.raises(TypeError, match="expected a Split"):
        stage.step("other", compute, product=Split)
    assert stage.need("scores") == first
    with pytest.raises(RuntimeError, match="has not run in this session"):
        stage.need("never")


def test_an_unreadable_product_is_computed_again(tmp_path):
    settings = CurationSettings.from_params("tiny", runs_dir=str(tmp_path), run_name="steps")
    stage = Stage.open(settings, {})
    stage.step("scores", lambda: Scores([1.0], 0.0), product=Scores)
    (stage.run.step_path("scores", dataset=True) / "product.json").write_text("{half", encoding="utf-8")
    again = Stage.open(settings, {}).step("scores", lambda: Scores([2.0], 0.0), product=Scores)
    assert again.values == [2.0]


def test_the_parameters_cell_lists_the_taught_knobs_only(monkeypatch):
    knob = next(n for n in CurationSettings.field_types() if n not in ("profile", "run_name"))
    monkeypatch.setattr(CurationSettings, "TAUGHT", (knob,))
    cell = CurationSettings.parameters_cell()
    lines = [line for line in cell.splitlines() if not line.startswith("#")]
    assert lines[0].startswith("profile =") and lines[1].startswith("run_name =") and len(lines) == 3
    assert "settings.describe(every=True)" in cell
    monkeypatch.setattr(CurationSettings, "TAUGHT", ("no_such_knob",))
    with pytest.raises(SettingsError, match="unknown fields"):
        CurationSettings.parameters_cell()


def test_one_switch_points_every_notebook_at_a_run_and_its_profile(tmp_path, monkeypatch):
    """A notebook's parameters cell leaves profile and run_name None: $SEEDKIT_RUN/$SEEDKIT_PROFILE, else
    seedkit-run.yaml beside the notebook, else the run's own profile; with nothing said, smol's run
    runs/smol, which is what `make pipeline` makes."""
    import json

    from seedkit.config import RUN_SWITCH

    monkeypatch.chdir(tmp_path)
    for env in ("SEEDKIT_RUN", "SEEDKIT_PROFILE"):
        monkeypatch.delenv(env, raising=False)
    cell: dict = {}
    exec(CurationSettings.parameters_cell(), cell)
    s = CurationSettings.from_notebook(cell)
    assert (s.profile, s.run_name) == ("smol", "smol")
    # the run's own profile is read from its manifests
    (tmp_path / "runs" / "lesson" / "01_curation").mkdir(parents=True)
    (tmp_path / "runs" / "lesson" / "01_curation" / "manifest.json").write_text(json.dumps({"profile": "tiny"}))
    (tmp_path / RUN_SWITCH).write_text(f"run_name: lesson\nruns_dir: {tmp_path / 'runs'}  # seedkit use wrote it\n")
    s = CurationSettings.from_notebook(cell)
    assert (s.profile, s.run_name, s.runs_dir) == ("tiny", "lesson", str(tmp_path / "runs"))
    assert RUN_SWITCH in s.origin("run_name") and "manifests" in s.origin("profile")
    monkeypatch.setenv("SEEDKIT_RUN", "other")
    monkeypatch.setenv("SEEDKIT_PROFILE", "smol")
    s = CurationSettings.from_notebook(cell)
    assert (s.profile, s.run_name) == ("smol", "other") and s.origin("run_name") == "$SEEDKIT_RUN"
    # a value in the cell (or papermill's) wins over the switch
    s = CurationSettings.from_notebook({**cell, "run_name": "mine", "profile": "tiny"})
    assert (s.profile, s.run_name) == ("tiny", "mine")
    (tmp_path / RUN_SWITCH).write_text("run: lesson\n")
    with pytest.raises(SettingsError, match="run_name: NAME"):
        CurationSettings.from_notebook(cell)


def test_a_misspelt_notebook_parameter_is_an_error_naming_the_closest_settings():
    """Papermill injects `# Parameters` after the parameters cell; the kernel's history (In) holds both."""
    params = CurationSettings.parameters_cell()
    ok = {"In": ["", params, "# Parameters\nprofile = 'tiny'\nrun_name = 'r'\nnear_dup_min_jaccard = 0.8\n"],
          "profile": "tiny", "run_name": "r", "near_dup_min_jaccard": 0.8}  # the globals the cells set
    assert CurationSettings.from_notebook(ok).near_dup_min_jaccard == 0.8
    typo = {"In": ["", params, "# Parameters\nprofile = 'tiny'\nnear_dup_min_jacard = 0.8\n"]}
    with pytest.raises(SettingsError, match=r"near_dup_min_jacard.*did you mean 'near_dup_min_jaccard'"):
        CurationSettings.from_notebook(typo)
    edited = {"In": ["", params.replace("profile = None", "profile = 'tiny'\nnear_dup_jaccard = 0.8")]}
    with pytest.raises(SettingsError, match="near_dup_jaccard"):
        CurationSettings.from_notebook(edited)
    fixed = {"In": [*edited["In"], params]}  # the cell run again without the typo
    assert CurationSettings.from_notebook(fixed).profile == "smol"


def test_describe_prints_the_run_the_taught_knobs_and_what_is_not_at_its_default():
    lines: list[str] = []
    s = CurationSettings.from_params("tiny", run_name="r", seed=3)
    s.describe(lines.append)
    names = [line.split("=")[0].strip() for line in lines[1:-1]]
    assert {"profile", "run_name", "seed", *CurationSettings.TAUGHT} <= set(names)
    assert all(n in ("profile", "run_name", *CurationSettings.TAUGHT) or s.origin(n) != "default" for n in names)
    assert len(lines) < 25 and "settings.describe(every=True)" in lines[-1]
    every: list[str] = []
    s.describe(every.append, every=True)
    assert len(every) == 1 + len(s.to_dict())
