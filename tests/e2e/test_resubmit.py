"""A rejected claim in the browser: its analyst edits it from the popover, and the moderator sees it back."""

import pytest

from annotations import services
from annotations.models import Claim, HistoryAction, Link, Paper, Role, Status
from tests.factories import ClaimFactory, UserFactory

from .conftest import login
from .test_reader import SENTENCE

pytestmark = pytest.mark.e2e


def test_the_analyst_edits_a_rejected_claim_and_it_is_back_in_the_queue_as_resubmitted(
    browser_page, browser, live_server, shipped_corpus, e2e_analyst
):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    claim = ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), created_by=e2e_analyst, statement="Too broad.")
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reject", reason="Say who holds it.")

    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(claim)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-statement]").wait_for()
    assert popover.locator("[data-status]").inner_text() == "rejected"
    assert "Say who holds it." in popover.inner_text()  # why, so the analyst can act on it
    assert popover.locator("[data-delete]").count() == 0
    popover.locator("[data-edit]").click()

    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    form.locator('[name="statement"]').fill("The authors hold that it is not an alliance.")
    form.locator('[name="statement"]').press("Enter")
    form.wait_for(state="hidden")
    page.locator(f'[data-claims-list] li[data-claim-id="{claim.pk}"] .statement:text("not an alliance")').wait_for()
    claim.refresh_from_db()
    assert (claim.status, claim.statement) == (Status.PENDING, "The authors hold that it is not an alliance.")
    assert Claim.history.filter(id=claim.pk).latest().history_action == HistoryAction.RESUBMITTED

    context = browser.new_context(base_url=live_server.url)
    try:
        queue = context.new_page()
        login(queue, live_server, moderator)
        queue.goto("/moderation/")
        item = queue.locator(f'[data-queue-item][data-id="{claim.pk}"]')
        assert "Resubmitted after its rejection by mo" in item.locator("[data-resubmitted]").inner_text()
        assert "Say who holds it." in item.inner_text()
        assert "The authors hold that it is not an alliance." in item.inner_text()
    finally:
        context.close()


def test_the_analyst_edits_a_rejected_link_from_the_popover(browser_page, shipped_corpus, e2e_analyst):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    source = ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), created_by=e2e_analyst, status=Status.APPROVED)
    target = ClaimFactory(paper=paper, at=(0, 10), created_by=e2e_analyst, status=Status.APPROVED)
    link = services.link_create(created_by=e2e_analyst, source=source, target=target, relation="supports")
    services.link_moderate(link_id=link.pk, by=moderator, decision="reject", reason="It restates it.")

    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(source)
    popover = page.locator("[data-claim-popover]")
    item = popover.locator(f'[data-links-out] li[data-link-id="{link.pk}"]')
    item.locator("[data-edit-link]").click()
    form = item.locator("[data-link-edit]")
    form.locator('[name="relation"]').select_option("restates")
    form.locator('button[type="submit"]').click()
    popover.locator(f'li[data-link-id="{link.pk}"] .status-pending').wait_for()
    link.refresh_from_db()
    assert (link.status, link.relation) == (Status.PENDING, "restates")
    assert Link.history.filter(id=link.pk).latest().history_action == HistoryAction.RESUBMITTED
