"""Word counting on top of the tokenizer."""

from collections import Counter

from textstats.tokenize import tokenize

STOPWORDS = {"the", "a", "an", "and", "or", "of", "to", "in", "is", "it"}


def word_counts(text, drop_stopwords=True):
    """Count the words of ``text``; common English stop words are skipped by default."""
    counts = Counter()
    for word in tokenize(text):
        if drop_stopwords and word in STOPWORDS:
            continue
        counts[word] += 1
    return counts


def most_common(text, n=10):
    """The ``n`` most frequent words as (word, count) pairs, ties broken alphabetically."""
    counts = word_counts(text)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def vocabulary_richness(text):
    """Distinct words divided by total words (type-token ratio)."""
    words = tokenize(text)
    if not words:
        return 0.0
    return len(set(words)) / len(words)
