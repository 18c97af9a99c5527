"""The floor for `export/claims.json`: a plain sqlite3 SELECT of the same rows, serialized with the same JSON
library (json), in a fresh process so that its peak memory (ru_maxrss) is its own.

TODO(exports branch): the export endpoint itself, timed as a ratio to this floor, and its peak memory at
10,000 and 100,000 claims (it must stay flat: streamed). Only the floor is measured until then.
"""

import json
import subprocess
import sys
import time

from . import corpus
from .common import PYTHON, Row, prepare_database, server_env, sqlite_database

NAME = "export floor"

FLOOR = r"""
import json, resource, sqlite3, sys, time
started = time.perf_counter()
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
tags = {}
for claim_id, slug in db.execute(
    "SELECT ct.claim_id, t.slug FROM annotations_claim_tags ct JOIN annotations_tag t ON t.id = ct.tag_id"
):
    tags.setdefault(claim_id, []).append(slug)
claims = [
    dict(row) | {"tags": tags.get(row["id"], [])}
    for row in db.execute(
        "SELECT c.*, p.slug AS paper_slug, u.username AS created_by_name FROM annotations_claim c "
        "JOIN annotations_paper p ON p.id = c.paper_id JOIN annotations_user u ON u.id = c.created_by_id "
        "WHERE c.deleted_at IS NULL ORDER BY c.paper_id, c.start, c.\"end\", c.id"
    )
]
links = [dict(row) for row in db.execute("SELECT * FROM annotations_link WHERE deleted_at IS NULL ORDER BY created_at, id")]
papers = [dict(row) for row in db.execute("SELECT * FROM annotations_paper ORDER BY slug")]
body = json.dumps({"papers": papers, "claims": claims, "links": links}, ensure_ascii=False)
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "bytes": len(body.encode()), "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def floor(path: str) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", FLOOR, path], capture_output=True, text=True, timeout=600, check=True
    )  # fmt: skip
    return json.loads(result.stdout)


def run(options) -> list[Row]:
    rows = []
    sizes = [(10_000, 5_000), (100_000, 50_000)] if not options.quick else [(1_000, 500), (10_000, 5_000)]
    for claims, links in sizes:
        with sqlite_database() as (database_url, workdir):
            env = server_env(database_url, workdir)
            prepare_database(env)
            started = time.perf_counter()
            seeded = corpus.seed(env, claims=claims, links=links)
            seconds = time.perf_counter() - started
            measured = floor(database_url.removeprefix("sqlite:///"))
        bench = f"{NAME} · {claims:,} claims, {links:,} links"
        rows += [
            Row(bench, "corpus built", seeded["claims"], "claims", f"{seeded['links']:,} links in {seconds:.0f} s"),
            Row(bench, "floor time", round(measured["seconds"], 2), "s", "sqlite3 SELECT + json.dumps"),
            Row(bench, "floor size", round(measured["bytes"] / 1024 / 1024, 1), "MiB"),
            Row(bench, "floor peak memory", round(measured["peak_rss_mib"], 1), "MiB", "ru_maxrss, fresh process"),
            Row(bench, "export / floor", "-", "", "TODO(exports branch): needs export/claims.json"),
        ]
    (small, _), (large, _) = sizes
    ratio = f"{large // 1000}k / {small // 1000}k"
    if rows[1].value and rows[3].value:
        rows.append(
            Row(
                NAME, f"floor time {ratio}", round(rows[6].value / rows[1].value, 1), "x", f"linear is {large // small}"
            )
        )
        rows.append(
            Row(
                NAME, f"floor memory {ratio}", round(rows[8].value / rows[3].value, 1), "x", "the floor holds every row"
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit("run through bench.run")
