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
# **What this notebook does at small scale.**
#
# | | report | `smol` (default) | `tiny` (tests, CI) |
# |---|---|---|---|
# | policy | the SFT model | stage 04's model (SmolLM2-135M after SFT) | stage 04's 1M model |
# | prompts | prompts with unit tests | stage 04's verified items held back from SFT + the kit's training problems stage 04 did not train on (never an evaluation problem); a quarter held out | 6 |
# | samples | many per prompt | 4 per prompt, temperature 0.8 | 2 |
# | pairs | ~20K, pass vs fail | pass vs fail (test failures first); a verified reference where nothing passed, flagged off-policy | off-policy only (a 1M model never passes) |
# | training | DPO | TRL `DPOTrainer`, LoRA (the frozen base is the reference) | full fine-tuning, a frozen copy as reference |
# | evidence | benchmarks | pass@1 on the basic tier, paired with stage 04's; preference accuracy on held-out pairs | 6 problems × 2 samples |
#
# `smol` is sized for a laptop's CPU, measurement included (the run's manifest records how long each
# step took).
#
# **Learning objectives**
# 1. Turn execution results into preference pairs, and see which prompts give none (all pass / none pass).
# 2. Know why a rejected answer that fails a *test* teaches more than one that fails to *parse*.
# 3. Tell on-policy from off-policy pairs, and what the fallback to a reference solution costs.
# 4. Compute DPO's loss for one pair from its four log-probabilities, as TRL does.
# 5. Read DPO's training signals (reward margins and accuracies) and check, on pairs never trained on,
#    whether what it learnt carries over.

# %% tags=["parameters"]
profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol
run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the profile's
samples_per_prompt = None
sampling_temperature = None
max_pairs_per_prompt = None
off_policy_fallback = None
heldout_prompt_fraction = None
finetune_method = None
beta = None
learning_rate = None
# 33 more settings come from the profile: settings.describe(every=True) lists them; set one with a line here or seedkit run -p NAME=VALUE

# %%
from collections import Counter

import matplotlib.pyplot as plt

from seedkit.dpo import stage as dpo
from seedkit.dpo.pairs import FAILURE_RANK, build_pairs
from seedkit.dpo.settings import DPOSettings
from seedkit.posttraining.plots import plot_curves, plot_effect, reading

settings = DPOSettings.from_notebook(globals())
settings.describe()
settings.show_report_comparison()

# %% [markdown]
# ## Start the stage
#
# `begin` checks stage 04 and names the policy: the model that samples the answers, is trained,
# and whose starting weights are DPO's reference. Every step saves what it produced under `steps/`:
# a rerun cell or a restarted kernel reuses it; a changed setting or input recomputes it.

# %%
stage = dpo.begin(settings)
settings = stage.settings  # on a GPU: the per-device batch and checkpointing the memory plan chose

# %% [markdown]
# ## 1. Prompts
#
# Prompts with tests from two sources: stage 04's verified items it held back from SFT, and the
# kit's training problems that stage 04 did *not* train on (a model rarely fails a problem whose
# answer it was just taught, and then gives no pair). Evaluation problems are never used. A quarter
# of the prompts is held out: their pairs are not trained on, and measure what DPO learnt.

# %%
prompts = dpo.collect_prompts(stage)
print(Counter((p.source, p.split) for p in prompts.items))
print("PROMPT EXAMPLE:\n" + prompts.items[0].message[:600])

# %% [markdown]
# *What you should see:* the prompts counted by source and split, then one prompt.

# %% [markdown]
# ## 2. Sampling, on-policy
#
# The policy answers every prompt `samples_per_prompt` times at `sampling_temperature` (greedy
# decoding would give identical answers). Each answer stops at the end of its first code block.

# %%
samples = dpo.sample_answers(stage, prompts)
for k, answer in enumerate(samples.answers[0]):
    print(f"--- sample {k} ---\n{answer[:400]}")

# %% [markdown]
# *What you should see:* the policy's answers to the first prompt: different texts, since they are
# sampled.

# %% [markdown]
# ## 3. The sandbox decides
#
# Every answer runs against its prompt's tests in `seedkit.sandbox`. The pass rate per prompt is what
# matters for DPO: a prompt whose answers all pass, or all fail, gives no on-policy pair.

# %%
outcomes = dpo.run_answers(stage, prompts, samples)
rates = outcomes.pass_rates()
statuses = Counter(o.status if o.status != "error" else f"error:{o.error_type}" for row in outcomes.outcomes for o in row)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
axes[0].hist(rates, bins=[i / 10 for i in range(11)], color="tab:blue", edgecolor="white")
axes[0].set(title="pass rate per prompt", xlabel="fraction of samples that passed", ylabel="prompts")
kinds = sorted(statuses, key=statuses.get)
axes[1].barh(kinds, [statuses[k] for k in kinds], color="tab:purple")
axes[1].set(title=f"{sum(statuses.values())} answers by outcome", xlabel="answers")
plt.tight_layout()
plt.show()

# %% [markdown]
# *What you should see:* the pass rate per prompt (on `tiny` all 0) and the answers by outcome,
# failures by kind.

# %% [markdown]
# ## 4. Pair construction
#
# The rule, for one prompt's scored answers (`seedkit.dpo.pairs.build_pairs`):
#
# - **chosen** = a passing answer, **rejected** = a failing one, each distinct text at most once, up to
#   `max_pairs_per_prompt` pairs;
# - failing answers are used in order of how much they teach (`FAILURE_RANK`, printed below): an
#   answer that runs and gives a wrong result first, a runtime error next, a syntax error or no code
#   last. A rejected answer that does not even parse teaches "write Python", not "write the right
#   function";
# - all pass or all fail: no on-policy pair. Where nothing passed, the optional fallback pairs the
#   prompt's **verified reference** (chosen) with the most informative failure (rejected) and flags
#   the pair `off_policy`: the chosen text is not the model's, so DPO then acts partly like SFT.
#
# Here is the rule at work on the first prompt with mixed results, then on every prompt:

# %%
print("FAILURE_RANK (lower = used first as rejected):", FAILURE_RANK)
tasks = dpo.prompt_tasks(prompts)
scored = outcomes.outcomes
mixed = next((i for i, outs in enumerate(scored) if any(o.passed for o in outs) and not all(o.passed for o in outs)),
             None)
if mixed is None:
    print("no prompt has both passing and failing answers in this run")
else:
    example_pairs, record = build_pairs(tasks[mixed], scored[mixed], max_pairs=settings.max_pairs_per_prompt,
                                        off_policy_fallback=settings.off_policy_fallback)
    print(f"{tasks[mixed].task_id}: {[o.failure for o in scored[mixed]]} -> {record.outcome}, {record.num_pairs} pair(s)")
    for row in example_pairs:  # build_pairs gives the rows of pairs/
        print(f"  chosen (passed) vs rejected ({row['rejected_failure']})")

pairs = dpo.make_pairs(stage, prompts, outcomes)
summary = pairs.summary
print(summary.why)
print("prompt outcomes:", summary.prompt_outcomes, "| rejected answers by failure:", summary.rejected_failures)

# %% [markdown]
# *What you should see:* the failure ranking, one prompt's outcomes turned into pairs, and the
# stage's summary: prompt outcomes and rejected answers by failure kind; on `tiny` every pair is
# off-policy.

# %% [markdown]
# One pair, side by side (the first on-policy one when there is one; in `tiny` the 1M model never
# passes, so every pair is off-policy: the chosen answer is the verified reference).

# %%
from seedkit.notebooks import live_widgets


def show_pair(index=0):
    if not pairs.pairs:
        print("no pairs in this run:", summary.why)
        return
    pair = pairs.pairs[index]
    print(f"task {pair.task_id} ({pair.split})  pass rate {pair.pass_rate:.2f}  rejected because: "
          f"{pair.rejected_failure}  off_policy={pair.off_policy}")
    print("PROMPT\n" + pair.prompt[:600])
    print("\nCHOSEN\n" + pair.chosen[:600])
    print("\nREJECTED\n" + pair.rejected[:600])


first = next((i for i, p in enumerate(pairs.pairs) if not p.off_policy), 0)
show_pair(first)
if len(pairs.pairs) > 1:
    try:
        widgets = live_widgets()
        widgets.interact(show_pair, index=widgets.IntSlider(value=first, min=0, max=len(pairs.pairs) - 1))
    except ImportError as e:  # headless: the pair above is the static view
        print(e)

# %% [markdown]
# *What you should see:* one pair side by side: the prompt, the chosen answer and the rejected one,
# with why it was rejected.

# %% [markdown]
# ## 5. The TRL configuration
#
# Built here and passed to the training step (`dpo.training_config(stage)` builds the same one for
# `seedkit run`; a test checks the two agree). DPO's loss compares how much more likely the policy
# makes the chosen answer than the reference does, against the same for the rejected answer;
# `beta` sets how far the policy may move from the reference.

# %%
from trl import DPOConfig

from seedkit.models import resolve_device
from seedkit.training import trainer_kwargs

device = resolve_device(settings.profile_info.device)[0]
config = DPOConfig(
    **trainer_kwargs(
        output_dir=str(stage.path / "checkpoints"),  # checkpoints; deleted once the model is saved
        device=device,  # no autocast on CPU (the LoRA base may be bfloat16: lora_base_dtype), bf16 on a GPU
        dtype=settings.profile_info.dtype,
        global_batch=settings.global_batch_size,  # pairs per optimizer step, whatever the process count
        per_device_max=settings.per_device_batch_max,  # the rest of the global batch is gradient accumulation
        learning_rate=settings.learning_rate,  # LoRA DPO: 1e-4 moves the margins in a few dozen small steps
        max_steps=settings.max_steps if settings.max_steps > 0 else -1,  # -1: train num_train_epochs instead
        seed=settings.seed,
        report_to=settings.report_to,  # none | tensorboard (logs under the stage directory) | wandb ...
        gradient_checkpointing=settings.gradient_checkpointing,  # recompute activations: on for gpu's 8B model
    ),
    beta=settings.beta,  # the DPO temperature: 0.1 as in the DPO paper
    max_length=settings.max_length,  # prompt + answer tokens; longer pairs are cut
    num_train_epochs=settings.num_epochs,  # used when max_steps is -1
    save_only_model=True,  # checkpoints without optimizer state: enough to resume the weights, much smaller
)
print({k: getattr(config, k) for k in ("per_device_train_batch_size", "gradient_accumulation_steps",
                                       "learning_rate", "beta", "max_steps", "max_length")})

# %% [markdown]
# *What you should see:* the batch split, the learning rate, `beta` and the length limit.

# %% [markdown]
# ## 6. Training
#
# With LoRA the reference is the starting model itself with the new adapter switched off (no second
# copy in memory); with full fine-tuning (`tiny`) a frozen in-memory copy. Only pairs of training
# prompts are used. DPO's implicit reward of an answer is β · (log π(answer) − log π_ref(answer));
# the **margin** is chosen minus rejected, the **accuracy** the share of pairs with a positive margin.
# At step 1 the policy *is* the reference: margin 0.

# %%
trained = dpo.train(stage, pairs, config)
print("reference model:", trained.reference_model or "(no training: no pairs)")
plot_curves(trained.log_history, ("loss", "rewards/margins", "rewards/accuracies"), title="DPO")
plt.show()

# %% [markdown]
# *What you should see:* the reference model and the curves: the loss, ln 2 = 0.693 where the policy
# is still the reference, and the reward margins and accuracies, which move away from 0 and 0.5 only
# as the policy leaves the reference.

# %% [markdown]
# ## The objective, by hand, for one pair
#
# DPO's loss for one pair is −log σ(β · ((log π(chosen) − log π_ref(chosen)) − (log π(rejected) −
# log π_ref(rejected)))), each log π summed over the answer's tokens given the prompt (rendered with
# the chat template, as when the model sampled). Below, the four log-probabilities of the shortest
# pair by hand, under the trained policy π and the reference π_ref (the stage-04 model), and the loss
# from them, checked against what TRL's `DPOTrainer` computes for a batch of that one pair.

# %%
from seedkit.models import load_model

policy, tok = load_model(trained.model_spec, device="cpu", dtype="float32", runs_dir=stage.run.runs_dir,
                         verbose=False)
reference, _ = load_model(stage.parent_spec, device="cpu", dtype="float32", runs_dir=stage.run.runs_dir,
                          verbose=False)
pair = min(pairs.pairs, key=lambda p: len(p.prompt) + len(p.chosen) + len(p.rejected), default=None)
print(pair)

# %%
# DPO's loss for one pair, by hand
import math
import tempfile

import torch
from trl import DPOTrainer


def answer_logprob(model, prompt_ids, answer_ids):
    """log pi(answer | prompt): the sum of the answer tokens' log-probabilities, each given all before it."""
    ids = torch.tensor([prompt_ids + answer_ids])
    with torch.no_grad():
        log_probs = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), dim=-1)  # t predicts t + 1
    return sum(log_probs[t, ids[0, t + 1]].item() for t in range(len(prompt_ids) - 1, ids.shape[1] - 1))


def common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


if pair is None:
    print("no pair in this run: nothing to compute")
else:
    # as TRL tokenises a conversational pair: the prompt alone (ending with the assistant header), then prompt +
    # chosen and prompt + rejected; the answers start where those stop agreeing with the prompt alone
    prompt = [{"role": "user", "content": pair.prompt}]
    prompt_ids = tok.apply_chat_template(prompt, add_generation_prompt=True, tokenize=True,
                                         return_dict=True)["input_ids"]
    full = {name: tok.apply_chat_template(prompt + [{"role": "assistant", "content": text}], tokenize=True,
                                          return_dict=True)["input_ids"]
            for name, text in (("chosen", pair.chosen), ("rejected", pair.rejected))}
    n_prompt = min(common_prefix(prompt_ids, ids) for ids in full.values())
    assert n_prompt < settings.max_length  # TRL drops a pair whose prompt alone fills max_length
    context = full["chosen"][:n_prompt]
    # TRL keeps the first max_length tokens of prompt + answer (truncation_mode "keep_start")
    chosen, rejected = full["chosen"][n_prompt:settings.max_length], full["rejected"][n_prompt:settings.max_length]
    pc, pr = answer_logprob(policy, context, chosen), answer_logprob(policy, context, rejected)
    rc, rr = answer_logprob(reference, context, chosen), answer_logprob(reference, context, rejected)
    margin = settings.beta * ((pc - rc) - (pr - rr))  # the implicit reward of chosen minus that of rejected
    by_hand = math.log1p(math.exp(-margin))  # -log sigmoid(margin)
    # what TRL computes: a DPOTrainer with the same two models, and its loss on a batch of this one pair
    trainer = DPOTrainer(model=policy, ref_model=reference, processing_class=tok,
                         args=dpo.dpo_config(settings, tempfile.mkdtemp(), verbose=False),
                         train_dataset=dpo.to_preference_dataset([pair.to_row()]))
    with torch.no_grad():
        trl_loss = trainer.compute_loss(policy, trainer.data_collator([trainer.train_dataset[0]])).item()
    print(f"log pi(chosen) {pc:.4f}, log pi_ref(chosen) {rc:.4f}, log pi(rejected) {pr:.4f}, "
          f"log pi_ref(rejected) {rr:.4f} ({len(chosen)} and {len(rejected)} answer tokens)")
    print(f"beta {settings.beta:g}, margin {margin:+.6f}: DPO loss by hand {by_hand:.6f}, TRL's {trl_loss:.6f}")
    assert math.isclose(by_hand, trl_loss, rel_tol=1e-4, abs_tol=1e-4)

# %% [markdown]
# *What you should see:* the four log-probabilities of the shortest pair, the margin, and the same
# DPO loss by hand and from TRL.

# %% [markdown]
# ## 7. Did it help? Before and after
#
# Two questions, each with a 95% interval:
#
# - **pass@1 on the basic tier** (`eval_set`), the same problems and samples as every stage: the
#   stage-04 model's measurement is the one stage 04 made, reused; the DPO model's is new; the
#   difference is paired by problem.
# - **Preference accuracy on held-out pairs** (pairs of prompts never trained on): does the model
#   give the passing answer a higher likelihood than the failing one, before (the stage-04 model)
#   and after DPO? The implicit-reward accuracy (DPO's own metric) on those pairs is beside it; it
#   is 0.5 before by construction, since the policy then equals the reference.

# %%
effect = dpo.measure_effect(stage)
if effect:
    pa, pref = effect.pass_at_1, effect.preference
    print(pa["line"])
    print(pref["line"])
    print(reading(pa["difference"], "pass@1"))
    panels = [{"title": f"pass@1 ({pa['n_problems']} problems x {pa['n_samples']} samples)", "before": pa["before"],
               "after": pa["after"], "difference": pa["difference"], "labels": (pa["parent"], pa["child"])}]
    if pref.get("n_pairs"):
        print(reading(pref["difference"], "preference accuracy on held-out pairs"))
        panels.append({"title": f"held-out preference accuracy ({pref['n_pairs']} pairs)", "before": pref["before"],
                       "after": pref["after"], "difference": pref["difference"], "labels": (pref["parent"], pref["child"])})
    plot_effect(panels)
    plt.show()

# %% [markdown]
# *What you should see:* pass@1 before and after with the paired difference, and the held-out
# preference accuracy before and after, each with its interval and verdict.

# %% [markdown]
# ### When pass@1 does not move: what it would take
#
# At `smol`'s size this difference usually stays inside its interval, and in the kit's runs of the
# `hour` profile (every basic problem) it did not resolve either (docs/measuring.md, "DPO and GRPO
# against their budget"). Three readings say whether that is a missing effect or a missing dose:
#
# - **Power.** `python -m seedkit.measure.power runs/<run>/05_dpo --child 05_dpo --parent 04_sft --family 8`
#   prints the smallest difference this measurement finds 80% of the time, and how many problems
#   and samples a smaller one would need.
# - **The held-out implicit margin** (the line above). When it resolves above zero while pass@1 and
#   the likelihood preference accuracy stay put, DPO learnt to rank the pairs it was shown without
#   moving what the model samples: the policy moved too little for sampled answers to change.
# - **Effect against budget.** `seedkit sweep --profile smol --stages 05 -p max_prompts=48,192`
#   trains one DPO model per number of prompts and draws pass@1's difference against it, with
#   intervals; `seedkit curves --stages 05 --budget max_prompts RUN RUN ...` draws the same from runs
#   made by hand. In the kit's `hour` runs, four times the prompts at the same 32 steps did not
#   bring an effect out, and neither did training on on-policy pairs alone, nor three times the
#   steps over them: the held-out implicit margin grew with the steps, pass@1 did not move by a
#   resolved amount. What it would take, on this evidence: many more pairs the model wrote itself
#   (the report trained on about 20K; these runs had fewer than 100), at that dose or more, and a
#   measurement sized by the power line for the small difference it makes.

# %% [markdown]
# ## 8. Finish
#
# `finish` writes `pairs/` and `prompts/` (`docs/contracts.md`), `stats.json`, `metrics.json` and the
# manifest, whose metrics name the parent model and hold the effect. `seedkit run` does all of the
# above with `dpo.run_dpo(settings)`.

# %%
result = dpo.finish(stage)
print(f"stages 06 and 07 load this model as {result.model_spec!r} (parent {result.parent_model})")

# %% [markdown]
# *What you should see:* the name later stages load this model by, and its parent.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked by its level (warm-up, core, stretch) and by what it needs: `tiny` (seconds,
# in this notebook, on any run, tiny included), `rerun` (the stage run again with a changed setting, a
# line added to the parameters cell: minutes on `tiny`), `package` (an edit to the kit's code or data
# files), `smol` (a run of the default profile), `GPU`, `network` (a model server). The exercises that
# need only `tiny` **check themselves**: edit the lines marked `# EDIT` in the exercise's cell and run
# it, then run the check under it. The check prints one line, `PASS` or `NOT YET`, with the range it
# expects and why; as the notebook stands it says `NOT YET`. The cell after it, `solution("05-1")`,
# holds a solution: click it open in JupyterLab, or `print(solution("05-1"))`. The exercises listed
# last are for discussion.
#
# ### 05-1 · warm-up · needs tiny · checks itself: DPO's loss of a pair, and at the reference
#
# Write DPO's loss of one pair from its four log-probabilities (the formula of the objective cell)
# and evaluate it where the policy is the reference. What loss does every pair then get, whatever its
# answers, and where do you see that number in the training curves?

# %%
from seedkit.exercises import check_answer, solution  # noqa: E402


def dpo_pair_loss(logp_chosen, ref_chosen, logp_rejected, ref_rejected, beta):
    margin = beta * ((logp_chosen - ref_chosen) - (logp_rejected - ref_rejected))
    return margin  # EDIT: DPO's loss of the pair is -log sigmoid(margin)


at_reference = dpo_pair_loss(-20.0, -20.0, -35.0, -35.0, settings.beta)  # the policy is the reference
print(f"loss when the policy is the reference: {at_reference:.4f}")

# %%
check_answer("05-1", loss=dpo_pair_loss, at_reference=at_reference, beta=settings.beta)

# %%
solution("05-1")

# %% [markdown]
# ### 05-2 · core · needs tiny · checks itself: How far beta makes the policy move
#
# The loss sees only β x gap, where the gap is (log π − log π_ref)(chosen) − (log π − log π_ref)(rejected).
# At this run's `beta`, how many nats of gap bring a pair's loss down to 0.1? What happens to that
# number with `beta = 0.01`, and what does that say about how far DPO lets the policy drift?

# %%
gap = 1.0  # EDIT: the gap, in nats, at which the pair's loss is 0.1
print(f"beta {settings.beta:g}, gap {gap:.2f} nats: loss {math.log1p(math.exp(-settings.beta * gap)):.4f}")

# %%
check_answer("05-2", gap=gap, beta=settings.beta)

# %%
solution("05-2")

# %% [markdown]
# ### 05-3 · core · needs tiny · checks itself: Every pair, run again
#
# Check every pair of this run: run its chosen and its rejected answer against the prompt's tests in
# `seedkit.sandbox` (hint: `PromptTask.program` builds the program; `seedkit.dpo.pairs.score_answers`
# runs a list of answers per task). Does every pair hold, the chosen answer passing and the rejected
# one failing? On `tiny` the chosen answers are the verified references.

# %%
by_id = {t.task_id: t for t in tasks}
checked_pairs = []  # EDIT: for each pair of pairs.pairs, (chosen passed, rejected passed), run in the sandbox
print(f"{sum(c and not r for c, r in checked_pairs)} of {len(pairs.pairs)} pairs hold: chosen passes, rejected fails")

# %%
check_answer("05-3", pairs=pairs.pairs, tasks=tasks, checked_pairs=checked_pairs)

# %%
solution("05-3")

# %% [markdown]
# ## More exercises: settings, the package, larger runs
#
# - **05-4 · core · needs smol.** *More samples, more on-policy pairs.* Rerun with
#   `samples_per_prompt = 8`. How does the `on_policy` share change? Why does the number of *all_pass*
#   prompts grow too?
# - **05-5 · stretch · needs package, smol.** *Syntax errors as rejected answers.* In `seedkit/dpo/pairs.py`,
#   `FAILURE_RANK` puts test failures first. Put `syntax` first instead, retrain, and compare the
#   held-out preference accuracy. Which pairs are "easy" for DPO, and does easy help?
# - **05-6 · core · needs rerun, smol.** *Off-policy only.* Set `off_policy_fallback = False` in the `tiny`
#   profile. What happens to the stage, and what does it print? Then, in `smol`, compare a run with the
#   fallback on and off.
# - **05-7 · core · needs smol.** *β.* Train with `beta = 0.01` and `beta = 0.5`. How do the reward
#   margins, the held-out preference accuracy and pass@1 change?
# - **05-8 · warm-up · needs rerun.** *β on tiny: training only.* Set `beta = 0.5` in the parameters cell
#   and rerun. Which steps are computed again, and which are read back? What you should see: only training
#   and the effect run again: the prompts, samples, outcomes and pairs steps print 'reusing what these
#   settings computed before', since beta is a setting only training reads.
