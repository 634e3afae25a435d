"""Families on the digits of integers: count or sum digits against a threshold, replace a digit, digit
sums in another base, weighted checksums, divisibility of the digit sum, keeping chosen digits."""

from __future__ import annotations

import random

from seedkit.problem_families.base import COMPARE, COMPARE_NAME, Family, Spec, family, ints, lines

FAMILIES: list[Family] = []
N = (("n", "int"),)
OPS = ["<", "<=", ">", ">=", "=="]


@family(FAMILIES, "digits")
def digits_against(rng: random.Random) -> Spec:
    op, d = rng.choice(OPS), rng.randint(1, 8)
    mode = rng.choice(["count", "sum"])
    keep = f"int(ch) {op} {d}"
    body = (f"return sum(1 for ch in str(abs(n)) if {keep})" if mode == "count"
            else f"return sum(int(ch) for ch in str(abs(n)) if {keep})")
    what = "Count the digits" if mode == "count" else "Return the sum of the digits"
    return Spec(
        name=f"{mode}_digits_{COMPARE_NAME[op]}_{d}", args=N, returns="int",
        doc=f"{what} of n (ignoring its sign) that are {COMPARE[op]} {d}.", body=lines(body), key=f"{op},{d},{mode}",
        cases=[(0,), (d,), (-d,), (int(f"{d - 1}{d}{d + 1}"),), (-int(f"{d + 1}{d}{d}{d - 1}"),), (9090,)],
        randoms=ints(rng, -99999, 99999))


@family(FAMILIES, "digits")
def replace_digit(rng: random.Random) -> Spec:
    old, new = rng.sample(range(10), 2)
    return Spec(
        name=f"replace_digit_{old}_with_{new}", args=N, returns="int",
        doc=f"Return the integer written like n with every digit {old} replaced by {new}; the sign is kept.",
        body=lines(f"return int(str(n).replace('{old}', '{new}'))"),
        key=f"{old},{new}",
        cases=[(old,), (-old - 10 * (old == 0),), (int(f"{old}1{old}") if old else 101,), (-int(f"9{old}{old}"),), (7,), (-5,), (-1,)],
        randoms=[(int(f"{rng.choice('123456789')}{rng.randint(0, 9999)}") * rng.choice([1, -1]),) for _ in range(24)])


@family(FAMILIES, "digits")
def base_digits(rng: random.Random) -> Spec:
    b = rng.randint(2, 9)
    mode = rng.choice(["sum", "nonzero", "largest"])
    step = {"sum": "    total += n % {b}", "nonzero": "    total += n % {b} != 0",
            "largest": "    total = max(total, n % {b})"}[mode].format(b=b)
    what = {"sum": "the sum of the digits", "nonzero": "how many nonzero digits there are in",
            "largest": "the largest digit of"}[mode]
    what = what + (" of" if mode == "sum" else "")
    return Spec(
        name=f"base_{b}_digit_{ {'sum': 'sum', 'nonzero': 'nonzero_count', 'largest': 'max'}[mode]}", args=N, returns="int",
        doc=f"Return {what} abs(n) written in base {b} (0 for n = 0).",
        body=lines("n = abs(n)", "total = 0", "for _ in range(n.bit_length()):", step, f"    n //= {b}", "return total"),
        key=f"{b},{mode}", cases=[(0,), (1,), (b - 1,), (b,), (b + 1,), (-(b * b - 1),), (b * b,)],
        randoms=ints(rng, -3000, 3000))


@family(FAMILIES, "digits")
def weighted_checksum(rng: random.Random) -> Spec:
    w1, w2 = rng.sample(range(1, 8), 2)
    m = rng.randint(5, 13)
    return Spec(
        name=f"checksum_{w1}_{w2}_mod_{m}", args=N, returns="int",
        doc=f"Return the remainder modulo {m} of the sum of the digits of abs(n), multiplied from the left "
            f"alternately by {w1} and {w2}.",
        body=lines(f"return sum(int(ch) * ({w1} if i % 2 == 0 else {w2}) for i, ch in enumerate(str(abs(n)))) % {m}"),
        key=f"{w1},{w2},{m}", cases=[(0,), (9,), (-12,), (98765,), (m,)], randoms=ints(rng, -999999, 999999))


@family(FAMILIES, "digits")
def digit_sum_divisible(rng: random.Random) -> Spec:
    k = rng.randint(2, 11)
    r = rng.randint(0, k - 1)
    return Spec(
        name=f"digit_sum_leaves_{r}_mod_{k}", args=N, returns="bool",
        doc=f"Return True when the sum of the digits of abs(n) leaves remainder {r} when divided by {k}, else False.",
        body=lines(f"return sum(int(ch) for ch in str(abs(n))) % {k} == {r}"), key=f"{k},{r}",
        cases=[(0,), (r,), (-r,), (r + 1,), (int("9" * 3),), (r + k if r + k < 10 else 10 + r,)],
        randoms=ints(rng, -20000, 20000))


@family(FAMILIES, "digits")
def keep_digits(rng: random.Random) -> Spec:
    op, d = rng.choice(["<", "<=", ">", ">="]), rng.randint(1, 8)
    return Spec(
        name=f"keep_digits_{COMPARE_NAME[op]}_{d}", args=N, returns="int",
        doc=f"Return the number formed by the digits of the non-negative integer n that are {COMPARE[op]} {d}, in "
            f"order (0 when none are).",
        body=lines(f"kept = ''.join(ch for ch in str(n) if int(ch) {op} {d})", "return int(kept) if kept else 0"),
        key=f"{op},{d}", cases=[(0,), (9,), (d,), (int(f"{d - 1}{d}{d + 1}"),), (int(f"{d + 1}0{d}{d - 1}9"),)],
        randoms=ints(rng, 0, 999999))
