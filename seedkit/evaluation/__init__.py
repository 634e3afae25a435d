"""Stage 07 and the evaluation used by every stage: problems, code extraction, pass@k, harness."""
