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
# decontamination against the benchmarks, an **LLM judge** that rated correctness and difficulty
# (items below **3/10** were dropped), and **sandbox verification**: a solution had to pass its
# own unit tests, with a **self-correction** loop in which the generator saw its failing code and
# the error. The model was then trained for **3 epochs**.
#
# **What this notebook does at small scale.** The same pipeline on one laptop:
#
# | | report | `smol` profile (this notebook by default) | `tiny` profile (tests, CI) |
# |---|---|---|---|
# | seeds | millions of top-scored snippets | ~10 functions/classes cut from stage 02's `scored/` + 12 seed instructions | 4 + 4 |
# | generator / judge | strong LLMs | SmolLM2-135M-Instruct (in-process) or any OpenAI-compatible server | stage 03's 1M-parameter model: writes garbage |
# | offline source | – | docstring → implementation pairs mined from the corpus | same |
# | judge | drop < 3/10 | SmolLM2 rates everything ~1.5/10, so the bottom 20% by rank is dropped instead | same |
# | verification | sandbox, self-correction | `seedkit.sandbox`, up to 2 correction rounds | 1 round |
# | training | full fine-tuning, 3 epochs | LoRA r=16, 3 epochs | full fine-tuning, 8 steps |
#
# `smol` runs in under ten minutes on two CPU cores. A 135M model is a weak generator: most of its
# tasks fail a filter, and the notebook shows which filter and why. Point `generator` at a vLLM
# server (`generator="http://host:8000/v1"`, `server_model=...`) to synthesise with a strong model.
#
# **Learning objectives**
# 1. Turn code seeds into (instruction, solution, tests) items with a generator and a style set.
# 2. Read a data funnel: what each filter removes and why, with an example of each.
# 3. See verification with self-correction at work: how many items a second try rescues.
# 4. Fine-tune with the loss on the answer only (TRL prompt-completion data) and compare the
#    model before and after on the same prompts and on held-out problems.

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
scored_input = None
base_model = None
generator = None
server_model = None
judge = None
num_code_seeds = None
min_seed_quality = None
seed_min_lines = None
seed_max_lines = None
num_seed_instructions = None
seed_instructions_file = None
max_docstring_items = None
tests_for_docstring_items = None
styles_file = None
generation_temperature = None
generation_max_new_tokens = None
generation_batch_size = None
judge_min_score = None
judge_drop_bottom_fraction = None
keep_unjudged = None
near_dup_threshold = None
decontam_ngram = None
max_correction_rounds = None
correction_max_new_tokens = None
sandbox_workers = None
held_for_dpo_fraction = None
finetune_method = None
lora_r = None
lora_alpha = None
learning_rate = None
num_epochs = None
max_steps = None
global_batch_size = None
per_device_batch_max = None
max_length = None
packing = None
eval_problems = None
compare_prompts = None

# %%
import matplotlib.pyplot as plt

from seedkit.sft.settings import SFTSettings
from seedkit.sft.stage import FILTER_STEPS, run_sft

settings = SFTSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## Synthesise, filter, verify, train
#
# `run_sft` does the whole stage and prints every automatic choice: which models generate, judge
# and get fine-tuned, how many seeds came from where, what each filter removed, how the judge read
# its scores, how the batch is split. If this run's stage 04 is already complete with the same
# settings and inputs, it is read back from disk (`force = True` redoes it).

# %%
result = run_sft(settings)
print({k: round(v, 1) for k, v in result.timings.items()})

# %% [markdown]
# ## The data funnel
#
# Every candidate item starts from a seed: a code snippet (`generated`), a seed instruction
# (`seed`), or a docstring mined from the corpus (`docstring`). Mined functions whose docstring has
# doctest examples are tested by them; for the others the generator writes asserts, and an assert
# is kept only if the corpus's own code passes it (the code is trusted, the generator is not);
# functions left without any test are verified by executing their definition only. Each bar is a filter; its length is
# how many items it removed. The reasons printed below the plot are the filters' verdicts: a
# filter never drops an item without saying why.

# %%
funnel = result.stats["funnel"]
fig, axes = plt.subplots(1, 2, figsize=(13, 3.8))
axes[0].barh([f["step"] for f in funnel][::-1], [f["removed"] for f in funnel][::-1], color="tab:red", label="removed")
axes[0].barh([f["step"] for f in funnel][::-1], [f["out"] for f in funnel][::-1],
             left=[f["removed"] for f in funnel][::-1], color="tab:green", label="passed on")
axes[0].set(title=f"{sum(result.stats['sources'].values())} candidates -> {result.stats['kept']['total']} verified items",
            xlabel="items")
axes[0].legend(loc="lower right")
scores = [s for s in result.stats["judge"]["scores"] if s is not None]
axes[1].hist(scores, bins=20, color="tab:blue", edgecolor="white")
cut = result.stats["judge"]["min_score"]
axes[1].axvline(cut, color="tab:red", linestyle="--", label=f"drop below {cut:.2f}")
axes[1].set(title=f"judge scores ({result.stats['judge']['method']})", xlabel="0-10", ylabel="items")
axes[1].legend()
plt.tight_layout()
plt.show()

print("judge:", result.stats["judge"]["method"], "-", result.stats["judge"]["why"])
print("candidates by source:", result.stats["sources"])
print("seeds:", result.stats["seeds"])
for f in funnel:
    print(f"{f['step']:>12}: {f['in']:3d} in, {f['removed']:3d} removed  {f['reasons'] or ''}")
print("tests written for docstring items:", result.stats.get("docstring_tests", "off"))
print("verification:", result.stats["verification"])
print("kept:", result.stats["kept"])


# %% [markdown]
# ## One example per filter
#
# What each filter caught in this run (nothing printed for a filter that removed nothing), then a
# verified item, and, when the loop rescued one, an item that passed only after self-correction.
# `raw_output` is what the generator actually wrote, before parsing.

# %%
def show(row, title):
    print("=" * 100)
    print(f"{title}: source={row['source']} style={row['style']} judge={row['judge_score']} "
          f"attempts={row['attempts']} verified={row['verified']} {row['drop_reason']}")
    print("INSTRUCTION:", row["instruction"][:400] or "(none)")
    print("SOLUTION:\n" + (row["solution"][:500] or "(none)"))
    print("TESTS:\n" + (row["tests"][:300] or "(none)"))
    if row["verify_error"]:
        print("SANDBOX:", row["verify_error"][-300:])
    if not row["solution"] and row["raw_output"]:
        print("RAW GENERATOR OUTPUT:\n" + row["raw_output"][:400])

for step in FILTER_STEPS:
    for row in result.examples(step, k=1):
        show(row, f"dropped by {step}")
for row in result.examples("kept", k=1):
    show(row, "kept (verified)")
for row in result.examples("rescued", k=1):
    show(row, "rescued by self-correction")
    print("FIRST (FAILING) SOLUTION:\n" + row["history"][0][:400])

# %% [markdown]
# Browse the kept items (a widget when Jupyter runs the notebook; a plain listing otherwise).

# %%
rows = list(result.data)
try:
    from seedkit.notebooks import live_widgets
    widgets = live_widgets()
    from IPython.display import display

    if rows:
        picker = widgets.IntSlider(min=0, max=len(rows) - 1, description="item")
        out = widgets.Output()

        def _show(change=None):
            out.clear_output()
            with out:
                show(rows[picker.value], f"item {picker.value} ({rows[picker.value]['split']})")

        picker.observe(_show, names="value")
        _show()
        display(picker, out)
except ImportError:
    pass
for r in rows[:5]:
    print(f"{r['split']:>12} {r['source']:>9} {r['style']:>13} judge={r['judge_score']} attempts={r['attempts']}  "
          f"{r['instruction'][:70]!r}")

# %% [markdown]
# ## Training: loss on the answer only
#
# Each item is a conversational prompt-completion example: the user turn is the instruction, the
# assistant turn is the solution in a python code block. TRL renders both with the tokenizer's
# chat template and masks the prompt's tokens out of the loss (`completion_only_loss`), so the
# model learns to answer, not to write questions. The `held_for_dpo` split is not trained on: stage
# 05 uses those prompts for on-policy preference pairs.

# %%
curve = result.loss_curve
plt.figure(figsize=(6, 3.5))
plt.plot(curve["step"], curve["loss"], marker="o")
plt.title(f"SFT loss ({settings.finetune_method}, {result.metrics['train_items']} items, "
          f"{result.metrics['train_seconds']} s)")
plt.xlabel("step")
plt.ylabel("loss on answer tokens")
plt.show()

# %% [markdown]
# ## Before and after, on the same prompts
#
# Greedy answers of the base model and of the fine-tuned model to the first held-out problems'
# instructions (never trained on: decontamination checks every item against them).

# %%
for c in result.metrics["comparisons"]:
    print("=" * 100)
    print("PROMPT:", c["prompt"])
    print("--- before SFT ---\n" + c["before"][:500])
    print("--- after SFT ---\n" + c["after"][:500])

# %% [markdown]
# ## pass@1 on a held-out slice
#
# Greedy pass@1 through `seedkit.eval` (the same harness as stage 07) on the first
# `eval_problems` held-out problems, before and after. A few dozen LoRA steps on a few dozen items
# move a 135M model little; at the report's scale SFT is what turns a base model into one that
# answers instructions at all.

# %%
before, after = result.metrics["pass_at_1_before"], result.metrics["pass_at_1_after"]
if before is None or after is None:
    print("pass@1 not measured:", result.metrics["eval"]["before"].get("why"))
else:
    plt.figure(figsize=(4, 3.2))
    plt.bar(["before SFT", "after SFT"], [before, after], color=["tab:gray", "tab:green"])
    plt.ylim(0, 1)
    plt.title(f"pass@1 on {len(result.metrics['eval']['before']['problems'])} held-out problems")
    plt.show()
    print(f"pass@1 before {before:.3f}, after {after:.3f}")
print("model saved as", result.model_spec)

# %% [markdown]
# ## Exercises
#
# 1. **Change the voice.** Add a style to `seedkit/prompts/sft_styles.yaml` (for example one that
#    asks for type hints and a docstring), rerun with `force = True`, and find items in your style
#    in `result.data`.
# 2. **Move the judge's bar.** Rerun with `judge_drop_bottom_fraction = 0` (the report's absolute
#    rule, `judge_min_score = 3`). How many items survive? Look at the score histogram: does a 135M
#    judge rate the correct solutions above the wrong ones? What would you need to trust its scale?
# 3. **Self-correction.** Set `max_correction_rounds = 0` and compare `result.stats["verification"]`
#    with the default run: how many items did the loop rescue, and at what generation cost?
# 4. **A stronger generator.** Serve a larger instruct model with vLLM and set `generator` to its
#    URL and `server_model` to its name. Which filters remove fewer items now?
# 5. **Decontamination check.** Copy one held-out problem's reference into
#    `data_samples/seed_instructions.jsonl` as a seed and rerun: which filter catches it, and with
#    what reason?
# 6. **Full fine-tuning vs LoRA.** Rerun with `finetune_method = "full"` and `learning_rate = 2e-5`;
#    compare the loss curve, the training time and pass@1.
