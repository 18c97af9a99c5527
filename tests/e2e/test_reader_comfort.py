"""Reading comfort in headless Chromium: a claim made with the keyboard only, drafts that Esc and reloads never
lose, find in the paper, the claims-panel filter, the table of contents, moving between claims by keyboard, and
a tall popover kept inside the window."""

import re

import pytest

from annotations.models import Claim, Link, Paper, Role, Status, Tag
from tests.factories import ClaimFactory, UserFactory

from .conftest import login, wait_until
from .test_reader import SENTENCE

pytestmark = pytest.mark.e2e

FORM = "form[data-claim-form]"


def open_paper(browser_page, slug="masuda-2010"):
    """The reader, once its contents and the panel's filter are filled (after the highlights are painted)."""
    browser_page.open_paper(slug)
    browser_page.page.wait_for_selector("body[data-comfort-ready]")


def tab_to_text(page, limit=200):
    """Tab, as a keyboard user would, until the paper's text has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-paper-text]')"):
            return
    raise AssertionError("the text never took the focus by Tab")


def find(page, words):
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('[data-find-input]')")
    page.keyboard.type(words)
    page.keyboard.press("Enter")


def test_a_claim_made_with_the_keyboard_only(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    paper = Paper.objects.get(slug="masuda-2010")
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    tab_to_text(page)
    # Find puts the reading cursor at the hit; Esc leaves the find field for the text.
    find(page, "Based on this understanding")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.matches('[data-paper-text]')")
    page.keyboard.press("Shift+ArrowRight")  # "Based"
    page.keyboard.press("Shift+ArrowRight")  # "Based on"
    assert page.evaluate("() => window.getSelection().toString()") == "Based on"
    page.keyboard.press("Shift+ArrowDown")  # to the end of the sentence
    assert page.evaluate("() => window.getSelection().toString()") == SENTENCE
    page.keyboard.press("Enter")
    form = page.locator(FORM)
    form.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.name") == "statement"
    page.keyboard.type("Masuda sets out what the paper does.")
    page.keyboard.press("Tab")  # stance
    page.keyboard.press("Tab")  # speaker
    page.keyboard.press("Tab")  # tags
    page.keyboard.type("not-an-al")
    page.keyboard.press("Enter")  # picks the suggestion
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back in the statement
    page.keyboard.press("Enter")
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    at = paper.text.index(SENTENCE)
    assert (claim.start, claim.end, claim.exact) == (at, at + len(SENTENCE), SENTENCE)
    assert claim.statement == "Masuda sets out what the paper does."
    assert [t.slug for t in claim.tags.all()] == ["not-an-alliance"]


def test_escape_closes_the_suggestions_first_and_never_loses_what_was_typed(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = page.locator(FORM)
    form.wait_for(state="visible")
    form.locator('[name="statement"]').fill("Words I typed.")
    tags = form.locator('[name="tags"]')
    tags.click()
    tags.type("us-")
    suggestions = page.locator("[data-tag-suggestions]")
    suggestions.wait_for(state="visible")
    tags.press("Escape")
    assert suggestions.is_hidden()
    assert form.is_visible()
    tags.press("Escape")
    form.wait_for(state="hidden")

    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form.wait_for(state="visible")
    assert form.locator('[name="statement"]').input_value() == "Words I typed."
    assert form.locator('[name="tags"]').input_value() == "us-"
    page.keyboard.press("Escape")
    form.wait_for(state="hidden")

    # Across a reload: the draft waits, named, until resumed or discarded.
    page.reload()
    page.wait_for_selector("body[data-comfort-ready]")
    notice = page.locator('[data-draft-notice="new"]')
    assert "Words I typed." in notice.inner_text()
    notice.locator("[data-resume-draft]").click()
    form.wait_for(state="visible")
    assert form.locator('[name="statement"]').input_value() == "Words I typed."
    assert SENTENCE[:40] in form.locator("[data-form-quote]").inner_text()
    form.locator('[name="tags"]').fill("us-competition")
    form.locator('[name="statement"]').press("Enter")
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    assert (claim.statement, claim.exact) == ("Words I typed.", SENTENCE)
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('sco-claims:draft:'))") == []
    page.reload()
    page.wait_for_selector("body[data-comfort-ready]")
    assert page.locator("[data-draft-notice]").count() == 0


def test_a_draft_is_discarded_only_when_asked(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = page.locator(FORM)
    form.locator('[name="note"]').fill("A note.")
    form.locator("[data-cancel]").click()
    form.wait_for(state="hidden")
    assert page.locator('[data-draft-notice="new"]').is_visible()
    page.locator('[data-draft-notice="new"] [data-resume-draft]').click()
    assert form.locator('[name="note"]').input_value() == "A note."
    form.locator("[data-discard-draft]").click()
    form.wait_for(state="hidden")
    assert page.locator("[data-draft-notice]").count() == 0
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    assert form.locator('[name="note"]').input_value() == ""
    assert Claim.objects.count() == 0


def test_find_in_the_paper_counts_and_steps_through_the_hits(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    text = Paper.objects.get(slug="masuda-2010").text
    expected = [m.group(0) for m in re.finditer(r"shanghai\s+cooperation", text, re.IGNORECASE)]
    n = len(expected)
    assert n > 3
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    page.keyboard.press("/")
    find = page.locator("[data-find-input]")
    assert find.evaluate("element => element === document.activeElement")  # "/" went to the find field
    # At once, not key by key: on a loaded machine a pause between keys searches a prefix first ("shanghai").
    find.fill("shanghai cooperation")
    count = page.locator("[data-find-count]")
    wait_until(page, "() => document.querySelector('[data-find-count]').textContent !== ''")
    assert count.inner_text() == f"1 of {n}"
    current = "() => [...CSS.highlights.get('find-current')][0].toString()"
    assert page.evaluate("() => CSS.highlights.get('find-hit').size") == n
    assert page.evaluate(current) == expected[0]
    page.keyboard.press("Enter")
    assert count.inner_text() == f"2 of {n}"
    assert page.evaluate(current) == expected[1]
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    assert count.inner_text() == f"{n} of {n}"  # it wraps round
    page.locator("[data-find-next]").click()
    assert count.inner_text() == f"1 of {n}"
    page.locator("[data-find-prev]").click()
    assert count.inner_text() == f"{n} of {n}"
    # The current hit is scrolled into view.
    box = page.evaluate(
        "() => { const r = [...CSS.highlights.get('find-current')][0].getBoundingClientRect(); return [r.top, r.bottom]; }"
    )
    assert box[0] >= 0
    assert box[1] <= 900
    page.locator("[data-find-input]").fill("no such words anywhere")
    wait_until(page, "() => document.querySelector('[data-find-count]').textContent === 'no match'")
    assert page.evaluate("() => CSS.highlights.has('find-hit')") is False
    # Ctrl+F stays the browser's: the page does not take it.
    assert (
        page.evaluate(
            "() => { const e = new KeyboardEvent('keydown', {key: 'f', ctrlKey: true, bubbles: true, cancelable: true});"
            " document.body.dispatchEvent(e); return e.defaultPrevented; }"
        )
        is False
    )


def test_find_searches_the_text_as_seen_with_or_without_its_source(browser_page, e2e_analyst, shipped_corpus):
    """The markup is hidden until "Show source" shows it: find sees it only then, and searches again at the toggle."""
    page = browser_page.page
    assert "Architecture**" in Paper.objects.get(slug="masuda-2010").text
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    page.locator("[data-find-input]").fill("Architecture**")
    wait_until(page, "() => document.querySelector('[data-find-count]').textContent === 'no match'")
    page.locator("[data-show-source]").check()
    wait_until(page, "() => document.querySelector('[data-find-count]').textContent === '1 of 1'")
    assert page.evaluate("() => [...CSS.highlights.get('find-current')][0].toString()") == "Architecture**"
    page.locator("[data-show-source]").uncheck()
    wait_until(page, "() => document.querySelector('[data-find-count]').textContent === 'no match'")


@pytest.fixture
def varied_claims(shipped_corpus, e2e_analyst, e2e_other_analyst):
    paper = Paper.objects.get(slug="masuda-2010")
    words = ["regional security", "Shanghai Cooperation Organization", "United States", "observer status"]
    tag_a, tag_b = Tag.objects.get(slug="not-an-alliance"), Tag.objects.get(slug="us-competition")
    specs = [
        (words[0], "affirms", Status.PENDING, e2e_analyst, [tag_a], "Security first."),
        (words[1], "denies", Status.APPROVED, e2e_other_analyst, [tag_b], "Not an alliance at all."),
        (words[2], "denies", Status.PENDING, e2e_analyst, [tag_a, tag_b], "Against the United States."),
        (words[3], "qualifies", Status.APPROVED, e2e_analyst, [], "Observers only."),
    ]
    claims = []
    for quote, stance, status, by, tags, statement in specs:
        at = paper.text.lower().index(quote.lower())  # the first place find would go to
        claims.append(
            ClaimFactory(
                paper=paper,
                at=(at, at + len(quote)),
                stance=stance,
                status=status,
                created_by=by,
                tags=tags,
                statement=statement,
            )
        )
    return claims


def shown_statements(page):
    # The text, not innerText: items off screen skip their rendering (content-visibility), and innerText of
    # unrendered text is empty.
    items = page.locator("[data-claims-list] li[data-claim-id]:visible .statement")
    return [text.strip() for text in items.all_text_contents()]


def test_the_claims_panel_filter(browser_page, e2e_analyst, varied_claims):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    filters = page.locator("[data-claims-filter]")
    assert len(shown_statements(page)) == 4
    filters.locator('select[name="stance"]').select_option("denies")
    assert sorted(shown_statements(page)) == ["Against the United States.", "Not an alliance at all."]
    assert filters.locator("[data-filter-count]").inner_text() == "2 of 4 claims shown"
    # In the text, the claims left out are dimmed: painted only by the faint "claims-dimmed", the others in colour.
    affirms, denies, denies_too, qualifies = varied_claims
    assert page.locator("[data-paper-text]").get_attribute("data-dimmed-claims") == "2"
    for left_out in (affirms, qualifies):
        assert browser_page.highlights_of(left_out) == ["claims-dimmed"]
    for shown in (denies, denies_too):
        names = browser_page.highlights_of(shown)
        assert "claims-dimmed" not in names
        assert any(name.startswith("tag-") for name in names)
    filters.locator('select[name="tag"]').select_option("not-an-alliance")
    assert shown_statements(page) == ["Against the United States."]
    filters.locator('select[name="stance"]').select_option("")
    filters.locator('select[name="tag"]').select_option("")
    filters.locator('select[name="status"]').select_option("approved")
    assert sorted(shown_statements(page)) == ["Not an alliance at all.", "Observers only."]
    filters.locator('select[name="analyst"]').select_option("ana")
    assert shown_statements(page) == ["Observers only."]
    filters.locator('select[name="status"]').select_option("")
    filters.locator('select[name="analyst"]').select_option("")
    filters.locator('input[name="q"]').fill("united")
    assert shown_statements(page) == ["Against the United States."]
    filters.locator('input[name="q"]').fill("us-competition")  # the words of its tags too
    assert sorted(shown_statements(page)) == ["Against the United States.", "Not an alliance at all."]
    filters.locator('input[name="q"]').fill("")
    assert len(shown_statements(page)) == 4
    assert page.evaluate("() => CSS.highlights.has('claims-dimmed')") is False  # nothing left out, nothing dimmed
    assert page.locator("[data-paper-text]").get_attribute("data-dimmed-claims") == "0"
    # The filter holds when the panel is drawn again after a change.
    filters.locator('select[name="stance"]').select_option("qualifies")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    page.locator(FORM).locator('[name="statement"]').fill("A new one.")
    page.locator(FORM).locator('[name="statement"]').press("Enter")
    page.locator(FORM).wait_for(state="hidden")
    wait_until(page, "() => document.querySelectorAll('[data-claims-list] li[data-claim-id]').length === 5")
    assert shown_statements(page) == ["Observers only."]


def test_escape_in_the_link_form_keeps_what_was_typed(browser_page, e2e_analyst, varied_claims):
    """Esc closes the list of claims found first, then the popover; opening the claim again brings the "Link
    to…" form back as it was left (also after a reload), until the link is made."""
    page = browser_page.page
    source, target = varied_claims[0], varied_claims[1]
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    popover = page.locator("[data-claim-popover]")

    def open_source():
        page.locator(f'[data-claims-list] li[data-claim-id="{source.pk}"]').click()
        popover.locator("[data-statement]").wait_for()

    open_source()
    popover.locator("[data-link-to]").click()
    form = popover.locator("[data-link-form]")
    form.locator('[name="q"]').fill("alliance")
    results = form.locator("[data-link-results]")
    results.locator(f'li[data-claim-id="{target.pk}"] input[type="radio"]').check()
    form.locator('[name="relation"]').select_option("conflicts")
    form.locator('[name="rationale"]').fill("They read the SCO differently.")
    form.locator('[name="q"]').press("Escape")
    assert results.is_hidden()
    assert popover.is_visible()
    assert form.locator('[name="q"]').input_value() == "alliance"
    form.locator('[name="q"]').press("Escape")
    popover.wait_for(state="hidden")

    for reload in (False, True):
        if reload:
            page.reload()
            page.wait_for_selector("body[data-comfort-ready]")
        open_source()
        form.wait_for()
        assert form.get_attribute("data-draft") == "restored"
        assert form.locator('[name="q"]').input_value() == "alliance"
        assert form.locator('[name="relation"]').input_value() == "conflicts"
        assert form.locator('[name="rationale"]').input_value() == "They read the SCO differently."
        results.locator(f'li[data-claim-id="{target.pk}"] input[type="radio"]:checked').wait_for()
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        popover.wait_for(state="hidden")

    open_source()
    form.locator("button[type=submit]").click()
    popover.locator("[data-linked]").wait_for()
    link = Link.objects.get()
    assert (link.source_id, link.target_id, link.relation) == (source.pk, target.pk, "conflicts")
    assert link.rationale == "They read the SCO differently."
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('sco-claims:link-draft:'))") == []
    page.keyboard.press("Escape")
    open_source()
    assert popover.locator("[data-link-form]").count() == 0  # no draft left: the buttons, not the form


def test_the_table_of_contents_goes_to_a_heading(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    text = Paper.objects.get(slug="masuda-2010").text
    headings = re.findall(r"^#{1,6}[ \t]+(.+)$", text, re.MULTILINE)
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    entries = page.locator("[data-toc] [data-toc-entry]")
    assert entries.count() == len(headings)
    assert "CONCLUSION" in entries.all_inner_texts()
    assert "China's SCO Policy in the Regional Security Architecture" in entries.all_inner_texts()  # no ** left
    page.locator("[data-toc] [data-toc-entry]", has_text="CONCLUSION").click()
    # The heading's words, wherever the rendering puts its hidden "## " markup.
    top = page.evaluate(
        "() => { const t = document.querySelector('[data-paper-text]'); const w = document.createTreeWalker(t, 4);"
        " while (w.nextNode()) { const n = w.currentNode; const i = n.data.indexOf('CONCLUSION');"
        " if (i >= 0 && n.parentElement.closest('h1,h2,h3,h4,h5,h6,.md-h') && n.parentElement.offsetParent) {"
        " const r = document.createRange(); r.setStart(n, i);"
        " r.setEnd(n, i + 10); return r.getBoundingClientRect().top; } } }"
    )
    assert 0 <= top < 200


def test_moving_between_claims_and_opening_one_by_keyboard(browser_page, e2e_analyst, varied_claims):
    page = browser_page.page
    first = min(varied_claims, key=lambda c: c.start)
    second = sorted(varied_claims, key=lambda c: c.start)[1]
    browser_page.login(e2e_analyst)
    open_paper(browser_page)
    page.locator("[data-paper-text]").focus()
    popover = page.locator("[data-claim-popover]")
    page.keyboard.press("]")
    popover.locator("[data-statement]").wait_for()
    assert popover.locator("[data-statement]").inner_text() == first.statement
    wait_until(page, "() => document.querySelector('[data-claim-popover]').contains(document.activeElement)")
    page.keyboard.press("]")
    popover.locator(f'[data-statement]:text("{second.statement}")').wait_for()
    page.keyboard.press("[")
    popover.locator(f'[data-statement]:text("{first.statement}")').wait_for()
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    wait_until(page, "() => document.activeElement.matches('[data-paper-text]')")

    # Enter on the reading cursor inside a highlight opens that claim.
    find(page, "observer status")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")  # the cursor inside "observer"
    page.keyboard.press("Enter")
    popover.locator('[data-statement]:text("Observers only.")').wait_for()


def test_a_tall_popover_stays_inside_the_window_and_scrolls(browser, live_server, shipped_corpus):
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    paper = Paper.objects.get(slug="masuda-2010")
    at = paper.text.index(SENTENCE)
    claim = ClaimFactory(
        paper=paper,
        at=(at, at + len(SENTENCE)),
        created_by=analyst,
        statement="Long.",
        note="\n\n".join(f"- point {i}: " + "words " * 30 for i in range(40)),
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 700})
    page = context.new_page()
    try:
        login(page, live_server, analyst)
        page.goto("/papers/masuda-2010/")
        page.wait_for_selector("body[data-reader-ready]")
        page.locator(f'[data-claims-list] li[data-claim-id="{claim.pk}"]').click()
        popover = page.locator("[data-claim-popover]")
        popover.locator("[data-note]").wait_for()
        # Placed again once the smooth scroll to the passage has ended: inside the window.
        wait_until(
            page,
            "() => { const r = document.querySelector('[data-claim-popover]').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        )
        box = popover.bounding_box()
        assert box["height"] <= 700
        assert page.evaluate("(el) => el.scrollHeight > el.clientHeight", popover.element_handle())
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= 700
    finally:
        context.close()
