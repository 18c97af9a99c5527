"""The curation page: who may open it, what it shows, and its queries (fixed whatever the number of claims)."""

import pytest

from annotations.models import Role
from tests.factories import ClaimFactory, MembershipFactory, ProjectFactory, TagFactory, UserFactory

# session, user, memberships, the paper, its round's analysts, the versions, their codings, their links, the
# decisions and their versions.
PAGE_QUERIES = 10
PAGE = "/projects/{project}/papers/{paper}/curate/"


@pytest.fixture
def page_url(paper):
    return PAGE.format(project=paper.project.slug, paper=paper.slug)


def test_a_moderator_sees_the_versions_side_by_side(client, paper, moderator, analyst, other_analyst, page_url):
    ClaimFactory(paper=paper, created_by=analyst, at=(0, 27), statement="Ana's reading")
    ClaimFactory(paper=paper, created_by=other_analyst, at=(0, 26), statement="Otto's reading")
    client.force_login(moderator)
    answer = client.get(page_url)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.count("data-unit ") == 1
    assert "Ana&#x27;s reading" in html
    assert "Otto&#x27;s reading" in html
    assert 'data-accept="' in html
    assert "annotations/js/curate.js" in html
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.parametrize("role", [Role.READER, Role.ANALYST])
def test_readers_and_analysts_are_refused(client, page_url, role):
    client.force_login(UserFactory(role=role))
    assert client.get(page_url).status_code == 403


def test_a_paper_of_another_project_is_a_404(client, paper, moderator):
    other = ProjectFactory()
    MembershipFactory(project=other, user=moderator, role="moderator")
    client.force_login(moderator)
    assert client.get(PAGE.format(project=other.slug, paper=paper.slug)).status_code == 404


def test_the_page_reads_in_a_fixed_number_of_queries(client, paper, moderator, page_url):
    tag = TagFactory(slug="t")
    client.force_login(moderator)

    def count_for(coders: int) -> int:
        for _ in range(coders):
            coder = UserFactory(role=Role.ANALYST)
            for start in (0, 28, 56):
                ClaimFactory(paper=paper, created_by=coder, at=(start, start + 20), tags=[tag])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url).status_code == 200
        return len(queries)

    assert count_for(1) == count_for(3) == PAGE_QUERIES


def test_the_project_home_links_each_paper_to_its_curation_for_moderators(client, paper, moderator, analyst, page_url):
    client.force_login(moderator)
    assert page_url in client.get(f"/projects/{paper.project.slug}/").content.decode()
    client.force_login(analyst)
    assert page_url not in client.get(f"/projects/{paper.project.slug}/").content.decode()


def test_what_analysts_typed_is_shown_as_text(client, paper, moderator, analyst, page_url):
    ClaimFactory(paper=paper, created_by=analyst, at=(0, 27), statement="<script>alert(1)</script>", speaker="<b>x</b>")
    client.force_login(moderator)
    html = client.get(page_url).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html


def test_undecided_only_and_pages(client, paper, moderator, analyst, page_url, monkeypatch):
    from curation import services, views

    monkeypatch.setattr(views, "UNITS_PER_PAGE", 2)
    claims = [ClaimFactory(paper=paper, created_by=analyst, at=(start, start + 10)) for start in (0, 20, 40, 60, 80)]
    services.curation_accept(paper=paper, versions=[claims[0].pk], keep=claims[0].pk, by=moderator)
    client.force_login(moderator)
    html = client.get(page_url).content.decode()
    assert html.count("data-unit ") == 2
    assert "passages 1–2 of 5" in html
    assert 'href="?page=2"' in html
    html = client.get(page_url + "?show=undecided&page=2").content.decode()
    assert html.count("data-unit ") == 2
    assert "passages 3–4 of 4" in html
    assert "Passage 4 " in html
    assert "Passage 1 " not in html
    assert client.get(page_url + "?page=nope").status_code == 200
