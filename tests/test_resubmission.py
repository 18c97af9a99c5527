"""A rejected claim or link is not a dead end: its analyst revises it, which sends it back to review."""

from annotations import services
from annotations.models import Claim, HistoryAction, Link, Status
from tests.factories import ClaimFactory, LinkFactory


def rejected_claim(paper, analyst, moderator) -> Claim:
    claim = ClaimFactory(paper=paper, created_by=analyst, statement="Too broad.")
    return services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reject", reason="Say who holds it.")


def test_the_analyst_revises_their_rejected_claim_and_it_goes_back_to_pending(api, analyst, moderator, paper):
    claim = rejected_claim(paper, analyst, moderator)
    r = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/",
        {"statement": "The authors hold it is not an alliance.", "version": claim.version},
        format="json",
    )
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "pending"
    assert body["statement"] == "The authors hold it is not an alliance."
    # The last decision stays readable until a moderator decides again.
    assert body["moderation"]["reason"] == "Say who holds it."

    entries = api.as_user(analyst).get(f"/api/v1/claims/{claim.pk}/history/").json()["results"]
    assert [e["action"] for e in entries[:2]] == ["resubmitted", "rejected"]
    resubmitted, rejected = entries[0], entries[1]
    assert resubmitted["by"] == analyst.username
    assert resubmitted["reason"] == "Say who holds it."  # the rejection it answers
    assert resubmitted["changes"]["status"] == {"from": "rejected", "to": "pending"}
    assert resubmitted["changes"]["statement"]["to"] == "The authors hold it is not an alliance."
    assert (rejected["by"], rejected["reason"]) == (moderator.username, "Say who holds it.")


def test_a_resubmission_is_refused_at_a_stale_version_and_for_anyone_else(
    api, analyst, other_analyst, moderator, paper
):
    claim = rejected_claim(paper, analyst, moderator)
    stale = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": "x", "version": claim.version - 1}, format="json"
    )
    assert stale.status_code == 409
    others = api.as_user(other_analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": "x", "version": claim.version}, format="json"
    )
    assert others.status_code == 404  # someone else's rejected claim is not even visible
    assert Claim.objects.get(pk=claim.pk).status == Status.REJECTED
    # Revising does not mean withdrawing it: deleting a rejected claim is still a moderator's call.
    assert api.as_user(analyst).delete(f"/api/v1/claims/{claim.pk}/").status_code == 403


def test_a_moderators_edit_of_a_rejected_claim_leaves_it_rejected(api, analyst, moderator, paper):
    claim = rejected_claim(paper, analyst, moderator)
    r = api.as_user(moderator).patch(
        f"/api/v1/claims/{claim.pk}/", {"note": "Typo fixed.", "version": claim.version}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["status"] == "rejected"
    assert Claim.history.filter(id=claim.pk).latest().history_action == HistoryAction.EDITED


def test_the_analyst_revises_their_rejected_link(api, analyst, moderator, paper):
    ends = [ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED, at=at) for at in ((0, 10), (11, 26))]
    link = LinkFactory(source=ends[0], target=ends[1], created_by=analyst)
    link = services.link_moderate(link_id=link.pk, by=moderator, decision="reject", reason="It restates it.")
    r = api.as_user(analyst).patch(
        f"/api/v1/links/{link.pk}/", {"relation": "restates", "version": link.version}, format="json"
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["relation"]) == ("pending", "restates")
    row = Link.history.filter(id=link.pk).latest()
    assert (row.history_action, row.history_user, row.history_change_reason) == (
        HistoryAction.RESUBMITTED,
        analyst,
        "It restates it.",
    )
