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
    for name in ("tag", "author", "paper", "status", "relation", "layout", "colour"):
        assert f'name="{name}"' in html
    assert '<option value="masuda-2010"' in html
    assert '<option value="Masayuki Masuda">' in html
    # the codebook in tree order, a child indented under its parent
    assert re.search(
        r'value="us-competition"[^>]*>us-competition</option>\s*<option value="anti-us"[^>]*>\u2003anti-us', html
    )
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert 'id="__________cytoscape_stylesheet"' in html  # so Cytoscape injects no inline <style>
    assert 'href="/map/"' in html  # the nav links
    assert 'href="/compare/"' in html


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
