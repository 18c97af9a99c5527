"""The role x endpoint matrix: who gets which status code, on the API and the pages, for each kind of item.

Items: an approved claim of another analyst, the analyst's own pending claim, another analyst's pending
claim, a deleted claim; the same for links. Roles: anonymous, reader, analyst (the owner of "own"), moderator.
"""

import json

import pytest
from django.test import Client
from django.utils import timezone

from annotations.models import Role, Status
from tests.conftest import Api
from tests.factories import PASSWORD, ClaimFactory, LinkFactory, PaperFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db  # each test in its own transaction, inside the module's (module_db)

ROLES = ["anonymous", "reader", "analyst", "moderator"]

NEW_CLAIM = {"paper": "masuda-2010", "target": {"exact": "not an alliance"}, "statement": "Not an alliance."}

# (method, path, body, expected status per role: anonymous, reader, analyst, moderator)
API = [
    ("get", "/api/v1/claims/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/claims/?deleted=true", None, (401, 403, 403, 200)),
    ("get", "/api/v1/claims/?deleted=maybe", None, (401, 400, 400, 400)),
    ("get", "/api/v1/claims/{approved}/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/claims/{own}/", None, (401, 404, 200, 200)),
    ("get", "/api/v1/claims/{others}/", None, (401, 404, 404, 200)),
    ("get", "/api/v1/claims/{deleted}/", None, (401, 404, 404, 200)),
    ("post", "/api/v1/claims/", NEW_CLAIM, (401, 403, 201, 201)),
    ("patch", "/api/v1/claims/{own}/", {"version": 1, "statement": "Changed."}, (401, 403, 200, 200)),
    ("patch", "/api/v1/claims/{approved}/", {"version": 1, "statement": "Changed."}, (401, 403, 403, 200)),
    ("patch", "/api/v1/claims/{others}/", {"version": 1, "statement": "Changed."}, (401, 403, 404, 200)),
    ("patch", "/api/v1/claims/{deleted}/", {"version": 1, "statement": "Changed."}, (401, 403, 404, 400)),
    ("delete", "/api/v1/claims/{own}/", None, (401, 403, 204, 204)),
    ("delete", "/api/v1/claims/{approved}/", None, (401, 403, 403, 204)),
    ("delete", "/api/v1/claims/{deleted}/", None, (401, 403, 404, 400)),
    ("post", "/api/v1/claims/{others}/moderate/", {"decision": "approve"}, (401, 403, 403, 200)),
    ("post", "/api/v1/claims/{own}/moderate/", {"decision": "reject", "reason": "No."}, (401, 403, 403, 200)),
    ("post", "/api/v1/claims/{approved}/moderate/", {"decision": "reopen"}, (401, 403, 403, 200)),
    ("post", "/api/v1/claims/{approved}/moderate/", {"decision": "approve"}, (401, 403, 403, 400)),
    ("post", "/api/v1/claims/{deleted}/moderate/", {"decision": "approve"}, (401, 403, 403, 400)),
    ("post", "/api/v1/claims/{deleted}/restore/", {}, (401, 403, 403, 200)),
    ("post", "/api/v1/claims/{approved}/restore/", {}, (401, 403, 403, 400)),
    ("get", "/api/v1/claims/{approved}/history/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/claims/{own}/history/", None, (401, 404, 200, 200)),
    ("get", "/api/v1/claims/{others}/history/", None, (401, 404, 404, 200)),
    ("get", "/api/v1/claims/{deleted}/history/", None, (401, 404, 404, 200)),
    ("get", "/api/v1/papers/masuda-2010/claims/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/links/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/links/?deleted=true", None, (401, 403, 403, 200)),
    ("get", "/api/v1/links/{approved_link}/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/links/{own_link}/", None, (401, 404, 200, 200)),
    ("get", "/api/v1/links/{deleted_link}/", None, (401, 404, 404, 200)),
    ("patch", "/api/v1/links/{own_link}/", {"version": 1, "rationale": "Why."}, (401, 403, 200, 200)),
    ("patch", "/api/v1/links/{approved_link}/", {"version": 1, "rationale": "Why."}, (401, 403, 403, 200)),
    ("delete", "/api/v1/links/{own_link}/", None, (401, 403, 204, 204)),
    ("post", "/api/v1/links/{own_link}/moderate/", {"decision": "approve"}, (401, 403, 403, 200)),
    ("post", "/api/v1/links/{approved_link}/moderate/", {"decision": "reopen"}, (401, 403, 403, 200)),
    ("post", "/api/v1/links/{deleted_link}/restore/", {}, (401, 403, 403, 200)),
    ("get", "/api/v1/links/{approved_link}/history/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/links/{deleted_link}/history/", None, (401, 404, 404, 200)),
]

# Pages (session login); anonymous visitors are sent to the login page (302), the admin sends non-staff there too.
PAGES = [
    ("get", "/papers/", None, (302, 200, 200, 200)),
    ("get", "/papers/masuda-2010/", None, (302, 200, 200, 200)),
    ("get", "/moderation/", None, (302, 403, 403, 200)),
    ("post", "/moderation/claims/{others}/", {"decision": "approve"}, (302, 403, 403, 302)),
    ("post", "/moderation/links/{own_link}/", {"decision": "approve"}, (302, 403, 403, 302)),
    ("get", "/claims/{approved}/history/", None, (302, 200, 200, 200)),
    ("get", "/claims/{own}/history/", None, (302, 404, 200, 200)),
    ("get", "/claims/{deleted}/history/", None, (302, 404, 404, 200)),
    ("get", "/links/{own_link}/history/", None, (302, 404, 200, 200)),
    ("get", "/admin/annotations/claim/", None, (302, 302, 302, 200)),
    ("get", "/admin/annotations/claim/{deleted}/change/", None, (302, 302, 302, 200)),
    ("get", "/admin/annotations/link/", None, (302, 302, 302, 200)),
]


def params(table, surface):
    return [
        pytest.param(method, path, body, role, expected, id=f"{surface}-{method}-{path}-{role}")
        for method, path, body, statuses in table
        for role, expected in zip(ROLES, statuses, strict=True)
    ]


@pytest.fixture(scope="module")
def world(module_db):
    """Built once for the module (module_db): each test reads it, and what one writes is undone after it."""
    paper = PaperFactory(slug="masuda-2010")
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    other_analyst = UserFactory(username="otto", role=Role.ANALYST)
    now = timezone.now()
    approved = ClaimFactory(paper=paper, created_by=other_analyst, status=Status.APPROVED, at=(0, 10))
    approved_2 = ClaimFactory(paper=paper, created_by=other_analyst, status=Status.APPROVED, at=(11, 26))
    own = ClaimFactory(paper=paper, created_by=analyst, at=(28, 38))
    others = ClaimFactory(paper=paper, created_by=other_analyst, at=(39, 45))
    deleted = ClaimFactory(paper=paper, created_by=analyst, deleted_at=now, at=(46, 56))
    return {
        "approved": approved,
        "approved_2": approved_2,
        "own": own,
        "others": others,
        "deleted": deleted,
        "approved_link": LinkFactory(source=approved, target=approved_2, created_by=other_analyst, status="approved"),
        "own_link": LinkFactory(source=approved, target=own, created_by=analyst),
        # Two claims carry one live link: the deleted one joins a pair of its own, so restoring it is allowed.
        "deleted_link": LinkFactory(source=approved_2, target=own, created_by=analyst, deleted_at=now),
    }


def user_for(role):
    if role == "anonymous":
        return None
    names = {"reader": ("rita", Role.READER), "analyst": ("ana", Role.ANALYST), "moderator": ("mo", Role.MODERATOR)}
    username, group = names[role]
    return UserFactory(username=username, role=group)


def fill(path: str, world) -> str:
    return path.format(**{name: item.pk for name, item in world.items()})


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), params(API, "api"))
def test_api(method, path, body, role, expected, world):
    api = Api()
    user = user_for(role)
    if user is not None:
        api.as_user(user)
    response = getattr(api, method)(fill(path, world), body, format="json")
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), params(PAGES, "page"))
def test_page(method, path, body, role, expected, world):
    client = Client()
    user = user_for(role)
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    response = getattr(client, method)(fill(path, world), body or {})
    assert response.status_code == expected
    if expected == 302 and role != "moderator":
        assert "login" in response["Location"]


VISIBLE = {
    "reader": {"approved", "approved_2"},
    "analyst": {"approved", "approved_2", "own"},
    "moderator": {"approved", "approved_2", "own", "others"},
}
VISIBLE_LINKS = {
    "reader": {"approved_link"},
    "analyst": {"approved_link", "own_link"},
    "moderator": {"approved_link", "own_link"},
}


def names_of(ids, world) -> set[str]:
    by_id = {str(item.pk): name for name, item in world.items()}
    return {by_id.get(str(i), str(i)) for i in ids}


@pytest.mark.parametrize("role", ["reader", "analyst", "moderator"])
def test_the_same_claims_are_visible_everywhere(role, world):
    """Readers: approved only; analysts: approved and their own; moderators: all but the deleted (unless asked)."""
    user = user_for(role)
    api = Api().as_user(user)
    everywhere = {
        "claims/": [c["id"] for c in api.get("/api/v1/claims/?page_size=100").json()["results"]],
        "papers/x/claims/": [c["id"] for c in api.get("/api/v1/papers/masuda-2010/claims/").json()["results"]],
    }
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    reader = json.loads(client.get("/papers/masuda-2010/").context["claims_json"])  # compact rows: the id first
    everywhere["reader page"] = [row[0] for row in reader["claims"] + reader["unplaced"]]
    counted = client.get("/papers/").context["papers"][0].claims_total
    for surface, ids in everywhere.items():
        assert names_of(ids, world) == VISIBLE[role], surface
        assert len(ids) == counted, surface
    links = [link["id"] for link in api.get("/api/v1/links/").json()["results"]]
    assert names_of(links, world) == VISIBLE_LINKS[role]


def test_moderators_list_the_deleted_items_when_asked(world, moderator):
    api = Api().as_user(moderator)
    claims = api.get("/api/v1/claims/?deleted=true").json()
    assert names_of([c["id"] for c in claims["results"]], world) == {"deleted"}
    assert claims["results"][0]["deleted_at"] is not None
    links = api.get("/api/v1/links/?deleted=true").json()
    assert names_of([link["id"] for link in links["results"]], world) == {"deleted_link"}


def test_others_asking_for_deleted_items_are_refused_by_name(world, analyst):
    response = Api().as_user(analyst).get("/api/v1/claims/?deleted=true")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only moderators can see deleted items."


# Surfaces other issues build on the same selectors: every claim id they show must be one the role may see.
# They are checked by the ids found anywhere in the response, whatever its shape; until an endpoint exists in
# the branch at hand the check is skipped.
SHARED_SURFACES = [
    "/api/v1/map/",
    "/api/v1/compare/?by=author",
    "/api/v1/compare/?by=paper",
    "/api/v1/export/claims.json",
    "/api/v1/export/w3c.jsonld",
    "/api/v1/export/aif.json",
    "/api/v1/export/graph.graphml",
    "/api/v1/export/claims.csv",
]


@pytest.mark.parametrize("path", SHARED_SURFACES)
@pytest.mark.parametrize("role", ["reader", "analyst", "moderator"])
def test_shared_surfaces_show_no_claim_the_role_may_not_see(path, role, world):
    tag = TagFactory(slug="not-an-alliance")
    for item in world.values():
        if hasattr(item, "tags"):
            item.tags.add(tag, through_defaults={"stance": item.stance})  # the comparison shows tagged claims only
    response = Api().as_user(user_for(role)).get(path)
    if response.status_code == 404:
        pytest.skip(f"{path} is not in this branch yet")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    shown = {name for name, item in world.items() if str(item.pk) in text}
    links = {"approved_link", "own_link", "deleted_link"}
    assert shown - links <= VISIBLE[role], f"{path} shows {sorted(shown - links - VISIBLE[role])} to a {role}"
    assert shown & links <= VISIBLE_LINKS[role], f"{path} shows {sorted(shown & links - VISIBLE_LINKS[role])}"
