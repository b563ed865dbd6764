"""Writing the index: documents of given ids, in batches, each batch one revision."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.db import transaction

from impactcircle.core.models import SearchDocument, SearchRevision
from impactcircle.core.search.registry import Document, registered_types, searchable_type
from impactcircle.engine.text import default_embedder

BATCH_SIZE = 1000


def next_revision() -> int:
    """Take the revision row's lock and move it on: call inside the indexing transaction, so
    revisions are handed out in commit order and a reader that sees a number sees its rows."""
    row = SearchRevision.objects.select_for_update().filter(pk=1).first()
    if row is None:
        row = SearchRevision.objects.create(pk=1, value=0, epoch=uuid.uuid4().hex)
    row.value += 1
    row.save(update_fields=["value"])
    return row.value


def _vectors(documents: Sequence[Document]) -> list[bytes]:
    texts = [document.meaning or document.body for document in documents]
    unique = list(dict.fromkeys(texts))  # many documents share a text; embed each text once
    matrix = default_embedder().embed(unique).astype(np.float16)
    by_text = {text: row.tobytes() for text, row in zip(unique, matrix, strict=True)}
    return [by_text[text] for text in texts]


def _index_batch(type_name: str, ids: Sequence[int]) -> int:
    documents = list(searchable_type(type_name).documents(ids))
    vectors = _vectors(documents)
    with transaction.atomic():
        revision = next_revision()
        mine = SearchDocument.objects.filter(type_name=type_name, object_id__in=ids)
        before = set(mine.filter(is_deleted=False).values_list("object_id", "audience"))
        # Rewritten documents get new rows (processes follow them by type, object and audience);
        # documents that no longer exist leave a tombstone so that every process drops them.
        mine.delete()
        rows = [
            SearchDocument(
                type_name=type_name,
                object_id=document.object_id,
                audience=document.audience,
                owner_key=document.owner_key,
                title=document.title[:300],
                body=document.body,
                vector=vector,
                revision=revision,
            )
            for document, vector in zip(documents, vectors, strict=True)
        ]
        gone = before - {(document.object_id, document.audience) for document in documents}
        rows += [
            SearchDocument(
                type_name=type_name,
                object_id=object_id,
                audience=audience,
                revision=revision,
                is_deleted=True,
            )
            for object_id, audience in sorted(gone)
        ]
        SearchDocument.objects.bulk_create(rows, batch_size=500)
    return len(documents)


def index_now(type_name: str, ids: Iterable[int], *, batch_size: int = BATCH_SIZE) -> int:
    """(Re)build the documents of these objects now; returns how many documents were written.
    Each batch is one transaction and one revision."""
    searchable_type(type_name)  # fail early on an unknown name
    ordered = sorted(set(ids))
    written = 0
    for start in range(0, len(ordered), batch_size):
        written += _index_batch(type_name, ordered[start : start + batch_size])
    return written


def reindex(type_name: str, *, batch_size: int = BATCH_SIZE) -> int:
    """Rebuild every document of a type: current objects rewritten, vanished ones tombstoned."""
    ids = set(searchable_type(type_name).all_ids())
    indexed = SearchDocument.objects.filter(type_name=type_name, is_deleted=False).values_list(
        "object_id", flat=True
    )
    return index_now(type_name, ids | set(indexed), batch_size=batch_size)


def index_later(type_name: str, ids: Iterable[int]) -> None:
    """Rebuild these objects' documents in the worker once the current transaction commits.

    Published as the event `core.search_documents_stale` (durable, retried; see `events.py`).
    """
    from impactcircle.core.events import publish
    from impactcircle.core.search.events import SearchDocumentsStale

    searchable_type(type_name)  # an unknown type is the caller's bug, found here, not later
    wanted = tuple(sorted(set(ids)))
    if wanted:
        publish(SearchDocumentsStale(type_name=type_name, object_ids=wanted))


def enqueue_missing_indexes(**_signal: Any) -> list[str]:
    """After `migrate`: queue a full rebuild of every type that has objects but no documents
    at all (a database from before search, or restored without its index). Returns the types
    queued; costs one or two small queries per type when there is nothing to do."""
    from impactcircle.core.search.tasks import rebuild_search_index

    queued = []
    for name in registered_types():
        if SearchDocument.objects.filter(type_name=name).exists():
            continue
        if next(iter(searchable_type(name).all_ids()), None) is None:
            continue
        rebuild_search_index.enqueue(type_name=name)
        queued.append(name)
    return queued
