"""The server-rendered pages: papers list with filters, the reader and its text fragment, log-in."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import reader_cache
from annotations.models import Claim, Coding, Role, Status
from tests.factories import AuthorFactory, ClaimFactory, PaperFactory, TagFactory, UserFactory


@pytest.fixture
def logged_in(client, analyst):
    client.force_login(analyst)
    return client


class PaperText(HTMLParser):
    """The text inside [data-paper-text] (every text node, hidden markup included), and the data islands."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.text = []
        self.island = None
        self.islands: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or "data-paper-text" in attrs:
            self.depth += 1
        if tag == "script" and attrs.get("type") == "application/json":
            self.island = attrs["id"]
            self.islands[self.island] = ""

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        self.island = None

    def handle_startendtag(self, tag, attrs):
        pass  # <br> in the text: no text of its own

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
        if self.island:
            self.islands[self.island] += data


def paper_text(html: str) -> PaperText:
    parsed = PaperText()
    parsed.convert_charrefs = True
    parsed.feed(html)
    return parsed


def painted_claims(html: str) -> dict[str, tuple[int, int]]:
    """Claim id → (start, end) of the claims the page paints, from its compact data."""
    data = json.loads(paper_text(html).islands["reader-claims"])
    return {row[0]: (row[1], row[2]) for row in data["claims"]}


def test_pages_need_a_login(client, paper):
    for url in ("/papers/", f"/papers/{paper.slug}/", f"/papers/{paper.slug}/text/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_login_page_looks_like_the_rest(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "annotations/css/app.css" in html


def test_papers_list_shows_authors_countries_and_counts_by_status(logged_in, analyst, moderator):
    author = AuthorFactory(name="Masayuki Masuda", country="Japan")
    paper = PaperFactory(slug="masuda-2010", title="China's SCO Policy", venue="Tokyo Foundation", authors=[author])
    ClaimFactory(paper=paper, created_by=analyst)
    ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED)
    ClaimFactory(paper=paper, created_by=moderator)  # another's pending claim: not visible to the analyst
    html = logged_in.get("/papers/").content.decode()
    assert "China&#x27;s SCO Policy" in html
    assert "Masayuki Masuda" in html
    assert "(Japan)" in html
    assert "Tokyo Foundation" in html
    row = re.search(r'<tr data-paper="masuda-2010">.*?</tr>', html, re.S).group(0)
    assert "<strong>2</strong>" in row
    assert "1 approved" in row
    assert "1 pending" in row


def test_papers_list_filters_by_author_and_by_tag(logged_in, analyst):
    japan = AuthorFactory(name="Masuda", country="Japan")
    china = AuthorFactory(name="Pan Guang", country="China")
    masuda = PaperFactory(slug="masuda-2010", authors=[japan])
    pan = PaperFactory(slug="pan-2006", authors=[china])
    tag = TagFactory(slug="us-competition")
    child = TagFactory(slug="anti-us", parent=tag)
    ClaimFactory(paper=pan, created_by=analyst, tags=[child])
    ClaimFactory(paper=masuda, created_by=analyst)

    def listed(query):
        html = logged_in.get(f"/papers/{query}").content.decode()
        return re.findall(r'<tr data-paper="([^"]+)">', html)

    assert listed("") == ["masuda-2010", "pan-2006"]
    assert listed(f"?author={japan.pk}") == ["masuda-2010"]
    assert listed("?author=pan guang") == ["pan-2006"]
    assert listed("?tag=us-competition") == ["pan-2006"]  # its sub-tag counts
    assert listed(f"?tag=anti-us&author={japan.pk}") == []
    assert "No paper matches these filters." in logged_in.get("/papers/?tag=nothing-here").content.decode()


def test_reader_draws_each_visible_claim_on_the_exact_text(logged_in, analyst, moderator):
    text = "Intro \U0001d516 line.\n\nThe SCO is not an alliance. It fights the three evils.\n\nEnd."
    paper = PaperFactory(slug="p", text=text)
    outer = ClaimFactory(paper=paper, at=(text.index("The SCO"), text.index("End.")), created_by=analyst)
    inner = ClaimFactory(paper=paper, at=(text.index("not"), text.index(" It")), created_by=analyst)
    hidden = ClaimFactory(paper=paper, at=(0, 5), created_by=moderator)  # pending, someone else's
    html = logged_in.get("/papers/p/").content.decode()
    parsed = paper_text(html)
    assert "".join(parsed.text) == text
    claims = painted_claims(html)
    assert text[slice(*claims[str(outer.pk)])] == text[outer.start : outer.end]
    assert text[slice(*claims[str(inner.pk)])] == "not an alliance."
    assert str(hidden.pk) not in html
    assert list(claims) == [str(outer.pk), str(inner.pk)]  # in text order, outermost first


def test_reader_text_is_formatted_on_the_verbatim_text(logged_in):
    text = "## **China's SCO Policy**\n\n**A**s many<sup>13</sup> &amp; more.\n\n---\n\n- one\n- two\n"
    PaperFactory(slug="p", text=text)
    html = logged_in.get("/papers/p/").content.decode()
    assert "".join(paper_text(html).text) == text
    assert '<strong><span class="mk" data-start="3">**</span><span data-start="5">China\'s SCO Policy</span>' in html
    for element in ('<h3 class="md-h md-h2"', "<sup>", '<ul class="md-list">', '<div class="md-hr"'):
        assert element in html
    assert "<sup>13" not in html  # the source's own tags are text, never markup


def test_reader_escapes_user_text_and_shows_notes_only_sanitized(logged_in, analyst, paper):
    ClaimFactory(paper=paper, created_by=analyst, statement="<script>alert(1)</script>", speaker="<b>Qi</b>")
    html = logged_in.get(f"/papers/{paper.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>Qi</b>" not in html
    # User text travels only in the JSON island, where json_script escapes <, > and &.
    data = json.loads(paper_text(html).islands["reader-claims"])
    assert data["claims"][0][6] == "<script>alert(1)</script>"
    assert "<b>Qi</b>" in data["people"]
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in html
    # No inline script: only the JSON data islands and the modules (reader_at.js: a passage named by the URL).
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script id="reader-data" type="application/json">',
        '<script id="reader-claims" type="application/json">',
        f'<script type="module" src="{"/static/annotations/js/reader.js"}">',
        f'<script type="module" src="{"/static/annotations/js/reader_at.js"}">',
    ]
    assert not re.search(r"\son[a-z]+=", html)


def test_reader_lists_orphaned_claims_without_drawing_them(logged_in, moderator, paper):
    orphan = ClaimFactory(paper=paper, created_by=moderator, status=Status.ORPHANED)
    logged_in.force_login(moderator)
    html = logged_in.get(f"/papers/{paper.slug}/").content.decode()
    assert str(orphan.pk) not in painted_claims(html)
    data = json.loads(paper_text(html).islands["reader-claims"])
    assert [row[0] for row in data["unplaced"]] == [str(orphan.pk)]
    assert data["statuses"][data["unplaced"][0][1]] == "orphaned"


def test_an_unplaced_claims_long_quote_is_listed_cut_with_an_ellipsis(logged_in, moderator):
    paper = PaperFactory(text="The SCO is not an alliance. " * 10)
    ClaimFactory(paper=paper, created_by=moderator, status=Status.ORPHANED, at=(0, 200))
    short = ClaimFactory(paper=paper, created_by=moderator, status=Status.ORPHANED, at=(4, 27))
    logged_in.force_login(moderator)
    data = json.loads(paper_text(logged_in.get(f"/papers/{paper.slug}/").content.decode()).islands["reader-claims"])
    quotes = {row[0]: row[3] for row in data["unplaced"]}
    assert quotes.pop(str(short.pk)) == "SCO is not an alliance."
    [cut] = quotes.values()
    assert cut == paper.text[:79] + "…"


def test_reader_for_a_reader_has_no_claim_form(client, paper):
    client.force_login(UserFactory(username="rita", role=Role.READER))
    html = client.get(f"/papers/{paper.slug}/").content.decode()
    assert "data-claim-form" not in html
    assert "data-paper-text" in html


def test_unknown_paper_is_404(logged_in):
    assert logged_in.get("/papers/no-such-paper/").status_code == 404
    assert logged_in.get("/papers/no-such-paper/text/").status_code == 404


def test_claims_fragment_holds_the_claims_and_their_count(logged_in, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, at=(4, 20))
    body = logged_in.get(f"/papers/{paper.slug}/text/").json()
    assert body["count"] == 1
    row = body["claims"]["claims"][0]
    assert row[:3] == [str(claim.pk), 4, 20]
    assert body["claims"]["statuses"][row[3]] == "pending"
    assert body["claims"]["people"][row[8]] == analyst.username


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/papers/p/", "/papers/p/text/", "/papers/"])
def test_page_queries_do_not_grow_with_claims(logged_in, analyst, moderator, django_assert_num_queries, url):
    tags = [TagFactory(slug=f"t{i}") for i in range(3)]
    paper = PaperFactory(slug="p")
    length = len(paper.text)

    def add_claims(n):
        # Built by the factory and written in two inserts: what the pages read, without 500 history rows.
        claims = []
        for i in range(n):
            at = (i * 7) % (length - 30)
            by = analyst if i % 2 else moderator  # some visible to the analyst, some not
            claims.append(ClaimFactory.build(paper=paper, created_by=by, at=(at, at + 5 + i % 20)))
        Claim.objects.bulk_create(claims)
        Coding.objects.bulk_create(
            Coding(claim=claim, tag=tag, stance=claim.stance)
            for i, claim in enumerate(claims)
            for tag in tags[: i % 3 + 1]
        )
        # Bulk inserts pass the save signals by: say the paper changed, as the import does.
        reader_cache.claims_changed(papers=[paper.pk])

    add_claims(5)
    with_five = queries_for(logged_in, url)
    add_claims(495)
    with django_assert_num_queries(with_five):
        logged_in.get(url)
