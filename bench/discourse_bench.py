"""Benchmark of the argument map and the stance matrix: response time, payload size and query count of
GET map/ and GET compare/ (and a network export), and the time until /map/ is drawn in headless Chromium.

    .venv/bin/python bench/discourse_bench.py                       # 10,000 claims, 30,000 links
    .venv/bin/python bench/discourse_bench.py --claims 2000 --links 6000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sco_claims_bench .venv/bin/python bench/discourse_bench.py

Without DATABASE_URL it builds a fresh SQLite file in a temporary folder. Prints figures; asserts nothing.
"""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-42-long"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # The production settings (real password hashing, so the server below can check the password), over HTTP.
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_claims.settings"
    os.environ["DJANGO_SECURE"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    import django

    django.setup()


def build(n_claims: int, n_links: int, seed: int = 6) -> None:
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from annotations.models import Author, Claim, Link, Paper, PaperAuthor, Status, Tag, User

    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)  # the five papers and the codebook
    rng = random.Random(seed)
    user = User.objects.create_user("bench", password=PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name="moderator")])
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
    through = Claim.tags.through
    through.objects.bulk_create(
        [through(claim_id=c.pk, tag_id=t.pk) for c in claims for t in rng.sample(tags, rng.randint(1, 2))],
        batch_size=5000,
    )
    pairs = set()
    while len(pairs) < n_links:
        a, b = rng.sample(range(n_claims), 2)
        pairs.add((a, b, rng.choice(["supports", "conflicts", "restates"])))
    Link.objects.bulk_create(
        [
            Link(source=claims[a], target=claims[b], relation=r, created_by=user, status=Status.APPROVED)
            for a, b, r in pairs
        ],
        batch_size=5000,
    )


def api_figures(urls: list[str]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    print(f"{'endpoint':58} {'median ms':>10} {'min ms':>8} {'bytes':>11} {'queries':>8}")
    for url in urls:
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                body = response.content
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code, body[:300])
        print(f"{url:58} {statistics.median(times):10.0f} {min(times):8.0f} {len(body):11,} {len(queries):8}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_figures(database_url: str, n_claims: int) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    # DEBUG so that runserver serves the static files (through WhiteNoise's finders).
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_DEBUG="1")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(600_000)
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
            ready = "() => document.querySelector('[data-argument-map]').dataset.state === 'ready'"
            print(f"{'page until the map is ready (headless Chromium, no GPU)':58} {'seconds':>10}  drawn")
            for label, url in [
                ("/map/ (automatic layout)", "/map/"),
                ("/map/?paper=bench-00", "/map/?paper=bench-00"),
                ("/map/?layout=cose (force-directed)", "/map/?layout=cose"),
                ("/map/?layout=tag", "/map/?layout=tag"),
            ]:
                t0 = time.perf_counter()
                page.goto(f"{base}{url}")
                page.wait_for_function(ready, polling=50)
                seconds = time.perf_counter() - t0
                counts = page.evaluate(
                    "() => { const d = document.querySelector('[data-argument-map]').dataset; return [d.nodeCount, d.edgeCount, d.layout, d.fetchMs, d.drawMs]; }"
                )
                print(
                    f"{label:58} {seconds:10.2f}  {counts[0]} nodes, {counts[1]} edges, layout {counts[2]}; "
                    f"fetch {counts[3]} ms, build+layout {counts[4]} ms"
                )
            t0 = time.perf_counter()
            page.goto(f"{base}/compare/")
            page.wait_for_selector("table[data-stance-matrix][data-state=ready]")
            print(f"{'/compare/ until the matrix is drawn':58} {time.perf_counter() - t0:10.2f}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=30_000)
    parser.add_argument("--no-browser", action="store_true")
    options = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/bench.sqlite3"
    setup_django(database_url)
    t0 = time.perf_counter()
    build(options.claims, options.links)
    from django.db import connection

    print(
        f"{connection.vendor}: {options.claims:,} claims, {options.links:,} links built in {time.perf_counter() - t0:.1f} s\n"
    )
    api_figures(
        [
            "/api/v1/map/",
            "/api/v1/map/?tag=not-an-alliance&relation=conflicts",
            "/api/v1/compare/",
            "/api/v1/compare/?by=speaker",
            "/api/v1/compare/?by=paper&status=approved",
            "/api/v1/export/network/conflict.graphml",
            "/api/v1/export/network/author-tag.csv",
        ]
    )
    if not options.no_browser:
        print()
        browser_figures(database_url, options.claims)
    tmp.cleanup()


if __name__ == "__main__":
    main()
