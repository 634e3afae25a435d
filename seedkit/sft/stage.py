"""Stage 04 as step functions: synthesise, filter, judge and verify instruction data, fine-tune, measure.

The notebook calls one step per cell and shows what it produced; :func:`run_sft` (``seedkit run``,
``seedkit train sft``) calls the same functions in the same order, so the two cannot drift::

    stage = begin(settings)                 # inputs checked; "done already" when nothing changed
    seeds = select_seeds(stage)             # top-scored snippets of stage 02 + seed instructions
    candidates = synthesize(stage, seeds)   # the generator writes task, solution, tests per seed
    filtered = filter_items(stage, candidates)      # parse, exact/near dedup, decontamination
    judged = judge_items(stage, filtered)   # difficulty + correctness ratings, the filter decision
    verified = verify_items(stage, judged)  # sandbox, with self-correction
    data = build_dataset(stage, verified)   # sft / held_for_dpo split + the kit's training problems
    trained = train(stage, data)            # TRL SFT (config built inline in the notebook)
    effect = measure_effect(stage)          # pass@1 and held-out answer loss, parent vs child
    result = finish(stage)                  # data/, dropped/, stats.json, metrics.json, manifest

Every step goes through :meth:`seedkit.runs.StageRun.step`: its product is saved under
``steps/<config hash>/`` so that a rerun cell, a restarted kernel or a killed stage picks up at the
first step not yet done, and a changed setting or input recomputes. The trained model is saved
inside its step (``steps/<hash>/model``) and linked to ``model/``, loadable as ``run:<run>/04_sft``.
Under torchrun only the main process computes the data steps; the others wait for its products
and then train alongside it.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from seedkit.files import read_jsonl
from seedkit.formats import problem_message
from seedkit.measure.effects import DETAILS_DIR, EFFECTS_DIR, effect, evidence_problems, measure
from seedkit.models import LoraOptions, load_model, save_model
from seedkit.posttraining.answer_loss import answer_losses, loss_effect, reference_answer
from seedkit.posttraining.finetune import chat_dataset, fit, sft_config, trainable_parameters
from seedkit.posttraining.stage import (
    PostTrainingStage,
    adapter_base_spec,
    continue_or_add_adapter,
    device_of,
    open_stage,
    plain_log,
    tensorboard_dir,
)
from seedkit.problems import GENERATED_PREFIX, Problem, load_training_problems
from seedkit.runs import StageRun, is_main_process, load_dataset_dir
from seedkit.sandbox import Job, Limits, run_jobs
from seedkit.sft import docstrings, filters, judge, seeds, synthesis, verify
from seedkit.sft.products import (
    Candidates,
    Comparison,
    Effect,
    Filtered,
    FunnelRow,
    Judged,
    JudgeRatings,
    Seeds,
    Training,
    TrainingSet,
    Verified,
)
from seedkit.sft.result import STAGE, SFTResult, items_dataset
from seedkit.sft.settings import SFTSettings
from seedkit.sft.synthesis import SFTItem

FILTER_STEPS = ("parse", "exact_dedup", "near_dedup", "decontam", "judge", "verify")
ITEM_COLUMNS = ("id", "source", "style", "instruction", "solution", "tests", "entry_point", "judge_score",
                "difficulty", "verified", "attempts", "split")


# --------------------------------------------------------------------------- the stage object


class SFTStage(PostTrainingStage):
    """One run of stage 04 in progress (:class:`seedkit.posttraining.stage.PostTrainingStage`)."""

    @property
    def parent_spec(self) -> str:
        return self.settings.resolved_base_model()

    def generator(self) -> Any:
        return self.load_generator(self.settings.resolved_generator(), self.settings.server_model)

    def judge(self) -> Any:
        return self.load_generator(self.settings.resolved_judge(), self.settings.server_model)


def begin(settings: SFTSettings) -> SFTStage:
    """Resolve the stage's inputs (stage 02's scored files, the stage-03 model and any run: models),
    decide whether it is done already, and start it otherwise; prints the models it will use."""

    probe = StageRun(settings)
    inputs: dict[str, Path] = {"02_llm_filter": probe.input("02_llm_filter", settings.scored_input or None)}
    for spec in sorted({settings.resolved_base_model(), settings.resolved_generator(), settings.resolved_judge()}):
        found = probe.model_input(spec)
        if found is not None:
            inputs[found[0]] = found[1]
    stage = open_stage(SFTStage, settings, inputs)
    stage.say(f"fine-tunes {stage.parent_spec} ("
              + ("base_model set by you" if settings.base_model else "this run's stage-03 model, as in the report")
              + f"); generator {settings.resolved_generator()}; judge {settings.resolved_judge()}; method "
              f"{settings.finetune_method}")
    return stage


# --------------------------------------------------------------------------- 1. seeds


def select_seeds(stage: SFTStage) -> Seeds:
    """Top-scored Python snippets of stage 02's ``scored/`` (one per file first) and the seed instructions."""

    s = stage.settings

    def compute() -> Seeds:
        rows = _scored_rows(stage)
        code, counts = seeds.select_code_seeds(rows, s.num_code_seeds, s.min_seed_quality, s.seed_min_lines,
                                               s.seed_max_lines)
        instr = (seeds.load_seed_instructions(s.seed_instructions_file, s.num_seed_instructions)
                 if s.num_seed_instructions > 0 else [])
        own = [seeds.problem_seed(p) for p in _problem_share(s)[:s.own_solution_problems]]
        print(f"[04_sft] seeds: {len(code)} code snippets from {counts['files']} scored files (highest quality "
              f"first, {counts['not_python']} non-Python files skipped), {len(instr)} seed instructions"
              + (f", {len(own)} training problems for the generator's own solutions (own_solution_problems)"
                 if own else ""))
        instr += own
        return Seeds(code=code, instructions=instr, corpus=counts)

    return stage.step("seeds", compute, product=Seeds)


def _problem_share(s: SFTSettings, order: list[Problem] | None = None) -> list[Problem]:
    """SFT's share of the training problems: the first ``train_problems_fraction`` of ``problem_sources`` in a
    seeded order (the rest is stage 05's)."""
    order = order if order is not None else load_training_problems(s.problem_sources, language=None, seed=s.seed)
    return order[:int(round(len(order) * s.train_problems_fraction))]


def _scored_rows(stage: SFTStage) -> list[dict[str, Any]]:

    scored = load_dataset_dir(stage.inputs["02_llm_filter"] / "scored")
    cols = [c for c in ("id", "repo", "path", "language", "content", "quality_score") if c in scored.column_names]
    return [dict(r) for r in scored.select_columns(cols)]


# --------------------------------------------------------------------------- 2. synthesis


def synthesize(stage: SFTStage, seeds: Seeds) -> Candidates:
    """The generator writes one item per seed (task + solution + tests for code seeds, a solution for
    seed instructions) in a sampled style; docstring-to-implementation pairs are mined from the corpus."""

    s = stage.settings

    def compute() -> Candidates:
        all_seeds = seeds.all()
        items = synthesis.generate_items(stage.generator(), all_seeds, synthesis.load_styles(s.styles_file),
                                         temperature=s.generation_temperature,
                                         max_new_tokens=s.generation_max_new_tokens, seed=s.seed) if all_seeds else []
        pairs, mined = docstrings.mine_corpus(_scored_rows(stage), s.max_docstring_items)
        items += [SFTItem(id=p.id, source="docstring", style="docstring", instruction=p.instruction,
                          solution=p.solution, tests=p.tests, entry_point=p.entry_point, seed_id=p.origin)
                  for p in pairs]
        sources: dict[str, int] = {}
        for it in items:
            sources[it.source] = sources.get(it.source, 0) + 1
        print(f"[04_sft] candidates: {sources} (docstring mining: {mined})")
        return Candidates(items=items, sources=sources, docstring_mining=mined)

    return stage.step("synthesis", compute, product=Candidates)


# --------------------------------------------------------------------------- 3. rule filters


def _funnel_row(name: str, current: list[SFTItem], gone: list[SFTItem], kept: list[SFTItem]) -> FunnelRow:

    row = FunnelRow(step=name, n_in=len(current), removed=len(gone), out=len(kept), reasons=filters.reason_counts(gone))
    print(f"[04_sft] filter {name}: {len(current)} in, {len(gone)} removed" + (f" {row.reasons}" if gone else ""))
    return row


def filter_items(stage: SFTStage, candidates: Candidates) -> Filtered:
    """parse, exact dedup, near dedup, decontamination: each a verdict and a reason per item."""

    s = stage.settings

    def compute() -> Filtered:
        items = copy.deepcopy(candidates.items)  # the steps mark items in place; the input product stays as it was
        dropped: list[SFTItem] = []
        funnel = []
        decon = filters.Decontaminator(ngram=s.decontam_ngram)
        for name, verdicts in (
            ("parse", lambda xs: [filters.parse_verdict(it) for it in xs]),
            ("exact_dedup", filters.exact_dedup),
            ("near_dedup", lambda xs: filters.near_dedup(xs, s.near_dup_threshold)),
            ("decontam", lambda xs: [decon.verdict(it) for it in xs]),
        ):
            kept, gone = filters.apply(items, verdicts(items), name)
            funnel.append(_funnel_row(name, items, gone, kept))
            dropped += gone
            items = kept
        return Filtered(kept=items, dropped=dropped, funnel=funnel)

    return stage.step("filters", compute, product=Filtered)


# --------------------------------------------------------------------------- 4. judge


def judge_items(stage: SFTStage, filtered: Filtered) -> Judged:
    """The judge rates each item's difficulty and correctness (0-10); whether its difficulty ratings
    carry signal is measured against the solution's size, and the filter rule follows from that."""

    s = stage.settings

    def compute() -> Judged:
        items = copy.deepcopy(filtered.kept)
        method = judge.judge_items(stage.judge(), items) if items else judge.judge_method(stage.judge())
        proxies = [judge.difficulty_proxy(it.solution) for it in items]
        signal = judge.judge_signal([it.difficulty for it in items], proxies)
        rule, why = judge.decide_filter(s.judge_filter, signal, s.judge_min_difficulty, s.judge_drop_bottom_fraction)
        threshold, cut_why = filters.judge_threshold([it.difficulty for it in items], rule, s.judge_min_difficulty,
                                                     s.judge_drop_bottom_fraction)
        print(f"[04_sft] judge ({method}): {why}" + (f"; threshold {threshold:.3g} ({cut_why})" if threshold else ""))
        kept, gone = filters.apply(items, [filters.judge_verdict(it, threshold, s.keep_unjudged) for it in items], "judge")
        ratings = JudgeRatings(method=method, rule=rule, why=why, threshold=threshold,
                               difficulty=[it.difficulty for it in items], correctness=[it.judge_score for it in items],
                               proxy=proxies, signal=signal)
        return Judged(kept=kept, dropped=gone, funnel=[_funnel_row("judge", items, gone, kept)], ratings=ratings)

    return stage.step("judge", compute, product=Judged)


# --------------------------------------------------------------------------- 5. verification


def verify_items(stage: SFTStage, judged: Judged) -> Verified:
    """Tests for mined functions without doctests (kept only when the corpus's code passes them), then
    every item against its tests in the sandbox, failing generated items corrected and run again."""

    s = stage.settings

    def compute() -> Verified:
        items = copy.deepcopy(judged.kept)
        gen = stage.generator()
        doc_tests = (verify.add_generated_tests(items, generator=gen, workers=s.sandbox_workers)
                     if s.tests_for_docstring_items else {"asked": 0})
        vstats = verify.verify_items(items, generator=gen, max_correction_rounds=s.max_correction_rounds,
                                     temperature=s.generation_temperature, max_new_tokens=s.correction_max_new_tokens,
                                     workers=s.sandbox_workers)
        # the correctness rating against the sandbox, on items with real tests (a mined function checked only by
        # `assert callable(f)` passes whatever it does)
        tested = [it for it in items if not it.tests.startswith(verify.SMOKE_TEST_PREFIX)]
        correctness = judge.separation([it.judge_score for it in tested],
                                       [it.verified and it.attempts == 1 for it in tested])
        print(f"[04_sft] verification: {vstats['passed']} of {vstats['checked']} passed "
              f"({vstats['rescued_by_correction']} after self-correction); judge correctness rating: {correctness['why']}")
        kept, gone = filters.apply(items, [filters.Verdict(it.verified, "" if it.verified else f"failed_{it.verify_status}")
                                           for it in items], "verify")
        return Verified(kept=kept, dropped=gone, funnel=[_funnel_row("verify", items, gone, kept)], verification=vstats,
                        docstring_tests=doc_tests, correctness_signal=correctness)

    return stage.step("verify", compute, product=Verified)


# --------------------------------------------------------------------------- 6. the training set


def build_dataset(stage: SFTStage, verified: Verified) -> TrainingSet:
    """Split the verified items (a share with real tests held back for stage 05's pairs) and add the
    kit's training problems chosen for SFT (reference solutions, asked as the evaluation asks; checked
    against the evaluation problems and run against their tests like every other item)."""

    s = stage.settings

    def compute() -> TrainingSet:
        items = copy.deepcopy(verified.kept)
        rng = random.Random(s.seed)
        with_tests = [i for i, it in enumerate(items) if not it.tests.startswith(verify.SMOKE_TEST_PREFIX)]
        rng.shuffle(with_tests)
        n_held = int(round(len(with_tests) * s.held_for_dpo_fraction))
        held = set(with_tests[:n_held])
        for i, it in enumerate(items):
            it.split = "held_for_dpo" if i in held else "sft"
        # the kit's training problems (problem_sources): a seeded share for SFT, the rest left for stage 05
        order = load_training_problems(s.problem_sources, language=None, seed=s.seed)
        chosen = _problem_share(s, order)
        decon = filters.Decontaminator(ngram=s.decontam_ngram)
        extra = [SFTItem(id=p.task_id, source="train_problem", style="evaluation_format", instruction=problem_message(p),
                         solution=p.reference, tests=p.tests, entry_point=p.entry_point, seed_id=p.task_id,
                         raw_output=reference_answer(p)) for p in chosen]
        contaminated = [it for it in extra if not decon.verdict(it).keep]
        extra = [it for it in extra if it not in contaminated]
        if extra:

            results = run_jobs([Job(program=it.solution, tests=it.tests, language="python", entry_point=it.entry_point,
                                    limits=Limits(wall_s=10.0, cpu_s=10.0)) for it in extra],
                               workers=s.sandbox_workers, progress=False)
            for it, r in zip(extra, results, strict=True):
                it.verified, it.attempts, it.verify_status, it.split = r.status == "passed", 1, str(r.status), "sft"
        failing = [it.id for it in extra if not it.verified]
        extra = [it for it in extra if it.verified]
        all_items = items + extra
        stats = {"total": len(all_items), "sft": sum(it.split == "sft" for it in all_items), "held_for_dpo": n_held,
                 "by_source": {src: sum(it.source == src for it in all_items)
                               for src in ("generated", "seed", "docstring", "train_problem")},
                 "problem_sources": s.problem_sources,
                 "train_problems_by_source": _by_source(it.id for it in extra),
                 "train_problems_for_sft": [it.id for it in extra],
                 "train_problems_left_for_dpo": [p.task_id for p in order[len(chosen):]],
                 "train_problems_dropped": {"contaminated": [it.id for it in contaminated], "failed_tests": failing}}
        print(f"[04_sft] training set: {stats['sft']} items ({stats['by_source']}; training problems by source "
              f"{stats['train_problems_by_source']}, from {s.problem_sources!r}); {n_held} verified items held back "
              f"for stage 05; {len(stats['train_problems_left_for_dpo'])} training problems left for stage 05")
        if contaminated or failing:
            print(f"[04_sft] training problems dropped: {stats['train_problems_dropped']}")
        return TrainingSet(items=all_items, stats=stats)

    return stage.step("dataset", compute, product=TrainingSet)


def _by_source(task_ids: Any) -> dict[str, int]:
    """How many of the task ids come from the generated families and how many from elsewhere (train.jsonl, a file)."""
    ids = list(task_ids)
    generated = sum(t.startswith(GENERATED_PREFIX) for t in ids)
    return {"generated": generated, "other": len(ids) - generated}


def training_dataset(data: TrainingSet) -> Any:
    """The ``sft`` split as TRL conversational prompt-completion rows (loss on the completion only)."""

    return chat_dataset(data.sft_items())


# --------------------------------------------------------------------------- 7. training


def training_config(stage: SFTStage, **overrides: Any) -> Any:
    """The SFTConfig of :func:`train` (the notebook builds the same one inline, argument by argument)."""

    s = stage.settings
    return sft_config(output_dir=str(stage.path / "checkpoints"), device=device_of(s), dtype=s.profile_info.dtype,
                      global_batch=s.global_batch_size, per_device_max=s.per_device_batch_max,
                      learning_rate=s.learning_rate, max_steps=s.max_steps, num_epochs=s.num_epochs,
                      max_length=s.max_length, packing=s.packing, seed=s.seed, report_to=s.report_to,
                      gradient_checkpointing=s.gradient_checkpointing, **overrides)


def load_parent(stage: SFTStage) -> tuple[Any, Any]:
    """The model SFT starts from (stage 03's), ready to train: LoRA adapters for lora/qlora (the parent's
    own adapter when it is one kept over a 4-bit base, see :func:`seedkit.posttraining.stage.continue_or_add_adapter`)."""

    s = stage.settings
    prof = s.profile_info
    model, tok = load_model(stage.parent_spec, device=prof.device, dtype=stage.training_dtype(s.finetune_method == "lora"),
                            runs_dir=stage.run.runs_dir, load_in_4bit=s.finetune_method == "qlora")
    if s.finetune_method in ("lora", "qlora"):
        model = continue_or_add_adapter(model, LoraOptions(r=s.lora_r, alpha=s.lora_alpha), say=stage.say)
    return model, tok


def train(stage: SFTStage, data: TrainingSet, config: Any = None) -> Training:
    """TRL SFT of the parent model on the ``sft`` split; the model is saved as ``run:<run>/04_sft``.

    ``config``: a TRL ``SFTConfig`` (the notebook builds it inline); None = :func:`training_config`.
    """

    target = stage.step_dir() / "model"

    def compute() -> Training:
        ds = training_dataset(data)
        if len(ds) == 0:
            raise ValueError("04_sft: no training items passed the filters; raise num_seed_instructions or "
                             "train_problems_fraction, or loosen judge_filter")
        stage.release_models()
        model, tok = load_parent(stage)
        trainable, total = trainable_parameters(model)
        cfg = config if config is not None else training_config(stage)
        print(f"[04_sft] training {trainable:,} of {total:,} parameters on {len(ds)} examples (loss on the answer "
              f"tokens only)")
        t0 = time.time()
        with tensorboard_dir(stage, cfg):
            history = fit(model, tok, ds, cfg)
        seconds = time.time() - t0
        save_model(model, tok, target, base_spec=adapter_base_spec(model, stage.parent_spec, stage.run.runs_dir),
                   runs_dir=stage.run.runs_dir)
        del model
        return Training(model_spec=stage.model_spec, log_history=plain_log(history), train_seconds=round(seconds, 1),
                        examples=len(ds), trainable_parameters=trainable, total_parameters=total)

    value = stage.step("train", compute, shared=False, product=Training)
    stage.publish_model(target)
    return value


# --------------------------------------------------------------------------- 8. the effect


def measure_effect(stage: SFTStage) -> Effect | None:
    """pass@1 of the parent and of the SFT model on the same problems (the parent's measurement reused
    from its own stage directory), their paired difference, and the held-out answer loss before and
    after; a few answers side by side. When the two are asked in different formats (a base parent
    continues the prompt, the SFT model chats), the parent is also measured in the SFT model's
    format (``pass_at_1_same_format``), which isolates what SFT changed. Runs on the main process
    only (returns None elsewhere)."""

    if not is_main_process():
        return None

    return stage.step("effect", lambda: _measure(stage), shared=False, measures=True, product=Effect)


def _measure(stage: SFTStage) -> Effect:
    s = stage.settings
    parent_dir = stage.run.model_input(stage.parent_spec)
    reuse = [parent_dir[1]] if parent_dir else None
    label, before, after, pass_effect = stage.pass_effect(reuse)
    same_format = None
    if before.prompt_format != after.prompt_format:
        # each model asked the way it was trained (above) mixes SFT's effect with the change of format; the
        # parent asked in the SFT model's format too (stage 03 measures it on smol, so it is reused) isolates it
        fmt = after.prompt_format
        before_same = measure(stage.parent_spec, s, stage.run, f"{label}_{fmt}", prompt_format=fmt, reuse_from=reuse)
        same_format = effect(after, before_same, f"{label} ({fmt})", STAGE)
    problems = evidence_problems(s)
    if s.loss_problems:
        problems = problems[:s.loss_problems]
    losses = stage.on_parent_and_model(lambda model, tok: answer_losses(model, tok, problems))
    loss = loss_effect(losses["after"], losses["before"], STAGE, label)
    return Effect(pass_at_1=pass_effect, pass_at_1_same_format=same_format, answer_loss=loss,
                  comparisons=_side_by_side(stage, label, s.compare_prompts))


def _side_by_side(stage: SFTStage, label: str, k: int) -> list[Comparison]:
    """The first answer of each model to the first k problems, from the measurements' own samples."""

    def first(lbl: str) -> dict[str, str]:
        path = stage.path / EFFECTS_DIR / DETAILS_DIR / f"samples_{lbl}.jsonl"
        out: dict[str, str] = {}
        if path.exists():
            for row in read_jsonl(path):
                out.setdefault(row["task_id"], row.get("raw") or row.get("completion", ""))
        return out

    before, after = first(label), first(STAGE)

    rows = []
    for p in evidence_problems(stage.settings)[:k]:
        if p.task_id in before and p.task_id in after:
            rows.append(Comparison(task_id=p.task_id, prompt=p.instruction, before=before[p.task_id],
                                   after=after[p.task_id]))
    return rows


# --------------------------------------------------------------------------- 9. finish


def finish(stage: SFTStage) -> SFTResult:
    """Write data/, dropped/, stats.json, metrics.json and the manifest (its metrics name the parent
    model and the effect); when the stage was done already, read it back."""

    try:
        if stage.done:
            return SFTResult.load(stage.path)
        seeds: Seeds = stage.need("seeds")
        candidates: Candidates = stage.need("synthesis")
        data: TrainingSet = stage.need("dataset")
        trained: Training = stage.need("train")
        judged: Judged = stage.need("judge")
        verified: Verified = stage.need("verify")
        steps: list[Filtered] = [stage.need("filters"), judged, verified]
        effect: Effect | None = stage.products.get("effect")
        funnel = [row.to_dict() for st in steps for row in st.funnel]
        stats = {"seeds": {"code": len(seeds.code), "instructions": len(seeds.instructions), "corpus": seeds.corpus},
                 "sources": candidates.sources, "docstring_mining": candidates.docstring_mining, "funnel": funnel,
                 "judge": asdict(judged.ratings) if judged.ratings else {}, "verification": verified.verification,
                 "docstring_tests": verified.docstring_tests, "correctness_signal": verified.correctness_signal,
                 "kept": data.stats}
        if is_main_process():
            stage.run.save_dataset("data", items_dataset([it.to_dict() for it in data.items]))
            stage.run.save_dataset("dropped", items_dataset([it.to_dict() for st in steps for it in st.dropped]))
            stage.run.save_json("stats.json", stats)
            stage.run.save_json("metrics.json", {**asdict(trained), "effect": effect.to_dict() if effect else None})
        metrics = {
            "parent_model": stage.parent_spec, "candidates": sum(candidates.sources.values()),
            "kept": data.stats["total"], "sft_items": data.stats["sft"],
            "held_for_dpo": data.stats["held_for_dpo"], "by_source": data.stats["by_source"],
            "removed_per_filter": {r["step"]: r["removed"] for r in funnel},
            "judge_rule": stats["judge"].get("rule"), "judge_signal": stats["judge"].get("signal"),
            "final_loss": trained.final_loss, "train_seconds": trained.train_seconds,
            "effect": effect.pass_at_1 if effect else None,
            "effect_same_format": effect.pass_at_1_same_format if effect else None,
            "answer_loss_effect": effect.answer_loss if effect else None,
        }
        stage.run.finish(metrics=metrics)
        return SFTResult.load(stage.path)
    finally:
        stage.close()


def run_sft(settings: SFTSettings) -> SFTResult:
    """Stage 04 end to end (the notebook's cells in order), or its results when it is done already."""
    stage = begin(settings)
    if stage.done:
        return finish(stage)
    try:
        seeds = select_seeds(stage)
        candidates = synthesize(stage, seeds)
        filtered = filter_items(stage, candidates)
        judged = judge_items(stage, filtered)
        verified = verify_items(stage, judged)
        data = build_dataset(stage, verified)
        train(stage, data)
        measure_effect(stage)
    except BaseException:
        stage.close()
        raise
    return finish(stage)
