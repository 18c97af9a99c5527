"""Nothing crosses projects: a member of project A (the default project), whatever their role, gets a 404 for every
object of project B, and no list, count, search, export, analysis or history shows anything of B.

The world: project A (the default project) with one paper, tag and claim; project B with a paper, author, tag,
claims and a link whose words are markers found nowhere else. Each case is run for each role in A."""

import json

import pytest
from django.test import Client

from annotations.models import Role, Status
from projects.models import ProjectRole, default_project
from tests.conftest import Api
from tests.factories import (
    PASSWORD,
    AuthorFactory,
    ClaimFactory,
    LinkFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Words that exist only in project B: none may appear in any answer to a member of A alone.
MARKERS = ("b-hidden-paper", "Zebraword", "Quokka statement", "Bertha Hidden", "secret-tag", "Secret tag name")
B_TEXT = "Zebraword rules the hidden corpus. A second sentence of Zebraword follows here."
ROLES = [ProjectRole.READER, ProjectRole.ANALYST, ProjectRole.MODERATOR, ProjectRole.OWNER]


@pytest.fixture(scope="module")
def world(module_db):
    """Built once for the module (module_db): its tests read it, and what one writes is undone after it."""
    a = default_project()
    b = ProjectFactory(slug="other", name="Other project")
    bob = UserFactory(username="bob")
    MembershipFactory(project=b, user=bob, role=ProjectRole.MODERATOR)
    a_paper = PaperFactory(slug="a-paper")
    a_tag = TagFactory(slug="shared")  # the same slug in both codebooks
    a_claim = ClaimFactory(paper=a_paper, status=Status.APPROVED, at=(0, 10), tags=[a_tag])
    b_paper = PaperFactory(
        project=b, slug="b-hidden-paper", text=B_TEXT, authors=[AuthorFactory(project=b, name="Bertha Hidden")]
    )
    b_tag = TagFactory(project=b, slug="secret-tag", name="Secret tag name")
    b_shared = TagFactory(project=b, slug="shared", name="Secret tag name too")
    approved = ClaimFactory(
        paper=b_paper, created_by=bob, status=Status.APPROVED, at=(0, 9), statement="Quokka statement one",
        tags=[b_tag, b_shared],
    )  # fmt: skip
    pending = ClaimFactory(
        paper=b_paper, created_by=bob, status=Status.PENDING, at=(35, 51), statement="Quokka statement two"
    )
    link = LinkFactory(source=approved, target=pending, created_by=bob, status=Status.PENDING, rationale="Zebraword")
    return {
        "a": a, "b": b, "bob": bob, "a_paper": a_paper, "a_claim": a_claim, "a_tag": a_tag, "b_paper": b_paper,
        "b_tag": b_tag, "b_claim": approved, "b_pending": pending, "b_link": link,
        "b_author": b_paper.bylines.get().author,
    }  # fmt: skip


@pytest.fixture(params=ROLES)
def member(request, world):
    """A member of project A alone, in each role."""
    user = UserFactory(username=f"alice-{request.param}")
    MembershipFactory(project=world["a"], user=user, role=request.param)
    return user


def leaks(content: bytes | str) -> list[str]:
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    return [marker for marker in MARKERS if marker in text]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Objects of B, named by id or slug: 404 -------------------------------------------------------------------


DETAILS = [
    ("get", "/api/v1/papers/{b_paper}/"),
    ("get", "/api/v1/papers/{b_paper}/claims/"),
    ("get", "/api/v1/authors/{b_author}/"),
    ("get", "/api/v1/tags/secret-tag/"),
    ("get", "/api/v1/claims/{b_claim}/"),
    ("get", "/api/v1/claims/{b_claim}/history/"),
    ("patch", "/api/v1/claims/{b_claim}/"),
    ("delete", "/api/v1/claims/{b_claim}/"),
    ("get", "/api/v1/links/{b_link}/"),
    ("get", "/api/v1/links/{b_link}/history/"),
    ("patch", "/api/v1/links/{b_link}/"),
    ("delete", "/api/v1/links/{b_link}/"),
    ("get", "/api/v1/claims/?project=other"),
    ("get", "/api/v1/links/?project=other"),
    ("get", "/api/v1/papers/?project=other"),
    ("get", "/api/v1/authors/?project=other"),
    ("get", "/api/v1/tags/?project=other"),
    ("get", "/api/v1/map/?project=other"),
    ("get", "/api/v1/compare/?project=other"),
    ("get", "/api/v1/export/claims.json?project=other"),
    ("get", "/api/v1/export/claims.csv?project=other"),
    ("get", "/api/v1/export/codebook.qdc?project=other"),
    ("get", "/api/v1/export/network/conflict.csv?project=other"),
    ("get", "/api/v1/claims/{a_claim}/?project=other"),
]
# Moderators' endpoints: a member of A who moderates nothing is refused before anything is looked up (403, which
# says nothing of B); one who moderates gets the 404.
MODERATED = [
    ("post", "/api/v1/claims/{b_claim}/moderate/"),
    ("post", "/api/v1/claims/{b_claim}/restore/"),
    ("post", "/api/v1/claims/{b_claim}/place/"),
    ("post", "/api/v1/links/{b_link}/moderate/"),
    ("post", "/api/v1/links/{b_link}/restore/"),
    ("get", "/api/v1/papers/{b_paper}/revisions/"),
    ("post", "/api/v1/papers/{b_paper}/revisions/"),
    ("get", "/api/v1/papers/{b_paper}/revisions/1/"),
]


def concrete(path: str, world) -> str:
    return path.format(
        b_paper=world["b_paper"].slug,
        b_author=world["b_author"].pk,
        b_claim=world["b_claim"].pk,
        b_link=world["b_link"].pk,
        a_claim=world["a_claim"].pk,
    )


@pytest.mark.parametrize(("method", "path"), DETAILS + MODERATED)
def test_every_object_of_another_project_is_not_found(world, member, method, path):
    api = Api().as_user(member)
    payload = {"version": 1, "decision": "approve", "reason": "x", "text": "new", "target": {"exact": "x"}}
    response = getattr(api, method)(concrete(path, world), None if method == "get" else payload, format="json")
    moderates = member.memberships.get().role in (ProjectRole.MODERATOR, ProjectRole.OWNER)
    writes = method != "get" and (method, path) not in MODERATED
    if (method, path) in MODERATED and not moderates:
        assert response.status_code == 403, response.content
    elif writes and member.memberships.get().role == ProjectRole.READER:
        assert response.status_code == 403, response.content  # readers write nothing, anywhere
    else:
        assert response.status_code == 404, (method, path, response.status_code, response.content[:200])
    assert not leaks(body(response))


def test_writes_that_name_another_projects_objects_are_refused_as_unknown(world, member):
    api = Api().as_user(member)
    claim = api.post(
        "/api/v1/claims/",
        {"paper": "b-hidden-paper", "target": {"exact": "Zebraword"}, "statement": "x"},
        format="json",
    )
    link = api.post(
        "/api/v1/links/",
        {"source": str(world["a_claim"].pk), "target": str(world["b_claim"].pk), "relation": "supports"},
        format="json",
    )
    if member.memberships.get().role == ProjectRole.READER:
        assert claim.status_code == link.status_code == 403
    else:
        assert claim.status_code == 400
        assert claim.json() == {"paper": ['Unknown paper "b-hidden-paper".']}
        assert link.status_code == 400
        assert link.json() == {"target": [f'Unknown claim "{world["b_claim"].pk}".']}
    assert world["b_paper"].claims.count() == 2


# --- Lists, counts, search, exports, analyses: nothing of B -----------------------------------------------------


LISTS = [
    "/api/v1/claims/",
    "/api/v1/claims/?q=Zebraword",
    "/api/v1/claims/?status=pending",
    "/api/v1/links/",
    "/api/v1/papers/",
    "/api/v1/authors/",
    "/api/v1/tags/",
    "/api/v1/papers/a-paper/claims/",
    "/api/v1/claims/{a_claim}/history/",
    "/api/v1/map/?include=pending",
    "/api/v1/compare/?include=pending",
    "/api/v1/export/claims.json",
    "/api/v1/export/w3c.jsonld",
    "/api/v1/export/aif.json",
    "/api/v1/export/graph.graphml",
    "/api/v1/export/claims.csv",
    "/api/v1/export/links.csv",
    "/api/v1/export/tables/tags.csv",
    "/api/v1/export/tables/authors.csv",
    "/api/v1/export/tables/papers.csv",
    "/api/v1/export/codebook.qdc",
    "/api/v1/export/network/conflict.csv?include=pending",
    "/api/v1/export/network/congruence.graphml?include=pending",
]


@pytest.mark.parametrize("path", LISTS)
def test_no_list_export_or_analysis_shows_anything_of_another_project(world, member, path):
    response = Api().as_user(member).get(concrete(path, world))
    assert response.status_code == 200, response.content[:300]
    assert not leaks(body(response))


def test_counts_and_search_count_only_the_project(world, member):
    api = Api().as_user(member)
    assert api.get("/api/v1/claims/?q=Zebraword").json()["count"] == 0
    assert api.get("/api/v1/claims/").json()["count"] == 1  # A's one approved claim
    assert api.get("/api/v1/links/").json()["count"] == 0
    assert [p["slug"] for p in api.get("/api/v1/papers/").json()["results"]] == ["a-paper"]
    # A filter naming B's paper or B's tag is refused as unknown, not answered with B's data.
    assert api.get("/api/v1/claims/?paper=b-hidden-paper").json() == {"paper": ['Unknown paper "b-hidden-paper".']}
    assert api.get("/api/v1/claims/?tag=secret-tag").json() == {"tag": ['Unknown tag "secret-tag".']}
    # The slug both codebooks hold names A's tag here: A's claim, not B's.
    tagged = api.get("/api/v1/claims/?tag=shared").json()
    assert [c["id"] for c in tagged["results"]] == [str(world["a_claim"].pk)]


def test_a_moderators_queue_counts_and_nav_badge_count_only_the_project(world):
    moderator = UserFactory(username="mona", role=Role.MODERATOR)
    ClaimFactory(paper=world["a_paper"], at=(11, 26))  # one pending claim in A
    client = Client()
    client.force_login(moderator)
    page = client.get("/moderation/")
    assert page.status_code == 200
    assert page.context["claims_total"] == 1
    assert page.context["links_total"] == 0
    assert not leaks(page.content)
    assert 'data-pending-count title="claims and links waiting">1</span>' in page.content.decode()


PAGES = [
    "/papers/b-hidden-paper/",
    "/papers/b-hidden-paper/text/",
    "/claims/{b_claim}/history/",
    "/links/{b_link}/history/",
    "/papers/?project=other",
    "/map/?project=other",
    "/compare/?project=other",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_of_another_project_is_not_found(world, member, path):
    client = Client()
    client.force_login(member)
    response = client.get(concrete(path, world))
    assert response.status_code == 404
    assert not leaks(response.content)


@pytest.mark.parametrize("path", ["/papers/", "/map/", "/compare/", "/papers/a-paper/"])
def test_the_listing_pages_show_only_the_project(world, member, path):
    client = Client()
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 200
    assert not leaks(response.content)


def test_moderation_of_another_projects_items_is_not_found(world):
    moderator = UserFactory(username="mona", role=Role.MODERATOR)
    client = Client()
    client.force_login(moderator)
    assert client.get("/moderation/?project=other").status_code == 404
    response = client.post(f"/moderation/claims/{world['b_pending'].pk}/", {"decision": "approve"})
    assert response.status_code == 404
    world["b_pending"].refresh_from_db()
    assert world["b_pending"].status == Status.PENDING


def test_an_import_naming_another_projects_paper_is_refused_without_saying_more(world):
    moderator = UserFactory(username="mona", role=Role.MODERATOR)
    api = Api().as_user(moderator)
    exported = json.loads(body(api.get("/api/v1/export/claims.json")))
    paper = {**exported["papers"][0], "slug": "b-hidden-paper", "title": "Mine"}
    document = {"format": "sco-claims", "version": 1, "papers": [paper], "authors": exported["authors"]}
    response = api.post("/api/v1/import/", document, format="json")
    assert response.status_code == 400
    assert response.json() == {"papers": ['The paper slug "b-hidden-paper" is taken: give it another slug.']}
    world["b_paper"].refresh_from_db()
    assert world["b_paper"].title != "Mine"


# --- Superusers see every project; the project's own members see it -------------------------------------------


def test_members_of_the_other_project_see_it_by_name(world):
    api = Api().as_user(world["bob"])
    assert api.get("/api/v1/claims/?project=other").json()["count"] == 2
    # An object named by id or slug is found in any of the user's projects without naming it.
    assert api.get(f"/api/v1/claims/{world['b_claim'].pk}/").status_code == 200
    assert api.get("/api/v1/papers/b-hidden-paper/").status_code == 200
    # Not a member of the default project: its lists are not found.
    assert api.get("/api/v1/claims/").status_code == 404


def test_a_superuser_sees_every_project(world):
    boss = UserFactory(username="boss", is_superuser=True)
    api = Api().as_user(boss)
    assert api.get("/api/v1/claims/?project=other").json()["count"] == 2
    assert api.get(f"/api/v1/links/{world['b_link'].pk}/").status_code == 200


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client
