"""Each process's in-memory copy of the documents' vectors, following the database.

The index remembers the last revision it loaded. Before answering it reads the revision row
(one small query); when the number moved it loads only the documents written since (tombstones
included) and applies them in revision order. A new epoch (a new or flushed database) reloads
everything. Vectors live as one float32 matrix with free rows reused, so a refresh that brings a
few documents costs a few row writes, not a rebuild.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from impactcircle.core.models import SearchDocument, SearchRevision
from impactcircle.core.search.registry import DocumentAccess, searchable_type

FloatVector = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
_UNUSED = -1


@dataclass(frozen=True)
class Scores:
    """A query's similarity to every row of the index, as it was at `generation`."""

    query: FloatVector
    generation: int
    values: FloatVector


@dataclass(frozen=True)
class MeaningHit:
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
        self._generation = getattr(self, "_generation", 0) + 1  # moves on every change of rows
        self.revision = 0
        self.epoch = ""
        self._dim = dim
        self._rows: dict[tuple[int, int, int], int] = {}  # (type, object, audience) → row
        self._by_document: IntArray | None = None  # rows sorted by document id, when known
        self._free: list[int] = []
        self._size = 0
        self._codes: dict[str, int] = {}  # type names and audiences → small ints
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
                    "id", "type_name", "object_id", "audience", "owner_key", "vector", "is_deleted"
                )
            )
            for row in changed.iterator(chunk_size=5000):
                self._apply(*row)
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
    ) -> None:
        key = (self._code(type_name), object_id, self._code(audience))
        row = self._rows.get(key)
        self._by_document = None
        self._generation += 1
        if is_deleted or not vector:
            if row is not None:
                del self._rows[key]
                self._document_ids[row] = _UNUSED
                self._types[row] = _UNUSED
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

    def _rows_by_document(self) -> IntArray:
        """Every row in order of its document id (free rows, id -1, first); kept until the
        next change."""
        if self._by_document is None:
            self._by_document = np.argsort(self._document_ids[: self._size], kind="stable")
        return self._by_document

    def _counted(self, rows: IntArray, word_document_ids: list[int]) -> list[MeaningHit]:
        if not word_document_ids or self._size == 0:
            return []
        wanted = np.asarray(word_document_ids, dtype=np.int64)
        by_document = self._rows_by_document()
        known = self._document_ids[by_document]
        at = np.minimum(np.searchsorted(known, wanted), len(known) - 1)
        found_rows = by_document[at]
        counted = np.zeros(self._size, dtype=bool)
        counted[rows] = True
        keep = (known[at] == wanted) & counted[found_rows]
        positions = np.flatnonzero(keep)
        objects = self._object_ids[found_rows[keep]]
        return [
            MeaningHit(object_id, document_id, -float(position))
            for object_id, document_id, position in zip(
                objects.tolist(), wanted[keep].tolist(), positions.tolist(), strict=True
            )
        ]

    def words_that_count(
        self, type_name: str, access: DocumentAccess, word_document_ids: list[int]
    ) -> list[MeaningHit]:
        """Of these documents (found by words, best first), those that count for the viewer."""
        with self._lock:
            return self._counted(self.usable_rows(type_name, access), word_document_ids)

    def _scores(self, query: FloatVector) -> Scores:
        # One product over every row (no copy of the matrix); numpy releases the GIL meanwhile.
        if self._dim == 0:  # nothing indexed yet
            return Scores(query, self._generation, np.zeros(self._size, dtype=np.float32))
        values = self._vectors[: self._size] @ query.astype(np.float32)
        return Scores(query, self._generation, values)

    def scores(self, query: FloatVector) -> Scores:
        """The query's similarity to every row: computed ahead (e.g. in another thread while
        the database ranks by words), then given to `rank`, which uses it if no row changed."""
        with self._lock:
            return self._scores(query)

    def rank(
        self,
        type_name: str,
        scores: Scores,
        access: DocumentAccess,
        *,
        limit: int,
        min_score: float,
        word_document_ids: list[int],
    ) -> tuple[list[MeaningHit], list[MeaningHit]]:
        """The `limit` usable documents closest in meaning (score at least `min_score`), best
        first with ties broken by object id; and, of `word_document_ids` (found by words, best
        first), those that count for the viewer (the most inclusive usable one of an object)."""
        with self._lock:
            rows = self.usable_rows(type_name, access)
            if len(rows) == 0 or self._dim == 0:
                return [], []
            by_words = self._counted(rows, word_document_ids)
            if scores.generation != self._generation:  # rows changed since: score them again
                scores = self._scores(scores.query)
            usable_scores = scores.values[rows]
            keep = usable_scores >= min_score
            candidates, candidate_scores = rows[keep], usable_scores[keep]
            if len(candidates) > limit:
                top = np.argpartition(-candidate_scores, limit - 1)[:limit]
                candidates, candidate_scores = candidates[top], candidate_scores[top]
            objects = self._object_ids[candidates]
            order = np.lexsort((objects, -candidate_scores))
            by_meaning = [
                MeaningHit(
                    int(objects[i]),
                    int(self._document_ids[candidates[i]]),
                    float(candidate_scores[i]),
                )
                for i in order
            ]
        return by_meaning, by_words


_index = LiveIndex()


def live_index() -> LiveIndex:
    """This process's index (one per process, shared by its threads)."""
    return _index
