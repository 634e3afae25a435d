"""The models of stage 03: the parent it starts from, its tokenizer, the LoRA configuration of
continued pretraining, and loading and saving a stage's model (:mod:`seedkit.pretraining.stage` calls
these from its steps; ``seedkit.checks.gpu`` and the benchmarks call them directly)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seedkit.models import (
    LoraOptions,
    ensure_smollm2_cache,
    install_chat_template,
    load_model,
    master_dtype,
    resolve_device,
    resolve_spec,
    save_model,
)
from seedkit.pretraining.ablation import reseed_weights
from seedkit.pretraining.fim import FimTokens
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.runs import is_main_process

STAGE = "03_pretraining"

# Continued pretraining adapts every linear layer of the blocks (attention and MLP), as QLoRA does.
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def say(*args: Any, **kw: Any) -> None:
    """print, on the first process only (under torchrun every process runs the stage)."""
    if is_main_process():
        print(*args, **kw)


def parent_spec(settings: PretrainingSettings) -> str:
    """The model spec stage 03 starts from, as this run reads it ('scratch' stays 'scratch' here)."""
    spec = settings.model_spec()
    return spec if spec == "scratch" else spec.replace("{run}", settings.run_name)


def load_tokenizer(spec: str, runs_dir: str = "") -> Any:
    """The tokenizer of a model spec without loading the model (the model loader resolves the spec)."""
    from transformers import AutoTokenizer

    kind, where = resolve_spec(spec, runs_dir)
    if kind == "packaged":
        where = ensure_smollm2_cache(verbose=is_main_process())
    tok = AutoTokenizer.from_pretrained(str(where), local_files_only=kind != "hub")
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    install_chat_template(tok)  # ChatML ending turns with a token of this vocabulary (seedkit.tokens)
    return tok


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
    if trainable:  # full training on a GPU: float32 master weights, the profile's dtype in autocast
        dt = master_dtype(adapter, dt, resolve_device(dev)[0])
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
        say(f"[{STAGE}] embeddings: {rows:,} -> {len(tokenizer):,} rows for the added tokens, initialised at the "
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
