"""The reader works under a strict Content-Security-Policy: no inline script, style or handler anywhere."""

import pytest

from annotations.models import Claim

from .conftest import wait_until
from .test_reader import SENTENCE, fill_claim_form

pytestmark = pytest.mark.e2e

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def test_reader_under_a_strict_csp(browser_page, e2e_analyst, shipped_corpus, csp_violations):
    page = browser_page.page

    def with_csp(route):
        response = route.fetch(max_redirects=0)
        headers = {**response.headers, "content-security-policy": STRICT}
        route.fulfill(response=response, headers=headers)

    page.route("**/*", with_csp)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    browser_page.login(e2e_analyst)
    browser_page.open_paper("masuda-2010")
    browser_page.select_text(SENTENCE)
    page.keyboard.press("a")
    form = fill_claim_form(page, "Under CSP.", tags="not-an-alliance")
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")
    claim = Claim.objects.get()
    browser_page.wait_painted(claim)
    # The codebook colour arrives through CSSOM (a constructed sheet), which the policy allows.
    assert "tag-not-an-alliance" in browser_page.highlights_of(claim)
    colour = page.locator("[data-paper-text]").evaluate(
        "t => getComputedStyle(t, '::highlight(tag-not-an-alliance)').backgroundColor"
    )
    assert colour == "rgba(31, 119, 180, 0.28)"
    browser_page.click_claim(claim)
    page.locator("[data-claim-popover] [data-statement]").wait_for()
    assert violations == []
    # The policy is in force: an inline script is refused.
    ran = page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1';"
        " document.body.append(s); return window.__inline === 1; }"
    )
    assert ran is False
    wait_until(page, "() => true")  # let the refusal's events arrive
    assert violations
    assert any("script-src" in found for found in csp_violations.take())  # planted here: the policy refused it
    # That refusal is the one script error this test expects.
    browser_page.errors[:] = [e for e in browser_page.errors if "Content Security Policy" not in e]
    page.unroute_all(behavior="ignoreErrors")  # requests still in flight when the page closes
