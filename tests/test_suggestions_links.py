"""Link suggestions between existing claims: the pure pairing (hypothesis), the API (shape, visibility, accept
with provenance, reject remembered) and the queue page."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.models import Link, Stance, Status
from projects.models import ProjectRole
from suggestions.models import LinkJudgement, SuggestionOrigin
from suggestions.pairs import PairClaim, rank_pairs
from tests.factories import (
    AuthorFactory,
    ClaimFactory,
    LinkFactory,
    MembershipFactory,
    PaperFactory,
    TagFactory,
    UserFactory,
)

# -- the pure pairing ----------------------------------------------------------------------------------------

claim_lists = st.lists(
    st.tuples(
        st.integers(0, 4),  # paper
        st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from(["affirms", "denies", "qualifies"])),
        st.lists(st.floats(-1, 1), min_size=4, max_size=4),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(claim_lists, st.integers(1, 20), st.data())
def test_pairs_are_by_other_authors_unjudged_best_first_and_at_most_k(rows, k, data):
    authors = {0: {"x"}, 1: {"y"}, 2: {"x", "z"}, 3: set(), 4: {"w"}}
    claims = [
        PairClaim(key=n, paper=p, authors=frozenset(authors[p]), tags=tags) for n, (p, tags, _) in enumerate(rows)
    ]
    vectors = np.array([v for *_, v in rows], dtype=np.float32).reshape(len(rows), 4) + 1e-3
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    possible = [frozenset((a.key, b.key)) for a in claims for b in claims if a.key < b.key]
    excluded = set(data.draw(st.lists(st.sampled_from(possible), max_size=5))) if possible else set()
    found = rank_pairs(claims, vectors, excluded, k)
    assert len(found) <= k
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    seen = set()
    for s in found:
        a, b = claims[s.source], claims[s.target]
        assert a.paper != b.paper
        assert not (a.authors & b.authors)
        assert frozenset((a.key, b.key)) not in excluded
        assert frozenset((a.key, b.key)) not in seen
        seen.add(frozenset((a.key, b.key)))
        opposite = any({a.tags[t], b.tags[t]} == {"affirms", "denies"} for t in a.tags.keys() & b.tags.keys())
        assert (s.relation == "conflicts") == opposite
    allowed = [p for p in possible if p not in excluded
               and (lambda a, b: a.paper != b.paper and not (a.authors & b.authors))(*(claims[i] for i in p))]  # fmt: skip
    assert len(found) == min(k, len(allowed))


# -- the API and the page -----------------------------------------------------------------------------------


@pytest.fixture
def pairs(db, analyst, other_analyst):
    xu, yu = AuthorFactory(name="Xu"), AuthorFactory(name="Yu")
    a = PaperFactory(slug="a-xu", authors=[xu], text="The SCO is not an alliance. Joint exercises are held.")
    b = PaperFactory(slug="b-yu", authors=[yu], text="The SCO is no alliance at all. Energy deals matter.")
    c = PaperFactory(slug="c-xu", authors=[xu], text="The SCO is not an alliance, Xu says again.")
    tag = TagFactory(slug="not-an-alliance")
    mine = ClaimFactory(paper=a, at=(0, 27), created_by=analyst, statement="Not an alliance", tags=[tag])
    theirs = ClaimFactory(
        paper=b, at=(0, 30), created_by=analyst, statement="No alliance", stance=Stance.DENIES, tags=[tag],
        status=Status.APPROVED,
    )  # fmt: skip
    same_author = ClaimFactory(paper=c, at=(0, 27), created_by=analyst, statement="Not an alliance", tags=[tag])
    hidden = ClaimFactory(paper=b, at=(31, 50), created_by=other_analyst, statement="Energy", tags=[tag])
    return mine, theirs, same_author, hidden


def test_link_suggestions_shape_and_visibility(api, analyst, pairs, django_assert_num_queries):
    mine, theirs, same_author, hidden = pairs
    api.as_user(analyst)
    with django_assert_num_queries(7):
        response = api.get("/api/v1/links/suggestions/", {"k": 10})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["project"] == "sco-security-cooperation"
    ids = [{r["source"]["id"], r["target"]["id"]} for r in body["results"]]
    assert {str(mine.pk), str(theirs.pk)} in ids
    assert {str(theirs.pk), str(same_author.pk)} in ids
    assert {str(mine.pk), str(same_author.pk)} not in ids  # one author wrote both papers
    assert not any(str(hidden.pk) in pair for pair in ids)  # a pending claim of someone else's
    first = next(r for r in body["results"] if {r["source"]["id"], r["target"]["id"]} == {str(mine.pk), str(theirs.pk)})
    assert first["relation"] == "conflicts"
    assert "shared tags: not-an-alliance" in first["why"]
    assert "opposite stance on not-an-alliance" in first["why"]
    assert set(first["source"]) == {"id", "paper", "exact", "statement", "status"}


def test_linked_pairs_are_not_suggested(api, analyst, pairs):
    mine, theirs, *_ = pairs
    LinkFactory(source=mine, target=theirs, created_by=analyst)
    ids = [
        {r["source"]["id"], r["target"]["id"]}
        for r in api.as_user(analyst).get("/api/v1/links/suggestions/").json()["results"]
    ]
    assert {str(mine.pk), str(theirs.pk)} not in ids


def test_accept_makes_a_pending_link_with_provenance(api, analyst, pairs):
    mine, theirs, *_ = pairs
    body = {"source": str(mine.pk), "target": str(theirs.pk), "relation": "conflicts", "score": 0.9}
    response = api.as_user(analyst).post("/api/v1/links/suggestions/accept/", body, format="json")
    assert response.status_code == 201, response.json()
    link = Link.objects.get(pk=response.json()["id"])
    assert (link.source, link.target, link.relation, link.status) == (mine, theirs, "conflicts", Status.PENDING)
    origin = SuggestionOrigin.objects.get(link=link)
    assert (origin.kind, origin.method, origin.accepted_by, origin.score) == ("link", "link-suggestions", analyst, 0.9)
    assert LinkJudgement.objects.get().accepted


def test_reject_is_remembered(api, analyst, pairs):
    mine, theirs, *_ = pairs
    body = {"source": str(theirs.pk), "target": str(mine.pk)}
    assert api.as_user(analyst).post("/api/v1/links/suggestions/reject/", body, format="json").status_code == 200
    ids = [{r["source"]["id"], r["target"]["id"]} for r in api.get("/api/v1/links/suggestions/").json()["results"]]
    assert {str(mine.pk), str(theirs.pk)} not in ids
    assert not Link.objects.exists()


def test_claims_one_may_not_see_cannot_be_judged(api, analyst, reader, pairs):
    mine, _, _, hidden = pairs
    body = {"source": str(mine.pk), "target": str(hidden.pk)}
    response = api.as_user(analyst).post("/api/v1/links/suggestions/reject/", body, format="json")
    assert response.status_code == 400
    assert "target" in response.json()
    assert api.as_user(reader).post("/api/v1/links/suggestions/reject/", body, format="json").status_code in (400, 403)
    assert not LinkJudgement.objects.exists()


def test_the_queue_page_accepts_and_rejects(client, analyst, pairs):
    mine, theirs, same_author, _ = pairs
    client.force_login(analyst)
    page = client.get("/suggestions/links/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-source="{mine.pk}"' in html or f'data-target="{mine.pk}"' in html
    response = client.post(
        "/suggestions/links/judge/?project=sco-security-cooperation",
        {"source": str(mine.pk), "target": str(theirs.pk), "relation": "conflicts", "decision": "accept"},
    )
    assert response.status_code == 302
    assert Link.objects.filter(source=mine, target=theirs, status=Status.PENDING).exists()
    client.post(
        "/suggestions/links/judge/?project=sco-security-cooperation",
        {"source": str(theirs.pk), "target": str(same_author.pk), "decision": "reject"},
    )
    assert LinkJudgement.objects.filter(accepted=False).count() == 1
    followed = client.get("/suggestions/links/")
    assert "will not be suggested again" in followed.content.decode()


def test_the_queue_page_is_for_members_only(client, pairs):
    outsider = UserFactory(username="out")
    MembershipFactory(user=outsider, role=ProjectRole.OWNER)
    client.force_login(outsider)
    assert client.get("/suggestions/links/?project=sco-security-cooperation").status_code == 404
