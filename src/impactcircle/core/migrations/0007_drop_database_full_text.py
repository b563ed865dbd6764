"""Words are ranked in each process's memory now (core/search/words.py, ADR 0004's addendum):
the database's full-text structures are no longer read, so they go, with the triggers that
wrote them on every document change.

SQLite: the FTS5 table and its three triggers (migration 0005). PostgreSQL: the narrow table of
tsvectors, its trigger and function (migration 0006). Reversing recreates both and fills them
from the documents.
"""

import importlib

from django.db import migrations

_search_index = importlib.import_module("impactcircle.core.migrations.0005_search_index")
_search_text = importlib.import_module("impactcircle.core.migrations.0006_search_text_table")

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS core_searchtext_sync ON core_searchdocument",
    "DROP FUNCTION IF EXISTS core_searchtext_sync()",
]
POSTGRESQL_RECREATE = [
    "ALTER TABLE core_searchtext ALTER COLUMN search_vector TYPE tsvector "
    "USING search_vector::tsvector",
    *_search_text.FORWARD[1:3],  # the function and the trigger
    "INSERT INTO core_searchtext (document_id, search_vector) SELECT id, "
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B') FROM core_searchdocument",
    "CREATE INDEX core_searchtext_search_vector ON core_searchtext USING GIN (search_vector)",
]
SQLITE_RECREATE = [
    *_search_index.SQLITE_FORWARD,
    "INSERT INTO core_searchdocument_fts(core_searchdocument_fts) VALUES ('rebuild')",
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_search_text_table"),
    ]

    operations = [
        migrations.RunPython(
            _search_index._run(
                {"sqlite": _search_index.SQLITE_BACKWARD, "postgresql": POSTGRESQL_DROP}
            ),
            _search_index._run({"sqlite": SQLITE_RECREATE, "postgresql": POSTGRESQL_RECREATE}),
        ),
        migrations.DeleteModel(name="SearchText"),
    ]
