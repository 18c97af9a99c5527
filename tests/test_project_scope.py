"""Scoping by project: the default project when a request names none, `project` in the query string or the JSON body,
an archived project read-only, `createuser --project`, links and tags within one project, the pages' project,
and queries that do not grow with the number of a user's projects."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from annotations import services
from annotations.models import Claim, Role, Status, Tag, User
from projects.access import ARCHIVED_MESSAGE
from projects.models import DEFAULT_PROJECT_SLUG, Membership, ProjectRole, default_project
from tests.conftest import Api
from tests.factories import (
    ClaimFactory,
    LinkFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(db):
    return ProjectFactory(slug="other", name="Other project")


@pytest.fixture
def both(other):
    """An analyst of the default project who moderates the other one."""
    user = UserFactory(username="bea", role=Role.ANALYST)
    MembershipFactory(project=other, user=user, role=ProjectRole.MODERATOR)
    return user


# --- The default project, and the project a request names ------------------------------------------------------


def test_a_request_naming_no_project_addresses_the_default_project(both, other, paper):
    mine = PaperFactory(project=other, slug="other-paper")
    api = Api().as_user(both)
    assert [p["slug"] for p in api.get("/api/v1/papers/").json()["results"]] == [paper.slug]
    assert api.get(f"/api/v1/papers/?project={DEFAULT_PROJECT_SLUG}").json()["results"][0]["slug"] == paper.slug
    assert [p["slug"] for p in api.get("/api/v1/papers/?project=other").json()["results"]] == [mine.slug]


def test_a_write_names_its_project_in_the_json_body_or_the_query_string(both, other):
    api = Api().as_user(both)
    made = api.post("/api/v1/tags/", {"slug": "mine", "name": "Mine", "project": "other"}, format="json")
    assert made.status_code == 201, made.content
    assert Tag.objects.get(slug="mine").project == other
    # The same slug may be used in another codebook; in the default project bea is an analyst: refused.
    refused = api.post("/api/v1/tags/", {"slug": "mine", "name": "Mine"}, format="json")
    assert refused.status_code == 403
    assert api.patch("/api/v1/tags/mine/?project=other", {"name": "Renamed"}, format="json").status_code == 200
    assert Tag.objects.get(slug="mine").name == "Renamed"


def test_a_claim_takes_its_project_from_its_paper_and_its_tags_from_that_codebook(both, other):
    paper = PaperFactory(project=other, slug="other-paper")
    TagFactory(slug="shared")  # the default project's
    theirs = TagFactory(project=other, slug="shared")
    api = Api().as_user(both)
    made = api.post(
        "/api/v1/claims/",
        {"paper": paper.slug, "target": {"exact": "fights the three evils"}, "statement": "s", "tags": ["shared"]},
        format="json",
    )
    assert made.status_code == 201, made.content
    claim = Claim.objects.get(pk=made.json()["id"])
    assert list(claim.tags.all()) == [theirs]
    only_default = TagFactory(slug="only-default")
    edit = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "tags": [only_default.slug]}, format="json")
    assert edit.status_code == 400
    assert edit.json() == {"tags": ['Unknown tag "only-default".']}
    # A project named beside the paper must be the paper's.
    wrong = api.post(
        "/api/v1/claims/",
        {"paper": paper.slug, "project": DEFAULT_PROJECT_SLUG, "target": {"exact": "alliance"}, "statement": "s"},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json() == {"paper": ['Unknown paper "other-paper".']}


def test_a_link_joins_claims_of_one_project_only(both, other, paper):
    mine = ClaimFactory(paper=paper, created_by=both, at=(0, 10))
    theirs = ClaimFactory(paper=PaperFactory(project=other), created_by=both, at=(0, 10))
    with pytest.raises(services.ValidationError) as refused:
        services.link_create(created_by=both, source=mine, target=theirs, relation="supports")
    assert refused.value.message_dict == {
        "target": ["A link joins two claims of one project; these are in two projects."]
    }
    answer = (
        Api()
        .as_user(both)
        .post(
            "/api/v1/links/", {"source": str(mine.pk), "target": str(theirs.pk), "relation": "supports"}, format="json"
        )
    )
    assert answer.status_code == 400
    assert answer.json() == {"target": ["A link joins two claims of one project; these are in two projects."]}


def test_roles_are_per_project(both, other, paper):
    theirs = ClaimFactory(paper=PaperFactory(project=other), at=(0, 10))
    mine = ClaimFactory(paper=paper, at=(0, 10))
    api = Api().as_user(both)
    # A moderator in the other project: decides there; an analyst here: not here.
    approve = api.post(f"/api/v1/claims/{theirs.pk}/moderate/", {"decision": "approve"}, format="json")
    assert approve.status_code == 200, approve.content
    assert approve.json()["actions"] == ["edit", "delete", "reject", "reopen", "link"]
    refused = api.post(f"/api/v1/claims/{mine.pk}/moderate/", {"decision": "approve"}, format="json")
    assert refused.status_code == 404  # pending, someone else's: an analyst does not see it
    mine.status = Status.APPROVED
    mine.save()
    refused = api.post(f"/api/v1/claims/{mine.pk}/moderate/", {"decision": "reject", "reason": "r"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only moderators can approve or reject."
    assert api.get("/api/v1/claims/?deleted=true").status_code == 403
    assert api.get("/api/v1/claims/?deleted=true&project=other").status_code == 200


# --- Archived projects: read-only ---------------------------------------------------------------------------------


def test_an_archived_project_reads_but_refuses_every_write(other):
    owner = UserFactory(username="olga")
    MembershipFactory(project=other, user=owner, role=ProjectRole.OWNER)
    paper = PaperFactory(project=other, slug="archived-paper")
    claim = ClaimFactory(paper=paper, created_by=owner, at=(0, 10))
    other.archived = True
    other.save()
    api = Api().as_user(owner)
    assert api.get("/api/v1/claims/?project=other").json()["count"] == 1
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["actions"] == []
    writes = [
        api.post("/api/v1/claims/", {"paper": paper.slug, "target": {"exact": "alliance"}, "statement": "s"}, format="json"),
        api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "new"}, format="json"),
        api.delete(f"/api/v1/claims/{claim.pk}/"),
        api.post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "approve"}, format="json"),
        api.post("/api/v1/tags/?project=other", {"slug": "t", "name": "T"}, format="json"),
        api.post(f"/api/v1/papers/{paper.slug}/revisions/", {"text": "A new text."}, format="json"),
        api.post("/api/v1/import/?project=other", {"format": "sco-claims", "version": 1}, format="json"),
    ]  # fmt: skip
    for response in writes:
        assert response.status_code == 403, response.content
        assert response.json()["detail"] == ARCHIVED_MESSAGE
    claim.refresh_from_db()
    assert (claim.statement, claim.status, claim.deleted_at, claim.version) != ("new", Status.APPROVED, None, 2)
    assert claim.version == 1
    assert not Tag.objects.filter(project=other).exists()
    client = Client()
    client.force_login(owner)
    reader = client.get(f"/papers/{paper.slug}/")
    assert reader.status_code == 200
    assert reader.context["can_annotate"] is False


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_a_user_in_no_project_sees_an_empty_papers_page_pointing_to_the_projects_page(paper):
    nobody = UserFactory(username="nora")
    client = Client()
    client.force_login(nobody)
    page = client.get("/papers/")
    html = page.content.decode()
    assert 'href="/projects/"' in html
    assert paper.slug not in html


def test_the_navigation_shows_the_project_and_switches_between_the_users_projects(both, other, paper):
    PaperFactory(project=other, slug="other-paper")
    client = Client()
    client.force_login(both)
    html = client.get("/papers/?project=other").content.decode()
    assert 'data-current-project="other"' in html
    assert "Other project" in html
    assert 'href="/papers/?project=sco-security-cooperation"' in html
    assert 'href="/papers/?project=other"' in html
    assert "other-paper" in html
    assert paper.slug not in html
    # The reader finds the project from its paper.
    assert 'data-current-project="other"' in client.get("/papers/other-paper/").content.decode()


@pytest.mark.parametrize(
    "path", ["/projects/other/", "/projects/other/members/", "/projects/other/settings/", "/projects/other/codebook/",
             "/projects/other/papers/new/"],
)  # fmt: skip
def test_a_projects_own_pages_show_that_project_in_the_navigation(both, other, path):
    Membership.objects.filter(project=other, user=both).update(role=ProjectRole.OWNER)
    client = Client()
    client.force_login(both)
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert 'data-current-project="other"' in html, path
    assert 'data-current-project="sco-security-cooperation"' not in html, path


def test_a_member_of_another_project_only_gets_their_project_on_the_pages(other):
    bob = UserFactory(username="bob")
    MembershipFactory(project=other, user=bob, role=ProjectRole.READER)
    PaperFactory(project=other, slug="other-paper")
    client = Client()
    client.force_login(bob)
    page = client.get("/papers/")
    assert page.status_code == 200
    assert "other-paper" in page.content.decode()


# --- createuser --project ---------------------------------------------------------------------------------------


def test_createuser_makes_a_membership_in_the_project_named_or_the_default_one(other, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "a-long-test-password-42")
    call_command("createuser", "dora", "--role", "analyst", "--noinput", stdout=StringIO())
    call_command("createuser", "eve", "--role", "owner", "--project", "other", "--noinput", stdout=StringIO())
    assert Membership.objects.get(user__username="dora").project == default_project()
    eve = Membership.objects.get(user__username="eve")
    assert (eve.project, eve.role) == (other, ProjectRole.OWNER)
    out = StringIO()
    call_command("createuser", "dora", "--role", "reader", "--project", "other", "--update", "--noinput", stdout=out)
    assert "with role reader in project other" in out.getvalue()
    dora = User.objects.get(username="dora")
    assert dict(dora.memberships.values_list("project__slug", "role")) == {
        DEFAULT_PROJECT_SLUG: ProjectRole.ANALYST,
        "other": ProjectRole.READER,
    }
    with pytest.raises(CommandError, match="no project 'nowhere'"):
        call_command("createuser", "fay", "--role", "reader", "--project", "nowhere", "--noinput")
    assert not User.objects.filter(username="fay").exists()


def test_load_corpus_fills_the_project_named(other):
    call_command("load_corpus", "--project", "other", stdout=StringIO())
    assert other.papers.count() == 5
    assert other.tags.exists()
    assert not default_project().papers.exists()
    with pytest.raises(CommandError, match="is taken"):
        call_command("load_corpus", stdout=StringIO())  # the same slugs into the default project


# --- Queries do not grow with the number of a user's projects -----------------------------------------------------


def _counts(client, urls, django_assert_max_num_queries) -> list[int]:
    counts = []
    for url in urls:
        with django_assert_max_num_queries(60) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        counts.append(len(captured.captured_queries))
    return counts


def test_the_queries_of_pages_and_lists_are_the_same_with_one_project_and_with_ten(
    analyst, paper, tag, django_assert_max_num_queries, django_assert_num_queries
):
    ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED, tags=[tag], at=(0, 10))
    urls = ["/papers/", f"/papers/{paper.slug}/", "/api/v1/claims/", "/api/v1/map/", "/map/", "/api/v1/papers/"]
    client = Client()
    client.force_login(analyst)
    client.get(urls[0])
    one = _counts(client, urls, django_assert_max_num_queries)
    for n in range(9):
        project = ProjectFactory(slug=f"more-{n}")
        MembershipFactory(project=project, user=analyst, role=ProjectRole.MODERATOR if n % 2 else ProjectRole.READER)
        more = PaperFactory(project=project)
        claim = ClaimFactory(paper=more, created_by=analyst, status=Status.APPROVED, at=(0, 10))
        LinkFactory(source=claim, target=ClaimFactory(paper=more, at=(11, 26)), created_by=analyst)
    for url, queries in zip(urls, one, strict=True):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
    assert Membership.objects.filter(user=analyst).count() == 10


def test_the_services_refuse_a_tag_of_another_codebook_on_a_claim(both, other, paper):
    theirs = TagFactory(project=other, slug="theirs")
    with pytest.raises(services.ValidationError) as refused:
        services.claim_create(
            created_by=both, paper=paper, target={"exact": "fights the three evils"}, statement="s", tags=[theirs]
        )
    assert refused.value.message_dict == {"tags": ['Unknown tag "theirs".']}
    claim = ClaimFactory(paper=paper, created_by=both, at=(0, 10))
    with pytest.raises(services.ValidationError):
        services.claim_update(claim_id=claim.pk, by=both, version=1, tags=[theirs])
    assert not claim.codings.exists()
