"""`python -m bench.run projects`: queries per page and endpoint for a user in 1 project and in 10.

The shipped corpus in the default project, 200 claims and 100 links on it; the same user then joins 9 more
projects (each with a paper, claims and links, and a role of its own) and every page and list is asked again. A
user's roles are read in one query per request whatever their number of projects, and visibility is one
condition per role, so every difference must be 0 (a fresh SQLite file, in its own process).
"""

from .common import Row, child_json, child_main

NAME = "projects"
URLS = [
    ("papers page", "/papers/"),
    ("reader page", "/papers/masuda-2010/"),
    ("map page", "/map/"),
    ("moderation page", "/moderation/"),
    ("claims list (API)", "/api/v1/claims/?page_size=100"),
    ("links list (API)", "/api/v1/links/?page_size=100"),
    ("papers list (API)", "/api/v1/papers/"),
    ("map (API)", "/api/v1/map/?include=pending"),
    ("compare (API)", "/api/v1/compare/?include=pending"),
    ("native export", "/api/v1/export/claims.json"),
]


def run(options) -> list[Row]:
    r = child_json("bench.projects")
    bench = f"{NAME} · queries per request, a moderator in 1 project, then in 10"
    rows = []
    for label, _ in URLS:
        one, ten = r["one"][label], r["ten"][label]
        rows.append(Row(bench, f"{label}: {one} queries with 1 project, {ten} with 10", ten - one, "more", "must be 0"))
    return rows


def measure() -> dict:
    import itertools

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.models import Claim, Link, Paper, Status, User
    from projects.models import Membership, Project, ProjectRole, default_project

    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)
    user = User.objects.create_user("bench-projects", password="bench-password-42")
    Membership.objects.create(project=default_project(), user=user, role=ProjectRole.MODERATOR)

    def fill(paper: Paper, n: int) -> None:
        claims = [
            Claim(paper=paper, start=i % 40, end=i % 40 + 10, exact=paper.text[i % 40 : i % 40 + 10],
                  statement=f"s{i}", created_by=user, status=Status.APPROVED if i % 2 else Status.PENDING)
            for i in range(n)
        ]  # fmt: skip
        Claim.objects.bulk_create(claims)
        Link.objects.bulk_create(
            Link(source=a, target=b, relation="supports", created_by=user, status=Status.APPROVED)
            for a, b in itertools.pairwise(claims[: n // 2 + 1])
        )

    fill(Paper.objects.get(slug="masuda-2010"), 200)
    client = Client()
    client.force_login(user)

    def counts() -> dict[str, int]:
        found = {}
        for label, url in URLS:
            client.get(url)  # warm: sessions, caches
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            assert response.status_code == 200, (url, response.status_code)
            found[label] = len(captured.captured_queries)
        return found

    one = counts()
    roles = [ProjectRole.READER, ProjectRole.ANALYST, ProjectRole.MODERATOR, ProjectRole.OWNER]
    for n in range(9):
        project = Project.objects.create(slug=f"bench-{n}", name=f"Bench {n}")
        Membership.objects.create(project=project, user=user, role=roles[n % len(roles)])
        paper = Paper.objects.create(project=project, slug=f"bench-paper-{n}", title=f"Bench {n}",
                                     text="The SCO is not an alliance. It fights the three evils. " * 20)  # fmt: skip
        fill(paper, 50)
    return {"one": one, "ten": counts()}


if __name__ == "__main__":
    child_main(__doc__, measure)
