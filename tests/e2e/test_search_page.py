"""From the search page to the reader: a hit opens the paper with its sentence selected and the claim form ready."""

import pytest

from annotations.models import Claim, Paper

pytestmark = pytest.mark.e2e


def test_search_then_one_click_opens_the_reader_ready_for_a_claim(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    page.get_by_role("link", name="Search", exact=True).click()
    page.wait_for_url("**/search/**")
    words = page.locator('input[name="q"]')
    words.fill('"new security concept"')
    words.press("Enter")
    page.locator("[data-search-summary]").wait_for()
    masuda = page.locator('[data-search-paper="masuda-2010"]')
    hit = masuda.locator('[data-search-hit="text"] a').first
    assert "new security concept" in hit.locator("mark").first.inner_text().lower()
    href = hit.get_attribute("href")
    start, end = (int(n) for n in href.rsplit("#at-", 1)[1].split("-"))
    sentence = Paper.objects.get(slug="masuda-2010").text[start:end]
    # By keyboard: the link takes the focus, Enter follows it.
    hit.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-reader-ready]")
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    assert page.evaluate("window.getSelection().toString().replace(/\\s+/g, ' ')").strip() in " ".join(sentence.split())
    page.wait_for_function("document.activeElement && document.activeElement.name === 'statement'")
    page.keyboard.type("China's new security concept, as Masuda reads it.")
    page.keyboard.press("Enter")
    form.wait_for(state="hidden")
    claim = Claim.objects.get(statement="China's new security concept, as Masuda reads it.")
    assert (claim.paper.slug, claim.start, claim.end) == ("masuda-2010", start, end)


def test_a_bad_query_says_why_on_the_page(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    page.goto(f"{browser_page.base_url}/search/?q=%22unclosed")
    assert "not closed" in page.locator("[data-search-error]").inner_text()
