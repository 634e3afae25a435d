"""How ``make gpu-check`` measures: the card, each step's wall time, tokens/s and peak GPU memory, and
the summary table and JSON (see :mod:`seedkit.checks.gpu`)."""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.checks.gpu_plan import GIB, Step
from seedkit.config import default_runs_dir
from seedkit.files import atomic_write_json

# --------------------------------------------------------------------------- the card


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def card_report() -> dict[str, Any]:
    """The machine: the GPU (or "no CUDA device"), its memory and abilities, and the library versions.
    Works without CUDA; reads versions from package metadata (nothing but torch is imported)."""
    import platform

    import torch

    card: dict[str, Any] = {
        "device": "no CUDA device", "cuda_available": False, "torch": torch.__version__,
        "cuda": torch.version.cuda or "none (CPU build of torch)",
        **{name: _version(name) for name in ("bitsandbytes", "transformers", "trl", "peft", "accelerate")},
        "python": platform.python_version(), "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES", ""),
    }
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        card.update(device=torch.cuda.get_device_name(0), cuda_available=True, gpu_count=torch.cuda.device_count(),
                    memory_gib=round(props.total_memory / GIB, 1),
                    compute_capability=f"{props.major}.{props.minor}",
                    bf16_supported=bool(torch.cuda.is_bf16_supported()),
                    cudnn=str(torch.backends.cudnn.version()))
    return card


def format_card(card: dict[str, Any]) -> list[str]:
    if not card.get("cuda_available"):
        head = f"card: {card['device']}"
    else:
        head = (f"card: {card['device']}, {card['memory_gib']} GiB, compute capability {card['compute_capability']}, "
                f"bf16 {'supported' if card['bf16_supported'] else 'NOT supported (fp16 mixed precision instead)'}")
    libs = ", ".join(f"{k} {card[k]}" for k in ("cuda", "torch", "bitsandbytes", "transformers", "trl", "peft",
                                                "accelerate"))
    lines = [head, f"      {libs}"]
    if card.get("accelerate_state"):
        lines.append(f"      accelerate: {card['accelerate_state']}")
    return lines


# --------------------------------------------------------------------------- measuring a step


@dataclass
class StepResult:
    name: str
    stage: str
    ok: bool
    wall_s: float
    load_s: float | None = None  # data preparation and model load
    run_s: float | None = None  # the step's work (see Meter)
    tokens: int = 0
    tokens_per_s: float | None = None
    peak_gpu_gib: float | None = None  # None on the CPU
    planned_gib: float | None = None  # the memory plan's peak for the step (seedkit.memory_plan)
    note: str = ""
    error: str = ""
    traceback: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        if not self.ok:
            return f"[gpu-check] {self.name}: FAILED after {self.wall_s:.1f} s: {self.error}"
        peak = f"peak {self.peak_gpu_gib:.2f} GiB" if self.peak_gpu_gib is not None else "peak GPU memory n/a (CPU)"
        if self.planned_gib is not None:
            peak += f" (plan {self.planned_gib:.2f} GiB" + (
                f", {self.planned_gib / self.peak_gpu_gib - 1:+.0%})" if self.peak_gpu_gib else ")")
        work = f"{self.run_s:.2f} s" if self.run_s is not None else "n/a"
        return (f"[gpu-check] {self.name}: ok in {self.wall_s:.1f} s (work {work}), "
                f"{_rate(self.tokens_per_s)} tok/s, {peak}; {self.note}")


def _rate(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


class Meter:
    """Times a step and counts the token positions through the model's input embedding (a forward
    pre-hook: every path into the model, trainers and generators alike, starts there).

    The step's work runs from the model's first forward to :meth:`done` (called right after the
    trainer or the evaluation returns), less ``exclude_s`` (the sandbox scoring after an evaluation's
    generation): building a trainer (tokenising its dataset, setting up accelerate) is left out, as
    it would swamp a few steps' worth of work."""

    def __init__(self, cuda: bool) -> None:
        self.cuda = cuda
        self.tokens = 0
        self.t_loaded: float | None = None
        self.t_first: float | None = None
        self.t_done: float | None = None
        self.exclude_s = 0.0
        self.shape: tuple[int, int] | None = None  # the largest (rows, tokens) one forward took
        self._handles: list[Any] = []

    def loaded(self, model: Any) -> None:
        """The model is loaded: from here on its forwards are counted."""
        def count(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
            ids = args[0] if args else kwargs.get("input", kwargs.get("input_ids"))
            if hasattr(ids, "numel"):
                if self.t_first is None:
                    self.t_first = time.perf_counter()
                self.tokens += int(ids.numel())
                if ids.dim() == 2 and (self.shape is None or ids.numel() > self.shape[0] * self.shape[1]):
                    self.shape = (int(ids.shape[0]), int(ids.shape[1]))

        self._handles.append(model.get_input_embeddings().register_forward_pre_hook(count, with_kwargs=True))
        self._sync()
        self.t_loaded = time.perf_counter()

    def done(self, exclude_s: float = 0.0) -> None:
        self._sync()
        self.t_done = time.perf_counter()
        self.exclude_s = exclude_s

    def work_s(self) -> float | None:
        if self.t_first is None or self.t_done is None:
            return None
        return max(self.t_done - self.t_first - self.exclude_s, 0.0)

    def _sync(self) -> None:
        if self.cuda:
            import torch

            torch.cuda.synchronize()

    def close(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles.clear()


def measure_step(step: Step, ctx: Any, runner: Callable[[Step, Any, Meter], dict[str, Any]],
                 planner: Callable[[tuple[int, int] | None], float | None] | None = None) -> StepResult:
    """Run one step (``ctx``: a :class:`seedkit.checks.gpu_steps.Context`) with peak memory reset before it; a failure becomes a one-line error (the traceback
    goes to the JSON) so that the other steps still run."""
    import gc

    import torch

    cuda = ctx.opts.device == "cuda"
    gc.collect()
    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    meter = Meter(cuda)
    t0 = time.perf_counter()
    try:
        details = runner(step, ctx, meter)
        meter._sync()
        ok, error, tb = True, "", ""
    except Exception as e:  # one step's failure must not hide the others
        details, ok = {}, False
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        error = f"{type(e).__name__}: {first}"[:300]
        tb = traceback.format_exc()
    finally:
        meter.close()
    end = time.perf_counter()
    work = meter.work_s() if ok else None
    res = StepResult(name=step.name, stage=step.stage, ok=ok, wall_s=round(end - t0, 2),
                     load_s=round(meter.t_loaded - t0, 2) if meter.t_loaded is not None else None,
                     run_s=round(work, 2) if work is not None else None, tokens=meter.tokens,
                     tokens_per_s=round(meter.tokens / work, 1) if work and meter.tokens else None,
                     peak_gpu_gib=round(torch.cuda.max_memory_allocated() / GIB, 3) if cuda else None,
                     note=str(details.pop("note", "")), error=error, traceback=tb, details=details)
    if planner is not None:
        try:
            res.planned_gib = planner(meter.shape)
        except Exception as e:  # the plan is a comparison; it must not fail a step that ran
            res.details["plan_error"] = f"{type(e).__name__}: {e}"[:300]
        res.details["forward_shape"] = list(meter.shape) if meter.shape else None
    gc.collect()
    return res


# --------------------------------------------------------------------------- summary and JSON


COLUMNS = ("step", "status", "wall s", "work s", "tokens", "tok/s", "peak GiB", "plan GiB", "note")


def table_rows(results: Sequence[StepResult]) -> list[list[str]]:
    rows = []
    for r in results:
        peak = f"{r.peak_gpu_gib:.2f}" if r.peak_gpu_gib is not None else "n/a"
        plan = f"{r.planned_gib:.2f}" if r.planned_gib is not None else "n/a"
        rows.append([r.name, "ok" if r.ok else "FAILED", f"{r.wall_s:.1f}",
                     f"{r.run_s:.2f}" if r.run_s is not None else "-", f"{r.tokens:,}", _rate(r.tokens_per_s), peak, plan,
                     r.note if r.ok else r.error])
    return rows


def text_table(results: Sequence[StepResult]) -> str:
    rows = [list(COLUMNS), *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
                     for row in rows)


def markdown_table(results: Sequence[StepResult], card: dict[str, Any]) -> str:
    head = f"gpu-check on {card.get('device', '?')}" + (f" ({card['memory_gib']} GiB)" if card.get("memory_gib") else "")
    lines = [head, "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in table_rows(results)]
    return "\n".join(lines)


def write_report(path: Path, payload: dict[str, Any]) -> Path:
    """The check's figures as JSON, written atomically (a killed run leaves no half file)."""

    atomic_write_json(path, payload)
    return path


def default_out_dir() -> Path:

    return default_runs_dir() / "gpu-check"


__all__ = ["card_report", "format_card", "StepResult", "Meter", "measure_step", "COLUMNS", "table_rows", "text_table", "markdown_table", "write_report", "default_out_dir"]
