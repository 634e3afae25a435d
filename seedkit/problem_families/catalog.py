"""Every family, in a fixed order (the order the generator takes turns in)."""

from __future__ import annotations

from seedkit.problem_families import arithmetic, digits, mappings, parsing, sequences, text
from seedkit.problem_families.base import Family

FAMILIES: list[Family] = [*arithmetic.FAMILIES, *text.FAMILIES, *sequences.FAMILIES, *mappings.FAMILIES,
                          *digits.FAMILIES, *parsing.FAMILIES]
GROUPS = sorted({f.group for f in FAMILIES})


def family_named(name: str) -> Family:
    """The family of that name (KeyError when there is none)."""
    for f in FAMILIES:
        if f.name == name:
            return f
    raise KeyError(f"no problem family named {name!r}; families: {', '.join(f.name for f in FAMILIES)}")
