"""`python -m bench.curation` (its database part): the curation board of one paper coded by 3 analysts with 2,000
claims each (the agreement bench's synthetic codings, and their links), stored in a fresh SQLite file in its own
process: `GET papers/{slug}/curation/` (the default page of 50 units, and the largest page, 1,000), the page, and
the whole board as the selector builds it (what the API answered before it paged)."""

import json
import time

from .agreement_db import store_synthetic, time_pages
from .common import child_main


def measure(claims: int = 2000) -> dict:
    from django.test import Client

    from curation.selectors import curation_board

    stored = store_synthetic(papers=1, claims=claims, links=claims)
    (paper,) = stored["papers"].values()
    client = Client()
    client.force_login(stored["owner"])
    board = f"/api/v1/papers/{paper.slug}/curation/"
    urls = {
        "api_page_50": board,
        "api_page_1000": f"{board}?page_size=1000",
        "page": f"/projects/{stored['project'].slug}/papers/{paper.slug}/curate/",
    }
    found = {"versions": stored["claims"], "links": stored["links"], **time_pages(client, urls)}
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        whole = curation_board(paper)
        size = len(json.dumps(whole, default=str))
        timings.append(time.perf_counter() - started)
    timings.sort()
    found["whole_board"] = {"seconds": round(timings[1], 2), "units": len(whole["units"]), "bytes": size}
    return found


if __name__ == "__main__":
    child_main(__doc__, measure, claims=2000)
