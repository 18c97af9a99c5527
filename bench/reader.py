"""The reader on a paper with 2,000 claims, many overlapping, against the same paper with none.

Figures, each with its ratio to the twin paper with no claims: `/papers/{slug}/` server time (in-process,
Django's test client: the whole request/response cycle without the network), measured interleaved so all
see the same load, with the claims data cached (annotations/reader_cache.py, in the default file-based cache)
and with nothing cached (the first read after a write: the stamp bumped before each request); page size (bytes, and gzipped); in headless Chromium the time until the page's own
`highlights-painted` mark (the claims painted with the CSS Custom Highlight API). Also: SQL queries of both
(they must not grow with the claims); the claims data a save fetches again; first contentful paint; the
number of claims painted; from pressing Enter in the claim form to the refreshed highlights painted. Runs in its own process on a
fresh SQLite file (`python -m bench.run reader`).
"""

import gzip
import random
import statistics
import time

from .common import Row, browser_page, child_json, child_main

NAME = "reader"
PASSWORD = "bench-password-not-secret-42"


def run(options) -> list[Row]:
    claims = 200 if options.quick else 2000
    runs = 3 if options.quick else 10
    r = child_json("bench.reader", f"--claims={claims}", f"--runs={runs}")
    bench = f"{NAME} · {r['paper']} ({r['length']:,} code points)"
    empty, full, cold, browser = r["empty"], r["full"], r["cold"], r["browser"]
    return [
        Row(bench, "overlap", r["mean_depth"], "claims/code point", f"mean; at most {r['max_depth']}"),
        Row(bench, "server time, no claims", round(empty["ms"], 1), "ms", "median"),
        Row(bench, f"server time, {claims:,} claims", round(full["ms"], 1), "ms", "median; claims data cached"),
        Row(bench, f"{claims:,} claims / none", round(full["ms"] / empty["ms"], 2), "x", "server time ratio"),
        Row(bench, f"server time, {claims:,} claims, nothing cached", round(cold["ms"], 1), "ms",
            "median; first read after a write"),
        Row(bench, f"{claims:,} claims nothing cached / none", round(cold["ms"] / empty["ms"], 2), "x",
            f"server time ratio; {cold['queries']} SQL queries"),
        Row(bench, "SQL queries, no claims", empty["queries"], ""),
        Row(bench, f"SQL queries, {claims:,} claims", full["queries"], "", "constant: does not grow with claims"),
        Row(bench, "page size, no claims", round(empty["bytes"] / 1024, 1), "KiB", f"{empty['gzip'] / 1024:.0f} gz"),
        Row(bench, f"page size, {claims:,} claims", round(full["bytes"] / 1024, 1), "KiB", f"{full['gzip'] / 1024:.0f} gz"),
        Row(bench, f"{claims:,} claims / none", round(full["bytes"] / empty["bytes"], 2), "x",
            f"page size ratio; {full['gzip'] / empty['gzip']:.2f}x gzipped"),
        Row(bench, "claims data after a save", round(r["fragment"]["ms"], 1), "ms",
            f"{r['fragment']['queries']} queries, {r['fragment']['bytes'] / 1024:.0f} KiB"),
        Row(bench, "Chromium: highlights painted, none", round(browser["empty"]["painted"]), "ms", "from navigation"),
        Row(bench, f"Chromium: highlights painted, {claims:,}", round(browser["full"]["painted"]), "ms", "from navigation"),
        Row(bench, f"{claims:,} claims / none", round(browser["full"]["painted"] / browser["empty"]["painted"], 2), "x",
            "highlights painted ratio"),
        Row(bench, "Chromium: first contentful paint, none", round(browser["empty"]["fcp"]), "ms"),
        Row(bench, f"Chromium: first contentful paint, {claims:,}", round(browser["full"]["fcp"]), "ms"),
        Row(bench, f"Chromium: claims painted, {claims:,}", int(browser["full"]["claims"]), "",
            "data-painted-claims"),
        Row(bench, f"Chromium: elements in the text, {claims:,}", int(browser["full"]["elements"]), "",
            "the same with none: the DOM does not grow with the claims"),
        Row(bench, "Chromium: save → highlights painted", round(browser["full"]["save"]), "ms", "median of 3"),
    ]  # fmt: skip


def setup(n_claims: int, seed: int = 7):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from annotations import anchoring
    from annotations.models import Claim, Coding, Paper, PaperAuthor, Role, Stance, Status, Tag, User
    from projects.models import Membership, default_project

    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)
    user = User.objects.create_user("bench", password=PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name=Role.MODERATOR)])
    Membership.objects.create(project=default_project(), user=user, role=Role.MODERATOR)
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
        a = anchoring.anchor_at(text, start, min(len(text), start + length))
        claims.append(
            Claim(
                paper=full, start=a.start, end=a.end, exact=a.exact, prefix=a.prefix, suffix=a.suffix,
                statement=f"Bench claim {i}", stance=rng.choice(Stance.values), status=rng.choice(statuses),
                speaker=rng.choice(["", "", "Qi Guowei", "Hu Jintao"]), created_by=user,
            )
        )  # fmt: skip
    Claim.objects.bulk_create(claims, batch_size=500)
    tags = list(Tag.objects.all())
    Coding.objects.bulk_create(
        [
            Coding(claim_id=c.pk, tag_id=t.pk, stance=c.stance)
            for c in claims
            for t in rng.sample(tags, rng.randint(0, 3))
        ],
        batch_size=1000,
    )
    return user, full, empty


def depth_stats(paper) -> tuple[float, int]:
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


def server_times(client, requests: dict[str, tuple[str, object]], runs: int) -> dict[str, dict]:
    """Median milliseconds (the requests timed interleaved), SQL queries and size of each of `requests`: name ->
    (URL, what to do before each time it is asked, untimed, or None)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def ask(url, before):
        if before:
            before()
        began = time.perf_counter()
        response = client.get(url)
        return response, time.perf_counter() - began

    for url, before in list(requests.values()) * 2:
        ask(url, before)  # warm caches (templates, permissions, the claims data)
    seconds: dict[str, list[float]] = {name: [] for name in requests}
    for _ in range(runs):
        for name, (url, before) in requests.items():
            response, took = ask(url, before)
            seconds[name].append(took)
            assert response.status_code == 200, (url, response.status_code)
    figures = {}
    for name, (url, before) in requests.items():
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content
        figures[name] = {
            "ms": statistics.median(seconds[name]) * 1000,
            "queries": len(queries),
            "bytes": len(body),
            "gzip": len(gzip.compress(body)),
        }
    return figures


PAINTED = """() => ({
  fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
  painted: performance.getEntriesByName('highlights-painted')[0].startTime,
  claims: Number(document.querySelector('[data-paper-text]').dataset.paintedClaims || 0),
  elements: document.querySelectorAll('[data-paper-text] *').length,
})"""

SELECT_SENTENCE = """
(n) => {
  const text = document.querySelector('[data-paper-text]');
  const pieces = [...text.querySelectorAll('[data-start]:not(.mk)')].filter((p) => p.textContent.trim().length > 20);
  const node = pieces[Math.floor(pieces.length * (0.2 + 0.15 * n))].firstChild;
  const range = document.createRange();
  range.setStart(node, 0);
  range.setEnd(node, node.data.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}
"""


def browser_times(slugs: list[str], runs: int) -> dict[str, dict[str, float]]:
    """Median figures of each paper's page, the papers loaded in turn (interleaved, as the server times, so that
    a change in the machine's load falls on both alike), each from a blank page."""
    figures: dict[str, dict[str, list[float]]] = {
        slug: {"fcp": [], "painted": [], "claims": [], "elements": []} for slug in slugs
    }
    with browser_page("bench", PASSWORD) as (page, base):
        for run in range(runs + 1):  # the first round warms Chromium's caches: dropped
            for slug in slugs:
                # The page before is unloaded after this navigation starts: a blank page, so that neither paper's
                # time holds the other's unloading.
                page.goto("about:blank")
                page.goto(f"{base}/papers/{slug}/")
                page.wait_for_selector("body[data-reader-ready]", timeout=120_000)
                if run:
                    for key, value in page.evaluate(PAINTED).items():
                        figures[slug][key].append(value or 0.0)
        results = {slug: {key: statistics.median(values) for key, values in f.items()} for slug, f in figures.items()}
        results[slugs[-1]]["save"] = save_to_painted(page, runs=3)
    return results


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


def measure(claims: int, runs: int) -> dict:
    import tempfile

    from django.test import Client, override_settings

    from annotations import reader_cache

    # The cache a deployment has by default (settings.cache_from_environment: a folder), not the tests' memory.
    folder = tempfile.mkdtemp(prefix="sco-bench-cache-")
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                               "LOCATION": folder}}):  # fmt: skip
        user, full, empty = setup(claims)
        mean_depth, max_depth = depth_stats(full)
        client = Client()
        client.force_login(user)
        full_url, empty_url = f"/papers/{full.slug}/", f"/papers/{empty.slug}/"
        server = server_times(
            client,
            {
                "empty": (empty_url, None),
                "full": (full_url, None),
                "cold": (full_url, lambda: reader_cache.claims_changed(papers=[full.pk])),
                "fragment": (f"/papers/{full.slug}/text/", lambda: reader_cache.claims_changed(papers=[full.pk])),
            },
            runs,
        )
        browser = browser_times([empty.slug, full.slug], max(3, runs))
    return {
        "paper": full.slug,
        "length": len(full.text),
        "mean_depth": round(mean_depth, 1),
        "max_depth": max_depth,
        "empty": server["empty"],
        "full": server["full"],
        "cold": server["cold"],
        "fragment": server["fragment"],
        "browser": {"empty": browser[empty.slug], "full": browser[full.slug]},
    }


if __name__ == "__main__":
    child_main(__doc__, measure, claims=2000, runs=10)
