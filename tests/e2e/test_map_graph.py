"""The argument graph in headless Chromium: unlinked claims under a filter, a claim under each of its tags,
labels apart and legible, PNG and SVG of the whole graph, the list view in step with the canvas, and the
graph beside the stance matrix."""

import base64
import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotations.models import Claim, Coding, Link, Status
from tests.discourse_set import build_argument
from tests.e2e.conftest import login
from tests.factories import AuthorFactory, PaperFactory, TagFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAP = "[data-argument-map]"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def argument(moderator):
    return build_argument(moderator)


def wait_for_map(page, nodes, edges):
    page.wait_for_function(
        f"""([n, e]) => {{ const el = document.querySelector('{MAP}');
             return el.dataset.state === 'ready' && el.dataset.nodeCount === String(n) && el.dataset.edgeCount === String(e); }}""",
        arg=[nodes, edges],
    )


def claims_drawn(page) -> set[str]:
    return set(page.evaluate("() => window.scoMap.nodes('.claim').map(n => n.data('claim'))"))


def test_a_relation_filter_hides_the_claims_no_shown_link_touches(page, live_server, reader, argument):
    c = argument["claims"]
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/map/?relation=supports")
    wait_for_map(page, 2, 1)  # only c4 supports c1
    assert claims_drawn(page) == {str(c[1].pk), str(c[4].pk)}
    page.check("[data-map-keep-unlinked]")
    wait_for_map(page, 9, 1)
    page.uncheck("[data-map-keep-unlinked]")
    page.select_option("select[name=relation]", "")
    page.select_option("select[name=tag]", "shanghai-spirit")  # c4 and c7, no link between them
    wait_for_map(page, 0, 0)
    page.check("[data-map-keep-unlinked]")
    wait_for_map(page, 2, 0)
    assert claims_drawn(page) == {str(c[4].pk), str(c[7].pk)}


def test_grouped_by_tag_a_two_tag_claim_is_under_both_tags_and_marked_as_the_same(page, live_server, reader, argument):
    c4 = str(argument["claims"][4].pk)  # not-an-alliance and shanghai-spirit
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/map/?layout=tag")
    wait_for_map(page, 9, 4)
    places = page.evaluate(
        "() => window.scoMap.nodes('.claim').map(n => [n.data('claim'), n.data('group'), n.hasClass('copy')])"
    )
    assert sorted((group, copy) for claim, group, copy in places if claim == c4) == [
        ("not-an-alliance", False), ("shanghai-spirit", True)
    ]  # fmt: skip
    # every (claim, tag) pair has its node in that tag's block, once
    tags = {str(claim.pk): sorted(t.slug for t in claim.tags.all()) or ["(untagged)"]
            for key, claim in argument["claims"].items() if key in range(1, 10)}  # fmt: skip
    assert sorted((claim, group) for claim, group, _ in places) == sorted(
        (claim, tag) for claim, slugs in tags.items() for tag in slugs
    )
    assert (
        page.evaluate(f"() => window.scoMap.getElementById('{c4}@shanghai-spirit').style('border-style')") == "double"
    )
    # picking the copy picks the claim: both places marked, its panel open
    page.evaluate(f"() => {{ window.scoMap.getElementById('{c4}@shanghai-spirit').emit('tap'); }}")
    assert page.evaluate("() => window.scoMap.nodes(':selected').map(n => n.data('claim'))") == [c4, c4]
    page.locator("[data-map-detail] blockquote.quote").wait_for()
    assert page.locator(MAP).get_attribute("data-selected") == c4


BOXES = """() => window.scoMap.nodes('.claim, .group-label').map(n => {
  const b = n.boundingBox({includeLabels: true}); return [n.id(), b.x1, b.y1, b.x2, b.y2]; })"""


@pytest.mark.parametrize("layout", ["cose", "tag", "author"])
def test_labels_are_wrapped_legible_and_never_overlap_at_the_first_view(page, live_server, reader, argument, layout):
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/map/?layout={layout}")
    wait_for_map(page, 9, 4)
    boxes = page.evaluate(BOXES)
    for i, (a, ax1, ay1, ax2, ay2) in enumerate(boxes):
        for b, bx1, by1, bx2, by2 in boxes[i + 1 :]:
            assert ax2 <= bx1 or bx2 <= ax1 or ay2 <= by1 or by2 <= ay1, f"{a} and {b} overlap"
    assert (
        page.evaluate(
            "() => window.scoMap.zoom() * window.scoMap.nodes('.claim').first().style('font-size').replace('px', '')"
        )
        >= 8.5
    )  # labels drawn at 8.5 px or more
    assert page.evaluate("() => window.scoMap.nodes('.claim').every(n => n.style('label') !== '')")
    labels = page.evaluate("() => window.scoMap.edges().map(e => e.style('label'))")
    assert sorted(labels) == ["conflicts", "conflicts", "conflicts", "supports"]  # links say their relation
    legend = page.locator("[data-map-legend]").inner_text()
    for word in ("affirms", "denies", "qualifies", "supports", "conflicts", "restates", "pending", "same claim"):
        assert word in legend


# Each node's colour, sampled at its centre in the exported PNG (scaled from graph to image coordinates).
SAMPLE_PNG = """async (png) => {
  const cy = window.scoMap;
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const box = cy.elements().boundingBox();
  const scale = image.width / box.w;
  return cy.nodes('.claim').map(n => {
    const p = n.position();
    const [r, g, b] = context.getImageData(Math.round((p.x - box.x1) * scale), Math.round((p.y - box.y1) * scale), 1, 1).data;
    return [n.id(), n.data('colour'), [r, g, b]];
  });
}"""


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_png_and_svg_exports_hold_every_node_whatever_the_viewport(page, live_server, reader, argument):
    c1 = str(argument["claims"][1].pk)
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/map/")
    wait_for_map(page, 9, 4)
    # zoomed in on one claim: most of the graph is off screen
    page.evaluate(f"() => {{ const cy = window.scoMap; cy.zoom(4); cy.center(cy.getElementById('{c1}')); }}")
    visible = page.evaluate(
        "() => { const e = window.scoMap.extent(); return window.scoMap.nodes('.claim').filter(n => {"
        " const p = n.position(); return p.x > e.x1 && p.x < e.x2 && p.y > e.y1 && p.y < e.y2; }).length; }"
    )
    assert visible < 9

    with page.expect_download() as download:
        page.click("[data-map-png]")
    assert download.value.suggested_filename == "argument-map.png"
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    samples = page.evaluate(SAMPLE_PNG, base64.b64encode(png).decode())
    assert len(samples) == 9
    for node, colour, found in samples:
        assert all(abs(x - y) <= 12 for x, y in zip(found, rgb(colour), strict=True)), (node, colour, found)

    with page.expect_download() as download:
        page.click("[data-map-svg]")
    assert download.value.suggested_filename == "argument-map.svg"
    svg = ET.parse(download.value.path()).getroot()
    x, y, w, h = map(float, svg.get("viewBox").split())
    claims = svg.findall(f".//{SVG}g[@class='claim']")
    expected = {str(argument["claims"][k].pk) for k in range(1, 10)}
    assert {g.get("data-claim-id") for g in claims} == expected
    for g in claims:
        shape = next(child for child in g if child.tag in (f"{SVG}ellipse", f"{SVG}polygon", f"{SVG}rect"))
        if shape.tag == f"{SVG}ellipse":
            cx, cy = float(shape.get("cx")), float(shape.get("cy"))
        elif shape.tag == f"{SVG}rect":
            cx, cy = float(shape.get("x")), float(shape.get("y"))
        else:
            cx, cy = map(float, shape.get("points").split()[0].split(","))
        assert x <= cx <= x + w
        assert y <= cy <= y + h
        assert g.find(f"{SVG}text").find(f"{SVG}tspan").text  # its label
    links = svg.findall(f".//{SVG}g[@class='link']")
    assert sorted(g.get("data-relation") for g in links) == ["conflicts", "conflicts", "conflicts", "supports"]
    assert sorted(g.find(f"{SVG}text").text for g in links) == ["conflicts", "conflicts", "conflicts", "supports"]


def test_the_list_view_is_in_step_with_the_canvas(page, live_server, reader, argument):
    c = argument["claims"]
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/map/")
    wait_for_map(page, 9, 4)
    page.locator("[data-map-list] summary").focus()
    page.keyboard.press("Enter")  # opens the list view
    claims = page.locator("[data-map-list-claims] .map-list-item")
    claims.first.wait_for()  # built when first opened
    assert claims.count() == 9
    assert page.locator("[data-map-list-links] .map-list-item").count() == 4
    assert page.locator("[data-map-list-claims-count]").inner_text() == "Claims (9)"

    claims.first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    third = page.evaluate("() => document.activeElement.dataset.id")
    assert third == claims.nth(2).get_attribute("data-id")
    page.keyboard.press("Enter")  # picks it on the canvas too
    assert page.locator(MAP).get_attribute("data-selected") == third
    assert page.evaluate("() => window.scoMap.nodes(':selected').map(n => n.id())") == [third]
    assert claims.nth(2).get_attribute("aria-pressed") == "true"
    page.locator("[data-map-detail] blockquote.quote").wait_for()

    # a link from the list selects the edge on the canvas
    link = page.locator("[data-map-list-links] .map-list-item").first
    link.focus()
    page.keyboard.press("Space")
    edge = link.get_attribute("data-id")
    assert page.evaluate("() => window.scoMap.edges(':selected').map(e => e.id())") == [edge]
    assert page.locator("[data-map-detail] h2").inner_text().split(" ")[0] in ("supports", "conflicts")

    # and a claim picked on the canvas is marked in the list
    c6 = str(c[6].pk)
    page.evaluate(f"() => {{ window.scoMap.getElementById('{c6}').emit('tap'); }}")
    pressed = page.locator('[data-map-list] .map-list-item[aria-pressed="true"]')
    assert pressed.count() == 1
    assert pressed.get_attribute("data-id") == c6
    assert "denies" in pressed.inner_text()
    page.evaluate("() => { window.scoMap.emit('tap'); }")  # the background: nothing picked
    assert page.locator('[data-map-list] .map-list-item[aria-pressed="true"]').count() == 0


def test_compare_opens_the_graph_of_a_cell_and_of_a_contested_row_beside_the_matrix(
    page, live_server, reader, argument
):
    c = argument["claims"]
    login(page, live_server, reader)
    page.goto(f"{live_server.url}/compare/")
    page.wait_for_selector("table[data-stance-matrix][data-state=ready]")

    page.click("button[data-row-open][data-tag=not-an-alliance]")  # a contested row
    panel = page.locator("[data-quotes]")
    page.wait_for_selector("[data-quotes] [data-compare-graph][data-state=ready]")
    graph = panel.locator("[data-compare-graph]")
    # every claim of the row (own and reported): c1, c2, c4, c6, c8; and the links between them: L1, L2, L4
    assert (graph.get_attribute("data-node-count"), graph.get_attribute("data-edge-count")) == ("5", "3")
    assert panel.locator("canvas").count() > 0  # drawn by the same code as /map/
    # of the page's three disagreements, the two about not-an-alliance (c6 against c1 and c4), not c3-c5's
    pairs = panel.locator("[data-tag-disagreements] ol > li")
    assert pairs.count() == 2
    for i in range(2):
        assert pairs.nth(i).locator("blockquote").count() == 2  # both quotes
    shown = set(pairs.locator(".quote-card").evaluate_all("cards => cards.map(c => c.dataset.claimId)"))
    assert shown == {str(c[k].pk) for k in (1, 4, 6)}

    pan = "Pan Guang"
    page.click(f'button[data-cell][data-tag=not-an-alliance][data-column="{pan}"]')
    page.wait_for_function(
        "() => { const g = document.querySelector('[data-quotes] [data-compare-graph]');"
        " return g && g.dataset.state === 'ready' && g.dataset.nodeCount === '2'; }"
    )  # Pan's c6 and the c8 he reports
    assert panel.locator("[data-cell-quotes] .quote-card").count() == 2
    assert panel.locator("[data-tag-disagreements] ol > li").count() == 2  # c6 against c1 and against c4


@pytest.fixture
def large_map(moderator):
    """700 approved claims over three papers (two authors each), each linked to the next: a large map."""
    papers = [PaperFactory(slug=f"big-{i}", authors=[AuthorFactory(), AuthorFactory()]) for i in range(3)]
    tag = TagFactory(slug="big")
    claims = [
        Claim(paper=papers[i % 3], start=i % 40, end=i % 40 + 10, exact=papers[i % 3].text[i % 40 : i % 40 + 10],
              statement=f"Statement {i}", stance=("affirms", "denies", "qualifies")[i % 3], created_by=moderator,
              status=Status.APPROVED)
        for i in range(700)
    ]  # fmt: skip
    Claim.objects.bulk_create(claims)
    Coding.objects.bulk_create(Coding(claim_id=c.pk, tag_id=tag.pk, stance=c.stance) for c in claims)
    Link.objects.bulk_create(
        Link(source=a, target=b, relation="supports", created_by=moderator, status=Status.APPROVED)
        for a, b in itertools.pairwise(claims)
    )
    return claims


def test_a_large_map_is_drawn_on_a_canvas_in_step_with_the_list_and_exported_whole(
    page, live_server, moderator, large_map
):
    login(page, live_server, moderator)
    page.goto(f"{live_server.url}/map/")
    wait_for_map(page, 700, 699)
    root = page.locator(MAP)
    assert root.get_attribute("data-engine") == "canvas"
    assert root.get_attribute("data-layout") == "author"
    page.locator("[data-map-list] summary").click()
    first = page.locator("[data-map-list-claims] .map-list-item").first
    first.click()  # picked from the list: picked on the canvas, its panel open
    claim = first.get_attribute("data-id")
    assert root.get_attribute("data-selected") == claim
    page.locator("[data-map-detail] blockquote.quote").wait_for()

    with page.expect_download() as download:
        page.click("[data-map-svg]")
    svg = ET.parse(download.value.path()).getroot()
    vx, vy, vw, vh = map(float, svg.get("viewBox").split())
    nodes = []
    for g in svg.findall(f".//{SVG}g[@class='claim']"):
        shape = next(child for child in g if child.tag in (f"{SVG}ellipse", f"{SVG}polygon", f"{SVG}rect"))
        if shape.tag == f"{SVG}ellipse":
            x, y = float(shape.get("cx")), float(shape.get("cy"))
        elif shape.tag == f"{SVG}rect":
            x, y = float(shape.get("x")) + 11, float(shape.get("y")) + 11
        else:
            x, y = map(float, shape.get("points").split()[0].split(","))
            y += 11
        nodes.append((g.get("data-claim-id"), x, y, shape.get("fill")))
    assert {claim for claim, *_ in nodes} == {str(c.pk) for c in large_map}
    assert len(svg.findall(f".//{SVG}g[@class='link']")) == 699

    page.evaluate("() => { const c = document.querySelector('canvas.large-graph'); c.dispatchEvent("
                  "new WheelEvent('wheel', {deltaY: -2000, clientX: 300, clientY: 300, bubbles: true})); }")  # fmt: skip
    with page.expect_download() as download:
        page.click("[data-map-png]")
    png = base64.b64encode(Path(download.value.path()).read_bytes()).decode()
    # the canvas's picture box is the SVG's view box less its 20-unit margin
    found = page.evaluate(
        """async ([png, nodes, box]) => {
          const image = new Image(); image.src = 'data:image/png;base64,' + png; await image.decode();
          const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;
          const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
          const scale = image.width / box[2];
          return nodes.map(([id, x, y]) => [...context.getImageData(Math.round((x - box[0]) * scale),
                                                                   Math.round((y - box[1]) * scale), 1, 1).data]);
        }""",
        [png, nodes, [vx + 20, vy + 20, vw - 40, vh - 40]],
    )
    for (claim, _, _, fill), colour in zip(nodes, found, strict=True):
        assert all(abs(a - b) <= 12 for a, b in zip(colour[:3], rgb(fill), strict=True)), (claim, fill, colour)
