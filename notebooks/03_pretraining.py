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
# # 03 · Pretraining: two stages, fill-in-the-middle, and the data-quality ablation
#
# **What the report did.** Seed-Coder-8B is a Llama-3-style decoder pretrained on **6 trillion
# tokens** in two stages. *Regular pretraining* uses file-level code, commits and code web pages at
# **8K context** with **fill-in-the-middle (FIM) at rate 0.5**: a document is cut at two random
# *character* positions and trained as `<fim_suffix> suffix <fim_prefix> prefix <fim_middle> middle`
# (suffix-prefix-middle, SPM). *Continued pretraining* switches to the highest-quality files and
# **repository-level** samples at **32K context**, FIM rate **0.1**, with the learning rate lowered
# from 3e-4/sqrt(10) to about 3e-5. Its headline ablation (Figure 6): a model pretrained on
# **LLM-filtered** data beats one pretrained on **rule-filtered** data at the **same number of tokens**.
#
# **What this notebook does at small scale.** On `smol` it *continues* pretraining the packaged
# SmolLM2-135M-Instruct (the report's model was pretrained from scratch; a laptop cannot do that
# usefully) on this run's LLM-filtered corpus from stage 02 (about 1.1M tokens): stage 1, 6 steps
# of 8 x 256 tokens (12,288) with FIM at 0.5; stage 2, 2 steps of 8 x 512 tokens (8,192) of
# top-scored files and repository samples with FIM at 0.1. All weights train (full training at a
# small learning rate, 3e-5: measured to lower held-out loss faster per CPU-minute than LoRA), and
# the three FIM tokens SmolLM2's tokenizer lacks are added first. The model it saves,
# `run:<run_name>/03_pretraining`, is what stages 04 (SFT) and 06 (RL) start from. It measures
# held-out loss before and after each stage, and the effect on the `basic` problems (pass@1 of
# the parent vs this model, paired, in completion and in chat prompts). Then the ablation, where
# cheap models belong: 3 seeds x 2 corpora of fresh 2.4M-parameter Llamas, 40,960 tokens each, on
# a held-out set the filter did not choose. On `tiny` (tests) the main model is a ~1M-parameter
# Llama trained from scratch; on `gpu` the chosen base continues pretraining with QLoRA. The
# stage's time on `smol` is printed by the last cell (measured figures: docs/environment.md).
#
# **Learning objectives**
# 1. Build FIM samples and see why they always reassemble to the original document.
# 2. Pack documents into fixed-length blocks with end-of-text separators, losing no token.
# 3. Read loss and learning-rate curves of a two-stage run, and held-out loss with intervals.
# 4. Judge what continued pretraining on raw code does to an instruct model, with numbers.
# 5. Run the filtered-vs-rules ablation over seeds, and say what its interval does and does not show.

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
eval_dtype = None
report_to = None
model_source = None
adapter = None
lora_r = None
scratch_model_overrides = None
device = None
dtype = None
corpus = None
curation_dir = None
filter_dir = None
web_weight = None
commits_weight = None
stage2_repo_weight = None
stage2_top_fraction = None
heldout_random_files = None
heldout_top_files = None
heldout_max_tokens = None
fim_mode = None
fim_rate_stage1 = None
fim_rate_stage2 = None
seq_len_stage1 = None
seq_len_stage2 = None
global_batch_size = None
per_device_max_batch = None
max_steps_stage1 = None
max_steps_stage2 = None
learning_rate = None
warmup_ratio = None
weight_decay = None
save_steps = None
eval_steps = None
completion_max_new_tokens = None
fim_demo_max_new_tokens = None
effect_prompt_formats = None
run_ablation = None
ablation_seeds = None
ablation_token_budget = None
ablation_seq_len = None
ablation_learning_rate = None

# %%
import matplotlib.pyplot as plt

from seedkit.pretraining import plots
from seedkit.pretraining import stage as st
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.training import set_torch_threads

settings = PretrainingSettings.from_notebook(globals())
settings.describe()
# torch threads for the rest of this notebook: 0 = auto, the CPUs other work leaves idle, followed while it
# runs (two threads on a busy 2-core machine were measured 4-30x slower than one; see the setting's help)
set_torch_threads(settings.torch_threads, settings.stage)

# %% [markdown]
# ## Where this profile follows the report, and where it differs
#
# Every row is a setting of this notebook; the `why` column says what forced a difference.

# %%
settings.show_report_comparison()

# %% [markdown]
# ## Open the stage
#
# Checks that stages 01 and 02 of this run are finished (a one-line error says what to run
# otherwise) and starts the stage, or finds it finished with these settings. Every cell below
# calls one step; each step's product is saved under `steps/`, so running a cell again (or after
# restarting the kernel) reuses it, and changing a setting recomputes it.

# %%
stage = st.open_stage(settings)
print("stage directory:", stage.run.path, "| finished already:", stage.done)

# %% [markdown]
# ## The corpus, and two held-out sets
#
# Training reads stage 02's `filtered/` files (the LLM filter's output) and stage 01's
# repositories, commits and web pages. Two held-out sets are removed from *all* of them, for both
# corpora of the ablation alike:
#
# - **random**: files drawn at random from stage 01's output, before any LLM filter. The filter
#   did not choose them, so a model that does better on them has learned code, not the filter's taste.
# - **top_scored**: the highest-scored remaining files, the kind of set the report measured on.
#   It resembles what the filter kept, so it favours the filtered corpus by construction.

# %%
inputs = st.step_corpus(stage)
print({k: v for k, v in inputs.stats.items() if k != "heldout_ids"})
example = inputs.heldout["random"][0] if inputs.heldout["random"] else inputs.heldout["top_scored"][0]
print(f"\na random held-out file ({example.path}, score {example.quality_score}):\n{example.content[:400]}")

# %% [markdown]
# ## The tokenizer
#
# A pretrained parent keeps its own tokenizer (its embeddings were trained for it). SmolLM2's
# has no FIM tokens, so the kit adds three; their embedding rows start at the mean of the others
# and are trained (with LoRA, its configuration makes exactly those rows trainable). A scratch model
# gets a byte-level BPE trained on the run's corpus.

# %%
tokenizer = st.step_tokenizer(stage, inputs)
snippet = "def add(a, b):\n    return a + b\n"
ids = tokenizer(snippet, add_special_tokens=False)["input_ids"]
print(len(tokenizer), "tokens in the vocabulary;", snippet.count("\n"), "lines ->", len(ids), "tokens:",
      tokenizer.convert_ids_to_tokens(ids))

# %% [markdown]
# ## Fill-in-the-middle, on a real file
#
# The transformation only reorders text: two random character positions cut the document into
# prefix, middle and suffix, and the model is trained on suffix, prefix, then the middle (SPM), so
# that it learns to write a middle that fits both sides. Written out here; the kit's
# `seedkit.pretraining.fim` does the same (checked by the assert) and the tests check the
# round trip on thousands of random documents.

# %%
import random

from seedkit.pretraining.fim import FimSplit, FimTokens, fim_pieces

fim = FimTokens.from_tokenizer(tokenizer)
doc = inputs.train_files[0].content[:300]
rng = random.Random(settings.seed)
a, b = sorted((rng.randint(0, len(doc)), rng.randint(0, len(doc))))  # two random *character* positions
prefix, middle, suffix = doc[:a], doc[a:b], doc[b:]
spm = [fim.suffix_id, suffix, fim.prefix_id, prefix, fim.middle_id, middle]  # what the model trains on
assert prefix + middle + suffix == doc  # nothing lost, nothing added
assert spm == fim_pieces(FimSplit(prefix, middle, suffix), fim, "spm")
print("".join(tokenizer.convert_ids_to_tokens(p) if isinstance(p, int) else p for p in spm))

# %% [markdown]
# ## Stage 1 data: mixed by tokens, FIM at 0.5, packed
#
# Sources are mixed by *token* shares (code files, web pages, commits), each document goes
# through FIM with probability 0.5, and everything is joined with end-of-text and cut into blocks
# of exactly the context length: no padding, no token lost.

# %%
blocks1 = st.step_blocks(stage, inputs, tokenizer, 1)
print(st.mixture_stats(stage, 1)["mixture"])
first = blocks1[0]["input_ids"]
print(f"{len(blocks1)} blocks of {len(first)} tokens; the first one decoded:\n")
print(tokenizer.decode(first)[:600])

# %% [markdown]
# ## The parent, measured before training
#
# Held-out loss per file on both sets (each file's first `heldout_max_tokens` tokens, at stage 2's
# context), with 95% intervals from resampling files. The same files are scored after each
# stage, so changes are paired.

# %%
parent = st.step_heldout(stage, inputs, tokenizer, "parent")

# %% [markdown]
# ## Stage 1: regular pretraining
#
# The Hugging Face `Trainer` with the report's schedule: linear warm-up, then cosine decay from
# the peak to peak/sqrt(10); stage 2 continues from there down to peak/10. Checkpoints every
# `save_steps`: interrupt this cell and run it again, and it resumes from the last one.

# %%
from seedkit.pretraining.train import stage_lr

for n in (1, 2):
    lr0, lr1 = stage_lr(settings.learning_rate, n)
    print(f"stage {n}: learning rate {lr0:.2e} -> {lr1:.2e}")
adapter, why = settings.adapter_choice()
print("training:", adapter, "-", why)
if adapter in ("lora", "qlora"):
    print(st.lora_config(settings, tokenizer))  # rank, targets, and the FIM token rows that train

stage1 = st.step_train(stage, inputs, tokenizer, 1, blocks1)
t = stage1["train"]
print(f"{t['global_step']} steps, {t['tokens_per_second']:,.0f} tokens/s, resumed from {t['resumed_from']}, "
      f"{stage1['trainable_parameters'] / 1e6:.2f}M trainable parameters")

# %%
after1 = st.step_heldout(stage, inputs, tokenizer, "stage1")
print(plots.demos_text(st.step_demos(stage, tokenizer, "stage1"), "after stage 1"))

# %% [markdown]
# ## Stage 2: continued pretraining on repositories, at longer context
#
# The highest-scored files and whole repositories (headed by the repository-name token), twice the
# context, FIM at 0.1, the learning rate continuing its decay.

# %%
blocks2 = st.step_blocks(stage, inputs, tokenizer, 2)
print(st.mixture_stats(stage, 2)["mixture"])
repo_name = tokenizer.convert_tokens_to_ids("<repo_name>") if "<repo_name>" in tokenizer.get_vocab() else None
with_repo = next((r["input_ids"] for r in blocks2 if repo_name in r["input_ids"]), blocks2[0]["input_ids"])
start = with_repo.index(repo_name) if repo_name in with_repo else 0
print(tokenizer.decode(with_repo[start:start + 120]))

# %%
stage2 = st.step_train(stage, inputs, tokenizer, 2, blocks2) if settings.max_steps_stage2 else None
after2 = st.step_heldout(stage, inputs, tokenizer, "stage2") if stage2 else None
if stage2:
    print(plots.demos_text(st.step_demos(stage, tokenizer, "stage2"), "after stage 2"))

# %% [markdown]
# ## Loss curves and held-out loss per stage

# %%
stages = {"stage1": {**stage1, **st.mixture_stats(stage, 1)}}
evals = {"parent": parent, "stage1": after1}
if stage2:
    stages["stage2"] = {**stage2, **st.mixture_stats(stage, 2)}
    evals["stage2"] = after2
plots.plot_training(stages, evals)
plt.tight_layout()
plt.show()
changes = st.heldout_changes(evals)
print(plots.heldout_table(evals, changes))
print()
print(plots.heldout_reading(changes, f"stage{stage.last_stage()} - parent"))

# %% [markdown]
# **What the held-out loss shows (measured on `smol`).** In the run recorded in docs/environment.md
# (12,288 + 8,192 tokens, full training at LR 3e-5), held-out loss fell from 2.928 to 2.872
# nats/token on the random set, a paired change of -0.056 [-0.064, -0.050] over 16 files, and from
# 2.033 to 1.986 on the top-scored set, -0.047 [-0.056, -0.036]; stage 2 added -0.007 [-0.009,
# -0.006] of it. Small, and resolved: the model predicts this corpus's code a little better. The
# infilling demo shows what 20k tokens cannot do: the three FIM tokens are new to SmolLM2, and it
# does not fill a middle yet. A lower loss on code files says the model predicts code better; it
# does not say it answers requests better. That is the next measurement.

# %% [markdown]
# ## The effect: the parent vs this stage's model on the `basic` problems
#
# Both models answer the same problems (`eval_set`, sampled `eval_samples` times at
# `eval_temperature`, every answer run against the problem's tests in the sandbox). pass@1 is
# compared problem by problem (a paired bootstrap over problems). The format is `chat` on `smol`:
# the parent is an *instruct* model, chat is what it was tuned for, and it is what continued
# pretraining on raw code may erode (stage 04 fine-tunes it back). Asked in `completion` format
# (a signature to continue, what a base model is asked) the packaged SmolLM2 solved almost
# nothing: pass@1 0.01 [0.00, 0.02] on 233 problems x 5 samples, a floor no change could show
# through, so that format is off by default (`effect_prompt_formats` adds it back).

# %%
model_spec = st.step_save_model(stage, tokenizer)  # model/ is what stages 04 and 06 load
effect = st.step_effect(stage)
print(plots.effect_table(effect))
print()
print(plots.effect_reading(effect))

# %% [markdown]
# **What the effect shows.** The cell above prints the measured difference and whether its
# interval excludes 0. Measured on `smol` with the defaults (chat format, 48 of the basic problems
# spread over the set, 5 samples each at 0.6): parent pass@1 0.36 [0.26, 0.47], this stage's model
# 0.31 [0.22, 0.41], paired difference -0.05 [-0.11, +0.01]; an earlier measurement (30 problems at
# 0.8; docs/environment.md) gave +0.03 [-0.05, +0.12]. Neither is resolved: 20k tokens of code at a
# small learning rate did not measurably change the instruct model's chat answers, though the
# latest mean leans negative. Read the interval before the mean; if your run's chat row is negative
# and resolved, continued pretraining cost the instruct model some of its chat behaviour (stage
# 04 trains it back).

# %% [markdown]
# ## The ablation: LLM-filtered vs rules-only at equal tokens, over seeds
#
# Fresh scratch models (a pretrained model's prior would swamp a corpus difference this small),
# identical in size, tokenizer, schedule and token budget; only the corpus differs, and each seed
# draws a new initialisation and data order. The difference `rules_only - filtered` of held-out
# loss (positive = the filter helped) is averaged over seeds, with a 95% t-interval over seeds
# and a bootstrap interval over held-out files beside it.

# %%
ablation = st.step_ablation(stage, inputs)
if ablation:
    plots.plot_ablation(ablation)
    plt.tight_layout()
    plt.show()
    from seedkit.pretraining.ablation import describe

    print(describe(ablation["summary"]))

# %% [markdown]
# **What the ablation shows at this scale.** Read the `random` row first: it is the held-out set
# the filter did not choose. The `top_scored` row is the report's kind of set and favours the
# filtered corpus by construction. Measured on `smol` (3 seeds x 2 corpora x 40,960 tokens, 2.4M
# parameters): `random` +0.032 [-0.212, +0.276] nats/token over seeds (per seed -0.048, +0.142,
# +0.002; over files [-0.034, +0.118]); `top_scored` +0.148 [-0.149, +0.445] over seeds (per
# seed +0.146, +0.269, +0.030; over files [+0.087, +0.203]). Neither interval over seeds excludes
# 0: at this scale the ablation does not show that the LLM filter makes a better model. The
# top-scored set leans the report's way on every seed, the random set does not, and the seed-to-
# seed spread (sd 0.10 on the random set) is larger than the gap. With three seeds the t multiplier
# is 4.3, so it takes more seeds (or a larger budget) to resolve a gap of a few hundredths; the
# report's gap appeared over hundreds of billions of tokens, on corpora that differ by a cut of
# their lowest-scored files.

# %% [markdown]
# ## Finish: metrics, stats and the manifest
#
# `finish_stage` writes `metrics.json` (per-stage training logs, held-out losses and changes, the
# effect, the ablation summary), `stats.json` (data, every ablation seed) and `manifest.json`
# last, naming the parent model and the effect.

# %%
result = st.finish_stage(stage, inputs, tokenizer)
m = result.manifest["metrics"]
print("parent model:", m["parent_model"], "| adapter:", m["adapter"])
print("held-out loss change vs the parent:", m["heldout_change"])
print("effect:", (m["effect"] or {}).get("line"))
print("timings (s):", result.manifest["timings"])

# %% [markdown]
# ## Exercises
#
# 1. **FIM order.** Set `fim_mode = "psm"` and rerun. Does the infilling demo change? Why might
#    SPM be easier for a left-to-right model (hint: what sits right before the middle?).
# 2. **Learning rate vs chat behaviour.** Set `learning_rate = 1e-3` and compare the chat row of
#    the effect table with this run's. At what learning rate does continued pretraining start to
#    cost the instruct model more than it gains?
# 3. **Seeds.** Set `ablation_seeds = 6`. Does the t-interval of the `random` row narrow as
#    1/sqrt(seeds) predicts? Then sweep the whole stage over seeds from a shell:
#    `seedkit sweep --stages 03 -p seed=0,1,2`.
# 4. **Token budget.** Double `ablation_token_budget`. Does the filtered corpus pull ahead, and on
#    which held-out set first?
# 5. **Resume.** Set `force = True`, interrupt the kernel during stage 1, and run the cell again.
#    Find the `resuming from checkpoint-...` line and check that every step was logged once.
# 6. **Scale out.** `torchrun --nproc_per_node 2 -m seedkit train pretraining --profile tiny --run-name ddp`
#    (with `OMP_NUM_THREADS=1`) runs the same steps on two processes with the same global batch.
