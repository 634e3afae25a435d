"""Split text into lower-case word tokens."""

import re

WORD_RE = re.compile(r"[A-Za-z']+")


def tokenize(text):
    """Return the list of lower-case words in ``text``, apostrophes kept inside words."""
    words = []
    for match in WORD_RE.finditer(text):
        word = match.group(0).strip("'").lower()
        if word:
            words.append(word)
    return words


def sentences(text):
    """Split ``text`` into sentences on '.', '!' and '?' and drop empty pieces."""
    pieces = re.split(r"[.!?]+", text)
    return [piece.strip() for piece in pieces if piece.strip()]


def ngrams(tokens, size=2):
    """Return consecutive token tuples of length ``size``."""
    if size < 1:
        raise ValueError("size must be at least 1")
    return [tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]


def average_word_length(tokens):
    """Mean number of characters per token, 0.0 for no tokens."""
    if not tokens:
        return 0.0
    total = sum(len(token) for token in tokens)
    return total / len(tokens)
