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
    wait_for_map(page, 6, 3)  # the claims no conflicts link touches are left out (c7, c8, c9)
    assert drawn(page) == [6, 3]
    page.check("[data-map-keep-unlinked]")  # unless kept
    wait_for_map(page, 9, 3)
    assert drawn(page) == [9, 3]
    assert "unlinked=keep" in page.url

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
    wait_for_map(page, 9, 4)  # approved only, even for a moderator; never the rejected claim or link
    assert "Counts approved claims and links." in page.locator("[data-counted-note]").inner_text()
    page.check("input[name=include]")
    wait_for_map(page, 10, 6)  # the pending claim, the pending link and the approved link to the pending claim
    assert "include=pending" in page.url
    pending = str(argument["claims"]["pending"].pk)
    assert page.evaluate(f"() => window.scoMap.getElementById('{pending}').data('status')") == "pending"
    assert page.evaluate(f"() => window.scoMap.getElementById('{pending}').style('border-style')") == "dashed"
    page.uncheck("input[name=include]")
    wait_for_map(page, 9, 4)
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


def test_a_matrix_cell_opens_its_quotes_and_its_reports(page, live_server, reader, argument):
    c = argument["claims"]
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/compare/")
    page.wait_for_selector("table[data-stance-matrix][data-state=ready]")
    headers = page.locator("table[data-stance-matrix] thead th[data-column]")
    assert headers.evaluate_all("ths => ths.map(th => th.dataset.column)") == ["Li Xin", MASUDA, PAN, "Su Hao"]
    assert page.locator("tr[data-tag=not-an-alliance]").get_attribute("data-contested") == "true"
    assert page.locator("tr[data-tag=shanghai-spirit]").get_attribute("data-contested") == "false"
    assert page.locator("[data-counting-rule]").inner_text().startswith("Each author of a paper")
    assert "Counts approved claims and links." in page.locator("[data-counted-note]").inner_text()

    # the headline row by author: Masuda's own affirmation, and the Qi Guowei he quotes, shown apart
    masuda = page.locator(f'button[data-cell][data-tag=not-an-alliance][data-column="{MASUDA}"]')
    assert (masuda.get_attribute("data-total"), masuda.get_attribute("data-reports")) == ("1", "1")
    assert masuda.locator(".rep").inner_text() == "❝1"

    page.click(f'button[data-cell][data-tag=not-an-alliance][data-column="{PAN}"]')
    quotes = page.locator("[data-quotes]")
    quotes.wait_for(state="visible")
    cell_quotes = quotes.locator("[data-cell-quotes]")
    assert cell_quotes.locator(".quote-card").count() == 2  # Pan's denial and the Su Hao he reports
    assert cell_quotes.locator(f'.quote-card[data-claim-id="{c[6].pk}"] blockquote').inner_text() == c[6].exact
    assert cell_quotes.locator("a").first.get_attribute("href") == f"/papers/pan-2006/#claim-{c[6].pk}"
    assert quotes.locator("[data-reported-heading]").count() == 1
    assert quotes.locator(f'.quote-card.reported[data-claim-id="{c[8].pk}"]').count() == 1

    # three disagreements by author, one per pair of claims, each with its reasons and both quotes
    items = page.locator("[data-disagreements-list] > li")
    assert items.count() == 3
    assert page.locator("[data-disagreements-count]").get_attribute("data-total") == "3"
    assert items.first.locator("ul.why > li").all_inner_texts() == [
        "conflicts link",
        "opposite stances on not-an-alliance",
    ]
    assert items.first.locator("blockquote").count() == 2
    agreements = page.locator("[data-agreements-list] > li")
    assert agreements.count() == 1
    assert agreements.first.locator("ul.why > li").all_inner_texts() == [
        "supports link", "the same stance on not-an-alliance (affirms)"
    ]  # fmt: skip

    page.select_option("select[name=by]", "country")  # Chinese against Japanese authors, one click
    page.wait_for_function(
        "() => [...document.querySelectorAll('table[data-stance-matrix] thead th[data-column]')]"
        ".map(th => th.dataset.column).join() === 'China,Japan'"
    )
    assert page.locator("[data-disagreements-list] > li").count() == 2
    assert page.locator("[data-counting-rule]").inner_text().startswith("The countries of a paper's authors")

    page.select_option("select[name=by]", "paper")
    page.wait_for_function(
        "() => document.querySelector('table[data-stance-matrix] thead th[data-column]').dataset.column === 'masuda-2010'"
    )
    page.click('button[data-cell][data-tag=not-an-alliance][data-column="masuda-2010"]')
    page.wait_for_function("() => document.querySelector('[data-quotes]').dataset.column === 'masuda-2010'")
    # Masuda's own and the quoted Qi Guowei, apart
    assert quotes.locator("[data-cell-quotes] .quote-card").count() == 2
    assert quotes.locator("[data-cell-quotes] .quote-card.reported").count() == 1
    assert "by=paper" in page.url
    link = page.locator("[data-network-downloads] a[data-kind=conflict][data-format=graphml]")
    assert link.get_attribute("href") == "/api/v1/export/network/conflict.graphml?by=paper"


def test_the_pending_switch_on_the_comparison(page, live_server, moderator, argument):
    c = argument["claims"]
    login(page, live_server, moderator)
    page.goto(f"{live_server.url}/compare/")
    page.wait_for_selector("table[data-stance-matrix][data-state=ready]")
    pan = f'button[data-cell][data-tag=not-an-alliance][data-column="{PAN}"]'
    assert page.get_attribute(pan, "data-pending") == "0"
    assert page.locator("[data-agreements-list] > li").count() == 1
    # the rejected claim (Pan denies anti-us) is nowhere, even for a moderator
    assert page.locator(f'button[data-cell][data-tag=anti-us][data-column="{PAN}"]').count() == 0

    page.check("input[name=include]")
    page.wait_for_function(
        "() => document.querySelector('table[data-stance-matrix]').dataset.counted === 'approved,pending'"
        " && document.querySelector('table[data-stance-matrix]').dataset.state === 'ready'"
    )
    assert "include=pending" in page.url
    cell = page.locator(pan)
    assert (cell.get_attribute("data-total"), cell.get_attribute("data-pending")) == ("2", "1")
    assert "has-pending" in cell.get_attribute("class")
    assert page.locator("[data-agreements-list] > li").count() == 4
    assert page.locator("[data-agreements-list] > li[data-pending=true]").count() == 3
    assert page.locator("[data-disagreements-list] > li").count() == 3
    cell.click()
    card = page.locator(f'[data-cell-quotes] .quote-card[data-claim-id="{c["pending"].pk}"]')
    card.wait_for(state="visible")
    assert "pending" in card.get_attribute("class")
    assert card.locator(".pending-badge").inner_text() == "pending"
    link = page.locator("[data-network-downloads] a[data-kind=congruence][data-format=csv]")
    assert link.get_attribute("href") == "/api/v1/export/network/congruence.csv?by=author&include=pending"

    page.uncheck("input[name=include]")
    page.wait_for_function(
        "() => document.querySelector('table[data-stance-matrix]').dataset.counted === 'approved'"
        " && document.querySelector('table[data-stance-matrix]').dataset.state === 'ready'"
    )
    assert page.get_attribute(pan, "data-pending") == "0"


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
