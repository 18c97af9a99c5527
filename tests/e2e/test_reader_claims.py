"""The claim popover and the panel in the browser: edit, delete, moderation status, history, roles."""

import pytest

from annotations.models import Claim, Paper, Role, Status, Tag
from tests.factories import ClaimFactory, UserFactory

from .conftest import wait_until
from .test_reader import SENTENCE

pytestmark = pytest.mark.e2e


@pytest.fixture
def own_claim(shipped_corpus, e2e_analyst):
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    return ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), created_by=e2e_analyst, statement="First words.")


def open_claim(browser_page, claim):
    page = browser_page.page
    browser_page.click_claim(claim)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-statement]").wait_for()
    return popover


def test_edit_a_claim_from_its_popover(browser_page, e2e_analyst, own_claim):
    page = browser_page.page
    own_claim.tags.set(
        [Tag.objects.get(slug="not-an-alliance"), Tag.objects.get(slug="us-competition")],
        through_defaults={"stance": own_claim.stance},
    )
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    popover = open_claim(browser_page, own_claim)
    assert popover.locator("[data-status]").inner_text() == "pending"
    assert popover.locator(".tag-chip").all_inner_texts() == ["not-an-alliance", "us-competition"]
    assert popover.locator("[data-speaker]").inner_text() == "the authors"
    assert "null" not in popover.inner_text()
    assert "[object" not in popover.inner_text()
    popover.locator("[data-edit]").click()
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    assert form.locator('[name="statement"]').input_value() == "First words."
    assert form.locator('[name="tags"]').input_value() == "not-an-alliance, us-competition"
    form.locator('[name="statement"]').fill("Better words.")
    form.locator('[name="stance"]').select_option("qualifies")
    form.locator('[name="statement"]').press("Enter")
    form.wait_for(state="hidden")
    page.locator(f'[data-claims-list] li[data-claim-id="{own_claim.pk}"] .statement:text("Better words.")').wait_for()
    own_claim.refresh_from_db()
    assert (own_claim.statement, own_claim.stance, own_claim.version) == ("Better words.", "qualifies", 2)
    page.select_option("[data-colour-by]", "stance")
    assert "stance-qualifies" in browser_page.highlights_of(own_claim)


def test_a_stale_edit_is_refused_in_place(browser_page, e2e_analyst, own_claim):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    open_claim(browser_page, own_claim).locator("[data-edit]").click()
    Claim.objects.filter(pk=own_claim.pk).update(version=5, statement="Someone else's words.")
    form = page.locator("form[data-claim-form]")
    form.locator('[name="statement"]').fill("Mine.")
    form.locator('button[type="submit"]').click()
    error = form.locator('[data-error-for="general"]')
    error.wait_for(state="visible")
    assert "changed by someone else" in error.inner_text()
    own_claim.refresh_from_db()
    assert own_claim.statement == "Someone else's words."


def test_delete_a_claim_from_its_popover(browser_page, e2e_analyst, own_claim):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    popover = open_claim(browser_page, own_claim)
    popover.locator("[data-delete]").click()
    popover.locator("[data-confirm-delete]").click()
    browser_page.wait_painted(own_claim, painted=False)
    assert page.locator(f'[data-claims-list] li[data-claim-id="{own_claim.pk}"]').count() == 0
    own_claim.refresh_from_db()
    assert own_claim.deleted_at is not None


def test_an_approved_claim_of_someone_else_cannot_be_edited(browser_page, e2e_other_analyst, own_claim):
    Claim.objects.filter(pk=own_claim.pk).update(status=Status.APPROVED)
    browser_page.login(e2e_other_analyst)
    browser_page.open_paper("masuda-2010")
    popover = open_claim(browser_page, own_claim)
    assert popover.locator("[data-status]").inner_text() == "approved"
    assert popover.locator("[data-edit]").count() == 0
    assert popover.locator("[data-delete]").count() == 0
    assert popover.locator("[data-link-to]").count() == 1


def test_history_says_when_it_is_not_available(browser_page, e2e_analyst, own_claim):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    popover = open_claim(browser_page, own_claim)
    popover.locator("details.history-section summary").click()
    history = popover.locator("[data-history]")
    wait_until(page, "() => !document.querySelector('[data-history]').textContent.includes('Loading')")
    # The history endpoint is another issue's: until it exists the popover says so; after, it lists entries.
    text = history.inner_text()
    assert "History not available." in text or "No history recorded." in text or "·" in text


def test_panel_and_text_lead_to_each_other(browser_page, e2e_analyst, own_claim):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    in_view = (
        "async (id) => { const r = (await import('/static/annotations/js/paint.js')).rangeOf(id)"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert not page.evaluate(in_view, str(own_claim.pk))
    page.locator(f'[data-claims-list] li[data-claim-id="{own_claim.pk}"]').click()
    wait_until(page, in_view, str(own_claim.pk))
    assert "claim-active" in browser_page.highlights_of(own_claim)
    assert "is-active" in page.locator(f'[data-claims-list] li[data-claim-id="{own_claim.pk}"]').get_attribute("class")
    page.locator("[data-claim-popover] [data-statement]").wait_for()
    page.keyboard.press("Escape")
    page.locator("[data-claim-popover]").wait_for(state="hidden")


def test_a_reader_sees_approved_claims_and_gets_no_form(browser_page, own_claim, shipped_corpus):
    page = browser_page.page
    pending = ClaimFactory(paper=own_claim.paper, at=(0, 20))
    Claim.objects.filter(pk=own_claim.pk).update(status=Status.APPROVED)
    reader = UserFactory(username="rita", role=Role.READER)
    browser_page.login(reader)
    browser_page.open_paper("masuda-2010")
    assert browser_page.painted_text(own_claim) == SENTENCE
    assert browser_page.painted_text(pending) is None
    assert page.locator("[data-paper-text]").get_attribute("data-painted-claims") == "1"
    assert page.locator("form[data-claim-form]").count() == 0
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    page.dispatch_event("[data-paper-text]", "mouseup")
    page.wait_for_timeout(100)
    assert page.locator("form[data-claim-form]").count() == 0
    popover = open_claim(browser_page, own_claim)  # a click inside the selection still opens the claim
    assert popover.locator("[data-link-to]").count() == 0


def test_after_cancelling_a_form_a_click_on_the_selected_highlight_opens_the_claim(
    browser_page, e2e_analyst, own_claim
):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")
    popover = open_claim(browser_page, own_claim)
    assert popover.locator("[data-statement]").inner_text() == "First words."
    assert form.is_hidden()
