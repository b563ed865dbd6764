"""PostgreSQL: the full-text vectors move from a column of core_searchdocument to a narrow table.

A query matching a common word ("data": 40,000 of 105,000 documents) has to read and rank every
match; with the vector beside each document's body, title and meaning vector the scan read
199 MB, in a table of only (document id, tsvector) it reads 73 MB. The table is kept in step by
a trigger, as SQLite's FTS5 table is (migration 0005), and follows deletions by its foreign key
(ON DELETE CASCADE). On SQLite the table is created and stays empty.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = [
    "ALTER TABLE core_searchtext ALTER COLUMN search_vector TYPE tsvector "
    "USING search_vector::tsvector",
    "CREATE FUNCTION core_searchtext_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO core_searchtext (document_id, search_vector) VALUES (NEW.id, "
    "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(NEW.body, '')), 'B')) "
    "ON CONFLICT (document_id) DO UPDATE SET search_vector = EXCLUDED.search_vector; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER core_searchtext_sync AFTER INSERT OR UPDATE OF title, body "
    "ON core_searchdocument FOR EACH ROW EXECUTE FUNCTION core_searchtext_sync()",
    "INSERT INTO core_searchtext (document_id, search_vector) "
    "SELECT id, search_vector FROM core_searchdocument",
    "CREATE INDEX core_searchtext_search_vector ON core_searchtext USING GIN (search_vector)",
    "DROP INDEX IF EXISTS core_searchdocument_search_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ANALYZE core_searchtext",
]
BACKWARD = [
    "ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX core_searchdocument_search_vector ON core_searchdocument "
    "USING GIN (search_vector)",
    "DROP TRIGGER IF EXISTS core_searchtext_sync ON core_searchdocument",
    "DROP FUNCTION IF EXISTS core_searchtext_sync()",
    "DROP INDEX IF EXISTS core_searchtext_search_vector",
    "ALTER TABLE core_searchtext ALTER COLUMN search_vector TYPE text",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DB_CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="core.searchdocument",
                    ),
                ),
                (
                    "search_vector",
                    models.TextField(help_text="tsvector on PostgreSQL (migration 0006)"),
                ),
            ],
        ),
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD)),
    ]
