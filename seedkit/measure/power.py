"""How many problems and samples a comparison needs: power planned from a pilot measurement.

A paired pass@1 difference between two models is the mean over problems of a per-problem
difference ``d_i``. Its variance across problems has two parts: how much the true per-problem
difference varies between problems (fixed by the problems and the models), and the sampling
noise of estimating each model's pass rate on a problem from ``s`` samples (``p(1-p)/s`` per
model). A pilot run measured with ``n`` samples separates them: the sampling part is estimated
without bias by ``p̂(1-p̂)·n/(n-1)`` per model and problem, and the rest is the between-problem
part. With both, the interval half-width and the smallest effect found 80% of the time follow for
any number of problems ``N`` and samples ``s``:

    se(N, s) = sqrt((between + sampling(n) * n / s) / N)
    half-width = z(1 - alpha/2) * se;   detected 80% of the time = (z(1 - alpha/2) + z(0.8)) * se

and for a family of ``m`` comparisons adjusted by Holm the strictest step uses ``alpha / m``.
``python -m seedkit.measure.power runs/RUN/04_sft --child 04_sft --parent 03_pretraining_chat``
prints the table from a run's saved measurements (normal approximation; the bootstrap intervals
the kit reports agree with it to about 0.005 at 48 problems).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from seedkit.measure.counts import MeasureError, PassCounts, list_measurements


@dataclass(frozen=True)
class VarianceParts:
    between: float  # variance over problems of the true per-problem difference
    sampling: float  # mean per-problem sampling variance of the difference at the pilot's samples
    pilot_samples: int
    problems: int  # problems both pilot measurements share


def variance_parts(after: PassCounts, before: PassCounts) -> VarianceParts:
    """Split the per-problem pass@1 difference's variance into its between-problem and sampling parts."""
    common = sorted(set(after.problems) & set(before.problems))
    if len(common) < 3:
        raise MeasureError(f"power: {after.label} and {before.label} share {len(common)} problems; need at least 3")
    n = min(min(after.problems[t].n, before.problems[t].n) for t in common)
    if n < 2:
        raise MeasureError("power: the pilot needs at least 2 samples per problem to estimate sampling noise")
    diffs, noise = [], []
    for t in common:
        a, b = after.problems[t], before.problems[t]
        pa, pb = a.c / a.n, b.c / b.n
        diffs.append(pa - pb)
        noise.append(pa * (1 - pa) / (a.n - 1) + pb * (1 - pb) / (b.n - 1))
    mean = sum(diffs) / len(diffs)
    total = sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)
    sampling = sum(noise) / len(noise)
    return VarianceParts(max(total - sampling, 0.0), sampling, n, len(common))


def standard_error(parts: VarianceParts, problems: int, samples: int) -> float:
    """Standard error of the mean paired difference over ``problems`` problems at ``samples`` samples each."""
    if problems < 1 or samples < 1:
        raise ValueError("problems and samples must be >= 1")
    return math.sqrt((parts.between + parts.sampling * parts.pilot_samples / samples) / problems)


def sizes(parts: VarianceParts, problems: int, samples: int, *, family: int = 1, confidence: float = 0.95,
          power: float = 0.8) -> tuple[float, float]:
    """(interval half-width, smallest true effect detected with ``power``) at these sizes; with a family of
    ``family`` comparisons both use Holm's strictest step (alpha / family)."""
    alpha = (1 - confidence) / max(family, 1)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    se = standard_error(parts, problems, samples)
    return z * se, (z + NormalDist().inv_cdf(power)) * se


def problems_needed(parts: VarianceParts, effect_size: float, samples: int, *, family: int = 1,
                    confidence: float = 0.95, power: float = 0.8) -> int:
    """Problems at ``samples`` samples each for a true effect of ``effect_size`` to be detected with
    ``power`` (Holm's strictest step over ``family`` comparisons)."""
    if effect_size == 0:
        raise ValueError("an effect of 0 is never detected; plan for the smallest effect worth finding")
    alpha = (1 - confidence) / max(family, 1)
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    var = parts.between + parts.sampling * parts.pilot_samples / samples
    return max(1, math.ceil(var * (z / effect_size) ** 2))


def would_take(after: PassCounts, before: PassCounts, observed: float, *, family: int = 1) -> dict[str, object] | None:
    """For a difference that did not resolve: the smallest effect these sizes detect 80% of the time,
    and how many problems (at the same samples) an effect of the observed size would need; with a
    ``line`` to print. None when the measurements cannot say (fewer than 2 samples, 3 shared problems)."""
    try:
        parts = variance_parts(after, before)
    except MeasureError:
        return None
    s = min(after.samples_per_problem, before.samples_per_problem)
    _, detected = sizes(parts, parts.problems, s, family=family)
    out: dict[str, object] = {"detected_80": detected, "problems": parts.problems, "samples": s,
                              "between_variance": parts.between, "sampling_variance": parts.sampling}
    line = (f"  not resolved: at {parts.problems} problems x {s} samples an effect is detected 80% of the time "
            f"from {detected:.2f}")
    if abs(observed) >= 0.01:
        need = problems_needed(parts, abs(observed), s, family=family)
        out.update(observed=observed, problems_needed=need)
        line += f"; one of {observed:+.2f} (this estimate) would need about {need:,} problems at {s} samples"
    out["line"] = line + " (python -m seedkit.measure.power plans other sizes)"
    return out


def power_table(parts: VarianceParts, problems: Sequence[int], samples: Sequence[int], family: int = 1) -> list[str]:
    lines = [f"between-problem variance {parts.between:.4f}, sampling variance {parts.sampling:.4f} at "
             f"{parts.pilot_samples} samples ({parts.problems} problems in the pilot)",
             f"{'problems':>8} {'samples':>7} {'generations':>11} {'half-width':>10} {'detected 80%':>12}"
             + (f"  (Holm, family of {family})" if family > 1 else "")]
    for n in problems:
        for s in samples:
            hw, det = sizes(parts, n, s, family=family)
            lines.append(f"{n:>8} {s:>7} {n * s:>11} {hw:>10.3f} {det:>12.3f}")
    return lines


def _pick(measurements: Sequence[PassCounts], label: str, stage: Path) -> PassCounts:
    for m in measurements:
        if m.label == label:
            return m
    have = ", ".join(sorted(m.label for m in measurements)) or "none"
    raise MeasureError(f"power: no measurement labelled {label!r} in {stage}; it has: {have}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m seedkit.measure.power", description=__doc__.split("\n\n")[0])
    ap.add_argument("stage_dir", help="a finished stage folder holding both measurements, e.g. runs/RUN/04_sft")
    ap.add_argument("--child", required=True, help="label of the later model's measurement (e.g. 04_sft)")
    ap.add_argument("--parent", required=True, help="label of the earlier model's (e.g. 03_pretraining_chat)")
    ap.add_argument("--problems", default="48,100,233", help="problem counts to tabulate")
    ap.add_argument("--samples", default="2,3,5,8", help="samples per problem to tabulate")
    ap.add_argument("--family", type=int, default=1, help="comparisons read together (Holm); 1 = alone")
    a = ap.parse_args(argv)
    stage = Path(a.stage_dir)
    try:
        found = list_measurements(stage)
        parts = variance_parts(_pick(found, a.child, stage), _pick(found, a.parent, stage))
        problems = [int(x) for x in a.problems.split(",")]
        samples = [int(x) for x in a.samples.split(",")]
        lines = power_table(parts, problems, samples, a.family)
    except (MeasureError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
