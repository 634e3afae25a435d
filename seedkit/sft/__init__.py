"""Stage 04: supervised fine-tuning on synthetic, judged, sandbox-verified instructions.

Where things are: ``settings`` (SFTSettings, the report row by row), ``seeds`` and ``docstrings``
(where items come from), ``synthesis`` (instruction and answer generation), ``filters`` (parse,
dedup, decontamination), ``judge`` (difficulty and correctness ratings), ``verify`` (sandbox runs
with self-correction), ``finetune`` (TRL SFT), ``effect`` (held-out answer loss, paired pass@1),
``steps`` (the stage object the notebook's cells share, also used by 05 and 06), ``stage``
(the step functions and ``run_sft``), ``plots``.
"""
