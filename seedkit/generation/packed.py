"""Decode-time matrix products on the CPU with weights prepacked for oneDNN.

Why the kit does this itself: a decode step multiplies a few rows (the sequences in flight) by every
weight matrix, and torch's ``F.linear`` runs that shape well below this CPU's memory-bound rate. The
output layer of SmolLM2-135M (49,152 x 576) took 23 ms for 8 rows under ``F.linear`` and 13 ms with
its weight reordered once into oneDNN's blocked layout (``torch.ops.mkldnn._reorder_linear_weight``,
then ``_linear_pointwise``: what torch's own compiler emits for frozen CPU weights, and the same
library vLLM's CPU build prepacks its weights for). The decoder's larger projections gained 2-30%
at 4-16 rows and lost 5-40% at one row and from 24-32 rows up; projections under
:data:`MIN_ELEMENTS` lost at every size (docs/generation_profile.md, "Prepacked matrix products"; ``bench/bench_engine_gains.py``).
So :func:`packed_linears` swaps in the prepacked product only where it measured faster: every
``nn.Linear`` whose float32 weight has at least :data:`MIN_ELEMENTS` entries, for inputs of
:data:`MIN_ROWS` to :data:`MAX_ROWS` rows, and at any row count for output layers of at least :data:`WIDE_OUTPUT`
columns. Prefills (many rows) keep ``F.linear``.

Results are the same products summed in another order: outputs differ from ``F.linear``'s in the
last bits (at most ~1e-4 on SmolLM2's logits), so a greedy pick can differ where two logits tie to
that precision; the benchmark counts such answers.

Weights are read, never changed. A pack is keyed by its weight's storage and version counter, so a
weight changed in place (an optimizer step, a merged adapter) is packed again at the next decode;
peft's adapters run beside their (frozen, packed) base layer unchanged. ``SEEDKIT_PACKED_MATMUL=0``
turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import os
import weakref
from collections.abc import Iterator
from typing import Any

MIN_ELEMENTS = 256 * 1024  # SmolLM2's key/value projections (192 x 576) were slower packed; 576 x 576 was not
MIN_ROWS = 2  # one row: F.linear's matrix-vector product was faster on the decoder's projections
MAX_ROWS = 16  # from 24-32 rows up: F.linear as fast or faster on the decoder's projections
WIDE_OUTPUT = 16384  # an output layer this wide was faster packed at every row count measured (1-128)
PACK_ROWS_HINT = 8  # the row count oneDNN chooses the layout for (a synthesis batch)
MAX_SHARE_OF_FREE_MEMORY = 0.25  # packs are a second copy of the weights: at most this much of free memory

_packs: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], Any]] = weakref.WeakKeyDictionary()


def enabled() -> bool:
    """Is prepacking available and not turned off (``SEEDKIT_PACKED_MATMUL=0``)?"""
    import torch

    if os.environ.get("SEEDKIT_PACKED_MATMUL", "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return bool(torch.backends.mkldnn.is_available()) and hasattr(torch.ops.mkldnn, "_reorder_linear_weight")


def packable(module: Any) -> bool:
    """A plain ``nn.Linear`` with a float32 CPU weight of at least :data:`MIN_ELEMENTS` entries whose
    ``forward`` nobody else has replaced (accelerate's hooks set one on the instance)."""
    import torch

    if not isinstance(module, torch.nn.Linear) or "forward" in vars(module):
        return False
    w = module.weight
    return (w.dim() == 2 and w.dtype == torch.float32 and w.device.type == "cpu" and not w.is_meta
            and w.numel() >= MIN_ELEMENTS and type(w) in (torch.Tensor, torch.nn.Parameter))


def _key(weight: Any) -> tuple[int, int]:
    # an inference tensor keeps no version counter (and cannot change outside inference mode)
    return weight.untyped_storage().data_ptr(), (-1 if weight.is_inference() else weight._version)


def _pack(module: Any) -> Any:
    """The module's weight in oneDNN's layout, packed again when the weight changed since."""
    import torch

    key = _key(module.weight)
    cached = _packs.get(module)
    if cached is not None and cached[0] == key:
        return cached[1]
    with torch.no_grad():
        packed = torch.ops.mkldnn._reorder_linear_weight(module.weight.detach(), PACK_ROWS_HINT)
    _packs[module] = (key, packed)
    return packed


def _forward(module: Any, packed: Any, x: Any) -> Any:
    import torch
    import torch.nn.functional as F

    out_features = module.weight.shape[0]
    rows = x.numel() // x.shape[-1] if x.dim() else 0
    if (x.dtype != torch.float32 or x.device.type != "cpu" or x.requires_grad
            or (not MIN_ROWS <= rows <= MAX_ROWS and out_features < WIDE_OUTPUT)):
        return F.linear(x, module.weight, module.bias)
    bias = None if module.bias is None else module.bias.detach()
    return _packed_product(x.reshape(rows, x.shape[-1]).contiguous(), packed, bias).reshape(*x.shape[:-1], out_features)


def _packed_product(x: Any, packed: Any, bias: Any) -> Any:
    """``x @ weight.T + bias`` for 2D ``x`` with the weight in oneDNN's layout."""
    import torch

    return torch.ops.mkldnn._linear_pointwise(x, packed, bias, "none", [], "")


def _free_bytes() -> int:
    import psutil

    return int(psutil.virtual_memory().available)


@contextlib.contextmanager
def packed_linears(model: Any) -> Iterator[int]:
    """Within the block, the model's packable linear layers multiply with prepacked weights (see the
    module's docstring); yields how many layers were switched (0 when off, unavailable, or when the
    packs would take more than :data:`MAX_SHARE_OF_FREE_MEMORY` of free memory). Each layer's own
    ``forward`` is back when the block ends, also on error."""
    if not enabled():
        yield 0
        return
    layers = [m for m in model.modules() if packable(m)]
    fresh = sum(m.weight.numel() * 4 for m in layers if _packs.get(m, (None,))[0] != _key(m.weight))
    if not layers or fresh > MAX_SHARE_OF_FREE_MEMORY * _free_bytes():
        yield 0
        return
    switched = []
    try:
        for m in layers:
            m.forward = functools.partial(_forward, m, _pack(m))
            switched.append(m)
        yield len(switched)
    finally:
        for m in switched:
            del m.forward
