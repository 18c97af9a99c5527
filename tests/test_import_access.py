"""The import endpoint's door: one size limit (IMPORT_MAX_SIZE) at the byte, and browser sessions with CSRF."""

import io
import json

import pytest
from django.test import Client

from annotations.api.parsers import ImportBodyParser, ImportTooLarge
from annotations.models import Claim, Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/import/"


def document_of_size(size: int) -> bytes:
    """A valid (empty) native document padded with trailing spaces to exactly `size` bytes."""
    core = json.dumps({"format": "sco-claims", "version": 1}).encode()
    assert len(core) <= size
    return core + b" " * (size - len(core))


def test_the_import_takes_a_body_at_the_limit_and_refuses_one_byte_more(api, moderator, settings):
    settings.IMPORT_MAX_SIZE = 600
    client = api.as_user(moderator)
    at_limit = client.post(IMPORT + "?dry_run=true", document_of_size(600), content_type="application/json")
    assert at_limit.status_code == 200, at_limit.content
    assert at_limit.json()["dry_run"] is True
    over = client.post(IMPORT + "?dry_run=true", document_of_size(601), content_type="application/json")
    assert over.status_code == 413, over.content
    assert "too large" in over.json()["detail"]
    assert "600 bytes" in over.json()["detail"]


def test_the_import_parser_reads_no_more_than_the_limit_whatever_the_declared_length(rf, settings):
    settings.IMPORT_MAX_SIZE = 600
    parser = ImportBodyParser()
    request = rf.post(IMPORT, b"", content_type="application/json", CONTENT_LENGTH="")
    assert parser.parse(io.BytesIO(document_of_size(600)), parser_context={"request": request}) == document_of_size(600)
    with pytest.raises(ImportTooLarge, match="600 bytes"):
        parser.parse(io.BytesIO(document_of_size(601)), parser_context={"request": request})


def test_the_default_limit_is_the_documented_200_mib(settings):
    from annotations.middleware import body_limit_for

    assert settings.IMPORT_MAX_SIZE == 200 * 1024 * 1024
    assert body_limit_for(IMPORT) == settings.IMPORT_MAX_SIZE


def session_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=PASSWORD)
    client.get("/papers/")  # sets the CSRF cookie, as the browser's first page would
    return client


def test_a_moderator_imports_from_a_browser_session_with_the_csrf_token(moderator, paper):
    client = session_client(moderator)
    token = client.cookies["csrftoken"].value
    document = json.dumps({"format": "sco-claims", "version": 1, "claims": []})
    response = client.post(IMPORT + "?dry_run=true", document, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code in (200, 400), response.content
    assert response.status_code != 415


def test_a_session_import_without_the_csrf_token_is_refused(moderator, paper):
    client = session_client(moderator)
    before = Claim.objects.count()
    response = client.post(IMPORT, json.dumps({"format": "sco-claims", "version": 1}), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Claim.objects.count() == before


def test_an_import_naming_users_django_would_refuse_is_refused_by_path_and_writes_nothing(api, moderator):
    from tests.exchange_world import build_world
    from tests.test_exchange_native import body, counts, empty_the_instance

    build_world(analyst=UserFactory(username="ana", role=Role.ANALYST), moderator=moderator)
    exported = json.loads(body(api.as_user(moderator).get("/api/v1/export/claims.json")))
    empty_the_instance()
    importer = UserFactory(username="importer", role=Role.MODERATOR)
    exported["claims"][0]["created_by"] = "ana smith"
    exported["claims"][1]["moderated_by"] = "<script>"
    exported["links"][0]["created_by"] = "x/../y"
    before = counts()
    r = api.as_user(importer).post(IMPORT, json.dumps(exported), content_type="application/json")
    assert r.status_code == 400
    problems = r.json()
    assert "not a valid username" in problems["claims[0].created_by"][0]
    assert "not a valid username" in problems["claims[1].moderated_by"][0]
    assert "not a valid username" in problems["links[0].created_by"][0]
    assert counts() == before
    assert not User.objects.filter(username="ana smith").exists()
