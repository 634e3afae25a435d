"""Stage 05 as step functions: sample answers, run them, build pairs, train with DPO, measure.

The notebook calls one step per cell and shows what it produced; :func:`run_dpo` (``seedkit run``,
``seedkit train dpo``) calls the same functions in the same order::

    stage = begin(settings)                        # stage 04 checked; "done already" when nothing changed
    prompts = collect_prompts(stage)               # held-back SFT items + training problems SFT left out
    samples = sample_answers(stage, prompts)       # samples_per_prompt answers per prompt from the policy
    outcomes = run_answers(stage, prompts, samples)  # every answer against its tests in the sandbox
    pairs = make_pairs(stage, prompts, outcomes)   # passing vs failing; train and held-out pairs
    trained = train(stage, pairs)                  # TRL DPO (config built inline in the notebook)
    effect = measure_effect(stage)                 # pass@1 and held-out preference accuracy, before/after
    result = finish(stage)                         # pairs/, prompts/, stats.json, metrics.json, manifest

Each step's product is saved under ``steps/<config hash>/`` (:mod:`seedkit.posttraining.stage`), so a rerun
cell or a restarted kernel reuses it and a changed setting or input recomputes it.

The DPO reference model is chosen so that an in-memory model works (docs/environment.md: DPOTrainer given an
in-memory model and no reference tries to reload one from the model's empty name and fails):

- LoRA / QLoRA: the trainer gets a ``peft_config``; with the adapter switched off the frozen base
  model *is* the reference, so no second copy is held in memory.
- A model that already carries an adapter (stage 04 trained QLoRA and the base stays 4-bit): TRL
  copies that adapter into a frozen "ref" adapter.
- Full fine-tuning (the tiny profile): a frozen deep copy of the starting model.
"""

from __future__ import annotations

import copy
import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seedkit.curation.decontam import Decontaminator
from seedkit.dpo.effect import pair_logprobs, preference_effect
from seedkit.dpo.pairs import (
    ANSWER_STOP,
    PAIR_COLUMNS,
    PromptTask,
    RunJobs,
    build_all_pairs,
    close_fence,
    sandbox_runner,
    score_answers,
    summarize,
    tasks_from_problems,
    tasks_from_sft_items,
    verify_references,
)
from seedkit.dpo.products import (
    Effect,
    Outcomes,
    Pair,
    Pairs,
    PairSummary,
    Prompt,
    Prompts,
    Samples,
    Training,
)
from seedkit.dpo.settings import DPOSettings
from seedkit.generation import OpenAIServerGenerator
from seedkit.models import LoraOptions, load_model, save_model
from seedkit.posttraining.stage import (
    PostTrainingStage,
    adapter_base_spec,
    device_of,
    open_stage,
    plain_log,
    tensorboard_dir,
)
from seedkit.problems import load_training_problems
from seedkit.runs import StageRun, is_main_process, load_dataset_dir, read_manifest
from seedkit.training import keep_trained_state, threads_callback, trainer_kwargs

STAGE = "05_dpo"
CURVE_KEYS = ("loss", "rewards/margins", "rewards/accuracies", "rewards/chosen", "rewards/rejected")


# --------------------------------------------------------------------------- the stage object


class DPOStage(PostTrainingStage):
    """One run of stage 05 in progress (:class:`seedkit.posttraining.stage.PostTrainingStage`)."""

    @property
    def parent_spec(self) -> str:
        """The policy: the model that samples the answers, is trained, and is the DPO reference."""
        s = self.settings
        if s.sft_input and not s.policy_model:
            return str(Path(s.sft_input) / "model")  # stage 04 of another run
        return s.resolved_policy_model()

    def sampler(self) -> Any:
        s = self.settings
        if s.sampler_server_url:

            gen = OpenAIServerGenerator(base_url=s.sampler_server_url, model=s.server_model)
            self.say(f"sampling from {gen.name} (sampler_server_url): it must serve the same weights as "
                     f"{self.parent_spec}, or the pairs are not on-policy")
            return gen
        return self.load_generator(self.parent_spec)


def begin(settings: DPOSettings) -> DPOStage:
    """Stage 04's directory and the policy model checked; done already, or started."""

    probe = StageRun(settings)
    inputs: dict[str, Path] = {}
    if settings.use_held_for_dpo or settings.use_train_problems or not settings.policy_model:
        inputs["04_sft"] = probe.input("04_sft", settings.sft_input or None)
    found = probe.model_input(settings.resolved_policy_model()) if not settings.sft_input else None
    if found is not None:
        inputs[found[0]] = found[1]
    stage = open_stage(DPOStage, settings, inputs)
    stage.say(f"policy {stage.parent_spec} (on-policy: it samples the answers, is trained, and its starting weights "
              f"are the DPO reference); method {settings.finetune_method}, beta {settings.beta:g}")
    return stage


# --------------------------------------------------------------------------- 1. prompts


def collect_prompts(stage: DPOStage) -> Prompts:
    """Prompts with tests: stage 04's verified items held back from SFT, then the kit's training problems
    stage 04 did not train on (never an evaluation problem). A seeded share is held out: their pairs are
    not trained on, and the preference accuracy is measured on them."""
    s = stage.settings

    def compute() -> Prompts:
        tasks, excluded = _tasks(stage)
        rng = random.Random(s.seed)
        n_held = int(round(len(tasks) * s.heldout_prompt_fraction))
        if len(tasks) - n_held < 1:
            n_held = max(0, len(tasks) - 1)
        held = set(rng.sample(range(len(tasks)), n_held))
        rows = [_prompt(t, "heldout" if i in held else "train") for i, t in enumerate(tasks)]
        counts = {src: sum(r.source == src for r in rows) for src in ("held_for_dpo", "train_problem")}
        stage.say(f"{len(rows)} prompt(s): {counts['held_for_dpo']} held back from SFT by stage 04, "
                  f"{counts['train_problem']} kit training problems (problem_sources={s.problem_sources!r})"
                  + (f" ({len(excluded)} more left out: stage 04 trained on them)" if excluded else "")
                  + (f" (max_prompts={s.max_prompts})" if s.max_prompts else "")
                  + f"; {n_held} held out for the preference accuracy")
        return Prompts(items=rows, excluded_train_problems=excluded)

    return stage.step("prompts", compute, product=Prompts)


def _tasks(stage: DPOStage) -> tuple[list[PromptTask], list[str]]:
    s = stage.settings
    rng = random.Random(s.seed)
    sft_dir = stage.inputs.get("04_sft")
    rows = []
    if sft_dir is not None and (sft_dir / "data").exists():

        rows = load_dataset_dir(sft_dir / "data").to_list()
    held: list[PromptTask] = tasks_from_sft_items(rows) if s.use_held_for_dpo else []
    rng.shuffle(held)
    train: list[PromptTask] = []
    excluded: list[str] = []
    if s.use_train_problems:

        trained_on = {r["id"] for r in rows if r.get("source") == "train_problem"}
        problems = load_training_problems(s.problem_sources, language="python")
        excluded = [p.task_id for p in problems if p.task_id in trained_on]
        # pairs are trained on: a training problem that shares a word 10-gram with an evaluation problem is left out
        decon = Decontaminator.default(ngram=10)
        overlapping = {p.task_id: why for p in problems if p.task_id not in trained_on
                       for bad, why in [decon.check(p.prompt + "\n" + p.reference)] if bad}
        if overlapping:
            stage.say(f"left out {len(overlapping)} training problem(s) that overlap an evaluation problem: {overlapping}")
        train = tasks_from_problems([p for p in problems if p.task_id not in trained_on and p.task_id not in overlapping])
        rng.shuffle(train)
    tasks = held + train
    if s.max_prompts:
        tasks = tasks[:s.max_prompts]
    if not tasks:
        raise ValueError("05_dpo: no prompts: stage 04 held none back and left no training problem; turn "
                         "use_train_problems on, or lower stage 04's train_problems_fraction or raise its "
                         "held_for_dpo_fraction")
    return tasks, excluded


def _prompt(t: PromptTask, split: str) -> Prompt:
    return Prompt(task_id=t.task_id, source=t.source, message=t.message, tests=t.tests, entry_point=t.entry_point,
                  reference=t.reference, language=t.language, split=split)


def prompt_tasks(prompts: Prompts) -> list[PromptTask]:
    """The :class:`PromptTask` of each prompt (kit problems get their Problem back, which builds the
    runnable program from a completion)."""

    by_id = {p.task_id: p for p in load_training_problems(language=None)} if any(
        r.source == "train_problem" for r in prompts.items) else {}
    return [r.task(by_id.get(r.task_id)) for r in prompts.items]


# --------------------------------------------------------------------------- 2. sampling


def sample_answers(stage: DPOStage, prompts: Prompts) -> Samples:
    """``samples_per_prompt`` answers per prompt from the policy (or a server serving it), each stopped at
    the end of its first code block."""
    s = stage.settings

    def compute() -> Samples:
        tasks = prompt_tasks(prompts)
        t0 = time.time()
        answers = stage.sampler().chat([t.conversation() for t in tasks], n=s.samples_per_prompt,
                                       temperature=s.sampling_temperature, max_new_tokens=s.sampling_max_new_tokens,
                                       stop=list(ANSWER_STOP), progress=True, desc="sampling answers")
        seconds = time.time() - t0
        stage.say(f"sampled {sum(len(a) for a in answers)} answers in {seconds:.0f} s")
        return Samples(answers=[[close_fence(a) for a in row] for row in answers], seconds=round(seconds, 1))

    return stage.step("samples", compute, product=Samples)


# --------------------------------------------------------------------------- 3. execution


def run_answers(stage: DPOStage, prompts: Prompts, samples: Samples, *,
                run_jobs: RunJobs | None = None) -> Outcomes:
    """Every answer against its prompt's tests in :mod:`seedkit.sandbox`; where nothing passed, whether
    the prompt's reference passes (the off-policy fallback trusts only verified references)."""
    s = stage.settings

    def compute() -> Outcomes:
        tasks = prompt_tasks(prompts)
        runner = run_jobs or sandbox_runner(workers=s.sandbox_workers)
        t0 = time.time()
        outcomes = score_answers(tasks, samples.answers, timeout_s=s.sandbox_timeout_s, run_jobs=runner)
        need = [i for i, outs in enumerate(outcomes) if not any(o.passed for o in outs)]
        verified = [True] * len(tasks)
        if s.off_policy_fallback and need:
            ok = verify_references([tasks[i] for i in need], timeout_s=s.sandbox_timeout_s, run_jobs=runner)
            for i, good in zip(need, ok, strict=True):
                verified[i] = good
        n = sum(len(o) for o in outcomes)
        passed = sum(x.passed for o in outcomes for x in o)
        stage.say(f"sandbox: {passed} of {n} answers passed their tests ({passed / max(n, 1):.0%}) in "
                  f"{time.time() - t0:.0f} s")
        return Outcomes(outcomes=outcomes, reference_verified=verified)

    return stage.step("outcomes", compute, product=Outcomes)


# --------------------------------------------------------------------------- 4. pairs


def make_pairs(stage: DPOStage, prompts: Prompts, outcomes: Outcomes) -> Pairs:
    """Pairs by :func:`seedkit.dpo.pairs.build_pairs`: a passing answer (chosen) against a failing one
    (rejected, test failures first), the fallback where nothing passed; each pair keeps its prompt's
    split, so held-out prompts give held-out pairs."""
    s = stage.settings

    def compute() -> Pairs:
        tasks = prompt_tasks(prompts)
        rows, records = build_all_pairs(tasks, outcomes.outcomes, max_pairs=s.max_pairs_per_prompt,
                                        off_policy_fallback=s.off_policy_fallback,
                                        reference_verified=outcomes.reference_verified,
                                        max_off_policy_pairs=s.max_off_policy_pairs_per_prompt)
        split = {r.task_id: r.split for r in prompts.items}
        pairs = [Pair(**{k: p[k] for k in PAIR_COLUMNS}, split=split[p["task_id"]]) for p in rows]
        summary = PairSummary(**summarize(rows, records), train_pairs=sum(p.split == "train" for p in pairs),
                              heldout_pairs=sum(p.split == "heldout" for p in pairs))
        stage.say(f"{summary.pairs} pairs ({summary.train_pairs} to train on, {summary.heldout_pairs} "
                  f"held out); {summary.why}")
        return Pairs(pairs=pairs, records=[{**r.to_row(), "split": split[r.task_id]} for r in records], summary=summary)

    return stage.step("pairs", compute, product=Pairs)


# --------------------------------------------------------------------------- 5. training


def to_preference_dataset(pairs: list[dict[str, Any]]) -> Any:
    """Pairs as a conversational preference dataset (prompt/chosen/rejected message lists) for TRL:
    the chat template is applied exactly as when the model sampled the answers."""
    from datasets import Dataset

    return Dataset.from_list([{
        "prompt": [{"role": "user", "content": p["prompt"]}],
        "chosen": [{"role": "assistant", "content": p["chosen"]}],
        "rejected": [{"role": "assistant", "content": p["rejected"]}],
    } for p in pairs])


def dpo_config(settings: DPOSettings, output_dir: str | Path, *, device: str = "cpu", verbose: bool = True) -> Any:
    """The kit's TRL ``DPOConfig`` for ``settings``: the shared trainer arguments
    (:func:`seedkit.training.trainer_kwargs`) plus DPO's own. The notebook builds the same one inline."""
    from trl import DPOConfig

    kw = trainer_kwargs(output_dir=str(output_dir), device=device, dtype=settings.profile_info.dtype,
                        global_batch=settings.global_batch_size, per_device_max=settings.per_device_batch_max,
                        learning_rate=settings.learning_rate,
                        max_steps=settings.max_steps if settings.max_steps > 0 else -1, seed=settings.seed,
                        verbose=verbose, report_to=settings.report_to,
                        gradient_checkpointing=settings.gradient_checkpointing)
    return DPOConfig(**kw, beta=settings.beta, max_length=settings.max_length, num_train_epochs=settings.num_epochs,
                     save_only_model=True)


def train_dpo(model: Any, tokenizer: Any, pairs: list[dict[str, Any]], settings: DPOSettings, output_dir: str | Path,
              *, device: str = "cpu", verbose: bool = True, config: Any = None) -> tuple[Any, list[dict[str, Any]], str]:
    """DPO on ``pairs``; returns (trained model, log history, how the reference model was made).

    ``config``: a TRL ``DPOConfig`` (None = :func:`dpo_config`). ``model`` may be an in-memory model
    (no hub name): the reference is built here, never reloaded by name (see the module docstring).
    """
    from peft import PeftModel
    from trl import DPOTrainer

    args = config if config is not None else dpo_config(settings, output_dir, device=device, verbose=verbose)
    ref_model = None
    peft_config = None
    if isinstance(model, PeftModel):
        how = "a frozen copy of the model's own adapter (TRL's 'ref' adapter) over the shared base"
        model._seedkit_continued_adapter = True
    elif settings.finetune_method in ("lora", "qlora"):
        peft_config = LoraOptions(r=settings.lora_r, alpha=settings.lora_alpha).to_peft()
        how = "the starting model itself, with the new LoRA adapter switched off (no second copy in memory)"
    else:
        ref_model = copy.deepcopy(model).eval()
        for p in ref_model.parameters():
            p.requires_grad_(False)
        how = "a frozen in-memory copy of the starting model (full fine-tuning)"
    if verbose:
        print(f"[05_dpo] DPO reference model: {how}")
    model.train()
    trainer = DPOTrainer(model=model, ref_model=ref_model, args=args, train_dataset=to_preference_dataset(pairs),
                         processing_class=tokenizer, peft_config=peft_config, callbacks=[threads_callback()])
    if isinstance(model, PeftModel):
        # an adapter loaded for inference is frozen: train the "default" one, keep TRL's "ref" copy frozen
        for name, param in trainer.model.named_parameters():
            if "lora_" in name:
                param.requires_grad_(".default." in name)
    trainer.train()
    keep_trained_state(trainer, trainer.model)  # every process: sharded weights gathered for rank 0's save_model
    trained = trainer.model
    if getattr(model, "_seedkit_continued_adapter", False):
        trained._seedkit_continued_adapter = True
    trained.eval()
    return trained, list(trainer.state.log_history), how


def load_policy(stage: DPOStage) -> tuple[Any, Any]:

    s = stage.settings
    return load_model(stage.parent_spec, device=s.profile_info.device,
                      dtype=stage.training_dtype(s.finetune_method == "lora"),
                      load_in_4bit=s.finetune_method == "qlora", runs_dir=stage.run.runs_dir)


def training_config(stage: DPOStage) -> Any:
    """The DPOConfig of :func:`train` (the notebook builds the same one inline, argument by argument)."""
    return dpo_config(stage.settings, stage.path / "checkpoints", device=device_of(stage.settings))


def train(stage: DPOStage, pairs: Pairs, config: Any = None) -> Training:
    """TRL DPO on the training pairs, starting from (and referenced to) the stage-04 model; the model is
    saved as ``run:<run>/05_dpo`` (the stage-04 model unchanged when there is no pair to train on)."""

    target = stage.step_dir() / "model"

    def compute() -> Training:
        train_pairs = [p.to_row() for p in pairs.train()]
        stage.release_models()
        model, tok = load_policy(stage)
        how, history = "", []
        t0 = time.time()
        if train_pairs:
            cfg = config if config is not None else training_config(stage)
            with tensorboard_dir(stage, cfg):
                model, history, how = train_dpo(model, tok, train_pairs, stage.settings, stage.path / "checkpoints",
                                                device=device_of(stage.settings), config=cfg)
        else:
            stage.say(f"no pairs to train on, so no DPO step: the model is the stage-04 model unchanged "
                      f"({pairs.summary.why})")
        seconds = time.time() - t0
        save_model(model, tok, target, base_spec=adapter_base_spec(model, stage.parent_spec, stage.run.runs_dir),
                   runs_dir=stage.run.runs_dir)
        last = next((r for r in reversed(history) if "rewards/margins" in r), {})
        return Training(model_spec=stage.model_spec, log_history=plain_log(history), trained=bool(train_pairs),
                        reference_model=how, train_pairs=len(train_pairs), train_seconds=round(seconds, 1),
                        final_reward_margin=last.get("rewards/margins"),
                        final_reward_accuracy=last.get("rewards/accuracies"),
                        train_steps=max((r.get("step", 0) for r in history), default=0))

    value = stage.step("train", compute, shared=False, product=Training)
    stage.publish_model(target)
    return value


# --------------------------------------------------------------------------- 6. the effect


def measure_effect(stage: DPOStage) -> Effect | None:
    """pass@1 of the stage-04 model (its own measurement, reused) and of the DPO model on the same
    problems, their paired difference, and the preference accuracy on held-out pairs before and after
    (:mod:`seedkit.dpo.effect`). Runs on the main process only (None elsewhere)."""

    if not is_main_process():
        return None
    return stage.step("effect", lambda: _measure(stage), shared=False, measures=True, product=Effect)


def _measure(stage: DPOStage) -> Effect:
    s = stage.settings
    label, _, _, pass_effect = stage.pass_effect([p for p in (stage.inputs.get("04_sft"),) if p is not None])
    held = [p.to_row() for p in stage.need("pairs").heldout()]
    logps = stage.on_parent_and_model(lambda model, tok: pair_logprobs(model, tok, held)) if held else {}
    preference = preference_effect(held, logps.get("before", []), logps.get("after", []), beta=s.beta, child=STAGE,
                                   parent=label, print_fn=stage.say)
    return Effect(pass_at_1=pass_effect, preference=preference)


# --------------------------------------------------------------------------- 7. finish


@dataclass
class DPOResult:
    """What the notebook plots: the pairs, per-prompt records, training logs and the effect."""

    path: Path
    pairs: list[dict[str, Any]]
    prompts: list[dict[str, Any]]
    summary: dict[str, Any]
    log_history: list[dict[str, Any]] = field(default_factory=list)
    effect: dict[str, Any] | None = None
    preference: dict[str, Any] | None = None
    reference_model: str = ""
    parent_model: str = ""
    trained: bool = False
    skipped: bool = False

    @property
    def model_spec(self) -> str:
        return f"run:{self.path.parent.name}/{self.path.name}"

    def curves(self) -> dict[str, dict[str, list[float]]]:
        """Per metric, {"step": [...], metric: [...]} from the trainer's log (for plots)."""
        out: dict[str, dict[str, list[float]]] = {}
        for key in CURVE_KEYS:
            steps, vals = [], []
            for row in self.log_history:
                if key in row:
                    steps.append(row.get("step", len(steps)))
                    vals.append(float(row[key]))
            if vals:
                out[key] = {"step": steps, key: vals}
        return out


PAIR_FEATURES = (*PAIR_COLUMNS, "split")


def load_result(path: str | Path, skipped: bool = True) -> DPOResult:
    """Read a finished stage 05 directory back (what the notebook shows when the stage is skipped)."""

    path = Path(path)
    metrics = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
    manifest = read_manifest(path) or {}
    return DPOResult(
        path=path, pairs=load_dataset_dir(path / "pairs").to_list(),
        prompts=load_dataset_dir(path / "prompts").to_list(),
        summary=json.loads((path / "stats.json").read_text(encoding="utf-8")),
        log_history=metrics.get("log_history", []), effect=(metrics.get("effect") or {}).get("pass_at_1"),
        preference=(metrics.get("effect") or {}).get("preference"), reference_model=metrics.get("reference_model", ""),
        parent_model=manifest.get("metrics", {}).get("parent_model", ""), trained=metrics.get("trained", False),
        skipped=skipped)


def finish(stage: DPOStage) -> DPOResult:
    """Write pairs/, prompts/, stats.json, metrics.json and the manifest (naming the parent model and the
    effect); when the stage was done already, read it back."""
    from datasets import Dataset

    try:
        if stage.done:
            return load_result(stage.path)
        pairs: Pairs = stage.need("pairs")
        trained: Training = stage.need("train")
        effect: Effect | None = stage.products.get("effect")
        samples: Samples = stage.need("samples")
        summary = {**asdict(pairs.summary), "sampling_s": samples.seconds}
        if is_main_process():
            rows = [p.to_row() for p in pairs.pairs]
            empty = {k: [] for k in PAIR_FEATURES}
            stage.run.save_dataset("pairs", Dataset.from_list(rows) if rows else Dataset.from_dict(empty))
            stage.run.save_dataset("prompts", Dataset.from_list(pairs.records))
            stage.run.save_json("stats.json", summary)
            stage.run.save_json("metrics.json", {**asdict(trained), "effect": asdict(effect) if effect else None})
        stage.run.finish(metrics={
            "parent_model": stage.parent_spec, "pairs": summary["pairs"], "train_pairs": summary["train_pairs"],
            "heldout_pairs": summary["heldout_pairs"], "pairs_on_policy": summary["pairs_on_policy"],
            "pairs_off_policy": summary["pairs_off_policy"], "sample_pass_rate": summary["sample_pass_rate"],
            "trained": trained.trained, "reference_model": trained.reference_model,
            "final_reward_margin": trained.final_reward_margin,
            "final_reward_accuracy": trained.final_reward_accuracy, "train_steps": trained.train_steps,
            "effect": effect.pass_at_1 if effect else None,
            "preference_effect": effect.preference if effect else None,
        })
        return load_result(stage.path, skipped=False)
    finally:
        stage.close()


def run_dpo(settings: DPOSettings, *, run_jobs: RunJobs | None = None) -> DPOResult:
    """Stage 05 end to end (the notebook's cells in order); read back from disk when its manifest is current."""
    stage = begin(settings)
    if stage.done:
        return finish(stage)
    try:
        prompts = collect_prompts(stage)
        samples = sample_answers(stage, prompts)
        outcomes = run_answers(stage, prompts, samples, run_jobs=run_jobs)
        pairs = make_pairs(stage, prompts, outcomes)
        train(stage, pairs)
        measure_effect(stage)
    except BaseException:
        stage.close()
        raise
    return finish(stage)
