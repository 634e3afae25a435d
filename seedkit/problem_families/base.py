"""What a family of problems is, and the small helpers the family modules share.

A *family* is a function-writing task with free parameters (a threshold, a divisor, a character, a
comparison, what to return). ``make(rng)`` draws the parameters from a seeded ``random.Random`` and
returns a :class:`Spec`: the function's name, arguments, docstring sentence, body, and the inputs to
test it on (boundary cases that are always tested, random ones the test writer picks from).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

Args = tuple  # one call's positional arguments


@dataclass(frozen=True)
class Spec:
    """One drawn member of a family, before it is written out as a problem."""

    name: str                          # the entry point
    args: tuple[tuple[str, str], ...]  # (argument, annotation)
    returns: str                       # return annotation
    doc: str                           # imperative sentence: "Return ...", "Count ..."
    body: str                          # the function body, indented by four spaces
    key: str                           # the drawn parameters, unique within the family
    cases: list[Args] = field(default_factory=list)    # boundary inputs, always tested
    randoms: list[Args] = field(default_factory=list)  # random inputs, tested when they kill a mutant


@dataclass(frozen=True)
class Family:
    """A procedural family: ``make`` draws one member from a seeded random generator."""

    name: str
    group: str
    make: Callable[[random.Random], Spec]


def family(into: list[Family], group: str) -> Callable[[Callable[[random.Random], Spec]], Callable[[random.Random], Spec]]:
    """Decorator: register ``make`` as the family named after the function."""

    def register(make: Callable[[random.Random], Spec]) -> Callable[[random.Random], Spec]:
        into.append(Family(make.__name__, group, make))
        return make

    return register


# --------------------------------------------------------------------------- words for names and docs

COMPARE = {"<": "less than", "<=": "at most", ">": "greater than", ">=": "at least", "==": "equal to"}
COMPARE_NAME = {"<": "below", "<=": "at_most", ">": "above", ">=": "at_least", "==": "equal_to"}
CHAR_NAME = {"-": "dash", "_": "underscore", ".": "dot", ",": "comma", ";": "semicolon", ":": "colon",
             "|": "bar", "#": "hash", "*": "star", "+": "plus", "!": "bang", "?": "question", " ": "space",
             "/": "slash", "=": "equals", "~": "tilde", "@": "at"}


def num(v: int) -> str:
    """An integer as part of an identifier: 7 -> '7', -3 -> 'neg3'."""
    return f"neg{-v}" if v < 0 else str(v)


def char_name(c: str) -> str:
    """A character as part of an identifier: 'a' -> 'a', '-' -> 'dash'."""
    return c if c.isalnum() else CHAR_NAME[c]


def plus(b: int) -> str:
    """' + 4' or ' - 4' (and '' for zero), for code and for docs."""
    return "" if b == 0 else (f" + {b}" if b > 0 else f" - {-b}")


def plus_words(b: int) -> str:
    return "" if b == 0 else (f" plus {b}" if b > 0 else f" minus {-b}")


def plus_name(b: int) -> str:
    return "" if b == 0 else (f"_plus_{b}" if b > 0 else f"_minus_{-b}")


def compare(x: int, op: str, t: int) -> bool:
    return {"<": x < t, "<=": x <= t, ">": x > t, ">=": x >= t, "==": x == t}[op]


# --------------------------------------------------------------------------- random inputs

WORDS = ("apple", "bat", "cat", "dog", "echo", "fig", "go", "hat", "ink", "jam", "kiwi", "lemon", "moon",
         "net", "oak", "pie", "quiz", "rain", "sun", "tree", "up", "vase", "wind", "yes", "zoo", "a", "an",
         "banana", "orbit", "table", "idea", "sky", "stone", "river", "map", "ear")


def ints(rng: random.Random, lo: int, hi: int, count: int = 24) -> list[Args]:
    return [(rng.randint(lo, hi),) for _ in range(count)]


def int_list(rng: random.Random, lo: int = -15, hi: int = 15, longest: int = 8) -> list[int]:
    return [rng.randint(lo, hi) for _ in range(rng.randint(0, longest))]


def int_lists(rng: random.Random, lo: int = -15, hi: int = 15, longest: int = 8, count: int = 24) -> list[Args]:
    return [(int_list(rng, lo, hi, longest),) for _ in range(count)]


def text(rng: random.Random, alphabet: str, longest: int = 12) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def texts(rng: random.Random, alphabet: str, longest: int = 12, count: int = 24) -> list[Args]:
    return [(text(rng, alphabet, longest),) for _ in range(count)]


def sentence(rng: random.Random, longest: int = 6) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, longest)))


def sentences(rng: random.Random, longest: int = 6, count: int = 24) -> list[Args]:
    return [(sentence(rng, longest),) for _ in range(count)]


def word_dict(rng: random.Random, lo: int = -10, hi: int = 20, longest: int = 6) -> dict[str, int]:
    keys = rng.sample(WORDS, rng.randint(0, longest))
    return {k: rng.randint(lo, hi) for k in keys}


def lines(*rows: str) -> str:
    """A function body from its lines, each indented by four spaces (nested lines carry their own)."""
    return "".join(f"    {row}\n" for row in rows)
