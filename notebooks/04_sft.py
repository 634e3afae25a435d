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
# # 04 · Synthetic instruction data and supervised fine-tuning
#
# **What the report did.** Seed-Coder's instruct model was fine-tuned on about **3 million
# synthetic instruction items**, written by LLMs rather than people. Generation was *seeded* with
# high-quality code (the files its LLM filter scored highest) so that tasks are varied and
# realistic; the items were then filtered: parsing, exact and near deduplication,
# decontamination against the benchmarks, an **LLM judge** that rated difficulty (items below
# **3/10** were dropped), and **sandbox verification**: a solution had to pass its own unit tests,
# with a **self-correction** loop in which the generator saw its failing code and the error. The
# pretrained base was then fine-tuned on the result.
#
# **What this notebook does at small scale.** The same pipeline on one laptop, then the same
# measurement every stage of the kit makes: the model before and after, on problems it never saw.
#
# | | report | `smol` (default) | `tiny` (tests, CI) |
# |---|---|---|---|
# | seeds | millions of top-scored snippets | 8 functions cut from stage 02's `scored/` + 40 seed instructions with tests | 2-4 + 2-4 |
# | generator / judge | strong LLMs | SmolLM2-135M-Instruct (in-process), or any OpenAI-compatible server | stage 03's 1M model: writes garbage |
# | offline sources | – | docstring → implementation pairs mined from the corpus; half the kit's training problems, asked as the evaluation asks | same |
# | difficulty filter | drop < 3/10 | measure the judge's signal first, filter only if it has some (`gpu`: drop < 3) | same as smol |
# | verification | sandbox, self-correction | `seedkit.sandbox`, 1 correction round | 1 round |
# | training | full fine-tuning of the base | LoRA r=16 on stage 03's model, 3 epochs | full fine-tuning, 8 steps |
# | evidence | benchmarks | pass@1 on the basic tier (about 200 problems × 5 samples), paired with stage 03's; loss of the reference answers | 6 problems × 2 samples |
#
# `smol` is sized for a laptop's CPU, measurement included (the run's manifest records how long each
# step took). A 135M model is a weak generator: most of its tasks fail a filter, and the notebook
# shows which filter and why. Point `generator` at a vLLM server (`generator="http://host:8000/v1"`,
# `server_model=...`) to synthesise with a strong model.
#
# **Learning objectives**
# 1. Turn seeds into (instruction, solution, tests) items with a generator and a style set.
# 2. Read a data funnel: what each filter removes and why, with an example of each.
# 3. Decide whether to trust an LLM judge by measuring it against something objective.
# 4. See verification with self-correction at work: how many items a second try rescues.
# 5. Configure TRL's SFT with the loss on the answer only, compute that loss by hand for one example,
#    and measure what training changed, with an interval, against the model it started from.

# %% tags=["parameters"]
profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol
run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the profile's
generator = None
judge = None
judge_filter = None
max_correction_rounds = None
train_problems_fraction = None
finetune_method = None
learning_rate = None
max_steps = None
# 47 more settings come from the profile: settings.describe(every=True) lists them; set one with a line here or seedkit run -p NAME=VALUE

# %%
import matplotlib.pyplot as plt

from seedkit.posttraining.plots import plot_curves, plot_effect, plot_funnel, plot_judge, reading
from seedkit.sft import stage as sft
from seedkit.sft.settings import SFTSettings

settings = SFTSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# Where these settings follow the report, and where and why they differ:

# %%
settings.show_report_comparison()

# %% [markdown]
# ## Start the stage
#
# `begin` checks the inputs (stage 02's scored files, stage 03's model), says which models generate,
# judge and get fine-tuned, and whether this run's stage 04 is already done with the same settings
# and inputs. Every step below saves what it produced under `steps/`: rerunning a cell, or the whole
# notebook after a restart, reuses it; changing a setting or an input recomputes it.

# %%
stage = sft.begin(settings)
settings = stage.settings  # on a GPU: the per-device batch and checkpointing the memory plan chose

# %% [markdown]
# ## 1. Seeds
#
# A code seed is one top-level function cut out of a high-scoring file of stage 02 (parsed with
# `ast`, so it is always complete); a seed instruction comes with its own tests, so a small generator
# only has to write the solution.

# %%
seeds = sft.select_seeds(stage)
print(f"{len(seeds.code)} code seeds, {len(seeds.instructions)} seed instructions; corpus: {seeds.corpus}")
for s in seeds.code[:1] + seeds.instructions[:1]:
    print("=" * 80, f"\n{s.kind} seed from {s.origin} (quality {s.quality_score}):\n{s.text[:400]}")

# %% [markdown]
# *What you should see:* how many code seeds and seed instructions were chosen, then one of each: a
# function cut from a high-scoring file, an instruction with its tests.

# %% [markdown]
# ## 2. Synthesis
#
# For each seed the generator gets the prompt in `seedkit/prompts/sft_prompts.yaml` and one style
# sampled from `seedkit/prompts/sft_styles.yaml`, and answers with a task, a solution and tests.
# Docstring-to-implementation pairs are mined from the same corpus with no generator at all.

# %%
candidates = sft.synthesize(stage, seeds)
print("candidates by source:", candidates.sources, "| docstring mining:", candidates.docstring_mining)
generated = [it for it in candidates.items if it.source == "generated"]
if generated:
    it = generated[0]
    print(f"--- what the generator wrote (style {it.style}) ---\n{it.raw_output[:700]}")
    print(f"--- parsed ---\nINSTRUCTION: {it.instruction[:300]}\nSOLUTION:\n{it.solution[:300]}\nTESTS:\n{it.tests[:200]}")

# %% [markdown]
# *What you should see:* the candidates by source and what the generator wrote for one seed, then
# how it was parsed; on `tiny` the generator writes noise.

# %% [markdown]
# ## 3. Rule filters
#
# Each filter returns a verdict and a reason per item: `parse` (a solution that parses and defines
# its entry point, tests that call it), exact and near deduplication (stage 01's MinHash), and
# decontamination: a word 10-gram shared with any evaluation problem (HumanEval, the held-out set,
# the basic tier) removes the item, so training cannot leak evaluation answers.

# %%
filtered = sft.filter_items(stage, candidates)
for row in filtered.funnel:
    print(f"{row.step:>12}: {row.n_in:3d} in, {row.removed:3d} removed  {row.reasons or ''}")
shown = set()
for it in filtered.dropped:
    if it.dropped_by not in shown:
        shown.add(it.dropped_by)
        print("=" * 80, f"\ndropped by {it.dropped_by} ({it.drop_reason}): {it.instruction[:150]!r}")
        print(it.solution[:250] or "(no solution parsed) raw: " + it.raw_output[:250])

# %% [markdown]
# *What you should see:* one funnel line per rule filter and the first item each one dropped, with
# its reason.

# %% [markdown]
# ## 4. The judge, and whether to trust it
#
# The judge rates every item twice, 0-10: **difficulty** (the report's filter: below 3 is dropped)
# and **correctness** (checked for real by the sandbox next). An in-process judge is read by
# likelihood: the expected rating under its distribution over "0".."10" after `Rating: [[`.
#
# A rating is only worth filtering on if it means something. The stage measures that: the Spearman
# correlation between the difficulty rating and the solution's size (AST nodes + branches), with a
# 95% bootstrap interval. With `judge_filter="auto"`, items are dropped by rank only when the
# interval lies above zero; a judge with no measurable signal would drop items at random, so
# nothing is dropped and the stage says so. `gpu` applies the report's rule (< 3) directly.

# %%
judged = sft.judge_items(stage, filtered)
print(judged.ratings.why)
plot_judge(judged.ratings)
plt.show()

# %% [markdown]
# *What you should see:* whether the difficulty ratings carry a measurable signal (a Spearman
# interval) and what the stage did about it, and the ratings plotted against the solutions' size.

# %% [markdown]
# ## 5. Verification with self-correction
#
# Every item runs against its own tests in `seedkit.sandbox`. A failing generated solution goes back
# to the generator with the failing code and the error, for `max_correction_rounds` more tries.
# Mined functions without doctests first get generator-written asserts, each kept only if the
# corpus's own code passes it. The correctness rating is then checked against the sandbox's verdict.

# %%
verified = sft.verify_items(stage, judged)
print("verification:", verified.verification)
print("tests written for docstring items:", verified.docstring_tests)
print("judge's correctness rating vs the sandbox:", verified.correctness_signal)
rescued = verified.rescued()
if rescued:
    print("=" * 80, f"\nrescued by self-correction after {rescued[0].attempts} attempts")
    print("FIRST (FAILING) SOLUTION:\n" + rescued[0].history[0][:400])
    print("FIXED SOLUTION:\n" + rescued[0].solution[:400])

# %% [markdown]
# *What you should see:* how many items passed their tests, on which attempt, and one item rescued
# by self-correction when there is one.

# %% [markdown]
# ## 6. The training set
#
# A share of the verified items with real tests is held back (`held_for_dpo`): stage 05 samples its
# preference pairs on prompts the SFT model never trained on. Half of the kit's training problems
# (`train_problems_fraction`) join the SFT data, asked exactly as the evaluation asks (instruction,
# then the signature and docstring to complete) and answered with their verified reference; the
# other half is left for stage 05. Each item becomes a *conversational prompt-completion* example:
# TRL renders it with the tokenizer's chat template and computes the loss on the answer only.

# %%
data = sft.build_dataset(stage, verified)
print(data.stats)
train_rows = sft.training_dataset(data)
example = train_rows[0]
print(f"{len(train_rows)} training examples; the first one:")
print("PROMPT:", example["prompt"])
print("COMPLETION (the only tokens with a loss):", example["completion"])

# %% [markdown]
# *What you should see:* the dataset's counts by source and split, and the first training example as
# a prompt and a completion.

# %% [markdown]
# ## 7. The TRL configuration
#
# Built here, argument by argument, and passed to the training step (`sft.training_config(stage)`
# builds the same one for `seedkit run`; a test checks the two agree). The arguments every training
# stage shares (how the global batch splits into per-device batch × accumulation × processes,
# bf16 only on a GPU, logging) come from `seedkit.training.trainer_kwargs`.

# %%
from trl import SFTConfig

from seedkit.models import resolve_device
from seedkit.training import trainer_kwargs

device = resolve_device(settings.profile_info.device)[0]
config = SFTConfig(
    **trainer_kwargs(
        output_dir=str(stage.path / "checkpoints"),  # checkpoints; deleted once the model is saved
        device=device,  # no autocast on CPU (the LoRA base may be bfloat16: lora_base_dtype), bf16 on a GPU
        dtype=settings.profile_info.dtype,
        global_batch=settings.global_batch_size,  # sequences per optimizer step, whatever the process count
        per_device_max=settings.per_device_batch_max,  # the rest of the global batch is gradient accumulation
        learning_rate=settings.learning_rate,  # LoRA: 2e-4; full fine-tuning wants about 10x less
        max_steps=settings.max_steps if settings.max_steps > 0 else -1,  # -1: train num_train_epochs instead
        seed=settings.seed,  # data order and adapter initialisation
        warmup_ratio=0.05,  # transformers 5: warmup_steps in [0, 1) is a fraction of all steps
        lr_scheduler_type="cosine",  # decay to zero over the run
        report_to=settings.report_to,  # none | tensorboard (logs under the stage directory) | wandb ...
        gradient_checkpointing=settings.gradient_checkpointing,  # recompute activations: on for gpu's 8B model
    ),
    num_train_epochs=settings.num_epochs,  # the report: 3 epochs over the data
    max_length=settings.max_length,  # prompt + answer tokens; longer examples are cut
    packing=settings.packing,  # several short examples per sequence (off on CPU, where padding is cheap)
    **({"packing_strategy": "bfd" if device.startswith("cuda") else "wrapped"}  # bfd needs FlashAttention (GPU)
       if settings.packing else {}),
    completion_only_loss=True,  # loss on the answer tokens only: the model learns to answer, not to ask
    dataset_num_proc=None,  # tokenise in this process
)
print({k: getattr(config, k) for k in ("per_device_train_batch_size", "gradient_accumulation_steps",
                                       "learning_rate", "num_train_epochs", "max_steps", "max_length")})

# %% [markdown]
# *What you should see:* the batch split into per-device batch and accumulation, the learning rate
# and the length limits.

# %% [markdown]
# ## 8. Training
#
# The parent (this run's stage-03 model; LoRA adapters on it for `lora`) is trained on the `sft`
# split and saved as `run:<run>/04_sft`, which stage 05 starts from.

# %%
trained = sft.train(stage, data, config)
print(f"{trained.examples} examples, {trained.trainable_parameters:,} of {trained.total_parameters:,} "
      f"parameters trained, {trained.train_seconds} s; saved as {trained.model_spec}")
plot_curves(trained.log_history, ("loss",), title="SFT")
plt.show()

# %% [markdown]
# *What you should see:* the examples, trainable and total parameters, the training time, the saved
# model's name, and a loss curve.

# %% [markdown]
# ## The objective, by hand, for one example
#
# What the trainer minimised: the mean cross-entropy of the **answer** tokens, each predicted from
# everything before it. TRL tokenises a conversational prompt-completion example twice with the chat
# template: the prompt alone (ending with the assistant header, `add_generation_prompt=True`) and
# prompt + completion; the completion starts where the two stop agreeing. Every token before that gets
# the label -100, which the loss skips. Below, the trained model's loss for the shortest training
# example, computed by hand from its logits and checked against the loss the model computes from
# those labels (the number the trainer averages over a batch and logs).

# %%
from seedkit.models import load_model

model, tok = load_model(trained.model_spec, device="cpu", dtype="float32", runs_dir=stage.run.runs_dir,
                        verbose=False)
example = min(train_rows, key=lambda r: len(r["prompt"][0]["content"]) + len(r["completion"][0]["content"]))

# %%
# the SFT loss of one example, by hand
import torch

prompt_ids = tok.apply_chat_template(example["prompt"], add_generation_prompt=True, tokenize=True,
                                     return_dict=True)["input_ids"]
ids = tok.apply_chat_template(example["prompt"] + example["completion"], tokenize=True, return_dict=True)["input_ids"]
n_masked = 0  # where the prompt alone and prompt + completion stop agreeing (TRL's common_prefix_length)
while n_masked < min(len(prompt_ids), len(ids)) and prompt_ids[n_masked] == ids[n_masked]:
    n_masked += 1
ids = ids[:settings.max_length]  # TRL cuts longer sequences at max_length
labels = [-100] * n_masked + ids[n_masked:]  # the prompt's tokens carry no loss
with torch.no_grad():
    logits = model(input_ids=torch.tensor([ids])).logits[0].float()
    model_loss = model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss.item()
log_probs = torch.log_softmax(logits[:-1], dim=-1)  # position t predicts token t + 1
targets = torch.tensor(ids[1:])
scored = torch.tensor(labels[1:]) != -100
by_hand = -log_probs[torch.arange(len(targets)), targets][scored].mean().item()
print(f"{len(ids)} tokens: {n_masked} prompt tokens masked (-100), {int(scored.sum())} answer tokens carry the loss")
print(f"mean cross-entropy of the answer tokens: by hand {by_hand:.6f}, the model's loss with these labels "
      f"{model_loss:.6f}")
assert abs(by_hand - model_loss) < 1e-4 * max(1.0, abs(model_loss))

# %% [markdown]
# *What you should see:* how many prompt tokens were masked and how many answer tokens carry the
# loss, and the same loss by hand and from the model.

# %% [markdown]
# ## 9. Did it help? Before and after, on problems never trained on
#
# The parent and the SFT model answer the same problems of the basic tier (`eval_set`), each
# `eval_samples` times at `eval_temperature`; every answer runs against the problem's tests. pass@1
# is the mean over problems of (passed / samples); the interval is a 95% bootstrap over problems,
# and the difference is **paired**: the same problems for both models. The parent's measurement is
# the one its own stage made (reused, not generated again). Each model is asked the way it was
# trained: the stage-03 model continues the prompt, the SFT model answers in its chat format. That
# difference mixes SFT's effect with the change of format, so the parent is also measured in the
# chat format (stage 03 already did so on `smol`): the second panel isolates what SFT changed.
#
# Teacher-forced evidence beside it: the mean per-token loss of the problems' *reference* answers,
# asked as the evaluation asks, under each model (lower: SFT moved the model towards correct answers).

# %%
effect = sft.measure_effect(stage)
if effect:
    pa, same, lo = effect.pass_at_1, effect.pass_at_1_same_format, effect.answer_loss
    print(pa["line"])
    print(reading(pa["difference"], "pass@1, each model asked the way it was trained"))
    panels = [{"title": f"pass@1 ({pa['n_problems']} problems x {pa['n_samples']} samples)", "before": pa["before"],
               "after": pa["after"], "difference": pa["difference"], "labels": (pa["parent"], pa["child"])}]
    if same:  # the parent continues prompts, the SFT model chats: the same format isolates what SFT changed
        print(same["line"])
        print(reading(same["difference"], f"pass@1, both asked in {same['after']['prompt_format']}"))
        panels.append({"title": f"pass@1, both in {same['after']['prompt_format']}", "before": same["before"],
                       "after": same["after"], "difference": same["difference"],
                       "labels": (f"{same['before']['label']}", same["child"])})
    print(lo["line"])
    print(reading(lo["difference"], "held-out answer loss", " nats/token", better_when_negative=True))
    plot_effect(panels + [
        {"title": f"reference-answer loss ({lo['n_problems']} problems)", "before": lo["before"], "after": lo["after"],
         "difference": lo["difference"], "labels": (lo["parent"], lo["child"]), "unit": "nats / token"},
    ])
    plt.show()

# %% [markdown]
# *What you should see:* pass@1 before and after with the paired difference (and the same-format
# difference), then the reference-answer loss, lower after SFT when training moved the model towards
# correct answers.

# %% [markdown]
# The same problems, side by side: the first sample of each model.

# %%
for c in effect.comparisons if effect else []:
    print("=" * 100, f"\n{c.task_id}: {c.prompt}")
    print("--- before SFT ---\n" + c.before[:500])
    print("--- after SFT ---\n" + c.after[:500])

# %% [markdown]
# *What you should see:* the same problems answered before and after SFT, side by side.

# %% [markdown]
# ## 10. Finish
#
# `finish` writes `data/` (the kept items, `docs/contracts.md`), `dropped/` (every removed item with
# its filter and reason), `stats.json`, `metrics.json`, and the manifest, whose metrics name the
# parent model and hold the effect. `seedkit run` does all of the above with `sft.run_sft(settings)`.

# %%
result = sft.finish(stage)
plot_funnel(result.stats)
plt.show()
print("model saved as", result.model_spec, "| parent:", result.parent_model)

# %% [markdown]
# *What you should see:* the stage's funnel and the saved model's name and parent.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked by its level (warm-up, core, stretch) and by what it needs: `tiny` (seconds,
# in this notebook, on any run, tiny included), `rerun` (the stage run again with a changed setting, a
# line added to the parameters cell: minutes on `tiny`), `package` (an edit to the kit's code or data
# files), `smol` (a run of the default profile), `GPU`, `network` (a model server). The exercises that
# need only `tiny` **check themselves**: edit the lines marked `# EDIT` in the exercise's cell and run
# it, then run the check under it. The check prints one line, `PASS` or `NOT YET`, with the range it
# expects and why; as the notebook stands it says `NOT YET`. The cell after it, `solution("04-1")`,
# holds a solution: click it open in JupyterLab, or `print(solution("04-1"))`. The exercises listed
# last are for discussion.
#
# ### 04-1 · core · needs tiny · checks itself: The loss without the prompt mask
#
# In the objective cell every prompt token had the label -100. Give every token its own id as label
# and compute the mean cross-entropy from the same `log_probs`. How much does the loss of that example
# change, and what would the model then learn besides answering?

# %%
from seedkit.exercises import check_answer, solution  # noqa: E402

all_labels = labels  # EDIT: every token its own id as label (no -100)
keep = torch.tensor(all_labels[1:]) != -100
loss_all_tokens = -log_probs[torch.arange(len(targets)), targets][keep].mean().item()
print(f"all tokens: {loss_all_tokens:.4f}; the answer only: {by_hand:.4f}")

# %%
check_answer("04-1", log_probs=log_probs, ids=ids, loss_all_tokens=loss_all_tokens, loss_answer=by_hand)

# %%
solution("04-1")

# %% [markdown]
# ### 04-2 · warm-up · needs tiny · checks itself: The filter that removed the most
#
# Read the funnel of section 3 (`filtered.funnel`): which rule filter removed the most candidates in
# this run? Would you expect the same filter to lead with a strong generator behind a server?

# %%
answer = None  # EDIT: the step name of that filter, as the funnel spells it (a string)

# %%
check_answer("04-2", funnel=filtered.funnel, answer=answer)

# %%
solution("04-2")

# %% [markdown]
# ## More exercises: settings, the package, larger runs
#
# - **04-3 · core · needs package, smol.** *Change the voice.* Add a style to `seedkit/prompts/sft_styles.yaml`
#   (for example one that asks for type hints and a docstring), rerun, and find items in your style in
#   `result.data`.
# - **04-4 · core · needs smol, network.** *Trust the judge?* Rerun with `judge_filter = "threshold"`
#   (the report's rule). How many items survive, and how many of the dropped ones had passed their
#   tests? Then point `judge` at a stronger model served by vLLM: does its difficulty rating correlate
#   with the proxy?
# - **04-5 · core · needs smol.** *Self-correction.* Set `max_correction_rounds = 0` and compare
#   `verified.verification`: how many items did the loop rescue, and at what generation cost?
# - **04-6 · core · needs smol.** *Which data helps?* Set `train_problems_fraction = 0` (only
#   synthesised items) and compare the paired pass@1 difference with the default run. Which source
#   moved the model?
# - **04-7 · core · needs rerun, package.** *Decontamination check.* Copy one basic-tier problem's reference into
#   `data_samples/seed_instructions.jsonl` as a seed and rerun: which filter catches it, and why?
# - **04-8 · stretch · needs smol.** *Full fine-tuning vs LoRA.* Rerun with `finetune_method = "full"`
#   and `learning_rate = 2e-5`; compare the loss curve, the training time and the effect.
