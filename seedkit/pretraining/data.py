"""Stage 03's data: reading stages 01/02, the held-out set, and the per-stage mixtures.

- Stage 1 (regular pretraining): file-level code from the chosen corpus (``filtered`` or
  ``rules_only`` from stage 02), plus code web pages and commit samples from stage 01, mixed by
  token shares that are settings, FIM at 0.5.
- Stage 2 (continued pretraining): the top-scored files and repository-level samples (stage 01's
  concatenated repositories, headed by the repository-name token), at a longer context, FIM at 0.1.
- Held-out sets, removed from every training source (both corpora, repository samples) so the
  loss on them is a true held-out loss for every model alike: ``random``, a random sample of
  stage 01's files drawn before any LLM filter (the filter did not choose it, so it is the
  ablation's fair yardstick), and ``top_scored``, the highest-scored of the remaining files (the
  set the report measured its ablation on; it favours the filtered corpus by construction).

Sources are mixed by *tokens*, not documents: a 10% web share means 10% of the stage's tokens,
however long the pages are. A source smaller than its share is repeated (epochs are reported); an
empty source gives its share to the others, and that is printed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.models import special_token
from seedkit.pretraining.fim import FimMode, FimTokens, Piece, maybe_fim
from seedkit.pretraining.heldout import HeldoutFile
from seedkit.pretraining.packing import encode_pieces
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.runs import load_dataset_dir


class PretrainDataError(ValueError):
    """The inputs hold nothing to train on; the message says what to fix."""


@dataclass
class CodeFile:
    id: str
    repo: str
    path: str
    language: str
    content: str
    quality_score: float | None


@dataclass
class PretrainInputs:
    """Everything stage 03 reads, already split into training and held-out parts."""

    train_files: list[CodeFile]
    heldout: dict[str, list[CodeFile]]  # "random", "top_scored"
    repos: list[tuple[str, str]]  # (repo name, concatenated content), held-out files removed
    commits: list[str]
    web: list[str]
    corpus: str
    # Files of the *other* corpus (for the ablation), held-out removed.
    other_files: list[CodeFile] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def corpus_files(self, corpus: str) -> list[CodeFile]:
        """The training files of ``filtered`` or ``rules_only``."""
        return self.train_files if corpus == self.corpus else self.other_files

    def heldout_sets(self) -> dict[str, list[HeldoutFile]]:
        """The held-out sets as :class:`~seedkit.pretraining.heldout.HeldoutFile` lists (empty sets left out)."""
        return {name: [HeldoutFile(f.id, f.language, f.content) for f in files]
                for name, files in self.heldout.items() if files}

    def tokenizer_texts(self, max_chars: int = 3_000_000) -> list[str]:
        """Texts a scratch tokenizer is trained on: both corpora first, then the other sources, never the
        held-out files (one tokenizer for the main model and every ablation model, fair to both corpora).
        Capped at ``max_chars`` to bound the BPE training time (smol's sources with its repository samples
        hold ~9M characters); both corpora come first, so they are always in it."""
        out, n = [], 0
        seen: set[str] = set()
        files = [f for f in self.train_files + self.other_files if not (f.id in seen or seen.add(f.id))]
        for t in [f.content for f in files] + self.web + self.commits + [c for _, c in self.repos]:
            if n >= max_chars:
                break
            out.append(t)
            n += len(t)
        return out


def _rows(ds: Any, columns: Sequence[str], where: str) -> list[dict[str, Any]]:
    missing = [c for c in columns if c not in ds.column_names]
    if missing:
        raise PretrainDataError(f"{where} lacks columns {missing} (has {ds.column_names}): see docs/contracts.md")
    return ds.select_columns(list(columns)).to_list()


def _load_optional(path: Path) -> Any | None:

    return load_dataset_dir(path) if path.exists() else None


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def choose_heldout(scored: list[dict[str, Any]], n_random: int, n_top: int, seed: int) -> dict[str, list[str]]:
    """Ids of the two held-out sets from stage 02's ``scored`` rows (= every stage 01 file).

    ``random``: ``n_random`` files drawn uniformly (seeded) from all non-empty files, whatever their
    score. ``top_scored``: the ``n_top`` highest-scored files not already in ``random``. Files with
    the same content count once.
    """
    by_content: dict[str, dict[str, Any]] = {}
    for r in sorted(scored, key=lambda r: r["id"]):
        if r["content"].strip():
            by_content.setdefault(_norm(r["content"]), r)
    pool = sorted(by_content.values(), key=lambda r: r["id"])
    rng = random.Random(f"heldout:{seed}")
    random_ids = [r["id"] for r in rng.sample(pool, min(n_random, len(pool)))]
    taken = set(random_ids)
    ranked = sorted((r for r in pool if r["quality_score"] is not None and r["id"] not in taken),
                    key=lambda r: (-float(r["quality_score"]), r["id"]))
    return {"random": random_ids, "top_scored": [r["id"] for r in ranked[:n_top]]}


def load_inputs(settings: PretrainingSettings, curation_dir: Path, filter_dir: Path,
                say: Any = print) -> PretrainInputs:
    """Read stage 01's repos/commits/web and stage 02's scored/filtered/rules_only; hold out the two sets."""

    cols = ["id", "repo", "path", "language", "content"]
    scored = _rows(load_dataset_dir(filter_dir / "scored"), [*cols, "quality_score"], f"{filter_dir}/scored")
    score_of = {r["id"]: r["quality_score"] for r in scored}
    row_of = {r["id"]: r for r in scored}
    chosen_ids = choose_heldout(scored, settings.heldout_random_files, settings.heldout_top_files, settings.seed)
    heldout = {name: [CodeFile(i, row_of[i]["repo"], row_of[i]["path"], row_of[i]["language"],
                               row_of[i]["content"], score_of[i]) for i in ids]
               for name, ids in chosen_ids.items()}
    held = {f.id for fs in heldout.values() for f in fs}
    held_norm = {_norm(f.content) for fs in heldout.values() for f in fs}

    corpus_ids: dict[str, set[str]] = {}

    def files_of(name: str) -> tuple[list[CodeFile], int]:
        rows = _rows(load_dataset_dir(filter_dir / name), cols, f"{filter_dir}/{name}")
        corpus_ids[name] = {r["id"] for r in rows}
        # Only the LLM-filtered world knows LLM scores; rules-only files must not borrow them.
        kept = [CodeFile(r["id"], r["repo"], r["path"], r["language"], r["content"],
                         score_of.get(r["id"]) if name == "filtered" else None)
                for r in rows if r["content"]]
        clean = [f for f in kept if f.id not in held and _norm(f.content) not in held_norm]
        return clean, len(kept) - len(clean)

    chosen, removed_chosen = files_of(settings.corpus)
    other, removed_other = files_of("rules_only" if settings.corpus == "filtered" else "filtered")
    if not chosen:
        raise PretrainDataError(f"{filter_dir}/{settings.corpus} has no files left after holding out "
                                f"{len(held)} for evaluation: lower heldout_random_files / heldout_top_files "
                                f"or curate more data")

    repos_ds = _load_optional(curation_dir / "repos")
    repos: list[tuple[str, str]] = []
    cut = 0
    held_contents = [f.content for fs in heldout.values() for f in fs]
    if repos_ds is not None and len(repos_ds):
        for r in _rows(repos_ds, ["repo", "content"], f"{curation_dir}/repos"):
            content = r["content"]
            for hc in held_contents:
                if hc and hc in content:
                    content = content.replace(hc, "")
                    cut += 1
            if content.strip():
                repos.append((r["repo"], content))
    commits_ds = _load_optional(curation_dir / "commits")
    commits = [r["text"] for r in _rows(commits_ds, ["text"], f"{curation_dir}/commits")
               if r["text"]] if commits_ds is not None and len(commits_ds) else []
    web_ds = _load_optional(curation_dir / "web")
    web = [r["text"] for r in _rows(web_ds, ["text"], f"{curation_dir}/web")
           if r["text"]] if web_ds is not None and len(web_ds) else []

    rnd, top = heldout["random"], heldout["top_scored"]
    scores = [f.quality_score for f in top if f.quality_score is not None]
    kept_by_filter = sum(1 for f in rnd if f.id in corpus_ids["filtered"])
    say(f"[03_pretraining] held out {len(rnd)} random files of stage 01 (drawn before any filter, which "
        f"would have kept {kept_by_filter} of them; languages {', '.join(sorted({f.language for f in rnd}))}) "
        f"and the {len(top)} highest-scored others "
        + (f"(scores {min(scores):.1f}-{max(scores):.1f})" if scores else "")
        + f"; removed from training: {removed_chosen} {settings.corpus} files, {removed_other} of the other "
        f"corpus, {cut} copies cut out of repository samples")
    stats = {"train_files": len(chosen), "other_corpus_files": len(other),
             "heldout_files": {k: len(v) for k, v in heldout.items()}, "heldout_ids": chosen_ids,
             "random_heldout_kept_by_filter": kept_by_filter,
             "heldout_removed_from_corpus": removed_chosen, "heldout_removed_from_other_corpus": removed_other,
             "repos": len(repos), "commits": len(commits), "web_pages": len(web),
             "heldout_copies_removed_from_repos": cut}
    return PretrainInputs(chosen, heldout, repos, commits, web, settings.corpus, other, stats)


# --------------------------------------------------------------------------- documents per stage


def top_files(files: list[CodeFile], fraction: float, rng: random.Random, say: Any = print) -> list[CodeFile]:
    """The top ``fraction`` by quality_score; a random sample of that size when scores are missing
    (the rules-only world has no LLM score, so it must not borrow one)."""
    n = max(1, round(len(files) * fraction))
    if all(f.quality_score is not None for f in files):
        return sorted(files, key=lambda f: (-float(f.quality_score or 0.0), f.id))[:n]
    say(f"[03_pretraining] stage 2: files carry no quality_score in this corpus, so its 'higher-quality' "
        f"part is a random {fraction:.0%} sample ({n} files)")
    return rng.sample(files, n)


def repo_header(repo: str, tokenizer: Any) -> list[Piece]:
    """The head of a repository-level sample: the repo-name token and the name (then the files)."""

    name_tok = special_token(tokenizer, "repo_name")
    head: list[Piece] = [tokenizer.convert_tokens_to_ids(name_tok), f"{repo}\n"] if name_tok else [f"# repo: {repo}\n"]
    return head


@dataclass
class Mixture:
    """Token-id documents in training order, and what each source contributed."""

    docs: list[list[int]]
    stats: dict[str, dict[str, float]]


# Characters per token of code under a small byte-level BPE, a safe low estimate: long documents
# are cut into pieces of about one context of tokens (see split_long).
CHARS_PER_TOKEN = 3


def split_long(text: str, max_chars: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters, at line ends where possible.

    Why: a FIM sample is only learnable when suffix, prefix and middle fit in one context, and
    token shares can only be met to within one document; so documents longer than about one
    context are cut first (joining the pieces gives the text back).
    """
    if len(text) <= max_chars:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            nl = text.rfind("\n", start, end)
            if nl > start:
                end = nl + 1
        out.append(text[start:end])
        start = end
    return out


def tokenize_source(texts: list[str], tokenizer: Any, fim_rate: float, fim_tokens: FimTokens | None,
                    fim_mode: FimMode, rng: random.Random, heads: list[list[Piece]] | None = None,
                    max_chars: int = 0) -> list[list[int]]:
    """Cut long texts (``max_chars``), FIM-transform each piece at ``fim_rate`` and tokenize.

    ``heads`` are pieces put before a document's first piece, outside the FIM span (the
    repository header)."""
    docs: list[list[Piece]] = []
    for i, t in enumerate(texts):
        for j, chunk in enumerate(split_long(t, max_chars) if max_chars else [t]):
            body = maybe_fim(chunk, fim_rate, rng, fim_tokens, fim_mode)
            docs.append((heads[i] if heads and j == 0 else []) + body)
    return encode_pieces(tokenizer, docs)


def mix_by_tokens(sources: dict[str, list[list[int]]], weights: dict[str, float], total_tokens: int,
                  rng: random.Random, say: Any = print, label: str = "") -> Mixture:
    """Draw documents from each source until it fills its token share of ``total_tokens``.

    Each source is shuffled and cycled (a repeat is reported as epochs > 1); the result is
    shuffled so that sources interleave. Shares of empty sources go to the others, pro rata.
    """
    live = {k: w for k, w in weights.items() if w > 0 and sources.get(k) and any(sources[k])}
    dropped = [k for k, w in weights.items() if w > 0 and k not in live]
    if not live:
        raise PretrainDataError(f"{label}: every source is empty ({', '.join(weights)}): nothing to train on")
    if dropped:
        say(f"[03_pretraining] {label}: no {', '.join(dropped)} data in this run; "
            f"their share goes to {', '.join(live)}")
    norm = sum(live.values())
    out: list[list[int]] = []
    stats: dict[str, dict[str, float]] = {}
    for name, w in live.items():
        target = total_tokens * w / norm
        docs = [d for d in sources[name] if d]
        order = list(range(len(docs)))
        rng.shuffle(order)
        got, drawn = 0, 0
        while got < target:
            d = docs[order[drawn % len(order)]]
            out.append(d)
            got += len(d) + 1  # + end-of-text
            drawn += 1
        stats[name] = {"share": round(w / norm, 4), "tokens": got, "docs_drawn": drawn,
                       "distinct_pieces": len(docs), "epochs": round(drawn / len(docs), 2)}
    rng.shuffle(out)
    return Mixture(out, stats)


def stage1_mixture(inputs: PretrainInputs, settings: PretrainingSettings, tokenizer: Any, total_tokens: int,
                   fim_tokens: FimTokens | None, rng: random.Random, say: Any = print,
                   files: list[CodeFile] | None = None, with_extras: bool = True, seq_len: int = 0,
                   chat: list[list[int]] | None = None) -> Mixture:
    """Regular pretraining data: file-level code (+ web + commits by weight), FIM at stage 1's rate;
    documents longer than about one context (``seq_len``, default stage 1's) are cut first."""
    files = inputs.train_files if files is None else files
    seq_len = seq_len or settings.seq_len_stage1
    rate, mode, cut = settings.fim_rate_stage1, settings.fim_mode, seq_len * CHARS_PER_TOKEN
    sources = {"code": tokenize_source([f.content for f in files], tokenizer, rate, fim_tokens, mode, rng, max_chars=cut)}
    weights = {"code": 1.0}
    if with_extras:
        sources["web"] = tokenize_source(inputs.web, tokenizer, rate, fim_tokens, mode, rng, max_chars=cut)
        sources["commits"] = tokenize_source(inputs.commits, tokenizer, rate, fim_tokens, mode, rng, max_chars=cut)
        weights = {"code": 1.0 - settings.web_weight - settings.commits_weight,
                   "web": settings.web_weight, "commits": settings.commits_weight}
        add_chat(sources, weights, chat, settings.chat_weight)
    return mix_by_tokens(sources, weights, total_tokens, rng, say, "stage 1")


def add_chat(sources: dict[str, list[list[int]]], weights: dict[str, float], chat: list[list[int]] | None,
             share: float) -> None:
    """Give ``share`` of the stage's tokens to instruction data in the chat format (``chat_weight``,
    :mod:`seedkit.pretraining.chat`); the other sources keep their proportions in the rest."""
    if not chat or share <= 0:
        return
    for k in weights:
        weights[k] *= 1.0 - share
    sources["chat"], weights["chat"] = chat, share


def stage2_mixture(inputs: PretrainInputs, settings: PretrainingSettings, tokenizer: Any, total_tokens: int,
                   fim_tokens: FimTokens | None, rng: random.Random, say: Any = print,
                   chat: list[list[int]] | None = None) -> Mixture:
    """Continued pretraining data: top-scored files and repository-level samples, FIM at stage 2's rate
    (and ``chat_weight`` of instruction data in the chat format, as in stage 1)."""
    rate, mode, cut = settings.fim_rate_stage2, settings.fim_mode, settings.seq_len_stage2 * CHARS_PER_TOKEN
    top = top_files(inputs.train_files, settings.stage2_top_fraction, rng, say)
    sources = {
        "top_files": tokenize_source([f.content for f in top], tokenizer, rate, fim_tokens, mode, rng, max_chars=cut),
        "repos": tokenize_source([c for _, c in inputs.repos], tokenizer, rate, fim_tokens, mode, rng,
                                 heads=[repo_header(r, tokenizer) for r, _ in inputs.repos], max_chars=cut),
    }
    weights = {"top_files": 1.0 - settings.stage2_repo_weight, "repos": settings.stage2_repo_weight}
    add_chat(sources, weights, chat, settings.chat_weight)
    return mix_by_tokens(sources, weights, total_tokens, rng, say, "stage 2")
