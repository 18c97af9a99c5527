"""Passage vectors in PostgreSQL, searched by the database (pgvector), when the server has the extension.

The table `suggestions_passage_embedding` (raw SQL: no Python package needed) holds, per paper and encoder, the
passage vectors of the version stored in `PaperVectors`, written in the same transaction. It exists only where
the `vector` extension does (the migration creates both when the server offers it; `manage.py enable_pgvector`
does it later). Nothing here is used on SQLite, on a server without the extension, or with
`SUGGEST_PGVECTOR = False` (the table is still kept): the NumPy brute force of the pure core is the path then.

At query time the database returns the passages nearest the claim (an exact scan, within the project's allowed
papers); the ranking gets an index whose `similarity` holds their cosines, recomputed from the stored vectors as
the NumPy path computes them, and -2 (below any cosine) for every other passage. The ranking only uses those
values to pick and order its best `pool` passages by embedding, so it ranks as the NumPy path does (see
docs/suggestions.md for the one exception: cosines one float32 step apart).
"""

import copy
import logging
import threading

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from annotations.suggest import PaperIndex, ProjectIndex
from annotations.suggest.ranking import CANDIDATES

log = logging.getLogger(__name__)

TABLE = "suggestions_passage_embedding"
# Cosines from pgvector (float32 sums) and from NumPy differ by far less than this; the database is asked for
# passages until the last one is this much farther than the pool's last, so no true member of the pool is missed.
TOLERANCE = 1e-4
BELOW_ANY_COSINE = -2.0

_ENABLED: dict[str, bool] = {}
_CHECKED: dict[tuple, bool] = {}  # (database, index generation) -> the table holds the index's papers' versions
_LOCK = threading.Lock()

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    paper_id bigint NOT NULL,
    encoder varchar(100) NOT NULL,
    text_sha256 varchar(64) NOT NULL,
    passage integer NOT NULL,
    embedding vector NOT NULL,
    PRIMARY KEY (paper_id, encoder, passage)
)"""


def _database() -> str:
    return f"{connection.settings_dict.get('HOST')}:{connection.settings_dict.get('PORT')}/{connection.settings_dict['NAME']}"


def enabled() -> bool:
    """True on PostgreSQL when the `vector` extension and the table exist (checked once per database and process):
    passage vectors are stored there. The database searches them unless `SUGGEST_PGVECTOR` is off (`searching`)."""
    if connection.vendor != "postgresql":
        return False
    key = _database()
    found = _ENABLED.get(key)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AND to_regclass(%s) IS NOT NULL",
                [TABLE],
            )
            found = bool(cursor.fetchone()[0])
        with _LOCK:
            _ENABLED[key] = found
    return found


def searching() -> bool:
    """Whether the database answers the nearest passages: the table is there and `SUGGEST_PGVECTOR` is on."""
    return getattr(settings, "SUGGEST_PGVECTOR", True) and enabled()


def forget() -> None:
    """Forget what was checked (tests that create or drop the extension)."""
    with _LOCK:
        _ENABLED.clear()
        _CHECKED.clear()


def install(schema_editor=None) -> bool:
    """Create the extension and the table when the server offers pgvector, and fill the table from the stored
    paper indexes; True when done. Never fails for want of the extension: the NumPy path stays."""
    conn = schema_editor.connection if schema_editor is not None else connection
    if conn.vendor != "postgresql":
        return False
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        cursor.execute(CREATE_TABLE)
        cursor.execute("SELECT paper_id, encoder, text_sha256, data FROM suggestions_papervectors")
        for paper_id, encoder, sha, data in cursor.fetchall():
            _write(cursor, paper_id, encoder, sha, PaperIndex.from_bytes(paper_id, bytes(data)))
    forget()
    return True


def _literal(vector: np.ndarray) -> str:
    # repr of each float32 (as a Python float) reads back as the same float32.
    return "[" + ",".join(map(repr, vector.astype(np.float64).tolist())) + "]"


def _write(cursor, paper_id: int, encoder: str, sha: str, paper_index: PaperIndex) -> None:
    cursor.execute(f"DELETE FROM {TABLE} WHERE paper_id = %s AND encoder = %s", [paper_id, encoder])
    vectors = paper_index.passage_vectors()
    if not len(vectors):
        return
    cursor.execute(
        f"INSERT INTO {TABLE} (paper_id, encoder, text_sha256, passage, embedding) "
        "SELECT %s, %s, %s, number - 1, embedding::vector FROM unnest(%s::text[]) WITH ORDINALITY AS t(embedding, number)",
        [paper_id, encoder, sha, [_literal(v) for v in vectors]],
    )


def store(paper_id: int, encoder: str, sha: str, data: bytes) -> None:
    """Replace the paper's passage vectors under `encoder` with those of the stored index `data` (read back from
    the bytes, as the project index reads them, so both paths see the same vectors). Call inside the transaction
    that stores `PaperVectors`."""
    if not enabled():
        return
    with connection.cursor() as cursor:
        _write(cursor, paper_id, encoder, sha, PaperIndex.from_bytes(paper_id, data))


def forget_paper(paper_id: int) -> None:
    if enabled():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE paper_id = %s", [paper_id])


def _offsets(index: ProjectIndex) -> np.ndarray:
    """First passage row of each paper of the index (its passages are contiguous, in paper order)."""
    return np.searchsorted(index.passage_paper, np.arange(len(index.papers) + 1))


def _holds(index: ProjectIndex, encoder: str, versions: dict[int, str], generation: int) -> bool:
    """Whether the table holds every paper of the index at the index's version, with as many passages (once per
    index generation)."""
    key = (_database(), generation, encoder)
    found = _CHECKED.get(key)
    if found is None:
        counts = np.diff(_offsets(index))
        expected = {pk: (versions.get(pk), int(n)) for pk, n in zip(index.papers, counts.tolist(), strict=True)}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT paper_id, text_sha256, count(*) FROM {TABLE} WHERE encoder = %s AND paper_id = ANY(%s) "
                "GROUP BY paper_id, text_sha256",
                [encoder, list(expected)],
            )
            held = {pk: (sha, n) for pk, sha, n in cursor.fetchall()}
        found = all(held.get(pk, (None, 0)) == want or want[1] == 0 for pk, want in expected.items())
        if not found:
            log.warning("Suggestions: the pgvector table is behind the stored indexes; NumPy is used meanwhile")
        with _LOCK:
            if len(_CHECKED) > 100:
                _CHECKED.clear()
            _CHECKED[key] = found
    return found


def nearest(index: ProjectIndex, encoder: str, versions: dict, papers: list, vector: np.ndarray, pool: int):
    """Rows of the index nearest `vector` among `papers`' passages: at least the best `pool` (all when fewer),
    and every passage whose distance is within TOLERANCE of the pool's last."""
    offsets = _offsets(index)
    number = {pk: i for i, pk in enumerate(index.papers)}
    shas = [versions[pk] for pk in papers]
    literal = _literal(vector)
    limit = pool + 32
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.paper_id, e.passage, e.embedding <=> %s::vector FROM {TABLE} e "
                "JOIN unnest(%s::bigint[], %s::text[]) AS v(paper_id, sha) "
                "ON e.paper_id = v.paper_id AND e.text_sha256 = v.sha "
                "WHERE e.encoder = %s ORDER BY e.embedding <=> %s::vector LIMIT %s",
                [literal, papers, shas, encoder, literal, limit],
            )
            found = cursor.fetchall()
        if len(found) < limit or found[-1][2] - found[pool - 1][2] > TOLERANCE:
            break
        limit *= 2
    return np.array([offsets[number[pk]] + passage for pk, passage, _ in found], dtype=np.int64)


def exact_cosines(index: ProjectIndex, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """`index.similarity(vector)[rows]`, computed on these rows' sentences alone, the same way."""
    first, last = index.passage_first[rows], index.passage_last[rows]
    if not len(rows):
        return np.zeros(0, dtype=np.float32)
    lengths = last - first + 1
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    sentences = np.repeat(first, lengths) + np.arange(lengths.sum()) - np.repeat(starts, lengths)
    cosines = index.sentence_vectors[sentences] @ vector
    sums = np.add.reduceat(cosines.astype(np.float64), starts)
    return (sums / index.passage_norm[rows]).astype(np.float32)


class DatabaseSimilarity:
    """`ProjectIndex.similarity` answered by the database: the exact cosine for the passages pgvector finds
    nearest, BELOW_ANY_COSINE for the others (which the ranking never takes as embedding candidates then)."""

    def __init__(self, index: ProjectIndex, encoder: str, versions: dict, papers: list, pool: int):
        self.index, self.encoder, self.versions, self.papers, self.pool = index, encoder, versions, papers, pool

    def __call__(self, vector: np.ndarray) -> np.ndarray:
        dense = np.full(len(self.index), BELOW_ANY_COSINE, dtype=np.float32)
        if not self.papers:
            return dense
        rows = nearest(self.index, self.encoder, self.versions, self.papers, vector, self.pool)
        dense[rows] = exact_cosines(self.index, rows, vector)
        return dense


def searched_by_database(
    index: ProjectIndex, *, encoder: str, versions: dict, generation: int, authors: frozenset, stale=frozenset()
) -> ProjectIndex:
    """The index as the ranking should see it: one whose dense similarity the database answers, when pgvector is
    enabled, holds the index's versions and no paper is stale; the index itself otherwise."""
    if stale or not len(index) or not searching() or not _holds(index, encoder, versions, generation):
        return index
    papers = [pk for pk, held in zip(index.papers, index.authors, strict=True) if not (held & authors)]
    searched = copy.copy(index)
    searched.similarity = DatabaseSimilarity(index, encoder, versions, papers, CANDIDATES)
    return searched
