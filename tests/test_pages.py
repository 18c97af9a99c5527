"""The server-rendered pages that exist in the core: login, papers list, reader."""

import pytest

from annotations.models import Status
from tests.factories import PASSWORD, AuthorFactory, ClaimFactory, PaperFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client):
    r = client.get("/papers/")
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")


def test_login_page_has_the_hook_fields(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert b'name="username"' in r.content
    assert b'name="password"' in r.content


def test_log_in_and_see_the_papers_with_counts(client, reader, analyst):
    paper = PaperFactory(
        slug="masuda-2010", title="China's SCO Policy", authors=[AuthorFactory(name="Masayuki Masuda", country="Japan")]
    )
    ClaimFactory(paper=paper, status=Status.APPROVED)
    ClaimFactory(paper=paper, status=Status.PENDING)
    assert client.post("/accounts/login/", {"username": "rita", "password": PASSWORD}).status_code == 302
    r = client.get("/papers/")
    assert b"China&#x27;s SCO Policy" in r.content
    assert b"Masayuki Masuda (Japan)" in r.content
    assert r.context["papers"][0].claims_total == 1  # the reader sees only the approved one


def test_reader_shows_the_text(client, reader):
    PaperFactory(slug="masuda-2010", text="The SCO is <not> an alliance.")
    client.force_login(reader)
    r = client.get("/papers/masuda-2010/")
    assert r.status_code == 200
    assert b"data-paper-text" in r.content
    assert b"The SCO is &lt;not&gt; an alliance." in r.content
    assert client.get("/papers/nope/").status_code == 404
