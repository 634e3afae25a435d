"""Power planned from a pilot (seedkit.measure.power): the variance split and the sizes it implies."""

from __future__ import annotations

import math
import random

import pytest

from seedkit.measure.counts import MeasureError, PassCounts, ProblemCounts
from seedkit.measure.power import main, sizes, standard_error, variance_parts


def _counts(label, cs, n):
    problems = {f"t/{i}": ProblemCounts(n=n, c=c) for i, c in enumerate(cs)}
    return PassCounts(label, "m", "id", "chat", "", {}, problems)


def _simulate(n_problems, n, rng, spread=0.15):
    """Two models whose true per-problem difference varies with sd `spread` around +0.05."""
    a, b = [], []
    for _ in range(n_problems):
        pb = rng.uniform(0.1, 0.9)
        pa = min(max(pb + 0.05 + rng.gauss(0, spread), 0.0), 1.0)
        a.append(sum(rng.random() < pa for _ in range(n)))
        b.append(sum(rng.random() < pb for _ in range(n)))
    return _counts("child", a, n), _counts("parent", b, n)


def test_the_split_recovers_the_sampling_part_and_the_pilot_standard_error():
    rng = random.Random(0)
    child, parent = _simulate(2000, 5, rng)
    parts = variance_parts(child, parent)
    diffs = [child.problems[t].c / 5 - parent.problems[t].c / 5 for t in child.problems]
    mean = sum(diffs) / len(diffs)
    direct = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1) / len(diffs))
    assert standard_error(parts, 2000, 5) == pytest.approx(direct, rel=1e-9)  # at the pilot's sizes: the data's own
    # the between-problem part is the true spread (clipped at the edges of [0, 1], so a little under 0.15^2)
    assert 0.012 < parts.between < 0.0235
    # more samples shrink only the sampling part; more problems shrink both
    assert standard_error(parts, 2000, 50) < standard_error(parts, 2000, 5)
    assert standard_error(parts, 2000, 50) > math.sqrt(parts.between / 2000)


def test_the_predicted_half_width_matches_fresh_draws_at_other_sizes():
    """Plan from a pilot at 48 x 5, then check the spread of real measurements at 233 x 2."""
    rng = random.Random(1)
    pilot = variance_parts(*_simulate(400, 5, rng))
    hw, det = sizes(pilot, 233, 2)
    means = []
    for _ in range(200):
        child, parent = _simulate(233, 2, rng)
        means.append(sum(child.problems[t].c / 2 - parent.problems[t].c / 2 for t in child.problems) / 233)
    mu = sum(means) / len(means)
    sd = math.sqrt(sum((m - mu) ** 2 for m in means) / (len(means) - 1))
    assert hw / 1.96 == pytest.approx(sd, rel=0.2)
    assert det > hw
    alone, _ = sizes(pilot, 233, 2)
    holm5, _ = sizes(pilot, 233, 2, family=5)
    assert holm5 / alone == pytest.approx(NormalDist_ratio(), rel=1e-6)


def NormalDist_ratio():  # noqa: N802 - z(1 - 0.005) / z(1 - 0.025)
    from statistics import NormalDist
    return NormalDist().inv_cdf(0.995) / NormalDist().inv_cdf(0.975)


def test_a_pilot_without_repeats_or_shared_problems_is_refused():
    with pytest.raises(MeasureError, match="at least 2 samples"):
        variance_parts(_counts("a", [1, 0, 1], 1), _counts("b", [0, 0, 1], 1))
    with pytest.raises(MeasureError, match="share 0 problems"):
        variance_parts(_counts("a", [1, 0, 1], 2), PassCounts("b", "m", "id", "chat", "", {}, {}))


def test_the_command_names_the_labels_it_has(tmp_path, capsys, monkeypatch):
    import seedkit.measure.power as power

    monkeypatch.setattr(power, "list_measurements", lambda d: [_counts("04_sft", [1, 2, 3, 4], 5),
                                                                 _counts("03_pretraining_chat", [0, 2, 2, 5], 5)])
    assert main([str(tmp_path), "--child", "04_sft", "--parent", "nope"]) == 2
    assert "no measurement labelled 'nope'" in capsys.readouterr().err
    assert main([str(tmp_path), "--child", "04_sft", "--parent", "03_pretraining_chat", "--problems", "48",
                 "--samples", "2,5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and out[2].split()[:3] == ["48", "2", "96"]


def test_an_unresolved_effect_says_what_it_would_take_and_a_resolved_one_does_not():
    from seedkit.measure.effects import effect
    from seedkit.measure.power import problems_needed

    for seed in range(20):  # the first draw of a small true effect that does not resolve
        child, parent = _simulate(40, 5, random.Random(seed), spread=0.2)
        said: list[str] = []
        e = effect(child, parent, print_fn=said.append)
        if e["difference"]["lo"] < 0 < e["difference"]["hi"] and abs(e["difference"]["mean"]) >= 0.01:
            break
    else:
        raise AssertionError("no unresolved draw in 20 seeds")
    plan = e["would_take"]
    assert len(said) == 2 and said[1].startswith("  not resolved: at 40 problems x 5 samples")
    parts = variance_parts(child, parent)
    assert plan["problems_needed"] == problems_needed(parts, abs(e["difference"]["mean"]), 5)
    # the detected size at the measured problems is where problems_needed comes back to those problems
    assert problems_needed(parts, plan["detected_80"], 5) == pytest.approx(40, abs=1)
    strong = _counts("child", [5] * 40, 5)
    weak = _counts("parent", [0] * 20 + [1] * 20, 5)
    said.clear()
    assert "would_take" not in effect(strong, weak, print_fn=said.append) and len(said) == 1
    with pytest.raises(ValueError, match="never detected"):
        problems_needed(parts, 0.0, 5)
