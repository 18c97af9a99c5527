"""The reader's claims data is cached per paper and visibility class (annotations/reader_cache.py): every kind of
write shows at once, no user is ever shown what another class sees, and a warm page reads one query fewer."""

import json
from itertools import permutations

import pytest
from django.core.cache import cache
from django.db import transaction

from annotations import exporting, reader_cache, services
from annotations.models import Claim, Status, User
from projects.models import ProjectRole
from rounds.services import round_close, round_open
from tests.factories import ClaimFactory, MembershipFactory, PaperFactory, ProjectFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def claims_data(client, user, paper) -> dict:
    client.force_login(user)
    response = client.get(f"/papers/{paper.slug}/text/")
    assert response.status_code == 200
    return response.json()


def fresh_data(client, user, paper) -> dict:
    """What the page would send with nothing cached."""
    cache.clear()
    return claims_data(client, user, paper)


@pytest.fixture
def world(moderator, analyst, paper):
    """A paper with claims in every state, tagged, one deleted."""
    tags = [TagFactory(slug="anti-us"), TagFactory(slug="not-an-alliance")]
    claims = {
        "pending": ClaimFactory(paper=paper, created_by=analyst, at=(0, 10), tags=tags[:1]),
        "approved": ClaimFactory(paper=paper, created_by=analyst, at=(5, 30), status=Status.APPROVED, tags=tags),
        "rejected": ClaimFactory(paper=paper, created_by=moderator, at=(12, 40), status=Status.REJECTED),
        "deleted": ClaimFactory(paper=paper, created_by=analyst, at=(20, 50)),
    }
    services.claim_delete(claim_id=claims["deleted"].pk, by=moderator, reason="")
    return {"paper": paper, "moderator": moderator, "analyst": analyst, "tags": tags, "claims": claims}


def _claim(world, name) -> Claim:
    return Claim.objects.get(pk=world["claims"][name].pk)


def _reimport(world):
    document = json.loads("".join(exporting.native_chunks(exporting.export_set(world["moderator"], {}))))
    record = next(c for c in document["claims"] if c["id"] == str(world["claims"]["pending"].pk))
    record.update(statement="Imported statement.", version=record["version"] + 1)
    document["claims"] = [record]
    document["links"] = []
    services.claims_import(document=document, by=world["moderator"])


def _rename(world):
    analyst = User.objects.get(pk=world["analyst"].pk)
    analyst.username = "ana-renamed"
    analyst.save()


# Each kind of write the reader's data depends on, through the service (or the save) that makes it.
WRITES = {
    "claim created": lambda w: services.claim_create(
        created_by=w["analyst"], paper=w["paper"], target={"start": 60, "end": 80}, statement="New claim."
    ),
    "claim edited": lambda w: services.claim_update(
        claim_id=w["claims"]["pending"].pk, by=w["analyst"], version=1, statement="Edited statement."
    ),
    "claim retagged": lambda w: services.claim_update(
        claim_id=w["claims"]["pending"].pk, by=w["analyst"], version=1, tags=w["tags"][1:]
    ),
    "claim placed again": lambda w: services.claim_place(
        claim_id=w["claims"]["pending"].pk, by=w["moderator"], target={"start": 70, "end": 90}, version=1
    ),
    "claim deleted": lambda w: services.claim_delete(claim_id=w["claims"]["pending"].pk, by=w["analyst"], reason=""),
    "claim restored": lambda w: services.claim_restore(
        claim_id=w["claims"]["deleted"].pk, by=w["moderator"], reason=""
    ),
    "claim approved": lambda w: services.claim_moderate(
        claim_id=w["claims"]["pending"].pk, by=w["moderator"], decision="approve", reason=""
    ),
    "claims rejected in bulk": lambda w: services.claims_moderate(
        claim_ids=[w["claims"]["pending"].pk, w["claims"]["approved"].pk],
        by=w["moderator"],
        decision="reject",
        reason="Off the text.",
    ),
    "paper revised": lambda w: services.paper_revise(
        paper=w["paper"], by=w["moderator"], text="A new opening. " + w["paper"].text
    ),
    "tag renamed": lambda w: services.tag_update(tag=w["tags"][0], by=w["moderator"], slug="against-the-us"),
    "tags merged": lambda w: services.tag_merge(source=w["tags"][0], into=w["tags"][1], by=w["moderator"]),
    "claims imported": _reimport,
    "analyst renamed": _rename,
}


@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_shows_at_once_in_the_cached_data(client, world, write):
    moderator, paper = world["moderator"], world["paper"]
    before = claims_data(client, moderator, paper)
    assert claims_data(client, moderator, paper) == before  # served from the cache
    WRITES[write](world)
    after = claims_data(client, moderator, paper)
    assert after != before
    assert after == fresh_data(client, moderator, paper)


def test_a_link_changes_nothing_the_reader_sends(client, world):
    """Links are fetched by the popover, not sent with the claims: a new one needs no new data."""
    moderator, paper = world["moderator"], world["paper"]
    before = claims_data(client, moderator, paper)
    services.link_create(
        created_by=moderator,
        source=_claim(world, "pending"),
        target=_claim(world, "approved"),
        relation="supports",
    )
    assert claims_data(client, moderator, paper) == before == fresh_data(client, moderator, paper)


def _ids(data: dict) -> set[str]:
    return {row[0] for row in data["claims"]["claims"]} | {row[0] for row in data["claims"]["unplaced"]}


@pytest.mark.parametrize("order", list(permutations(["moderator", "reader", "analyst", "other"])))
def test_no_user_is_shown_what_another_visibility_class_sees(client, world, reader, other_analyst, order):
    """Whoever fills the cache first, each user gets what their role shows them, and no more."""
    claims = {name: str(claim.pk) for name, claim in world["claims"].items()}
    theirs = ClaimFactory(paper=world["paper"], created_by=other_analyst, at=(60, 75))
    users = {"moderator": world["moderator"], "reader": reader, "analyst": world["analyst"], "other": other_analyst}
    expected = {
        "moderator": {claims["pending"], claims["approved"], claims["rejected"], str(theirs.pk)},
        "reader": {claims["approved"]},
        "analyst": {claims["approved"], claims["pending"]},
        "other": {claims["approved"], str(theirs.pk)},
    }
    for _ in range(2):  # the second round reads every class from the cache
        for name in order:
            assert _ids(claims_data(client, users[name], world["paper"])) == expected[name], name


def test_a_coding_round_hides_others_claims_from_a_warm_cache_and_closing_it_shows_them_again(client, world, reader):
    """Readers and analysts see only their own claims on a paper under an open round: what the cache held
    before the round opened is not shown during it, nor what it held during it after it closed."""
    owner = UserFactory(username="olga")
    MembershipFactory(project=world["paper"].project, user=owner, role=ProjectRole.OWNER)
    approved, pending = str(world["claims"]["approved"].pk), str(world["claims"]["pending"].pk)
    analyst, paper = world["analyst"], world["paper"]
    assert _ids(claims_data(client, reader, paper)) == {approved}
    assert _ids(claims_data(client, analyst, paper)) == {approved, pending}
    coding_round = round_open(project=paper.project, by=owner, paper=paper.slug)
    assert _ids(claims_data(client, reader, paper)) == set()
    assert _ids(claims_data(client, analyst, paper)) == {approved, pending}  # their own, approved or not
    round_close(coding_round=coding_round, by=owner)
    assert _ids(claims_data(client, reader, paper)) == {approved}


def test_a_non_member_gets_nothing_from_a_warm_cache(client, world):
    claims_data(client, world["moderator"], world["paper"])
    stranger = UserFactory(username="stranger")
    MembershipFactory(project=ProjectFactory(slug="elsewhere"), user=stranger, role=ProjectRole.MODERATOR)
    client.force_login(stranger)
    assert client.get(f"/papers/{world['paper'].slug}/text/").status_code == 404


def test_a_warm_page_reads_one_query_fewer_whatever_the_number_of_claims(
    client, analyst, moderator, django_assert_num_queries
):
    paper = PaperFactory(slug="p")
    client.force_login(analyst)
    for n in (5, 500):
        for i in range(n if n == 5 else n - 5):
            at = (i * 7) % (len(paper.text) - 30)
            ClaimFactory(paper=paper, created_by=analyst if i % 2 else moderator, at=(at, at + 5 + i % 20))
        with django_assert_num_queries(9):  # the session, user, memberships, paper, bylines, claims, tags, papers
            assert client.get("/papers/p/").status_code == 200
        with django_assert_num_queries(8):  # the claims from the cache
            assert client.get("/papers/p/").status_code == 200
        with django_assert_num_queries(5):  # session, user, memberships, paper, bylines: the claims cached
            assert client.get("/papers/p/text/").status_code == 200


def test_a_stamp_lost_from_the_cache_is_a_miss_never_an_old_copy(client, world, django_assert_num_queries):
    moderator, paper = world["moderator"], world["paper"]
    before = claims_data(client, moderator, paper)
    cache.delete_many([f"reader-stamp:paper:{paper.pk}", reader_cache.EVERYTHING])  # as the cache culls
    Claim.objects.filter(pk=world["claims"]["pending"].pk).update(statement="Changed behind the services' back.")
    after = claims_data(client, moderator, paper)
    assert after != before
    assert after["claims"]["claims"][0][6] == "Changed behind the services' back."


def test_the_stamp_is_bumped_again_when_the_transaction_commits_once_for_all_its_writes(
    analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        paper = PaperFactory()
        claim = ClaimFactory(paper=paper, created_by=analyst)
        key = f"reader-stamp:paper:{paper.pk}"
        with transaction.atomic():
            for n in range(3):
                services.claim_update(claim_id=claim.pk, by=analyst, version=n + 1, statement=f"Edit {n}.")
            during = cache.get(key)
            assert during is not None
    assert [getattr(callback, "stamp_keys", None) for callback in callbacks].count({key}) == 1
    assert cache.get(key) not in (None, during)


def test_nothing_read_inside_an_open_transaction_is_kept(client, world):
    """A transaction's own writes are not yet everyone's: what it reads is not stored for others."""
    moderator, paper = world["moderator"], world["paper"]
    with transaction.atomic():
        services.claim_update(
            claim_id=world["claims"]["pending"].pk, by=world["analyst"], version=1, statement="Not committed."
        )
        reader_cache.reader_claims(moderator, paper)
        transaction.set_rollback(True)
    assert "Not committed." not in json.dumps(claims_data(client, moderator, paper))


@pytest.fixture
def committed(transactional_db):
    """As in production, where no test case's transaction wraps the request: an analyst's claim on a paper whose
    claims data is cached (the stamp and the copy), all committed."""
    analyst = UserFactory(username="committer")
    paper = PaperFactory()
    MembershipFactory(project=paper.project, user=analyst, role=ProjectRole.ANALYST)
    claim = ClaimFactory(paper=paper, created_by=analyst, statement="As committed.")
    key = f"reader-stamp:paper:{paper.pk}"
    assert "As committed." in str(reader_cache.reader_claims(analyst, paper).json)  # now cached
    return analyst, paper, claim, key, cache.get(key)


def test_outside_a_test_case_a_write_bumps_its_stamp_once_when_its_transaction_commits(committed, monkeypatch):
    """One cache write per write, at commit; until then the transaction reads its own writes around the cache."""
    analyst, paper, claim, key, before = committed
    bumps = []
    real_bump = reader_cache._bump
    monkeypatch.setattr(reader_cache, "_bump", lambda keys: (bumps.append(list(keys)), real_bump(keys)))
    with transaction.atomic():
        for n in range(3):
            services.claim_update(claim_id=claim.pk, by=analyst, version=n + 1, statement=f"Edit {n}.")
        assert cache.get(key) == before  # nothing is written to the cache before the commit
        # Not the copy cached under the stamp it has not bumped yet: its own writes.
        assert "Edit 2." in str(reader_cache.reader_claims(analyst, paper).json)
    assert bumps == [[key]]
    assert cache.get(key) not in (None, before)
    assert "Edit 2." in str(reader_cache.reader_claims(analyst, paper).json)


def test_outside_a_test_case_a_transaction_that_rolls_back_bumps_nothing(committed):
    analyst, paper, claim, key, before = committed
    with transaction.atomic():
        services.claim_update(claim_id=claim.pk, by=analyst, version=1, statement="Never committed.")
        transaction.set_rollback(True)
    assert cache.get(key) == before
    assert "Never committed." not in str(reader_cache.reader_claims(analyst, paper).json)
