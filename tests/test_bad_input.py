"""Bad input is refused with a clear 400 or 413 naming what is wrong, and nothing is half-written."""

import json

import pytest
from django.test import override_settings

from annotations.middleware import body_limit_for
from annotations.models import Claim, Link, Tag
from tests.factories import ClaimFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


@pytest.fixture
def corpus(paper, tag):
    return paper


def counts() -> tuple[int, int, int]:
    return Claim.objects.count(), Link.objects.count(), Tag.objects.count()


def claim(**overrides) -> dict:
    body = {"paper": "masuda-2010", "target": {"exact": "not an alliance"}, "statement": "Not an alliance."}
    return body | overrides


def post_raw(api, user, path: str, raw: bytes | str, content_type="application/json"):
    return api.as_user(user).generic("POST", path, raw, content_type=content_type)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"paper": "masuda-2010", "statement": ',
        b"{'paper': 'masuda-2010'}",
        b'{"statement": NaN}',
        b"\xff\xfe not utf-8",
        b"[" * 100_000 + b"]" * 100_000,  # deeper than Python's JSON decoder can recurse
    ],
    ids=["truncated", "single-quotes", "nan", "not-utf8", "too-deep"],
)
def test_malformed_json_is_a_400_with_a_detail(api, analyst, corpus, raw):
    before = counts()
    r = post_raw(api, analyst, CLAIMS, raw)
    assert r.status_code == 400
    assert r.json()["detail"].startswith("JSON parse error")
    assert counts() == before


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ('{"paper": "masuda-2010", "target": {"exact": "not"}, "statement": "a\\u0000b"}', "statement"),
        ('{"paper": "masuda-2010", "target": {"exact": "not"}, "statement": "\\ud800"}', "statement"),
        (
            '{"paper": "masuda-2010", "target": {"exact": "not", "prefix": "\\udfff"}, "statement": "s"}',
            "target.prefix",
        ),
        ('{"paper": "masuda-2010", "tags": ["x", "\\u0000"], "statement": "s"}', "tags[1]"),
    ],
)
def test_text_no_database_can_hold_is_refused_naming_where(api, analyst, corpus, raw, where):
    """A NUL breaks PostgreSQL and a lone surrogate breaks UTF-8 encoding: both are refused up front."""
    before = counts()
    r = post_raw(api, analyst, CLAIMS, raw)
    assert r.status_code == 400
    assert f"as {where} does" in r.json()["detail"]
    assert counts() == before


@pytest.mark.parametrize("field", ["paper", "tags"])
def test_a_reference_that_cannot_be_a_slug_is_unknown(api, analyst, corpus, field):
    """A form body is not checked by the JSON parser; the field itself must not send a NUL to the database."""
    value = "masuda\x00" if field == "paper" else ["tag\x00"]
    body = {"paper": "masuda-2010", "statement": "s"} | {field: value}
    r = api.as_user(analyst).post(CLAIMS, body, format="multipart")
    assert r.status_code == 400
    assert "Unknown" in r.json()[field][0]
    assert Claim.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/papers/a%00b/", "/api/v1/papers/a%00b/claims/", "/api/v1/tags/a%00b/"])
def test_a_slug_in_the_path_that_cannot_be_one_is_a_404(api, reader, corpus, path):
    assert api.as_user(reader).get(path).status_code == 404


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "12"])
def test_an_author_filter_that_is_no_id_finds_nothing(api, reader, corpus, value):
    r = api.as_user(reader).get(CLAIMS, {"author": value})
    assert r.status_code == 200
    assert r.json()["count"] == 0


def test_an_oversized_body_is_a_413_before_anything_is_read(api, analyst, corpus, settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps(claim(note="x" * limit))
    assert len(body) > limit
    r = post_raw(api, analyst, CLAIMS, body)
    assert r.status_code == 413
    assert r.json() == {"detail": f"The request body is too large (at most {limit} bytes)."}
    assert Claim.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_just_under_the_limit_gets_through(api, analyst, corpus):
    body = json.dumps(claim())
    assert len(body) < 1000
    assert post_raw(api, analyst, CLAIMS, body).status_code == 201


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_form_is_a_413_in_plain_text(client, analyst):
    r = client.post("/accounts/login/", {"username": "ana", "password": "x" * 2000})
    assert r.status_code == 413
    assert r.headers["Content-Type"].startswith("text/plain")
    assert b"too large" in r.content


def test_imports_have_their_own_larger_limit(settings):
    assert body_limit_for("/api/v1/import/") > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert body_limit_for("/api/v1/claims/") == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"statement": "s" * 5001}, "statement", "5000"),
        ({"note": "n" * 20001}, "note", "20000"),
        ({"speaker": "p" * 201}, "speaker", "200"),
        ({"target": {"exact": "not an alliance", "prefix": "p" * 2001}}, "target", "prefix is too long"),
        ({"target": {"exact": "not an alliance", "suffix": "s" * 2001}}, "target", "suffix is too long"),
        ({"target": {"exact": "e" * 20001}}, "target", "exact is too long"),
    ],
)
def test_over_long_fields_are_a_400_naming_the_field(api, analyst, corpus, overrides, field, words):
    before = counts()
    r = api.as_user(analyst).post(CLAIMS, claim(**overrides), format="json")
    assert r.status_code == 400
    assert list(r.json()) == [field]
    assert words in r.json()[field][0]
    assert counts() == before


def test_an_over_long_patch_changes_nothing(api, analyst, corpus):
    existing = ClaimFactory(paper=corpus, created_by=analyst, statement="As it was.")
    r = api.as_user(analyst).patch(
        f"{CLAIMS}{existing.pk}/", {"version": 1, "statement": "Changed.", "note": "n" * 20001}, format="json"
    )
    assert r.status_code == 400
    assert "note" in r.json()
    existing.refresh_from_db()
    assert (existing.statement, existing.version) == ("As it was.", 1)


def test_an_over_long_rationale_is_a_400_and_no_link(api, analyst, corpus):
    first, second = ClaimFactory(paper=corpus, created_by=analyst), ClaimFactory(paper=corpus, created_by=analyst)
    r = api.as_user(analyst).post(
        "/api/v1/links/",
        {"source": str(first.pk), "target": str(second.pk), "relation": "supports", "rationale": "r" * 20001},
        format="json",
    )
    assert r.status_code == 400
    assert list(r.json()) == ["rationale"]
    assert Link.objects.count() == 0


def test_a_tag_failing_late_leaves_no_claim(api, analyst, corpus):
    """Tags are set after the claim is saved: an unknown one must undo the claim too (one transaction)."""
    PaperFactory(slug="yu-fu-2009")
    TagFactory(slug="us-competition")
    before = counts()
    r = api.as_user(analyst).post(CLAIMS, claim(tags=["us-competition", "no-such-tag"]), format="json")
    assert r.status_code == 400
    assert "no-such-tag" in r.json()["tags"][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/tags/", {"slug": "a\x00b", "name": "Tag"}),
        ("/api/v1/tags/", {"slug": "ok", "name": "Tag", "parent": "a\x00"}),
        ("/api/v1/links/", {"source": "a\x00", "target": "b", "relation": "supports\x00"}),
        ("/api/v1/auth/token/", {"username": "mo\x00", "password": "x\x00"}),
    ],
)
def test_nul_in_a_form_body_is_a_400_not_a_database_error(api, moderator, path, body):
    before = counts()
    r = api.as_user(moderator).post(path, body, format="multipart")
    assert r.status_code == 400
    assert counts() == before
