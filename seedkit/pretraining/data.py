"""Stage 03's data: reading stages 01/02, the held-out set, and the per-stage mixtures.

- Stage 1 (regular pretraining): file-level code from the chosen corpus (``filtered`` or
  ``rules_only`` from stage 02), plus code web pages and commit samples from stage 01, mixed by
  token shares that are settings, FIM at 0.5.
- Stage 2 (continued pretraining): the top-scored files and repository-level samples (stage 01's
  concatenated repositories, headed by the repository-name token), at a longer context, FIM at 0.1.
- Held-out set: the highest-scored files of stage 02's ``scored`` (the report measured its
  ablation on high-quality data), removed from every training source so the loss on it is a
  true held-out loss, for both corpora alike.

Sources are mixed by *tokens*, not documents: a 10% web share means 10% of the stage's tokens,
however long the pages are. A source smaller than its share is repeated (epochs are reported); an
empty source gives its share to the others, and that is printed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.pretraining.fim import FimMode, FimTokens, Piece, maybe_fim
from seedkit.pretraining.packing import encode_pieces
from seedkit.pretraining.settings import PretrainingSettings


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
    heldout: list[CodeFile]
    repos: list[tuple[str, str]]  # (repo name, concatenated content), held-out files removed
    commits: list[str]
    web: list[str]
    corpus: str
    # Files of the *other* corpus (for the ablation), held-out removed.
    other_files: list[CodeFile] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def heldout_by_language(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for f in self.heldout:
            out[f.language].append(f.content)
        return dict(sorted(out.items()))

    def tokenizer_texts(self, max_chars: int = 20_000_000) -> list[str]:
        """Texts a scratch tokenizer is trained on: training sources only (never the held-out files)."""
        out, n = [], 0
        for t in [f.content for f in self.train_files] + self.web + self.commits + [c for _, c in self.repos]:
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
    from seedkit.runs import load_dataset_dir

    return load_dataset_dir(path) if path.exists() else None


def load_inputs(settings: PretrainingSettings, curation_dir: Path, filter_dir: Path,
                say: Any = print) -> PretrainInputs:
    """Read stage 01's repos/commits/web and stage 02's scored/filtered/rules_only; pick the held-out set."""
    from seedkit.runs import load_dataset_dir

    cols = ["id", "repo", "path", "language", "content"]
    scored = _rows(load_dataset_dir(filter_dir / "scored"), [*cols, "quality_score"], f"{filter_dir}/scored")
    score_of = {r["id"]: r["quality_score"] for r in scored}
    # Held-out: the highest-scored distinct, non-empty files.
    ranked = sorted((r for r in scored if r["content"].strip() and r["quality_score"] is not None),
                    key=lambda r: (-float(r["quality_score"]), r["id"]))
    heldout_ids: list[str] = []
    for r in ranked:
        if len(heldout_ids) >= settings.heldout_files:
            break
        if r["id"] not in heldout_ids:
            heldout_ids.append(r["id"])
    held = set(heldout_ids)

    def files_of(name: str) -> list[CodeFile]:
        rows = _rows(load_dataset_dir(filter_dir / name), cols, f"{filter_dir}/{name}")
        # Only the LLM-filtered world knows LLM scores; rules-only files must not borrow them.
        return [CodeFile(r["id"], r["repo"], r["path"], r["language"], r["content"],
                         score_of.get(r["id"]) if name == "filtered" else None)
                for r in rows if r["content"]]

    chosen = files_of(settings.corpus)
    other = files_of("rules_only" if settings.corpus == "filtered" else "filtered")
    all_scored_rows = {r["id"]: r for r in scored}
    heldout = [CodeFile(i, all_scored_rows[i]["repo"], all_scored_rows[i]["path"], all_scored_rows[i]["language"],
                        all_scored_rows[i]["content"], score_of[i]) for i in heldout_ids]
    train_files = [f for f in chosen if f.id not in held]
    other_files = [f for f in other if f.id not in held]
    if not train_files:
        raise PretrainDataError(f"{filter_dir}/{settings.corpus} has no files left after holding out "
                                f"{len(held)} for evaluation: lower heldout_files or curate more data")

    repos_ds = _load_optional(curation_dir / "repos")
    repos: list[tuple[str, str]] = []
    removed = 0
    held_contents = [f.content for f in heldout]
    if repos_ds is not None and len(repos_ds):
        for r in _rows(repos_ds, ["repo", "content"], f"{curation_dir}/repos"):
            content = r["content"]
            for hc in held_contents:
                if hc and hc in content:
                    content = content.replace(hc, "")
                    removed += 1
            if content.strip():
                repos.append((r["repo"], content))
    commits_ds = _load_optional(curation_dir / "commits")
    commits = [r["text"] for r in _rows(commits_ds, ["text"], f"{curation_dir}/commits")
               if r["text"]] if commits_ds is not None and len(commits_ds) else []
    web_ds = _load_optional(curation_dir / "web")
    web = [r["text"] for r in _rows(web_ds, ["text"], f"{curation_dir}/web")
           if r["text"]] if web_ds is not None and len(web_ds) else []

    langs = sorted({f.language for f in heldout})
    say(f"[03_pretraining] held out the {len(heldout)} highest-scored files (scores "
        f"{min((f.quality_score or 0) for f in heldout) if heldout else 0:.1f}-"
        f"{max((f.quality_score or 0) for f in heldout) if heldout else 0:.1f}; languages {', '.join(langs)}) "
        f"from every training source ({removed} copies cut out of repository samples)")
    stats = {"train_files": len(train_files), "other_corpus_files": len(other_files), "heldout_files": len(heldout),
             "heldout_ids": heldout_ids, "repos": len(repos), "commits": len(commits), "web_pages": len(web),
             "heldout_copies_removed_from_repos": removed}
    return PretrainInputs(train_files, heldout, repos, commits, web, settings.corpus, other_files, stats)


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
    from seedkit.models import special_token

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
                   files: list[CodeFile] | None = None, with_extras: bool = True) -> Mixture:
    """Regular pretraining data: file-level code (+ web + commits by weight), FIM at stage 1's rate."""
    files = inputs.train_files if files is None else files
    rate, mode, cut = settings.fim_rate_stage1, settings.fim_mode, settings.seq_len_stage1 * CHARS_PER_TOKEN
    sources = {"code": tokenize_source([f.content for f in files], tokenizer, rate, fim_tokens, mode, rng, max_chars=cut)}
    weights = {"code": 1.0}
    if with_extras:
        sources["web"] = tokenize_source(inputs.web, tokenizer, rate, fim_tokens, mode, rng, max_chars=cut)
        sources["commits"] = tokenize_source(inputs.commits, tokenizer, rate, fim_tokens, mode, rng, max_chars=cut)
        weights = {"code": 1.0 - settings.web_weight - settings.commits_weight,
                   "web": settings.web_weight, "commits": settings.commits_weight}
    return mix_by_tokens(sources, weights, total_tokens, rng, say, "stage 1")


def stage2_mixture(inputs: PretrainInputs, settings: PretrainingSettings, tokenizer: Any, total_tokens: int,
                   fim_tokens: FimTokens | None, rng: random.Random, say: Any = print) -> Mixture:
    """Continued pretraining data: top-scored files and repository-level samples, FIM at stage 2's rate."""
    rate, mode, cut = settings.fim_rate_stage2, settings.fim_mode, settings.seq_len_stage2 * CHARS_PER_TOKEN
    top = top_files(inputs.train_files, settings.stage2_top_fraction, rng, say)
    sources = {
        "top_files": tokenize_source([f.content for f in top], tokenizer, rate, fim_tokens, mode, rng, max_chars=cut),
        "repos": tokenize_source([c for _, c in inputs.repos], tokenizer, rate, fim_tokens, mode, rng,
                                 heads=[repo_header(r, tokenizer) for r, _ in inputs.repos], max_chars=cut),
    }
    weights = {"top_files": 1.0 - settings.stage2_repo_weight, "repos": settings.stage2_repo_weight}
    return mix_by_tokens(sources, weights, total_tokens, rng, say, "stage 2")
