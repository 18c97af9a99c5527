"""The moderation endpoints' errors, each by its words."""

import pytest
from django.utils import timezone

from annotations.models import Status
from tests.factories import ClaimFactory, LinkFactory


@pytest.fixture
def claim(paper, analyst):
    return ClaimFactory(paper=paper, created_by=analyst)


def test_an_analyst_moderating_is_refused(api, analyst, claim):
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "approve"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only moderators can approve or reject."


def test_an_unknown_decision_is_named(api, moderator, claim):
    response = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "bless"})
    assert response.status_code == 400
    assert response.json() == {"decision": ['Unknown decision "bless": use approve, reject or reopen.']}


def test_rejecting_without_a_reason(api, moderator, claim):
    response = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "reject"})
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why it is rejected, so the analyst can act on it."]}


def test_approving_twice(api, moderator, paper):
    claim = ClaimFactory(paper=paper, status=Status.APPROVED)
    response = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "approve"})
    assert response.status_code == 400
    assert response.json() == {"decision": ["This claim is already approved."]}


def test_reopening_a_pending_claim(api, moderator, claim):
    response = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "reopen"})
    assert response.status_code == 400
    assert response.json() == {"decision": ["This claim is already pending."]}


def test_approving_an_orphan(api, moderator, paper):
    claim = ClaimFactory(paper=paper, status=Status.ORPHANED)
    response = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "approve"})
    assert response.status_code == 400
    assert response.json() == {
        "decision": ["An orphaned claim must be placed on the text again before it can be approved."]
    }


def test_moderating_or_editing_a_deleted_claim(api, moderator, paper):
    claim = ClaimFactory(paper=paper, deleted_at=timezone.now())
    api.as_user(moderator)
    for response in (
        api.post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "approve"}),
        api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "x"}, format="json"),
    ):
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["This claim is deleted; restore it first."]}


def test_restoring_a_claim_that_is_not_deleted(api, moderator, claim):
    response = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/restore/", {})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This claim is not deleted."]}


def test_an_analyst_editing_their_approved_claim(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED)
    response = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "This claim is approved; only a moderator can change it now."


def test_restoring_a_link_whose_claim_is_deleted(api, moderator, paper):
    source = ClaimFactory(paper=paper, deleted_at=timezone.now())
    link = LinkFactory(source=source, target=ClaimFactory(paper=paper, at=(11, 26)), deleted_at=timezone.now())
    response = api.as_user(moderator).post(f"/api/v1/links/{link.pk}/restore/", {})
    assert response.status_code == 400
    assert response.json() == {"source": ["The source claim of this link is deleted; restore it first."]}


def test_asking_for_deleted_items_with_a_bad_value(api, moderator, db):
    response = api.as_user(moderator).get("/api/v1/links/?deleted=perhaps")
    assert response.status_code == 400
    assert response.json() == {"deleted": ['Give deleted as true or false, not "perhaps".']}


def test_a_reopened_claim_can_be_edited_by_its_analyst_again(api, analyst, moderator, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, status=Status.REJECTED)
    assert (
        api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "reopen"}).status_code == 200
    )
    response = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 2, "statement": "Better."}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["statement"], response.json()["status"]) == ("Better.", "pending")
    assert response.json()["moderation"]["by"] == "mo"


def test_an_analyst_restoring_is_refused(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, deleted_at=timezone.now())
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/restore/", {})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only moderators can restore deleted items."
