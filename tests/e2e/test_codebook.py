"""The codebook page in a real browser: a moderator adds tags, edits one, merges one into another (its codings
follow) and is refused a delete of a tag in use, from the keyboard; an analyst proposes a tag."""

import pytest
from playwright.sync_api import expect

from annotations.models import Coding, Role, Stance, Tag, TagStatus
from projects.models import default_project
from tests.factories import ClaimFactory, PaperFactory, TagFactory, UserFactory

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_codebook(page) -> None:
    page.goto(f"/projects/{default_project().slug}/codebook/")
    page.wait_for_selector("[data-codebook][data-ready]")


def test_a_moderator_creates_edits_and_merges_tags(page):
    UserFactory(username="mo", role=Role.MODERATOR)
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    old = TagFactory(slug="old-name", name="Old name")
    claim = ClaimFactory(paper=PaperFactory(), created_by=analyst, tags=[(old, Stance.DENIES)])

    sign_in(page, "mo")
    open_codebook(page)
    form = page.locator("[data-tag-form]")
    form.locator("input[name=slug]").fill("security")
    form.locator("input[name=name]").fill("Security")
    form.locator("textarea[name=description]").fill("Hard and soft security")
    form.locator("input[name=name]").press("Enter")  # submits the form from the keyboard
    expect(page.locator("[data-codebook-status]")).to_have_text("Added security.")
    assert Tag.objects.get(slug="security").description == "Hard and soft security"

    # A refusal is shown beside its field, in the one error shape.
    form.locator("input[name=slug]").fill("security")
    form.locator("input[name=name]").fill("Again")
    form.locator("[data-tag-save]").click()
    expect(form.locator('[data-error-for="slug"]')).to_contain_text("already exists")

    # Edit: rename and move under security, from the row's button.
    page.locator('tr[data-tag="old-name"] [data-act="edit"]').click()
    name = form.locator("input[name=name]")
    assert name.evaluate("element => element === document.activeElement")
    name.fill("Old, renamed")
    form.locator("select[name=parent]").select_option("security")
    form.locator("[data-tag-save]").click()
    expect(page.locator("[data-codebook-status]")).to_have_text("Saved old-name.")
    moved = Tag.objects.get(slug="old-name")
    assert (moved.name, moved.parent.slug) == ("Old, renamed", "security")
    expect(page.locator('tr[data-tag="old-name"]')).to_contain_text("Old, renamed")

    # Delete is refused while the tag is in use, and the merge form opens instead.
    page.locator('tr[data-tag="old-name"] [data-act="delete"]').click()
    merge = page.locator("[data-merge-form]")
    expect(merge).to_be_visible()
    expect(merge.locator('[data-error-for="into"]')).to_contain_text("in use")
    assert merge.locator("select[name=into]").evaluate("element => element === document.activeElement")
    merge.locator("select[name=into]").select_option("security")
    merge.locator("select[name=into]").press("Enter")
    expect(page.locator("[data-codebook-status]")).to_have_text("Merged old-name into security: 1 coding(s) moved.")
    assert not Tag.objects.filter(slug="old-name").exists()
    assert list(Coding.objects.filter(claim=claim).values_list("tag__slug", "stance")) == [("security", "denies")]
    expect(page.locator('tr[data-tag="security"] [data-claim-count]')).to_have_text("1")
    expect(page.locator("[data-codebook-history] li").first).to_contain_text("merged")


def test_an_analyst_proposes_a_tag_and_a_moderator_accepts_it(page, browser, live_server):
    UserFactory(username="ana", role=Role.ANALYST)
    UserFactory(username="mo", role=Role.MODERATOR)
    sign_in(page, "ana")
    open_codebook(page)
    assert page.locator('[data-act="merge"]').count() == 0
    form = page.locator("[data-tag-form]")
    form.locator("input[name=slug]").fill("my-idea")
    form.locator("input[name=name]").fill("My idea")
    form.locator("[data-tag-save]").click()
    expect(page.locator("[data-codebook-status]")).to_contain_text("Proposed my-idea")
    expect(page.locator('tr[data-tag="my-idea"] [data-proposed]')).to_be_visible()
    assert Tag.objects.get(slug="my-idea").status == TagStatus.PROPOSED

    context = browser.new_context(base_url=live_server.url)
    moderator = context.new_page()
    sign_in(moderator, "mo", live_server.url)
    open_codebook(moderator)
    moderator.locator('tr[data-tag="my-idea"] [data-act="accept"]').click()
    expect(moderator.locator("[data-codebook-status]")).to_contain_text("Accepted my-idea")
    context.close()
    assert Tag.objects.get(slug="my-idea").status == TagStatus.ACCEPTED


def test_a_moderator_rejects_a_proposal_and_imports_a_codebook(page):
    UserFactory(username="mo", role=Role.MODERATOR)
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    TagFactory(slug="vague", status=TagStatus.PROPOSED, proposed_by=analyst)
    sign_in(page, "mo")
    open_codebook(page)

    page.locator('tr[data-tag="vague"] [data-act="reject"]').click()
    merge = page.locator("[data-merge-form]")
    merge.locator("input[name=reason]").fill("Too vague")
    merge.locator("[data-merge-submit]").click()
    expect(page.locator("[data-codebook-status]")).to_have_text("Rejected vague: removed.")
    assert not Tag.objects.filter(slug="vague").exists()

    problems = page.locator("[data-import-problems]")
    bad = b"slug,name,colour\r\nfine,Fine,#112233\r\nbroken,Broken,red\r\n"
    page.set_input_files("[data-import-form] input[name=file]", files=[
        {"name": "codebook.csv", "mimeType": "text/csv", "buffer": bad}])  # fmt: skip
    page.locator("[data-import-form] button[type=submit]").click()
    expect(problems).to_contain_text('row 3: colour: "red" is not a colour')
    assert not Tag.objects.filter(slug="fine").exists()  # nothing half-written

    good = b"slug,name,colour,parent\r\nfine,Fine,#112233,\r\nfiner,Finer,#445566,fine\r\n"
    page.set_input_files("[data-import-form] input[name=file]", files=[
        {"name": "codebook.csv", "mimeType": "text/csv", "buffer": good}])  # fmt: skip
    page.locator("[data-import-form] button[type=submit]").click()
    expect(page.locator("[data-codebook-status]")).to_have_text(
        "Imported codebook.csv: 2 created, 0 updated, 0 unchanged."
    )
    assert Tag.objects.get(slug="finer").parent.slug == "fine"
    expect(page.locator('tr[data-tag="finer"]')).to_have_attribute("data-depth", "1")
