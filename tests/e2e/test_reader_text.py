"""Offsets in the browser: characters outside the BMP, real mouse selections, hostile notes."""

import pytest

from annotations.models import Claim, Paper, Role
from tests.factories import AuthorFactory, ClaimFactory, LinkFactory, PaperFactory, UserFactory

from .test_reader import SENTENCE, fill_claim_form

pytestmark = pytest.mark.e2e

# U+1D516 (Fraktur S) and U+1F600 (a smiley) are one code point each but two UTF-16 units in JavaScript.
ASTRAL_TEXT = (
    "On \U0001d516-groups and smiles \U0001f600\U0001f600 first.\n\n"
    "Then the passage the analyst selects, after them.\n\n"
    "A last paragraph with \U0001f30f in it and the words to find."
)


@pytest.fixture
def astral_paper(roles):
    return PaperFactory(slug="astral", title="Astral", text=ASTRAL_TEXT, authors=[AuthorFactory(name="Ann Astral")])


def create_claim_on(browser_page, quote, statement):
    page = browser_page.page
    browser_page.select_text(quote)
    page.keyboard.press("a")
    fill_claim_form(page, statement).locator('button[type="submit"]').click()
    page.locator("form[data-claim-form]").wait_for(state="hidden")
    claim = Claim.objects.get(statement=statement)
    browser_page.wait_painted(claim)
    return claim


@pytest.mark.parametrize(
    "quote",
    [
        "the passage the analyst selects",  # after the astral characters
        "smiles \U0001f600\U0001f600 first",  # made of them
        "\U0001f30f in it",  # starting with one
        "first.\n\nThen the passage",  # across a paragraph break after them
    ],
)
def test_characters_outside_the_bmp_do_not_shift_offsets(browser_page, e2e_analyst, astral_paper, quote):
    browser_page.login(e2e_analyst)
    browser_page.open_paper("astral")
    claim = create_claim_on(browser_page, quote, "Astral claim.")
    start = ASTRAL_TEXT.index(quote)
    assert claim.exact == quote
    assert (claim.start, claim.end) == (start, start + len(quote))
    assert browser_page.painted_text(claim) == quote


def test_a_real_mouse_drag_stores_what_was_selected(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    text = Paper.objects.get(slug="masuda-2010").text
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    box = page.evaluate(
        """() => { const range = window.getSelection().getRangeAt(0);
                   range.startContainer.parentElement.scrollIntoView({block: 'center'});
                   const r = range.getClientRects();
                   const a = r[0], b = r[r.length - 1];
                   return [a.left + 2, a.top + a.height / 2, b.right - 2, b.top + b.height / 2]; }"""
    )
    page.evaluate("window.getSelection().removeAllRanges()")
    # Whatever the programmatic selection opened (the form opens once a selection rests) must be gone before
    # the drag, or the mouse lands on it.
    page.wait_for_timeout(500)
    form = page.locator("[data-claim-form]")
    while form.is_visible():
        page.keyboard.press("Escape")
        page.wait_for_timeout(100)
    # What the drag selected, read as the mouse is released: the form it opens then takes the focus (and the
    # document's selection with it).
    page.evaluate(
        "() => document.addEventListener('mouseup', () => { window.__dragged = window.getSelection().toString(); },"
        " {capture: true, once: true})"
    )
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, steps=5)
    page.mouse.move(box[2], box[3], steps=5)
    page.mouse.up()
    selected = page.evaluate("window.__dragged").strip()
    assert len(selected) > 40
    assert selected in SENTENCE
    form = fill_claim_form(page, "Dragged.")
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    assert claim.exact == selected
    assert text[claim.start : claim.end] == selected


def test_a_hostile_note_is_shown_inert(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    hostile = '<img src=x onerror="window.__pwned = 1; alert(1)"><script>window.__pwned = 2</script>'
    typed = f"{hostile} Su & Li say x < y, *kept*"
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = fill_claim_form(page, "<b>Not bold</b>", note=typed)
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    assert claim.note == typed  # stored as typed
    browser_page.click_claim(claim)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-note]").wait_for()
    # Shown once, as the characters typed, with its Markdown rendered.
    assert popover.locator("[data-note]").inner_text() == f"{hostile} Su & Li say x < y, kept"
    assert popover.locator("[data-note] em").inner_text() == "kept"
    assert popover.locator("[data-statement]").inner_text() == "<b>Not bold</b>"
    assert page.locator("[data-claims-list] .statement").first.inner_text() == "<b>Not bold</b>"
    page.wait_for_timeout(300)  # give a handler, were there one, the time to run
    inert = "img, [onerror], script:not([type=module]):not([type='application/json'])"
    assert page.evaluate(f'document.querySelectorAll("{inert}").length') == 0
    assert page.evaluate("window.__pwned") is None
    # Editing starts from the text as typed, not from HTML.
    popover.locator("[data-edit]").click()
    assert page.locator('[data-claim-form] textarea[name="note"]').input_value() == typed
    # browser_page's teardown also checks that no dialog opened and no script error happened.


def test_hostile_html_from_the_server_is_still_inert(browser_page, shipped_corpus, csp_violations):
    """The server renders and sanitizes notes (note_html); the page does not rely on that alone: its own
    allowlist (sanitize.js) rebuilds whatever HTML it is given."""
    page = browser_page.page
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    claim = ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), note="[link](javascript:alert(1)) plain")
    hostile_html = '<img src=x onerror="window.__pwned = 1"><a href="javascript:alert(1)">link</a><svg onload=alert(2)>'

    def with_hostile_html(route):
        response = route.fetch()
        body = {**response.json(), "note_html": hostile_html}
        route.fulfill(response=response, json=body)

    page.route(f"**/api/v1/claims/{claim.pk}/", with_hostile_html)
    browser_page.login(moderator)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(claim)
    note = page.locator("[data-claim-popover] [data-note]")
    note.wait_for()
    page.wait_for_timeout(300)
    assert note.locator("a").get_attribute("href") is None
    assert page.evaluate("document.querySelectorAll('img, svg, [onerror], [onload]').length") == 0
    assert page.evaluate("window.__pwned") is None
    # Parsing the planted HTML (even in an inert document) makes Chromium report its handlers as refused: the
    # policy doing its job on what this test planted, nothing else.
    refused = csp_violations.take()
    assert refused
    assert all("script-src-attr" in found or "inline event handler" in found for found in refused), refused


def test_a_markdown_link_to_a_script_is_text(browser_page, shipped_corpus):
    page = browser_page.page
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    typed = "[link](javascript:alert(1)) and [ok](https://example.org)"
    claim = ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)), note=typed)
    browser_page.login(moderator)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(claim)
    note = page.locator("[data-claim-popover] [data-note]")
    note.wait_for()
    assert note.inner_text() == "[link](javascript:alert(1)) and ok"
    assert note.locator("a").count() == 1
    assert note.locator("a").get_attribute("href") == "https://example.org"
    assert note.locator("a").get_attribute("rel") == "nofollow noopener"


def test_a_link_rationale_shows_as_typed_with_its_markdown(browser_page, shipped_corpus):
    page = browser_page.page
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    claim = ClaimFactory(paper=paper, at=(at, at + len(SENTENCE)))
    other = ClaimFactory(paper=paper, at=(0, 10))
    LinkFactory(source=claim, target=other, rationale='Su & Li *agree*: x < y <img src=x onerror="alert(1)">')
    browser_page.login(moderator)
    browser_page.open_paper("masuda-2010")
    browser_page.click_claim(claim)
    rationale = page.locator("[data-claim-popover] [data-rationale]")
    rationale.wait_for()
    assert rationale.inner_text() == 'Su & Li agree: x < y <img src=x onerror="alert(1)">'
    assert rationale.locator("em").inner_text() == "agree"
    assert rationale.locator("img").count() == 0
