"""The server-rendered pages: papers list with filters, the reader and its text fragment, log-in."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Role, Status
from tests.factories import AuthorFactory, ClaimFactory, PaperFactory, TagFactory, UserFactory


@pytest.fixture
def logged_in(client, analyst):
    client.force_login(analyst)
    return client


class PaperText(HTMLParser):
    """The text inside [data-paper-text], and for each claim id the text of its marks, in order."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.stack = []
        self.text = []
        self.marks: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or "data-paper-text" in attrs:
            self.depth += 1
            self.stack.append(attrs.get("data-claim-id") if tag == "mark" else None)

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.stack.pop()

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            for claim_id in filter(None, self.stack):
                self.marks.setdefault(claim_id, []).append(data)


def paper_text(html: str) -> PaperText:
    parsed = PaperText()
    parsed.feed(html)
    return parsed


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
    assert "".join(parsed.marks[str(outer.pk)]) == text[outer.start : outer.end]
    assert "".join(parsed.marks[str(inner.pk)]) == "not an alliance."
    assert str(hidden.pk) not in html
    assert html.index(f'data-claim-id="{outer.pk}"') < html.index(f'data-claim-id="{inner.pk}"')


def test_reader_escapes_user_text_and_shows_notes_only_sanitized(logged_in, analyst, paper):
    ClaimFactory(paper=paper, created_by=analyst, statement="<script>alert(1)</script>", speaker="<b>Qi</b>")
    html = logged_in.get(f"/papers/{paper.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Qi&lt;/b&gt;" in html
    # No inline script: only the JSON data island and the module.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script id="reader-data" type="application/json">',
        f'<script type="module" src="{"/static/annotations/js/reader.js"}">',
    ]
    assert not re.search(r"\son[a-z]+=", html)


def test_reader_lists_orphaned_claims_without_drawing_them(logged_in, moderator, paper):
    orphan = ClaimFactory(paper=paper, created_by=moderator, status=Status.ORPHANED)
    logged_in.force_login(moderator)
    html = logged_in.get(f"/papers/{paper.slug}/").content.decode()
    assert str(orphan.pk) not in paper_text(html).marks
    assert "Not placed on this text (1)" in html
    assert f'class="claim-item unplaced" data-claim-id="{orphan.pk}"' in html


def test_reader_for_a_reader_has_no_claim_form(client, paper):
    client.force_login(UserFactory(username="rita", role=Role.READER))
    html = client.get(f"/papers/{paper.slug}/").content.decode()
    assert "data-claim-form" not in html
    assert "data-paper-text" in html


def test_unknown_paper_is_404(logged_in):
    assert logged_in.get("/papers/no-such-paper/").status_code == 404
    assert logged_in.get("/papers/no-such-paper/text/").status_code == 404


def test_text_fragment_holds_the_text_the_claims_and_their_count(logged_in, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, at=(4, 20))
    html = logged_in.get(f"/papers/{paper.slug}/text/").content.decode()
    assert html.startswith('<div data-fragment="text"><p class="para" data-start="0">')
    assert f'<li class="claim-item" data-claim-id="{claim.pk}"' in html
    assert '<span data-fragment="count">1</span>' in html
    assert "<html" not in html


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
        for i in range(n):
            at = (i * 7) % (length - 30)
            by = analyst if i % 2 else moderator  # some visible to the analyst, some not
            ClaimFactory(paper=paper, created_by=by, at=(at, at + 5 + i % 20), tags=tags[: i % 3 + 1])

    add_claims(5)
    with_five = queries_for(logged_in, url)
    add_claims(495)
    with django_assert_num_queries(with_five):
        logged_in.get(url)


def test_text_fragment_for_a_range_holds_only_the_paragraphs_under_it(logged_in, analyst, paper):
    second = paper.text.index("The three evils are")
    claim = ClaimFactory(paper=paper, created_by=analyst, at=(second + 4, second + 15))
    html = logged_in.get(f"/papers/{paper.slug}/text/?start={claim.start}&end={claim.end}").content.decode()
    assert html.startswith(f'<div data-fragment="text" data-partial><p class="para" data-start="{second}">')
    assert html.count('<p class="para"') == 1
    assert f'data-claim-id="{claim.pk}"' in html
    whole = logged_in.get(f"/papers/{paper.slug}/text/").content.decode()
    assert whole.count('<p class="para"') == 2
