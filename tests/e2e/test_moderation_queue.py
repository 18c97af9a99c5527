"""The moderation queue in a real browser: keyboard decisions, the item leaves, the count follows."""

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, Link, Role, Status
from tests.factories import ClaimFactory, LinkFactory, PaperFactory, UserFactory

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_moderator_works_through_the_queue_from_the_keyboard(page):
    UserFactory(username="mo", role=Role.MODERATOR)
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    paper = PaperFactory(slug="masuda-2010")
    first = ClaimFactory(paper=paper, created_by=analyst, at=(11, 26), statement="First claim.")
    second = ClaimFactory(paper=paper, created_by=analyst, at=(39, 54), statement="Second claim.")
    approved = ClaimFactory(paper=paper, created_by=analyst, at=(0, 10), status=Status.APPROVED)
    link = LinkFactory(source=first, target=approved, created_by=analyst)

    sign_in(page, "mo")
    page.goto("/moderation/")
    page.wait_for_selector("[data-moderation-queue][data-ready=true]")
    items = page.locator("[data-queue-item]")
    badge = page.locator("[data-pending-count]")
    assert items.count() == 3
    assert badge.inner_text() == "3"
    assert page.locator("[data-key-hints]").is_visible()
    assert items.nth(0).get_attribute("aria-current") == "true"
    assert "First claim." in items.nth(0).inner_text()

    page.keyboard.press("j")
    assert items.nth(1).get_attribute("aria-current") == "true"
    page.keyboard.press("k")
    assert items.nth(0).get_attribute("aria-current") == "true"

    page.keyboard.press("a")  # approve the first claim
    expect(page.locator("[data-queue-item]")).to_have_count(2)  # no eval: the page's CSP forbids it
    assert badge.inner_text() == "2"
    assert Claim.objects.get(pk=first.pk).status == Status.APPROVED
    assert "Second claim." in page.locator("[data-queue-item][aria-current=true]").inner_text()

    page.keyboard.press("r")  # to the reason; the "r" itself is not typed
    reason = page.locator("[data-queue-item][aria-current=true] [data-reason]")
    assert reason.evaluate("element => element === document.activeElement")
    assert reason.input_value() == ""
    page.keyboard.type("The passage says the opposite.")
    page.keyboard.press("Enter")
    expect(page.locator("[data-queue-item]")).to_have_count(1)  # no eval: the page's CSP forbids it
    rejected = Claim.objects.get(pk=second.pk)
    assert (rejected.status, rejected.moderation_reason) == (Status.REJECTED, "The passage says the opposite.")

    current = page.locator("[data-queue-item][aria-current=true]")
    assert current.get_attribute("data-id") == str(link.pk)
    page.keyboard.press("r")
    page.keyboard.press("Enter")  # no reason: refused, and said so
    error = current.locator("[data-error]")
    error.wait_for(state="visible")
    assert "Say why" in error.inner_text()
    assert Link.objects.get(pk=link.pk).status == Status.PENDING

    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(page.locator("[data-queue-item]")).to_have_count(0)  # no eval: the page's CSP forbids it
    assert badge.inner_text() == "0"
    assert Link.objects.get(pk=link.pk).status == Status.APPROVED
    assert page.errors == []


def test_without_the_script_the_forms_still_work(browser, live_server, roles):
    UserFactory(username="mo", role=Role.MODERATOR)
    claim = ClaimFactory(paper=PaperFactory(slug="masuda-2010"), statement="Only claim.")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "mo", live_server.url)
        page.goto("/moderation/")
        page.fill("[data-queue-item] [data-reason]", "Not in the text.")
        page.click("[data-queue-item] [data-reject]")
        page.wait_for_url("**/moderation/")
        assert "Claim rejected." in page.inner_text(".messages")
        assert Claim.objects.get(pk=claim.pk).status == Status.REJECTED
    finally:
        context.close()


def test_the_counts_follow_the_decisions_until_nothing_is_pending(page):
    UserFactory(username="mo", role=Role.MODERATOR)
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    paper = PaperFactory(slug="masuda-2010")
    claims = [ClaimFactory(paper=paper, created_by=analyst, at=at) for at in ((0, 10), (11, 26), (39, 54))]
    LinkFactory(source=claims[0], target=claims[1], created_by=analyst)

    sign_in(page, "mo")
    page.goto("/moderation/")
    page.wait_for_selector("[data-moderation-queue][data-ready=true]")
    summary = page.locator("[data-queue-summary]")
    assert summary.inner_text() == "3 pending claims and 1 pending link, oldest first."

    page.keyboard.press("a")
    expect(summary).to_have_text("2 pending claims and 1 pending link, oldest first.")
    page.keyboard.press("r")
    page.keyboard.type("Not in the text.")
    page.keyboard.press("Enter")
    expect(summary).to_have_text("1 pending claim and 1 pending link, oldest first.")
    page.keyboard.press("a")
    expect(summary).to_have_text("0 pending claims and 1 pending link, oldest first.")
    page.keyboard.press("a")  # the link
    expect(summary).to_have_text("Nothing pending.")
    expect(page.locator("[data-queue-item]")).to_have_count(0)
    assert page.locator("[data-pending-count]").inner_text() == "0"
    assert page.locator('[data-queue-empty="claims"]').is_visible()
    assert page.locator('[data-queue-empty="links"]').is_visible()

    # The rejected one can be reopened from the tab of decided items, from the keyboard too.
    page.goto("/moderation/?show=decided")
    page.wait_for_selector("[data-moderation-queue][data-ready=true]")
    rejected = Claim.objects.get(status=Status.REJECTED)
    page.locator(f'[data-queue-item][data-id="{rejected.pk}"]').click()
    page.keyboard.press("o")
    expect(page.locator(f'[data-queue-item][data-id="{rejected.pk}"]')).to_have_count(0)
    expect(page.locator("[data-queue-summary]")).to_have_text(
        "2 decided claims and 1 decided link, newest decision first."
    )
    assert page.locator("[data-pending-count]").inner_text() == "1"
    assert Claim.objects.get(pk=rejected.pk).status == Status.PENDING
