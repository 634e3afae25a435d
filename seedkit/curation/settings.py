"""Settings of stage 01 (curation): every threshold of every filter in one object."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from seedkit.config import REPO_ROOT, SettingsError, StageSettings
from seedkit.curation.installed import installed_fingerprint
from seedkit.curation.languages import LANGUAGES


def resolve_path(path: str) -> Path:
    """A setting's path: absolute as given; relative ones against the checkout when they exist there.

    Notebooks run with cwd=notebooks/, so "data_samples/repos" must mean the checkout's folder
    whatever the working directory is.
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    in_repo = REPO_ROOT / p
    return in_repo if in_repo.exists() or not p.exists() else p.resolve()


@dataclass
class CurationSettings(StageSettings):
    """Stage 01: sources, filter thresholds, dedup and decontamination parameters."""

    stage: ClassVar[str] = "01_curation"
    TAUGHT: ClassVar[tuple[str, ...]] = ("repo_dirs", "stdlib_sample_files", "max_mean_line_length", "shingle_ngram",
                                         "lsh_bands", "lsh_rows", "near_dup_min_jaccard", "web_rule_seeds")
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": {"stdlib_sample_files": 24, "installed_files": 0, "max_commits": 4, "num_proc": 1},
        "gpu": {"stdlib_sample_files": 2000, "installed_files": 100_000, "installed_files_per_dist": 0,
                "installed_max_mb": 0.0, "max_commits": 200, "num_proc": 4},
    }

    # ----------------------------------------------------------------- sources
    repo_dirs: list[str] = field(default_factory=lambda: ["data_samples/repos"], metadata={
        "help": "directories whose top-level folders are repositories; the kit's mini repos hold one planted bad file per filter"})
    single_files: list[str] = field(default_factory=list, metadata={
        "help": "extra single source files (repo 'single-files')"})
    stdlib_sample_files: int = field(default=300, metadata={
        "help": "seeded sample of the running Python's stdlib: real code nobody here wrote; 300 keeps the smol notebook well under 5 min on 2 cores; 0 = off"})
    installed_files: int = field(default=300, metadata={
        "help": "files sampled from the distributions installed beside the kit (numpy, torch, pip, ...), each one a "
                "repository with its license and version recorded: real code, no network. Stage 02 scores every kept "
                "file (~0.16 s each on 2 shared cores): 300 keeps stages 01+02 of smol near 2 minutes (600 took "
                "2.8); tiny: 0, so it stays seconds; gpu: every file (~35,000, ~400 MB); 0 = off"})
    installed_files_per_dist: int = field(default=20, metadata={
        "help": "most files of one distribution, so the big ones (torch, transformers: thousands each) cannot fill the "
                "sample; files are picked by a seeded hash of each path's last two parts, so a module and its vendored "
                "copy come together; 0 = no limit"})
    installed_max_mb: float = field(default=10.0, metadata={
        "help": "most megabytes listed from installed distributions (sizes from their RECORD; 300 files are ~4 MB); "
                "0 = no limit"})
    installed_names: list[str] = field(default_factory=list, metadata={
        "help": "only these installed distributions (e.g. ['pip', 'requests']); empty = every one but the kit"})
    dataset_paths: list[str] = field(default_factory=list, metadata={
        "help": "JSONL / Parquet files or save_to_disk dirs with a content column (The Stack-like dumps)"})
    dataset_content_column: str = field(default="content", metadata={"help": "column holding the source text"})
    commit_repos: list[str] = field(default_factory=lambda: ["."], metadata={
        "help": "git repositories for commit samples; '.' = the kit's own checkout (skipped with a message when not a git repo)"})
    max_commits: int = field(default=40, metadata={"help": "most recent commits per repository turned into samples"})
    commit_context_files: int = field(default=5, metadata={
        "help": "files of the pre-commit snapshot most relevant to the message (BM25) shown as context, with the README "
                "and the directory tree: the report's 5"})
    web_dirs: list[str] = field(default_factory=lambda: ["data_samples/web"], metadata={
        "help": "folders of HTML pages (code tutorials and non-code pages mixed)"})
    web_seeds: str = field(default="data_samples/web/seeds.jsonl", metadata={
        "help": "labelled pages (text, label code|other) that train the fastText code-relatedness classifier"})

    # ----------------------------------------------------------------- step 1-2: read, language
    max_file_bytes: int = field(default=256_000, metadata={
        "help": "The Stack caps files at 1 MB; 256 KB drops generated tables (pydoc topics) and keeps the planted oversize file small in git"})
    keep_unknown_languages: bool = field(default=False, metadata={
        "help": "the report trains on a known list of languages; unknown extensions are dropped (reason unknown_language)"})

    # ----------------------------------------------------------------- step 3: basic filters
    min_lines: int = field(default=3, metadata={"help": "files shorter than this teach nothing (StarCoder-style)"})
    max_lines: int = field(default=10_000, metadata={"help": "longer files are almost always generated or data"})
    max_line_length: int = field(default=1000, metadata={"help": "StarCoder: drop files with any line over 1000 chars"})
    max_mean_line_length: float = field(default=100.0, metadata={"help": "StarCoder: mean line length over 100 means data or minified"})
    min_alphanumeric_fraction: float = field(default=0.25, metadata={"help": "StarCoder: under 25% letters/digits is ASCII art or data"})
    minified_mean_line_length: float = field(default=300.0, metadata={
        "help": "a mean line over 300 chars (or one huge line) is minified code, named apart from plain long lines"})
    max_numeric_fraction: float = field(default=0.5, metadata={
        "help": "more than half of the non-space characters digits: a data dump in a code file"})
    autogen_scan_lines: int = field(default=20, metadata={"help": "lines scanned for 'auto-generated' / 'do not edit' markers"})

    # ----------------------------------------------------------------- step 4: syntax
    syntax_check: bool = field(default=True, metadata={"help": "drop files that tree-sitter cannot parse (the report's Tree-sitter filter)"})
    python_syntax_check: Literal["both", "cpython", "tree-sitter"] = field(default="both", metadata={
        "help": "Python files: CPython's parser decides (tree-sitter-python accepts Python 2: print statements, "
                "'except E, e', backticks; measured); 'both' also runs tree-sitter and counts disagreements, "
                "'cpython' skips it and halves the step's time"})

    # ----------------------------------------------------------------- step 5: secrets
    redact_secrets: bool = field(default=True, metadata={"help": "keys, tokens, passwords and e-mail addresses are replaced, not dropped"})

    # ----------------------------------------------------------------- step 6: dedup
    exact_dedup: bool = field(default=True, metadata={"help": "SHA-256 of normalised content, file and repository level"})
    near_dedup: bool = field(default=True, metadata={"help": "MinHash + LSH over word n-gram shingles, file and repository level"})
    shingle_ngram: int = field(default=5, metadata={"help": "word 5-grams, as datatrove's MinhashConfig default"})
    lsh_bands: int = field(default=14, metadata={
        "help": "14 bands x 8 rows (datatrove's default): a pair of Jaccard 0.85 is caught with p=0.99, 0.8 with 0.92, 0.7 with 0.57"})
    lsh_rows: int = field(default=8, metadata={"help": "rows per band; threshold ~ (1/bands)^(1/rows) = 0.72"})
    near_dup_min_jaccard: float = field(default=0.5, metadata={
        "help": "LSH candidates whose signature Jaccard is below this are not merged: avoids chaining unrelated files"})
    minhash_seed: int = field(default=1, metadata={"help": "seed of the MinHash permutations"})

    # ----------------------------------------------------------------- step 7: decontamination
    decontam_ngram: int = field(default=10, metadata={"help": "the report drops files sharing a 10-gram with a benchmark"})
    decontaminate: bool = field(default=True, metadata={"help": "check against HumanEval and the kit's held-out problems"})

    # ----------------------------------------------------------------- web
    web_min_code_score: float = field(default=0.5, metadata={
        "help": "a page is kept when the fastText classifier's P(code) reaches this (the classifier decides on every page)"})
    web_rule_seeds: bool = field(default=True, metadata={
        "help": "pages holding <pre>/<code> blocks join the classifier's training data as 'code' examples, cross-fitted "
                "so no page is scored by a classifier trained on it; the rule seeds the classifier, it never keeps a page"})

    # ----------------------------------------------------------------- execution
    num_proc: int = field(default=2, metadata={
        "help": "processes for per-file steps (datasets.map num_proc); 1 runs in-process, fastest for small corpora"})
    dropped_content_chars: int = field(default=2000, metadata={"help": "how much of a dropped file dropped/ keeps for inspection"})

    def validate(self) -> None:
        super().validate()
        if self.lsh_bands < 1 or self.lsh_rows < 1:
            raise SettingsError("lsh_bands/lsh_rows: both must be >= 1")
        if self.lsh_bands * self.lsh_rows > 1024:
            raise SettingsError("lsh_bands*lsh_rows: more than 1024 permutations is slow for no gain; lower them")
        if not 0.0 <= self.near_dup_min_jaccard <= 1.0:
            raise SettingsError("near_dup_min_jaccard: must be within [0, 1]")
        if self.min_lines > self.max_lines:
            raise SettingsError(f"min_lines ({self.min_lines}) > max_lines ({self.max_lines})")
        if self.max_file_bytes < 1:
            raise SettingsError("max_file_bytes: must be >= 1")
        if self.num_proc < 1:
            raise SettingsError("num_proc: must be >= 1")
        if self.shingle_ngram < 1 or self.decontam_ngram < 1:
            raise SettingsError("shingle_ngram/decontam_ngram: must be >= 1")
        if min(self.installed_files, self.installed_files_per_dist) < 0 or self.installed_max_mb < 0:
            raise SettingsError("installed_files/installed_files_per_dist/installed_max_mb: must be >= 0 (0 = off / no limit)")
        if self.commit_context_files < 0 or self.max_commits < 0:
            raise SettingsError("commit_context_files/max_commits: must be >= 0")
        if not 0.0 <= self.web_min_code_score <= 1.0:
            raise SettingsError(f"web_min_code_score: {self.web_min_code_score} is a probability; use a value in [0, 1]")

    def config_hash(self, exclude: Iterable[str] = ()) -> str:
        """The settings' hash (:meth:`seedkit.config.StageSettings.config_hash`), and with the installed
        distributions as a source also their names and versions: an upgraded package is a different input,
        so the stage and its saved steps are redone rather than reused."""
        base = super().config_hash(exclude)
        if self.installed_files <= 0:
            return base
        return hashlib.sha256(f"{base}:{installed_fingerprint(self.installed_names)}".encode()).hexdigest()[:16]

    @property
    def lsh_threshold(self) -> float:
        """Jaccard at which a pair is caught with probability ~0.5: (1/bands)^(1/rows)."""
        return (1.0 / self.lsh_bands) ** (1.0 / self.lsh_rows)

    def catch_probability(self, jaccard: float) -> float:
        """P(a pair of this Jaccard shares at least one band) = 1 - (1 - s^rows)^bands."""
        return 1.0 - (1.0 - jaccard**self.lsh_rows) ** self.lsh_bands

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit value is this profile's; a why of "same" means
        the kit follows the report)."""

        same = "same"
        rows = [
            ("sources", "GitHub files, GitHub commits, Common Crawl pages",
             f"repo_dirs {self.repo_dirs}, dataset_paths {self.dataset_paths}, stdlib sample {self.stdlib_sample_files}, "
             f"installed distributions {self.installed_files} files, "
             f"commit_repos {self.commit_repos}, web_dirs {self.web_dirs}",
             "local sources a machine holds; point repo_dirs / dataset_paths at a The Stack dump for scale"),
            ("languages", "89 programming languages", f"{len(LANGUAGES)} languages (seedkit/curation/languages.py)",
             "the extensions the kit maps; add entries to LANGUAGES for more"),
            ("syntax filter", "Tree-sitter parse errors", f"tree-sitter; Python: {self.python_syntax_check}",
             "tree-sitter-python accepts Python 2 (measured), so CPython's parser decides for Python"),
            ("exact dedup", "SHA-256, repository and file level", f"SHA-256 of normalised text, repo + file: {self.exact_dedup}",
             same),
            ("near dedup", "MinHash, repository and file level (parameters not given)",
             f"MinHash {self.lsh_bands}x{self.lsh_rows} over word {self.shingle_ngram}-grams, repo + file: {self.near_dedup}",
             "datatrove's defaults; words are Unicode letter/digit runs, one token per character in scripts without spaces"),
            ("decontamination", "10-gram overlap with benchmarks", f"{self.decontam_ngram}-gram, {self.decontaminate}",
             same if self.decontam_ngram == 10 else "changed by the settings"),
            ("commit context", "README, directory tree, top 5 BM25 files",
             f"README, tree, top {self.commit_context_files} BM25 files",
             same if self.commit_context_files == 5 else "changed by the settings"),
            ("commits", "74M commits of 140K repositories", f"last {self.max_commits} per repository",
             "a local sample; raise max_commits and list more commit_repos"),
            ("web recall", "fastText classifier over Common Crawl",
             f"fastText on every page (P(code) >= {self.web_min_code_score}); code-block pages seed it: {self.web_rule_seeds}",
             "the seeds are the kit's 114 labelled texts plus cross-fitted code-block pages, not the report's seed set"),
            ("scale out", "a distributed pipeline", f"in-process shards of {self.num_proc} process(es); datatrove for clusters",
             "docs/scaling_datatrove.md"),
        ]
        return [{"setting": a, "report": b, "kit": c, "why": d} for a, b, c, d in rows]
