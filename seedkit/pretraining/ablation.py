"""The report's headline ablation (its Figure 6) at small scale: LLM-filtered vs rule-filtered data.

Two fresh scratch models, identical in size, initialisation, tokenizer, FIM rate, batch, context
length and learning-rate schedule, are trained on the same number of tokens: one on stage 02's
``filtered`` files (rules + LLM quality filter), one on ``rules_only`` (rule-filtered files sampled
to the same size). Both are evaluated along the way on the same held-out set, the highest-scored
files of the run, which neither model trains on. The result, whichever way it goes, is written to
``stats.json`` with the token budget it was measured at.

Caveat the notebook states too: at a few hundred thousand tokens and one seed, a difference of a
few hundredths of a nat is within noise; the report's gap emerged over billions of tokens.
Always a scratch model, even when the main run continues a pretrained one: a pretrained model's
prior knowledge would swamp a corpus difference of this size.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from seedkit.pretraining.data import PretrainInputs, stage1_mixture
from seedkit.pretraining.fim import FimTokens
from seedkit.pretraining.packing import pack
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import stage_lr, train_phase

CORPORA = ("filtered", "rules_only")


def ablation_steps(settings: PretrainingSettings) -> tuple[int, int]:
    """(optimizer steps, tokens actually trained) for the token budget at stage 1's batch shape."""
    per_step = settings.global_batch_size * settings.seq_len_stage1
    steps = max(1, settings.ablation_token_budget // per_step)
    return steps, steps * per_step


def run_ablation(inputs: PretrainInputs, settings: PretrainingSettings, tokenizer: Any, fim_tokens: FimTokens | None,
                 heldout_eval: Any, output_dir: Path, say: Any = print) -> dict[str, Any]:
    """Train on both corpora at the same budget; return curves (tokens vs held-out loss) and the verdict."""
    from seedkit.models import load_model

    steps, tokens = ablation_steps(settings)
    per_step = settings.global_batch_size * settings.seq_len_stage1
    eval_every = max(1, steps // 8)
    lr_start, lr_end = stage_lr(settings.learning_rate, 1)
    say(f"[03_pretraining] ablation: two scratch models, {steps} steps x {per_step} tokens = {tokens:,} tokens each "
        f"(budget {settings.ablation_token_budget:,}), held-out loss every {eval_every} steps")
    files = {inputs.corpus: inputs.train_files,
             ("rules_only" if inputs.corpus == "filtered" else "filtered"): inputs.other_files}
    curves: dict[str, dict[str, list[float]]] = {}
    final: dict[str, float] = {}
    throughput: dict[str, float] = {}
    for corpus in CORPORA:
        if not files[corpus]:
            say(f"[03_pretraining] ablation: corpus {corpus} is empty after holding out; skipping it")
            continue
        model, _ = load_model("scratch", scratch_config=settings.scratch_dims(), tokenizer=tokenizer,
                              device=settings.resolved_device(), dtype=settings.resolved_dtype(), verbose=False)
        rng = random.Random(settings.seed + 101)  # the same stream for both corpora
        mix = stage1_mixture(inputs, settings, tokenizer, tokens, fim_tokens, rng, say, files=files[corpus],
                             with_extras=False)
        blocks = pack(mix.docs, settings.seq_len_stage1, tokenizer.eos_token_id, tokenizer.pad_token_id,
                      keep_partial=False)
        res = train_phase(model, tokenizer, blocks.to_dataset(), output_dir=output_dir / f"ablation_{corpus}",
                          label=f"ablation {corpus}", block_size=settings.seq_len_stage1,
                          device=settings.resolved_device(), dtype=settings.resolved_dtype(),
                          global_batch=settings.global_batch_size, per_device_max=settings.per_device_max_batch,
                          lr_start=lr_start, lr_end=lr_end, max_steps=steps, warmup_ratio=settings.warmup_ratio,
                          weight_decay=settings.weight_decay, save_steps=None, eval_dataset=heldout_eval,
                          eval_steps=eval_every, seed=settings.seed, resume=False, verbose=False)
        pts = [(row["step"], row["eval_loss"]) for row in res.log_history if "eval_loss" in row]
        curves[corpus] = {"step": [s for s, _ in pts], "tokens": [s * per_step for s, _ in pts],
                          "eval_loss": [round(v, 4) for _, v in pts]}
        final[corpus] = round(pts[-1][1], 4) if pts else float("nan")
        throughput[corpus] = res.tokens_per_second
        del model
    out: dict[str, Any] = {
        "token_budget": settings.ablation_token_budget, "tokens_trained_each": tokens, "steps": steps,
        "seq_len": settings.seq_len_stage1, "global_batch_size": settings.global_batch_size,
        "heldout": f"the {len(inputs.heldout)} highest-scored files (stage 02 scored), in neither training set",
        "curves": curves, "final_heldout_loss": final, "tokens_per_second": throughput,
        "same_files": {f.id for f in inputs.train_files} == {f.id for f in inputs.other_files},
    }
    if len(final) == 2:
        gap = final["rules_only"] - final["filtered"]
        out["rules_only_minus_filtered"] = round(gap, 4)
        out["lower_heldout_loss"] = "filtered" if gap > 0 else ("rules_only" if gap < 0 else "tie")
        say(f"[03_pretraining] ablation at {tokens:,} tokens: held-out loss filtered {final['filtered']:.4f}, "
            f"rules_only {final['rules_only']:.4f} -> {out['lower_heldout_loss']} is lower by {abs(gap):.4f} "
            f"(one seed: small gaps are noise)")
    return out
