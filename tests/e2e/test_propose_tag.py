"""An analyst proposes a tag from the claim form while coding: the new slug is offered as a proposal, the tag is
made (proposed, theirs) and is on the claim saved with it; nobody leaves the reader."""

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, Tag, TagStatus

from .test_reader import fill_claim_form

pytestmark = pytest.mark.e2e


def test_an_analyst_proposes_a_tag_from_the_claim_form_and_uses_it(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text("the SCO")
    page.keyboard.press("a")
    form = fill_claim_form(page, "A tag the codebook lacked.")
    tags = form.locator('[name="tags"]')
    tags.fill("regional-order")
    option = form.locator("[data-tag-suggestions] li[data-propose]")
    expect(option).to_contain_text("Propose a new tag")
    tags.press("Enter")  # the proposal is the first option: Enter takes it
    expect(tags).to_have_value("regional-order, ")
    proposed = Tag.objects.get(slug="regional-order")
    assert (proposed.status, proposed.proposed_by) == (TagStatus.PROPOSED, e2e_analyst)
    form.locator('[name="statement"]').press("Enter")
    form.wait_for(state="hidden")
    claim = Claim.objects.get(statement="A tag the codebook lacked.")
    assert [coding.tag.slug for coding in claim.codings.all()] == ["regional-order"]


def test_a_save_right_after_a_proposal_waits_for_the_tag(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text("the SCO")
    page.keyboard.press("a")
    form = fill_claim_form(page, "Saved before the proposal came back.")
    tags = form.locator('[name="tags"]')
    tags.fill("regional-order")
    expect(form.locator("[data-tag-suggestions] li[data-propose]")).to_be_visible()
    tags.press("Enter")  # proposes
    tags.press("Enter")  # saves at once, while the proposal may still be on its way
    form.wait_for(state="hidden")
    claim = Claim.objects.get(statement="Saved before the proposal came back.")
    assert [coding.tag.slug for coding in claim.codings.all()] == ["regional-order"]
