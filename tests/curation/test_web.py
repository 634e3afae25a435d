"""Web pages: extraction and the code-page classifier."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedkit.curation.web import CodePageClassifier, extract_page, process_pages, read_pages, score_pages


def test_web_extraction_and_classifier(tmp_path):
    page = extract_page("<html><head><title>T</title><script>var x;</script></head><body><p>Intro"
                        "<pre>for i in range(3):\n    print(i)</pre><div>unclosed")
    assert page.title == "T" and page.code_blocks == ["for i in range(3):\n    print(i)"] and "var x" not in page.text
    with pytest.raises(ValueError):
        extract_page(b"")
    seeds = [{"text": f"the function returns a list and the compiler checks types {i}", "label": "code"} for i in range(10)]
    seeds += [{"text": f"bake the bread in the oven and serve with butter {i}", "label": "other"} for i in range(10)]
    clf = CodePageClassifier.train(seeds)
    assert clf.score("a function that returns a list, checked by the compiler") > 0.5
    assert clf.score("serve the bread warm from the oven with butter") < 0.5
    (tmp_path / "a.html").write_text("<p>bake the bread in the oven and serve it with butter</p>")
    (tmp_path / "b.html").write_bytes(b"\x00\x01\x02")
    res = process_pages(sorted(tmp_path.glob("*.html")), clf)
    assert sorted((Path(r["path"]).name, r["reason"]) for r in res.dropped) == [
        ("a.html", "not_code_related"), ("b.html", "unparseable_html")] and res.rows == []


def test_the_classifier_decides_on_every_page_and_code_tags_only_seed_it():
    """A page with <pre> blocks but no code (a knitting chart) is dropped; tutorials with code blocks are
    kept by the classifier. Cross-fitted rule seeds: scored in-sample, the chart would be kept."""
    from seedkit.config import DATA_SAMPLES
    from seedkit.curation.web import classifier_text, decide_pages, load_seeds, rule_seeds

    pages, dropped = read_pages(sorted((DATA_SAMPLES / "web" / "pages").glob("*.html")))
    seeds = load_seeds(DATA_SAMPLES / "web" / "seeds.jsonl")
    scores, how = score_pages(pages, seeds, use_rule_seeds=True)
    assert "cross-fitted" in how and len(scores) == len(pages)
    res = decide_pages(pages, dropped, None, 0.5, scores)
    kept = {Path(r["path"]).name: r["kept_by"] for r in res.rows}
    assert set(kept.values()) == {"classifier"}
    assert {"python-list-comprehensions.html", "unclosed-tags-go-tutorial.html", "how-hash-tables-work.html"} <= set(kept)
    chart = next(i for i, p in enumerate(pages) if p["path"].endswith("knitting-pattern-chart.html"))
    assert pages[chart]["has_code_tags"] and scores[chart] < 0.5 and "knitting-pattern-chart.html" not in kept
    in_sample = CodePageClassifier.train(seeds + rule_seeds(pages))
    assert in_sample.score(classifier_text(pages[chart])) > 0.5  # why the rule's pages are cross-fitted
    # no seeds to train on: the stage says so and the code-tags rule decides
    none, why = score_pages(pages, [], use_rule_seeds=True)
    assert none is None and "needs both" in why
