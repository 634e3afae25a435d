"""Stage 05: on-policy preference pairs judged by execution, then DPO.

Where things are: ``settings`` (DPOSettings, the report row by row), ``pairs`` (passing against
failing answers of one prompt), ``effect`` (preference accuracy on held-out pairs, paired pass@1),
``products`` (what each step returns), ``stage`` (begin, the step functions, finish and ``run_dpo``).
"""
