"""SQL for a search's candidates: a thousand ids passed to the database as one parameter."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.db.models.expressions import RawSQL


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
