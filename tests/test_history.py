"""The audit trail: every create, edit, delete, restore and decision, with who, when, what changed, and why."""

import pytest
from django.test import Client

from annotations import services
from annotations.models import Claim, HistoryAction, Status
from tests.factories import PASSWORD, ClaimFactory, LinkFactory, TagFactory


@pytest.fixture
def tags(db):
    return [TagFactory(slug="not-an-alliance"), TagFactory(slug="three-evils")]


def history(api, user, claim_id, **params):
    response = api.as_user(user).get(f"/api/v1/claims/{claim_id}/history/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_whole_life_of_a_claim_is_recorded_with_its_authors(api, analyst, moderator, paper, tags):
    created = api.as_user(analyst).post(
        "/api/v1/claims/",
        {"paper": paper.slug, "target": {"exact": "not an alliance"}, "statement": "Not an alliance.",
         "tags": ["not-an-alliance"]},
        format="json",
    ).json()  # fmt: skip
    claim_id = created["id"]
    edit = {"version": 1, "statement": "The SCO is no alliance.", "tags": ["not-an-alliance", "three-evils"]}
    assert api.patch(f"/api/v1/claims/{claim_id}/", edit, format="json").status_code == 200
    api.as_user(moderator)
    assert (
        api.post(f"/api/v1/claims/{claim_id}/moderate/", {"decision": "reject", "reason": "Too loose."}).status_code
        == 200
    )
    assert api.post(f"/api/v1/claims/{claim_id}/moderate/", {"decision": "reopen"}).status_code == 200
    assert api.delete(f"/api/v1/claims/{claim_id}/").status_code == 204
    assert api.post(f"/api/v1/claims/{claim_id}/restore/", {"reason": "Deleted by mistake."}).status_code == 200
    assert api.post(f"/api/v1/claims/{claim_id}/moderate/", {"decision": "approve"}).status_code == 200

    body = history(api, moderator, claim_id)
    assert body["count"] == 7
    entries = body["results"]
    assert [(e["action"], e["by"]) for e in entries] == [
        ("approved", "mo"), ("restored", "mo"), ("deleted", "mo"), ("reopened", "mo"), ("rejected", "mo"),
        ("edited", "ana"), ("created", "ana"),
    ]  # fmt: skip
    assert entries == sorted(entries, key=lambda e: e["at"], reverse=True)
    created_entry, edited, rejected, reopened, deleted, restored, approved = reversed(entries)
    assert created_entry["changes"]["statement"] == {"from": None, "to": "Not an alliance."}
    assert created_entry["changes"]["tags"] == {"from": None, "to": ["not-an-alliance"]}
    assert created_entry["changes"]["exact"] == {"from": None, "to": "not an alliance"}
    assert created_entry["changes"]["status"] == {"from": None, "to": "pending"}
    assert edited["changes"] == {
        "statement": {"from": "Not an alliance.", "to": "The SCO is no alliance."},
        "tags": {"from": ["not-an-alliance"], "to": ["not-an-alliance", "three-evils"]},
        "codings": {"from": ["not-an-alliance:affirms"], "to": ["not-an-alliance:affirms", "three-evils:affirms"]},
    }
    assert rejected["reason"] == "Too loose."
    assert rejected["changes"] == {
        "status": {"from": "pending", "to": "rejected"},
        "moderation_reason": {"from": "", "to": "Too loose."},
    }
    assert reopened["changes"]["status"] == {"from": "rejected", "to": "pending"}
    assert deleted["changes"]["deleted_at"]["from"] is None
    assert deleted["changes"]["deleted_at"]["to"] is not None
    assert restored["changes"]["deleted_at"]["to"] is None
    assert restored["reason"] == "Deleted by mistake."
    assert approved["changes"]["status"] == {"from": "pending", "to": "approved"}


def test_history_is_paginated_newest_first(api, moderator, paper):
    claim = services.claim_create(
        created_by=moderator, paper=paper, target={"exact": "fights the three evils"}, statement="x"
    )
    for version in range(1, 5):
        services.claim_update(claim_id=claim.pk, by=moderator, version=version, statement=f"Version {version}")
    first = history(api, moderator, claim.pk, page_size=2)
    assert first["count"] == 5
    assert [e["changes"]["statement"]["to"] for e in first["results"]] == ["Version 4", "Version 3"]
    assert first["next"] is not None
    last = history(api, moderator, claim.pk, page_size=2, page=3)
    assert [e["action"] for e in last["results"]] == ["created"]


def test_history_of_a_claim_takes_the_same_queries_however_long_it_is(
    api, moderator, paper, tags, django_assert_num_queries
):
    claim = services.claim_create(
        created_by=moderator, paper=paper, target={"exact": "fights the three evils"}, statement="x", tags=tags
    )
    api.as_user(moderator)
    api.get(f"/api/v1/claims/{claim.pk}/history/")  # the token, once
    # token and user, permissions (one query), the claim, its tags, the history rows, their tags
    with django_assert_num_queries(6):
        assert api.get(f"/api/v1/claims/{claim.pk}/history/").json()["count"] == 1
    for version in range(1, 9):
        services.claim_update(claim_id=claim.pk, by=moderator, version=version, tags=tags[: version % 2 + 1])
    with django_assert_num_queries(6):
        assert api.get(f"/api/v1/claims/{claim.pk}/history/").json()["count"] == 9


def test_link_history_records_decisions(api, moderator, analyst, paper):
    source, target = ClaimFactory(paper=paper, at=(0, 10)), ClaimFactory(paper=paper, at=(11, 26))
    link = services.link_create(created_by=analyst, source=source, target=target, relation="supports")
    services.link_moderate(link_id=link.pk, by=moderator, decision="reject", reason="Not the same topic.")
    response = api.as_user(moderator).get(f"/api/v1/links/{link.pk}/history/")
    entries = response.json()["results"]
    assert [(e["action"], e["by"], e["reason"]) for e in entries] == [
        ("rejected", "mo", "Not the same topic."),
        ("created", "ana", ""),
    ]
    assert entries[1]["changes"]["relation"] == {"from": None, "to": "supports"}


def test_a_rejected_or_deleted_claim_stays_recoverable(api, analyst, moderator, paper, tags):
    claim = services.claim_create(
        created_by=analyst, paper=paper, target={"exact": "fights the three evils"}, statement="Evils.", tags=tags[:1]
    )
    other = ClaimFactory(paper=paper, at=(0, 10), status=Status.APPROVED)
    link = services.link_create(created_by=analyst, source=claim, target=other, relation="supports")
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reject", reason="Wrong passage.")
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reopen")
    assert Claim.objects.get(pk=claim.pk).status == Status.PENDING  # and the analyst can now edit it again
    services.claim_update(claim_id=claim.pk, by=analyst, version=3, statement="The three evils.")

    api.as_user(analyst)
    assert api.delete(f"/api/v1/claims/{claim.pk}/").status_code == 204
    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert api.get(f"/api/v1/links/{link.pk}/").status_code == 404  # a link to a deleted claim goes with it
    assert Claim.objects.filter(pk=claim.pk).exists()  # soft: the row is kept

    restored = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/restore/", {}, format="json").json()
    assert restored["deleted_at"] is None
    assert (restored["statement"], restored["tags"], restored["status"]) == (
        "The three evils.",
        ["not-an-alliance"],
        "pending",
    )
    assert api.as_user(analyst).get(f"/api/v1/links/{link.pk}/").status_code == 200


def test_the_admin_edit_form_goes_through_the_service_and_is_recorded(moderator, paper, tags):
    claim = services.claim_create(
        created_by=moderator, paper=paper, target={"exact": "fights the three evils"}, statement="x"
    )
    client = Client()
    client.login(username="mo", password=PASSWORD)
    url = f"/admin/annotations/claim/{claim.pk}/change/"
    form = {
        "statement": "Edited in the admin.", "speaker": "", "stance": "denies", "codings": "three-evils:qualifies", "note": "",
        "start": 0, "end": 3,  # anchors are read-only: ignored
        "read_version": 1,  # the version the form was opened at (a hidden field of the change form)
        "links_out-TOTAL_FORMS": 0, "links_out-INITIAL_FORMS": 0,
        "links_in-TOTAL_FORMS": 0, "links_in-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    claim.refresh_from_db()
    assert (claim.statement, claim.stance, claim.version) == ("Edited in the admin.", "denies", 2)
    assert (claim.start, claim.exact) == (paper.text.index("fights the three evils"), "fights the three evils")
    assert list(claim.codings.values_list("tag__slug", "stance")) == [("three-evils", "qualifies")]
    rows = Claim.history.filter(id=claim.pk)
    assert rows.count() == 2
    latest = rows.latest()
    assert (latest.history_action, latest.history_user) == (HistoryAction.EDITED, moderator)


def test_history_is_shown_in_the_admin(moderator, paper):
    claim = services.claim_create(
        created_by=moderator, paper=paper, target={"exact": "fights the three evils"}, statement="x"
    )
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reject", reason="Off topic.")
    client = Client()
    client.login(username="mo", password=PASSWORD)
    page = client.get(f"/admin/annotations/claim/{claim.pk}/history/").content.decode()
    assert "Off topic." in page
    assert "rejected" in page
    assert "mo" in page


def test_history_page_shows_changes_for_anyone_who_sees_the_claim(reader, moderator, paper, tags):
    claim = services.claim_create(
        created_by=moderator, paper=paper, target={"exact": "fights the three evils"}, statement="x", tags=tags
    )
    services.claim_update(claim_id=claim.pk, by=moderator, version=1, statement="Three evils.")
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="approve")
    client = Client()
    client.login(username="rita", password=PASSWORD)
    response = client.get(f"/claims/{claim.pk}/history/")
    assert [e["action"] for e in response.context["entries"]] == ["approved", "edited", "created"]
    page = response.content.decode()
    assert page.count("data-history-entry") == 3
    assert "Three evils." in page
    assert "not-an-alliance, three-evils" in page


def test_saves_outside_services_are_still_recorded_with_the_request_user(moderator, paper):
    """A plain save (say, a future admin form or script inside a request) gets a row from the library's signals."""
    link = LinkFactory(source=ClaimFactory(paper=paper), target=ClaimFactory(paper=paper, at=(11, 26)))
    link.rationale = "Edited outside services."
    link._history_user = moderator
    link.save()
    latest = link.history.latest()
    assert (latest.history_action, latest.history_user, latest.rationale) == (
        HistoryAction.EDITED, moderator, "Edited outside services.",
    )  # fmt: skip
    assert link.history.earliest().history_action == HistoryAction.CREATED
