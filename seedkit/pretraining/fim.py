"""Fill-in-the-middle (FIM) transformation of training documents.

The report splits a document at two random *character* positions into prefix, middle and suffix
and trains on ``<fim_suffix> suffix <fim_prefix> prefix <fim_middle> middle`` (suffix-prefix-middle,
SPM) for a share of the documents: 0.5 in regular pretraining, 0.1 in continued pretraining. The
model then learns to write a middle given both sides, which is what an editor's infilling asks.
Prefix-suffix-middle (PSM, ``<fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle``) is the
other common order and is available as an option.

Character splits (not token splits) mean the cut can fall inside a word or a token, as it does
when a user's cursor sits mid-identifier. The transformation only reorders text: joining
``prefix + middle + suffix`` always gives back the original document (unit-tested).

Documents are turned into *pieces*: special-token ids (ints) and plain text (str). Text pieces
are tokenized with special-token parsing off, so a source file that happens to contain the
literal string ``<|fim_prefix|>`` cannot inject a control token.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from seedkit.models import special_token

FimMode = Literal["spm", "psm"]
Piece = int | str


@dataclass(frozen=True)
class FimTokens:
    """The ids (and strings) of the three FIM tokens of one tokenizer."""

    prefix: str
    suffix: str
    middle: str
    prefix_id: int
    suffix_id: int
    middle_id: int

    @classmethod
    def from_tokenizer(cls, tokenizer: object) -> FimTokens | None:
        """The tokenizer's FIM tokens (the kit's, StarCoder-style or Seed-Coder-style), or None when it has none."""

        names = [special_token(tokenizer, r) for r in ("fim_prefix", "fim_suffix", "fim_middle")]
        if any(n is None for n in names):
            vocab = tokenizer.get_vocab()  # type: ignore[attr-defined]
            seed_coder = ["<[fim-prefix]>", "<[fim-suffix]>", "<[fim-middle]>"]
            if not all(n in vocab for n in seed_coder):
                return None
            names = seed_coder  # type: ignore[assignment]
        ids = [tokenizer.convert_tokens_to_ids(n) for n in names]  # type: ignore[attr-defined]
        return cls(names[0], names[1], names[2], ids[0], ids[1], ids[2])  # type: ignore[arg-type]


# The names the kit gives FIM tokens it adds to a pretrained tokenizer that has none (SmolLM2's has
# StarCoder-style <repo_name> and <file_sep> but no FIM tokens): the same StarCoder spelling.
ADDED_FIM_TOKENS = ("<fim_prefix>", "<fim_suffix>", "<fim_middle>")


def ensure_fim_tokens(tokenizer: object) -> list[str]:
    """Add :data:`ADDED_FIM_TOKENS` to a tokenizer without FIM tokens; returns what was added ([] if
    nothing). The model's embeddings must then be resized to ``len(tokenizer)``."""
    if FimTokens.from_tokenizer(tokenizer) is not None:
        return []
    tokenizer.add_tokens(list(ADDED_FIM_TOKENS), special_tokens=True)  # type: ignore[attr-defined]
    return list(ADDED_FIM_TOKENS)


@dataclass(frozen=True)
class FimSplit:
    """A document cut in three at character positions; ``prefix + middle + suffix`` is the document."""

    prefix: str
    middle: str
    suffix: str

    @property
    def original(self) -> str:
        return self.prefix + self.middle + self.suffix


def random_split(text: str, rng: random.Random) -> FimSplit:
    """Two uniform random character positions (0..len, sorted) cut the text in three.

    Either part may be empty (a cut at the very start or end), as in the StarCoder/Seed-Coder
    implementations; the model must learn those edge cases too.
    """
    a, b = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
    return FimSplit(text[:a], text[a:b], text[b:])


def fim_pieces(split: FimSplit, tokens: FimTokens, mode: FimMode = "spm") -> list[Piece]:
    """The training sample as pieces, in SPM or PSM order."""
    if mode == "spm":
        return [tokens.suffix_id, split.suffix, tokens.prefix_id, split.prefix, tokens.middle_id, split.middle]
    if mode == "psm":
        return [tokens.prefix_id, split.prefix, tokens.suffix_id, split.suffix, tokens.middle_id, split.middle]
    raise ValueError(f"fim_mode: {mode!r} is not 'spm' or 'psm'")


def fim_text(split: FimSplit, tokens: FimTokens, mode: FimMode = "spm") -> str:
    """The same sample as a string (token strings inline): for display and the round-trip test."""
    names = {tokens.prefix_id: tokens.prefix, tokens.suffix_id: tokens.suffix, tokens.middle_id: tokens.middle}
    return "".join(names[p] if isinstance(p, int) else p for p in fim_pieces(split, tokens, mode))


def reassemble(sample: str, tokens: FimTokens, mode: FimMode = "spm") -> str:
    """Undo :func:`fim_text`: the original document back (prefix + middle + suffix).

    Parsing splits on the *first* occurrence of each marker in sample order, so it is exact as
    long as the document itself does not contain the marker strings (the encoder guarantees this
    for token ids; this string form is for tests and display).
    """
    if mode == "spm":
        assert sample.startswith(tokens.suffix), "an SPM sample starts with the suffix token"
        rest = sample[len(tokens.suffix):]
        suffix, _, rest = rest.partition(tokens.prefix)
        prefix, _, middle = rest.partition(tokens.middle)
    else:
        assert sample.startswith(tokens.prefix), "a PSM sample starts with the prefix token"
        rest = sample[len(tokens.prefix):]
        prefix, _, rest = rest.partition(tokens.suffix)
        suffix, _, middle = rest.partition(tokens.middle)
    return prefix + middle + suffix


def maybe_fim(text: str, rate: float, rng: random.Random, tokens: FimTokens | None,
              mode: FimMode = "spm") -> list[Piece]:
    """With probability ``rate`` the FIM pieces of ``text``, else ``[text]`` unchanged.

    The coin is always drawn (even at rate 0 or without FIM tokens) so that the random stream, and
    with it the rest of the data order, does not depend on the rate.
    """
    coin = rng.random()
    if tokens is None or coin >= rate or not text:
        return [text]
    return fim_pieces(random_split(text, rng), tokens, mode)


def infilling_prompt(prefix: str, suffix: str, tokens: FimTokens, mode: FimMode = "spm") -> list[Piece]:
    """A prompt asking the model to write the middle between ``prefix`` and ``suffix``."""
    return fim_pieces(FimSplit(prefix, "", suffix), tokens, mode)
