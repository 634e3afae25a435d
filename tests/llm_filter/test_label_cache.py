"""The label cache: keys hold the prompt version; duplicates are labelled once."""

from __future__ import annotations

from fixtures.llm_filter_fakes import RECORDS, CountingGenerator
from seedkit.llm_filter.label_cache import Label, LabelCache
from seedkit.llm_filter.oracle import Oracle
from seedkit.llm_filter.rubric import load_rubric


def test_cache_key_holds_prompt_version_and_duplicates_are_labelled_once(tmp_path):
    cache = LabelCache(tmp_path / "c.sqlite")
    cache.put_many({"h1": Label(3.0, "r", "generate", "v1", "o")})
    assert cache.get_many(["h1"], "v1", "o", "generate")["h1"].score == 3.0
    assert cache.get_many(["h1"], "v2", "o", "generate") == {}
    assert cache.get_many(["h1"], "v1", "o", "likelihood") == {}
    gen = CountingGenerator(["Rating: [[5]]"])
    oracle = Oracle(load_rubric(), name="s", method="generate", generator=gen, cache=cache)
    labs = oracle.label([RECORDS[0], RECORDS[0], RECORDS[1]], progress=False)
    assert len(gen.seen) == 2 and [lab.score for lab in labs] == [5.0, 5.0, 5.0]
