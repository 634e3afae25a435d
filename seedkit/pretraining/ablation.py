"""The report's headline ablation (its Figure 6) at small scale: LLM-filtered vs rule-filtered data.

For each seed, two fresh scratch models of the same size, initialisation (drawn from the seed),
tokenizer, FIM rate, batch, context and learning-rate schedule are trained on the same number of
tokens, each on a slice of exactly that many tokens (:func:`token_slice`): one the best-scored
files of stage 02's ``filtered`` corpus (rules + LLM quality filter; stage 02's scorer scored every
file), one a random slice of ``rules_only`` (rule-filtered files, no LLM score). On ``smol`` both
corpora hold the installed distributions' files that stage 01 read beside ``data_samples``; the
summary counts them. Both are scored on the same held-out sets, which
neither trains on: the ``random`` set (stage 01 files drawn before any filter: the fair yardstick)
and the report's ``top_scored`` set (it resembles what the filter kept, so it favours ``filtered``).

Each model is also asked every evidence problem once, greedily, in completion format (pass@1,
``filtered - rules_only``, positive = the filtered corpus made the better model): a model of this
size trained on this few tokens is not expected to solve any, and one greedy answer per problem
keeps that check to a few seconds a model; the summary says so in numbers when neither solves one.

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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from seedkit.measure.stats import across_runs, paired_difference
from seedkit.models import load_model
from seedkit.pretraining.data import CHARS_PER_TOKEN, CodeFile, PretrainInputs, split_long, tokenize_source
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


def token_slice(files: list[CodeFile], ranked: bool, tokenizer: Any, tokens: int, fim_tokens: FimTokens | None,
                settings: PretrainingSettings, rng: random.Random, seq_len: int) -> tuple[list[list[int]], dict[str, Any]]:
    """Exactly ``tokens`` training tokens (end-of-text tokens included) of ``files``: the best-scored first
    when ``ranked`` (the top-scored slice), else in an order drawn from ``rng`` (a random rules-only
    slice). Files longer than about one context are cut into pieces, FIM at stage 1's rate, and the last
    piece is cut so that both slices of a seed hold the same number of tokens to the token. Returns the
    documents (shuffled with ``rng``, so the best files are not all first) and what the slice holds."""

    order = (sorted(files, key=lambda f: (-float(f.quality_score or 0.0), f.id)) if ranked
             else rng.sample(files, len(files)))
    if not order:
        raise ValueError("token_slice: no files to take tokens from")
    docs: list[list[int]] = []
    used: list[CodeFile] = []
    got, i, batch = 0, 0, 32
    while got < tokens:
        chunk = [order[(i + j) % len(order)] for j in range(batch)]  # a small corpus is repeated (epochs)
        i += batch
        owners = [f for f in chunk for _ in split_long(f.content, seq_len * CHARS_PER_TOKEN)]
        pieces = [p for f in chunk for p in split_long(f.content, seq_len * CHARS_PER_TOKEN)]
        encoded = tokenize_source(pieces, tokenizer, settings.fim_rate_stage1, fim_tokens, settings.fim_mode, rng)
        for f, d in zip(owners, encoded, strict=True):
            room = tokens - got
            if room <= 0:
                break
            d = d[:room - 1]  # and its end-of-text token: the slice ends exactly at ``tokens``
            docs.append(d)
            got += len(d) + 1
            used.append(f)
    rng.shuffle(docs)
    distinct = {f.id: f for f in used}
    scores = [float(f.quality_score) for f in distinct.values() if f.quality_score is not None]
    info = {"tokens": sum(len(d) + 1 for d in docs), "files": len(distinct),
            "installed_files": sum(1 for f in distinct.values() if f.repo.startswith("installed/")),
            "pieces": len(docs), "corpus_files": len(files),
            "mean_score": round(sum(scores) / len(scores), 3) if scores else None,
            "min_score": round(min(scores), 3) if scores else None}
    return docs, info


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
    tokens_per_second, slice (what :func:`token_slice` took), train_seconds}, and ``difference``, per held-out set, of held-out loss
    rules_only - filtered (positive = the LLM-filtered corpus made the better model)."""

    seed: int
    steps: int
    tokens: int
    filtered: dict[str, Any]
    rules_only: dict[str, Any]
    difference: dict[str, float]
    # {corpus: {task_id: pass@1}, "difference": filtered - rules_only}; empty for seeds trained before
    # the ablation measured pass@1
    pass_at_1: dict[str, Any] = field(default_factory=dict)


def run_ablation_seed(inputs: PretrainInputs, settings: PretrainingSettings, tokenizer: Any,
                      fim_tokens: FimTokens | None, sets: dict[str, list[HeldoutFile]], output_dir: Path,
                      seed: int, say: Any = print, verbose: bool = True,
                      measure_pass: Callable[[Any, Any, str], dict[str, float]] | None = None) -> AblationSeed:
    """Both corpora at one seed, from the same initialisation and the same stream of FIM coins.
    ``measure_pass(model, tokenizer, label)``: pass@1 per evidence problem (the stage's measuring)."""

    steps, tokens = ablation_steps(settings)
    seq = settings.ablation_seq_len
    eval_every = max(2, steps // 4)  # a few points of a curve; the final numbers are scored per file
    lr_start, lr_end = stage_lr(settings.ablation_learning_rate, 1)
    curve_set = "random" if sets.get("random") else next(iter(sets))
    eval_ds = windows_dataset(tokenizer, [f.content for f in sets[curve_set]], seq, settings.heldout_max_tokens)
    out: dict[str, Any] = {"seed": seed, "steps": steps, "tokens": tokens}
    passes: dict[str, Any] = {}
    for corpus in CORPORA:
        files = inputs.corpus_files(corpus)
        if not files:
            raise ValueError(f"ablation: corpus {corpus} has no files after holding out the evaluation sets")
        model, _ = load_model("scratch", scratch_config=settings.scratch_dims(), tokenizer=tokenizer,
                              device=settings.resolved_device(), dtype=settings.resolved_dtype(), verbose=False)
        reseed_weights(model, seed)  # the same init for both corpora of this seed
        rng = random.Random(seed)  # the same stream of FIM coins and shuffles for both corpora
        ranked = corpus == "filtered" and all(f.quality_score is not None for f in files)
        docs, info = token_slice(files, ranked, tokenizer, tokens, fim_tokens, settings, rng, seq)
        blocks = pack(docs, seq, tokenizer.eos_token_id, tokenizer.pad_token_id, keep_partial=False)
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
            "tokens_per_second": res.tokens_per_second, "slice": info, "train_seconds": res.train_seconds,
        }
        if measure_pass is not None:
            passes[corpus] = measure_pass(model, tokenizer, f"ablation_seed{seed}_{corpus}")
        del model
    for name in sets:
        f, r = out["filtered"]["heldout"].get(name), out["rules_only"]["heldout"].get(name)
        if f and r:
            out.setdefault("difference", {})[name] = round(r["loss"] - f["loss"], 4)
    diff = out.get("difference", {})
    if passes:
        passes["difference"] = round(paired_difference(passes["filtered"], passes["rules_only"]).mean, 4)
    say(f"[03_pretraining] ablation seed {seed}: held-out loss rules_only - filtered = "
        + ", ".join(f"{k} {v:+.4f}" for k, v in diff.items())
        + (f"; pass@1 filtered - rules_only {passes['difference']:+.4f}" if passes else ""))
    return AblationSeed(seed, steps, tokens, out["filtered"], out["rules_only"], diff, passes)


def summarize_pass(per_seed: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """pass@1 ``filtered - rules_only``: over seeds (t-interval) and over problems (paired bootstrap of
    the seed-averaged per-problem difference); None when a seed did not measure it."""
    if not per_seed or not all(r.get("pass_at_1") for r in per_seed):
        return None
    diffs = [r["pass_at_1"]["difference"] for r in per_seed]
    tasks = sorted(set.intersection(*(set(r["pass_at_1"][c]) for r in per_seed for c in CORPORA)))
    mean_of = {c: {t: statistics.fmean(r["pass_at_1"][c][t] for r in per_seed) for t in tasks} for c in CORPORA}
    over_problems = paired_difference(mean_of["filtered"], mean_of["rules_only"])
    over_seeds = seed_interval(diffs)  # ablation_seeds >= 2, as for the held-out rows
    solved = {c: sum(1 for t in tasks if mean_of[c][t] > 0) for c in CORPORA}
    lo, hi = over_seeds["interval"]
    return {
        "per_seed": diffs, "mean": over_seeds["mean"], "interval": over_seeds["interval"],
        "interval_over_problems": [round(over_problems.lo, 4), round(over_problems.hi, 4)],
        "filtered": round(statistics.fmean(mean_of["filtered"].values()), 4) if tasks else 0.0,
        "rules_only": round(statistics.fmean(mean_of["rules_only"].values()), 4) if tasks else 0.0,
        "problems": len(tasks), "samples": "1 greedy", "solved_by_any_seed": solved,
        "verdict": ("shows nothing: neither corpus's models solved a problem" if not any(solved.values())
                    else "filtered higher" if lo > 0 else "rules_only higher" if hi < 0 else "no difference resolved"),
    }


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
    summary["pass_at_1"] = summarize_pass(per_seed)
    summary["slices"] = {c: {k: per_seed[0][c].get("slice", {}).get(k) for k in
                             ("tokens", "files", "installed_files", "corpus_files", "mean_score", "min_score")}
                         for c in CORPORA}
    summary["seconds_per_seed"] = round(statistics.fmean(
        sum(r[c].get("train_seconds", 0.0) for c in CORPORA) for r in per_seed), 1)
    if settings is not None:
        summary.update(token_budget=settings.ablation_token_budget, seq_len=settings.ablation_seq_len,
                       global_batch_size=settings.global_batch_size, learning_rate=settings.ablation_learning_rate,
                       model_dims=settings.scratch_dims())
    return summary


def describe(summary: dict[str, Any]) -> str:
    """One line per held-out set: mean [interval] over seeds, the files interval, the verdict."""
    lines = [f"ablation: {summary['n_seeds']} seeds x 2 corpora, {summary['tokens_each']:,} tokens each; "
             "held-out loss rules_only - filtered (positive = the LLM filter helped):"]
    for c, sl in summary.get("slices", {}).items():
        if sl.get("tokens"):
            lines.append(f"  {c} slice: {sl['tokens']:,} tokens from {sl['files']} of {sl['corpus_files']} files "
                         f"({sl['installed_files']} of installed distributions)"
                         + (f", scores {sl['min_score']:.2f} and up (mean {sl['mean_score']:.2f})"
                            if sl.get("mean_score") is not None and c == "filtered" else ", drawn at random"))
    for name, s in summary["sets"].items():
        lines.append(f"  {name:<10} {s['mean']:+.4f} [{s['interval'][0]:+.4f}, {s['interval'][1]:+.4f}] over seeds "
                     f"(per seed {', '.join(f'{d:+.4f}' for d in s['per_seed'])}; over {s['files']} files "
                     f"[{s['interval_over_files'][0]:+.4f}, {s['interval_over_files'][1]:+.4f}]) -> {s['verdict']}")
    ps = summary.get("pass_at_1")
    if ps:
        lines.append(f"  pass@1 filtered - rules_only: {ps['mean']:+.4f} [{ps['interval'][0]:+.4f}, {ps['interval'][1]:+.4f}] "
                     f"over seeds, [{ps['interval_over_problems'][0]:+.4f}, {ps['interval_over_problems'][1]:+.4f}] over "
                     f"{ps['problems']} problems (1 greedy answer each; filtered {ps['filtered']:.3f}, rules_only "
                     f"{ps['rules_only']:.3f}; problems solved by any seed: filtered {ps['solved_by_any_seed']['filtered']}, "
                     f"rules_only {ps['solved_by_any_seed']['rules_only']}) -> {ps['verdict']}")
    elif "pass_at_1" in summary:
        lines.append("  pass@1: not measured (this run's ablation seeds were trained before the ablation measured it; "
                     "force=true redoes them)")
    return "\n".join(lines)
