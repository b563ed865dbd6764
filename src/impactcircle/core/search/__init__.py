"""Hybrid search for every module: full-text and meaning, fused, within what a viewer may see.

A module registers a `SearchableType` at start-up, calls `index_later(type_name, ids)` where its
searchable content or visibility changes, and asks `search(type_name, text, access)`.
See docs/search.md and docs/decisions/0004-search.md.
"""

from impactcircle.core.search.backend import id_list
from impactcircle.core.search.indexing import index_later, index_now, reindex
from impactcircle.core.search.ranking import MAX_QUERY_LENGTH, SearchHit, search
from impactcircle.core.search.registry import (
    Document,
    DocumentAccess,
    SearchableType,
    UnknownSearchableTypeError,
    register_searchable_type,
    registered_types,
    searchable_type,
    unregister_searchable_type,
)
from impactcircle.core.search.terms import QueryTerms

__all__ = [
    "MAX_QUERY_LENGTH",
    "Document",
    "DocumentAccess",
    "QueryTerms",
    "SearchHit",
    "SearchableType",
    "UnknownSearchableTypeError",
    "id_list",
    "index_later",
    "index_now",
    "register_searchable_type",
    "registered_types",
    "reindex",
    "search",
    "searchable_type",
    "unregister_searchable_type",
]
