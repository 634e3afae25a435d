"""Stage 01 as begin, steps and finish: sources -> filters -> secrets -> fingerprints -> repository
dedup -> exact dedup -> near dedup -> decontamination -> repositories; commits; web pages; outputs.

``stage = begin(settings)`` opens the stage (:class:`CurationStage`, a :class:`seedkit.steps.Stage`);
each step is a function ``verb(stage, <earlier products>) -> <Product>`` whose product (a small
dataclass: :class:`~seedkit.curation.records.Split` with ``kept`` and ``dropped`` for every filter and
dedup step) :meth:`~seedkit.steps.Stage.step` saves under ``steps/``, so a rerun cell, a restarted
kernel or a killed run picks up at the first step not yet done; ``finish(stage)`` writes the outputs
(``seedkit.curation.outputs``). :func:`run_curation` calls the same functions in order for ``seedkit
run``. The corpus-level steps decide from per-file fingerprints (a SHA-256, a MinHash signature and a
benchmark-overlap flag, 0.5 KB per file) rather than from the texts; ``bench/bench_curation_memory.py``
measures the peak memory.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.curation.chain import small_save_batches
from seedkit.curation.commits_web import Commits, WebPages, commit_rows, web_rows
from seedkit.curation.corpus_steps import (
    decontamination_split,
    exact_dedup_split,
    near_dedup_split,
    repo_dedup_split,
    repository_rows,
)
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.file_steps import (
    check_sources,
    describe_installed,
    filter_records,
    fingerprint_records,
    installed_selection,
    list_sources,
    redact_records,
)
from seedkit.curation.funnel import step_funnel
from seedkit.curation.outputs import write_outputs
from seedkit.curation.records import FILTER_STEPS, Fingerprints, Repos, Sources, Split, saveable
from seedkit.curation.result import CurationResult
from seedkit.curation.settings import CurationSettings
from seedkit.runs import StageRun
from seedkit.steps import Stage


@dataclass
class CurationStage(Stage):
    """Stage 01 in progress (:class:`seedkit.steps.Stage`), with the benchmark n-gram index its
    fingerprints, commits and web steps share (built once, on first use)."""

    printer: Callable[[str], None] = print
    _decontam: Decontaminator | None = field(default=None, repr=False)

    def say(self, line: str) -> None:
        self.printer(f"[{self.name}] {line}")

    @property
    def decontaminator(self) -> Decontaminator | None:
        """The benchmark n-gram index, or None with ``decontaminate=False``."""
        s = self.settings
        if s.decontaminate and self._decontam is None:
            t = time.perf_counter()
            self._decontam = Decontaminator.default(ngram=s.decontam_ngram)
            self.run.timings["decontam_index"] = round(time.perf_counter() - t, 3)
            self.say(f"decontamination: {self._decontam.num_problems} problems (HumanEval, held-out, basic tier), "
                     f"{len(self._decontam)} {s.decontam_ngram}-grams indexed")
        return self._decontam

    def funnel_steps(self) -> list[tuple[str, tuple[str, ...]]]:
        """(step name, funnel steps it covers) for the filter and dedup steps these settings run."""
        s = self.settings
        out = [("filters", tuple(x for x in FILTER_STEPS if x != "syntax" or s.syntax_check))]
        out += [(name, (name,)) for name, on in (
            ("secrets", s.redact_secrets), ("repo_dedup", s.exact_dedup or s.near_dedup),
            ("exact_dedup", s.exact_dedup), ("near_dedup", s.near_dedup), ("decontamination", s.decontaminate)) if on]
        return out

    def funnel(self) -> list[dict[str, Any]]:
        """The funnel of the filter and dedup steps run so far, in order."""
        entries: list[dict[str, Any]] = []
        for name, covers in self.funnel_steps():
            if name in self.products:
                entries += step_funnel(self.products[name], covers)
        for prev, entry in zip(entries, entries[1:], strict=False):
            entry["bytes_in"] = prev["bytes_out"]  # redaction shortens texts inside the secrets step
        return entries


def begin(settings: CurationSettings | None = None, say: Callable[[str], None] = print) -> CurationStage:
    """Check the sources, open ``runs/<run>/01_curation/`` (a finished stage with the same settings is
    kept; ``force=True`` drops the saved steps of these settings) and say how near dedup is set."""
    s = settings or CurationSettings.from_params("smol")
    check_sources(s)
    before = _versions((StageRun(s).manifest() or {}).get("metrics", {}).get("installed_distributions", []))
    stage = CurationStage.open(s, {}, threads=False, printer=say)
    stage.say(f"near dedup: MinHash {s.lsh_bands}x{s.lsh_rows} over word {s.shingle_ngram}-grams "
              f"(threshold ~{s.lsh_threshold:.2f}; a pair of Jaccard 0.85 is caught with p={s.catch_probability(0.85):.2f}, "
              f"0.7 with p={s.catch_probability(0.7):.2f})")
    stage.say(f"num_proc={s.num_proc}: " + ("every step runs in this process" if s.num_proc <= 1 else
              f"per-file steps and fingerprints run on {s.num_proc} processes, 256 files a shard "
              "(corpora of one shard stay in this process)"))
    stage.say(describe_installed(s))
    now = _versions(installed_selection(s).distributions)
    changed = [f"{n} {before.get(n, '-')} -> {now.get(n, '-')}" for n in sorted(set(before) | set(now))
               if n in before and before.get(n) != now.get(n)]
    if changed and not stage.done:
        stage.say(f"installed distributions changed since the last run ({', '.join(changed[:5])}"
                  f"{', ...' if len(changed) > 5 else ''}): a different input, so the stage is redone")
    return stage


def _versions(dists: list[dict[str, Any]]) -> dict[str, str]:
    return {str(d.get("name")): str(d.get("version")) for d in dists}


def _step(stage: CurationStage, name: str, compute: Callable[[Path], Any], product: type) -> Any:
    """``stage.step`` with a scratch folder for the step's Arrow shards, saved in small batches."""
    stage.run.path.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=stage.run.path, prefix=".work-") as tmp, small_save_batches():
        return stage.step(name, lambda: saveable(compute(Path(tmp))), product=product)


# --------------------------------------------------------------------------- steps


def read_sources(stage: CurationStage) -> Sources:
    """Step ``sources``: one record per file or dataset row of every source (texts not read yet), and the
    installed distributions read (name, version, license, files)."""
    s = stage.settings

    def compute(w: Path) -> Sources:
        found = Sources(list_sources(s, w, stage.printer), installed_selection(s).distributions)
        if len(found.records) == 0 and not s.commit_repos and not s.web_dirs:
            raise SettingsError("01_curation: no file to curate: repo_dirs, single_files, dataset_paths, "
                                "stdlib_sample_files and installed_files give none and commit_repos and web_dirs are "
                                "off; point repo_dirs at a folder of code (each top folder a repository)")
        return found

    return _step(stage, "sources", compute, Sources)


def filter_files(stage: CurationStage, sources: Sources) -> Split:
    """Step ``filters``: read each file (binary, empty, oversize out), name its language, apply the basic
    filters and the syntax check."""
    return _step(stage, "filters", lambda w: filter_records(stage.settings, sources.records, w), Split)


def redact_files(stage: CurationStage, files: Any) -> Split:
    """Step ``secrets``: keys, tokens, passwords and e-mail addresses replaced, never dropped."""
    return _step(stage, "secrets", lambda w: redact_records(stage.settings, files, w), Split)


def fingerprint_files(stage: CurationStage, files: Any) -> Fingerprints:
    """Step ``fingerprints``: SHA-256, MinHash signature and benchmark overlap of each file."""
    return _step(stage, "fingerprints",
                 lambda w: Fingerprints(fingerprint_records(stage.settings, files, w, stage.decontaminator)),
                 Fingerprints)


def dedup_repositories(stage: CurationStage, fingerprints: Fingerprints) -> Split:
    """Step ``repo_dedup``: whole repositories that copy an earlier one, exactly or nearly, go."""
    return _step(stage, "repo_dedup", lambda w: repo_dedup_split(stage.settings, fingerprints.files, w), Split)


def dedup_exact(stage: CurationStage, files: Any) -> Split:
    """Step ``exact_dedup``: files whose normalised text equals an earlier file's go."""
    return _step(stage, "exact_dedup", lambda w: exact_dedup_split(stage.settings, files, w), Split)


def dedup_near(stage: CurationStage, files: Any) -> Split:
    """Step ``near_dedup``: files in a MinHash LSH cluster with an earlier file go."""
    return _step(stage, "near_dedup", lambda w: near_dedup_split(stage.settings, files, w), Split)


def remove_contaminated(stage: CurationStage, files: Any) -> Split:
    """Step ``decontamination``: files sharing a ``decontam_ngram``-gram with a benchmark problem go."""
    return _step(stage, "decontamination", lambda w: decontamination_split(stage.settings, files, w), Split)


def build_repos(stage: CurationStage, files: Any) -> Repos:
    """Step ``repos``: one row per repository, its kept files concatenated with dependencies first."""
    return _step(stage, "repos", lambda w: Repos(repository_rows(files, w)), Repos)


def sample_commits(stage: CurationStage) -> Commits:
    """Step ``commits``: code-change samples from ``commit_repos``."""
    return _step(stage, "commits", lambda w: commit_rows(stage.settings, stage.decontaminator, stage.printer), Commits)


def classify_web(stage: CurationStage) -> WebPages:
    """Step ``web``: the web pages a fastText classifier (or the code-tags rule) keeps."""
    return _step(stage, "web", lambda w: web_rows(stage.settings, stage.decontaminator, stage.printer), WebPages)


def finish(stage: CurationStage) -> CurationResult:
    """Write files/, repos/, commits/, web/, dropped/, stats.json and the manifest (last)."""
    if stage.done:
        return CurationResult.load(stage.path)
    names = [n for n, _ in stage.funnel_steps()]
    missing = [n for n in ["sources", *names, "fingerprints", "repos", "commits", "web"] if n not in stage.products]
    if missing:
        raise RuntimeError(f"[{stage.name}] finish: run the step(s) {', '.join(missing)} first (their cells, in order)")
    try:
        return write_outputs(stage.settings, stage.run, stage.products, names, stage.funnel(), stage.printer)
    finally:
        stage.close()


def run_curation(settings: CurationSettings | None = None, say: Callable[[str], None] = print) -> CurationResult:
    """Stage 01 end to end (``seedkit run``): the notebook's steps in order, or the finished stage's result."""
    stage = begin(settings, say)
    if stage.done:
        return finish(stage)
    sources = read_sources(stage)
    kept = filter_files(stage, sources).kept
    kept = redact_files(stage, kept).kept
    fp = fingerprint_files(stage, kept)
    kept = dedup_repositories(stage, fp).kept
    kept = dedup_exact(stage, kept).kept
    kept = dedup_near(stage, kept).kept
    kept = remove_contaminated(stage, kept).kept
    build_repos(stage, kept)
    sample_commits(stage)
    classify_web(stage)
    return finish(stage)
