"""BM25 over passages: a small inverted index in NumPy arrays (Okapi BM25, k1=1.2, b=0.75).

Our own ~100 lines rather than a library: the index must be built per paper version, stored, and merged
into a project's index without re-reading texts (rank-bm25 keeps Python lists and rescans every document
per query; bm25s needs SciPy and rebuilds its matrix as a whole). Terms are lower-cased words with a light
English stemmer, so "alliances"/"alliance" and "targeting"/"targets" meet.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

K1 = 1.2
B = 0.75
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*", re.UNICODE)
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "s",
        "t",
        "its",
        "it's",
        "which",
        "also",
        "thus",
        "has",
        "may",
        "might",
        "must",
        "shall",
    ]
)
# Negations are not stopwords here: "not an alliance" and "an alliance" must not score alike on "not".
NEGATIONS = frozenset(["no", "not", "nor", "never", "neither", "without", "non", "cannot"])
STOPWORDS = STOPWORDS - NEGATIONS


def stem(word: str) -> str:
    """A light suffix stripper (plural, -ing, -ed, -ly, -ation): enough to join inflections."""
    for suffix, keep in (("ational", 5), ("ation", 4), ("ities", 4), ("ing", 4), ("ies", 3), ("ed", 4), ("ly", 4)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep - 2:
            word = word[: -len(suffix)]
            return word + ("y" if suffix == "ies" else "")
    if word.endswith("ss") or len(word) <= 3:
        return word
    if word.endswith("es") and word[-3:-2] in {"s", "x", "z"}:
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Index terms of a text, in order (repeats kept)."""
    words = (w.lower().replace("\u2019", "'") for w in _WORD.findall(text))
    return [stem(w.split("'")[0]) for w in words if (w not in STOPWORDS and len(w) > 1) or w in NEGATIONS]


@dataclass
class BM25Index:
    """Postings per term (passage ids and term frequencies, as arrays) and passage lengths."""

    vocabulary: dict[str, int]
    postings_start: np.ndarray  # term id -> offset into postings_doc/postings_tf; one extra at the end
    postings_doc: np.ndarray
    postings_tf: np.ndarray
    lengths: np.ndarray
    _norm: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]]) -> "BM25Index":
        """From each passage's terms (see `terms`)."""
        counts = [Counter(document) for document in documents]
        return cls.from_counts(counts)

    @classmethod
    def from_counts(cls, counts: Sequence[Counter]) -> "BM25Index":
        vocabulary: dict[str, int] = {}
        rows: list[tuple[int, int, int]] = []
        for doc, counter in enumerate(counts):
            for term, tf in counter.items():
                rows.append((vocabulary.setdefault(term, len(vocabulary)), doc, tf))
        table = np.array(rows, dtype=np.int64).reshape(-1, 3)
        order = np.lexsort((table[:, 1], table[:, 0]))
        table = table[order]
        postings_start = np.searchsorted(table[:, 0], np.arange(len(vocabulary) + 1)).astype(np.int64)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        return cls(vocabulary, postings_start, table[:, 1].astype(np.int32), table[:, 2].astype(np.float32), lengths)

    def __len__(self) -> int:
        return len(self.lengths)

    def scores(self, query: dict[str, float], mask: np.ndarray | None = None, min_idf: float = 1.0) -> np.ndarray:
        """BM25 score of every passage for weighted query terms (term -> weight). Terms in more than about a
        third of the passages (idf under `min_idf`, such as "SCO" here) are skipped: they move every score
        alike and their long postings are most of a query's time."""
        total = np.zeros(len(self.lengths), dtype=np.float32)
        if not len(self.lengths):
            return total
        n = len(self.lengths)
        norm = self._norms()
        for term, weight in query.items():
            found = self._postings(term, n, min_idf)
            if found is None:
                continue
            lo, hi, idf = found
            docs, tf = self.postings_doc[lo:hi], self.postings_tf[lo:hi]
            total[docs] += weight * idf * tf * (K1 + 1) / (tf + norm[docs])
        if mask is not None:
            total[~mask] = 0
        return total

    def _norms(self) -> np.ndarray:
        """Each passage's length normalisation, computed once (the index does not change)."""
        if self._norm is None:
            average = float(self.lengths.mean()) or 1.0
            self._norm = (K1 * (1 - B + B * self.lengths / average)).astype(np.float32)
        return self._norm

    def _postings(self, term: str, n: int, min_idf: float) -> tuple[int, int, float] | None:
        """Where `term`'s postings are and its idf; None for a term the index lacks or one too common to count."""
        term_id = self.vocabulary.get(term)
        if term_id is None:
            return None
        lo, hi = self.postings_start[term_id], self.postings_start[term_id + 1]
        idf = np.log(1 + (n - (hi - lo) + 0.5) / ((hi - lo) + 0.5))
        return None if idf < min_idf else (lo, hi, idf)

    def scores_at(self, query: dict[str, float], rows: np.ndarray, min_idf: float = 1.0) -> np.ndarray:
        """`scores(query)[rows]`, looking up only those rows in each term's postings (sorted by passage):
        a few candidates cost a binary search per term, not a pass over its postings."""
        rows = np.asarray(rows, dtype=np.int64)
        total = np.zeros(len(rows), dtype=np.float32)
        if not len(self.lengths) or not len(rows):
            return total
        norm = self._norms()
        n = len(self.lengths)
        for term, weight in query.items():
            found = self._postings(term, n, min_idf)
            if found is None:
                continue
            lo, hi, idf = found
            docs = self.postings_doc[lo:hi]
            at = np.minimum(np.searchsorted(docs, rows), len(docs) - 1)
            hit = docs[at] == rows
            tf = self.postings_tf[lo:hi][at[hit]]
            total[hit] += weight * idf * tf * (K1 + 1) / (tf + norm[rows[hit]])
        return total


def query_terms(weighted_texts: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Terms of several texts, each with its weight; a term's weights add up (a repeated word counts more)."""
    query: dict[str, float] = {}
    for text, weight in weighted_texts:
        for term in terms(text):
            query[term] = query.get(term, 0.0) + weight
    return query
