"""Stage 03: tokenizer, FIM, packing and two-stage pretraining."""
