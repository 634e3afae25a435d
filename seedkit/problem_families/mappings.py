"""Families on dictionaries: filter entries by value, transform values, totals over keys with a
chosen first letter, tallies of chosen letters, grouping numbers by remainder."""

from __future__ import annotations

import random

from seedkit.problem_families.base import (
    COMPARE,
    COMPARE_NAME,
    Family,
    Spec,
    family,
    int_lists,
    lines,
    num,
    plus,
    plus_name,
    plus_words,
    texts,
    word_dict,
)

FAMILIES: list[Family] = []
D = (("d", "dict[str, int]"),)
S = (("s", "str"),)
OPS = ["<", "<=", ">", ">="]


def _dicts(rng: random.Random, lo: int = -10, hi: int = 20, count: int = 24) -> list[tuple]:
    return [(word_dict(rng, lo, hi),) for _ in range(count)]


@family(FAMILIES, "dicts")
def entries_by_value(rng: random.Random) -> Spec:
    op, t = rng.choice(OPS), rng.randint(-5, 12)
    mode = rng.choice(["dict", "keys", "count"])
    keep = f"v {op} {t}"
    body = {"dict": f"return {{k: v for k, v in d.items() if {keep}}}",
            "keys": f"return sorted(k for k, v in d.items() if {keep})",
            "count": f"return sum(1 for v in d.values() if {keep})"}[mode]
    what = {"dict": "Return a new dictionary with the entries of d", "keys": "Return, sorted, the keys of d",
            "count": "Count the entries of d"}[mode]
    return Spec(
        name=f"{ {'dict': 'entries', 'keys': 'keys', 'count': 'count_entries'}[mode]}_{COMPARE_NAME[op]}_{num(t)}",
        args=D, returns={"dict": "dict[str, int]", "keys": "list[str]", "count": "int"}[mode],
        doc=f"{what} whose value is {COMPARE[op]} {t}.", body=lines(body), key=f"{op},{t},{mode}",
        cases=[({},), ({"a": t},), ({"b": t - 1, "a": t + 1},), ({"z": t, "y": -t - 2, "x": t + 5, "w": t - 4},)],
        randoms=_dicts(rng, t - 10, t + 10))


@family(FAMILIES, "dicts")
def transform_values(rng: random.Random) -> Spec:
    a = rng.choice([x for x in range(-4, 6) if x not in (0, 1)])
    b = rng.randint(-9, 9)
    return Spec(
        name=f"values_times_{num(a)}{plus_name(b)}", args=D, returns="dict[str, int]",
        doc=f"Return a new dictionary with the keys of d, each value multiplied by {a}{plus_words(b)}.",
        body=lines(f"return {{k: {a} * v{plus(b)} for k, v in d.items()}}"), key=f"{a},{b}",
        cases=[({},), ({"a": 0},), ({"a": 1, "b": -1},)], randoms=_dicts(rng))


@family(FAMILIES, "dicts")
def total_for_initial(rng: random.Random) -> Spec:
    c = rng.choice("abcdefghiklmnoprstuwy")
    mode = rng.choice(["sum", "max", "keys"])
    body = {"sum": f"return sum(v for k, v in d.items() if k.startswith({c!r}))",
            "max": f"return max((v for k, v in d.items() if k.startswith({c!r})), default=0)",
            "keys": f"return sorted(k for k in d if k.startswith({c!r}))"}[mode]
    doc = {"sum": f"Return the sum of the values of d whose key starts with {c!r} (0 when there are none).",
           "max": f"Return the largest value of d whose key starts with {c!r} (0 when there are none).",
           "keys": f"Return, sorted, the keys of d that start with {c!r}."}[mode]
    return Spec(
        name=f"{mode}_for_keys_starting_with_{c}", args=D, returns="list[str]" if mode == "keys" else "int",
        doc=doc, body=lines(body), key=f"{c},{mode}",
        cases=[({},), ({c: -3},), ({c + "x": -2, "q" + c: 9, c + c: -7},), ({"zz": 4},)],
        randoms=[({**word_dict(rng, -9, 9), **{c + w: rng.randint(-9, 9) for w in ("at", "o")[: rng.randint(0, 2)]}},)
                 for _ in range(24)])


@family(FAMILIES, "dicts")
def tally_letters(rng: random.Random) -> Spec:
    chars = "".join(sorted(rng.sample("abcdefghijklmnopqrstuvwxyz", rng.randint(2, 4))))
    present = rng.random() < 0.5
    cond = " if c in s" if present else ""
    alphabet = chars + "xyz q"
    return Spec(
        name=f"tally_{'present_' if present else ''}{chars}", args=S, returns="dict[str, int]",
        doc=f"Return a dictionary from each letter of {chars!r} to how many times it occurs in s"
            + (", leaving out the letters that do not occur." if present else "."),
        body=lines(f"return {{c: s.count(c) for c in {chars!r}{cond}}}"), key=f"{chars},{present}",
        cases=[("",), (chars,), (chars[0] * 3,)], randoms=texts(rng, alphabet, 12))



@family(FAMILIES, "dicts")
def group_by_remainder(rng: random.Random) -> Spec:
    k = rng.randint(2, 7)
    mode = rng.choice(["lists", "counts", "sums"])
    update = {"lists": "    groups.setdefault(x % {k}, []).append(x)",
              "counts": "    groups[x % {k}] = groups.get(x % {k}, 0) + 1",
              "sums": "    groups[x % {k}] = groups.get(x % {k}, 0) + x"}[mode].format(k=k)
    what = {"lists": "the list of the numbers of xs (in order)", "counts": "how many numbers of xs",
            "sums": "the sum of the numbers of xs"}[mode]
    return Spec(
        name=f"group_{mode}_by_remainder_{k}", args=(("xs", "list[int]"),),
        returns={"lists": "dict[int, list[int]]", "counts": "dict[int, int]", "sums": "dict[int, int]"}[mode],
        doc=f"Return a dictionary from each remainder r of division by {k} to {what} that leave remainder r; "
            f"remainders that no number leaves are absent.",
        body=lines("groups = {}", "for x in xs:", update, "return groups"), key=f"{k},{mode}",
        cases=[([],), ([0],), ([k - 1, k, k + 1, -1],), (list(range(2 * k)),)], randoms=int_lists(rng, -15, 25))
