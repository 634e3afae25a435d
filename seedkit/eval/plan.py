"""Stage 07's plan: the chain of models, each with the model it started from, and what is skipped and why.

The chain (as in the report): the profile's base model (smol: the packaged SmolLM2-135M-Instruct)
-> 03 pretraining -> 04 SFT -> 05 DPO, and 03 -> 06 LongCoT RL (warm-up, then RL). Each stage's
manifest names its parent (``parent_model``); where it does not, that design is assumed. On tiny
the base is a random model, so the stage-03 model is the root.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from seedkit.eval.result import ModelPlan
from seedkit.eval.settings import EvalSettings
from seedkit.runs import parse_run_spec, read_manifest, run_model_spec, stage_dir

# The design's parents, used when a stage's manifest does not name its own (metrics/parent_model).
DEFAULT_PARENT = {"03_pretraining": "base", "04_sft": "03_pretraining", "05_dpo": "04_sft",
                  "06_warmup": "03_pretraining", "06_longcot_rl": "03_pretraining"}


def safe_tag(text: str) -> str:
    """A file-name-safe label (measurements are saved as ``effects/<tag>.json``)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:60] or "model"


def _has_model(path: Path) -> bool:
    return (path / "config.json").exists() or (path / "adapter_config.json").exists()


def _recorded_parent(manifest: dict[str, Any]) -> str | None:
    metrics = manifest.get("metrics") or {}
    for src in (metrics, manifest, metrics.get("effect") or {}):
        value = src.get("parent_model") if isinstance(src, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _warmup_model(d: Path, manifest: dict[str, Any]) -> Path | None:
    """Stage 06's warm-up model, when the stage saved one apart from its final model."""
    metrics = manifest.get("metrics") or {}
    named = metrics.get("warmup_model") or manifest.get("warmup_model")
    candidates = [d / str(named)] if isinstance(named, str) and named and not named.startswith("run:") else []
    candidates += [d / "warmup_model", d / "warmup" / "model"]
    return next((c for c in candidates if _has_model(c)), None)


def _label_of(spec: str | None, settings: EvalSettings, base_spec: str | None) -> str | None:
    if not spec:
        return None
    if base_spec is not None and spec == base_spec:
        return "base"
    parsed = parse_run_spec(spec) if spec.startswith("run:") else None
    if parsed is not None:
        run_name, stage = parsed
        return stage if run_name in (settings.run_name, "{run}") else f"{run_name}/{stage}"
    if "06_longcot_rl" in spec and "warmup" in spec:
        return "06_warmup"
    return None


def plan_models(settings: EvalSettings) -> tuple[list[ModelPlan], dict[str, str], dict[str, Path]]:
    """(models in chain order, skipped label -> reason, input stage directories) for this run."""
    plans: list[ModelPlan] = []
    skipped: dict[str, str] = {}
    inputs: dict[str, Path] = {}
    base_spec = settings.resolved_base_model()
    root_is_random = (settings.base_model or settings.profile_info.base_model) == "scratch"
    if settings.include_base and not root_is_random:
        plans.append(ModelPlan("base", base_spec, None, f"the profile's base model ({base_spec}), the root of the chain"))
    elif settings.include_base:
        skipped["base"] = (f"profile {settings.profile}'s base is 'scratch' (random weights, trained in stage 03): "
                           f"the stage-03 model is the root of the chain")
    for stage in settings.stages:
        d = stage_dir(settings.run_name, stage, settings.runs_dir)
        manifest = read_manifest(d)
        if manifest is None:
            skipped[stage] = f"run {settings.run_name!r} has no finished stage {stage} ({d})"
            continue
        inputs[stage] = d
        recorded = _recorded_parent(manifest)
        parent = (_label_of(recorded, settings, None if root_is_random else base_spec) if recorded
                  else DEFAULT_PARENT[stage])
        if stage == "06_longcot_rl":
            warm = _warmup_model(d, manifest)
            if warm is not None:  # the warm-up trained the model the stage started from (its recorded parent)
                plans.append(ModelPlan("06_warmup", str(warm), parent,
                                       "stage 06's warm-up model (SFT on verified reasoning traces)", stage))
        if not _has_model(d / "model"):
            skipped[stage] = f"stage {stage} finished without a model in {d / 'model'}"
            continue
        if stage == "03_pretraining" and (root_is_random or recorded == "scratch"):
            parent = None
        why = "the run's model" + (f"; parent {recorded} (its manifest)" if recorded else "")
        if stage == "06_longcot_rl" and any(p.label == "06_warmup" for p in plans):
            # GRPO starts from the warm-up model: compared with it, the table separates what RL did from
            # what the warm-up did (the stage's whole effect against stage 03 is in its own manifest)
            parent, why = "06_warmup", why + "; GRPO trained the warm-up model, so it is compared with that"
        plans.append(ModelPlan(stage, run_model_spec(settings.run_name, stage), parent, why, stage))
    for spec in settings.extra_models:
        plans.append(ModelPlan(f"extra_{safe_tag(spec)}", spec, None, "asked for in extra_models"))
    labels = {p.label for p in plans}
    for p in plans:
        if p.parent is not None and p.parent not in labels:
            p.why += f"; its parent {p.parent} is not evaluated here, so no difference"
    return plans, skipped, inputs


def problem_sets(settings: EvalSettings) -> list[str]:
    """The evidence set (the stages' ``eval_set``), then HumanEval unless it is off or the same set."""
    return [settings.eval_set] + (["humaneval"] if settings.humaneval_limit and settings.eval_set != "humaneval"
                                  else [])


def chain_lines(plans: list[ModelPlan]) -> list[str]:
    """The chain as text: ``base -> 03_pretraining -> 04_sft -> 05_dpo`` and side branches."""
    children: dict[str | None, list[str]] = {}
    labels = {p.label for p in plans}
    for p in plans:
        children.setdefault(p.parent if p.parent in labels else None, []).append(p.label)
    lines: list[str] = []

    def walk(label: str, prefix: str) -> None:
        kids = children.get(label, [])
        if not kids:
            lines.append(prefix + label)
            return
        for i, kid in enumerate(kids):
            walk(kid, (prefix + label + " -> ") if i == 0 else " " * len(prefix + label) + " -> ")

    for root in children.get(None, []):
        walk(root, "")
    return lines
