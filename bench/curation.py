"""`python -m bench.curation [--quick]`: the time of the curation page's alignment (curation.aligning.align) for
one paper coded by 3 analysts with 2,000 claims each (the agreement bench's synthetic codings of one paper), pure
Python: what the page and `GET papers/{slug}/curation/` add to the board's queries (pinned in the tests); then, in
a fresh SQLite database (bench/curation_db.py), the API's default page and largest page, the page, and the whole
board as the selector builds it. Not among `bench.run`'s sections yet (see docs/agreement.md, Curation)."""

import argparse
import sys
import time

from .agreement import synthetic
from .common import Row, child_json

NAME = "curation"


def run(options) -> list[Row]:
    from curation.aligning import Version, align

    claims = 400 if options.quick else 2000
    coded, _, _ = synthetic(papers=1, claims=claims, links=0)
    versions = [
        Version(id=c.id, coder=c.coder, start=c.start, end=c.end, codings=tuple(sorted(c.codings.items())))
        for c in coded
    ]
    bench = f"{NAME} · 3 analysts x 1 paper x {claims:,} claims"
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        rows = align(versions)
        timings.append(time.perf_counter() - started)
    timings.sort()
    by_all = sum(1 for row in rows if len(row) == 3)
    found = [
        Row(bench, "align", round(timings[1], 3), "s", f"median of 3, pure Python; {len(versions):,} versions"),
        Row(bench, "units", len(rows), "", f"{by_all:,} coded by all three"),
    ]
    stored = child_json("bench.curation_db", "--claims", str(claims))
    for label in ("api_page_50", "api_page_1000", "page"):
        figures = stored[label]
        note = f"median of 3, {figures['queries']} queries, {figures['bytes']:,} bytes"
        found.append(Row(bench, label, figures["seconds"], "s", note))
    whole = stored["whole_board"]
    note = f"selector + JSON, every unit ({whole['units']:,}), {whole['bytes']:,} bytes: what the API sent unpaged"
    found.append(Row(bench, "whole_board", whole["seconds"], "s", note))
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for row in run(parser.parse_args()):
        sys.stdout.write(f"{row.bench}  {row.figure}: {row.value} {row.unit}  ({row.note})\n")
