"""Families that read simple formats: numbers between a chosen separator, key/value pairs, tagged
tokens, amounts with unit letters."""

from __future__ import annotations

import random

from seedkit.problem_families.base import CHAR_NAME, Family, Spec, family, lines, num

FAMILIES: list[Family] = []
T = (("text", "str"),)


def _joined(rng: random.Random, sep: str, count: int = 24, lo: int = -20, hi: int = 40) -> list[tuple]:
    out = []
    for _ in range(count):
        parts = [str(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6))]
        out.append((sep.join(parts),))
    return out


@family(FAMILIES, "parsing")
def separated_numbers(rng: random.Random) -> Spec:
    sep = rng.choice([",", ";", "|", "/", ":", "+"])
    stat = rng.choice(["sum", "max", "min", "count_above"])
    t = rng.randint(-5, 20)
    tail = {"sum": "return sum(values)", "max": "return max(values) if values else 0",
            "min": "return min(values) if values else 0", "count_above": f"return sum(1 for v in values if v > {t})"}[stat]
    what = {"sum": "their sum", "max": "the largest (0 when there are none)", "min": "the smallest (0 when there are none)",
            "count_above": f"how many are greater than {t}"}[stat]
    return Spec(
        name=f"{stat}{'_' + num(t) if stat == 'count_above' else ''}_of_{CHAR_NAME[sep]}_separated", args=T, returns="int",
        doc=f"Read the integers in text, separated by {sep!r} (spaces around them allowed, empty parts skipped), and "
            f"return {what}.",
        body=lines(f"values = [int(part) for part in text.split({sep!r}) if part.strip()]", tail),
        key=f"{sep},{stat},{t if stat == 'count_above' else ''}",
        cases=[("",), ("7",), (f"{t}{sep}{t + 1}{sep}{t - 1}",), (f" 3 {sep} -4{sep}{sep}12 ",), (f"-1{sep}-9",)],
        randoms=_joined(rng, sep, lo=t - 15, hi=t + 15))


@family(FAMILIES, "parsing")
def key_values(rng: random.Random) -> Spec:
    pair, kv = rng.choice([(";", "="), (",", "="), ("&", "="), (";", ":"), (",", ":"), ("|", "=")])
    mode = rng.choice(["dict", "total", "keys_above"])
    t = rng.randint(0, 15)
    tail = {"dict": "return out", "total": "return sum(out.values())",
            "keys_above": f"return sorted(k for k, v in out.items() if v > {t})"}[mode]
    what = {"dict": "the dictionary from keys to values (a later key replaces an earlier one)",
            "total": "the sum of the values (a later key replaces an earlier one)",
            "keys_above": f"the sorted keys whose value is greater than {t} (a later key replaces an earlier one)"}[mode]
    names = {";": "semicolon", ",": "comma", "&": "amp", "|": "bar", "=": "equals", ":": "colon"}
    rows = []
    for _ in range(24):
        items = [f"{rng.choice('abcdxyz')}{kv}{rng.randint(-3, 25)}" for _ in range(rng.randint(1, 5))]
        rows.append((pair.join(items),))
    return Spec(
        name=f"{ {'dict': 'parse', 'total': 'total', 'keys_above': 'keys_over_' + str(t)}[mode]}_{names[kv]}_pairs_by_{names[pair]}",
        args=T, returns={"dict": "dict[str, int]", "total": "int", "keys_above": "list[str]"}[mode],
        doc=f"Read the items key{kv}value separated by {pair!r} in text (values are integers, items without {kv!r} are "
            f"skipped, spaces around keys are removed) and return {what}.",
        body=lines("out = {}", f"for item in text.split({pair!r}):", f"    if {kv!r} in item:",
                   f"        key, _, value = item.partition({kv!r})", "        out[key.strip()] = int(value)", tail),
        key=f"{pair},{kv},{mode},{t if mode == 'keys_above' else ''}",
        cases=[("",), (f"a{kv}{t}",), (f"a{kv}{t + 1}{pair}b{kv}{t}{pair}junk{pair} c {kv}-2{pair}a{kv}{t + 2}",)],
        randoms=rows)


@family(FAMILIES, "parsing")
def tagged_tokens(rng: random.Random) -> Spec:
    mark = rng.choice("#@$!%^&*~+")
    mode = rng.choice(["count", "names", "distinct"])
    body = {"count": f"return sum(1 for tok in text.split() if tok.startswith({mark!r}) and len(tok) > 1)",
            "names": f"return [tok[1:] for tok in text.split() if tok.startswith({mark!r}) and len(tok) > 1]",
            "distinct": f"return sorted({{tok[1:] for tok in text.split() if tok.startswith({mark!r}) and len(tok) > 1}})"}[mode]
    what = {"count": "Count the words", "names": "Return, in order and without the mark, the words",
            "distinct": "Return, sorted and without repeats or the mark, the words"}[mode]
    names = {"#": "hash", "@": "at", "$": "dollar", "!": "bang", "%": "percent", "^": "caret", "&": "amp", "*": "star",
             "~": "tilde", "+": "plus"}
    rows = [(" ".join(rng.choice([f"{mark}go", f"{mark}fun", "hi", mark, f"a{mark}b", "x", f"{mark}{mark}"])
                      for _ in range(rng.randint(0, 6))),) for _ in range(24)]
    return Spec(
        name=f"{mode}_{names[mark]}_tags", args=T, returns="int" if mode == "count" else "list[str]",
        doc=f"{what} of text (split on whitespace) that start with {mark!r} and have at least one more character.",
        body=lines(body), key=f"{mark},{mode}",
        cases=[("",), (mark,), (f"{mark}a",), (f"x{mark} {mark}b {mark}b {mark}a",)], randoms=rows)


@family(FAMILIES, "parsing")
def unit_amounts(rng: random.Random) -> Spec:
    letters = "".join(sorted(rng.sample("bcdfghkmnpqstwz", rng.randint(2, 3))))
    weights = {c: rng.randint(2, 60) for c in letters}
    rows = [(" ".join(f"{rng.randint(0, 20)}{rng.choice(letters + 'x')}" for _ in range(rng.randint(0, 5))),)
            for _ in range(24)]
    a, b = letters[0], letters[1]
    return Spec(
        name="weighted_total_" + "_".join(f"{c}{w}" for c, w in weights.items()), args=T, returns="int",
        doc=f"Return the total worth of the whitespace-separated amounts in text, each a non-negative integer followed "
            f"by one unit letter such as '3{a}', where units are worth " + ", ".join(f"{c}={w}" for c, w in weights.items())
            + " and any other unit 0.",
        body=lines(f"weights = {weights!r}", "total = 0", "for token in text.split():",
                   "    total += int(token[:-1]) * weights.get(token[-1], 0)", "return total"),
        key=repr(sorted(weights.items())),
        cases=[("",), (f"1{a}",), (f"0{b} 2{a}",), (f"10{b} 3x 1{a}",)], randoms=rows)
