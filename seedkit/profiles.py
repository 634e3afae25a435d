"""Profiles: what one word of scale means (``tiny``, ``smol``, ``hour``, ``gpu``, ``multi-gpu``).

Every stage's settings read their defaults from the profile (:mod:`seedkit.config`); a profile may
inherit the stage defaults of another where it says nothing (``hour`` from ``smol``, ``multi-gpu``
from ``gpu``). The profile's device and dtype carry their origin (:class:`Chosen`), so the model
loader can say ``device=cpu (profile tiny)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


class Chosen(str):
    """A string that remembers where it came from (``"profile tiny"``), for the one-line messages that
    say what was chosen and why. It compares, hashes and serialises as the plain string."""

    origin: str

    def __new__(cls, value: str, origin: str = "") -> Chosen:
        obj = super().__new__(cls, value)
        obj.origin = origin
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Chosen, (str(self), self.origin))


def origin_of(value: Any, default: str = "set by you") -> str:
    """Where a value came from: its :class:`Chosen` origin, else ``default``."""
    return getattr(value, "origin", "") or default


@dataclass(frozen=True)
class Profile:
    """What one word of scale means. Stage settings read these as their defaults."""

    name: str
    description: str
    # Model spec for stages that start from a pretrained model (see seedkit.models.load_model).
    # "scratch" means the kit trains its own tiny Llama from scratch (stage 03) and later stages
    # start from that checkpoint.
    base_model: str
    # Model used as oracle / generator / judge in stages 02 and 04-06 when no server is given.
    helper_model: str
    device: str  # "auto" | "cpu" | "cuda"
    dtype: str  # "auto" | "float32" | "bfloat16" | "float16"
    load_in_4bit: bool
    use_lora: bool
    # Size of the from-scratch Llama (stage 03) for this profile.
    scratch_model: dict[str, int] = field(default_factory=dict)
    checked_on: str = ""
    # A profile whose stage defaults (PROFILE_DEFAULTS) apply wherever this one says nothing.
    inherits: str = ""

    def lineage(self) -> tuple[str, ...]:
        """This profile's name, then the profiles it inherits from: ``("hour", "smol")``."""
        names = [self.name]
        while PROFILES[names[-1]].inherits:
            names.append(PROFILES[names[-1]].inherits)
        return tuple(names)

    def based_on(self, name: str) -> bool:
        """Is this profile ``name`` or built on it (``hour`` is built on ``smol``)?"""
        return name in self.lineage()

    def __post_init__(self) -> None:
        for name in ("device", "dtype"):
            object.__setattr__(self, name, Chosen(getattr(self, name), f"profile {self.name}"))


PROFILES: dict[str, Profile] = {
    "tiny": Profile(
        name="tiny",
        description="tests and CI: a ~1M-parameter Llama trained from scratch; every notebook in seconds",
        base_model="scratch",
        helper_model="scratch",
        device="cpu",
        dtype="float32",
        load_in_4bit=False,
        use_lora=False,
        scratch_model=dict(
            vocab_size=1024, hidden_size=128, intermediate_size=352, num_hidden_layers=4,
            num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
        ),
        checked_on="2 CPU cores, 24 GiB",
    ),
    "smol": Profile(
        name="smol",
        description="laptops: the packaged SmolLM2-135M-Instruct (no network, no GPU needed)",
        base_model="smollm2-135m-instruct",
        helper_model="smollm2-135m-instruct",
        device="auto",
        dtype="auto",
        load_in_4bit=False,
        use_lora=True,
        scratch_model=dict(
            vocab_size=8192, hidden_size=256, intermediate_size=688, num_hidden_layers=6,
            num_attention_heads=8, num_key_value_heads=4, max_position_embeddings=2048,
        ),
        checked_on="2 CPU cores, 24 GiB",
    ),
    "gpu": Profile(
        name="gpu",
        description="one GPU: a hub model with 4-bit QLoRA through bitsandbytes",
        base_model="ByteDance-Seed/Seed-Coder-8B-Base",
        helper_model="ByteDance-Seed/Seed-Coder-8B-Instruct",
        device="cuda",
        dtype="bfloat16",
        load_in_4bit=True,
        use_lora=True,
        scratch_model=dict(
            vocab_size=32768, hidden_size=768, intermediate_size=2048, num_hidden_layers=12,
            num_attention_heads=12, num_key_value_heads=4, max_position_embeddings=8192,
        ),
        checked_on="not yet checked on a GPU",
    ),
    "multi-gpu": Profile(
        name="multi-gpu",
        description="many GPUs under accelerate (DDP, FSDP, DeepSpeed ZeRO-3) with the report's settings",
        base_model="ByteDance-Seed/Seed-Coder-8B-Base",
        helper_model="ByteDance-Seed/Seed-Coder-8B-Instruct",
        device="cuda",
        dtype="bfloat16",
        load_in_4bit=False,
        use_lora=False,
        scratch_model=dict(
            vocab_size=32768, hidden_size=1024, intermediate_size=2816, num_hidden_layers=16,
            num_attention_heads=16, num_key_value_heads=4, max_position_embeddings=8192,
        ),
        checked_on="not yet checked on GPUs",
        inherits="gpu",
    ),
    "hour": Profile(
        name="hour",
        description=("smol's models and settings with a measurement sized to resolve the effects a budget sweep "
                     "finds (every basic problem, 2 samples) and twice the post-training; not an hour: stages 04-07 "
                     "took 2.1 hours on 2 shared cores (docs/measuring.md)"),
        base_model="smollm2-135m-instruct",
        helper_model="smollm2-135m-instruct",
        device="auto",
        dtype="auto",
        load_in_4bit=False,
        use_lora=True,
        scratch_model=dict(
            vocab_size=8192, hidden_size=256, intermediate_size=688, num_hidden_layers=6,
            num_attention_heads=8, num_key_value_heads=4, max_position_embeddings=2048,
        ),
        checked_on="timed on 2 shared CPU cores: stages 04-07 in 7,639 s after smol's 01-03 (docs/measuring.md)",
        inherits="smol",
    ),
}

ProfileName = Literal["tiny", "smol", "hour", "gpu", "multi-gpu"]
