"""Searchable types: what a module registers at start-up so that core.search can index it.

A type says how to describe its objects as documents (one per audience), which ids exist, how to
narrow a set of ids by its own filters, and in which order its audiences include one another.
Who may use which document is a `DocumentAccess`, built by the type's module for one viewer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q


@dataclass(frozen=True, slots=True)
class Document:
    """What one audience may find of one object.

    `owner_key` is whatever the type's access rule keys audiences on (for a profile: its
    person's user id; for a post in a private space it could be the space's id). Words are
    searched in `title` and `body`; meaning is taken from `meaning`, or from `body` when it is
    empty (labels such as "Skill:" repeated in every document only blur meaning).
    """

    object_id: int
    audience: str
    owner_key: int | None
    title: str
    body: str
    meaning: str = ""


@dataclass(frozen=True)
class DocumentAccess:
    """Which documents one viewer may use.

    A document is usable when the viewer sees `everything`, when its audience is one of
    `open_audiences`, or when its owner key is granted for its audience in `granted`.
    """

    everything: bool = False
    open_audiences: frozenset[str] = frozenset()
    granted: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def allows(self, audience: str, owner_key: int | None) -> bool:
        if self.everything or audience in self.open_audiences:
            return True
        return owner_key is not None and owner_key in self.granted.get(audience, frozenset())

    def as_q(self, prefix: str = "") -> Q:
        """The same rule as a filter on SearchDocument (or a relation to it through `prefix`)."""
        if self.everything:
            return Q()
        rule = Q(**{f"{prefix}audience__in": sorted(self.open_audiences)})
        for audience, owners in sorted(self.granted.items()):
            if owners:
                rule |= Q(
                    **{f"{prefix}audience": audience, f"{prefix}owner_key__in": sorted(owners)}
                )
        return rule


type DocumentSource = Callable[[Sequence[int]], Iterable[Document]]
type IdSource = Callable[[], Iterable[int]]
type ObjectFilter = Callable[[Collection[int], Any], set[int]]


@dataclass(frozen=True)
class SearchableType:
    """A kind of object that core.search indexes and ranks.

    - `documents(ids)` yields the documents of those objects (none for an object that is gone or
      must not be found: its old documents become tombstones);
    - `all_ids()` yields every object id, for `impactcircle reindex`;
    - `audiences` lists the audiences from least to most inclusive: when a viewer may use several
      documents of one object, the most inclusive one counts;
    - `filter_objects(ids, filters)` keeps the ids that pass the type's own filters (e.g. the
      directory's department or language), in one query;
    - `filters` names those filters, for the docs and the API.
    """

    name: str
    documents: DocumentSource
    all_ids: IdSource
    audiences: tuple[str, ...]
    filter_objects: ObjectFilter | None = None
    filters: tuple[str, ...] = ()

    def audience_rank(self, audience: str) -> int:
        return self.audiences.index(audience) if audience in self.audiences else 0


_types: dict[str, SearchableType] = {}


class UnknownSearchableTypeError(LookupError):
    """No module registered a searchable type of that name."""


def register_searchable_type(searchable: SearchableType) -> None:
    """Called from an AppConfig.ready(); registering the same name again replaces it."""
    _types[searchable.name] = searchable


def unregister_searchable_type(name: str) -> None:
    _types.pop(name, None)


def searchable_type(name: str) -> SearchableType:
    try:
        return _types[name]
    except KeyError:
        known = ", ".join(sorted(_types)) or "none"
        raise UnknownSearchableTypeError(
            f"No searchable type {name!r} (registered: {known})."
        ) from None


def registered_types() -> list[str]:
    return sorted(_types)
