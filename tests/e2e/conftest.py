"""Browser fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium the browser tests are skipped locally, and fail under CI=true (CI must run them).
"""

import os
from importlib import import_module
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

ROLES = import_module("annotations.migrations.0002_roles")


@pytest.fixture(scope="module")
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread while the browser is open; the ORM
    calls the tests and their database teardown make there are still synchronous and safe. Module-scoped, like
    the browser: set before the first test's database set-up and removed after the last one's teardown, so
    it never reaches the other test modules."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _roles(browser, transactional_db):
    """The role groups of the data migration: a transactional test's flush empties them."""
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ROLES.ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(content_type__app_label="annotations", codename__in=codenames))


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright):
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page, live_server, user, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
