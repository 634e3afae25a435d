"""Families on lists of integers: filters by threshold or remainder (kept, counted or summed), maps,
windows, clips, searches, neighbouring pairs, chunks, caps, running totals, strided picks, extremes."""

from __future__ import annotations

import random

from seedkit.problem_families.base import (
    COMPARE,
    COMPARE_NAME,
    Family,
    Spec,
    family,
    int_list,
    int_lists,
    lines,
    num,
    plus,
    plus_name,
    plus_words,
)

FAMILIES: list[Family] = []
XS = (("xs", "list[int]"),)
OPS = ["<", "<=", ">", ">="]


def _around(t: int) -> list[tuple]:
    """Boundary lists around a threshold: empty, single values on both sides, ties, unsorted, negatives."""
    return [([],), ([t],), ([t - 1],), ([t + 1],), ([t + 1, t, t - 1, t],), ([t - 5, -t - 3, t + 4, t, t + 2, -1],)]


def _aggregate(mode: str, keep: str) -> tuple[str, str, str, str]:
    """(body, doc opening, name opening, return annotation) of a filter that keeps, counts or sums."""
    if mode == "list":
        return (lines(f"return [x for x in xs if {keep}]"), "Return, in order, the numbers of xs", "keep", "list[int]")
    if mode == "count":
        return (lines(f"return sum(1 for x in xs if {keep})"), "Count the numbers of xs", "count", "int")
    return (lines(f"return sum(x for x in xs if {keep})"), "Return the sum (0 when there are none) of the numbers of xs",
            "sum", "int")


@family(FAMILIES, "lists")
def filter_threshold(rng: random.Random) -> Spec:
    op, t, mode = rng.choice(OPS), rng.randint(-10, 15), rng.choice(["list", "count", "sum"])
    body, doc, name, returns = _aggregate(mode, f"x {op} {t}")
    return Spec(
        name=f"{name}_{COMPARE_NAME[op]}_{num(t)}", args=XS, returns=returns,
        doc=f"{doc} that are {COMPARE[op]} {t}.", body=body, key=f"{op},{t},{mode}",
        cases=_around(t), randoms=int_lists(rng, t - 12, t + 12))


@family(FAMILIES, "lists")
def filter_remainder(rng: random.Random) -> Spec:
    k = rng.randint(2, 9)
    r = rng.randint(0, k - 1)
    mode = rng.choice(["list", "count", "sum"])
    body, doc, name, returns = _aggregate(mode, f"x % {k} == {r}")
    return Spec(
        name=f"{name}_remainder_{r}_mod_{k}", args=XS, returns=returns,
        doc=f"{doc} whose remainder when divided by {k} is {r} (Python's %, never negative).", body=body,
        key=f"{k},{r},{mode}", cases=[([],), ([r],), ([r + 1],), ([r + k, r - k, r + 2, k, 0],), ([-r - 1, -k + r],)],
        randoms=int_lists(rng, -20, 30))


@family(FAMILIES, "lists")
def map_affine(rng: random.Random) -> Spec:
    a = rng.choice([x for x in range(-5, 7) if x not in (0, 1)])
    b = rng.randint(-10, 10)
    return Spec(
        name=f"map_times_{num(a)}{plus_name(b)}", args=XS, returns="list[int]",
        doc=f"Return a new list holding each number of xs multiplied by {a}{plus_words(b)}.",
        body=lines(f"return [{a} * x{plus(b)} for x in xs]"), key=f"{a},{b}",
        cases=[([],), ([0],), ([1, -1],), ([3, 2, 2],)], randoms=int_lists(rng))


@family(FAMILIES, "lists")
def window_sums(rng: random.Random) -> Spec:
    k = rng.randint(2, 5)
    mode = rng.choice(["max", "min", "list"])
    tail = {"max": "return max(sums) if sums else 0", "min": "return min(sums) if sums else 0", "list": "return sums"}[mode]
    doc = {"max": f"Return the largest sum of {k} consecutive numbers of xs (0 when xs has fewer than {k}).",
           "min": f"Return the smallest sum of {k} consecutive numbers of xs (0 when xs has fewer than {k}).",
           "list": f"Return the sums of every run of {k} consecutive numbers of xs, in order (empty when xs has "
                   f"fewer than {k})."}[mode]
    return Spec(
        name=f"{mode}_window_sum_{k}" if mode != "list" else f"window_sums_of_{k}", args=XS,
        returns="list[int]" if mode == "list" else "int", doc=doc,
        body=lines(f"sums = [sum(xs[i:i + {k}]) for i in range(len(xs) - {k} + 1)]", tail), key=f"{k},{mode}",
        cases=[([],), (list(range(1, k)),), (list(range(1, k + 1)),), ([5, -9] + list(range(k)) + [-2, 8],),
               ([-3] * (k + 2),)],
        randoms=int_lists(rng, -10, 10, 10))


@family(FAMILIES, "lists")
def clip_all(rng: random.Random) -> Spec:
    lo = rng.randint(-10, 5)
    hi = lo + rng.randint(1, 12)
    return Spec(
        name=f"clip_all_{num(lo)}_to_{num(hi)}", args=XS, returns="list[int]",
        doc=f"Return a new list with each number of xs limited to the range {lo} to {hi}.",
        body=lines(f"return [min(max(x, {lo}), {hi}) for x in xs]"), key=f"{lo},{hi}",
        cases=[([],), ([lo - 1, lo, lo + 1, hi - 1, hi, hi + 1],)], randoms=int_lists(rng, lo - 8, hi + 8))


@family(FAMILIES, "lists")
def first_index_where(rng: random.Random) -> Spec:
    op, t = rng.choice(OPS), rng.randint(-8, 12)
    last = rng.random() < 0.4
    loop = "for i in range(len(xs) - 1, -1, -1):" if last else "for i in range(len(xs)):"
    return Spec(
        name=f"{'last' if last else 'first'}_index_{COMPARE_NAME[op]}_{num(t)}", args=XS, returns="int",
        doc=f"Return the index of the {'last' if last else 'first'} number of xs that is {COMPARE[op]} {t}, or -1 "
            f"when there is none.",
        body=lines(loop, f"    if xs[i] {op} {t}:", "        return i", "return -1"), key=f"{op},{t},{last}",
        cases=_around(t) + [([t, t],), ([t + 3, t - 3, t + 3],), ([t - 3, t + 3, t - 3],)], randoms=int_lists(rng, t - 9, t + 9))


@family(FAMILIES, "lists")
def neighbour_steps(rng: random.Random) -> Spec:
    op, t = rng.choice(OPS), rng.randint(-4, 6)
    mode = rng.choice(["count", "indices"])
    test = f"xs[i + 1] - xs[i] {op} {t}"
    body = (lines(f"return sum(1 for i in range(len(xs) - 1) if {test})") if mode == "count"
            else lines(f"return [i for i in range(len(xs) - 1) if {test}]"))
    what = "Count the positions i" if mode == "count" else "Return, in order, the positions i"
    return Spec(
        name=f"{'count' if mode == 'count' else 'where'}_steps_{COMPARE_NAME[op]}_{num(t)}", args=XS,
        returns="int" if mode == "count" else "list[int]",
        doc=f"{what} of xs for which xs[i + 1] - xs[i] is {COMPARE[op]} {t}.", body=body, key=f"{op},{t},{mode}",
        cases=[([],), ([4],), ([0, t],), ([0, t + 1],), ([0, t - 1],), ([5, 5 + t, 5 + 2 * t + 1, 2, 2],)],
        randoms=int_lists(rng, -8, 8, 9))


@family(FAMILIES, "lists")
def chunk_totals(rng: random.Random) -> Spec:
    k = rng.randint(2, 5)
    stat = rng.choice(["sum", "max", "min"])
    return Spec(
        name=f"chunk_{stat}s_of_{k}", args=XS, returns="list[int]",
        doc=f"Split xs into consecutive chunks of {k} (the last may be shorter) and return the {stat} of each chunk.",
        body=lines(f"return [{stat}(xs[i:i + {k}]) for i in range(0, len(xs), {k})]"), key=f"{k},{stat}",
        cases=[([],), ([7],), (list(range(k)),), (list(range(2 * k + 1, 0, -1)),), ([-2, 9, -4, 3, 3, -8, 1],)],
        randoms=int_lists(rng, -9, 9, 11))


@family(FAMILIES, "lists")
def replace_beyond(rng: random.Random) -> Spec:
    op, t, v = rng.choice(OPS), rng.randint(-6, 12), rng.randint(-5, 20)
    return Spec(
        name=f"set_{COMPARE_NAME[op]}_{num(t)}_to_{num(v)}", args=XS, returns="list[int]",
        doc=f"Return a new list like xs in which every number {COMPARE[op]} {t} is replaced by {v}.",
        body=lines(f"return [{v} if x {op} {t} else x for x in xs]"), key=f"{op},{t},{v}",
        cases=_around(t), randoms=int_lists(rng, t - 10, t + 10))


@family(FAMILIES, "lists")
def running_total_mod(rng: random.Random) -> Spec:
    m = rng.randint(3, 25)
    start = rng.randint(0, m - 1)
    return Spec(
        name=f"running_total_mod_{m}_from_{start}", args=XS, returns="list[int]",
        doc=f"Return the running totals of xs modulo {m}: start from {start}, add each number in turn, keep the "
            f"remainder modulo {m} and record it after each step.",
        body=lines(f"total = {start}", "out = []", "for x in xs:", f"    total = (total + x) % {m}",
                   "    out.append(total)", "return out"), key=f"{m},{start}",
        cases=[([],), ([0],), ([m - start],), ([1, m, -1, 2 * m + 1],)], randoms=int_lists(rng, -30, 30))


@family(FAMILIES, "lists")
def strided_pick(rng: random.Random) -> Spec:
    start, step = rng.randint(0, 3), rng.randint(2, 4)
    mode = rng.choice(["list", "sum"])
    pick = f"xs[{start}::{step}]"
    return Spec(
        name=f"{'pick' if mode == 'list' else 'sum'}_from_{start}_every_{step}", args=XS,
        returns="list[int]" if mode == "list" else "int",
        doc=f"Return {'the list' if mode == 'list' else 'the sum'} of the numbers of xs at positions {start}, "
            f"{start + step}, {start + 2 * step}, ...",
        body=lines(f"return {pick}" if mode == "list" else f"return sum({pick})"), key=f"{start},{step},{mode}",
        cases=[([],), ([5],), (list(range(1, 14)),), ([-1, 4, -9, 16, 25, -36, 49, 64, 81],)],
        randoms=int_lists(rng, -9, 20, 12))


@family(FAMILIES, "lists")
def extreme_position(rng: random.Random) -> Spec:
    which = rng.choice(["largest", "smallest"])
    tie = rng.choice(["first", "last"])
    scale = rng.choice([1, -1, 2])
    value = "xs[i]" if scale == 1 else ("abs(xs[i])" if scale == -1 else "xs[i] % 10")
    best = "abs(xs[best])" if scale == -1 else ("xs[best] % 10" if scale == 2 else "xs[best]")
    op = (">" if which == "largest" else "<") + ("=" if tie == "last" else "")
    by = {1: "value", -1: "absolute value", 2: "last digit (x % 10)"}[scale]
    return Spec(
        name=f"{tie}_index_of_{which}_{ {1: 'value', -1: 'magnitude', 2: 'last_digit'}[scale]}", args=XS, returns="int",
        doc=f"Return the index of the number of xs with the {which} {by}; on ties the {tie} such index; -1 for an "
            f"empty list.",
        body=lines("if not xs:", "    return -1", "best = 0", "for i in range(1, len(xs)):", f"    if {value} {op} {best}:",
                   "        best = i", "return best"), key=f"{which},{tie},{scale}",
        cases=[([],), ([3],), ([2, 2],), ([-7, 3, 7, -3],), ([5, 1, 15, 1, -5],), ([0, -1, 1, 9, 19],)],
        randoms=[(int_list(rng, -9, 9, 7),) for _ in range(24)])
