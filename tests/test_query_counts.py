"""Listing costs the same number of queries for 5 items as for 500 (no N+1)."""

import itertools

import pytest
from rest_framework.authtoken.models import Token

from annotations.models import Claim, Coding, Link, Status
from tests.factories import AuthorFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.django_db

CLAIM_CREATE_QUERIES = 13
LINK_CREATE_QUERIES = 10


def make_claims(paper, user, n, tags):
    claims = [
        Claim(paper=paper, start=i % 50, end=i % 50 + 10, exact=paper.text[i % 50 : i % 50 + 10],
              statement=f"s{i}", created_by=user, status=Status.APPROVED)
        for i in range(n)
    ]  # fmt: skip
    Claim.objects.bulk_create(claims)
    Coding.objects.bulk_create([Coding(claim_id=c.pk, tag_id=t.pk, stance=c.stance) for c in claims for t in tags])
    return claims


def make_links(claims, user):
    Link.objects.bulk_create(
        Link(source=a, target=b, relation="supports", created_by=user, status=Status.APPROVED)
        for a, b in itertools.pairwise(claims)
    )


def count_queries(client, url, django_assert_max_num_queries, n_expected_items):
    with django_assert_max_num_queries(50) as captured:
        r = client.get(url)
    assert r.status_code == 200
    assert r.json()["count"] == n_expected_items
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?page_size=1000",
        "/api/v1/papers/masuda-2010/claims/?page_size=1000",
        "/api/v1/links/?page_size=1000",
    ],
)
@pytest.mark.parametrize("role_fixture", ["reader", "moderator", "analyst"])
def test_list_queries_do_not_grow_with_the_number_of_items(
    request, api, url, role_fixture, django_assert_max_num_queries, django_assert_num_queries
):
    user = request.getfixturevalue(role_fixture)
    api.as_user(user)
    Token.objects.get(user=user)
    paper = PaperFactory(slug="masuda-2010", authors=[AuthorFactory(), AuthorFactory()])
    tags = [TagFactory(slug="a"), TagFactory(slug="b")]
    claims = make_claims(paper, user, 5, tags)
    make_links(claims, user)
    small = count_queries(api, url, django_assert_max_num_queries, 5 if "links" not in url else 4)
    claims = make_claims(paper, user, 495, tags)
    make_links(claims, user)
    expected = 500 if "links" not in url else 4 + 494
    with django_assert_num_queries(small):
        r = api.get(url)
    assert r.json()["count"] == expected


def test_the_query_counts_of_the_list_endpoints(api, moderator, django_assert_num_queries):
    """Pins the exact numbers quoted in the README (token, user perms, count, rows, prefetch)."""
    paper = PaperFactory(slug="masuda-2010")
    tags = [TagFactory(slug="a")]
    claims = make_claims(paper, moderator, 20, tags)
    make_links(claims, moderator)
    api.as_user(moderator)
    expected = {
        "/api/v1/claims/": 5,
        "/api/v1/papers/masuda-2010/claims/": 6,
        "/api/v1/links/": 4,
        # These three need no role check of their own beyond "has a role": the permissions, 1 query.
        "/api/v1/papers/": 5,
        "/api/v1/authors/": 5,
        # Tags are per project: the user's memberships with their projects (1, also the role), then count and rows.
        "/api/v1/tags/": 4,
    }
    for url, queries in expected.items():
        with django_assert_num_queries(queries):
            assert api.get(url).status_code == 200


def test_the_query_counts_of_a_claim_create_and_a_link_create(api, analyst, django_assert_num_queries):
    """One write costs a fixed number of queries, whatever the paper's length or the number of tags given:
    token and user (1), permissions (1), the tags, the paper (locked), the duplicate check, the claim, its
    codings, its history row and its codings' (as written, not read back; the answer reads nothing back either),
    its search entry (the test's transaction adds a savepoint and its release); for a link, both ends (1), their papers and
    themselves (locked), the one live link check, the link and its history row (and the savepoint's two)."""
    PaperFactory(slug="masuda-2010", text="The SCO is not an alliance. " * 2000)
    for slug in ("a", "b"):
        TagFactory(slug=slug)
    api.as_user(analyst)
    Token.objects.get(user=analyst)
    body = {"paper": "masuda-2010", "statement": "Not an alliance.", "tags": ["a", "b"]}
    ends = []
    for start in (0, 28):
        with django_assert_num_queries(CLAIM_CREATE_QUERIES):
            r = api.post("/api/v1/claims/", {**body, "target": {"start": start, "end": start + 26}}, format="json")
        assert r.status_code == 201, r.content
        assert r.json()["tags"] == ["a", "b"]
        assert r.json() == api.get(f"/api/v1/claims/{r.json()['id']}/").json()  # the answer is what was stored
        ends.append(r.json()["id"])
    with django_assert_num_queries(LINK_CREATE_QUERIES):
        r = api.post("/api/v1/links/", {"source": ends[0], "target": ends[1], "relation": "supports"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["source"]["id"] == ends[0]
    assert r.json() == api.get(f"/api/v1/links/{r.json()['id']}/").json()
