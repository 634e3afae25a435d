"""Stage 05: execution-verified preference pairs and DPO (``run_dpo``).

The stage samples ``samples_per_prompt`` answers per prompt from the stage-04 model, runs them in
the sandbox, builds pairs (:mod:`seedkit.dpo.pairs`), trains with TRL's ``DPOTrainer`` and
checks pass@1 on a held-out slice before and after.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.dpo.pairs import (
    ANSWER_STOP,
    PAIR_COLUMNS,
    PromptRecord,
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
from seedkit.dpo.settings import DPOSettings

CURVE_KEYS = ("loss", "rewards/margins", "rewards/accuracies", "rewards/chosen", "rewards/rejected")


# --------------------------------------------------------------------------- result


@dataclass
class DPOResult:
    """What the notebook plots: the pairs, per-prompt records, training logs and before/after pass@1."""

    path: Path
    pairs: list[dict[str, Any]]
    prompts: list[dict[str, Any]]
    summary: dict[str, Any]
    log_history: list[dict[str, Any]] = field(default_factory=list)
    pass_at_1_before: float | None = None
    pass_at_1_after: float | None = None
    reference_model: str = ""
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


def load_result(path: str | Path, skipped: bool = True) -> DPOResult:
    """Read a finished stage 05 directory back (what the notebook shows when the stage is skipped)."""
    from seedkit.runs import load_dataset_dir

    path = Path(path)
    metrics = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
    return DPOResult(
        path=path,
        pairs=load_dataset_dir(path / "pairs").to_list(),
        prompts=load_dataset_dir(path / "prompts").to_list(),
        summary=json.loads((path / "stats.json").read_text(encoding="utf-8")),
        log_history=metrics.get("log_history", []),
        pass_at_1_before=metrics.get("pass_at_1_before"),
        pass_at_1_after=metrics.get("pass_at_1_after"),
        reference_model=metrics.get("reference_model", ""),
        trained=metrics.get("trained", False),
        skipped=skipped,
    )


# --------------------------------------------------------------------------- prompts


def collect_tasks(settings: DPOSettings, sft_dir: Path | None) -> list[PromptTask]:
    """Prompts with tests: stage 04's held-back verified items, then the kit's training problems.

    The held-out evaluation problems are never used here. With ``max_prompts`` the list is cut
    after a seeded shuffle within each source, held-back items first (they come from the same
    distribution the model was fine-tuned on).
    """
    rng = random.Random(settings.seed)
    held: list[PromptTask] = []
    if settings.use_held_for_dpo and sft_dir is not None and (sft_dir / "data").exists():
        from seedkit.runs import load_dataset_dir

        held = tasks_from_sft_items(load_dataset_dir(sft_dir / "data").to_list())
        rng.shuffle(held)
    train: list[PromptTask] = []
    if settings.use_train_problems:
        from seedkit.eval import load_train_problems

        train = tasks_from_problems(load_train_problems(language="python"))
        rng.shuffle(train)
    tasks = held + train
    if settings.max_prompts:
        tasks = tasks[:settings.max_prompts]
    print(f"[05_dpo] {len(tasks)} prompt(s): {sum(t.source == 'held_for_dpo' for t in tasks)} held back from SFT by "
          f"stage 04, {sum(t.source == 'train_problem' for t in tasks)} kit training problems"
          + (f" (max_prompts={settings.max_prompts})" if settings.max_prompts else ""))
    if not tasks:
        raise ValueError("05_dpo: no prompts: stage 04 held none back and use_train_problems is off; "
                         "turn use_train_problems on or raise stage 04's held_for_dpo_fraction")
    return tasks


def make_pairs(generator: Any, tasks: list[PromptTask], settings: DPOSettings, *, run_jobs: RunJobs | None = None
               ) -> tuple[list[dict[str, Any]], list[PromptRecord], dict[str, Any]]:
    """Sample, score and pair: returns (pairs, per-prompt records, summary)."""
    t0 = time.time()
    answers = generator.chat([t.conversation() for t in tasks], n=settings.samples_per_prompt,
                             temperature=settings.sampling_temperature,
                             max_new_tokens=settings.sampling_max_new_tokens, stop=list(ANSWER_STOP), progress=True,
                             **({"desc": "sampling answers"} if _accepts_desc(generator) else {}))
    answers = [[close_fence(a) for a in row] for row in answers]
    t_gen = time.time() - t0
    run_jobs = run_jobs or sandbox_runner(workers=settings.sandbox_workers)
    outcomes = score_answers(tasks, answers, timeout_s=settings.sandbox_timeout_s, run_jobs=run_jobs)
    # Only prompts where nothing passed need their reference (the fallback's chosen answer).
    need = [i for i, outs in enumerate(outcomes) if not any(o.passed for o in outs)]
    verified = [True] * len(tasks)
    if settings.off_policy_fallback and need:
        ok = verify_references([tasks[i] for i in need], timeout_s=settings.sandbox_timeout_s, run_jobs=run_jobs)
        for i, good in zip(need, ok, strict=True):
            verified[i] = good
    pairs, records = build_all_pairs(tasks, outcomes, max_pairs=settings.max_pairs_per_prompt,
                                     off_policy_fallback=settings.off_policy_fallback, reference_verified=verified,
                                     max_off_policy_pairs=settings.max_off_policy_pairs_per_prompt)
    summary = summarize(pairs, records)
    summary["sampling_s"] = round(t_gen, 1)
    summary["scoring_s"] = round(time.time() - t0 - t_gen, 1)
    print(f"[05_dpo] {summary['samples']} samples, {summary['samples_passed']} passed "
          f"({summary['sample_pass_rate']:.0%}); {summary['why']}")
    return pairs, records, summary


def _accepts_desc(generator: Any) -> bool:
    import inspect

    try:
        return "desc" in inspect.signature(generator.complete).parameters
    except (TypeError, ValueError, AttributeError):
        return False


# --------------------------------------------------------------------------- training


def to_preference_dataset(pairs: list[dict[str, Any]]) -> Any:
    """Pairs as a conversational preference dataset (prompt/chosen/rejected message lists) for TRL:
    the chat template is applied exactly as when the model sampled the answers."""
    from datasets import Dataset

    return Dataset.from_list([{
        "prompt": [{"role": "user", "content": p["prompt"]}],
        "chosen": [{"role": "assistant", "content": p["chosen"]}],
        "rejected": [{"role": "assistant", "content": p["rejected"]}],
    } for p in pairs])


def train_dpo(model: Any, tokenizer: Any, pairs: list[dict[str, Any]], settings: DPOSettings, output_dir: str | Path,
              *, device: str = "cpu", verbose: bool = True) -> tuple[Any, list[dict[str, Any]], str]:
    """DPO on ``pairs``; returns (trained model, log history, how the reference model was made).

    ``model`` may be an in-memory model (no hub name): the reference is built here, never
    reloaded by name (see the module docstring).
    """
    from peft import PeftModel
    from trl import DPOConfig, DPOTrainer

    from seedkit.models import LoraOptions
    from seedkit.training import trainer_kwargs

    kw = trainer_kwargs(output_dir=str(output_dir), device=device, global_batch=settings.global_batch_size,
                        per_device_max=settings.per_device_batch_max, learning_rate=settings.learning_rate,
                        max_steps=settings.max_steps if settings.max_steps > 0 else -1, seed=settings.seed,
                        verbose=verbose)
    args = DPOConfig(**kw, beta=settings.beta, max_length=settings.max_length, num_train_epochs=settings.num_epochs,
                     save_only_model=True)
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
                         processing_class=tokenizer, peft_config=peft_config)
    if isinstance(model, PeftModel):
        # an adapter loaded for inference is frozen: train the "default" one, keep TRL's "ref" copy frozen
        for name, param in trainer.model.named_parameters():
            if "lora_" in name:
                param.requires_grad_(".default." in name)
    trainer.train()
    trained = trainer.model
    if getattr(model, "_seedkit_continued_adapter", False):
        trained._seedkit_continued_adapter = True
    trained.eval()
    return trained, list(trainer.state.log_history), how


def adapter_base_spec(model: Any, spec: str, runs_dir: str | Path = "") -> str:
    """The spec a trained adapter must be saved against.

    A fresh adapter sits on the stage-04 model (``spec``). When the stage-04 model was itself an
    adapter kept unmerged (a 4-bit base), DPO went on training *that* adapter, so the result
    belongs on the stage-04 adapter's own base: saving it against ``spec`` would apply the
    stage-04 adapter twice. The frozen "ref" copy TRL made is dropped before saving.
    """
    if "ref" in getattr(model, "peft_config", {}):
        model.delete_adapter("ref")
    if not getattr(model, "_seedkit_continued_adapter", False):
        return spec
    from seedkit.models import SEEDKIT_MODEL_JSON, resolve_spec

    _, where = resolve_spec(spec, runs_dir)
    meta = json.loads((Path(where) / SEEDKIT_MODEL_JSON).read_text(encoding="utf-8"))
    return meta["base"]


# --------------------------------------------------------------------------- before / after


def heldout_pass_at_1(generator: Any, settings: DPOSettings, label: str) -> float | None:
    """Greedy pass@1 on the first ``eval_problems`` held-out Python problems (None when unavailable)."""
    try:
        from seedkit.eval import evaluate_model_on_problems, load_heldout

        problems = load_heldout(language="python")
    except (ImportError, FileNotFoundError) as e:
        print(f"[05_dpo] pass@1 {label}: skipped ({str(e).splitlines()[0][:120]})")
        return None
    if settings.eval_problems:
        problems = problems[:settings.eval_problems]
    report = evaluate_model_on_problems(generator, problems, n=1, temperature=0.0,
                                        max_new_tokens=settings.eval_max_new_tokens,
                                        workers=settings.sandbox_workers, prompt_format="chat")
    value = float(report.pass_at_1)
    print(f"[05_dpo] pass@1 {label} on {len(problems)} held-out problem(s): {value:.3f}")
    return value


# --------------------------------------------------------------------------- the stage


def run_dpo(settings: DPOSettings, *, run_jobs: RunJobs | None = None) -> DPOResult:
    """Stage 05 end to end; skipped (and read back from disk) when its manifest is current."""
    from seedkit.training import torch_threads

    with torch_threads(settings.torch_threads, "05_dpo"):
        return _run_dpo(settings, run_jobs=run_jobs)


def _run_dpo(settings: DPOSettings, *, run_jobs: RunJobs | None = None) -> DPOResult:
    from datasets import Dataset

    from seedkit.generation import TransformersGenerator
    from seedkit.models import load_model, resolve_device, save_model
    from seedkit.runs import StageRun

    run = StageRun(settings)
    needs_sft = settings.use_held_for_dpo or not settings.policy_model
    sft_dir = run.input("04_sft", settings.sft_input or None) if needs_sft else None
    inputs = {"04_sft": sft_dir} if sft_dir is not None else {}
    if run.is_done(inputs):
        return load_result(run.path)
    run.start(inputs)

    prof = settings.profile_info
    device, why = resolve_device(prof.device)
    spec = settings.resolved_policy_model()
    if settings.sft_input and not settings.policy_model:
        spec = str(Path(settings.sft_input) / "model")  # stage 04 of another run
    print(f"[05_dpo] policy model: {spec} (on-policy: it samples the answers and is then trained); device {device} ({why})")

    with run.timer("prompts"):
        tasks = collect_tasks(settings, sft_dir)
    with run.timer("load_model"):
        model, tok = load_model(spec, device=device, dtype=prof.dtype,
                                load_in_4bit=settings.finetune_method == "qlora", runs_dir=run.runs_dir)
    generator = TransformersGenerator(model, tok, batch_size=settings.generation_batch_size, name=spec)

    sampler: Any = generator
    if settings.sampler_server_url:
        from seedkit.generation import make_generator

        sampler = make_generator(settings.sampler_server_url, server_model=settings.server_model)
        print(f"[05_dpo] sampling from {sampler.name} (sampler_server_url): it must serve the same weights as "
              f"{spec}, or the pairs are not on-policy")
    with run.timer("pairs"):
        pairs, records, summary = make_pairs(sampler, tasks, settings, run_jobs=run_jobs)
    pairs_rows = [{k: p[k] for k in PAIR_COLUMNS} for p in pairs]
    empty = {"prompt": [], "chosen": [], "rejected": [], "task_id": [], "source": [], "pass_rate": [],
             "rejected_failure": [], "off_policy": []}
    run.save_dataset("pairs", Dataset.from_list(pairs_rows) if pairs_rows else Dataset.from_dict(empty))
    run.save_dataset("prompts", Dataset.from_list([r.to_row() for r in records]))
    run.save_json("stats.json", summary)

    with run.timer("eval_before"):
        before = heldout_pass_at_1(generator, settings, "before DPO")

    log_history: list[dict[str, Any]] = []
    how = ""
    trained = False
    if pairs:
        with run.timer("train"):
            model, log_history, how = train_dpo(model, tok, pairs, settings, run.path / "checkpoints", device=device)
        trained = True
    else:
        print(f"[05_dpo] no pairs, so no DPO step: model/ is the stage-04 model unchanged ({summary['why']})")

    after = before
    if trained:
        with run.timer("eval_after"):
            after = heldout_pass_at_1(TransformersGenerator(model, tok, batch_size=settings.generation_batch_size),
                                      settings, "after DPO")
    with run.timer("save_model"):
        save_model(model, tok, run.path / "model", base_spec=adapter_base_spec(model, spec, run.runs_dir),
                   runs_dir=run.runs_dir)

    last = next((r for r in reversed(log_history) if "rewards/margins" in r), {})
    metrics = {
        "pairs": summary["pairs"], "pairs_on_policy": summary["pairs_on_policy"],
        "pairs_off_policy": summary["pairs_off_policy"], "sample_pass_rate": summary["sample_pass_rate"],
        "pass_at_1_before": before, "pass_at_1_after": after, "trained": trained, "reference_model": how,
        "final_reward_margin": last.get("rewards/margins"), "final_reward_accuracy": last.get("rewards/accuracies"),
        "train_steps": max((r.get("step", 0) for r in log_history), default=0),
    }
    run.save_json("metrics.json", {**metrics, "log_history": log_history})
    import shutil

    shutil.rmtree(run.path / "checkpoints", ignore_errors=True)  # save_only_model checkpoints are not needed after
    run.finish(metrics=metrics)
    return load_result(run.path, skipped=False)
