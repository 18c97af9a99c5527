"""Who may reach anything at all: no role, no access; the API docs behind login; the API's own 404/403/500."""

import re

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator

from annotations import roles
from annotations.api import exceptions
from annotations.models import Role, Status
from tests.conftest import Api
from tests.factories import PASSWORD, ClaimFactory, LinkFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_RESTRICTED = {"/api/v1/auth/token/"}  # where a password is exchanged for a token: anyone may try
# Any signed-in user may list their projects and create one; a project's own URLs answer 404 to a non-member
# (test_projects_api.py walks them).
OPEN_TO_ANY_ACCOUNT = "/api/v1/projects/"


@pytest.fixture
def nobody(db):
    """An active account in no role group."""
    return UserFactory(username="nora")


@pytest.fixture
def world(paper, analyst, tag):
    claim = ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED, at=(0, 10))
    other = ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED, at=(11, 26))
    link = LinkFactory(source=claim, target=other, created_by=analyst, status=Status.APPROVED)
    return {"claim": claim, "link": link, "paper": paper, "tag": tag}


def operations():
    """Every (method, path) of the OpenAPI schema, as drf-spectacular generates it."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def concrete(path: str, world) -> str:
    ids = {"/api/v1/links/": world["link"].pk, "/api/v1/claims/": world["claim"].pk, "/api/v1/authors/": 1}
    values = {
        "id": next((str(value) for prefix, value in ids.items() if path.startswith(prefix)), "1"),
        "slug": world["tag"].slug if path.startswith("/api/v1/tags/") else world["paper"].slug,
        "number": "1",
        "kind": "conflict",
        "fmt": "csv",
    }
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match[1], "1"), path)


def test_a_user_in_no_role_is_refused_every_api_operation(nobody, world):
    api = Api().as_user(nobody)
    checked = 0
    for method, path in operations():
        if path in NOT_RESTRICTED:
            continue
        if path.startswith(OPEN_TO_ANY_ACCOUNT):
            response = getattr(api, method)(concrete(path, world), {}, format="json")
            # The list and create are anyone's; a project's own URLs are refused (not a member: 404, or no role: 403).
            assert response.status_code in ((200, 400) if path == OPEN_TO_ANY_ACCOUNT else (403, 404)), (method, path)
            continue
        response = getattr(api, method)(concrete(path, world), {}, format="json")
        assert response.status_code == 403, (method, path, response.content[:200])
        assert response.json()["detail"] == roles.NO_ROLE_MESSAGE, (method, path)
        checked += 1
    assert checked > 30  # every operation was walked, exports included
    exports = [path for _, path in operations() if path.startswith("/api/v1/export/")]
    assert len(exports) >= 6


def test_a_user_in_no_role_is_refused_through_the_session_too(client, nobody, world):
    client.force_login(nobody)
    for path in ("/api/v1/claims/", "/api/v1/export/claims.json", "/api/v1/papers/", "/api/v1/map/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["detail"] == roles.NO_ROLE_MESSAGE


def page_paths(world) -> list[str]:
    resolver = get_resolver()
    paths = []
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) != "annotations":
            continue
        for child in pattern.url_patterns:
            route = str(child.pattern)
            route = route.replace("projects/<slug:slug>", f"projects/{world['paper'].project.slug}")
            route = route.replace("<slug:project>", world["paper"].project.slug)
            route = route.replace("<slug:slug>", world["paper"].slug)
            route = route.replace("claims/<uuid:pk>", f"claims/{world['claim'].pk}")
            route = route.replace("links/<uuid:pk>", f"links/{world['link'].pk}")
            if route:
                paths.append("/" + route)
    return paths


def test_a_user_in_no_role_is_refused_every_page_but_may_log_out(nobody, world):
    client = Client()
    assert client.login(username="nora", password=PASSWORD)
    paths = page_paths(world)
    assert len(paths) >= 10
    for path in paths:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "no role" in response.content.decode(), path
    assert client.get("/admin/").status_code == 302  # the admin is for staff (moderators) only
    assert client.get("/accounts/password_change/").status_code == 200  # their own account
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/papers/").status_code == 302  # logged out: to the login page


def test_a_superuser_in_no_role_group_is_a_moderator(world):
    boss = UserFactory(username="boss", is_superuser=True)
    assert boss.role == Role.MODERATOR
    api = Api().as_user(boss)
    assert api.get("/api/v1/claims/?deleted=true").status_code == 200
    assert api.get("/api/v1/export/claims.json").status_code == 200


def test_an_inactive_user_with_a_role_is_refused(world):
    gone = UserFactory(username="gone", role=Role.READER)
    token_api = Api().as_user(gone)
    gone.is_active = False
    gone.save()
    assert token_api.get("/api/v1/claims/").status_code == 401


# --- The schema and the Swagger page ---


def test_the_api_docs_need_a_signed_in_user_with_a_role(client, nobody, reader):
    schema = client.get("/api/schema/")
    assert schema.status_code in (401, 403)
    assert schema["Content-Type"] == "application/json"
    assert "detail" in schema.json()
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/?next=/api/docs/")
    client.force_login(nobody)
    assert client.get("/api/schema/").status_code == 403
    assert client.get("/api/docs/").status_code == 403
    client.force_login(reader)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@override_settings(PUBLIC_API_DOCS=True)
def test_public_api_docs_open_them_to_anyone(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/v1/claims/").status_code in (401, 403)  # the API itself stays closed


# --- Errors under /api/ that no DRF view answers ---


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/v1/nothing-here/", "/api/v1/claims/not-a-uuid/", "/api/v1/papers/a/b/c/", "/api/v2/claims/"],
)
def test_unknown_api_paths_answer_json_404(api, reader, path):
    response = api.as_user(reader).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unknown_pages_stay_html(client, reader):
    client.force_login(reader)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_error_handlers_answer_json_under_the_api_and_html_elsewhere():
    factory = RequestFactory()
    crash = exceptions.server_error(factory.get("/api/v1/claims/"))
    assert crash.status_code == 500
    assert crash["Content-Type"] == "application/json"
    refused = exceptions.permission_denied(factory.get("/api/v1/claims/"), PermissionError("No."))
    assert refused.status_code == 403
    assert b'"detail": "No."' in refused.content
    bad = exceptions.bad_request(factory.get("/api/v1/claims/"), ValueError())
    assert bad.status_code == 400
    assert exceptions.server_error(factory.get("/papers/"))["Content-Type"].startswith("text/html")
