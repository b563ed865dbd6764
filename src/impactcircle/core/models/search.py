"""The search index: one row per (searchable type, object, audience), and the revision counter.

Each process ranks the documents' words and vectors in memory (core/search/live_index.py),
following these rows by revision; the database holds no full-text structure of its own since
migration 0007.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """What one audience may find of one object: its title, its text and its meaning (vector).

    `audience` and `owner_key` decide who may use the document (see core.search.DocumentAccess);
    `revision` says in which indexing transaction it last changed, and `is_deleted` marks a
    tombstone so that every process's in-memory index drops it too.
    """

    type_name = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    audience = models.CharField(max_length=30)
    owner_key = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    vector = models.BinaryField(blank=True, default=b"", help_text="float16 bytes, unit length")
    revision = models.BigIntegerField(db_index=True)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["type_name", "object_id", "audience"], name="core_unique_search_document"
            )
        ]
        indexes = [
            models.Index(
                fields=["type_name", "audience", "owner_key"], name="core_search_type_na_5b1f0c_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type_name} {self.object_id} ({self.audience})"


class SearchRevision(models.Model):
    """One row: the number of the last indexing transaction (incremented under a row lock).

    `epoch` changes whenever the row is created afresh (a new database, a flushed test
    database), so a process never mistakes another history's revision number for its own.
    """

    value = models.BigIntegerField(default=0)
    epoch = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"search revision {self.value}"
