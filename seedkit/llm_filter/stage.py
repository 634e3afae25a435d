"""Stage 02 as begin, steps and finish: sample files -> oracle labels -> oracle check -> scorer
training -> scoring -> cut -> token counts -> rules-only corpus -> outputs.

``stage = begin(settings)`` opens the stage (:class:`LLMFilterStage`, a :class:`seedkit.steps.Stage`;
one-line error when stage 01 is missing); each step is a function ``verb(stage, <earlier products>)
-> <Product>`` (``seedkit.llm_filter.products``) that :meth:`~seedkit.steps.Stage.step` saves under
``steps/``, so a rerun cell, a restarted kernel or a killed run picks up at the first step not yet
done; ``finish(stage)`` writes ``labels/``, ``scorer/``, ``scored/``, ``filtered/``, ``rules_only/``
and ``stats.json`` (docs/contracts.md), manifest last, its metrics holding the stage's evidence
(oracle good-vs-poor separation and scorer agreement, each with a 95% interval and n).
:func:`run_llm_filter` calls the same functions in order for ``seedkit run``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seedkit.files import atomic_dir
from seedkit.llm_filter.evidence import agreement_intervals, describe_separation, separation
from seedkit.llm_filter.label_cache import LabelCache
from seedkit.llm_filter.oracle import Oracle, default_cache_path
from seedkit.llm_filter.outputs import write_outputs
from seedkit.llm_filter.products import (
    Filtered,
    Labels,
    OracleCheck,
    RulesOnly,
    Sample,
    Scored,
    ScorerReport,
    TokenCounts,
)
from seedkit.llm_filter.result import LLMFilterResult
from seedkit.llm_filter.samples import QUALITY_SAMPLES, compare_groups, load_quality_samples
from seedkit.llm_filter.scorer import (
    LMBackbone,
    MiniLMBackbone,
    ScorerError,
    load_scorer,
    scorer_text,
    train_scorer,
)
from seedkit.llm_filter.settings import LLMFilterSettings
from seedkit.llm_filter.threshold import choose_cut, sample_to_tokens, token_counter
from seedkit.runs import MissingInputError, load_dataset_dir
from seedkit.steps import Stage

RECORD_COLUMNS = ["id", "path", "language", "content"]
SCORER_MODEL = "scorer_model"  # the trained scorer, beside the step products in steps/


@dataclass
class LLMFilterStage(Stage):
    """Stage 02 in progress (:class:`seedkit.steps.Stage`): stage 01's ``files``, the label cache, and
    the oracle and scorer, loaded on first use."""

    files: Any = None  # datasets.Dataset: stage 01's files/
    cache: LabelCache | None = None
    printer: Callable[[str], None] = print
    _oracle: Any = field(default=None, repr=False)
    _scorer: Any = field(default=None, repr=False)

    def say(self, line: str) -> None:
        self.printer(f"[{self.name}] {line}")

    @property
    def oracle(self) -> Any:
        """The oracle the settings describe, loaded on first use (one line says which and how it reads)."""
        if self._oracle is None:
            with self.run.timer("load_oracle"):
                self._oracle = Oracle.from_settings(self.settings, corpus_texts=self.files["content"][:2000],
                                                    cache=self.cache)
            self.say(f"oracle {self._oracle.name}, {self._oracle.method} reading, prompt "
                     f"{self._oracle.rubric.version}; label cache {self.cache.path if self.cache else None}")
        return self._oracle

    @property
    def scorer_dir(self) -> Path:
        return self.step_dir() / SCORER_MODEL

    @property
    def scorer(self) -> Any:
        """The scorer the ``scorer`` step trained, loaded on first use."""
        if self._scorer is None:
            self._scorer = load_scorer(self.scorer_dir, runs_dir=self.settings.runs_dir)
            if isinstance(self._scorer.backbone, LMBackbone) and self._oracle is not None:
                self._scorer.backbone.model = self._oracle.model  # the same weights, loaded once
        return self._scorer


def begin(settings: LLMFilterSettings, say: Callable[[str], None] = print) -> LLMFilterStage:
    """Open the stage on stage 01's ``files/`` (one-line error when stage 01 is missing; a finished stage
    with the same settings and input is kept; ``force=True`` redoes the steps)."""
    stage = LLMFilterStage.open(settings, {"01_curation": settings.files_input or None}, printer=say,
                                cache=LabelCache(default_cache_path(settings.label_cache_dir)))
    stage01 = stage.inputs["01_curation"]
    stage.files = load_dataset_dir(stage01 / "files")
    missing = set(RECORD_COLUMNS) - set(stage.files.column_names)
    if missing:
        raise MissingInputError(f"{stage01 / 'files'} lacks columns {sorted(missing)} (docs/contracts.md, 01_curation)")
    if len(stage.files) == 0:
        raise MissingInputError(f"{stage01 / 'files'} is empty: stage 01 kept no files; give it sources")
    return stage


# --------------------------------------------------------------------------- what the steps compute


def pick_sample(s: LLMFilterSettings, files: Any) -> Any:
    """The files the oracle grades, drawn with ``seed`` (``label_sample_size`` of them)."""
    rng = np.random.default_rng(s.seed)
    n = min(s.label_sample_size, len(files))
    idx = np.sort(rng.choice(len(files), size=n, replace=False)).tolist()
    return files.select_columns(RECORD_COLUMNS).select(idx).flatten_indices()


def oracle_labels(s: LLMFilterSettings, sample: Any, oracle: Any) -> Any:
    """The oracle's grade of every sampled file (from the label cache when it has one); unparseable
    answers keep ``score`` None, never 0."""
    from datasets import Dataset

    records = sample.to_list()
    labels = oracle.label(records)
    rows = [{"id": r["id"], "path": r["path"], "language": r["language"], "score": lab.score,
             "raw_answer": lab.raw_answer, "method": lab.method, "prompt_version": lab.prompt_version,
             "oracle": lab.oracle, "score_probs": lab.score_probs, "valid_mass": lab.valid_mass}
            for r, lab in zip(records, labels, strict=True)]
    return Dataset.from_list(rows)


def oracle_readings(s: LLMFilterSettings, oracle: Any, quality_root: str | Path | None = None) -> OracleCheck:
    """The oracle on files written good and poor (``data_samples/quality``), shown under their bare file
    names. Per reading: the good-minus-poor difference and P(good > poor), each with a 95% interval, and
    the per-file table. ``compare_samples=False``: skipped (empty)."""
    if not s.compare_samples:
        return OracleCheck()
    qs = load_quality_samples(quality_root or QUALITY_SAMPLES)
    readings = [oracle.method] + [m for m in s.check_readings if m != oracle.method and oracle.model is not None]
    out = OracleCheck(chosen=oracle.method)
    try:
        for m in readings:
            oracle.method = m
            scores = [lab.score for lab in oracle.label(qs, progress=False)]
            table = compare_groups(qs, scores)
            good = [f["score"] for f in table["files"] if f["group"] == "good" and f["score"] is not None]
            poor = [f["score"] for f in table["files"] if f["group"] == "poor" and f["score"] is not None]
            sep = separation(good, poor, seed=s.seed)
            out.readings[m] = {**sep, "unparseable": table["unparseable"], "files": table["files"],
                               "summary": describe_separation(sep, f"oracle {oracle.name} ({m} reading)")}
            print(f"[{s.stage}] {out.readings[m]['summary']}")
    finally:
        oracle.method = out.chosen
    return out


def _fmt(v: float | None, ci: list[float] | None) -> str:
    if v is None:
        return "undefined (constant labels or predictions)"
    return f"{v:.3f}" + (f" (95% CI {ci[0]:.3f} to {ci[1]:.3f})" if ci else "")


def _backbone(s: LLMFilterSettings, oracle: Any) -> Any:
    if s.scorer_backbone == "lm":
        if oracle is None or oracle.model is None:
            raise ScorerError("scorer_backbone='lm' reuses the in-process oracle model; with a server oracle choose minilm")
        return LMBackbone(oracle.model, oracle.tokenizer, s.scorer_max_length, spec=s.oracle_model)
    if s.scorer_backbone == "minilm":
        return MiniLMBackbone(s.scorer_max_length)
    return None  # minilm-finetune: train_scorer copies the encoder


def fit_scorer(s: LLMFilterSettings, labels: Any, sample: Any, out_dir: Path, oracle: Any = None) -> ScorerReport:
    """A regression head on the scorer backbone learns the oracle's labels; saved to ``out_dir``. Returns
    its train and held-out agreement with the oracle (Spearman and MAE with 95% intervals over the
    held-out files, which it never trained on)."""
    scores = labels["score"]
    records = sample.to_list()
    usable = [i for i, v in enumerate(scores) if v is not None]
    if len(usable) < 2:
        raise ScorerError(f"{len(usable)} of {len(scores)} oracle answers parsed: label more files "
                          "(label_sample_size) or use oracle_method='verdict' or 'likelihood'")
    backbone = _backbone(s, oracle)
    t0 = time.perf_counter()
    scorer, report = train_scorer([scorer_text(records[i]) for i in usable], [scores[i] for i in usable],
                                  backbone_kind=s.scorer_backbone, backbone=backbone,
                                  heldout_fraction=s.heldout_fraction, epochs=s.scorer_epochs,
                                  learning_rate=s.scorer_learning_rate, max_length=s.scorer_max_length,
                                  batch_size=s.scorer_batch_size, seed=s.seed)
    if oracle is not None:
        scorer.meta.update(oracle=oracle.name, prompt_version=oracle.rubric.version)
    with atomic_dir(out_dir) as tmp:
        scorer.save(tmp)
    ho = report.heldout
    evidence = agreement_intervals(report.heldout_labels, report.heldout_predictions, seed=s.seed)
    print(f"[{s.stage}] scorer ({s.scorer_backbone}): held-out Spearman "
          f"{_fmt(evidence['spearman'], evidence['spearman_ci'])}, MAE {_fmt(evidence['mae'], evidence['mae_ci'])} "
          f"(predicting the mean: {ho['baseline_mae_predict_mean']}) on n = {ho['n']} files")
    return ScorerReport(backbone=s.scorer_backbone, train=report.train, heldout=ho, evidence=evidence,
                        train_s=round(time.perf_counter() - t0, 3), heldout_predictions=report.heldout_predictions,
                        heldout_labels=report.heldout_labels)


def rules_only_files(s: LLMFilterSettings, files: Any, filtered: Any, counts: list[int]) -> Any:
    """Stage 01's files sampled (seed) to as many tokens as ``filtered`` holds, so stage 03's ablation
    compares which files were kept, not how many tokens each model saw."""
    kept_ids = set(filtered["id"])
    target = int(sum(c for c, i in zip(counts, files["id"], strict=True) if i in kept_ids))
    return files.select(sample_to_tokens(counts, target, seed=s.seed)).flatten_indices()


# --------------------------------------------------------------------------- steps


def draw_sample(stage: LLMFilterStage) -> Sample:
    """Step ``sample``: the files the oracle grades."""
    return stage.step("sample", lambda: Sample(pick_sample(stage.settings, stage.files)), product=Sample)


def label_sample(stage: LLMFilterStage, sample: Sample) -> Labels:
    """Step ``labels``: the oracle's grade of every sampled file (cached labels reused)."""
    cache = stage.cache

    def compute() -> Labels:
        hits, misses = cache.hits, cache.misses
        t = time.perf_counter()
        rows = oracle_labels(stage.settings, sample.files, stage.oracle)
        stage.say(f"labelled {len(sample.files)} of {len(stage.files)} files: {cache.hits - hits} from the cache, "
                  f"{cache.misses - misses} new in {time.perf_counter() - t:.1f} s")
        return Labels(rows)

    labels = stage.step("labels", compute, product=Labels)
    unparseable = sum(v is None for v in labels.scores)
    if unparseable:
        stage.say(f"{unparseable} of {len(labels.rows)} oracle answers were unparseable: left out of scorer "
                  "training (never counted as 0)")
    return labels


def check_oracle(stage: LLMFilterStage) -> OracleCheck:
    """Step ``oracle_check``: does the oracle grade files written good above files written poor?"""
    return stage.step("oracle_check", lambda: oracle_readings(stage.settings, stage.oracle), product=OracleCheck)


def distil_scorer(stage: LLMFilterStage, labels: Labels, sample: Sample) -> ScorerReport:
    """Step ``scorer``: the scorer learns the oracle's labels (its model saved beside the step products)."""
    if not (stage.scorer_dir / "scorer.json").exists():  # the report without its model is recomputed with it
        shutil.rmtree(stage.run.step_path("scorer", dataset=True), ignore_errors=True)
    oracle = stage.oracle if stage.settings.scorer_backbone == "lm" else stage._oracle
    return stage.step("scorer", lambda: fit_scorer(stage.settings, labels.rows, sample.files, stage.scorer_dir, oracle),
                      product=ScorerReport)


def score_files(stage: LLMFilterStage, report: ScorerReport) -> Scored:
    """Step ``scored``: every stage-01 file with ``quality_score`` from the trained scorer (``report``: the
    ``scorer`` step's product, so this cell runs after it)."""
    s = stage.settings

    def compute() -> Scored:
        texts = [scorer_text(r) for r in stage.files.select_columns(["path", "content"]).to_list()]
        scores = stage.scorer.predict(texts, batch_size=s.scorer_batch_size, progress=True)
        return Scored(stage.files.add_column("quality_score", [round(float(v), 4) for v in scores]))

    return stage.step("scored", compute, product=Scored)


def cut_files(stage: LLMFilterStage, scored: Scored) -> Filtered:
    """Step ``filtered``: the scored files at or above the cut (the bottom ``drop_bottom_fraction``, or
    every file below ``min_score`` when that is set, goes)."""
    s = stage.settings

    def compute() -> Filtered:
        scores = np.asarray(scored.files["quality_score"], float)
        cut = choose_cut(scores, s.drop_bottom_fraction, s.min_score)
        kept = scored.files.select(np.flatnonzero(cut.keep_mask(scores)).tolist()).flatten_indices()
        return Filtered(kept, cut.threshold, cut.reason, cut.n_kept, cut.n_dropped)

    filtered = stage.step("filtered", compute, product=Filtered)
    stage.say(f"cut: {filtered.reason}; keeping {filtered.n_kept}, dropping {filtered.n_dropped}")
    return filtered


def count_tokens(stage: LLMFilterStage) -> TokenCounts:
    """Step ``tokens``: every stage-01 file's token count (the tokenizer of ``token_counter``)."""
    def compute() -> TokenCounts:
        count, desc = token_counter(stage.settings.token_counter, stage.settings.runs_dir)
        return TokenCounts(desc, [count(t) for t in stage.files["content"]])

    return stage.step("tokens", compute, product=TokenCounts)


def sample_rules_only(stage: LLMFilterStage, filtered: Filtered, tokens: TokenCounts) -> RulesOnly:
    """Step ``rules_only``: stage 01's files sampled to as many tokens as ``filtered`` holds."""
    return stage.step("rules_only", lambda: RulesOnly(rules_only_files(stage.settings, stage.files, filtered.kept,
                                                                       tokens.counts)), product=RulesOnly)


def finish(stage: LLMFilterStage) -> LLMFilterResult:
    """Write labels/, scorer/, scored/, filtered/, rules_only/, stats.json and the manifest (last)."""
    need = ["sample", "labels", "oracle_check", "scorer", "scored", "filtered", "tokens", "rules_only"]
    missing = [n for n in need if n not in stage.products]
    if missing and not stage.done:
        raise RuntimeError(f"[{stage.name}] finish: run the step(s) {', '.join(missing)} first (their cells, in order)")
    try:
        if stage.done:
            return LLMFilterResult.load(stage.path)
        return write_outputs(stage.settings, stage.run, stage.products, stage.files["id"], stage.scorer_dir,
                             stage.cache)
    finally:
        stage.close()


def run_llm_filter(settings: LLMFilterSettings) -> LLMFilterResult:
    """Stage 02 end to end (``seedkit run``): the notebook's steps in order, or the finished stage's result."""
    stage = begin(settings)
    if stage.done:
        return finish(stage)
    sample = draw_sample(stage)
    labels = label_sample(stage, sample)
    check_oracle(stage)
    report = distil_scorer(stage, labels, sample)
    scored = score_files(stage, report)
    filtered = cut_files(stage, scored)
    sample_rules_only(stage, filtered, count_tokens(stage))
    return finish(stage)
