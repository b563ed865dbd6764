"""Each process's in-memory copy of the documents' vectors and words, following the database.

The index remembers the last revision it loaded. Before answering it reads the revision row
(one small query); when the number moved it loads only the documents written since (tombstones
included) and applies them in revision order. A new epoch (a new or flushed database) reloads
everything. Vectors live as one float32 matrix with free rows reused, so a refresh that brings a
few documents costs a few row writes, not a rebuild; the words of the same rows are indexed for
BM25 (words.py). Both rankings run here, restricted to the rows the viewer may use.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from impactcircle.core.models import SearchDocument, SearchRevision
from impactcircle.core.search.registry import DocumentAccess, searchable_type
from impactcircle.core.search.terms import QueryTerms
from impactcircle.core.search.words import WordIndex

logger = logging.getLogger(__name__)
FloatVector = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
_UNUSED = -1


@dataclass(frozen=True)
class IndexHit:
    """A document found by words or by meaning, with its score in that list."""

    object_id: int
    document_id: int
    score: float


class LiveIndex:
    _document_ids: IntArray
    _object_ids: IntArray
    _types: IntArray
    _audiences: IntArray
    _ranks: IntArray
    _owners: IntArray
    _vectors: npt.NDArray[np.float32]

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset(dim=0)

    def _reset(self, dim: int) -> None:
        self.revision = 0
        self.epoch = ""
        self._dim = dim
        self._rows: dict[tuple[int, int, int], int] = {}  # (type, object, audience) → row
        self._free: list[int] = []
        self._size = 0
        self._codes: dict[str, int] = {}  # type names and audiences → small ints
        self._words = WordIndex()
        self._allocate(0)

    def _allocate(self, capacity: int) -> None:
        """Grow every column to `capacity` rows (or create them empty), keeping what is there."""

        def grown(old: npt.NDArray[np.int64] | None, fill: int) -> npt.NDArray[np.int64]:
            new = np.full(capacity, fill, dtype=np.int64)
            if old is not None:
                new[: len(old)] = old
            return new

        fresh = capacity == 0
        self._document_ids = grown(None if fresh else self._document_ids, _UNUSED)
        self._object_ids = grown(None if fresh else self._object_ids, 0)
        self._types = grown(None if fresh else self._types, _UNUSED)
        self._audiences = grown(None if fresh else self._audiences, _UNUSED)
        self._ranks = grown(None if fresh else self._ranks, 0)
        self._owners = grown(None if fresh else self._owners, _UNUSED)
        vectors = np.zeros((capacity, self._dim), dtype=np.float32)
        if not fresh:
            vectors[: len(self._vectors)] = self._vectors
        self._vectors = vectors

    def _code(self, name: str) -> int:
        return self._codes.setdefault(name, len(self._codes))

    def __len__(self) -> int:
        return len(self._rows)

    # -- following the database --------------------------------------------------------------

    def refresh(self) -> None:
        """Bring the index up to the database's revision: one query when nothing changed."""
        current = SearchRevision.objects.filter(pk=1).values_list("value", "epoch").first()
        value, epoch = current if current is not None else (0, "")
        with self._lock:
            if epoch != self.epoch:
                self._reset(dim=self._dim)
                self.epoch = epoch
            if value == self.revision:
                return
            changed = (
                SearchDocument.objects.filter(revision__gt=self.revision, revision__lte=value)
                .order_by("revision", "id")
                .values_list(
                    "id",
                    "type_name",
                    "object_id",
                    "audience",
                    "owner_key",
                    "vector",
                    "is_deleted",
                    "title",
                    "body",
                )
            )
            for row in changed.iterator(chunk_size=5000):
                self._apply(*row)
            self._words.settle()
            self.revision = value

    def _apply(
        self,
        document_id: int,
        type_name: str,
        object_id: int,
        audience: str,
        owner_key: int | None,
        vector: bytes | memoryview,
        is_deleted: bool,
        title: str = "",
        body: str = "",
    ) -> None:
        key = (self._code(type_name), object_id, self._code(audience))
        row = self._rows.get(key)
        if is_deleted or not vector:
            if row is not None:
                del self._rows[key]
                self._document_ids[row] = _UNUSED
                self._types[row] = _UNUSED
                self._words.clear_row(row)
                self._free.append(row)
            return
        values = np.frombuffer(bytes(vector), dtype=np.float16).astype(np.float32)
        if self._dim == 0:
            self._dim = len(values)
            self._vectors = np.zeros((len(self._document_ids), self._dim), dtype=np.float32)
        if row is None:
            if self._free:
                row = self._free.pop()
            else:
                if self._size == len(self._document_ids):
                    self._allocate(max(1024, 2 * self._size))
                row = self._size
                self._size += 1
            self._rows[key] = row
        try:
            rank = searchable_type(type_name).audience_rank(audience)
        except LookupError:
            rank = 0
        self._document_ids[row] = document_id
        self._object_ids[row] = object_id
        self._types[row] = key[0]
        self._audiences[row] = key[2]
        self._ranks[row] = rank
        self._owners[row] = _UNUSED if owner_key is None else owner_key
        self._vectors[row] = values
        self._words.set_row(row, title, body)

    # -- answering ----------------------------------------------------------------------------

    def usable_rows(self, type_name: str, access: DocumentAccess) -> IntArray:
        """Rows of the documents of this type that the viewer may use, keeping per object only
        the most inclusive one."""
        size = self._size
        if type_name not in self._codes:
            return np.zeros(0, dtype=np.int64)
        usable = self._types[:size] == self._codes[type_name]
        if not access.everything:
            allowed = np.zeros(size, dtype=bool)
            open_codes = [self._codes[a] for a in access.open_audiences if a in self._codes]
            if open_codes:
                allowed |= np.isin(self._audiences[:size], open_codes)
            for audience, owners in access.granted.items():
                if audience in self._codes and owners:
                    allowed |= (self._audiences[:size] == self._codes[audience]) & np.isin(
                        self._owners[:size], np.fromiter(owners, dtype=np.int64, count=len(owners))
                    )
            usable &= allowed
        rows = np.flatnonzero(usable)
        ranks = self._ranks[rows]
        wider = ranks > 0
        if not wider.any():
            return rows
        # Several usable documents for some objects: keep the highest rank of each object.
        objects = self._object_ids[rows]
        order = np.lexsort((-ranks, objects))
        first = np.ones(len(order), dtype=bool)
        first[1:] = objects[order][1:] != objects[order][:-1]
        return np.sort(rows[order[first]])

    def _best(
        self,
        rows: IntArray,
        scores: npt.NDArray[np.floating[Any]],
        limit: int,
        *,
        floor: float,
        strict: bool,
    ) -> list[IndexHit]:
        """The `limit` rows of the highest scores at least (or, `strict`, above) `floor`, best
        first, ties broken by object id."""
        keep = scores > floor if strict else scores >= floor
        candidates, candidate_scores = rows[keep], scores[keep]
        if len(candidates) > limit:
            top = np.argpartition(-candidate_scores, limit - 1)[:limit]
            candidates, candidate_scores = candidates[top], candidate_scores[top]
        objects = self._object_ids[candidates]
        order = np.lexsort((objects, -candidate_scores))
        return [
            IndexHit(object_id, document_id, score)
            for object_id, document_id, score in zip(
                objects[order].tolist(),
                self._document_ids[candidates[order]].tolist(),
                candidate_scores[order].tolist(),
                strict=True,
            )
        ]

    def rank(
        self,
        type_name: str,
        terms: QueryTerms,
        query: FloatVector,
        access: DocumentAccess,
        *,
        limit: int,
        min_score: float,
    ) -> tuple[list[IndexHit], list[IndexHit]]:
        """Among the documents of this type the viewer may use (per object the most inclusive
        one): the `limit` closest in meaning (cosine at least `min_score`) and the `limit` best
        by words (BM25 above 0), each best first, ties broken by object id."""
        with self._lock:
            rows = self.usable_rows(type_name, access)
            if len(rows) == 0:
                return [], []
            word_scores = self._words.scores(terms, self._size)[rows]
            by_words = self._best(rows, word_scores, limit, floor=0.0, strict=True)
            if self._dim == 0:
                return [], by_words
            # One product over every row (no copy of the matrix), then keep the usable ones.
            meaning = (self._vectors[: self._size] @ query.astype(np.float32))[rows]
            by_meaning = self._best(rows, meaning, limit, floor=min_score, strict=False)
        return by_meaning, by_words


_index = LiveIndex()


def live_index() -> LiveIndex:
    """This process's index (one per process, shared by its threads)."""
    return _index


def warm_in_background() -> threading.Thread:
    """Load this process's index in a thread of its own (a web worker calls this when it
    starts): at 100,000 people the first load takes seconds, which no search should wait for."""

    def warm() -> None:
        try:
            _index.refresh()
        except Exception:  # a database not migrated yet, say: the first search will load it
            logger.warning("Could not load the search index ahead of use.", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=warm, name="search-index-warm-up", daemon=True)
    thread.start()
    return thread
