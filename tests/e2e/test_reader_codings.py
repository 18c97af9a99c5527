"""A stance for each tag in the reader: flip one tag's chip in the claim form, save, see it in the API and
in the popover after a reload."""

import pytest

from annotations.models import Claim

from .test_reader import SENTENCE, fill_claim_form

pytestmark = pytest.mark.e2e


def test_flip_the_stance_of_one_tag_save_and_see_it_after_reload(browser_page, e2e_analyst, shipped_corpus):
    page = browser_page.page
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.dispatch_event("[data-paper-text]", "mouseup")
    form = fill_claim_form(
        page, "Not aimed at the US, and open to growth.", stance="denies", tags="anti-us, enlargement"
    )
    chips = form.locator("[data-codings] [data-coding]")
    assert chips.count() == 2
    assert [chips.nth(i).get_attribute("data-stance") for i in range(2)] == ["denies", "denies"]

    enlargement = form.locator('[data-coding="enlargement"]')
    enlargement.click()  # denies → qualifies
    assert enlargement.get_attribute("data-stance") == "qualifies"
    page.keyboard.press("Enter")  # the chip keeps the focus: Enter flips again, it does not save
    assert form.locator('[data-coding="enlargement"]').get_attribute("data-stance") == "affirms"
    assert form.is_visible()
    # The claim's stance moves the tags that follow it, not the one set apart.
    form.locator('[name="stance"]').select_option("qualifies")
    assert form.locator('[data-coding="anti-us"]').get_attribute("data-stance") == "qualifies"
    assert form.locator('[data-coding="enlargement"]').get_attribute("data-stance") == "affirms"
    form.locator('[name="stance"]').select_option("denies")
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")

    claim = Claim.objects.get()
    assert claim.stance == "denies"
    body = page.evaluate(
        "async (id) => (await fetch(`/api/v1/claims/${id}/`, {credentials: 'same-origin'})).json()", str(claim.pk)
    )
    assert body["codings"] == [{"tag": "anti-us", "stance": "denies"}, {"tag": "enlargement", "stance": "affirms"}]

    page.reload()
    page.wait_for_selector("body[data-reader-ready]")
    browser_page.click_claim(claim)
    popover = page.locator("[data-claim-popover]")
    popover.locator("[data-statement]").wait_for()
    codings = popover.locator("[data-coding]")
    assert [
        (codings.nth(i).get_attribute("data-coding"), codings.nth(i).get_attribute("data-stance")) for i in range(2)
    ] == [
        ("anti-us", "denies"),
        ("enlargement", "affirms"),
    ]
    assert "affirms" in popover.locator('[data-coding="enlargement"]').inner_text()

    # Editing the claim shows the chips as saved.
    popover.locator("[data-edit]").click()
    form.wait_for(state="visible")
    assert form.locator('[data-coding="enlargement"]').get_attribute("data-stance") == "affirms"
    assert form.locator('[data-coding="anti-us"]').get_attribute("data-stance") == "denies"
