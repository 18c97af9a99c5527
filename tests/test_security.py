"""Production hardening: the Content-Security-Policy, throttled token and login endpoints, the client address."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from annotations.middleware import client_ip
from tests.factories import PASSWORD, ClaimFactory, PaperFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: <script> without src, <style> elements, style= and on*= attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in {"application/json"}:
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("inline <style>")
        self.found.extend(f"{name}= on <{tag}>" for name in attrs if name.startswith("on"))
        if "style" in attrs:
            self.found.append(f"style= on <{tag}>")


def inline_code(response) -> list[str]:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def test_every_response_carries_a_strict_csp(client, api, reader):
    client.force_login(reader)
    for response in (
        client.get("/accounts/login/"),
        client.get("/papers/"),
        api.as_user(reader).get("/api/v1/papers/"),
    ):
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["img-src"] == ["'self'", "data:"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_our_pages_have_no_inline_code(client, reader):
    PaperFactory(slug="masuda-2010")
    client.force_login(reader)
    for path in ("/papers/", "/papers/masuda-2010/"):
        response = client.get(path)
        assert response.status_code == 200
        assert inline_code(response) == [], path
    client.logout()
    assert inline_code(client.get("/accounts/login/")) == []


def test_the_admin_works_under_the_csp(client, moderator):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert "Content-Security-Policy" in login.headers
    assert inline_code(login) == []
    client.force_login(moderator)
    claim = ClaimFactory()  # claims are made on the reader, not added in the admin: open a change form
    change_form = f"/admin/annotations/claim/{claim.pk}/change/"
    for path in ("/admin/", "/admin/annotations/claim/", change_form, "/admin/annotations/tag/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        scripts = [found for found in inline_code(response) if "script" in found or "= on" in found]
        assert scripts == [], path


def test_api_docs_load_their_start_up_script_as_a_file(client, reader):
    client.force_login(reader)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert inline_code(page) == []
    script_urls = re.findall(r'<script src="([^"]+)"', page.content.decode())
    start_up = [url for url in script_urls if "script=" in url]
    assert len(start_up) == 1
    script = client.get(start_up[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_the_token_endpoint_is_throttled_per_client(api, analyst):
    for _ in range(10):
        r = api.post("/api/v1/auth/token/", {"username": "ana", "password": "guess"}, format="json")
        assert r.status_code == 400
    r = api.post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, format="json")
    assert r.status_code == 429
    assert "throttled" in r.json()["detail"]
    assert int(r.headers["Retry-After"]) > 0
    # Another client address has its own count.
    other = api.post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert other.json()["token"]


@override_settings(AXES_ENABLED=True)
def test_login_is_locked_at_the_fifth_wrong_password(client, analyst):
    for _ in range(4):
        r = client.post("/accounts/login/", {"username": "ana", "password": "guess"})
        assert r.status_code == 200
        assert b"did not match" in r.content
    assert client.post("/accounts/login/", {"username": "ana", "password": "guess"}).status_code == 429
    # Now even the right password is refused: the guesser cannot tell when it has found it.
    locked = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert "_auth_user_id" not in client.session
    # The lock is on this username from this address; another address can still log in.
    elsewhere = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_successful_login_resets_the_failure_count(client, analyst):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "ana", "password": "guess"})
    assert client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "ana", "password": "guess"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_the_token_endpoint_is_locked_too_with_a_json_detail(api, analyst):
    for _ in range(4):
        r = api.post("/api/v1/auth/token/", {"username": "ana", "password": "guess"}, format="json")
        assert r.status_code == 400
    locked = api.post("/api/v1/auth/token/", {"username": "ana", "password": "guess"}, format="json")
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("Too many failed log-ins")
    assert api.post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, format="json").status_code == 429


@override_settings(AXES_ENABLED=True)
def test_the_admin_login_is_locked_too(client, moderator):
    for _ in range(5):
        client.post("/admin/login/", {"username": "mo", "password": "guess"})
    assert client.post("/admin/login/", {"username": "mo", "password": PASSWORD}).status_code == 429


def test_client_ip_trusts_only_the_last_forwarded_address_behind_a_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "10.0.0.1"
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    assert client_ip(request) == "203.0.113.7"
