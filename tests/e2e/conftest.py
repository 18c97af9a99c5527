"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server."""

import importlib
import os
import time
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections
from django.test import Client

from annotations import corpus, services
from annotations.models import Role
from tests.factories import PASSWORD, UserFactory

from .chromium import LAUNCH_ARGS, require_chromium

create_roles = importlib.import_module("annotations.migrations.0002_roles").create_roles


# Runs in every page before its own scripts. Playwright adds init scripts through the DevTools protocol, not as
# <script> elements, so the page's CSP does not apply to them (test_csp_browser checks that they run).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} in ${event.documentURI}` +
    ` (${event.sourceFile || "?"}:${event.lineNumber}) ${JSON.stringify(event.sample || "")}`
  );
}, true);
"""


class CspViolations:
    """Every Content-Security-Policy violation in any page a test opens: the page's own report
    (securitypolicyviolation events) and Chromium's console message ("Refused to …"), which comes even with
    JavaScript off. The autouse fixture below fails a test that leaves any."""

    def __init__(self):
        self.found: list[str] = []

    def watch(self, context) -> None:
        context.expose_binding("__reportCspViolation", lambda source, report: self.found.append(f"event: {report}"))
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.found.append(f"console: {message.text}")

    def take(self) -> list[str]:
        """The violations so far, forgotten: for a test that plants one on purpose and checks it was refused."""
        found, self.found = self.found, []
        return found


_violations = CspViolations()


@pytest.fixture(autouse=True)
def csp_violations():
    """Applied to every browser test: no page may violate its CSP (a test that plants a violation takes it)."""
    _violations.take()
    yield _violations
    left = _violations.take()
    assert left == [], "Content-Security-Policy violations:\n" + "\n".join(left)


def _watched(new_context):
    def new_watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        _violations.watch(context)
        return context

    return new_watched_context


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: module scope keeps Playwright's event loop (and the async-unsafe
    switch it needs) from reaching the tests of other modules. Every context it makes is watched for
    CSP violations."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
    # browser steps are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
            chromium.new_context = _watched(chromium.new_context)
            yield chromium
            chromium.close()
            # ORM calls made while Playwright's loop runs got connections of their own: close them, or
            # PostgreSQL refuses to drop the test database while they are open. (Not SQLite's: its
            # in-memory test database lives in the connection the live server shares.)
            if connections["default"].vendor != "sqlite":
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups: a live-server test flushes the database, which can take the migration's groups,
    permissions and content types with it; the roles migration makes them all again."""
    create_roles(apps, None)


@pytest.fixture
def shipped_corpus(roles):
    services.corpus_load(
        papers=corpus.papers_from_corpus_file(corpus.SHIPPED_CORPUS),
        tags=corpus.tags_from_codebook_file(corpus.SHIPPED_CODEBOOK),
    )


@pytest.fixture
def e2e_analyst(roles):
    return UserFactory(username="ana", role=Role.ANALYST)


@pytest.fixture
def e2e_other_analyst(roles):
    return UserFactory(username="otto", role=Role.ANALYST)


class BrowserPage:
    """A page plus what went wrong in it: script errors and dialogs (none may happen)."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.csp_refusals: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message):
        # A 4xx the page asked for and handled (an API error shown in a form) is logged as a failed load.
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        # The CSP refusing something is not a script error of the page: the autouse csp_violations fixture
        # fails the test on it, unless the test planted it and took it (csp_violations.take()).
        if "Content Security Policy" in message.text:
            self.csp_refusals.append(message.text)
        else:
            self.errors.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def login(self, user):
        """Logged in as `user`, on the papers page the login form leads to (quick_login)."""
        quick_login(self.page, self.base_url, user)

    def login_with_form(self, user, password=PASSWORD):
        """Logged in through the login form, as a person does: for the tests of logging in itself."""
        page = self.page
        page.goto(f"{self.base_url}/accounts/login/")
        page.fill('input[name="username"]', user.username)
        page.fill('input[name="password"]', password)
        page.click('button[type="submit"]')
        page.wait_for_url(f"{self.base_url}/papers/")

    def open_paper(self, slug):
        self.page.goto(f"{self.base_url}/papers/{slug}/")
        self.page.wait_for_selector("body[data-reader-ready]")

    # Highlights are painted with the CSS Custom Highlight API, not elements: these read the page's painter
    # (js/paint.js, the same module instance the page imported) and CSS.highlights.

    def painted_text(self, claim):
        """The verbatim text under the claim's painted range, or None while it is not painted."""
        return self.page.evaluate(PAINTED_TEXT_JS, str(claim.pk))

    def wait_painted(self, claim, painted=True):
        wait_until(
            self.page,
            f"async (id) => ({PAINTED_TEXT_JS})(id).then((t) => (t !== null) === {str(painted).lower()})",
            str(claim.pk),
        )

    def highlights_of(self, claim):
        """The names of the highlights (CSS.highlights) that paint the whole of the claim's passage."""
        return self.page.evaluate(HIGHLIGHTS_OF_JS, str(claim.pk))

    def click_claim(self, claim):
        """Click the middle of the first line of a claim's painted passage, as a user would."""
        self.wait_painted(claim)
        x, y = self.page.evaluate(CLAIM_POINT_JS, str(claim.pk))
        self.page.mouse.click(x, y)

    def select_text(self, quote, occurrence=0):
        """Select `quote` in the paper's text as a user would, found in the DOM's own text (UTF-16)."""
        found = self.page.evaluate(SELECT_JS, [quote, occurrence])
        assert found, f"{quote!r} is not in the rendered text"


PAINTED_TEXT_JS = """
async (id) => {
  const range = (await import('/static/annotations/js/paint.js')).rangeOf(id);
  return range && document.querySelector('[data-paper-text]').dataset.paintedClaims ? range.toString() : null;
}
"""

HIGHLIGHTS_OF_JS = """
async (id) => {
  const range = (await import('/static/annotations/js/paint.js')).rangeOf(id);
  const covers = (r) => r.compareBoundaryPoints(Range.START_TO_START, range) <= 0
                     && r.compareBoundaryPoints(Range.END_TO_END, range) >= 0;
  return [...CSS.highlights].filter(([, h]) => [...h].some(covers)).map(([name]) => name).sort();
}
"""

# The middle of the first line box of the claim's range with some width, scrolled into the window first.
CLAIM_POINT_JS = """
async (id) => {
  const range = (await import('/static/annotations/js/paint.js')).rangeOf(id);
  const wide = () => [...range.getClientRects()].find((r) => r.width > 4);
  window.scrollBy({ top: wide().top - innerHeight / 2, behavior: 'instant' });
  const r = wide();
  return [r.left + Math.min(r.width / 2, 40), r.top + r.height / 2];
}
"""

# Independent of the app's own offset code: search the concatenated text nodes (UTF-16 indices).
SELECT_JS = """
([quote, occurrence]) => {
  const root = document.querySelector('[data-paper-text]');
  const nodes = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) { at = all.indexOf(quote, at + 1); if (at < 0) return false; }
  const locate = (index, isEnd) => {
    for (const [node, from] of nodes) {
      const to = from + node.data.length;
      if (isEnd ? (index > from && index <= to) : (index >= from && index < to)) return [node, index - from];
    }
  };
  const range = document.createRange();
  range.setStart(...locate(at, false));
  range.setEnd(...locate(at + quote.length, true));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return true;
}
"""


@pytest.fixture
def browser_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)  # the machine is shared: generous, and never a measure
    page = BrowserPage(context.new_page(), live_server.url)
    yield page
    context.close()
    assert not page.errors, f"script errors in the page: {page.errors}"
    assert not page.dialogs, f"dialogs opened: {page.dialogs}"


@pytest.fixture
def page(browser, live_server, roles):
    """A plain page on the live server (relative URLs work); no script error may happen in it."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
    assert not page.errors, f"JavaScript errors on the page: {page.errors}"


def login(page, live_server, user):
    """Logged in as `user`, on the papers page the login form leads to (quick_login)."""
    quick_login(page, live_server.url, user)


def sign_in(page, username: str, base_url: str | None = None) -> None:
    """The user of that name logged in, on the papers page (quick_login); `base_url` for a page a test opened
    itself, not the `page` fixture."""
    quick_login(page, base_url or page.base_url, get_user_model().objects.get(username=username))


def quick_login(page, base_url: str, user) -> None:
    """Log `user` in the quick way: a session made on the server (Django's own login(), its signals included), its
    cookie handed to the browser, then the papers page the login form leads to. The form costs each test three page
    loads and a password check (about half a second of the shared CPU); the tests of logging in go through it
    (BrowserPage.login_with_form in test_login_then_logout, the login page's own accessibility and CSP checks, the
    stories of a new user)."""
    page.context.add_cookies([session_cookie(user, base_url)])
    page.goto(f"{base_url}/papers/")


def session_cookie(user, base_url: str) -> dict:
    """The cookie of a new session of `user` (made by Django's own login()), for a browser context."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": base_url}


def wait_until(page, expression: str, arg=None, timeout_ms: int = 10_000) -> None:
    """Poll a JavaScript expression until it is truthy. Not page.wait_for_function: that evaluates its
    predicate inside the page, which the app's CSP (no 'unsafe-eval') rightly refuses."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(50)


FLUSH_ATTEMPTS = 5


@pytest.fixture(autouse=True, scope="session")
def flush_waits_for_late_requests():
    """Each browser test ends with a flush of its database while the live server may still be answering a request
    the page sent last (a claim's details, the map's second payload): PostgreSQL then reports a deadlock between
    the flush's TRUNCATE and that request's read, SQLite a locked database, and the next test meets the last one's
    rows. The flush is tried again once the request is done; one that keeps failing still fails the run."""
    handle = flush.Command.handle

    def handle_again(self, *args, **options):
        for attempt in range(1, FLUSH_ATTEMPTS + 1):
            try:
                return handle(self, *args, **options)
            except CommandError:
                if attempt == FLUSH_ATTEMPTS:
                    raise
                time.sleep(0.2 * attempt)

    with mock.patch.object(flush.Command, "handle", handle_again):
        yield
