"""Stage 07: the chain of models, each measured on the same problems and compared with its parent.

One stage shape (:mod:`seedkit.steps`); the notebook calls one function per cell and :func:`run_eval`
composes the same ones::

    stage = begin(settings)                            # the plan: models, parents, what is skipped and why
    evidence = measure_set(stage, stage.sets[0])       # every model on the evidence set (basic)
    humaneval = measure_set(stage, "humaneval")        # ... and on HumanEval, when humaneval_limit > 0
    same = measure_parent_in_child_format(stage, [evidence, humaneval])  # parents asked in their child's format
    result = assemble(stage, [evidence, humaneval], same)                # the table and the paired differences
    result = finish(stage, result)                     # summary.json, report.md, effects.png; the manifest

:func:`measure_model` measures one model on one set (``basic`` with the evidence settings the stages
used, so their measurements are reused; ``humaneval`` with its own sample count). Each measurement is
saved under ``effects/`` keyed by the model's identity and the settings, so a rerun cell or a
restarted kernel reads it back instead of generating again.

Writes into ``runs/<run>/07_eval/`` (docs/contracts.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from seedkit.eval.plan import DEFAULT_PARENT, chain_lines, plan_models, problem_sets, safe_tag
from seedkit.eval.report import load_result, markdown_rows, reproduce_command, write_outputs
from seedkit.eval.result import EvalStageResult, ModelPlan
from seedkit.eval.settings import MODEL_STAGES, EvalSettings
from seedkit.measure.effects import EFFECTS_DIR, PassCounts, measure, saved_measurement
from seedkit.problems import load_humaneval
from seedkit.runs import StageRun, is_main_process
from seedkit.steps import Stage

STAGE = "07_eval"


def say(msg: str) -> None:
    print(f"[{STAGE}] {msg}")


@dataclass
class EvalStage(Stage):
    """One run of stage 07 in progress (:class:`seedkit.steps.Stage`) with its plan: the models in chain
    order (each with its parent), the stages skipped and why, and the problem sets to measure."""

    plans: list[ModelPlan] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def sets(self) -> list[str]:
        return problem_sets(self.settings)

    def plan(self, label: str) -> ModelPlan:
        return next(p for p in self.plans if p.label == label)


@dataclass
class SetMeasurements:
    """Every model of the plan measured on one problem set (``counts``: label -> measurement)."""

    set_name: str
    counts: dict[str, PassCounts]


@dataclass
class SameFormat:
    """set -> child label -> the child's parent asked in the child's prompt format (where they differ)."""

    counts: dict[str, dict[str, PassCounts]]


def begin(settings: EvalSettings) -> EvalStage:
    """Plan the stage (:func:`seedkit.eval.plan.plan_models`) and start it unless it is done already."""
    run = StageRun.for_settings(settings)
    plans, skipped, inputs = plan_models(settings)
    stage = EvalStage(settings, run, inputs, done=run.is_done(inputs), plans=plans, skipped=skipped)
    if stage.done:
        return stage
    for label, why in skipped.items():
        say(f"skipping {label}: {why}")
    if not plans:
        raise RuntimeError("07_eval: no model to evaluate: run stage 03 first (seedkit run --stages 01-03), "
                           "or set include_base=True or extra_models")
    _start_keeping_measurements(run, inputs)
    for line in chain_lines(plans):
        say(f"chain: {line}")
    return stage


def _start_keeping_measurements(run: StageRun, inputs: dict) -> None:
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


# --------------------------------------------------------------------------- measure


def measure_model(stage: EvalStage, plan: ModelPlan, set_name: str, *, progress: bool = True) -> PassCounts:
    """One model on one problem set. The evidence set (``eval_set``, ``basic`` by default) uses the
    evidence settings, so the stage that made the model (and its child) already measured it and
    this reads their file; HumanEval uses ``humaneval_*`` and is measured here."""
    settings, run, dirs = stage.settings, stage.run, list(stage.inputs.values())
    fmt = settings.prompt_format
    with run.timer(f"measure_{set_name}_{plan.label}"):  # into the manifest's timings
        if set_name == settings.eval_set:
            return measure(plan.spec, settings, run, safe_tag(plan.label), prompt_format=fmt, reuse_from=dirs,
                           progress=progress, workers=settings.workers or None, timeout_s=settings.timeout_s)
        if set_name != "humaneval":
            raise ValueError(f"set_name: {set_name!r} is neither eval_set ({settings.eval_set}) nor humaneval")
        he = settings.humaneval_settings()
        return measure(plan.spec, he, run, f"{safe_tag(plan.label)}.humaneval", prompt_format=fmt,
                       reuse_from=dirs, problems=load_humaneval(settings.humaneval_limit), progress=progress,
                       workers=settings.workers or None, timeout_s=settings.timeout_s)


def measure_set(stage: EvalStage, set_name: str, *, progress: bool = True) -> SetMeasurements:
    """Every model of the plan on one problem set (:func:`measure_model`), in chain order."""
    return SetMeasurements(set_name, {p.label: measure_model(stage, p, set_name, progress=progress)
                                      for p in stage.plans})


def _by_set(measured: Sequence[SetMeasurements]) -> dict[str, dict[str, PassCounts]]:
    return {m.set_name: m.counts for m in measured}


def measure_parent_in_child_format(stage: EvalStage, measured: Sequence[SetMeasurements], *,
                                   progress: bool = True) -> SameFormat:
    """For every model whose parent was asked in another format: the parent measured in the child's
    prompt format (``parent_in_child_format``: reuse what a stage measured, or measure it here too);
    where nobody measured the parent that way but the child's stage measured the child in the parent's
    format, that measurement instead (its ``prompt_format`` says which). The difference against it is
    the training's effect with the format held fixed."""
    settings, run, dirs = stage.settings, stage.run, list(stage.inputs.values())
    out: dict[str, dict[str, PassCounts]] = {}
    if settings.parent_in_child_format == "off":
        return SameFormat(out)
    by_label = {p.label: p for p in stage.plans}
    with run.timer("parent_in_child_format"):
        for s, by in _by_set(measured).items():
            he = settings if s == settings.eval_set else settings.humaneval_settings()
            problems = load_humaneval(settings.humaneval_limit) if s == "humaneval" else None
            suffix = "" if s == settings.eval_set else f".{s}"
            for p in stage.plans:
                parent = by_label.get(p.parent or "")
                if parent is None or p.label not in by or parent.label not in by:
                    continue
                fmt, pfmt = by[p.label].prompt_format, by[parent.label].prompt_format
                if pfmt == fmt:
                    continue
                label = f"{safe_tag(parent.label)}.as_{fmt}{suffix}"
                found = saved_measurement(parent.spec, he, run, label, prompt_format=fmt, reuse_from=dirs,
                                          problems=problems)
                if found is None:  # the other way round: the child asked in its parent's format, where its stage
                    # measured that (stage 03 on smol measures its model in the instruct base's chat format)
                    found = saved_measurement(p.spec, he, run, f"{safe_tag(p.label)}.as_{pfmt}{suffix}",
                                              prompt_format=pfmt, reuse_from=dirs, problems=problems)
                if found is None and settings.parent_in_child_format == "measure":
                    found = measure(parent.spec, he, run, label, prompt_format=fmt, reuse_from=dirs, problems=problems,
                                    progress=progress, workers=settings.workers or None, timeout_s=settings.timeout_s)
                if found is not None:
                    out.setdefault(s, {})[p.label] = found
    return SameFormat(out)


# --------------------------------------------------------------------------- assemble and finish


def assemble(stage: EvalStage, measured: Sequence[SetMeasurements], same_format: SameFormat | None = None
             ) -> EvalStageResult:
    """The table: every model's measurements per set, the chain, and the paired differences."""
    return EvalStageResult(path=stage.path, plans=stage.plans, counts=_by_set(measured), skipped=stage.skipped,
                           parent_in_child_format=same_format.counts if same_format else {})


def finish(stage: EvalStage, result: EvalStageResult | None = None) -> EvalStageResult:
    """Write summary.json, report.md and effects.png, then the manifest (last); when the stage was done
    already, read its result back."""
    try:
        if stage.done:
            return load_result(stage.run)
        if result is None:
            raise RuntimeError("07_eval: finish needs the assembled result (run the assemble cell first)")
        paths = write_outputs(stage.run, stage.settings, result)
        stage.run.finish(metrics=result.metrics())
        say(f"wrote {', '.join(p.name for p in paths.values())} and manifest.json in {stage.path}")
        return result
    finally:
        stage.close()


def run_eval(settings: EvalSettings) -> EvalStageResult:
    """Every model of the chain on the evidence set and HumanEval; summary, report, plot, manifest."""
    stage = begin(settings)
    if stage.done:
        return finish(stage)
    try:
        measured = [measure_set(stage, s) for s in stage.sets]
        same = measure_parent_in_child_format(stage, measured)
        result = assemble(stage, measured, same)
        for line in result.difference_lines() + result.against_root_lines():
            say(line)
    except BaseException:
        stage.close()
        raise
    return finish(stage, result)


__all__ = ["DEFAULT_PARENT", "MODEL_STAGES", "STAGE", "EvalStage", "EvalStageResult", "ModelPlan", "SameFormat",
           "SetMeasurements", "assemble", "begin", "chain_lines", "finish", "load_result", "markdown_rows",
           "measure_model", "measure_parent_in_child_format", "measure_set", "plan_models", "problem_sets",
           "reproduce_command", "run_eval", "write_outputs"]
