"""textstats: word counts and simple statistics over plain text."""

from textstats.counts import most_common, word_counts
from textstats.tokenize import tokenize

__all__ = ["tokenize", "word_counts", "most_common"]
