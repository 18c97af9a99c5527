"""`python -m bench.run agreement` (its database part): the time of the agreement report through the API (JSON and
CSV) and of the agreement page, for 3 analysts x 5 papers x 2,000 claims each and their links, stored in a fresh
SQLite file (in its own process): the selector's queries, the pure report and the rendering together."""

import time

from .common import child_main


def store_synthetic(**synthetic_options) -> dict:
    """Migrate a fresh database and store the agreement bench's synthetic codings (`bench.agreement.synthetic`)
    in the default project: an owner, the analysts, papers, tags, claims with their codings and one live link per
    pair. Returns {"project", "owner", "analysts", "papers", "claims", "links"}."""
    from django.core.management import call_command

    from annotations.models import Claim, Coding, Link, Paper, Status, Tag, User
    from bench.agreement import TAGS, synthetic
    from projects.models import Membership, ProjectRole, default_project

    call_command("migrate", verbosity=0)
    project = default_project()
    coded, linked, lengths = synthetic(**synthetic_options)
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
    return {"project": project, "owner": owner, "analysts": analysts, "papers": papers, "claims": len(rows),
            "links": len(links)}  # fmt: skip


def time_pages(client, urls: dict[str, str]) -> dict:
    """Each URL fetched three times: the median seconds, the queries and the bytes of the answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
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
    return found


def measure(claims: int = 2000) -> dict:
    from django.test import Client

    stored = store_synthetic(claims=claims)
    client = Client()
    client.force_login(stored["owner"])
    names = ",".join(stored["analysts"])
    urls = {
        "api_json": f"/api/v1/agreement/?analysts={names}",
        "api_csv": f"/api/v1/agreement/?analysts={names}&format=csv",
        "page": f"/projects/{stored['project'].slug}/agreement/?analysts={names}",
    }
    return {"claims": stored["claims"], "links": stored["links"], **time_pages(client, urls)}


if __name__ == "__main__":
    child_main(__doc__, measure, claims=2000)
