"""Charts and tables notebook 03 shows, built from a :class:`~seedkit.pretraining.stage.PretrainResult`."""

from __future__ import annotations

from typing import Any


def _series(log: list[dict[str, Any]], key: str, offset: int = 0) -> tuple[list[int], list[float]]:
    pts = [(row["step"] + offset, float(row[key])) for row in log if key in row]
    return [s for s, _ in pts], [v for _, v in pts]


def plot_training(result: Any, ax: Any = None) -> Any:
    """Training loss, held-out loss and learning rate over both stages (stage 2 continues the step axis)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    lr_ax = ax.twinx()
    offset = 0
    for n, color in ((1, "tab:blue"), (2, "tab:orange")):
        st = result.stage(n)
        if not st:
            continue
        log = st["train"]["log_history"]
        x, y = _series(log, "loss", offset)
        ax.plot(x, y, color=color, alpha=0.5, label=f"stage {n} train loss (seq {st['seq_len']}, FIM {st['fim_rate']})")
        x, y = _series(log, "eval_loss", offset)
        ax.plot(x, y, "o-", color=color, label=f"stage {n} held-out loss")
        x, y = _series(log, "learning_rate", offset)
        lr_ax.plot(x, y, "--", color="gray", alpha=0.6)
        offset += st["train"]["global_step"]
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss (nats/token)")
    lr_ax.set_ylabel("learning rate (dashed)")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Two-stage pretraining: regular, then continued at longer context")
    return ax


def plot_ablation(result: Any, ax: Any = None) -> Any:
    """Held-out loss vs tokens trained, one curve per corpus (the report's Figure 6 at small scale)."""
    import matplotlib.pyplot as plt

    abl = result.ablation
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for corpus, color in (("filtered", "tab:green"), ("rules_only", "tab:red")):
        c = abl.get("curves", {}).get(corpus)
        if c:
            ax.plot(c["tokens"], c["eval_loss"], "o-", color=color, label=f"{corpus} (final {c['eval_loss'][-1]:.3f})")
    ax.set_xlabel("training tokens")
    ax.set_ylabel("held-out loss on top-scored files")
    ax.set_title(f"LLM-filtered vs rules-only at {abl.get('tokens_trained_each', 0):,} tokens each")
    ax.legend()
    return ax


def heldout_table(result: Any) -> str:
    """Held-out loss / perplexity per language after each stage, as text."""
    rows = ["language      " + "".join(f"stage {n} loss (ppl)      " for n in (1, 2) if result.stage(n))]
    langs: list[str] = []
    for n in (1, 2):
        for k in result.stage(n).get("heldout", {}):
            if k not in langs:
                langs.append(k)
    for lang in langs:
        cells = []
        for n in (1, 2):
            h = result.stage(n).get("heldout", {}).get(lang) if result.stage(n) else None
            if result.stage(n):
                cells.append(f"{h['loss']:.3f} ({h['perplexity']:.1f})".ljust(24) if h else "-".ljust(24))
        rows.append(f"{lang:<14}" + "".join(cells))
    return "\n".join(rows)


def demos_text(result: Any, stage: int) -> str:
    """Greedy completions and the FIM infilling demo of one stage, as text."""
    st = result.stage(stage)
    out = [f"--- stage {stage}: greedy completions"]
    for c in st.get("completions", []):
        out.append(f">>> {c['prompt']!r}\n{c['prompt']}{c['completion']}")
    out.append(f"--- stage {stage}: fill in the middle")
    for d in st.get("fim_demo", []):
        out.append(f">>> {d['name']}: expected {d['expected_middle']!r}, model wrote {d['generated_middle']!r}"
                   f" ({'exact' if d['exact'] else 'not exact'})\n{d['prefix']}[{d['generated_middle']}]{d['suffix']}")
    return "\n".join(out)
