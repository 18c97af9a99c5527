"""`python -m bench.run map`: the argument map and the stance matrix on 10,000 claims and 30,000 links.

Figures: response time, payload size and query count of GET /api/v1/map/ (the documented full shape, which the
/map/ page loaded before, and the compact shape it loads first now) and /api/v1/compare/ (and a network export),
in-process on a fresh SQLite file; and in headless Chromium the time from navigation until /map/ is drawn
(`data-state="ready"`, then its first frame painted) and until /compare/'s matrix is. Synthetic data: 20 papers (15 with 1-3
of 30 authors), the 14-tag codebook, 1-2 tags per claim, 15 % quoted speakers, 90 % approved, random links.
Earlier figures, with PostgreSQL beside SQLite: bench/discourse_results.md.
"""

import random
import statistics
import time

from .common import Row, browser_page, child_json, child_main

NAME = "map"
PASSWORD = "bench-password-42-long"
FIRST_PAYLOAD = "/api/v1/map/?shape=compact"  # what /map/ fetches first
BEFORE_PAYLOAD = "/api/v1/map/"  # what it fetched before the compact shape
ENDPOINTS = [
    BEFORE_PAYLOAD,
    FIRST_PAYLOAD,
    "/api/v1/map/?tag=not-an-alliance&relation=conflicts",
    "/api/v1/compare/",
    "/api/v1/compare/?by=speaker",
    "/api/v1/export/network/conflict.graphml",
]
PAGES = [
    ("/map/", "/map/"),
    ("/map/?layout=cose", "/map/?layout=cose"),
    ("/map/?paper=bench-00", "/map/?paper=bench-00"),
]
MAP_READY = "() => document.querySelector('[data-argument-map]').dataset.painted === 'true'"
MAP_FIGURES = """() => { const d = document.querySelector('[data-argument-map]').dataset;
  return {nodes: +d.nodeCount, edges: +d.edgeCount, layout: d.layout, fetch: +d.fetchMs, draw: +d.drawMs,
          paint: +d.paintMs}; }"""


def run(options) -> list[Row]:
    claims, links = (2000, 6000) if options.quick else (10_000, 30_000)
    r = child_json("bench.discourse", f"--claims={claims}", f"--links={links}")
    bench = f"{NAME} · {claims:,} claims, {links:,} links"
    rows = [Row(bench, "corpus built", round(r["built"], 1), "s", "bulk_create; not a figure of the app")]
    for url, f in r["api"].items():
        rows += [
            Row(bench, f"GET {url}", round(f["ms"]), "ms", f"median of 3; {f['queries']} SQL queries"),
            Row(bench, f"GET {url} payload", round(f["bytes"] / 1024), "KiB"),
        ]
    before, after = r["api"][BEFORE_PAYLOAD]["bytes"], r["api"][FIRST_PAYLOAD]["bytes"]
    rows += [
        Row(bench, "/map/ first payload before (full shape)", round(before / 1024 / 1024, 2), "MiB"),
        Row(bench, "/map/ first payload after (compact shape)", round(after / 1024 / 1024, 2), "MiB", "target: 2 MiB"),
        Row(bench, "/map/ first payload, after / before", round(after / before, 3), "x"),
    ]
    for label, f in r["pages"].items():
        note = (
            f"{f['nodes']:,} nodes, {f['edges']:,} edges, layout {f['layout']}; fetch {f['fetch']:.0f} ms, "
            f"draw {f['draw']:.0f} ms, first frame {f['paint']:.0f} ms after the answer"
        )
        rows.append(Row(bench, f"Chromium: {label} drawn", round(f["seconds"], 2), "s", note))
    rows.append(Row(bench, "Chromium: /compare/ matrix drawn", round(r["compare_seconds"], 2), "s"))
    return rows


def build(n_claims: int, n_links: int, seed: int = 6) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from annotations.models import Author, Claim, Coding, Link, Paper, PaperAuthor, Status, Tag, User
    from projects.models import Membership, default_project

    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)  # the five papers and the codebook
    rng = random.Random(seed)
    user = User.objects.create_user("bench", password=PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name="moderator")])
    Membership.objects.create(project=default_project(), user=user, role="moderator")
    authors = [Author.objects.create(name=f"Bench Author {i:02}") for i in range(30)]
    text = Paper.objects.order_by("slug").first().text
    papers = list(Paper.objects.all())
    for i in range(15):
        paper = Paper.objects.create(slug=f"bench-{i:02}", title=f"Bench paper {i}", text=text)
        for position, author in enumerate(rng.sample(authors, rng.randint(1, 3)), start=1):
            PaperAuthor.objects.create(paper=paper, author=author, position=position)
        papers.append(paper)
    tags = list(Tag.objects.all())
    speakers = ["Qi Guowei", "Hu Jintao", "Vladimir Putin", "Nursultan Nazarbayev", "Condoleezza Rice"]
    claims = []
    for i in range(n_claims):
        paper = rng.choice(papers)
        start = rng.randrange(0, len(paper.text) - 200)
        end = start + rng.randint(20, 180)
        claims.append(
            Claim(
                paper=paper, start=start, end=end, exact=paper.text[start:end], statement=f"Bench statement {i}: the SCO and security",
                speaker=rng.choice(speakers) if rng.random() < 0.15 else "", stance=rng.choice(["affirms", "affirms", "denies", "qualifies"]),
                status=Status.APPROVED if rng.random() < 0.9 else Status.PENDING, created_by=user,
            )
        )  # fmt: skip
    Claim.objects.bulk_create(claims, batch_size=2000)
    Coding.objects.bulk_create(
        [
            Coding(claim_id=c.pk, tag_id=t.pk, stance=c.stance)
            for c in claims
            for t in rng.sample(tags, rng.randint(1, 2))
        ],
        batch_size=5000,
    )
    pairs, joined = set(), set()  # two claims carry at most one live link
    while len(pairs) < n_links:
        a, b = rng.sample(range(n_claims), 2)
        if frozenset((a, b)) not in joined:
            joined.add(frozenset((a, b)))
            pairs.add((a, b, rng.choice(["supports", "conflicts", "restates"])))
    Link.objects.bulk_create(
        [
            Link(source=claims[a], target=claims[b], relation=r, created_by=user, status=Status.APPROVED)
            for a, b, r in pairs
        ],
        batch_size=5000,
    )


def api_figures(urls: list[str]) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    figures = {}
    for url in urls:
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                body = response.content
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code, body[:300])
        figures[url] = {"ms": statistics.median(times), "bytes": len(body), "queries": len(queries)}
    return figures


def browser_figures() -> dict:
    pages = {}
    with browser_page("bench", PASSWORD, viewport=(1400, 900)) as (page, base):
        page.set_default_timeout(600_000)
        for label, url in PAGES:
            began = time.perf_counter()
            page.goto(f"{base}{url}")
            page.wait_for_function(MAP_READY, polling=50)
            pages[label] = {"seconds": time.perf_counter() - began, **page.evaluate(MAP_FIGURES)}
        began = time.perf_counter()
        page.goto(f"{base}/compare/")
        page.wait_for_selector("table[data-stance-matrix][data-state=ready]")
        return {"pages": pages, "compare_seconds": time.perf_counter() - began}


def measure(claims: int, links: int) -> dict:
    began = time.perf_counter()
    build(claims, links)
    built = time.perf_counter() - began
    return {"built": built, "api": api_figures(ENDPOINTS), **browser_figures()}


if __name__ == "__main__":
    child_main(__doc__, measure, claims=10_000, links=30_000)
