"""Stage 01's per-file work: the sources listed, each file read and filtered, its secrets redacted and
its fingerprint taken (SHA-256, MinHash signature, benchmark overlap).

Memory stays flat as the corpus grows: every function here reads its input a shard of rows at a time
from Arrow files on disk and writes what it keeps and drops as it goes (``seedkit.curation.chain``),
on ``num_proc`` processes for corpora of more than one shard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.curation.chain import SHARD_BYTES, ShardWriter, iter_shards, map_shards, run_steps_on_shard
from seedkit.curation.corpus import Fingerprinter, FingerprintOptions, fingerprint_shard
from seedkit.curation.decontam import Decontaminator
from seedkit.curation.filters import BasicFilters, LanguageStep, SecretRedactor, SyntaxFilter
from seedkit.curation.installed import InstalledSelection, installed_fingerprint, select_installed
from seedkit.curation.records import RECORD_COLUMNS, STAGE, Split, dropped_row, features, no_drops, progress
from seedkit.curation.settings import CurationSettings, resolve_path
from seedkit.curation.sources import ReadStep, iter_dataset, iter_repo_dir, list_single_files, stdlib_sample

# --------------------------------------------------------------------------- sources


def check_sources(s: CurationSettings) -> None:
    """One-line SettingsError for a source path that does not exist (every source may be empty)."""
    for name in ("repo_dirs", "single_files", "dataset_paths", "web_dirs"):
        for d in getattr(s, name):
            if not resolve_path(d).exists():
                raise SettingsError(f"{name}: {d} does not exist (resolved to {resolve_path(d)}); "
                                    f"fix the path or leave it out ({name}=[] turns the source off)")
    for r in s.commit_repos:
        if r != "." and not resolve_path(r).exists():
            raise SettingsError(f"commit_repos: {r} does not exist; give git repositories or commit_repos=[]")
    if s.web_dirs and s.web_seeds and not resolve_path(s.web_seeds).exists():
        raise SettingsError(f"web_seeds: {s.web_seeds} does not exist; give a JSONL of labelled pages "
                            "({'text', 'label': 'code'|'other'}) or web_seeds='' for no seeds")


_SELECTIONS: dict[tuple[Any, ...], InstalledSelection] = {}


def installed_selection(s: CurationSettings) -> InstalledSelection:
    """What the installed-distributions source reads with these settings (listed once per process while
    the installed versions stay the same)."""
    if s.installed_files <= 0:
        return select_installed(0)
    key = (installed_fingerprint(s.installed_names), s.installed_files, s.installed_files_per_dist,
           s.installed_max_mb, s.seed, tuple(s.installed_names))
    if key not in _SELECTIONS:
        _SELECTIONS[key] = select_installed(s.installed_files, s.installed_files_per_dist, s.installed_max_mb, s.seed,
                                            s.installed_names)
    return _SELECTIONS[key]


def describe_installed(s: CurationSettings) -> str:
    """One line: what the installed-distributions source reads with these settings, and why that much."""
    if s.installed_files <= 0:
        return (f"installed distributions: off (installed_files=0, {s.origin('installed_files')}); "
                "installed_files=N reads N files of the packages installed beside the kit")
    sel = installed_selection(s)
    why = CurationSettings.__dataclass_fields__["installed_files"].metadata["help"]
    return (f"installed distributions: {len(sel.records)} files ({sel.bytes / 1e6:.1f} MB) of "
            f"{len(sel.distributions)} of {sel.candidates} distributions (the kit left out; {sel.files_available} "
            f"code files in all), at most {s.installed_files_per_dist or 'any'} per distribution, stopped by "
            f"{sel.stopped_by}; installed_files={s.installed_files} ({s.origin('installed_files')}): {why}")


def iter_source_records(s: CurationSettings, say: Callable[[str], None] = print) -> Iterator[dict[str, Any]]:
    """Every record of every source, in the stage's order (repositories, single files, stdlib, installed
    distributions, datasets);
    ``order`` numbers them and ``origin`` says which source each came from."""
    check_sources(s)

    def tagged(origin: str, records: Any) -> Iterator[dict[str, Any]]:
        for rec in records:
            rec["origin"] = origin
            yield rec

    streams: list[Iterator[dict[str, Any]]] = [tagged(f"repo_dirs:{d}", iter_repo_dir(resolve_path(d))) for d in s.repo_dirs]
    if s.single_files:
        streams.append(tagged("single_files", list_single_files([resolve_path(f) for f in s.single_files])))
    if s.stdlib_sample_files > 0:
        recs = stdlib_sample(s.stdlib_sample_files, seed=s.seed)
        say(f"[{STAGE}] stdlib sample: {len(recs)} files of the running Python's standard library "
            f"(stdlib_sample_files={s.stdlib_sample_files}, profile {s.profile}, seed {s.seed}): real code nobody here wrote")
        streams.append(tagged("stdlib_sample", recs))
    if s.installed_files > 0:
        streams.append(tagged("installed", (dict(r) for r in installed_selection(s).records)))
    streams += [tagged(f"dataset_paths:{d}", iter_dataset(resolve_path(d), s.dataset_content_column))
                for d in s.dataset_paths]
    order = 0
    for stream in streams:
        for rec in stream:
            rec["order"] = order
            order += 1
            yield rec


def list_sources(s: CurationSettings, workdir: Path, say: Callable[[str], None] = print) -> Any:
    """One record per file or dataset row, texts not yet read (dataset rows carry theirs)."""
    w = ShardWriter(workdir / "sources.arrow", features("records"))
    shard: list[dict[str, Any]] = []
    size = 0
    for rec in iter_source_records(s, say):
        shard.append(rec)
        size += len(rec["content"])  # dataset rows carry their text; files are read later
        if len(shard) >= 1024 or size >= SHARD_BYTES:
            w.write(shard)
            shard, size = [], 0
    w.write(shard)
    return w.dataset()


# --------------------------------------------------------------------------- per-file steps


def run_file_steps(state: tuple[list[Any], int], shard: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """One shard through the per-file steps: (kept records, ``dropped/`` rows)."""
    steps, limit = state
    kept, dropped = run_steps_on_shard(steps, shard)
    for d in dropped:
        d["detail"] = d.get("syntax_note") or ""  # the syntax step notes parser disagreements
    return kept, [dropped_row(d, limit) for d in dropped]


def _per_file(s: CurationSettings, ds: Any, steps: list[Any], workdir: Path, name: str) -> Split:
    kept_w = ShardWriter(workdir / f"{name}-kept.arrow", features("records"))
    drop_w = ShardWriter(workdir / f"{name}-dropped.arrow", features("dropped"))
    num_proc = s.num_proc if len(ds) > 256 else 1  # one shard: a process pool would only add its start-up
    bar = progress(len(ds), f"{name} ({'+'.join(st.name for st in steps)})")
    for kept, dropped in map_shards(run_file_steps, iter_shards(ds, RECORD_COLUMNS), (steps, s.dropped_content_chars),
                                    num_proc):
        kept_w.write(kept)
        drop_w.write(dropped)
        bar.update(len(kept) + len(dropped))
    bar.close()
    return Split(kept_w.dataset(), drop_w.dataset())


def filter_steps(s: CurationSettings) -> list[Any]:
    """The per-file filters in order: read, language, basic filters, syntax (when ``syntax_check``)."""
    steps: list[Any] = [ReadStep(s.max_file_bytes), LanguageStep(s.keep_unknown_languages), BasicFilters.from_settings(s)]
    if s.syntax_check:
        steps.append(SyntaxFilter(s.python_syntax_check))
    return steps


def filter_records(s: CurationSettings, sources: Any, workdir: Path) -> Split:
    """Read each file (encoding detected; binary, empty, oversize out), name its language, apply the
    basic filters and the syntax check."""
    return _per_file(s, sources, filter_steps(s), workdir, "filters")


def redact_records(s: CurationSettings, files: Any, workdir: Path) -> Split:
    """Keys, tokens, passwords and e-mail addresses replaced (never dropped); ``redactions`` counts them
    per file. A no-op with ``redact_secrets=False``."""
    if not s.redact_secrets:
        return no_drops(files)
    return _per_file(s, files, [SecretRedactor()], workdir, "secrets")


def fingerprint_records(s: CurationSettings, files: Any, workdir: Path, decontaminator: Decontaminator | None) -> Any:
    """Each file's SHA-256, MinHash signature and benchmark overlap, in one pass over the texts
    (tokenised once). Adds ``sha256``, ``minhash``, ``minhash_valid`` and ``contamination`` columns;
    drops nothing."""
    import pyarrow as pa

    num_perm = s.lsh_bands * s.lsh_rows
    fp = Fingerprinter(FingerprintOptions.from_settings(s, decontaminator if s.decontaminate else None))
    w = ShardWriter(workdir / "fingerprints.arrow", features("fingerprinted", num_perm))
    num_proc = s.num_proc if len(files) > 256 else 1
    bar = progress(len(files), "fingerprints (sha256, minhash, benchmark n-grams)")
    for shard, sig in map_shards(fingerprint_shard, iter_shards(files, RECORD_COLUMNS), fp, num_proc):
        w.write(shard, minhash=pa.FixedSizeListArray.from_arrays(pa.array(sig.ravel(), pa.uint32()), num_perm))
        bar.update(len(shard))
    bar.close()
    return w.dataset()
