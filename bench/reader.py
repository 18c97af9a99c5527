"""The reader page with 2,000 claims: server time as a ratio to the same paper with none, and SQL query count.

Measured in-process (Django's test client, so "server time" is the full request/response cycle without the
network) on a fresh SQLite file; the baseline is the same text under another slug, timed interleaved with it. The page is whatever `/papers/{slug}/` is in this checkout: the core's
reader now; the reader branch's page once merged (TODO(reader branch): check the figures after the merge).
"""

import statistics

from .common import Row, django_script, prepare_database, server_env, sqlite_database

NAME = "reader"

MEASURE = """
import json, random, re, statistics, time
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from annotations import anchoring
from annotations.models import Claim, Paper, PaperAuthor, Role, Status, Tag, User

def timings(client, paths, repeat):
    # Interleaved, so that both pages see the same machine load.
    for path in paths:
        client.get(path)  # warm caches (templates, permissions)
    seconds = {{path: [] for path in paths}}
    for _ in range(repeat):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            seconds[path].append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    counts, sizes, marks = {{}}, {{}}, {{}}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[path], sizes[path] = len(queries), len(response.content)
        marks[path] = len(set(re.findall(rb'data-claim-id="([^"]+)"', response.content)))
    return seconds, counts, sizes, marks

storages = {{"default": {{"BACKEND": "django.core.files.storage.FileSystemStorage"}},
            "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
    moderator, _ = User.objects.get_or_create(username="bench-moderator", is_staff=True)
    moderator.groups.set([Group.objects.get(name=Role.MODERATOR)])
    paper = max(Paper.objects.all(), key=lambda p: len(p.text))
    client = Client()
    client.force_login(moderator)
    # The same text under another slug, with no claims: the baseline, measured alongside.
    twin = Paper.objects.create(slug=paper.slug + "-empty", title=paper.title, year=paper.year, text=paper.text)
    for byline in paper.bylines.all():
        PaperAuthor.objects.create(paper=twin, author_id=byline.author_id, position=byline.position)
    rng = random.Random(7)
    tags = list(Tag.objects.all())
    claims = []
    for n in range({claims}):
        length = rng.randint(20, 200)
        start = rng.randrange(0, len(paper.text) - length)
        anchor = anchoring.anchor_at(paper.text, start, start + length)
        claims.append(Claim(paper=paper, start=anchor.start, end=anchor.end, exact=anchor.exact, prefix=anchor.prefix,
                            suffix=anchor.suffix, statement=f"Claim {{n}}", status=Status.APPROVED, created_by=moderator))
    Claim.objects.bulk_create(claims, batch_size=1000)
    Through = Claim.tags.through
    Through.objects.bulk_create([Through(claim_id=c.pk, tag_id=rng.choice(tags).pk) for c in claims])
    full, empty = f"/papers/{{paper.slug}}/", f"/papers/{{twin.slug}}/"
    seconds, counts, sizes, marks = timings(client, [empty, full], {repeat})
print(json.dumps({{"paper": paper.slug, "length": len(paper.text), "empty": seconds[empty], "full": seconds[full],
                  "empty_queries": counts[empty], "full_queries": counts[full],
                  "empty_bytes": sizes[empty], "full_bytes": sizes[full], "claims_shown": marks[full]}}))
"""


def run(options) -> list[Row]:
    claims = 200 if options.quick else 2000
    with sqlite_database() as (database_url, workdir):
        env = server_env(database_url, workdir)
        prepare_database(env)
        result = django_script(env, MEASURE.format(claims=claims, repeat=5 if options.quick else 15))
    empty, full = statistics.median(result["empty"]), statistics.median(result["full"])
    bench = f"{NAME} · {result['paper']} ({result['length']:,} code points)"
    return [
        Row(bench, "server time, no claims", round(empty * 1000, 1), "ms", "median"),
        Row(bench, f"server time, {claims:,} claims", round(full * 1000, 1), "ms", "median"),
        Row(bench, f"{claims:,} claims / none", round(full / empty, 1), "x"),
        Row(bench, "SQL queries, no claims", result["empty_queries"], ""),
        Row(bench, f"SQL queries, {claims:,} claims", result["full_queries"], "", "must not grow with the claims"),
        Row(
            bench,
            "page size",
            round(result["full_bytes"] / 1024, 1),
            "KiB",
            f"{result['empty_bytes'] / 1024:.1f} KiB without claims",
        ),
        Row(
            bench,
            "claims shown as marks",
            result["claims_shown"],
            "",
            "TODO(reader branch): the core page shows no marks yet; re-measure once the reader is merged",
        ),
    ]
