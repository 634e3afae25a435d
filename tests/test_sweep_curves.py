"""Effect against budget from a sweep's runs (seedkit.sweep_curves): read, judged as a family, drawn."""

from __future__ import annotations

import json

import pytest

import seedkit.sweep as sweep
from seedkit.sweep_curves import (
    CURVES_JSON,
    CURVES_PNG,
    budget_key,
    budget_value,
    curve_verdicts,
    read_points,
    write_curves,
)


def _diff(mean, lo, hi, p):
    return {"mean": mean, "lo": lo, "hi": hi, "n_problems": 48, "p_value": p, "confidence": 0.95}


def _sft_run(root, name, mean, lo, hi, p, loss=(-0.03, -0.04, -0.02, 0.001)):
    d = root / name / "04_sft"
    d.mkdir(parents=True)
    effect = {"pass_at_1_same_format": {"difference": _diff(mean, lo, hi, p), "n_problems": 48, "n_samples": 5},
              "answer_loss": {"difference": _diff(*loss), "n_problems": 48}}
    (d / "metrics.json").write_text(json.dumps({"effect": effect}))


def test_budget_values_and_the_key_the_curve_is_drawn_against():
    assert budget_value(8) == 8.0 and budget_value([4, 4]) == 8.0 and budget_value(0.5) == 0.5
    assert budget_value("lora") is None and budget_value(True) is None and budget_value([]) is None
    assert budget_key({"seed": [0, 1], "max_steps": [4, 8]}) == "max_steps"
    assert budget_key({"rl_steps_per_length": [[2, 2], [4, 4]]}) == "rl_steps_per_length"
    with pytest.raises(ValueError, match="no numeric budget key"):
        budget_key({"seed": [0, 1], "finetune_method": ["lora", "full"]})
    with pytest.raises(ValueError, match="--budget epochs: not a key"):
        budget_key({"max_steps": [1, 2]}, "epochs")


def test_a_curve_is_one_family_a_point_resolves_only_after_holm_and_on_the_good_side():
    runs = [("s-4", 0.01, -0.05, 0.07, 0.70), ("s-8", 0.05, 0.001, 0.10, 0.04), ("s-16", 0.09, 0.04, 0.14, 0.001)]
    pts = []
    for name, mean, lo, hi, p in runs:
        from seedkit.sweep_curves import EffectPoint
        pts.append(EffectPoint("04_sft", "x", name, 1.0, "", mean, lo, hi, 48, 5, p, True))
    # alone, p=0.04 would be "resolved at 95%"; in a family of 3 it is not (Holm: 0.04 >= 0.05/2)
    assert curve_verdicts(pts) == [False, False, True]
    worse = [EffectPoint("04_sft", "x", "s", 1.0, "", -0.09, -0.14, -0.04, 48, 5, 0.001, True)]
    assert curve_verdicts(worse) == [False]  # significant, but the wrong way
    lower_better = [EffectPoint("04_sft", "loss", "s", 1.0, "", -0.03, -0.04, -0.02, 48, 0, 0.001, False)]
    assert curve_verdicts(lower_better) == [True]


def test_write_curves_reads_every_run_and_says_what_it_could_not(tmp_path):
    _sft_run(tmp_path, "sw-max_steps4", 0.01, -0.05, 0.07, 0.70)
    _sft_run(tmp_path, "sw-max_steps16", 0.09, 0.04, 0.14, 0.001)
    (tmp_path / "sw-max_steps32").mkdir()  # a run whose 04 never finished
    points = [("sw-max_steps4", {"max_steps": 4}), ("sw-max_steps16", {"max_steps": 16}),
              ("sw-max_steps32", {"max_steps": 32})]
    page, lines = write_curves(tmp_path, tmp_path / "sw-curves", points, {"max_steps": [4, 16, 32]}, ["04_sft"],
                               "seedkit sweep --profile smol --stages 04 -p max_steps=4,16,32")
    text = page.read_text()
    assert "| 4 | - | sw-max_steps4 | +0.010 | [-0.050, +0.070] | 48 x 5 | no |" in text
    assert "| 16 | - | sw-max_steps16 | +0.090 | [+0.040, +0.140] | 48 x 5 | yes |" in text
    assert "sw-max_steps32: 04_sft has no readable metrics.json" in text
    assert "Reproduce: `seedkit sweep --profile smol --stages 04 -p max_steps=4,16,32`" in text
    assert (tmp_path / "sw-curves" / CURVES_PNG).stat().st_size > 1000
    saved = json.loads((tmp_path / "sw-curves" / CURVES_JSON).read_text())
    assert saved["budget_key"] == "max_steps" and len(saved["points"]) == 4  # 2 runs x (pass@1, answer loss)
    assert lines[0].startswith("04_sft pass@1 vs 03, same format: resolves from max_steps=16;")


def test_a_curve_with_nothing_resolved_says_so_with_its_width(tmp_path):
    _sft_run(tmp_path, "a", 0.01, -0.05, 0.07, 0.70, loss=(0.0, -0.01, 0.01, 0.9))
    _sft_run(tmp_path, "b", 0.02, -0.04, 0.08, 0.50, loss=(0.0, -0.01, 0.01, 0.9))
    page, lines = write_curves(tmp_path, tmp_path / "c", [("a", {"max_steps": 2}), ("b", {"max_steps": 4})],
                               {"max_steps": [2, 4]}, ["04_sft"], "cmd")
    assert "No budget in this sweep gives an effect that resolves; the widest interval spans 0.120" in page.read_text()
    assert all("resolves at no budget" in ln for ln in lines)


def test_points_of_other_grid_keys_become_series(tmp_path):
    for seed in (0, 1):
        for steps in (4, 8):
            _sft_run(tmp_path, f"r{seed}{steps}", 0.01 * steps, -0.02, 0.1, 0.3)
    pts, notes = read_points(tmp_path, [(f"r{s}{n}", {"seed": s, "max_steps": n}) for s in (0, 1) for n in (4, 8)],
                             ["04_sft"], "max_steps")
    assert not notes
    assert sorted({p.series for p in pts}) == ["seed=0", "seed=1"]


def test_the_sweep_command_line_redraws_the_same_grid():
    cmd = sweep.sweep_command("smol", ["04_sft"], {"max_steps": [4, 8]}, {"seed": 1}, "budget")
    assert cmd == "seedkit sweep --profile smol --stages 04 -p max_steps=4,8 -p seed=1 --name budget"
    assert sweep.parse_grid(["max_steps=4,8", "seed=1"]) == ({"max_steps": [4, 8]}, {"seed": 1})


def test_a_finished_sweep_over_a_budget_prints_and_writes_its_curves(tmp_path):
    _sft_run(tmp_path, "budget-max_steps4", 0.01, -0.05, 0.07, 0.70)
    _sft_run(tmp_path, "budget-max_steps8", 0.09, 0.04, 0.14, 0.001)
    runs = [sweep.SweepRun("budget-max_steps4", {"max_steps": 4}), sweep.SweepRun("budget-max_steps8", {"max_steps": 8})]
    res = sweep.SweepResult("budget", runs, {}, 1.0)
    said: list[str] = []
    sweep._say_curves(res, tmp_path, "smol", ["04_sft"], {"max_steps": [4, 8]}, {}, said.append)
    assert said[-1].startswith("seedkit sweep: effect against budget in ")
    assert (tmp_path / "budget-curves" / "effect_vs_budget.md").exists()
    said.clear()
    sweep._say_curves(res, tmp_path, "smol", ["04_sft"], {"seed": [0, 1]}, {}, said.append)  # no budget: no curves
    assert said == []


def _finished(root, run, stage, config, config_hash="h"):
    """A finished stage as the curves command reads it: a manifest with its settings."""
    d = root / run / stage
    d.mkdir(parents=True, exist_ok=True)
    (d / "manifest.json").write_text(json.dumps({"config": {"run_name": run, "force": False, **config},
                                                 "config_hash": config_hash}))


def _dpo_run(root, name, prompts, mean, lo, hi, p, parent_hash="sft", **other):
    _finished(root, name, "04_sft", {"max_steps": 30}, config_hash=parent_hash)
    _finished(root, name, "05_dpo", {"max_prompts": prompts, "max_steps": 32, **other})
    effect = {"pass_at_1": {"difference": _diff(mean, lo, hi, p), "n_problems": 233, "n_samples": 2}}
    (root / name / "05_dpo" / "metrics.json").write_text(json.dumps({"effect": effect}))


def test_curves_from_runs_made_by_hand_read_the_budget_from_their_manifests(tmp_path):
    from seedkit.cli import main

    _dpo_run(tmp_path, "h48", 48, -0.04, -0.07, -0.00, 0.04)
    _dpo_run(tmp_path, "h192", 192, 0.03, -0.01, 0.07, 0.20)
    rc = main(["curves", "--stages", "05", "--budget", "max_prompts", "--name", "dpo-items",
               "--runs-dir", str(tmp_path), "h48", "h192"])
    assert rc == 0
    text = (tmp_path / "dpo-items" / "effect_vs_budget.md").read_text()
    assert "| 48 | - | h48 | -0.040 | [-0.070, -0.000] | 48 x 2 | no |" in text
    assert "| 192 | - | h192 | +0.030 | [-0.010, +0.070] | 48 x 2 | no |" in text
    assert "seedkit curves --stages 05 --budget max_prompts --name dpo-items h48 h192" in text
    assert (tmp_path / "dpo-items" / CURVES_PNG).stat().st_size > 1000


def test_curves_from_runs_keep_other_differences_apart_and_say_when_parents_differ(tmp_path):
    from seedkit.sweep_curves import points_from_runs

    _dpo_run(tmp_path, "a", 48, 0.0, -0.05, 0.05, 0.9, beta=0.1)
    _dpo_run(tmp_path, "b", 96, 0.0, -0.05, 0.05, 0.9, beta=0.3, parent_hash="other-sft")
    points, grid, notes = points_from_runs(tmp_path, ["a", "b"], ["05_dpo"], "max_prompts")
    assert points == [("a", {"max_prompts": 48, "beta": 0.1}), ("b", {"max_prompts": 96, "beta": 0.3})]
    assert grid == {"max_prompts": [48, 96], "beta": [0.1, 0.3]}  # run_name and force are not differences
    assert len(notes) == 1 and notes[0].startswith("04_sft differs between the runs")
    page, _ = write_curves(tmp_path, tmp_path / "c", points, grid, ["05_dpo"], "cmd", budget="max_prompts",
                           notes=notes)
    text = page.read_text()
    assert "| 48 | beta=0.1 | a |" in text and "04_sft differs between the runs" in text


def test_curves_from_runs_refuse_an_unfinished_run_or_an_unknown_budget_in_one_line(tmp_path, capsys):
    from seedkit.cli import main

    _dpo_run(tmp_path, "a", 48, 0.0, -0.05, 0.05, 0.9)
    (tmp_path / "b" / "05_dpo").mkdir(parents=True)  # killed: no manifest
    assert main(["curves", "--stages", "05", "--budget", "max_prompts", "--runs-dir", str(tmp_path), "a", "b"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("seedkit curves: run 'b':") and "did not finish" in err and "\n" not in err
    _dpo_run(tmp_path, "c", 96, 0.0, -0.05, 0.05, 0.9)
    assert main(["curves", "--stages", "05", "--budget", "epochs", "--runs-dir", str(tmp_path), "a", "c"]) == 2
    assert "--budget epochs: not a setting of 05_dpo" in capsys.readouterr().err
    assert main(["curves", "--stages", "01", "--budget", "x", "--runs-dir", str(tmp_path), "a", "c"]) == 2
    assert "none of them measures an effect" in capsys.readouterr().err


def test_curves_from_runs_over_two_stages_keep_each_stages_settings_apart(tmp_path):
    from seedkit.sweep_curves import points_from_runs

    for name, sft_rate in (("a", 2e-4), ("b", 1e-4)):
        _finished(tmp_path, name, "03_pretraining", {})
        _finished(tmp_path, name, "04_sft", {"max_steps": 30, "learning_rate": sft_rate})
        _finished(tmp_path, name, "05_dpo", {"max_steps": 32 if name == "a" else 64, "learning_rate": 1e-4})
    points, grid, _ = points_from_runs(tmp_path, ["a", "b"], ["04_sft", "05_dpo"], "max_steps")
    # the budget is read from the first stage that has it; 05's equal learning rate does not hide 04's
    assert points == [("a", {"max_steps": 30, "05_dpo.max_steps": 32, "04_sft.learning_rate": 2e-4}),
                      ("b", {"max_steps": 30, "05_dpo.max_steps": 64, "04_sft.learning_rate": 1e-4})]
