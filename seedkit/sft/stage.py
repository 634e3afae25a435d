"""Stage 04 entry point: synthesise, filter and verify instruction data, then fine-tune.

``run_sft(settings)`` does, in order (each step timed in the manifest):

1. seeds: top-scored functions/classes from stage 02's ``scored/`` + the kit's seed instructions;
2. synthesis: the generator writes a task, solution and tests per seed, in a sampled style;
   docstring-to-implementation pairs are mined from the same corpus with no generator;
3. filters, each counted: parse, exact dedup, near dedup, decontamination (HumanEval + held-out),
   LLM judge (drop < ``judge_min_score``, or the bottom share by rank), sandbox verification with self-correction;
4. split: a share of the verified items is set aside as ``held_for_dpo`` for stage 05;
5. pass@1 on a held-out slice and a few answers, before training;
6. TRL SFT on the ``sft`` split (LoRA / full / QLoRA), saved as ``run:<run>/04_sft``;
7. the same checks after training.

Artifacts in ``runs/<run>/04_sft/``: ``data/`` (kept items, contracts.md columns plus bookkeeping),
``dropped/`` (every removed item with the filter and reason), ``stats.json`` (the funnel),
``metrics.json`` (loss log, pass@1 before/after, answers side by side), ``model/``.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.sft.settings import SFTSettings
from seedkit.sft.synthesis import SFTItem

FILTER_STEPS = ("parse", "exact_dedup", "near_dedup", "decontam", "judge", "verify")


@dataclass
class SFTResult:
    """What the notebook plots from; loaded from disk when the stage is skipped."""

    path: Path
    stats: dict[str, Any]
    metrics: dict[str, Any]
    data: Any  # datasets.Dataset of kept items
    dropped: Any  # datasets.Dataset of dropped items
    model_spec: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> SFTResult:
        import json

        from seedkit.runs import load_dataset_dir, read_manifest

        path = Path(path)
        manifest = read_manifest(path) or {}
        return cls(
            path=path,
            stats=json.loads((path / "stats.json").read_text()),
            metrics=json.loads((path / "metrics.json").read_text()),
            data=load_dataset_dir(path / "data"),
            dropped=load_dataset_dir(path / "dropped"),
            model_spec=f"run:{manifest.get('run_name', path.parent.name)}/04_sft",
            timings=manifest.get("timings", {}),
        )

    @property
    def loss_curve(self) -> dict[str, list[float]]:
        from seedkit.training import log_history_table

        return log_history_table(self.metrics.get("log_history", []))

    def funnel(self) -> list[tuple[str, int, int]]:
        """(step, items in, items removed) per filter step."""
        return [(s["step"], s["in"], s["removed"]) for s in self.stats["funnel"]]

    def examples(self, step: str, k: int = 1) -> list[dict[str, Any]]:
        """Up to k items dropped at ``step`` (or kept, with step='kept'; verified after correction, 'rescued')."""
        if step == "kept":
            rows = list(self.data)
        elif step == "rescued":
            rows = [r for r in self.data if r["attempts"] > 1 and r["source"] != "docstring"]
        else:
            rows = [r for r in self.dropped if r["dropped_by"] == step]
        return rows[:k]


# --------------------------------------------------------------------------- helpers


def _items_dataset(items: list[SFTItem]) -> Any:
    import datasets

    rows = [it.to_dict() for it in items]
    features = datasets.Features({
        "id": datasets.Value("string"), "source": datasets.Value("string"), "style": datasets.Value("string"),
        "instruction": datasets.Value("string"), "solution": datasets.Value("string"),
        "tests": datasets.Value("string"), "entry_point": datasets.Value("string"),
        "judge_score": datasets.Value("float64"), "verified": datasets.Value("bool"),
        "attempts": datasets.Value("int64"), "split": datasets.Value("string"),
        "seed_id": datasets.Value("string"), "raw_output": datasets.Value("string"),
        "dropped_by": datasets.Value("string"), "drop_reason": datasets.Value("string"),
        "verify_status": datasets.Value("string"), "verify_error": datasets.Value("string"),
        "history": datasets.Sequence(datasets.Value("string")),
    })
    if not rows:
        return datasets.Dataset.from_dict({k: [] for k in features}, features=features)
    return datasets.Dataset.from_list(rows, features=features)


def _generator_for(spec: str, settings: SFTSettings, shared: dict[str, Any]) -> Any:
    """A generator for ``spec``, reusing an already loaded in-process model for the same spec."""
    from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
    from seedkit.models import load_model

    if spec.startswith(("http://", "https://")):
        if not settings.server_model:
            raise ValueError(f"generator {spec}: set server_model to the model name the server serves")
        return OpenAIServerGenerator(base_url=spec, model=settings.server_model)
    if spec not in shared:
        prof = settings.profile_info
        model, tok = load_model(spec, device=prof.device, dtype=prof.dtype, runs_dir=settings.runs_dir)
        shared[spec] = TransformersGenerator(model, tok, batch_size=settings.generation_batch_size, name=spec)
    return shared[spec]


def _docstring_items(pairs: list[Any]) -> list[SFTItem]:
    return [SFTItem(id=p.id, source="docstring", style="docstring", instruction=p.instruction,
                    solution=p.solution, tests=p.tests, entry_point=p.entry_point, seed_id=p.origin)
            for p in pairs]


def _eval_slice(settings: SFTSettings) -> list[Any]:
    from seedkit.eval import load_heldout

    problems = load_heldout(language="python")
    return problems[:settings.eval_problems] if settings.eval_problems > 0 else problems


def _pass_at_1(generator: Any, problems: list[Any], settings: SFTSettings, label: str) -> dict[str, Any]:
    """pass@1 (greedy) on the held-out slice through seedkit.eval; None when it is unavailable."""
    if not problems:
        return {"pass_at_1": None, "why": "no problems"}
    try:
        from seedkit.eval import evaluate_model_on_problems
    except (ImportError, AttributeError) as e:
        print(f"[04_sft] pass@1 {label}: skipped, the evaluation harness is not available ({e})")
        return {"pass_at_1": None, "why": f"evaluation harness not available: {e}"}
    report = evaluate_model_on_problems(generator, problems, n=1, temperature=0.0,
                                        max_new_tokens=settings.eval_max_new_tokens,
                                        workers=settings.sandbox_workers)
    value = float(report.pass_at_1)
    print(f"[04_sft] pass@1 {label} on {len(problems)} held-out problems: {value:.3f}")
    return {"pass_at_1": value, "problems": [p.task_id for p in problems]}


def _answers(generator: Any, prompts: list[str], settings: SFTSettings) -> list[str]:
    if not prompts:
        return []
    convs = [[{"role": "user", "content": p}] for p in prompts]
    out = generator.chat(convs, n=1, temperature=0.0, max_new_tokens=settings.eval_max_new_tokens,
                         progress=False, desc="answers")
    return [o[0] if o else "" for o in out]


# --------------------------------------------------------------------------- the stage


def build_dataset(settings: SFTSettings, scored_rows: list[dict[str, Any]], generator: Any, judge: Any,
                  say: Any = print, runner: Any = None) -> tuple[list[SFTItem], list[SFTItem], dict[str, Any]]:
    """Seeds -> synthesis + mining -> filters -> split. Returns (kept, dropped, stats)."""
    from seedkit.sft import docstrings, filters, seeds, synthesis, verify
    from seedkit.sft import judge as judging

    stats: dict[str, Any] = {"funnel": [], "sources": {}}
    # 1. seeds
    code_seeds, seed_counts = seeds.select_code_seeds(
        scored_rows, settings.num_code_seeds, settings.min_seed_quality, settings.seed_min_lines,
        settings.seed_max_lines)
    instr_seeds = (seeds.load_seed_instructions(settings.seed_instructions_file, settings.num_seed_instructions)
                   if settings.num_seed_instructions > 0 else [])
    stats["seeds"] = {"code": len(code_seeds), "instructions": len(instr_seeds), "corpus": seed_counts}
    say(f"[04_sft] seeds: {len(code_seeds)} code snippets from {seed_counts['files']} scored files "
        f"(top quality first), {len(instr_seeds)} seed instructions")
    # 2. synthesis and mining
    styles = synthesis.load_styles(settings.styles_file)
    prompts = synthesis.load_prompts()
    all_seeds = code_seeds + instr_seeds
    items = synthesis.generate_items(generator, all_seeds, styles, temperature=settings.generation_temperature,
                                     max_new_tokens=settings.generation_max_new_tokens, seed=settings.seed,
                                     prompts=prompts) if all_seeds else []
    pairs, mine_counts = docstrings.mine_corpus(scored_rows, settings.max_docstring_items)
    stats["docstring_mining"] = mine_counts
    items += _docstring_items(pairs)
    for it in items:
        stats["sources"][it.source] = stats["sources"].get(it.source, 0) + 1
    say(f"[04_sft] candidates: {stats['sources']} (docstring mining: {mine_counts})")

    dropped: list[SFTItem] = []

    def step(name: str, verdicts: list[Any], current: list[SFTItem]) -> list[SFTItem]:
        kept, gone = filters.apply(current, verdicts, name)
        dropped.extend(gone)
        stats["funnel"].append({"step": name, "in": len(current), "removed": len(gone), "out": len(kept),
                                "reasons": filters.reason_counts(gone)})
        say(f"[04_sft] filter {name}: {len(current)} in, {len(gone)} removed"
            + (f" {filters.reason_counts(gone)}" if gone else ""))
        return kept

    # 3. filters
    items = step("parse", [filters.parse_verdict(it) for it in items], items)
    items = step("exact_dedup", filters.exact_dedup(items), items)
    items = step("near_dedup", filters.near_dedup(items, settings.near_dup_threshold), items)
    decon = filters.Decontaminator(ngram=settings.decontam_ngram)
    items = step("decontam", [decon.verdict(it) for it in items], items)
    method = judging.judge_items(judge, items, prompts=prompts) if items else judging.judge_method(judge)
    threshold, why = filters.judge_threshold([it.judge_score for it in items], settings.judge_min_score,
                                                 settings.judge_drop_bottom_fraction)
    say(f"[04_sft] judge ({method}): drop items rated below {threshold:.3g} ({why})")
    stats["judge"] = {"method": method, "min_score": threshold, "why": why,
                      "scores": [it.judge_score for it in items]}
    items = step("judge", [filters.judge_verdict(it, threshold, settings.keep_unjudged)
                           for it in items], items)
    if settings.tests_for_docstring_items:
        stats["docstring_tests"] = verify.add_generated_tests(
            items, generator=generator, workers=settings.sandbox_workers, runner=runner, prompts=prompts)
        say(f"[04_sft] generator-written tests for docstring items without doctests: {stats['docstring_tests']}")
    vstats = verify.verify_items(items, generator=generator, max_correction_rounds=settings.max_correction_rounds,
                                 temperature=settings.generation_temperature,
                                 max_new_tokens=settings.correction_max_new_tokens,
                                 workers=settings.sandbox_workers, runner=runner, prompts=prompts)
    stats["verification"] = vstats
    items = step("verify", [filters.Verdict(it.verified, "" if it.verified else f"failed_{it.verify_status}")
                            for it in items], items)
    # 4. split
    # Only items with behavioural tests are worth holding for DPO (stage 05 pairs passing against
    # failing answers; a docstring item checked by `assert callable(f)` separates nothing).
    rng = random.Random(settings.seed)
    order = [i for i, it in enumerate(items) if not it.tests.startswith(verify.SMOKE_TEST_PREFIX)]
    rng.shuffle(order)
    n_held = min(len(order), int(round(len(items) * settings.held_for_dpo_fraction)))
    if n_held >= len(items):
        n_held = max(0, len(items) - 1)
    held = set(order[:n_held])
    for i, it in enumerate(items):
        it.split = "held_for_dpo" if i in held else "sft"
    stats["kept"] = {"total": len(items), "sft": len(items) - n_held, "held_for_dpo": n_held,
                     "by_source": {s: sum(1 for it in items if it.source == s) for s in ("generated", "seed", "docstring")},
                     "docstring_with_tests": sum(1 for it in items if it.source == "docstring"
                                                 and not it.tests.startswith(verify.SMOKE_TEST_PREFIX))}
    say(f"[04_sft] kept {len(items)} verified items: {stats['kept']['sft']} for SFT, {n_held} held for DPO "
        f"(by source {stats['kept']['by_source']})")
    return items, dropped, stats


def run_sft(settings: SFTSettings) -> SFTResult:
    """Run stage 04 (or load its results when already done with the same settings and inputs)."""
    from seedkit.runs import StageRun

    run = StageRun(settings)
    scored_stage = run.input("02_llm_filter", settings.scored_input or None)
    inputs: dict[str, Path] = {"02_llm_filter": scored_stage}
    base_spec = settings.resolved_base_model()
    gen_spec, judge_spec = settings.resolved_generator(), settings.resolved_judge()
    for spec in sorted({base_spec, gen_spec, judge_spec}):
        model_input = run.model_input(spec)
        if model_input is not None:
            inputs[model_input[0]] = model_input[1]
    if run.is_done(inputs):
        return SFTResult.load(run.path)
    from seedkit.training import torch_threads

    with torch_threads(settings.torch_threads, "04_sft"):
        return _run(run, settings, inputs)


def _run(run: Any, settings: SFTSettings, inputs: dict[str, Path]) -> SFTResult:
    from seedkit.models import save_model
    from seedkit.runs import load_dataset_dir
    from seedkit.sft import finetune

    scored_stage = inputs["02_llm_filter"]
    base_spec = settings.resolved_base_model()
    gen_spec, judge_spec = settings.resolved_generator(), settings.resolved_judge()
    run.start(inputs)
    from_profile = settings.base_model == settings.profile_overrides(settings.profile).get("base_model", "")
    print(f"[04_sft] base model {base_spec} ({'profile ' + settings.profile if from_profile or not settings.base_model else 'set by you'}); "
          f"generator {gen_spec}; judge {judge_spec}; fine-tuning: {settings.finetune_method}")

    scored = load_dataset_dir(scored_stage / "scored")
    rows = [dict(r) for r in scored.select_columns(
        [c for c in ("id", "repo", "path", "language", "content", "quality_score") if c in scored.column_names])]

    shared: dict[str, Any] = {}
    with run.timer("load_models"):
        generator = _generator_for(gen_spec, settings, shared)
        judge = _generator_for(judge_spec, settings, shared)
    with run.timer("data"):
        kept, dropped, stats = build_dataset(settings, rows, generator, judge)
    run.save_dataset("data", _items_dataset(kept))
    run.save_dataset("dropped", _items_dataset(dropped))
    run.save_json("stats.json", stats)

    # the base model: shared with the generator when they are the same spec and precision allows
    prof = settings.profile_info
    from seedkit.generation import TransformersGenerator
    from seedkit.models import load_model

    with run.timer("load_models"):
        if base_spec in shared and settings.finetune_method != "qlora":
            gen = shared[base_spec]
            model, tok = gen.model, gen.tokenizer
        else:
            model, tok = load_model(base_spec, device=prof.device, dtype=prof.dtype, runs_dir=settings.runs_dir,
                                    load_in_4bit=settings.finetune_method == "qlora")
        shared.clear()  # let other models go before training
    base_gen = TransformersGenerator(model, tok, batch_size=settings.generation_batch_size, name=base_spec)
    problems = _eval_slice(settings)
    compare = [p.instruction for p in problems[:settings.compare_prompts]]
    with run.timer("eval_before"):
        before = _pass_at_1(base_gen, problems, settings, "before SFT")
        answers_before = _answers(base_gen, compare, settings)

    device = str(next(model.parameters()).device)
    if settings.finetune_method in ("lora", "qlora"):
        model = finetune.add_lora(model, finetune.lora_options(settings.lora_r, settings.lora_alpha))
    train_items = [it for it in kept if it.split == "sft"]
    t0 = time.time()
    with run.timer("train"):
        model, log_history = finetune.train_sft(
            model, tok, train_items, output_dir=str(run.path / "checkpoints"), device=device, dtype=prof.dtype,
            global_batch=settings.global_batch_size, per_device_max=settings.per_device_batch_max,
            learning_rate=settings.learning_rate, max_steps=settings.max_steps, num_epochs=settings.num_epochs,
            max_length=settings.max_length, packing=settings.packing, seed=settings.seed)
    train_s = time.time() - t0
    with run.timer("save_model"):
        save_model(model, tok, run.path / "model", base_spec=base_spec, runs_dir=settings.runs_dir)

    after_gen = TransformersGenerator(model, tok, batch_size=settings.generation_batch_size, name="04_sft")
    with run.timer("eval_after"):
        after = _pass_at_1(after_gen, problems, settings, "after SFT")
        answers_after = _answers(after_gen, compare, settings)
    metrics = {
        "log_history": log_history,
        "train_seconds": round(train_s, 1),
        "train_items": len(train_items),
        "pass_at_1_before": before.get("pass_at_1"),
        "pass_at_1_after": after.get("pass_at_1"),
        "eval": {"before": before, "after": after},
        "comparisons": [{"prompt": p, "before": b, "after": a}
                        for p, b, a in zip(compare, answers_before, answers_after, strict=True)],
    }
    run.save_json("metrics.json", metrics)
    import shutil

    shutil.rmtree(run.path / "checkpoints", ignore_errors=True)  # the final model is in model/
    final_loss = next((r["loss"] for r in reversed(log_history) if "loss" in r), None)
    run.finish(metrics={
        "candidates": sum(stats["sources"].values()), "kept": stats["kept"]["total"],
        "sft_items": stats["kept"]["sft"], "held_for_dpo": stats["kept"]["held_for_dpo"],
        "removed_per_filter": {s["step"]: s["removed"] for s in stats["funnel"]},
        "final_loss": final_loss, "pass_at_1_before": metrics["pass_at_1_before"],
        "pass_at_1_after": metrics["pass_at_1_after"],
    })
    return SFTResult.load(run.path)
