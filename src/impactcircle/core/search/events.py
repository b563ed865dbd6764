"""Indexing from events: a change announces stale documents; the worker rebuilds them.

`index_later` publishes `SearchDocumentsStale` in the caller's transaction (core.events' outbox);
the subscriber below rebuilds those documents in the worker, retried with back-off if it fails,
so a saved change never waits for indexing and an index write that fails is not lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from impactcircle.core.events import DomainEvent, register_event, subscribe


@register_event("core.search_documents_stale")
@dataclass(frozen=True, kw_only=True)
class SearchDocumentsStale(DomainEvent):
    """The searchable content or visibility of these objects changed."""

    type_name: str
    object_ids: tuple[int, ...]


@subscribe(SearchDocumentsStale, name="core.search.rebuild_documents")
def rebuild_documents(event: SearchDocumentsStale) -> None:
    """Idempotent: the documents are rebuilt from the objects as they are now."""
    from impactcircle.core.search.indexing import index_now

    index_now(event.type_name, list(event.object_ids))
