"""Nearest neighbours by inner product: exact blocked top-k, and a faiss IVF index for scale.

Vectors are float32 rows; for cosine similarity pass L2-normalised rows (``Embedder`` output).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]
IdMatrix = npt.NDArray[np.int64]
BlockMask = Callable[[FloatMatrix, int, int], None]


def top_k_rows(scores: FloatMatrix, k: int) -> tuple[FloatMatrix, IdMatrix]:
    """The ``k`` largest entries of each row, best first (``-inf`` entries come last)."""
    n = scores.shape[1]
    k = min(k, n)
    if k == 0:
        return (
            np.zeros((scores.shape[0], 0), dtype=np.float32),
            np.zeros((scores.shape[0], 0), dtype=np.int64),
        )
    if k < n:
        ids = np.argpartition(scores, n - k, axis=1)[:, n - k :]
    else:
        ids = np.broadcast_to(np.arange(n), scores.shape).copy()
    values = np.take_along_axis(scores, ids, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    return np.take_along_axis(values, order, axis=1), np.take_along_axis(ids, order, axis=1)


def block_rows(n_rows: int, n_cols: int, budget: int = 1 << 24) -> int:
    """Rows per block so that one block of scores holds about ``budget`` floats."""
    return max(1, min(n_rows, budget // max(n_cols, 1)))


@dataclass(frozen=True, slots=True)
class ExactIndex:
    """Exact top-k by inner product over a fixed set of vectors, one matrix product per block."""

    vectors: FloatMatrix

    @classmethod
    def from_vectors(cls, vectors: npt.ArrayLike) -> ExactIndex:
        return cls(np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)))

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def search(
        self, queries: npt.ArrayLike, k: int, mask: BlockMask | None = None
    ) -> tuple[FloatMatrix, IdMatrix]:
        """Scores and ids of the ``k`` best vectors for every query, best first.

        ``mask(scores, start, stop)`` may set entries of a block to ``-inf`` in place to exclude
        them; excluded ids in the answer carry the score ``-inf``.
        """
        q = np.ascontiguousarray(np.asarray(queries, dtype=np.float32))
        k = min(k, len(self))
        out_scores = np.empty((q.shape[0], k), dtype=np.float32)
        out_ids = np.empty((q.shape[0], k), dtype=np.int64)
        step = block_rows(q.shape[0], len(self))
        for start in range(0, q.shape[0], step):
            stop = min(start + step, q.shape[0])
            block = q[start:stop] @ self.vectors.T
            if mask is not None:
                mask(block, start, stop)
            out_scores[start:stop], out_ids[start:stop] = top_k_rows(block, k)
        return out_scores, out_ids


def subset_inner_products(
    vectors: FloatMatrix, queries: FloatMatrix, ids: IdMatrix, chunk: int = 16384
) -> FloatMatrix:
    """``queries[i] · vectors[ids[i, j]]`` for every entry of ``ids`` (``-1`` gives ``-inf``).

    Runs in faiss without gathering the rows in numpy, so memory stays at the size of ``ids``.
    """
    import faiss

    index = faiss.IndexFlat(vectors.shape[1], faiss.METRIC_INNER_PRODUCT)
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    out = np.empty(ids.shape, dtype=np.float32)
    k = ids.shape[1]
    for begin in range(0, len(ids), chunk):
        stop = min(begin + chunk, len(ids))
        labels = np.ascontiguousarray(np.maximum(ids[begin:stop], 0), dtype=np.int64)
        block = np.ascontiguousarray(queries[begin:stop], dtype=np.float32)
        distances = np.empty(labels.shape, dtype=np.float32)
        index.compute_distance_subset(  # type: ignore[attr-defined]  # SWIG method not in stubs
            stop - begin,
            faiss.swig_ptr(block),
            k,
            faiss.swig_ptr(distances),
            faiss.swig_ptr(labels),
        )
        out[begin:stop] = distances
    out[ids < 0] = -np.inf
    return out


def principal_axes(vectors: FloatMatrix, dims: int) -> FloatMatrix:
    """The ``dims`` directions that keep most of the inner products with ``vectors``."""
    gram = vectors.T.astype(np.float64) @ vectors.astype(np.float64)
    _, axes = np.linalg.eigh(gram)
    return np.ascontiguousarray(axes[:, ::-1][:, :dims], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class ClusteredIndex:
    """Approximate top-k by inner product (faiss inverted lists) for very large pools."""

    vectors: FloatMatrix
    lists: int
    probes: int

    def search(self, queries: npt.ArrayLike, k: int) -> tuple[FloatMatrix, IdMatrix]:
        import faiss

        q = np.ascontiguousarray(np.asarray(queries, dtype=np.float32))
        dim = self.vectors.shape[1]
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, self.lists, faiss.METRIC_INNER_PRODUCT)
        # k-means needs a few dozen points per list, not the whole pool.
        step = max(1, len(self.vectors) // (64 * self.lists))
        index.train(np.ascontiguousarray(self.vectors[::step]))
        index.add(self.vectors)
        index.nprobe = self.probes
        scores, ids = index.search(q, k)
        scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
        return scores, ids.astype(np.int64)
