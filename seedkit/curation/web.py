"""Code web pages: text and code blocks from HTML, then a code-relatedness classifier decides.

The report recalls code-related pages from Common Crawl with a fastText classifier. The kit does
the same at small scale: a fastText supervised classifier, trained on labelled seed pages
(``data_samples/web/seeds.jsonl``: ``{"text", "label": "code" | "other"}``), scores **every**
page, and a page is kept when P(code) reaches the threshold (``kept_by="classifier"``). The
rule "the page holds ``<pre>`` or multi-line ``<code>`` blocks" no longer keeps a page by itself:
with ``web_rule_seeds`` those pages join the classifier's training data as ``code`` examples (the
rule seeds the classifier, as the report's seed set does, and the classifier still decides).
Without any seed file the classifier cannot be trained (it needs both labels), and the stage
says so and falls back to the rule (``kept_by="code_tags"``).

Extraction uses lxml's forgiving HTML parser (malformed markup is repaired, as browsers do);
trafilatura 1.11 from datatrove[processing] needs ``lxml_html_clean``, which the pinned set does
not install, and the kit needs the code blocks themselves, which lxml gives directly. A page
lxml cannot parse at all (empty, binary) is dropped with reason ``unparseable_html``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.config import REPO_ROOT
from seedkit.curation.sources import decode_bytes
from seedkit.files import read_jsonl

_WS = re.compile(r"[ \t\r\f\v]+")
_NL = re.compile(r"\n\s*\n+")
_TOKEN = re.compile(r"[a-z0-9_]+|[^\sa-z0-9_]")
REMOVED_TAGS = ("script", "style", "nav", "footer", "header", "noscript", "template", "svg")


@dataclass
class ExtractedPage:
    title: str
    text: str
    code_blocks: list[str]
    has_code_tags: bool


def extract_page(html: str | bytes) -> ExtractedPage:
    """Title, visible text and code blocks of a page; raises ValueError when it cannot be parsed."""
    import lxml.etree
    import lxml.html

    if isinstance(html, bytes):

        text, reason = decode_bytes(html)
        if text is None:
            raise ValueError(reason or "undecodable")
        html = text
    if not html.strip():
        raise ValueError("empty page")
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ValueError(str(e)) from e
    title_el = root.find(".//title")
    title = (title_el.text_content().strip() if title_el is not None else "") or ""
    if not title:
        h1 = root.find(".//h1")
        title = h1.text_content().strip() if h1 is not None else ""
    for tag in REMOVED_TAGS:
        for el in root.iter(tag):
            el.drop_tree() if el.getparent() is not None else None
    blocks: list[str] = []
    for pre in root.iter("pre"):
        code = pre.text_content().strip("\n")
        if code.strip():
            blocks.append(code)
    for code_el in root.iter("code"):
        if any(a.tag == "pre" for a in code_el.iterancestors()):
            continue
        code = code_el.text_content()
        if "\n" in code.strip():
            blocks.append(code.strip("\n"))
    has_code = bool(blocks) or root.find(".//code") is not None
    body = root.find("body")
    raw = (body if body is not None else root).text_content()
    text = _NL.sub("\n\n", "\n".join(_WS.sub(" ", ln).strip() for ln in raw.splitlines())).strip()
    return ExtractedPage(title=title, text=text, code_blocks=blocks, has_code_tags=has_code)


def _fasttext_line(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))[:20000]


class CodePageClassifier:
    """fastText supervised classifier: P(code-related) for a page's text."""

    def __init__(self, model: Any):
        self.model = model

    @classmethod
    def train(cls, seeds: list[dict[str, str]], seed: int = 0, epoch: int = 40, dim: int = 32) -> CodePageClassifier:
        """Train on labelled seeds; one thread and a fixed seed so the scores are reproducible."""
        import fasttext

        labels = Counter(s["label"] for s in seeds)
        if set(labels) != {"code", "other"}:
            raise ValueError(f"web seeds need both labels 'code' and 'other', got {dict(labels)}")
        fd, path = tempfile.mkstemp(suffix=".txt", prefix="seedkit-web-seeds-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for s in seeds:
                    fh.write(f"__label__{s['label']} {_fasttext_line(s['text'])}\n")
            model = fasttext.train_supervised(input=path, epoch=epoch, lr=0.5, wordNgrams=2, dim=dim,
                                              minCount=1, thread=1, seed=seed, verbose=0)
        finally:
            os.unlink(path)
        return cls(model)

    def score(self, text: str) -> float:
        labels, probs = self.model.predict(_fasttext_line(text) or "empty", k=2)
        for lab, p in zip(labels, probs, strict=True):
            if lab == "__label__code":
                return float(min(1.0, max(0.0, p)))
        return 0.0


def load_seeds(path: str | Path) -> list[dict[str, str]]:

    return [{"text": d["text"], "label": d["label"]} for d in read_jsonl(path)]


@dataclass
class WebResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)


def _shown_path(p: Path) -> str:
    """Path relative to the checkout when the page lives there (stable across machines)."""

    try:
        return str(p.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)


def read_pages(paths: list[Path], max_bytes: int = 2_000_000) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(parsed pages, dropped pages): every path ends in one of the two lists, in path order."""
    pages, dropped = [], []
    for p in sorted(paths):
        shown = _shown_path(p)
        rec = {"id": hashlib.sha256(shown.encode()).hexdigest(), "path": shown}
        try:
            if p.stat().st_size > max_bytes:
                dropped.append({**rec, "reason": "oversize", "content": ""})
                continue
            page = extract_page(p.read_bytes())
        except OSError as e:
            dropped.append({**rec, "reason": f"unreadable:{type(e).__name__}", "content": ""})
            continue
        except ValueError as e:
            dropped.append({**rec, "reason": "unparseable_html", "content": str(e)[:200]})
            continue
        pages.append({**rec, "title": page.title, "text": page.text, "code_blocks": page.code_blocks,
                      "has_code_tags": page.has_code_tags})
    return pages, dropped


def classifier_text(page: dict[str, Any]) -> str:
    return page["title"] + "\n" + page["text"]


def rule_seeds(pages: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pages whose markup holds code blocks, as ``code`` training examples for the classifier."""
    return [{"text": classifier_text(p), "label": "code"} for p in pages if p["has_code_tags"]]


def score_pages(pages: list[dict[str, Any]], seeds: list[dict[str, str]], use_rule_seeds: bool = True,
                seed: int = 0) -> tuple[list[float] | None, str]:
    """P(code) for every page from fastText classifiers, and a line saying how they were trained.

    With ``use_rule_seeds`` the pages holding code blocks are added as ``code`` examples, cross-fitted
    over two folds (pages in path order, alternating): each page is scored by a classifier trained on
    the seeds plus the *other* fold's rule pages, never on itself. Scored in-sample, every rule page
    was kept whatever it held (0.93 for a knitting chart in ``<pre>``; 0.37 cross-fitted).
    None when no classifier can be trained (seeds lack one of the two labels).
    """
    labels = {s["label"] for s in seeds}
    rule = rule_seeds(pages) if use_rule_seeds else []
    if not pages:
        return [], "no pages"
    if labels != {"code", "other"}:
        return None, (f"no classifier: the seeds hold labels {sorted(labels) or 'none'} and training needs both "
                      "'code' and 'other'")
    if not rule:
        clf = CodePageClassifier.train(seeds, seed=seed)
        return [clf.score(classifier_text(p)) for p in pages], f"fastText trained on {len(seeds)} labelled seeds"
    scores: list[float] = [0.0] * len(pages)
    for k in (0, 1):
        others = [p for i, p in enumerate(pages) if i % 2 != k]
        clf = CodePageClassifier.train(seeds + rule_seeds(others), seed=seed)
        for i, p in enumerate(pages):
            if i % 2 == k:
                scores[i] = clf.score(classifier_text(p))
    return scores, (f"fastText trained on {len(seeds)} labelled seeds + {len(rule)} pages with code blocks "
                    "as 'code' examples, cross-fitted over 2 folds (no page is scored by a classifier trained on it)")


def process_pages(paths: list[Path], classifier: CodePageClassifier | None, min_code_score: float = 0.5,
                  max_bytes: int = 2_000_000) -> WebResult:
    """Extract and score every page; every page ends in ``rows`` or ``dropped``.

    With a classifier it decides on every page (P(code) >= ``min_code_score``); without one
    (no seeds to train it) the code-tags rule decides.
    """
    pages, dropped = read_pages(paths, max_bytes)
    return decide_pages(pages, dropped, classifier, min_code_score)


def decide_pages(pages: list[dict[str, Any]], dropped: list[dict[str, Any]], classifier: CodePageClassifier | None,
                 min_code_score: float = 0.5, scores: list[float] | None = None) -> WebResult:
    """Keep or drop each parsed page: by its classifier score (given, or from ``classifier``) when there
    is one, else by the code-tags rule."""
    res = WebResult(dropped=list(dropped))
    if scores is None and classifier is not None:
        scores = [classifier.score(classifier_text(p)) for p in pages]
    for i, page in enumerate(pages):
        if scores is not None:
            score = scores[i]
            kept_by = "classifier" if score >= min_code_score else ""
        else:
            score = 1.0 if page["has_code_tags"] else 0.0
            kept_by = "code_tags" if page["has_code_tags"] else ""
        rec = {"id": page["id"], "path": page["path"]}
        if kept_by:
            res.rows.append({**rec, "title": page["title"], "text": page["text"], "code_blocks": page["code_blocks"],
                             "code_score": round(score, 4), "kept_by": kept_by})
        else:
            res.dropped.append({**rec, "reason": "not_code_related", "content": page["text"][:2000],
                                "code_score": round(score, 4)})
    return res
