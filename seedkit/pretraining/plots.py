"""Charts and tables notebook 03 shows, built from what the stage's steps return
(:mod:`seedkit.pretraining.products`; the dicts inside them are what ``metrics.json`` and ``stats.json`` hold)."""

from __future__ import annotations

from typing import Any


def _series(log: list[dict[str, Any]], key: str, offset: int = 0) -> tuple[list[int], list[float]]:
    pts = [(row["step"] + offset, float(row[key])) for row in log if key in row]
    return [s for s, _ in pts], [v for _, v in pts]


def plot_training(trained: dict[str, Any], heldout: dict[str, dict[str, Any]] | None = None, ax: Any = None) -> Any:
    """Training loss and learning rate over both stages (stage 2 continues the step axis), with the
    held-out loss of each model (parent at step 0, then after each stage) and its 95% interval.
    ``trained``: stage1/stage2 -> what :func:`seedkit.pretraining.stage.train` returned; ``heldout``:
    parent/stage1/stage2 -> its held-out sets."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    lr_ax = ax.twinx()
    offset, ends = 0, {"parent": 0}
    for n, color in ((1, "tab:blue"), (2, "tab:orange")):
        st = trained.get(f"stage{n}")
        if not st:
            continue
        log = st.train.log_history
        x, y = _series(log, "loss", offset)
        ax.plot(x, y, color=color, alpha=0.6, label=f"stage {n} training loss (context {st.seq_len}, FIM {st.fim_rate})")
        x, y = _series(log, "learning_rate", offset)
        lr_ax.plot(x, y, "--", color="gray", alpha=0.6)
        offset += st.train.global_step
        ends[f"stage{n}"] = offset
    for name, marker in (("random", "o"), ("top_scored", "s")):
        pts = [(ends[label], ev[name]) for label, ev in (heldout or {}).items() if name in ev and label in ends]
        if pts:
            ax.errorbar([x for x, _ in pts], [e["loss"] for _, e in pts],
                        yerr=[[e["loss"] - e["interval"][0] for _, e in pts], [e["interval"][1] - e["loss"] for _, e in pts]],
                        fmt=marker + "-", color="black" if name == "random" else "tab:green", capsize=3,
                        label=f"held-out loss, {name} set (95% interval over files)")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss (nats/token)")
    lr_ax.set_ylabel("learning rate (dashed)")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Two-stage pretraining: regular, then continued at longer context")
    return ax


def heldout_table(heldout: dict[str, dict[str, Any]], changes: dict[str, dict[str, Any]]) -> str:
    """Held-out loss of each model on each set (95% interval over files), then the paired changes."""
    labels = [k for k in ("parent", "stage1", "stage2") if k in heldout]
    sets = [k for k in ("random", "top_scored") if any(k in heldout[lab] for lab in labels)]
    rows = [f"{'held-out set':<12}{'files':>6}{'tokens':>8}  " + "".join(f"{lab:<24}" for lab in labels)]
    for name in sets:
        first = heldout[labels[0]][name]
        cells = "".join(f"{heldout[lab][name]['loss']:.3f} [{heldout[lab][name]['interval'][0]:.3f}, "
                        f"{heldout[lab][name]['interval'][1]:.3f}]".ljust(24) for lab in labels)
        rows.append(f"{name:<12}{first['files']:>6}{first['tokens']:>8}  {cells}")
    rows.append("")
    rows.append("paired change in loss (negative = better), 95% interval over held-out files:")
    for name in sets:
        for pair, d in changes.get(name, {}).items():
            rows.append(f"  {name:<11} {pair:<18} {d['mean']:+.4f} [{d['interval'][0]:+.4f}, {d['interval'][1]:+.4f}]")
    return "\n".join(rows)


def plot_ablation(ablation: Any, axes: Any = None) -> Any:
    """Left: held-out loss (random set) vs tokens, one line per seed and corpus. Right: the difference
    rules_only - filtered per seed and set, with the mean and its 95% interval over seeds
    (``ablation``: what :func:`seedkit.pretraining.stage.ablate` returns)."""
    import matplotlib.pyplot as plt

    summary, per_seed = ablation.summary, ablation.per_seed
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12, 4))
    left, right = axes
    for r in per_seed:
        for corpus, color in (("filtered", "tab:green"), ("rules_only", "tab:red")):
            c = getattr(r, corpus)["curve"]
            left.plot(c["tokens"], c["eval_loss"], "-", color=color, alpha=0.6,
                      label=corpus if r is per_seed[0] else None)
    left.set_xlabel("training tokens")
    left.set_ylabel(f"held-out loss ({per_seed[0].filtered['curve']['set']} set)")
    left.set_title(f"{summary['n_seeds']} seeds x 2 corpora, {summary['tokens_each']:,} tokens each")
    left.legend()
    names = list(summary["sets"])
    for i, name in enumerate(names):
        s = summary["sets"][name]
        right.plot([i] * len(s["per_seed"]), s["per_seed"], "o", color="gray", alpha=0.7,
                   label="one seed" if i == 0 else None)
        right.errorbar([i + 0.15], [s["mean"]], yerr=[[s["mean"] - s["interval"][0]], [s["interval"][1] - s["mean"]]],
                       fmt="D", color="black", capsize=4, label="mean, 95% interval over seeds" if i == 0 else None)
    right.axhline(0, color="black", lw=0.8)
    right.set_xticks(range(len(names)), names)
    right.set_xlim(-0.5, len(names) - 0.5)
    right.set_ylabel("held-out loss rules_only - filtered")
    right.set_title("> 0: the LLM-filtered corpus made the better model")
    right.legend(fontsize=8)
    return axes


def demos_text(demos: Any, label: str) -> str:
    """Greedy completions and the FIM infilling demo of one model (``demos``: what
    :func:`seedkit.pretraining.stage.demonstrate` returns), as text."""
    out = [f"--- {label}: greedy completions"]
    for c in demos.completions:
        out.append(f">>> {c['prompt']!r}\n{c['prompt']}{c['completion']}")
    out.append(f"--- {label}: fill in the middle")
    for d in demos.fim_demo:
        out.append(f">>> {d['name']}: expected {d['expected_middle']!r}, model wrote {d['generated_middle']!r}"
                   f" ({'exact' if d['exact'] else 'not exact'})\n{d['prefix']}[{d['generated_middle']}]{d['suffix']}")
    return "\n".join(out)


def effect_table(effect_by_format: dict[str, Any]) -> str:
    """pass@1 of the parent and of stage 03's model per prompt format, and the paired difference."""
    if not effect_by_format:
        return "effect not measured (effect_prompt_formats = [])"
    first = next(iter(effect_by_format.values()))
    ev = first["eval"]
    rows = [f"{ev['eval_set']} problems (first {ev['eval_limit'] or 'all'}), {ev['eval_samples']} samples each at "
            f"temperature {ev['eval_temperature']}, up to {ev['eval_max_new_tokens']} tokens; parent = "
            f"{first['parent_model']}, model = {first['child_model']}",
            f"{'format':<12}{'parent pass@1':<24}{'03 pass@1':<24}{'03 - parent (paired)':<28}problems"]
    for fmt, e in effect_by_format.items():
        b, a, d = e["before"], e["after"], e["difference"]
        rows.append(f"{fmt:<12}" + f"{b['pass@1']:.3f} [{b['interval'][0]:.3f}, {b['interval'][1]:.3f}]".ljust(24)
                    + f"{a['pass@1']:.3f} [{a['interval'][0]:.3f}, {a['interval'][1]:.3f}]".ljust(24)
                    + f"{d['mean']:+.3f} [{d['lo']:+.3f}, {d['hi']:+.3f}]".ljust(28) + f"{d['n_problems']}")
    return "\n".join(rows)


def _reading(mean: float, lo: float, hi: float, better_when_negative: bool, unit: str) -> str:
    if lo <= 0 <= hi:
        return f"{mean:+.4f} {unit} [{lo:+.4f}, {hi:+.4f}]: the interval includes 0, so no change is resolved"
    better = (mean < 0) == better_when_negative
    return f"{mean:+.4f} {unit} [{lo:+.4f}, {hi:+.4f}]: {'better' if better else 'WORSE'}, and the interval excludes 0"


def heldout_reading(changes: dict[str, dict[str, Any]], pair: str) -> str:
    """One line per held-out set saying what a paired loss change shows."""
    out = []
    for name, pairs in changes.items():
        d = pairs.get(pair)
        if d:
            out.append(f"{name} set, {pair}: " + _reading(d["mean"], *d["interval"], True, "nats/token"))
    return "\n".join(out)


def effect_reading(effect_by_format: dict[str, Any]) -> str:
    """One line per prompt format saying what the paired pass@1 difference shows."""
    if not effect_by_format:
        return "effect not measured"
    out = []
    for fmt, e in effect_by_format.items():
        d = e["difference"]
        out.append(f"{fmt} prompts, 03 - parent pass@1: " + _reading(d["mean"], d["lo"], d["hi"], False, "")
                   + f" ({d['n_problems']} problems)")
    return "\n".join(out)
