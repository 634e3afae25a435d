"""The report's headline ablation (its Figure 6) at small scale: LLM-filtered vs rule-filtered data.

For each seed, two fresh scratch models of the same size, initialisation (drawn from the seed),
tokenizer, FIM rate, batch, context and learning-rate schedule are trained on the same number of
tokens: one on stage 02's ``filtered`` files (rules + LLM quality filter), one on ``rules_only``
(rule-filtered files sampled to the same size). Both are scored on the same held-out sets, which
neither trains on: the ``random`` set (stage 01 files drawn before any filter: the fair yardstick)
and the report's ``top_scored`` set (it resembles what the filter kept, so it favours ``filtered``).

The result is the held-out loss difference ``rules_only - filtered`` (positive = the filtered
corpus made the better model) per seed, its mean over seeds with a 95% t-interval (the spread a
new seed would bring), and, beside it, a 95% bootstrap interval over held-out files of the
seed-averaged difference (the spread a new draw of held-out files would bring). Whichever way it
goes, it is written with its token budget and seed count, and the notebook says what it shows.

Always scratch models, even when the main run continues a pretrained one: a pretrained model's
prior knowledge would swamp a corpus difference of this size, and small models are cheap enough
to repeat over seeds.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from seedkit.measure.stats import across_runs
from seedkit.models import load_model
from seedkit.pretraining.data import PretrainInputs, stage1_mixture
from seedkit.pretraining.fim import FimTokens
from seedkit.pretraining.heldout import HeldoutFile, evaluate_sets, ratio_bootstrap, windows_dataset
from seedkit.pretraining.packing import pack
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.pretraining.train import stage_lr, train_phase

CORPORA = ("filtered", "rules_only")

def seed_interval(values: Sequence[float]) -> dict[str, Any]:
    """Mean of per-seed values with its 95% Student-t interval, mean +- t(0.975, n-1) * sd / sqrt(n)
    (:func:`seedkit.measure.stats.across_runs`, the kit's one spread-over-runs rule)."""

    if len(values) < 2:
        raise ValueError(f"seed_interval: {len(values)} value(s); an interval over seeds needs at least 2")
    iv = across_runs(values)
    return {"mean": round(iv.mean, 4), "interval": [round(iv.lo, 4), round(iv.hi, 4)],
            "sd": round(statistics.stdev(values), 4), "n_seeds": iv.n}


def verdict(lo: float, hi: float) -> str:
    """What an interval of ``rules_only - filtered`` says."""
    if lo > 0:
        return "filtered lower"
    if hi < 0:
        return "rules_only lower"
    return "no difference resolved"


def ablation_steps(settings: PretrainingSettings) -> tuple[int, int]:
    """(optimizer steps, tokens actually trained) for the token budget at the ablation's batch shape."""
    per_step = settings.global_batch_size * settings.ablation_seq_len
    steps = max(1, settings.ablation_token_budget // per_step)
    return steps, steps * per_step


def reseed_weights(model: Any, seed: int) -> Any:
    """Draw the model's initial weights from ``seed`` (the loader always uses one fixed init)."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model.apply(model._init_weights)
    model.tie_weights()
    return model


@dataclass
class AblationSeed:
    """Both corpora trained at one seed: for each corpus {heldout: evaluate_sets(...), curve,
    tokens_per_second, epochs}, and ``difference``, per held-out set, of held-out loss
    rules_only - filtered (positive = the LLM-filtered corpus made the better model)."""

    seed: int
    steps: int
    tokens: int
    filtered: dict[str, Any]
    rules_only: dict[str, Any]
    difference: dict[str, float]


def run_ablation_seed(inputs: PretrainInputs, settings: PretrainingSettings, tokenizer: Any,
                      fim_tokens: FimTokens | None, sets: dict[str, list[HeldoutFile]], output_dir: Path,
                      seed: int, say: Any = print, verbose: bool = True) -> AblationSeed:
    """Both corpora at one seed, from the same initialisation and the same stream of FIM coins."""

    steps, tokens = ablation_steps(settings)
    seq = settings.ablation_seq_len
    eval_every = max(2, steps // 4)  # a few points of a curve; the final numbers are scored per file
    lr_start, lr_end = stage_lr(settings.ablation_learning_rate, 1)
    curve_set = "random" if sets.get("random") else next(iter(sets))
    eval_ds = windows_dataset(tokenizer, [f.content for f in sets[curve_set]], seq, settings.heldout_max_tokens)
    out: dict[str, Any] = {"seed": seed, "steps": steps, "tokens": tokens}
    for corpus in CORPORA:
        files = inputs.corpus_files(corpus)
        if not files:
            raise ValueError(f"ablation: corpus {corpus} has no files after holding out the evaluation sets")
        model, _ = load_model("scratch", scratch_config=settings.scratch_dims(), tokenizer=tokenizer,
                              device=settings.resolved_device(), dtype=settings.resolved_dtype(), verbose=False)
        reseed_weights(model, seed)  # the same init for both corpora of this seed
        rng = random.Random(seed)  # the same stream of FIM coins and shuffles for both corpora
        mix = stage1_mixture(inputs, settings, tokenizer, tokens, fim_tokens, rng, say, files=files,
                             with_extras=False, seq_len=seq)
        blocks = pack(mix.docs, seq, tokenizer.eos_token_id, tokenizer.pad_token_id, keep_partial=False)
        res = train_phase(model, tokenizer, blocks.to_dataset(), output_dir=output_dir / f"seed{seed}_{corpus}",
                          label=f"ablation seed {seed} {corpus}", block_size=seq,
                          device=settings.resolved_device(), dtype=settings.resolved_dtype(),
                          global_batch=settings.global_batch_size, per_device_max=settings.per_device_max_batch,
                          lr_start=lr_start, lr_end=lr_end, max_steps=steps, warmup_ratio=settings.warmup_ratio,
                          weight_decay=settings.weight_decay, save_steps=None, eval_dataset=eval_ds,
                          eval_steps=eval_every, seed=seed, resume=False, verbose=verbose)
        pts = [(row["step"], row["eval_loss"]) for row in res.log_history if "eval_loss" in row]
        out[corpus] = {
            "heldout": evaluate_sets(model, tokenizer, sets, seq, settings.heldout_max_tokens,
                                     settings.per_device_max_batch),
            "curve": {"set": curve_set, "tokens": [s * settings.global_batch_size * seq for s, _ in pts],
                      "eval_loss": [round(v, 4) for _, v in pts]},
            "tokens_per_second": res.tokens_per_second, "epochs": {k: v["epochs"] for k, v in mix.stats.items()},
        }
        del model
    for name in sets:
        f, r = out["filtered"]["heldout"].get(name), out["rules_only"]["heldout"].get(name)
        if f and r:
            out.setdefault("difference", {})[name] = round(r["loss"] - f["loss"], 4)
    diff = out.get("difference", {})
    say(f"[03_pretraining] ablation seed {seed}: held-out loss rules_only - filtered = "
        + ", ".join(f"{k} {v:+.4f}" for k, v in diff.items()))
    return AblationSeed(seed, steps, tokens, out["filtered"], out["rules_only"], diff)


def summarize(per_seed: Sequence[AblationSeed | dict[str, Any]], settings: PretrainingSettings | None = None
              ) -> dict[str, Any]:
    """Mean and intervals of ``rules_only - filtered`` over seeds, per held-out set."""
    per_seed = [asdict(r) if isinstance(r, AblationSeed) else r for r in per_seed]
    sets = [k for k in per_seed[0].get("difference", {})]
    summary: dict[str, Any] = {"seeds": [r["seed"] for r in per_seed], "n_seeds": len(per_seed),
                               "tokens_each": per_seed[0]["tokens"], "steps": per_seed[0]["steps"], "sets": {}}
    for name in sets:
        diffs = [r["difference"][name] for r in per_seed]
        over_seeds = seed_interval(diffs)
        # Per held-out file, the rules_only - filtered nll averaged over seeds; resampling files gives
        # the spread a different draw of held-out files would bring.
        first = per_seed[0]["filtered"]["heldout"][name]
        n_files = len(first["per_file"])
        num = [statistics.fmean(r["rules_only"]["heldout"][name]["per_file"][i][0]
                                - r["filtered"]["heldout"][name]["per_file"][i][0] for r in per_seed)
               for i in range(n_files)]
        den = [c for _, c in first["per_file"]]
        lo_f, hi_f = ratio_bootstrap(num, den)
        summary["sets"][name] = {
            "per_seed": diffs, "mean": over_seeds["mean"], "interval": over_seeds["interval"],
            "sd": over_seeds["sd"], "interval_over_files": [round(lo_f, 4), round(hi_f, 4)],
            "loss_filtered": round(statistics.fmean(r["filtered"]["heldout"][name]["loss"] for r in per_seed), 4),
            "loss_rules_only": round(statistics.fmean(r["rules_only"]["heldout"][name]["loss"] for r in per_seed), 4),
            "files": n_files, "tokens": sum(den),
            "verdict": verdict(*over_seeds["interval"]),
        }
    if settings is not None:
        summary.update(token_budget=settings.ablation_token_budget, seq_len=settings.ablation_seq_len,
                       global_batch_size=settings.global_batch_size, learning_rate=settings.ablation_learning_rate,
                       model_dims=settings.scratch_dims())
    return summary


def describe(summary: dict[str, Any]) -> str:
    """One line per held-out set: mean [interval] over seeds, the files interval, the verdict."""
    lines = [f"ablation: {summary['n_seeds']} seeds x 2 corpora, {summary['tokens_each']:,} tokens each; "
             "held-out loss rules_only - filtered (positive = the LLM filter helped):"]
    for name, s in summary["sets"].items():
        lines.append(f"  {name:<10} {s['mean']:+.4f} [{s['interval'][0]:+.4f}, {s['interval'][1]:+.4f}] over seeds "
                     f"(per seed {', '.join(f'{d:+.4f}' for d in s['per_seed'])}; over {s['files']} files "
                     f"[{s['interval_over_files'][0]:+.4f}, {s['interval_over_files'][1]:+.4f}]) -> {s['verdict']}")
    return "\n".join(lines)
