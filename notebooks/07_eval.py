# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: seedkit (.venv)
#     language: python
#     name: seedkit
# ---

# %% [markdown]
# # 07 · Evaluation: every model of the chain beside its parent, with intervals
#
# **What the report did.** Seed-Coder's 8B base, instruct and reasoning models were measured on a
# wide battery: HumanEval and HumanEval+ (164 hand-written Python problems), MBPP(+), MultiPL-E,
# LiveCodeBench, BigCodeBench, FullStack Bench, SWE-bench and more. Code is scored by **running**
# it against unit tests; headline numbers are pass@1 (the instruct model is reported in the mid-80s
# on HumanEval). At 8B parameters and hundreds of problems per benchmark, differences of a few
# points between models are real.
#
# **What this notebook does at small scale.** A 135M model on a laptop cannot afford hundreds of
# greedy HumanEval answers per model, and HumanEval is mostly too hard for it: one greedy sample on
# a few of its problems scores nearly every model zero and cannot tell them apart. So this notebook
# measures the way a small experiment has to:
#
# | | report | `smol` (default) | `tiny` (tests, CI) |
# |---|---|---|---|
# | models | base, instruct, reasoning (8B) | packaged SmolLM2-135M-Instruct (the base) and each stage's model: 03, 04, 05, 06 | stage 03's 1M-parameter model (the root) and each later one |
# | main problem set | HumanEval, MBPP, ... | the **basic tier** (`data_samples/problems/basic.jsonl`: function-level Python and JavaScript problems within a 135M model's reach, never trained on) | its first 6 |
# | samples | 1 greedy | **5 per problem at temperature 0.6** (48 basic problems spread over the set): a problem solved 2 times in 5 counts 0.4 | 2, 24 tokens |
# | HumanEval | all 164 | left out (`humaneval_limit = 0`: a 135M model solves next to none; set 164 to see it) | 2 |
# | uncertainty | (rarely shown) | **95% bootstrap interval** over problems for every pass@1, and the **paired difference** between each model and its parent | same |
#
# Each training stage already measured its own model and its parent on the basic tier with the same
# settings (`seedkit.measure.effects`, saved under `<stage>/effects/`): this notebook reuses those
# measurements instead of generating again, adds HumanEval where asked, and puts the whole chain in one
# table.
#
# **Learning objectives**
# 1. Read pass@1 with its interval, and know what a percentile bootstrap over problems says.
# 2. Compare two models by their **paired** difference on the same problems, and see why pairing
#    resolves differences that two separate intervals cannot.
# 3. Know why each model is asked in the format it was trained on (completion, chat, reasoning),
#    and what a change of format does to a comparison.
# 4. Read a per-problem grid (which problems moved between parent and child) and tell failure kinds
#    apart (wrong answer, syntax error, no implementation, runtime error, timeout).
# 5. Compute pass@k with the unbiased estimator and a paired bootstrap interval by hand, and check
#    both against `seedkit.measure`.

# %% tags=["parameters"]
profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol
run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the profile's
eval_limit = None
eval_samples = None
eval_temperature = None
prompt_format = None
parent_in_child_format = None
humaneval_limit = None
extra_models = None
# 16 more settings come from the profile: settings.describe(every=True) lists them; set one with a line here or seedkit run -p NAME=VALUE

# %%
from itertools import combinations
from math import fsum, isclose

import matplotlib.pyplot as plt
import numpy as np

from seedkit.eval.plots import (
    failure_browser,
    plot_chain,
    plot_effects,
    plot_problem_grid,
    print_failures,
)
from seedkit.eval.settings import EvalSettings
from seedkit.eval.stage import (
    assemble,
    begin,
    chain_lines,
    finish,
    markdown_rows,
    measure_parent_in_child_format,
    measure_set,
)
from seedkit.formats import chat_messages, reasoning_messages_for
from seedkit.measure.metrics import pass_at_k
from seedkit.measure.stats import DEFAULT_RESAMPLES, bootstrap_interval, paired_difference
from seedkit.problems import load_problem_set

# %%
settings = EvalSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## 1. The plan: which models, and which model each one started from
#
# Stage 03 continues to pretrain the base on the curated code; 04 fine-tunes 03 on synthetic
# instructions; 05 aligns 04 with DPO; 06 warms 03 up on reasoning traces and trains it with RL
# (the report's reasoning model starts from the base model, not the instruct one). Each stage's
# manifest names its parent; the arrows below are read from there.

# %%
stage = begin(settings)
for p in stage.plans:
    print(f"{p.label:15s} parent {p.parent or '(root)':15s} {p.spec}  ({p.why})")
for label, why in stage.skipped.items():
    print(f"{'(skipped)':15s} {label}: {why}")
print("\n".join(chain_lines(stage.plans)))
plot_chain(stage.plans)
plt.show()

# %% [markdown]
# *What you should see:* one line per model with its parent and where it was loaded from, the models
# left out and why, and the chain drawn as a tree.

# %% [markdown]
# **How each model is asked.** A base model *continues* the prompt (signature and docstring); a
# chat model gets the instruction in its chat template and answers in a code fence (its answer is
# started with the fence, so no tokens go to prose); stage 06's reasoning model gets its own user
# turn and thinks inside `<think>...</think>` before one code block. Asking a model in a format it
# was not trained on measures the format, not the model.

# %%
sets = stage.sets
problems = load_problem_set(settings.eval_set)[: settings.eval_limit or None]
langs = {lang: sum(p.language == lang for p in problems) for lang in sorted({p.language for p in problems})}
print(f"evidence set {settings.eval_set!r}: {len(problems)} problems {langs}, {settings.eval_samples} samples each at "
      f"temperature {settings.eval_temperature}, up to {settings.eval_max_new_tokens} new tokens")
print(f"problem sets measured: {sets}")
example = problems[0]
print("\n--- completion (base models) ---\n" + example.prompt)
print("--- chat (instruct, SFT, DPO models): the user turn ---\n" + chat_messages(example)[0]["content"])
print("\n--- reasoning (stage 06): the user turn ---\n" + reasoning_messages_for(example)[0]["content"])

# %% [markdown]
# *What you should see:* the evidence set's size, samples and temperature, then one problem asked in
# the three formats.

# %% [markdown]
# ## 2. Measure every model on the evidence set
#
# For each model, `measure_set` (`measure_model` for each model of the plan) first looks for a
# measurement of the **same weights** with the **same settings** (the key is a hash of the saved
# weights, the settings, the prompt format and the problems) in this stage and in the stages' own
# `effects/`: stage 03 measured the base and itself, 04 measured 03 (reused from 03) and itself, and
# so on. Only a model nobody measured is generated for. A rerun of this cell, or a restarted kernel, reads the files back; so does a redone stage
# (`force=True` redoes the table, not the answers: delete `07_eval/effects/` to generate them again).

# %%
evidence = measure_set(stage, sets[0])
for label, c in evidence.counts.items():
    print(f"{label:15s} {c.line()}")

# %% [markdown]
# *What you should see:* one line per model: pass@1 with its interval, mostly reused from the
# stages' own measurements (the log says which).

# %% [markdown]
# ## 3. Measure every model on HumanEval
#
# The field's yardstick, beside the basic tier: the first `humaneval_limit` problems with
# `humaneval_samples` sample(s). `smol` leaves it out (`humaneval_limit = 0`): its 135M models solve
# next to none of HumanEval, and a few greedy problems give an interval too wide to tell models
# apart for minutes of the pipeline's time (the settings' help, `settings.describe()`, cites the
# measurement). Set `humaneval_limit = 164` to see it anyway; the basic tier is where stage
# differences are resolved.

# %%
measured = [evidence] + [measure_set(stage, s) for s in sets[1:]]
print("measured on:", [m.set_name for m in measured])

# %% [markdown]
# *What you should see:* the problem sets measured: HumanEval too when `humaneval_limit` is above 0.

# %% [markdown]
# ## 4. The table
#
# One row per model and problem set: pass@1 with its 95% interval, the paired difference to the
# parent with its interval, the share of samples whose program parsed (syntax valid), whose answer
# implemented the function itself (entry point; otherwise the prompt's empty stub was what the
# tests called), and the mean fraction of tests passed (partial credit: each assertion of `check`
# is run on its own).

# %% [markdown]
# **A change of format is not a change of weights.** On `smol` the base is an instruct model, asked
# in chat; stage 03 turns it into a base model, asked to continue the prompt. Their difference mixes
# what pretraining did with what the format does. Where a stage measured the parent in its child's
# format as well (stage 03 does), the table shows that difference too (`parent_in_child_format`).
#
# **Many comparisons, one run.** Each interval speaks for its own comparison; the run makes five or
# six. With six comparisons and no real effect, one of them still looks resolved in about a quarter
# of runs, so the column *resolved over the run (Holm)* adjusts them together (Holm's step-down on
# the paired-bootstrap p-values; `result.family_verdicts(set_name)`). Beside the noise floor, the
# table gives the size of a true difference these sample sizes would catch 80% of the time.

# %%
same_format = measure_parent_in_child_format(stage, measured)
for s_name, by_child in same_format.counts.items():
    for child, parent_counts in by_child.items():
        print(f"{s_name}: {child}'s parent asked in {parent_counts.prompt_format}: {parent_counts.line()}")

# %% [markdown]
# *What you should see:* each parent asked in its child's format, with pass@1 and its interval.

# %%
result = assemble(stage, measured, same_format)
try:
    from IPython.display import Markdown, display

    display(Markdown(markdown_rows(result)))
except ImportError:
    print(markdown_rows(result))

# %% [markdown]
# *What you should see:* the table: one row per model and set, pass@1 and the paired difference to
# the parent with intervals, Holm's verdict, the noise floor and the failure shares.

# %% [markdown]
# ## 5. The two objectives of evaluation, by hand
#
# **pass@k, unbiased.** A model answers a problem n times and c answers pass. pass@k is the chance
# that at least one of k answers passes; drawing k of the n answers without replacement, it is the
# share of the C(n, k) subsets of answers that hold at least one passing answer, which equals
# `1 - C(n-c, k) / C(n, k)` (Chen et al., 2021: unbiased, unlike `1 - (1 - c/n)^k`). pass@1 is
# simply `c / n`. Below: every subset counted for the problem whose answers were most mixed, checked
# against `seedkit.measure.metrics.pass_at_k` for every k up to n.

# %%
first = evidence.counts[stage.plans[0].label]
task_id, one = max(first.problems.items(), key=lambda item: min(item[1].c, item[1].n - item[1].c))
passed = [True] * one.c + [False] * (one.n - one.c)  # which of the n answers passed (their order does not matter)
for k in range(1, one.n + 1):
    subsets = list(combinations(range(one.n), k))
    by_hand = sum(any(passed[i] for i in subset) for subset in subsets) / len(subsets)
    assert isclose(by_hand, pass_at_k(one.n, one.c, k), abs_tol=1e-12), (k, by_hand)
    print(f"{stage.plans[0].label} on {task_id}: n={one.n}, c={one.c}, pass@{k} = {by_hand:.3f} "
          f"({len(subsets)} subsets of {k}; seedkit.measure.metrics.pass_at_k agrees)")

# %% [markdown]
# *What you should see:* one line per k: the subsets counted by hand and the same pass@k as the
# library.

# %% [markdown]
# **The paired difference and its interval.** A model's pass@1 is the mean of its per-problem
# pass@1. Its interval is a **percentile bootstrap over problems**: draw as many problems as there
# are, with replacement, 10,000 times; the interval holds the middle 95% of the resampled means.
# The **paired** difference does the same on the per-problem differences `child - parent`: both
# models are judged on the same drawn problems, so the problem-to-problem spread in difficulty,
# which both share, cancels out. Written out for the first model with a parent, with the same seeded
# generator as `seedkit.measure.stats` (so the same draws), and asserted equal to `paired_difference`:

# %%
for line in result.difference_lines():
    print(line)
# and where the chain ends against where it started: each post-trained model minus the packaged model
for line in result.against_root_lines():
    print(line)
pair = next(((p.label, p.parent) for p in stage.plans if p.parent in evidence.counts), None)
if pair is not None:
    child, parent = (evidence.counts[x] for x in pair)
    a, b = child.per_problem_pass_at_k(1), parent.per_problem_pass_at_k(1)
    diffs = np.array([a[t] - b[t] for t in a if t in b])  # one value per problem both have
    mean = fsum(diffs) / len(diffs)
    rng = np.random.default_rng(0)  # seeded: the same data always print the same interval
    block = max(1, 2_000_000 // len(diffs))  # resamples per draw: the library's blocks, so the same random numbers
    drawn = np.concatenate([rng.integers(0, len(diffs), size=(min(block, DEFAULT_RESAMPLES - start), len(diffs)))
                            for start in range(0, DEFAULT_RESAMPLES, block)])  # row r: the problems resample r drew
    resampled = diffs[drawn].mean(axis=1)
    lo, hi = np.quantile(resampled, [0.025, 0.975])
    lo, hi = min(lo, mean), max(hi, mean)  # the mean inside its own interval (all differences equal: zero width)
    library = paired_difference(child, parent)
    assert library.n_problems == len(diffs)
    assert all(isclose(x, y, abs_tol=1e-12) for x, y in ((mean, library.mean), (lo, library.lo), (hi, library.hi)))
    print(f"\nby hand: {pair[0]} - {pair[1]} = {mean:+.3f} [{lo:+.3f}, {hi:+.3f}] over {len(diffs)} problems")
    print(f"seedkit.measure.stats.paired_difference: {library}")
    separate = [bootstrap_interval(x.values()) for x in (a, b)]
    print(f"separate intervals: {pair[0]} {separate[0]}, {pair[1]} {separate[1]} (half widths "
          f"{separate[0].half_width:.3f} and {separate[1].half_width:.3f}; the paired difference's: {(hi - lo) / 2:.3f}). "
          "Each separate interval carries the spread of problem difficulty that pairing removes.")

# %% [markdown]
# *What you should see:* the run's difference lines, then the paired difference by hand and from the
# library (equal), and the separate intervals beside it.

# %%
if result.rows():
    plot_effects(result)
    plt.show()

# %% [markdown]
# *What you should see:* pass@1 per model with intervals and the paired differences, coloured by
# Holm's verdict.

# %% [markdown]
# ## 6. Per problem: which problems moved between parent and child
#
# Each cell is one model on one problem, coloured by the share of its samples that passed; problems
# are sorted from those most models solve (left) to those none does (right). Below the grid: the
# problems whose pass rate moved by at least 0.4 between a model and its parent. A training stage
# that helps moves more problems up than down.

# %%
for s in result.sets:
    if result.counts[s]:
        plot_problem_grid(result, s)
        plt.show()
for p in stage.plans:
    for s in sets:
        moved = result.moved(p.label, s)
        if p.parent and (moved["gained"] or moved["lost"]):
            print(f"{s}: {p.label} vs {p.parent}: {len(moved['gained'])} gained, {len(moved['lost'])} lost")
            for task_id, before, after in (moved["gained"] + moved["lost"])[:6]:
                print(f"   {task_id:28s} {before:.1f} -> {after:.1f}")

# %% [markdown]
# *What you should see:* a grid of models by problems coloured by pass rate, then the problems that
# moved by 0.4 or more between a model and its parent (none on `tiny`).

# %% [markdown]
# ## 7. Failure kinds
#
# `wrong answer`: the code ran and an assertion failed. `syntax error`: the program did not parse
# (often an answer cut off at the length cap, or a base model rambling past the function).
# `no implementation`: the answer defined some other function or nothing, so the tests called the
# prompt's empty stub. An error type (`NameError`, `TypeError`, ...) is a crash; `timeout` an
# endless loop. The browser needs a live kernel; the listing after it is the static view.

# %%
for s in sets:
    for label, kinds in result.failure_kinds(s).items():
        total = sum(kinds.values())
        print(f"{s:9s} {label:15s} " + ", ".join(f"{k} {v / total:.0%}" for k, v in kinds.items()))
failure_browser(result, sets[0])

# %% [markdown]
# *What you should see:* each model's failures by kind (on `tiny` mostly syntax errors and missing
# implementations) and, with a live kernel, a browser.

# %%
print_failures(result, sets[0], limit=1)

# %% [markdown]
# *What you should see:* one failing answer of each kind with the error the sandbox reported.

# %% [markdown]
# ## 8. Save
#
# `summary.json` (the table, the chain, the differences, the settings and the command that reproduces
# them), `report.md` (the same as Markdown), `effects.png` (the figure above), then `manifest.json`.
# `seedkit compare RUN [RUN ...]` puts this table beside other runs' (e.g. a sweep over seeds).

# %%
result = finish(stage, result)  # a stage done already: its result read back from disk
print((stage.path / "report.md").read_text())

# %% [markdown]
# *What you should see:* the report as Markdown: the chain, the table and the difference lines.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked by its level (warm-up, core, stretch) and by what it needs: `tiny` (seconds,
# in this notebook, on any run, tiny included), `rerun` (the stage run again with a changed setting, a
# line added to the parameters cell: minutes on `tiny`), `package` (an edit to the kit's code or data
# files), `smol` (a run of the default profile), `GPU`, `network` (a model server). The exercises that
# need only `tiny` **check themselves**: edit the lines marked `# EDIT` in the exercise's cell and run
# it, then run the check under it. The check prints one line, `PASS` or `NOT YET`, with the range it
# expects and why; as the notebook stands it says `NOT YET`. The cell after it, `solution("07-1")`,
# holds a solution: click it open in JupyterLab, or `print(solution("07-1"))`. The exercises listed
# last are for discussion.
#
# ### 07-1 · warm-up · needs tiny · checks itself: The unbiased pass@k
#
# A model answered a problem n = 5 times and c = 2 answers passed. Compute pass@3 with the unbiased
# estimator of section 5, and compare it with `1 - (1 - c/n)^k`. Why is the second one biased?

# %%
from seedkit.exercises import check_answer, solution  # noqa: E402

n, c, k = 5, 2, 3  # answers, passing answers, answers drawn
estimate = 1 - (1 - c / n) ** k  # EDIT: the unbiased estimator (hint: math.comb)
print(f"pass@{k} from {c} of {n}: {estimate:.4f}")

# %%
check_answer("07-1", n=n, c=c, k=k, estimate=estimate)

# %%
solution("07-1")

# %% [markdown]
# ### 07-2 · core · needs tiny · checks itself: Paired beats separate
#
# On `tiny` every pass@1 is 0, so this exercise makes its own per-problem pass rates. Write a child
# whose paired difference to the parent is resolved (its interval above 0) while the two separate
# intervals still overlap. What do the two models share that pairing removes?

# %%
parent_rates = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 0.2, 0.4, 0.6, 0.8, 0.0, 0.4]  # per-problem pass@1 of a parent
child_rates = list(parent_rates)  # EDIT: a child a little better than its parent on most problems
print("paired:", paired_difference(dict(enumerate(child_rates)), dict(enumerate(parent_rates))))
print("separate:", bootstrap_interval(child_rates), bootstrap_interval(parent_rates))

# %%
check_answer("07-2", child=child_rates, parent=parent_rates)

# %%
solution("07-2")

# %% [markdown]
# ## More exercises: settings, larger runs
#
# - **07-3 · core · needs smol.** *Interval by hand.* For one model, draw 10,000 bootstrap resamples of
#   its per-problem pass@1 (as in section 5) and compare the interval with
#   `evidence.counts[label].interval()`. Halve the problems (`eval_limit`): by how much does the
#   interval widen? (Roughly by sqrt(2).)
# - **07-4 · core · needs smol.** *Samples versus problems.* Rerun with `eval_samples=1,
#   eval_temperature=0.0` (greedy). How do pass@1 and its interval change? Which gives a tighter paired
#   difference for the same time: more samples per problem, or more problems?
# - **07-5 · core · needs smol.** *Prompt format.* Set `prompt_format="completion"` and then `"chat"`
#   for every model. Which models gain, which lose, and how large is the difference caused by the
#   format alone, compared with the differences between stages?
# - **07-6 · stretch · needs smol.** *Seeds.* `seedkit sweep --profile smol --stages 03 -p seed=0,1,2`
#   then `seedkit compare <the three runs>`: is stage 03's effect larger than its spread across seeds?
# - **07-7 · stretch · needs network.** *Extension.* Point `extra_models` at an OpenAI-compatible
#   server (`vllm serve ...`; add a line `server_model = "..."` to the parameters cell) and put a large
#   model on the same chart.
