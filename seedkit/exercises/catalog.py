"""Every notebook exercise: its id, level, what it needs, and (for those that check themselves) the
solution, the whole exercise cell as it should read. The notebooks' exercise headings carry each
exercise's :attr:`Exercise.tag`; a test checks they agree with this catalog."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("warm-up", "core", "stretch")
NEEDS = ("tiny", "rerun", "package", "smol", "GPU", "network")


@dataclass(frozen=True)
class Exercise:
    """One exercise. ``needs``: what it takes to do. ``tiny``: seconds, in the notebook, on any run
    (tiny included); such an exercise checks itself (``checked``: a check cell and a solution).
    ``rerun``: a stage run again with a changed setting (minutes on tiny); ``package``: an edit to
    the kit's code or data files; ``smol``: a run of the default profile; ``GPU``; ``network``: a
    model server. A ``rerun`` exercise that changes one setting names it (``setting``) and says what a
    rerun on ``tiny`` should show (``expect``), the line the notebook and docs/workshop.md give."""

    id: str
    title: str
    level: str
    needs: tuple[str, ...]
    checked: bool = False
    solution: str = ""
    setting: str = ""
    expect: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS or not self.needs or any(n not in NEEDS for n in self.needs):
            raise ValueError(f"exercise {self.id}: level {self.level!r} or needs {self.needs!r} unknown")
        if self.checked != (self.needs == ("tiny",)):
            raise ValueError(f"exercise {self.id}: an exercise checks itself exactly when it needs only tiny")
        if bool(self.setting) != bool(self.expect) or (self.setting and "rerun" not in self.needs):
            raise ValueError(f"exercise {self.id}: a rerun exercise that names a setting says what to expect")

    @property
    def tag(self) -> str:
        """How the notebook marks it: ``04-1 · core · needs tiny · checks itself``."""
        return f"{self.id} · {self.level} · needs {', '.join(self.needs)}" + (" · checks itself" if self.checked else "")


def _checked(id_: str, title: str, level: str, solution: str) -> Exercise:
    return Exercise(id_, title, level, ("tiny",), True, solution)


_ALL = [
    # 01 curation
    _checked("01-1", "LSH bands and rows that catch Jaccard 0.7", "warm-up", '''
# Exercise 01-1: 22 bands of 5 rows use 110 of the 112 positions; the threshold (1/22)^(1/5) = 0.54 sits below 0.7
bands, rows = 22, 5
for s in (0.4, 0.7, 0.85):
    print(f"J = {s}: P(share a bucket) = {1 - (1 - s ** rows) ** bands:.3f}")
'''),
    _checked("01-2", "A near copy that near dedup misses", "core", '''
# Exercise 01-2: one renamed identifier that occurs often changes every 5-word shingle holding it
import re

b_edit = re.sub(r"\\btext\\b", "source", b_text)
print(f"true Jaccard {dedup.jaccard(a_text, b_edit, settings.shingle_ngram):.3f}")
'''),
    Exercise("01-3", "Your own code", "core", ("rerun",)),
    Exercise("01-4", "Thresholds", "core", ("rerun",)),
    Exercise("01-5", "Decontamination", "core", ("rerun",)),
    Exercise("01-6", "A new rule", "stretch", ("rerun", "package")),
    Exercise("01-7", "The web classifier", "core", ("rerun",)),
    Exercise("01-8", "Your language", "core", ("rerun",)),
    Exercise("01-9", "Installed code", "stretch", ("smol",)),
    Exercise("01-10", "Another near-duplicate threshold", "warm-up", ("rerun",), setting="near_dup_min_jaccard",
             expect=("a higher threshold removes fewer near copies and a lower one at least as many, in the funnel's "
                     "near_duplicate and near_duplicate_repo rows; the rule filters before dedup stay as they were")),
    # 02 LLM filter
    _checked("02-1", "Answers the parser reads, and answers it refuses", "warm-up", '''
# Exercise 02-1: a rating in the format, one outside 0-10, and prose without the format
answers = {
    "ten": "Rating: [[10]] clear names, small functions, documented.",
    "out_of_range": "Rating: [[11]] better than perfect.",
    "unparseable": "I would give this file a ten.",
}
for name, text in answers.items():
    print(f"{name:13} {text!r:60} -> {parse_rating(text)}")
'''),
    _checked("02-2", "The constant predictor the scorer must beat", "core", '''
# Exercise 02-2: squared error is smallest at the mean, and its MSE there is the variance
constant = float(np.mean(target))
baseline_mse = float(np.mean((constant - target) ** 2))
print(f"predicting {constant:.4f} for every file: MSE {baseline_mse:.6f}; the trained head: {by_hand:.6f}")
'''),
    Exercise("02-3", "Prompt engineering", "core", ("smol",)),
    Exercise("02-4", "Three readings", "core", ("smol",)),
    Exercise("02-5", "A real oracle", "stretch", ("GPU", "network")),
    Exercise("02-6", "Backbones", "core", ("smol",)),
    Exercise("02-7", "Where to cut", "core", ("smol",)),
    Exercise("02-8", "A leak", "stretch", ("package", "smol")),
    Exercise("02-9", "Another cut", "warm-up", ("rerun",), setting="drop_bottom_fraction",
             expect=("the cut drops at most floor(fraction x scored files), fewer where scores tie at the cut (tied "
                     "files are kept together), and its line names the threshold score")),
    # 03 pretraining
    _checked("03-1", "The same split in PSM order", "warm-up", '''
# Exercise 03-1: PSM puts the prefix first; the middle then follows the suffix
psm = [fim.prefix_id, prefix, fim.suffix_id, suffix, fim.middle_id, middle]
assert prefix + middle + suffix == doc
'''),
    _checked("03-2", "Packing at half the context", "core", '''
# Exercise 03-2: a document is split when its first and last token (its end-of-text) land in different blocks
half = length // 2
packed_half = pack(docs, half, eos, pad)
n_blocks = len(packed_half.input_ids)
n_split, start = 0, 0
for d in docs:
    end = start + len(d) + 1  # the document and its end-of-text
    n_split += start // half != (end - 1) // half
    start = end
print(f"{len(docs)} documents -> {n_blocks} blocks of {half}; {n_split} documents split")
'''),
    _checked("03-3", "The loss of a uniform guess", "warm-up", '''
# Exercise 03-3: probability 1/V for every token: -log(1/V) = ln V at every position
uniform = math.log(len(tokenizer))
print(f"uniform guess: {uniform:.4f} nats/token; stage 1's model on block 0: {model_loss:.4f}")
'''),
    Exercise("03-4", "FIM order", "core", ("smol",)),
    Exercise("03-5", "Learning rate vs chat behaviour", "core", ("smol",)),
    Exercise("03-6", "Seeds", "core", ("smol",)),
    Exercise("03-7", "Token budget", "stretch", ("smol",)),
    Exercise("03-8", "Resume", "core", ("rerun",)),
    Exercise("03-9", "Scale out", "stretch", ("rerun",)),
    # 04 SFT
    _checked("04-1", "The loss without the prompt mask", "core", '''
# Exercise 04-1: every token its own label; the loss is then the mean over every predicted token
all_labels = list(ids)
keep = torch.tensor(all_labels[1:]) != -100
loss_all_tokens = -log_probs[torch.arange(len(targets)), targets][keep].mean().item()
print(f"all tokens: {loss_all_tokens:.4f}; the answer only: {by_hand:.4f}")
'''),
    _checked("04-2", "The filter that removed the most", "warm-up", '''
# Exercise 04-2: the funnel's rows name each filter and how many items it removed
answer = max(filtered.funnel, key=lambda row: row.removed).step if any(r.removed for r in filtered.funnel) else "none"
'''),
    Exercise("04-3", "Change the voice", "core", ("package", "smol")),
    Exercise("04-4", "Trust the judge?", "core", ("smol", "network")),
    Exercise("04-5", "Self-correction", "core", ("smol",)),
    Exercise("04-6", "Which data helps?", "core", ("smol",)),
    Exercise("04-7", "Decontamination check", "core", ("rerun", "package")),
    Exercise("04-8", "Full fine-tuning vs LoRA", "stretch", ("smol",)),
    # 05 DPO
    _checked("05-1", "DPO's loss of a pair, and at the reference", "warm-up", '''
# Exercise 05-1: -log sigmoid(margin) = log(1 + exp(-margin)); margin 0 gives ln 2
import math


def dpo_pair_loss(logp_chosen, ref_chosen, logp_rejected, ref_rejected, beta):
    margin = beta * ((logp_chosen - ref_chosen) - (logp_rejected - ref_rejected))
    return math.log1p(math.exp(-margin))


at_reference = dpo_pair_loss(-20.0, -20.0, -35.0, -35.0, settings.beta)  # the policy is the reference
print(f"loss when the policy is the reference: {at_reference:.4f}")
'''),
    _checked("05-2", "How far beta makes the policy move", "core", '''
# Exercise 05-2: -log sigmoid(beta * gap) = 0.1  <=>  beta * gap = ln(1 / (e^0.1 - 1))
import math

gap = math.log(1 / math.expm1(0.1)) / settings.beta
print(f"beta {settings.beta:g}, gap {gap:.2f} nats: loss {math.log1p(math.exp(-settings.beta * gap)):.4f}")
'''),
    _checked("05-3", "Every pair, run again", "core", '''
# Exercise 05-3: both answers of every pair against its prompt's tests (score_answers builds each program
# with PromptTask.program and runs it in seedkit.sandbox)
from seedkit.dpo.pairs import score_answers

by_id = {t.task_id: t for t in tasks}
runs = score_answers([by_id[p.task_id] for p in pairs.pairs], [[p.chosen, p.rejected] for p in pairs.pairs])
checked_pairs = [(chosen.passed, rejected.passed) for chosen, rejected in runs]
print(f"{sum(c and not r for c, r in checked_pairs)} of {len(pairs.pairs)} pairs hold: chosen passes, rejected fails")
'''),
    Exercise("05-4", "More samples, more on-policy pairs", "core", ("smol",)),
    Exercise("05-5", "Syntax errors as rejected answers", "stretch", ("package", "smol")),
    Exercise("05-6", "Off-policy only", "core", ("rerun", "smol")),
    Exercise("05-7", "β", "core", ("smol",)),
    Exercise("05-8", "β on tiny: training only", "warm-up", ("rerun",), setting="beta",
             expect=("only training and the effect run again: the prompts, samples, outcomes and pairs steps print "
                     "'reusing what these settings computed before', since beta is a setting only training reads")),
    # 06 LongCoT RL
    _checked("06-1", "Format without execution, execution without format", "warm-up", '''
# Exercise 06-1: the layout with a wrong function; the right function in a bare fence, no <think>
format_only = examples["wrong"]
code = parse_trace(examples["seed trace"]).code or problem["prompt"] + problem["reference"]
exec_only = f"```python\\n{code}\\n```"
for label, text in (("format only", format_only), ("execution only", exec_only)):
    print(f"{label:15} " + "  ".join(f"{f.__name__}={f(completions=[text], test_snippets=[tests])[0]:.2f}"
                                     for f in reward_funcs))
'''),
    _checked("06-2", "Group-relative advantages", "core", '''
# Exercise 06-2: TRL's scale_rewards="group": (r - mean) / (std + 1e-4), std with Bessel's correction
import statistics


def group_advantages(rewards):
    mean, std = statistics.fmean(rewards), statistics.stdev(rewards)
    return [(r - mean) / (std + 1e-4) for r in rewards]


print("a lone success:", [round(a, 3) for a in group_advantages([1.0] + [0.0] * (settings.num_generations - 1))])
print("a flat group:  ", group_advantages([0.5] * settings.num_generations))
'''),
    Exercise("06-3", "The batch rule", "warm-up", ("rerun",)),
    Exercise("06-4", "The report's values", "core", ("smol",)),
    Exercise("06-5", "Clipping", "core", ("smol",)),
    Exercise("06-6", "Overlong filtering", "core", ("rerun",)),
    Exercise("06-7", "Curriculum", "core", ("smol",)),
    Exercise("06-8", "Which step helped?", "stretch", ("smol",)),
    Exercise("06-9", "A real trace generator", "stretch", ("GPU", "network")),
    # 07 eval
    _checked("07-1", "The unbiased pass@k", "warm-up", '''
# Exercise 07-1: k of the n answers drawn without replacement: 1 - C(n-c, k) / C(n, k)
import math

n, c, k = 5, 2, 3
estimate = 1 - math.comb(n - c, k) / math.comb(n, k)
print(f"pass@{k} from {c} of {n}: {estimate:.4f}")
'''),
    _checked("07-2", "Paired beats separate", "core", '''
# Exercise 07-2: the child is 0.1 better on every problem it can be (the spread across problems is shared)
parent_rates = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 0.2, 0.4, 0.6, 0.8, 0.0, 0.4]
child_rates = [min(1.0, r + 0.1) for r in parent_rates]
print("paired:", paired_difference(dict(enumerate(child_rates)), dict(enumerate(parent_rates))))
print("separate:", bootstrap_interval(child_rates), bootstrap_interval(parent_rates))
'''),
    Exercise("07-3", "Interval by hand", "core", ("smol",)),
    Exercise("07-4", "Samples versus problems", "core", ("smol",)),
    Exercise("07-5", "Prompt format", "core", ("smol",)),
    Exercise("07-6", "Seeds", "stretch", ("smol",)),
    Exercise("07-7", "Extension", "stretch", ("network",)),
]

EXERCISES: dict[str, Exercise] = {e.id: e for e in _ALL}
