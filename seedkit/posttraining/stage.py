"""What stages 04, 05 and 06 share: the stage object with the models its steps load on first use, and
the trained model published as ``model/``.

A post-training stage is a :class:`seedkit.steps.Stage` (begin, steps, finish): each step is a function
``(stage, earlier products) -> product`` whose product :meth:`~seedkit.steps.Stage.step` saves under
``steps/``, so a rerun cell or a restarted kernel reuses it, a changed setting or input (the parent
model retrained, another scored corpus) recomputes it, and under torchrun only the main process computes
a data step while the others wait for its product and then train alongside it.
"""

from __future__ import annotations

import contextlib
import gc
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
from seedkit.measure.effects import PassCounts, effect, measure
from seedkit.models import (
    SEEDKIT_MODEL_JSON,
    add_or_continue_adapter,
    fast_dtype,
    load_model,
    master_dtype,
    resolve_device,
    resolve_spec,
)
from seedkit.runs import is_main_process, parse_run_spec, run_model_spec, share_stage
from seedkit.steps import Stage
from seedkit.training import tensorboard_logs


@dataclass
class PostTrainingStage(Stage):
    """One run of a post-training stage in progress (:class:`seedkit.steps.Stage`), with the models its
    steps load on first use and the trained model it publishes."""

    _models: dict[str, Any] = field(default_factory=dict)

    @property
    def model_spec(self) -> str:
        """What this stage saves: ``run:<run>/<NN_stage>``."""

        return run_model_spec(self.settings.run_name, self.name)

    # ----------------------------------------------------------------- models, loaded on first use

    def load_generator(self, spec: str, server_model: str = "") -> Any:
        """A generator for ``spec``: an OpenAI-compatible server for a URL, else the model, loaded once."""

        if spec.startswith(("http://", "https://")):
            return OpenAIServerGenerator(base_url=spec, model=server_model)
        if spec not in self._models:
            prof = self.settings.profile_info
            dtype = fast_dtype(self.settings.generation_dtype, prof.dtype, prof.device, "generation_dtype")
            model, tok = load_model(spec, device=prof.device, dtype=dtype, runs_dir=self.run.runs_dir)
            self._models[spec] = TransformersGenerator(model, tok, name=spec, seed=self.settings.seed)
        return self._models[spec]

    def training_dtype(self, lora: bool) -> str:
        """The dtype to load the model that trains in: ``lora_base_dtype`` for a frozen base under LoRA
        adapters (:func:`seedkit.models.fast_dtype`), else the profile's (full fine-tuning keeps its
        weights' precision; QLoRA's base is 4-bit and computes in the profile's dtype)."""

        prof = self.settings.profile_info
        if not lora:  # full training on a GPU keeps float32 master weights (seedkit.models.master_dtype)
            return master_dtype("full", prof.dtype, resolve_device(prof.device)[0])
        if prof.load_in_4bit:
            return prof.dtype
        return fast_dtype(self.settings.lora_base_dtype, prof.dtype, prof.device, "lora_base_dtype")

    def release_models(self) -> None:
        """Let loaded generators go (before training and measuring, which load their own models)."""
        self._models.clear()
        gc.collect()

    def close(self) -> None:
        self.release_models()
        super().close()

    # ----------------------------------------------------------------- measuring the stage's effect

    def pass_effect(self, reuse: list[Path] | None) -> tuple[str, PassCounts, PassCounts, dict[str, Any]]:
        """(parent's label, parent's measurement, this stage's model's measurement, the effect): both
        models on the evidence problems, each asked the way it was trained (a measurement made before
        of the same weights and settings, here or under ``reuse``, is read back)."""
        self.release_models()
        label = parent_label(self.parent_spec)
        before = measure(self.parent_spec, self.settings, self.run, label, reuse_from=reuse)
        after = measure(self.model_spec, self.settings, self.run, self.name)
        return label, before, after, effect(after, before, label, self.name)

    def on_parent_and_model(self, compute: Callable[[Any, Any], Any]) -> dict[str, Any]:
        """``compute(model, tokenizer)`` for the parent (``before``) and this stage's model (``after``), each
        loaded in turn in the profile's dtype and let go before the next."""
        prof = self.settings.profile_info
        out = {}
        for name, spec in (("before", self.parent_spec), ("after", self.model_spec)):
            model, tok = load_model(spec, device=prof.device, dtype=prof.dtype, runs_dir=self.run.runs_dir,
                                    verbose=False)
            out[name] = compute(model, tok)
            del model
            gc.collect()
        return out

    # ----------------------------------------------------------------- the trained model

    def publish_model(self, saved: Path) -> None:
        """Link the model a train step saved (inside ``steps/``) to ``model/``, where ``run:<run>/<stage>``
        reads it; the checkpoints go (the final model is what later stages load)."""

        if not is_main_process():
            return
        if not saved.exists():
            raise RuntimeError(f"{self.name}: the train step is recorded but its model {saved} is missing; delete "
                               f"the train step under {self.step_dir()} or rerun with force=True")
        share_stage(saved, self.path / "model")
        shutil.rmtree(self.path / "checkpoints", ignore_errors=True)


def open_stage(cls: type[PostTrainingStage], settings: Any, inputs: dict[str, Path | None]) -> Any:
    """The stage object for ``settings`` (:meth:`seedkit.steps.Stage.open`)."""
    return cls.open(settings, inputs)


@contextlib.contextmanager
def tensorboard_dir(stage: PostTrainingStage, config: Any) -> Iterator[None]:
    """TensorBoard (``report_to``) writes its logs under the stage directory: transformers 5 reads the
    folder from $TENSORBOARD_LOGGING_DIR (its default lies inside the checkpoints, which are deleted)."""

    if "tensorboard" in (config.report_to or []):
        stage.say(f"TensorBoard logs go to {stage.path / 'tensorboard'} (report_to)")
    with tensorboard_logs(stage.path / "tensorboard", config):
        yield


def plain_log(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A trainer's log history with JSON-safe values only."""
    return [{k: v for k, v in row.items() if isinstance(v, int | float | str)} for row in history]


def parent_label(spec: str) -> str:
    """The file-name-safe label of a parent model's measurement: its stage for ``run:`` specs."""
    import re

    parsed = parse_run_spec(spec)
    if parsed:
        return parsed[1]
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", spec.strip("/").split("/")[-1])[:60] or "parent"


def device_of(settings: Any) -> str:

    return resolve_device(settings.profile_info.device)[0]


def adapter_base_spec(model: Any, spec: str, runs_dir: str | Path = "") -> str:
    """The spec a trained adapter must be saved against.

    A fresh adapter sits on the parent model (``spec``). When the parent was itself an adapter kept
    unmerged (a 4-bit base, which cannot take a merged adapter), training went on with *that* adapter
    (:func:`continue_or_add_adapter`), so the result belongs on the parent adapter's own base: saving
    it against ``spec`` would apply the parent's adapter twice. A frozen "ref" copy TRL made (DPO) is
    dropped before saving.
    """
    if "ref" in getattr(model, "peft_config", {}):
        model.delete_adapter("ref")
    if not getattr(model, "_seedkit_continued_adapter", False):
        return spec

    _, where = resolve_spec(spec, runs_dir)
    meta = json.loads((Path(where) / SEEDKIT_MODEL_JSON).read_text(encoding="utf-8"))
    return meta["base"]


def continue_or_add_adapter(model: Any, options: Any, say: Callable[[str], None] = print) -> Any:
    """Adapters to train on a loaded parent: a fresh LoRA (``options``), or, when the parent is itself an
    adapter kept unmerged over a 4-bit base (QLoRA chains: the base cannot take a merged adapter),
    the parent's own adapter made trainable (:func:`seedkit.models.add_or_continue_adapter`, which
    :func:`seedkit.models.load_model` uses for ``lora=`` too). :func:`adapter_base_spec` then saves it correctly."""
    return add_or_continue_adapter(model, options, say)
