"""Stage 07: the chain of models, each measured on the same problems and compared with its parent.

The chain (as in the report): the profile's base model (smol: the packaged SmolLM2-135M-Instruct)
-> 03 pretraining -> 04 SFT -> 05 DPO, and 03 -> 06 LongCoT RL (warm-up, then RL). Each stage's
manifest names its parent (``parent_model``); where it does not, that design is assumed. On tiny
the base is a random model, so the stage-03 model is the root.

Step functions (the notebook calls them one cell at a time; :func:`run_eval` composes them):

1. :func:`plan_models`: which models, their parents, what is skipped and why.
2. :func:`measure_model`: one model on one problem set (``basic`` with the evidence settings the
   stages used, so their measurements are reused; ``humaneval`` with its own sample count). Each
   measurement is saved under ``effects/`` keyed by the model's identity and the settings, so a
   rerun cell or a restarted kernel reads it back instead of generating again.
3. :func:`assemble`: the table (pass@1 with its 95% interval, the paired difference to the parent
   with its interval, syntax-valid rate, entry-point rate, fraction of tests passed, prompt format).
4. :func:`write_outputs`: ``summary.json``, ``report.md``, ``effects.png``; then the manifest.

Writes into ``runs/<run>/07_eval/`` (docs/contracts.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from seedkit.eval.plots import plot_effects
from seedkit.eval.result import EvalStageResult, ModelPlan
from seedkit.eval.settings import MODEL_STAGES, EvalSettings
from seedkit.files import atomic_write_text
from seedkit.measure.effects import EFFECTS_DIR, PassCounts, measure, saved_measurement
from seedkit.measure.stats import Difference
from seedkit.notebooks import save_figure
from seedkit.problems import load_humaneval
from seedkit.runs import StageRun, is_main_process, parse_run_spec, read_manifest, run_model_spec, stage_dir

STAGE = "07_eval"
# The design's parents, used when a stage's manifest does not name its own (metrics/parent_model).
DEFAULT_PARENT = {"03_pretraining": "base", "04_sft": "03_pretraining", "05_dpo": "04_sft",
                  "06_warmup": "03_pretraining", "06_longcot_rl": "03_pretraining"}


def say(msg: str) -> None:
    print(f"[{STAGE}] {msg}")


def _safe_tag(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:60] or "model"


# --------------------------------------------------------------------------- 1. plan




def _has_model(path: Path) -> bool:
    return (path / "config.json").exists() or (path / "adapter_config.json").exists()


def _recorded_parent(manifest: dict[str, Any]) -> str | None:
    metrics = manifest.get("metrics") or {}
    for src in (metrics, manifest, metrics.get("effect") or {}):
        value = src.get("parent_model") if isinstance(src, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _warmup_model(d: Path, manifest: dict[str, Any]) -> Path | None:
    """Stage 06's warm-up model, when the stage saved one apart from its final model."""
    metrics = manifest.get("metrics") or {}
    named = metrics.get("warmup_model") or manifest.get("warmup_model")
    candidates = [d / str(named)] if isinstance(named, str) and named and not named.startswith("run:") else []
    candidates += [d / "warmup_model", d / "warmup" / "model"]
    return next((c for c in candidates if _has_model(c)), None)


def _label_of(spec: str | None, settings: EvalSettings, base_spec: str | None) -> str | None:
    if not spec:
        return None
    if base_spec is not None and spec == base_spec:
        return "base"
    parsed = parse_run_spec(spec) if spec.startswith("run:") else None
    if parsed is not None:
        run_name, stage = parsed
        return stage if run_name in (settings.run_name, "{run}") else f"{run_name}/{stage}"
    if "06_longcot_rl" in spec and "warmup" in spec:
        return "06_warmup"
    return None


def plan_models(settings: EvalSettings) -> tuple[list[ModelPlan], dict[str, str], dict[str, Path]]:
    """(models in chain order, skipped label -> reason, input stage directories) for this run."""
    plans: list[ModelPlan] = []
    skipped: dict[str, str] = {}
    inputs: dict[str, Path] = {}
    base_spec = settings.resolved_base_model()
    root_is_random = (settings.base_model or settings.profile_info.base_model) == "scratch"
    if settings.include_base and not root_is_random:
        plans.append(ModelPlan("base", base_spec, None, f"the profile's base model ({base_spec}), the root of the chain"))
    elif settings.include_base:
        skipped["base"] = (f"profile {settings.profile}'s base is 'scratch' (random weights, trained in stage 03): "
                           f"the stage-03 model is the root of the chain")
    for stage in settings.stages:
        d = stage_dir(settings.run_name, stage, settings.runs_dir)
        manifest = read_manifest(d)
        if manifest is None:
            skipped[stage] = f"run {settings.run_name!r} has no finished stage {stage} ({d})"
            continue
        inputs[stage] = d
        if stage == "06_longcot_rl":
            warm = _warmup_model(d, manifest)
            if warm is not None:
                plans.append(ModelPlan("06_warmup", str(warm), "03_pretraining",
                                       "stage 06's warm-up model (SFT on verified reasoning traces)", stage))
        if not _has_model(d / "model"):
            skipped[stage] = f"stage {stage} finished without a model in {d / 'model'}"
            continue
        recorded = _recorded_parent(manifest)
        parent = (_label_of(recorded, settings, None if root_is_random else base_spec) if recorded
                  else DEFAULT_PARENT[stage])
        if stage == "03_pretraining" and (root_is_random or recorded == "scratch"):
            parent = None
        why = "the run's model" + (f"; parent {recorded} (its manifest)" if recorded else "")
        if stage == "06_longcot_rl" and any(p.label == "06_warmup" for p in plans):
            # GRPO starts from the warm-up model: compared with it, the table separates what RL did from
            # what the warm-up did (the stage's whole effect against stage 03 is in its own manifest)
            parent, why = "06_warmup", why + "; GRPO trained the warm-up model, so it is compared with that"
        plans.append(ModelPlan(stage, run_model_spec(settings.run_name, stage), parent, why, stage))
    for spec in settings.extra_models:
        plans.append(ModelPlan(f"extra_{_safe_tag(spec)}", spec, None, "asked for in extra_models"))
    labels = {p.label for p in plans}
    for p in plans:
        if p.parent is not None and p.parent not in labels:
            p.why += f"; its parent {p.parent} is not evaluated here, so no difference"
    return plans, skipped, inputs


def chain_lines(plans: list[ModelPlan]) -> list[str]:
    """The chain as text: ``base -> 03_pretraining -> 04_sft -> 05_dpo`` and side branches."""
    children: dict[str | None, list[str]] = {}
    labels = {p.label for p in plans}
    for p in plans:
        children.setdefault(p.parent if p.parent in labels else None, []).append(p.label)
    lines: list[str] = []

    def walk(label: str, prefix: str) -> None:
        kids = children.get(label, [])
        if not kids:
            lines.append(prefix + label)
            return
        for i, kid in enumerate(kids):
            walk(kid, (prefix + label + " -> ") if i == 0 else " " * len(prefix + label) + " -> ")

    for root in children.get(None, []):
        walk(root, "")
    return lines


# --------------------------------------------------------------------------- 2. measure


def problem_sets(settings: EvalSettings) -> list[str]:
    """The evidence set (the stages' ``eval_set``), then HumanEval unless it is off or the same set."""
    return [settings.eval_set] + (["humaneval"] if settings.humaneval_limit and settings.eval_set != "humaneval"
                                  else [])


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


def measure_model(settings: EvalSettings, run: StageRun, plan: ModelPlan, set_name: str,
                  reuse_from: Iterable[Path] = (), *, progress: bool = True) -> PassCounts:
    """One model on one problem set. The evidence set (``eval_set``, ``basic`` by default) uses the
    evidence settings, so the stage that made the model (and its child) already measured it and
    this reads their file; HumanEval uses ``humaneval_*`` and is measured here."""
    dirs = list(reuse_from)
    fmt = settings.prompt_format
    with run.timer(f"measure_{set_name}_{plan.label}"):  # into the manifest's timings
        if set_name == settings.eval_set:
            return measure(plan.spec, settings, run, _safe_tag(plan.label), prompt_format=fmt, reuse_from=dirs,
                           progress=progress, workers=settings.workers or None, timeout_s=settings.timeout_s)
        if set_name != "humaneval":
            raise ValueError(f"set_name: {set_name!r} is neither eval_set ({settings.eval_set}) nor humaneval")

        he = settings.humaneval_settings()
        return measure(plan.spec, he, run, f"{_safe_tag(plan.label)}.humaneval", prompt_format=fmt,
                       reuse_from=dirs, problems=load_humaneval(settings.humaneval_limit), progress=progress,
                       workers=settings.workers or None, timeout_s=settings.timeout_s)


def measure_parent_in_child_format(settings: EvalSettings, run: StageRun, plans: list[ModelPlan],
                                   counts: dict[str, dict[str, PassCounts]], reuse_from: Iterable[Path] = (), *,
                                   progress: bool = True) -> dict[str, dict[str, PassCounts]]:
    """set -> child label -> the parent measured in the child's prompt format, for every model whose
    parent was asked in another format (``parent_in_child_format``: reuse what a stage measured, or
    measure it here too); where nobody measured the parent that way but the child's stage measured the
    child in the parent's format, that measurement instead (its ``prompt_format`` says which). The
    difference against it is the training's effect with the format held fixed."""
    out: dict[str, dict[str, PassCounts]] = {}
    if settings.parent_in_child_format == "off":
        return out
    dirs = list(reuse_from)
    by_label = {p.label: p for p in plans}
    for s, by in counts.items():
        for p in plans:
            parent = by_label.get(p.parent or "")
            if parent is None or p.label not in by or parent.label not in by:
                continue
            fmt = by[p.label].prompt_format
            if by[parent.label].prompt_format == fmt:
                continue
            label = f"{_safe_tag(parent.label)}.as_{fmt}" + ("" if s == settings.eval_set else f".{s}")
            he = settings if s == settings.eval_set else settings.humaneval_settings()
            problems = None
            if s == "humaneval":

                problems = load_humaneval(settings.humaneval_limit)
            found = saved_measurement(parent.spec, he, run, label, prompt_format=fmt, reuse_from=dirs,
                                      problems=problems)
            if found is None:  # the other way round: the child asked in its parent's format, where its stage
                # measured that (stage 03 on smol measures its model in the instruct base's chat format)
                pfmt = by[parent.label].prompt_format
                found = saved_measurement(p.spec, he, run, f"{_safe_tag(p.label)}.as_{pfmt}" + label[len(
                    f"{_safe_tag(parent.label)}.as_{fmt}"):], prompt_format=pfmt, reuse_from=dirs, problems=problems)
            if found is None and settings.parent_in_child_format == "measure":
                found = measure(parent.spec, he, run, label, prompt_format=fmt, reuse_from=dirs, problems=problems,
                                progress=progress, workers=settings.workers or None, timeout_s=settings.timeout_s)
            if found is not None:
                out.setdefault(s, {})[p.label] = found
    return out


# --------------------------------------------------------------------------- 3. assemble






def assemble(run: StageRun, plans: list[ModelPlan], counts: dict[str, dict[str, PassCounts]],
             skipped: dict[str, str],
             parent_in_child_format: dict[str, dict[str, PassCounts]] | None = None) -> EvalStageResult:
    return EvalStageResult(path=run.path, plans=plans, counts=counts, skipped=skipped,
                           parent_in_child_format=parent_in_child_format or {})


# --------------------------------------------------------------------------- 4. outputs


def _fmt_iv(mean: float | None, lo: float | None, hi: float | None, signed: bool = False) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return ""
    if signed:
        return str(Difference(mean, lo, hi, 1))  # type: ignore[arg-type]
    return f"{mean:.2f} [{lo:.2f}, {hi:.2f}]"


def markdown_rows(result: EvalStageResult) -> str:
    head = ["model", "parent", "set", "n problems", "samples", "pass@1 [95%]", "difference to parent [95%]",
            "same, one format held fixed [95%]", "noise floor", "syntax valid", "entry point", "tests passed",
            "prompt format"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result.rows():
        fmt = r["prompt_format"] + (f" (parent: {r['parent_format']})"
                                    if r["parent_format"] and r["parent_format"] != r["prompt_format"] else "")
        cells = [r["model"], r["parent"] or "(root)", r["set"], str(r["n_problems"]), str(r["samples"]),
                 _fmt_iv(r["pass@1"], r["pass@1_lo"], r["pass@1_hi"]),
                 _fmt_iv(r["difference"], r["difference_lo"], r["difference_hi"], signed=True) or "",
                 _fmt_iv(r["difference_same_format"], r["difference_same_format_lo"], r["difference_same_format_hi"],
                         signed=True) or "",
                 f"±{r['noise_floor']:.2f}" if r["noise_floor"] is not None else "n/a (1 sample)",
                 *(_fmt_iv(r[n], *r[f"{n}_interval"]) for n in PassCounts.RATES), fmt]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_outputs(run: StageRun, settings: EvalSettings, result: EvalStageResult) -> dict[str, Path]:
    """summary.json, report.md and effects.png in the stage directory (each written atomically)."""

    rows = result.rows()
    summary = {
        "models": [asdict(p) for p in result.plans], "chain": chain_lines(result.plans), "skipped": result.skipped,
        "sets": result.sets, "table": rows, "differences": result.difference_lines(),
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
    if result.skipped:
        lines += ["Not evaluated:\n", *[f"- {k}: {v}" for k, v in result.skipped.items()], ""]
    lines += ["Noise floor: the half-width of the 95% interval expected between two measurements of the same "
              "model at these settings (sampling alone); a difference smaller than that is not resolved.\n",
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
            f = run.path / EFFECTS_DIR / f"{_safe_tag(p.label)}{suffix}.json"
            if f.exists():
                counts[s][p.label] = PassCounts.load(f)
        for p in plans:
            if p.label in counts[s] and p.parent in counts[s]:
                fmt, pfmt = counts[s][p.label].prompt_format, counts[s][p.parent].prompt_format
                for f in (run.path / EFFECTS_DIR / f"{_safe_tag(p.parent)}.as_{fmt}{suffix}.json",
                          run.path / EFFECTS_DIR / f"{_safe_tag(p.label)}.as_{pfmt}{suffix}.json"):
                    if fmt != pfmt and f.exists():
                        same.setdefault(s, {})[p.label] = PassCounts.load(f)
                        break
    return EvalStageResult(path=run.path, plans=plans, counts=counts, skipped=summary.get("skipped", {}),
                           parent_in_child_format=same)


def begin(settings: EvalSettings) -> tuple[StageRun, list[ModelPlan], dict[str, str], dict[str, Path], bool]:
    """(run, plans, skipped, inputs, done): plan the stage and start it unless it is done already."""
    run = StageRun.for_settings(settings)
    plans, skipped, inputs = plan_models(settings)
    if run.is_done(inputs):
        return run, plans, skipped, inputs, True
    for label, why in skipped.items():
        say(f"skipping {label}: {why}")
    if not plans:
        raise RuntimeError("07_eval: no model to evaluate: run stage 03 first (seedkit run --stages 01-03), "
                           "or set include_base=True or extra_models")
    _start_keeping_measurements(run, inputs)
    return run, plans, skipped, inputs, False


def _start_keeping_measurements(run: StageRun, inputs: dict[str, Path]) -> None:
    """StageRun.start clears the stage directory; this stage's measurements are keyed by model identity
    and settings (a changed setting or model simply stops matching), so they are set aside and put back:
    a changed HumanEval setting, or a killed stage, does not regenerate every other model's answers."""
    import os
    import shutil

    effects = run.path / EFFECTS_DIR
    keep = run.path.parent / f".{run.path.name}.{EFFECTS_DIR}.keep"
    if is_main_process() and effects.is_dir() and not keep.exists():
        os.replace(effects, keep)
    run.start(inputs)
    if is_main_process() and keep.is_dir():
        if effects.exists():
            shutil.rmtree(keep)
        else:
            os.replace(keep, effects)


def finish(settings: EvalSettings, run: StageRun, result: EvalStageResult) -> dict[str, Path]:
    """Write summary.json, report.md and effects.png, then the manifest (last)."""
    paths = write_outputs(run, settings, result)
    run.finish(metrics=result.metrics())
    say(f"wrote {', '.join(p.name for p in paths.values())} and manifest.json in {run.path}")
    return paths


def run_eval(settings: EvalSettings) -> EvalStageResult:
    """Every model of the chain on the evidence set and HumanEval; summary, report, plot, manifest."""
    run, plans, skipped, inputs, done = begin(settings)
    if done:
        return load_result(run)
    for line in chain_lines(plans):
        say(f"chain: {line}")
    counts: dict[str, dict[str, PassCounts]] = {}
    for s in problem_sets(settings):
        counts[s] = {}
        for plan in plans:
            counts[s][plan.label] = measure_model(settings, run, plan, s, inputs.values())
    with run.timer("parent_in_child_format"):
        same = measure_parent_in_child_format(settings, run, plans, counts, inputs.values())
    result = assemble(run, plans, counts, skipped, same)
    for line in result.difference_lines():
        say(line)
    finish(settings, run, result)
    return result


__all__ = ["ModelPlan", "EvalStageResult", "plan_models", "chain_lines", "measure_model", "assemble",
           "write_outputs", "finish", "run_eval", "measure_parent_in_child_format", "begin", "problem_sets", "load_result",
           "MODEL_STAGES"]
