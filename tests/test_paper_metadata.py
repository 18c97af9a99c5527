"""A paper's metadata edited by the moderators of its project (API, service and page), with its history row."""

import pytest
from django.test import Client

from annotations import services
from annotations.errors import PermissionDenied, ValidationError
from annotations.models import Author, HistoryAction, Paper
from projects.models import ProjectRole
from tests.conftest import Api
from tests.factories import PASSWORD, AuthorFactory, MembershipFactory, PaperFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    return ProjectFactory(slug="arctic")


@pytest.fixture
def lin(project):
    return AuthorFactory(project=project, name="Lin", affiliation="CASS", country="China")


@pytest.fixture
def ice(project, lin):
    return PaperFactory(project=project, slug="ice-2020", title="Ice", year=2020, authors=[lin])


def in_project(project, username, role):
    user = UserFactory(username=username, role=ProjectRole.READER)  # a role in the default project, too
    MembershipFactory(project=project, user=user, role=role)
    return user


def test_a_moderator_changes_title_authors_year_venue_doi_url_with_one_history_row(project, ice, lin):
    mod = in_project(project, "mo", ProjectRole.MODERATOR)
    text, sha = ice.text, ice.text_sha256
    response = (
        Api()
        .as_user(mod)
        .patch(
            "/api/v1/papers/ice-2020/",
            {
                "title": "Ice and fire",
                "year": 2021,
                "venue": "Polar Journal",
                "doi": "https://doi.org/10.1000/ABC",
                "url": "https://example.org/ice",
                "authors": [
                    {"name": "Lin", "affiliation": "CASS", "country": "China"},
                    {"name": "Wang", "country": "China"},
                ],
            },
            format="json",
        )
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["year"], body["venue"], body["doi"], body["url"]) == (
        "Ice and fire", 2021, "Polar Journal", "10.1000/abc", "https://example.org/ice",
    )  # fmt: skip
    assert [a["name"] for a in body["authors"]] == ["Lin", "Wang"]
    paper = Paper.objects.get(pk=ice.pk)
    assert (paper.text, paper.text_sha256) == (text, sha)
    assert Author.objects.get(project=project, name="Wang").country == "China"
    rows = list(Paper.history.filter(id=ice.pk).order_by("history_id"))
    last = rows[-1]
    assert (last.history_action, last.history_user, last.title) == (HistoryAction.EDITED, mod, "Ice and fire")
    reason = last.history_change_reason
    assert "title: 'Ice' → 'Ice and fire'" in reason
    assert "year: 2020 → 2021" in reason
    assert "doi: (none) → '10.1000/abc'" in reason
    assert "authors: Lin (CASS, China) → Lin (CASS, China); Wang (China)" in reason


def test_nothing_changed_writes_no_history_row(project, ice):
    mod = in_project(project, "mo", ProjectRole.MODERATOR)
    before = Paper.history.filter(id=ice.pk).count()
    services.paper_update_metadata(paper=ice, by=mod, title="Ice", year=2020)
    assert Paper.history.filter(id=ice.pk).count() == before


@pytest.mark.parametrize("role", [ProjectRole.READER, ProjectRole.ANALYST])
def test_readers_and_analysts_are_refused(project, ice, role):
    user = in_project(project, "ana", role)
    response = Api().as_user(user).patch("/api/v1/papers/ice-2020/", {"title": "Mine"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the moderators of this paper's project can edit its metadata."
    assert Paper.objects.get(pk=ice.pk).title == "Ice"


def test_a_moderator_of_another_project_gets_404(ice):
    elsewhere = ProjectFactory(slug="elsewhere")
    user = in_project(elsewhere, "mo", ProjectRole.MODERATOR)
    response = Api().as_user(user).patch("/api/v1/papers/ice-2020/", {"title": "Mine"}, format="json")
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.paper_update_metadata(paper=ice, by=user, title="Mine")


def test_the_text_and_unknown_fields_cannot_be_changed_here(project, ice):
    mod = in_project(project, "mo", ProjectRole.MODERATOR)
    with pytest.raises(ValidationError) as refused:
        services.paper_update_metadata(paper=ice, by=mod, text="New text")
    assert refused.value.message_dict == {"text": ["This field cannot be changed here."]}
    response = Api().as_user(mod).patch("/api/v1/papers/ice-2020/", {"text": "New"}, format="json")
    assert Paper.objects.get(pk=ice.pk).text == ice.text
    assert response.status_code == 200  # an unknown key is ignored by the API, and changes nothing


def test_bad_values_are_refused_by_field(project, ice):
    mod = in_project(project, "mo", ProjectRole.MODERATOR)
    api = Api().as_user(mod)
    assert set(api.patch("/api/v1/papers/ice-2020/", {"doi": "nope"}, format="json").json()) == {"doi"}
    assert set(api.patch("/api/v1/papers/ice-2020/", {"url": "ftp://x"}, format="json").json()) == {"url"}
    twice = api.patch("/api/v1/papers/ice-2020/", {"authors": [{"name": "Lin"}, {"name": "Lin"}]}, format="json").json()
    assert twice == {"authors": ["Lin is listed twice."]}
    PaperFactory(project=project, slug="other", doi="10.1000/taken")
    taken = api.patch("/api/v1/papers/ice-2020/", {"doi": "10.1000/taken"}, format="json")
    assert taken.json() == {"doi": ["Another paper of this project has the DOI 10.1000/taken."]}


def test_an_archived_projects_papers_are_read_only(project, ice):
    mod = in_project(project, "mo", ProjectRole.MODERATOR)
    project.archived = True
    project.save()
    response = Api().as_user(mod).patch("/api/v1/papers/ice-2020/", {"title": "Mine"}, format="json")
    assert response.status_code == 403
    assert "archived" in response.json()["detail"]


def test_the_edit_page_saves_and_shows_the_history(project, ice):
    mod = in_project(project, "mo", ProjectRole.MODERATOR)
    client = Client()
    client.login(username="mo", password=PASSWORD)
    page = client.get("/papers/ice-2020/edit/")
    assert page.status_code == 200
    assert "Lin; CASS; China" in page.content.decode()
    response = client.post(
        "/papers/ice-2020/edit/",
        {
            "title": "Ice age",
            "authors": "Lin; CASS; China\nChen;; Russia",
            "year": "2020",
            "venue": "",
            "doi": "",
            "url": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The paper&#x27;s details are saved." in html
    assert "title: &#x27;Ice&#x27; → &#x27;Ice age&#x27;" in html
    paper = Paper.objects.get(pk=ice.pk)
    assert paper.title == "Ice age"
    assert [(b.author.name, b.author.country) for b in paper.bylines.order_by("position")] == [
        ("Lin", "China"),
        ("Chen", "Russia"),
    ]
    assert mod.pk == Paper.history.filter(id=ice.pk).latest().history_user_id


def test_the_edit_page_refuses_analysts_and_hides_other_projects(project, ice):
    in_project(project, "ana", ProjectRole.ANALYST)
    client = Client()
    client.login(username="ana", password=PASSWORD)
    assert client.get("/papers/ice-2020/edit/").status_code == 403
    UserFactory(username="out", role=ProjectRole.READER)
    client.login(username="out", password=PASSWORD)
    assert client.get("/papers/ice-2020/edit/").status_code == 404
