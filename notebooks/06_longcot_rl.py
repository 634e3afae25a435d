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
# GRPO in the DAPO style: **no KL penalty**, asymmetric clipping (**clip-higher 0.28**), a
# **token-level loss**, **overlong (truncated) completions filtered** out of the loss, learning rate
# **1e-6**, sampling temperature **0.6**, and rewards from **running the code**. Two curricula:
# problems solved **more than 87.5%** of the time were dropped from the pool, and the completion
# budget grew from **16K to 32K tokens**.
#
# **What this notebook does at small scale.** The same two steps on this run's stage-03 model, and
# the effect of each measured separately on problems never trained on:
#
# | | report | `smol` (default) | `tiny` (tests, CI) |
# |---|---|---|---|
# | starting model | Seed-Coder-8B-Base | this run's stage 03: SmolLM2-135M continued-pretrained on the curated corpus | stage 03's ~1M scratch model |
# | warm-up data | long CoT solutions, sandbox-verified | 24 hand-checked seed traces + 1 trace per problem from SmolLM2-135M-Instruct, each kept only if it passes every test | the 24 seeds |
# | warm-up SFT | – | LoRA r=16, 16 steps of 4 traces | full fine-tuning, 32 steps |
# | GRPO | groups of many completions, 16K then 32K tokens | 8 steps of 1 problem x 4 completions, 96 then 128 tokens | 8 steps of 2 x 4, 32 then 48 tokens |
# | learning rate, temperature | 1e-6, 0.6 | the table below gives each deviation with the reason it was measured to need | 1e-4, 0.7 |
# | evidence | benchmarks | pass@1 on the basic tier (48 problems spread over the set x 5 samples at 0.6), paired: warm-up - stage 03, GRPO - warm-up | 6 problems x 2 samples |
#
# At this scale GRPO will not make a 135M model a reasoner, and the notebook says what it measured,
# whatever that is. The point is the **mechanics** and the **evidence**: what each reward sees, why
# a group needs spread to learn anything, what the clip fractions and the truncation rate say, what
# the curriculum removes, and whether each step moved pass@1 beyond its interval.
#
# **Learning objectives**
# 1. Build warm-up data that is verified, not trusted: a trace stays only if its code passes.
# 2. Score completions with the three rewards and say why the format reward has half credits.
# 3. Configure TRL's GRPO with the report's DAPO knobs, and know TRL's batch rule.
# 4. Read GRPO's logs: the reward with its interval, pass rate, completion length, clip fractions.
# 5. Compute GRPO's objective by hand for one batch (group-relative advantages, the importance
#    ratio, the clipped objective with clip-higher, the token-level mean) and match TRL's loss.
# 6. Separate the warm-up's effect from RL's with paired differences and their intervals.

# %% tags=["parameters"]
profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol
run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the profile's
max_problems = None
warmup_steps = None
num_generations = None
rl_learning_rate = None
temperature = None
clip_epsilon_high = None
max_completion_lengths = None
drop_solved_rate = None
# 48 more settings come from the profile: settings.describe(every=True) lists them; set one with a line here or seedkit run -p NAME=VALUE

# %%
from collections import Counter
from math import isclose

import matplotlib.pyplot as plt

from seedkit.formats import completion_text, parse_trace
from seedkit.longcot_rl import stage as rl
from seedkit.longcot_rl.curriculum import groups_with_signal
from seedkit.longcot_rl.grpo import curve_summary
from seedkit.longcot_rl.objective import group_completion_ids, score_group, trl_loss
from seedkit.longcot_rl.plots import effect_panel, plot_reward_curve, plot_steps, show_effect
from seedkit.longcot_rl.rewards import execution_outcomes, format_score, parse_score
from seedkit.longcot_rl.settings import LongCoTRLSettings
from seedkit.models import load_model
from seedkit.posttraining.plots import plot_effect
from seedkit.problems import split_check_tests

settings = LongCoTRLSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# Where these settings follow the report, and where and why they differ (`seedkit run --profile gpu`
# prints the same rows):

# %%
settings.show_report_comparison()

# %% [markdown]
# ## Start the stage
#
# `begin` checks the inputs (this run's stage-03 model, the training problems, the seed traces),
# says which model it trains, and whether this run's stage 06 is already done with the same settings
# and inputs. Every step below saves what it produced under `steps/`: rerunning a cell, or the whole
# notebook after a restart, reuses it; changing a setting or an input recomputes it.

# %%
stage = rl.begin(settings)
settings = stage.settings  # on a GPU: the per-device batch and checkpointing the memory plan chose

# %% [markdown]
# ## 1. The problems and the reasoning prompt
#
# RL samples from the kit's *training* problems (`data_samples/problems/train.jsonl`), never from
# the problems the models are measured on. The warm-up and GRPO ask with the same user turn: the
# task, the signature, and the layout wanted (think inside `<think>...</think>`, then one code block).

# %%
problems = rl.training_problems(stage)
print(f"{len(problems.problems)} of the {problems.in_file} problems in {problems.file}; the prompt of the first:\n")
print(problems.prompt)

# %% [markdown]
# *What you should see:* how many training problems RL samples from and the reasoning prompt of the
# first one.

# %% [markdown]
# ## 2. Seed traces, verified
#
# Short hand-written traces (`data_samples/longcot/seed_traces.jsonl`), each `<think>...</think>`
# then one ```` ```python ```` block, trusted only after the sandbox has run each one's code
# against its problem's tests.

# %%
seeds = rl.seed_traces(stage)
first = seeds.rows[0]
print(f"kept {seeds.kept} of {seeds.total} in {seeds.file}; the first, {first['task_id']}:\n")
print(first["trace"])

# %% [markdown]
# *What you should see:* how many seed traces the sandbox kept (all of them: they were written to
# pass) and the first one, thinking then code.

# %% [markdown]
# ## 3. Generated traces, verified
#
# The trace generator (the profile's helper model, or a vLLM server: `trace_generator="http://..."`)
# writes `trace_samples_per_problem` traces per training problem, its turn primed with `<think>`.
# A trace stays only if **every test passes** and the layout is complete: SFT on wrong reasoning
# teaches wrong reasoning, and SFT on code without reasoning teaches answering without thinking.

# %%
generated = rl.generate_traces(stage, problems)
print(f"generator {generated.generator} ({generated.why}): kept {generated.kept} of {generated.total}; "
      f"{generated.passed_without_layout} passed every test without the layout")
print("sandbox status of the generated traces:", dict(Counter(r["status"] for r in generated.rows)))
for r in generated.rows[:2]:
    print(f"--- {r['task_id']}: {r['status']} ({r['tests_passed']}/{r['tests_total']} tests), layout score "
          f"{r['format_score']:.2f}, kept={r['kept']}\n{r['trace'][:400]}")

# %% [markdown]
# *What you should see:* which generator wrote traces and how many it kept; on `tiny` none (the
# generator is off), on `smol` the few that passed every test with the layout.

# %% [markdown]
# ## 4. The warm-up: SFT on the kept traces
#
# TRL's `SFTTrainer` with the reasoning turn as the prompt and the trace as the completion (loss on
# the trace only), on the stage-03 model (LoRA on `smol`, full fine-tuning on `tiny`). The model is
# saved as `warmup_model/` and stays in memory for GRPO.

# %%
warm = rl.warmup(stage, seeds, generated)
print(f"{warm.examples} traces {warm.by_source}; {warm.trainable_parameters:,} of "
      f"{warm.total_parameters:,} parameters trained in {warm.train_seconds} s")
log = warm.log_history
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot([r.get("step", i + 1) for i, r in enumerate(log)], [r["loss"] for r in log], "o-")
ax.set(title="warm-up SFT loss", xlabel="step", ylabel="loss")
plt.tight_layout()
plt.show()

# %% [markdown]
# *What you should see:* the traces trained on by source, the parameters trained, and a falling
# warm-up loss.

# %% [markdown]
# ## 5. Did the warm-up help? pass@1 against the stage-03 model
#
# Both models answer the same problems of the basic tier (`eval_set`), `eval_samples` times each at
# `eval_temperature`; every answer runs against the problem's tests. pass@1 is the mean over
# problems of (passed / samples) with a 95% bootstrap interval over problems; the difference is
# **paired** (the same problems for both). The warm-up model is asked in the reasoning format
# (primed with `<think>`; the final code block is the answer). The stage-03 model is measured twice:
# as it was trained (a base model continues the prompt; reused from stage 03's directory when its
# settings match) and in the reasoning format. Only the **same-format** difference isolates what the
# warm-up changed; the other also carries the change of format.

# %%
warm_effect = rl.measure_warmup_effect(stage)
if warm_effect:  # None on a process other than the main one (torchrun)
    same, other = warm_effect.warmup_vs_parent, warm_effect.warmup_vs_parent_as_trained
    show_effect(same, "pass@1, warm-up - stage 03, both in the reasoning format")
    panels = [effect_panel(same, "pass@1, both in the reasoning format")]
    if other:
        show_effect(other, "pass@1, warm-up - stage 03 asked as it was trained (format change included)")
        panels.append(effect_panel(other, "stage 03 asked as it was trained"))
    if warm_effect.parent_formats:
        print("the format alone (stage 03 asked both ways):")
        show_effect(warm_effect.parent_formats)
    plot_effect(panels)
    plt.show()

# %% [markdown]
# *What you should see:* pass@1 of the warm-up model against the stage-03 model, paired, in the
# reasoning format and as the stage-03 model was trained; on `tiny` all 0. The line "answers in the
# complete reasoning layout" says whether the warm-up taught what it is for: the share of each
# model's answers that open with `<think>`, close it, and end with one code block. Read pass@1 beside
# it: a warm-up too weak to teach the layout can cost nothing because it changed nothing, and one
# that taught half of it can cost the most.

# %% [markdown]
# ## 6. The rewards, written out
#
# GRPO learns from **differences between completions of the same problem**: a completion's
# advantage is its reward minus its group's mean, divided by the group's spread. Three TRL reward
# functions (TRL passes every dataset column, here `test_snippets`, as a keyword argument):
#
# - **execution**: the fraction of the problem's tests the final code block passes in the sandbox,
#   one assertion at a time, so a fraction and not only pass/fail;
# - **format**: the `<think>...</think>` then code layout, with half credits for a stray tag or
#   fence, so that a nearly random model still gets *different* rewards within a group;
# - **parse**: 1 when the final code block compiles.
#
# The stage's own functions (`seedkit.longcot_rl.rewards.reward_functions`) are these three; a test
# checks that they agree.

# %%
def execution_reward(completions, test_snippets, **kwargs):
    """Fraction of the problem's tests the final code block passes in the sandbox (0 without code)."""
    codes = [parse_trace(completion_text(c)).code for c in completions]
    outcomes = execution_outcomes(codes, test_snippets, timeout_s=settings.execution_timeout_s,
                                  workers=settings.sandbox_workers or None)
    return [o.reward for o in outcomes]


def format_reward(completions, **kwargs):
    """<think>...</think> then one closed code block and nothing after: 1.0; half credits for stray tags."""
    return [format_score(completion_text(c)) for c in completions]


def parse_reward(completions, **kwargs):
    """1.0 when the final code block compiles as Python."""
    return [parse_score(completion_text(c)) for c in completions]


reward_funcs = [execution_reward, format_reward, parse_reward]

# what each says about four completions of the first training problem
problem = problems.problems[0]
tests = split_check_tests(problem["tests"], problem["entry_point"])
name = problem["entry_point"]
examples = {
    "seed trace": next((r["trace"] for r in seeds.rows if r["task_id"] == problem["task_id"]), ""),
    "wrong": f"<think>\nReturn nothing.\n</think>\n```python\ndef {name}(*args):\n    return None\n```",
    "endless loop": f"<think>\nLoop.\n</think>\n```python\ndef {name}(*args):\n    while True:\n        pass\n```",
    "no layout": f"def {name}(*args):\n    return None",
}
scores = [f(completions=list(examples.values()), test_snippets=[tests] * len(examples)) for f in reward_funcs]
print(f"{problem['task_id']} ({len(tests)} test snippets)\n{'completion':14} {'execution':>9} {'format':>7} {'parse':>6}")
for i, label in enumerate(examples):
    print(f"{label:14} {scores[0][i]:9.2f} {scores[1][i]:7.3f} {scores[2][i]:6.1f}")

# %% [markdown]
# *What you should see:* the four completions' rewards: the seed trace earns all three, the wrong
# and the looping answers the layout and parse rewards with no test passed, the bare function
# nothing (its code is not in a block).

# %% [markdown]
# ## 7. The GRPO configuration
#
# Built here and passed to the training step (`rl.training_config(stage)` builds the same one for
# `seedkit run`; a test checks the two agree). The report's DAPO knobs follow the batch arguments.

# %%
from trl import GRPOConfig

from seedkit.models import resolve_device
from seedkit.training import trainer_kwargs

device = resolve_device(settings.profile_info.device)[0]
common = trainer_kwargs(
    output_dir=str(stage.path / "checkpoints" / "grpo"),  # deleted once the model is saved
    device=device,  # no autocast on CPU (the LoRA base may be bfloat16: lora_base_dtype), bf16 on a GPU
    global_batch=settings.rl_global_batch,  # completions per optimizer step, whatever the process count
    per_device_max=settings.rl_per_device_max,  # the rest of the global batch is gradient accumulation
    learning_rate=settings.rl_learning_rate,  # report: 1e-6 (the table above says why a small profile differs)
    max_steps=sum(settings.rl_steps_per_length),  # the whole length schedule; each curriculum round runs its share
    seed=settings.seed,
    dtype=settings.profile_info.dtype,
    lr_scheduler_type="constant",  # the same step size throughout
    verbose=False,
    report_to=settings.report_to,  # none | tensorboard (logs under the stage directory) | wandb ...
    gradient_checkpointing=settings.gradient_checkpointing,  # recompute activations: on for gpu's 8B model
)
config = GRPOConfig(
    **common,
    # TRL samples per_device x processes x steps_per_generation completions at once: one rollout feeds
    # minibatches_per_rollout optimizer steps (DAPO's mini-batches); from the second on, the ratio can clip
    steps_per_generation=common["gradient_accumulation_steps"] * settings.minibatches_per_rollout,
    num_generations=settings.num_generations,  # the group: advantages are rewards relative to its mean
    max_completion_length=settings.max_completion_lengths[0],  # first phase of the length schedule
    temperature=settings.temperature,  # report: 0.6
    top_p=1.0,  # sample from the whole distribution...
    top_k=0,  # ...with no top-k cut
    beta=settings.kl_beta,  # report: no KL term, so no reference model is loaded
    epsilon=settings.clip_epsilon_low,  # the probability ratio is clipped below at 1 - 0.2...
    epsilon_high=settings.clip_epsilon_high,  # ...and above at 1 + 0.28 (clip-higher)
    loss_type=settings.loss_type,  # "dapo": token-level, normalised over every token of the batch
    mask_truncated_completions=settings.mask_truncated_completions,  # overlong filtering
    scale_rewards="group",  # advantage = (reward - group mean) / group std
    reward_weights=[settings.execution_reward_weight, settings.format_reward_weight, settings.parse_reward_weight],
    disable_dropout=True,  # the ratio compares the policy with itself: no dropout noise in it
    weight_decay=0.0,  # a decay would shrink the weights even when every advantage is 0
    optim="adamw_torch",  # each curriculum round's Trainer builds it (FSDP needs that); its moments carry over
    log_completions=False,  # the kit records every rollout itself
    disable_tqdm=True,  # one printed line per step instead
)
print({k: getattr(config, k) for k in ("learning_rate", "temperature", "beta", "epsilon", "epsilon_high", "loss_type",
                                       "mask_truncated_completions", "num_generations", "steps_per_generation")})

# %% [markdown]
# *What you should see:* the report's DAPO knobs as this profile sets them: no KL, clip 0.2/0.28,
# token-level loss, the temperature and the group size.

# %% [markdown]
# ## 8. The objective on one batch, by hand
#
# What GRPO minimises, written out for one group of `num_generations` completions of the first
# problem (the completions of section 6, as if the policy had sampled them), and checked against what
# TRL's `GRPOTrainer` computes for the same batch (`seedkit.longcot_rl.objective` runs TRL's own
# scoring and loss on it):
#
# 1. **Rewards**: each completion's reward is the weighted sum of the three reward functions.
# 2. **Group-relative advantages**: `A_i = (r_i - mean(r)) / (std(r) + 1e-4)` over the group
#    (`scale_rewards="group"`; the std with Bessel's correction, as TRL's). A group whose rewards
#    are all equal has `A = 0`: nothing to learn from it.
# 3. **Importance ratio** per token: `rho = pi_new(token) / pi_old(token)`, where `pi_old` is the
#    policy that sampled and `pi_new` the policy being updated (both at the sampling temperature).
#    Within one rollout the policy moves from the second optimizer step on; here the warm-up model's
#    weights are nudged to stand for that move.
# 4. **Clipped objective with clip-higher**: per token `-min(rho * A, clip(rho, 1 - eps_low,
#    1 + eps_high) * A)` with `eps_low = clip_epsilon_low`, `eps_high = clip_epsilon_high` (DAPO: 0.2
#    and 0.28, so a token whose probability rises gets more room than one whose probability falls).
# 5. **Token-level mean** (`loss_type="dapo"`): the sum over every completion token of the batch
#    divided by their number, so a long completion weighs as many tokens as it has.

# %%
import torch

policy, tok = load_model(stage.warmup_spec, device=device, dtype="float32")  # a copy of the warm-up model
texts = [examples[k] for k in ("seed trace", "wrong", "no layout") if examples[k]]
completion_ids = group_completion_ids(tok, texts, settings.num_generations)  # one group; each ends with EOS
trainer, batch = score_group(policy, tok, config, reward_funcs, problem, completion_ids)

# 1. rewards, weighted: the same functions on the completions as TRL decoded them
decoded = [tok.decode(ids, skip_special_tokens=True) for ids in completion_ids]
per_function = torch.tensor([f(completions=decoded, test_snippets=[tests] * len(decoded)) for f in reward_funcs])
rewards = (torch.tensor(config.reward_weights).unsqueeze(1) * per_function).sum(0)
# 2. advantages relative to the group
group = rewards.view(-1, config.num_generations)
advantages = ((group - group.mean(1, keepdim=True)) / (group.std(1, keepdim=True) + 1e-4)).view(-1)
print("rewards   ", [round(x, 3) for x in rewards.tolist()])
print("advantages", [round(x, 3) for x in advantages.tolist()], "(TRL:", [round(x, 3) for x in batch["advantages"].tolist()], ")")
assert torch.allclose(advantages, batch["advantages"].cpu(), atol=1e-5)

# %% [markdown]
# *What you should see:* the group's rewards and its advantages, the same by hand and from TRL;
# completions above the group's mean get positive advantages.

# %%
def completion_logps(model):
    """log pi(token) of every completion token at the sampling temperature: the logits at the position
    before each token, divided by the temperature, through log-softmax."""
    ids = torch.cat([batch["prompt_ids"], batch["completion_ids"]], dim=1)
    attention = torch.cat([batch["prompt_mask"], batch["completion_mask"]], dim=1)
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=attention).logits
    logits = logits[:, -batch["completion_ids"].size(1) - 1:-1].float() / config.temperature
    return torch.log_softmax(logits, dim=-1).gather(-1, batch["completion_ids"].unsqueeze(-1)).squeeze(-1)


mask = batch["completion_mask"].float()  # 1 for each completion token (padding after a short completion: 0)
old = completion_logps(trainer.model)  # the policy that sampled
noise = torch.Generator().manual_seed(settings.seed)
with torch.no_grad():  # the policy moves: each weight scaled by 1 + 10% noise
    for p in trainer.model.parameters():
        p.mul_(1 + 0.1 * torch.randn(p.shape, generator=noise).to(p.device))
new = completion_logps(trainer.model)
# 3. the importance ratio, 4. the clipped objective with clip-higher, 5. the token-level mean
ratio = torch.exp(new - old)
a = advantages.to(ratio.device).unsqueeze(1)
clipped = ratio.clamp(1 - settings.clip_epsilon_low, 1 + settings.clip_epsilon_high)
per_token = -torch.min(ratio * a, clipped * a)
by_hand = float((per_token * mask).sum() / mask.sum())
trl = trl_loss(trainer, batch, old)
tokens = mask.bool()
print(f"{int(mask.sum())} completion tokens; ratio from {ratio[tokens].min():.3f} to {ratio[tokens].max():.3f}; "
      f"clipped low {float(((ratio < 1 - settings.clip_epsilon_low) & (a < 0))[tokens].float().mean()):.2f}, "
      f"high {float(((ratio > 1 + settings.clip_epsilon_high) & (a > 0))[tokens].float().mean()):.2f} of tokens")
print(f"loss by hand {by_hand:.6f}, TRL's GRPOTrainer {trl:.6f}")
assert isclose(by_hand, trl, rel_tol=1e-4, abs_tol=1e-6)
del policy, trainer  # the copy goes; training below loads the warm-up model itself

# %% [markdown]
# *What you should see:* the ratio's range over the batch's tokens, the share clipped on each side,
# and the same loss by hand and from TRL.

# %% [markdown]
# ## 9. GRPO
#
# One `GRPOTrainer` per curriculum round (the pool is filtered between rounds; the length schedule
# raises the budget from phase to phase); the optimizer carries over. Each step prints its reward
# components, pass rate, mean length, truncated share and clip fractions. Rollouts go through the
# kit's slot engine with the policy's current weights (`rollout_engine`; it says once which path
# samples, and why).
#
# First the pool it trains on. A group whose answers all fail, or all pass, earns one execution
# reward everywhere, so that reward gives it no advantage (DAPO drops such groups as they come).
# With `rl_pool_candidates` set, the warm-up model first answers that many problems
# `rl_pool_samples` times each, and GRPO trains only on those whose answers earned different
# rewards; with 0 (this profile's default unless the line says otherwise) it trains on the problems
# the traces were written for.

# %%
pool = rl.rl_pool(stage, problems)
print(pool.reason)
trained = rl.train(stage, pool, config, reward_funcs)
differ, groups = groups_with_signal(trained.rollouts)
print(f"{len(trained.steps)} steps in {trained.train_seconds} s; rollouts: {trained.rollout_paths}; "
      f"{differ} of {groups} rollout groups earned different execution rewards")

# %% [markdown]
# *What you should see:* the pool and why, one line per GRPO step (rewards by component, pass rate,
# length, clip fractions), the steps, time and rollout path, and how many groups the execution
# reward could teach.

# %% [markdown]
# ## 10. The reward over steps
#
# Each rollout batch's mean reward with its 95% interval (a bootstrap over the batch's problem
# groups: the completions of one problem share their prompt), and the moving average over
# `reward_window` batches with its interval. Left: the weighted total the policy was trained on;
# right: the execution reward alone (the fraction of tests passed).

# %%
print(curve_summary(trained.reward_curve)["line"])
print("execution only:", curve_summary(trained.execution_curve)["line"])
plot_reward_curve({"total reward": trained.reward_curve, "execution reward": trained.execution_curve},
                  settings.reward_window)
plt.show()

# %% [markdown]
# *What you should see:* the reward at the start and end with intervals and a verdict, and two
# curves; on `tiny` the execution reward stays at 0 and only the layout moves the total.

# %% [markdown]
# GRPO's own per-step log:
#
# - **Reward by component** (unweighted means) and the **pass rate** (share of completions that
#   passed every test). **Groups with one reward** (`frac_reward_zero_std`) is the share of groups
#   whose completions all scored the same: their advantages are 0 and they teach nothing.
# - **Completion length** against the budget (dashed), and the share of completions cut at the
#   budget (**truncated**): with `mask_truncated_completions` those are left out of the loss.
# - **Clip fractions**: share of tokens whose probability ratio (new policy / policy that sampled)
#   hit 1 - 0.2 or 1 + 0.28. Only from the second step of a rollout has the policy moved, so only
#   those steps can clip; at small learning rates near-zero fractions are expected.
# - **Pool size**: the curriculum removes problems solved above `drop_solved_rate`.

# %%
plot_steps(trained.steps)
plt.show()
for event in trained.curriculum:
    if event["dropped"]:
        print(f"step {event['step']}: {event['reason']}")

# %% [markdown]
# *What you should see:* six panels of GRPO's log over the steps; curriculum lines only when a
# problem was solved often enough to leave the pool.

# %% [markdown]
# ## 11. Rollouts to read
#
# The highest-rewarded completions first (in `tiny` mostly noise with a stray `<think>` or fence,
# which is what the format reward's half credits pay for; in `smol` the model trying the layout it
# was warmed up on).

# %%
best = sorted(trained.rollouts, key=lambda r: (-r["total"], -r["step"]))[:settings.rollouts_to_show]
for r in best:
    parts = ", ".join(f"{k.replace('_reward', '')}={v:.2f}" for k, v in r["rewards"].items())
    print(f"--- step {r['step']}  {r['task_id']}  total={r['total']:.3f}  ({parts})")
    print(r["completion"][:500])

# %% [markdown]
# *What you should see:* the highest-rewarded completions with their reward components; on `tiny`
# noise with a stray tag or fence.

# %% [markdown]
# Browse every rollout by step (needs a live kernel; headless runs print the static view above):

# %%
try:
    from IPython.display import display

    from seedkit.notebooks import live_widgets

    widgets = live_widgets()
    steps = sorted({r["step"] for r in trained.rollouts})

    def show(step):
        for r in [r for r in trained.rollouts if r["step"] == step]:
            print(f"[{r['task_id']}] total={r['total']:.3f} {r['rewards']}")
            print("   " + r["completion"][:200].replace("\n", "\n   "))

    if steps:
        display(widgets.interactive(show, step=widgets.SelectionSlider(options=steps, description="step")))
except ImportError as e:
    print(e)

# %% [markdown]
# ## 12. Did GRPO help? pass@1 against the warm-up model, and the stage's whole effect
#
# The GRPO model and the warm-up model, both in the reasoning format, on the same problems as in
# section 5 (the warm-up model's measurement is reused): the paired difference is what RL changed.
# Then the stage as a whole against the stage-03 model it started from.

# %%
grpo_effect = rl.measure_grpo_effect(stage)
if grpo_effect:
    show_effect(grpo_effect.grpo_vs_warmup, "pass@1, GRPO - warm-up")
    show_effect(grpo_effect.stage_vs_parent, "pass@1, stage 06 - stage 03, both in the reasoning format")
    plot_effect([effect_panel(grpo_effect.grpo_vs_warmup, "GRPO - warm-up"),
                 effect_panel(grpo_effect.stage_vs_parent, "stage 06 - stage 03 (reasoning)")])
    plt.show()

# %% [markdown]
# *What you should see:* the paired pass@1 differences of GRPO against the warm-up and of the whole
# stage against stage 03, each with its interval.

# %% [markdown]
# ## 13. Finish
#
# `finish` writes `warmup_data/` (the kept traces), `metrics.json` (traces, the warm-up log, every
# GRPO step and rollout, the reward curve, the effects) and the manifest, whose metrics name the
# parent model and hold each effect. `seedkit run` does all of the above with
# `rl.run_longcot_rl(settings)`.

# %%
result = rl.finish(stage)
print("model saved as", result.model_spec, "| warm-up model:", result.summary.get("warmup_model"),
      "| parent:", result.parent_model)
for key in ("effect_warmup", "effect_grpo", "effect_same_format"):
    if result.summary.get(key):
        print(f"{key}:", end=" ")
        show_effect(result.summary[key])

# %% [markdown]
# *What you should see:* the saved models' names and the stage's effects, one line each.

# %% [markdown]
# ## Reading the numbers
#
# - **A group with no spread teaches nothing.** Its advantages are all 0, so its gradient is exactly
#   0. TRL's logged `reward_std` is the spread over the *whole batch* and `frac_reward_zero_std` the
#   share of groups without spread: a batch can have `reward_std` > 0 while every group is flat.
#   When `reward_std` is 0, nothing in the loss moves the weights; what could still move them is
#   the optimizer: a weight decay (torch's `AdamW` defaults to 0.01) or Adam's momentum from earlier
#   steps. The stage passes `weight_decay=0` (a test checks that weights then stay put).
# - **The curriculum removes the other zero-spread case**: a problem every completion solves.
#   With `drop_solved_rate = 0.875` and groups of 4, that means 4 of 4 in the recent window.
# - **No KL term** (`kl_beta = 0`): no reference model is loaded and nothing pulls the policy back;
#   the clip range alone bounds each update.
# - **Token-level loss** (`loss_type = "dapo"`): every token of the batch weighs the same, so long
#   completions are not averaged down to the weight of short ones.
# - The warm-up model is `warmup_model/` and the GRPO model `run:<run>/06_longcot_rl`; stage 07
#   evaluates both beside the others.
#
# ### When GRPO does not move pass@1: what it would take
#
# GRPO learns only from groups whose completions earn different rewards, and the execution reward
# is the one that asks for correct code. Three things to read in sections 10 and 12 before asking
# for more steps:
#
# - **The rollouts' pass rate.** When almost no rollout passes its tests, the execution reward is
#   flat within nearly every group, and what the groups' spread teaches is the format.
# - **The clip fractions.** When both stay at 0, no token's probability ratio reached the clip
#   range: the policy hardly moved, whatever the reward did.
# - **Groups that differ.** Section 9's last line counts the rollout groups whose execution rewards
#   differed. `-p rl_pool_candidates=64` tries the warm-up model on 64 problems first and trains only
#   on those whose answers differed (`metrics.json`'s `rl_pool` lists each probe answer).
# - **Effect against budget.** `seedkit sweep --profile smol --stages 06 -p rl_steps_per_length=[4,4],[8,8]`
#   trains one GRPO model per budget and draws GRPO - warm-up against it with intervals
#   (`seedkit curves --stages 06 --budget rl_steps_per_length RUN RUN ...` for runs made by hand).
#
# In the kit's `hour` runs (docs/measuring.md, "DPO and GRPO against their budget") doubling the
# steps left GRPO - warm-up inside its interval, the rollouts rarely passed and the clip fractions
# stayed at 0. On `smol` (docs/measuring.md, "GRPO's rate, steps and problems on `smol`") a probe-chosen
# pool, a ten times higher rate and four times the steps were each tried in one or two runs, and
# none held over runs: a resolved result in one run did not repeat with another seed. What it would take, on
# that evidence: hundreds of groups rather than dozens, measured on the whole tier over several runs
# of each setting, since runs of the same setting differ by more than one measurement's noise.
#
# The warm-up is the branch's other cost. docs/measuring.md ("What the reasoning warm-up costs on
# `smol`") measures it at several rates, step counts and trace sets, from stage 03 and from the SFT
# model. Every warm-up that taught the layout cost the SFT model pass@1, and none of those branches
# ended above the packaged model; the warm-ups too weak to teach it left a model that does not reason
# in the layout. What it would take there: many more verified traces than the 24 seeds, written by a
# model that already reasons (the report's warm-up data), so that the layout is learned without
# memorising a few dozen examples.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked by its level (warm-up, core, stretch) and by what it needs: `tiny` (seconds,
# in this notebook, on any run, tiny included), `rerun` (the stage run again with a changed setting, a
# line added to the parameters cell: minutes on `tiny`), `package` (an edit to the kit's code or data
# files), `smol` (a run of the default profile), `GPU`, `network` (a model server). The exercises that
# need only `tiny` **check themselves**: edit the lines marked `# EDIT` in the exercise's cell and run
# it, then run the check under it. The check prints one line, `PASS` or `NOT YET`, with the range it
# expects and why; as the notebook stands it says `NOT YET`. The cell after it, `solution("06-1")`,
# holds a solution: click it open in JupyterLab, or `print(solution("06-1"))`. The exercises listed
# last are for discussion.
#
# ### 06-1 · warm-up · needs tiny · checks itself: Format without execution, execution without format
#
# For the first training problem (`problem`, its `tests`), write one completion that earns format
# reward 1.0 and execution reward 0, and one that earns execution 1.0 with a format reward below 0.5.
# Which should GRPO prefer, and do the default weights agree?

# %%
from seedkit.exercises import check_answer, solution  # noqa: E402

format_only = ""  # EDIT: the full <think>...</think> then code layout, with code that passes no test
exec_only = ""  # EDIT: code that passes every test, with a layout that scores below 0.5
for label, text in (("format only", format_only), ("execution only", exec_only)):
    print(f"{label:15} " + "  ".join(f"{f.__name__}={f(completions=[text], test_snippets=[tests])[0]:.2f}"
                                     for f in reward_funcs))

# %%
check_answer("06-1", format_only=format_only, exec_only=exec_only, tests=tests,
             weights=[settings.execution_reward_weight, settings.format_reward_weight])

# %%
solution("06-1")

# %% [markdown]
# ### 06-2 · core · needs tiny · checks itself: Group-relative advantages
#
# Write the advantages of one group as TRL computes them (step 2 of section 8). What advantage does a
# lone success among `num_generations` failures get, and what does a group whose completions all
# score the same give?

# %%
def group_advantages(rewards):
    mean = sum(rewards) / len(rewards)
    return [r - mean for r in rewards]  # EDIT: divide by the group's spread (std with Bessel's correction) + 1e-4


print("a lone success:", [round(a, 3) for a in group_advantages([1.0] + [0.0] * (settings.num_generations - 1))])
print("a flat group:  ", group_advantages([0.5] * settings.num_generations))

# %%
check_answer("06-2", group_advantages=group_advantages, num_generations=settings.num_generations)

# %%
solution("06-2")

# %% [markdown]
# ## More exercises: settings, larger runs
#
# - **06-3 · warm-up · needs rerun.** *The batch rule.* Set `rl_global_batch = 6` with
#   `num_generations = 4` and read the error. Which two numbers can you change, and what does each
#   change cost per step?
# - **06-4 · core · needs smol.** *The report's values.* `smol` samples at the report's 0.6 but trains
#   its LoRA adapters at 1e-5. Rerun it with `rl_learning_rate = 1e-6`, then with `temperature = 1.0`
#   (DAPO's own value). What happens to `frac_reward_zero_std`, the clip fractions and the GRPO -
#   warm-up difference?
# - **06-5 · core · needs smol.** *Clipping.* Raise `rl_learning_rate` tenfold and watch the clip
#   fractions. Which side clips more, and what does clip-higher (0.28 instead of 0.2) let through?
# - **06-6 · core · needs rerun.** *Overlong filtering.* Rerun `tiny` with
#   `mask_truncated_completions = True`. What happens to the loss when every completion hits the
#   budget, and why did `tiny` turn it off?
# - **06-7 · core · needs smol.** *Curriculum.* Set `drop_solved_rate = 0.0`: the first problem solved
#   even once leaves the pool. Watch the pool-size panel. What happens when the pool gets smaller than
#   a step needs?
# - **06-8 · stretch · needs smol.** *Which step helped?* Halve `warmup_steps`: does the warm-up effect
#   shrink, and does GRPO make up for it? Compare the two paired differences of sections 5 and 12
#   across the two runs.
# - **06-9 · stretch · needs GPU, network.** *A real trace generator.* Point `trace_generator` at an
#   OpenAI-compatible server (vLLM with a real reasoning model) and count how many generated traces
#   survive the sandbox.
