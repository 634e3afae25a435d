"""Stage 02 as step functions: sample files -> oracle labels -> oracle check -> scorer training ->
scoring -> cut -> filtered and rules-only corpora.

Each step function takes the settings and what earlier steps produced and returns what it made.
The notebook calls them one cell at a time through :class:`FilterSteps`, which saves each product
under ``steps/<config hash>/`` (``StageRun.step``) so a rerun cell, a restarted kernel or a killed
run picks up at the first step not yet done; :func:`run_llm_filter` calls the same methods in
order for ``seedkit run``. Outputs (docs/contracts.md): ``labels/``, ``scorer/``, ``scored/``,
``filtered/``, ``rules_only/`` and ``stats.json``, manifest last, its metrics holding the stage's
evidence (oracle good-vs-poor separation and scorer agreement, each with a 95% interval and n).
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seedkit.files import atomic_dir
from seedkit.llm_filter.evidence import agreement_intervals, describe_separation, separation
from seedkit.llm_filter.label_cache import LabelCache
from seedkit.llm_filter.oracle import Oracle, default_cache_path
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
from seedkit.runs import MissingInputError, StageRun, load_dataset_dir
from seedkit.training import torch_threads

STAGE = "02_llm_filter"
RECORD_COLUMNS = ["id", "path", "language", "content"]


def _say(msg: str) -> None:
    print(f"[{STAGE}] {msg}")


# --------------------------------------------------------------------------- result


@dataclass
class LLMFilterResult:
    """What the notebook shows: stats plus the scored corpus (loaded lazily from the run)."""

    path: Path
    stats: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path) -> LLMFilterResult:
        path = Path(path)
        return cls(path, json.loads((path / "stats.json").read_text()))

    def dataset(self, name: str = "scored") -> Any:

        return load_dataset_dir(self.path / name)

    @property
    def scores(self) -> np.ndarray:
        return np.asarray(self.dataset("scored")["quality_score"], float)

    @property
    def threshold(self) -> float:
        return float(self.stats["cut"]["threshold"])

    def scorer(self) -> Any:

        return load_scorer(self.path / "scorer")


def extremes(scored: Any, n: int = 3, worst: bool = False) -> list[dict[str, Any]]:
    """The n best (or worst) scored files: path, language, score, content."""
    order = np.argsort(np.asarray(scored["quality_score"], float))
    idx = order[:n] if worst else order[::-1][:n]
    return [{k: scored[int(i)][k] for k in ("path", "language", "quality_score", "content")} for i in idx]


def preview_cut(scored: Any, threshold: float, show: int = 5) -> str:
    """What a cut at ``threshold`` would drop: counts and the highest-scored files that would go (the
    notebook's slider calls this; it changes nothing on disk)."""
    s = np.asarray(scored["quality_score"], float)
    drop = np.flatnonzero(s < threshold)
    lines = [f"cut at {threshold:.2f}: drop {len(drop)} of {len(s)} files ({len(drop) / max(1, len(s)):.0%})"]
    for i in drop[np.argsort(-s[drop])][:show]:
        row = scored[int(i)]
        lines.append(f"  would drop {row['quality_score']:5.2f}  {row['path']} ({row['language']})")
    return "\n".join(lines)


def label_stats(scores: list[float | None]) -> dict[str, Any]:
    ok = np.asarray([s for s in scores if s is not None], float)
    return {"n": len(scores), "parsed": int(len(ok)), "unparseable": int(len(scores) - len(ok)),
            "mean": round(float(ok.mean()), 4) if len(ok) else None,
            "std": round(float(ok.std()), 4) if len(ok) else None,
            "min": round(float(ok.min()), 4) if len(ok) else None,
            "max": round(float(ok.max()), 4) if len(ok) else None,
            "histogram_rounded": {str(k): int((np.rint(ok) == k).sum()) for k in range(11)}}


# --------------------------------------------------------------------------- step functions


def sample_files(s: LLMFilterSettings, files: Any) -> Any:
    """Step ``sample``: the files the oracle grades, drawn with ``seed`` (``label_sample_size`` of them)."""
    rng = np.random.default_rng(s.seed)
    n = min(s.label_sample_size, len(files))
    idx = np.sort(rng.choice(len(files), size=n, replace=False)).tolist()
    return files.select_columns(RECORD_COLUMNS).select(idx).flatten_indices()


def oracle_labels(s: LLMFilterSettings, sample: Any, oracle: Any) -> Any:
    """Step ``labels``: the oracle's grade of every sampled file (from the label cache when it has one);
    unparseable answers keep ``score`` None, never 0."""
    from datasets import Dataset

    records = sample.to_list()
    labels = oracle.label(records)
    rows = [{"id": r["id"], "path": r["path"], "language": r["language"], "score": lab.score,
             "raw_answer": lab.raw_answer, "method": lab.method, "prompt_version": lab.prompt_version,
             "oracle": lab.oracle, "score_probs": lab.score_probs, "valid_mass": lab.valid_mass}
            for r, lab in zip(records, labels, strict=True)]
    return Dataset.from_list(rows)


def check_oracle(s: LLMFilterSettings, oracle: Any, quality_root: str | Path | None = None) -> dict[str, Any]:
    """Step ``oracle_check``: the oracle on files written good and poor (``data_samples/quality``), shown
    under their bare file names. Per reading: the good-minus-poor difference and P(good > poor), each
    with a 95% interval, and the per-file table. ``compare_samples=False``: skipped (``{}``)."""

    if not s.compare_samples:
        return {}
    qs = load_quality_samples(quality_root or QUALITY_SAMPLES)
    readings = [oracle.method] + [m for m in s.check_readings if m != oracle.method and oracle.model is not None]
    chosen = oracle.method
    out: dict[str, Any] = {"chosen": chosen, "readings": {}}
    try:
        for m in readings:
            oracle.method = m
            scores = [lab.score for lab in oracle.label(qs, progress=False)]
            table = compare_groups(qs, scores)
            good = [f["score"] for f in table["files"] if f["group"] == "good" and f["score"] is not None]
            poor = [f["score"] for f in table["files"] if f["group"] == "poor" and f["score"] is not None]
            sep = separation(good, poor, seed=s.seed)
            out["readings"][m] = {**sep, "unparseable": table["unparseable"], "files": table["files"],
                                  "summary": describe_separation(sep, f"oracle {oracle.name} ({m} reading)")}
            _say(out["readings"][m]["summary"])
    finally:
        oracle.method = chosen
    return out


def fit_scorer(s: LLMFilterSettings, labels: Any, sample: Any, out_dir: Path, oracle: Any = None) -> dict[str, Any]:
    """Step ``scorer``: a regression head on the scorer backbone learns the oracle's labels; saved to
    ``out_dir``. Returns its train and held-out agreement with the oracle (Spearman and MAE with 95%
    intervals over the held-out files, which it never trained on)."""

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
    _say(f"scorer ({s.scorer_backbone}): held-out Spearman {_fmt(evidence['spearman'], evidence['spearman_ci'])}, "
         f"MAE {_fmt(evidence['mae'], evidence['mae_ci'])} (predicting the mean: {ho['baseline_mae_predict_mean']}) "
         f"on n = {ho['n']} files")
    return {"backbone": s.scorer_backbone, "train": report.train, "heldout": ho, "evidence": evidence,
            "train_s": round(time.perf_counter() - t0, 3), "heldout_predictions": report.heldout_predictions,
            "heldout_labels": report.heldout_labels}


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


def score_files(s: LLMFilterSettings, files: Any, scorer: Any) -> Any:
    """Step ``scored``: stage 01's files plus ``quality_score`` (0-10) from the distilled scorer."""

    texts = [scorer_text(r) for r in files.select_columns(["path", "content"]).to_list()]
    scores = scorer.predict(texts, batch_size=s.scorer_batch_size, progress=True)
    return files.add_column("quality_score", [round(float(v), 4) for v in scores])


def cut_files(s: LLMFilterSettings, scored: Any) -> tuple[Any, Any]:
    """(the cut, step ``filtered``: the scored files at or above it). The cut drops the bottom
    ``drop_bottom_fraction`` of the scores, or every file below ``min_score`` when that is set."""

    scores = np.asarray(scored["quality_score"], float)
    cut = choose_cut(scores, s.drop_bottom_fraction, s.min_score)
    return cut, scored.select(np.flatnonzero(cut.keep_mask(scores)).tolist()).flatten_indices()


def count_tokens(s: LLMFilterSettings, files: Any) -> dict[str, Any]:
    """Step ``tokens``: every file's token count (the tokenizer of ``token_counter``)."""

    count, desc = token_counter(s.token_counter, s.runs_dir)
    return {"counter": desc, "counts": [count(t) for t in files["content"]]}


def rules_only_files(s: LLMFilterSettings, files: Any, filtered: Any, tokens: dict[str, Any]) -> Any:
    """Step ``rules_only``: stage 01's files sampled (seed) to as many tokens as ``filtered`` holds, so
    stage 03's ablation compares which files were kept, not how many tokens each model saw."""

    counts = tokens["counts"]
    kept_ids = set(filtered["id"])
    target = int(sum(c for c, i in zip(counts, files["id"], strict=True) if i in kept_ids))
    return files.select(sample_to_tokens(counts, target, seed=s.seed)).flatten_indices()


# --------------------------------------------------------------------------- the stage, one step at a time


class FilterSteps:
    """Stage 02, one step per method; each product is saved by ``StageRun.step`` and reused on a rerun.

    ``steps = FilterSteps(settings)`` opens the stage (one-line error when stage 01 is missing; a
    finished stage with the same settings and input is kept; ``force=True`` redoes the steps). Then::

        sample = steps.sample()
        labels = steps.labels(sample)
        check = steps.oracle_check()
        report = steps.train_scorer(labels, sample)
        scored = steps.score()
        filtered = steps.cut(scored)
        rules = steps.rules_only(filtered)
        result = steps.finish()
    """

    def __init__(self, settings: LLMFilterSettings, say: Callable[[str], None] = print):

        self.s = settings
        self.say = say
        self.run = StageRun(settings)
        stage01 = self.run.input("01_curation", settings.files_input or None)
        self.inputs = {"01_curation": stage01}
        self.done = self.run.is_done(self.inputs, quiet=say is not print)
        if not self.done:
            self.run.start(self.inputs)  # force=True deletes the saved steps there
        self.steps_dir = self.run.steps_dir
        self.files = load_dataset_dir(stage01 / "files")
        missing = set(RECORD_COLUMNS) - set(self.files.column_names)
        if missing:
            raise MissingInputError(f"{stage01 / 'files'} lacks columns {sorted(missing)} (docs/contracts.md, 01_curation)")
        if len(self.files) == 0:
            raise MissingInputError(f"{stage01 / 'files'} is empty: stage 01 kept no files; give it sources")
        self.cache = LabelCache(default_cache_path(settings.label_cache_dir))
        self.products: dict[str, Any] = {}
        self._oracle: Any = None
        self._scorer: Any = None

    def _step(self, name: str, compute: Callable[[], Any], dataset: bool = True) -> Any:
        value = self.run.step(name, compute, dataset=dataset)
        self.products[name] = value
        return value

    @property
    def oracle(self) -> Any:
        """The oracle the settings describe, loaded on first use (one line says which and how it reads)."""
        if self._oracle is None:

            with self.run.timer("load_oracle"):
                self._oracle = Oracle.from_settings(self.s, corpus_texts=self.files["content"][:2000], cache=self.cache)
            self.say(f"[{STAGE}] oracle {self._oracle.name}, {self._oracle.method} reading, prompt "
                     f"{self._oracle.rubric.version}; label cache {self.cache.path}")
        return self._oracle

    # ----------------------------------------------------------------- steps

    def sample(self) -> Any:
        return self._step("sample", lambda: sample_files(self.s, self.files))

    def labels(self, sample: Any) -> Any:
        def compute() -> Any:
            hits, misses = self.cache.hits, self.cache.misses
            t = time.perf_counter()
            out = oracle_labels(self.s, sample, self.oracle)
            dt = time.perf_counter() - t
            fresh = self.cache.misses - misses
            self.say(f"[{STAGE}] labelled {len(sample)} of {len(self.files)} files: {self.cache.hits - hits} from the "
                     f"cache, {fresh} new in {dt:.1f} s")
            return out

        labels = self._step("labels", compute)
        unparseable = sum(v is None for v in labels["score"])
        if unparseable:
            self.say(f"[{STAGE}] {unparseable} of {len(labels)} oracle answers were unparseable: left out of scorer "
                     "training (never counted as 0)")
        return labels

    def oracle_check(self) -> dict[str, Any]:
        return self._step("oracle_check", lambda: check_oracle(self.s, self.oracle), dataset=False)

    def train_scorer(self, labels: Any, sample: Any) -> dict[str, Any]:
        out_dir = self.steps_dir / "scorer"
        if not (out_dir / "scorer.json").exists():  # the report without its model is recomputed with it
            (self.steps_dir / "scorer.json").unlink(missing_ok=True)
        oracle = self.oracle if self.s.scorer_backbone == "lm" else self._oracle
        return self._step("scorer", lambda: fit_scorer(self.s, labels, sample, out_dir, oracle), dataset=False)

    @property
    def scorer(self) -> Any:
        if self._scorer is None:

            self._scorer = load_scorer(self.steps_dir / "scorer", runs_dir=self.s.runs_dir)
            if isinstance(self._scorer.backbone, LMBackbone) and self._oracle is not None:
                self._scorer.backbone.model = self._oracle.model  # the same weights, loaded once
        return self._scorer

    def score(self) -> Any:
        if "scorer" not in self.products:
            raise RuntimeError(f"[{STAGE}] score: train the scorer first (steps.train_scorer)")
        return self._step("scored", lambda: score_files(self.s, self.files, self.scorer))

    def cut(self, scored: Any) -> Any:
        cut, _ = cut_files(self.s, scored)
        self.cut_info = cut
        self.say(f"[{STAGE}] cut: {cut.reason}; keeping {cut.n_kept}, dropping {cut.n_dropped}")
        return self._step("filtered", lambda: cut_files(self.s, scored)[1])

    def rules_only(self, filtered: Any) -> Any:
        tokens = self._step("tokens", lambda: count_tokens(self.s, self.files), dataset=False)
        return self._step("rules_only", lambda: rules_only_files(self.s, self.files, filtered, tokens))

    # ----------------------------------------------------------------- outputs

    def finish(self) -> LLMFilterResult:
        """Write labels/, scorer/, scored/, filtered/, rules_only/, stats.json and the manifest (last)."""
        if self.done:
            return LLMFilterResult.load(self.run.path)
        need = ["sample", "labels", "oracle_check", "scorer", "scored", "filtered", "tokens", "rules_only"]
        missing = [n for n in need if n not in self.products]
        if missing:
            raise RuntimeError(f"[{STAGE}] finish: run the step(s) {', '.join(missing)} first (their cells, in order)")
        return _write_outputs(self)


def _write_outputs(st: FilterSteps) -> LLMFilterResult:

    s, run, p = st.s, st.run, st.products
    with run.timer("save"):
        run.save_dataset("labels", p["labels"])
        shutil.copytree(st.steps_dir / "scorer", run.path / "scorer", dirs_exist_ok=True)
        run.save_dataset("scored", p["scored"])
        run.save_dataset("filtered", p["filtered"])
        run.save_dataset("rules_only", p["rules_only"])
    scores = np.asarray(p["scored"]["quality_score"], float)
    cut = choose_cut(scores, s.drop_bottom_fraction, s.min_score)
    counts = p["tokens"]["counts"]
    filtered_ids, rules_ids = set(p["filtered"]["id"]), set(p["rules_only"]["id"])
    ids = st.files["id"]
    labels = list(p["labels"]["score"])
    check = p["oracle_check"]
    chosen = check["readings"][check["chosen"]] if check else None
    sc = p["scorer"]
    ev = sc["evidence"]
    oracle_name = p["labels"]["oracle"][0] if len(p["labels"]) else ""
    stats = {
        "oracle": {"name": oracle_name, "method": s.oracle_method if not s.oracle_server_url else "generate",
                   "prompt_version": p["labels"]["prompt_version"][0] if len(p["labels"]) else "",
                   "max_chars": s.oracle_max_chars, "cache": str(st.cache.path),
                   # this session's oracle calls (labels and check): a reused step calls none
                   "cache_hits": st.cache.hits, "cache_misses": st.cache.misses},
        "labels": label_stats(labels),
        "oracle_check": check,
        "scorer": {k: sc[k] for k in ("backbone", "train", "heldout", "evidence", "train_s", "heldout_predictions",
                                      "heldout_labels")},
        "scores": {"mean": round(float(scores.mean()), 4), "std": round(float(scores.std()), 4),
                   "min": round(float(scores.min()), 4), "max": round(float(scores.max()), 4)},
        "cut": {"threshold": cut.threshold, "reason": cut.reason, "drop_bottom_fraction": s.drop_bottom_fraction,
                "min_score": s.min_score},
        "counts": {"files": len(ids), "labelled": len(labels), "kept": cut.n_kept, "dropped": cut.n_dropped,
                   "rules_only": len(p["rules_only"]),
                   "kept_by_language": dict(Counter(p["filtered"]["language"]).most_common())},
        "tokens": {"counter": p["tokens"]["counter"],
                   "filtered": int(sum(c for c, i in zip(counts, ids, strict=True) if i in filtered_ids)),
                   "rules_only": int(sum(c for c, i in zip(counts, ids, strict=True) if i in rules_ids)),
                   "all_files": int(sum(counts))},
    }
    run.save_json("stats.json", stats)
    metrics: dict[str, Any] = {
        "labelled": len(labels), "unparseable": stats["labels"]["unparseable"], "kept": cut.n_kept,
        "dropped": cut.n_dropped, "threshold": cut.threshold,
        "scorer_heldout_n": ev["n"], "scorer_spearman": ev["spearman"], "scorer_spearman_ci95": ev["spearman_ci"],
        "scorer_mae": ev["mae"], "scorer_mae_ci95": ev["mae_ci"],
        "scorer_mae_predicting_mean": sc["heldout"]["baseline_mae_predict_mean"],
    }
    if chosen:
        metrics.update({
            "oracle_check_reading": check["chosen"], "oracle_good_minus_poor": chosen["difference"],
            "oracle_good_minus_poor_ci95": chosen["difference_ci"],
            "oracle_p_good_above_poor": chosen["p_good_above_poor"],
            "oracle_p_good_above_poor_ci95": chosen["p_good_above_poor_ci"],
            "oracle_n_good": chosen["n_good"], "oracle_n_poor": chosen["n_poor"],
            "oracle_separates_good_from_poor": chosen["separates"]})
    run.finish(metrics=metrics)
    return LLMFilterResult(run.path, stats)


def run_llm_filter(settings: LLMFilterSettings) -> LLMFilterResult:
    """Stage 02 end to end (``seedkit run``): the notebook's steps in order, or the finished stage's result."""

    with torch_threads(settings.torch_threads, STAGE):
        st = FilterSteps(settings)
        if st.done:
            return st.finish()
        sample = st.sample()
        labels = st.labels(sample)
        st.oracle_check()
        st.train_scorer(labels, sample)
        scored = st.score()
        filtered = st.cut(scored)
        st.rules_only(filtered)
        return st.finish()
