"""Curation decisions in the project's audit trail: who decided, what, on which paper and why, on the members page
and the history API, in a number of queries that does not grow with the decisions."""

import pytest
from django.test import Client

from curation import services
from projects.models import default_project
from projects.selectors import project_history
from tests.factories import ClaimFactory, MembershipFactory, PaperFactory, UserFactory


def _units(paper, analyst, other_analyst, count: int) -> list[tuple]:
    units = []
    for n in range(count):
        start = 28 * n
        units.append(
            (
                ClaimFactory(paper=paper, created_by=analyst, at=(start, start + 20)),
                ClaimFactory(paper=paper, created_by=other_analyst, at=(start, start + 19)),
            )
        )
    return units


def test_the_audit_trail_lists_each_decision(db, paper, analyst, other_analyst, moderator):
    (first, second), (third, fourth) = _units(paper, analyst, other_analyst, 2)
    services.curation_accept(
        paper=paper, versions=[first.pk, second.pk], keep=second.pk, by=moderator, reason="Closer."
    )
    services.curation_reject(paper=paper, versions=[third.pk, fourth.pk], by=moderator, reason="Not a claim.")
    curated = [entry for entry in project_history(default_project()) if entry.action == "curated"]
    assert [(e.by, e.subject, e.changes, e.reason) for e in curated] == [
        (moderator.username, paper.slug, {"decision": {"from": None, "to": "reject"}}, "every version rejected: Not a claim."),
        (moderator.username, paper.slug, {"decision": {"from": None, "to": "accept"}}, "one version accepted: Closer."),
    ]  # fmt: skip


def test_the_history_api_and_the_members_page_show_them(db, api, paper, analyst, other_analyst, moderator):
    ((ana, otto),) = _units(paper, analyst, other_analyst, 1)
    services.curation_merge(paper=paper, versions=[ana.pk, otto.pk], choice={"quote": ana.pk}, by=moderator)
    slug = default_project().slug
    entries = api.as_user(moderator).get(f"/api/v1/projects/{slug}/history/").json()
    (entry,) = [entry for entry in entries if entry["action"] == "curated"]
    assert entry["subject"] == paper.slug
    assert entry["reason"] == "versions merged"
    assert entry["by"] == moderator.username
    client = Client()
    client.force_login(moderator)
    page = client.get(f"/projects/{slug}/members/").content.decode()
    assert f"curated {paper.slug}" in page
    assert "versions merged" in page


@pytest.mark.parametrize("count", [1, 4])
def test_the_members_page_reads_the_decisions_in_one_query(
    db, count, analyst, other_analyst, django_assert_num_queries
):
    project = default_project()
    paper = PaperFactory(slug="curated-paper", project=project, text="A sentence of twenty. " * 12)
    owner = UserFactory(username="olga")
    MembershipFactory(project=project, user=owner, role="owner")
    for ana, otto in _units(paper, analyst, other_analyst, count):
        services.curation_accept(paper=paper, versions=[ana.pk, otto.pk], keep=ana.pk, by=owner)
    client = Client()
    client.force_login(owner)
    client.get(f"/projects/{project.slug}/members/")
    # session, user, memberships, members, the history (project rows, membership rows, usernames, rounds,
    # assignments, curation decisions), the moderation badge's count
    with django_assert_num_queries(11):
        page = client.get(f"/projects/{project.slug}/members/").content.decode()
    assert page.count("curated curated-paper") == count
