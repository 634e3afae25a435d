"""seedkit.measure.stats and seedkit.measure.effects: intervals, paired differences, measurements and their reuse.

The arithmetic is checked against cases worked by hand (written out in each test); measurements
use scripted generators (exact answers, no weights) so that caching and reuse are tested exactly.
"""

from __future__ import annotations

import json
import math
from math import comb

import pytest

from seedkit.config import EvidenceSettings, SettingsError
from seedkit.measure.effects import (
    MeasureError,
    PassCounts,
    ProblemCounts,
    effect,
    evidence_problems,
    list_measurements,
    measure,
    model_identity,
)
from seedkit.measure.stats import (
    Difference,
    Interval,
    across_runs,
    bootstrap_interval,
    paired_difference,
)
from seedkit.runs import StageRun

# --------------------------------------------------------------------------- bootstrap, by hand


def test_bootstrap_interval_hand_worked_two_values():
    # Two problems scoring 0 and 1. A resample draws two problems with replacement: its mean is
    # 0 (both the first, prob 1/4), 0.5 (one of each, 1/2) or 1 (both the second, 1/4). The 2.5th
    # percentile of that distribution is 0 and the 97.5th is 1: the interval is the whole range.
    iv = bootstrap_interval([0.0, 1.0])
    assert (iv.mean, iv.lo, iv.hi, iv.n) == (0.5, 0.0, 1.0, 2)
    assert str(iv) == "0.50 [0.00, 1.00]"


def test_bootstrap_interval_degenerate_and_empty():
    flat = bootstrap_interval([0.4] * 7)
    assert (flat.lo, flat.hi, flat.n) == (flat.mean, flat.mean, 7) and flat.mean == pytest.approx(0.4)  # zero width
    assert bootstrap_interval([0.3]).n == 1
    empty = bootstrap_interval([])
    assert empty.n == 0 and math.isnan(empty.mean) and str(empty) == "n/a"
    with pytest.raises(ValueError, match="NaN"):
        bootstrap_interval([0.1, float("nan")])
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_interval([0.1, 0.2], confidence=95)


def test_bootstrap_interval_is_seeded_and_matches_the_normal_approximation():
    values = [1.0] * 50 + [0.0] * 50  # 100 problems, half solved
    a, b = bootstrap_interval(values), bootstrap_interval(values)
    assert a == b  # fixed seed: the same scores print the same interval
    # by hand: sd of the mean = sqrt(0.5 * 0.5 / 100) = 0.05, so 0.5 +- 1.96 * 0.05 = [0.402, 0.598]
    assert a.lo == pytest.approx(0.402, abs=0.015) and a.hi == pytest.approx(0.598, abs=0.015)
    varied = [i / 37 for i in range(37)]
    assert bootstrap_interval(varied, seed=1) != bootstrap_interval(varied)  # another seed, another interval


def test_bootstrap_interval_agrees_with_scipy_percentile_bootstrap():
    import numpy as np
    from scipy.stats import bootstrap

    rng = np.random.default_rng(3)
    values = rng.binomial(5, 0.4, size=80) / 5  # per-problem pass@1 from 5 samples
    ours = bootstrap_interval(values)
    theirs = bootstrap((values,), np.mean, confidence_level=0.95, n_resamples=10_000, method="percentile",
                       random_state=0).confidence_interval
    assert ours.lo == pytest.approx(theirs.low, abs=0.01) and ours.hi == pytest.approx(theirs.high, abs=0.01)


def test_paired_difference_hand_worked():
    # Three problems; the child solves problem a that the parent did not, the rest are equal.
    # Per-problem differences: a 1 - 0 = 1, b 1 - 1 = 0, c 0.5 - 0.5 = 0; mean 1/3.
    # A resample of 3 differences holds k ones, k ~ Binomial(3, 1/3):
    # P(k=0) = 8/27 = 0.296, P(1) = 12/27, P(2) = 6/27, P(3) = 1/27 = 0.037.
    # 2.5th percentile: 0 (29.6% of resamples are 0). 97.5th: P(k <= 2) = 26/27 = 0.963 < 0.975,
    # so it lies in the k = 3 mass, a mean of 1. Interval: [0, 1].
    after = {"a": 1.0, "b": 1.0, "c": 0.5, "only_after": 1.0}
    before = {"a": 0.0, "b": 1.0, "c": 0.5, "only_before": 0.0}
    d = paired_difference(after, before)
    assert d.n_problems == 3  # problems only one side has are left out
    assert d.mean == pytest.approx(1 / 3)
    assert (d.lo, d.hi) == (0.0, 1.0)
    assert str(d) == "+0.33 [+0.00, +1.00]"
    assert not d.resolved and "not resolved" in d.verdict()
    assert str(paired_difference(before, after)) == "-0.33 [-1.00, +0.00]"
    assert Difference.from_dict(d.to_dict()) == d


def test_pairing_resolves_what_two_separate_intervals_do_not():
    # 60 problems of very different difficulty; the child gains 0.2 on 15 of them (+0.05 on average).
    base = [(i % 6) / 5 for i in range(60)]
    after = {f"p{i}": min(1.0, v + (0.2 if i % 4 == 0 else 0.0)) for i, v in enumerate(base)}
    before = {f"p{i}": v for i, v in enumerate(base)}
    a, b = bootstrap_interval(after.values()), bootstrap_interval(before.values())
    assert a.lo < b.hi  # the separate intervals overlap: alone they would say "no difference"
    d = paired_difference(after, before)
    assert d.resolved and d.lo > 0 and d.verdict() == "better"


def test_across_runs_hand_worked():
    # three seeds: 0.5, 0.6, 0.7 -> mean 0.6, sd 0.1, t(0.975, df=2) = 4.3027
    # half width = 4.3027 * 0.1 / sqrt(3) = 0.2484
    iv = across_runs([0.5, 0.6, 0.7])
    assert iv.mean == pytest.approx(0.6) and iv.n == 3 and iv.method == "t"
    assert iv.hi - iv.mean == pytest.approx(0.2484, abs=1e-4)
    assert across_runs([0.4]) == Interval(0.4, 0.4, 0.4, 1, method="t")
    assert across_runs([]).n == 0


# --------------------------------------------------------------------------- PassCounts


def _counts(label: str, per: dict[str, tuple[int, int]], fmt: str = "chat") -> PassCounts:
    return PassCounts(label=label, model_spec=label, model_identity=f"id-{label}", prompt_format=fmt,
                      prompt_format_reason="", evidence={"eval_set": "x", "eval_samples": 5},
                      problems={t: ProblemCounts(n, c, syntax_ok=n, entry_point_defined=c,
                                                 tests_passed_fraction=c / n) for t, (n, c) in per.items()})


def test_pass_counts_hand_worked(tmp_path):
    pc = _counts("m", {"a": (5, 2), "b": (5, 0), "c": (5, 5)})
    # pass@1 per problem: 2/5, 0, 1 -> mean 1.4 / 3
    assert pc.pass_at_k(1) == pytest.approx(1.4 / 3)
    # pass@2 of (5, 2): 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7; of (5, 0): 0; of (5, 5): 1
    assert pc.pass_at_k(2) == pytest.approx((1 - comb(3, 2) / comb(5, 2) + 0 + 1) / 3)
    with pytest.raises(MeasureError, match="eval_samples >= 6"):
        pc.pass_at_k(6)
    assert pc.rate("entry_point_defined").mean == pytest.approx(1.4 / 3)
    assert pc.interval().n == 3 and (pc.n_problems, pc.samples_per_problem, pc.n_samples) == (3, 5, 15)
    back = PassCounts.load(pc.save(tmp_path / "m.json"))
    assert list(back.problems) == ["a", "b", "c"] and back.problems["a"] == pc.problems["a"]
    assert back.summary()["pass@1"] == pytest.approx(pc.pass_at_k(1))
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(MeasureError, match="delete it"):
        PassCounts.load(tmp_path / "bad.json")


def test_effect_dict_and_line(capsys):
    before = _counts("03_pretraining", {"a": (5, 0), "b": (5, 5), "c": (5, 2)}, fmt="completion")
    after = _counts("04_sft", {"a": (5, 5), "b": (5, 5), "c": (5, 2), "d": (5, 1)})
    e = effect(after, before)
    line = capsys.readouterr().out.strip()
    assert line.startswith("04_sft - 03_pretraining: +0.33 [+0.00, +1.00]  (pass@1, 3 problems x 5 samples")
    assert "prompt formats differ" in line and e["formats_differ"]
    assert e["n_problems"] == 3 and e["n_samples"] == 5
    assert e["before"]["pass@1"] == pytest.approx(1.4 / 3) and e["after"]["pass@1"] == pytest.approx(2.4 / 3)
    assert e["difference"]["mean"] == pytest.approx(1 / 3) and e["parent_model"] == "03_pretraining"
    json.dumps(e)  # goes into a manifest as it is


# --------------------------------------------------------------------------- measure


class Scripted:
    """An in-process-like generator: renders chat itself, answers every problem with its reference
    body (or a broken one for the names in ``wrong``), counts the calls."""

    def __init__(self, problems, wrong=(), name="scripted"):
        self.by_entry = {p.entry_point: p for p in problems}
        self.wrong = set(wrong)
        self.calls = 0
        self.name = name

    def render_chat(self, conversation):
        return "<user>" + conversation[-1]["content"] + "<assistant>"

    def complete(self, prompts, *, n=1, stop=None, **kw):
        self.calls += 1
        out = []
        for prompt in prompts:
            p = next(p for e, p in self.by_entry.items() if f"def {e}(" in prompt or f"function {e}(" in prompt)
            if p.entry_point in self.wrong:
                code = "def other_name(:\n    return None" if p.language == "python" else "function x( {"
            else:
                code = p.reference.rstrip("\n")
            if prompt.endswith("<think>\n"):
                code = f"I add them.\n</think>\n```python\n{code}"
            out.append([code] * n)
        return out


@pytest.fixture
def saved_model(tmp_path):
    """A directory that looks like a saved model (config + weights) so it has an identity."""
    d = tmp_path / "model_04_sft"
    d.mkdir()
    (d / "config.json").write_text("{}")
    (d / "model.safetensors").write_bytes(b"weights-v1")
    return d


def _settings(tmp_path, **kw):
    values = dict(run_name="r", runs_dir=str(tmp_path / "runs"), eval_set="heldout", eval_limit=4, eval_samples=2,
                  eval_temperature=0.8)
    return EvidenceSettings.from_params("tiny", **{**values, **kw})


def test_measure_scores_caches_and_reuses(tmp_path, saved_model, capsys):
    settings = _settings(tmp_path)
    probs = evidence_problems(settings)  # 4 spread over the held-out set: 3 Python, 1 JavaScript
    assert [p.language for p in probs] == ["python"] * 3 + ["javascript"]
    gen = Scripted(probs, wrong={probs[1].entry_point})
    parent_run = StageRun(settings, stage="03_pretraining")
    pc = measure(gen, settings, parent_run, "mine", model_spec=str(saved_model), prompt_format="chat",
                 progress=False)
    assert gen.calls == 1  # every sample of every problem in one call
    assert pc.problems[probs[0].task_id] == ProblemCounts(2, 2, 2, 2, 1.0, "python")
    wrong = pc.problems[probs[1].task_id]
    assert (wrong.n, wrong.c, wrong.syntax_ok, wrong.entry_point_defined) == (2, 0, 0, 0)
    assert pc.pass_at_k(1) == pytest.approx(0.75) and pc.prompt_format == "chat"
    assert pc.model_identity.startswith("sha256:")
    assert (parent_run.path / "effects" / "mine.json").exists()
    assert (parent_run.path / "effects" / "details" / "samples_mine.jsonl").exists()
    # same model, same settings: read back, not generated again
    again = measure(gen, settings, parent_run, "mine", model_spec=str(saved_model), prompt_format="chat")
    assert gen.calls == 1 and again.problems == pc.problems
    # the child stage reuses the parent's measurement under its own label
    child_run = StageRun(settings, stage="04_sft")
    before = measure(str(saved_model), settings, child_run, "before", prompt_format="chat",
                     reuse_from=parent_run.path)
    assert gen.calls == 1 and before.label == "before" and before.problems == pc.problems
    assert "reusing 03_pretraining's measurement" in capsys.readouterr().out
    assert (child_run.path / "effects" / "details" / "results_before.jsonl").exists()
    assert [m.label for m in list_measurements(child_run.path)] == ["before"]
    # a changed setting or changed weights: measured again
    measure(gen, settings.replace(eval_samples=3), parent_run, "mine", model_spec=str(saved_model),
            prompt_format="chat", progress=False)
    assert gen.calls == 2
    (saved_model / "model.safetensors").write_bytes(b"weights-v2")
    measure(gen, settings, child_run, "before", model_spec=str(saved_model), prompt_format="chat",
            reuse_from=parent_run.path, progress=False)
    assert gen.calls == 3


def test_a_measurement_in_another_dtype_is_not_reused(tmp_path, saved_model):
    """The same weights in bfloat16 sample other answers: eval_dtype is part of the key; "auto" that
    resolves to the profile's own dtype is the same measurement as naming it."""
    settings = _settings(tmp_path)
    gen = Scripted(evidence_problems(settings))
    run = StageRun(settings, stage="04_sft")
    for dtype, calls in (("auto", 1), ("float32", 1), ("bfloat16", 2), ("bfloat16", 2), ("float32", 3)):
        measure(gen, settings.replace(eval_dtype=dtype), run, "m", model_spec=str(saved_model), progress=False)
        assert gen.calls == calls, dtype
    with pytest.raises(SettingsError, match="eval_dtype: 'int8' is not one of auto"):
        settings.replace(eval_dtype="int8").validate()


def test_unsaved_models_are_measured_every_time(tmp_path):
    settings = _settings(tmp_path, eval_limit=2)
    gen = Scripted(evidence_problems(settings))
    run = StageRun(settings, stage="04_sft")
    assert model_identity("run:r/04_sft", run.runs_dir).startswith("unsaved:")
    for _ in range(2):
        pc = measure(gen, settings, run, "after", model_spec="run:r/04_sft", progress=False)
    assert gen.calls == 2 and pc.key == "" and pc.prompt_format == "chat"  # 04_sft: a chat model


def test_measure_reasoning_format_reads_the_final_block(tmp_path, saved_model):
    settings = _settings(tmp_path, eval_limit=2)
    run = StageRun(settings, stage="06_longcot_rl")
    pc = measure(Scripted(evidence_problems(settings)), settings, run, "after", model_spec=str(saved_model), prompt_format="reasoning",
                 progress=False)
    assert pc.pass_at_k(1) == 1.0 and pc.prompt_format == "reasoning"
    raw = json.loads((run.path / "effects" / "details" / "samples_after.jsonl").read_text().splitlines()[0])["raw"]
    assert raw.startswith("<think>\nI add them.\n</think>\n```python\n") and raw.endswith("```")


def test_measure_errors_are_one_line(tmp_path, saved_model):
    settings = _settings(tmp_path)
    run = StageRun(settings, stage="04_sft")
    with pytest.raises(MeasureError, match="label"):
        measure("x", settings, run, "bad label/..")
    with pytest.raises(MeasureError, match="eval_set"):
        measure(str(saved_model), settings.replace(eval_set="nonexistent.jsonl"), run, "after")


def test_spread_subset_keeps_each_language_and_spans_the_file():
    from seedkit.measure.effects import spread_subset
    from seedkit.problems import Problem

    probs = [Problem(f"t/{i}", "python" if i < 10 else "javascript", "", "p", "f", "r", "t") for i in range(12)]
    # 6 of 12: Python's share 6 * 10/12 = 5 (every second one), JavaScript's 1 (its first)
    assert [p.task_id for p in spread_subset(probs, 6)] == ["t/0", "t/2", "t/4", "t/6", "t/8", "t/10"]
    assert [p.language for p in spread_subset(probs, 2)] == ["python", "javascript"]  # one each while room
    assert spread_subset(probs, 0) == probs and spread_subset(probs, 50) == probs


def test_noise_floor_hand_worked_and_simulated():
    import numpy as np

    # (4, 2) and (4, 0): 2 * 0.5 * 0.5 / 3 + 0 = 1/6 -> 1.96 * sqrt(1/6) / 2 problems = 0.400
    assert _counts("m", {"a": (4, 2), "b": (4, 0)}).noise_floor() == pytest.approx(1.959964 * (1 / 6) ** 0.5 / 2)
    assert _counts("m", {"a": (1, 1)}).noise_floor() is None  # one sample: no within-problem spread
    # simulated: two measurements of one model on 100 problems x 5 samples differ by less than the
    # floor (read off one of them) in about 95% of pairs
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, size=100)
    floor = _counts("m", {f"t{i}": (5, int(c)) for i, c in enumerate(rng.binomial(5, p))}).noise_floor()
    diffs = (rng.binomial(5, p, size=(4000, 100)) - rng.binomial(5, p, size=(4000, 100))).mean(axis=1) / 5
    assert np.mean(np.abs(diffs) <= floor) == pytest.approx(0.95, abs=0.03)


def test_stage07_holds_the_format_fixed_either_way(tmp_path):
    """A child asked in another format than its parent: the same-format difference uses the parent
    re-asked in the child's format, or else the child re-asked in the parent's (stage 03 on smol
    measures its model in the instruct base's chat format)."""
    from seedkit.eval.result import EvalStageResult, ModelPlan

    plans = [ModelPlan("base", "b", None, ""), ModelPlan("03_pretraining", "c", "base", "")]
    base = _counts("base", {"t1": (5, 5), "t2": (5, 0), "t3": (5, 5)}, fmt="chat")
    child = _counts("03_pretraining", {"t1": (5, 0), "t2": (5, 0), "t3": (5, 0)}, fmt="completion")
    child_in_chat = _counts("03_pretraining", {"t1": (5, 5), "t2": (5, 0), "t3": (5, 0)}, fmt="chat")
    r = EvalStageResult(path=tmp_path, plans=plans, counts={"basic": {"base": base, "03_pretraining": child}},
                        parent_in_child_format={"basic": {"03_pretraining": child_in_chat}})
    assert r.difference("03_pretraining", "basic").mean == pytest.approx(-2 / 3)  # format change included
    assert r.same_format_difference("03_pretraining", "basic").mean == pytest.approx(-1 / 3)  # both in chat
    assert r.same_format_name("03_pretraining", "basic") == "chat"
    assert any(line.startswith("basic: 03_pretraining - base, both asked in chat: ") for line in r.difference_lines())
    base_in_completion = _counts("base", {"t1": (5, 0), "t2": (5, 0), "t3": (5, 1)}, fmt="completion")
    r.parent_in_child_format = {"basic": {"03_pretraining": base_in_completion}}
    assert r.same_format_difference("03_pretraining", "basic").mean == pytest.approx(-1 / 15)
    assert r.same_format_name("03_pretraining", "basic") == "completion"
