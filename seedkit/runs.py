"""Run directories, manifests and artifacts.

Layout: ``<runs_dir>/<run_name>/<NN_stage>/``. A stage directory is *complete* when it holds a
``manifest.json`` (written last, atomically) whose config hash and input hashes match the current
settings and inputs, and whose recorded output files are still there, intact. Anything else is
incomplete: a stage killed mid-way left an ``.in_progress`` marker and no manifest, and is redone
(its ``checkpoints/`` are kept for resume when the config is unchanged, wiped otherwise); a stage
whose files were truncated or changed after it finished is redone too, and a stage that needs it
as input stops with a one-line error naming the file and the command that redoes it.

Redoing a finished stage first sets it aside (``.<NN_stage>.previous``): it comes back when the redo
fails (``seedkit run``) or when its settings are asked for again, and goes when the redo finishes, so
a failing stage never removes a finished one. A run with ``handout.json`` (``seedkit handout``) is
never written; ``seedkit use`` gives each participant a run of their own whose stages are references
(symlinks) to the hand-out's until one is redone (:mod:`seedkit.transfer`).

A run is not tied to the folder it was made in: the manifest names inputs by paths relative to
the run (stages) or the checkout (the kit's data files) and decides by content hashes, and the
config hash leaves out where the run lives and what it is called. A run copied or moved to
another runs folder, handed out with ``seedkit export``/``seedkit import`` or sharing a stage
with another run (``seedkit sweep``) is read as done. Checking and reading a finished stage's folder
(sizes always, hashes when times changed; ``seedkit verify`` hashes everything) is
:mod:`seedkit.manifests`; its names are importable from here.

``steps/<config hash>/`` (notebook step products, :meth:`StageRun.step`) is a cache, not an
output: it is neither recorded in the manifest nor checked, and an unreadable step product is
recomputed. Every artifact is written to a temporary name beside its final one and renamed into
place. Only the main process of a multi-process launch writes; the others wait in
:meth:`StageRun.finish` until the main process's manifest is there. How a stage uses this:
:mod:`seedkit.steps`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seedkit.config import STAGES, SettingsError, StageSettings, default_runs_dir, resolve_stage
from seedkit.files import (
    atomic_dir,
    atomic_write_json,
    atomic_write_text,
    hash_tree,
    json_default,
    load_product,
    make_readable,
    save_product,
)
from seedkit.manifests import (
    BASE,
    CHECKPOINTS,
    HANDOUT,
    IN_PROGRESS,
    MANIFEST,
    VERIFIED,
    VERSIONED_PACKAGES,
    check_outputs,
    input_digest,
    is_handout,
    is_main_process,
    manifest_state,
    merge_steps,
    package_versions,
    path_record,
    previous_dir,
    read_manifest,
    recorded_digests,
    remove_stage,
    resolve_path_record,
    restore_previous,
    share_stage,
    stale_inputs,
    verify_stage,
    write_verified,
)

if TYPE_CHECKING:
    import datasets

STEPS = "steps"

# The stages each stage reads (the chain of models: 04 from 03, 05 from 04, 06 from 03). Used to name
# every missing stage in one hint, and by `seedkit sweep` to know which upstream stages a grid needs.
STAGE_INPUTS: dict[str, tuple[str, ...]] = {
    "01_curation": (),
    "02_llm_filter": ("01_curation",),
    "03_pretraining": ("01_curation", "02_llm_filter"),
    "04_sft": ("02_llm_filter", "03_pretraining"),
    "05_dpo": ("04_sft",),
    "06_longcot_rl": ("03_pretraining",),
    "07_eval": (),
}


def upstream_stages(stage: str) -> list[str]:
    """Every stage ``stage`` needs, directly or through its inputs, in pipeline order."""
    seen: set[str] = set()
    todo = list(STAGE_INPUTS.get(resolve_stage(stage), ()))
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(STAGE_INPUTS.get(s, ()))
    return [s for s in STAGES if s in seen]


def stages_arg(stages: list[str]) -> str:
    """['01_curation', '02_llm_filter', '03_pretraining'] -> '01-03'; non-contiguous -> '01,03'."""
    idx = sorted(STAGES.index(s) for s in stages)
    if len(idx) > 1 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{STAGES[idx[0]][:2]}-{STAGES[idx[-1]][:2]}"
    return ",".join(STAGES[i][:2] for i in idx)


def rerun_command(profile: str, run_name: str, stages: list[str], runs_dir: str | os.PathLike[str] = "") -> str:
    """The `seedkit run` command that (re)does ``stages`` of a run, with its profile and runs folder."""
    cmd = f"seedkit run --profile {profile} --run-name {run_name} --stages {stages_arg(stages)}"
    if runs_dir and Path(runs_dir).resolve() != Path(default_runs_dir()).resolve():
        cmd += f" --runs-dir {runs_dir}"
    return cmd

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


def _sandbox_modes() -> dict[str, int]:
    """Jobs per sandbox mode that this process ran (``{}`` if it ran no model-written code)."""
    sandbox = sys.modules.get("seedkit.sandbox")
    return sandbox.modes_used() if sandbox is not None else {}


class HandoutError(SettingsError):
    """A stage would be written into a handed-out run, which is read-only."""


class MissingInputError(RuntimeError):
    """A stage's input stage has not been run (or did not finish) in this run."""


class DamagedStageError(MissingInputError):
    """A finished stage's output file is missing, truncated or changed since the stage wrote it."""


class RankWaitError(RuntimeError):
    """A process other than the main one waited too long for the main process's manifest."""


# --------------------------------------------------------------------------- runs


def run_dir(run_name: str, runs_dir: str | os.PathLike[str] = "") -> Path:
    runs_dir = runs_dir or default_runs_dir()
    if not run_name or "/" in run_name or run_name.startswith("."):
        raise SettingsError(f"run_name: {run_name!r} is not a usable directory name")
    return Path(runs_dir) / run_name


def stage_dir(run_name: str, stage: str, runs_dir: str | os.PathLike[str] = "") -> Path:
    return run_dir(run_name, runs_dir) / resolve_stage(stage)


def completed_stages(run_name: str, runs_dir: str | os.PathLike[str] = "") -> list[str]:
    return [s for s in STAGES if read_manifest(stage_dir(run_name, s, runs_dir)) is not None]


def _process_start_time() -> float:
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:  # noqa: BLE001 - psutil missing or /proc unreadable: the import time is close enough
        return _IMPORTED_AT


_IMPORTED_AT = time.time()


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
        self._input_records: dict[str, dict[str, str]] | None = None
        self._t0 = time.time()
        self.resuming = False

    @classmethod
    def for_settings(cls, settings: StageSettings) -> StageRun:
        return cls(settings)

    @property
    def run_root(self) -> Path:
        return self.path.parent

    # ----------------------------------------------------------------- inputs

    def input(self, stage: str, override: str | os.PathLike[str] | None = None) -> Path:
        """Directory of a completed earlier stage (of this run, or ``override``), its files checked.

        Raises MissingInputError (one line, naming every stage to run and the command that runs them)
        when it is missing or unfinished, and DamagedStageError when one of its files is not what the
        stage wrote."""
        key = resolve_stage(stage)
        path = Path(override) if override else stage_dir(self.run_name, key, self.runs_dir)
        state, m, why = manifest_state(path)
        if state != "done":
            raise MissingInputError(self._missing_message(key, path, why, override is not None))
        problems = check_outputs(path, m or {})
        if problems:
            run_name, profile = self._owner(path, m)
            more = f" (and {len(problems) - 1} more file(s))" if len(problems) > 1 else ""
            raise DamagedStageError(
                f"{self.stage} needs stage {key}, but {problems[0]}{more}: redo that stage with "
                f"`{rerun_command(profile, run_name, [key], self.runs_dir if run_name else '')}` "
                f"(`seedkit verify {run_name}` checks every file of the run)")
        return path

    def _owner(self, path: Path, manifest: dict[str, Any] | None) -> tuple[str, str]:
        """(run name, profile) of a stage directory, for the command that redoes it."""
        m = manifest or {}
        return path.parent.name, str(m.get("profile") or self.settings.profile)  # a copied run is its folder's

    def _missing_message(self, key: str, path: Path, why: str, overridden: bool) -> str:
        in_runs = Path(os.path.abspath(path)).parent.parent == Path(os.path.abspath(self.runs_dir))
        if overridden and not in_runs:
            return (f"{self.stage} needs stage {key} but {why}: point the setting at a finished "
                    f"{key} directory (one with a manifest.json)")
        run_name = path.parent.name
        root = path.parent
        wanted = (upstream_stages(self.stage) if run_name == self.run_name else upstream_stages(key)) + [key]
        todo = [s for s in STAGES if s in wanted and manifest_state(root / s)[0] != "done"]
        if key not in todo:
            todo.append(key)
        others = [s for s in todo if s != key]
        also = f" (run {run_name} also lacks {', '.join(others)})" if others else ""
        resume = " (a stage that did not finish resumes from its checkpoints)" if "no manifest" in why else ""
        return (f"{self.stage} needs stage {key} but {why}{also}: run notebook(s) {', '.join(todo)} first, or "
                f"`{rerun_command(self.settings.profile, run_name, todo, self.runs_dir)}`{resume}")

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

    def _input_hashes(self, inputs: dict[str, Path]) -> dict[str, dict[str, str]]:
        return {name: {"path": path_record(Path(path), self.run_root), "sha256": input_digest(path)}
                for name, path in sorted(inputs.items())}

    # ----------------------------------------------------------------- lifecycle

    def manifest(self) -> dict[str, Any] | None:
        return read_manifest(self.path)

    def is_done(self, inputs: dict[str, Path] | None = None, quiet: bool = False) -> bool:
        """True when a finished manifest matches this config and these inputs (by content, wherever
        the run now lives) and its output files are intact, and the stage is not forced."""
        if inputs is not None:  # the inputs the steps are keyed by, also when the stage turns out done
            self._inputs = {k: Path(v) for k, v in inputs.items()}
            self._input_records = self._input_hashes(self._inputs)  # hashed once, read by steps_dir and finish
        say = (lambda s: None) if quiet else print
        if is_main_process() and not self.settings.force and restore_previous(self.path, self._matches):
            say(f"[{self.stage}] the finished stage set aside when a redo began matches these settings: back in place")
        state, m, why = manifest_state(self.path)
        if state == "unreadable":
            say(f"[{self.stage}] {why}: redoing the stage")
            return False
        if m is None:
            return False
        if self.settings.force:
            say(f"[{self.stage}] force=True: redoing the stage although {self.path} is complete")
            return False
        if m.get("config_hash") != self.settings.config_hash():
            say(f"[{self.stage}] settings changed since the last run: redoing the stage")
            return False
        current_records = self._input_records if inputs is not None else self._input_hashes({})
        recorded, current = recorded_digests(m.get("inputs")), recorded_digests(current_records)
        if recorded != current:
            which = sorted(k for k in set(recorded) | set(current) if recorded.get(k) != current.get(k))
            say(f"[{self.stage}] inputs changed since the last run ({', '.join(which)}): redoing the stage")
            return False
        problems = check_outputs(self.path, m)
        if problems:
            say(f"[{self.stage}] {problems[0]}: redoing the stage")
            return False
        say(f"[{self.stage}] done already ({self.path}, finished {m.get('finished_at')}): skipping; force=True redoes it")
        return True

    def _matches(self, m: dict[str, Any]) -> bool:
        """Does a finished stage's manifest follow from these settings and inputs?"""
        current = self._input_records if self._input_records is not None else self._input_hashes(self._inputs)
        return (m.get("config_hash") == self.settings.config_hash()
                and recorded_digests(m.get("inputs")) == recorded_digests(current))

    def _set_aside(self) -> None:
        """Before a finished stage (or a reference to another run's) is redone: move it to
        :func:`previous_dir`, its saved steps kept for the redo, so a failing redo never removes it."""
        prev = previous_dir(self.path)
        if not (self.path.is_symlink() or manifest_state(self.path)[0] == "done"):
            return
        if prev.exists() or prev.is_symlink():
            remove_stage(prev)  # an older finished version: this one is newer
        os.replace(self.path, prev)
        self.path.mkdir()
        merge_steps(prev, self.path, link=prev.is_symlink())

    def start(self, inputs: dict[str, Path] | None = None) -> None:
        """Mark the stage in progress. A finished stage is set aside first (:meth:`_set_aside`; back in
        place when the redo fails, removed when it finishes) and a handed-out run is never written (one-line
        HandoutError naming `seedkit use`). Keeps checkpoints only for the same config, and saved steps only
        for the same settings and inputs (all of them when ``force`` is set)."""
        if is_handout(self.run_root):
            raise HandoutError(
                f"run {self.run_name} is a hand-out (read-only): `seedkit use {self.run_name}` makes your own run "
                f"that reuses its finished stages and points the notebooks at it (or run_name = 'NAME' after "
                f"`seedkit use {self.run_name} --as NAME`)")
        given = {k: Path(v) for k, v in (inputs or {}).items()}
        if self._input_records is None or given != self._inputs:  # is_done hashed these already
            self._input_records = self._input_hashes(given)
        self._inputs = given
        self._t0 = time.time()
        if not is_main_process():
            self.resuming = (self.path / CHECKPOINTS).exists()
            return
        marker = self.path / IN_PROGRESS
        prev = None
        if marker.exists():
            with contextlib.suppress(json.JSONDecodeError, OSError):
                prev = json.loads(marker.read_text())
        # training checkpoints depend on the settings the steps are keyed by (not the measuring ones)
        same_config = isinstance(prev, dict) and prev.get("steps_hash") == self.settings.steps_hash()
        self._set_aside()
        if self.path.exists():
            with contextlib.suppress(FileNotFoundError):
                (self.path / MANIFEST).unlink()
            for child in self.path.iterdir():
                if child.name == CHECKPOINTS and same_config:
                    continue
                if child.name == STEPS and child.is_dir():  # keyed by settings and inputs: keep this key's steps
                    if self.settings.force:
                        print(f"[{self.stage}] force=True: computing every step again (its saved products are deleted)")
                    keep = {self.steps_dir.name, self.data_steps_dir.name}
                    for old in child.iterdir():
                        if old.name not in keep or self.settings.force:
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
        atomic_write_json(marker, {"config_hash": self.settings.config_hash(), "steps_hash": self.settings.steps_hash(),
                                   "pid": os.getpid(),
                                   "started_at": _now()})

    def finish(self, metrics: dict[str, Any] | None = None, outputs: list[str] | None = None,
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write manifest.json last and atomically; returns it.

        Only the main process writes. Every other process of a multi-process launch waits here until
        the main process's manifest for this launch is on disk and returns it, so that whatever it
        reads next (the stage's results) is complete."""
        if not is_main_process():
            return self._wait_for_main()
        make_readable(self.path)  # by whoever may read the run (safetensors and mkstemp write 0600)
        if outputs is None:
            outputs = sorted(p.name for p in self.path.iterdir()
                             if not p.name.startswith(".") and p.name not in (MANIFEST, CHECKPOINTS, STEPS))
        out_records: dict[str, dict[str, Any]] = {}
        files: dict[str, dict[str, Any]] = {}
        for name in outputs:
            if not (self.path / name).exists():
                continue
            digest, per_file = hash_tree(self.path / name)
            out_records[name] = {"sha256": digest, "bytes": sum(r["size"] for r in per_file.values())}
            files.update(per_file)
        manifest = {
            "stage": self.stage,
            "run_name": self.run_name,
            "profile": self.settings.profile,
            "config": {k: v for k, v in self.settings.to_dict().items() if k != "runs_dir"},  # not tied to a folder
            "config_hash": self.settings.config_hash(),
            "inputs": self._input_records if self._input_records is not None else self._input_hashes(self._inputs),
            "outputs": out_records,
            "files": {rel: {"size": r["size"], "sha256": r["sha256"]} for rel, r in sorted(files.items())},
            "metrics": metrics or {},
            "timings": {**self.timings, "total_s": round(time.time() - self._t0, 3)},
            "versions": package_versions(),
            "sandbox_modes": _sandbox_modes(),
            "finished_at": _now(),
            "finished_unix": time.time(),
            **(extra or {}),
        }
        atomic_write_json(self.path / MANIFEST, manifest)
        write_verified(self.path, {rel: [r["size"], r["mtime_ns"], r["sha256"]] for rel, r in files.items()})
        with contextlib.suppress(FileNotFoundError):
            (self.path / IN_PROGRESS).unlink()
        remove_stage(previous_dir(self.path))  # the redo finished: the version it replaces goes
        return json.loads(json.dumps(manifest, default=json_default))

    def _wait_for_main(self) -> dict[str, Any]:
        """On a process other than the main one: the manifest the main process writes for this launch."""
        limit = float(os.environ.get("SEEDKIT_RANK_WAIT_S", "3600"))
        since = _process_start_time() - 1.0
        want = self.settings.config_hash()
        t0 = time.monotonic()
        while True:
            m = read_manifest(self.path)
            if m is not None and m.get("config_hash") == want and float(m.get("finished_unix", 0)) >= since:
                return m
            if time.monotonic() - t0 > limit:
                raise RankWaitError(
                    f"[{self.stage}] rank {os.environ.get('RANK')}: waited {limit:.0f} s for the main process to "
                    f"write {self.path / MANIFEST}; it failed or is still saving (see rank 0's output; "
                    f"SEEDKIT_RANK_WAIT_S sets the wait)")
            time.sleep(0.25)

    def step(self, name: str, compute: Callable[[], Any], *, dataset: bool = False, measures: bool = False,
             product: type | None = None) -> Any:
        """One step of the stage, or what the same step computed before with the same settings.

        A notebook calls a stage's steps one cell at a time; each product is saved under
        :attr:`steps_dir` (JSON; an HF dataset with ``dataset=True``; with ``product=SomeDataclass`` the
        dataclass the step returns, as a folder, :func:`seedkit.files.save_product`), so a rerun cell, a restarted
        kernel or a killed stage picks up at the first step not yet done, and a changed setting or a
        changed input (an upstream stage redone) recomputes. The value returned is what was saved (plain JSON
        types, or the dataset read back), the same on the first call and on a reuse. A saved product
        that cannot be read back is recomputed. The step is timed into the manifest's timings.

        ``measures``: the step measures the stage's model (its effect) and is keyed by the measuring
        settings too (``eval_*``, :meth:`~seedkit.config.StageSettings.measuring_hash`); the other steps
        are keyed without them, so measuring differently (``-p eval_limit=0``) never redoes training.
        """
        import datasets

        target = self.step_path(name, dataset=dataset or product is not None, measures=measures)
        if target.exists():
            try:
                value = (load_product(product, target) if product is not None
                         else datasets.load_from_disk(str(target)) if dataset
                         else json.loads(target.read_text(encoding="utf-8")))
                print(f"[{self.stage}] step {name}: reusing what these settings computed before "
                      f"({target.relative_to(self.path)})")
                return value
            except Exception as e:  # noqa: BLE001 - any unreadable cache entry is recomputed, never half-read
                print(f"[{self.stage}] step {name}: the saved product {target} is unreadable "
                      f"({type(e).__name__}): computing it again")
        with self.timer(name):
            value = compute()
        if product is not None:
            if not isinstance(value, product):
                raise TypeError(f"step {name}: expected a {product.__name__}, got {type(value).__name__}")
            if is_main_process():
                save_product(value, target)
                return load_product(product, target)
            return value
        if dataset:
            if not isinstance(value, datasets.Dataset | datasets.DatasetDict):
                raise TypeError(f"step {name}: dataset=True needs a datasets.Dataset, got {type(value).__name__}")
            if is_main_process():
                with atomic_dir(target) as tmp:
                    value.save_to_disk(str(tmp))
                return datasets.load_from_disk(str(target))
            return value
        text = json.dumps(value, default=json_default)
        if is_main_process():
            atomic_write_text(target, text)
        return json.loads(text)

    def step_path(self, name: str, *, dataset: bool = False, measures: bool = False) -> Path:
        """Where :meth:`step` saves step ``name``'s product (a measuring step's name carries the measuring
        settings' hash)."""
        stem = f"{name}.m{self.settings.measuring_hash()}" if measures else name
        folder = self.data_steps_dir if name in getattr(self.settings, "DATA_STEPS", ()) else self.steps_dir
        return folder / (stem if dataset else f"{stem}.json")

    @property
    def data_steps_dir(self) -> Path:
        """Where the steps a settings class names in ``DATA_STEPS`` (those before training: DPO's prompts,
        samples, outcomes and pairs) save their products: keyed without its ``TRAINING_FIELDS`` too, so a
        setting only training reads (DPO's ``beta``) recomputes the training, not the data."""
        training = getattr(self.settings, "TRAINING_FIELDS", ())
        if not training:
            return self.steps_dir
        key = self.settings.config_hash(exclude=(*self.settings.MEASURING_FIELDS, *training))
        return self.steps_dir.with_name(f"d{key}-{self.steps_dir.name.rsplit('-', 1)[1]}")

    @property
    def steps_dir(self) -> Path:
        """Where this stage's steps save their products: ``steps/<steps hash>-<inputs hash>``, so that a
        product computed from other settings or from another version of an upstream stage is never reused
        (the inputs are those given to :meth:`start`; their manifests' hashes, as the manifest records).
        The steps hash leaves out the measuring settings (``eval_*``): measuring steps carry those in
        their own names (``step(..., measures=True)``)."""
        records = self._input_records if self._input_records is not None else self._input_hashes(self._inputs)
        digest = hashlib.sha256(json.dumps(recorded_digests(records), sort_keys=True).encode()).hexdigest()[:10]
        return self.path / STEPS / f"{self.settings.steps_hash()}-{digest}"

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
    """Load an HF dataset saved by a stage, with a one-line error when it is not there or unreadable."""
    import datasets

    p = Path(path)
    if not p.exists():
        raise MissingInputError(f"dataset {p} does not exist: run the stage that writes it first")
    try:
        return datasets.load_from_disk(str(p))
    except Exception as e:  # noqa: BLE001 - pyarrow's errors name no file
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        raise DamagedStageError(f"dataset {p} is unreadable ({type(e).__name__}: {first[:160]}): redo the stage "
                                f"that wrote it (`seedkit verify RUN` names every damaged file)") from None


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


__all__ = [
    # this module: a run's folders and the stage being written
    "STEPS", "HandoutError", "STAGE_INPUTS", "upstream_stages", "stages_arg", "rerun_command", "run_model_spec", "parse_run_spec",
    "MissingInputError", "DamagedStageError", "RankWaitError", "run_dir", "stage_dir", "completed_stages",
    "StageRun", "load_dataset_dir",
    # seedkit.manifests, importable from here too: reading and checking a finished stage's directory
    "MANIFEST", "IN_PROGRESS", "CHECKPOINTS", "VERIFIED", "VERSIONED_PACKAGES", "is_main_process",
    "package_versions", "manifest_state", "read_manifest", "check_outputs", "resolve_path_record", "input_digest",
    "verify_stage", "stale_inputs", "share_stage", "HANDOUT", "BASE", "is_handout", "previous_dir", "restore_previous",
    "remove_stage", "merge_steps",
]
