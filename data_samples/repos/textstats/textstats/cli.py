"""Command line entry point: print the most common words of a file."""

import argparse
import sys

from textstats.counts import most_common, vocabulary_richness


def main(argv=None):
    parser = argparse.ArgumentParser(description="word statistics for a text file")
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=10, help="how many words to show")
    args = parser.parse_args(argv)
    with open(args.path, encoding="utf-8") as handle:
        text = handle.read()
    for word, count in most_common(text, args.n):
        print(f"{count:6d}  {word}")
    print(f"richness: {vocabulary_richness(text):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
