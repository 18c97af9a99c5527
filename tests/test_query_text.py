"""Text no database can hold in a query string: a 400 naming the parameter, in every filter of every endpoint.

The parameters are read from the OpenAPI schema (itself generated from the filtersets and the views'
declarations), so a filter added later is walked without touching this test. Runs on SQLite and PostgreSQL
(where a NUL reaching a query was a 500).
"""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tests.factories import ClaimFactory, LinkFactory

pytestmark = pytest.mark.django_db

BAD_VALUES = ["%00x", "x%00", "%00"]


def list_operations() -> list[tuple[str, list[str]]]:
    """(path, query parameter names) of every GET operation that takes query parameters."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        get = item.get("get")
        if not get:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        if names:
            found.append((path, names))
    return found


@pytest.fixture
def world(paper, analyst, tag):
    claim = ClaimFactory(paper=paper, created_by=analyst, at=(0, 10))
    link = LinkFactory(source=claim, target=ClaimFactory(paper=paper, created_by=analyst, at=(11, 26)))
    return {"id": claim.pk, "link": link.pk, "slug": paper.slug, "kind": "conflict", "fmt": "csv", "number": "1",
            "table": "claims"}  # fmt: skip


def concrete(path: str, world) -> str:
    if path.startswith("/api/v1/links/{id}"):
        path = path.replace("{id}", str(world["link"]))
    return re.sub(r"\{(\w+)\}", lambda match: str(world[match[1]]), path)


def test_every_query_parameter_of_every_list_endpoint_refuses_a_nul(api, moderator, world):
    operations = list_operations()
    walked = {(path, name) for path, names in operations for name in names}
    # The walk reaches the filters of claims/, links/, the exports, the map and the paging parameters.
    for expected in [
        ("/api/v1/claims/", "author"),
        ("/api/v1/links/", "source"),
        ("/api/v1/papers/", "page_size"),
        ("/api/v1/export/claims.csv", "q"),
        ("/api/v1/map/", "relation"),
        ("/api/v1/compare/", "by"),
    ]:
        assert expected in walked
    client = api.as_user(moderator)
    for path, names in operations:
        url = concrete(path, world)
        for name in names:
            for bad in BAD_VALUES:
                response = client.get(f"{url}?{name}={bad}")
                assert response.status_code == 400, (url, name, bad, response.status_code)
                assert name in response.json(), (url, name)
                assert "NUL" in response.json()[name][0]


def test_a_nul_in_a_parameter_name_is_refused_too(api, moderator):
    response = api.as_user(moderator).get("/api/v1/claims/?au%00thor=x")
    assert response.status_code == 400
    assert "au\\u0000thor" in response.json()


def test_the_papers_author_filter_that_was_a_500_on_postgresql(api, reader):
    response = api.as_user(reader).get("/api/v1/papers/?author=%00x")
    assert response.status_code == 400
    assert "author" in response.json()


@pytest.mark.parametrize(
    "path",
    ["/papers/?author=%00x", "/papers/?tag=%00", "/papers/masuda-2010/text/?start=%00", "/map/?paper=%00"],
)
def test_pages_refuse_a_nul_in_their_query_string(reader, world, path):
    client = Client()
    client.force_login(reader)
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "may not contain NUL" in response.content.decode()


def test_ordinary_text_still_passes(api, reader, world):
    assert api.as_user(reader).get("/api/v1/papers/?author=増田").status_code == 200
    assert api.get("/api/v1/claims/?q=three%20evils").status_code == 200
