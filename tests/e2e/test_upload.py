"""Uploading a PDF in the browser: the text read back page by page, corrected, saved with its metadata; a
claim made on page 2 says "p. 2" in the panel and the popover."""

import pytest

from annotations.models import Claim, Paper, Role
from projects.models import DEFAULT_PROJECT_SLUG
from tests.factories import UserFactory
from tests.upload_files import pdf_bytes

from .test_reader import fill_claim_form

pytestmark = pytest.mark.e2e

PAGES = [
    ["The first page speaks of regional security.", "It has a second line."],
    ["The second page names the three evils of the SCO."],
    ["A third page closes the paper."],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_upload_review_correct_save_and_annotate_on_page_two(browser_page):
    page = browser_page.page
    moderator = UserFactory(username="olga", role=Role.MODERATOR)
    browser_page.login(moderator)
    page.goto(f"{browser_page.base_url}/projects/{DEFAULT_PROJECT_SLUG}/papers/new/")
    page.set_input_files(
        "[data-file]", files=[{"name": "security.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(PAGES)}]
    )
    page.locator("[data-file-form] button[type=submit]").click()

    # Review: three pages, each break marked, page 2's text under its marker.
    page.locator('[data-review-page="3"]').wait_for()
    assert page.locator("[data-page-break]").all_inner_texts() == ["Page 1", "Page 2", "Page 3"]
    assert "three evils" in page.locator('[data-review-page="2"]').inner_text()
    assert "3 pages" in page.locator("[data-status]").inner_text()

    # Correct the text (a word on page 1), give the metadata, save.
    page.locator("[data-corrections] summary").click()
    text = page.locator("[data-review-text]")
    text.fill(text.input_value().replace("speaks of", "is about"))
    page.locator('[name="title"]').fill("Regional security in three pages")
    page.locator("[data-add-author]").click()
    page.locator('[name="author-name"]').fill("Ann Author")
    page.locator('[name="author-country"]').fill("Kazakhstan")
    page.locator('[name="year"]').fill("2012")
    page.locator("[data-save]").click()
    page.wait_for_url(f"{browser_page.base_url}/papers/regional-security-in-three-pages/")
    page.wait_for_selector("body[data-reader-ready]")

    paper = Paper.objects.get(slug="regional-security-in-three-pages")
    assert paper.text.startswith("The first page is about regional security.")
    assert len(paper.pages) == 3
    assert paper.text[paper.pages[1][0] :].startswith("The second page")
    assert [a.name for a in paper.authors.all()] == ["Ann Author"]
    assert paper.source_file.name.endswith("security.pdf")

    # Annotate on page 2: the claim says "p. 2" in the panel and in its popover.
    browser_page.select_text("the three evils")
    page.keyboard.press("a")
    form = fill_claim_form(page, "The SCO names three evils.")
    form.locator('[name="statement"]').press("Enter")
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    item = page.locator(f'[data-claims-list] li[data-claim-id="{claim.pk}"]')
    item.locator("[data-pages]").wait_for()
    assert item.locator("[data-pages]").inner_text() == "p. 2"
    browser_page.click_claim(claim)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-pages]").wait_for()
    assert popover.locator("[data-pages]").inner_text() == "p. 2"


def test_a_refused_file_says_why_and_saves_nothing(browser_page):
    page = browser_page.page
    browser_page.login(UserFactory(username="olga", role=Role.MODERATOR))
    page.goto(f"{browser_page.base_url}/projects/{DEFAULT_PROJECT_SLUG}/papers/new/")
    page.set_input_files(
        "[data-file]",
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(PAGES, text=False)}],
    )
    page.locator("[data-file-form] button[type=submit]").click()
    status = page.locator("[data-status].error")
    status.wait_for()
    assert "no text to extract" in status.inner_text()
    assert page.locator('[data-step="review"]').is_hidden()
    assert not Paper.objects.exists()
