from __future__ import annotations

import pytest

from fixtures.fake_stages import FakeFirstSettings
from seedkit.config import PROFILES, SettingsError, StageSettings, resolve_stage


def test_profile_defaults_apply_and_overrides_win():
    assert FakeFirstSettings.from_params("tiny").num_items == 3
    assert FakeFirstSettings.from_params("smol").num_items == 10
    assert FakeFirstSettings.from_params("gpu").num_items == 10  # gpu falls back to the smol defaults
    assert FakeFirstSettings.from_params("tiny", num_items=7).num_items == 7
    assert FakeFirstSettings.from_params("tiny", num_items=None).num_items == 3  # None = default


def test_unknown_override_names_field_and_allowed():
    with pytest.raises(SettingsError) as e:
        FakeFirstSettings.from_params("tiny", num_itemz=4)
    msg = str(e.value)
    assert "num_itemz" in msg and "num_items" in msg and "\n" not in msg


@pytest.mark.parametrize("field,value,expect", [
    ("num_items", "4", "expected int"),
    ("num_items", 2.5, "expected int"),
    ("num_items", True, "expected int"),
    ("mode", "quartic", "'squares' | 'cubes'"),
    ("seed", None, None),
])
def test_type_checks(field, value, expect):
    if expect is None:
        assert FakeFirstSettings.from_params("tiny", **{field: value}).seed == 0
        return
    with pytest.raises(SettingsError, match=expect):
        FakeFirstSettings.from_params("tiny", **{field: value})


def test_int_accepted_for_float_and_unknown_profile():
    from fixtures.fake_stages import FakeSecondSettings

    s = FakeSecondSettings.from_params("smol", scale=2)
    assert s.scale == 2.0 and isinstance(s.scale, float)
    with pytest.raises(SettingsError, match="tiny, smol, gpu, multi-gpu"):
        FakeSecondSettings.from_params("huge")


def test_from_notebook_reads_only_fields_and_config_hash_ignores_force():
    ns = {"profile": "tiny", "run_name": "r1", "num_items": None, "mode": "cubes", "unrelated": 5}
    s = FakeFirstSettings.from_notebook(ns)
    assert (s.profile, s.run_name, s.num_items, s.mode) == ("tiny", "r1", 3, "cubes")
    assert s.config_hash() == s.replace(force=True).config_hash()
    assert s.config_hash() != s.replace(mode="squares").config_hash()


def test_describe_says_where_values_come_from():
    lines: list[str] = []
    FakeFirstSettings.from_params("tiny", mode="cubes").describe(lines.append)
    text = "\n".join(lines)
    assert "num_items = 3  [profile tiny]  # how many numbers to write" in text
    assert "mode = 'cubes'  [set by you]" in text


def test_parameters_cell_lists_every_field():
    cell = FakeFirstSettings.parameters_cell()
    for name in ("profile", "run_name", "runs_dir", "force", "seed", "num_items", "mode"):
        assert f"{name} = " in cell
    ns: dict = {}
    exec(cell, ns)  # the cell itself must run and give the smol defaults
    assert FakeFirstSettings.from_notebook(ns) == FakeFirstSettings.from_params("smol", run_name="smol")


def test_profiles_and_stage_names():
    assert set(PROFILES) == {"tiny", "smol", "hour", "gpu", "multi-gpu"}
    assert PROFILES["smol"].base_model == "smollm2-135m-instruct"
    assert PROFILES["gpu"].load_in_4bit
    assert resolve_stage("03") == resolve_stage("pretraining") == "03_pretraining"
    with pytest.raises(SettingsError, match="unknown stage"):
        resolve_stage("08")
    assert issubclass(FakeFirstSettings, StageSettings)


def test_where_a_value_came_from_is_recorded_not_guessed():
    s = FakeFirstSettings.from_params("tiny", num_items=3, seed=0)  # both equal to what they would have been
    assert s.origin("num_items") == "set by you" and s.origin("seed") == "set by you"
    assert s.origin("mode") == "default"
    assert FakeFirstSettings.from_params("tiny").origin("num_items") == "profile tiny"
    lines: list[str] = []
    s.describe(lines.append)
    assert any(line.startswith("  num_items = 3  [set by you]") for line in lines)
    changed = s.replace(mode="cubes")  # a copy keeps every other value's origin
    assert changed.origin("mode") == "set by you" and changed.origin("num_items") == "set by you"
    assert FakeFirstSettings.from_params("tiny").replace(mode="cubes").origin("num_items") == "profile tiny"
    # a notebook's parameters cell: None means "not set"; papermill's injected values are set
    nb = FakeFirstSettings.from_notebook({"profile": "tiny", "run_name": "r", "num_items": None, "mode": "squares"})
    assert nb.origin("num_items") == "profile tiny" and nb.origin("mode") == "set by you"
    assert FakeFirstSettings.from_notebook({}).origin("profile") == "default"


def test_the_profiles_device_and_dtype_carry_their_origin():
    from seedkit.config import origin_of

    assert origin_of(PROFILES["tiny"].device) == "profile tiny" and PROFILES["tiny"].device == "cpu"
    assert origin_of("cpu") == "set by you"


@pytest.mark.parametrize("typo,suggested", [("num_itemz", "num_items"), ("moed", "mode"), ("seeds", "seed")])
def test_an_unknown_name_suggests_the_closest_ones(typo, suggested):
    with pytest.raises(SettingsError, match=f"did you mean '{suggested}'") as e:
        FakeFirstSettings.from_params("tiny", **{typo: 1})
    assert "\n" not in str(e.value)


def test_unknown_profile_and_stage_suggest_the_closest():
    with pytest.raises(SettingsError, match="did you mean 'smol'"):
        FakeFirstSettings.from_params("smoll")
    with pytest.raises(SettingsError, match="did you mean 'pretraining'"):
        resolve_stage("pretrain")


def test_config_hash_leaves_out_where_a_run_lives_and_what_it_is_called():
    a = FakeFirstSettings.from_params("tiny", run_name="a", runs_dir="/x")
    b = FakeFirstSettings.from_params("tiny", run_name="b", runs_dir="/y")
    assert a.config_hash() == b.config_hash() != a.replace(num_items=4).config_hash()


def test_every_stage_compares_itself_with_the_report_and_gpu_prints_each_difference():
    """`seedkit run` prints these lines before each stage: on gpu every difference with its reason."""
    from seedkit.pipeline import STAGES, stage_settings_class

    for stage in STAGES:
        for profile in ("smol", "gpu"):
            s = stage_settings_class(stage).from_params(profile, run_name="x")
            rows, lines = s.report_comparison(), s.report_lines()
            assert all(set(r) == {"setting", "report", "kit", "why"} and r["why"] for r in rows), stage
            if stage == "07_eval":
                assert rows == [] and lines == []
                continue
            assert rows and lines[0].startswith("vs the report: ")
            differ = s.deviations()
            if profile == "gpu":
                assert len(lines) == 1 + len(differ)
                assert all(r["why"] in line for r, line in zip(differ, lines[1:], strict=True))
            else:
                assert len(lines) == 1 and all(r["setting"] in lines[0] for r in differ)
    rl = stage_settings_class("06_longcot_rl").from_params("multi-gpu")
    follows = {r["setting"] for r in rl.report_comparison()} - {r["setting"] for r in rl.deviations()}
    assert {"learning rate", "sampling temperature", "KL term", "clipping", "overlong filtering"} <= follows
    # a reason that begins "same ..." but names a difference counts as one (group sizes, lengths differ)
    assert {"RL algorithm", "length schedule"} <= {r["setting"] for r in rl.deviations()}


def test_a_profile_inherits_the_stage_defaults_it_does_not_set():
    from seedkit.config import get_profile
    from seedkit.eval.settings import EvalSettings

    assert get_profile("hour").lineage() == ("hour", "smol") and get_profile("hour").based_on("smol")
    assert get_profile("multi-gpu").lineage() == ("multi-gpu", "gpu") and not get_profile("gpu").based_on("smol")
    hour, smol, multi = (EvalSettings.from_params(p) for p in ("hour", "smol", "multi-gpu"))
    assert (hour.eval_limit, hour.eval_samples) == (0, 2)  # hour's own values
    assert hour.eval_temperature == smol.eval_temperature and hour.eval_max_new_tokens == smol.eval_max_new_tokens
    assert multi.eval_max_new_tokens == 512  # gpu's, which multi-gpu does not override
    assert hour.origin("eval_samples") == "profile hour"


def test_the_hour_trains_and_measures_more_than_smol_and_changes_nothing_else():
    from seedkit.config import stage_settings_class

    bigger = {"04_sft": {"max_steps", "problem_sources"}, "05_dpo": {"max_prompts", "max_steps"},
              "06_longcot_rl": {"max_problems", "warmup_steps", "rl_steps_per_length"}}
    for stage in ("03_pretraining", "04_sft", "05_dpo", "06_longcot_rl", "07_eval"):
        cls = stage_settings_class(stage)
        hour, smol = cls.from_params("hour").to_dict(), cls.from_params("smol").to_dict()
        changed = {k for k in hour if hour[k] != smol[k]} - {"profile", "eval_limit", "eval_samples"}
        assert changed == bigger.get(stage, set()), stage
        assert hour["eval_limit"] == 0 and hour["eval_samples"] * 233 > smol["eval_samples"] * smol["eval_limit"]
