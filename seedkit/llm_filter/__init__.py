"""Stage 02: the LLM quality filter (oracle labels, distilled scorer, threshold).

- :mod:`seedkit.llm_filter.rubric`: the rubric prompt (``seedkit/prompts/quality_rubric.md``), answer parsing.
- :mod:`seedkit.llm_filter.oracle`: the oracle and its readings (verdict, likelihood, generate).
- :mod:`seedkit.llm_filter.label_cache`: labels cached by (content hash, prompt version, oracle, method).
- :mod:`seedkit.llm_filter.scorer`: the distilled scorer (train, evaluate, save, :func:`load_scorer`).
- :mod:`seedkit.llm_filter.threshold`: the cut and the equal-token ``rules_only`` sample.
- :mod:`seedkit.llm_filter.stage`: ``begin``, the steps, ``finish`` and ``run_llm_filter(settings)``, the stage entry point
  (:mod:`~seedkit.llm_filter.products`: what each step returns; :mod:`~seedkit.llm_filter.outputs`, :mod:`~seedkit.llm_filter.result`).
"""

from seedkit.llm_filter.settings import LLMFilterSettings

__all__ = ["LLMFilterSettings"]
