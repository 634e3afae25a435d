"""Stage 07: every model of the chain side by side, with intervals and paired differences to each
model's parent. Where things are: ``stage`` (begin, the steps, finish, ``run_eval``), ``plan`` (the
chain of models and their parents), ``report`` (summary.json, report.md, the reproducing command),
``result`` (what the stage measured, read back), ``settings``, ``plots``. The measuring itself
(harness, pass@k, intervals, effects) is :mod:`seedkit.measure`, which every stage uses."""
