"""One lock order (papers, then claims, then links): edits during revisions wait, they do not deadlock.

claim_update used to lock the claim and then its paper while a revision locked the paper and then the claims;
PATCHes during a revision died with "deadlock detected" (a 500). Real threads, each with its own connection.
"""

import threading
import time

import pytest
from django.db import connection, connections

from annotations import services
from annotations.models import Link, Status
from tests.conftest import Api
from tests.factories import ClaimFactory, PaperFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "".join(f"Sentence {n} says the SCO is not an alliance. " for n in range(40))


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deadlocks need PostgreSQL (SQLite takes one lock for the whole database)")


def run_together(*targets) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def wrap(target):
        try:
            start.wait(10)
            target()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return errors


def test_patches_during_revisions_get_200_or_409_never_a_deadlock(moderator, analyst, monkeypatch):
    needs_postgresql()
    # Hold each revision a moment between locking its paper and locking its claims: the PATCHes arrive then.
    normalize_text = services.normalize_text
    monkeypatch.setattr(services.revisions, "normalize_text", lambda text: time.sleep(0.2) or normalize_text(text))
    paper = PaperFactory(slug="busy", text=TEXT)
    claims = [ClaimFactory(paper=paper, created_by=analyst, at=(50 * n, 50 * n + 10)) for n in range(8)]
    statuses: list[int] = []

    def revise():
        for round_ in range(4):
            services.paper_revise(paper=paper, by=moderator, text=f"Preface {round_}.\n" + TEXT)

    def patch(offset: int):
        def run():
            api = Api().as_user(analyst)
            for n in range(12):
                claim = claims[(offset + n) % len(claims)]
                version = api.get(f"/api/v1/claims/{claim.pk}/").json()["version"]
                r = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": version, "note": f"n{n}"}, format="json")
                statuses.append(r.status_code)

        return run

    errors = run_together(revise, *(patch(offset) for offset in range(4)))
    assert not errors, errors
    assert len(statuses) == 48
    assert set(statuses) <= {200, 409}
    assert 200 in statuses


def test_two_concurrent_links_between_the_same_claims_cannot_both_pass(moderator, analyst, other_analyst):
    needs_postgresql()
    paper = PaperFactory(slug="pair")
    a = ClaimFactory(paper=paper, status=Status.APPROVED, at=(0, 10))
    b = ClaimFactory(paper=paper, status=Status.APPROVED, at=(11, 26))
    statuses: list[int] = []

    def create(user, source, target, relation):
        def run():
            body = {"source": str(source.pk), "target": str(target.pk), "relation": relation}
            statuses.append(Api().as_user(user).post("/api/v1/links/", body, format="json").status_code)

        return run

    for _ in range(3):
        Link.objects.all().delete()
        statuses.clear()
        errors = run_together(create(analyst, a, b, "supports"), create(other_analyst, b, a, "conflicts"))
        assert not errors, errors
        assert sorted(statuses) == [201, 400]
        assert Link.objects.count() == 1
