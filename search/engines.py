"""What differs between the two databases: how the index is made (for the migration), and how a parsed query
is matched and ranked (for the selector). Everything else is shared SQL.

SQLite: an FTS5 table over `search_searchentry` (external content, its rowid the entry's id), kept in step by
three triggers; tokenizer unicode61 (letters and digits, case and accents folded), prefix indexes for 2 and 3
characters; ranked by bm25(). PostgreSQL: a stored generated tsvector column, `to_tsvector('simple', text)`
(case folded, no stemming, no stop words, as FTS5 here), with a GIN index; ranked by ts_rank_cd()."""

from . import query

ENTRY_TABLE = "search_searchentry"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        text, content='{ENTRY_TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    f"""CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON {ENTRY_TABLE} BEGIN
        INSERT INTO search_entry_fts(rowid, text) VALUES (new.id, new.text); END""",
    f"""CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON {ENTRY_TABLE} BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    f"""CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON {ENTRY_TABLE} BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO search_entry_fts(rowid, text) VALUES (new.id, new.text); END""",
    # Entries written before the table existed (none on a new database).
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]

POSTGRESQL_CREATE = [
    f"""ALTER TABLE {ENTRY_TABLE} ADD COLUMN document tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED""",
    f"CREATE INDEX search_entry_document ON {ENTRY_TABLE} USING GIN (document)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_entry_document",
    f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS document",
]


def matches_sql(vendor: str, tree: query.Node) -> tuple[str, str, list]:
    """(FROM clause, WHERE condition, its parameters) selecting the entries `e` that match `tree`, with their
    rank as `score` (higher is better): to be read as `SELECT ..., <score> FROM <from> WHERE <where>`."""
    if vendor == "sqlite":
        return (
            f"search_entry_fts JOIN {ENTRY_TABLE} e ON e.id = search_entry_fts.rowid",
            "search_entry_fts MATCH %s",
            [query.fts5(tree)],
        )
    if vendor == "postgresql":
        return (
            f"{ENTRY_TABLE} e, to_tsquery('simple'::regconfig, %s) q",
            "e.document @@ q",
            [query.tsquery(tree)],
        )
    raise NotImplementedError(f"Search has no engine for the {vendor} database.")


def score_sql(vendor: str) -> str:
    # bm25() is lower for better matches; ts_rank_cd higher.
    return "-bm25(search_entry_fts)" if vendor == "sqlite" else "ts_rank_cd(e.document, q)"


def materialized(vendor: str) -> str:
    """How the engine's matches are kept apart from the filters joined to them: on PostgreSQL, computed once
    (MATERIALIZED), so that a plan made on stale statistics (just after an import) cannot run the index scan once
    per paper of the project; SQLite already runs its FTS5 match first."""
    return "MATERIALIZED" if vendor == "postgresql" else ""
