"""Families on one or two integers: affine maps, piecewise rules, clamps, rounding, sums over ranges."""

from __future__ import annotations

import random

from seedkit.problem_families.base import (
    COMPARE,
    Family,
    Spec,
    family,
    ints,
    lines,
    num,
    plus,
    plus_name,
    plus_words,
)

FAMILIES: list[Family] = []
N = (("n", "int"),)


@family(FAMILIES, "arithmetic")
def affine(rng: random.Random) -> Spec:
    a = rng.choice([x for x in range(-9, 13) if x not in (-1, 0, 1)])
    b = rng.randint(-20, 20)
    return Spec(
        name=f"times_{num(a)}{plus_name(b)}", args=N, returns="int",
        doc=f"Return n multiplied by {a}{plus_words(b)}.",
        body=lines(f"return {a} * n{plus(b)}"), key=f"{a},{b}",
        cases=[(0,), (1,), (-1,)], randoms=ints(rng, -50, 50))


@family(FAMILIES, "arithmetic")
def piecewise(rng: random.Random) -> Spec:
    op = rng.choice(["<", "<="])
    while True:
        t, a, b = rng.randint(-10, 12), rng.randint(2, 6), rng.randint(1, 20)
        if t * a != t + b and (t + 1) * a != t + 1 + b and (t - 1) * a != t - 1 + b:
            break
    return Spec(
        name=f"scale_{'below' if op == '<' else 'up_to'}_{num(t)}_by_{a}_else_add_{b}", args=N, returns="int",
        doc=f"Return n times {a} when n is {COMPARE[op]} {t}; otherwise return n plus {b}.",
        body=lines(f"if n {op} {t}:", f"    return n * {a}", f"return n + {b}"), key=f"{op},{t},{a},{b}",
        cases=[(t - 1,), (t,), (t + 1,), (0,)], randoms=ints(rng, t - 20, t + 20))


@family(FAMILIES, "arithmetic")
def clamp_between(rng: random.Random) -> Spec:
    lo = rng.randint(-12, 6)
    hi = lo + rng.randint(2, 16)
    return Spec(
        name=f"clamp_{num(lo)}_to_{num(hi)}", args=N, returns="int",
        doc=f"Return n limited to the range {lo} to {hi}: smaller values become {lo}, larger ones {hi}.",
        body=lines(f"return max({lo}, min({hi}, n))"), key=f"{lo},{hi}",
        cases=[(lo - 1,), (lo,), (lo + 1,), (hi - 1,), (hi,), (hi + 1,)], randoms=ints(rng, lo - 15, hi + 15))


@family(FAMILIES, "arithmetic")
def sum_of_multiples_below(rng: random.Random) -> Spec:
    k, m = sorted(rng.sample(range(2, 10), 2))
    joiner = rng.choice(["or", "and"])
    words = "either" if joiner == "or" else "both"
    return Spec(
        name=f"sum_below_n_multiples_of_{k}_{joiner}_{m}", args=N, returns="int",
        doc=f"Return the sum of the non-negative integers below n that are multiples of {words} {k} {joiner} {m}.",
        body=lines(f"return sum(i for i in range(n) if i % {k} == 0 {joiner} i % {m} == 0)"), key=f"{k},{m},{joiner}",
        cases=[(0,), (1,), (k,), (k + 1,), (m + 1,), (k * m,), (k * m + 1,)], randoms=ints(rng, 0, 80))


@family(FAMILIES, "arithmetic")
def count_remainder_between(rng: random.Random) -> Spec:
    k = rng.randint(2, 12)
    r = rng.randint(0, k - 1)
    randoms = []
    for _ in range(24):
        a = rng.randint(-20, 30)
        randoms.append((a, a + rng.randint(-2, 30)))
    return Spec(
        name=f"count_remainder_{r}_mod_{k}_between", args=(("a", "int"), ("b", "int")), returns="int",
        doc=f"Count the integers i with a <= i <= b whose remainder when divided by {k} is {r}.",
        body=lines(f"return sum(1 for i in range(a, b + 1) if i % {k} == {r})"), key=f"{k},{r}",
        cases=[(0, 0), (r, r), (5, 4), (r - 1, r + k), (r + 1, r + k - 1), (-k, k)], randoms=randoms)


@family(FAMILIES, "arithmetic")
def quadratic(rng: random.Random) -> Spec:
    a, b, c = rng.choice([x for x in range(-4, 6) if x not in (0, 1)]), rng.randint(-9, 9), rng.randint(-9, 9)
    expr = f"{a} * x * x" + (f"{plus(b)} * x" if b else "") + plus(c)
    return Spec(
        name=f"quadratic_{num(a)}_{num(b)}_{num(c)}", args=(("x", "int"),), returns="int",
        doc=f"Return {expr}.", body=lines(f"return {expr}"), key=f"{a},{b},{c}",
        cases=[(0,), (1,), (-1,), (2,)], randoms=ints(rng, -12, 12))


@family(FAMILIES, "arithmetic")
def round_to_multiple(rng: random.Random) -> Spec:
    k = rng.randint(2, 30)
    mode = rng.choice(["down", "up", "nearest"])
    body = {"down": f"return n - n % {k}", "up": f"return -(-n // {k}) * {k}",
            "nearest": f"return (n + {k // 2}) // {k} * {k}"}[mode]
    doc = {"down": f"Return the largest multiple of {k} that is at most n.",
           "up": f"Return the smallest multiple of {k} that is at least n.",
           "nearest": f"Return the multiple of {k} nearest to n; halfway values round up."}[mode]
    half = k // 2
    return Spec(
        name=f"round_{mode}_to_multiple_of_{k}", args=N, returns="int", doc=doc, body=lines(body), key=f"{k},{mode}",
        cases=[(0,), (k,), (k - 1,), (k + 1,), (-1,), (half,), (half - 1,), (half + 1,), (-k - 1,)], randoms=ints(rng, -4 * k, 4 * k))


@family(FAMILIES, "arithmetic")
def surcharge_above(rng: random.Random) -> Spec:
    t = rng.randrange(10, 205, 5)
    p = rng.randint(5, 60)
    fee = rng.randint(1, 9)
    return Spec(
        name=f"charge_{fee}_plus_{p}_percent_over_{t}", args=(("amount", "int"),), returns="int",
        doc=f"Return amount unchanged when it is at most {t}; above {t}, add a fee of {fee} and {p} percent of "
            f"the part over {t} (rounded down).",
        body=lines(f"if amount <= {t}:", "    return amount", f"return amount + {fee} + (amount - {t}) * {p} // 100"),
        key=f"{t},{p},{fee}", cases=[(0,), (t - 1,), (t,), (t + 1,), (t + 100,)], randoms=ints(rng, 0, 3 * t + 200))


@family(FAMILIES, "arithmetic")
def step_rule(rng: random.Random) -> Spec:
    k, a, b = rng.randint(2, 6), rng.randint(2, 7), rng.randint(-3, 9)
    return Spec(
        name=f"next_term_div_{k}_else_times_{a}{plus_name(b)}", args=N, returns="int",
        doc=f"Return n divided by {k} when n is a multiple of {k}; otherwise return {a} * n{plus(b)}.",
        body=lines(f"if n % {k} == 0:", f"    return n // {k}", f"return {a} * n{plus(b)}"), key=f"{k},{a},{b}",
        cases=[(0,), (k,), (k + 1,), (k - 1,), (2 * k,), (-k,)], randoms=ints(rng, -30, 60))
