"""Text meaning: embedders and the nearest-neighbour index shared by search and matching."""

from impactcircle.engine.text.embedder import (
    Embedder,
    EmbedderUnavailableError,
    SentenceTransformerEmbedder,
    WordLlamaEmbedder,
    default_embedder,
    normalise_rows,
)
from impactcircle.engine.text.index import ClusteredIndex, ExactIndex, top_k_rows

__all__ = [
    "ClusteredIndex",
    "Embedder",
    "EmbedderUnavailableError",
    "ExactIndex",
    "SentenceTransformerEmbedder",
    "WordLlamaEmbedder",
    "default_embedder",
    "normalise_rows",
    "top_k_rows",
]
