"""Stage 03: tokenizer, FIM, packing and two-stage pretraining.

Where things are: ``settings`` (PretrainingSettings), ``fim`` (fill-in-the-middle), ``packing``
(EOT-joined fixed-length blocks), ``data`` (inputs, held-out set, token-share mixtures), ``train``
(one Trainer stage: schedule, resume, tokens/s), ``heldout`` (loss/perplexity per language),
``demos`` (greedy completions, infilling), ``ablation`` (filtered vs rules-only), ``stage``
(``run_pretraining``), ``plots``; ``seedkit train pretraining`` runs it from a shell, torchrun or accelerate launch.
"""
