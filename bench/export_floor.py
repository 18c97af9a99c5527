"""`export/claims.json` against its floor: a plain sqlite3 SELECT of the same rows, serialized with the same
JSON library (json). Each is run in a fresh process so that its peak memory (ru_maxrss) is its own.

The export is the native export as the endpoint and `export_claims` stream it (exporting.native_chunks,
seen by a moderator, written into a sink that only counts bytes); its time is given as a ratio to the
floor's, and its peak memory at the small and the large size (it must stay flat: streamed), both as the
process's peak and as the growth over the process's peak before the export started (Django's own).

Sizes: 10,000 and 100,000 claims (half as many links) by default, 2,000 and 20,000 with `--quick`, or
`--export-claims SMALL LARGE` through bench.run.
"""

import json
import subprocess
import sys
import time

from . import corpus
from .common import PYTHON, Row, django_script, prepare_database, server_env, sqlite_database

NAME = "export floor"

FLOOR = r"""
import json, resource, sqlite3, sys, time
started = time.perf_counter()
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
tags = {}
for claim_id, slug in db.execute(
    "SELECT ct.claim_id, t.slug FROM annotations_coding ct JOIN annotations_tag t ON t.id = ct.tag_id"
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


SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000, 20_000)

EXPORT = """
import json, resource, time
from annotations import exporting
from annotations.management.commands.export_claims import ShellModerator
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
written = 0
for chunk in exporting.native_chunks(exporting.export_set(ShellModerator(), {})):
    written += len(chunk.encode("utf-8"))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "bytes": written, "peak_rss_mib": peak, "growth_mib": peak - before}))
"""


def export(env: dict[str, str]) -> dict:
    return django_script(env, EXPORT)


def sizes_of(options) -> list[tuple[int, int]]:
    claims = getattr(options, "export_claims", None) or (QUICK_SIZES if options.quick else SIZES)
    return [(count, count // 2) for count in claims]


def run(options) -> list[Row]:
    rows = []
    sizes = sizes_of(options)
    figures = []
    for claims, links in sizes:
        with sqlite_database() as (database_url, workdir):
            env = server_env(database_url, workdir)
            prepare_database(env)
            started = time.perf_counter()
            seeded = corpus.seed(env, claims=claims, links=links)
            seconds = time.perf_counter() - started
            measured = floor(database_url.removeprefix("sqlite:///"))
            exported = export(env)
        figures.append((measured, exported))
        bench = f"{NAME} · {claims:,} claims, {links:,} links"
        rows += [
            Row(bench, "corpus built", seeded["claims"], "claims", f"{seeded['links']:,} links in {seconds:.0f} s"),
            Row(bench, "floor time", round(measured["seconds"], 2), "s", "sqlite3 SELECT + json.dumps"),
            Row(bench, "floor size", round(measured["bytes"] / 1024 / 1024, 1), "MiB"),
            Row(bench, "floor peak memory", round(measured["peak_rss_mib"], 1), "MiB", "ru_maxrss, fresh process"),
            Row(bench, "export time", round(exported["seconds"], 2), "s", "exporting.native_chunks, moderator"),
            Row(bench, "export size", round(exported["bytes"] / 1024 / 1024, 1), "MiB"),
            Row(bench, "export / floor", round(exported["seconds"] / measured["seconds"], 1), "x", "time"),
            Row(bench, "export peak memory", round(exported["peak_rss_mib"], 1), "MiB", "ru_maxrss, fresh process"),
            Row(bench, "export memory growth", round(exported["growth_mib"], 1), "MiB", "over Django's own peak"),
        ]
    if len(figures) < 2:
        return rows
    (small, _), (large, _) = sizes[0], sizes[-1]
    (floor_small, export_small), (floor_large, export_large) = figures[0], figures[-1]
    ratio = f"{large:,} / {small:,} claims"
    rows += [
        Row(NAME, f"floor time {ratio}", round(floor_large["seconds"] / floor_small["seconds"], 1), "x",
            f"linear is {large // small}"),
        Row(NAME, f"floor memory {ratio}", round(floor_large["peak_rss_mib"] / floor_small["peak_rss_mib"], 1), "x",
            "the floor holds every row"),
        Row(NAME, f"export time {ratio}", round(export_large["seconds"] / export_small["seconds"], 1), "x",
            f"linear is {large // small}"),
        Row(NAME, f"export peak memory {ratio}", round(export_large["peak_rss_mib"] / export_small["peak_rss_mib"], 2),
            "x", "streamed: flat is 1"),
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    sys.exit("run through bench.run")
