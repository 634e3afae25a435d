"""Stages 04-06: synthetic SFT data and SFT, execution-verified DPO pairs and DPO, LongCoT warm-up and GRPO."""
