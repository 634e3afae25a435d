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
# # 06 · Long chain-of-thought warm-up, then GRPO with execution rewards
#
# **What the report did.** Seed-Coder's *reasoning* model started from the **base** model (not the
# instruct one). First a **warm-up**: supervised fine-tuning on long chain-of-thought solutions
# whose final code had been run against tests in a sandbox. Then **reinforcement learning** with
# GRPO in the DAPO style: **no KL penalty**, asymmetric clipping (**clip-high 0.28**), a
# **token-level loss**, **overlong (truncated) completions filtered** out of the loss, and rewards
# from **running the code** plus a **format** reward for the think-then-answer layout. Two
# curricula: problems solved **more than 87.5%** of the time were dropped from the pool, and the
# completion budget grew from **16K to 32K tokens**.
#
# **What this notebook does at small scale.**
# - Warm-up data: 24 hand-checked seed traces (`data_samples/longcot/seed_traces.jsonl`, each
#   `<think>...</think>` then one ```` ```python ```` block) plus traces the generator writes for the
#   training problems; every trace stays only if its code passes all of its problem's tests in the
#   kit's sandbox.
# - Warm-up SFT with TRL's `SFTTrainer` from the profile's base model (`smol`: the packaged
#   SmolLM2-135M with LoRA, whose instruct version is the only one that ships offline; `tiny`: this
#   run's stage-03 model of about 1M parameters).
# - GRPO with TRL's `GRPOTrainer`: 4 completions per problem, execution reward (fraction of tests
#   passed) + format reward + parse reward, the solved-problem filter, and a two-step length
#   schedule. `smol`: 8 GRPO steps (4 at 96 tokens, then 4 at 128), each rollout of 8 completions
#   feeding 2 steps, a few minutes on two CPU cores. `tiny`: 8 steps at 32 then 48 tokens, seconds.
#
# At this scale GRPO will not make a 135M model a reasoner. The point is the **mechanics**: what
# each reward sees, why a group needs spread to learn anything, what the clip fractions and the
# truncation rate say, and what the curriculum removes.
#
# **Learning objectives**
# 1. Score completions with the three rewards and say why the format reward has half credits.
# 2. Know TRL's batch rule for GRPO (completions per generation batch divisible by the group size).
# 3. Read GRPO's per-step logs: reward by component, pass rate, completion length, clip fractions.
# 4. Explain what DAPO's knobs do: no KL, clip-higher, token-level loss, overlong masking.

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
report_to = None
base_model = None
problems_file = None
max_problems = None
seed_traces_file = None
trace_generator = None
server_model = None
trace_samples_per_problem = None
trace_temperature = None
trace_max_new_tokens = None
use_lora = None
lora_r = None
warmup_steps = None
warmup_learning_rate = None
warmup_batch_size = None
warmup_max_length = None
rl_learning_rate = None
num_generations = None
rl_global_batch = None
rl_per_device_max = None
minibatches_per_rollout = None
max_completion_lengths = None
rl_steps_per_length = None
curriculum_interval_steps = None
drop_solved_rate = None
solve_window_groups = None
temperature = None
kl_beta = None
clip_epsilon_low = None
clip_epsilon_high = None
loss_type = None
mask_truncated_completions = None
execution_reward_weight = None
format_reward_weight = None
parse_reward_weight = None
execution_timeout_s = None
sandbox_workers = None
rollouts_to_show = None

# %%
import matplotlib.pyplot as plt

from seedkit.longcot_rl.rewards import (
    execution_outcomes,
    format_score,
    parse_score,
    parse_trace,
    split_check_tests,
)
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.longcot_rl.stage import load_problems, run_longcot_rl

settings = LongCoTRLSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## The rewards, on four hand-written completions
#
# Before any training: what does each reward say about a correct trace, a wrong one, one that
# never finishes, and one that forgets the layout? The execution reward runs the final code block
# against the problem's tests **one assertion at a time** in the sandbox, so it is a fraction, not
# just pass/fail. The format reward has half credits for a stray tag or fence, so that a model
# that is nearly random still gets *different* rewards within a group (GRPO learns only from
# differences inside a group).

# %%
problem = load_problems()[0]
tests = split_check_tests(problem["tests"], problem["entry_point"])
print(f"{problem['task_id']}: {problem['instruction']}  ({len(tests)} test snippets)")
examples = {
    "correct": "<think>\nJust add them.\n</think>\n```python\ndef add_three(a, b, c):\n    return a + b + c\n```",
    "wrong": "<think>\nMultiply?\n</think>\n```python\ndef add_three(a, b, c):\n    return a * b * c\n```",
    "endless loop": "<think>\nLoop.\n</think>\n```python\ndef add_three(a, b, c):\n    while True:\n        pass\n```",
    "no layout": "def add_three(a, b, c):\n    return a + b + c",
}
outcomes = execution_outcomes([parse_trace(t).code for t in examples.values()], [tests] * len(examples),
                              timeout_s=settings.execution_timeout_s)
print(f"{'completion':14} {'execution':>9} {'status':>8} {'format':>7} {'parse':>6}")
for (name, text), o in zip(examples.items(), outcomes, strict=False):
    print(f"{name:14} {o.reward:9.2f} {o.status:>8} {format_score(text):7.3f} {parse_score(text):6.1f}")

# %% [markdown]
# ## Warm-up and GRPO
#
# `run_longcot_rl` does the whole stage and prints each choice once: the base model and why, the
# trace generator, how many traces passed, the GRPO batch split (checked against TRL's rule before
# anything loads), the DAPO settings, each round of the length schedule and each curriculum
# decision. If this run's stage 06 is complete with the same settings and inputs, it is read back
# from disk (set `force = True` to redo it).

# %%
result = run_longcot_rl(settings)
result.summary

# %% [markdown]
# ## Warm-up: which traces were kept, and the SFT loss
#
# A trace that fails a single test is dropped: SFT on wrong reasoning teaches wrong reasoning. So
# is a trace whose code passes but that skipped the reasoning: SFT on it would teach answering
# without thinking. In `smol` the generator (SmolLM2, its turn prefilled with `<think>`) does write
# passing code for the easiest problems, but it jumps straight to the code without closing the
# thinking block, so the seed set carries the warm-up; with a stronger generator (a server URL in
# `trace_generator`) the generated share grows.

# %%
from collections import Counter

kept = Counter((t["source"], t["kept"]) for t in result.traces)
no_layout = Counter(t["source"] for t in result.traces if t["status"] == "passed" and not t["kept"])
for source in ("seed", "generated"):
    print(f"{source:9}: kept {kept[(source, True)]} of {kept[(source, True)] + kept[(source, False)]}"
          f"  (passed every test but lacked the <think> layout: {no_layout[source]})")
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot([r.get("step", i + 1) for i, r in enumerate(result.warmup_log)], [r["loss"] for r in result.warmup_log], "o-")
ax.set(title="warm-up SFT loss", xlabel="step", ylabel="loss")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## GRPO, step by step
#
# - **Reward by component** (unweighted means): execution is the one that matters; format and parse
#   are the dense signals that move first in a small model.
# - **Pass rate**: share of completions that passed every test.
# - **Completion length** against the budget of the length schedule (dashed), and the share of
#   completions cut at the budget (**truncated**): with `mask_truncated_completions` those are left
#   out of the loss, as DAPO does.
# - **Clip fractions**: share of tokens whose probability ratio (new policy / policy that sampled)
#   hit the lower (1 − 0.2) or upper (1 + 0.28) clip. A rollout batch feeds
#   `minibatches_per_rollout` optimizer steps, as in DAPO; only from the second step on has the
#   policy moved, so only those steps can clip. At these small learning rates the ratio rarely
#   leaves the range: near-zero fractions are expected here (exercise 4 raises the rate).
#   Rewards and lengths are logged on the steps that sampled a new rollout.
# - **Pool size**: the curriculum removes problems solved above the rate.

# %%
panels = [
    ("reward by component", [("rewards/execution_reward/mean", "execution"), ("rewards/format_reward/mean", "format"),
                             ("rewards/parse_reward/mean", "parse")]),
    ("pass rate", [("pass_rate", "all tests passed")]),
    ("completion length (tokens)", [("completions/mean_length", "mean length"), ("max_completion_length", "budget")]),
    ("truncation and clipping", [("completions/clipped_ratio", "truncated"), ("clip_ratio/low_mean", "clip low"),
                                 ("clip_ratio/high_mean", "clip high")]),
    ("loss", [("loss", "GRPO loss")]),
    ("problem pool", [("pool_size", "problems")]),
]
fig, axes = plt.subplots(2, 3, figsize=(15, 7))
for ax, (title, series) in zip(axes.flat, panels, strict=False):
    for key, label in series:
        xs, ys = result.column(key)
        ax.plot(xs, ys, "--" if key == "max_completion_length" else "o-", label=label)
    ax.set(title=title, xlabel="GRPO step")
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The same numbers as a table (what `metrics.json` holds per step; `step_seconds` is wall time):

# %%
cols = ["step", "max_completion_length", "reward", "rewards/execution_reward/mean", "rewards/format_reward/mean",
        "rewards/parse_reward/mean", "pass_rate", "completions/mean_length", "completions/clipped_ratio", "step_seconds"]
short = ["step", "budget", "reward", "exec", "format", "parse", "pass", "length", "trunc", "sec"]
print(" ".join(f"{c:>7}" for c in short))
for row in result.rl_steps:
    print(" ".join(f"{row.get(c, float('nan')):7.3f}" if isinstance(row.get(c), float) else f"{row.get(c, ''):>7}"
                   for c in cols))
for event in result.curriculum:
    if event["dropped"]:
        print(f"step {event['step']}: {event['reason']}")

# %% [markdown]
# ## A few rollouts with their rewards
#
# The highest-rewarded completions first. In `tiny` they are mostly noise with a stray `<think>`
# or fence (that is what the format reward's half credits pay for); in `smol` you can read the
# model trying the layout it was warmed up on.

# %%
for r in result.best_rollouts(settings.rollouts_to_show):
    parts = ", ".join(f"{k.replace('_reward', '')}={v:.2f}" for k, v in r["rewards"].items())
    print(f"--- step {r['step']}  {r['task_id']}  total={r['total']:.3f}  ({parts}; sandbox: {r['status']})")
    print(r["completion"][:500])

# %% [markdown]
# Browse every rollout by step (needs a live kernel; skipped in headless runs):

# %%
try:
    from seedkit.notebooks import live_widgets
    widgets = live_widgets()
    from IPython.display import display

    steps = sorted({r["step"] for r in result.rollouts})

    def show(step):
        for r in [r for r in result.rollouts if r["step"] == step]:
            print(f"[{r['task_id']}] total={r['total']:.3f} {r['rewards']} {r['status']}")
            print("   " + r["completion"][:200].replace("\n", "\n   "))

    if steps:
        display(widgets.interactive(show, step=widgets.SelectionSlider(options=steps, description="step")))
except ImportError:
    print("ipywidgets is not installed: the browser is skipped")

# %% [markdown]
# ## Reading the numbers
#
# - **A group with no spread teaches nothing.** `frac_reward_zero_std` in the per-step log is the
#   share of groups whose completions all got the same reward; their advantages are zero. A random
#   model earns zero execution reward everywhere, which is why the format reward is there: in
#   `tiny` it is the only reward that moves.
# - **The curriculum removes the other zero-spread case**: a problem every completion solves.
#   With `drop_solved_rate = 0.875` and groups of 4, that means 4 of 4 in the recent window.
# - **No KL term** (`kl_beta = 0`): no reference model is loaded and nothing pulls the policy
#   back; the clip range alone bounds each update. Set `kl_beta` > 0 to compare (TRL then needs a
#   reference model, which it reloads from the saved base).
# - **Token-level loss** (`loss_type = "dapo"`): every token of the batch weighs the same, so long
#   completions are not averaged down to the weight of short ones.
# - The model is saved as `run:<run>/06_longcot_rl`; stage 07 evaluates it beside the others.

# %% [markdown]
# ## Exercises
#
# 1. **Rewards.** Write a completion that earns format reward 1.0 and execution reward 0, and one
#    that earns execution 1.0 with a format reward below 0.5. Check them with the cell at the top. Which should
#    GRPO prefer, and do the default weights (`execution_reward_weight`, `format_reward_weight`,
#    `parse_reward_weight`) agree?
# 2. **The batch rule.** Set `rl_global_batch = 6` with `num_generations = 4` and read the error.
#    Which two numbers can you change, and what does each change cost per step?
# 3. **Overlong filtering.** Rerun `tiny` with `mask_truncated_completions = True`. What happens to
#    the loss when every completion hits the budget, and why did the tiny profile turn it off?
# 4. **Clipping.** Raise `rl_learning_rate` tenfold (or more) and watch the clip fractions. Which
#    side clips more, and what does clip-higher (0.28 instead of 0.2) let through?
# 5. **Curriculum.** Lower `drop_solved_rate` to 0.0 in `smol`: the first problem solved even once
#    leaves the pool. Watch the pool-size panel. What goes wrong when the pool gets smaller than a
#    step needs?
# 6. **Length schedule.** Give three phases, e.g. `max_completion_lengths = [64, 96, 160]` with
#    `rl_steps_per_length = [2, 2, 2]`. Does the truncated share fall when the budget rises?
# 7. **Stretch.** Point `trace_generator` at an OpenAI-compatible server (vLLM with a real
#    reasoning model) and count how many generated traces survive the sandbox.
