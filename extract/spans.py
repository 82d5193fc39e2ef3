"""Sets of character spans with logarithmic look-ups, so rules stay linear on very long texts."""
from __future__ import annotations

from bisect import bisect_right


class Spans:
    """Half-open spans [a, b); answers "is this position / range covered?" by bisection."""

    def __init__(self, spans=()):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in sorted(spans):
            if self._ends and a <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], b)  # merge overlapping spans
            else:
                self._starts.append(a)
                self._ends.append(b)

    def contains(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_right(self._starts, a) - 1
        if i >= 0 and a < self._ends[i]:
            return True
        j = i + 1
        return j < len(self._starts) and self._starts[j] < b

    def add(self, a: int, b: int) -> None:
        """Add a span that overlaps none already there (callers check ``overlaps`` first)."""
        i = bisect_right(self._starts, a)
        self._starts.insert(i, a)
        self._ends.insert(i, b)

