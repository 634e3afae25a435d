"""Code web pages: text and code blocks from HTML, then a code-relatedness score.

The report recalls code-related pages from Common Crawl with a fastText classifier trained on
seed pages. The kit does the same at small scale: pages holding code markup (``<pre>`` or
multi-line ``<code>``) pass by rule (``kept_by="code_tags"``); the rest are scored by a fastText
supervised classifier trained on labelled seeds (``data_samples/web/seeds.jsonl``:
``{"text", "label": "code" | "other"}``) and kept when P(code) reaches the threshold
(``kept_by="classifier"``).

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
        from seedkit.curation.sources import decode_bytes

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
    from seedkit.runs import read_jsonl

    return [{"text": d["text"], "label": d["label"]} for d in read_jsonl(path)]


@dataclass
class WebResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)


def _shown_path(p: Path) -> str:
    """Path relative to the checkout when the page lives there (stable across machines)."""
    from seedkit.config import REPO_ROOT

    try:
        return str(p.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)


def process_pages(paths: list[Path], classifier: CodePageClassifier | None, min_code_score: float = 0.5,
                  max_bytes: int = 2_000_000) -> WebResult:
    """Extract, score and keep/drop every page; every page ends in ``rows`` or ``dropped``."""
    res = WebResult()
    for p in sorted(paths):
        shown = _shown_path(p)
        rec = {"id": hashlib.sha256(shown.encode()).hexdigest(), "path": shown}
        try:
            size = p.stat().st_size
            if size > max_bytes:
                res.dropped.append({**rec, "reason": "oversize", "content": ""})
                continue
            page = extract_page(p.read_bytes())
        except OSError as e:
            res.dropped.append({**rec, "reason": f"unreadable:{type(e).__name__}", "content": ""})
            continue
        except ValueError as e:
            res.dropped.append({**rec, "reason": "unparseable_html", "content": str(e)[:200]})
            continue
        if page.has_code_tags:
            score, kept_by = 1.0, "code_tags"
        elif classifier is not None:
            score = classifier.score(page.title + "\n" + page.text)
            kept_by = "classifier" if score >= min_code_score else ""
        else:
            score, kept_by = 0.0, ""
        row = {**rec, "title": page.title, "text": page.text, "code_blocks": page.code_blocks,
               "code_score": round(score, 4), "kept_by": kept_by}
        if kept_by:
            res.rows.append(row)
        else:
            res.dropped.append({**rec, "reason": "not_code_related", "content": page.text[:2000],
                                "code_score": round(score, 4)})
    return res
