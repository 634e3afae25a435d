"""Measuring models, used by every stage and knowing none: generation and sandbox scoring of
problems (``harness``), reading code out of answers (``extraction``), pass@k (``metrics``), bootstrap
intervals and paired differences (``stats``), what a measurement found per problem (``counts``), what
it measures and is keyed by (``evidence``), a stage's before/after effect with its cache (``effects``),
runs side by side (``compare``) and a run's measurements as one page (``report``).

Import what you need from its module (``from seedkit.measure.stats import bootstrap_interval``).
"""
