"""Stage 03 as step functions; ``run_pretraining(settings)`` composes them for the CLI.

The notebook calls the same functions one cell at a time, in this order::

    stage = open_stage(settings)                          # inputs checked, stage started (or found done)
    inputs = step_corpus(stage)                           # files of stage 02, the two held-out sets
    tokenizer = step_tokenizer(stage, inputs)             # the parent's (+ FIM tokens), or a BPE for scratch
    blocks1 = step_blocks(stage, inputs, tokenizer, 1)    # FIM-transformed, token-mixed, packed
    parent = step_heldout(stage, inputs, tokenizer, "parent")
    stage1 = step_train(stage, inputs, tokenizer, 1, blocks1)  # regular pretraining, checkpointed
    after1 = step_heldout(stage, inputs, tokenizer, "stage1"); step_demos(stage, tokenizer, "stage1")
    blocks2 = step_blocks(stage, inputs, tokenizer, 2)
    stage2 = step_train(stage, inputs, tokenizer, 2, blocks2)  # continued: repo-level, longer context
    after2 = step_heldout(stage, inputs, tokenizer, "stage2"); step_demos(stage, tokenizer, "stage2")
    step_save_model(stage, tokenizer)                     # model/ = run:<run>/03_pretraining
    effect = step_effect(stage)                           # parent vs this model on the basic problems
    ablation = step_ablation(stage, inputs)               # scratch models, filtered vs rules_only, seeds
    result = finish_stage(stage, inputs, tokenizer)       # metrics.json, stats.json, manifest last

Each step's product is saved under ``steps/<config hash>/`` (``StageRun.step``) with a key of the
stage's inputs, so a rerun cell, a restarted kernel or a killed stage reuses what is finished
and a changed setting or input recomputes; training resumes from its last checkpoint. A step
that produced files (a trained model) is reused only when those files are still there.

Under ``torchrun``/``accelerate launch`` every process trains (DDP through the Trainer); only
the first process writes the stage's files and runs the evaluations and demos.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.files import atomic_dir, hash_path
from seedkit.measure import effects
from seedkit.models import (
    CHATML_TEMPLATE,
    LoraOptions,
    ensure_smollm2_cache,
    load_model,
    resolve_spec,
    save_model,
    train_tokenizer,
)
from seedkit.pretraining.ablation import (
    ablation_steps,
    describe,
    reseed_weights,
    run_ablation_seed,
    summarize,
)
from seedkit.pretraining.data import load_inputs, stage1_mixture, stage2_mixture
from seedkit.pretraining.demos import fim_demo, greedy_completions
from seedkit.pretraining.fim import FimTokens, ensure_fim_tokens
from seedkit.pretraining.heldout import evaluate_sets, paired_difference, windows_dataset
from seedkit.pretraining.packing import pack
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import remove_checkpoints, stage_lr, train_phase
from seedkit.runs import CHECKPOINTS, MANIFEST, StageRun, is_main_process, read_manifest, run_model_spec
from seedkit.training import split_batch, torch_threads

STAGE = "03_pretraining"


def _say(*args: Any, **kw: Any) -> None:
    if is_main_process():
        print(*args, **kw)


# --------------------------------------------------------------------------- the open stage


@dataclass
class Stage03:
    """An open stage 03: its settings, run directory, inputs, and the models trained in this process."""

    settings: PretrainingSettings
    run: StageRun
    input_dirs: dict[str, Path]
    inputs_key: str
    done: bool
    models: dict[str, Any] = field(default_factory=dict)  # "stage1"/"stage2" -> model trained in this process

    @property
    def ckpt(self) -> Path:
        """Checkpoints of these inputs (a changed input never resumes from another input's checkpoint)."""
        return self.run.path / CHECKPOINTS / self.inputs_key

    def final_dir(self, n: int) -> Path:
        return self.ckpt / f"stage{n}" / "final"

    def last_stage(self) -> int:
        return 2 if self.settings.max_steps_stage2 > 0 else 1

    def step(self, name: str, compute: Callable[[], Any], *, dataset: bool = False,
             needs: tuple[Path, ...] = (), measures: bool = False) -> Any:
        """``StageRun.step`` keyed by these inputs too; a step whose files (``needs``) are gone is redone."""
        key = f"{name}.{self.inputs_key}"
        target = self.run.step_path(key, dataset=dataset, measures=measures)
        if target.exists() and any(not p.exists() for p in needs):
            _say(f"[{STAGE}] step {name}: its saved files are gone, so it is done again")
            if is_main_process():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
        return self.run.step(key, compute, dataset=dataset, measures=measures)

    def saved(self, name: str) -> Any:
        """What step ``name`` saved (JSON), read quietly; a one-line error when the step has not run."""
        target = self.run.step_path(f"{name}.{self.inputs_key}")
        if not target.exists():
            raise RuntimeError(f"step {name} has not run in this stage: run the notebook's cells in order "
                               "(or run_pretraining)")
        return json.loads(target.read_text(encoding="utf-8"))

    def model_after(self, label: str) -> tuple[Any, bool]:
        """(model, trainable copy in memory) for 'parent', 'stage1' or 'stage2'."""
        if label in self.models:
            return self.models[label], True
        return load_stage_model(self.settings, self.final_dir(int(label[-1])) if label != "parent" else None,
                                tokenizer=None), False


def parent_spec(settings: PretrainingSettings) -> str:
    """The model spec stage 03 starts from, as this run reads it ('scratch' stays 'scratch' here)."""
    spec = settings.model_spec()
    return spec if spec == "scratch" else spec.replace("{run}", settings.run_name)


def open_stage(settings: PretrainingSettings) -> Stage03:
    """Check the inputs (stages 01 and 02, and the parent model when it is a run's stage), then start
    the stage, or find it done with these settings and inputs."""
    run = StageRun(settings)
    dirs = {"01_curation": run.input("01_curation", settings.curation_dir or None),
            "02_llm_filter": run.input("02_llm_filter", settings.filter_dir or None)}
    parent = run.model_input(parent_spec(settings))
    if parent is not None:
        dirs[parent[0]] = parent[1]
    digest = {name: hash_path(Path(d) / MANIFEST) for name, d in sorted(dirs.items())}
    key = hashlib.sha256(json.dumps(digest, sort_keys=True).encode()).hexdigest()[:10]
    done = run.is_done(dirs, quiet=not is_main_process())
    if not done:
        run.start(dirs)  # force=True deletes the saved steps there  # on other processes it only records the inputs
    return Stage03(settings, run, dirs, key, done)


# --------------------------------------------------------------------------- models and tokenizers


def load_tokenizer(spec: str, runs_dir: str = "") -> Any:
    """The tokenizer of a model spec without loading the model (the model loader resolves the spec)."""
    from transformers import AutoTokenizer

    kind, where = resolve_spec(spec, runs_dir)
    if kind == "packaged":
        where = ensure_smollm2_cache(verbose=is_main_process())
    tok = AutoTokenizer.from_pretrained(str(where), local_files_only=kind != "hub")
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    tok.chat_template = tok.chat_template or CHATML_TEMPLATE
    return tok


# Continued pretraining adapts every linear layer of the blocks (attention and MLP), as QLoRA does.
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def lora_config(settings: PretrainingSettings, tokenizer: Any) -> Any:
    """The LoRA configuration of continued pretraining: adapters on every linear layer of the blocks
    (attention and MLP, as QLoRA does), and the FIM tokens' embedding rows trainable, since a
    tokenizer that had no FIM tokens got them added (fresh rows) and they are what FIM teaches."""

    cfg = LoraOptions(r=settings.lora_r, alpha=2 * settings.lora_r, dropout=0.0, target_modules=LORA_TARGETS).to_peft()
    fim = FimTokens.from_tokenizer(tokenizer)
    if fim is not None:
        cfg.trainable_token_indices = {"embed_tokens": [fim.prefix_id, fim.suffix_id, fim.middle_id]}
    return cfg


def load_stage_model(settings: PretrainingSettings, final_dir: Path | None, tokenizer: Any,
                     trainable: bool = False) -> Any:
    """The parent (``final_dir`` None) or a stage's saved model; with ``trainable``, ready to train with
    the stage's adapter (fresh LoRA adapters, or the saved QLoRA adapter made trainable), its
    embeddings resized to the tokenizer (FIM tokens the kit added get rows initialised at the mean)."""

    spec = parent_spec(settings)
    adapter, _ = settings.adapter_choice()
    dev, dt, rd = settings.resolved_device(), settings.resolved_dtype(), settings.runs_dir
    verbose = is_main_process() and trainable
    if final_dir is None and spec == "scratch":

        model, _ = load_model("scratch", scratch_config=settings.scratch_dims(), tokenizer=tokenizer, device=dev,
                              dtype=dt, verbose=verbose)
        return reseed_weights(model, settings.seed)
    if final_dir is not None and adapter == "qlora":
        from peft import PeftModel

        base, _ = load_model(spec, device=dev, dtype=dt, load_in_4bit=True, runs_dir=rd, verbose=False)
        if tokenizer is not None and len(tokenizer) > base.get_input_embeddings().weight.shape[0]:
            base.resize_token_embeddings(len(tokenizer))
        return PeftModel.from_pretrained(base, str(final_dir), is_trainable=trainable)
    source = str(final_dir) if final_dir is not None else spec
    model, _ = load_model(source, device=dev, dtype=dt, runs_dir=rd, verbose=verbose,
                          load_in_4bit=trainable and adapter == "qlora" and final_dir is None)
    if not trainable:
        return model
    rows = model.get_input_embeddings().weight.shape[0]
    if tokenizer is not None and len(tokenizer) > rows:
        model.resize_token_embeddings(len(tokenizer), mean_resizing=True)
        _say(f"[{STAGE}] embeddings: {rows:,} -> {len(tokenizer):,} rows for the added tokens, initialised at the "
             f"mean of the others (mean_resizing)")
    if adapter in ("lora", "qlora"):
        from peft import get_peft_model

        model_spec = model._seedkit_spec
        model = get_peft_model(model, lora_config(settings, tokenizer))
        model._seedkit_spec = model_spec
    return model


def save_stage_model(model: Any, tokenizer: Any, path: Path, settings: PretrainingSettings) -> Any:
    """Save a stage's model where the next stage loads it from; return the model to keep training.

    LoRA adapters are merged into full weights (stages 04 and 06 load the model plainly and add their
    own adapters); a QLoRA adapter stays an adapter over the 4-bit base, with the base's spec
    (merging into 4-bit weights would lose precision; the loader merges it into a full-precision base).
    """

    adapter, _ = settings.adapter_choice()
    if adapter == "lora" and hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    save_model(model, tokenizer, path, base_spec=parent_spec(settings) if adapter == "qlora" else None,
               runs_dir=settings.runs_dir)
    return model


# --------------------------------------------------------------------------- steps


def step_corpus(stage: Stage03) -> Any:
    """Stage 02's corpora and stage 01's repositories, commits and web pages, with the two held-out
    sets removed from all of them (:func:`seedkit.pretraining.data.load_inputs`)."""

    with stage.run.timer("corpus"):
        return load_inputs(stage.settings, stage.input_dirs["01_curation"], stage.input_dirs["02_llm_filter"], _say)


def _scratch_tokenizer(stage: Stage03, inputs: Any) -> Any:
    from transformers import AutoTokenizer

    saved = stage.ckpt / "tokenizer"
    # Only the first process reads or writes the saved tokenizer (others could catch it half-written);
    # BPE training is deterministic, so every process gets the same vocabulary.
    if is_main_process() and (saved / "tokenizer.json").exists():
        tok = AutoTokenizer.from_pretrained(str(saved))
        tok.chat_template = tok.chat_template or CHATML_TEMPLATE
        return tok
    texts = inputs.tokenizer_texts()
    vocab = stage.settings.scratch_dims()["vocab_size"]
    _say(f"[{STAGE}] scratch tokenizer: byte-level BPE, vocab {vocab}, trained on both corpora and the other "
         f"sources ({sum(len(t) for t in texts) / 1e6:.2f}M characters, held-out files excluded), with the kit's "
         f"special tokens (FIM, repository name, end of text)")
    tok = train_tokenizer(texts, vocab_size=vocab)
    if is_main_process():

        with atomic_dir(saved) as tmp:
            tok.save_pretrained(str(tmp))
    return tok


def step_tokenizer(stage: Stage03, inputs: Any) -> Any:
    """The main model's tokenizer: the parent's own, or (scratch) a BPE trained on the run's corpus."""
    spec = parent_spec(stage.settings)
    with stage.run.timer("tokenizer"):
        if spec == "scratch":
            return _scratch_tokenizer(stage, inputs)
        tok = load_tokenizer(spec, stage.settings.runs_dir)

    added = ensure_fim_tokens(tok)
    fim = FimTokens.from_tokenizer(tok)
    _say(f"[{STAGE}] tokenizer: {spec}'s own ({len(tok):,} tokens); FIM tokens {fim.suffix} {fim.prefix} "
         f"{fim.middle}" + (" added by the kit (the tokenizer had none; their embedding rows are trained)"
                            if added else ""))
    return tok


def build_blocks(stage: Stage03, inputs: Any, tokenizer: Any, n: int) -> tuple[Any, dict[str, Any]]:
    """(PackedBlocks, mixture stats) of stage ``n``: token-share mixture, FIM at the stage's rate, packed."""

    s = stage.settings
    seq = s.seq_len_stage1 if n == 1 else s.seq_len_stage2
    steps = s.max_steps_stage1 if n == 1 else s.max_steps_stage2
    tokens = steps * s.global_batch_size * seq
    rng = random.Random(s.seed * 1000 + n)  # the same data on every rerun: resume skips the seen batches
    mix = (stage1_mixture if n == 1 else stage2_mixture)(inputs, s, tokenizer, tokens,
                                                         FimTokens.from_tokenizer(tokenizer), rng, _say)
    blocks = pack(mix.docs, seq, tokenizer.eos_token_id, tokenizer.pad_token_id, keep_partial=False)
    stats = {"mixture": mix.stats, "blocks": len(blocks), "seq_len": seq, "tokens": blocks.num_tokens,
             "fim_rate": s.fim_rate_stage1 if n == 1 else s.fim_rate_stage2}
    return blocks, stats


def step_blocks(stage: Stage03, inputs: Any, tokenizer: Any, n: int) -> Any:
    """Stage ``n``'s training blocks as a dataset (input_ids, attention_mask, labels); its mixture
    stats are in ``stage.run`` step ``mixture_stage<n>`` (see :func:`mixture_stats`)."""
    held: dict[str, Any] = {}

    def make() -> Any:
        blocks, held["stats"] = build_blocks(stage, inputs, tokenizer, n)
        return blocks.to_dataset()

    ds = stage.step(f"blocks_stage{n}", make, dataset=True)
    stats = stage.step(f"mixture_stage{n}", lambda: held.get("stats") or build_blocks(stage, inputs, tokenizer, n)[1])
    s = stats
    _say(f"[{STAGE}] stage {n} data: {s['blocks']} blocks of {s['seq_len']} tokens ({s['tokens']:,} tokens), FIM "
         f"rate {s['fim_rate']}; mixture " + ", ".join(f"{k} {v['share']:.0%} ({v['epochs']} epochs)"
                                                       for k, v in s["mixture"].items()))
    return ds


def mixture_stats(stage: Stage03, n: int) -> dict[str, Any]:
    """What :func:`step_blocks` recorded about stage ``n``'s mixture."""
    return stage.saved(f"mixture_stage{n}")


def step_train(stage: Stage03, inputs: Any, tokenizer: Any, n: int, blocks: Any) -> dict[str, Any]:
    """Train stage ``n`` (1 regular, 2 continued) on ``blocks``, from the parent (n=1) or stage 1's model,
    with checkpoints every ``save_steps``; resumes from the newest one after a kill. Saves the model
    to ``checkpoints/<inputs>/stage<n>/final``; returns the training log, throughput and schedule."""

    s = stage.settings
    final = stage.final_dir(n)

    def compute() -> dict[str, Any]:
        adapter, why = s.adapter_choice()
        seq = s.seq_len_stage1 if n == 1 else s.seq_len_stage2
        steps = s.max_steps_stage1 if n == 1 else s.max_steps_stage2
        if n == 1:
            _say(f"[{STAGE}] model: {parent_spec(s)} "
                 + (f"trained from scratch ({s.scratch_dims()})" if parent_spec(s) == "scratch"
                    else "(continued pretraining)") + f"; training: {adapter} ({why})")
        model = stage.models.pop(f"stage{n - 1}", None) if n == 2 else None
        if model is None:
            model = load_stage_model(s, stage.final_dir(1) if n == 2 else None, tokenizer, trainable=True)
        elif adapter == "lora":  # the merged stage-1 model in memory gets fresh adapters
            from peft import get_peft_model

            model = get_peft_model(model, lora_config(s, tokenizer))
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        lr_start, lr_end = stage_lr(s.learning_rate, n)
        split = split_batch(s.global_batch_size, s.per_device_max_batch)
        _say(f"[{STAGE}] stage {n} ({'regular' if n == 1 else 'continued'} pretraining): {steps} steps x "
             f"{s.global_batch_size} x {seq} tokens, {trainable / 1e6:.2f}M trainable parameters, LR "
             f"{lr_start:.2e} -> {lr_end:.2e} (cosine), checkpoints every {s.save_steps} steps")
        eval_ds = None
        if s.eval_steps:

            files = inputs.heldout.get("random") or inputs.heldout["top_scored"]
            eval_ds = windows_dataset(tokenizer, [f.content for f in files], seq, s.heldout_max_tokens)
        res = train_phase(model, tokenizer, blocks, output_dir=stage.ckpt / f"stage{n}", label=f"stage {n}",
                          block_size=seq, device=s.resolved_device(), dtype=s.resolved_dtype(),
                          global_batch=s.global_batch_size, per_device_max=s.per_device_max_batch,
                          lr_start=lr_start, lr_end=lr_end, max_steps=steps,
                          warmup_ratio=s.warmup_ratio if n == 1 else 0.0, weight_decay=s.weight_decay,
                          save_steps=s.save_steps, eval_dataset=eval_ds, eval_steps=s.eval_steps or None,
                          seed=s.seed, verbose=is_main_process(), report_to=s.report_to,
                          logging_dir=stage.run.path / "tensorboard" / f"stage{n}")
        model = save_stage_model(model, tokenizer, final, s)
        if is_main_process():
            remove_checkpoints(stage.ckpt / f"stage{n}")
        stage.models[f"stage{n}"] = model
        return {"train": res.to_dict(), "adapter": adapter, "adapter_why": why, "trainable_parameters": trainable,
                "batch_split": str(split), "seq_len": seq, "fim_rate": s.fim_rate_stage1 if n == 1 else s.fim_rate_stage2}

    return stage.step(f"train_stage{n}", compute, needs=(final / "seedkit_model.json",))


def step_heldout(stage: Stage03, inputs: Any, tokenizer: Any, label: str) -> dict[str, Any]:
    """Held-out loss of the parent ('parent') or of a stage's model ('stage1', 'stage2') on both held-out
    sets, per file (for paired intervals) and per language, at stage 2's context length."""

    s = stage.settings

    def compute() -> dict[str, Any]:
        model, _ = stage.model_after(label) if label != "parent" else (
            load_stage_model(s, None, tokenizer), False)
        out = evaluate_sets(model, tokenizer, inputs.heldout_sets(), s.seq_len_stage2, s.heldout_max_tokens,
                            s.per_device_max_batch)
        del model
        return out

    res = stage.step(f"heldout_{label}", compute)
    _say(f"[{STAGE}] held-out loss, {label}: " + "; ".join(
        f"{k} {v['loss']:.3f} [{v['interval'][0]:.3f}, {v['interval'][1]:.3f}] over {v['files']} files "
        f"({v['tokens']:,} tokens)" for k, v in res.items()))
    return res


def heldout_changes(evals: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Paired loss changes on each held-out set: stage1 - parent, stage2 - stage1, final - parent."""

    labels = [k for k in ("parent", "stage1", "stage2") if k in evals]
    pairs = list(zip(labels, labels[1:], strict=False))
    if len(labels) > 2:
        pairs.append((labels[0], labels[-1]))
    out: dict[str, dict[str, Any]] = {}
    for before, after in pairs:
        for name in evals[after]:
            if name in evals[before]:
                out.setdefault(name, {})[f"{after} - {before}"] = paired_difference(evals[after][name],
                                                                                   evals[before][name])
    return out


def step_demos(stage: Stage03, tokenizer: Any, label: str) -> dict[str, Any]:
    """Greedy completions of fixed prompts and the fill-in-the-middle demo of a stage's model."""

    s = stage.settings

    def compute() -> dict[str, Any]:
        model, _ = stage.model_after(label) if label != "parent" else (load_stage_model(s, None, tokenizer), False)
        return {"completions": greedy_completions(model, tokenizer, max_new_tokens=s.completion_max_new_tokens),
                "fim_demo": fim_demo(model, tokenizer, FimTokens.from_tokenizer(tokenizer), s.fim_mode,
                                     s.fim_demo_max_new_tokens)}

    return stage.step(f"demos_{label}", compute)


def step_ablation(stage: Stage03, inputs: Any) -> dict[str, Any]:
    """Filtered vs rules-only over ``ablation_seeds`` seeds (each seed a step of its own, so a killed
    ablation resumes at the seed it was in): {"summary": mean and intervals, "per_seed": [...]}."""

    s = stage.settings
    if not s.run_ablation:
        _say(f"[{STAGE}] run_ablation=False: no ablation in this run")
        return {}

    steps, tokens = ablation_steps(s)
    _say(f"[{STAGE}] ablation: {s.ablation_seeds} seeds ({', '.join(map(str, s.ablation_seed_values()))}) x "
         f"(filtered, rules_only), scratch Llama {s.scratch_dims()}, {steps} steps x {s.global_batch_size} x "
         f"{s.ablation_seq_len} = {tokens:,} tokens per model, peak LR {s.ablation_learning_rate:g}")
    with stage.run.timer("ablation"):
        tok = _scratch_tokenizer(stage, inputs)
        fim = FimTokens.from_tokenizer(tok)
        sets = inputs.heldout_sets()
        per_seed = []
        for seed in s.ablation_seed_values():
            per_seed.append(stage.step(f"ablation_seed{seed}", lambda seed=seed: run_ablation_seed(
                inputs, s, tok, fim, sets, stage.ckpt / "ablation", seed, _say, verbose=is_main_process())))
        summary = summarize(per_seed, s)
    _say(f"[{STAGE}] " + describe(summary))
    return {"summary": summary, "per_seed": per_seed}


def step_save_model(stage: Stage03, tokenizer: Any) -> str:
    """Publish the last stage's model as ``model/`` (and ``tokenizer/``) of the stage directory, where
    ``run:<run>/03_pretraining`` loads it from (stages 04 and 06 start from it); returns that spec."""

    final = stage.final_dir(stage.last_stage())
    if not (final / "seedkit_model.json").exists():
        raise RuntimeError(f"step_save_model: stage {stage.last_stage()}'s model is missing ({final}); "
                           "run step_train first")
    if is_main_process():
        with stage.run.timer("save"):
            _link_or_copy_tree(final, stage.run.path / "model")
            tokenizer.save_pretrained(str(stage.run.path / "tokenizer"))
    return run_model_spec(stage.settings.run_name, STAGE)


def step_effect(stage: Stage03) -> dict[str, Any]:
    """The parent and this stage's model (``model/``, see :func:`step_save_model`) measured on the same
    problems (``eval_set``) in each of ``effect_prompt_formats`` (``seedkit.measure.effects``):
    {format: effect} with pass@1 of both, 95% intervals and the paired difference. The parent's
    measurements are reused from any stage directory of the run that made them with the same
    settings; this stage's are what stages 04 and 06 reuse as their "before"."""
    s = stage.settings
    if not s.effect_prompt_formats:
        _say(f"[{STAGE}] effect_prompt_formats=[]: the effect on {s.eval_set} is not measured")
        return {}

    def compute() -> dict[str, Any]:

        child = run_model_spec(s.run_name, STAGE)
        if not (stage.run.path / "model" / "seedkit_model.json").exists():
            raise RuntimeError(f"step_effect: {child} is not saved yet; run step_save_model first")
        parent = parent_spec(s)
        reuse = [d for name, d in stage.input_dirs.items() if name not in ("01_curation", "02_llm_filter")]
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
            out[fmt] = effects.effect(after, before, "parent", STAGE, print_fn=_say)
        return out

    return stage.step("effect", compute, needs=(stage.run.path / "model" / "seedkit_model.json",), measures=True)


# --------------------------------------------------------------------------- finish


@dataclass
class PretrainResult:
    """What the notebook shows and the manifest records; loaded from disk when the stage is skipped."""

    path: Path
    metrics: dict[str, Any]
    stats: dict[str, Any]
    manifest: dict[str, Any] | None = None
    skipped: bool = False

    @classmethod
    def load(cls, path: str | os.PathLike[str], skipped: bool = True) -> PretrainResult:

        p = Path(path)
        return cls(p, json.loads((p / "metrics.json").read_text()), json.loads((p / "stats.json").read_text()),
                   read_manifest(p), skipped)

    @property
    def model_spec(self) -> str:
        return f"run:{self.path.parent.name}/{self.path.name}"

    def stage(self, n: int) -> dict[str, Any]:
        return self.metrics["stages"].get(f"stage{n}", {})

    @property
    def ablation(self) -> dict[str, Any]:
        return self.stats.get("ablation", {})


def _link_or_copy_tree(src: Path, dst: Path) -> None:

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    with atomic_dir(dst) as tmp:
        shutil.copytree(src, tmp, dirs_exist_ok=True, copy_function=link)


def _strip_per_file(evals: dict[str, Any]) -> dict[str, Any]:
    return {k: {kk: vv for kk, vv in v.items() if kk not in ("per_file", "ids")} for k, v in evals.items()}


def finish_stage(stage: Stage03, inputs: Any, tokenizer: Any) -> PretrainResult:
    """Write ``metrics.json``, ``stats.json`` and the manifest (last), from what every step saved, so
    this works after a restarted kernel as well; a stage already done is only loaded."""
    if stage.done:
        return PretrainResult.load(stage.run.path)
    if not is_main_process():  # the other processes of a launch trained alongside; the first one writes
        return PretrainResult(stage.run.path, {}, {}, None, False)
    s = stage.settings
    steps = {f"stage{n}": {**stage.saved(f"train_stage{n}"), **stage.saved(f"mixture_stage{n}"),
                           **stage.saved(f"demos_stage{n}")} for n in range(1, stage.last_stage() + 1)}
    evals = {label: stage.saved(f"heldout_{label}") for label in ("parent", *steps)}
    ablation: dict[str, Any] = {}
    if s.run_ablation:

        per_seed = [stage.saved(f"ablation_seed{seed}") for seed in s.ablation_seed_values()]
        ablation = {"summary": summarize(per_seed, s), "per_seed": per_seed}
    step_save_model(stage, tokenizer)
    effect_by_format = step_effect(stage)
    # the manifest's effect: the first format asked for (completion on every profile: what a base model
    # is asked); every format's is beside it
    effect = effect_by_format[s.effect_prompt_formats[0]] if effect_by_format else {}
    changes = heldout_changes(evals)
    last = f"stage{stage.last_stage()}"
    metrics = {
        "parent_model": parent_spec(s), "model_spec": f"run:{s.run_name}/{STAGE}",
        "adapter": steps["stage1"]["adapter"], "adapter_why": steps["stage1"]["adapter_why"],
        "stages": steps, "heldout": _strip_per_file_all(evals), "heldout_changes": changes,
        "effect": effect, "effect_by_format": effect_by_format, "ablation": ablation.get("summary"),
    }
    stats = {"data": inputs.stats, "ablation": ablation,
             "tokens_trained": {k: v["train"]["global_step"] * v["train"]["tokens_per_step"] for k, v in steps.items()}}
    stage.run.save_json("metrics.json", metrics)
    stage.run.save_json("stats.json", stats)
    summary = {
        "parent_model": parent_spec(s),
        "adapter": metrics["adapter"],
        "heldout_loss": {k: v["loss"] for k, v in evals[last].items()},
        "heldout_loss_parent": {k: v["loss"] for k, v in evals["parent"].items()},
        "heldout_change": {k: v.get(f"{last} - parent") for k, v in changes.items()},
        "tokens_per_second_stage1": steps["stage1"]["train"]["tokens_per_second"],
        "tokens_trained": sum(stats["tokens_trained"].values()),
        "effect": effect,
        "effect_by_format": {k: v["line"] for k, v in effect_by_format.items()},
        "ablation": _ablation_headline(ablation),
    }
    suffix = f".{stage.inputs_key}"  # step timings are recorded under their keyed names
    stage.run.timings = {k.removesuffix(suffix): v for k, v in stage.run.timings.items()}
    manifest = stage.run.finish(metrics=summary, outputs=["model", "tokenizer", "metrics.json", "stats.json"])
    change = changes.get("random", changes.get("top_scored", {})).get(f"{last} - parent", {})
    _say(f"[{STAGE}] done: model at {stage.run.path / 'model'} (load it as run:{s.run_name}/{STAGE}); held-out "
         f"loss change vs the parent {change.get('mean', float('nan')):+.4f} {change.get('interval', '')}")
    return PretrainResult(stage.run.path, metrics, stats, manifest, False)


def _strip_per_file_all(evals: dict[str, Any]) -> dict[str, Any]:
    return {label: _strip_per_file(v) for label, v in evals.items()}


def _ablation_headline(ablation: dict[str, Any] | None) -> dict[str, Any] | None:
    summary = (ablation or {}).get("summary")
    if not summary:
        return None
    return {"n_seeds": summary["n_seeds"], "tokens_each": summary["tokens_each"],
            **{name: {k: v[k] for k in ("mean", "interval", "interval_over_files", "verdict")}
               for name, v in summary["sets"].items()}}


# --------------------------------------------------------------------------- the stage


def run_pretraining(settings: PretrainingSettings) -> PretrainResult:
    """Run stage 03 (or load its result when it is done with these settings and inputs): the notebook's
    steps, in its order."""

    with torch_threads(settings.torch_threads, STAGE):
        stage = open_stage(settings)
        if stage.done:
            return PretrainResult.load(stage.run.path)
        inputs = step_corpus(stage)
        tokenizer = step_tokenizer(stage, inputs)
        main = is_main_process()
        if main:
            step_heldout(stage, inputs, tokenizer, "parent")
        for n in range(1, stage.last_stage() + 1):
            blocks = step_blocks(stage, inputs, tokenizer, n)
            step_train(stage, inputs, tokenizer, n, blocks)
            if main:
                step_heldout(stage, inputs, tokenizer, f"stage{n}")
                step_demos(stage, tokenizer, f"stage{n}")
        stage.models.clear()
        step_ablation(stage, inputs)  # every process: under DDP the ablation's Trainers need all of them
        return finish_stage(stage, inputs, tokenizer)
