"""`make bench` / `python -m bench.run [NAME ...]`: run the benches and print one table of figures and ratios.

Sections: writers (concurrent API writers, SQLite and PostgreSQL), reader (2,000 overlapping claims, Chromium
paint), export (the floor of the JSON export), map (map/ and compare/ on 10,000 claims and 30,000 links,
Chromium draw), reanchor (10,000 claims after 50 edits), agreement (the agreement report on 3 analysts x 5 papers x
2,000 claims, pure Python), upload (a 30-page PDF extracted and uploaded), projects (queries per page for a user in 1 project and in 10), suggest (passage suggestions: quality on the labelled development set against BM25
and embeddings alone, indexing time, latency on 1,000 papers), suggest_api (suggestions through the API with the stored
indexes, and indexing on load), index_build (the first build of a project's suggestion index, in the core), search (full-text search latency on the five papers and on 1,000, SQLite and
PostgreSQL, and the time to index them), pgvector (the database's exact nearest-passage scan against NumPy's
product). All figures come from one run on this machine, whose
description heads the table. Servers listen on 127.0.0.1 only; every loop and child process is bounded and the
run stops by itself. Exit status 1 if a section fails or a figure that must be 0 is not.
"""

import argparse
import os
import platform
import sqlite3
import sys
import time
from importlib.metadata import version
from pathlib import Path

if __package__ in {None, ""}:  # `python bench/run.py` as well as `python -m bench.run`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from bench import (
    agreement,
    concurrent_writers,
    discourse,
    export_floor,
    index_build,
    pgvector_scan,
    projects,
    reader,
    reanchor,
    search,
    suggest,
    suggest_api,
    uploads,
    writes,
)
from bench.common import Row, postgres_available

BENCHES = {
    "writers": concurrent_writers.run,
    "reader": reader.run,
    "export": export_floor.run,
    "map": discourse.run,
    "reanchor": reanchor.run,
    "agreement": agreement.run,
    "suggest": suggest.run,
    "suggest_api": suggest_api.run,
    "index_build": index_build.run,
    "search": search.run,
    "writes": writes.run,
    "upload": uploads.run,
    "projects": projects.run,
    "pgvector": pgvector_scan.run,
}


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> list[tuple[str, str]]:
    return [
        ("cores", str(os.cpu_count())),
        ("memory", memory_total()),
        ("os", platform.platform()),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_available() or "not reachable on 127.0.0.1:5432"),
        ("Django", version("Django")),
        ("gunicorn", version("gunicorn")),
    ]


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(rows: list[Row]) -> None:
    headers = ("bench", "figure", "value", "unit", "note")
    cells = [(r.bench, r.figure, format_value(r.value), r.unit, r.note) for r in rows]
    widths = [max(len(headers[i]), *(len(c[i]) for c in cells)) if cells else len(headers[i]) for i in range(4)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers[:4], widths, strict=True)) + "  note"
    print(line)
    print("-" * len(line))
    for c in cells:
        print("  ".join(c[i].rjust(widths[i]) if i == 2 else c[i].ljust(widths[i]) for i in range(4)) + "  " + c[4])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "names", nargs="*", choices=[[], *BENCHES], help=f"benches to run (default: all): {', '.join(BENCHES)}"
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent writers (default 16)")
    parser.add_argument("--claims-per-client", type=int, default=200, help="claims each writer creates (default 200)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller sizes (200 reader claims; 2,000 map claims; 2,000 reanchored claims; 400 claims a paper for "
        "agreement): a smoke run",
    )
    parser.add_argument(
        "--export-claims", type=int, nargs=2, metavar=("SMALL", "LARGE"),
        help="corpus sizes of the export floor bench (default 10000 100000; 2000 20000 with --quick)",
    )  # fmt: skip
    parser.add_argument("--writes-count", type=int, default=200, help="claims created one by one (default 200)")
    parser.add_argument(
        "--writes-before", metavar="PATH", help="writes: also measure the checkout at PATH (e.g. a worktree of main)"
    )
    parser.add_argument("--time-limit", type=float, default=600, help="seconds a bench may send requests (default 600)")
    options = parser.parse_args(argv)
    names = options.names or list(BENCHES)

    print("sco-claims bench")
    for key, value in machine():
        print(f"  {key:<11} {value}")
    print()
    rows: list[Row] = []
    failed = False
    for name in names:
        started = time.perf_counter()
        try:
            rows += BENCHES[name](options)
        except Exception as error:
            failed = True
            rows.append(Row(name, "FAILED", type(error).__name__, "", str(error).splitlines()[0][:200]))
            print(f"bench {name} failed: {error}", file=sys.stderr)
        print(f"[{name}: {time.perf_counter() - started:.0f} s]", file=sys.stderr)
    print_table(rows)
    must_be_zero = [r for r in rows if r.note == "must be 0" and r.value not in (0, "-")]
    if must_be_zero:
        print(f"\n{len(must_be_zero)} figure(s) that must be 0 are not.")
    return 1 if failed or must_be_zero else 0


if __name__ == "__main__":
    sys.exit(main())
