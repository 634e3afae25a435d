"""Families on strings: replace, count and drop chosen characters, slices, shifts, words by length or
letter, padding, runs, truncation, case patterns."""

from __future__ import annotations

import random

from seedkit.problem_families.base import (
    COMPARE,
    COMPARE_NAME,
    Family,
    Spec,
    char_name,
    family,
    lines,
    sentence,
    sentences,
    text,
    texts,
)

FAMILIES: list[Family] = []
S = (("s", "str"),)
LOWER = "abcdefghijklmnopqrstuvwxyz"
PUNCT = "-_.,;:|#*+!?/=~@"


def _mixed(rng: random.Random, chars: str, count: int = 24, longest: int = 12) -> list[tuple]:
    """Random strings from a small alphabet that always holds ``chars``, so that the chosen characters occur."""
    alphabet = "".join(sorted(set(chars + rng.choice(["abc", "xyz ", "Ab1", "mn-o", "pq r"]))))
    return texts(rng, alphabet, longest, count)


@family(FAMILIES, "text")
def replace_char(rng: random.Random) -> Spec:
    old, new = rng.sample(LOWER + PUNCT, 2)
    first = rng.random() < 0.4
    count = ", 1" if first else ""
    which = "the first occurrence" if first else "every occurrence"
    return Spec(
        name=f"replace_{'first_' if first else ''}{char_name(old)}_with_{char_name(new)}", args=S, returns="str",
        doc=f"Return s with {which} of {old!r} replaced by {new!r}.",
        body=lines(f"return s.replace({old!r}, {new!r}{count})"), key=f"{old},{new},{first}",
        cases=[("",), (old,), (old * 3,), (f"x{old}y{old}z",), (new,)], randoms=_mixed(rng, old + new))


@family(FAMILIES, "text")
def count_chosen_letters(rng: random.Random) -> Spec:
    chars = "".join(sorted(rng.sample(LOWER, rng.randint(2, 4))))
    fold = rng.random() < 0.5
    source = "s.lower()" if fold else "s"
    return Spec(
        name=f"count_{'any_case_' if fold else ''}letters_{chars}", args=S, returns="int",
        doc=f"Count the characters of s that are one of the letters {chars!r}"
            + (", ignoring case." if fold else " (lowercase only)."),
        body=lines(f"return sum(1 for ch in {source} if ch in {chars!r})"), key=f"{chars},{fold}",
        cases=[("",), (chars,), (chars.upper(),), ("xyz" if "x" not in chars else "bcd",)],
        randoms=_mixed(rng, chars + chars.upper()))


@family(FAMILIES, "text")
def drop_chars(rng: random.Random) -> Spec:
    chars = "".join(sorted(rng.sample(LOWER + PUNCT, rng.randint(1, 3))))
    return Spec(
        name="drop_" + "_".join(char_name(c) for c in chars), args=S, returns="str",
        doc=f"Return s without any of the characters in {chars!r}, the others kept in order.",
        body=lines(f"return ''.join(ch for ch in s if ch not in {chars!r})"), key=chars,
        cases=[("",), (chars,), (chars[0] + "q" + chars[-1],)], randoms=_mixed(rng, chars))


@family(FAMILIES, "text")
def every_kth_char(rng: random.Random) -> Spec:
    start, step = rng.randint(0, 3), rng.randint(2, 5)
    return Spec(
        name=f"chars_from_{start}_every_{step}", args=S, returns="str",
        doc=f"Return the characters of s at positions {start}, {start + step}, {start + 2 * step}, ... "
            f"(counting from 0).",
        body=lines(f"return s[{start}::{step}]"), key=f"{start},{step}",
        cases=[("",), ("a",), ("abcdefghijklmnopqrstu",)], randoms=texts(rng, LOWER, 20))


@family(FAMILIES, "text")
def shift_lowercase(rng: random.Random) -> Spec:
    k = rng.randint(1, 25)
    return Spec(
        name=f"rotate_lowercase_by_{k}", args=S, returns="str",
        doc=f"Return s with every lowercase letter moved {k} places forward in the alphabet, wrapping from 'z' "
            f"to 'a'; other characters stay as they are.",
        body=lines("out = []", "for ch in s:", "    if 'a' <= ch <= 'z':",
                   f"        out.append(chr((ord(ch) - 97 + {k}) % 26 + 97))", "    else:", "        out.append(ch)",
                   "return ''.join(out)"), key=str(k),
        cases=[("",), ("az",), ("abc xyz!",), ("Hello, World",), ("`{",)], randoms=texts(rng, LOWER + "AZ {`", 10))


@family(FAMILIES, "text")
def words_by_length(rng: random.Random) -> Spec:
    op = rng.choice(["<", "<=", ">", ">=", "=="])
    t = rng.randint(1, 6)
    mode = rng.choice(["list", "count", "joined"])
    keep = f"len(w) {op} {t}"
    body = {"list": f"return [w for w in s.split() if {keep}]",
            "count": f"return sum(1 for w in s.split() if {keep})",
            "joined": f"return ' '.join(w for w in s.split() if {keep})"}[mode]
    what = {"list": "Return the list of the words", "count": "Count the words",
            "joined": "Return, joined by single spaces, the words"}[mode]
    name = {"list": "words", "count": "count_words", "joined": "keep_words"}[mode]
    returns = {"list": "list[str]", "count": "int", "joined": "str"}[mode]
    return Spec(
        name=f"{name}_length_{COMPARE_NAME[op]}_{t}", args=S, returns=returns,
        doc=f"{what} of s (split on whitespace) whose length is {COMPARE[op]} {t}.",
        body=lines(body), key=f"{op},{t},{mode}",
        cases=[("",), ("x" * t,), ("y" * (t + 1),), ("z" * max(t - 1, 1),), ("ab " * 2 + "x" * t + "  " + "q" * (t + 1),)],
        randoms=sentences(rng))


@family(FAMILIES, "text")
def words_by_letter(rng: random.Random) -> Spec:
    c = rng.choice(LOWER)
    where = rng.choice(["startswith", "endswith"])
    mode = rng.choice(["list", "count", "first"])
    test = f"w.{where}({c!r})"
    body = {"list": lines(f"return [w for w in s.split() if {test}]"),
            "count": lines(f"return sum(1 for w in s.split() if {test})"),
            "first": lines("for w in s.split():", f"    if {test}:", "        return w", "return ''")}[mode]
    side = "start" if where == "startswith" else "end"
    what = {"list": "Return the list of the words", "count": "Count the words",
            "first": "Return the first of the words"}[mode]
    tail = " ('' when there is none)" if mode == "first" else ""
    return Spec(
        name=f"{'count_' if mode == 'count' else 'first_' if mode == 'first' else ''}words_{side}ing_with_{c}",
        args=S, returns={"list": "list[str]", "count": "int", "first": "str"}[mode],
        doc=f"{what} of s (split on whitespace) that {side} with {c!r}{tail}.",
        body=body, key=f"{c},{where},{mode}",
        cases=[("",), (c,), (f"x{c} {c}y {c}{c}",), ("nothing here",)],
        randoms=[(" ".join(rng.choice([f"{c}at", f"to{c}", "oak", f"{c}", "map", f"b{c}b"]) for _ in range(rng.randint(0, 5))),)
                 for _ in range(20)] + sentences(rng, count=6))


@family(FAMILIES, "text")
def pad_to_width(rng: random.Random) -> Spec:
    w = rng.randint(3, 12)
    fill = rng.choice("*.-_#0~")
    side = rng.choice(["left", "right"])
    method = "rjust" if side == "left" else "ljust"
    return Spec(
        name=f"pad_{side}_to_{w}_with_{char_name(fill)}", args=S, returns="str",
        doc=f"Return s padded on the {side} with {fill!r} to length {w}; longer strings are returned unchanged.",
        body=lines(f"return s.{method}({w}, {fill!r})"), key=f"{w},{fill},{side}",
        cases=[("",), ("a" * (w - 1),), ("b" * w,), ("c" * (w + 1),)], randoms=texts(rng, "abxyz", w + 3))


@family(FAMILIES, "text")
def longest_run_of(rng: random.Random) -> Spec:
    c = rng.choice(LOWER + "-.!01 ")
    return Spec(
        name=f"longest_run_of_{char_name(c) if c != '0' else 'zero'}", args=S, returns="int",
        doc=f"Return the length of the longest block of consecutive {c!r} characters in s (0 when there is none).",
        body=lines("best = run = 0", "for ch in s:", f"    if ch == {c!r}:", "        run += 1",
                   "        best = max(best, run)", "    else:", "        run = 0", "return best"), key=c,
        cases=[("",), (c,), (c * 3,), (f"{c}x{c}{c}",), (f"{c}{c}x{c}",), ("y",)], randoms=_mixed(rng, c * 3, longest=14))


@family(FAMILIES, "text")
def shorten_with_marker(rng: random.Random) -> Spec:
    n = rng.randint(2, 15)
    marker = rng.choice(["...", "~", ">>", "*", "..", "+"])
    mname = {"...": "ellipsis", "~": "tilde", ">>": "arrows", "*": "star", "..": "dots", "+": "plus"}[marker]
    return Spec(
        name=f"shorten_to_{n}_with_{mname}", args=S, returns="str",
        doc=f"Return s when it has at most {n} characters; otherwise its first {n} characters followed by {marker!r}.",
        body=lines(f"if len(s) <= {n}:", "    return s", f"return s[:{n}] + {marker!r}"), key=f"{n},{marker}",
        cases=[("",), ("a" * (n - 1),), ("b" * n,), ("abcdefghijklmnopqrstuvwxyz"[: n + 1],)], randoms=texts(rng, "abcdef", n + 6))


@family(FAMILIES, "text")
def upper_every_kth(rng: random.Random) -> Spec:
    k = rng.randint(2, 5)
    r = rng.randint(0, k - 1)
    return Spec(
        name=f"upper_every_{k}_from_{r}", args=S, returns="str",
        doc=f"Return s with the characters at positions {r}, {r + k}, {r + 2 * k}, ... (counting from 0) in upper "
            f"case and the others unchanged.",
        body=lines(f"return ''.join(ch.upper() if i % {k} == {r} else ch for i, ch in enumerate(s))"), key=f"{k},{r}",
        cases=[("",), ("a",), ("abcdefghijkl",)], randoms=texts(rng, LOWER, 14))


@family(FAMILIES, "text")
def mirror_ends(rng: random.Random) -> Spec:
    n = rng.randint(1, 4)
    mode = rng.choice(["move_front", "move_back", "swap"])
    body = {"move_front": f"return s[{n}:] + s[:{n}]", "move_back": f"return s[-{n}:] + s[:-{n}]",
            "swap": f"return s[-{n}:] + s[{n}:-{n}] + s[:{n}] if len(s) >= {2 * n} else s"}[mode]
    doc = {"move_front": f"Return s with its first {n} characters moved to the end (shorter strings come back unchanged).",
           "move_back": f"Return s with its last {n} characters moved to the front (shorter strings come back unchanged).",
           "swap": f"Return s with its first {n} and last {n} characters swapped; strings shorter than {2 * n} "
                   f"are returned unchanged."}[mode]
    return Spec(
        name=f"{mode}_{n}_chars", args=S, returns="str", doc=doc, body=lines(body), key=f"{n},{mode}",
        cases=[("",), ("a",), ("abcdefghij"[: 2 * n - 1],), ("abcdefghij"[: 2 * n],), ("abcdefghij"[: 2 * n + 1],)],
        randoms=[(text(rng, "abcdefgh", 12),) for _ in range(20)] + [(sentence(rng, 2),) for _ in range(4)])
