"""What a measurement found for one model: per problem ``n`` samples, ``c`` passed, and the rates beside them.

:class:`PassCounts` is what :func:`seedkit.measure.effects.measure` returns and saves under a stage's
``effects/`` folder; its figures (pass@k, rates, noise floor) come with bootstrap intervals over
problems (:mod:`seedkit.measure.stats`).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.files import atomic_write_json
from seedkit.measure.metrics import pass_at_k
from seedkit.measure.stats import Interval, bootstrap_interval
from seedkit.runs import is_main_process

if TYPE_CHECKING:
    from seedkit.measure.harness import EvalReport

# Bump when what a measurement means changes (prompts, extraction, scoring): old files stop matching.
MEASURE_VERSION = 1


class MeasureError(ValueError):
    """A measurement that cannot be made as asked; the message says what to change."""


# --------------------------------------------------------------------------- per-problem counts


@dataclass
class ProblemCounts:
    """One model on one problem: ``n`` samples scored, ``c`` passed, and why the others did not."""

    n: int
    c: int
    syntax_ok: int = 0  # samples whose program (prompt + completion) parsed
    entry_point_defined: int = 0  # samples whose answer implements the entry point itself
    tests_passed_fraction: float = 0.0  # mean over the n samples of (tests passed / tests)
    language: str = "python"

    def pass_at_k(self, k: int = 1) -> float:
        return pass_at_k(self.n, self.c, k)


@dataclass
class PassCounts:
    """What :func:`measure` found for one model: per problem (n, c) and the rates beside them.

    ``pass_at_k(k)`` is the mean over problems of the unbiased per-problem pass@k; ``interval(k)``
    its 95% bootstrap interval over problems; ``rate("syntax_ok" | "entry_point_defined" |
    "tests_passed_fraction")`` the other per-model figures with theirs.
    """

    label: str
    model_spec: str
    model_identity: str
    prompt_format: str
    prompt_format_reason: str
    evidence: dict[str, Any]
    problems: dict[str, ProblemCounts]
    key: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    failure_counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # task_id -> why (e.g. node missing)
    measured_in: str = ""  # <run>/<stage> whose directory generated it
    created_at: str = ""

    # ----------------------------------------------------------------- figures

    @property
    def n_problems(self) -> int:
        return len(self.problems)

    @property
    def samples_per_problem(self) -> int:
        return max((p.n for p in self.problems.values()), default=0)

    @property
    def n_samples(self) -> int:
        return sum(p.n for p in self.problems.values())

    def per_problem_pass_at_k(self, k: int = 1) -> dict[str, float]:
        short = [t for t, p in self.problems.items() if p.n < k]
        if short:
            raise MeasureError(f"pass@{k} needs at least {k} samples per problem; {short[0]} has "
                               f"{self.problems[short[0]].n}: measure with eval_samples >= {k}")
        return {t: p.pass_at_k(k) for t, p in self.problems.items()}

    def pass_at_k(self, k: int = 1) -> float:
        scores = self.per_problem_pass_at_k(k)
        return sum(scores.values()) / len(scores) if scores else math.nan

    def pass_at_1(self) -> float:
        return self.pass_at_k(1)

    def interval(self, k: int = 1, *, confidence: float = 0.95) -> Interval:
        return bootstrap_interval(self.per_problem_pass_at_k(k).values(), confidence=confidence)

    RATES = ("syntax_ok", "entry_point_defined", "tests_passed_fraction")

    def per_problem_rate(self, name: str) -> dict[str, float]:
        if name not in self.RATES:
            raise ValueError(f"rate: {name!r} is not one of {', '.join(self.RATES)}")
        if name == "tests_passed_fraction":
            return {t: p.tests_passed_fraction for t, p in self.problems.items()}
        return {t: getattr(p, name) / p.n for t, p in self.problems.items() if p.n}

    def rate(self, name: str, *, confidence: float = 0.95) -> Interval:
        """A per-sample rate, averaged per problem then over problems, with its bootstrap interval."""
        return bootstrap_interval(self.per_problem_rate(name).values(), confidence=confidence)

    def noise_floor(self, confidence: float = 0.95) -> float | None:
        """Half-width of the paired-difference interval expected between two measurements of this
        same model at these settings: differences smaller than this cannot be resolved here.

        Two independent measurements differ on problem i by sampling alone, with variance
        ``2 p_i (1 - p_i) / n``; ``p_i (1 - p_i)`` is estimated without bias by
        ``p^_i (1 - p^_i) n / (n - 1)``. The half-width is ``z * sqrt(sum of variances) / P``
        (normal approximation). None with one sample per problem (no within-problem spread to read).
        """
        from statistics import NormalDist

        probs = [p for p in self.problems.values() if p.n > 1]
        if not probs:
            return None
        var = sum(2 * (p.c / p.n) * (1 - p.c / p.n) / (p.n - 1) for p in probs)
        z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
        return z * math.sqrt(var) / len(probs)

    def languages(self) -> list[str]:
        return sorted({p.language for p in self.problems.values()})

    def subset(self, task_ids: Iterable[str] | None = None, language: str | None = None) -> PassCounts:
        """The same measurement on some of its problems (e.g. one language)."""
        keep = set(task_ids) if task_ids is not None else None
        probs = {t: p for t, p in self.problems.items()
                 if (keep is None or t in keep) and (language is None or p.language == language)}
        return PassCounts(**{**self.__dict__, "problems": probs})

    def summary(self) -> dict[str, Any]:
        """Plain figures for a manifest or a table (pass@1 and every rate with its interval)."""
        out: dict[str, Any] = {
            "label": self.label, "model": self.model_spec, "identity": self.model_identity,
            "prompt_format": self.prompt_format, "n_problems": self.n_problems,
            "samples_per_problem": self.samples_per_problem, "n_samples": self.n_samples,
            "evidence": dict(self.evidence), "measured_in": self.measured_in,
        }
        if not self.problems:
            return out
        iv = self.interval(1)
        out.update({"pass@1": iv.mean, "pass@1_interval": [iv.lo, iv.hi]})
        for name in self.RATES:
            r = self.rate(name)
            out[name] = r.mean
            out[f"{name}_interval"] = [r.lo, r.hi]
        if len(self.languages()) > 1:
            out["by_language"] = {}
            for lang in self.languages():
                sub = self.subset(language=lang).interval(1)
                out["by_language"][lang] = {"n_problems": sub.n, "pass@1": sub.mean, "pass@1_interval": [sub.lo, sub.hi]}
        out["noise_floor"] = self.noise_floor()
        out["failure_counts"] = dict(self.failure_counts)
        if self.skipped:
            out["skipped_problems"] = len(self.skipped)
        return out

    def line(self) -> str:
        """``04_sft: pass@1 0.62 [0.55, 0.69] on 205 problems x 5 samples (chat)``."""
        if not self.problems:
            return f"{self.label}: no problem scored"
        return (f"{self.label}: pass@1 {self.interval(1)} on {self.n_problems} problems x {self.samples_per_problem} "
                f"samples ({self.prompt_format})")

    def __repr__(self) -> str:
        return f"PassCounts({self.line()})"

    # ----------------------------------------------------------------- files

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["problem_order"] = list(self.problems)  # JSON objects are written with sorted keys
        d["version"] = MEASURE_VERSION
        d["summary"] = self.summary()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PassCounts:
        order = d.get("problem_order") or list(d["problems"])
        problems = {t: ProblemCounts(**d["problems"][t]) for t in order}
        names = {f for f in cls.__dataclass_fields__ if f != "problems"}
        return cls(problems=problems, **{k: v for k, v in d.items() if k in names})

    def save(self, path: str | os.PathLike[str]) -> Path:

        p = Path(path)
        if is_main_process():
            atomic_write_json(p, self.to_dict())
        return p

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PassCounts:
        p = Path(path)
        try:
            return cls.from_dict(json.loads(p.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise MeasureError(f"{p}: not a measurement the kit wrote ({type(e).__name__}: {e}); delete it to "
                               f"measure again") from None

    @classmethod
    def from_report(cls, report: EvalReport, *, label: str, model_spec: str, model_identity: str,
                    evidence: dict[str, Any], key: str = "", measured_in: str = "") -> PassCounts:
        """Counts from a scored :class:`~seedkit.measure.harness.EvalReport` (skipped samples left out)."""
        per: dict[str, list[Any]] = {t: [] for t in report.task_ids}
        skipped: dict[str, str] = {}
        for s in report.samples:
            if s.status == "skipped":
                skipped[s.task_id] = (s.stderr_tail.strip().splitlines() or ["skipped by the sandbox"])[-1][:200]
            elif s.task_id in per:
                per[s.task_id].append(s)
        problems = {}
        for t, samples in per.items():
            if not samples:
                continue
            problems[t] = ProblemCounts(
                n=len(samples), c=sum(s.passed for s in samples), syntax_ok=sum(s.syntax_ok for s in samples),
                entry_point_defined=sum(s.entry_point_defined for s in samples),
                tests_passed_fraction=sum(s.tests_fraction for s in samples) / len(samples),
                language=samples[0].language)
        return cls(label=label, model_spec=model_spec, model_identity=model_identity,
                   prompt_format=report.prompt_format, prompt_format_reason=report.prompt_format_reason,
                   evidence=dict(evidence), problems=problems, key=key, timings=dict(report.timings),
                   failure_counts=report.failure_counts(), skipped=skipped, measured_in=measured_in,
                   created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))


EFFECTS_DIR = "effects"  # a stage folder's saved measurements


def list_measurements(stage_path: str | os.PathLike[str]) -> list[PassCounts]:
    """Every measurement saved in a stage directory (unreadable files are skipped)."""
    out = []
    for f in sorted((Path(stage_path) / EFFECTS_DIR).glob("*.json")):
        try:
            out.append(PassCounts.load(f))
        except (MeasureError, OSError):
            continue
    return out


__all__ = ["MEASURE_VERSION", "MeasureError", "ProblemCounts", "PassCounts", "EFFECTS_DIR", "list_measurements"]
