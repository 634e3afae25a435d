"""Stage 02: the LLM quality filter (oracle labels, distilled scorer, threshold).

- :mod:`seedkit.quality.rubric`: the rubric prompt (``seedkit/prompts/quality_rubric.md``), answer parsing.
- :mod:`seedkit.quality.oracle`: the oracle and its readings (verdict, likelihood, generate).
- :mod:`seedkit.quality.label_cache`: labels cached by (content hash, prompt version, oracle, method).
- :mod:`seedkit.quality.scorer`: the distilled scorer (train, evaluate, save, :func:`load_scorer`).
- :mod:`seedkit.quality.threshold`: the cut and the equal-token ``rules_only`` sample.
- :mod:`seedkit.quality.stage`: ``run_02_llm_filter(settings)``, the stage entry point.
"""

from seedkit.quality.settings import LLMFilterSettings

__all__ = ["LLMFilterSettings"]
