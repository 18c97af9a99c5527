"""Benchmark the reader on a paper with 2,000 claims, many overlapping (not a test: prints figures).

    .venv/bin/python bench/reader_bench.py [--claims 2000] [--runs 10] [--no-browser]

Figures: the reader's server time as a ratio to the same paper with no claims, its SQL queries (both
papers), the text fragment's server time, and in headless Chromium the time until the highlights are
painted (first contentful paint, and the page's own `highlights-painted` mark once its script is wired).
Runs on a throw-away SQLite database in a temporary folder.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", "No directory at", UserWarning)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="sco-claims-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_claims.settings_test")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-bench-only-secret-key-bench-only")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotations import anchoring, corpus, services  # noqa: E402
from annotations.models import Claim, Paper, PaperAuthor, Role, Stance, Status, Tag, User  # noqa: E402

PASSWORD = "bench-password-not-secret-42"


def setup(n_claims: int, seed: int = 7) -> tuple[User, Paper, Paper]:
    call_command("migrate", verbosity=0)
    services.corpus_load(
        papers=corpus.papers_from_corpus_file(corpus.SHIPPED_CORPUS),
        tags=corpus.tags_from_codebook_file(corpus.SHIPPED_CODEBOOK),
    )
    user = User.objects.create(username="bench", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=Role.MODERATOR)])
    full = Paper.objects.get(slug="masuda-2010")
    empty = Paper.objects.create(slug="masuda-2010-empty", title=full.title, text=full.text, year=full.year)
    PaperAuthor.objects.bulk_create(
        PaperAuthor(paper=empty, author_id=b.author_id, position=b.position) for b in full.bylines.all()
    )
    rng = random.Random(seed)
    text = full.text
    statuses = [Status.PENDING, Status.APPROVED, Status.APPROVED, Status.REJECTED]
    # Two thirds spread over the text; a third on 40 key passages that many analysts annotate, each with
    # slightly different bounds (so they overlap, nest and cross rather than coincide).
    key_passages = [rng.randrange(len(text) - 700) for _ in range(40)]
    claims = []
    for i in range(n_claims):
        if i % 3 == 0:
            start = min(len(text) - 2, rng.choice(key_passages) + rng.randint(0, 80))
            length = rng.randint(60, 400)
        else:
            start = rng.randrange(len(text) - 2)
            length = rng.randint(15, 600)
        end = min(len(text), start + length)
        a = anchoring.anchor_at(text, start, end)
        claims.append(
            Claim(
                paper=full, start=a.start, end=a.end, exact=a.exact, prefix=a.prefix, suffix=a.suffix,
                statement=f"Bench claim {i}", stance=rng.choice(Stance.values), status=rng.choice(statuses),
                speaker=rng.choice(["", "", "Qi Guowei", "Hu Jintao"]), created_by=user,
            )
        )  # fmt: skip
    Claim.objects.bulk_create(claims, batch_size=500)
    tags = list(Tag.objects.all())
    through = Claim.tags.through
    through.objects.bulk_create(
        [through(claim_id=c.pk, tag_id=t.pk) for c in claims for t in rng.sample(tags, rng.randint(0, 3))],
        batch_size=1000,
    )
    return user, full, empty


def depth_stats(paper: Paper) -> tuple[float, int]:
    """Mean and max number of claims covering a code point (how overlapping the bench data is)."""
    cover = [0] * (len(paper.text) + 1)
    for start, end in paper.claims.values_list("start", "end"):
        cover[start] += 1
        cover[end] -= 1
    depth, total, deepest = 0, 0, 0
    for delta in cover[:-1]:
        depth += delta
        total += depth
        deepest = max(deepest, depth)
    return total / len(paper.text), deepest


def server_time(client: Client, url: str, runs: int) -> tuple[float, int, bytes]:
    for _ in range(2):
        client.get(url)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), len(queries), response.content


def browser_times(user: User, slugs: list[str], runs: int) -> dict[str, dict[str, float]]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from chromium import LAUNCH_ARGS, require_chromium

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require_chromium(), headless=True, args=LAUNCH_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill('input[name="username"]', user.username)
            page.fill('input[name="password"]', PASSWORD)
            page.click('button[type="submit"]')
            page.wait_for_url(f"{base}/papers/")
            for slug in slugs:
                figures: dict[str, list[float]] = {"response": [], "fcp": [], "parsed": [], "painted": [], "marks": []}
                for _ in range(runs + 1):
                    page.goto(f"{base}/papers/{slug}/")
                    page.wait_for_selector("body[data-reader-ready]", timeout=60_000)
                    entry = page.evaluate(
                        """() => ({
                          response: performance.getEntriesByType('navigation')[0].responseEnd,
                          fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
                          parsed: performance.getEntriesByType('navigation')[0].domInteractive,
                          painted: performance.getEntriesByName('highlights-painted')[0].startTime,
                          marks: document.querySelectorAll('[data-paper-text] mark').length,
                        })"""
                    )
                    for key, value in entry.items():
                        figures[key].append(value or 0.0)
                results[slug] = {key: statistics.median(values[1:]) for key, values in figures.items()}
                results[slug]["save"] = save_to_painted(page, runs=3)
            browser.close()
    finally:
        server.terminate()
    return results


SELECT_SENTENCE = """
(n) => {
  const text = document.querySelector('[data-paper-text]');
  const pieces = text.querySelectorAll('[data-start]:not(p)');
  const node = pieces[Math.floor(pieces.length * (0.2 + 0.15 * n))].firstChild;
  const range = document.createRange();
  range.setStart(node, 0);
  range.setEnd(node, node.data.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}
"""


def save_to_painted(page, runs: int) -> float:
    """Milliseconds from pressing Enter in the claim form to the refreshed highlights being painted."""
    times = []
    for n in range(runs):
        page.evaluate(SELECT_SENTENCE, n)
        page.keyboard.press("a")
        page.locator("form[data-claim-form]").wait_for(state="visible")
        page.fill('form[data-claim-form] [name="statement"]', f"Saved in the bench {n}")
        page.evaluate("window.__t0 = performance.now()")
        page.locator('form[data-claim-form] [name="statement"]').press("Enter")
        page.wait_for_selector("[data-flash]:not([hidden])", timeout=60_000)
        times.append(
            page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                "() => r(performance.now() - window.__t0))))"
            )
        )
        page.wait_for_selector("[data-flash]", state="hidden", timeout=10_000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    user, full, empty = setup(args.claims)
    mean_depth, max_depth = depth_stats(full)
    client = Client()
    client.force_login(user)
    t_empty, q_empty, size_empty = server_time(client, f"/papers/{empty.slug}/", args.runs)
    t_full, q_full, size_full = server_time(client, f"/papers/{full.slug}/", args.runs)
    t_fragment, q_fragment, _ = server_time(client, f"/papers/{full.slug}/text/?start=8509&end=8660", args.runs)

    print(f"Paper: {full.slug}, {len(full.text):,} code points; {args.claims:,} claims (moderator: all visible)")
    print(f"Overlap: mean {mean_depth:.1f} claims per code point, at most {max_depth}")
    for label, seconds, queries, body in (
        ("no claims", t_empty, q_empty, size_empty),
        (f"{args.claims:,} claims", t_full, q_full, size_full),
    ):
        print(
            f"Reader, {label + ':':14} {seconds * 1000:8.1f} ms  {queries} SQL queries  "
            f"{len(body) / 1024:6.0f} KiB ({len(gzip.compress(body)) / 1024:.0f} KiB gzipped)"
        )
    print(f"Server time ratio (claims / no claims): {t_full / t_empty:.1f}x")
    print(f"Text fragment, one claim's paragraphs (after a save): {t_fragment * 1000:.1f} ms, {q_fragment} queries")
    if not args.no_browser:
        for slug, figures in browser_times(user, [empty.slug, full.slug], max(3, args.runs // 2)).items():
            print(
                f"Chromium {slug}: response end {figures['response']:.0f} ms, first contentful paint "
                f"{figures['fcp']:.0f} ms, HTML parsed {figures['parsed']:.0f} ms, "
                f"highlights painted (script wired) {figures['painted']:.0f} ms, "
                f"save → new highlights painted {figures['save']:.0f} ms, "
                f"{int(figures['marks']):,} mark elements"
            )


if __name__ == "__main__":
    main()
