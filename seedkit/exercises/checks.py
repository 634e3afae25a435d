"""The exercises' checks: each reads a participant's result and says in one line whether it shows
what it should, with the expected range and why (:class:`CheckResult`).

A check recomputes what it expects from the inputs it is given (the notebook's own objects or the
participant's numbers), so it holds for any run and any profile; only quantities that move on
``tiny`` are read (no pass@1).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from seedkit.curation import dedup
from seedkit.dpo.pairs import score_answers
from seedkit.formats import parse_trace
from seedkit.llm_filter.rubric import parse_rating
from seedkit.longcot_rl.rewards import execution_outcomes, format_score
from seedkit.measure.metrics import pass_at_k
from seedkit.measure.stats import bootstrap_interval, paired_difference
from seedkit.pretraining.fim import FimSplit, fim_pieces


@dataclass(frozen=True)
class CheckResult:
    """A check's verdict; its text (the notebook shows its repr) is the one line."""

    exercise_id: str
    ok: bool
    detail: str

    @property
    def line(self) -> str:
        return f"{'PASS' if self.ok else 'NOT YET'} {self.exercise_id}: {self.detail}"

    def __repr__(self) -> str:
        return self.line

    __str__ = __repr__


def _catch(jaccard: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - jaccard**rows) ** bands


def lsh_catch(bands: int, rows: int, positions: int = 112) -> CheckResult:
    """01-1: bands x rows within the signature's positions that catch Jaccard 0.7 at least 90% of the time."""
    bands, rows = int(bands), int(rows)
    if bands < 1 or rows < 1:
        raise ValueError(f"bands={bands}, rows={rows}: both must be at least 1")
    p7, p4 = _catch(0.7, bands, rows), _catch(0.4, bands, rows)
    ok = bands * rows <= positions and p7 >= 0.9
    return CheckResult("01-1", ok, (
        f"{bands} x {rows} = {bands * rows} positions, P(caught | J=0.7) = {p7:.2f}, P(candidate | J=0.4) = {p4:.2f}; "
        f"expected P(J=0.7) >= 0.90 within {positions} positions: the curve's threshold (1/bands)^(1/rows) = "
        f"{(1 / bands) ** (1 / rows):.2f} must sit below 0.7, so fewer rows per band (the price: more look-alike "
        f"pairs compared)"))


def missed_near_copy(a_text: str, b_text: str, settings: Any) -> CheckResult:
    """01-2: an edited copy still mostly the same file (Jaccard >= 0.5) that near dedup does not cluster."""
    n, bands, rows = settings.shingle_ngram, settings.lsh_bands, settings.lsh_rows
    true = dedup.jaccard(a_text, b_text, n)
    sig, valid = dedup.signatures_of([a_text, b_text], n, bands * rows, settings.minhash_seed)
    caught = dedup.lsh_clusters(sig, bands, rows, settings.near_dup_min_jaccard, valid)[1] == 0
    ok = 0.5 <= true and not caught
    return CheckResult("01-2", ok, (
        f"true Jaccard {true:.3f}, near dedup {'clusters' if caught else 'misses'} the pair; expected Jaccard "
        f"0.5 or more (over half the shingles shared) and missed: an edit breaks every {n}-word shingle it "
        f"touches, so a few well-placed renames push the pair below the S-curve's threshold"))


def answer_formats(answers: dict[str, str]) -> CheckResult:
    """02-1: three oracle answers: one read as 10, one whose rating is out of range, one without a rating."""
    got = {k: parse_rating(answers[k]) for k in ("ten", "out_of_range", "unparseable")}
    ok = (got["ten"].score == 10.0 and got["out_of_range"].score is None and "outside" in got["out_of_range"].reason
          and got["unparseable"].score is None and "no 'Rating" in got["unparseable"].reason)
    seen = "; ".join(f"{k}: {v.score if v.score is not None else v.reason}" for k, v in got.items())
    return CheckResult("02-1", ok, (
        f"{seen}; expected 10.0, then a rating outside 0-10, then no rating at all: both of the last two are "
        f"unparseable (score None), kept out of training and never counted as 0, which means config or data"))


def mean_baseline(target: Sequence[float], constant: float, baseline_mse: float, head_mse: float) -> CheckResult:
    """02-2: the constant that minimises the batch's MSE is the mean target; its MSE is their variance."""
    t = [float(x) for x in target]
    mean, var = statistics.fmean(t), statistics.pvariance(t)
    ok = math.isclose(float(constant), mean, abs_tol=1e-9) and math.isclose(float(baseline_mse), var, abs_tol=1e-12)
    verdict = "beats" if head_mse < var else "does not beat"
    return CheckResult("02-2", ok, (
        f"constant {float(constant):.6f}, its MSE {float(baseline_mse):.3g}; expected the mean target {mean:.6f} and "
        f"MSE = the targets' variance {var:.3g}: squared error is smallest at the mean. The trained head "
        f"({head_mse:.3g}) {verdict} it"))


def psm_order(psm: Sequence[Any], prefix: str, middle: str, suffix: str, fim: Any) -> CheckResult:
    """03-1: the same split in prefix-suffix-middle order."""
    want = fim_pieces(FimSplit(prefix, middle, suffix), fim, "psm")
    ok = list(psm) == want
    return CheckResult("03-1", ok, (
        f"{'your pieces are' if ok else 'your pieces are not'} PSM; expected <prefix> prefix <suffix> suffix "
        f"<middle> middle (fim_pieces(..., 'psm')): in PSM the token before the middle follows the suffix, in SPM "
        f"it follows the prefix, the text the middle continues"))


def _split_documents(docs: Sequence[Sequence[int]], block: int) -> int:
    start, split = 0, 0
    for d in docs:
        end = start + len(d) + 1  # the document and its end-of-text
        split += start // block != (end - 1) // block
        start = end
    return split


def half_context(docs: Sequence[Sequence[int]], length: int, half: int, n_blocks: int, n_split: int) -> CheckResult:
    """03-2: blocks and documents cut across two blocks at half the context."""
    want_half = length // 2
    stream = sum(len(d) + 1 for d in docs)
    want_blocks, want_split = math.ceil(stream / want_half), _split_documents(docs, want_half)
    ok = half == want_half and n_blocks == want_blocks and n_split == want_split
    return CheckResult("03-2", ok, (
        f"block {half}: {n_blocks} blocks, {n_split} documents split; expected block {want_half}: {want_blocks} "
        f"blocks and {want_split} of {len(docs)} documents split (a document longer than the rest of its block "
        f"continues in the next; its end-of-text still marks where it stops)"))


def uniform_loss(uniform: float, vocab_size: int, model_loss: float) -> CheckResult:
    """03-3: the next-token loss of a model that gives every token the same probability is ln V."""
    want = math.log(vocab_size)
    ok = math.isclose(float(uniform), want, abs_tol=1e-3)
    return CheckResult("03-3", ok, (
        f"your uniform loss {float(uniform):.4f}; expected ln({vocab_size}) = {want:.4f} nats/token: -log(1/V) at "
        f"every position. Stage 1's model: {model_loss:.4f}, {'below' if model_loss < want else 'not below'} it"))


def unmasked_loss(log_probs: Any, ids: Sequence[int], loss_all_tokens: float, loss_answer: float) -> CheckResult:
    """04-1: the mean cross-entropy over every token (no -100), from the same log-probabilities."""
    targets = list(ids[1:])
    want = -statistics.fmean(float(log_probs[t][tok]) for t, tok in enumerate(targets))
    ok = math.isclose(float(loss_all_tokens), want, rel_tol=1e-4, abs_tol=1e-5)
    return CheckResult("04-1", ok, (
        f"your loss over all tokens {float(loss_all_tokens):.4f}; expected {want:.4f} (the mean over all "
        f"{len(targets)} predicted tokens), beside {loss_answer:.4f} on the answer only: without -100 the model "
        f"is also trained to write the prompt, the chat template's text included"))


def biggest_filter(funnel: Sequence[Any], answer: str | None) -> CheckResult:
    """04-2: the rule filter that removed the most candidates."""
    most = max((row.removed for row in funnel), default=0)
    best = [row.step for row in funnel if row.removed == most and most > 0] or ["none"]
    ok = answer in best
    return CheckResult("04-2", ok, (
        f"your answer {answer!r}; expected {' or '.join(map(repr, best))} ({most} removed): the funnel's "
        f"'removed' column. A weak generator's items fail parse first; a strong one's fail dedup or decontam"))


def dpo_loss(loss: Callable[..., float], at_reference: float, beta: float) -> CheckResult:
    """05-1: DPO's loss of one pair from its four log-probabilities, and its value at the reference."""
    cases = [(-20.0, -21.0, -30.0, -29.0), (-5.0, -5.0, -9.0, -7.5), (-40.0, -35.0, -12.0, -12.5)]
    want = [math.log1p(math.exp(-beta * ((pc - rc) - (pr - rr)))) for pc, rc, pr, rr in cases]
    got = [float(loss(*c, beta)) for c in cases]
    ok = all(math.isclose(g, w, rel_tol=1e-6) for g, w in zip(got, want, strict=True)) \
        and math.isclose(float(at_reference), math.log(2), rel_tol=1e-6)
    return CheckResult("05-1", ok, (
        f"your loss on 3 pairs {[round(g, 4) for g in got]} (expected {[round(w, 4) for w in want]}), at the "
        f"reference {float(at_reference):.4f}; expected ln 2 = 0.6931 there: margin 0, -log sigmoid(0), the loss of "
        f"every pair at DPO's first step, when the policy is still the reference"))


def beta_gap(gap: float, beta: float) -> CheckResult:
    """05-2: the log-ratio gap at which DPO's loss falls to 0.1, for this beta."""
    loss = math.log1p(math.exp(-beta * float(gap)))
    exact = math.log(1 / math.expm1(0.1)) / beta
    ok = 0.098 <= loss <= 0.1 + 1e-9
    return CheckResult("05-2", ok, (
        f"gap {float(gap):.2f} nats -> loss {loss:.4f}; expected 0.098-0.100, at a gap of about {exact:.1f} nats "
        f"(beta {beta:g}): the loss sees beta x gap, so the smaller beta, the further the policy's log-ratios "
        f"must move to satisfy it"))


def pairs_hold(pairs: Sequence[Any], tasks: Sequence[Any], checked_pairs: Sequence[tuple[bool, bool]]) -> CheckResult:
    """05-3: every pair run again in the sandbox: (chosen passed, rejected passed) per pair."""
    got = [(bool(c), bool(r)) for c, r in checked_pairs]
    if len(got) != len(pairs) or not pairs:  # nothing to compare yet: no sandbox run for an untouched cell
        return CheckResult("05-3", False, (
            f"{len(got)} pairs checked; expected one (chosen passed, rejected passed) for each of the run's "
            f"{len(pairs)} pairs" + ("" if pairs else " (this run has no pairs to check)")))
    by_id = {t.task_id: t for t in tasks}
    runs = score_answers([by_id[p.task_id] for p in pairs], [[p.chosen, p.rejected] for p in pairs])
    want = [(bool(o[0].passed), bool(o[1].passed)) for o in runs]
    hold = sum(c and not r for c, r in want)
    ok = got == want
    return CheckResult("05-3", ok, (
        f"{len(got)} pairs checked, {sum(a == b for a, b in zip(got, want, strict=False))} as the sandbox finds them; "
        f"expected all {len(want)} pairs run again, {hold} of them holding (chosen passes, rejected fails): "
        f"a pair that does not hold would teach DPO the wrong preference"))


def reward_split(format_only: str, exec_only: str, tests: Sequence[str], weights: Sequence[float]) -> CheckResult:
    """06-1: one completion with format 1 and execution 0, one with execution 1 and format below 0.5."""
    codes = [parse_trace(t).code for t in (format_only, exec_only)]
    execution = [o.reward for o in execution_outcomes(codes, [list(tests)] * 2)]
    fmt = [format_score(format_only), format_score(exec_only)]
    ok = fmt[0] == 1.0 and execution[0] == 0.0 and execution[1] == 1.0 and fmt[1] < 0.5
    totals = [weights[0] * e + weights[1] * f for e, f in zip(execution, fmt, strict=True)]
    prefer = "the working code" if totals[1] > totals[0] else "the layout" if totals[0] > totals[1] else "neither"
    return CheckResult("06-1", ok, (
        f"format-only: format {fmt[0]:.2f}, execution {execution[0]:.2f}; execution-only: format {fmt[1]:.2f}, "
        f"execution {execution[1]:.2f}; expected 1/0 and below 0.5/1. Weighted (without parse) "
        f"{totals[0]:.2f} vs {totals[1]:.2f}: these weights prefer {prefer}"))


def _advantages(rewards: Sequence[float]) -> list[float]:
    mean, std = statistics.fmean(rewards), statistics.stdev(rewards)
    return [(r - mean) / (std + 1e-4) for r in rewards]


def group_advantages(group_advantages: Callable[[list[float]], Sequence[float]], num_generations: int) -> CheckResult:
    """06-2: GRPO's group-relative advantages (TRL's scale_rewards='group', std with Bessel's correction)."""
    g = max(2, int(num_generations))
    groups = [[0.5] * g, [1.0] + [0.0] * (g - 1), [0.1 * i for i in range(g)]]
    ok = all(all(math.isclose(float(x), y, abs_tol=1e-6) for x, y in zip(group_advantages(grp), _advantages(grp),
                                                                           strict=True)) for grp in groups)
    lone = _advantages(groups[1])
    return CheckResult("06-2", ok, (
        f"your advantages for a lone success among {g}: {[round(float(x), 3) for x in group_advantages(groups[1])]}; "
        f"expected {[round(x, 3) for x in lone]} and all 0 for a flat group: (r - mean) / (std + 1e-4), so a group "
        f"whose completions score alike gives no gradient"))


def unbiased_pass_at_k(n: int, c: int, k: int, estimate: float) -> CheckResult:
    """07-1: the unbiased pass@k estimator, for a case where it differs from 1 - (1 - c/n)^k."""
    want, biased = pass_at_k(n, c, k), 1 - (1 - c / n) ** k
    differs = 0 < c < n and 1 < k <= n
    ok = differs and math.isclose(float(estimate), want, abs_tol=1e-9)
    return CheckResult("07-1", ok, (
        f"n={n}, c={c}, k={k}: your estimate {float(estimate):.4f}; expected 1 - C(n-c,k)/C(n,k) = {want:.4f} "
        f"(1 - (1-c/n)^k gives {biased:.4f}: it draws with replacement, as if the n answers were endless)"
        + ("" if differs else "; choose 0 < c < n and 1 < k <= n, where the two differ")))


def paired_beats_separate(child: Sequence[float], parent: Sequence[float]) -> CheckResult:
    """07-2: per-problem rates whose paired difference is resolved while the separate intervals overlap."""
    if len(child) != len(parent):
        raise ValueError(f"child has {len(child)} problems, parent {len(parent)}: give one rate per problem to each")
    a = {str(i): float(x) for i, x in enumerate(child)}
    b = {str(i): float(x) for i, x in enumerate(parent)}
    diff = paired_difference(a, b)
    ca, cb = bootstrap_interval(a.values()), bootstrap_interval(b.values())
    overlap = ca.lo <= cb.hi and cb.lo <= ca.hi
    ok = diff.lo > 0 and overlap
    return CheckResult("07-2", ok, (
        f"paired difference {diff.mean:+.3f} [{diff.lo:+.3f}, {diff.hi:+.3f}], separate intervals child "
        f"[{ca.lo:.2f}, {ca.hi:.2f}] and parent [{cb.lo:.2f}, {cb.hi:.2f}] {'overlap' if overlap else 'do not overlap'}; "
        f"expected a paired interval above 0 while the separate ones overlap: pairing removes the spread of "
        f"problem difficulty both models share"))


CHECKS: dict[str, Callable[..., CheckResult]] = {
    "01-1": lsh_catch, "01-2": missed_near_copy,
    "02-1": answer_formats, "02-2": mean_baseline,
    "03-1": psm_order, "03-2": half_context, "03-3": uniform_loss,
    "04-1": unmasked_loss, "04-2": biggest_filter,
    "05-1": dpo_loss, "05-2": beta_gap, "05-3": pairs_hold,
    "06-1": reward_split, "06-2": group_advantages,
    "07-1": unbiased_pass_at_k, "07-2": paired_beats_separate,
}
