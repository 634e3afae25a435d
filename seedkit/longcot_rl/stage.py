"""Stage 06 as step functions: reasoning traces, the warm-up SFT, GRPO with execution rewards, and the
effect of each, measured.

The report trained its reasoning model from the **base** model in two steps: a warm-up SFT on long
reasoning traces whose final code was verified in a sandbox, then RL (GRPO with DAPO's settings)
rewarded by running the code. Here the base is this run's stage-03 model. The notebook calls one
step per cell and shows what it produced; :func:`run_longcot_rl` (``seedkit run``, ``seedkit train
longcot_rl``) calls the same functions, so the two cannot drift::

    stage = begin(settings)                      # inputs checked; "done already" when nothing changed
    problems = training_problems(stage)          # the RL problems and the reasoning prompt
    seeds = seed_traces(stage)                   # hand-checked traces, verified in the sandbox
    generated = generate_traces(stage, problems) # the generator's traces, verified the same way
    warm = warmup(stage, seeds, generated)       # SFT on the kept traces; saves warmup_model/
    warm_effect = measure_warmup_effect(stage)   # pass@1: warm-up - stage 03 (paired, 95% intervals)
    pool = rl_pool(stage, problems)              # the problems GRPO trains on (a probe of the warm-up model, if asked)
    config = training_config(stage)              # the GRPOConfig (the notebook builds it inline)
    rl = train(stage, pool, config)              # GRPO from the warm-up model; saves model/
    grpo_effect = measure_grpo_effect(stage)     # pass@1: GRPO - warm-up, and the stage's whole effect
    result = finish(stage)                       # warmup_data/, metrics.json, manifest

Each step returns a small dataclass (:mod:`seedkit.longcot_rl.products`: ``seeds.kept``, ``rl.steps``) and
goes through :meth:`seedkit.posttraining.stage.PostTrainingStage.step` (``StageRun.step``): its
product is saved under ``steps/<config hash>/``, so a rerun cell, a restarted kernel or a killed
stage picks up at the first step not yet done, and a changed setting or input recomputes. Under
torchrun only the main process computes the data steps and the measurements; every process trains.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.formats import reasoning_messages
from seedkit.longcot_rl import traces
from seedkit.longcot_rl.curriculum import probe_pool
from seedkit.longcot_rl.grpo import curve_summary, grpo_config, reward_curve, tensorboard_logs, train_grpo
from seedkit.longcot_rl.products import (
    GeneratedTraces,
    GRPOEffect,
    GRPORun,
    Problems,
    RLPool,
    SeedTraces,
    Warmup,
    WarmupEffect,
    effects_record,
)
from seedkit.longcot_rl.result import LongCoTRLResult, summarize
from seedkit.longcot_rl.rewards import answer_layouts, layout_line, reward_functions
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.traces import (
    DEFAULT_PROBLEMS,
    DEFAULT_SEED_TRACES,
    STAGE,
    load_problems,
    load_seed_traces,
    verify_traces,
    warmup_config,
    warmup_dataset,
    warmup_sft,
)
from seedkit.measure.effects import DETAILS_DIR, EFFECTS_DIR, PassCounts, effect, measure
from seedkit.models import LoraOptions, load_model, save_model
from seedkit.posttraining.finetune import trainable_parameters
from seedkit.posttraining.stage import PostTrainingStage, device_of, open_stage, parent_label
from seedkit.problems import GENERATED_PREFIX, load_training_problems, problem_source_files
from seedkit.runs import StageRun, is_main_process, share_stage

WARMUP_LABEL = "06_warmup"  # the warm-up model's measurement label (stage 07 names it the same)
WARMUP_DIR = "warmup_model"  # where the warm-up model is published in the stage directory (stage 07 reads it)
TRACE_COLUMNS = ("task_id", "source", "kept", "status", "tests_passed", "tests_total", "format_score", "trace")

# re-exported for callers of the old single-function stage
__all__ = ["DEFAULT_PROBLEMS", "DEFAULT_SEED_TRACES", "STAGE", "LongCoTRLResult", "begin", "finish",
           "generate_traces", "load_problems", "load_seed_traces", "measure_grpo_effect", "measure_warmup_effect",
           "rl_pool", "run_longcot_rl", "seed_traces", "train", "training_config", "training_problems",
           "verify_traces", "warmup"]


# --------------------------------------------------------------------------- the stage object


class LongCoTStage(PostTrainingStage):
    """One run of stage 06 in progress (:class:`seedkit.posttraining.stage.PostTrainingStage`)."""

    policy: tuple[Any, Any] | None = None  # the model being trained, kept between the warm-up and GRPO

    @property
    def parent_spec(self) -> str:
        return self.settings.resolved_base_model()

    @property
    def problems_path(self) -> Path:
        return Path(self.settings.problems_file) if self.settings.problems_file else DEFAULT_PROBLEMS

    @property
    def seeds_path(self) -> Path:
        return Path(self.settings.seed_traces_file) if self.settings.seed_traces_file else DEFAULT_SEED_TRACES

    @property
    def warmup_spec(self) -> str:
        """The published warm-up model (a directory spec: ``load_model`` and ``measure`` read it)."""
        return str(self.path / WARMUP_DIR)

    @property
    def problems_source(self) -> str:
        """What the problems are drawn from: ``problems_file`` when set, else ``problem_sources``."""
        return self.problems_path.name if self.settings.problems_file else self.settings.problem_sources

    def problem_pool(self) -> list[dict[str, Any]]:
        """``problems_file`` in its order, else the ``problem_sources`` (the kit's one problem loader) in a seeded order."""
        s = self.settings
        if s.problems_file:
            return load_problems(self.problems_path)
        return [p.to_dict() for p in load_training_problems(s.problem_sources, seed=s.seed)]

    def all_problems(self) -> dict[str, dict[str, Any]]:
        return {p["task_id"]: p for p in self.problem_pool()}

    def close(self) -> None:
        self.policy = None
        super().close()


def begin(settings: LongCoTRLSettings) -> LongCoTStage:
    """Resolve the stage's inputs (the stage-03 model, the problems, the seed traces, a run: trace
    generator), decide whether it is done already, and start it otherwise; prints the models it uses."""

    check_trackers(settings.report_to)
    probe = StageRun(settings)
    inputs: dict[str, Path] = {}
    for spec in sorted({settings.resolved_base_model(), settings.resolved_trace_generator()}):
        found = probe.model_input(spec) if spec != "none" else None
        if found is not None:
            inputs[found[0]] = found[1]
    seeds = Path(settings.seed_traces_file) if settings.seed_traces_file else DEFAULT_SEED_TRACES
    files = [("problems", Path(settings.problems_file), "problems_file")] if settings.problems_file else [
        (f"problems_{name}", path, "problem_sources") for name, path in problem_source_files(settings.problem_sources)]
    for name, path, setting in (*files, ("seed_traces", seeds, "seed_traces_file")):
        if not path.exists():
            raise SettingsError(f"{setting}: {path} does not exist; point it at a JSONL file (docs/contracts.md)")
        inputs[name] = path
    stage = open_stage(LongCoTStage, settings, inputs)
    stage.say(f"warms up and trains {stage.parent_spec} ("
              + ("base_model set by you" if settings.base_model else
                 "this run's stage-03 model, as in the report, whose reasoning model starts from the base")
              + f"); {'LoRA r=' + str(settings.lora_r) if settings.resolved_use_lora() else 'full fine-tuning'}; "
              f"trace generator {settings.resolved_trace_generator()}")
    return stage


def check_trackers(report_to: str) -> None:
    """A one-line error before anything loads when ``report_to`` names TensorBoard and it is not installed
    (transformers would fail only when the trainer starts, after the warm-up data is made)."""
    import importlib.util

    names = [t.strip() for t in report_to.split(",")]
    if "tensorboard" in names and importlib.util.find_spec("tensorboard") is None \
            and importlib.util.find_spec("tensorboardX") is None:
        raise SettingsError("report_to: tensorboard needs the tensorboard package (pip install tensorboard), or set "
                            "report_to='none'")


# --------------------------------------------------------------------------- 1. problems and the prompt


def training_problems(stage: LongCoTStage) -> Problems:
    """The training problems RL samples from (``max_problems`` of ``problems_file``, never the evaluation
    problems) and the reasoning prompt both the warm-up and GRPO ask with."""
    s = stage.settings

    def compute() -> Problems:
        every = stage.problem_pool()
        chosen = every[:s.max_problems] if s.max_problems else every
        generated = sum(p["task_id"].startswith(GENERATED_PREFIX) for p in chosen)
        stage.say(f"{len(chosen)} training problem(s) of {len(every)} from {stage.problems_source} "
                  f"(max_problems={s.max_problems}; {generated} of them generated by the problem families)")
        return Problems(file=stage.problems_source, in_file=len(every), problems=chosen,
                        prompt=reasoning_messages(chosen[0])[0]["content"] if chosen else "")

    return stage.step("problems", compute, product=Problems)


# --------------------------------------------------------------------------- 2. traces


def _trace_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in TRACE_COLUMNS} for r in rows]


def seed_traces(stage: LongCoTStage) -> SeedTraces:
    """The hand-checked traces of ``seed_traces_file``, each run against its problem's tests in the sandbox
    (a trace is kept only if every test passes and it has the ``<think>...</think>`` + code layout)."""
    s = stage.settings

    def compute() -> SeedTraces:
        seeds = [dict(t, source="seed") for t in load_seed_traces(stage.seeds_path)]
        rows = verify_traces(seeds, stage.all_problems(), timeout_s=s.execution_timeout_s,
                             workers=s.sandbox_workers or None)
        kept = sum(r["kept"] for r in rows)
        stage.say(f"seed traces: {kept} of {len(rows)} kept (every test passed, layout complete)")
        return SeedTraces(file=stage.seeds_path.name, rows=_trace_rows(rows), kept=kept, total=len(rows))

    return stage.step("seed_traces", compute, product=SeedTraces)


def generate_traces(stage: LongCoTStage, problems: Problems) -> GeneratedTraces:
    """``trace_samples_per_problem`` traces per training problem from the trace generator (an in-process
    model's turn is primed with ``<think>``), verified as the seeds are; none with ``trace_generator='none'``."""

    s = stage.settings

    def compute() -> GeneratedTraces:
        spec = s.resolved_trace_generator()
        if spec == "none" or s.trace_samples_per_problem == 0:
            why = ("trace_samples_per_problem=0" if s.trace_samples_per_problem == 0
                   else "trace_generator='none'" if s.trace_generator else
                   f"profile {s.profile} has no helper model (a random model writes nothing that passes)")
            stage.say(f"trace generator: none ({why}); the warm-up uses the seed traces only")
            return GeneratedTraces(generator="none", why=why, rows=[], kept=0, total=0, passed_without_layout=0,
                                   seconds=0.0)
        t0 = time.time()
        generator = stage.load_generator(spec, s.server_model)
        rows = traces.generate_traces(generator, problems.problems, n=s.trace_samples_per_problem,
                                      temperature=s.trace_temperature, max_new_tokens=s.trace_max_new_tokens)
        stage.release_models()
        rows = verify_traces(rows, stage.all_problems(), timeout_s=s.execution_timeout_s,
                             workers=s.sandbox_workers or None)
        kept = sum(r["kept"] for r in rows)
        passed_no_layout = sum(r["status"] == "passed" and not r["kept"] for r in rows)
        stage.say(f"generated traces ({spec}): {kept} of {len(rows)} kept; {passed_no_layout} passed every test but "
                  "lacked the layout (no closed <think> block before the code): dropped, since SFT on them would "
                  "teach answering without reasoning")
        return GeneratedTraces(generator=spec, why="the profile's helper model" if not s.trace_generator else "set by you",
                               rows=_trace_rows(rows), kept=kept, total=len(rows), passed_without_layout=passed_no_layout,
                               seconds=round(time.time() - t0, 1))

    return stage.step("generated_traces", compute, product=GeneratedTraces)


def kept_traces(seeds: SeedTraces, generated: GeneratedTraces) -> list[dict[str, Any]]:
    return [r for r in seeds.rows + generated.rows if r["kept"]]


# --------------------------------------------------------------------------- 3. the warm-up


def load_parent(stage: LongCoTStage) -> tuple[Any, Any]:
    """The stage-03 model the warm-up starts from, with fresh LoRA adapters unless training in full."""

    s = stage.settings
    prof = s.profile_info
    lora = LoraOptions(r=s.lora_r, alpha=2 * s.lora_r) if s.resolved_use_lora() else None
    return load_model(stage.parent_spec, device=prof.device, dtype=stage.training_dtype(lora is not None),
                      load_in_4bit=prof.load_in_4bit, lora=lora, runs_dir=stage.run.runs_dir)


def warmup(stage: LongCoTStage, seeds: SeedTraces, generated: GeneratedTraces, config: Any = None) -> Warmup:
    """SFT of the stage-03 model on the kept traces (prompt = the reasoning turn, loss on the trace only);
    the model is saved as ``warmup_model/`` and stays in memory for GRPO. ``config``: a TRL ``SFTConfig``
    (None = :func:`seedkit.longcot_rl.traces.warmup_config`)."""

    s = stage.settings
    target = stage.step_dir() / WARMUP_DIR

    def compute() -> Warmup:
        kept = kept_traces(seeds, generated)
        if not kept:
            raise SettingsError("no warm-up trace passed its tests: check seed_traces_file and the sandbox "
                                "(seedkit doctor)")
        ds = warmup_dataset(kept, stage.all_problems())
        stage.release_models()
        model, tok = load_parent(stage)
        trainable, total = trainable_parameters(model)
        cfg = config if config is not None else warmup_config(s, output_dir=stage.path / "checkpoints" / "warmup",
                                                              device=device_of(s), n_examples=len(ds))
        by_source = {src: sum(r["source"] == src for r in kept) for src in ("seed", "generated")}
        stage.say(f"warm-up SFT: {cfg.max_steps} steps of {cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps}"
                  f" traces on {len(ds)} kept traces ({by_source}), {trainable:,} of {total:,} parameters trained")
        t0 = time.time()
        with tensorboard_logs(stage.path / "tensorboard" / "warmup", cfg):
            log = warmup_sft(model, tok, ds, cfg)
        seconds = time.time() - t0
        if log:
            stage.say(f"warm-up SFT: loss {log[0]['loss']:.3f} -> {log[-1]['loss']:.3f} in {seconds:.0f} s")
        save_model(model, tok, target, base_spec=stage.parent_spec if s.resolved_use_lora() else None,
                   runs_dir=stage.run.runs_dir)
        stage.policy = (model, tok)
        return Warmup(log_history=log, examples=len(ds), by_source=by_source, train_seconds=round(seconds, 1),
                      trainable_parameters=trainable, total_parameters=total)

    value = stage.step("warmup", compute, shared=False, product=Warmup)
    _publish(stage, target, WARMUP_DIR)
    return value


def _publish(stage: LongCoTStage, saved: Path, name: str) -> None:
    """Link a model a step saved (inside ``steps/``) to ``<stage>/<name>``."""

    if not is_main_process():
        return
    if not saved.exists():
        raise RuntimeError(f"{stage.name}: the step is recorded but its model {saved} is missing; delete "
                           f"{stage.step_dir()} or rerun with force=True")
    share_stage(saved, stage.path / name)


def load_policy(stage: LongCoTStage) -> tuple[Any, Any]:
    """The warm-up model, ready for GRPO: the one in memory, else read back from the warm-up step (its LoRA
    adapter loaded trainable on its own base, so GRPO continues the same adapter)."""

    if stage.policy is not None:
        return stage.policy
    s = stage.settings
    prof = s.profile_info
    saved = stage.step_dir() / WARMUP_DIR
    if not saved.exists():
        raise RuntimeError(f"{stage.name}: no warm-up model in {saved}; run the warm-up step first")
    if not s.resolved_use_lora():
        return load_model(str(saved), device=prof.device, dtype=stage.training_dtype(False), runs_dir=stage.run.runs_dir)
    return load_model(str(saved), device=prof.device, dtype=stage.training_dtype(True), load_in_4bit=prof.load_in_4bit,
                      continue_adapter=True, runs_dir=stage.run.runs_dir)


def rl_pool(stage: LongCoTStage, problems: Problems) -> RLPool:
    """The problems GRPO trains on. With ``rl_pool_candidates`` the warm-up model first answers that many problems
    ``rl_pool_samples`` times (the RL temperature and first completion length), every answer is run against its
    tests, and only problems whose answers earned different execution rewards are kept (up to ``max_problems``):
    a group whose answers all fail, or all pass, gives that reward no advantage. Without it: ``problems``.
    The probe asks as the warm-up traces were generated (an in-process model's turn starts with ``<think>``),
    which the warm-up model writes first on its own in GRPO's rollouts."""

    s = stage.settings
    if not s.rl_pool_candidates:  # nothing to compute or save; kept on the stage for finish() all the same
        why = f"rl_pool_candidates=0: GRPO trains on the {len(problems.problems)} problem(s) the traces were written for"
        stage.products["rl_pool"] = RLPool(problems=problems.problems, reason=why)
        return stage.products["rl_pool"]

    def compute() -> RLPool:
        t0 = time.time()
        candidates = stage.problem_pool()[:s.rl_pool_candidates]
        stage.policy = None  # the probe loads the saved warm-up model to generate; GRPO reads it back afterwards
        generator = stage.load_generator(stage.warmup_spec)
        rows = traces.generate_traces(generator, candidates, n=s.rl_pool_samples, temperature=s.temperature,
                                      max_new_tokens=s.max_completion_lengths[0])
        stage.release_models()
        rows = verify_traces(rows, {p["task_id"]: p for p in candidates}, timeout_s=s.execution_timeout_s,
                             workers=s.sandbox_workers or None)
        decision = probe_pool(candidates, rows, want=s.max_problems,
                              min_pool=max(1, s.rl_global_batch // s.num_generations))
        stage.say(f"RL pool: {decision.reason}")
        return RLPool(problems=decision.kept, reason=decision.reason, candidates=len(candidates),
                      samples=s.rl_pool_samples, dropped=decision.dropped, rows=_trace_rows(rows),
                      seconds=round(time.time() - t0, 1))

    return stage.step("rl_pool", compute, product=RLPool)


# --------------------------------------------------------------------------- 4. effects


def _parent_measurements(stage: LongCoTStage) -> tuple[Any, Any]:
    """The stage-03 model measured as it was trained (``auto``: completion for a base model; reused from
    stage 03's directory when its evidence settings match) and in the reasoning format, the format every
    stage-06 model is asked in: the same-format difference isolates what training changed."""

    s = stage.settings
    label = parent_label(stage.parent_spec)
    found = stage.run.model_input(stage.parent_spec)
    reuse = [found[1]] if found else None
    as_trained = measure(stage.parent_spec, s, stage.run, label, reuse_from=reuse)
    if as_trained.prompt_format == "reasoning":
        return as_trained, as_trained
    reasoning = measure(stage.parent_spec, s, stage.run, f"{label}_reasoning", prompt_format="reasoning",
                        reuse_from=reuse)
    return as_trained, reasoning


def _keep_measurements(stage: LongCoTStage, product: WarmupEffect | GRPOEffect) -> None:
    """Write back ``effects/<label>.json`` from a reused step product: ``StageRun.start`` empties the stage
    directory when a stage restarts, and stage 07 reuses these files."""

    if not is_main_process():
        return
    for label, d in product.measurements.items():
        path = stage.path / EFFECTS_DIR / f"{label}.json"
        if not path.exists():
            PassCounts.from_dict(d).save(path)


def measure_warmup_effect(stage: LongCoTStage) -> WarmupEffect | None:
    """pass@1 of the warm-up model and of the stage-03 model on the evidence problems, and their paired
    difference: ``warmup_vs_parent`` with both asked in the reasoning format (what the warm-up changed),
    ``warmup_vs_parent_as_trained`` with the parent asked as it was trained (format change included).
    Main process only (None elsewhere)."""

    if not is_main_process():
        return None

    def compute() -> WarmupEffect:
        s = stage.settings
        stage.release_models()
        as_trained, reasoning = _parent_measurements(stage)
        label = parent_label(stage.parent_spec)
        warm = measure(stage.warmup_spec, s, stage.run, WARMUP_LABEL, prompt_format="reasoning")
        same = effect(warm, reasoning, f"{label} (reasoning)", WARMUP_LABEL, print_fn=stage.say)
        other = (effect(warm, as_trained, f"{label} ({as_trained.prompt_format})", WARMUP_LABEL, print_fn=stage.say)
                 if as_trained is not reasoning else None)
        return WarmupEffect(warmup_vs_parent=same, warmup_vs_parent_as_trained=other,
                            parent_formats=_format_comparison(as_trained, reasoning),
                            measurements={c.label: c.to_dict() for c in (as_trained, reasoning, warm)},
                            layout=_layouts(stage, reasoning, warm))

    value = stage.step("warmup_effect", compute, shared=False, measures=True, product=WarmupEffect)
    _keep_measurements(stage, value)
    stage.say(layout_line(value.layout))  # also when the step's product is read back from disk
    return value


def _layouts(stage: LongCoTStage, *measured: PassCounts) -> dict[str, dict[str, Any]]:
    """How many of each model's measured answers are in the complete reasoning layout."""
    return answer_layouts(stage.path / EFFECTS_DIR / DETAILS_DIR, [c.label for c in measured])


def _format_comparison(as_trained: Any, reasoning: Any) -> dict[str, Any] | None:
    """The parent in its own format against the reasoning format, paired: how much of a difference the
    format alone makes (why the same-format comparison is the one that isolates training)."""

    if as_trained is reasoning:
        return None
    return effect(reasoning, as_trained, f"parent ({as_trained.prompt_format})", "parent (reasoning)", print_fn=None)


def measure_grpo_effect(stage: LongCoTStage) -> GRPOEffect | None:
    """pass@1 of the GRPO model against the warm-up model (``grpo_vs_warmup``, both in the reasoning
    format: what RL changed), and the stage's whole effect against the stage-03 model (``stage_vs_parent``
    in the same format, ``stage_vs_parent_as_trained`` with the parent as it was trained). Main process
    only (None elsewhere)."""

    if not is_main_process():
        return None

    def compute() -> GRPOEffect:
        s = stage.settings
        stage.release_models()
        label = parent_label(stage.parent_spec)
        warm = measure(stage.warmup_spec, s, stage.run, WARMUP_LABEL, prompt_format="reasoning")
        after = measure(stage.model_spec, s, stage.run, STAGE, prompt_format="reasoning")
        grpo = effect(after, warm, WARMUP_LABEL, STAGE, print_fn=stage.say)
        as_trained, reasoning = _parent_measurements(stage)
        whole = effect(after, reasoning, f"{label} (reasoning)", STAGE, print_fn=stage.say)
        whole_as_trained = (effect(after, as_trained, f"{label} ({as_trained.prompt_format})", STAGE,
                                   print_fn=stage.say) if as_trained is not reasoning else None)
        return GRPOEffect(grpo_vs_warmup=grpo, stage_vs_parent=whole, stage_vs_parent_as_trained=whole_as_trained,
                          measurements={c.label: c.to_dict() for c in (warm, after, as_trained, reasoning)},
                          layout=_layouts(stage, warm, after))

    value = stage.step("grpo_effect", compute, shared=False, measures=True, product=GRPOEffect)
    _keep_measurements(stage, value)
    stage.say(layout_line(value.layout))  # also when the step's product is read back from disk
    return value


# --------------------------------------------------------------------------- 5. GRPO


def training_config(stage: LongCoTStage) -> Any:
    """The GRPOConfig of :func:`train` (the notebook builds the same one inline, argument by argument)."""

    return grpo_config(stage.settings, output_dir=stage.path / "checkpoints" / "grpo", device=device_of(stage.settings))


def train(stage: LongCoTStage, problems: Problems | RLPool, config: Any = None,
          reward_funcs: list[Any] | None = None) -> GRPORun:
    """GRPO from the warm-up model over the training problems, with the length schedule and the
    solved-problem filter; the model is saved as ``run:<run>/06_longcot_rl``.

    ``config``: a TRL ``GRPOConfig`` (the notebook builds it inline; None = :func:`training_config`);
    ``reward_funcs``: TRL reward functions in the order of ``config.reward_weights`` (the notebook
    writes them out; None = :func:`seedkit.longcot_rl.rewards.reward_functions`).
    """

    s = stage.settings
    target = stage.step_dir() / "model"

    def compute() -> GRPORun:
        stage.release_models()
        model, tok = load_policy(stage)
        cfg = config if config is not None else training_config(stage)
        funcs = reward_funcs if reward_funcs is not None else reward_functions(s)[0]
        trainable, total = trainable_parameters(model)
        t0 = time.time()
        history = train_grpo(model, tok, problems.problems, s, cfg, funcs,
                             output_dir=stage.path / "checkpoints" / "grpo",
                             tensorboard_dir=stage.path / "tensorboard" / "grpo")
        seconds = time.time() - t0
        save_model(model, tok, target, base_spec=stage.parent_spec if s.resolved_use_lora() else None,
                   runs_dir=stage.run.runs_dir)
        stage.policy = None
        curve = reward_curve(history.rollouts, window=s.reward_window)
        return GRPORun(steps=history.steps, rollouts=history.rollouts, curriculum=history.curriculum,
                       rounds=history.rounds, train_seconds=round(seconds, 1), reward_curve=curve,
                       execution_curve=reward_curve(history.rollouts, window=s.reward_window, key="execution_reward"),
                       trainable_parameters=trainable, total_parameters=total,
                       config=history.rounds[0]["config"] if history.rounds else {},
                       rollout_paths=sorted({r["rollouts"] for r in history.rounds}))

    value = stage.step("grpo", compute, shared=False, product=GRPORun)
    stage.publish_model(target)
    return value


# --------------------------------------------------------------------------- 6. finish


def finish(stage: LongCoTStage) -> LongCoTRLResult:
    """Write warmup_data/, metrics.json and the manifest (its metrics name the parent model, the warm-up
    model and every effect); when the stage was done already, read it back."""
    import shutil

    try:
        if stage.done:
            return LongCoTRLResult.load(stage.path)
        s = stage.settings
        problems: Problems = stage.need("problems")
        seeds: SeedTraces = stage.need("seed_traces")
        generated: GeneratedTraces = stage.need("generated_traces")
        warm: Warmup = stage.need("warmup")
        grpo: GRPORun = stage.need("grpo")
        warm_effect: WarmupEffect | None = stage.products.get("warmup_effect")
        grpo_effect: GRPOEffect | None = stage.products.get("grpo_effect")
        pool: RLPool | None = stage.products.get("rl_pool")
        traces = seeds.rows + generated.rows
        curve = grpo.reward_curve
        metrics_json = {
            "model_spec": stage.model_spec, "parent_model": stage.parent_spec, "warmup_model": WARMUP_DIR,
            "problems": {"file": problems.file, "in_file": problems.in_file, "prompt": problems.prompt,
                         "task_ids": [p["task_id"] for p in problems.problems]},
            "traces": traces, "generator": generated.record(),
            "warmup": asdict(warm), "rl": grpo.history.to_dict(), "rl_config": grpo.config, "reward_curve": curve,
            "execution_curve": grpo.execution_curve,
            "rl_pool": asdict(pool) if pool else {},
            "effects": {"warmup": effects_record(warm_effect), "grpo": effects_record(grpo_effect)},
            "report_comparison": s.report_comparison(),
        }
        if is_main_process():
            stage.run.save_dataset("warmup_data", warmup_dataset(kept_traces(seeds, generated), stage.all_problems()))
            stage.run.save_json("metrics.json", metrics_json)
            shutil.rmtree(stage.path / "checkpoints", ignore_errors=True)
        summary = summarize(warm, grpo, traces, pool)
        metrics = {
            "parent_model": stage.parent_spec, "warmup_model": WARMUP_DIR, **summary,
            "reward_curve": curve_summary(curve),
            "effect": grpo_effect and (grpo_effect.stage_vs_parent_as_trained or grpo_effect.stage_vs_parent),
            "effect_same_format": grpo_effect and grpo_effect.stage_vs_parent,
            "effect_warmup": warm_effect and warm_effect.warmup_vs_parent,
            "effect_grpo": grpo_effect and grpo_effect.grpo_vs_warmup,
            "answers_in_layout": {**(warm_effect.layout if warm_effect else {}),
                                  **(grpo_effect.layout if grpo_effect else {})},
            "deviations_from_report": [f"{r['setting']}: {r['kit']} (report: {r['report']}; {r['why']})"
                                       for r in s.deviations()],
        }
        stage.run.finish(metrics=metrics)
        if is_main_process():
            stage.say(f"saved the model as {stage.model_spec} (warm-up model: {WARMUP_DIR}/)")
        return LongCoTRLResult.load(stage.path)
    finally:
        stage.close()


def run_longcot_rl(settings: LongCoTRLSettings) -> LongCoTRLResult:
    """Stage 06 end to end (the notebook's steps), or its results when it is done already. Both models are
    trained before either is measured, so that under torchrun the processes train together while the
    main process alone measures afterwards."""
    stage = begin(settings)
    if stage.done:
        return finish(stage)
    try:
        problems = training_problems(stage)
        seeds = seed_traces(stage)
        generated = generate_traces(stage, problems)
        warmup(stage, seeds, generated)
        train(stage, rl_pool(stage, problems))
        measure_warmup_effect(stage)
        measure_grpo_effect(stage)
    except BaseException:
        stage.close()
        raise
    return finish(stage)
