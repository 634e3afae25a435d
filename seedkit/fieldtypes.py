"""Checking a setting's value against its type annotation, and naming the closest names to a mistyped one.

:class:`seedkit.config.StageSettings` checks every override with :func:`check_type` (an int is taken
where a float is asked, nothing else is converted) and says what a field accepts with
:func:`type_name`; a name that is not a field gets :func:`did_you_mean`'s suggestions.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from typing import Any, Literal, get_args, get_origin


def closest_names(name: str, candidates: typing.Iterable[str], n: int = 3) -> list[str]:
    """The candidates most like ``name``: by spelling (difflib) and by shared words of a snake_case name,
    so ``near_dup_threshold`` finds ``near_dup_min_jaccard`` and ``lerning_rate`` finds ``learning_rate``."""
    words = set(name.lower().split("_"))
    scored = []
    for c in set(candidates):
        spelling = difflib.SequenceMatcher(None, name.lower(), c.lower()).ratio()
        cw = set(c.lower().split("_"))
        shared = len(words & cw) / max(len(words | cw), 1)
        prefix = len(os.path.commonprefix([name.lower(), c.lower()])) / max(len(name), 1)
        score = max(spelling, shared + 0.2 * prefix)
        if score >= 0.5:
            scored.append((-score, c))
    return [c for _, c in sorted(scored)[:n]]


def did_you_mean(name: str, candidates: typing.Iterable[str]) -> str:
    """``" (did you mean 'a' or 'b'?)"`` or an empty string."""
    close = closest_names(name, candidates)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


# --------------------------------------------------------------------------- type checking


def type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in get_args(tp))
    if tp is type(None):
        return "None"
    if origin is not None:
        return f"{origin.__name__}[{', '.join(type_name(a) for a in get_args(tp))}]"
    return getattr(tp, "__name__", str(tp))


def check_type(value: Any, tp: Any) -> tuple[bool, Any]:
    """Whether ``value`` fits ``tp``; returns (ok, value converted where lossless: int -> float)."""
    if tp is Any:
        return True, value
    origin = get_origin(tp)
    if origin is Literal:
        return (value in get_args(tp)), value
    if origin in (typing.Union, types.UnionType):
        for arg in get_args(tp):
            ok, v = check_type(value, arg)
            if ok:
                return True, v
        return False, value
    if tp is type(None):
        return value is None, value
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        if isinstance(value, bool):
            return False, value
        if isinstance(value, int | float):
            return True, float(value)
        return False, value
    if tp is str:
        return isinstance(value, str), value
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            return False, value
        args = get_args(tp)
        item_tp = args[0] if args else Any
        out = []
        for item in value:
            ok, v = check_type(item, item_tp)
            if not ok:
                return False, value
            out.append(v)
        return True, list(out) if origin is list else tuple(out)
    if origin is dict:
        if not isinstance(value, dict):
            return False, value
        kt, vt = get_args(tp) or (Any, Any)
        out_d = {}
        for k, v in value.items():
            ok_k, k2 = check_type(k, kt)
            ok_v, v2 = check_type(v, vt)
            if not (ok_k and ok_v):
                return False, value
            out_d[k2] = v2
        return True, out_d
    return isinstance(value, tp), value


__all__ = ["closest_names", "did_you_mean", "type_name", "check_type"]
