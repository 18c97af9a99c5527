"""A team from the browser: staff create an account, its person sets a password from the invitation link,
creates a project and invites an analyst, who then finds the project among theirs. Keyboard only where a form
is sent (Enter), under the strict CSP."""

import pytest

from projects.models import Membership, ProjectRole
from tests.factories import UserFactory

from .conftest import login

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a-brand-new-passphrase-7"


def test_a_new_user_creates_a_project_and_invites_an_analyst(page, browser, live_server, e2e_analyst):
    staff = UserFactory(username="stan", is_staff=True)
    login(page, live_server, staff)
    page.goto("/accounts/users/")
    form = page.locator("form[data-new-account]")
    form.get_by_label("Username").fill("nina")
    form.get_by_label("E-mail").fill("nina@example.org")
    form.get_by_label("E-mail").press("Enter")
    link = page.locator("[data-invitation-link]").get_attribute("href")
    assert "/accounts/invite/" in link
    page.locator("form.inline button:text('Log out')").click()

    page.goto(link)
    assert page.locator("[data-username]").inner_text() == "nina"
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").press("Enter")
    page.wait_for_url("**/accounts/login/")
    assert "Your password is set: log in with it." in page.locator(".messages").inner_text()
    page.fill("input[name=username]", "nina")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.get_by_role("link", name="Projects", exact=True).click()
    page.wait_for_url("**/projects/")
    assert "You are not a member of any project yet." in page.locator("[data-projects]").inner_text()
    new = page.locator("form[data-new-project]")
    new.get_by_label("Slug").fill("ice")
    new.get_by_label("Name").fill("Ice and the Arctic")
    new.get_by_label("Description").fill("Papers on the Arctic council.")
    new.get_by_role("button", name="Create project").press("Enter")
    page.wait_for_url("**/projects/ice/")
    assert page.locator("h1").inner_text() == "Ice and the Arctic"
    assert page.locator("[data-role]").inner_text() == "owner"

    page.get_by_role("link", name="Members").click()
    page.wait_for_url("**/projects/ice/members/")
    add = page.locator("form[data-add-member]")
    add.get_by_label("Username or e-mail").fill("nobody-here")
    add.get_by_label("Username or e-mail").press("Enter")
    assert 'No account has the username "nobody-here".' in page.locator("form[data-add-member]").inner_text()
    add = page.locator("form[data-add-member]")
    add.get_by_label("Username or e-mail").fill("ana")
    add.get_by_label("Role").select_option("analyst")
    add.get_by_label("Username or e-mail").press("Enter")
    assert "ana is now a member (analyst)." in page.locator(".messages").inner_text()
    assert page.locator('[data-member="ana"] select').input_value() == "analyst"
    assert "added ana" in page.locator("[data-history]").inner_text()
    assert Membership.objects.get(project__slug="ice", user=e2e_analyst).role == ProjectRole.ANALYST

    context = browser.new_context(base_url=live_server.url)
    try:
        analyst_page = context.new_page()
        login(analyst_page, live_server, e2e_analyst)
        analyst_page.goto("/projects/")
        row = analyst_page.locator('[data-project="ice"]')
        assert row.locator("[data-role]").inner_text() == "analyst"
        analyst_page.goto("/accounts/profile/")
        assert (
            analyst_page.locator('[data-profile-projects] [data-project="ice"] [data-role]').inner_text() == "analyst"
        )
    finally:
        context.close()
