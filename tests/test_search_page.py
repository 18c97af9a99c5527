"""The /search/ page: the form, the results as marked lines in context (escaped), pages, errors, its queries."""

import re

import pytest

from annotations import services
from search import indexing
from tests.factories import AuthorFactory, PaperFactory
from tests.html_check import live_injections, parse

pytestmark = pytest.mark.django_db

HOSTILE = 'The alliance <script>alert(1)</script> "quoted" & <b onmouseover=x>bold</b> alliance.\n'


@pytest.fixture
def papers(analyst):
    made = [
        PaperFactory(slug=f"paper-{n}", title=f"Paper {n}", text=HOSTILE if n == 0 else f"An alliance, number {n}.\n",
                     authors=[AuthorFactory(name=f"Writer {n}")])
        for n in range(12)
    ]  # fmt: skip
    indexing.papers_indexed([paper.pk for paper in made])
    services.claim_create(
        created_by=analyst, paper=made[1], target={"exact": "number 1"}, statement="Alliance <i>1</i>"
    )
    return made


def test_the_nav_links_to_the_search_page(client, analyst):
    client.force_login(analyst)
    html = client.get("/papers/").content.decode()
    assert '<a href="/search/">Search</a>' in html


def test_results_are_marked_escaped_and_linked_to_the_reader(client, analyst, papers):
    client.force_login(analyst)
    r = client.get("/search/", {"q": "alliance", "paper": "paper-0"})
    assert r.status_code == 200
    html = r.content.decode()
    assert live_injections(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = parse(html)
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["alliance", "alliance"]
    links = [e.attrs["href"] for e in page.elements if e.tag == "a" and "#at-" in e.attrs.get("href", "")]
    start, end = (int(n) for n in links[0].rsplit("#at-", 1)[1].split("-"))
    assert links[0].startswith("/papers/paper-0/")
    assert HOSTILE[start:end].startswith("The alliance")


def test_results_come_a_page_of_papers_at_a_time(client, analyst, papers):
    client.force_login(analyst)
    html = client.get("/search/", {"q": "alliance"}).content.decode()
    assert "13 hits in 12 papers · page 1 of 2." in " ".join(html.split())
    assert html.count("data-search-paper=") == 10
    assert 'rel="next"' in html
    second = client.get("/search/", {"q": "alliance", "page": "2"}).content.decode()
    assert second.count("data-search-paper=") == 2
    assert 'rel="prev"' in second


def test_a_claim_hit_opens_the_claim_in_the_reader(client, analyst, papers):
    client.force_login(analyst)
    html = client.get("/search/", {"q": "alliance", "in": "claims"}).content.decode()
    assert "/papers/paper-1/#claim-" in html
    assert "&lt;i&gt;1&lt;/i&gt;" in html


def test_a_bad_query_is_a_400_that_says_why(client, analyst, papers):
    client.force_login(analyst)
    r = client.get("/search/", {"q": "alliance OR"})
    assert r.status_code == 400
    assert "OR needs words on both sides" in r.content.decode()


def test_the_page_costs_a_fixed_number_of_queries(client, analyst, papers, django_assert_num_queries):
    """Session and user (2), memberships (1), the nav's pending count, the form's papers, authors, countries and
    tags (4), the hits (1), the papers and bylines (2), the claims and their codings (2)."""
    client.force_login(analyst)
    client.get("/search/", {"q": "alliance"})
    with django_assert_num_queries(12):
        assert client.get("/search/", {"q": "alliance"}).status_code == 200
