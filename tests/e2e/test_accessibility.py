"""axe-core on every page (no serious or critical violation), the pages at 375 px, the 403 and 404 pages'
navigation, and the favicon.

axe-core is vendored under tests/e2e/vendor/axe-core (a test-only asset, MPL-2.0, see its LICENSE and
docs/frontend.md): it is injected as a Playwright init script, which the pages' CSP does not apply to."""

from pathlib import Path

import pytest

from annotations.models import Claim, Paper, Role
from search import indexing as search_index
from tests.discourse_set import build_argument
from tests.factories import UserFactory

from .conftest import login, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# The violations a test fails on; minor and moderate ones are reported by axe but left to judgement.
SERIOUS = ("serious", "critical")

RUN_AXE = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} :: ${n.failureSummary.replace(/\\s+/g, " ")}`),
  }));
}
"""


@pytest.fixture
def axe_page(browser, live_server, roles):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
    assert not page.errors, f"JavaScript errors on the page: {page.errors}"


@pytest.fixture
def argument(moderator):
    return build_argument(moderator)


def assert_no_serious_violation(page, where):
    violations = page.evaluate(RUN_AXE)
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert serious == [], f"axe on {where}:\n" + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in serious
    )


def test_axe_finds_nothing_serious_on_the_login_page(axe_page):
    axe_page.goto("/accounts/login/")
    assert_no_serious_violation(axe_page, "login")


def test_axe_finds_nothing_serious_on_the_pages_of_a_moderator(axe_page, live_server, moderator, argument):
    login(axe_page, live_server, moderator)
    claim = argument["claims"][1]
    pages = {
        "papers": "/papers/",
        "moderation": "/moderation/",
        "history": f"/claims/{claim.pk}/history/",
        "search with results": "/search/?q=alliance+OR+china+OR+sco",
    }
    search_index.papers_indexed(Paper.objects.values_list("pk", flat=True))  # the world is made by factories
    for name, path in pages.items():
        axe_page.goto(path)
        assert_no_serious_violation(axe_page, name)
    axe_page.goto("/compare/")
    axe_page.locator("button.cell").first.wait_for()
    assert axe_page.locator("button.cell.strong").count() > 0  # full colour under white text is checked too
    assert_no_serious_violation(axe_page, "compare")
    axe_page.locator("button.cell").first.click()
    axe_page.locator(".quote-card").first.wait_for()
    assert_no_serious_violation(axe_page, "compare with a cell's quotes open")
    axe_page.goto("/map/")
    wait_until(axe_page, "document.querySelector('[data-argument-map]').dataset.state === 'ready'")
    assert_no_serious_violation(axe_page, "map")


def test_axe_finds_nothing_serious_in_the_reader_with_claims_the_form_and_the_popover(
    axe_page, live_server, moderator, argument
):
    login(axe_page, live_server, moderator)
    claim = argument["claims"][1]
    axe_page.goto("/papers/masuda-2010/")
    axe_page.wait_for_selector("body[data-comfort-ready]")
    assert (
        axe_page.locator("[data-claims-list] li[data-claim-id]").count()
        == Claim.objects.filter(paper__slug="masuda-2010").count()
    )
    assert_no_serious_violation(axe_page, "reader")

    axe_page.locator(f'[data-claims-list] li[data-claim-id="{claim.pk}"]').click()
    axe_page.locator("[data-claim-popover] [data-statement]").wait_for()
    axe_page.locator("[data-claim-popover] [data-links] li, [data-claim-popover] [data-links] .hint").first.wait_for()
    assert_no_serious_violation(axe_page, "reader with the popover open")

    axe_page.keyboard.press("Escape")
    axe_page.locator("[data-paper-text]").focus()
    axe_page.keyboard.press("Shift+ArrowRight")
    axe_page.keyboard.press("a")
    form = axe_page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    form.locator('[name="tags"]').fill("n")  # the suggestion list open too
    axe_page.locator("[data-tag-suggestions]").wait_for()
    assert_no_serious_violation(axe_page, "reader with the claim form open")


@pytest.mark.parametrize(
    "path", ["/papers/", "/papers/masuda-2010/", "/moderation/", "/map/", "/compare/", "/search/?q=alliance"]
)
def test_pages_fit_a_375_px_screen_and_log_out_is_reachable(browser, live_server, roles, moderator, argument, path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        login(page, live_server, moderator)
        page.goto(path)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide"
        box = page.get_by_role("button", name="Log out").bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
    finally:
        context.close()


def test_403_and_404_pages_carry_the_navigation(page, live_server, roles):
    nobody = UserFactory(username="norole", role=None)
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    login(page, live_server, analyst)
    response = page.goto("/papers/no-such-paper/")
    assert response.status == 404
    assert page.locator("header.site-header nav").get_by_role("link", name="Papers").count() == 1
    assert page.get_by_role("button", name="Log out").count() == 1
    response = page.goto("/moderation/")
    assert response.status == 403
    assert page.locator("header.site-header nav").get_by_role("link", name="Papers").count() == 1
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, nobody)
    response = page.goto("/papers/")
    assert response.status == 403
    assert page.get_by_role("button", name="Log out").count() == 1


def test_the_favicon_is_linked_and_served(page, live_server, roles):
    page.goto("/accounts/login/")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()
    assert page.request.get("/favicon.ico").status == 200
