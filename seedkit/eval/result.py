"""What stage 07 measured: the chain of models (:class:`ModelPlan`) and every measurement with its paired
differences (:class:`EvalStageResult`), the object the notebook, the plots and the report read."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.files import read_jsonl
from seedkit.measure.effects import DETAILS_DIR, EFFECTS_DIR, PassCounts
from seedkit.measure.harness import failure_kind
from seedkit.measure.stats import Difference, detectable_effect, holm, paired_difference

# The models post-training hands on (what the chain ends with), each compared with the chain's root (the
# packaged model it all started from): does the recipe leave a user better off than where it began?
POST_TRAINED = ("04_sft", "05_dpo", "06_longcot_rl")


def _in_family(verdicts: dict[str, bool], name: str) -> str:
    """The family verdict of one comparison, for a difference line (nothing when it is alone)."""
    if len(verdicts) < 2:
        return ""
    return f"; over the run's {len(verdicts)} comparisons (Holm): " + (
        "resolved" if verdicts.get(name) else "not resolved")


@dataclass
class ModelPlan:
    """One model of the chain: its label in tables and file names, its spec, its parent's label."""

    label: str  # base | 03_pretraining | 04_sft | 05_dpo | 06_warmup | 06_longcot_rl | extra_<name>
    spec: str
    parent: str | None
    why: str
    stage: str | None = None  # the stage that made it (its directory holds its measurements)


@dataclass
class EvalStageResult:
    """Every model's measurements per problem set, the chain, and the paired differences."""

    path: Path
    plans: list[ModelPlan]
    counts: dict[str, dict[str, PassCounts]]  # set -> label -> measurement
    skipped: dict[str, str] = field(default_factory=dict)
    # set -> child label -> its parent asked in the child's prompt format (where formats differ)
    parent_in_child_format: dict[str, dict[str, PassCounts]] = field(default_factory=dict)

    @property
    def sets(self) -> list[str]:
        return list(self.counts)

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.plans]

    def plan(self, label: str) -> ModelPlan:
        return next(p for p in self.plans if p.label == label)

    def difference(self, label: str, set_name: str) -> Difference | None:
        """The model's pass@1 minus its parent's on the problems both have (None without a parent)."""
        parent = self.plan(label).parent
        by = self.counts.get(set_name, {})
        if parent is None or parent not in by or label not in by:
            return None
        return paired_difference(by[label], by[parent])

    def same_format_difference(self, label: str, set_name: str) -> Difference | None:
        """The model's pass@1 minus its parent's asked in the model's own format (None when the formats
        were the same, or nobody measured the parent that way)."""
        pair = self._same_format_pair(label, set_name)
        return paired_difference(*pair) if pair else None

    def same_format_name(self, label: str, set_name: str) -> str | None:
        """The prompt format both models were asked in for :meth:`same_format_difference`."""
        pair = self._same_format_pair(label, set_name)
        return pair[0].prompt_format if pair else None

    def _same_format_pair(self, label: str, set_name: str) -> tuple[PassCounts, PassCounts] | None:
        """(child, parent) asked in one format: the parent re-asked in the child's format, or the child
        re-asked in the parent's (the entry's ``prompt_format`` tells which)."""
        other = self.parent_in_child_format.get(set_name, {}).get(label)
        mine = self.counts.get(set_name, {}).get(label)
        plan = next((p for p in self.plans if p.label == label), None)
        parent = self.counts.get(set_name, {}).get(plan.parent) if plan and plan.parent else None
        if other is None or mine is None or parent is None:
            return None
        if other.prompt_format == mine.prompt_format:
            return mine, other
        if other.prompt_format == parent.prompt_format:
            return other, parent
        return None

    def family(self, set_name: str) -> dict[str, Difference]:
        """Every comparison the run reports on one problem set, by name (``04_sft`` for the model against
        its parent, ``04_sft/same_format`` with the format held fixed): the family whose verdicts
        :meth:`family_verdicts` adjusts together."""
        out: dict[str, Difference] = {}
        for p in self.plans:
            d = self.difference(p.label, set_name)
            if d is not None:
                out[p.label] = d
            same = self.same_format_difference(p.label, set_name)
            if same is not None:
                out[f"{p.label}/same_format"] = same
        return out

    def family_verdicts(self, set_name: str) -> dict[str, bool]:
        """Resolved or not, for each comparison of :meth:`family`, with Holm's step-down adjustment over the
        family (:func:`seedkit.measure.stats.holm`): with six comparisons and no real effect, unadjusted
        95% intervals show a "resolved" one in about a quarter of runs; adjusted, in one in twenty."""
        return holm({name: d.p_value for name, d in self.family(set_name).items()})

    def root(self) -> str | None:
        """The label of the chain's root (the packaged model, ``base``), if the run measured one."""
        return next((p.label for p in self.plans if p.parent is None), None)

    def against_root(self, set_name: str) -> dict[str, Difference]:
        """Each post-trained model (:data:`POST_TRAINED`) minus the chain's root on the problems both have,
        each asked in its own format (the way it was trained to answer, the root in its own)."""
        by, root = self.counts.get(set_name, {}), self.root()
        if root is None or root not in by:
            return {}
        return {lbl: paired_difference(by[lbl], by[root]) for lbl in POST_TRAINED if lbl in by and lbl != root}

    def against_root_verdicts(self, set_name: str) -> tuple[dict[str, Difference], dict[str, bool]]:
        """:meth:`against_root` and each comparison's verdict, adjusted (Holm) over this family of its own."""
        diffs = self.against_root(set_name)
        return diffs, (holm({lbl: d.p_value for lbl, d in diffs.items()}) if diffs else {})

    def against_root_lines(self) -> list[str]:
        """One line per post-trained model against the root, with its verdict adjusted (Holm) over this
        family of its own (the question is another one than each stage's effect), then the answer: is
        any model resolved below the root, and is the best one resolved above it?"""
        lines = []
        for s in self.sets:
            diffs, verdicts = self.against_root_verdicts(s)
            if not diffs:
                continue
            root = self.counts[s][self.root()]  # type: ignore[index]
            for lbl, d in diffs.items():
                fam = (f"; over the {len(diffs)} comparisons with {self.root()} (Holm): "
                       + ("resolved" if verdicts[lbl] else "not resolved")) if len(diffs) > 1 else ""
                lines.append(f"{s}: {lbl} - {self.root()}, each in its own format ({self.counts[s][lbl].prompt_format} "
                             f"vs {root.prompt_format}): {d}  ({d.n_problems} problems; {d.verdict()}{fam})")
            below = [lbl for lbl, d in diffs.items() if verdicts[lbl] and d.mean < 0]
            best = max(diffs, key=lambda lbl: diffs[lbl].mean)
            lines.append(f"{s}: against {self.root()}: " + (f"{', '.join(below)} resolved below it" if below else
                         "none resolved below it") + f"; the best, {best}, {diffs[best]}, " +
                         ("resolved above it" if verdicts[best] and diffs[best].mean > 0 else "not resolved above it"))
        return lines

    def rows(self) -> list[dict[str, Any]]:
        """The table: one row per model and problem set."""
        out = []
        for s in self.sets:
            verdicts = self.family_verdicts(s)
            family_size = len(verdicts)
            for p in self.plans:
                c = self.counts[s].get(p.label)
                if c is None or not c.problems:
                    continue
                iv = c.interval(1)
                d = self.difference(p.label, s)
                parent = self.counts[s].get(p.parent) if p.parent else None
                rates = {name: c.rate(name) for name in PassCounts.RATES}
                same = self.same_format_difference(p.label, s)
                out.append({
                    "model": p.label, "parent": p.parent or "", "set": s, "n_problems": c.n_problems,
                    "samples": c.samples_per_problem, "pass@1": iv.mean, "pass@1_lo": iv.lo, "pass@1_hi": iv.hi,
                    "difference": d.mean if d else None, "difference_lo": d.lo if d else None,
                    "difference_hi": d.hi if d else None, "difference_n": d.n_problems if d else None,
                    "resolved": d.resolved if d else None,
                    "difference_p": d.p_value if d else None,
                    "resolved_in_family": verdicts.get(p.label) if d else None,
                    "family_size": family_size,
                    "difference_same_format": same.mean if same else None,
                    "difference_same_format_lo": same.lo if same else None,
                    "difference_same_format_hi": same.hi if same else None,
                    "same_format_resolved_in_family": verdicts.get(f"{p.label}/same_format") if same else None,
                    **{name: r.mean for name, r in rates.items()},
                    **{f"{name}_interval": [r.lo, r.hi] for name, r in rates.items()},
                    "noise_floor": c.noise_floor(),
                    "detectable_80": detectable_effect(c.noise_floor()),
                    "prompt_format": c.prompt_format,
                    "parent_format": parent.prompt_format if parent is not None else None,
                    "spec": p.spec, "identity": c.model_identity, "measured_in": c.measured_in,
                })
        return out

    def difference_lines(self) -> list[str]:
        """``04_sft - 03_pretraining: +0.06 [+0.02, +0.10]`` per model with a parent, per set."""
        lines = []
        for s in self.sets:
            verdicts = self.family_verdicts(s)
            for p in self.plans:
                d = self.difference(p.label, s)
                if d is None:
                    continue
                a, b = self.counts[s][p.label], self.counts[s][p.parent]  # type: ignore[index]
                note = (f"; formats differ ({a.prompt_format} vs {b.prompt_format}): the difference includes the "
                        f"change of format") if a.prompt_format != b.prompt_format else ""
                lines.append(f"{s}: {p.label} - {p.parent}: {d}  ({d.n_problems} problems x {a.samples_per_problem} "
                             f"samples; {d.verdict()}{_in_family(verdicts, p.label)}{note})")
                same = self.same_format_difference(p.label, s)
                if same is not None:
                    lines.append(f"{s}: {p.label} - {p.parent}, both asked in {self.same_format_name(p.label, s)}: "
                                 f"{same}  "
                                 f"({same.n_problems} problems; {same.verdict()}"
                                 f"{_in_family(verdicts, p.label + '/same_format')}; the format held fixed)")
        return lines

    def grid(self, set_name: str) -> tuple[list[str], list[str], list[list[float]]]:
        """(labels, task ids, per-problem pass fraction per model; NaN = not measured), problems in set order."""
        by = self.counts.get(set_name, {})
        labels = [lbl for lbl in self.labels if lbl in by]
        task_ids = list(dict.fromkeys(t for lbl in labels for t in by[lbl].problems))
        matrix = [[(by[lbl].problems[t].c / by[lbl].problems[t].n) if t in by[lbl].problems else math.nan
                   for t in task_ids] for lbl in labels]
        return labels, task_ids, matrix

    def moved(self, label: str, set_name: str, threshold: float = 0.4) -> dict[str, list[tuple[str, float, float]]]:
        """Problems whose pass rate moved by at least ``threshold`` between the parent and ``label``:
        ``{"gained": [(task_id, parent rate, child rate)], "lost": [...]}``."""
        parent = self.plan(label).parent
        by = self.counts.get(set_name, {})
        out: dict[str, list[tuple[str, float, float]]] = {"gained": [], "lost": []}
        if parent is None or parent not in by or label not in by:
            return out
        child_rates = by[label].per_problem_pass_at_k(1)
        parent_rates = by[parent].per_problem_pass_at_k(1)
        for t, after in child_rates.items():
            if t not in parent_rates:
                continue
            delta = after - parent_rates[t]
            if delta >= threshold:
                out["gained"].append((t, parent_rates[t], after))
            elif delta <= -threshold:
                out["lost"].append((t, parent_rates[t], after))
        return out

    def sample_rows(self, label: str, set_name: str) -> list[dict[str, Any]]:
        """Every scored sample of a model on a set (results joined with the answers)."""

        c = self.counts.get(set_name, {}).get(label)
        if c is None:
            return []
        stem = c.label  # the file stem measure() saved it under
        d = self.path / EFFECTS_DIR / DETAILS_DIR
        results, samples = d / f"results_{stem}.jsonl", d / f"samples_{stem}.jsonl"
        if not results.exists() or not samples.exists():
            return []
        return [{**r, "completion": s.get("completion", ""), "raw": s.get("raw", ""), "model": label, "set": set_name}
                for r, s in zip(read_jsonl(results), read_jsonl(samples), strict=False)]

    def failure_kinds(self, set_name: str) -> dict[str, dict[str, int]]:
        """label -> {kind: samples}: passed, syntax error, no implementation (the answer did not define
        the function, so the prompt's stub was called), wrong answer (an assertion failed), or the
        error type / timeout."""
        out = {}
        for lbl in self.labels:
            rows = self.sample_rows(lbl, set_name)
            if rows:
                out[lbl] = dict(Counter(failure_kind(r) for r in rows).most_common())
        return out

    def metrics(self) -> dict[str, Any]:
        """The manifest's metrics: values with their intervals, nested by set and model."""
        m: dict[str, Any] = {"pass@1": {}, "difference": {}, "syntax_ok": {}, "entry_point_defined": {},
                             "tests_passed_fraction": {}, "models": {}}
        for r in self.rows():
            s, lbl = r["set"], r["model"]
            m["pass@1"].setdefault(s, {})[lbl] = {"mean": r["pass@1"], "lo": r["pass@1_lo"], "hi": r["pass@1_hi"],
                                                  "n": r["n_problems"]}
            for name in PassCounts.RATES:
                lo, hi = r[f"{name}_interval"]
                m[name].setdefault(s, {})[lbl] = {"mean": r[name], "lo": lo, "hi": hi, "n": r["n_problems"]}
            if r["difference"] is not None:
                m["difference"].setdefault(s, {})[lbl] = {
                    "mean": r["difference"], "lo": r["difference_lo"], "hi": r["difference_hi"],
                    "n": r["difference_n"], "parent": r["parent"]}
            if r["difference_same_format"] is not None:
                m.setdefault("difference_same_format", {}).setdefault(s, {})[lbl] = {
                    "mean": r["difference_same_format"], "lo": r["difference_same_format_lo"],
                    "hi": r["difference_same_format_hi"], "n": r["difference_n"], "parent": r["parent"],
                    "format": r["prompt_format"]}
        for s in self.sets:
            diffs, verdicts = self.against_root_verdicts(s)
            for lbl, d in diffs.items():
                m.setdefault("against_root", {}).setdefault(s, {})[lbl] = {
                    "mean": d.mean, "lo": d.lo, "hi": d.hi, "n": d.n_problems, "root": self.root(),
                    "resolved_in_family": verdicts[lbl]}
        for p in self.plans:
            m["models"][p.label] = {"spec": p.spec, "parent": p.parent}
        return m
