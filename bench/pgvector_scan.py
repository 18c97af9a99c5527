"""The nearest passages of a claim by pgvector's exact scan against NumPy's product, on random unit vectors
(100,000 passages of 384 dimensions, about 1,000 papers): the database's top rows are checked to hold NumPy's
best 300, and the two are timed. Skipped when PostgreSQL or its pgvector extension is not there."""

import time

import numpy as np

from bench.common import Row, postgres_available, postgres_database

NAME = "pgvector"
PASSAGES, DIMENSION, POOL, QUERIES = 100_000, 384, 300, 15


def _literal(vector: np.ndarray) -> str:
    return "[" + ",".join(map(repr, vector.astype(np.float64).tolist())) + "]"


def run(options) -> list[Row]:
    bench = f"{NAME} · nearest {POOL} of {PASSAGES:,} passages ({DIMENSION} dims), exact scan against NumPy"
    if postgres_available() is None:
        return [Row(bench, "skipped", "PostgreSQL not answering")]
    import psycopg

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((PASSAGES, DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with postgres_database() as (url, _), psycopg.connect(url, autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone() is None:
            return [Row(bench, "skipped", "pgvector extension not available on this PostgreSQL server")]
        db.execute("CREATE EXTENSION vector")
        db.execute("CREATE TABLE e (id int PRIMARY KEY, paper int, embedding vector)")
        with db.cursor().copy("COPY e (id, paper, embedding) FROM STDIN") as copy:
            for i in range(PASSAGES):
                copy.write_row((i, i // 100, _literal(vectors[i])))
        db.execute("ANALYZE e")
        papers = list(range(PASSAGES // 100))
        by_database, by_numpy, missed = [], [], 0
        for _ in range(QUERIES):
            query = rng.standard_normal(DIMENSION).astype(np.float32)
            query /= np.linalg.norm(query)
            began = time.perf_counter()
            rows = db.execute(
                "SELECT id FROM e WHERE paper = ANY(%s) ORDER BY embedding <=> %s::vector LIMIT %s",
                [papers, _literal(query), POOL + 32],
            ).fetchall()
            by_database.append(time.perf_counter() - began)
            began = time.perf_counter()
            best = np.argpartition(-(vectors @ query), POOL)[:POOL]
            by_numpy.append(time.perf_counter() - began)
            missed += len(set(best.tolist()) - {row[0] for row in rows})
    database, numpy = np.median(by_database) * 1000, np.median(by_numpy) * 1000
    return [
        Row(bench, "pgvector exact scan, p50", round(database, 1), "ms"),
        Row(
            bench,
            "NumPy product and argpartition, p50",
            round(numpy, 1),
            "ms",
            f"pgvector / NumPy {database / numpy:.0f}x",
        ),
        Row(bench, "NumPy's best rows the database missed", missed, "", "must be 0"),
    ]
