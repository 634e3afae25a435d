"""Stage 07's outputs: the table as Markdown, ``summary.json``, ``report.md`` and ``effects.png``, the
command that reproduces them, and the result read back from a finished stage."""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from seedkit.eval.plan import chain_lines, safe_tag
from seedkit.eval.plots import plot_effects
from seedkit.eval.result import EvalStageResult, ModelPlan
from seedkit.eval.settings import EvalSettings
from seedkit.files import atomic_write_text
from seedkit.measure.effects import EFFECTS_DIR, PassCounts
from seedkit.measure.stats import Difference
from seedkit.notebooks import save_figure
from seedkit.runs import StageRun


def reproduce_command(settings: EvalSettings) -> str:
    """The command that reruns this stage with these settings (values that differ from the profile's)."""
    defaults = type(settings).from_params(settings.profile)
    changed = [f"-p {k}={_cli_value(v)}" for k, v in settings.to_dict().items()
               if k not in ("profile", "run_name", "runs_dir", "force") and v != getattr(defaults, k)]
    cmd = f"seedkit run --profile {settings.profile} --run-name {settings.run_name} --stages 07"
    if settings.runs_dir:
        cmd += f" --runs-dir {settings.runs_dir}"
    return " ".join([cmd, *changed])


def _cli_value(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ",".join(str(x) for x in v) + "]"
    return str(v).lower() if isinstance(v, bool) else str(v)


def _fmt_iv(mean: float | None, lo: float | None, hi: float | None, signed: bool = False) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return ""
    if signed:
        return str(Difference(mean, lo, hi, 1))  # type: ignore[arg-type]
    return f"{mean:.2f} [{lo:.2f}, {hi:.2f}]"


def _family_cell(r: dict[str, Any]) -> str:
    """Which of the row's differences stay resolved once the run's whole family of comparisons is
    adjusted (Holm); empty for a model without a parent."""
    parts = []
    if r.get("resolved_in_family") is not None:
        parts.append("yes" if r["resolved_in_family"] else "no")
    if r.get("same_format_resolved_in_family") is not None:
        parts.append(("yes" if r["same_format_resolved_in_family"] else "no") + " (format fixed)")
    return ", ".join(parts)


def markdown_rows(result: EvalStageResult) -> str:
    head = ["model", "parent", "set", "n problems", "samples", "pass@1 [95%]", "difference to parent [95%]",
            "same, one format held fixed [95%]", "resolved over the run (Holm)", "noise floor",
            "detected 80% of the time", "syntax valid", "entry point", "tests passed", "prompt format"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result.rows():
        fmt = r["prompt_format"] + (f" (parent: {r['parent_format']})"
                                    if r["parent_format"] and r["parent_format"] != r["prompt_format"] else "")
        cells = [r["model"], r["parent"] or "(root)", r["set"], str(r["n_problems"]), str(r["samples"]),
                 _fmt_iv(r["pass@1"], r["pass@1_lo"], r["pass@1_hi"]),
                 _fmt_iv(r["difference"], r["difference_lo"], r["difference_hi"], signed=True) or "",
                 _fmt_iv(r["difference_same_format"], r["difference_same_format_lo"], r["difference_same_format_hi"],
                         signed=True) or "",
                 _family_cell(r),
                 f"±{r['noise_floor']:.2f}" if r["noise_floor"] is not None else "n/a (1 sample)",
                 f"±{r['detectable_80']:.2f}" if r.get("detectable_80") is not None else "n/a",
                 *(_fmt_iv(r[n], *r[f"{n}_interval"]) for n in PassCounts.RATES), fmt]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_outputs(run: StageRun, settings: EvalSettings, result: EvalStageResult) -> dict[str, Path]:
    """summary.json, report.md and effects.png in the stage directory (each written atomically)."""

    rows = result.rows()
    summary = {
        "models": [asdict(p) for p in result.plans], "chain": chain_lines(result.plans), "skipped": result.skipped,
        "sets": result.sets, "table": rows, "differences": result.difference_lines(),
        "against_root": result.against_root_lines(),
        "evidence": {f: getattr(settings, f) for f in ("eval_set", "eval_limit", "eval_samples", "eval_temperature",
                                                       "eval_max_new_tokens", "seed")},
        "humaneval": {"limit": settings.humaneval_limit, "samples": settings.humaneval_samples,
                      "max_new_tokens": settings.humaneval_max_new_tokens},
        "method": ("pass@1: per-problem unbiased estimate from n samples, averaged over problems; 95% intervals: "
                   "percentile bootstrap over problems (10,000 resamples, seed 0); differences: paired over the "
                   "problems both models have"),
        "command": reproduce_command(settings),
    }
    paths = {"summary": run.save_json("summary.json", summary)}
    lines = [f"# Evaluation of run {run.run_name} (profile {settings.profile})\n",
             "The chain of models (each beside the model it started from):\n", "```",
             *summary["chain"], "```\n", markdown_rows(result)]
    if summary["differences"]:
        lines += ["Paired differences (child - parent, same problems):\n", "```", *summary["differences"], "```\n"]
    if summary["against_root"]:
        lines += ["Where the chain ends against where it started (each post-trained model minus the packaged model, "
                  "each asked in its own format; adjusted over these comparisons on their own):\n", "```",
                  *summary["against_root"], "```\n"]
    if result.skipped:
        lines += ["Not evaluated:\n", *[f"- {k}: {v}" for k, v in result.skipped.items()], ""]
    lines += ["Noise floor: the half-width of the 95% interval expected between two measurements of the same "
              "model at these settings (sampling alone); a true difference that size is resolved only about half "
              "the time. Detected 80% of the time: the size of true difference these sample sizes resolve with 80% "
              "power (about 1.43 noise floors).\n",
              "Resolved over the run (Holm): each 95% interval above speaks for its own comparison; a run makes "
              "several, and with six comparisons and no real effect one of them still looks resolved in about a "
              "quarter of runs. The column adjusts the verdicts of all the comparisons on a problem set together "
              "(Holm's step-down on paired-bootstrap p-values, family-wise error 5%); read a difference as "
              "shown only where it says yes.\n",
              f"Method: {summary['method']}. Evidence settings: " +
              ", ".join(f"{k}={v}" for k, v in summary["evidence"].items()) +
              ("; HumanEval: not measured (humaneval_limit=0)" if not settings.humaneval_limit else
               f"; HumanEval: first {settings.humaneval_limit}, {settings.humaneval_samples} sample(s), "
               f"{settings.humaneval_max_new_tokens} tokens") + ".\n",
              f"Reproduce: `{summary['command']}`\n"]
    paths["report"] = run.artifact("report.md")
    atomic_write_text(paths["report"], "\n".join(lines))
    if rows:
        import matplotlib.pyplot as plt

        fig = plot_effects(result)
        paths["plot"] = save_figure(fig, run.artifact("effects.png"))
        plt.close(fig)  # saved, not shown again
    return paths


def load_result(run: StageRun) -> EvalStageResult:
    summary = run.load_json("summary.json")
    plans = [ModelPlan(**p) for p in summary["models"]]
    counts: dict[str, dict[str, PassCounts]] = {}
    same: dict[str, dict[str, PassCounts]] = {}
    for s in summary["sets"]:
        counts[s] = {}
        suffix = "" if s == summary["sets"][0] else f".{s}"
        for p in plans:
            f = run.path / EFFECTS_DIR / f"{safe_tag(p.label)}{suffix}.json"
            if f.exists():
                counts[s][p.label] = PassCounts.load(f)
        for p in plans:
            if p.label in counts[s] and p.parent in counts[s]:
                fmt, pfmt = counts[s][p.label].prompt_format, counts[s][p.parent].prompt_format
                for f in (run.path / EFFECTS_DIR / f"{safe_tag(p.parent)}.as_{fmt}{suffix}.json",
                          run.path / EFFECTS_DIR / f"{safe_tag(p.label)}.as_{pfmt}{suffix}.json"):
                    if fmt != pfmt and f.exists():
                        same.setdefault(s, {})[p.label] = PassCounts.load(f)
                        break
    return EvalStageResult(path=run.path, plans=plans, counts=counts, skipped=summary.get("skipped", {}),
                           parent_in_child_format=same)
