"""Papers, authors, tags, token auth, filters, pagination and the OpenAPI schema."""

import pytest

from annotations.models import Status, Tag
from tests.factories import PASSWORD, AuthorFactory, ClaimFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_token_auth_round_trip(api, analyst):
    r = api.post("/api/v1/auth/token/", {"username": "ana", "password": PASSWORD}, format="json")
    assert r.status_code == 200
    token = r.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/papers/").status_code == 200


def test_token_refused_for_wrong_password(api, analyst):
    r = api.post("/api/v1/auth/token/", {"username": "ana", "password": "wrong"}, format="json")
    assert r.status_code == 400
    assert "credentials" in r.json()["non_field_errors"][0]


def test_papers_list_and_detail(api, reader):
    author = AuthorFactory(name="Masayuki Masuda", country="Japan")
    paper = PaperFactory(slug="masuda-2010", authors=[author])
    listed = api.as_user(reader).get("/api/v1/papers/").json()
    assert listed["count"] == 1
    assert "text" not in listed["results"][0]
    assert listed["results"][0]["authors"][0]["country"] == "Japan"
    detail = api.as_user(reader).get("/api/v1/papers/masuda-2010/").json()
    assert detail["text"] == paper.text
    assert detail["length"] == len(paper.text)
    assert len(detail["text_sha256"]) == 64


def test_unknown_paper_is_a_404(api, reader):
    r = api.as_user(reader).get("/api/v1/papers/nope/")
    assert r.status_code == 404
    assert r.json()["detail"]


def test_paper_claims_are_in_text_order(api, moderator, paper):
    late = ClaimFactory(paper=paper, at=(30, 40))
    early = ClaimFactory(paper=paper, at=(0, 5))
    middle = ClaimFactory(paper=paper, at=(4, 20))
    ClaimFactory()  # another paper
    results = api.as_user(moderator).get(f"/api/v1/papers/{paper.slug}/claims/").json()["results"]
    assert [c["id"] for c in results] == [str(early.pk), str(middle.pk), str(late.pk)]


def test_authors_list_their_papers(api, reader):
    author = AuthorFactory(name="Pan Guang")
    PaperFactory(slug="pan-2006", authors=[author])
    results = api.as_user(reader).get("/api/v1/authors/").json()["results"]
    assert results[0]["name"] == "Pan Guang"
    assert results[0]["papers"] == ["pan-2006"]


def test_moderator_creates_a_tag_and_an_analyst_cannot(api, moderator, analyst):
    parent = TagFactory(slug="non-traditional-security")
    body = {"slug": "drugs", "name": "Drug trafficking", "colour": "#66A61E", "parent": parent.slug}
    assert api.as_user(analyst).post("/api/v1/tags/", body, format="json").status_code == 403
    r = api.as_user(moderator).post("/api/v1/tags/", body, format="json")
    assert r.status_code == 201
    assert r.json() == {"slug": "drugs", "name": "Drug trafficking", "description": "", "colour": "#66a61e",
                        "parent": "non-traditional-security", "status": "accepted",
                        "proposed_by": None}  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "x", "name": "X", "colour": "red"}, "colour"),
        ({"slug": "not a slug", "name": "X"}, "slug"),
        ({"slug": "x", "name": "X", "parent": "nope"}, "parent"),
    ],
)
def test_bad_tags_are_refused(api, moderator, body, field):
    r = api.as_user(moderator).post("/api/v1/tags/", body, format="json")
    assert r.status_code == 400
    assert field in r.json()


def test_a_tag_cannot_be_placed_under_its_own_descendant(api, moderator):
    parent = TagFactory(slug="a")
    TagFactory(slug="b", parent=parent)
    r = api.as_user(moderator).patch("/api/v1/tags/a/", {"parent": "b"}, format="json")
    assert r.status_code == 400
    assert "descendants" in r.json()["parent"][0]
    assert Tag.objects.get(slug="a").parent is None


def test_claims_filters(api, moderator):
    masuda = AuthorFactory(name="Masayuki Masuda")
    pan = AuthorFactory(name="Pan Guang")
    paper_m = PaperFactory(slug="masuda-2010", authors=[masuda])
    paper_p = PaperFactory(slug="pan-2006", authors=[pan])
    parent = TagFactory(slug="non-traditional-security")
    child = TagFactory(slug="three-evils", parent=parent)
    alliance = TagFactory(slug="not-an-alliance")
    a = ClaimFactory(
        paper=paper_m, tags=[alliance, child], stance="denies", speaker="Qi Guowei", statement="Not a bloc"
    )
    b = ClaimFactory(paper=paper_p, tags=[child], status=Status.APPROVED)
    c = ClaimFactory(paper=paper_p, tags=[alliance], statement="Unique wording here")

    def ids(query):
        r = api.as_user(moderator).get(f"/api/v1/claims/?{query}")
        assert r.status_code == 200, r.json()
        return {item["id"] for item in r.json()["results"]}

    assert ids("paper=masuda-2010") == {str(a.pk)}
    assert ids("author=Pan Guang") == {str(b.pk), str(c.pk)}
    assert ids(f"author={masuda.pk}") == {str(a.pk)}
    assert ids("tag=not-an-alliance") == {str(a.pk), str(c.pk)}
    assert ids("tag=non-traditional-security") == {str(a.pk), str(b.pk)}  # sub-tags included, no duplicates
    assert ids("stance=denies") == {str(a.pk)}
    assert ids("status=approved") == {str(b.pk)}
    assert ids("speaker=qi guowei") == {str(a.pk)}
    assert ids("speaker=authors") == {str(b.pk), str(c.pk)}
    assert ids("q=unique wording") == {str(c.pk)}


@pytest.mark.parametrize(
    ("query", "field"),
    [("tag=nope", "tag"), ("paper=nope", "paper"), ("stance=nope", "stance"), ("status=nope", "status")],
)
def test_unknown_filter_values_are_refused(api, moderator, query, field):
    r = api.as_user(moderator).get(f"/api/v1/claims/?{query}")
    assert r.status_code == 400
    assert field in r.json()


def test_pagination_shape_and_page_size_limit(api, moderator, paper):
    ClaimFactory.create_batch(7, paper=paper)
    body = api.as_user(moderator).get("/api/v1/claims/?page_size=3&page=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert "page=3" in body["next"]
    largest = api.as_user(moderator).get("/api/v1/claims/?page_size=1000").json()
    assert len(largest["results"]) == 7
    for refused in ("5000", "0", "-1", "ten", "1.5", ""):
        r = api.as_user(moderator).get(f"/api/v1/claims/?page_size={refused}")
        assert r.status_code == 400, refused
        assert r.json() == {"page_size": ["Give page_size as a whole number from 1 to 1000."]}
    assert api.as_user(moderator).get("/api/v1/claims/?page=99").status_code == 404


def test_openapi_schema_and_docs(api, reader, client):
    r = api.as_user(reader).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/claims/", "/api/v1/claims/{id}/moderate/", "/api/v1/links/", "/api/v1/papers/{slug}/claims/"):
        assert path in schema["paths"]
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_a_tag_posted_as_a_form_with_an_empty_colour_is_refused_not_given_the_default(api, moderator):
    r = api.as_user(moderator).post("/api/v1/tags/", {"slug": "blank-colour", "name": "Blank", "colour": ""})
    assert r.status_code == 400
    assert "colour" in r.json()
    assert not Tag.objects.filter(slug="blank-colour").exists()
