"""The oracle: an LLM that grades files with the rubric, through one of three readings.

- ``generate``: the model writes an answer and :func:`~seedkit.llm_filter.rubric.parse_rating` reads
  ``Rating: [[X]]`` from it. Works with every backend of :mod:`seedkit.generation`, including any
  OpenAI-compatible server. Unparseable answers get ``score=None`` and are counted.
- ``likelihood`` (in-process models only): the prompt is followed by ``Rating: [[`` and the
  expected score is read from the model's probabilities of the strings ``"0"`` .. ``"10"``. A
  135M model seldom writes the format, but its probabilities still carry a graded signal.
- ``verdict`` (in-process models only): the rubric's answer-format paragraph is replaced by "good
  code or bad code?", the reply is prefilled with "This file is", and the score is
  10 * P(" good") / (P(" good") + P(" bad")). Measured on data_samples/quality (10 good, 12 poor
  files, shown under bare file names) with SmolLM2-135M, neither reading separates the groups:
  verdict good minus poor +0.03 (95% CI -0.07 to +0.12), P(good > poor) 0.68; likelihood -0.25
  (-0.52 to +0.02), P 0.30. (With the folder in the prompt, ``File: good/...``, verdict gave +1.47
  and P 1.00: the model read the label, not the code.) The stage measures this on every run.

Why the likelihood reading tokenises ``prompt + str(s)`` for each score instead of looking up
eleven token ids: tokenizers split numbers differently (SmolLM2 writes "10" as "1","0"; a BPE
trained on code may merge "[[1"). The eleven continuations form a small trie after their common
prefix; one forward pass over the prompt plus the longest trie path (e.g. ``... [[`` + ``1``)
gives every conditional probability needed, so "10" costs nothing extra. P(score = 1) is
P("1") times the probability that nothing continuing another score (``0`` -> "10") follows it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
from seedkit.llm_filter.label_cache import Label, LabelCache, content_hash
from seedkit.llm_filter.rubric import ANSWER_PREFIX, SCORES, Rubric, load_rubric, parse_rating, truncate_code
from seedkit.models import cache_dir, load_model


class OracleError(RuntimeError):
    pass


# --------------------------------------------------------------------------- likelihood reading


@dataclass(frozen=True)
class ScoreDistribution:
    probs: list[float]  # P(score = s | prompt) for s in 0..10, renormalised over the 11 scores
    valid_mass: float  # how much of the model's probability went to a valid score at all

    @property
    def expected(self) -> float:
        return float(sum(s * p for s, p in zip(SCORES, self.probs, strict=True)))

    @property
    def argmax(self) -> int:
        return int(max(SCORES, key=lambda s: self.probs[s]))


def score_continuations(tokenizer: Any, prompt_text: str,
                        candidates: Sequence[str] = tuple(str(s) for s in SCORES)) -> tuple[list[int], list[list[int]]]:
    """(shared prompt ids, continuation ids per candidate): the longest common token prefix of
    ``prompt_text + c`` over all candidates, and what each adds after it."""
    fulls = [tokenizer(prompt_text + c, add_special_tokens=False)["input_ids"] for c in candidates]
    n = min(len(f) for f in fulls)
    common = 0
    while common < n and all(f[common] == fulls[0][common] for f in fulls):
        common += 1
    conts = [f[common:] for f in fulls]
    if common == 0 or any(not c for c in conts) or len({tuple(c) for c in conts}) != len(conts):
        raise OracleError("likelihood reading: the score strings do not tokenise to distinct continuations "
                          "of the prompt; use oracle_method='generate' with this tokenizer")
    return fulls[0][:common], conts


def score_distribution(model: Any, tokenizer: Any, prompt_text: str) -> ScoreDistribution:
    """P(score) for s in 0..10 after ``prompt_text`` (which should end with ``Rating: [[``)."""
    probs, mass = continuation_distribution(model, tokenizer, prompt_text, [str(s) for s in SCORES])
    return ScoreDistribution(probs, mass)


def continuation_distribution(model: Any, tokenizer: Any, prompt_text: str,
                              candidates: Sequence[str]) -> tuple[list[float], float]:
    """(P(candidate | prompt) renormalised over the candidates, their total probability).

    A candidate that is a prefix of another ("1" of "10") counts only when the model stops there.
    """
    import torch

    shared, conts = score_continuations(tokenizer, prompt_text, candidates)
    # internal trie nodes: every proper prefix of a continuation (the root is the empty prefix)
    nodes = sorted({tuple(c[:k]) for c in conts for k in range(len(c))}, key=len)
    paths = [n for n in nodes if not any(len(m) > len(n) and m[:len(n)] == n for m in nodes)]
    device = next(model.parameters()).device
    rows = [shared + list(p) for p in paths]
    width = max(len(r) for r in rows)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows], device=device)
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows], device=device)
    # only the positions after the shared prompt are read: the output layer runs on those alone (on a
    # 400-token judge prompt it would otherwise make 400 rows of vocabulary-sized logits to keep one)
    first = len(shared) - 1
    with torch.inference_mode():
        try:
            logits = model(input_ids=ids, attention_mask=mask, logits_to_keep=width - first).logits
        except TypeError:  # a model whose forward has no logits_to_keep
            logits = model(input_ids=ids, attention_mask=mask).logits[:, first:]
    logp = torch.log_softmax(logits.float(), dim=-1)
    dist: dict[tuple[int, ...], Any] = {}  # node -> log-probs of the next token
    for node in nodes:
        row = next(i for i, p in enumerate(paths) if p[:len(node)] == node)
        dist[node] = logp[row, len(node)]
    raw = []
    for c in conts:
        lp = sum(float(dist[tuple(c[:k])][c[k]]) for k in range(len(c)))
        node = tuple(c)
        if node in dist:  # another score continues this one ("1" -> "10"): it must stop here
            nxt = {d[len(c)] for d in conts if len(d) > len(c) and tuple(d[:len(c)]) == node}
            p_continue = float(sum(math.exp(float(dist[node][t])) for t in nxt))
            lp += math.log(max(1e-12, 1.0 - p_continue))
        raw.append(math.exp(lp))
    total = sum(raw)
    if total <= 0:
        return [1.0 / len(raw)] * len(raw), 0.0
    return [r / total for r in raw], total


# --------------------------------------------------------------------------- the oracle


def model_fingerprint(model: Any, tokenizer: Any) -> str:
    """8 hex digits over the model's config and vocabulary (and, for scratch models, its first
    weights): two oracles with the same spec but different weights or tokenizers must not share
    cached labels (a tiny-profile scratch model's tokenizer is trained on each run's corpus)."""
    h = hashlib.sha256()
    cfg = getattr(model, "config", None)
    h.update((cfg.to_json_string() if cfg is not None else type(model).__name__).encode())
    h.update(json.dumps(sorted(tokenizer.get_vocab().items())).encode())
    first = next(model.parameters(), None)
    if first is not None:
        h.update(first.detach().flatten()[:256].float().cpu().numpy().tobytes())
    return h.hexdigest()[:8]


class Oracle:
    """Grades files with a rubric through a generator (any backend) or a model's likelihoods.

    ``label(records)`` takes dicts with ``content`` (and ``path``, ``language``) and returns one
    :class:`Label` per record, in order, reading the cache first when one is given.
    """

    def __init__(self, rubric: Rubric, *, name: str, method: str = "likelihood", generator: Any = None,
                 model: Any = None, tokenizer: Any = None, max_chars: int = 1500, max_new_tokens: int = 48,
                 cache: LabelCache | None = None):
        if method not in ("likelihood", "verdict", "generate"):
            raise OracleError(f"oracle method {method!r}: choose likelihood, verdict or generate")
        if method in ("likelihood", "verdict") and (model is None or tokenizer is None):
            raise OracleError(f"the {method} reading needs an in-process model and tokenizer; "
                              "a server oracle uses oracle_method='generate'")
        if method == "generate" and generator is None:
            if model is None:
                raise OracleError("oracle: pass a generator (or a model and tokenizer)")

            generator = TransformersGenerator(model, tokenizer, name=name)
        self.rubric = rubric
        self.name = name
        self.method = method
        self.generator = generator
        self.model = model
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        self.max_new_tokens = max_new_tokens
        self.cache = cache

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_settings(cls, settings: Any, corpus_texts: Sequence[str] = (), cache: LabelCache | None = None) -> Oracle:
        """The oracle the settings describe (server, or in-process model), with the label cache.

        ``corpus_texts`` train the tokenizer of a scratch oracle (tiny profile only).
        """
        rubric = load_rubric(settings.rubric_path)
        common = dict(max_chars=settings.oracle_max_chars, max_new_tokens=settings.oracle_max_new_tokens, cache=cache)
        if settings.oracle_server_url:

            gen = OpenAIServerGenerator(base_url=settings.oracle_server_url, model=settings.oracle_server_model)
            if settings.oracle_method != "generate":
                print(f"[02_llm_filter] oracle method: generate instead of {settings.oracle_method} (auto: a "
                      "server gives no next-token probabilities through chat completions)")
            return cls(rubric, name=gen.name, method="generate", generator=gen, **common)

        prof = settings.profile_info
        kwargs: dict[str, Any] = dict(device=prof.device, dtype=prof.dtype, runs_dir=settings.runs_dir)
        if settings.oracle_model == "scratch":
            texts = list(corpus_texts) + [rubric.template, ANSWER_PREFIX + "10]] " + " ".join(map(str, SCORES))]
            kwargs.update(scratch_config=prof.scratch_model, tokenizer_texts=texts)
        if prof.load_in_4bit and settings.oracle_model != "scratch":
            kwargs["load_in_4bit"] = True
        model, tok = load_model(settings.oracle_model, **kwargs)
        name = f"{settings.oracle_model}#{model_fingerprint(model, tok)}"
        gen = TransformersGenerator(model, tok, batch_size=settings.oracle_batch_size, name=name)
        return cls(rubric, name=name, method=settings.oracle_method, generator=gen, model=model,
                   tokenizer=tok, **common)

    # ----------------------------------------------------------------- labelling

    def key(self, record: dict[str, Any]) -> str:
        """Cache key of a record: what the oracle sees (path, language, the truncated code)."""
        shown = truncate_code(record["content"], self.max_chars)
        return content_hash(f"{record.get('path', '')}\0{record.get('language', '')}\0{shown}")

    def prompt_text(self, record: dict[str, Any]) -> str:
        """The full text the in-process model reads for the likelihood reading."""
        msgs = self.rubric.messages(record["content"], record.get("path", ""), record.get("language", ""),
                                    self.max_chars)
        return self.tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True) + ANSWER_PREFIX

    def verdict_prompt_text(self, record: dict[str, Any]) -> str:
        """The text the in-process model reads for the verdict reading (ends with 'This file is')."""
        msg = self.rubric.render_verdict(record["content"], record.get("path", ""), record.get("language", ""),
                                         self.max_chars)
        return (self.tokenizer.apply_chat_template([{"role": "user", "content": msg}], tokenize=False,
                                                   add_generation_prompt=True) + self.rubric.verdict_prefix)

    def label(self, records: Sequence[dict[str, Any]], progress: bool = True) -> list[Label]:
        keys = [self.key(r) for r in records]
        cached = self.cache.get_many(keys, self.rubric.version, self.name, self.method) if self.cache is not None else {}
        todo = [i for i, k in enumerate(keys) if k not in cached]
        seen: dict[str, int] = {}
        unique = [i for i in todo if seen.setdefault(keys[i], i) == i]
        fresh = self._label_uncached([records[i] for i in unique], progress) if unique else []
        new = {keys[i]: lab for i, lab in zip(unique, fresh, strict=True)}
        if self.cache is not None and new:
            self.cache.put_many(new)
        merged = {**cached, **new}
        return [merged[k] for k in keys]

    def _label_uncached(self, records: Sequence[dict[str, Any]], progress: bool) -> list[Label]:
        if self.method == "likelihood":
            from tqdm.auto import tqdm

            out = []
            for r in tqdm(records, desc="oracle (likelihood)", disable=not progress, leave=False):
                d = score_distribution(self.model, self.tokenizer, self.prompt_text(r))
                out.append(Label(score=round(d.expected, 4),
                                 raw_answer=f"expected {d.expected:.2f}, most likely {d.argmax}, "
                                            f"valid-score mass {d.valid_mass:.3f}",
                                 method="likelihood", prompt_version=self.rubric.version, oracle=self.name,
                                 score_probs=[round(p, 5) for p in d.probs], valid_mass=round(d.valid_mass, 5)))
            return out
        if self.method == "verdict":
            from tqdm.auto import tqdm

            out = []
            good, bad = self.rubric.verdict_words
            for r in tqdm(records, desc="oracle (verdict)", disable=not progress, leave=False):
                probs, mass = continuation_distribution(self.model, self.tokenizer, self.verdict_prompt_text(r),
                                                        [" " + good, " " + bad])
                out.append(Label(score=round(10.0 * probs[0], 4),
                                 raw_answer=f"P({good})={probs[0]:.3f} of {good}/{bad}, their mass {mass:.3f}",
                                 method="verdict", prompt_version=self.rubric.version, oracle=self.name,
                                 score_probs=[round(p, 5) for p in probs], valid_mass=round(mass, 5)))
            return out
        convs = [self.rubric.messages(r["content"], r.get("path", ""), r.get("language", ""), self.max_chars)
                 for r in records]
        answers = self.generator.chat(convs, max_new_tokens=self.max_new_tokens, temperature=0.0,
                                      progress=progress, desc="oracle (generate)")
        out = []
        for ans in answers:
            text = ans[0] if ans else ""
            parsed = parse_rating(text)
            out.append(Label(score=parsed.score, raw_answer=text, method="generate",
                             prompt_version=self.rubric.version, oracle=self.name))
        return out


def default_cache_path(label_cache_dir: str = "") -> Path:

    root = Path(label_cache_dir) if label_cache_dir else cache_dir() / "quality_labels"
    return root / "labels.sqlite"
