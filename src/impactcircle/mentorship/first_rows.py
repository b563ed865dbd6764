"""Long lists on mentorship pages show their first rows and say when there are more.

`first_rows(items, limit)` reads at most `limit + 1` rows (a slice of a queryset: one query, no
count) and keeps `limit`; `has_more` tells the template to say that the list goes on. It
iterates, has a length and is false when empty, like the list it replaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol


class Sliceable[T](Protocol):
    """A queryset or a list: what slicing gives can be iterated."""

    def __getitem__(self, index: slice, /) -> Iterable[T]: ...


@dataclass(frozen=True)
class FirstRows[T]:
    rows: tuple[T, ...]
    limit: int
    has_more: bool

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def first_rows[T](items: Sliceable[T], limit: int) -> FirstRows[T]:
    """The first `limit` of `items` (a queryset or a list), and whether there were more."""
    fetched = list(items[: limit + 1])
    return FirstRows(tuple(fetched[:limit]), limit, len(fetched) > limit)
