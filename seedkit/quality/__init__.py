"""Stage 02: the LLM quality filter (oracle labels, distilled scorer, threshold)."""
