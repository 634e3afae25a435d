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
# # 05 · Execution-verified preference pairs and DPO
#
# **What the report did.** After SFT, Seed-Coder aligned its instruct model with DPO on about
# **20K on-policy preference pairs**. For prompts that come with unit tests, the SFT model sampled
# many answers; a sandbox ran each against the tests; an answer that **passed** became *chosen*
# and one that **failed** became *rejected*. No human and no reward model judged anything: the
# tests are the judge, and the pairs come from the model's own distribution (on-policy), so DPO
# pushes down the model's *own* typical mistakes.
#
# **What this notebook does at small scale.** The stage-04 model (SmolLM2-135M after SFT in the
# `smol` profile) samples a few answers for ~24 prompts: stage 04's verified items that were held
# back from SFT, plus the kit's own training problems (`data_samples/problems/train.jsonl`, never
# the held-out evaluation set). The kit's sandbox runs every answer; pairs are built; TRL's
# `DPOTrainer` trains a LoRA adapter for 16 small steps; pass@1 on a held-out slice is measured
# before and after. `smol` is sized for under ten minutes on two idle CPU cores (the DPO steps cost the most:
# about 20 CPU-seconds per step of two pairs); `tiny` takes seconds.
#
# **Learning objectives**
# 1. Turn execution results into preference pairs, and see which prompts give none (all pass / none pass).
# 2. Know why a rejected answer that fails a *test* teaches more than one that fails to *parse*.
# 3. Tell on-policy from off-policy pairs, and what the fallback to a reference solution costs.
# 4. Read DPO's training signals: reward margins and reward accuracy, and what the reference model is.

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
sft_input = None
policy_model = None
use_held_for_dpo = None
use_train_problems = None
max_prompts = None
sampler_server_url = None
server_model = None
samples_per_prompt = None
sampling_temperature = None
sampling_max_new_tokens = None
generation_batch_size = None
sandbox_workers = None
sandbox_timeout_s = None
max_pairs_per_prompt = None
off_policy_fallback = None
max_off_policy_pairs_per_prompt = None
finetune_method = None
lora_r = None
lora_alpha = None
beta = None
learning_rate = None
num_epochs = None
max_steps = None
global_batch_size = None
per_device_batch_max = None
max_length = None
eval_problems = None

# %%
from collections import Counter

import matplotlib.pyplot as plt

from seedkit.dpo.settings import DPOSettings
from seedkit.dpo.stage import run_dpo

settings = DPOSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## Sample, execute, pair, train
#
# `run_dpo` does the whole stage and prints each choice it makes: which model samples, how many
# prompts from which source, how many samples passed, where the pairs came from, which model acts
# as the DPO reference and why. If this run's stage 05 is already complete with the same settings
# and inputs, it is read back from disk instead (set `force = True` to redo it).

# %%
result = run_dpo(settings)
print(result.summary["why"])

# %% [markdown]
# ## Where the pairs came from
#
# Each prompt ends in one of four ways:
#
# | outcome | meaning | pairs |
# |---|---|---|
# | `on_policy` | some samples passed, some failed | passing vs failing, both written by the model |
# | `all_pass` | every sample passed | none: nothing to contrast (the prompt is too easy for this model) |
# | `none_pass_off_policy` | nothing passed | the verified reference vs a failing sample, **flagged `off_policy`** |
# | `none_pass_no_pair` | nothing passed and no fallback (or no verified reference) | none |
#
# The left plot is the distribution of per-prompt pass rates: the report's recipe needs prompts
# in the middle, where the model is *sometimes* right. The right plot shows why rejected answers
# failed; test failures are used before runtime errors, timeouts and syntax errors.

# %%
pass_rates = [p["pass_rate"] for p in result.prompts]
outcomes = Counter(p["outcome"] for p in result.prompts)
failures = Counter(p["rejected_failure"] for p in result.pairs)

fig, axes = plt.subplots(1, 3, figsize=(15, 3.8))
axes[0].hist(pass_rates, bins=[i / 10 for i in range(11)], color="tab:blue", edgecolor="white")
axes[0].set(title="pass rate per prompt", xlabel="fraction of samples that passed", ylabel="prompts")
names = ["on_policy", "all_pass", "none_pass_off_policy", "none_pass_no_pair"]
axes[1].barh(names, [outcomes.get(n, 0) for n in names], color=["tab:green", "tab:gray", "tab:orange", "tab:red"])
axes[1].set(title="prompt outcomes", xlabel="prompts")
if failures:
    kinds = sorted(failures, key=failures.get)
    axes[2].barh(kinds, [failures[k] for k in kinds], color="tab:purple")
axes[2].set(title=f"rejected answers by failure ({len(result.pairs)} pairs, "
                  f"{result.summary['pairs_off_policy']} off-policy)", xlabel="pairs")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## One pair, side by side
#
# The first on-policy pair of the set (the slider browses the others). In the `tiny` profile the 1M-parameter
# model never writes a passing answer, so every pair is off-policy: the chosen answer is the
# verified reference, the rejected answer is the model's own failure.

# %%
from seedkit.notebooks import live_widgets


def show_pair(index=0):
    if not result.pairs:
        print("no pairs in this run:", result.summary["why"])
        return
    pair = result.pairs[index]
    print(f"task {pair['task_id']}  pass rate {pair['pass_rate']:.2f}  rejected because: {pair['rejected_failure']}  "
          f"off_policy={pair['off_policy']}")
    print("PROMPT\n" + pair["prompt"][:700])
    print("\nCHOSEN\n" + pair["chosen"][:700])
    print("\nREJECTED\n" + pair["rejected"][:700])


# the first on-policy pair if there is one, then a slider to browse the others (live Jupyter only)
first = next((i for i, p in enumerate(result.pairs) if not p["off_policy"]), 0)
show_pair(first)
if len(result.pairs) > 1:
    try:
        widgets = live_widgets()
        widgets.interact(show_pair, index=widgets.IntSlider(value=first, min=0, max=len(result.pairs) - 1))
    except ImportError as e:  # headless: the first pair above is the static view
        print(e)

# %% [markdown]
# ## What DPO optimised
#
# DPO's implicit reward of an answer is β · (log π(answer) − log π_ref(answer)): how much more
# likely the trained policy makes it than the reference model. The **margin** is chosen reward minus
# rejected reward; **accuracy** is the share of pairs whose margin is positive. At step 1 the policy
# *is* the reference, so the margin starts at 0 and accuracy at 0; both should rise.
#
# The reference model: with LoRA the starting model itself, with the adapter switched off (no second
# copy in memory); with full fine-tuning (the `tiny` profile) a frozen in-memory copy. TRL would
# otherwise try to reload the reference by the model's hub name, which an in-memory model lacks.

# %%
print("reference model:", result.reference_model or "(no training: no pairs)")
curves = result.curves()
keys = [k for k in ("loss", "rewards/margins", "rewards/accuracies") if k in curves]
if keys:
    fig, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.5))
    for ax, key in zip(axes if len(keys) > 1 else [axes], keys, strict=False):
        ax.plot(curves[key]["step"], curves[key][key], marker="o")
        ax.set(title=key, xlabel="step")
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Did it help? pass@1 on a held-out slice
#
# Greedy pass@1 of the stage-04 model and of the DPO model on the first `eval_problems` held-out
# problems. With a few dozen pairs and steps on CPU, expect small or no changes; the point is the
# pipeline. (`None` means the evaluation harness was not available.)

# %%
print(f"pass@1 before DPO: {result.pass_at_1_before}   after DPO: {result.pass_at_1_after}")
print(f"stage 06 and 07 load this model as {result.model_spec!r}")

# %% [markdown]
# ## Exercises
#
# 1. **More samples, more on-policy pairs.** Rerun with `samples_per_prompt = 8` (and `force = True`).
#    How does the `on_policy` share change? Why does the number of *all_pass* prompts grow too?
# 2. **Syntax errors as rejected answers.** In `seedkit/posttrain/pairs.py`, `FAILURE_RANK` puts test
#    failures first. Put `syntax` first instead, retrain, and compare the margins and pass@1.
#    Which pairs are "easy" for DPO, and does easy help?
# 3. **Off-policy only.** Set `off_policy_fallback = False` in the `tiny` profile. What happens to
#    the stage, and what does it print? Then, in `smol`, compare a run with the fallback on and off.
# 4. **β.** Train with `beta = 0.01` and `beta = 0.5`. How do the reward margins and the drift from
#    the reference (pass@1 after) change?
# 5. **Validation.** Write a cell that checks every pair: the chosen answer passes and the rejected
#    one fails when run in `seedkit.sandbox` (hint: `PromptTask.program` builds the program).
