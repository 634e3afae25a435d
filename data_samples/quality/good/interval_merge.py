"""Merge overlapping intervals, as used when combining booked time slots."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Interval:
    """A closed interval [start, end] with start <= end."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"interval start {self.start} is after its end {self.end}")

    def overlaps(self, other: Interval) -> bool:
        return self.start <= other.end and other.start <= self.end


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """Return the union of ``intervals`` as sorted, non-overlapping intervals."""
    merged: list[Interval] = []
    for current in sorted(intervals):
        if merged and merged[-1].overlaps(current):
            last = merged.pop()
            current = Interval(last.start, max(last.end, current.end))
        merged.append(current)
    return merged
