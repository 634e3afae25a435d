"""Stage 06: long chain-of-thought warm-up, then GRPO with execution rewards.

Where things are: ``settings`` (LongCoTRLSettings, the report row by row), ``traces`` (the
think-then-answer layout and verified warm-up traces), ``rewards`` (execution, format and parse
rewards), ``curriculum`` (solved problems leave the pool; the length schedule), ``grpo`` (TRL's
GRPOConfig and trainer with the kit's rollouts), ``objective`` (GRPO's loss on one fixed batch, as TRL
computes it), ``stage`` (the step functions and ``run_longcot_rl``), ``products`` (what each step
returns), ``result`` (the finished stage read back), ``plots``.
"""
