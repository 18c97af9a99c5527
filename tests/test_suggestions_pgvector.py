"""pgvector and NumPy give the same passage suggestions; the database's passage vectors follow the stored indexes.

Runs on PostgreSQL with the `vector` extension only (the migration creates it where the server offers it);
skipped with the reason otherwise. The encoder is a dense one with continuous values (the test suite's hashing
encoder gives many exactly equal cosines, whose order is arbitrary on either path)."""

import hashlib

import numpy as np
import pytest
from django.db import connection

from annotations.suggest.encoders import normalise
from suggestions import indexing, pgvector
from suggestions.indexing import paper_vectors_refresh
from suggestions.models import PaperVectors
from suggestions.selectors import claim_for_suggestions, passage_suggestions
from tests.factories import AuthorFactory, ClaimFactory, PaperFactory


@pytest.fixture(autouse=True)
def with_pgvector(db):
    if connection.vendor != "postgresql":
        pytest.skip("pgvector needs PostgreSQL; these tests run on SQLite (set DATABASE_URL to a PostgreSQL server)")
    pgvector.forget()
    if not pgvector.enabled():
        pytest.skip("pgvector extension not available on this PostgreSQL server")
    indexing.forget_project_indexes()
    yield
    indexing.forget_project_indexes()
    pgvector.forget()


class DenseTestEncoder:
    """Each word a fixed random direction, a text the normalised sum of its words': continuous cosines."""

    name = "dense-test-384"
    dimension = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                seed = int.from_bytes(hashlib.blake2b(word.strip(".,").encode(), digest_size=8).digest(), "little")
                out[row] += np.random.default_rng(seed).standard_normal(self.dimension).astype(np.float32)
        return normalise(out)


@pytest.fixture
def dense_encoder(monkeypatch):
    encoder = indexing.MemoEncoder(DenseTestEncoder())
    monkeypatch.setattr(indexing, "_encoder", lambda kind: encoder)
    return encoder


WORDS = [
    "alliance",
    "bloc",
    "security",
    "terrorism",
    "separatism",
    "extremism",
    "energy",
    "pipeline",
    "trade",
    "china",
    "russia",
    "kazakhstan",
    "uzbekistan",
    "summit",
    "charter",
    "border",
    "military",
    "exercise",
    "cooperation",
    "members",
    "observers",
    "india",
    "pakistan",
    "iran",
    "afghanistan",
    "drugs",
    "trafficking",
    "regional",
    "stability",
    "influence",
    "hegemony",
    "multipolar",
    "order",
    "western",
    "values",
    "sovereignty",
    "noninterference",
    "economy",
    "bank",
    "investment",
    "rail",
    "transport",
    "water",
    "dispute",
    "treaty",
    "secretariat",
]


def sentence(rng) -> str:
    return " ".join(rng.choice(WORDS, size=int(rng.integers(6, 14)))).capitalize() + "."


@pytest.fixture
def corpus(analyst, dense_encoder):
    """30 papers by different authors, 14 sentences each: about 800 passages, more than the ranking's pool."""
    rng = np.random.default_rng(7)
    papers = [
        PaperFactory(slug=f"p{n}", text=" ".join(sentence(rng) for _ in range(14)), authors=[AuthorFactory()])
        for n in range(30)
    ]
    for paper in papers:
        paper_vectors_refresh(paper)
    claims = []
    for n in range(5):
        paper = papers[n]
        end = paper.text.index(".") + 1
        claims.append(ClaimFactory(paper=paper, at=(0, end), created_by=analyst, statement=sentence(rng)))
    return papers, claims


def test_pgvector_and_numpy_give_the_same_suggestions(analyst, corpus, settings, monkeypatch):
    _papers, claims = corpus
    asked = []
    real_nearest = pgvector.nearest
    monkeypatch.setattr(pgvector, "nearest", lambda *a, **k: asked.append(1) or real_nearest(*a, **k))
    for claim in claims:
        claim = claim_for_suggestions(analyst, claim.pk)
        settings.SUGGEST_PGVECTOR = True
        by_database = passage_suggestions(analyst, claim, k=20)
        settings.SUGGEST_PGVECTOR = False
        by_numpy = passage_suggestions(analyst, claim, k=20)
        assert len(by_database) == len(by_numpy) == 20
        assert [(s.paper, s.start, s.end, s.relation, s.claim) for s in by_database] == [
            (s.paper, s.start, s.end, s.relation, s.claim) for s in by_numpy
        ]
        assert np.allclose([s.score for s in by_database], [s.score for s in by_numpy], rtol=0, atol=1e-6)
    assert len(asked) == len(claims)  # the database answered every time it was enabled


def test_the_database_finds_the_nearest_passages_as_numpy_does(corpus, dense_encoder):
    papers, _ = corpus
    state = indexing.project_state(papers[0].project_id)
    index = state.index
    vector = dense_encoder.encode([sentence(np.random.default_rng(3))])[0]
    everyone = list(index.papers)
    rows = pgvector.nearest(index, dense_encoder.name, state.versions, everyone, vector, pool=100)
    numpy_order = np.argsort(-index.similarity(vector), kind="stable")
    assert len(rows) >= 100
    assert set(numpy_order[:100].tolist()) <= set(rows.tolist())
    assert np.allclose(pgvector.exact_cosines(index, rows, vector), index.similarity(vector)[rows], rtol=0, atol=1e-6)


def stored_rows(paper) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT text_sha256, count(*) FROM {pgvector.TABLE} WHERE paper_id = %s GROUP BY text_sha256", [paper.pk]
        )
        return cursor.fetchall()


def test_the_database_vectors_follow_a_revision_and_a_deletion(corpus, dense_encoder):
    papers, _ = corpus
    paper = papers[10]
    stored = PaperVectors.objects.get(paper=paper)
    assert stored_rows(paper) == [(paper.text_sha256, stored.passages)]
    paper.text = "A new text altogether. It has three sentences. The last one is short."
    paper.save()
    paper_vectors_refresh(paper)
    stored.refresh_from_db()
    assert stored_rows(paper) == [(paper.text_sha256, stored.passages)]
    paper.delete()
    assert stored_rows(paper) == []


def test_a_table_behind_the_stored_indexes_falls_back_to_numpy(corpus, dense_encoder):
    papers, _ = corpus
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {pgvector.TABLE} WHERE paper_id = %s", [papers[3].pk])
    state = indexing.project_state(papers[0].project_id)
    searched = pgvector.searched_by_database(
        state.index, encoder=dense_encoder.name, versions=state.versions, generation=state.generation,
        authors=frozenset(),
    )  # fmt: skip
    assert searched is state.index


def test_installing_again_is_harmless_and_refills_the_table(corpus):
    papers, _ = corpus
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {pgvector.TABLE}")
    assert pgvector.install()
    assert stored_rows(papers[0]) == [(papers[0].text_sha256, PaperVectors.objects.get(paper=papers[0]).passages)]
