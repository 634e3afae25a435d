"""Stage 04: supervised fine-tuning on synthetic, judged, sandbox-verified instructions.

Where things are: ``settings`` (SFTSettings, the report row by row), ``seeds`` and ``docstrings``
(where items come from), ``synthesis`` (instruction and answer generation), ``filters`` (parse,
dedup, decontamination), ``judge`` (difficulty and correctness ratings), ``verify`` (sandbox runs
with self-correction), ``products`` (what each step returns), ``stage`` (begin, the step functions,
finish and ``run_sft``), ``result`` (a finished stage read back). Training, the answer loss and the
plots are shared with stages 05 and 06 in :mod:`seedkit.posttraining`.
"""
