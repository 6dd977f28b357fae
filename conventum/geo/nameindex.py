"""Look-ups by name without an index built at run time: the data file holds each table's folded
names in sorted order, each with the position of its row, and a name is found by bisection."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class NameIndex:
    """Folded names, sorted, and the position of the row bearing each (several rows may share one)."""

    keys: list[str]
    positions: list[int]

    def get(self, key: str) -> list[int]:
        """The positions of the rows of that folded name, in table order.

        >>> NameIndex(["arras", "lens", "lens"], [0, 2, 1]).get("lens")
        [1, 2]
        """
        start = bisect_left(self.keys, key)
        return sorted(self.positions[start : bisect_right(self.keys, key, lo=start)])

    def starting_with(self, prefix: str) -> list[str]:
        """The distinct folded names that start with ``prefix``.

        >>> NameIndex(["arras", "le portel", "le touquet", "lens"], [0, 1, 2, 3]).starting_with("le ")
        ['le portel', 'le touquet']
        """
        start = bisect_left(self.keys, prefix)
        end = bisect_left(self.keys, prefix + "\U0010ffff", lo=start)
        return list(dict.fromkeys(self.keys[start:end]))

    @cached_property
    def names(self) -> list[str]:
        """Every distinct folded name, sorted."""
        return list(dict.fromkeys(self.keys))


def build_index(keys: list[str]) -> tuple[str, list[int]]:
    """What the data file stores for folded names given in table order: the names sorted, one per
    line, and the positions of their rows.

    >>> build_index(["lens", "arras", "lens"])
    ('arras\\nlens\\nlens', [1, 0, 2])
    """
    order = sorted(range(len(keys)), key=lambda position: (keys[position], position))
    return "\n".join(keys[position] for position in order), order
