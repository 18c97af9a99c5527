"""`python -m bench.curation` (its database part): the curation board of one paper coded by 3 analysts with 2,000
claims each (the agreement bench's synthetic codings, and their links), stored in a fresh SQLite file in its own
process: `GET papers/{slug}/curation/` (the default page of 50 units, and the largest page, 1,000), the page, and
the whole board as the selector builds it (what the API answered before it paged)."""

import json
import time

from .common import child_main


def measure(claims: int = 2000) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.models import Claim, Coding, Link, Paper, Status, Tag, User
    from bench.agreement import TAGS, synthetic
    from curation.selectors import curation_board
    from projects.models import Membership, ProjectRole, default_project

    call_command("migrate", verbosity=0)
    project = default_project()
    coded, linked, lengths = synthetic(papers=1, claims=claims, links=claims)
    owner = User.objects.create_user("bench-owner", password="bench-password-42")
    Membership.objects.create(project=project, user=owner, role=ProjectRole.OWNER)
    analysts = {}
    for name in sorted({claim.coder for claim in coded}):
        analysts[name] = User.objects.create_user(name, password="bench-password-42")
        Membership.objects.create(project=project, user=analysts[name], role=ProjectRole.ANALYST)
    papers = {
        slug: Paper.objects.create(project=project, slug=slug, title=slug, text="x" * length)
        for slug, length in lengths.items()
    }
    tags = {slug: Tag.objects.create(project=project, slug=slug, name=slug) for slug in TAGS}
    rows = [
        Claim(paper=papers[c.paper], start=c.start, end=c.end, exact="x" * (c.end - c.start), statement=str(c.id),
              created_by=analysts[c.coder], status=Status.PENDING)
        for c in coded
    ]  # fmt: skip
    Claim.objects.bulk_create(rows, batch_size=2000)
    ids = {c.id: row.pk for c, row in zip(coded, rows, strict=True)}
    Coding.objects.bulk_create(
        (Coding(claim_id=ids[c.id], tag=tags[tag], stance=stance) for c in coded for tag, stance in c.codings.items()),
        batch_size=2000,
    )
    seen, links = set(), []
    for link in linked:
        pair = (ids[link.source], ids[link.target])
        if pair in seen or (pair[1], pair[0]) in seen:
            continue  # one live link per pair of claims
        seen.add(pair)
        links.append(Link(source_id=pair[0], target_id=pair[1], relation=link.relation,
                          created_by=analysts[link.coder], status=Status.PENDING))  # fmt: skip
    Link.objects.bulk_create(links, batch_size=2000)
    (paper,) = papers.values()
    client = Client()
    client.force_login(owner)
    board = f"/api/v1/papers/{paper.slug}/curation/"
    urls = {
        "api_page_50": board,
        "api_page_1000": f"{board}?page_size=1000",
        "page": f"/projects/{project.slug}/papers/{paper.slug}/curate/",
    }
    found = {"versions": len(rows), "links": len(links)}
    for label, url in urls.items():
        timings = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        found[label] = {"seconds": round(timings[1], 2), "queries": len(captured.captured_queries),
                        "bytes": len(response.content)}  # fmt: skip
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
