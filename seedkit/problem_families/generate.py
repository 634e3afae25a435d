"""From families to verified, decontaminated problems.

1. **Draw**: families take turns; each member comes from ``random.Random(f"{seed}/{family}/{k}")``, so
   the same seed gives the same members. A member whose parameters (its ``key``) were drawn before is
   drawn again; a family that yields nothing new for a while is exhausted and skipped.
2. **Write**: the reference is run here on the member's boundary and random inputs. Every single-point
   mutant of the reference (``problem_checks.mutants``) runs on the same inputs; the tests are the
   boundary inputs, then greedily the inputs that kill the most surviving mutants, then random ones
   up to :data:`MIN_TESTS`, at most :data:`MAX_TESTS` in all. Expected values come from the reference.
   Bodies hold no ``while`` loop, so neither a reference nor a mutant can run forever here.
3. **Check**, in this order, each drop counted in the :class:`Summary`:
   - *text*: an entry point or instruction equal to an evaluation problem's, or an instruction or reference
     that shares a code-token n-gram with one (``problem_checks.same_text``: escapes decoded, operators kept,
     no window skipped for holding few letters);
   - *verification*: the reference must pass its tests in a child interpreter (``run_variants``);
   - *execution*: a reference that passes an evaluation problem's tests is that problem
     (``same_task_by_execution``, the references as candidates);
   - *same body*: two members with the same canonical body (``canonical_body``), or the same entry
     point, keep the first.
4. **Number**: the first ``n`` kept (in draw order) get the ids ``seedkit/gen/<family>/<i>``.
"""

from __future__ import annotations

import copy
import math
import random
import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from seedkit.measure.problem_checks import (
    NgramIndex,
    Variant,
    canonical_body,
    mutants,
    run_variants,
    same_task_by_execution,
)
from seedkit.problem_families.base import Family, Spec
from seedkit.problem_families.catalog import FAMILIES
from seedkit.problems import Problem, evaluation_problems

MIN_TESTS = 8
MAX_TESTS = 14
PATIENCE = 40  # draws in a row that repeat a key before a family counts as exhausted


@dataclass
class Summary:
    """What a generation run drew, kept and dropped, and why."""

    requested: int
    seed: int
    drawn: int = 0
    kept: dict[str, int] = field(default_factory=dict)                      # family -> problems
    contaminated_by_execution: dict[str, list[str]] = field(default_factory=dict)  # candidate -> eval ids
    contaminated_by_text: dict[str, str] = field(default_factory=dict)     # candidate -> why
    failed_verification: list[str] = field(default_factory=list)
    duplicate_bodies: list[str] = field(default_factory=list)
    exhausted: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.kept.values())

    def lines(self) -> list[str]:
        out = [f"generated {self.total} problems (asked for {self.requested}, seed {self.seed}) from "
               f"{len(self.kept)} families; {self.drawn} members drawn",
               f"dropped as contaminated by execution: {len(self.contaminated_by_execution)}",
               *(f"  {c}: passes {', '.join(ids)}" for c, ids in self.contaminated_by_execution.items()),
               f"dropped as contaminated by text: {len(self.contaminated_by_text)}",
               *(f"  {c}: {why}" for c, why in self.contaminated_by_text.items()),
               f"dropped for failing verification: {len(self.failed_verification)}",
               f"dropped as a repeated body or name: {len(self.duplicate_bodies)}"]
        if self.exhausted:
            out.append(f"families that ran out of new members: {', '.join(self.exhausted)}")
        out.append("per family: " + ", ".join(f"{f} {c}" for f, c in self.kept.items()))
        return out


@dataclass
class Generated:
    problems: list[Problem]
    summary: Summary


# --------------------------------------------------------------------------- writing one problem


def third_person(doc: str) -> str:
    """'Return the sum.' -> 'returns the sum.' (the instruction says what the function does)."""
    verb, _, rest = doc.partition(" ")
    mark = verb[len(verb.rstrip(",;:")):]
    verb = verb.rstrip(",;:").lower()
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        verb = verb[:-1] + "ies"
    elif verb.endswith(("s", "sh", "ch", "x")):
        verb += "es"
    else:
        verb += "s"
    rest = rest.replace(" and return ", " and returns ").replace("; otherwise return ", "; otherwise returns ")
    return f"{verb}{mark} {rest}"


def _call(name: str, args: tuple) -> str:
    return f"{name}({', '.join(repr(a) for a in args)})"


def _load(code: str, name: str):
    namespace: dict = {"__name__": "__generated__"}
    exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102 - code the families write, not a model's
    return namespace[name]


def _outputs(fn, inputs: Sequence[tuple]) -> list[tuple[bool, object]]:
    """(ok, value) per input: the function's result, or ok False when it raised."""
    out = []
    for args in inputs:
        try:
            out.append((True, fn(*copy.deepcopy(args))))
        except Exception:  # noqa: BLE001 - a mutant may fail any way
            out.append((False, None))
    return out


def _killers(reference: str, name: str, inputs: Sequence[tuple], expected: Sequence[object]) -> list[set[int]]:
    """For each single-point mutant of the reference: the inputs on which it differs from the reference."""
    found = []
    for _, code in mutants(reference):
        try:
            fn = _load(code, name)
        except Exception:  # noqa: BLE001 - a mutant that does not load fails every test
            found.append(set(range(len(inputs))))
            continue
        got = _outputs(fn, inputs)
        found.append({i for i, (ok, value) in enumerate(got) if not ok or not _same(value, expected[i])})
    return found


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


def choose_tests(reference: str, name: str, cases: Sequence[tuple], randoms: Sequence[tuple],
                 expected: Sequence[object]) -> list[int]:
    """Indices (into cases + randoms) of the inputs to test: every boundary case, then the inputs that kill
    the most surviving mutants, then random inputs up to MIN_TESTS; at most MAX_TESTS."""
    inputs = [*cases, *randoms]
    chosen = list(range(len(cases)))[:MAX_TESTS]
    alive = [k for k in _killers(reference, name, inputs, expected) if k and not (k & set(chosen))]
    while alive and len(chosen) < MAX_TESTS:
        counts = Counter(i for k in alive for i in k)
        best = min(counts, key=lambda i: (-counts[i], i))
        chosen.append(best)
        alive = [k for k in alive if best not in k]
    for i in range(len(cases), len(inputs)):
        if len(chosen) >= MIN_TESTS:
            break
        if i not in chosen:
            chosen.append(i)
    return sorted(chosen)


def write_problem(family: Family, spec: Spec, task_id: str) -> Problem:
    """The member as a problem in the kit's format, with tests chosen from its inputs."""
    signature = f"def {spec.name}({', '.join(f'{a}: {t}' for a, t in spec.args)}) -> {spec.returns}:\n"
    fn = _load(signature + spec.body, spec.name)
    inputs, seen = [], set()
    n_cases = 0
    for k, args in enumerate([*spec.cases, *spec.randoms]):
        if repr(args) not in seen:
            seen.add(repr(args))
            inputs.append(args)
            n_cases += k < len(spec.cases)
    results = _outputs(fn, inputs)
    bad = [inputs[i] for i, (ok, _) in enumerate(results) if not ok]
    if bad:
        raise ValueError(f"{family.name} {spec.key}: the reference raises on {bad[0]!r}")
    expected = [value for _, value in results]
    cases, randoms = inputs[:n_cases], inputs[n_cases:]
    pick = next((i for i in range(n_cases, len(inputs))
                 if expected[i] not in (0, "", [], {}, None) and (len(inputs[i]) > 1 or expected[i] != inputs[i][0])), 0)
    example = f"    >>> {_call(spec.name, inputs[pick])}\n    {expected[pick]!r}\n"
    doc = textwrap.fill(spec.doc, 96, initial_indent="    ", subsequent_indent="    ").lstrip()
    prompt = f'{signature}    """{doc}\n{example}    """\n'
    reference = prompt + spec.body
    chosen = choose_tests(reference, spec.name, cases, randoms, expected)
    tests = "def check(candidate):\n" + "".join(
        f"    assert {_call('candidate', inputs[i])} == {expected[i]!r}\n" for i in chosen)
    instruction = f"Write a Python function {spec.name}({', '.join(a for a, _ in spec.args)}) that {third_person(spec.doc)}"
    return Problem(task_id=task_id, language="python", instruction=instruction, prompt=prompt,
                   entry_point=spec.name, reference=reference, tests=tests)


# --------------------------------------------------------------------------- drawing


class _Draws:
    """Round-robin draws over families, with per-family counters, seen keys and exhaustion."""

    def __init__(self, families: Sequence[Family], seed: int) -> None:
        self.families = list(families)
        self.seed = seed
        self.tries = {f.name: 0 for f in self.families}
        self.keys: dict[str, set[str]] = {f.name: set() for f in self.families}
        self.exhausted: list[str] = []
        self.turn = 0

    def take(self, count: int) -> list[tuple[Family, Spec, str]]:
        out: list[tuple[Family, Spec, str]] = []
        while len(out) < count and len(self.exhausted) < len(self.families):
            fam = self.families[self.turn % len(self.families)]
            self.turn += 1
            if fam.name in self.exhausted:
                continue
            for _ in range(PATIENCE):
                k = self.tries[fam.name]
                self.tries[fam.name] += 1
                spec = fam.make(random.Random(f"{self.seed}/{fam.name}/{k}"))
                if spec.key not in self.keys[fam.name]:
                    self.keys[fam.name].add(spec.key)
                    out.append((fam, spec, f"seedkit/gen/{fam.name}/draw{k}"))
                    break
            else:
                self.exhausted.append(fam.name)
        return out


# --------------------------------------------------------------------------- the pipeline


def contaminated_by_execution(candidates: Sequence[Problem], evaluation: Sequence[Problem], *,
                              workers: int | None = None) -> dict[str, list[str]]:
    """Candidate task id -> the evaluation problems whose tests its reference passes
    (``same_task_by_execution``, which runs a reference only where the argument counts agree)."""
    same = same_task_by_execution([(p.task_id, p.reference) for p in candidates], evaluation, workers=workers)
    hits: dict[str, list[str]] = {}
    for task, items in same.items():
        for item in items:
            hits.setdefault(item, []).append(task)
    return {item: sorted(tasks) for item, tasks in hits.items()}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def build_problems(n: int, seed: int = 0, *, families: Sequence[Family] | None = None,
             evaluation: Sequence[Problem] | None = None, oversample: float = 1.15,
             workers: int | None = None) -> Generated:
    """``n`` verified problems (fewer only when the families run out), decontaminated against
    ``evaluation`` (default: every evaluation set, :func:`seedkit.problems.evaluation_problems`)."""
    families = list(FAMILIES if families is None else families)
    evaluation = list(evaluation_problems() if evaluation is None else evaluation)
    eval_names = {_norm(p.entry_point): p.task_id for p in evaluation}
    eval_instructions = {_norm(p.instruction): p.task_id for p in evaluation}
    eval_ngrams = NgramIndex.of(evaluation)
    summary = Summary(requested=n, seed=seed)
    draws = _Draws(families, seed)
    kept: list[tuple[str, Problem]] = []  # (family, problem)
    bodies: set[str] = set()
    names: set[str] = set()
    while len(kept) < n:
        batch = draws.take(math.ceil((n - len(kept)) * oversample) + 5)
        if not batch:
            break
        summary.drawn += len(batch)
        written = []
        for fam, spec, cid in batch:
            p = write_problem(fam, spec, cid)
            if (hit := eval_names.get(_norm(p.entry_point))) is not None:
                summary.contaminated_by_text[cid] = f"entry point {p.entry_point} is {hit}'s"
            elif (hit := eval_instructions.get(_norm(p.instruction))) is not None:
                summary.contaminated_by_text[cid] = f"instruction is {hit}'s"
            elif (shared := next(filter(None, map(eval_ngrams.check, (p.instruction, p.reference))), None)):
                summary.contaminated_by_text[cid] = f"shares '{shared[1]}' with {shared[0]}"
            else:
                written.append((fam, p))
        passed = run_variants([(p, [Variant(p.reference, p.entry_point)]) for _, p in written], workers=workers)
        verified = []
        for (fam, p), ok in zip(written, passed, strict=True):
            if ok[0]:
                verified.append((fam, p))
            else:
                summary.failed_verification.append(p.task_id)
        hits = contaminated_by_execution([p for _, p in verified], evaluation, workers=workers)
        for fam, p in verified:
            if p.task_id in hits:
                summary.contaminated_by_execution[p.task_id] = sorted(hits[p.task_id])
                continue
            body = canonical_body(p.reference) or p.reference
            if body in bodies or p.entry_point in names:
                summary.duplicate_bodies.append(p.task_id)
                continue
            bodies.add(body)
            names.add(p.entry_point)
            kept.append((fam.name, p))
    summary.exhausted = list(draws.exhausted)
    numbered: list[Problem] = []
    counts: Counter[str] = Counter()
    for fam_name, p in kept[:n]:
        numbered.append(replace(p, task_id=f"seedkit/gen/{fam_name}/{counts[fam_name]}"))
        counts[fam_name] += 1
    summary.kept = dict(sorted(counts.items()))
    return Generated(numbered, summary)


def generate_problems(n: int, seed: int = 0) -> list[Problem]:
    """``n`` verified, decontaminated training problems from the families; the same seed gives the same list."""
    return build_problems(n, seed).problems
