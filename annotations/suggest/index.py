"""What is computed once per paper version (passages, their terms, sentence vectors) and the project index
that merges them for fast suggestion: a float32 matrix of sentence vectors (passage vectors are summed from
them when asked for) and one BM25 index.

A `PaperIndex` serialises to bytes (`to_bytes`/`from_bytes`), to be stored beside the paper version so
that a restart does not recompute its vectors; only sentence vectors are stored, a window's vector is the
normalised sum of its sentences' (cheap to rebuild, and half the storage).
"""

import io
import itertools
import json
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .bm25 import BM25Index, terms
from .encoders import Encoder
from .segmentation import passages, word_sentences

FORMAT = 2


@dataclass
class PaperIndex:
    paper: Hashable
    encoder: str
    sentence_spans: np.ndarray  # (n, 2) start, end of the sentences that carry words
    sentence_vectors: np.ndarray  # (n, d) float32, L2-normalised
    passage_rows: np.ndarray  # (m, 4) start, end, first sentence, last sentence (indices into sentence_spans)
    vocabulary: list[str]  # terms of this paper, local ids
    term_passage: np.ndarray  # postings as three parallel arrays: passage, local term id, frequency
    term_id: np.ndarray
    term_tf: np.ndarray

    def passage_vectors(self) -> np.ndarray:
        vectors = np.empty((len(self.passage_rows), self.sentence_vectors.shape[1]), dtype=np.float32)
        if len(vectors):
            running = np.empty((len(self.sentence_vectors) + 1, vectors.shape[1]), dtype=np.float64)
            _window_vectors(self.sentence_vectors, self.passage_rows, running, vectors)
        return vectors

    def to_bytes(self) -> bytes:
        return _pack(
            {"encoder": self.encoder, "vocabulary": self.vocabulary},
            {
                "sentence_spans": self.sentence_spans,
                "sentence_vectors": self.sentence_vectors.astype(np.float16),  # cosines move by < 1e-3
                "passage_rows": self.passage_rows,
                "term_passage": self.term_passage,
                "term_id": self.term_id,
                "term_tf": self.term_tf,
            },
        )

    @classmethod
    def from_bytes(cls, paper: Hashable, data: bytes) -> "PaperIndex":
        meta, arrays = _unpack(data)
        return cls(
            paper=paper,
            encoder=meta["encoder"],
            sentence_spans=arrays["sentence_spans"],
            sentence_vectors=_normalised(arrays["sentence_vectors"].astype(np.float32)),
            passage_rows=arrays["passage_rows"],
            vocabulary=meta["vocabulary"],
            term_passage=arrays["term_passage"],
            term_id=arrays["term_id"],
            term_tf=arrays["term_tf"],
        )


# Format 2: MAGIC, the length of a JSON header (8 bytes, little-endian), the header (the metadata and each
# array's dtype, shape and offset), then the arrays' bytes, each at a multiple of 16, read in place by
# `np.frombuffer`. Format 1 was an `.npz` (a zip of `.npy` files): parsing its zip and headers took most of a
# project index's load (2.5 ms a paper). Both are read; `repack` turns the one into the other, unchanged.
MAGIC = b"SCOPIDX\n"
_ALIGN = 16


def _pack(meta: dict, arrays: dict[str, np.ndarray]) -> bytes:
    layout, chunks, offset = {}, [], 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        layout[name] = [array.dtype.str, list(array.shape), offset]
        size = array.nbytes
        chunks.append(array.tobytes() + b"\0" * (-size % _ALIGN))
        offset += size + (-size % _ALIGN)
    header = json.dumps({**meta, "format": FORMAT, "arrays": layout}).encode()
    header += b" " * (-(len(MAGIC) + 8 + len(header)) % _ALIGN)
    return b"".join([MAGIC, len(header).to_bytes(8, "little"), header, *chunks])


def _unpack(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    if data[:2] == b"PK":  # format 1
        arrays = np.load(io.BytesIO(data))
        meta = json.loads(arrays["meta"].tobytes().decode())
        if meta["format"] != 1:
            raise ValueError(f"paper index format {meta['format']}, expected 1 in an .npz")
        return meta, {name: arrays[name] for name in arrays.files if name != "meta"}
    if data[: len(MAGIC)] != MAGIC:
        raise ValueError("not a paper index")
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "little")
    start = len(MAGIC) + 8 + size
    meta = json.loads(data[len(MAGIC) + 8 : start])
    if meta["format"] != FORMAT:
        raise ValueError(f"paper index format {meta['format']}, expected {FORMAT}")
    buffer = memoryview(data)[start:]
    arrays = {}
    for name, (dtype, shape, offset) in meta.pop("arrays").items():
        count = int(np.prod(shape, dtype=np.int64))
        arrays[name] = np.frombuffer(buffer, dtype=np.dtype(dtype), count=count, offset=offset).reshape(shape)
    return meta, arrays


def repack(data: bytes) -> bytes:
    """The same paper index in the current format (the arrays as stored: no vector is rounded again)."""
    meta, arrays = _unpack(data)
    return _pack({"encoder": meta["encoder"], "vocabulary": meta["vocabulary"]}, arrays)


def index_paper(paper: Hashable, text: str, encoder: Encoder, max_sentences: int = 2) -> PaperIndex:
    """Segment, count terms and encode one paper version. Only sentences are encoded (windows reuse them)."""
    spans = passages(text, max_sentences)
    all_sentences = word_sentences(text)
    sentence_spans = np.array(all_sentences, dtype=np.int64).reshape(-1, 2)
    vectors = encoder.encode([text[s:e] for s, e in all_sentences]).astype(np.float32)
    rows = np.array([(p.start, p.end, p.first, p.last) for p in spans], dtype=np.int64).reshape(-1, 4)
    vocabulary: dict[str, int] = {}
    sentence_counts = [Counter(terms(text[s:e])) for s, e in all_sentences]
    term_passage, term_id, term_tf = [], [], []
    for row, span in enumerate(spans):
        counts = Counter()
        for i in range(span.first, span.last + 1):
            counts.update(sentence_counts[i])
        for term, tf in counts.items():
            term_passage.append(row)
            term_id.append(vocabulary.setdefault(term, len(vocabulary)))
            term_tf.append(tf)
    return PaperIndex(
        paper=paper,
        encoder=encoder.name,
        sentence_spans=sentence_spans,
        sentence_vectors=vectors,
        passage_rows=rows,
        vocabulary=list(vocabulary),
        term_passage=np.array(term_passage, dtype=np.int32),
        term_id=np.array(term_id, dtype=np.int32),
        term_tf=np.array(term_tf, dtype=np.float32),
    )


@dataclass
class ProjectIndex:
    """Every passage of a project's papers: paper number, offsets, vector, BM25 postings."""

    papers: list[Hashable]
    authors: list[frozenset]  # per paper
    passage_paper: np.ndarray  # (M,) index into papers
    passage_start: np.ndarray
    passage_end: np.ndarray
    passage_size: np.ndarray  # sentences in the passage
    bm25: BM25Index
    vectors: "PassageVectors"  # (M, d) float32, computed for the rows asked for
    texts: dict[Hashable, str] = field(default_factory=dict)
    # Sentence vectors and, per passage, its sentences and the norm of their sum: a query's cosine with
    # every passage from one product with the sentences (about half as many rows as passages).
    sentence_vectors: np.ndarray | None = None
    passage_first: np.ndarray | None = None
    passage_last: np.ndarray | None = None
    passage_norm: np.ndarray | None = None

    @classmethod
    def build(
        cls, papers: Sequence[tuple[PaperIndex, Iterable[Hashable]]], texts: dict[Hashable, str] | None = None
    ) -> "ProjectIndex":
        """From per-paper indexes (each with its authors); merges vocabularies without re-reading texts.

        Vectorised, and no passage vector is computed: a ranking needs those of a few hundred candidates, which
        `vectors` sums from their sentences when asked; the norms of all the passages (for `similarity`) come
        from the sentences' dot products. A per-posting Python loop and a (passages x dimension) float64 matrix
        took 30-45 s at 1,000 papers; the numbers are those of that build to float32 rounding (the reference
        build is kept in the tests)."""
        indexes = [paper_index for paper_index, _ in papers]
        dimension = indexes[0].sentence_vectors.shape[1] if indexes else 1
        passages = np.array([len(p.passage_rows) for p in indexes], dtype=np.int64)
        sentences = np.array([len(p.sentence_vectors) for p in indexes], dtype=np.int64)
        passage_offset = np.concatenate([[0], np.cumsum(passages)]).astype(np.int64)
        sentence_offset = np.concatenate([[0], np.cumsum(sentences)]).astype(np.int64)
        total, total_sentences = int(passage_offset[-1]), int(sentence_offset[-1])

        rows = np.concatenate([p.passage_rows for p in indexes]) if indexes else np.zeros((0, 4), np.int64)
        rows = rows.reshape(-1, 4).astype(np.int64, copy=False)
        passage_paper = np.repeat(np.arange(len(indexes), dtype=np.int32), passages)
        first = rows[:, 2] + sentence_offset[:-1][passage_paper]
        last = rows[:, 3] + sentence_offset[:-1][passage_paper]

        vocabulary, docs, term_ids, tfs = _merged_postings(indexes, passage_offset)
        lengths = np.bincount(docs, weights=tfs, minlength=total).astype(np.float32)
        order = _order_by_term(term_ids, docs, len(vocabulary))
        bm25 = BM25Index(
            vocabulary=vocabulary,
            postings_start=np.concatenate([[0], np.cumsum(np.bincount(term_ids, minlength=len(vocabulary)))]).astype(
                np.int64
            ),
            postings_doc=docs[order].astype(np.int32, copy=False),
            postings_tf=tfs[order].astype(np.float32, copy=False),
            lengths=lengths,
        )

        sentence_vectors = np.empty((total_sentences, dimension), dtype=np.float32)
        for number, paper_index in enumerate(indexes):
            sentence_vectors[sentence_offset[number] : sentence_offset[number + 1]] = paper_index.sentence_vectors
        norms = _window_norms(sentence_vectors, first, last)
        return cls(
            sentence_vectors=sentence_vectors,
            passage_first=first,
            passage_last=last,
            passage_norm=np.maximum(norms, 1e-12).astype(np.float32),
            vectors=PassageVectors(sentence_vectors, first, last),
            papers=[p.paper for p in indexes],
            authors=[frozenset(a) for _, a in papers],
            passage_paper=passage_paper,
            passage_start=rows[:, 0].copy(),
            passage_end=rows[:, 1].copy(),
            passage_size=(rows[:, 3] - rows[:, 2] + 1).astype(np.int32),
            bm25=bm25,
            texts=dict(texts or {}),
        )

    def __len__(self) -> int:
        return len(self.passage_paper)

    def similarity(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of a unit vector with every passage (equal to `vectors @ vector`, computed on sentences)."""
        cosines = self.sentence_vectors @ vector
        cumulative = np.concatenate([[0.0], np.cumsum(cosines, dtype=np.float64)])
        return ((cumulative[self.passage_last + 1] - cumulative[self.passage_first]) / self.passage_norm).astype(
            np.float32
        )

    def allowed(self, authors: Iterable[Hashable]) -> np.ndarray:
        """Mask of passages in papers that share no author with `authors`."""
        authors = frozenset(authors)
        ok = np.array([not (a & authors) for a in self.authors], dtype=bool)
        return ok[self.passage_paper] if len(self.passage_paper) else np.zeros(0, bool)

    def exact(self, row: int) -> str:
        return self.texts[self.papers[self.passage_paper[row]]][self.passage_start[row] : self.passage_end[row]]


def _normalised(vectors: np.ndarray) -> np.ndarray:
    """`normalise` in place (the same arithmetic, one copy fewer)."""
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors


class PassageVectors:
    """The passages' vectors, each the normalised sum of its sentences', computed for the rows asked for
    (`vectors[rows]`): a ranking reads a few hundred, and all of them are 1.5 KB a passage (550 MB at 1,000
    papers) that no request needs. `np.asarray(vectors)` computes them all."""

    def __init__(self, sentence_vectors: np.ndarray, first: np.ndarray, last: np.ndarray):
        self.sentence_vectors, self.first, self.last = sentence_vectors, first, last
        self.window = int((last - first).max()) + 1 if len(first) else 0  # the most sentences in a passage
        self.shape = (len(first), sentence_vectors.shape[1])
        self.dtype = np.dtype(np.float32)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows) -> np.ndarray:
        if isinstance(rows, slice):
            picked = np.arange(*rows.indices(self.shape[0]))
        else:
            picked = np.asarray(rows)
            if picked.dtype == bool:
                picked = np.flatnonzero(picked)
        single = picked.ndim == 0
        picked = np.atleast_1d(picked).astype(np.int64, copy=False)
        first, last = self.first[picked], self.last[picked]
        sums = self.sentence_vectors[first].astype(np.float64)
        for step in range(1, self.window):
            more = np.flatnonzero(first + step <= last)
            sums[more] += self.sentence_vectors[first[more] + step]
        vectors = _normalised(sums.astype(np.float32))
        return vectors[0] if single else vectors

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        everything = np.empty(self.shape, dtype=np.float32)
        for start in range(0, self.shape[0], 8192):
            everything[start : start + 8192] = self[start : start + 8192]
        return everything if dtype is None else everything.astype(dtype)

    def __matmul__(self, other) -> np.ndarray:
        return np.asarray(self) @ other


def _window_norms(sentence_vectors: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The norm of each passage's sum of sentence vectors (float64), from dot products of sentences at most a
    passage apart: |x_f + ... + x_l|^2 = sum of x_i.x_j over i, j in f..l, summed along the diagonals."""
    if not len(first):
        return np.zeros(0)
    window = int((last - first).max()) + 1
    count = len(sentence_vectors)
    # dots[k, i] = x_i . x_(i+k), each chunk of sentences converted to float64 once for every k.
    dots = np.zeros((window, count), dtype=np.float64)
    for start in range(0, count, 16384):
        end = min(start + 16384, count)
        chunk = sentence_vectors[start:end].astype(np.float64)
        for step in range(window):
            stop = min(end, count - step)
            if stop > start:
                dots[step, start:stop] = np.einsum(
                    "ij,ij->i", chunk[: stop - start], sentence_vectors[start + step : stop + step]
                )
    squares = np.zeros(len(first), dtype=np.float64)
    for step in range(window):  # summed over each passage by cumulative sums
        running = np.concatenate([[0.0], np.cumsum(dots[step])])
        inside = np.flatnonzero(last - first >= step)  # passages with a pair of sentences `step` apart
        total = running[last[inside] - step + 1] - running[first[inside]]
        squares[inside] += total if step == 0 else 2 * total
    return np.sqrt(np.maximum(squares, 0.0))


def _window_vectors(sentence_vectors: np.ndarray, rows: np.ndarray, running: np.ndarray, out: np.ndarray) -> None:
    """Each passage's vector, the normalised sum of its sentences' (from the paper's own cumulative sums, in
    float64), written into `out`; `running` is working space of at least one row more than the sentences."""
    running = running[: len(sentence_vectors) + 1]
    running[0] = 0.0
    np.cumsum(sentence_vectors, axis=0, dtype=np.float64, out=running[1:])
    out[...] = running[rows[:, 3] + 1] - running[rows[:, 2]]
    _normalised(out)


def _merged_postings(
    indexes: Sequence[PaperIndex], passage_offset: np.ndarray
) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """One vocabulary for all the papers (ids in order of first appearance) and their postings with project-wide
    passage and term ids. The only Python loop is over distinct terms; the rest runs in C."""
    everything = list(itertools.chain.from_iterable(p.vocabulary for p in indexes))
    vocabulary = {term: number for number, term in enumerate(dict.fromkeys(everything))}
    # int32 throughout: ids and passages stay far below 2**31, and the arrays hold millions of postings.
    global_ids = np.fromiter(map(vocabulary.__getitem__, everything), dtype=np.int32, count=len(everything))
    sizes = np.array([len(p.vocabulary) for p in indexes], dtype=np.int64)
    vocabulary_offset = np.concatenate([[0], np.cumsum(sizes)])[:-1].astype(np.int32)
    postings = np.array([len(p.term_id) for p in indexes], dtype=np.int64)
    if not postings.sum():
        return vocabulary, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)
    docs = np.concatenate([p.term_passage for p in indexes]).astype(np.int32, copy=False)
    docs += np.repeat(passage_offset[:-1].astype(np.int32), postings)
    local = np.concatenate([p.term_id for p in indexes]).astype(np.int32, copy=False)
    local += np.repeat(vocabulary_offset, postings)
    tfs = np.concatenate([p.term_tf for p in indexes])
    return vocabulary, docs, global_ids[local], tfs


def _order_by_term(term_ids: np.ndarray, docs: np.ndarray, terms: int) -> np.ndarray:
    """The order of the postings by term, then passage: `np.lexsort((docs, term_ids))`. Each paper lists its
    postings by passage, so the passages usually come in order already and a stable sort by term is enough; NumPy
    sorts 16-bit keys by radix (linear time), so the term ids are sorted 16 bits at a time, low digit first."""
    if len(docs) > 1 and not (docs[1:] >= docs[:-1]).all():
        return np.lexsort((docs, term_ids))
    order = np.argsort((term_ids & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while (terms - 1) >> shift > 0:
        digit = ((term_ids[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order
