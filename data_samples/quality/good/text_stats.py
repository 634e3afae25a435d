"""Word statistics for plain-text documents."""

import re
from collections import Counter

WORD_PATTERN = re.compile(r"[a-z']+")


def tokenize(text: str) -> list[str]:
    """Lower-case words, keeping apostrophes inside words (don't, it's)."""
    return WORD_PATTERN.findall(text.lower())


def word_frequencies(text: str) -> Counter[str]:
    """How often each word occurs in ``text``."""
    return Counter(tokenize(text))


def top_words(text: str, count: int = 10, stop_words: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """The ``count`` most frequent words that are not stop words, most frequent first."""
    frequencies = word_frequencies(text)
    for word in stop_words:
        frequencies.pop(word, None)
    return frequencies.most_common(count)


def type_token_ratio(text: str) -> float:
    """Distinct words divided by total words: a rough measure of vocabulary richness."""
    words = tokenize(text)
    return len(set(words)) / len(words) if words else 0.0
