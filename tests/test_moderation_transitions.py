"""Every moderation transition, allowed and refused, for each role, on claims and links (the services' rules)."""

import pytest
from django.utils import timezone

from annotations import services
from annotations.errors import PermissionDenied, ValidationError
from annotations.models import Claim, HistoryAction, Link, Status
from tests.factories import ClaimFactory, LinkFactory

OK, FORBIDDEN, INVALID, MISSING = "ok", "forbidden", "invalid", "missing"
ROLES = ["reader", "owner", "other_analyst", "moderator"]
STATES = ["pending", "approved", "rejected", "orphaned", "deleted"]

# command -> state -> the outcome for (reader, owner, other analyst, moderator).
# "deleted" is a pending item that was soft-deleted: only moderators know it exists.
EXPECTED = {
    "edit": {
        "pending": (FORBIDDEN, OK, FORBIDDEN, OK),
        "approved": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        # The owner's edit of a rejected item is a resubmission (see RESUBMIT).
        "rejected": (FORBIDDEN, OK, FORBIDDEN, OK),
        "orphaned": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "deleted": (MISSING, MISSING, MISSING, INVALID),
    },
    "delete": {
        "pending": (FORBIDDEN, OK, FORBIDDEN, OK),
        "approved": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "rejected": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "orphaned": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "deleted": (MISSING, MISSING, MISSING, INVALID),
    },
    "approve": {
        "pending": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "approved": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "rejected": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "orphaned": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "deleted": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
    },
    "reject": {
        "pending": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "approved": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "rejected": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "orphaned": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "deleted": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
    },
    "reopen": {
        "pending": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "approved": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "rejected": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
        "orphaned": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "deleted": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
    },
    "restore": {
        "pending": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "approved": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "rejected": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "orphaned": (FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID),
        "deleted": (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    },
}

# What a successful command leaves: (status, deleted?, the history action it records).
RESULT = {
    "edit": (None, False, HistoryAction.EDITED),
    "delete": (None, True, HistoryAction.DELETED),
    "approve": (Status.APPROVED, False, HistoryAction.APPROVED),
    "reject": (Status.REJECTED, False, HistoryAction.REJECTED),
    "reopen": (Status.PENDING, False, HistoryAction.REOPENED),
    "restore": (None, False, HistoryAction.RESTORED),
}

# The owner's edit of their rejected item: back to pending, recorded as a resubmission.
RESUBMIT = (Status.PENDING, False, HistoryAction.RESUBMITTED)

CASES = [
    pytest.param(kind, command, state, role, outcome, id=f"{kind}-{command}-{state}-{role}")
    for kind in ("claim", "link")
    for command, by_state in EXPECTED.items()
    for state, outcomes in by_state.items()
    for role, outcome in zip(ROLES, outcomes, strict=True)
]


def run(kind: str, command: str, item, user):
    if kind == "claim":
        calls = {
            "edit": lambda: services.claim_update(claim_id=item.pk, by=user, version=item.version, statement="Edited."),
            "delete": lambda: services.claim_delete(claim_id=item.pk, by=user),
            "restore": lambda: services.claim_restore(claim_id=item.pk, by=user),
        }
        moderate = services.claim_moderate
        key = "claim_id"
    else:
        calls = {
            "edit": lambda: services.link_update(link_id=item.pk, by=user, version=item.version, rationale="Edited."),
            "delete": lambda: services.link_delete(link_id=item.pk, by=user),
            "restore": lambda: services.link_restore(link_id=item.pk, by=user),
        }
        moderate = services.link_moderate
        key = "link_id"
    if command in calls:
        return calls[command]()
    return moderate(**{key: item.pk}, by=user, decision=command, reason="Checked against the text.")


@pytest.mark.parametrize(("kind", "command", "state", "role", "outcome"), CASES)
def test_transition(kind, command, state, role, outcome, reader, analyst, other_analyst, moderator, paper):
    users = {"reader": reader, "owner": analyst, "other_analyst": other_analyst, "moderator": moderator}
    status = Status.PENDING if state == "deleted" else state
    deleted_at = timezone.now() if state == "deleted" else None
    if kind == "claim":
        item = ClaimFactory(paper=paper, created_by=analyst, status=status, deleted_at=deleted_at)
        model = Claim
    else:
        ends = [ClaimFactory(paper=paper, status=Status.APPROVED, at=at) for at in ((0, 10), (11, 26))]
        item = LinkFactory(source=ends[0], target=ends[1], created_by=analyst, status=status, deleted_at=deleted_at)
        model = Link
    rows_before = model.history.filter(id=item.pk).count()
    user = users[role]

    if outcome == OK:
        run(kind, command, item, user)
    else:
        error = {FORBIDDEN: PermissionDenied, INVALID: ValidationError, MISSING: model.DoesNotExist}[outcome]
        with pytest.raises(error):
            run(kind, command, item, user)

    after = model.objects.get(pk=item.pk)
    rows = model.history.filter(id=item.pk)
    if outcome != OK:
        assert (after.status, after.deleted_at, after.version) == (item.status, item.deleted_at, item.version)
        assert rows.count() == rows_before
        return
    resubmitted = (command, state, role) == ("edit", "rejected", "owner")
    new_status, deleted, action = RESUBMIT if resubmitted else RESULT[command]
    assert after.status == (new_status or item.status)
    assert (after.deleted_at is not None) is deleted
    assert after.version == item.version + 1
    assert rows.count() == rows_before + 1
    latest = rows.latest()
    assert (latest.history_action, latest.history_user) == (action, user)
    if command in ("approve", "reject", "reopen"):
        assert (after.moderated_by, after.moderation_reason) == (user, "Checked against the text.")
        assert latest.history_change_reason == "Checked against the text."


def test_rejecting_needs_a_reason(moderator, paper):
    claim = ClaimFactory(paper=paper)
    with pytest.raises(ValidationError) as caught:
        services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reject", reason="  ")
    assert "Say why" in caught.value.message_dict["reason"][0]
    assert Claim.objects.get(pk=claim.pk).status == Status.PENDING


def test_an_unknown_decision_is_refused_by_name(moderator, paper):
    claim = ClaimFactory(paper=paper)
    with pytest.raises(ValidationError) as caught:
        services.claim_moderate(claim_id=claim.pk, by=moderator, decision="bless")
    assert 'Unknown decision "bless"' in caught.value.message_dict["decision"][0]


def test_a_link_is_not_restored_while_its_claim_is_deleted(moderator, paper):
    source = ClaimFactory(paper=paper, deleted_at=timezone.now())
    link = LinkFactory(source=source, target=ClaimFactory(paper=paper, at=(11, 26)), deleted_at=timezone.now())
    with pytest.raises(ValidationError) as caught:
        services.link_restore(link_id=link.pk, by=moderator)
    assert "source claim of this link is deleted" in caught.value.message_dict["source"][0]
    services.claim_restore(claim_id=source.pk, by=moderator)
    assert services.link_restore(link_id=link.pk, by=moderator).deleted_at is None


def test_a_link_is_not_restored_over_a_live_link_between_the_same_claims(moderator, analyst, paper):
    source, target = ClaimFactory(paper=paper), ClaimFactory(paper=paper, at=(11, 26))
    old = LinkFactory(source=source, target=target, deleted_at=timezone.now())
    since = services.link_create(created_by=analyst, source=target, target=source, relation=Link.Relation.CONFLICTS)
    with pytest.raises(ValidationError) as caught:
        services.link_restore(link_id=old.pk, by=moderator)
    assert f"already linked: link {since.pk} (conflicts, from this target to this source)" in caught.value.messages[0]


def test_bulk_moderation_changes_the_allowed_and_reports_the_refused(moderator, paper):
    pending = [ClaimFactory(paper=paper) for _ in range(3)]
    approved = ClaimFactory(paper=paper, status=Status.APPROVED)
    result = services.claims_moderate(
        claim_ids=[claim.pk for claim in [*pending, approved]], by=moderator, decision="approve"
    )
    assert sorted(claim.pk for claim in result.done) == sorted(claim.pk for claim in pending)
    assert [(item.pk, message) for item, message in result.refused] == [
        (approved.pk, "This claim is already approved.")
    ]
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert Claim.history.filter(history_action=HistoryAction.APPROVED, history_user=moderator).count() == 3


def test_bulk_moderation_by_an_analyst_changes_nothing(analyst, paper):
    claims = [ClaimFactory(paper=paper) for _ in range(2)]
    result = services.claims_moderate(claim_ids=[c.pk for c in claims], by=analyst, decision="approve")
    assert result.done == []
    assert len(result.refused) == 2
    assert all("Only moderators" in message for _, message in result.refused)
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_bulk_reject_of_links_needs_a_reason_for_each(moderator, paper):
    links = [
        LinkFactory(source=ClaimFactory(paper=paper), target=ClaimFactory(paper=paper, at=(11, 26))) for _ in range(2)
    ]
    refused = services.links_moderate(link_ids=[link.pk for link in links], by=moderator, decision="reject")
    assert len(refused.refused) == 2
    done = services.links_moderate(link_ids=[link.pk for link in links], by=moderator, decision="reject", reason="No.")
    assert len(done.done) == 2
    assert set(Link.objects.values_list("status", "moderation_reason")) == {(Status.REJECTED, "No.")}
