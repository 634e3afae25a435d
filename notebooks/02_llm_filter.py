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
# # 02 · The LLM quality filter: an oracle grades, a small model learns, the bottom goes
#
# **What the report did.** Rules (stage 01) remove broken and duplicated files but cannot tell
# tidy code from a copy-pasted mess. Seed-Coder replaced hand-written quality rules with a model:
# an oracle LLM (**DeepSeek-V2-Chat**) scored **222,066 sampled files from 0 to 10** on four
# dimensions (**readability, modularity, clarity, reusability**), with a **zero-score rule** for
# configuration, data, logic-free and auto-generated files, answering as `Rating: [[X]]`. A **1.3B
# model with a regression head** (labels rescaled to [0, 1], **MSE, one epoch**) learned those grades
# and scored the whole corpus; the **bottom ~10%** of files was dropped. Pretraining on this
# LLM-filtered data beat rule-filtered data at equal tokens (its Figure 6, rerun in notebook 03).
#
# **What this notebook does at small scale.** The same steps, one cell each, on this run's stage-01
# files (a few hundred):
# 1. **Sample** `label_sample_size` files (`smol`: 64) and have an **oracle** grade them with the
#    kit's rubric (`seedkit/prompts/quality_rubric.md`, versioned). `smol` uses the packaged
#    **SmolLM2-135M-Instruct**, 1,500 times smaller than the report's oracle. It rarely writes a
#    parseable rating, so its next-token probabilities are read instead: the **verdict reading**
#    (10 x P("good") after "good code or bad code?") or the **likelihood reading** (the expected score
#    from P("0".."10")). Any OpenAI-compatible server (vLLM, SGLang, llama.cpp) can be the oracle
#    (`oracle_server_url`). Labels are cached on disk: a rerun does not pay again.
# 2. **Check the oracle** before trusting it, on 22 files written good and poor
#    (`data_samples/quality`), shown to the oracle under their bare file names: the folder that holds
#    the label never reaches the prompt. The check reports the good-minus-poor difference and
#    P(good > poor) with 95% intervals. Read the interval your run prints: a 135M-parameter oracle
#    is not expected to pass, and an oracle whose interval includes 0 gives labels that carry little
#    of the rubric. Check a larger oracle behind a server the same way (exercise 3) before trusting
#    its grades.
# 3. **Distil** the labels into a scorer (a regression head on the packaged **MiniLM** encoder,
#    trained, as in the report, with MSE on labels rescaled to [0, 1]; a cell computes that loss by
#    hand) and measure on held-out files how faithfully it copies the oracle (Spearman and MAE with
#    intervals).
# 4. **Score** every file, **cut** the bottom `drop_bottom_fraction` (10%), and write two corpora for
#    stage 03: `filtered` (rules + LLM) and `rules_only` (stage-01 files sampled to the same tokens).
#
# The `tiny` profile runs all of it with the kit's 1M-parameter scratch model as the oracle: its
# grades are noise, but every line of the real code path runs. With `smol` most of the time goes to
# the oracle.
#
# The stage is a sequence of steps: `stage = begin(settings)` opens it, each step is a function
# `verb(stage, <earlier products>)` returning a small dataclass (`labels.rows`, `report.evidence`,
# `filtered.kept`, ...), and `finish(stage)` writes the outputs.
#
# **Learning objectives**
# 1. Read a rubric prompt and see how its answer format is parsed, and what happens to answers
#    that do not parse.
# 2. Get a graded signal from a tiny model through its next-token probabilities.
# 3. Check an oracle against files of known quality, with an interval, and without leaking the answer.
# 4. Distil an expensive grader into a cheap scorer, compute its training loss by hand, and measure
#    how faithful the copy is.
# 5. Choose a cut on a histogram, and see exactly which files it removes.

# %% tags=["parameters"]
profile = None  # tiny | smol | gpu | multi-gpu; None: the run switch (seedkit use), the run's own, smol
run_name = None  # runs/<run_name>/; None: $SEEDKIT_RUN or seedkit-run.yaml (seedkit use), else the profile's
oracle_model = None
oracle_method = None
rubric_path = None
label_sample_size = None
check_readings = None
scorer_backbone = None
drop_bottom_fraction = None
min_score = None
# 18 more settings come from the profile: settings.describe(every=True) lists them; set one with a line here or seedkit run -p NAME=VALUE

# %%
# %matplotlib inline
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

from seedkit.llm_filter.plots import (
    plot_agreement,
    plot_good_vs_poor,
    plot_label_distribution,
    plot_score_histogram,
)
from seedkit.llm_filter.result import extremes, preview_cut
from seedkit.llm_filter.rubric import load_rubric, parse_rating
from seedkit.llm_filter.settings import LLMFilterSettings
from seedkit.llm_filter.stage import (
    begin,
    check_oracle,
    count_tokens,
    cut_files,
    distil_scorer,
    draw_sample,
    finish,
    label_sample,
    sample_rules_only,
    score_files,
)
from seedkit.training import set_torch_threads

settings = LLMFilterSettings.from_notebook(globals())
settings.describe()
print("\nwhere this stage follows the report, and where not:")
settings.show_report_comparison()
# torch threads for the rest of this notebook: 0 = auto, the CPUs other work leaves idle, followed while it
# runs (two threads on a busy 2-core machine were measured 4-30x slower than one; see the setting's help)
set_torch_threads(settings.torch_threads, settings.stage)
stage = begin(settings)

# %% [markdown]
# ## 1. The rubric and its answer format
#
# The prompt is a file you can edit (`rubric_path`); its `version:` line plus a hash of its text
# is stored with every label, so edited prompts never mix with old labels in the cache. The
# oracle must answer `Rating: [[X]]`. An answer without it is **unparseable**: counted, kept out
# of training, and never turned into a 0 (a 0 means "config or data file" and would wrongly
# push a file out).

# %%
rubric = load_rubric(settings.rubric_path)
print("prompt version:", rubric.version)
print(rubric.render("def add(a, b):\n    return a + b\n", path="add.py", language="python"))
for answer in ["Rating: [[7]] clean and documented.", "I think it is quite good!", "Rating: [[12]]"]:
    print(f"{answer!r:45} -> {parse_rating(answer)}")

# %% [markdown]
# *What you should see:* the prompt's version and the rubric with the code in place, then three
# answers: one read as 7, two unparseable (`None`, never 0).

# %% [markdown]
# ## 2. The sample the oracle grades

# %%
sample = draw_sample(stage)
print(f"{len(sample.files)} of {len(stage.files)} files, seed {settings.seed}; languages:",
      dict(Counter(sample.files["language"]).most_common()))

# %% [markdown]
# *What you should see:* how many files the oracle grades, of how many, and their languages.

# %% [markdown]
# ## 3. Oracle labels
#
# Labels come from the cache when the same file was graded before with the same prompt version,
# oracle and reading. The histogram shows how the oracle spreads its grades; the raw answers show
# what each reading actually read.

# %%
labels = label_sample(stage, sample)
plot_label_distribution(labels.scores)
plt.show()
for row in labels.rows.select(range(min(4, len(labels.rows)))):
    print(f"{row['path']}: {row['score']}  <- {row['raw_answer']}")

# %% [markdown]
# *What you should see:* a histogram of the oracle's grades and four raw answers; on `tiny` the
# grades crowd into a narrow band (a random oracle), on `smol` they spread more.

# %% [markdown]
# ## 4. Does the oracle tell good code from poor code?
#
# `data_samples/quality` holds 10 files written to be good (small named functions, docstrings, input
# checks, in Python, JavaScript, Go and Java) and 12 written to hit the rubric's low cases:
# configuration, data tables, protoc and Django-migration output, a minified bundle, copy-pasted
# logic and a script with no structure. The oracle sees each under its bare file name (`retry.py`,
# never `good/retry.py`): with the folder in the prompt, SmolLM2 "separated" them perfectly by reading
# the word. The difference of means and P(good > poor) (the share of good/poor pairs ordered
# correctly; 0.5 = chance) come with 95% bootstrap intervals over the 22 files. An interval that
# includes 0 (or 0.5) means this oracle's labels cannot be trusted to carry the rubric, whatever the
# scorer learns from them. Add readings with `check_readings = ["likelihood"]`.

# %%
check = check_oracle(stage)
if not check.readings:
    print("compare_samples=False: the quality samples were not graded in this run (tiny: the scratch oracle is noise)")
else:
    readings = check.readings
    fig, axes = plt.subplots(1, len(readings), figsize=(6 * len(readings), 3.5), squeeze=False)
    for ax, (method, r) in zip(axes[0], readings.items(), strict=True):
        plot_good_vs_poor({**r, "gap": r["difference"], "good_above_poor_auc": r["p_good_above_poor"]}, ax=ax)
        ax.set_title(f"{method}: " + ax.get_title(), fontsize=9)
        print(r["summary"])
    plt.tight_layout()
    plt.show()
    for f in sorted(readings[check.chosen]["files"], key=lambda f: -(f["score"] or 0)):
        print(f"  {f['group']:4}  {f['score'] if f['score'] is None else round(f['score'], 3)!s:>6}  {f['path']}")

# %% [markdown]
# *What you should see:* on `tiny` the line saying the check is off; on `smol` one panel per reading
# and a summary with intervals: read whether the difference's interval includes 0 before trusting
# the labels.

# %% [markdown]
# ## 5. The distilled scorer
#
# The oracle is far too slow to read a whole corpus (the report's oracle saw 222K files out of
# billions), so a small model learns its grades: MiniLM sentence embeddings of each file's name and
# first lines, and a two-layer head with a sigmoid, trained with MSE on labels divided by 10. A
# quarter of the labelled files is held out. Spearman says whether it orders files like the oracle;
# compare its MAE with the MAE of always predicting the mean. With a few dozen labels the intervals
# are wide: read them before the point values.

# %%
report = distil_scorer(stage, labels, sample)
ev = report.evidence
def interval(v, ci):
    return "undefined" if v is None else f"{v:.3f}" + (f" (95% CI {ci[0]:.3f} to {ci[1]:.3f})" if ci else "")


print(f"held-out n = {ev['n']} files: Spearman {interval(ev['spearman'], ev['spearman_ci'])}, "
      f"MAE {interval(ev['mae'], ev['mae_ci'])}; predicting the mean: MAE {report.heldout['baseline_mae_predict_mean']}")
plot_agreement(report.heldout_labels, report.heldout_predictions)
plt.show()

# %% [markdown]
# *What you should see:* the held-out Spearman and MAE with intervals beside the MAE of predicting
# the mean; a scorer worth keeping beats that baseline, and on `tiny` (labels of noise) it need not.

# %% [markdown]
# ### The scorer's objective, by hand
#
# The head maps a file's embedding x to sigmoid(W2 · relu(W1 · x + b1) + b2), a number in [0, 1]; the
# oracle's grade y (0-10) becomes the target y / 10 (clipped to [0, 1]); the loss of a batch is the
# mean of (prediction - y / 10)², what the report trained with. The cell takes one batch of labelled
# files, computes that loss with numpy from the trained head's weights, and asserts it equals the
# package's `scorer_loss` (the function its training loop calls), and that 10 x the prediction is the
# score `predict` gives.

# %%
import torch  # noqa: E402

from seedkit.llm_filter.scorer import rescale_labels, scorer_loss, scorer_text  # noqa: E402

scorer = stage.scorer
usable = [i for i, v in enumerate(labels.scores) if v is not None][: settings.scorer_batch_size]
y = np.asarray([labels.scores[i] for i in usable], float)
x = scorer.backbone.embed([scorer_text(r) for r in sample.files.select(usable).to_list()])
W1, b1, W2, b2 = (p.detach().numpy().astype(np.float64) for p in (
    scorer.head[0].weight, scorer.head[0].bias, scorer.head[2].weight, scorer.head[2].bias))
hidden = np.maximum(x @ W1.T + b1, 0.0)
prediction = 1.0 / (1.0 + np.exp(-(hidden @ W2.T + b2)[:, 0]))
target = np.clip(y / 10.0, 0.0, 1.0)
by_hand = float(np.mean((prediction - target) ** 2))
with torch.no_grad():
    package_loss = float(scorer_loss(scorer.head, torch.from_numpy(x), rescale_labels(y)))
assert abs(by_hand - package_loss) < 1e-5, (by_hand, package_loss)
assert np.allclose(10 * prediction, scorer.predict_embeddings(x), atol=1e-3)
print(f"batch of {len(y)} labelled files: MSE by hand {by_hand:.6f}, package {package_loss:.6f} "
      f"(on the 0-10 scale: a typical error of {10 * by_hand ** 0.5:.2f} points)")

# %% [markdown]
# *What you should see:* the same MSE by hand and from the package (the asserts pass) and the
# typical error on the 0-10 scale.

# %% [markdown]
# ## 6. Scoring every file

# %%
scored = score_files(stage, report)
scores = np.asarray(scored.files["quality_score"], float)
print(f"{len(scored.files)} files scored: mean {scores.mean():.2f}, std {scores.std():.2f}, range {scores.min():.2f}-{scores.max():.2f}")

# %% [markdown]
# *What you should see:* one line: how many files were scored, and their mean, spread and range.

# %% [markdown]
# ## 7. The cut
#
# The report dropped about the bottom 10%; the red line is this run's cut (`drop_bottom_fraction`,
# or `min_score` for an absolute threshold).

# %%
filtered = cut_files(stage, scored)
plot_score_histogram(scores, filtered.threshold)
plt.show()
for title, rows in (("best", extremes(scored.files, 3)), ("worst", extremes(scored.files, 3, worst=True))):
    for r in rows:
        print(f"--- {title}: {r['path']} ({r['language']}), score {r['quality_score']:.2f}")
        print(r["content"][:300])

# %% [markdown]
# *What you should see:* a histogram of the scores with the cut in red, then the best and the worst
# three files: compare them with the rubric's zero-score rule.

# %% [markdown]
# Move the cut and see what would go. The slider only previews: the stage's outputs change when
# you rerun it with another `drop_bottom_fraction` or `min_score`.

# %%
print(preview_cut(scored.files, filtered.threshold))  # the stage's own cut, printed for headless runs too
try:
    from seedkit.notebooks import live_widgets

    widgets = live_widgets()
    slider = widgets.FloatSlider(value=filtered.threshold, min=float(scores.min()), max=float(scores.max()),
                                 step=0.01, description="cut", continuous_update=False)
    widgets.interact(lambda cut: print(preview_cut(scored.files, cut)), cut=slider)
except ImportError:  # headless, or no widgets installed: the printed preview above is all there is
    pass

# %% [markdown]
# *What you should see:* how many files fall under the stage's cut and the highest-scored of them;
# with a live kernel, a slider that moves the cut.

# %% [markdown]
# ## 8. Two corpora for the ablation
#
# Stage 03 trains one model on `filtered` and one on `rules_only` with the same number of tokens,
# so any difference comes from which files were kept, not how many tokens each model saw.

# %%
tokens = count_tokens(stage)
rules = sample_rules_only(stage, filtered, tokens)
print(f"filtered: {len(filtered.kept)} files; rules_only: {len(rules.files)} files (tokens counted by {tokens.counter})")

# %% [markdown]
# *What you should see:* the file counts of the two corpora: `rules_only` was sampled to the tokens
# of `filtered`, so its count of files may differ.

# %% [markdown]
# ## 9. The stage's outputs and its evidence
#
# `finish` writes `labels/`, `scorer/`, `scored/`, `filtered/`, `rules_only/` and `stats.json`, and the
# manifest last. The manifest's metrics hold the evidence above (with intervals and n), so runs can
# be compared without opening the notebook.

# %%
result = finish(stage)
t = result.stats["tokens"]
print(f"tokens ({t['counter']}): filtered {t['filtered']:,}, rules_only {t['rules_only']:,}, all files {t['all_files']:,}")
print(result.stats["counts"])

# %% [markdown]
# *What you should see:* the token counts of both corpora and of all files, close for the two
# corpora, and the stage's counts.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked by its level (warm-up, core, stretch) and by what it needs: `tiny` (seconds,
# in this notebook, on any run, tiny included), `rerun` (the stage run again with a changed setting, a
# line added to the parameters cell: minutes on `tiny`), `package` (an edit to the kit's code or data
# files), `smol` (a run of the default profile), `GPU`, `network` (a model server). The exercises that
# need only `tiny` **check themselves**: edit the lines marked `# EDIT` in the exercise's cell and run
# it, then run the check under it. The check prints one line, `PASS` or `NOT YET`, with the range it
# expects and why; as the notebook stands it says `NOT YET`. The cell after it, `solution("02-1")`,
# holds a solution: click it open in JupyterLab, or `print(solution("02-1"))`. The exercises listed
# last are for discussion.
#
# ### 02-1 · warm-up · needs tiny · checks itself: Answers the parser reads, and answers it refuses
#
# The oracle must answer `Rating: [[X]]` (section 1). Write three answers: one `parse_rating` reads
# as 10, one in the format whose rating lies outside 0-10, and one with no rating it can read. Why
# does the kit keep the last two out of training instead of counting them as 0?

# %%
from seedkit.exercises import check_answer, solution  # noqa: E402

answers = {
    "ten": "Rating: [[7]]",  # EDIT: an answer read as 10
    "out_of_range": "Rating: [[7]]",  # EDIT: the format, with a rating outside 0-10
    "unparseable": "Rating: [[7]]",  # EDIT: no rating the parser can read
}
for name, text in answers.items():
    print(f"{name:13} {text!r:60} -> {parse_rating(text)}")

# %%
check_answer("02-1", answers=answers)

# %%
solution("02-1")

# %% [markdown]
# ### 02-2 · core · needs tiny · checks itself: The constant predictor the scorer must beat
#
# A scorer that ignores the file and predicts one number for every file also has an MSE. Which
# number makes the MSE on the batch of the by-hand cell (`target`) smallest, and what is that MSE?
# Does the trained head beat it? (On `tiny` the oracle's grades are noise: the head may not.)

# %%
constant = 0.5  # EDIT: the one prediction for every file that makes the batch's MSE smallest
baseline_mse = float(np.mean((constant - target) ** 2))
print(f"predicting {constant:.4f} for every file: MSE {baseline_mse:.6f}; the trained head: {by_hand:.6f}")

# %%
check_answer("02-2", target=target, constant=constant, baseline_mse=baseline_mse, head_mse=by_hand)

# %%
solution("02-2")

# %% [markdown]
# ## More exercises: settings, the package, larger runs
#
# - **02-3 · core · needs smol.** *Prompt engineering.* Copy `seedkit/prompts/quality_rubric.md`,
#   change one thing (add two graded examples, move the code before the dimensions, drop the
#   zero-score rule), set `rubric_path` to the copy and rerun with `force = True` (a line added to the
#   parameters cell). Did the good-vs-poor interval move away from zero? Why were the old labels not reused?
# - **02-4 · core · needs smol.** *Three readings.* Rerun with `check_readings = ["likelihood",
#   "generate"]`. Does any reading separate the quality samples? Then `oracle_method="generate"` with
#   `label_sample_size=16`: how many written answers were unparseable, and why does the kit refuse to
#   count them as 0?
# - **02-5 · stretch · needs GPU, network.** *A real oracle.* Start an OpenAI-compatible server
#   (`vllm serve Qwen/Qwen2.5-Coder-7B-Instruct` or `llama-server -m model.gguf`) and set
#   `oracle_server_url` and `oracle_server_model`. Compare its good-vs-poor interval with SmolLM2's.
# - **02-6 · core · needs smol.** *Backbones.* Set `scorer_backbone="lm"` (the oracle's own hidden
#   states) or `"minilm-finetune"`. Which copies the oracle better on held-out files, and at what speed
#   (`make bench` prints files/s for each)?
# - **02-7 · core · needs smol.** *Where to cut.* With `min_score` instead of a percentile, find the
#   score below which the worst files are mostly config and data. Would the report's 10% have been
#   enough here?
# - **02-8 · stretch · needs package, smol.** *A leak.* Put the folder back into what the oracle sees (in a copy
#   of `seedkit/llm_filter/samples.py`, `"path": f"{group}/{f.name}"`) and rerun the check. What does
#   the interval say now, and what does that teach about checking an evaluation for leaks?
# - **02-9 · warm-up · needs rerun.** *Another cut.* Set `drop_bottom_fraction = 0.3` in the parameters cell
#   and rerun. How many files does the cut drop now, and why not exactly 30% of them? What you should see:
#   the cut drops at most floor(fraction x scored files), fewer where scores tie at the cut (tied files are
#   kept together), and its line names the threshold score.
