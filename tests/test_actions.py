"""Each claim and link carries the `actions` its viewer may take; the matrix below proves they are the services'
own rules: for every role x status x ownership x deleted, each listed action's API call succeeds on a fresh copy
of the item, and each absent one is refused."""

import pytest
from django.utils import timezone

from annotations import actions
from annotations.models import Role, Status
from tests.conftest import Api
from tests.factories import ClaimFactory, LinkFactory, UserFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["reader", "owner", "other_analyst", "moderator"]
CLAIM_STATUSES = [Status.PENDING, Status.APPROVED, Status.REJECTED, Status.ORPHANED]
LINK_STATUSES = [Status.PENDING, Status.APPROVED, Status.REJECTED]


@pytest.fixture
def people(db):
    return {
        "reader": UserFactory(username="rita", role=Role.READER),
        "owner": UserFactory(username="ana", role=Role.ANALYST),
        "other_analyst": UserFactory(username="otto", role=Role.ANALYST),
        "moderator": UserFactory(username="mona", role=Role.MODERATOR),
    }


def make_item(kind, status, deleted, people):
    """A fresh item made by the owner, so that each attempted action starts from the same state."""
    deleted_at = timezone.now() if deleted else None
    if kind == "claims":
        return ClaimFactory(created_by=people["owner"], status=status, deleted_at=deleted_at)
    ends = [ClaimFactory(created_by=people["moderator"], status=Status.APPROVED) for _ in range(2)]
    return LinkFactory(source=ends[0], target=ends[1], created_by=people["owner"], status=status, deleted_at=deleted_at)


def attempt(client, kind, action, item, people):
    """The API call that takes `action` on `item`; its response."""
    url = f"/api/v1/{kind}/{item.pk}/"
    if action in (actions.EDIT, actions.RESUBMIT):
        change = {"statement": "Said again."} if kind == "claims" else {"rationale": "Because."}
        return client.patch(url, {"version": item.version, **change}, format="json")
    if action == actions.DELETE:
        return client.delete(url)
    if action in actions.DECISIONS:
        return client.post(f"{url}moderate/", {"decision": action, "reason": "Checked."}, format="json")
    if action == actions.RESTORE:
        return client.post(f"{url}restore/", {}, format="json")
    assert action == actions.LINK
    other = ClaimFactory(created_by=people["moderator"], status=Status.APPROVED)
    body = {"source": str(item.pk), "target": str(other.pk), "relation": "supports"}
    return client.post("/api/v1/links/", body, format="json")


def listed_actions(client, kind, item):
    response = client.get(f"/api/v1/{kind}/{item.pk}/")
    if response.status_code == 404:  # not visible to this viewer: nothing may be done to it
        return []
    assert response.status_code == 200
    return response.json()["actions"]


CASES = [
    (kind, status, deleted, viewer)
    for kind, statuses in (("claims", CLAIM_STATUSES), ("links", LINK_STATUSES))
    for status in statuses
    for deleted in (False, True)
    for viewer in VIEWERS
]


@pytest.mark.parametrize(("kind", "status", "deleted", "viewer"), CASES)
def test_listed_actions_succeed_and_absent_ones_are_refused(people, kind, status, deleted, viewer):
    client = Api().as_user(people[viewer])
    listed = listed_actions(client, kind, make_item(kind, status, deleted, people))
    candidates = [a for a in actions.ALL if kind == "claims" or a != actions.LINK]
    assert set(listed) <= set(candidates)
    for action in candidates:
        item = make_item(kind, status, deleted, people)
        response = attempt(client, kind, action, item, people)
        if action in listed:
            assert response.status_code in (200, 201, 204), (action, response.status_code, response.content)
        elif action in (actions.EDIT, actions.RESUBMIT) and {actions.EDIT, actions.RESUBMIT} & set(listed):
            continue  # the same call as the other one, which is listed
        else:
            assert response.status_code in (400, 403, 404), (action, response.status_code, response.content)


def test_a_resubmission_sends_ones_rejected_claim_back_to_review(people):
    claim = ClaimFactory(created_by=people["owner"], status=Status.REJECTED)
    client = Api().as_user(people["owner"])
    assert client.get(f"/api/v1/claims/{claim.pk}/").json()["actions"] == [actions.RESUBMIT, actions.LINK]
    response = client.patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "statement": "Again."})
    assert response.json()["status"] == Status.PENDING
    assert response.json()["actions"] == [actions.EDIT, actions.DELETE, actions.LINK]


def test_every_listing_carries_the_actions_of_its_viewer(people):
    claim = ClaimFactory(created_by=people["owner"], status=Status.APPROVED)
    other = ClaimFactory(created_by=people["owner"], status=Status.APPROVED)
    LinkFactory(source=claim, target=other, created_by=people["owner"], status=Status.APPROVED)
    moderator, reader = Api().as_user(people["moderator"]), Api().as_user(people["reader"])
    for url in ("/api/v1/claims/", f"/api/v1/papers/{claim.paper.slug}/claims/", "/api/v1/links/"):
        assert moderator.get(url).json()["results"][0]["actions"][:2] == [actions.EDIT, actions.DELETE]
        assert reader.get(url).json()["results"][0]["actions"] == []
