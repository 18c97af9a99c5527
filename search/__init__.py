"""Full-text search over a project's paper texts and claims, with each database's own engine (SQLite FTS5,
PostgreSQL full-text search with a GIN index); see docs/search.md."""
