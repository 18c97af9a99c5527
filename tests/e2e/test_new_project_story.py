"""The whole story of a new team, in the browser only: a user given an account creates a project, uploads two
PDFs (reviewing their text), defines a codebook, invites an analyst, and that analyst makes a claim on page 2
of one of them, which then says "p. 2". Nothing of it goes through the shell or the admin."""

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, Paper
from projects.models import Membership, ProjectRole
from tests.factories import UserFactory
from tests.upload_files import pdf_bytes

from .conftest import BrowserPage
from .test_reader import fill_claim_form

pytestmark = pytest.mark.e2e

FIRST = [
    ["Arctic cooperation begins with science.", "The council meets every two years."],
    ["The council is not a military alliance of any kind."],
]
SECOND = [
    ["Shipping routes open as the ice retreats."],
    ["Navies follow the shipping routes north."],
    ["A third page ends the second paper."],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_in(page: BrowserPage, user) -> None:
    page.page.goto(f"{page.base_url}/accounts/login/")
    page.page.fill('input[name="username"]', user.username)
    page.page.fill('input[name="password"]', "a-long-test-password-42")
    page.page.click('button[type="submit"]')
    page.page.wait_for_url(lambda url: "/accounts/login/" not in url)


def upload(page, name: str, pages: list[list[str]], title: str) -> None:
    page.get_by_role("link", name="Add a paper").first.click()
    page.set_input_files(
        "[data-file]", files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(pages)}]
    )
    page.locator("[data-file-form] button[type=submit]").click()
    page.locator(f'[data-review-page="{len(pages)}"]').wait_for()
    page.locator('[name="title"]').fill(title)
    page.locator("[data-add-author]").click()
    page.locator('[name="author-name"]').fill("Kari Nord")
    page.locator('[name="author-country"]').fill("Norway")
    page.locator('[name="year"]').fill("2021")
    page.locator("[data-save]").click()
    page.wait_for_selector("body[data-reader-ready]")


def test_a_new_user_builds_a_project_and_their_analyst_cites_a_page(browser, live_server):
    owner = UserFactory(username="olga")  # an account, and no project yet
    analyst = UserFactory(username="ana")
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        for context in contexts:
            context.set_default_timeout(20_000)
        mine = BrowserPage(contexts[0].new_page(), live_server.url)
        page = mine.page
        sign_in(mine, owner)

        # A project of her own.
        page.goto(f"{live_server.url}/projects/")
        new = page.locator("form[data-new-project]")
        new.get_by_label("Slug").fill("arctic")
        new.get_by_label("Name").fill("Arctic council")
        new.get_by_role("button", name="Create project").click()
        page.wait_for_url("**/projects/arctic/")

        # Two PDFs, each reviewed before it is saved.
        upload(page, "science.pdf", FIRST, "Arctic science")
        page.goto(f"{live_server.url}/projects/arctic/")
        upload(page, "routes.pdf", SECOND, "Shipping routes")
        assert set(Paper.objects.filter(project__slug="arctic").values_list("title", flat=True)) == {
            "Arctic science",
            "Shipping routes",
        }
        page.goto(f"{live_server.url}/projects/arctic/")
        expect(page.locator("table")).to_contain_text("Arctic science")
        expect(page.locator("table")).to_contain_text("Shipping routes")

        # Her codebook.
        page.get_by_role("link", name="Codebook").first.click()
        page.wait_for_selector("[data-codebook][data-ready]")
        form = page.locator("[data-tag-form]")
        form.locator("input[name=slug]").fill("not-an-alliance")
        form.locator("input[name=name]").fill("Not an alliance")
        form.locator("input[name=name]").press("Enter")
        expect(page.locator("[data-codebook-status]")).to_have_text("Added not-an-alliance.")

        # Her analyst.
        page.goto(f"{live_server.url}/projects/arctic/members/")
        add = page.locator("form[data-add-member]")
        add.get_by_label("Username or e-mail").fill("ana")
        add.get_by_label("Role").select_option("analyst")
        add.get_by_label("Username or e-mail").press("Enter")
        expect(page.locator(".messages")).to_contain_text("ana is now a member (analyst).")
        assert Membership.objects.get(project__slug="arctic", user=analyst).role == ProjectRole.ANALYST

        # The analyst finds the project, opens a paper and claims words on its page 2.
        theirs = BrowserPage(contexts[1].new_page(), live_server.url)
        sign_in(theirs, analyst)
        theirs.page.goto(f"{live_server.url}/projects/")
        theirs.page.locator('[data-project="arctic"] a').first.click()
        theirs.page.get_by_role("link", name="Arctic science").click()
        theirs.page.wait_for_selector("body[data-reader-ready]")
        theirs.select_text("not a military alliance")
        theirs.page.keyboard.press("a")
        claim_form = fill_claim_form(theirs.page, "The council is no alliance.", tags="not-an-alliance")
        claim_form.locator('[name="statement"]').press("Enter")
        claim_form.wait_for(state="hidden")
        claim = Claim.objects.get()
        assert (claim.created_by, claim.paper.title, claim.exact) == (
            analyst,
            "Arctic science",
            "not a military alliance",
        )
        assert [coding.tag.slug for coding in claim.codings.all()] == ["not-an-alliance"]
        item = theirs.page.locator(f'[data-claims-list] li[data-claim-id="{claim.pk}"]')
        expect(item.locator("[data-pages]")).to_have_text("p. 2")
        theirs.click_claim(claim)
        expect(theirs.page.locator("[data-claim-popover] [data-pages]")).to_have_text("p. 2")
        assert not mine.errors, mine.errors
        assert not theirs.errors, theirs.errors
    finally:
        for context in contexts:
            context.close()
