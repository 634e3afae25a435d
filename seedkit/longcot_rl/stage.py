"""Stage 06: long chain-of-thought warm-up, then GRPO with execution rewards (``run_longcot_rl``).

The report trained its reasoning model in two steps: a warm-up SFT on long reasoning traces whose
final code was verified in a sandbox, then RL (GRPO, DAPO-style) with rewards from running the
code. :mod:`seedkit.longcot_rl.traces` builds the warm-up data, :mod:`seedkit.longcot_rl.grpo`
does RL; this module composes the stage.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.traces import (
    DEFAULT_PROBLEMS,
    DEFAULT_SEED_TRACES,
    STAGE,
    generate_traces,
    load_problems,
    load_seed_traces,
    say,
    verify_traces,
    warmup_dataset,
    warmup_sft,
)

# --------------------------------------------------------------------------- the stage


@dataclass
class LongCoTRLResult:
    """What the notebook plots: warm-up traces and loss, GRPO per-step logs, rollouts, curriculum."""

    path: Path
    model_spec: str
    traces: list[dict[str, Any]] = field(default_factory=list)
    warmup_log: list[dict[str, Any]] = field(default_factory=list)
    rl_steps: list[dict[str, Any]] = field(default_factory=list)
    rollouts: list[dict[str, Any]] = field(default_factory=list)
    curriculum: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str], model_spec: str = "") -> LongCoTRLResult:
        p = Path(path)
        m = json.loads((p / "metrics.json").read_text(encoding="utf-8"))
        return cls(path=p, model_spec=model_spec or m.get("model_spec", ""), traces=m.get("traces", []),
                   warmup_log=m.get("warmup", []), rl_steps=m.get("rl", {}).get("steps", []),
                   rollouts=m.get("rl", {}).get("rollouts", []), curriculum=m.get("rl", {}).get("curriculum", []),
                   rounds=m.get("rl", {}).get("rounds", []), summary=m.get("summary", {}))

    def column(self, key: str) -> tuple[list[int], list[float]]:
        """(steps, values) of one per-step GRPO log key, e.g. ``rewards/format_reward/mean``."""
        xs, ys = [], []
        for row in self.rl_steps:
            if row.get(key) is not None:
                xs.append(int(row["step"]))
                ys.append(float(row[key]))
        return xs, ys

    def best_rollouts(self, n: int = 4) -> list[dict[str, Any]]:
        """A few rollouts to read: the highest total reward first, from the last step on ties."""
        return sorted(self.rollouts, key=lambda r: (-r.get("total", 0.0), -r.get("step", 0)))[:n]


def run_longcot_rl(settings: LongCoTRLSettings) -> LongCoTRLResult:
    """Warm-up SFT on verified traces, then GRPO; saves model/, warmup_data/, metrics.json, manifest last."""
    from seedkit.training import torch_threads

    with torch_threads(settings.torch_threads, "06_longcot_rl"):
        return _run_longcot_rl(settings)


def _run_longcot_rl(settings: LongCoTRLSettings) -> LongCoTRLResult:
    from seedkit.models import LoraOptions, load_model, save_model
    from seedkit.runs import StageRun

    run = StageRun(settings)
    base = settings.resolved_base_model()
    inputs: dict[str, Path] = {}
    model_input = run.model_input(base)  # a stage of this run (or of another run) must be finished
    if model_input is not None:
        inputs[model_input[0]] = model_input[1]
    problems_path = Path(settings.problems_file) if settings.problems_file else DEFAULT_PROBLEMS
    seeds_path = Path(settings.seed_traces_file) if settings.seed_traces_file else DEFAULT_SEED_TRACES
    inputs["problems"] = problems_path
    inputs["seed_traces"] = seeds_path
    if run.is_done(inputs):
        return LongCoTRLResult.load(run.path, model_spec=f"run:{settings.run_name}/{STAGE}")
    run.start(inputs)

    all_problems = load_problems(problems_path)
    by_id = {p["task_id"]: p for p in all_problems}
    problems = all_problems[:settings.max_problems] if settings.max_problems else all_problems
    say(f"{len(problems)} training problem(s) from {problems_path} (max_problems={settings.max_problems})")
    workers = settings.sandbox_workers or None

    # ---- model
    prof = settings.profile_info
    use_lora = settings.resolved_use_lora()
    why = ("set by you" if settings.base_model else "the profile's base model: the report started its reasoning model "
           "from the base, not the instruct model" + (" (offline, only SmolLM2's instruct version ships)"
                                                       if "instruct" in base else ""))
    say(f"base model {base} ({why}); "
        f"{'LoRA r=' + str(settings.lora_r) if use_lora else 'full fine-tuning'} (profile {settings.profile})")
    with run.timer("load_model"):
        model, tok = load_model(base, device=prof.device, dtype=prof.dtype, load_in_4bit=prof.load_in_4bit,
                                lora=LoraOptions(r=settings.lora_r, alpha=2 * settings.lora_r) if use_lora else None,
                                runs_dir=run.runs_dir)
    device = str(next(model.parameters()).device)

    # ---- warm-up traces
    seeds = [dict(t, source="seed") for t in load_seed_traces(seeds_path)]
    candidates = list(seeds)
    gen_spec = settings.resolved_trace_generator()
    if gen_spec == "none" or settings.trace_samples_per_problem == 0:
        why = ("trace_samples_per_problem=0" if settings.trace_samples_per_problem == 0
               else "trace_generator='none'" if settings.trace_generator else "the profile has no helper model")
        say(f"trace generator: none ({why}; a small random model writes nothing that passes); "
            "warm-up uses the seed traces only")
    else:
        with run.timer("generate_traces"):
            generator = _trace_generator(gen_spec, settings, model, tok, base)
            candidates += generate_traces(generator, problems, n=settings.trace_samples_per_problem,
                                          temperature=settings.trace_temperature,
                                          max_new_tokens=settings.trace_max_new_tokens)
    with run.timer("verify_traces"):
        traces = verify_traces(candidates, by_id, timeout_s=settings.execution_timeout_s, workers=workers)
    kept = [t for t in traces if t["kept"]]
    n_gen = sum(t["source"] == "generated" for t in traces)
    n_gen_kept = sum(t["source"] == "generated" for t in kept)
    say(f"warm-up traces: kept {len(kept)} of {len(traces)} (seed {len(kept) - n_gen_kept}/{len(traces) - n_gen}, "
        f"generated {n_gen_kept}/{n_gen}): a trace stays only if its final code passes every test and it has the "
        "<think>...</think> + code layout")
    no_layout = [t for t in traces if t["status"] == "passed" and not t["kept"]]
    if no_layout:
        say(f"{len(no_layout)} trace(s) passed every test but lacked the layout (no closed <think> block before the "
            "code): dropped, since SFT on them would teach answering without reasoning")
    if not kept:
        raise SettingsError("no warm-up trace passed its tests: check seed_traces_file and the sandbox (seedkit doctor)")
    ds = warmup_dataset(kept, by_id)
    run.save_dataset("warmup_data", ds)

    # ---- warm-up SFT
    with run.timer("warmup_sft"):
        warmup_log = warmup_sft(model, tok, ds, settings, output_dir=run.path / "checkpoints" / "warmup", device=device)
    if warmup_log:
        say(f"warm-up SFT: {settings.warmup_steps} steps, loss {warmup_log[0]['loss']:.3f} -> {warmup_log[-1]['loss']:.3f}")

    # ---- GRPO
    from seedkit.longcot_rl.grpo import train_grpo

    with run.timer("grpo"):
        history = train_grpo(model, tok, problems, settings, output_dir=run.path / "checkpoints" / "grpo", device=device)

    # ---- save
    with run.timer("save_model"):
        save_model(model, tok, run.path / "model", base_spec=base if use_lora else None, runs_dir=run.runs_dir)
    summary = _summary(history.steps, warmup_log, kept, traces)
    model_spec = f"run:{settings.run_name}/{STAGE}"
    trace_rows = [{k: t[k] for k in ("task_id", "source", "kept", "status", "tests_passed", "tests_total",
                                     "format_score", "trace")} for t in traces]
    run.save_json("metrics.json", {"model_spec": model_spec, "summary": summary, "traces": trace_rows,
                                   "warmup": warmup_log, "rl": history.to_dict()})
    import shutil

    shutil.rmtree(run.path / "checkpoints", ignore_errors=True)
    run.finish(metrics=summary)
    say(f"saved the model as {model_spec}: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
    return LongCoTRLResult(path=run.path, model_spec=model_spec, traces=trace_rows, warmup_log=warmup_log,
                           rl_steps=history.steps, rollouts=history.rollouts, curriculum=history.curriculum,
                           rounds=history.rounds, summary=summary)


def _trace_generator(spec: str, settings: LongCoTRLSettings, model: Any, tok: Any, base: str) -> Any:
    """The trace writer: the model being trained when the specs match (its fresh LoRA changes nothing yet)."""
    from seedkit.generation import TransformersGenerator, make_generator

    if spec.startswith(("http://", "https://")):
        say(f"trace generator: server {spec} ({settings.server_model})")
        return make_generator(spec, server_model=settings.server_model)
    if spec == base:
        say(f"trace generator: {spec}, the base model itself (already loaded)")
        return TransformersGenerator(model, tok, batch_size=8, name=spec)
    prof = settings.profile_info
    say(f"trace generator: {spec} (the profile's helper model)")
    return make_generator(spec, batch_size=8, device=prof.device, dtype=prof.dtype)


def _summary(steps: list[dict[str, Any]], warmup_log: list[dict[str, Any]], kept: list[dict[str, Any]],
             traces: list[dict[str, Any]]) -> dict[str, Any]:
    def first_last(key: str) -> tuple[float | None, float | None]:
        vals = [r[key] for r in steps if r.get(key) is not None]
        return (round(vals[0], 4), round(vals[-1], 4)) if vals else (None, None)

    out: dict[str, Any] = {"warmup_traces_kept": len(kept), "warmup_traces_total": len(traces),
                           "rl_steps": len(steps)}
    if warmup_log:
        out["warmup_loss_first"] = round(warmup_log[0]["loss"], 4)
        out["warmup_loss_last"] = round(warmup_log[-1]["loss"], 4)
    for key, name in (("reward", "reward"), ("rewards/execution_reward/mean", "execution_reward"),
                      ("rewards/format_reward/mean", "format_reward"), ("rewards/parse_reward/mean", "parse_reward"),
                      ("pass_rate", "pass_rate"), ("completions/mean_length", "completion_length")):
        a, b = first_last(key)
        if a is not None:
            out[f"{name}_first"] = a
            out[f"{name}_last"] = b
    secs = [r["step_seconds"] for r in steps if "step_seconds" in r]
    if secs:
        out["seconds_per_step"] = round(sum(secs) / len(secs), 2)
    return out
