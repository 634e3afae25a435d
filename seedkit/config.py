"""Profiles and per-stage settings.

One word (the profile) picks the scale; every stage reads it. Each stage has one settings
dataclass (a subclass of :class:`StageSettings`) whose fields are exactly what that stage's
notebook ``parameters`` cell may set. A field left as ``None`` in a notebook takes the profile's
default, and :meth:`StageSettings.describe` prints every value with where it came from.

Overrides are validated by name and type: an unknown name or a wrong type fails with a one-line
:class:`SettingsError` naming the field and what it accepts, and suggesting the closest names.

Where each value came from is recorded when the settings are built, not guessed from the value:
``default`` (the class), ``profile <name>`` (the profile's table) or ``set by you`` (an override,
even one equal to the default). The profile's device and dtype carry their origin too
(:class:`Chosen`), so the model loader can say ``device=cpu (profile tiny)``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

from seedkit.fieldtypes import check_type, did_you_mean, type_name
from seedkit.fieldtypes import closest_names as closest_names  # re-exported: callers import it from here
from seedkit.profiles import PROFILES as PROFILES  # re-exported: callers import the profiles from here
from seedkit.profiles import Chosen as Chosen
from seedkit.profiles import Profile as Profile
from seedkit.profiles import ProfileName as ProfileName
from seedkit.profiles import origin_of as origin_of
from seedkit.switch import RUN_SWITCH as RUN_SWITCH  # re-exported: where the switch file is named
from seedkit.switch import parameter_names, run_profile, run_switch


class SettingsError(ValueError):
    """A bad setting: the message names the field and what it accepts."""


# The checkout this package was installed from (editable install); data_samples/ and notebooks/ live there.
REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_SAMPLES = REPO_ROOT / "data_samples"
NOTEBOOKS = REPO_ROOT / "notebooks"


def default_runs_dir() -> Path:
    """Where runs go when runs_dir is empty: $SEEDKIT_RUNS_DIR, else <checkout>/runs.

    The same place whether a notebook runs from notebooks/ in Jupyter or from the shell.
    """
    env = os.environ.get("SEEDKIT_RUNS_DIR")
    return Path(env) if env else REPO_ROOT / "runs"


# --------------------------------------------------------------------------- profiles


def recorded_profile(run_name: str, runs_dir: str | os.PathLike[str] = "") -> str:
    """The profile a run was made with, read from its first stage manifest ('' when there is none)."""
    return run_profile(Path(runs_dir or default_runs_dir()) / run_name, STAGES, PROFILES)


def get_profile(name: str) -> Profile:
    if name not in PROFILES:
        raise SettingsError(f"profile: unknown profile {name!r}{did_you_mean(str(name), PROFILES)}; "
                            f"choose one of {', '.join(PROFILES)}")
    return PROFILES[name]


def _origin_of_override(value: Any) -> str:
    return origin_of(value) if isinstance(value, Chosen) else "set by you"


# --------------------------------------------------------------------------- stage settings

# Fields every stage has; notebooks set them in their parameters cell too.
COMMON_FIELDS = ("profile", "run_name", "runs_dir", "force", "seed")


@dataclass
class StageSettings:
    """Base of every stage's settings.

    Subclasses set ``stage`` (e.g. ``"01_curation"``), declare their fields with defaults (the
    ``smol`` values, the profile people use), and list differences per profile in
    ``PROFILE_DEFAULTS`` (``gpu`` and ``multi-gpu`` fall back to ``smol`` where they say nothing).
    Each field should carry ``metadata={"help": "..."}``: the reason for its default.
    """

    stage: ClassVar[str] = ""
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {}
    # The knobs the stage's notebook teaches, in the order its parameters cell lists them; the other
    # settings come from the profile (empty: the cell lists every field).
    TAUGHT: ClassVar[tuple[str, ...]] = ()

    profile: ProfileName = "smol"
    run_name: str = "default"
    runs_dir: str = field(default="", metadata={"help": "empty = $SEEDKIT_RUNS_DIR or <checkout>/runs"})
    force: bool = field(default=False, metadata={"help": "redo the stage even if its manifest says done"})
    seed: int = 0

    # ----------------------------------------------------------------- construction

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        return {f.name: hints[f.name] for f in dataclasses.fields(cls)}

    @classmethod
    def profile_overrides(cls, profile: str) -> dict[str, Any]:
        """The profile's values for this class: ``PROFILE_DEFAULTS`` of every base class, then of the
        class itself (a subclass wins); within a class, a profile's values over those of the profile it
        inherits from (``multi-gpu`` from ``gpu``, ``hour`` from ``smol``)."""
        lineage = get_profile(profile).lineage()
        merged: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            table = klass.__dict__.get("PROFILE_DEFAULTS", {})
            for name in reversed(lineage):
                merged.update(table.get(name, {}))
        return merged

    @classmethod
    def from_params(cls, profile: str = "smol", **overrides: Any) -> Self:
        """Settings for ``profile`` with ``overrides`` applied; ``None`` values mean 'default'.

        Raises SettingsError (one line) for an unknown field or a value of the wrong type.
        """
        get_profile(profile)
        types_ = cls.field_types()
        values: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for name, value in cls.profile_overrides(profile).items():
            if name not in types_:
                raise SettingsError(f"{cls.__name__}.PROFILE_DEFAULTS[{profile!r}] names unknown field {name!r}")
            values[name] = value
            origins[name] = f"profile {profile}"
        for name, value in overrides.items():
            if name not in types_:
                raise SettingsError(
                    f"{name}: not a setting of stage {cls.stage or cls.__name__}{did_you_mean(name, types_)}; "
                    f"allowed: {', '.join(sorted(types_))}"
                )
            if value is None and not check_type(None, types_[name])[0]:
                continue  # None = keep the profile's default
            values[name] = value
            origins[name] = _origin_of_override(value)
        values["profile"] = profile
        origins.setdefault("profile", "set by you")
        for name, value in values.items():
            ok, converted = check_type(value, types_[name])
            if not ok:
                raise SettingsError(
                    f"{name}: got {value!r} ({type(value).__name__}); expected {type_name(types_[name])}"
                )
            values[name] = converted
        obj = cls(**values)
        object.__setattr__(obj, "_origins", origins)
        obj.validate()
        return obj

    @classmethod
    def from_notebook(cls, namespace: dict[str, Any]) -> Self:
        """Build settings from a notebook's globals: every field name found there is an override.

        ``profile``, ``run_name`` and ``runs_dir`` left None come from the run switch (:func:`run_switch`:
        ``$SEEDKIT_RUN``/``$SEEDKIT_PROFILE``, else ``seedkit-run.yaml`` beside the notebook); the profile
        then from the run's own manifests, else smol; the run's name then is the profile's (``runs/smol``,
        what ``make pipeline`` makes). A name given in the parameters cell or by papermill that is not a
        setting of this stage is a one-line error naming the closest settings.
        """
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = [n for n in dict.fromkeys(parameter_names(namespace)) if n not in names]
        if unknown:
            n = unknown[0]
            raise SettingsError(f"parameter {n!r}: not a setting of stage {cls.stage or cls.__name__}"
                                f"{did_you_mean(n, names)}; settings.describe(every=True) lists them all")
        overrides = {k: namespace[k] for k in names if k in namespace and k != "profile"}
        for key in ("run_name", "runs_dir"):
            if not overrides.get(key):
                overrides.pop(key, None)
        try:
            switch = run_switch()
        except ValueError as e:
            raise SettingsError(str(e)) from None
        origins: dict[str, str] = {}
        for key in ("run_name", "runs_dir"):
            if key not in overrides and key in switch:
                overrides[key], origins[key] = switch[key][0], switch[key][1]
        profile = namespace.get("profile") or None
        if profile is None and "profile" in switch:
            profile, origins["profile"] = switch["profile"]
        if profile is None and overrides.get("run_name"):
            profile = recorded_profile(overrides["run_name"], overrides.get("runs_dir", ""))
            origins["profile"] = f"run {overrides['run_name']}'s manifests"
        if not profile:
            profile, origins["profile"] = "smol", "default"
        if "run_name" not in overrides:
            overrides["run_name"], origins["run_name"] = profile, f"the profile's run (profile {profile})"
        obj = cls.from_params(profile, **overrides)
        obj._origins.update(origins)
        return obj

    def validate(self) -> None:
        """Range and cross-field checks; subclasses extend (calling ``super().validate()``) and raise
        SettingsError. Every number is a count, a size, a rate, a weight or a time: none is negative (seeds
        aside); a learning rate or DPO's ``beta`` is positive; a ``*_fraction`` lies in [0, 1]. Checked
        when the settings are built, so ``-p learning_rate=-1`` fails before any stage runs."""
        if getattr(self, "torch_threads", 0) < 0:
            raise SettingsError("torch_threads: 0 (auto: the idle CPUs) or a positive number of threads")
        for name, value in self.to_dict().items():
            if isinstance(value, bool) or not isinstance(value, int | float) or "seed" in name:
                continue
            if value != value or value in (float("inf"), float("-inf")):
                raise SettingsError(f"{name}: got {value!r}; expected a finite number")
            if (name.endswith("learning_rate") or name == "beta") and value <= 0:
                raise SettingsError(f"{name}: got {value!r}; expected a positive number (e.g. the default, "
                                    f"{type(self).from_params(self.profile).to_dict()[name]!r})")
            if value < 0:
                raise SettingsError(f"{name}: got {value!r}; a count, size, rate or time cannot be negative")
            if name.endswith("_fraction") and value > 1:
                raise SettingsError(f"{name}: got {value!r}; a fraction lies between 0 and 1")

    # ----------------------------------------------------------------- model specs

    def resolve_model_spec(self, spec: str) -> str:
        """A model spec as this run reads it: ``{run}`` is this run's name, and ``scratch`` (the tiny
        profile's base) means the model this run's stage 03 trained from scratch."""
        if spec == "scratch":
            spec = "run:{run}/03_pretraining"
        return spec.replace("{run}", self.run_name)

    def resolved_base_model(self) -> str:
        """The model this stage starts from: its ``base_model`` setting, else the profile's base model."""
        return self.resolve_model_spec(getattr(self, "base_model", "") or self.profile_info.base_model)

    def replace(self, *, origin: str = "", **changes: Any) -> Self:
        """A copy with ``changes`` applied (validated); every other value keeps its origin. ``origin``:
        where the changed values came from (default: a :class:`Chosen` value's own, else "set by you")."""
        d = self.to_dict()
        d.pop("profile")
        d.update(changes)
        obj = type(self).from_params(self.profile, **d)
        origins = dict(self.origins)
        origins.update({k: origin or _origin_of_override(v) for k, v in changes.items() if v is not None})
        object.__setattr__(obj, "_origins", origins)
        return obj

    @property
    def origins(self) -> dict[str, str]:
        """Field -> where its value came from: ``default``, ``profile <name>`` or ``set by you``."""
        recorded = self.__dict__.get("_origins", {})
        return {f.name: recorded.get(f.name, "default") for f in dataclasses.fields(self)}

    def origin(self, name: str) -> str:
        return self.origins[name]

    # ----------------------------------------------------------------- views

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    # Settings that say how the stage runs, not what it produces: left out of every hash.
    EXECUTION_FIELDS: ClassVar[tuple[str, ...]] = ("force", "runs_dir", "run_name", "torch_threads")
    # Settings that only change how the stage *measures* its model (EvidenceSettings): its training steps
    # are keyed without them (steps_hash), so measuring differently never retrains.
    MEASURING_FIELDS: ClassVar[tuple[str, ...]] = ()

    def config_hash(self, exclude: typing.Iterable[str] = ()) -> str:
        """Hash of what determines the stage's outputs: every setting but ``force``, the thread count and
        where the run lives or what it is called (``runs_dir``, ``run_name``), so a copied, moved or imported
        run, and a stage shared by the runs of a sweep, are read as done. Inputs are compared by content
        separately. ``exclude`` leaves out more fields (:meth:`steps_hash`)."""
        d = self.to_dict()
        for name in (*self.EXECUTION_FIELDS, *exclude):
            d.pop(name, None)
        return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def steps_hash(self) -> str:
        """The key of the stage's saved steps: :meth:`config_hash` without the measuring settings."""
        return self.config_hash(exclude=self.MEASURING_FIELDS)

    def measuring_hash(self) -> str:
        """The key of a measuring step's product within the steps folder (which the other settings key)."""
        d = {name: getattr(self, name) for name in self.MEASURING_FIELDS}
        return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:10]

    @property
    def profile_info(self) -> Profile:
        return get_profile(self.profile)

    def describe(self, print_fn: typing.Callable[[str], None] = print, every: bool = False) -> None:
        """Print the settings worth reading, with where each value came from and why: the run, the knobs
        the notebook teaches (:attr:`TAUGHT`) and every value not at the class default (set by you or
        the profile); ``every=True`` prints every setting."""
        print_fn(f"{type(self).__name__} for stage {self.stage} (profile {self.profile}: {self.profile_info.description})")
        origins = self.origins
        shown = 0
        fields = dataclasses.fields(self)
        for f in fields:
            value = getattr(self, f.name)
            origin = origins[f.name]
            if not (every or f.name in ("profile", "run_name") or f.name in self.TAUGHT or origin != "default"):
                continue
            shown += 1
            why = f.metadata.get("help", "")
            print_fn(f"  {f.name} = {value!r}  [{origin}]" + (f"  # {why}" if why else ""))
        if shown < len(fields):
            print_fn(f"  ({len(fields) - shown} more at their defaults: settings.describe(every=True) lists them)")

    @classmethod
    def help_of(cls, name: str) -> str:
        """A setting's reason for its default (its ``help``)."""
        return next(f.metadata.get("help", "") for f in dataclasses.fields(cls) if f.name == name)

    def report_comparison(self) -> list[dict[str, str]]:
        """Where this stage follows the Seed-Coder report and where it differs, and why: rows of
        ``{"setting", "report", "kit", "why"}`` (the kit's value is this profile's; ``why`` is "same", or
        "same: <why it is the same>", where it follows: :func:`follows_report`). Stages that train or
        curate override it; none here."""
        return []

    def deviations(self) -> list[dict[str, str]]:
        """The rows of :meth:`report_comparison` where this profile differs from the report."""
        return [row for row in self.report_comparison() if not follows_report(row)]

    def show_report_comparison(self, print_fn: typing.Callable[[str], None] = print) -> None:
        """Print :meth:`report_comparison` as a table a notebook reader can scan: per setting the
        report's value, this profile's and why they differ (or "same")."""
        rows = self.report_comparison()
        width = max((len(r["setting"]) for r in rows), default=0)
        for r in rows:
            print_fn(f"{r['setting']:>{width}} | report: {r['report']}\n{'':>{width}} | kit:    {r['kit']}\n"
                     f"{'':>{width}} | why:    {r['why']}")

    def report_lines(self) -> list[str]:
        """The comparison with the report as a few printable lines: on ``gpu`` and ``multi-gpu`` (where the
        user expects the report itself) every difference with its reason; on the small profiles one line
        naming what differs (the notebook's table gives each reason)."""
        rows = self.report_comparison()
        if not rows:
            return []
        differ = self.deviations()
        follow = [r["setting"] for r in rows if follows_report(r)]
        head = f"vs the report: {len(follow)} of {len(rows)} settings follow it"
        if not differ:
            return [head + " (all)"]
        if self.profile_info.based_on("smol") or self.profile == "tiny":
            return [head + f"; differs in {', '.join(r['setting'] for r in differ)} "
                    "(the notebook's table gives each reason)"]
        return [head + (f" ({', '.join(follow)})" if follow else "") + "; differs in:"] + [
            f"  {r['setting']}: {r['kit']} (report: {r['report']}) -- {r['why']}" for r in differ]

    @classmethod
    def parameters_cell(cls) -> str:
        """The source of a notebook parameters cell for this stage: the knobs its notebook teaches
        (:attr:`TAUGHT`; every field when it names none), None meaning the profile's default. Every other
        field is still a parameter (``seedkit run -p NAME=VALUE``, papermill, or a line added here)."""
        lines = [
            "profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol",
            "run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the "
            "profile's",
        ]
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = [n for n in cls.TAUGHT if n not in names]
        if unknown:
            raise SettingsError(f"{cls.__name__}.TAUGHT names unknown fields {unknown}")
        taught = [n for n in (cls.TAUGHT or names) if n not in ("profile", "run_name")]
        lines += [f"{name} = None" for name in taught]
        if cls.TAUGHT:
            lines.append(f"# {len(names) - len(taught) - 2} more settings come from the profile: "
                         "settings.describe(every=True) lists them; set one with a line here or seedkit run -p "
                         "NAME=VALUE")
        return "\n".join(lines) + "\n"


def follows_report(row: dict[str, str]) -> bool:
    """Does a row of ``report_comparison`` follow the report? Only when its ``why`` is "same" or "same: ..."
    (a note on why it is the same). A reason such as "same algorithm; group sizes are the profile's budget"
    names something kept *and* a value that differs, so it counts as a difference (it used to be counted as
    following because it starts with "same")."""
    why = row["why"].strip()
    return why == "same" or why.startswith("same:")


@dataclass
class ModelStageSettings(StageSettings):
    """Settings of a stage that runs torch models (02-07): adds the CPU thread count, checked once."""

    # tiny: one thread. Its 1M-parameter model gains nothing from a second, and the test suite runs
    # tiny stages beside other work.
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {"tiny": dict(torch_threads=1)}

    torch_threads: int = field(default=0, metadata={"help": (
        "CPU threads for torch during the stage; 0 = auto: the CPUs other work leaves idle when the stage "
        "starts (measured over 0.5 s), followed every 15 s while it runs. On an idle 2-core machine two "
        "threads generate 1.6x faster than one; when the other core is busy two threads were measured "
        "4-30x slower than one (thread synchronisation stalls), hence auto rather than torch's default. "
        "tiny: 1")})


DTYPES = ("float32", "bfloat16", "float16")  # what a dtype setting may name besides "auto"


def check_dtype_setting(settings: Any, name: str) -> None:
    """One line naming the setting when a dtype setting (eval_dtype, generation_dtype, ...) is not one."""
    value = getattr(settings, name)
    if value not in ("auto", *DTYPES):
        raise SettingsError(f"{name}: {value!r} is not one of auto, {', '.join(DTYPES)}")


@dataclass
class EvidenceSettings(ModelStageSettings):
    """How a stage measures a model on held-out problems (its effect, stage 07's table): the same
    fields and values for every stage, so that a parent's measurement is reused by its child and
    by stage 07 instead of being recomputed (seedkit.measure.effects)."""

    MEASURING_FIELDS: ClassVar[tuple[str, ...]] = (
        "eval_set", "eval_limit", "eval_samples", "eval_temperature", "eval_max_new_tokens", "eval_dtype")

    # smol: 48 problems x 5 samples at 0.6 put the packaged SmolLM2 at pass@1 0.36 [0.26, 0.47] (inside the
    # 0.3-0.8 band where differences show; 0.4 gave 0.33, 1.0 gave 0.15) for about 110 CPU-s a model, and a paired
    # difference of two such measurements resolves about +-0.06 (docs/problems.md, docs/environment.md).
    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {
        "tiny": dict(eval_limit=6, eval_samples=2, eval_max_new_tokens=24),
        "gpu": dict(eval_limit=0, eval_samples=10, eval_max_new_tokens=512),
        # hour: every basic problem x 2 samples. From smol's per-problem counts (`python -m seedkit.measure.power
        # RUN/04_sft --child 04_sft --parent 03_pretraining_chat`), a paired difference then resolves about +-0.05
        # and is detected 80% of the time from about 0.07 (0.08 at Holm's strictest step over 5 comparisons), where
        # 48 x 5 resolves +-0.07 (detected from 0.10). At a fixed number of generations more problems beat more
        # samples (most of the spread is between problems); 3 samples would gain 0.01 for half as much again of
        # the measuring time, which the hour cannot hold on a 2-core CPU without bfloat16 instructions.
        "hour": dict(eval_limit=0, eval_samples=2),
    }

    eval_set: str = field(default="basic", metadata={"help": (
        "problems a model is measured on: 'basic' (function-level problems sized for small models, never "
        "trained on), 'heldout', 'humaneval', or a JSONL file in the kit's format")})
    eval_limit: int = field(default=48, metadata={"help": (
        "N problems of eval_set spread over the set (each language its share); 0 = all of them. smol: 48 "
        "keeps a measurement near 110 CPU-s")})
    eval_samples: int = field(default=5, metadata={"help": (
        "samples per problem (n): pass@1 is the unbiased mean over them, so a problem solved 2 times in 5 "
        "counts 0.4 instead of all-or-nothing; more samples, tighter intervals")})
    eval_temperature: float = field(default=0.6, metadata={"help": (
        "sampling temperature of those samples; 0.6 (the report's RL sampling temperature) kept the packaged "
        "model's pass@1 on 'basic' (48 x 5) at 0.36 [0.26, 0.47]; 0.4 gave 0.33 and 1.0 gave 0.15 (measured)")})
    eval_max_new_tokens: int = field(default=160, metadata={"help": (
        "answer length cap: one function's worth (the basic problems' reference solutions are 62 SmolLM2 "
        "tokens at the median, 110 at most)")})

    eval_dtype: str = field(default="auto", metadata={"help": (
        "dtype models are measured in: auto = bfloat16 on a CPU with bfloat16 matrix instructions (AMX, "
        "AVX512-BF16) when the profile leaves dtype to auto, else the profile's dtype; float32 | bfloat16 | "
        "float16 (the output head stays float32). On all 233 basic problems, greedy, bfloat16 gave 176 and 201 "
        "identical answers and moved pass@1 by -0.01 [-0.03, +0.01] (packaged model) and -0.02 [-0.04, +0.00] "
        "(an SFT model), generating 1.7-1.9x faster (bench/bench_generation_dtype.py); measurements in different "
        "dtypes are never reused for one another")})

    def validate(self) -> None:
        super().validate()
        check_dtype_setting(self, "eval_dtype")
        if self.eval_samples < 1 or self.eval_limit < 0 or self.eval_max_new_tokens < 1:
            raise SettingsError("eval_samples and eval_max_new_tokens must be >= 1, eval_limit >= 0")
        if self.eval_samples > 1 and self.eval_temperature <= 0:
            raise SettingsError(f"eval_temperature: {self.eval_temperature} gives {self.eval_samples} identical "
                                "samples; use a temperature > 0 or eval_samples=1")


@dataclass
class TrainingStageSettings(EvidenceSettings):
    """Settings of a training stage (03-06): adds the experiment tracker the HF trainers log to and
    activation checkpointing."""

    PROFILE_DEFAULTS: ClassVar[dict[str, dict[str, Any]]] = {"gpu": dict(gradient_checkpointing=True)}

    report_to: str = field(default="none", metadata={"help": (
        "trackers the trainer logs to: none, tensorboard (works offline; logs under the stage's "
        "directory), wandb, mlflow, ... (comma-separated), as transformers' report_to")})
    gradient_checkpointing: bool = field(default=False, metadata={"help": (
        "activation checkpointing: keep each layer's input in the forward pass and recompute the rest in the "
        "backward (about a third more compute), so activation memory stops growing with the layers. gpu and "
        "multi-gpu: on, because an 8B model's activations at thousands of tokens a sequence exceed a GPU's "
        "memory without it; tiny and smol: off, where the models are small and it only costs time")})


@dataclass
class DataGenerationSettings(TrainingStageSettings):
    """Settings of a post-training stage (04-06), whose models write its training data (04 synthesis and
    judging, 05 on-policy samples, 06 reasoning traces) and which trains adapters over a frozen base:
    adds the dtypes those models are loaded in."""

    generation_dtype: str = field(default="auto", metadata={"help": (
        "dtype of the models that write this stage's data: auto = bfloat16 on a CPU with bfloat16 matrix "
        "instructions (AMX, AVX512-BF16) when the profile leaves dtype to auto, else the profile's dtype "
        "(see eval_dtype for what bfloat16 changes)")})
    lora_base_dtype: str = field(default="auto", metadata={"help": (
        "dtype of the frozen base under LoRA adapters while they train (adapters, output head and optimizer "
        "stay float32; full fine-tuning and QLoRA ignore it): auto = bfloat16 on a CPU with bfloat16 matrix "
        "instructions when the profile leaves dtype to auto, else the profile's dtype. SmolLM2 with LoRA: "
        "forward and backward 1.2x faster than over a float32 base (measured)")})

    def validate(self) -> None:
        super().validate()
        check_dtype_setting(self, "generation_dtype")
        check_dtype_setting(self, "lora_base_dtype")


# Stage name -> "module:Class" of its settings. Imported lazily so config stays light.
STAGE_SETTINGS: dict[str, str] = {
    "01_curation": "seedkit.curation.settings:CurationSettings",
    "02_llm_filter": "seedkit.llm_filter.settings:LLMFilterSettings",
    "03_pretraining": "seedkit.pretraining.settings:PretrainingSettings",
    "04_sft": "seedkit.sft.settings:SFTSettings",
    "05_dpo": "seedkit.dpo.settings:DPOSettings",
    "06_longcot_rl": "seedkit.longcot_rl.settings:LongCoTRLSettings",
    "07_eval": "seedkit.eval.settings:EvalSettings",
}

STAGES: tuple[str, ...] = tuple(STAGE_SETTINGS)


def stage_settings_class(stage: str) -> type[StageSettings]:
    """The settings class of a stage (accepts "01_curation", "01" or "curation")."""
    key = resolve_stage(stage)
    module, _, name = STAGE_SETTINGS[key].partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        raise SettingsError(f"stage {key}: its settings ({STAGE_SETTINGS[key]}) are not available: {e}") from e


def resolve_stage(stage: str) -> str:
    for key in STAGE_SETTINGS:
        if stage in (key, key[:2], key[3:]) or stage.lstrip("0") == key[:2].lstrip("0"):
            return key
    raise SettingsError(f"stage: unknown stage {stage!r}{did_you_mean(str(stage), [k[3:] for k in STAGE_SETTINGS])}; "
                        f"choose one of {', '.join(STAGE_SETTINGS)}")
