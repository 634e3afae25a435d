"""Stage 03: tokenizer, FIM, packing and two-stage pretraining.

Where things are: ``settings`` (PretrainingSettings), ``fim`` (fill-in-the-middle), ``packing``
(EOT-joined fixed-length blocks), ``data`` (inputs, held-out set, token-share mixtures), ``train``
(one Trainer stage: schedule, resume, tokens/s), ``heldout`` (loss/perplexity per language, paired
changes), ``demos`` (greedy completions, infilling), ``ablation`` (filtered vs rules-only), ``models``
(the parent, its tokenizer, LoRA, loading and saving a stage's model), ``products`` (what each step
returns), ``stage`` (``begin``, the steps, ``finish``, ``run_pretraining``), ``result``
(``PretrainResult``, what the stage records), ``plots``; ``seedkit train pretraining`` runs it from a
shell, torchrun or accelerate launch.
"""
