"""The /map/ and /compare/ pages: login, the contract's hooks, filter choices, and no inline script."""

import re

import pytest

from tests.factories import AuthorFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/map/", "/compare/"])
def test_pages_need_a_login(client, url):
    r = client.get(url)
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")


def test_map_page_has_one_map_element_and_the_filters(client, reader):
    PaperFactory(slug="masuda-2010", authors=[AuthorFactory(name="Masayuki Masuda")])
    parent = TagFactory(slug="us-competition")
    TagFactory(slug="anti-us", parent=parent)
    client.force_login(reader)
    html = client.get("/map/").content.decode()
    assert html.count("data-argument-map") == 1
    assert 'data-api="/api/v1/map/"' in html
    for name in ("tag", "author", "paper", "include", "relation", "layout", "colour"):
        assert f'name="{name}"' in html
    assert 'name="status"' not in html  # no way to count rejected material
    assert '<option value="masuda-2010"' in html
    assert '<option value="Masayuki Masuda">' in html
    # the codebook in tree order, a child indented under its parent
    assert re.search(
        r'value="us-competition"[^>]*>us-competition</option>\s*<option value="anti-us"[^>]*>\u2003anti-us', html
    )
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert 'id="__________cytoscape_stylesheet"' in html  # so Cytoscape injects no inline <style>
    assert 'data-api-claims="/api/v1/claims/"' in html  # a claim's quote, fetched when it is opened
    assert 'name="unlinked" value="keep"' in html  # keep the claims no shown link touches
    assert "data-map-svg" in html
    assert "data-map-png" in html
    assert "data-map-list" in html  # the keyboard list view
    assert 'href="/map/"' in html  # the nav links
    assert 'href="/compare/"' in html


COUNTED_NOTE = "Counts <b>approved</b> claims and links."


@pytest.mark.parametrize("url", ["/map/", "/compare/"])
def test_analysis_pages_state_what_they_count_and_offer_the_pending_switch(client, reader, url):
    client.force_login(reader)
    html = client.get(url).content.decode()
    assert COUNTED_NOTE in html
    assert "Rejected, orphaned and deleted material never counts here, whatever your role." in html
    assert re.search(r'<input type="checkbox" name="include" value="pending"[^>]*>\s*include pending', html)


def test_compare_page_loads_the_map_drawing_code_for_the_graph_beside_the_matrix(client, reader):
    client.force_login(reader)
    html = client.get("/compare/").content.decode()
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert 'id="__________cytoscape_stylesheet"' in html
    assert 'data-api-map="/api/v1/map/"' in html
    assert 'data-api-claims="/api/v1/claims/"' in html


def test_compare_page_offers_every_grouping_and_says_how_actors_are_counted(client, reader):
    client.force_login(reader)
    html = client.get("/compare/").content.decode()
    options = re.findall(r'<option value="([a-z]+)" title="[^"]*">([^<]+)</option>', html)
    assert options == [
        ("author", "authors"),
        ("byline", "papers&#x27; co-authors together"),
        ("country", "authors&#x27; countries"),
        ("affiliation", "authors&#x27; affiliations"),
        ("paper", "papers"),
        ("year", "years"),
        ("decade", "decades"),
        ("speaker", "speakers (who holds the view)"),
    ]
    rule = re.search(r"<span data-counting-rule>([^<]+)</span>", html).group(1)
    assert rule.startswith("Each author of a paper, for the claims the paper makes in its own voice;")
    assert "count apart, as reports, not in the stance balance" in rule
    for hook in ("data-disagreements-list", "data-agreements-list", "data-counted-note"):
        assert html.count(hook) == 1


def test_compare_page_has_the_matrix_table_and_network_downloads(client, reader):
    client.force_login(reader)
    html = client.get("/compare/").content.decode()
    assert re.search(r"<table[^>]*data-stance-matrix", html)
    assert 'data-api="/api/v1/compare/"' in html
    for kind in ("author-tag", "congruence", "conflict"):
        assert f'href="/api/v1/export/network/{kind}.graphml"' in html
        assert f'href="/api/v1/export/network/{kind}.csv"' in html


@pytest.mark.parametrize("url", ["/map/", "/compare/"])
def test_no_inline_script_or_handler(client, reader, url):
    client.force_login(reader)
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html)
