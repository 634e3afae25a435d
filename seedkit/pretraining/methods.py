"""Choosing stage 03's method by measurement: which way of continued pretraining keeps the parent's chat
ability (and still learns the code)?

Each option is stage 03 alone (:func:`seedkit.pretraining.stage.run_pretraining`, no ablation) on the
same stage 01 and 02 outputs, at the same steps, batch and context, from the same parent; only the
method differs. For each it reports, against the parent, paired over the same items:

- the **chat answer loss** of the probe problems (the 51 held-out problems no stage trains on, asked as
  the evaluation asks a chat model; :mod:`seedkit.pretraining.chat`), interval over problems;
- **pass@1 in the chat format** on the evidence problems the settings name (``--eval-set``; greedy, one
  sample each by default), the stage's ``effect``, paired-bootstrap interval;
- the **held-out code loss** of the best-scored files (``top_scored``) and of the random files,
  interval over files: what continued pretraining is for.

Run it (it prints a markdown table; ``docs/pretraining.md`` records one)::

    python -m seedkit.pretraining.methods --curation-dir runs/smol/01_curation \\
        --filter-dir runs/smol/02_llm_filter --runs-dir /some/scratch/folder
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from seedkit.models import load_model
from seedkit.pretraining import stage as st
from seedkit.pretraining.ablation import describe
from seedkit.pretraining.chat import chat_change, chat_losses, probe_problems
from seedkit.pretraining.settings import PretrainingSettings

# name -> the settings that make the option (everything else is the profile's)
OPTIONS: dict[str, dict[str, Any]] = {
    "full 3e-5": dict(adapter="full", learning_rate=3e-5, chat_weight=0.0),
    "full 1e-5": dict(adapter="full", learning_rate=1e-5, chat_weight=0.0),
    "lora 2e-4": dict(adapter="lora", learning_rate=2e-4, chat_weight=0.0),
    "full 3e-5 + chat 0.25": dict(adapter="full", learning_rate=3e-5, chat_weight=0.25),
    "lora 2e-4 + chat 0.25": dict(adapter="lora", learning_rate=2e-4, chat_weight=0.25),
}


def option_settings(name: str, base: dict[str, Any]) -> PretrainingSettings:
    slug = "m03-" + "".join(c if c.isalnum() else "-" for c in name).strip("-")
    return PretrainingSettings.from_params(base.get("profile", "smol"), **{
        **{k: v for k, v in base.items() if k != "profile"}, **OPTIONS[name], "run_name": slug,
        "run_ablation": False})


def _fmt(d: dict[str, Any], digits: int = 3) -> str:
    return f"{d['mean']:+.{digits}f} [{d['lo']:+.{digits}f}, {d['hi']:+.{digits}f}]"


def row(name: str, metrics: dict[str, Any], seconds: float) -> dict[str, Any]:
    """One option's numbers from its stage 03 metrics."""
    chat = metrics.get("chat_ability") or {}
    eff = metrics.get("effect") or {}
    last = list(metrics["stages"])[-1]
    code = {k: v.get(f"{last} - parent") for k, v in metrics["heldout_changes"].items()}
    return {"option": name, "seconds": round(seconds, 1),
            "chat_loss_change": chat.get("difference"), "chat_loss": (chat.get("after") or {}).get("mean"),
            "chat_loss_parent": (chat.get("before") or {}).get("mean"), "chat_problems": chat.get("n_problems"),
            "pass1": (eff.get("after") or {}).get("pass@1"), "pass1_parent": (eff.get("before") or {}).get("pass@1"),
            "pass1_change": eff.get("difference"), "pass1_problems": (eff.get("after") or {}).get("n_problems"),
            "code_loss_change": code}


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a markdown table."""
    out = ["| option | chat answer loss - parent | pass@1 (parent) | pass@1 - parent | top-scored code loss - parent "
           "| random code loss - parent | stage 03 s |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        code = r["code_loss_change"]

        def c(name: str, code: dict[str, Any] = code) -> str:
            d = code.get(name)
            return "-" if not d else f"{d['mean']:+.3f} [{d['interval'][0]:+.3f}, {d['interval'][1]:+.3f}]"

        p1 = "-" if r["pass1"] is None else f"{r['pass1']:.3f} ({r['pass1_parent']:.3f})"
        out.append(f"| {r['option']} | {_fmt(r['chat_loss_change']) if r['chat_loss_change'] else '-'} | {p1} | "
                   f"{_fmt(r['pass1_change'], 2) if r['pass1_change'] else '-'} | {c('top_scored')} | {c('random')} "
                   f"| {r['seconds']:.0f} |")
    return "\n".join(out)


def ablation_only(settings: PretrainingSettings) -> dict[str, Any]:
    """Stage 03's ablation alone on the settings' stage 01 and 02 outputs (no main model trained): its
    summary, with the seconds it took."""
    t0 = time.perf_counter()
    stage = st.begin(settings)
    try:
        result = st.ablate(stage, st.corpus(stage))
    finally:
        stage.close()
    return {**(result.summary or {}), "seconds": round(time.perf_counter() - t0, 1)}


def chat_of_saved(children: list[str], parent: str, probe_set: str = "heldout", limit: int = 0, runs_dir: str = "",
                  threads: int = 1) -> dict[str, Any]:
    """The chat ability of saved models (``children``: run specs or model folders, e.g. a stage's
    ``checkpoints/<inputs>/stage1/final``) against their parent, as stage 03 measures it
    (:mod:`seedkit.pretraining.chat`), without training anything: {model: change}, and the per-problem
    losses under ``losses``."""
    import torch

    torch.set_num_threads(threads)
    problems = probe_problems(probe_set, limit)
    losses: dict[str, dict[str, float]] = {}
    for spec in [parent, *children]:
        model, tok = load_model(spec, device="cpu", dtype="float32", runs_dir=runs_dir, verbose=False)
        losses[spec] = chat_losses(model, tok, problems)
        del model
    out: dict[str, Any] = {c: chat_change(losses[c], losses[parent], c, say=print) for c in children}
    return {**out, "losses": losses, "problems": len(problems), "probe_set": probe_set}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--curation-dir", default="", help="a finished stage 01 directory")
    ap.add_argument("--filter-dir", default="", help="a finished stage 02 directory")
    ap.add_argument("--runs-dir", default="", help="where the options' runs go (one run each); --chat-of: where "
                    "run: specs are read")
    ap.add_argument("--options", nargs="*", default=list(OPTIONS), help=f"of {list(OPTIONS)}")
    ap.add_argument("--profile", default="smol")
    ap.add_argument("--eval-set", default="heldout", help="pass@1 problems (chat format)")
    ap.add_argument("--eval-samples", type=int, default=1, help="samples per problem (1 = greedy)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=JSON", help="other settings, e.g. max_steps_stage1=6")
    ap.add_argument("--out", default="", help="also write the rows as JSON here")
    ap.add_argument("--chat-of", nargs="*", default=[], metavar="MODEL", help="only measure these saved models' "
                    "chat ability against --parent (no training); --curation-dir and --filter-dir are then unused")
    ap.add_argument("--limit", type=int, default=0, help="--chat-of: the first N probe problems (0 = all)")
    ap.add_argument("--parent", default="smollm2-135m-instruct", help="the parent of --chat-of")
    ap.add_argument("--ablation", action="store_true", help="run stage 03's filter ablation alone instead "
                    "(ablation_seeds, ablation_token_budget, ... through --set)")
    a = ap.parse_args(argv)
    if a.chat_of:
        out = chat_of_saved(a.chat_of, a.parent, a.eval_set, a.limit, a.runs_dir, a.threads)
        if a.out:
            Path(a.out).write_text(json.dumps(out, indent=1))
        return 0
    if not (a.curation_dir and a.filter_dir and a.runs_dir):
        ap.error("--curation-dir, --filter-dir and --runs-dir are needed unless --chat-of is given")
    unknown = [o for o in a.options if o not in OPTIONS]
    if unknown:
        ap.error(f"--options: {unknown} not in {list(OPTIONS)}")
    base: dict[str, Any] = dict(profile=a.profile, curation_dir=a.curation_dir, filter_dir=a.filter_dir,
                                runs_dir=a.runs_dir, torch_threads=a.threads, effect_prompt_formats=["chat"],
                                eval_set=a.eval_set, eval_limit=0, eval_samples=a.eval_samples,
                                eval_temperature=0.6 if a.eval_samples > 1 else 0.0)
    for kv in a.set:
        k, _, v = kv.partition("=")
        base[k] = json.loads(v)
    if a.ablation:
        settings = PretrainingSettings.from_params(a.profile, **{**{k: v for k, v in base.items() if k != "profile"},
                                                                 "run_name": "m03-ablation",
                                                                 "effect_prompt_formats": []})
        summary = ablation_only(settings)
        print(describe(summary) + f"\n{summary['seconds']:.0f} s in all")
        if a.out:
            Path(a.out).write_text(json.dumps(summary, indent=1))
        return 0
    rows = []
    for name in a.options:
        t0 = time.perf_counter()
        res = st.run_pretraining(option_settings(name, base))
        rows.append(row(name, res.metrics, time.perf_counter() - t0))
        print(table(rows), flush=True)
        if a.out:
            Path(a.out).write_text(json.dumps(rows, indent=1))
    print(f"\n{len(rows)} options; settings besides each option's: {base}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
