"""Measuring models, used by every stage and knowing none: generation and sandbox scoring of
problems (``harness``), reading code out of answers (``extraction``), pass@k (``metrics``), bootstrap
intervals and paired differences (``stats``), a stage's before/after effect with its cache
(``effects``), and runs side by side (``compare``).

Import what you need from its module (``from seedkit.measure.stats import bootstrap_interval``).
"""
