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
# usefully) on this run's LLM-filtered corpus from stage 02 (its size is printed below): stage 1, 6 steps
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
# 2. Pack documents into fixed-length blocks with end-of-text separators, losing no token, and
#    compute the next-token loss pretraining minimises by hand.
# 3. Read loss and learning-rate curves of a two-stage run, and held-out loss with intervals.
# 4. Judge what continued pretraining on raw code does to an instruct model, with numbers.
# 5. Run the filtered-vs-rules ablation over seeds, and say what its interval does and does not show.

# %% tags=["parameters"]
profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol
run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the profile's
fim_mode = None
fim_rate_stage1 = None
seq_len_stage1 = None
max_steps_stage1 = None
learning_rate = None
adapter = None
chat_weight = None
ablation_seeds = None
ablation_token_budget = None
# 45 more settings come from the profile: settings.describe(every=True) lists them; set one with a line here or seedkit run -p NAME=VALUE

# %%
import math

import matplotlib.pyplot as plt

from seedkit.pretraining import plots
from seedkit.pretraining import stage as st
from seedkit.pretraining.settings import PretrainingSettings

settings = PretrainingSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## Where this profile follows the report, and where it differs
#
# Every row is a setting of this notebook; the `why` column says what forced a difference.

# %%
settings.show_report_comparison()

# %% [markdown]
# ## Begin the stage
#
# Checks that stages 01 and 02 of this run are finished (a one-line error says what to run
# otherwise) and starts the stage, or finds it finished with these settings; it also sets the torch
# threads for the stage (`torch_threads`: 0 = the CPUs other work leaves idle). Every cell below
# calls one step; each step returns a small object with named fields, saved under `steps/`, so
# running a cell again (or after restarting the kernel) reuses it, and changing a setting recomputes it.

# %%
stage = st.begin(settings)
settings = stage.settings  # on a GPU: the per-device batch and checkpointing the memory plan chose
print("stage directory:", stage.path, "| finished already:", stage.done)

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
inputs = st.corpus(stage)
print({k: v for k, v in inputs.stats.items() if k != "heldout_ids"})
example = next(f for files in inputs.heldout.values() for f in files)  # random first, then top_scored
print(f"\na held-out file ({example.path}, score {example.quality_score}):\n{example.content[:400]}")

# %% [markdown]
# *What you should see:* the sizes of the training corpus and of the two held-out sets, then the
# start of one held-out file.

# %% [markdown]
# ## The tokenizer
#
# A pretrained parent keeps its own tokenizer (its embeddings were trained for it). SmolLM2's
# has no FIM tokens, so the kit adds three; their embedding rows start at the mean of the others
# and are trained (with LoRA, its configuration makes exactly those rows trainable). A scratch model
# gets a byte-level BPE trained on the run's corpus.

# %%
tokenizer = st.tokenizer(stage, inputs)
snippet = "def add(a, b):\n    return a + b\n"
ids = tokenizer(snippet, add_special_tokens=False)["input_ids"]
print(len(tokenizer), "tokens in the vocabulary;", snippet.count("\n"), "lines ->", len(ids), "tokens:",
      tokenizer.convert_ids_to_tokens(ids))

# %% [markdown]
# *What you should see:* the vocabulary's size and the snippet's tokens: SmolLM2's on `smol`, a
# byte-level BPE trained on this corpus on `tiny`.

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
# *What you should see:* one training sample: the suffix first, then the prefix, then the middle
# after `<fim_middle>`; the asserts pass silently.

# %% [markdown]
# ## Stage 1 data: mixed by tokens, FIM at 0.5, packed
#
# Sources are mixed by *token* shares (code files, web pages, commits), each document goes
# through FIM with probability `fim_rate_stage1`, and everything is joined with end-of-text and cut
# into blocks of exactly the context length: no padding, no token lost.

# %%
blocks1 = st.pack_blocks(stage, inputs, tokenizer, 1)
print("mixture:", blocks1.mixture)
first = blocks1.block(0)
print(f"{len(blocks1)} blocks of {len(first)} tokens; the first one decoded:\n")
print(tokenizer.decode(first)[:600])

# %% [markdown]
# *What you should see:* the mixture of sources by tokens, the number of blocks, and the first block
# decoded: documents joined by end-of-text, some of them in FIM order.

# %% [markdown]
# ## Packing, by hand
#
# Three training files, tokenised, each followed by the end-of-text token, joined into one stream
# and cut every `seq_len_stage1` tokens. Written out here and checked against the kit's
# `seedkit.pretraining.packing.pack` (the asserts). A document longer than the rest of a block
# continues in the next one; the end-of-text token is what tells the model where a document stops.
# The tail that does not fill a block is padded (labels -100: no loss) or, for training, dropped
# (`keep_partial=False`), so every training position is a real token.

# %%
from seedkit.pretraining.packing import encode_pieces, pack

length = settings.seq_len_stage1
eos, pad = tokenizer.eos_token_id, tokenizer.pad_token_id
docs = [ids[: length // 2 + 7] for ids in encode_pieces(tokenizer, [[f.content] for f in inputs.train_files[:3]])]
stream = []
for d in docs:
    stream += d + [eos]  # each document followed by end-of-text
by_hand = [stream[i:i + length] for i in range(0, len(stream), length)]  # cut every `length` tokens
real = [len(blk) for blk in by_hand]
by_hand = [blk + [pad] * (length - len(blk)) for blk in by_hand]  # the tail padded
packed = pack(docs, length, eos, pad)
assert packed.input_ids == by_hand and packed.num_real == real
full = [blk for blk, n in zip(by_hand, real, strict=True) if n == length]
assert pack(docs, length, eos, pad, keep_partial=False).input_ids == full  # what training gets
print("documents of", [len(d) for d in docs], "tokens ->", len(stream), "tokens with end-of-text ->",
      len(by_hand), f"blocks of {length}")
for i, (blk, n) in enumerate(zip(by_hand, real, strict=True)):
    print(f"block {i}: {n} real tokens, end-of-text at {[j for j, t in enumerate(blk[:n]) if t == eos]}")

# %% [markdown]
# *What you should see:* the documents' token counts, the blocks they fill, and where each block's
# end-of-text tokens sit; the asserts pass silently.

# %% [markdown]
# ## The parent, measured before training
#
# Held-out loss per file on both sets (each file's first `heldout_max_tokens` tokens, at stage 2's
# context), with 95% intervals from resampling files. The same files are scored after each
# stage, so changes are paired.

# %%
parent = st.measure_heldout(stage, inputs, tokenizer, "parent")

# %% [markdown]
# *What you should see:* the parent's held-out loss on both sets, each with its interval over files.

# %% [markdown]
# ## Stage 1: regular pretraining
#
# The Hugging Face `Trainer` with the report's schedule: linear warm-up, then cosine decay from
# the peak to peak/sqrt(10); stage 2 continues from there down to peak/10. Checkpoints every
# `save_steps`: interrupt this cell and run it again, and it resumes from the last one.

# %%
from seedkit.pretraining.models import lora_config
from seedkit.pretraining.train import stage_lr

for n in (1, 2):
    lr0, lr1 = stage_lr(settings.learning_rate, n)
    print(f"stage {n}: learning rate {lr0:.2e} -> {lr1:.2e}")
adapter, why = settings.adapter_choice()
print("training:", adapter, "-", why)
if adapter in ("lora", "qlora"):
    print(lora_config(settings, tokenizer))  # rank, targets, and the FIM token rows that train

stage1 = st.train(stage, inputs, tokenizer, 1, blocks1)
t = stage1.train
print(f"{t.global_step} steps, {t.tokens_per_second:,.0f} tokens/s, resumed from {t.resumed_from}, "
      f"{stage1.trainable_parameters / 1e6:.2f}M trainable parameters")

# %% [markdown]
# *What you should see:* the learning rate range of each stage, the adapter choice with its reason,
# and the steps trained with their speed.

# %% [markdown]
# ## The objective, by hand: next-token loss
#
# Pretraining minimises one number. At every position of a block the model gives a score (logit) to
# every token of the vocabulary; the loss there is `logsumexp(logits) - logit of the token that
# actually comes next`, the negative log-probability of the next token, and the loss of a block is its
# mean over positions (the labels are the inputs shifted by one; the last position has no next
# token). Computed here from the logits of stage 1's model on the first training block, and checked
# against the loss the model itself returns (what the `Trainer` minimised).

# %%
import torch

model, _ = stage.model_after("stage1")
block = torch.tensor([blocks1.block(0)], device=next(model.parameters()).device)
model.eval()
with torch.no_grad():
    logits = model(input_ids=block).logits[0].float()  # (positions, vocabulary)
    model_loss = model(input_ids=block, labels=block).loss.item()
targets = block[0, 1:]  # the next token of every position but the last
nll = torch.logsumexp(logits[:-1], dim=-1) - logits[:-1].gather(1, targets[:, None])[:, 0]
by_hand = nll.mean().item()
assert abs(by_hand - model_loss) <= 1e-3 * max(1.0, model_loss), (by_hand, model_loss)
print(f"block 0: {len(targets)} predictions; next-token loss {by_hand:.4f} nats/token by hand, "
      f"{model_loss:.4f} from the model (perplexity {math.exp(by_hand):.1f})")
del model, logits

# %% [markdown]
# *What you should see:* the same next-token loss by hand and from the model, and its perplexity.

# %%
after1 = st.measure_heldout(stage, inputs, tokenizer, "stage1")
print(plots.demos_text(st.demonstrate(stage, tokenizer, "stage1"), "after stage 1"))

# %% [markdown]
# *What you should see:* the held-out loss after stage 1 and the model's completions and infilling
# demo.

# %% [markdown]
# ## Stage 2: continued pretraining on repositories, at longer context
#
# The highest-scored files and whole repositories (headed by the repository-name token), twice the
# context, FIM at 0.1, the learning rate continuing its decay.

# %%
blocks2 = st.pack_blocks(stage, inputs, tokenizer, 2)
print("mixture:", blocks2.mixture)
repo_name = tokenizer.convert_tokens_to_ids("<repo_name>") if "<repo_name>" in tokenizer.get_vocab() else None
with_repo = next((blk for blk in map(blocks2.block, range(len(blocks2))) if repo_name in blk), blocks2.block(0))
start = with_repo.index(repo_name) if repo_name in with_repo else 0
print(tokenizer.decode(with_repo[start:start + 120]))

# %% [markdown]
# *What you should see:* the mixture of stage 2 and a block that starts with the repository-name
# token, followed by that repository's files.

# %%
stage2 = st.train(stage, inputs, tokenizer, 2, blocks2) if settings.max_steps_stage2 else None
after2 = st.measure_heldout(stage, inputs, tokenizer, "stage2") if stage2 else None
if stage2:
    print(plots.demos_text(st.demonstrate(stage, tokenizer, "stage2"), "after stage 2"))

# %% [markdown]
# ## Loss curves and held-out loss per stage

# %%
from seedkit.pretraining.heldout import heldout_changes

trained = {"stage1": stage1, **({"stage2": stage2} if stage2 else {})}
evals = {h.label: h.sets for h in (parent, after1, after2) if h}
plots.plot_training(trained, evals)
plt.tight_layout()
plt.show()
changes = heldout_changes(evals)
print(plots.heldout_table(evals, changes))
print()
print(plots.heldout_reading(changes, f"stage{stage.last_stage()} - parent"))

# %% [markdown]
# *What you should see:* loss curves falling over the steps, the learning rate warming up then
# decaying, and the held-out table: each model's loss and the paired change with its interval.

# %% [markdown]
# **Reading the held-out loss.** The table above gives each model's loss on both sets and the
# paired change with its 95% interval over files; the line under it says whether the interval
# excludes 0 (docs/environment.md records a `smol` run). Tens of thousands of training tokens at a
# small learning rate can only move it a little: a resolved negative change says the model predicts
# this corpus's code a little better. Look at the infilling demo
# too: the three FIM tokens are new to SmolLM2, and a budget this small does not teach it to fill a
# middle. A lower loss on code files says the model predicts code better; it does not say it
# answers requests better. That is the next measurement.

# %% [markdown]
# ## The effect: the parent vs this stage's model on the `basic` problems
#
# Both models answer the same problems (`eval_set`, sampled `eval_samples` times at
# `eval_temperature`, every answer run against the problem's tests in the sandbox). pass@1 is
# compared problem by problem (a paired bootstrap over problems). The format is `chat` on `smol`:
# the parent is an *instruct* model, chat is what it was tuned for, and it is what continued
# pretraining on raw code may erode (stage 04 fine-tunes it back). Asked in `completion` format
# (a signature to continue, what a base model is asked) the packaged SmolLM2 solves almost nothing,
# a floor no change could show through, so that format is off by default on `smol`
# (`effect_prompt_formats` adds it back). Before sampling anything, a cheaper and finer reading:
# the loss of the reference answers of problems no stage trains on (`chat_probe_set`), asked in the
# chat format, for the parent and this model, paired by problem. `chat_weight` mixes that much
# instruction data in the chat format back into both stages' tokens, so that the model handed to
# stage 04 keeps what the parent could do (`docs/pretraining.md` has the measurement behind the
# default).

# %%
model_spec = st.publish_model(stage, tokenizer)  # model/ is what stages 04 and 06 load
chat = st.chat_ability(stage, tokenizer)  # parent vs this model: chat answer loss, paired by problem
effect = st.measure_effect(stage)
print(plots.effect_table(effect.by_format))
print()
print(plots.effect_reading(effect.by_format))

# %% [markdown]
# *What you should see:* pass@1 of the parent and of this model per prompt format, with the paired
# difference and its verdict; on `tiny` every pass@1 is 0.

# %% [markdown]
# **Reading the effect.** The cell above prints the measured difference and whether its interval
# excludes 0. Read the interval before the mean: with a few dozen problems it is wide, often wider
# than what a budget of continued pretraining this small can change. If
# your run's chat row is negative and resolved, continued pretraining cost the instruct model some
# of its chat behaviour (stage 04 trains it back); if it is unresolved, this run did not measurably
# change it either way.

# %% [markdown]
# ## The ablation: LLM-filtered vs rules-only at equal tokens, over seeds
#
# Fresh scratch models (a pretrained model's prior would swamp a corpus difference this small),
# identical in size, tokenizer, schedule and token budget; only the corpus differs (the best-scored
# slice of the LLM-filtered files against a random slice of the rules-only files, each exactly
# `ablation_token_budget` tokens), and each seed
# draws a new initialisation and data order. The difference `rules_only - filtered` of held-out
# loss (positive = the filter helped) is averaged over seeds, with a 95% t-interval over seeds
# and a bootstrap interval over held-out files beside it. Each model also answers every evidence
# problem once, greedily (pass@1, `filtered - rules_only`): the report's ablation was read on
# benchmarks, and at this size the line usually says in numbers that neither corpus's models solve
# a problem.

# %%
ablation = st.ablate(stage, inputs)
if ablation.ran:
    plots.plot_ablation(ablation)
    plt.tight_layout()
    plt.show()
print(ablation.describe())

# %% [markdown]
# *What you should see:* one row per held-out set with the per-seed differences, their mean, the
# interval over seeds and over files, and a verdict; then one pass@1 row with its intervals over
# seeds and over problems, and how many problems each corpus's models solved.

# %% [markdown]
# **Reading the ablation.** Read the `random` row first: it is the held-out set the filter did not
# choose. The `top_scored` row is the report's kind of set and favours the filtered corpus by
# construction. The verdict at the end of each row says whether the interval over seeds excludes 0.
# Compare the spread of the per-seed values with the mean: when seed-to-seed differences are larger
# than the gap, it takes more seeds (or a larger budget) to resolve it. With three seeds the
# t multiplier is 4.3 (with six, 2.6), so the interval over seeds is wide; the interval over files
# says how much a different draw of held-out files would move the mean, not a different seed. The
# report's gap appeared over hundreds of billions of tokens, on corpora that differ by a cut of
# their lowest-scored files.

# %% [markdown]
# ## Finish: metrics, stats and the manifest
#
# `finish` writes `metrics.json` (per-stage training logs, held-out losses and changes, the
# effect, the ablation summary), `stats.json` (data, every ablation seed) and `manifest.json`
# last, naming the parent model and the effect.

# %%
result = st.finish(stage, inputs, tokenizer)
print(result.describe())

# %% [markdown]
# *What you should see:* the stage's summary: its data, its effect, and the time each part took in
# seconds.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked by its level (warm-up, core, stretch) and by what it needs: `tiny` (seconds,
# in this notebook, on any run, tiny included), `rerun` (the stage run again with a changed setting, a
# line added to the parameters cell: minutes on `tiny`), `package` (an edit to the kit's code or data
# files), `smol` (a run of the default profile), `GPU`, `network` (a model server). The exercises that
# need only `tiny` **check themselves**: edit the lines marked `# EDIT` in the exercise's cell and run
# it, then run the check under it. The check prints one line, `PASS` or `NOT YET`, with the range it
# expects and why; as the notebook stands it says `NOT YET`. The cell after it, `solution("03-1")`,
# holds a solution: click it open in JupyterLab, or `print(solution("03-1"))`. The exercises listed
# last are for discussion.
#
# ### 03-1 · warm-up · needs tiny · checks itself: The same split in PSM order
#
# The FIM cell built the SPM sample of one document. Build the PSM sample of the same split
# (`<prefix> prefix <suffix> suffix <middle> middle`, token ids as ints, text as strings). In each
# order, what does the model read right before it writes the middle?

# %%
from seedkit.exercises import check_answer, solution  # noqa: E402

psm = list(spm)  # EDIT: the same prefix, middle and suffix in PSM order (fim.prefix_id, ...)
print("".join(tokenizer.convert_ids_to_tokens(p) if isinstance(p, int) else p for p in psm))

# %%
check_answer("03-1", psm=psm, prefix=prefix, middle=middle, suffix=suffix, fim=fim)

# %%
solution("03-1")

# %% [markdown]
# ### 03-2 · core · needs tiny · checks itself: Packing at half the context
#
# Pack the three documents of the packing cell (`docs`) into blocks of half of `seq_len_stage1`. How
# many blocks, and how many documents are cut across two blocks? Why does a model trained on split
# documents still need the end-of-text token?

# %%
half = length  # EDIT: half of seq_len_stage1
packed_half = pack(docs, half, eos, pad)
n_blocks = len(packed_half.input_ids)
n_split = 0  # EDIT: how many documents (each followed by its end-of-text) have tokens in two blocks?
print(f"{len(docs)} documents -> {n_blocks} blocks of {half}; {n_split} documents split")

# %%
check_answer("03-2", docs=docs, length=length, half=half, n_blocks=n_blocks, n_split=n_split)

# %%
solution("03-2")

# %% [markdown]
# ### 03-3 · warm-up · needs tiny · checks itself: The loss of a uniform guess
#
# What next-token loss does a model get that gives each of the `len(tokenizer)` tokens the same
# probability? Compare it with the loss of stage 1's model on block 0 (`model_loss` of the by-hand
# cell): did training take it below a guess?

# %%
uniform = 0.0  # EDIT: the loss of a uniform guess over len(tokenizer) tokens, in nats per token
print(f"uniform guess: {uniform:.4f} nats/token; stage 1's model on block 0: {model_loss:.4f}")

# %%
check_answer("03-3", uniform=uniform, vocab_size=len(tokenizer), model_loss=model_loss)

# %%
solution("03-3")

# %% [markdown]
# ## More exercises: settings, larger runs
#
# - **03-4 · core · needs smol.** *FIM order.* Set `fim_mode = "psm"` and rerun. Does the infilling
#   demo change? Why might SPM be easier for a left-to-right model (exercise 03-1 shows what sits right
#   before the middle)?
# - **03-5 · core · needs smol.** *Learning rate vs chat behaviour.* Set `learning_rate = 1e-3` and
#   compare the chat row of the effect table with this run's. At what learning rate does continued
#   pretraining start to cost the instruct model more than it gains?
# - **03-6 · core · needs smol.** *Seeds.* Set `ablation_seeds = 6`. Does the t-interval of the
#   `random` row narrow as 1/sqrt(seeds) predicts? Then sweep the whole stage over seeds from a shell:
#   `seedkit sweep --stages 03 -p seed=0,1,2`.
# - **03-7 · stretch · needs smol.** *Token budget.* Double `ablation_token_budget`. Does the filtered
#   corpus pull ahead, and on which held-out set first?
# - **03-8 · core · needs rerun.** *Resume.* Add `force = True` to the parameters cell, interrupt the
#   kernel during stage 1, and run the cell again. Find the `resuming from checkpoint-...` line and
#   check that every step was logged once.
# - **03-9 · stretch · needs rerun.** *Scale out.* `torchrun --nproc_per_node 2 -m seedkit train
#   pretraining --profile tiny --run-name ddp` (with `OMP_NUM_THREADS=1`) runs the same steps on two
#   processes with the same global batch.
