"""The reader in headless Chromium: log in, select, annotate, see the highlights, link claims."""

import pytest

from annotations.models import Claim, Link, Paper, Tag
from tests.factories import ClaimFactory

from .conftest import wait_until

pytestmark = pytest.mark.e2e

SENTENCE = (
    "Based on this understanding, this paper attempts to clarify the present state of China's regional "
    "security design by considering concrete policy developments."
)


def fill_claim_form(page, statement, tags="", stance="affirms", speaker="", note=""):
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    form.locator('[name="statement"]').fill(statement)
    form.locator('[name="stance"]').select_option(stance)
    if speaker:
        form.locator('[name="speaker"]').fill(speaker)
    if tags:
        form.locator('[name="tags"]').fill(tags)
        form.locator('[name="statement"]').focus()  # leaving the field closes its suggestions
    if note:
        form.locator('[name="note"]').fill(note)
    return form


def test_login_then_logout(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login_with_form(e2e_analyst)
    assert page.locator("table[data-papers] tr[data-paper]").count() == Paper.objects.count()
    assert "Masuda" in page.locator('tr[data-paper="masuda-2010"]').inner_text()
    page.click("text=Log out")
    page.wait_for_url("**/accounts/login/")
    page.goto(f"{browser_page.base_url}/papers/masuda-2010/")
    assert "/accounts/login/" in page.url


def test_select_a_sentence_create_a_claim_and_see_it_after_reload(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.dispatch_event("[data-paper-text]", "mouseup")
    form = fill_claim_form(page, "Masuda studies China's regional security design.", tags="not-an-alliance")
    form.locator('[name="statement"]').press("Enter")
    form.wait_for(state="hidden")

    claim = Claim.objects.get()
    text = Paper.objects.get(slug="masuda-2010").text
    assert claim.exact == SENTENCE
    assert (claim.start, claim.end) == (text.index(SENTENCE), text.index(SENTENCE) + len(SENTENCE))
    assert [t.slug for t in claim.tags.all()] == ["not-an-alliance"]
    assert claim.created_by == e2e_analyst

    browser_page.wait_painted(claim)  # painted without a reload
    assert browser_page.painted_text(claim) == SENTENCE
    assert page.locator(f'[data-claims-list] li[data-claim-id="{claim.pk}"]').count() == 1
    assert page.locator("[data-paper-text]").get_attribute("data-painted-claims") == "1"

    page.reload()
    page.wait_for_selector("body[data-reader-ready]")
    assert browser_page.painted_text(claim) == SENTENCE


def test_keyboard_shortcut_opens_the_form_and_escape_cancels(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    assert SENTENCE[:60] in form.locator("[data-form-quote]").inner_text()
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")
    assert Claim.objects.count() == 0


def test_api_errors_are_shown_in_the_form(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = fill_claim_form(page, "A claim with an unknown tag.", tags="no-such-tag")
    form.locator('button[type="submit"]').click()
    error = form.locator('[data-error-for="tags"]')
    error.wait_for(state="visible")
    assert 'Unknown tag "no-such-tag"' in error.inner_text()
    assert form.is_visible()
    assert Claim.objects.count() == 0


def test_selection_across_two_paragraphs(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    text = Paper.objects.get(slug="masuda-2010").text
    start = text.index("in the years to come.")
    end = text.index("Based on this understanding") + len("Based on this understanding")
    quote = text[start:end]
    assert "\n\n" in quote
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(quote)
    page.keyboard.press("a")
    fill_claim_form(page, "Spans two paragraphs.").locator('button[type="submit"]').click()
    page.locator("form[data-claim-form]").wait_for(state="hidden")
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.exact) == (start, end, quote)
    browser_page.wait_painted(claim)
    assert browser_page.painted_text(claim) == quote  # one range across both paragraphs


def test_selection_across_an_existing_highlight(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    paper = Paper.objects.get(slug="masuda-2010")
    inner = "the present state of China's regional security design"
    at = paper.text.index(inner)
    existing = ClaimFactory(paper=paper, at=(at, at + len(inner)), created_by=e2e_analyst)
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    assert browser_page.painted_text(existing) == inner
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    fill_claim_form(page, "Covers the other claim.").locator('button[type="submit"]').click()
    page.locator("form[data-claim-form]").wait_for(state="hidden")
    claim = Claim.objects.exclude(pk=existing.pk).get()
    assert claim.exact == SENTENCE
    assert claim.start == paper.text.index(SENTENCE)
    # Both stay exact, and the old claim's passage is covered twice, the new claim outermost.
    browser_page.wait_painted(claim)
    assert browser_page.painted_text(claim) == SENTENCE
    assert browser_page.painted_text(existing) == inner
    covering = page.evaluate(
        "async (at) => (await import('/static/annotations/js/paint.js')).claimsAt(at).map((c) => c.id)",
        at + 3,
    )
    assert covering == [str(claim.pk), str(existing.pk)]


def test_link_two_claims_of_different_papers(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    masuda = Paper.objects.get(slug="masuda-2010")
    su_li = Paper.objects.get(slug="su-li-2021")
    quote = "the SCO is not an alliance with military characteristics"
    at = masuda.text.index(quote)
    source = ClaimFactory(paper=masuda, at=(at, at + len(quote)), created_by=e2e_analyst, statement="Not an alliance.")
    target = ClaimFactory(paper=su_li, at=(100, 160), created_by=e2e_analyst, statement="Su and Li on partnership.")
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(source)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-statement]").wait_for()
    assert popover.locator("[data-statement]").inner_text() == "Not an alliance."
    popover.locator("[data-link-to]").click()
    popover.locator('input[name="q"]').fill("partnership")
    popover.locator('[data-link-results][data-query="partnership"]').wait_for()
    choice = popover.locator(f'[data-link-results] li[data-claim-id="{target.pk}"]')
    choice.wait_for()
    assert "Su Chang" in choice.inner_text()
    choice.locator('input[type="radio"]').check()
    popover.locator('select[name="relation"]').select_option("conflicts")
    popover.locator('textarea[name="rationale"]').fill("They <em>disagree</em>.")
    popover.locator('[data-link-form] button[type="submit"]').click()
    popover.locator("[data-linked]").wait_for()

    link = Link.objects.get()
    assert (link.source_id, link.target_id, link.relation) == (source.pk, target.pk, "conflicts")
    out = popover.locator(f'[data-links-out] li[data-link-id="{link.pk}"]')
    out.wait_for()
    assert "Su Chang" in out.inner_text()
    assert target.exact[:40] in out.inner_text()

    # One click to the other claim, on its own paper, where the link shows the other way.
    out.locator("[data-go-claim]").click()
    page.wait_for_url(f"**/papers/su-li-2021/#claim-{target.pk}")
    page.wait_for_selector("body[data-reader-ready]")
    popover.locator("[data-statement]").wait_for()
    assert popover.locator("[data-statement]").inner_text() == "Su and Li on partnership."
    incoming = popover.locator(f'[data-links-in] li[data-link-id="{link.pk}"]')
    incoming.wait_for()
    assert "Masuda" in incoming.inner_text()


def test_keyboard_only_with_tag_type_ahead(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    page.keyboard.type("Typed without the mouse.")
    page.keyboard.press("Tab")  # stance
    page.keyboard.press("Tab")  # speaker
    page.keyboard.type("Qi Guowei")
    page.keyboard.press("Tab")  # tags
    page.keyboard.type("not-an")
    option = form.locator('[data-tag-suggestions] li[data-slug="not-an-alliance"]')
    option.wait_for()
    assert option.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")  # picks the suggestion
    assert form.locator('[name="tags"]').input_value() == "not-an-alliance, "
    page.keyboard.type("china")
    selected = form.locator('[data-tag-suggestions] li[aria-selected="true"]')
    form.locator('[data-tag-suggestions] li[data-slug="china-russia-leadership"][aria-selected="true"]').wait_for()
    page.keyboard.press("ArrowDown")  # past the one match, to the offer to propose "china"
    assert selected.get_attribute("data-slug") == "china"
    assert selected.get_attribute("data-propose") == ""
    page.keyboard.press("ArrowUp")
    assert selected.get_attribute("data-slug") == "china-russia-leadership"
    page.keyboard.press("Tab")  # picks it
    assert form.locator('[name="tags"]').input_value() == "not-an-alliance, china-russia-leadership, "
    page.keyboard.press("Enter")  # saves
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    assert claim.statement == "Typed without the mouse."
    assert claim.speaker == "Qi Guowei"
    assert sorted(t.slug for t in claim.tags.all()) == ["china-russia-leadership", "not-an-alliance"]
    assert not Tag.objects.filter(slug="china").exists()


def test_triple_click_selects_a_paragraph_up_to_its_end(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    text = Paper.objects.get(slug="masuda-2010").text
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.evaluate("window.getSelection().getRangeAt(0).startContainer.parentElement.scrollIntoView({block: 'center'})")
    page.evaluate("window.getSelection().removeAllRanges()")
    target = page.locator("[data-paper-text] p.para", has_text="Based on this understanding").first
    target.click(click_count=3)
    form = fill_claim_form(page, "A whole paragraph.")
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    paragraph_start = text.index("Based on this understanding")
    assert claim.start == paragraph_start
    assert claim.exact == text[paragraph_start : text.index("\n", paragraph_start)].strip()


def test_colour_by_stance_or_tag(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    claim = ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), created_by=e2e_analyst, stance="denies")
    claim.tags.set([Tag.objects.get(slug="not-an-alliance")], through_defaults={"stance": claim.stance})
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    text = page.locator("[data-paper-text]")
    colour = "(t, name) => getComputedStyle(t, `::highlight(${name})`).backgroundColor"
    assert browser_page.highlights_of(claim) == ["status-pending", "tag-not-an-alliance"]
    by_tag = text.evaluate(colour, "tag-not-an-alliance")
    assert by_tag == "rgba(31, 119, 180, 0.28)"  # the codebook's colour for not-an-alliance
    page.select_option("[data-colour-by]", "stance")
    assert text.get_attribute("data-colour") == "stance"
    assert browser_page.highlights_of(claim) == ["stance-denies", "status-pending"]
    assert text.evaluate(colour, "stance-denies") == "rgba(214, 39, 40, 0.25)"
    assert page.locator("[data-legend] [data-stance='denies']").count() == 1


def test_link_search_lists_other_authors_first(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    masuda = Paper.objects.get(slug="masuda-2010")
    pan = Paper.objects.get(slug="pan-2006")
    at = masuda.text.index(SENTENCE)
    source = ClaimFactory(paper=masuda, at=(at, at + len(SENTENCE)), created_by=e2e_analyst)
    same_author = ClaimFactory(paper=masuda, at=(0, 30), created_by=e2e_analyst, statement="Three evils, per Masuda.")
    other_author = ClaimFactory(paper=pan, at=(0, 30), created_by=e2e_analyst, statement="Three evils, per Pan.")
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(source)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-link-to]").click()
    popover.locator('input[name="q"]').fill("three evils")
    popover.locator('[data-link-results][data-query="three evils"]').wait_for()
    listed = popover.locator("[data-link-results] li[data-claim-id]").evaluate_all(
        "els => els.map(e => e.dataset.claimId)"
    )
    assert listed == [str(other_author.pk), str(same_author.pk)]
    # A duplicate link is refused by the API and the message is shown in place.
    popover.locator(f'[data-link-results] li[data-claim-id="{other_author.pk}"] input').check()
    popover.locator('[data-link-form] button[type="submit"]').click()
    popover.locator("[data-linked]").wait_for()
    popover.locator("[data-link-to]").click()
    popover.locator('input[name="q"]').fill("three evils")
    popover.locator('[data-link-results][data-query="three evils"]').wait_for()
    popover.locator(f'[data-link-results] li[data-claim-id="{other_author.pk}"] input').check()
    popover.locator('[data-link-form] button[type="submit"]').click()
    error = popover.locator("[data-link-error]")
    error.wait_for(state="visible")
    assert "already linked" in error.inner_text()
    assert Link.objects.count() == 1


def test_a_selection_made_by_script_opens_the_form_and_reselecting_keeps_the_typing(
    browser_page, e2e_analyst, shipped_corpus
):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text("this paper attempts to clarify")  # no mouse, no key: it rests, the form opens
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    form.locator('[name="statement"]').fill("Kept across selections.")
    browser_page.select_text(SENTENCE)
    wait_until(page, "q => document.querySelector('[data-form-quote]').textContent === q", SENTENCE)
    assert form.locator('[name="statement"]').input_value() == "Kept across selections."
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")
    assert Claim.objects.get().exact == SENTENCE
