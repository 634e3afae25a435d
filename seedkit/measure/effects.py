"""How every stage measures its model, its parent's, and the difference: the kit's evidence.

A training stage asks two questions of the same problems: how good is my model (``after``), and
how good was the model I started from (``before``)? :func:`measure` answers one, :func:`effect`
compares two::

    from seedkit.measure.effects import effect, measure

    before = measure(parent_spec, settings, run, "03_pretraining", reuse_from=parent_dir)
    after = measure(generator, settings, run, "04_sft", model_spec=run_model_spec(run_name, "04_sft"))
    metrics["effect"] = effect(after, before, "03_pretraining", "04_sft")
    # prints: 04_sft - 03_pretraining: +0.06 [+0.02, +0.10]  (pass@1 on 205 problems x 5 samples ...)

- **What is measured** (``settings``: any :class:`seedkit.config.EvidenceSettings`): ``eval_limit``
  problems of ``eval_set`` spread over it, each language its share (0 = all), ``eval_samples`` samples each at
  ``eval_temperature``, answers capped at ``eval_max_new_tokens``, sampled with ``seed``; every
  sample runs with the problem's tests in :mod:`seedkit.sandbox`. Per problem: n, c (passed),
  samples whose program parsed, samples whose answer implements the entry point itself, and the
  mean fraction of tests passed (:class:`PassCounts`).
- **How the model is asked** (``prompt_format="auto"``): the way it was trained: completion for
  base models (stage 03, ``scratch``), chat for instruct/SFT/DPO models, stage 06's reasoning turn
  for stage 06's models (:func:`seedkit.measure.harness.choose_prompt_format`); recorded.
- **Generated once per run.** A measurement is saved as ``effects/<label>.json`` in the stage's
  directory (sample-level files under ``effects/details/``), keyed by the evidence settings, the
  prompt format, the problems' content and the model's identity (its spec plus a hash of its saved
  weights or adapter, and of its base's for an adapter). ``reuse_from`` names other stage
  directories to look in: the parent's ``after`` is the child's ``before``, and stage 07 reuses
  every stage's. A model that is not saved (or a server) has no identity to key on: it is
  measured every time, and its file is never reused.
- **Uncertainty**: :mod:`seedkit.measure.stats` (percentile bootstrap over problems, paired).
"""


from __future__ import annotations

import gc
import json
import math
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.files import atomic_write_text
from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
from seedkit.measure.counts import EFFECTS_DIR, MeasureError, PassCounts, ProblemCounts, list_measurements
from seedkit.measure.evidence import (
    UNSAVED,
    evidence_of,
    evidence_problems,
    measurement_key,
    model_identity,
    problems_digest,
    resolve_prompt_format,
    spread_subset,
)
from seedkit.measure.harness import evaluate_model_on_problems, problem_set_of
from seedkit.measure.power import would_take
from seedkit.measure.stats import Difference, Interval, paired_difference
from seedkit.models import fast_dtype, load_model
from seedkit.runs import is_main_process
from seedkit.training import torch_threads

if TYPE_CHECKING:
    from seedkit.config import EvidenceSettings
    from seedkit.problems import Problem
    from seedkit.runs import StageRun

DETAILS_DIR = "details"
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,80}$")


# --------------------------------------------------------------------------- measure


def _effects_dir(run: StageRun) -> Path:
    return Path(run.path) / EFFECTS_DIR


def _stage_dirs(reuse_from: Any) -> list[Path]:
    if reuse_from is None:
        return []
    if isinstance(reuse_from, str | os.PathLike):
        return [Path(reuse_from)]
    return [Path(p) for p in reuse_from if p is not None]


def find_measurement(key: str, directories: Iterable[Path]) -> Path | None:
    """The first ``effects/*.json`` under ``directories`` whose key is ``key``."""
    for d in directories:
        folder = d if d.name == EFFECTS_DIR else d / EFFECTS_DIR
        for f in sorted(folder.glob("*.json")):
            try:
                if json.loads(f.read_text(encoding="utf-8")).get("key") == key:
                    return f
            except (json.JSONDecodeError, OSError, UnicodeDecodeError, AttributeError):
                continue
    return None


def _copy_details(src_effects: Path, src_label: str, dst_effects: Path, dst_label: str) -> None:

    for kind in ("samples", "results"):
        src = src_effects / DETAILS_DIR / f"{kind}_{src_label}.jsonl"
        if src.exists():
            atomic_write_text(dst_effects / DETAILS_DIR / f"{kind}_{dst_label}.jsonl", src.read_text(encoding="utf-8"))


def measuring_dtype(settings: Any) -> str:
    """The dtype a measurement loads its model in (``eval_dtype``, resolved for this machine; see
    :func:`seedkit.models.fast_dtype`). Part of the measurement's key: "auto" when it is the
    profile's own dtype, as before the setting existed."""

    prof = settings.profile_info
    return fast_dtype(getattr(settings, "eval_dtype", "auto"), prof.dtype, prof.device, "eval_dtype")


def _make_generator(model_or_generator: Any, spec: str, settings: Any, run: StageRun) -> tuple[Any, bool]:
    """(generator, whether this call loaded a model it must free)."""

    # the generator's own batch size unless the settings name one for evaluation (stage 07's eval_batch_size)
    batch = {"batch_size": int(settings.eval_batch_size)} if getattr(settings, "eval_batch_size", 0) else {}
    if isinstance(model_or_generator, str):
        if model_or_generator.startswith(("http://", "https://")):
            server_model = getattr(settings, "server_model", "")
            if not server_model:
                raise MeasureError(f"{model_or_generator}: a server needs server_model (the model name it serves)")
            return OpenAIServerGenerator(base_url=model_or_generator, model=server_model), False

        prof = settings.profile_info
        model, tok = load_model(model_or_generator, device=prof.device, dtype=measuring_dtype(settings),
                                load_in_4bit=prof.load_in_4bit, runs_dir=run.runs_dir)
        return TransformersGenerator(model, tok, name=spec, **batch), True
    if isinstance(model_or_generator, tuple) and len(model_or_generator) == 2:
        model, tok = model_or_generator
        return TransformersGenerator(model, tok, name=spec, **batch), False
    if callable(getattr(model_or_generator, "complete", None)) or callable(getattr(model_or_generator, "chat", None)):
        return model_or_generator, False
    raise MeasureError(f"measure: got {type(model_or_generator).__name__}; pass a model spec (str), a generator "
                       f"(seedkit.generation) or a (model, tokenizer) pair")


@dataclass
class _Request:
    """What a measurement is, before anything is generated: its problems, format and cache key."""

    spec: str
    label: str
    evidence: dict[str, Any]
    problems: list[Problem]
    identity: str
    prompt_format: str
    why: str
    key: str

    @property
    def reusable(self) -> bool:
        return not self.identity.startswith(UNSAVED)


def _request(model_or_generator: Any, settings: Any, run: StageRun, label: str, model_spec: str | None,
             prompt_format: str, problems: Sequence[Problem] | None) -> _Request:
    if not _LABEL.match(label):
        raise MeasureError(f"label: {label!r} must be a file-name-safe word (letters, digits, _ . + -)")
    spec = model_spec or (model_or_generator if isinstance(model_or_generator, str) else None) \
        or str(getattr(getattr(model_or_generator, "model", None), "_seedkit_spec", "") or "") \
        or str(getattr(model_or_generator, "name", "") or "")
    if not spec:
        raise MeasureError(f"measure {label}: pass model_spec= (the spec the model was saved under)")
    evidence = evidence_of(settings)
    probs = list(problems) if problems is not None else evidence_problems(settings)
    if problems is not None:
        evidence = {**evidence, "eval_set": _problem_set_name(probs), "eval_limit": len(probs)}
    identity = model_identity(spec, run.runs_dir)
    tokenizer = getattr(model_or_generator, "tokenizer", None)
    if isinstance(model_or_generator, tuple) and len(model_or_generator) == 2:
        tokenizer = model_or_generator[1]
    fmt, why = resolve_prompt_format(spec, prompt_format, tokenizer, run.runs_dir)
    prof = settings.profile_info  # the same weights in another dtype sample other answers
    precision = f"{prof.device}/{measuring_dtype(settings)}" + ("/4bit" if prof.load_in_4bit else "")
    key = measurement_key(evidence, identity, fmt, problems_digest(probs), precision)
    return _Request(spec, label, evidence, probs, identity, fmt, why, key)


def _reuse(req: _Request, run: StageRun, reuse_from: Any, say: Callable[[str], None]) -> PassCounts | None:

    if not req.reusable:
        return None
    out_dir = _effects_dir(run)
    target = out_dir / f"{req.label}.json"
    # the named directories first, then every other stage of the run: the key holds the model's weights'
    # hash, so a measurement another stage made of the same model at the same settings is the same one
    named = [Path(run.path), *_stage_dirs(reuse_from)]
    siblings = sorted(d for d in Path(run.path).parent.iterdir() if d.is_dir() and d not in named) \
        if Path(run.path).parent.is_dir() else []
    found = find_measurement(req.key, [*named, *siblings])
    if found is None:
        return None
    counts = PassCounts.load(found)
    if found.resolve() != target.resolve():
        src_label = counts.label
        counts.label = req.label
        if is_main_process():
            _copy_details(found.parent, src_label, out_dir, req.label)
            counts.save(target)
        say(f"measure {req.label}: reusing {found.parent.parent.name}'s measurement of the same model with the "
            f"same evidence settings ({found.name})")
    else:
        say(f"measure {req.label}: reusing {target.relative_to(run.path)} (same model, same settings)")
    say(counts.line())
    return counts


def _sayer(run: StageRun, print_fn: Callable[[str], None] | None) -> Callable[[str], None]:
    return print_fn or (lambda s: print(f"[{run.stage}] {s}"))


def saved_measurement(model_spec: str, settings: EvidenceSettings, run: StageRun, label: str, *,
                      prompt_format: str = "auto", reuse_from: Any = None,
                      problems: Sequence[Problem] | None = None,
                      print_fn: Callable[[str], None] | None = None) -> PassCounts | None:
    """The measurement :func:`measure` would reuse (copied under ``label``), or None: never generates.
    Stage 07 uses it for what is only worth showing when a stage measured it already (a parent
    asked in its child's prompt format)."""
    req = _request(model_spec, settings, run, label, model_spec, prompt_format, problems)
    return _reuse(req, run, reuse_from, _sayer(run, print_fn))


def measure(
    model_or_generator: Any,
    settings: EvidenceSettings,
    run: StageRun,
    label: str,
    *,
    model_spec: str | None = None,
    prompt_format: str = "auto",
    reuse_from: str | os.PathLike[str] | Sequence[str | os.PathLike[str] | None] | None = None,
    problems: Sequence[Problem] | None = None,
    progress: bool = True,
    workers: int | None = None,
    timeout_s: float = 10.0,
    print_fn: Callable[[str], None] | None = None,
) -> PassCounts:
    """Measure one model on the evidence problems, or reuse the same measurement made before.

    ``model_or_generator``: a model spec (loaded only when no saved measurement fits), a generator
    (:mod:`seedkit.generation`) or a ``(model, tokenizer)`` pair. ``model_spec`` names the model for
    its identity (required unless the first argument is the spec); save the model before measuring
    it, or its measurement cannot be reused (and is redone every time). ``label`` names the file
    ``effects/<label>.json`` in ``run``'s stage directory. ``reuse_from``: other stage directories
    whose measurements may be reused (the parent stage's; stage 07 passes every stage's).
    ``problems`` overrides the settings' problem list (stage 07 measures HumanEval this way).
    """
    say = _sayer(run, print_fn)
    req = _request(model_or_generator, settings, run, label, model_spec, prompt_format, problems)
    reused = _reuse(req, run, reuse_from, say)
    if reused is not None:
        return reused
    if not req.reusable:
        say(f"measure {label}: {req.spec} has no saved weights to key on ({req.identity}); measuring it now, and "
            f"this measurement is not reused later")
    counts = _generate_and_score(model_or_generator, req.spec, settings, run, label, req.problems, req.prompt_format,
                                 req.why, req.evidence, req.identity, req.key, progress=progress, workers=workers,
                                 timeout_s=timeout_s, say=say)
    say(counts.line())
    return counts


def _problem_set_name(problems: Sequence[Problem]) -> str:

    sets = sorted({problem_set_of(p.task_id) for p in problems})
    return "+".join(sets)


def _generate_and_score(model_or_generator: Any, spec: str, settings: Any, run: StageRun, label: str,
                        probs: list[Problem], fmt: str, why: str, evidence: dict[str, Any], identity: str,
                        key: str, *, progress: bool, workers: int | None, timeout_s: float,
                        say: Callable[[str], None]) -> PassCounts:
    import torch

    n = settings.eval_samples
    temperature = settings.eval_temperature
    langs = Counter(p.language for p in probs)
    spread = (" spread over the set (eval_limit)" if evidence.get("eval_limit") and evidence["eval_set"] == settings.eval_set
              else "")
    say(f"measure {label}: {spec} on {len(probs)} {evidence['eval_set']} problems ("
        + ", ".join(f"{v} {k}" for k, v in sorted(langs.items())) + f"){spread} x {n} samples at temperature "
        f"{temperature}, up to {settings.eval_max_new_tokens} new tokens, prompt format {fmt} ({why})")
    t0 = time.perf_counter()
    with torch_threads(getattr(settings, "torch_threads", 0), run.stage):
        generator, loaded = _make_generator(model_or_generator, spec, settings, run)
        load_s = time.perf_counter() - t0
        try:
            torch.manual_seed(settings.seed)
            report = evaluate_model_on_problems(
                generator, probs, n=n, temperature=temperature,
                max_new_tokens=settings.eval_max_new_tokens, workers=workers, prompt_format=fmt, ks=[1],
                timeout_s=timeout_s, progress=progress, verbose=False, model_name=spec)
        finally:
            if loaded:
                del generator
                gc.collect()
    report.timings["load_s"] = round(load_s, 3)
    report.timings["total_s"] = round(time.perf_counter() - t0, 3)
    counts = PassCounts.from_report(report, label=label, model_spec=spec, model_identity=identity,
                                    evidence=evidence, key=key if not identity.startswith(UNSAVED) else "",
                                    measured_in=f"{run.run_name}/{run.stage}")
    counts.prompt_format_reason = report.prompt_format_reason or why
    if is_main_process():
        out_dir = _effects_dir(run)
        report.save(out_dir / DETAILS_DIR, label)
        counts.save(out_dir / f"{label}.json")  # last: a killed measurement leaves no file to reuse
    gen_s = report.timings.get("generation_s", 0.0)
    cpu_s = report.timings.get("generation_cpu_s", 0.0)
    say(f"measure {label}: {counts.n_samples} samples in {report.timings['total_s']:.0f} s (generation {gen_s:.0f} s, "
        f"{cpu_s:.0f} CPU-s, {cpu_s / max(1, counts.n_samples):.2f} per sample; sandbox "
        f"{report.timings.get('scoring_s', 0.0):.0f} s; load {load_s:.0f} s; load average {os.getloadavg()[0]:.1f})")
    return counts


# --------------------------------------------------------------------------- effect


def effect(after: PassCounts, before: PassCounts, parent_label: str | None = None,
           child_label: str | None = None, *, k: int = 1,
           print_fn: Callable[[str], None] | None = print) -> dict[str, Any]:
    """The manifest's ``effect``: pass@k before and after with intervals, their paired difference
    on the shared problems with its interval, sizes and settings; prints it in one line:
    ``04_sft - 03_pretraining: +0.06 [+0.02, +0.10] (pass@1, 205 problems x 5 samples; ...)``."""
    parent_label = parent_label or before.label
    child_label = child_label or after.label
    diff = paired_difference(after, before, k=k)
    shared = [t for t in after.problems if t in before.problems]
    a_iv = after.subset(shared).interval(k) if shared else Interval(math.nan, math.nan, math.nan, 0)
    b_iv = before.subset(shared).interval(k) if shared else Interval(math.nan, math.nan, math.nan, 0)
    formats_differ = after.prompt_format != before.prompt_format
    note = (f"prompt formats differ: {child_label} {after.prompt_format}, {parent_label} {before.prompt_format}; the "
            f"difference includes the change of format" if formats_differ else "")
    if after.evidence != before.evidence:
        changed = sorted(f for f in set(after.evidence) | set(before.evidence)
                         if after.evidence.get(f) != before.evidence.get(f))
        note = "; ".join(x for x in (note, f"evidence settings differ ({', '.join(changed)})") if x)
    line = (f"{child_label} - {parent_label}: {diff}  (pass@{k}, {diff.n_problems} problems x "
            f"{after.samples_per_problem} samples; {child_label} {a_iv}, {parent_label} {b_iv}"
            + (f"; {note}" if note else "") + ")")
    plan = None if diff.resolved or k != 1 else would_take(after, before, diff.mean)
    if print_fn is not None:
        print_fn(line)
        if plan:
            print_fn(str(plan["line"]))

    def side(c: PassCounts, iv: Interval) -> dict[str, Any]:
        sub = c.subset(shared)
        return {"label": c.label, "model": c.model_spec, "prompt_format": c.prompt_format,
                f"pass@{k}": iv.mean, "interval": [iv.lo, iv.hi], "n_problems": iv.n,
                "samples_per_problem": c.samples_per_problem,
                **({name: sub.rate(name).mean for name in PassCounts.RATES} if shared else {})}

    return {
        "metric": f"pass@{k}", "child": child_label, "parent": parent_label,
        "child_model": after.model_spec, "parent_model": before.model_spec,
        "after": side(after, a_iv), "before": side(before, b_iv),
        "difference": diff.to_dict(), "n_problems": diff.n_problems,
        "n_samples": after.samples_per_problem, "eval": dict(after.evidence),
        "formats_differ": formats_differ, "note": note, "line": line,
        **({"would_take": plan} if plan else {}),
        "method": "percentile bootstrap over problems (10,000 resamples, seed 0), per-problem unbiased pass@k",
    }


def difference_of(effect_dict: dict[str, Any]) -> Difference:
    """The :class:`Difference` recorded in an :func:`effect` dict (e.g. read back from a manifest)."""
    return Difference.from_dict(effect_dict["difference"])


def remove_measurements(stage_path: str | os.PathLike[str]) -> None:
    """Delete a stage directory's saved measurements (they are remade on the next measure)."""
    shutil.rmtree(Path(stage_path) / EFFECTS_DIR, ignore_errors=True)


__all__ = [
    "PassCounts", "ProblemCounts", "MeasureError", "measure", "saved_measurement", "effect", "model_identity", "measurement_key",
    "evidence_problems", "evidence_of", "spread_subset", "list_measurements", "find_measurement", "resolve_prompt_format",
    "difference_of", "remove_measurements", "EFFECTS_DIR",
]
