"""Stage 03 as steps (:mod:`seedkit.steps`); ``run_pretraining(settings)`` composes them for the CLI.

The notebook calls the same functions one cell at a time, in this order::

    stage = begin(settings)                               # inputs checked, stage started (or found done)
    inputs = corpus(stage)                                # files of stage 02, the two held-out sets
    tok = tokenizer(stage, inputs)                        # the parent's (+ FIM tokens), or a BPE for scratch
    blocks1 = pack_blocks(stage, inputs, tok, 1)          # FIM-transformed, token-mixed, packed: Blocks
    parent = measure_heldout(stage, inputs, tok, "parent")  # Heldout
    stage1 = train(stage, inputs, tok, 1, blocks1)        # regular pretraining, checkpointed: Trained
    after1 = measure_heldout(stage, inputs, tok, "stage1"); demos(stage, tok, "stage1")
    blocks2 = pack_blocks(stage, inputs, tok, 2)
    stage2 = train(stage, inputs, tok, 2, blocks2)        # continued: repo-level, longer context
    after2 = measure_heldout(stage, inputs, tok, "stage2"); demos(stage, tok, "stage2")
    spec = publish_model(stage, tok)                      # model/ = run:<run>/03_pretraining
    chat = chat_ability(stage, tok)                       # parent vs last stage: chat answer loss, paired
    effect = measure_effect(stage)                        # parent vs this model on the basic problems: Effect
    ablation = ablate(stage, inputs)                      # scratch models, filtered vs rules_only, seeds
    result = finish(stage, inputs, tok)                   # metrics.json, stats.json, manifest last

Each step's product (:mod:`seedkit.pretraining.products`) is saved under ``steps/<settings>-<inputs>/``
(:meth:`seedkit.steps.Stage.step`), so a rerun cell, a restarted kernel or a killed stage reuses what
is finished and a changed setting or input recomputes; training resumes from its last checkpoint. A
step that produced files (a trained model) is reused only when those files are still there.

Under ``torchrun``/``accelerate launch`` every process trains (DDP through the Trainer); the first
process makes the training data (the others read it), writes the stage's files and runs the
evaluations and demos.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seedkit.files import atomic_dir, hash_path, load_product
from seedkit.measure import effects
from seedkit.models import install_chat_template, train_tokenizer
from seedkit.pretraining.ablation import AblationSeed, ablation_steps, run_ablation_seed, summarize
from seedkit.pretraining.chat import chat_change, chat_documents, chat_losses, probe_problems
from seedkit.pretraining.data import PretrainInputs, load_inputs, stage1_mixture, stage2_mixture
from seedkit.pretraining.demos import fim_demo, greedy_completions
from seedkit.pretraining.fim import FimTokens, ensure_fim_tokens
from seedkit.pretraining.heldout import evaluate_sets, heldout_changes, windows_dataset
from seedkit.pretraining.models import (
    STAGE,
    load_stage_model,
    load_tokenizer,
    lora_config,
    parent_spec,
    save_stage_model,
    say,
)
from seedkit.pretraining.packing import pack
from seedkit.pretraining.products import Ablation, Blocks, ChatAbility, Demos, Effect, Heldout, Trained
from seedkit.pretraining.result import PretrainResult, records
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import remove_checkpoints, stage_lr, train_phase
from seedkit.runs import CHECKPOINTS, MANIFEST, StageRun, is_main_process, run_model_spec
from seedkit.steps import Stage
from seedkit.training import split_batch

# --------------------------------------------------------------------------- the open stage


@dataclass
class PretrainingStage(Stage):
    """An open stage 03 (:class:`seedkit.steps.Stage`), with the key of its inputs (its checkpoints
    live under it) and the models trained in this process."""

    inputs_key: str = ""
    models: dict[str, Any] = field(default_factory=dict)  # "stage1"/"stage2" -> model trained in this process

    @property
    def ckpt(self) -> Path:
        """Checkpoints of these inputs (a changed input never resumes from another input's checkpoint)."""
        return self.run.path / CHECKPOINTS / self.inputs_key

    def final_dir(self, n: int) -> Path:
        return self.ckpt / f"stage{n}" / "final"

    def last_stage(self) -> int:
        return 2 if self.settings.max_steps_stage2 > 0 else 1

    def say(self, line: str) -> None:
        if is_main_process():
            super().say(line)

    def step(self, name: str, compute: Callable[[], Any], *, product: type | None = None, dataset: bool = False,
             shared: bool = True, measures: bool = False, needs: tuple[Path, ...] = ()) -> Any:
        """:meth:`seedkit.steps.Stage.step`; a step whose files (``needs``) are gone is done again."""
        target = self.run.step_path(name, dataset=dataset or product is not None, measures=measures)
        if target.exists() and any(not p.exists() for p in needs):
            self.say(f"step {name}: its saved files are gone, so it is done again")
            if is_main_process():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
        return super().step(name, compute, product=product, dataset=dataset, shared=shared, measures=measures)

    def saved(self, name: str, product: type) -> Any:
        """What step ``name`` saved, read quietly; a one-line error when the step has not run."""
        target = self.run.step_path(name, dataset=True)
        if not target.exists():
            raise RuntimeError(f"step {name} has not run in this stage: run the notebook's cells in order "
                               "(or run_pretraining)")
        return load_product(product, target)

    def model_after(self, label: str) -> tuple[Any, bool]:
        """(model, trainable copy in memory) for 'parent', 'stage1' or 'stage2'."""
        if label in self.models:
            return self.models[label], True
        return load_stage_model(self.settings, self.final_dir(int(label[-1])) if label != "parent" else None,
                                tokenizer=None), False


def begin(settings: PretrainingSettings) -> PretrainingStage:
    """Check the inputs (stages 01 and 02, and the parent model when it is a run's stage), then start
    the stage, or find it done with these settings and inputs."""
    probe = StageRun(settings)
    dirs = {"01_curation": probe.input("01_curation", settings.curation_dir or None),
            "02_llm_filter": probe.input("02_llm_filter", settings.filter_dir or None)}
    parent = probe.model_input(parent_spec(settings))
    if parent is not None:
        dirs[parent[0]] = parent[1]
    digest = {name: hash_path(Path(d) / MANIFEST) for name, d in sorted(dirs.items())}
    key = hashlib.sha256(json.dumps(digest, sort_keys=True).encode()).hexdigest()[:10]
    return PretrainingStage.open(settings, dict(dirs), inputs_key=key)


# --------------------------------------------------------------------------- data and tokenizer


def corpus(stage: PretrainingStage) -> PretrainInputs:
    """Stage 02's corpora and stage 01's repositories, commits and web pages, with the two held-out
    sets removed from all of them (:func:`seedkit.pretraining.data.load_inputs`; read, not saved)."""

    with stage.run.timer("corpus"):
        return load_inputs(stage.settings, stage.inputs["01_curation"], stage.inputs["02_llm_filter"], say)


def _scratch_tokenizer(stage: PretrainingStage, inputs: PretrainInputs) -> Any:
    from transformers import AutoTokenizer

    saved = stage.ckpt / "tokenizer"
    # Only the first process reads or writes the saved tokenizer (others could catch it half-written);
    # BPE training is deterministic, so every process gets the same vocabulary.
    if is_main_process() and (saved / "tokenizer.json").exists():
        tok = AutoTokenizer.from_pretrained(str(saved))
        install_chat_template(tok)
        return tok
    texts = inputs.tokenizer_texts()
    vocab = stage.settings.scratch_dims()["vocab_size"]
    say(f"[{STAGE}] scratch tokenizer: byte-level BPE, vocab {vocab}, trained on both corpora and the other "
        f"sources ({sum(len(t) for t in texts) / 1e6:.2f}M characters, held-out files excluded), with the kit's "
        f"special tokens (FIM, repository name, end of text)")
    tok = train_tokenizer(texts, vocab_size=vocab)
    if is_main_process():

        with atomic_dir(saved) as tmp:
            tok.save_pretrained(str(tmp))
    return tok


def tokenizer(stage: PretrainingStage, inputs: PretrainInputs) -> Any:
    """The main model's tokenizer: the parent's own (with FIM tokens added when it has none), or
    (scratch) a BPE trained on the run's corpus. Kept with the checkpoints, not as a step product."""
    spec = parent_spec(stage.settings)
    with stage.run.timer("tokenizer"):
        if spec == "scratch":
            return _scratch_tokenizer(stage, inputs)
        tok = load_tokenizer(spec, stage.settings.runs_dir)

    added = ensure_fim_tokens(tok)
    fim = FimTokens.from_tokenizer(tok)
    say(f"[{STAGE}] tokenizer: {spec}'s own ({len(tok):,} tokens); FIM tokens {fim.suffix} {fim.prefix} "
        f"{fim.middle}" + (" added by the kit (the tokenizer had none; their embedding rows are trained)"
                           if added else ""))
    return tok


def pack_blocks(stage: PretrainingStage, inputs: PretrainInputs, tok: Any, n: int) -> Blocks:
    """Stage ``n``'s training data: sources mixed by token shares, FIM at the stage's rate, EOT-joined
    and cut into blocks of the stage's context (:func:`seedkit.pretraining.packing.pack`)."""
    s = stage.settings
    seq = s.seq_len_stage1 if n == 1 else s.seq_len_stage2
    fim_rate = s.fim_rate_stage1 if n == 1 else s.fim_rate_stage2

    def make() -> Blocks:
        steps = s.max_steps_stage1 if n == 1 else s.max_steps_stage2
        tokens = steps * s.global_batch_size * seq
        rng = random.Random(s.seed * 1000 + n)  # the same data on every rerun: resume skips the seen batches
        chat = (chat_documents(s.chat_data, tok, probe_problems(s.chat_probe_set, s.chat_probe_limit), rng)
                if s.chat_weight > 0 else None)
        mix = (stage1_mixture if n == 1 else stage2_mixture)(inputs, s, tok, tokens, FimTokens.from_tokenizer(tok),
                                                             rng, say, chat=chat)
        packed = pack(mix.docs, seq, tok.eos_token_id, tok.pad_token_id, keep_partial=False)
        return Blocks(packed.to_dataset(), mix.stats, len(packed), seq, packed.num_tokens, fim_rate)

    b = stage.step(f"blocks_stage{n}", make, product=Blocks)
    say(f"[{STAGE}] stage {n} data: {b.n_blocks} blocks of {b.seq_len} tokens ({b.tokens:,} tokens), FIM "
        f"rate {b.fim_rate}; mixture " + ", ".join(f"{k} {v['share']:.0%} ({v['epochs']} epochs)"
                                                   for k, v in b.mixture.items()))
    return b


# --------------------------------------------------------------------------- training


def _training_model(stage: PretrainingStage, tok: Any, n: int) -> Any:
    """The model stage ``n`` trains: the parent (n=1) or stage 1's model, with the stage's adapter."""
    s = stage.settings
    adapter, _ = s.adapter_choice()
    model = stage.models.pop(f"stage{n - 1}", None) if n == 2 else None
    if model is None:
        return load_stage_model(s, stage.final_dir(1) if n == 2 else None, tok, trainable=True)
    if adapter == "lora":  # the merged stage-1 model in memory gets fresh adapters
        from peft import get_peft_model

        model = get_peft_model(model, lora_config(s, tok))
    return model


def _train_stage(stage: PretrainingStage, inputs: PretrainInputs, tok: Any, n: int, blocks: Blocks) -> Trained:
    s = stage.settings
    adapter, why = s.adapter_choice()
    seq = s.seq_len_stage1 if n == 1 else s.seq_len_stage2
    steps = s.max_steps_stage1 if n == 1 else s.max_steps_stage2
    if n == 1:
        say(f"[{STAGE}] model: {parent_spec(s)} "
            + (f"trained from scratch ({s.scratch_dims()})" if parent_spec(s) == "scratch"
               else "(continued pretraining)") + f"; training: {adapter} ({why})")
    model = _training_model(stage, tok, n)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    lr_start, lr_end = stage_lr(s.learning_rate, n)
    split = split_batch(s.global_batch_size, s.per_device_max_batch)
    say(f"[{STAGE}] stage {n} ({'regular' if n == 1 else 'continued'} pretraining): {steps} steps x "
        f"{s.global_batch_size} x {seq} tokens, {trainable / 1e6:.2f}M trainable parameters, LR "
        f"{lr_start:.2e} -> {lr_end:.2e} (cosine), checkpoints every {s.save_steps} steps")
    eval_ds = None
    if s.eval_steps:

        files = inputs.heldout.get("random") or inputs.heldout["top_scored"]
        eval_ds = windows_dataset(tok, [f.content for f in files], seq, s.heldout_max_tokens)
    res = train_phase(model, tok, blocks.dataset, output_dir=stage.ckpt / f"stage{n}", label=f"stage {n}",
                      block_size=seq, device=s.resolved_device(), dtype=s.resolved_dtype(),
                      global_batch=s.global_batch_size, per_device_max=s.per_device_max_batch,
                      lr_start=lr_start, lr_end=lr_end, max_steps=steps,
                      warmup_ratio=s.warmup_ratio if n == 1 else 0.0, weight_decay=s.weight_decay,
                      save_steps=s.save_steps, eval_dataset=eval_ds, eval_steps=s.eval_steps or None,
                      seed=s.seed, verbose=is_main_process(), report_to=s.report_to,
                      logging_dir=stage.run.path / "tensorboard" / f"stage{n}",
                      gradient_checkpointing=s.gradient_checkpointing)
    model = save_stage_model(model, tok, stage.final_dir(n), s)
    if is_main_process():
        remove_checkpoints(stage.ckpt / f"stage{n}")
    stage.models[f"stage{n}"] = model
    return Trained(res, adapter, why, trainable, str(split), seq, s.fim_rate_stage1 if n == 1 else s.fim_rate_stage2)


def train(stage: PretrainingStage, inputs: PretrainInputs, tok: Any, n: int, blocks: Blocks) -> Trained:
    """Train stage ``n`` (1 regular, 2 continued) on ``blocks``, from the parent (n=1) or stage 1's model,
    with checkpoints every ``save_steps``; resumes from the newest one after a kill. Saves the model
    to ``checkpoints/<inputs>/stage<n>/final``; returns the training log, throughput and schedule.
    Every process of a launch trains (DDP)."""
    final = stage.final_dir(n)
    return stage.step(f"train_stage{n}", lambda: _train_stage(stage, inputs, tok, n, blocks), product=Trained,
                      shared=False, needs=(final / "seedkit_model.json",))


# --------------------------------------------------------------------------- measurements


def _model_for(stage: PretrainingStage, tok: Any, label: str) -> Any:
    if label == "parent":
        return load_stage_model(stage.settings, None, tok)
    return stage.model_after(label)[0]


def measure_heldout(stage: PretrainingStage, inputs: PretrainInputs, tok: Any, label: str) -> Heldout:
    """Held-out loss of the parent ('parent') or of a stage's model ('stage1', 'stage2') on both held-out
    sets, per file (for paired intervals) and per language, at stage 2's context length."""
    s = stage.settings

    def compute() -> Heldout:
        model = _model_for(stage, tok, label)
        sets = evaluate_sets(model, tok, inputs.heldout_sets(), s.seq_len_stage2, s.heldout_max_tokens,
                             s.per_device_max_batch)
        del model
        return Heldout(label, sets)

    res = stage.step(f"heldout_{label}", compute, product=Heldout)
    say(f"[{STAGE}] held-out loss, {label}: " + "; ".join(
        f"{k} {v['loss']:.3f} [{v['interval'][0]:.3f}, {v['interval'][1]:.3f}] over {v['files']} files "
        f"({v['tokens']:,} tokens)" for k, v in res.sets.items()))
    return res


def measure_chat(stage: PretrainingStage, tok: Any, label: str) -> ChatAbility:
    """The chat ability of the parent or of a stage's model: the loss of the probe problems' reference
    answers asked as the evaluation asks a chat model (:mod:`seedkit.pretraining.chat`); paired with the
    parent's, it says what continued pretraining cost or gave."""
    s = stage.settings

    def compute() -> ChatAbility:
        model = _model_for(stage, tok, label)
        losses = chat_losses(model, tok, probe_problems(s.chat_probe_set, s.chat_probe_limit), s.per_device_max_batch)
        del model
        return ChatAbility(label, losses)

    return stage.step(f"chat_{label}", compute, product=ChatAbility)


def chat_ability(stage: PretrainingStage, tok: Any) -> dict[str, Any]:
    """The parent's and the last stage's chat answer loss (:func:`measure_chat`) and their paired change
    with its interval over problems (:func:`seedkit.pretraining.chat.chat_change`)."""
    before = measure_chat(stage, tok, "parent").losses
    after = measure_chat(stage, tok, f"stage{stage.last_stage()}").losses
    return chat_change(after, before, STAGE, say)


def demonstrate(stage: PretrainingStage, tok: Any, label: str) -> Demos:
    """Greedy completions of fixed prompts and the fill-in-the-middle demo of a stage's model."""
    s = stage.settings

    def compute() -> Demos:
        model = _model_for(stage, tok, label)
        return Demos(label, greedy_completions(model, tok, max_new_tokens=s.completion_max_new_tokens),
                     fim_demo(model, tok, FimTokens.from_tokenizer(tok), s.fim_mode, s.fim_demo_max_new_tokens))

    return stage.step(f"demos_{label}", compute, product=Demos)


def ablate(stage: PretrainingStage, inputs: PretrainInputs) -> Ablation:
    """Filtered vs rules-only over ``ablation_seeds`` seeds (each seed a step of its own, so a killed
    ablation resumes at the seed it was in), summarized with intervals over seeds and over files."""
    s = stage.settings
    if not s.run_ablation:
        say(f"[{STAGE}] run_ablation=False: no ablation in this run")
        return Ablation(None, [])

    steps, tokens = ablation_steps(s)
    say(f"[{STAGE}] ablation: {s.ablation_seeds} seeds ({', '.join(map(str, s.ablation_seed_values()))}) x "
        f"(filtered, rules_only), scratch Llama {s.scratch_dims()}, {steps} steps x {s.global_batch_size} x "
        f"{s.ablation_seq_len} = {tokens:,} tokens per model, peak LR {s.ablation_learning_rate:g}")
    t0 = time.perf_counter()
    with stage.run.timer("ablation"):
        tok = _scratch_tokenizer(stage, inputs)
        fim = FimTokens.from_tokenizer(tok)
        sets = inputs.heldout_sets()
        per_seed = []
        # pass@1 of each ablation model: the stage's evidence problems, one greedy answer each (ablation.py)
        greedy = dataclasses.replace(s, eval_samples=1, eval_temperature=0.0)

        def measure_pass(model: Any, tokenizer: Any, label: str) -> dict[str, float]:
            return effects.measure((model, tokenizer), greedy, stage.run, label, model_spec="scratch",
                                   prompt_format="completion", progress=False).per_problem_pass_at_k(1)

        for seed in s.ablation_seed_values():
            per_seed.append(stage.step(f"ablation_seed{seed}", lambda seed=seed: run_ablation_seed(
                inputs, s, tok, fim, sets, stage.ckpt / "ablation", seed, say, verbose=is_main_process(),
                measure_pass=measure_pass),
                product=AblationSeed, shared=False))  # every process: under DDP the Trainers need all of them
        result = Ablation(summarize(per_seed, s), per_seed)
    took = time.perf_counter() - t0
    say(f"[{STAGE}] " + result.describe())
    say(f"[{STAGE}] ablation cost: {took:.0f} s in this process for {s.ablation_seeds} seeds (seeds done before are "
        f"read back; one seed trains and scores 2 models, ~{result.summary['seconds_per_seed']:.0f} s of training); "
        "ablation_seeds sets how many, run_ablation=False skips it")
    return result


def _link_or_copy_tree(src: Path, dst: Path) -> None:

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    with atomic_dir(dst) as tmp:
        shutil.copytree(src, tmp, dirs_exist_ok=True, copy_function=link)


def publish_model(stage: PretrainingStage, tok: Any) -> str:
    """Publish the last stage's model as ``model/`` (and ``tokenizer/``) of the stage directory, where
    ``run:<run>/03_pretraining`` loads it from (stages 04 and 06 start from it); returns that spec."""

    if stage.done:  # a finished stage's files stay byte for byte as its manifest recorded them
        return run_model_spec(stage.settings.run_name, STAGE)
    final = stage.final_dir(stage.last_stage())
    if not (final / "seedkit_model.json").exists():
        raise RuntimeError(f"publish_model: stage {stage.last_stage()}'s model is missing ({final}); "
                           "run train first")
    if is_main_process():
        with stage.run.timer("save"):
            _link_or_copy_tree(final, stage.run.path / "model")
            tok.save_pretrained(str(stage.run.path / "tokenizer"))
    return run_model_spec(stage.settings.run_name, STAGE)


def _measure_effect(stage: PretrainingStage) -> Effect:
    s = stage.settings
    child = run_model_spec(s.run_name, STAGE)
    if not (stage.run.path / "model" / "seedkit_model.json").exists():
        raise RuntimeError(f"measure_effect: {child} is not saved yet; run publish_model first")
    parent = parent_spec(s)
    reuse = [d for name, d in stage.inputs.items() if name not in ("01_curation", "02_llm_filter")]
    out: dict[str, Any] = {}
    parent_model: Any = parent
    if parent == "scratch":  # the initialisation stage 1 started from (not saved: measured each time)
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(stage.run.path / "tokenizer"))
        parent_model = (load_stage_model(s, None, tok), tok)
    for fmt in s.effect_prompt_formats:
        before = effects.measure(parent_model, s, stage.run, f"parent_{fmt}", model_spec=parent,
                                 prompt_format=fmt, reuse_from=reuse)
        after = effects.measure(child, s, stage.run, f"{STAGE}_{fmt}", prompt_format=fmt)
        out[fmt] = effects.effect(after, before, "parent", STAGE, print_fn=say)
    return Effect(out)


def measure_effect(stage: PretrainingStage) -> Effect:
    """The parent and this stage's model (``model/``, see :func:`publish_model`) measured on the same
    problems (``eval_set``) in each of ``effect_prompt_formats`` (``seedkit.measure.effects``): per
    format, pass@1 of both, 95% intervals and the paired difference. The parent's measurements are
    reused from any stage directory of the run that made them with the same settings; this stage's
    are what stages 04 and 06 reuse as their "before"."""
    if not stage.settings.effect_prompt_formats:
        say(f"[{STAGE}] effect_prompt_formats=[]: the effect on {stage.settings.eval_set} is not measured")
        return Effect({})
    return stage.step("effect", lambda: _measure_effect(stage), product=Effect, shared=False, measures=True,
                      needs=(stage.run.path / "model" / "seedkit_model.json",))


# --------------------------------------------------------------------------- finish


def finish(stage: PretrainingStage, inputs: PretrainInputs | None, tok: Any) -> PretrainResult:
    """Write ``metrics.json``, ``stats.json`` and the manifest (last), from what every step saved, so
    this works after a restarted kernel as well; a stage already done is only loaded (``inputs`` and
    ``tok`` may then be None). Closes the stage."""
    try:
        if stage.done:
            return PretrainResult.load(stage.run.path)
        if not is_main_process():  # the other processes of a launch trained alongside; the first one writes
            return PretrainResult(stage.run.path, {}, {}, None, False)
        if inputs is None or tok is None:
            raise RuntimeError("finish: the stage is not done; pass the corpus and the tokenizer of its steps")
        s = stage.settings
        stages = {}
        for n in range(1, stage.last_stage() + 1):
            demos = stage.saved(f"demos_stage{n}", Demos)
            stages[f"stage{n}"] = {**asdict(stage.saved(f"train_stage{n}", Trained)),
                                   **stage.saved(f"blocks_stage{n}", Blocks).stats(),
                                   "completions": demos.completions, "fim_demo": demos.fim_demo}
        evals = {label: stage.saved(f"heldout_{label}", Heldout).sets for label in ("parent", *stages)}
        chat = chat_change(stage.saved(f"chat_stage{stage.last_stage()}", ChatAbility).losses,
                           stage.saved("chat_parent", ChatAbility).losses, STAGE, say=None)
        ablation = Ablation(None, [])
        if s.run_ablation:

            per_seed = [stage.saved(f"ablation_seed{seed}", AblationSeed) for seed in s.ablation_seed_values()]
            ablation = Ablation(summarize(per_seed, s), per_seed)
        publish_model(stage, tok)
        effect = measure_effect(stage)
        metrics, stats, summary = records(s, stages, evals, heldout_changes(evals), effect, ablation, inputs.stats,
                                          chat)
        stage.run.save_json("metrics.json", metrics)
        stage.run.save_json("stats.json", stats)
        manifest = stage.run.finish(metrics=summary, outputs=["model", "tokenizer", "metrics.json", "stats.json"])
        changes = metrics["heldout_changes"]
        last = f"stage{stage.last_stage()}"
        change = changes.get("random", changes.get("top_scored", {})).get(f"{last} - parent", {})
        say(f"[{STAGE}] done: model at {stage.run.path / 'model'} (load it as run:{s.run_name}/{STAGE}); held-out "
            f"loss change vs the parent {change.get('mean', float('nan')):+.4f} {change.get('interval', '')}")
        return PretrainResult(stage.run.path, metrics, stats, manifest, False)
    finally:
        stage.close()


# --------------------------------------------------------------------------- the stage


def run_pretraining(settings: PretrainingSettings) -> PretrainResult:
    """Run stage 03 (or load its result when it is done with these settings and inputs): the notebook's
    steps, in its order."""

    stage = begin(settings)
    if stage.done:
        return finish(stage, None, None)
    try:
        inputs = corpus(stage)
        tok = tokenizer(stage, inputs)
        main = is_main_process()
        if main:
            measure_heldout(stage, inputs, tok, "parent")
        for n in range(1, stage.last_stage() + 1):
            blocks = pack_blocks(stage, inputs, tok, n)
            train(stage, inputs, tok, n, blocks)
            if main:
                measure_heldout(stage, inputs, tok, f"stage{n}")
                demonstrate(stage, tok, f"stage{n}")
        if main:
            chat_ability(stage, tok)
        stage.models.clear()
        ablate(stage, inputs)  # every process: under DDP the ablation's Trainers need all of them
    except BaseException:
        stage.close()
        raise
    return finish(stage, inputs, tok)
