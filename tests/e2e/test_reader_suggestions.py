"""The popover's "Find in other papers": the list of passages, Accept (a claim and a link, pending, with
provenance) and Not relevant, with the keyboard."""

import pytest

from annotations.models import Claim, Link, Paper
from suggestions.models import PassageJudgement, SuggestionOrigin
from tests.factories import ClaimFactory

from .test_reader import SENTENCE
from .test_reader_claims import open_claim

pytestmark = pytest.mark.e2e


@pytest.fixture
def own_claim(shipped_corpus, e2e_analyst):
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    return ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), created_by=e2e_analyst, statement="First words.")


def test_find_in_other_papers_accept_and_not_relevant_by_keyboard(browser_page, e2e_analyst, own_claim):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    popover = open_claim(browser_page, own_claim)
    summary = popover.locator("[data-find-in-papers] summary")
    summary.focus()
    page.keyboard.press("Enter")
    items = popover.locator("[data-suggestion]")
    items.first.wait_for()
    assert items.count() == 10
    assert "masuda-2010" not in " ".join(items.evaluate_all("els => els.map(e => e.dataset.suggestion)"))
    first = items.nth(0)
    first.locator("[data-accept]").first.focus()
    page.keyboard.press("Enter")
    first.locator("[data-go-claim]").wait_for()
    made = Claim.objects.exclude(pk=own_claim.pk).get()
    link = Link.objects.get()
    assert (link.source, link.target, link.status) == (made, own_claim, "pending")
    assert SuggestionOrigin.objects.get().accepted_by == e2e_analyst
    second = items.nth(1)
    second.locator("[data-not-relevant]").focus()
    page.keyboard.press("Enter")
    second.get_by_text("it will not be suggested for this claim again").wait_for()
    assert PassageJudgement.objects.filter(claim=own_claim, accepted=False).count() == 1


def test_the_link_queue_by_keyboard(browser_page, e2e_analyst, own_claim):
    other = Paper.objects.get(slug="su-li-2021")
    at = other.text.index(" ") + 1
    theirs = ClaimFactory(paper=other, at=(at, at + 40), created_by=e2e_analyst, statement=own_claim.statement)
    page = browser_page.page
    browser_page.login(e2e_analyst)
    page.goto(f"{browser_page.base_url}/suggestions/links/")
    item = page.locator("[data-link-suggestion]").first
    assert {item.get_attribute("data-source"), item.get_attribute("data-target")} == {str(own_claim.pk), str(theirs.pk)}
    item.locator("[data-accept]").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Linked (pending review).").wait_for()
    link = Link.objects.get()
    assert {link.source, link.target} == {own_claim, theirs}
    assert SuggestionOrigin.objects.get(link=link).kind == "link"
    page.locator("[data-no-suggestions]").wait_for()
