"""Sentence embeddings from wordllama's static token vectors (256 dimensions), shipped inside its wheel: a
feature of the check-worthiness model (claim matching uses all-MiniLM-L6-v2, ``intake/transformer.py``).

Nothing is downloaded: ``disable_download=True``, and the wheel's own folder is given as the cache, since
wordllama 0.4.0.post1 looks for its tokenizer under ``tokenizer/`` while the wheel ships ``tokenizers/``.
"""

import functools
import pathlib
import threading

import numpy as np

DIMENSIONS = 256
MODEL_NAME = "wordllama-0.4.0.post1 l2_supercat 256"
_lock = threading.Lock()


@functools.cache
def _model():
    import wordllama

    with _lock:
        return wordllama.WordLlama.load(
            config="l2_supercat", dim=DIMENSIONS, disable_download=True,
            cache_dir=pathlib.Path(wordllama.__file__).parent,
        )


def embed(texts):
    """Unit-length float32 vectors, one row per text (zeros for a text without a single token)."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().embed(texts, norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    vectors[~np.isfinite(vectors).all(axis=1)] = 0
    return vectors
