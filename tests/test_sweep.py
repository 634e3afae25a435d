"""`seedkit sweep`: a grid of runs sharing the upstream stages whose settings agree (real papermill, fake stages)."""

from __future__ import annotations

import json
import shutil

import pytest

import seedkit.pipeline as runner
import seedkit.sweep as sweep
from fixtures.fake_kit import make_fake_kit
from fixtures.fake_stages import FakeThirdSettings
from seedkit.cli import main
from seedkit.config import SettingsError, resolve_stage
from seedkit.runs import StageRun, verify_stage


def test_grid_values_split_on_top_level_commas_and_read_as_yaml():
    assert sweep.parse_grid(["seed=0,1,2", "steps=4", "mode=squares,cubes"]) == (
        {"seed": [0, 1, 2], "mode": ["squares", "cubes"]}, {"steps": 4})
    assert sweep.split_values("[1,2],[3]") == ["[1,2]", "[3]"]
    assert sweep.parse_grid(["lr=1e-3,3e-3"])[0] == {"lr": [1e-3, 3e-3]}
    assert sweep.point_name("sweep", {"seed": 0, "learning_rate": 0.001}) == "sweep-seed0-learning_rate0.001"
    for bad, match in ((["seed"], "key=a,b,c"), (["seed=0,,1"], "empty value"), (["seed=1,1"], "repeated"),
                       (["seed=0,1", "seed=2"], "given twice")):
        with pytest.raises(SettingsError, match=match):
            sweep.parse_grid(bad)


def test_a_grid_value_of_the_wrong_type_fails_before_anything_runs(tmp_path):
    with pytest.raises(SettingsError, match="max_steps_stage1: got 'many'"):
        sweep.plan("tiny", ["03_pretraining"], {"max_steps_stage1": [1, "many"]}, {})


@pytest.fixture
def fake_kit(tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    classes = make_fake_kit(nbdir)
    real = runner.stage_settings_class
    fake = lambda s: classes.get(resolve_stage(s)) or real(s)  # noqa: E731
    monkeypatch.setattr(runner, "stage_settings_class", fake)
    monkeypatch.setattr(sweep, "stage_settings_class", fake)
    monkeypatch.setattr(runner, "NOTEBOOKS", nbdir)
    monkeypatch.setenv("SEEDKIT_FAKE_LOG", str(tmp_path / "ran.log"))
    return tmp_path / "runs", tmp_path / "ran.log"


@pytest.mark.slow
def test_sweep_runs_the_grid_and_computes_the_shared_upstream_stages_once(fake_kit, capsys):
    runs, ran_log = fake_kit
    code = main(["sweep", "--profile", "tiny", "--stages", "03", "-p", "seed=0,1,2", "-p", "steps=5",
                 "--runs-dir", str(runs)])
    out = capsys.readouterr().out
    assert code == 0, out
    ran = ran_log.read_text().split()
    assert ran.count("01_curation") == 1 and ran.count("02_llm_filter") == 1 and ran.count("03_pretraining") == 3
    names = ["sweep-seed0", "sweep-seed1", "sweep-seed2"]
    lines = out.strip().splitlines()
    assert [ln.split(":")[0] for ln in lines[1:4]] == [f"[{i + 1}/3] {n} (seed={i})" for i, n in enumerate(names)]
    assert "ran 03 in" in lines[2] and "01,02 shared with sweep-seed0" in lines[2]
    assert lines[-1].endswith("seedkit compare " + " ".join(names))
    for i, n in enumerate(names):
        assert json.loads((runs / n / "03_pretraining" / "result.json").read_text())["seed"] == i
        assert json.loads((runs / n / "sweep.json").read_text())["point"] == {"seed": i}
        for stage in ("01_curation", "02_llm_filter", "03_pretraining"):
            assert verify_stage(runs / n / stage) == ("done", [])
    # every run holds its shared stages itself (hard links: one copy on disk)
    a, b = runs / names[0] / "01_curation" / "numbers.json", runs / names[2] / "01_curation" / "numbers.json"
    assert a.stat().st_ino == b.stat().st_ino
    # so a run stays whole, and done, when the run that computed its upstream stages is deleted
    shutil.rmtree(runs / names[0])
    s = FakeThirdSettings.from_params("tiny", run_name=names[1], runs_dir=str(runs), seed=1, steps=5)
    r = StageRun(s)
    assert r.is_done({"01_curation": r.input("01_curation"), "02_llm_filter": r.input("02_llm_filter")}, quiet=True)
