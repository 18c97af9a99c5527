"""The argument map and the stance matrix in headless Chromium: what is drawn, filtering, and the quotes."""

import pytest

from tests.discourse_set import MASUDA, PAN, build_argument
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAP = "[data-argument-map]"


@pytest.fixture
def argument(moderator):
    return build_argument(moderator)


def wait_for_map(page, nodes, edges):
    page.wait_for_function(
        f"""([n, e]) => {{ const el = document.querySelector('{MAP}');
             return el.dataset.state === 'ready' && el.dataset.nodeCount === String(n) && el.dataset.edgeCount === String(e); }}""",
        arg=[nodes, edges],
    )
    return page.locator(MAP)


def drawn(page):
    return page.evaluate("() => [window.scoMap.nodes('.claim').length, window.scoMap.edges().length]")


def test_the_map_draws_the_visible_claims_and_links_and_filters_change_them(page, live_server, reader, argument):
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/map/")
    element = wait_for_map(page, 9, 4)  # the reader sees the 9 approved claims
    assert drawn(page) == [9, 4]
    assert page.locator("head style").count() == 0  # nothing inline for a strict Content-Security-Policy

    page.select_option("select[name=tag]", "us-competition")  # with its sub-tag anti-us: c3, c5 and L3
    wait_for_map(page, 2, 1)
    assert drawn(page) == [2, 1]
    assert "tag=us-competition" in page.url

    page.select_option("select[name=tag]", "")
    page.select_option("select[name=relation]", "conflicts")
    wait_for_map(page, 9, 3)
    assert drawn(page) == [9, 3]

    page.select_option("select[name=paper]", "pan-2006")
    wait_for_map(page, 3, 0)
    assert drawn(page) == [3, 0]

    page.select_option("select[name=layout]", "author")
    assert element.get_attribute("data-layout") == "author"
    assert page.evaluate("() => window.scoMap.nodes('.group-label').map(n => n.data('label'))") == [PAN]


def test_the_map_search_and_the_node_panel(page, live_server, moderator, argument):
    c6 = argument["claims"][6]
    login(page, live_server, moderator)
    page.goto(f"{live_server.url}/map/")
    wait_for_map(page, 10, 6)
    page.fill("[data-map-search]", "pan-2006 denies")
    page.wait_for_function(f"() => document.querySelector('{MAP}').dataset.matchCount === '1'")
    assert page.evaluate("() => window.scoMap.nodes('.match').map(n => n.id())") == [str(c6.pk)]

    page.evaluate(
        f"() => {{ window.scoMap.getElementById('{c6.pk}').emit('tap'); }}"
    )  # return nothing: a collection is huge
    panel = page.locator("[data-map-detail]")
    panel.wait_for(state="visible")
    assert panel.locator("blockquote.quote").inner_text() == c6.exact
    assert "pan-2006 denies" in panel.inner_text()
    assert panel.locator("ul.links li").count() == 1  # c6 conflicts c1
    href = panel.locator("[data-open-reader]").get_attribute("href")
    assert href == f"/papers/pan-2006/#claim-{c6.pk}"

    with page.expect_download() as download:
        page.click("[data-map-png]")
    assert download.value.suggested_filename == "argument-map.png"


def test_a_matrix_cell_opens_its_quotes(page, live_server, reader, argument):
    c = argument["claims"]
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/compare/")
    page.wait_for_selector("table[data-stance-matrix][data-state=ready]")
    headers = page.locator("table[data-stance-matrix] thead th[data-column]")
    assert headers.evaluate_all("ths => ths.map(th => th.dataset.column)") == ["Li Xin", MASUDA, PAN, "Su Hao"]
    assert page.locator("tr[data-tag=not-an-alliance]").get_attribute("data-contested") == "true"
    assert page.locator("tr[data-tag=shanghai-spirit]").get_attribute("data-contested") == "false"

    page.click(f'button[data-cell][data-tag=not-an-alliance][data-column="{PAN}"]')
    quotes = page.locator("[data-quotes]")
    quotes.wait_for(state="visible")
    assert quotes.locator(".quote-card").count() == 1
    assert quotes.locator(f'.quote-card[data-claim-id="{c[6].pk}"] blockquote').inner_text() == c[6].exact
    assert quotes.locator("a").first.get_attribute("href") == f"/papers/pan-2006/#claim-{c[6].pk}"

    # five disagreements by author, each with both quotes
    items = page.locator("[data-disagreements-list] > li")
    assert items.count() == 5
    assert items.first.locator("blockquote").count() == 2

    page.select_option("select[name=by]", "paper")
    page.wait_for_function(
        "() => document.querySelectorAll('table[data-stance-matrix] thead th[data-column]').length === 3"
    )
    page.click('button[data-cell][data-tag=not-an-alliance][data-column="masuda-2010"]')
    page.wait_for_function("() => document.querySelector('[data-quotes]').dataset.column === 'masuda-2010'")
    assert quotes.locator(".quote-card").count() == 2  # Masuda's own and the quoted Qi Guowei
    assert "by=paper" in page.url
    link = page.locator("[data-network-downloads] a[data-kind=conflict][data-format=graphml]")
    assert link.get_attribute("href") == "/api/v1/export/network/conflict.graphml?by=paper"


STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(("url", "ready"), [
    ("/map/", "[data-argument-map][data-state=ready]"),
    ("/compare/", "table[data-stance-matrix][data-state=ready]"),
])  # fmt: skip
def test_the_pages_work_under_a_strict_content_security_policy(page, live_server, reader, argument, url, ready):
    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.add_init_script(
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    login(page, live_server, reader)
    page.route(f"{live_server.url}{url}", with_csp)
    page.goto(f"{live_server.url}{url}")
    page.wait_for_selector(ready)
    assert page.evaluate("() => window.cspViolations") == []
