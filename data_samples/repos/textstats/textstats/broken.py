"""Planted for the kit: this file does not parse (missing colon and bracket)."""


def merge_counts(first, second)
    merged = dict(first)
    for word, count in second.items(:
        merged[word] = merged.get(word, 0) + count
    return merged
