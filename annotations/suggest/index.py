"""What is computed once per paper version (passages, their terms, sentence vectors) and the project index
that merges them for fast suggestion: float32 matrices of sentence and passage vectors and one BM25 index.

A `PaperIndex` serialises to bytes (`to_bytes`/`from_bytes`), to be stored beside the paper version so
that a restart does not recompute its vectors; only sentence vectors are stored, a window's vector is the
normalised sum of its sentences' (cheap to rebuild, and half the storage).
"""

import io
import json
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .bm25 import BM25Index, terms
from .encoders import Encoder, normalise
from .segmentation import passages, word_sentences

FORMAT = 1


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
        if not len(self.passage_rows):
            return np.zeros((0, self.sentence_vectors.shape[1]), dtype=np.float32)
        cumulative = np.vstack([np.zeros((1, self.sentence_vectors.shape[1]), np.float32), self.sentence_vectors])
        cumulative = np.cumsum(cumulative, axis=0, dtype=np.float64)
        sums = cumulative[self.passage_rows[:, 3] + 1] - cumulative[self.passage_rows[:, 2]]
        return normalise(sums.astype(np.float32))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        meta = json.dumps({"format": FORMAT, "encoder": self.encoder, "vocabulary": self.vocabulary})
        np.savez(
            buffer,
            meta=np.frombuffer(meta.encode(), dtype=np.uint8),
            sentence_spans=self.sentence_spans,
            sentence_vectors=self.sentence_vectors.astype(np.float16),  # cosines move by < 1e-3
            passage_rows=self.passage_rows,
            term_passage=self.term_passage,
            term_id=self.term_id,
            term_tf=self.term_tf,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, paper: Hashable, data: bytes) -> "PaperIndex":
        arrays = np.load(io.BytesIO(data))
        meta = json.loads(arrays["meta"].tobytes().decode())
        if meta["format"] != FORMAT:
            raise ValueError(f"paper index format {meta['format']}, expected {FORMAT}")
        return cls(
            paper=paper,
            encoder=meta["encoder"],
            sentence_spans=arrays["sentence_spans"],
            sentence_vectors=normalise(arrays["sentence_vectors"].astype(np.float32)),
            passage_rows=arrays["passage_rows"],
            vocabulary=meta["vocabulary"],
            term_passage=arrays["term_passage"],
            term_id=arrays["term_id"],
            term_tf=arrays["term_tf"],
        )


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
    vectors: np.ndarray  # (M, d) float32
    bm25: BM25Index
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
        """From per-paper indexes (each with its authors); merges vocabularies without re-reading texts."""
        vocabulary: dict[str, int] = {}
        parts_paper, parts_rows, parts_vectors, parts_sentences = [], [], [], []
        sentence_offset = 0
        parts_first, parts_last = [], []
        all_docs, all_terms, all_tf = [], [], []
        offset = 0
        for number, (paper_index, _) in enumerate(papers):
            rows = paper_index.passage_rows
            local_to_global = np.array(
                [vocabulary.setdefault(term, len(vocabulary)) for term in paper_index.vocabulary], dtype=np.int64
            )
            parts_paper.append(np.full(len(rows), number, dtype=np.int32))
            parts_rows.append(rows)
            parts_vectors.append(paper_index.passage_vectors())
            parts_sentences.append(paper_index.sentence_vectors.astype(np.float32))
            parts_first.append(rows[:, 2] + sentence_offset)
            parts_last.append(rows[:, 3] + sentence_offset)
            sentence_offset += len(paper_index.sentence_vectors)
            all_docs.append(paper_index.term_passage.astype(np.int64) + offset)
            all_terms.append(
                local_to_global[paper_index.term_id] if len(paper_index.term_id) else np.zeros(0, np.int64)
            )
            all_tf.append(paper_index.term_tf)
            offset += len(rows)
        rows = np.vstack(parts_rows) if parts_rows else np.zeros((0, 4), np.int64)
        dimension = papers[0][0].sentence_vectors.shape[1] if papers else 1
        vectors = np.vstack(parts_vectors) if parts_vectors else np.zeros((0, dimension), np.float32)
        docs = np.concatenate(all_docs) if all_docs else np.zeros(0, np.int64)
        term_ids = np.concatenate(all_terms) if all_terms else np.zeros(0, np.int64)
        tfs = np.concatenate(all_tf) if all_tf else np.zeros(0, np.float32)
        order = np.lexsort((docs, term_ids))
        lengths = np.bincount(docs, weights=tfs, minlength=offset).astype(np.float32)
        bm25 = BM25Index(
            vocabulary=vocabulary,
            postings_start=np.searchsorted(term_ids[order], np.arange(len(vocabulary) + 1)).astype(np.int64),
            postings_doc=docs[order].astype(np.int32),
            postings_tf=tfs[order].astype(np.float32),
            lengths=lengths,
        )
        sentence_vectors = np.vstack(parts_sentences) if parts_sentences else np.zeros((0, dimension), np.float32)
        first = np.concatenate(parts_first) if parts_first else np.zeros(0, np.int64)
        last = np.concatenate(parts_last) if parts_last else np.zeros(0, np.int64)
        cumulative = np.vstack([np.zeros((1, dimension)), np.cumsum(sentence_vectors, axis=0, dtype=np.float64)])
        norms = np.linalg.norm(cumulative[last + 1] - cumulative[first], axis=1) if len(first) else np.zeros(0)
        return cls(
            sentence_vectors=np.ascontiguousarray(sentence_vectors),
            passage_first=first,
            passage_last=last,
            passage_norm=np.maximum(norms, 1e-12).astype(np.float32),
            papers=[p.paper for p, _ in papers],
            authors=[frozenset(a) for _, a in papers],
            passage_paper=np.concatenate(parts_paper) if parts_paper else np.zeros(0, np.int32),
            passage_start=rows[:, 0].copy(),
            passage_end=rows[:, 1].copy(),
            passage_size=(rows[:, 3] - rows[:, 2] + 1).astype(np.int32),
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
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
