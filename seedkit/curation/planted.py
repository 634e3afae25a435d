"""The bad files planted in data_samples/ and the step and reason that must remove each.

The notebook shows this table next to the run's ``dropped/`` dataset and a unit test asserts
it, so a filter that stops catching its planted file fails loudly.
"""

from __future__ import annotations

from typing import Any

# (repo, path) -> (step, reason prefix)
PLANTED_FILES: dict[tuple[str, str], tuple[str, str]] = {
    ("textstats", "logo.png"): ("read", "binary"),
    ("textstats", "textstats/empty.py"): ("read", "empty"),
    ("textstats", "textstats/handlers.py"): ("read", "oversize"),
    ("textstats", "metadata.json"): ("language", "data_format"),
    ("textstats", "textstats/settings_pb2.py"): ("basic_filters", "auto_generated"),
    ("textstats", "textstats/readings.py"): ("basic_filters", "data_dump"),
    ("webapp", "dist/bundle.min.js"): ("basic_filters", "minified"),
    ("webapp", "package.json"): ("language", "data_format"),
    ("textstats", "textstats/broken.py"): ("syntax", "syntax_error"),
    ("webapp", "src/broken.js"): ("syntax", "syntax_error"),
    ("mathlib-copy", "primes.py"): ("repo_dedup", "near_duplicate_repo"),
    ("mathlib-copy", "fractions_ops.py"): ("repo_dedup", "near_duplicate_repo"),
    ("textstats-fork", "counts.py"): ("exact_dedup", "exact_duplicate"),
    ("textstats-fork", "tokenize.py"): ("near_dedup", "near_duplicate"),
    ("textstats", "textstats/contaminated.py"): ("decontamination", "contaminated"),
}

# kept, but with secrets redacted: (repo, path) -> substrings that must be gone from content
PLANTED_SECRETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("textstats", "textstats/config.py"): (
        "AKIAIOSFODNN7EXAMPLE", "ghp_1234567890abcdefghijABCDEFGHIJ123456", "hunter2-correct-horse",
        "jane.doe@example.org"),
}

# web pages: file name -> expected outcome ("kept:<kept_by>" or "dropped:<reason>"). The classifier
# decides on every page: a tutorial with code blocks is kept by it, and a knitting chart in <pre>
# (code markup, no code) is dropped by it although the markup rule alone would have kept it.
PLANTED_PAGES: dict[str, str] = {
    "broken-binary.html": "dropped:unparseable_html",
    "empty.html": "dropped:unparseable_html",
    "unclosed-tags-go-tutorial.html": "kept:classifier",
    "python-list-comprehensions.html": "kept:classifier",
    "knitting-pattern-chart.html": "dropped:not_code_related",
    "how-hash-tables-work.html": "kept:classifier",
    "sourdough-bread.html": "dropped:not_code_related",
    "lisbon-travel-guide.html": "dropped:not_code_related",
    "football-season-review.html": "dropped:not_code_related",
    "tomato-garden.html": "dropped:not_code_related",
}


def check_planted(dropped_rows: list[dict[str, Any]], kept_rows: list[dict[str, Any]],
                  web_rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One row per planted item: expected vs what the run did, and ``ok``."""
    by_key = {(d["repo"], d["path"]): d for d in dropped_rows}
    kept = {(d["repo"], d["path"]): d for d in kept_rows}
    out = []
    for key, (step, reason) in PLANTED_FILES.items():
        d = by_key.get(key)
        got = f"{d['step']}/{d['reason']}" if d else ("kept" if key in kept else "missing")
        ok = bool(d) and d["step"] == step and d["reason"].split(":")[0] == reason
        out.append({"file": f"{key[0]}/{key[1]}", "expected": f"{step}/{reason}", "got": got, "ok": ok})
    for key, gone in PLANTED_SECRETS.items():
        k = kept.get(key)
        left = [g for g in gone if k and g in k["content"]]
        out.append({"file": f"{key[0]}/{key[1]}", "expected": "kept/redacted",
                    "got": ("kept/redacted" if not left else f"kept/leaks {left}") if k else "not kept",
                    "ok": bool(k) and not left})
    if web_rows is not None:
        web = {}
        for r in web_rows:
            name = str(r["path"]).replace("\\", "/").rsplit("/", 1)[-1]
            web[name] = f"kept:{r['kept_by']}" if r.get("kept_by") else f"dropped:{r['reason']}"
        for name, exp in PLANTED_PAGES.items():
            got = web.get(name, "missing")
            out.append({"file": f"web/{name}", "expected": exp, "got": got, "ok": got == exp})
    return out
