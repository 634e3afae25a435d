"""The cut and the equal-token sample."""

from __future__ import annotations

from seedkit.llm_filter.threshold import choose_cut, sample_to_tokens, token_counter


def test_choose_cut_percentile_and_absolute():
    scores = [float(i) for i in range(20)]  # 0..19
    cut = choose_cut(scores, drop_bottom_fraction=0.10)
    assert cut.threshold == 2.0 and cut.n_dropped == 2 and cut.n_kept == 18
    assert cut.keep_mask(scores).sum() == 18 and "percentile" in cut.reason
    cut = choose_cut(scores, drop_bottom_fraction=0.10, min_score=5.0)
    assert cut.n_dropped == 5 and "absolute" in cut.reason
    assert choose_cut(scores, drop_bottom_fraction=0.0).n_dropped == 0


def test_sample_to_tokens_matches_the_target():
    counts = [100] * 50
    chosen = sample_to_tokens(counts, 1000, seed=1)
    assert len(chosen) == 10 and chosen == sorted(chosen)
    assert sample_to_tokens([100] * 50, 1000, seed=1) == chosen  # seeded
    chosen = sample_to_tokens([10, 500, 20, 30], 60, seed=0)
    assert sum([10, 500, 20, 30][i] for i in chosen) == 60
    count, desc = token_counter("regex")
    assert count("def f(x): return x+1") == 10 and "regex" in desc
