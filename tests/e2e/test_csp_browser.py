"""In a real browser, the strict CSP blocks nothing our pages, the admin or the API docs need, and does block
an inline script that slipped into a page."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import ClaimFactory, PaperFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return page, violations


def test_api_docs_render_under_the_csp(browser, live_server, moderator):
    page, violations = signed_in_page(browser, live_server, moderator)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "sco-claims API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10  # the operations were read from the schema and drawn
    assert violations == []


def test_admin_and_reader_run_without_csp_violations(browser, live_server, moderator):
    paper = PaperFactory(slug="masuda-2010")
    claim = ClaimFactory(paper=paper)  # claims are made on the reader: the admin shows their change form
    page, violations = signed_in_page(browser, live_server, moderator)
    change_form = f"/admin/annotations/claim/{claim.pk}/change/"
    for path in ("/admin/", change_form, "/admin/annotations/tag/add/", "/papers/", "/papers/masuda-2010/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
    assert [v for v in violations if "script" in v] == []


def test_an_inline_script_that_slipped_in_does_not_run(browser, live_server, moderator):
    page, violations = signed_in_page(browser, live_server, moderator)
    page.goto(f"{live_server.url}/papers/")
    # Simulate markup that got past sanitizing: the browser parses it under the page's CSP.
    page.evaluate(
        """() => {
            const frame = document.createRange().createContextualFragment(
                '<script>window.pwned = true</script><img src=x onerror="window.pwned = true">');
            document.body.append(frame);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.pwned === undefined")
    assert any("script-src" in v or "Refused to execute" in v for v in violations)
