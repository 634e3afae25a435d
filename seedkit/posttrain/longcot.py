"""Stage 06: long chain-of-thought warm-up, then GRPO with execution rewards (``run_longcot_rl``).

The report trained its reasoning model in two steps: a warm-up SFT on long reasoning traces whose
final code was verified in a sandbox, then RL (GRPO, DAPO-style) with rewards from running the
code. This module does the warm-up and the stage plumbing; :mod:`seedkit.posttrain.grpo` does RL.

Warm-up data, all in one layout (``<think>...</think>`` then one fenced ``python`` block):

- the hand-checked seed traces in ``data_samples/longcot/seed_traces.jsonl`` (so the offline path
  always has data; a unit test runs each one's code against its problem's tests), and
- traces the generator backend writes for the training problems (the assistant turn is prefilled
  with ``<think>`` for an in-process model, so a small model starts in the right layout).

Every trace is kept only if its final code passes all of its problem's tests in the sandbox.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES, SettingsError, resolve_stage
from seedkit.posttrain.rewards import (
    THINK_OPEN,
    execution_outcomes,
    format_score,
    parse_trace,
    split_check_tests,
)
from seedkit.posttrain.rl_settings import RLSettings

STAGE = "06_longcot_rl"
DEFAULT_PROBLEMS = DATA_SAMPLES / "problems" / "train.jsonl"
DEFAULT_SEED_TRACES = DATA_SAMPLES / "longcot" / "seed_traces.jsonl"

PROMPT_TEMPLATE = (
    "{instruction}\n\n"
    "Complete this function:\n```python\n{prompt}```\n\n"
    "First think step by step inside <think> and </think>, then write the whole function in one "
    "```python code block."
)


def say(msg: str) -> None:
    print(f"[{STAGE}] {msg}")


# --------------------------------------------------------------------------- problems and prompts


def load_problems(path: str | os.PathLike[str] | None = None, limit: int = 0) -> list[dict[str, Any]]:
    """Training problems as dicts (task_id, instruction, prompt, entry_point, tests), Python only."""
    p = Path(path) if path else DEFAULT_PROBLEMS
    if not p.exists():
        raise SettingsError(f"problems_file: {p} does not exist; point it at a JSONL of problems (docs/contracts.md)")
    out = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [k for k in ("task_id", "instruction", "prompt", "entry_point", "tests") if k not in row]
        if missing:
            raise SettingsError(f"problems_file: {p} line {n} lacks {', '.join(missing)}")
        if row.get("language", "python") == "python":
            out.append(row)
    return out[:limit] if limit else out


def reasoning_messages(problem: dict[str, Any]) -> list[dict[str, str]]:
    """The one user turn both warm-up and RL use: the task, the signature, the layout asked for."""
    return [{"role": "user", "content": PROMPT_TEMPLATE.format(
        instruction=problem["instruction"].strip(), prompt=problem["prompt"])}]


def load_seed_traces(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """The hand-checked traces: rows of task_id and trace."""
    p = Path(path) if path else DEFAULT_SEED_TRACES
    if not p.exists():
        raise SettingsError(f"seed_traces_file: {p} does not exist")
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- traces


def verify_traces(traces: Sequence[dict[str, Any]], problems: dict[str, dict[str, Any]], *,
                  timeout_s: float = 5.0, workers: int | None = None) -> list[dict[str, Any]]:
    """Each trace with ``kept`` (layout complete and every test passed), tests_passed/total and status."""
    rows = [dict(t) for t in traces if t["task_id"] in problems]
    codes = [parse_trace(r["trace"]).code for r in rows]
    tests = [split_check_tests(problems[r["task_id"]]["tests"], problems[r["task_id"]]["entry_point"]) for r in rows]
    outcomes = execution_outcomes(codes, tests, timeout_s=timeout_s, workers=workers)
    for r, o in zip(rows, outcomes, strict=True):
        r.update(tests_passed=o.tests_passed, tests_total=o.tests_total, status=o.status,
                 format_score=format_score(r["trace"]))
        r["kept"] = o.tests_total > 0 and o.tests_passed == o.tests_total and r["format_score"] == 1.0
    return rows


def generate_traces(generator: Any, problems: Sequence[dict[str, Any]], *, n: int = 1, temperature: float = 0.7,
                    max_new_tokens: int = 256, progress: bool = True) -> list[dict[str, Any]]:
    """Sample ``n`` traces per problem. An in-process model gets its turn prefilled with ``<think>``."""
    from seedkit.generation import TransformersGenerator

    convs = [reasoning_messages(p) for p in problems]
    kw = dict(n=n, temperature=temperature if n > 1 or temperature > 0 else 0.0, max_new_tokens=max_new_tokens,
              stop=["\n```\n"], progress=progress, desc="reasoning traces")
    if isinstance(generator, TransformersGenerator):
        prompts = [generator.render_chat(c) + THINK_OPEN + "\n" for c in convs]
        outs = generator.complete(prompts, **kw)
        prefix = THINK_OPEN + "\n"
    else:
        outs = generator.chat(convs, **kw)
        prefix = ""
    rows = []
    for p, samples in zip(problems, outs, strict=True):
        for text in samples:
            trace = prefix + text
            if trace.count("```") % 2 == 1:  # stopped at the closing fence, which the stop string removed
                trace = trace.rstrip() + "\n```"
            rows.append({"task_id": p["task_id"], "trace": trace.strip() + "\n", "source": "generated"})
    return rows


def warmup_dataset(traces: Sequence[dict[str, Any]], problems: dict[str, dict[str, Any]]) -> Any:
    """Prompt-completion chat rows (loss on the completion only) for TRL's SFTTrainer."""
    import datasets

    return datasets.Dataset.from_list([
        {"prompt": reasoning_messages(problems[t["task_id"]]),
         "completion": [{"role": "assistant", "content": t["trace"].strip()}],
         "task_id": t["task_id"], "source": t.get("source", "seed"),
         "tests_passed": int(t.get("tests_passed", 0)), "tests_total": int(t.get("tests_total", 0))}
        for t in traces
    ])


def warmup_sft(model: Any, tokenizer: Any, dataset: Any, settings: RLSettings, *, output_dir: str | Path,
               device: str) -> list[dict[str, Any]]:
    """SFT on the verified traces (the kit's one SFT call); trains ``model`` in place, returns the loss log."""
    from seedkit.posttrain.sft_training import fit_prompt_completion

    batch = min(settings.warmup_batch_size, len(dataset))
    history = fit_prompt_completion(model, tokenizer, dataset, output_dir=str(output_dir), device=device,
                                    dtype=settings.profile_info.dtype, global_batch=batch, per_device_max=batch,
                                    learning_rate=settings.warmup_learning_rate, max_steps=settings.warmup_steps,
                                    num_epochs=1.0, max_length=settings.warmup_max_length, seed=settings.seed,
                                    lr_scheduler_type="constant", warmup_ratio=0.0, quiet=True)
    return [{k: v for k, v in row.items() if isinstance(v, int | float)} for row in history if "loss" in row]


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


def run_longcot_rl(settings: RLSettings) -> LongCoTRLResult:
    """Warm-up SFT on verified traces, then GRPO; saves model/, warmup_data/, metrics.json, manifest last."""
    from seedkit.training import torch_threads

    with torch_threads(settings.torch_threads, "06_longcot_rl"):
        return _run_longcot_rl(settings)


def _run_longcot_rl(settings: RLSettings) -> LongCoTRLResult:
    from seedkit.models import LoraOptions, load_model, save_model
    from seedkit.runs import StageRun

    run = StageRun(settings)
    base = settings.resolved_base_model()
    inputs: dict[str, Path] = {}
    if base.startswith("run:"):  # a stage of this run (or of another run) must be finished
        other_run, _, stage = base[4:].partition("/")
        override = run.runs_dir / other_run / resolve_stage(stage) if other_run != settings.run_name else None
        inputs[resolve_stage(stage)] = run.input(stage, override)
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
    from seedkit.posttrain.grpo import train_grpo

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


def _trace_generator(spec: str, settings: RLSettings, model: Any, tok: Any, base: str) -> Any:
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
