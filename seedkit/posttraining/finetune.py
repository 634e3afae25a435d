"""Supervised fine-tuning with TRL's SFTTrainer on the verified items.

Each item becomes a *conversational prompt-completion* example: ``prompt`` is the user turn (the
instruction), ``completion`` the assistant turn (the solution in a python code block). TRL renders
both with the tokenizer's chat template (SmolLM2's own, or the ChatML template the kit sets on
scratch tokenizers) and, for prompt-completion data, computes the loss on the completion tokens
only (``completion_only_loss``, TRL 1.16's default for this format). That works with any chat
template; ``assistant_only_loss`` would instead need ``{% generation %}`` markers in the template.

LoRA by default on CPU, full fine-tuning (the tiny 1M model) and QLoRA (4-bit base, GPUs) as options.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seedkit.formats import chat_example
from seedkit.models import LoraOptions, add_or_continue_adapter
from seedkit.training import keep_trained_state, threads_callback, trainer_kwargs


def chat_dataset(items: Sequence[Any]) -> Any:
    """HF dataset of conversational prompt-completion examples from items (``instruction``, ``solution``)."""
    import datasets

    rows = [chat_example(_get(it, "instruction"), _get(it, "solution")) for it in items]
    return datasets.Dataset.from_list(rows)


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def lora_options(r: int, alpha: int) -> LoraOptions:
    return LoraOptions(r=r, alpha=alpha)


def add_lora(model: Any, options: LoraOptions) -> Any:
    """LoRA adapters to train on an already loaded model (the same as load_model(lora=...)): fresh ones,
    or the model's own when it is a saved adapter kept unmerged (:func:`seedkit.models.add_or_continue_adapter`)."""
    return add_or_continue_adapter(model, options)


def trainable_parameters(model: Any) -> tuple[int, int]:
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, total




def sft_config(*, output_dir: str, device: str, dtype: str, global_batch: int, per_device_max: int,
               learning_rate: float, max_steps: int, num_epochs: float, max_length: int, packing: bool = False,
               seed: int = 0, report_to: str = "none", lr_scheduler_type: str = "cosine",
               warmup_ratio: float = 0.05, quiet: bool = False, gradient_checkpointing: bool = False) -> Any:
    """The kit's TRL ``SFTConfig``: the shared trainer arguments (:func:`seedkit.training.trainer_kwargs`:
    batch split, precision, logging, tracker) plus SFT's own (loss on the completion, length, packing).
    Stage 04's notebook builds the same config inline, argument by argument."""
    from trl import SFTConfig

    kw = trainer_kwargs(output_dir=output_dir, device=device, dtype=dtype, global_batch=global_batch,
                        per_device_max=per_device_max, learning_rate=learning_rate,
                        max_steps=max_steps if max_steps > 0 else -1, seed=seed, warmup_ratio=warmup_ratio,
                        lr_scheduler_type=lr_scheduler_type, report_to=report_to,
                        gradient_checkpointing=gradient_checkpointing)
    extra: dict[str, Any] = {}
    if packing:
        # "wrapped" packing works with any attention implementation; "bfd" turns on padding-free
        # batches, which need FlashAttention (not available on CPU).
        extra["packing_strategy"] = "bfd" if device.startswith("cuda") else "wrapped"
    if quiet:
        extra["disable_tqdm"] = True
    return SFTConfig(**kw, **extra, num_train_epochs=num_epochs, max_length=max_length, packing=packing,
                     completion_only_loss=True, dataset_num_proc=None)


def fit(model: Any, tokenizer: Any, dataset: Any, config: Any, *, quiet: bool = False) -> list[dict[str, Any]]:
    """The one SFT call of the kit: TRL's SFTTrainer on a conversational prompt-completion dataset
    with ``config`` (an SFTConfig); trains ``model`` in place and returns the trainer's log history."""
    from transformers.trainer_callback import PrinterCallback
    from trl import SFTTrainer

    model.train()
    trainer = SFTTrainer(model=model, args=config, train_dataset=dataset.select_columns(["prompt", "completion"]),
                         processing_class=tokenizer, callbacks=[threads_callback()])
    if quiet:
        trainer.remove_callback(PrinterCallback)
    trainer.train()
    keep_trained_state(trainer, model)  # every process: sharded weights gathered for rank 0's save_model
    model.eval()
    return list(trainer.state.log_history)


def fit_prompt_completion(model: Any, tokenizer: Any, dataset: Any, *, output_dir: str, device: str, dtype: str,
                          global_batch: int, per_device_max: int, learning_rate: float, max_steps: int,
                          num_epochs: float, max_length: int, packing: bool = False, seed: int = 0,
                          lr_scheduler_type: str = "cosine", warmup_ratio: float = 0.05,
                          quiet: bool = False, report_to: str = "none",
                          gradient_checkpointing: bool = False) -> list[dict[str, Any]]:
    """:func:`fit` with the kit's config (:func:`sft_config`): stage 06's reasoning warm-up comes here."""
    config = sft_config(output_dir=output_dir, device=device, dtype=dtype, global_batch=global_batch,
                        per_device_max=per_device_max, learning_rate=learning_rate, max_steps=max_steps,
                        num_epochs=num_epochs, max_length=max_length, packing=packing, seed=seed,
                        report_to=report_to, lr_scheduler_type=lr_scheduler_type, warmup_ratio=warmup_ratio,
                        quiet=quiet, gradient_checkpointing=gradient_checkpointing)
    return fit(model, tokenizer, dataset, config, quiet=quiet)


def train_sft(model: Any, tokenizer: Any, train_items: Sequence[Any], *, output_dir: str, device: str,
              dtype: str, global_batch: int, per_device_max: int, learning_rate: float, max_steps: int,
              num_epochs: float, max_length: int, packing: bool, seed: int = 0) -> tuple[Any, list[dict[str, Any]]]:
    """Fine-tune ``model`` in place on ``train_items``; returns (model, trainer log history)."""
    if not train_items:
        raise ValueError("SFT: no training items passed the filters; loosen judge_filter, add seeds or "
                         "raise max_docstring_items")
    ds = chat_dataset(train_items)
    trainable, total = trainable_parameters(model)
    print(f"[04_sft] training {trainable:,} of {total:,} parameters on {len(ds)} examples "
          f"(loss on the answer tokens only)")
    history = fit_prompt_completion(model, tokenizer, ds, output_dir=output_dir, device=device, dtype=dtype,
                                    global_batch=global_batch, per_device_max=per_device_max,
                                    learning_rate=learning_rate, max_steps=max_steps, num_epochs=num_epochs,
                                    max_length=max_length, packing=packing, seed=seed)
    return model, history
