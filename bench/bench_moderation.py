"""Figures for the moderation surfaces: the queue page and the history endpoint, small vs large.

Run: .venv/bin/python bench/bench_moderation.py   (a throwaway SQLite database; prints times and ratios)
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
os.environ["DJANGO_SETTINGS_MODULE"] = "sco_claims.settings_test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from annotations import services  # noqa: E402
from annotations.models import Claim, Role  # noqa: E402
from tests.factories import PASSWORD, ClaimFactory, PaperFactory, TagFactory, UserFactory  # noqa: E402


def timed(client: Client, url: str, repeat: int = 5) -> tuple[float, int]:
    client.get(url)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        client.get(url)
    start = time.perf_counter()
    for _ in range(repeat):
        assert client.get(url).status_code == 200
    return (time.perf_counter() - start) / repeat * 1000, len(queries)


def main() -> None:
    setup_test_environment()  # the test client's host, in-memory mail
    call_command("migrate", verbosity=0)
    moderator = UserFactory(username="bench-mo", role=Role.MODERATOR)
    analyst = UserFactory(username="bench-ana", role=Role.ANALYST)
    paper = PaperFactory(slug="bench", text="word " * 20000)
    tags = [TagFactory(slug=f"bench-{i}") for i in range(3)]
    client = Client()
    client.login(username=moderator.username, password=PASSWORD)

    figures = {}
    for pending in (10, 100):
        while Claim.objects.count() < pending:
            n = Claim.objects.count()
            ClaimFactory(paper=paper, created_by=analyst, at=(n * 10, n * 10 + 4), tags=tags[: n % 3 + 1])
        figures[pending] = timed(client, "/moderation/")
        print(f"/moderation/ with {pending:>3} pending: {figures[pending][0]:7.1f} ms, {figures[pending][1]} queries")
    ratio = figures[100][0] / figures[10][0]
    print(f"  ratio 100/10 pending: {ratio:.1f}x time; same number of queries: {figures[100][1] == figures[10][1]}")

    claim = services.claim_create(created_by=moderator, paper=paper, target={"start": 3, "end": 40}, statement="x")
    history = {}
    for length in (10, 200):
        while claim.history.count() < length:
            claim = services.claim_update(
                claim_id=claim.pk, by=moderator, version=claim.version, statement=f"v{claim.version}",
                tags=tags[: claim.version % 3],
            )  # fmt: skip
        history[length] = timed(client, f"/api/v1/claims/{claim.pk}/history/?page_size=50")
        print(f"history with {length:>3} rows: {history[length][0]:7.1f} ms, {history[length][1]} queries")
    ratio = history[200][0] / history[10][0]
    print(f"  ratio 200/10 rows: {ratio:.1f}x time; same number of queries: {history[200][1] == history[10][1]}")


if __name__ == "__main__":
    main()
