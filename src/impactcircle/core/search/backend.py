"""Full-text ranking in the database's own engine: SQLite FTS5 or PostgreSQL tsvector.

The structures are created by migrations core 0005 and 0006: an FTS5 table on SQLite, a narrow
table of tsvectors with a GIN index on PostgreSQL, each kept in step by triggers. This module
holds the only queries that read them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from impactcircle.core.models import SearchDocument
from impactcircle.core.search.terms import QueryTerms

MIN_PREFIX_LENGTH = 3


def _is_prefix(terms: QueryTerms, position: int) -> bool:
    # Only the last word may still be being typed (the page searches as you type): it also
    # matches as a prefix, so "sustain" finds "sustainability". Stemming covers the others.
    return position == len(terms.words) - 1 and len(terms.words[position]) >= MIN_PREFIX_LENGTH


def _sqlite_match(terms: QueryTerms) -> str:
    # Each word quoted (no FTS5 syntax from users); any of them may match.
    return " OR ".join(
        f'"{word}"*' if _is_prefix(terms, position) else f'"{word}"'
        for position, word in enumerate(terms.words)
    )


def _postgresql_query(terms: QueryTerms) -> str:
    return " | ".join(
        f"{word}:*" if _is_prefix(terms, position) else word
        for position, word in enumerate(terms.words)
    )


def ranked_by_words(
    terms: QueryTerms, usable: QuerySet[SearchDocument] | None, limit: int
) -> list[int]:
    """Ids of the best `limit` documents that contain any of the words, best first, ties
    broken by id, in one query: among `usable` only, or among all documents when it is None
    (faster on SQLite, which then reads no document row; the caller filters)."""
    if not terms:
        return []
    where_sql: str = "TRUE"
    where_params: list[Any] = []
    if usable is not None:
        # The access filter, compiled by Django as a WHERE clause on core_searchdocument
        # (values stay parameters), applied to the matched rows only.
        query = usable.query
        where_sql, compiled_params = query.get_compiler(connection=connection).compile(query.where)
        where_params = list(compiled_params)
    params: list[Any]
    if connection.vendor == "postgresql" and usable is None:
        # The narrow table of vectors alone (migration 0006): a common word's matches are read
        # from 73 MB instead of the documents' 199 MB at 100,000 people.
        sql = (
            "SELECT document_id FROM core_searchtext, to_tsquery('english', %s) q "
            "WHERE search_vector @@ q "
            "ORDER BY ts_rank(search_vector, q) DESC, document_id LIMIT %s"
        )
        params = [_postgresql_query(terms), limit]
    elif connection.vendor == "postgresql":
        sql = (
            "SELECT core_searchtext.document_id FROM core_searchtext "  # noqa: S608  (see above)
            "JOIN core_searchdocument ON core_searchdocument.id = core_searchtext.document_id, "
            "to_tsquery('english', %s) q "
            f"WHERE core_searchtext.search_vector @@ q AND ({where_sql}) "
            "ORDER BY ts_rank(core_searchtext.search_vector, q) DESC, "
            "core_searchtext.document_id LIMIT %s"
        )
        params = [_postgresql_query(terms), *where_params, limit]
    elif usable is None:
        sql = (
            "SELECT rowid FROM core_searchdocument_fts WHERE core_searchdocument_fts MATCH %s "
            "ORDER BY bm25(core_searchdocument_fts, 4.0, 1.0), rowid LIMIT %s"
        )
        params = [_sqlite_match(terms), limit]
    else:
        sql = (
            "SELECT core_searchdocument_fts.rowid FROM core_searchdocument_fts "  # noqa: S608  (see above)
            "JOIN core_searchdocument ON core_searchdocument.id = core_searchdocument_fts.rowid "
            f"WHERE core_searchdocument_fts MATCH %s AND ({where_sql}) "
            "ORDER BY bm25(core_searchdocument_fts, 4.0, 1.0), core_searchdocument_fts.rowid "
            "LIMIT %s"
        )
        params = [_sqlite_match(terms), *where_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def id_list(ids: Sequence[int]) -> RawSQL:
    """A subquery of these ids as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): `filter(pk__in=id_list(ids))` stays fast with a thousand candidates, where a
    thousand separate parameters cost more to compile than to run."""
    if connection.vendor == "postgresql":
        # An array literal of integers (made here from ints, so nothing to escape): psycopg's
        # element-by-element adaptation of a Python list cost 10 ms for a thousand ids.
        literal = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        return RawSQL("SELECT unnest(%s::bigint[])", [literal])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])
