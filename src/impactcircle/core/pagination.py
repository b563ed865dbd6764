"""Long lists that stay fast at company scale: counted up to a cap and paged within it
(`CappedPaginator`), or shown as their first rows with a note that there are more
(`first_rows`: reads `limit + 1` rows, one query, no count).

Counting 100,000 rows and skipping tens of thousands of them for a deep page costs more than
the page itself (the directory's plain list: 45 ms to count, 46 ms to sort at 100,000 people on
PostgreSQL). Nobody pages through 4,000 pages of names; past the cap a list asks for a filter
or a search instead ("More than 1,000 people: narrow the list"), as search results already do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.core.paginator import Paginator
from django.db.models import QuerySet

LIST_CAP = 1000


class CappedPaginator(Paginator[Any]):
    """A paginator over at most `cap` items; `is_capped` says more exist.

    Counts with `COUNT(*)` over `LIMIT cap + 1` (an index walk, not a scan of every row) and
    pages only within the first `cap` items, so the deepest page's OFFSET is bounded too.
    """

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = LIST_CAP if cap is None else cap

    @cached_property
    def _bounded_count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Any cap + 1 rows tell the count: no ordering, so no sort of every match.
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def is_capped(self) -> bool:
        return self._bounded_count > self.cap


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
