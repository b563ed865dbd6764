"""The worker's part of search: rebuilding documents after a change."""

from __future__ import annotations

from django.tasks import task

from impactcircle.core.search.indexing import index_now, reindex
from impactcircle.core.tasks import BULK, BULK_PRIORITY


@task(queue_name=BULK, priority=BULK_PRIORITY)
def rebuild_search_documents(*, type_name: str, ids: list[int]) -> int:
    """(Re)build the documents of these objects, in batches; returns the documents written."""
    return index_now(type_name, ids)


@task(queue_name=BULK, priority=BULK_PRIORITY)
def rebuild_search_index(*, type_name: str) -> int:
    """Rebuild every document of a type (queued after `migrate` when a type has none)."""
    return reindex(type_name)
