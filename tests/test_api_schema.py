"""The OpenAPI schema states every status an operation answers, with its body, and the exports' real media types.

The schemathesis run (test_api_fuzz.py) checks real answers against these declarations; this pins them.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ERROR = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def json_ref(response) -> str:
    return response["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_declares_its_errors_with_their_bodies(schema):
    count = 0
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert json_ref(responses["400"]) == "#/components/schemas/ValidationProblems", where
        if path != "/api/v1/auth/token/":
            assert json_ref(responses["401"]) == ERROR, where
            assert json_ref(responses["403"]) == ERROR, where
        if "{" in path:
            assert json_ref(responses["404"]) == ERROR, where
        if method in ("post", "put", "patch"):
            assert json_ref(responses["413"]) == ERROR, where
            assert json_ref(responses["415"]) == ERROR, where
        count += 1
    assert count > 30


def test_the_token_endpoint_declares_its_throttle_and_no_auth_errors(schema):
    responses = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert json_ref(responses["429"]) == ERROR
    assert "401" not in responses


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/claims/{id}/", "patch"),
        ("/api/v1/links/{id}/", "patch"),
        ("/api/v1/claims/{id}/place/", "post"),
    ],
)
def test_stale_versions_are_declared_with_the_current_version(schema, path, method):
    conflict = schema["paths"][path][method]["responses"]["409"]
    assert json_ref(conflict) == "#/components/schemas/StaleVersion"
    assert schema["components"]["schemas"]["StaleVersion"]["required"] == ["detail", "current_version"]


def test_paged_lists_declare_404_and_their_page_size_bounds(schema):
    operation = schema["paths"]["/api/v1/claims/"]["get"]
    assert "404" in operation["responses"]
    page_size = next(p for p in operation["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 1000)


@pytest.mark.parametrize(
    ("path", "media", "kind"),
    [
        ("/api/v1/export/claims.json", "application/json", "object"),
        ("/api/v1/export/aif.json", "application/json", "object"),
        ("/api/v1/export/w3c.jsonld", "application/ld+json", "object"),
        ("/api/v1/export/claims.csv", "text/csv", "string"),
        ("/api/v1/export/graph.graphml", "application/graphml+xml", "string"),
    ],
)
def test_exports_declare_their_real_media_types(schema, path, media, kind):
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert list(content) == [media]
    assert content[media]["schema"]["type"] == kind
    assert content[media]["schema"].get("format") != "binary"


@pytest.mark.parametrize("path", ["/api/v1/export/claims.json", "/api/v1/export/claims.csv"])
def test_an_export_refuses_an_unknown_deleted_value_instead_of_ignoring_it(api, moderator, path):
    client = api.as_user(moderator)
    refused = client.get(f"{path}?deleted=yes-please")
    assert refused.status_code == 400
    assert refused.json() == {"deleted": ['Give deleted as "include" or leave it out, not "yes-please".']}
    assert client.get(f"{path}?deleted=").status_code == 200
    assert client.get(f"{path}?deleted=include").status_code == 200
