"""The dimensions of a Llama-architecture model that memory depends on, read from its configuration
without loading it (a known config, a saved config.json, transformers' AutoConfig, or the profile's
scratch dimensions). :mod:`seedkit.memory_plan` plans each stage's memory from them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedkit.config import SettingsError
from seedkit.models import ModelLoadError, resolve_spec

# Architecture of the Seed-Coder 8B models (Base, Instruct and Reasoning share it): a Llama-architecture
# decoder, as given in the config.json of ByteDance-Seed/Seed-Coder-8B-Base on the Hugging Face hub and in
# the Seed-Coder technical report (arXiv 2506.03524, 8.2B parameters, 32K context). Kept here because the
# kit runs offline and the plan must work before the model is downloaded; these numbers give
# 8,250,462,208 parameters (untied embeddings), the report's 8.2B.
SEED_CODER_8B = dict(
    hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
    num_key_value_heads=8, head_dim=128, vocab_size=155136, max_position_embeddings=32768,
    tie_word_embeddings=False,
)
KNOWN_CONFIGS: dict[str, dict[str, Any]] = {
    f"ByteDance-Seed/Seed-Coder-8B-{kind}": SEED_CODER_8B for kind in ("Base", "Instruct", "Reasoning")
}

@dataclass(frozen=True)
class ModelDims:
    """The numbers of a Llama-architecture decoder that memory depends on."""

    name: str
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    tied: bool = False
    source: str = ""

    @property
    def q_dim(self) -> int:
        return self.heads * self.head_dim

    @property
    def kv_dim(self) -> int:
        return self.kv_heads * self.head_dim

    def linear_shapes(self) -> dict[str, tuple[int, int]]:
        """(in, out) features of each linear layer of one block."""
        h, q, kv, i = self.hidden, self.q_dim, self.kv_dim, self.intermediate
        return {"q_proj": (h, q), "k_proj": (h, kv), "v_proj": (h, kv), "o_proj": (q, h),
                "gate_proj": (h, i), "up_proj": (h, i), "down_proj": (i, h)}

    @property
    def block_linear_params(self) -> int:
        return self.layers * sum(a * b for a, b in self.linear_shapes().values())

    @property
    def embedding_params(self) -> int:
        """Input embeddings plus the output head (one matrix when tied)."""
        return self.vocab * self.hidden * (1 if self.tied else 2)

    @property
    def norm_params(self) -> int:
        return (2 * self.layers + 1) * self.hidden

    @property
    def params(self) -> int:
        return self.block_linear_params + self.embedding_params + self.norm_params

    def lora_params(self, r: int, targets: Sequence[str]) -> int:
        return self.layers * sum(r * (a + b) for name, (a, b) in self.linear_shapes().items() if name in targets)

    def describe(self) -> str:
        return (f"{self.name}: {self.params / 1e9:.2f}B parameters, {self.layers} layers, hidden {self.hidden}, "
                f"{self.heads} heads / {self.kv_heads} kv heads of {self.head_dim}, MLP {self.intermediate}, "
                f"vocab {self.vocab:,}{', tied head' if self.tied else ''} ({self.source})")


def dims_from_config(cfg: Mapping[str, Any] | Any, name: str, source: str) -> ModelDims:
    """ModelDims from a config.json mapping or a transformers config object."""

    def get(key: str, default: Any = None) -> Any:
        if isinstance(cfg, Mapping):
            return cfg.get(key, default)
        return getattr(cfg, key, default)

    missing = [k for k in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                           "vocab_size") if get(k) is None]
    if missing:
        raise SettingsError(f"model {name}: its config ({source}) lacks {', '.join(missing)}; the memory plan "
                            "needs a Llama-style decoder config")
    heads = int(get("num_attention_heads"))
    hidden = int(get("hidden_size"))
    return ModelDims(name=name, hidden=hidden, layers=int(get("num_hidden_layers")), heads=heads,
                     kv_heads=int(get("num_key_value_heads") or heads), head_dim=int(get("head_dim") or hidden // heads),
                     intermediate=int(get("intermediate_size")), vocab=int(get("vocab_size")),
                     tied=bool(get("tie_word_embeddings", False)), source=source)


def model_dims(spec: str, *, runs_dir: str = "", scratch: Mapping[str, int] | None = None) -> ModelDims:
    """The dimensions of a model spec without loading it: a known config (the Seed-Coder 8B family), a
    saved model's config.json (the packaged SmolLM2 once converted, a run's stage, a folder; an adapter
    reads its base's), a hub id through transformers' AutoConfig (needs the network or the HF cache), or
    ``scratch`` with the profile's scratch dimensions."""

    if spec in KNOWN_CONFIGS:
        return dims_from_config(KNOWN_CONFIGS[spec], spec, "architecture known to the kit")
    if spec == "scratch":
        if not scratch:
            raise SettingsError("model scratch: give the scratch model's dimensions (the profile's scratch_model)")
        return dims_from_config({"tie_word_embeddings": False, **scratch}, "scratch", "the profile's scratch_model")
    try:
        kind, where = resolve_spec(spec, runs_dir)
    except ModelLoadError as e:
        raise SettingsError(str(e)) from None
    if kind != "hub":
        folder = Path(where)
        cfg_path = folder / "config.json"
        if not cfg_path.exists() and (folder / "adapter_config.json").exists():
            base = json.loads((folder / "adapter_config.json").read_text()).get("base_model_name_or_path") or ""
            if base and base != spec:
                return model_dims(base, runs_dir=runs_dir, scratch=scratch)
        if not cfg_path.exists():
            how = ("load it once (seedkit doctor converts it)" if kind == "packaged" else "save the model first")
            raise SettingsError(f"model {spec}: no config.json in {folder}; {how}")
        return dims_from_config(json.loads(cfg_path.read_text()), spec, str(cfg_path))
    try:
        from transformers import AutoConfig

        cfg = AutoConfig.from_pretrained(spec)
    except Exception as e:  # offline and not cached, or not a model
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:160]
        raise SettingsError(f"model {spec}: its config could not be read ({first}); give a local folder with a "
                            f"config.json, or one of {', '.join(KNOWN_CONFIGS)}") from None
    return dims_from_config(getattr(cfg, "text_config", cfg), spec, "transformers AutoConfig")



__all__ = ["SEED_CODER_8B", "KNOWN_CONFIGS", "ModelDims", "dims_from_config", "model_dims"]
