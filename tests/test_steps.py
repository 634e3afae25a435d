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
    assert "settings.describe()" in cell
    monkeypatch.setattr(CurationSettings, "TAUGHT", ("no_such_knob",))
    with pytest.raises(SettingsError, match="unknown fields"):
        CurationSettings.parameters_cell()
