"""In a real browser, the strict CSP blocks nothing our pages, every admin page, the browsable API or the API docs
need (the autouse csp_violations fixture fails a test on any violation), and does block an inline script that
slipped into a page."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from rest_framework.authtoken.models import Token

from annotations import services
from tests.factories import AuthorFactory, ClaimFactory, LinkFactory, PaperFactory, TagFactory

from .conftest import session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user, **context_options):
    """A page signed in as `user`; its context is watched for CSP violations like every other (conftest)."""
    context = browser.new_context(**context_options)
    context.add_cookies([session_cookie(user, live_server.url)])
    return context.new_page()


def test_api_docs_render_under_the_csp(browser, live_server, moderator):
    page = signed_in_page(browser, live_server, moderator)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "sco-claims API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10  # the operations were read from the schema and drawn


def test_reader_pages_run_without_csp_violations(browser, live_server, moderator):
    paper = PaperFactory(slug="masuda-2010")
    ClaimFactory(paper=paper)
    page = signed_in_page(browser, live_server, moderator)
    for path in ("/papers/", "/papers/masuda-2010/", "/moderation/", "/map/", "/compare/", "/search/?q=sco"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
    # The autouse csp_violations fixture fails the test on any violation in these pages.


def admin_world(moderator):
    """One object of every model the admin lists, tags with colours and a parent among them."""
    parent = TagFactory(slug="alliance", colour="#d62728")
    tag = TagFactory(slug="not-an-alliance", colour="#1f77b4", parent=parent)
    paper = PaperFactory(slug="masuda-2010", authors=[AuthorFactory(name="Masuda Masayuki")])
    claim = ClaimFactory(paper=paper, tags=[tag], note="Su & Li say *x* < y")
    other = ClaimFactory(paper=paper, at=(11, 20))
    LinkFactory(source=claim, target=other, rationale="because")
    services.paper_revise(paper=paper, by=moderator, text=paper.text + "\n\nA corrected line.", note="typo")
    Token.objects.get_or_create(user=moderator)
    AccessAttempt.objects.create(username="someone", ip_address="127.0.0.1", failures_since_start=1)
    return claim


def admin_pages() -> list[str]:
    """The changelist, the add form and the first object's change form and history of every registered model."""
    paths = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        paths.append(base)
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            paths += [f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/"]
        paths.append(f"{base}add/")
    return paths


def test_every_admin_page_runs_without_csp_violations(browser, live_server, moderator):
    claim = admin_world(moderator)
    moderator.is_superuser = True  # every model's pages, the auth and axes ones too
    moderator.save()
    page = signed_in_page(browser, live_server, moderator)
    opened = []
    for path in ["/admin/", *admin_pages(), f"/admin/annotations/claim/{claim.pk}/place/"]:
        response = page.goto(f"{live_server.url}{path}")
        if response.status == 403:  # an add form the admin does not offer (claims are made on the reader)
            continue
        assert response.status == 200, path
        page.wait_for_load_state("load")
        opened.append(path)
    assert "/admin/annotations/tag/" in opened  # the colour swatches
    assert len(opened) > 30


def test_the_browsable_api_runs_without_csp_violations(browser, live_server, moderator):
    claim = admin_world(moderator)
    page = signed_in_page(browser, live_server, moderator, extra_http_headers={"Accept": "text/html"})
    for path in (
        "/api/v1/",
        "/api/v1/claims/",
        f"/api/v1/claims/{claim.pk}/",
        "/api/v1/papers/",
        "/api/v1/papers/masuda-2010/",
        "/api/v1/links/",
        "/api/v1/tags/",
        "/api/v1/authors/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "text/html" in response.headers["content-type"], path
        page.wait_for_load_state("load")
    # The browsable API's own scripts work: the format menu and the forms are there.
    assert page.locator("form").count() > 0


def test_an_inline_script_that_slipped_in_does_not_run(browser, live_server, moderator, csp_violations):
    page = signed_in_page(browser, live_server, moderator)
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
    refused = csp_violations.take()  # planted on purpose: taken, so the autouse check passes
    # Both reports come: the page's own event (the init-script listener runs under the CSP) and the console's.
    assert any(found.startswith("event: script-src") for found in refused), refused
    assert any(found.startswith("console:") and "script-src" in found for found in refused), refused
