"""Coding rounds: owners open and close them and assign papers; analysts mark their papers done; progress per
analyst; every command leaves one row in the project's audit trail; the rounds page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations.errors import PermissionDenied, ValidationError
from projects.models import ProjectRole, default_project
from projects.selectors import project_history
from rounds import selectors, services
from rounds.models import Assignment
from tests.factories import MembershipFactory, PaperFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    project = default_project()
    people = {}
    for name, role in (
        ("olga", "owner"),
        ("mona", "moderator"),
        ("ann", "analyst"),
        ("bob", "analyst"),
        ("rita", "reader"),
    ):
        people[name] = UserFactory(username=name)
        MembershipFactory(project=project, user=people[name], role=role)
    for slug in ("p1", "p2", "p3"):
        PaperFactory(slug=slug)
    return project, people


def test_an_owner_opens_assigns_and_closes_a_round_and_each_step_is_in_the_audit_trail(team):
    project, people = team
    found = services.round_open(project=project, by=people["olga"])
    assert found.is_open
    assert found.paper is None
    for analyst in ("ann", "bob"):
        for paper in ("p1", "p2"):
            services.assignment_add(coding_round=found, by=people["olga"], analyst=analyst, paper=paper)
    assignment = Assignment.objects.get(analyst__username="ann", paper__slug="p1")
    services.assignment_mark(assignment=assignment, by=people["ann"], done=True)
    progress = {row.analyst: (row.done, row.to_do) for row in selectors.round_progress(found)}
    assert progress == {"ann": (["p1"], ["p2"]), "bob": ([], ["p1", "p2"])}
    services.round_close(coding_round=found, by=people["olga"])
    found.refresh_from_db()
    assert not found.is_open
    assert found.closed_by == people["olga"]
    reasons = [entry.reason for entry in project_history(project) if entry.subject == "coding round"]
    assert reasons[0] == "closed the coding round of every paper"
    assert "ann finished p1" in reasons
    assert "assigned p2 to bob" in reasons
    assert reasons[-1] == "opened a coding round of every paper"
    assert all(
        entry.by == "olga" for entry in project_history(project) if entry.reason.startswith(("opened", "assigned"))
    )


@pytest.mark.parametrize("who", ["mona", "ann", "rita"])
def test_only_owners_open_close_and_assign(team, who):
    project, people = team
    with pytest.raises(PermissionDenied):
        services.round_open(project=project, by=people[who])
    found = services.round_open(project=project, by=people["olga"])
    with pytest.raises(PermissionDenied):
        services.assignment_add(coding_round=found, by=people[who], analyst="ann", paper="p1")
    with pytest.raises(PermissionDenied):
        services.round_close(coding_round=found, by=people[who])


def test_rounds_refuse_what_makes_no_sense(team):
    project, people = team
    olga = people["olga"]
    one = services.round_open(project=project, by=olga, paper="p1")
    with pytest.raises(ValidationError, match="open already"):
        services.round_open(project=project, by=olga, paper="p1")
    with pytest.raises(ValidationError, match="Unknown paper"):
        services.round_open(project=project, by=olga, paper="nope")
    with pytest.raises(ValidationError, match="alone"):
        services.assignment_add(coding_round=one, by=olga, analyst="ann", paper="p2")
    with pytest.raises(ValidationError, match="reader"):
        services.assignment_add(coding_round=one, by=olga, analyst="rita", paper="p1")
    with pytest.raises(ValidationError, match="not a member"):
        services.assignment_add(coding_round=one, by=olga, analyst="stranger", paper="p1")
    services.assignment_add(coding_round=one, by=olga, analyst="ann", paper="p1")
    with pytest.raises(ValidationError, match="already"):
        services.assignment_add(coding_round=one, by=olga, analyst="ann", paper="p1")
    whole = services.round_open(project=project, by=olga)  # a round of every paper beside one of p1
    with pytest.raises(ValidationError, match="every paper is open already"):
        services.round_open(project=project, by=olga, paper="p2")
    services.round_close(coding_round=whole, by=olga)
    with pytest.raises(ValidationError, match="closed already"):
        services.round_close(coding_round=whole, by=olga)
    with pytest.raises(ValidationError, match="closed"):
        services.assignment_add(coding_round=whole, by=olga, analyst="ann", paper="p2")


def test_only_the_assigned_analyst_or_an_owner_marks_a_paper(team):
    project, people = team
    found = services.round_open(project=project, by=people["olga"])
    assignment = services.assignment_add(coding_round=found, by=people["olga"], analyst="ann", paper="p1")
    with pytest.raises(PermissionDenied):
        services.assignment_mark(assignment=assignment, by=people["bob"], done=True)
    assert services.assignment_mark(assignment=assignment, by=people["olga"], done=True).done_at is not None
    assert services.assignment_mark(assignment=assignment, by=people["ann"], done=False).done_at is None


def test_an_archived_project_opens_no_round(team):
    project, people = team
    project.archived = True
    project.save()
    with pytest.raises(PermissionDenied, match="archived"):
        services.round_open(project=project, by=people["olga"])


def test_a_round_of_another_project_is_not_found_from_this_one(team):
    project, people = team
    other = ProjectFactory(slug="other")
    MembershipFactory(project=other, user=people["olga"], role=ProjectRole.OWNER)
    found = services.round_open(project=other, by=people["olga"])
    client = Client()
    client.force_login(people["olga"])
    response = client.post(f"/projects/{project.slug}/rounds/{found.pk}/close/")
    assert response.status_code == 404


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_rounds_page_drives_a_round(team):
    project, people = team
    owner = login(people["olga"])
    base = f"/projects/{project.slug}/rounds/"
    assert owner.post(f"{base}open/", {"paper": ""}).status_code == 302
    found = selectors.open_round_of(project)
    owner.post(f"{base}{found.pk}/assign/", {"analyst": "ann", "paper": "p2"})
    page = owner.get(base).content.decode()
    assert 'data-analyst="ann"' in page
    assert "every paper" in page
    analyst = login(people["ann"])
    mine = analyst.get(base).content.decode()
    assert "Your papers to code" in mine
    assert "Mark done" in mine
    assignment = Assignment.objects.get()
    assert (
        analyst.post(f"/projects/{project.slug}/assignments/{assignment.pk}/mark/", {"done": "true"}).status_code == 302
    )
    assignment.refresh_from_db()
    assert assignment.done_at is not None
    # Others may not mark it, nor may analysts open rounds.
    assert (
        login(people["bob"])
        .post(f"/projects/{project.slug}/assignments/{assignment.pk}/mark/", {"done": "false"})
        .status_code
        == 404
    )
    assert analyst.post(f"{base}open/", {"paper": "p1"}).status_code == 403
    owner.post(f"{base}{found.pk}/close/")
    assert selectors.open_round_of(project) is None
    assert "No round is open" in owner.get(base).content.decode()


def test_the_rounds_page_costs_the_same_queries_with_2_and_6_assignments(team):
    project, people = team
    found = services.round_open(project=project, by=people["olga"])
    owner = login(people["olga"])
    counts = []
    for papers in (("p1",), ("p2", "p3")):
        for paper in papers:
            for analyst in ("ann", "bob"):
                services.assignment_add(coding_round=found, by=people["olga"], analyst=analyst, paper=paper)
        with CaptureQueriesContext(connection) as queries:
            assert owner.get(f"/projects/{project.slug}/rounds/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_papers_of_closed_rounds_and_the_coders_of_a_paper(team):
    project, people = team
    olga = people["olga"]
    assert selectors.closed_round_papers(project) is None
    first = services.round_open(project=project, by=olga, paper="p1")
    services.assignment_add(coding_round=first, by=olga, analyst="bob", paper="p1")
    services.assignment_add(coding_round=first, by=olga, analyst="ann", paper="p1")
    services.round_close(coding_round=first, by=olga)
    assert [p.slug for p in selectors.closed_round_papers(project)] == ["p1"]
    p1 = first.paper
    assert selectors.round_coders(p1) == sorted([people["ann"].pk, people["bob"].pk])
    whole = services.round_open(project=project, by=olga)
    assert list(selectors.closed_round_papers(project)) == []  # p1 is under the open round again
    services.round_close(coding_round=whole, by=olga)
    assert sorted(p.slug for p in selectors.closed_round_papers(project)) == ["p1", "p2", "p3"]
    assert selectors.round_coders(p1) == sorted([people["ann"].pk, people["bob"].pk])  # the round that assigned it


def test_the_admin_shows_rounds_read_only(team):
    project, people = team
    found = services.round_open(project=project, by=people["olga"])
    services.assignment_add(coding_round=found, by=people["olga"], analyst="ann", paper="p1")
    staff = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = login(staff)
    assert client.get("/admin/rounds/codinground/").status_code == 200
    page = client.get(f"/admin/rounds/codinground/{found.pk}/change/")
    assert page.status_code == 200
    assert "p1" in page.content.decode()
    assert client.get("/admin/rounds/codinground/add/").status_code == 403
