"""Stage 03 entry point: ``run_pretraining(settings) -> PretrainResult``.

Reads stage 01 (repos, commits, web) and stage 02 (scored, filtered, rules_only) of the run,
trains the tokenizer (scratch models) and the model in two stages, evaluates after each, runs the
filtered-vs-rules ablation, and writes ``model/`` (loadable as ``run:<run>/03_pretraining``),
``tokenizer/``, ``checkpoints/``, ``metrics.json`` and ``stats.json``; ``manifest.json`` last.

Killed mid-way and started again with the same settings, it resumes: the tokenizer is reused from
``checkpoints/tokenizer``, a finished stage 1 from ``checkpoints/stage1/final``, and a stage in
progress from its newest ``checkpoint-<step>``.

Under ``torchrun``/``accelerate launch`` every process trains (DDP through the Trainer); only the
first process writes the stage's files and runs the evaluations and demos.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.pretraining.settings import PretrainingSettings
from seedkit.runs import is_main_process

CHECKPOINTS = "checkpoints"


@dataclass
class PretrainResult:
    """What the notebook plots: training logs, held-out reports, demos, the ablation; loaded from disk when skipped."""

    path: Path
    metrics: dict[str, Any]
    stats: dict[str, Any]
    manifest: dict[str, Any] | None = None
    skipped: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str], skipped: bool = True) -> PretrainResult:
        from seedkit.runs import read_manifest

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


# --------------------------------------------------------------------------- model and tokenizer


def _tokenizer_for_scratch(settings: PretrainingSettings, texts: list[str], ckpt: Path, say: Any) -> Any:
    from transformers import AutoTokenizer

    from seedkit.models import CHATML_TEMPLATE, train_tokenizer

    saved = ckpt / "tokenizer"
    # Only the first process reads or writes the saved tokenizer (others could catch it half-written);
    # BPE training is deterministic, so every process gets the same vocabulary.
    if is_main_process() and (saved / "tokenizer.json").exists():
        say(f"[03_pretraining] tokenizer: reusing {saved} (resume)")
        tok = AutoTokenizer.from_pretrained(str(saved))
        tok.chat_template = tok.chat_template or CHATML_TEMPLATE
        return tok
    vocab = settings.scratch_dims()["vocab_size"]
    chars = sum(len(t) for t in texts)
    say(f"[03_pretraining] tokenizer: byte-level BPE, vocab {vocab}, trained on the run's corpus "
        f"({chars / 1e6:.1f}M characters, held-out files excluded) with the kit's special tokens")
    tok = train_tokenizer(texts, vocab_size=vocab)
    if is_main_process():
        tok.save_pretrained(str(saved))
    return tok


def _load_initial_model(settings: PretrainingSettings, tokenizer: Any) -> tuple[Any, Any, str]:
    """(model, tokenizer, adapter kind) for stage 1."""
    from seedkit.models import LoraOptions, load_model

    spec = settings.model_spec()
    adapter, why = settings.adapter_choice()
    say = print if is_main_process() else (lambda *a, **k: None)
    say(f"[03_pretraining] model: {spec} ({'from scratch: ' + str(settings.scratch_dims()) if spec == 'scratch' else 'continued pretraining'}); "
          f"training: {adapter} ({why})")
    if spec == "scratch":
        model, tok = load_model("scratch", scratch_config=settings.scratch_dims(), tokenizer=tokenizer,
                                device=settings.resolved_device(), dtype=settings.resolved_dtype(), verbose=is_main_process())
        return model, tok, "full"
    model, tok = load_model(spec, device=settings.resolved_device(), dtype=settings.resolved_dtype(),
                            load_in_4bit=adapter == "qlora",
                            lora=LoraOptions() if adapter in ("lora", "qlora") else None, verbose=is_main_process())
    return model, tok, adapter


def _reload_after_stage1(settings: PretrainingSettings, final_dir: Path, adapter: str) -> Any:
    """The stage-1 model saved by an earlier (killed) process, ready to train stage 2."""
    from seedkit.models import LoraOptions, load_model

    if adapter == "qlora":
        from peft import PeftModel

        base, _ = load_model(settings.model_spec(), device=settings.resolved_device(),
                             dtype=settings.resolved_dtype(), load_in_4bit=True, verbose=False)
        return PeftModel.from_pretrained(base, str(final_dir), is_trainable=True)
    model, _ = load_model(str(final_dir), device=settings.resolved_device(), dtype=settings.resolved_dtype(),
                          lora=LoraOptions() if adapter == "lora" else None, verbose=False)
    return model


def _save(model: Any, tokenizer: Any, path: Path, adapter: str, settings: PretrainingSettings) -> Any:
    """Save a stage's model: full weights (LoRA merged in) so later stages load it plainly; a QLoRA
    adapter stays an adapter over the 4-bit base (merging into 4-bit weights would lose precision).
    Returns the model to keep training (LoRA: the merged model with fresh adapters)."""
    from seedkit.models import LoraOptions, save_model

    if adapter == "lora":
        from peft import get_peft_model

        spec = getattr(model, "_seedkit_spec", settings.model_spec())
        merged = model.merge_and_unload()
        if is_main_process():
            save_model(merged, tokenizer, path)
        fresh = get_peft_model(merged, LoraOptions().to_peft())
        fresh._seedkit_spec = spec
        return fresh
    if is_main_process():
        save_model(model, tokenizer, path, base_spec=settings.model_spec() if adapter == "qlora" else None,
                   runs_dir=settings.runs_dir)
    return model


# --------------------------------------------------------------------------- one stage


def _evaluate(model: Any, tokenizer: Any, settings: PretrainingSettings, heldout: dict[str, list[str]],
              block_size: int, fim_tokens: Any) -> dict[str, Any]:
    from seedkit.pretraining.demos import fim_demo, greedy_completions
    from seedkit.pretraining.heldout import heldout_report

    return {
        "heldout": heldout_report(model, tokenizer, heldout, block_size, settings.heldout_max_blocks,
                                  settings.per_device_max_batch),
        "completions": greedy_completions(model, tokenizer, max_new_tokens=settings.completion_max_new_tokens),
        "fim_demo": fim_demo(model, tokenizer, fim_tokens, settings.fim_mode, settings.fim_demo_max_new_tokens),
    }


def _run_stage(n: int, model: Any, tokenizer: Any, settings: PretrainingSettings, inputs: Any, fim_tokens: Any,
               ckpt: Path, say: Any) -> dict[str, Any]:
    from seedkit.pretraining.data import stage1_mixture, stage2_mixture
    from seedkit.pretraining.heldout import heldout_dataset
    from seedkit.pretraining.packing import pack
    from seedkit.pretraining.train import stage_lr, train_phase

    seq = settings.seq_len_stage1 if n == 1 else settings.seq_len_stage2
    steps = settings.max_steps_stage1 if n == 1 else settings.max_steps_stage2
    tokens = steps * settings.global_batch_size * seq
    rng = random.Random(settings.seed * 1000 + n)  # same data order on every rerun: resume skips seen batches
    mixture = (stage1_mixture if n == 1 else stage2_mixture)(inputs, settings, tokenizer, tokens, fim_tokens, rng, say)
    blocks = pack(mixture.docs, seq, tokenizer.eos_token_id, tokenizer.pad_token_id, keep_partial=False)
    lr_start, lr_end = stage_lr(settings.learning_rate, n)
    rate = settings.fim_rate_stage1 if n == 1 else settings.fim_rate_stage2
    say(f"[03_pretraining] stage {n} ({'regular' if n == 1 else 'continued'} pretraining): {steps} steps x "
        f"{settings.global_batch_size} x {seq} tokens = {tokens:,} tokens, "
        f"{f'FIM {rate} ({settings.fim_mode})' if fim_tokens is not None else 'FIM off (no FIM tokens)'}, "
        f"LR {lr_start:.2e} -> {lr_end:.2e}; mixture " + ", ".join(f"{k} {v['share']:.0%}" for k, v in mixture.stats.items()))
    eval_ds = heldout_dataset(tokenizer, inputs.heldout_by_language(), seq, settings.heldout_max_blocks)
    res = train_phase(model, tokenizer, blocks.to_dataset(), output_dir=ckpt / f"stage{n}", label=f"stage {n}",
                      block_size=seq, device=settings.resolved_device(), dtype=settings.resolved_dtype(),
                      global_batch=settings.global_batch_size, per_device_max=settings.per_device_max_batch,
                      lr_start=lr_start, lr_end=lr_end, max_steps=steps,
                      warmup_ratio=settings.warmup_ratio if n == 1 else 0.0, weight_decay=settings.weight_decay,
                      save_steps=settings.save_steps, eval_dataset=eval_ds, eval_steps=settings.eval_steps,
                      seed=settings.seed, verbose=is_main_process())
    out = {"train": res.to_dict(), "mixture": mixture.stats, "blocks": len(blocks), "fim_rate": rate, "seq_len": seq}
    if is_main_process():
        out.update(_evaluate(model, tokenizer, settings, inputs.heldout_by_language(), seq, fim_tokens))
        h = out["heldout"].get("all", {})
        say(f"[03_pretraining] after stage {n}: held-out loss {h.get('loss', float('nan')):.3f} "
            f"(perplexity {h.get('perplexity', float('nan')):.1f}) over {h.get('tokens', 0)} tokens; per language: "
            + ", ".join(f"{k} {v['loss']:.3f}" for k, v in out["heldout"].items() if k != "all"))
    return out


# --------------------------------------------------------------------------- the stage


def run_pretraining(settings: PretrainingSettings) -> PretrainResult:
    """Run stage 03 (or load its result when it is done with these settings and inputs)."""
    from seedkit.training import torch_threads

    with torch_threads(settings.torch_threads, "03_pretraining"):
        return _run_pretraining(settings)


def _run_pretraining(settings: PretrainingSettings) -> PretrainResult:
    from seedkit.pretraining.ablation import run_ablation
    from seedkit.pretraining.data import load_inputs
    from seedkit.pretraining.fim import FimTokens
    from seedkit.pretraining.heldout import heldout_dataset
    from seedkit.runs import StageRun, atomic_write_json

    say = print if is_main_process() else (lambda *a, **k: None)
    run = StageRun(settings)
    inputs_dirs = {"01_curation": run.input("01_curation", settings.curation_dir or None),
                   "02_llm_filter": run.input("02_llm_filter", settings.filter_dir or None)}
    if run.is_done(inputs_dirs, quiet=not is_main_process()):
        return PretrainResult.load(run.path)
    if is_main_process():
        run.start(inputs_dirs)
    ckpt = run.path / CHECKPOINTS
    with run.timer("data"):
        inputs = load_inputs(settings, inputs_dirs["01_curation"], inputs_dirs["02_llm_filter"], say)
        tokenizer = (_tokenizer_for_scratch(settings, inputs.tokenizer_texts(), ckpt, say)
                     if settings.model_spec() == "scratch" else None)
    with run.timer("load_model"):
        model, tokenizer, adapter = _load_initial_model(settings, tokenizer)
    fim_tokens = FimTokens.from_tokenizer(tokenizer)
    if fim_tokens is None:
        say("[03_pretraining] FIM: this tokenizer has no fill-in-the-middle tokens, so FIM is off (rate 0)")
    else:
        say(f"[03_pretraining] FIM: {settings.fim_mode.upper()} order with {fim_tokens.prefix} "
            f"{fim_tokens.suffix} {fim_tokens.middle}, random character split points")

    stages: dict[str, Any] = {}
    final1 = ckpt / "stage1" / "final"
    done1 = ckpt / "stage1" / "result.json"
    if done1.exists() and ((final1 / "config.json").exists() or (final1 / "adapter_config.json").exists()):
        say(f"[03_pretraining] stage 1 finished in an earlier run: loading {final1} (resume)")
        stages["stage1"] = json.loads(done1.read_text())
        model = _reload_after_stage1(settings, final1, adapter)
    else:
        with run.timer("stage1"):
            stages["stage1"] = _run_stage(1, model, tokenizer, settings, inputs, fim_tokens, ckpt, say)
        model = _save(model, tokenizer, final1, adapter, settings)
        if is_main_process():
            atomic_write_json(done1, stages["stage1"])
    if settings.max_steps_stage2 > 0:
        with run.timer("stage2"):
            stages["stage2"] = _run_stage(2, model, tokenizer, settings, inputs, fim_tokens, ckpt, say)
    else:
        say("[03_pretraining] max_steps_stage2=0: continued pretraining skipped")

    ablation: dict[str, Any] = {}
    if settings.run_ablation:  # every process: under DDP the ablation's Trainers need all of them
        with run.timer("ablation"):
            scratch_tok = tokenizer if settings.model_spec() == "scratch" else _tokenizer_for_scratch(
                settings, inputs.tokenizer_texts(), ckpt, say)
            abl_eval = heldout_dataset(scratch_tok, inputs.heldout_by_language(), settings.seq_len_stage1,
                                       settings.heldout_max_blocks)
            ablation = run_ablation(inputs, settings, scratch_tok, FimTokens.from_tokenizer(scratch_tok), abl_eval,
                                    ckpt, say)

    if not is_main_process():
        return PretrainResult(run.path, {"stages": stages}, {}, None, False)
    with run.timer("save"):
        model = _save(model, tokenizer, run.path / "model", adapter, settings)
        tokenizer.save_pretrained(str(run.path / "tokenizer"))
    last = stages.get("stage2") or stages["stage1"]
    metrics = {"stages": stages, "model_spec": settings.model_spec(), "adapter": adapter,
               "parameters": sum(p.numel() for p in model.parameters()),
               "final_heldout": last.get("heldout", {})}
    stats = {"data": inputs.stats, "ablation": ablation,
             "tokens_trained": {k: v["train"]["global_step"] * v["train"]["tokens_per_step"] for k, v in stages.items()}}
    run.save_json("metrics.json", metrics)
    run.save_json("stats.json", stats)
    summary = {
        "heldout_loss": last.get("heldout", {}).get("all", {}).get("loss"),
        "heldout_perplexity": last.get("heldout", {}).get("all", {}).get("perplexity"),
        "tokens_per_second_stage1": stages["stage1"]["train"]["tokens_per_second"],
        "tokens_trained": sum(stats["tokens_trained"].values()),
        "ablation_lower_heldout_loss": ablation.get("lower_heldout_loss"),
        "ablation_token_budget": ablation.get("token_budget"),
    }
    manifest = run.finish(metrics=summary, outputs=["model", "tokenizer", "metrics.json", "stats.json"])
    say(f"[03_pretraining] done: model at {run.path / 'model'} (load it as run:{settings.run_name}/03_pretraining)")
    return PretrainResult(run.path, metrics, stats, manifest, False)
