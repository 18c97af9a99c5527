"""`ProjectIndex.build` against the straightforward build it replaced (kept below as the reference): the same
postings and vocabulary, the same passage vectors and norms to float32 rounding, the same suggestions in the
same order, on random small corpora (hypothesis) and on the shipped papers. And the stored format: what is
written reads back, and the format before it (an .npz) is still read."""

import io
import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.suggest import ClaimQuery, HashingEncoder, PaperIndex, ProjectIndex, Tag, index_paper, suggest
from annotations.suggest.bm25 import BM25Index
from annotations.suggest.encoders import normalise
from annotations.suggest.index import repack

PAPERS = Path(__file__).resolve().parent.parent / "fixtures" / "papers"


# -- the reference: the build as it was, a Python loop over papers and their terms ------------------------------


def reference_passage_vectors(paper_index: PaperIndex) -> np.ndarray:
    sentence_vectors, rows = paper_index.sentence_vectors, paper_index.passage_rows
    if not len(rows):
        return np.zeros((0, sentence_vectors.shape[1]), dtype=np.float32)
    cumulative = np.vstack([np.zeros((1, sentence_vectors.shape[1]), np.float32), sentence_vectors])
    cumulative = np.cumsum(cumulative, axis=0, dtype=np.float64)
    return normalise((cumulative[rows[:, 3] + 1] - cumulative[rows[:, 2]]).astype(np.float32))


def reference_build(papers, texts=None) -> ProjectIndex:
    vocabulary: dict[str, int] = {}
    parts_paper, parts_rows, parts_vectors, parts_sentences, parts_first, parts_last = [], [], [], [], [], []
    all_docs, all_terms, all_tf = [], [], []
    sentence_offset = offset = 0
    for number, (paper_index, _) in enumerate(papers):
        rows = paper_index.passage_rows
        local_to_global = np.array(
            [vocabulary.setdefault(term, len(vocabulary)) for term in paper_index.vocabulary], dtype=np.int64
        )
        parts_paper.append(np.full(len(rows), number, dtype=np.int32))
        parts_rows.append(rows)
        parts_vectors.append(reference_passage_vectors(paper_index))
        parts_sentences.append(paper_index.sentence_vectors.astype(np.float32))
        parts_first.append(rows[:, 2] + sentence_offset)
        parts_last.append(rows[:, 3] + sentence_offset)
        sentence_offset += len(paper_index.sentence_vectors)
        all_docs.append(paper_index.term_passage.astype(np.int64) + offset)
        all_terms.append(local_to_global[paper_index.term_id] if len(paper_index.term_id) else np.zeros(0, np.int64))
        all_tf.append(paper_index.term_tf)
        offset += len(rows)
    rows = np.vstack(parts_rows) if parts_rows else np.zeros((0, 4), np.int64)
    dimension = papers[0][0].sentence_vectors.shape[1] if papers else 1
    vectors = np.vstack(parts_vectors) if parts_vectors else np.zeros((0, dimension), np.float32)
    docs = np.concatenate(all_docs) if all_docs else np.zeros(0, np.int64)
    term_ids = np.concatenate(all_terms) if all_terms else np.zeros(0, np.int64)
    tfs = np.concatenate(all_tf) if all_tf else np.zeros(0, np.float32)
    order = np.lexsort((docs, term_ids))
    bm25 = BM25Index(
        vocabulary=vocabulary,
        postings_start=np.searchsorted(term_ids[order], np.arange(len(vocabulary) + 1)).astype(np.int64),
        postings_doc=docs[order].astype(np.int32),
        postings_tf=tfs[order].astype(np.float32),
        lengths=np.bincount(docs, weights=tfs, minlength=offset).astype(np.float32),
    )
    sentence_vectors = np.vstack(parts_sentences) if parts_sentences else np.zeros((0, dimension), np.float32)
    first = np.concatenate(parts_first) if parts_first else np.zeros(0, np.int64)
    last = np.concatenate(parts_last) if parts_last else np.zeros(0, np.int64)
    cumulative = np.vstack([np.zeros((1, dimension)), np.cumsum(sentence_vectors, axis=0, dtype=np.float64)])
    norms = np.linalg.norm(cumulative[last + 1] - cumulative[first], axis=1) if len(first) else np.zeros(0)
    return ProjectIndex(
        sentence_vectors=sentence_vectors,
        passage_first=first,
        passage_last=last,
        passage_norm=np.maximum(norms, 1e-12).astype(np.float32),
        papers=[p.paper for p, _ in papers],
        authors=[frozenset(a) for _, a in papers],
        passage_paper=np.concatenate(parts_paper) if parts_paper else np.zeros(0, np.int32),
        passage_start=rows[:, 0].copy(),
        passage_end=rows[:, 1].copy(),
        passage_size=(rows[:, 3] - rows[:, 2] + 1).astype(np.int32),
        vectors=vectors,  # a plain matrix: rows are read alike
        bm25=bm25,
        texts=dict(texts or {}),
    )


# -- the comparison ---------------------------------------------------------------------------------------------

ALLIANCE = Tag("not-an-alliance", "The SCO is not an alliance", "non-aligned, not targeting third parties")


def assert_same_index(built: ProjectIndex, reference: ProjectIndex) -> None:
    for name in ("passage_paper", "passage_start", "passage_end", "passage_size", "passage_first", "passage_last"):
        assert np.array_equal(getattr(built, name), getattr(reference, name)), name
        assert getattr(built, name).dtype == getattr(reference, name).dtype, name
    assert built.papers == reference.papers
    assert built.authors == reference.authors
    assert np.array_equal(built.sentence_vectors, reference.sentence_vectors)
    assert built.bm25.vocabulary == reference.bm25.vocabulary
    for name in ("postings_start", "postings_doc", "postings_tf", "lengths"):
        assert np.array_equal(getattr(built.bm25, name), getattr(reference.bm25, name)), name
    assert np.allclose(built.passage_norm, reference.passage_norm, rtol=1e-6, atol=0)
    vectors = np.asarray(built.vectors)
    assert vectors.shape == reference.vectors.shape
    assert vectors.dtype == np.float32
    assert np.allclose(vectors, reference.vectors, rtol=0, atol=1e-6)
    rows = np.arange(len(reference))[::3]
    assert np.array_equal(built.vectors[rows], vectors[rows])
    if len(reference):
        assert np.array_equal(built.vectors[int(rows[-1])], vectors[rows[-1]])
        query = reference.sentence_vectors[0]
        assert np.allclose(built.similarity(query), reference.similarity(query), rtol=0, atol=1e-6)


def claim_on(slug: str, text: str, authors) -> ClaimQuery:
    end = min(len(text), 80)
    return ClaimQuery(
        paper=slug,
        start=0,
        end=end,
        quote=text[:end],
        statement="The SCO is no military bloc and targets no third party.",
        tags=(ALLIANCE,),
        authors=frozenset(authors),
    )


WORDS = ["sco", "alliance", "not", "drug", "border", "trust", "bloc", "nato", "china", "russia", "the", "is"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(lambda w: " ".join(w).capitalize() + ".")
paper_text = st.lists(sentence, min_size=0, max_size=7).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(paper_text, st.sets(st.sampled_from(["Yu", "Pan", "Ma"]))), min_size=0, max_size=6))
def test_the_build_equals_the_reference_build_on_random_corpora(corpus):
    encoder = HashingEncoder()
    texts = {f"p{n}": text for n, (text, _) in enumerate(corpus)}
    papers = [
        (PaperIndex.from_bytes(slug, index_paper(slug, texts[slug], encoder).to_bytes()), authors)
        for slug, (_, authors) in zip(texts, corpus, strict=True)
    ]
    built, reference = ProjectIndex.build(papers, texts), reference_build(papers, texts)
    assert_same_index(built, reference)
    for slug, (text, authors) in zip(texts, corpus, strict=True):
        query = claim_on(slug, text, authors)
        assert suggest(built, query, encoder, limit=5) == suggest(reference, query, encoder, limit=5)


def test_the_build_equals_the_reference_build_on_the_shipped_papers_and_their_copies():
    encoder = HashingEncoder()
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(PAPERS.glob("*.txt"))}
    indexes = {slug: index_paper(slug, text, encoder).to_bytes() for slug, text in texts.items()}
    papers, all_texts = [], {}
    for copy in range(3):  # copies by other authors: equal passages, where only the arithmetic breaks ties
        for slug, text in texts.items():
            key = f"{slug}-{copy}"
            papers.append((PaperIndex.from_bytes(key, indexes[slug]), {key}))
            all_texts[key] = text
    built, reference = ProjectIndex.build(papers, all_texts), reference_build(papers, all_texts)
    assert_same_index(built, reference)
    for slug, text in texts.items():
        query = claim_on(f"{slug}-0", text[200:], {f"{slug}-0"})
        assert suggest(built, query, encoder) == suggest(reference, query, encoder)


# -- the stored format ------------------------------------------------------------------------------------------


def npz_bytes(paper_index: PaperIndex) -> bytes:
    """A paper index as format 1 stored it (an .npz)."""
    buffer = io.BytesIO()
    meta = json.dumps({"format": 1, "encoder": paper_index.encoder, "vocabulary": paper_index.vocabulary})
    np.savez(
        buffer,
        meta=np.frombuffer(meta.encode(), dtype=np.uint8),
        sentence_spans=paper_index.sentence_spans,
        sentence_vectors=paper_index.sentence_vectors.astype(np.float16),
        passage_rows=paper_index.passage_rows,
        term_passage=paper_index.term_passage,
        term_id=paper_index.term_id,
        term_tf=paper_index.term_tf,
    )
    return buffer.getvalue()


@settings(max_examples=50, deadline=None)
@given(paper_text)
def test_a_stored_index_reads_back_in_either_format_and_repacks_unchanged(text):
    paper_index = index_paper("a", text, HashingEncoder())
    current, previous = paper_index.to_bytes(), npz_bytes(paper_index)
    for again in (PaperIndex.from_bytes("a", current), PaperIndex.from_bytes("a", previous)):
        assert again.encoder == paper_index.encoder
        assert again.vocabulary == paper_index.vocabulary
        for name in ("sentence_spans", "passage_rows", "term_passage", "term_id", "term_tf"):
            assert np.array_equal(getattr(again, name), getattr(paper_index, name)), name
            assert getattr(again, name).dtype == getattr(paper_index, name).dtype, name
        assert np.allclose(again.sentence_vectors, paper_index.sentence_vectors, atol=2e-3)
    assert repack(previous) == current
    assert np.array_equal(
        PaperIndex.from_bytes("a", previous).sentence_vectors, PaperIndex.from_bytes("a", current).sentence_vectors
    )
