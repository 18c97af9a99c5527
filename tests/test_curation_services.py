"""Curation services: accept, merge, edit and reject keep the analysts' versions as coded, make the curated layer
(approved claims), record provenance and history, refuse everyone but moderators, and write nothing when refused."""

import pytest

from annotations.errors import PermissionDenied, ValidationError
from annotations.models import Claim, HistoryAction, Link, Role, Status
from curation import services
from curation.models import Curation
from curation.selectors import curation_board
from tests.factories import ClaimFactory, LinkFactory, TagFactory, UserFactory


@pytest.fixture
def unit(db, paper, analyst, other_analyst):
    """Two analysts' versions of the first sentence ("The SCO is not an alliance."), tagged differently."""
    alliance = TagFactory(slug="not-an-alliance")
    evils = TagFactory(slug="three-evils")
    ana = ClaimFactory(
        paper=paper, created_by=analyst, at=(0, 27), statement="Not an alliance.", tags=[(alliance, "affirms")]
    )
    otto = ClaimFactory(
        paper=paper,
        created_by=other_analyst,
        at=(0, 26),
        statement="The SCO denies being an alliance.",
        speaker="SCO",
        tags=[(alliance, "affirms"), (evils, "qualifies")],
    )
    return ana, otto


def _history(claim):
    return list(
        claim.history.order_by("history_date", "history_id").values_list("history_action", "history_change_reason")
    )


def test_accept_approves_the_kept_version_and_rejects_the_other(unit, paper, moderator):
    ana, otto = unit
    curation = services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=otto.pk, by=moderator)
    ana.refresh_from_db()
    otto.refresh_from_db()
    assert (otto.status, ana.status) == (Status.APPROVED, Status.REJECTED)
    assert curation.result == otto
    assert curation.action == "accept"
    assert curation.by == moderator
    assert set(curation.versions.all()) == {ana, otto}
    parts = ("quote", "statement", "tags", "speaker", "links")
    assert curation.sources == {**{part: str(otto.pk) for part in parts}, "carried_links": {}}
    assert _history(otto)[-1] == (HistoryAction.APPROVED, "Curation kept this version (by otto).")
    assert _history(ana)[-1] == (HistoryAction.REJECTED, f"Curation kept otto's version ({otto.pk}).")
    # The analysts' versions are as they coded them.
    assert (ana.statement, ana.start, ana.end) == ("Not an alliance.", 0, 27)


def test_merge_makes_a_new_approved_claim_from_parts_of_each_version(unit, paper, moderator):
    ana, otto = unit
    curation = services.curation_merge(
        paper=paper,
        versions=[ana.pk, otto.pk],
        choice={"quote": ana.pk, "tags": otto.pk, "statement": ana.pk, "speaker": otto.pk},
        by=moderator,
    )
    made = Claim.objects.get(pk=curation.result.pk)
    assert (made.start, made.end, made.exact) == (0, 27, "The SCO is not an alliance.")
    assert made.statement == "Not an alliance."
    assert made.speaker == "SCO"
    assert sorted((c.tag.slug, c.stance) for c in made.codings.all()) == [
        ("not-an-alliance", "affirms"), ("three-evils", "qualifies"),
    ]  # fmt: skip
    assert made.status == Status.APPROVED
    assert made.created_by == moderator
    assert curation.sources == {
        "quote": str(ana.pk),
        "statement": str(ana.pk),
        "tags": str(otto.pk),
        "speaker": str(otto.pk),
        "links": str(ana.pk),
        "carried_links": {},
    }
    actions = [action for action, _ in _history(made)]
    assert actions == [HistoryAction.CREATED, HistoryAction.APPROVED]
    assert "quote from ana" in _history(made)[-1][1]
    assert "tags from otto" in _history(made)[-1][1]
    assert {c.status for c in Claim.objects.filter(pk__in=[ana.pk, otto.pk])} == {Status.REJECTED}
    assert f"into claim {made.pk}" in _history(ana)[-1][1]


def test_edit_takes_a_version_and_the_curators_words(unit, paper, moderator):
    ana, otto = unit
    curation = services.curation_edit(
        paper=paper, versions=[ana.pk, otto.pk], base=otto.pk, statement="The SCO is no alliance.", by=moderator
    )
    made = curation.result
    assert made.statement == "The SCO is no alliance."
    assert (made.start, made.end) == (0, 26)
    assert curation.sources["edited"] == ["statement"]
    assert "statement" not in curation.sources
    assert curation.sources["tags"] == str(otto.pk)


def test_reject_rejects_every_version_and_needs_a_reason(unit, paper, moderator):
    ana, otto = unit
    with pytest.raises(ValidationError) as refused:
        services.curation_reject(paper=paper, versions=[ana.pk, otto.pk], by=moderator, reason=" ")
    assert "reason" in refused.value.message_dict
    curation = services.curation_reject(paper=paper, versions=[ana.pk, otto.pk], by=moderator, reason="No claim.")
    assert curation.result is None
    assert {c.status for c in Claim.objects.filter(pk__in=[ana.pk, otto.pk])} == {Status.REJECTED}
    assert _history(otto)[-1] == (HistoryAction.REJECTED, "Curation rejected every version: No claim.")


@pytest.mark.parametrize("role", [Role.READER, Role.ANALYST])
def test_only_moderators_curate(unit, paper, role):
    ana, otto = unit
    user = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=ana.pk, by=user)
    assert not Curation.objects.exists()
    assert {c.status for c in Claim.objects.filter(pk__in=[ana.pk, otto.pk])} == {Status.PENDING}


def test_a_refusal_midway_writes_nothing(unit, paper, moderator):
    """The second version cannot be approved (orphaned): the first one's rejection is rolled back too."""
    ana, otto = unit
    Claim.objects.filter(pk=otto.pk).update(status=Status.ORPHANED)
    with pytest.raises(ValidationError):
        services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=otto.pk, by=moderator)
    ana.refresh_from_db()
    assert ana.status == Status.PENDING
    assert len(_history(ana)) == 2
    assert not Curation.objects.exists()


def test_a_merge_with_a_part_from_outside_the_unit_writes_nothing(unit, paper, moderator):
    ana, otto = unit
    stranger = ClaimFactory(paper=paper, at=(30, 50))
    with pytest.raises(ValidationError) as refused:
        services.curation_merge(
            paper=paper, versions=[ana.pk, otto.pk], choice={"quote": ana.pk, "tags": stranger.pk}, by=moderator
        )
    assert "tags" in refused.value.message_dict
    assert Claim.objects.count() == 3
    assert not Curation.objects.exists()


def test_a_unit_is_decided_once(unit, paper, moderator):
    ana, otto = unit
    services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=ana.pk, by=moderator)
    with pytest.raises(ValidationError) as refused:
        services.curation_reject(paper=paper, versions=[otto.pk], by=moderator, reason="Changed my mind.")
    assert "already decided" in refused.value.messages[0]


def test_versions_of_another_paper_are_refused(unit, moderator):
    ana, _ = unit
    elsewhere = ClaimFactory(at=(0, 27))
    with pytest.raises(ValidationError):
        services.curation_accept(paper=elsewhere.paper, versions=[ana.pk, elsewhere.pk], keep=ana.pk, by=moderator)


def test_the_board_aligns_the_versions_and_shows_the_decision(unit, paper, moderator):
    ana, otto = unit
    lone = ClaimFactory(paper=paper, created_by=ana.created_by, at=(28, 54))
    board = curation_board(paper)
    assert board["coders"] == ["ana", "otto"]
    assert [set(u["versions"]) for u in board["units"]] == [{"ana", "otto"}, {"ana"}]
    assert board["units"][1]["versions"]["ana"]["id"] == str(lone.pk)
    curation = services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=ana.pk, by=moderator)
    board = curation_board(paper)
    # The kept version stays a version (an analyst's claim); the curated layer adds no unit of its own.
    assert [u["decision"] and u["decision"]["id"] for u in board["units"]] == [curation.pk, None]
    assert set(board["units"][0]["versions"]) == {"ana", "otto"}
    assert board["counts"] == {"units": 2, "decided": 1}
    merged = services.curation_merge(paper=paper, versions=[lone.pk], choice={"quote": lone.pk}, by=moderator)
    board = curation_board(paper)
    assert board["counts"] == {"units": 2, "decided": 2}
    assert [set(u["versions"]) for u in board["units"]] == [{"ana", "otto"}, {"ana"}]  # the merged claim is no version
    assert board["units"][1]["decision"]["result"]["id"] == str(merged.result.pk)


@pytest.fixture
def two_units(unit, paper, analyst, other_analyst):
    """A second passage coded by both analysts; ana linked her two claims (the first supports the second)."""
    ana, otto = unit
    ana_second = ClaimFactory(paper=paper, created_by=analyst, at=(28, 54))
    otto_second = ClaimFactory(paper=paper, created_by=other_analyst, at=(28, 53))
    link = LinkFactory(source=ana, target=ana_second, created_by=analyst)
    return ana, otto, ana_second, otto_second, link


def test_a_link_whose_two_ends_are_kept_is_approved_in_place(two_units, paper, moderator):
    ana, otto, ana_second, otto_second, link = two_units
    services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=ana.pk, by=moderator)
    link.refresh_from_db()
    assert link.status == Status.PENDING  # the other end is not decided yet
    curation = services.curation_accept(
        paper=paper, versions=[ana_second.pk, otto_second.pk], keep=ana_second.pk, by=moderator
    )
    link.refresh_from_db()
    assert link.status == Status.APPROVED
    assert curation.sources["carried_links"] == {str(link.pk): str(link.pk)}


def test_a_link_is_carried_to_the_curated_claims(two_units, paper, moderator):
    ana, otto, ana_second, otto_second, link = two_units
    first = services.curation_merge(
        paper=paper, versions=[ana.pk, otto.pk], choice={"quote": otto.pk, "links": ana.pk}, by=moderator
    )
    services.curation_accept(paper=paper, versions=[ana_second.pk, otto_second.pk], keep=otto_second.pk, by=moderator)
    carried = Link.objects.get(source=first.result, target=otto_second)
    assert (carried.relation, carried.status, carried.created_by) == (link.relation, Status.APPROVED, moderator)
    assert carried.history.latest().history_change_reason.startswith("Curation carried ana's link")
    link.refresh_from_db()
    assert link.status == Status.REJECTED
    assert link.moderation_reason == f"Curation carried this link into link {carried.pk}."


def test_links_of_versions_not_kept_are_left(two_units, paper, moderator):
    ana, otto, ana_second, otto_second, _ = two_units
    services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=otto.pk, by=moderator)
    services.curation_accept(paper=paper, versions=[ana_second.pk, otto_second.pk], keep=otto_second.pk, by=moderator)
    assert not Link.objects.filter(status=Status.APPROVED).exists()


def test_an_archived_project_is_read_only(unit, paper, moderator):
    ana, otto = unit
    paper.project.archived = True
    paper.project.save()
    moderator_fresh = type(moderator).objects.get(pk=moderator.pk)  # memberships read afresh
    with pytest.raises(PermissionDenied):
        services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=ana.pk, by=moderator_fresh)
    assert not Curation.objects.exists()


def test_decisions_are_read_only_in_the_admin(admin_client):
    from django.contrib import admin

    from curation.models import Curation

    model_admin = admin.site._registry[Curation]
    request = admin_client.get("/admin/").wsgi_request
    assert admin_client.get("/admin/curation/curation/").status_code == 200
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
