"""Two claims carry at most one live link; refusals name only what the user may see; one claim per analyst and span."""

import json

import pytest
from django.db import IntegrityError, transaction

from annotations import services
from annotations.errors import ValidationError
from annotations.models import Claim, Link, Status
from tests.factories import ClaimFactory, LinkFactory, PaperFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(other_analyst):
    paper = PaperFactory(slug="masuda-2010")
    return (
        ClaimFactory(paper=paper, created_by=other_analyst, status=Status.APPROVED, at=(0, 10)),
        ClaimFactory(paper=paper, created_by=other_analyst, status=Status.APPROVED, at=(11, 26)),
    )


def link(api, user, source, target, relation="supports"):
    body = {"source": str(source.pk), "target": str(target.pk), "relation": relation}
    return api.as_user(user).post("/api/v1/links/", body, format="json")


def test_a_link_the_user_cannot_see_is_not_revealed_by_the_refusal(api, analyst, other_analyst, moderator, pair):
    a, b = pair
    hidden = LinkFactory(source=a, target=b, relation="conflicts", created_by=other_analyst, status=Status.PENDING)
    r = link(api, analyst, b, a, "supports")
    assert r.status_code == 400
    message = r.json()["non_field_errors"][0]
    assert "cannot be linked that way" in message
    assert str(hidden.pk) not in message
    assert "otto" not in message
    assert "conflicts" not in message
    r = link(api, moderator, b, a, "supports")
    assert r.status_code == 400
    assert f"link {hidden.pk} (conflicts, from this target to this source)" in r.json()["non_field_errors"][0]
    assert Link.objects.count() == 1


def test_a_rejected_link_no_longer_blocks_a_new_one_and_stays_in_history(api, analyst, moderator, pair):
    a, b = pair
    rejected = services.link_create(created_by=analyst, source=a, target=b, relation="supports")
    services.link_moderate(link_id=rejected.pk, by=moderator, decision="reject", reason="Not supported.")
    r = link(api, analyst, a, b, "supports")
    assert r.status_code == 201
    history = api.as_user(moderator).get(f"/api/v1/links/{rejected.pk}/history/").json()["results"]
    assert [entry["action"] for entry in history] == ["rejected", "created"]


@pytest.mark.parametrize("decision", ["approve", "reopen"])
def test_a_rejected_link_is_not_made_live_again_beside_another(api, analyst, moderator, pair, decision):
    a, b = pair
    rejected = LinkFactory(source=a, target=b, relation="supports", status=Status.REJECTED, created_by=analyst)
    live = services.link_create(created_by=analyst, source=b, target=a, relation="conflicts")
    url = f"/api/v1/links/{rejected.pk}/moderate/"
    r = api.as_user(moderator).post(url, {"decision": decision}, format="json")
    assert r.status_code == 400
    assert f"link {live.pk} (conflicts, from this target to this source)" in r.json()["non_field_errors"][0]
    assert Link.objects.get(pk=rejected.pk).status == Status.REJECTED
    result = services.links_moderate(link_ids=[rejected.pk], by=moderator, decision=decision)
    assert [item.pk for item, _ in result.refused] == [rejected.pk]
    services.link_delete(link_id=live.pk, by=analyst)
    assert api.as_user(moderator).post(url, {"decision": decision}, format="json").status_code == 200


def test_the_database_refuses_a_second_live_link_whatever_writes_it(analyst, pair):
    a, b = pair
    Link.objects.create(source=a, target=b, relation="supports", created_by=analyst)
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(source=b, target=a, relation="conflicts", created_by=analyst)
    Link.objects.create(source=b, target=a, relation="conflicts", created_by=analyst, status=Status.REJECTED)
    assert Link.objects.count() == 2


def test_a_link_written_meanwhile_by_another_path_is_a_refusal_and_the_callers_transaction_goes_on(
    analyst, pair, monkeypatch
):
    """A write that took no lock (an import, the shell) may come between the check and the insert: the constraint
    refuses it, the command answers a ValidationError, and a caller's transaction can still be used after it."""
    a, b = pair
    Link.objects.create(source=a, target=b, relation="supports", created_by=analyst)
    monkeypatch.setattr("annotations.services.links._refuse_second_live_link", lambda **kwargs: None)
    with transaction.atomic():
        with pytest.raises(ValidationError, match="linked by someone else meanwhile"):
            services.link_create(created_by=analyst, source=b, target=a, relation="conflicts")
        assert Link.objects.count() == 1  # a query in the same transaction, after the refusal
    assert not Link.history.filter(relation="conflicts").exists()


def test_import_refuses_two_live_links_between_the_same_claims(api, moderator, analyst, pair):
    a, b = pair
    stored = services.link_create(created_by=analyst, source=a, target=b, relation="supports")
    document = json.loads(b"".join(api.as_user(moderator).get("/api/v1/export/claims.json").streaming_content))
    second = dict(document["links"][0], id="00000000-0000-4000-8000-0000000000c1", source=str(b.pk), target=str(a.pk))
    second["relation"] = "conflicts"
    document["links"].append(second)
    r = api.as_user(moderator).post("/api/v1/import/", document, format="json")
    assert r.status_code == 400
    assert "already linked by links[0] (supports)" in r.json()["links[1]"][0]
    # The file may put a new link in the place of one it rejects (a newer version of it).
    document["links"][0].update(status="rejected", version=2, moderation_reason="Superseded.")
    r = api.as_user(moderator).post("/api/v1/import/", document, format="json")
    assert r.status_code == 200, r.content
    assert Link.objects.get(pk=stored.pk).status == Status.REJECTED
    assert Link.objects.get(pk=second["id"]).relation == "conflicts"


# --- one claim per analyst, span and speaker ------------------------------------------------------------------


def claim(api, user, paper, **changes):
    body = {"paper": paper.slug, "target": {"start": 0, "end": 7}, "statement": "The SCO.", **changes}
    return api.as_user(user).post("/api/v1/claims/", body, format="json")


def test_the_same_analyst_placing_the_same_span_and_speaker_again_gets_409(api, analyst, other_analyst, paper):
    first = claim(api, analyst, paper)
    assert first.status_code == 201
    again = claim(api, analyst, paper, statement="Said again.")
    assert again.status_code == 409
    assert again.json()["existing"] == first.json()["id"]
    assert first.json()["id"] in again.json()["detail"]
    assert claim(api, analyst, paper, speaker="Qi Guowei").status_code == 201  # another speaker
    assert claim(api, other_analyst, paper).status_code == 201  # another analyst: agreement needs it
    assert Claim.objects.count() == 3


@pytest.mark.parametrize("ending", ["delete", "reject"])
def test_a_deleted_or_rejected_claim_does_not_count(api, analyst, moderator, paper, ending):
    first = claim(api, analyst, paper).json()["id"]
    if ending == "delete":
        services.claim_delete(claim_id=first, by=analyst)
    else:
        services.claim_moderate(claim_id=first, by=moderator, decision="reject", reason="Too vague.")
    assert claim(api, analyst, paper).status_code == 201


def test_moving_a_claim_onto_a_twin_is_refused_too(api, analyst, paper):
    first = claim(api, analyst, paper).json()["id"]
    other = claim(api, analyst, paper, target={"start": 8, "end": 10}).json()
    r = api.as_user(analyst).patch(
        f"/api/v1/claims/{other['id']}/", {"version": 1, "target": {"start": 0, "end": 7}}, format="json"
    )
    assert r.status_code == 409
    assert r.json()["existing"] == first
    with pytest.raises(ValidationError):
        services.claim_create(created_by=analyst, paper=paper, target={"start": 0, "end": 7}, statement="x")
