"""Full-text ranking in the database's own engine: SQLite FTS5 or PostgreSQL tsvector.

The structures are created by migration core 0005 (an FTS5 table kept in step by triggers; a
generated tsvector column with a GIN index). This module holds the only queries that read them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from impactcircle.core.models import SearchDocument
from impactcircle.core.search.terms import QueryTerms

MIN_PREFIX_LENGTH = 3


def _sqlite_match(terms: QueryTerms) -> str:
    # Each word quoted (no FTS5 syntax from users), any of them may match; longer words also
    # match as prefixes so that "sustain" finds "sustainability" while someone types.
    return " OR ".join(
        f'"{word}"*' if len(word) >= MIN_PREFIX_LENGTH else f'"{word}"' for word in terms.words
    )


def _postgresql_query(terms: QueryTerms) -> str:
    return " | ".join(
        f"{word}:*" if len(word) >= MIN_PREFIX_LENGTH else word for word in terms.words
    )


def ranked_by_words(terms: QueryTerms, usable: QuerySet[SearchDocument], limit: int) -> list[int]:
    """Ids of the best `limit` documents among `usable` that contain any of the words, best
    first, ties broken by id. One query."""
    if not terms:
        return []
    # The access filter, compiled by Django as a WHERE clause on core_searchdocument (values
    # stay parameters) and applied to the matched rows only: never materialise every usable id.
    query = usable.query
    where_sql, where_params = query.get_compiler(connection=connection).compile(query.where)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT core_searchdocument.id FROM core_searchdocument, "  # noqa: S608  (see above)
            "to_tsquery('english', %s) q "
            f"WHERE core_searchdocument.search_vector @@ q AND ({where_sql}) "
            "ORDER BY ts_rank(core_searchdocument.search_vector, q) DESC, "
            "core_searchdocument.id LIMIT %s"
        )
        params = [_postgresql_query(terms), *where_params, limit]
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
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])
