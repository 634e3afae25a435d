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
# # 01 · Curation: from raw code to a clean, deduplicated corpus
#
# **What the report did.** Seed-Coder's pretraining data starts from GitHub files, GitHub commits
# and code-related web pages. Before any model looks at the data, cheap rules remove most of it:
# files in unsupported languages (it keeps **89** programming languages), data and
# auto-generated files, files that do not parse (a **Tree-sitter** syntax filter), then **exact
# (SHA-256) and MinHash near-deduplication at repository and file level**; overall about **98%
# of the raw volume** is removed. Commits become *code-change prediction* samples (message plus
# context from the pre-commit repository, retrieved with BM25; target: changed paths and diff).
# Web pages are recalled with a **fastText** classifier trained on seed pages. Benchmarks are
# protected by dropping files that share a **10-gram** with them.
#
# **What this notebook does at small scale.** The same steps on local sources: the kit's mini
# repositories in `data_samples/repos/` (several languages, with one *planted* bad file per
# filter), a seeded sample of your Python's standard library (real code; `tiny` takes 24 files,
# `smol` 300), the kit's own git history as commit samples, and the HTML pages in
# `data_samples/web/`. Every decision is recorded as *(kept, reason)*, the way datatrove's
# filters answer `(False, "too_many_lines")`, and counted into `stats.json`. `tiny` runs in
# seconds; `smol` in about a minute on two busy cores. No language model yet: that is stage 02.
#
# **Learning objectives**
# 1. Read a curation funnel: documents and bytes in and out of each step, by reason and language.
# 2. Know what each rule catches, and inspect any single file's fate.
# 3. Choose MinHash LSH bands and rows from the Jaccard you want to catch.
# 4. See why decontamination and secret redaction belong in the data pipeline, not after training.

# %% tags=["parameters"]
profile = "smol"  # tiny | smol | gpu | multi-gpu
run_name = "default"  # runs/<run_name>/ holds every stage of one run
runs_dir = None
force = None
seed = None
repo_dirs = None
single_files = None
stdlib_sample_files = None
dataset_paths = None
dataset_content_column = None
commit_repos = None
max_commits = None
web_dirs = None
web_seeds = None
max_file_bytes = None
keep_unknown_languages = None
min_lines = None
max_lines = None
max_line_length = None
max_mean_line_length = None
min_alphanumeric_fraction = None
minified_mean_line_length = None
max_numeric_fraction = None
autogen_scan_lines = None
syntax_check = None
python_syntax_check = None
redact_secrets = None
exact_dedup = None
near_dedup = None
shingle_ngram = None
lsh_bands = None
lsh_rows = None
near_dup_min_jaccard = None
minhash_seed = None
decontam_ngram = None
decontaminate = None
web_min_code_score = None
num_proc = None
dropped_content_chars = None

# %%
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

from seedkit.curation.planted import check_planted
from seedkit.curation.settings import CurationSettings
from seedkit.curation.stage import run_curation

settings = CurationSettings.from_notebook(globals())
settings.describe()

# %% [markdown]
# ## Run the stage
#
# `run_curation` reads every source, runs the per-file steps (read → language → basic filters →
# syntax → secrets), then the corpus-level ones (repository dedup → file exact dedup → file near
# dedup → decontamination), and writes `files/`, `repos/`, `commits/`, `web/`, `dropped/` and
# `stats.json` under `runs/<run_name>/01_curation/`. A finished run with the same settings is
# loaded instead of redone (`force = True` redoes it).

# %%
result = run_curation(settings)
stats = result.stats
print(stats["files"])

# %% [markdown]
# ## The funnel
#
# Each bar pair is one step: documents in and out. The table under it says *why* documents left
# at each step. Bytes fall faster than documents at the read step: one oversize file weighs more
# than many small ones.

# %%
funnel = stats["funnel"]
steps = [f["step"] for f in funnel]
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
x = np.arange(len(steps))
axes[0].bar(x - 0.2, [f["docs_in"] for f in funnel], 0.4, label="in")
axes[0].bar(x + 0.2, [f["docs_out"] for f in funnel], 0.4, label="out")
axes[0].set_title("documents per step")
axes[1].bar(x - 0.2, [f["bytes_in"] / 1e3 for f in funnel], 0.4, label="in")
axes[1].bar(x + 0.2, [f["bytes_out"] / 1e3 for f in funnel], 0.4, label="out")
axes[1].set_title("kilobytes per step")
for ax in axes:
    ax.set_xticks(x, steps, rotation=40, ha="right")
    ax.legend()
plt.tight_layout()
plt.show()
for f in funnel:
    print(f"{f['step']:>16}: {f['docs_in']:4d} -> {f['docs_out']:4d}   dropped: {f['dropped_by_reason']}")

# %% [markdown]
# ## Language mix
#
# What is left, by language (the stdlib sample makes Python dominate; point `repo_dirs` at your
# own repositories to change that), and which languages lost files at which step.

# %%
kept = stats["files"]["kept_by_language"]
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.barh(list(kept)[::-1], list(kept.values())[::-1])
ax.set_xlabel("files kept")
ax.set_xscale("log")
plt.tight_layout()
plt.show()
lost = Counter()
for f in funnel:
    for lang, reasons in f["dropped_by_language"].items():
        lost[lang] += sum(reasons.values())
print("files dropped per language:", dict(lost.most_common()))

# %% [markdown]
# ## Page through what each filter dropped
#
# Pick a reason and step through the files it removed (`dropped/` keeps the first
# `dropped_content_chars` characters of each). Without a live kernel (papermill, CI) the cell
# prints the first file of every reason instead.

# %%
dropped = result.dropped.to_list()
by_reason = {}
for d in dropped:
    by_reason.setdefault(f"{d['step']} / {d['reason'].split(':')[0]}", []).append(d)


def show(d):
    print(f"{d['repo']}/{d['path']}  [{d['language']}]  step={d['step']}  reason={d['reason']}  {d['detail']}")
    print("-" * 80)
    print((d["content"] or "<no text: binary, empty or unreadable>")[:1200])


try:
    from seedkit.notebooks import live_widgets
    w = live_widgets()
    from IPython.display import display

    pick = w.Dropdown(options=sorted(by_reason), description="reason")
    idx = w.IntSlider(min=0, max=max(0, len(by_reason[pick.value]) - 1), description="file")
    out = w.Output()

    def refresh(*_):
        idx.max = max(0, len(by_reason[pick.value]) - 1)
        out.clear_output()
        with out:
            show(by_reason[pick.value][min(idx.value, idx.max)])

    pick.observe(refresh, "value")
    idx.observe(refresh, "value")
    refresh()
    display(w.VBox([pick, idx, out]))
except ImportError:
    pass
for key in sorted(by_reason):
    print(f"\n=== {key}: {len(by_reason[key])} file(s)")
    show(by_reason[key][0])

# %% [markdown]
# ## Every planted bad file, removed under the right reason
#
# `data_samples/` holds one planted file per filter (binary, empty, oversize, data format,
# auto-generated, minified, data dump, syntax errors in Python and JavaScript, a copied
# repository, an exact and a near copy of a file, a file containing HumanEval/0) plus a file
# full of secrets that must be *kept, redacted*, and web pages that must go each way. The check
# below is the same one the unit tests assert.

# %%
web_outcomes = [d for d in dropped if d["step"] == "web"] + result.web.to_list()
table = check_planted([d for d in dropped if d["step"] != "web"], result.files.to_list(), web_outcomes)
for row in table:
    print(f"{'ok ' if row['ok'] else 'BAD'}  {row['file']:<48} expected {row['expected']:<34} got {row['got']}")
if "data_samples/repos" in settings.repo_dirs and "data_samples/web" in settings.web_dirs:
    assert all(r["ok"] for r in table), "a planted file was not removed under its reason"
print("\none file's fate:", result.why("textstats", "textstats/broken.py"))

# %% [markdown]
# ## Choosing bands and rows for MinHash LSH
#
# A pair of files with Jaccard similarity *s* (over word 5-gram shingles) lands in the same
# bucket of at least one band with probability 1 − (1 − s^rows)^bands. The default 14 × 8 (as
# datatrove's) catches a pair at s = 0.85 with p ≈ 0.99 and at 0.7 only with p ≈ 0.57: near
# dedup here targets copies with small edits, not files that merely look alike.

# %%
s = np.linspace(0, 1, 201)
fig, ax = plt.subplots(figsize=(7, 3.5))
for b, r in [(settings.lsh_bands, settings.lsh_rows), (20, 5), (9, 13)]:
    ax.plot(s, 1 - (1 - s**r) ** b, label=f"{b} bands x {r} rows (threshold ~{(1 / b) ** (1 / r):.2f})")
ax.set_xlabel("Jaccard similarity of a pair")
ax.set_ylabel("P(caught)")
ax.legend()
plt.tight_layout()
plt.show()
print({k: v for k, v in stats["funnel"][-2].items() if k in ("docs_in", "docs_out", "dropped_by_reason")})

# %% [markdown]
# ## What the next stages read: repositories, commits, web pages
#
# A repository row concatenates its files with dependencies first (imports are read), each
# behind a path header. A commit sample is message + pre-commit context (README, tree, BM25-picked
# files) → changed paths + diff. Web rows keep the text, the code blocks and why they were kept.

# %%
repos = result.repos
row = max(repos.to_list(), key=lambda r: r["num_files"] if r["repo"] == "textstats" else 0)
print(row["repo"], row["languages"], row["num_files"], "files; headers in order:")
print([ln for ln in row["content"].splitlines() if ln.startswith("# ==== ")])
commits = result.commits
print(f"\n{len(commits)} commit samples; skipped: {stats['commits']['skipped']}")
if len(commits):
    c = commits[0]
    print("message:", c["message"].splitlines()[0], "| retrieved:", c["retrieved"])
    print(c["text"][:700])
print("\nweb pages kept:")
for r in result.web.to_list():
    print(f"  {r['code_score']:.2f}  {r['kept_by']:<10} {r['title']}  ({len(r['code_blocks'])} code blocks)")
print("redactions:", stats["redactions"])

# %% [markdown]
# ## Exercises
#
# 1. **Your own code.** Set `repo_dirs = ["/path/to/your/projects"]` (each top folder is a
#    repository) and `force = True`. Which step removes the most bytes, and why?
# 2. **Thresholds.** Lower `max_mean_line_length` to 60 and rerun. Which stdlib files go, and are
#    they worse code? Page through them with the widget before deciding.
# 3. **LSH.** With `lsh_bands = 20, lsh_rows = 5`, does the near-copy in `textstats-fork` still go?
#    Write a near-copy with more edits (rename three identifiers, delete five lines) and find the
#    first setting that misses it. Check with `seedkit.curation.dedup.jaccard`.
# 4. **Decontamination.** Copy one held-out problem's reference (`data_samples/problems/heldout.jsonl`)
#    into a file under a repository and confirm it is dropped with the problem's id. Then change
#    every identifier in it: is it still caught? What does that say about 10-gram matching?
# 5. **A new rule.** Add a check to `BasicFilters` for files that are mostly comments, give it a
#    reason name, plant a file that triggers it, and add it to `seedkit/curation/planted.py`;
#    the planted-file cell above must still pass.
