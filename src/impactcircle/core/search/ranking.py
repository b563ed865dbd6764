"""Answering a search: words and meaning, each restricted to what the viewer may use, fused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from impactcircle.core.search.live_index import live_index
from impactcircle.core.search.registry import DocumentAccess, searchable_type
from impactcircle.core.search.terms import QueryTerms
from impactcircle.engine.text import default_embedder

CANDIDATES = 1000
RRF_K = 60
# Cosine similarity (wordllama, 256-d) under which closeness in meaning is noise: measured on
# profile texts (labels stripped), unrelated queries score below about 0.15 and related ones
# from about 0.2 ("reducing emissions in logistics" against "cut carbon from our truck fleet").
MIN_MEANING_SCORE = 0.2
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    """One object found, with the document that counted for this viewer and why."""

    object_id: int
    document_id: int
    score: float
    by_words: bool
    by_meaning: bool


def search(
    type_name: str,
    text: str,
    access: DocumentAccess,
    *,
    filters: Any = None,
    limit: int = CANDIDATES,
) -> list[SearchHit]:
    """Objects of a type matching `text`, best first (ties by object id), at most `limit`.

    Only documents the viewer may use take part (`access`), and per object only the most
    inclusive of them, so a hidden field never makes an object match. Words (BM25) and meaning
    (cosine) both rank in this process's index, refreshed from the database first; the two
    lists are fused by reciprocal rank (k = 60). `filters` go to the type's `filter_objects`,
    which keeps the ids that pass them.
    """
    searchable = searchable_type(type_name)
    text = text.strip()[:MAX_QUERY_LENGTH]
    terms = QueryTerms.parse(text)
    if not terms:  # nothing but stop words: no words to find and no meaning worth ranking
        return []
    index = live_index()
    index.refresh()
    by_meaning, by_words = index.rank(
        type_name,
        terms,
        default_embedder().embed([text])[0],
        access,
        limit=limit,
        min_score=MIN_MEANING_SCORE,
    )
    fused: dict[int, float] = {}
    documents: dict[int, int] = {}
    found_by_words: set[int] = set()
    for position, hit in enumerate(by_words):
        fused[hit.object_id] = fused.get(hit.object_id, 0.0) + 1.0 / (RRF_K + position + 1)
        documents[hit.object_id] = hit.document_id
        found_by_words.add(hit.object_id)
    found_by_meaning: set[int] = set()
    for position, hit in enumerate(by_meaning):
        fused[hit.object_id] = fused.get(hit.object_id, 0.0) + 1.0 / (RRF_K + position + 1)
        documents.setdefault(hit.object_id, hit.document_id)
        found_by_meaning.add(hit.object_id)
    if filters is not None and searchable.filter_objects is not None:
        passing = searchable.filter_objects(list(fused), filters)
        fused = {key: value for key, value in fused.items() if key in passing}
    ordered = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [
        SearchHit(
            object_id=object_id,
            document_id=documents[object_id],
            score=score,
            by_words=object_id in found_by_words,
            by_meaning=object_id in found_by_meaning,
        )
        for object_id, score in ordered
    ]
