"""Stage 07: every model of the chain side by side, with intervals and paired differences to each
model's parent (:mod:`seedkit.eval.stage`), its settings and plots. The measuring itself (harness,
pass@k, intervals, effects) is :mod:`seedkit.measure`, which every stage uses."""
