"""The formatted reader in Chromium: the paper's markup rendered, selections made with the mouse over headings,
bold text and footnote superscripts stored at their verbatim offsets, the source view, reading without script."""

import pytest

from annotations.models import Claim, Paper
from tests.factories import PASSWORD

from .test_reader import fill_claim_form

pytestmark = pytest.mark.e2e

HEADING = "China's SCO Policy in the Regional Security Architecture"

# The viewport points just inside the first and the last character of the `occurrence`-th place where the
# rendered text reads `quote`, scrolled into view; markup hidden from view is skipped as a reader's eye does.
DRAG_POINTS_JS = """
([quote, occurrence]) => {
  const root = document.querySelector('[data-paper-text]');
  const chars = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement.getClientRects().length) continue;  // not rendered: hidden markup
    for (let i = 0; i < node.data.length; i++) chars.push([node, i]);
  }
  const visible = chars.map(([node, i]) => node.data[i]).join('');
  let at = -1;
  for (let n = 0; n <= occurrence; n++) { at = visible.indexOf(quote, at + 1); if (at < 0) return null; }
  const rectOf = ([node, i]) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                                  return r.getBoundingClientRect(); };
  const first = chars[at];
  first[0].parentElement.scrollIntoView({ block: 'center' });
  const a = rectOf(first), b = rectOf(chars[at + quote.length - 1]);
  return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
}
"""


def drag_over(page, quote, occurrence=0):
    """Select `quote` as it reads on screen with a real mouse drag."""
    points = page.evaluate(DRAG_POINTS_JS, [quote, occurrence])
    assert points, f"{quote!r} is not in the rendered text"
    x0, y0, x1, y1 = points
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()


def save_claim(page, statement):
    form = fill_claim_form(page, statement)
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")
    return Claim.objects.get(statement=statement)


@pytest.fixture
def masuda(shipped_corpus):
    return Paper.objects.get(slug="masuda-2010").text


def test_the_markup_is_rendered_and_hidden(browser_page, e2e_analyst, masuda):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    text = page.locator("[data-paper-text]")
    heading = text.locator("h3.md-h2").first
    assert heading.inner_text() == HEADING
    assert heading.locator("strong").count() == 1
    assert text.locator("sup").first.inner_text() == "1"
    assert text.locator(".md-hr").count() == masuda.count("\n---\n")
    assert text.locator("ul.md-list li").count() == 6
    rendered = text.inner_text()
    for markup in ("## ", "**", "<sup>", "</sup>", "\n---\n"):
        assert markup not in rendered
    assert "As many analysts" in rendered
    # Every code point is still in the DOM, in order: the text nodes spell the stored text exactly.
    assert text.evaluate("t => t.textContent") == masuda


def test_selecting_in_a_rendered_heading_stores_those_words(browser_page, e2e_analyst, masuda):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    drag_over(page, HEADING)
    claim = save_claim(page, "The title.")
    start = masuda.index(HEADING)
    assert masuda[start - 5 : start] == "## **"
    assert (claim.start, claim.end, claim.exact) == (start, start + len(HEADING), HEADING)
    browser_page.wait_painted(claim)
    assert browser_page.painted_text(claim) == HEADING


def test_a_triple_click_on_a_heading_stores_its_words_without_the_markup(browser_page, e2e_analyst, masuda):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    page.locator("[data-paper-text] h3.md-h2").first.click(click_count=3)
    claim = save_claim(page, "The title, triple-clicked.")
    start = masuda.index(HEADING)
    assert (claim.start, claim.end, claim.exact) == (start, start + len(HEADING), HEADING)


def test_selecting_across_bold_text_stores_the_verbatim_quote(browser_page, e2e_analyst, masuda):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    drag_over(page, "As many analysts and scholars")
    claim = save_claim(page, "Across the bold initial.")
    start = masuda.index("**A**s many") + 2
    quote = "A**s many analysts and scholars"
    assert (claim.start, claim.end, claim.exact) == (start, start + len(quote), quote)
    assert masuda[claim.start : claim.end] == claim.exact


def test_selecting_across_a_footnote_superscript_stores_the_verbatim_quote(browser_page, e2e_analyst, masuda):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    drag_over(page, "concrete policies.1 In this context")
    claim = save_claim(page, "Across footnote 1.")
    quote = "concrete policies.<sup>1</sup> In this context"
    start = masuda.index(quote)
    assert (claim.start, claim.end, claim.exact) == (start, start + len(quote), quote)
    browser_page.wait_painted(claim)
    assert browser_page.painted_text(claim) == quote
    # A click on the superscript itself opens the claim.
    sup = page.locator("[data-paper-text] sup").first.bounding_box()
    page.mouse.click(sup["x"] + sup["width"] / 2, sup["y"] + sup["height"] / 2)
    page.locator("[data-claim-popover] [data-statement]").wait_for()


def test_the_source_view_shows_the_text_as_stored_with_the_same_offsets(browser_page, e2e_analyst, masuda):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    page.check("[data-show-source]")
    heading = page.locator("[data-paper-text] h3.md-h2").first
    assert heading.inner_text().strip() == f"## **{HEADING}**"
    drag_over(page, "**A**s many")
    claim = save_claim(page, "Selected in the source.")
    start = masuda.index("**A**s many")
    # Markup at the edges of a selection is left out, in the source view as in the formatted one.
    assert (claim.start, claim.exact) == (start + 2, "A**s many")
    page.reload()
    page.wait_for_selector("body[data-reader-ready]")
    assert page.is_checked("[data-show-source]")  # the choice is remembered


def test_the_text_reads_formatted_without_javascript(browser, live_server, e2e_analyst, shipped_corpus):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill('input[name="username"]', e2e_analyst.username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.goto(f"{live_server.url}/papers/masuda-2010/")
    text = page.locator("[data-paper-text]")
    assert text.locator("h3.md-h2").first.inner_text() == HEADING
    assert "**" not in text.inner_text()
    page.check("[data-show-source]")  # the source view is CSS alone
    assert "## **China" in text.inner_text()
    context.close()
