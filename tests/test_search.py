"""Search through the API, on whichever database the suite runs on (SQLite FTS5 or PostgreSQL's GIN index):
the query language, the filters, visibility, the index in step with edits and revisions, query counts."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import services
from projects.models import Membership, ProjectRole
from search import indexing
from search.models import SearchEntry
from tests.factories import AuthorFactory, PaperFactory, ProjectFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

MASUDA = (
    "# China's SCO policy\n"
    "The SCO is not an alliance. It fights the three evils.\n"
    "China's security concept is cooperative and comprehensive.\n"
)
ZHAO = (
    "Security cooperation against terrorism is the core of the SCO. "
    "The SCO is a regional organization, not an alliance against the United States.\n"
    "Energy pipelines bind Central Asia to China.\n"
)


@pytest.fixture
def world(analyst, moderator, reader):
    masuda = PaperFactory(
        slug="masuda-2010", year=2010, text=MASUDA, authors=[AuthorFactory(name="Masayuki Masuda", country="Japan")]
    )
    zhao = PaperFactory(slug="zhao-2015", year=2015, text=ZHAO, authors=[AuthorFactory(name="Zhao Huasheng")])
    indexing.papers_indexed([masuda.pk, zhao.pk])
    bloc = TagFactory(slug="no-bloc", name="No bloc politics")
    target = {"exact": "The SCO is not an alliance."}
    approved = services.claim_create(
        created_by=analyst, paper=masuda, target=target, statement="Beijing rejects bloc politics", tags=[bloc]
    )
    services.claim_moderate(claim_id=approved.pk, by=moderator, decision="approve")
    pending = services.claim_create(
        created_by=analyst,
        paper=zhao,
        target={"exact": "Energy pipelines bind Central Asia to China."},
        statement="Pipelines are a lever of influence",
        stance="denies",
        note="Compare with the Russian view.",
    )
    return {"masuda": masuda, "zhao": zhao, "approved": approved, "pending": pending, "tag": bloc}


def search(api, user, **params):
    return api.as_user(user).get("/api/v1/search/", params)


def found(response) -> dict[str, list[str]]:
    """Paper slug -> the kinds of its hits ('text' or the claim's id)."""
    assert response.status_code == 200, response.content
    return {
        group["paper"]["slug"]: [hit["claim"]["id"] if hit["claim"] else "text" for hit in group["passages"]]
        for group in response.json()["results"]
    }


def test_a_phrase_finds_its_words_in_order_only(api, world, moderator):
    assert set(found(search(api, moderator, q='"not an alliance"'))) == {"masuda-2010", "zhao-2015"}
    assert found(search(api, moderator, q='"alliance an not"')) == {}


def test_booleans_and_prefix(api, world, moderator):
    assert set(found(search(api, moderator, q="terrorism OR comprehensive"))) == {"masuda-2010", "zhao-2015"}
    assert set(found(search(api, moderator, q="alliance NOT terrorism"))) == {"masuda-2010"}
    assert set(found(search(api, moderator, q="alliance AND terrorism"))) == {"zhao-2015"}
    assert set(found(search(api, moderator, q="(terrorism OR pipelines) NOT energy"))) == {"zhao-2015"}
    assert found(search(api, moderator, q="secur")) == {}
    assert set(found(search(api, moderator, q="secur*"))) == {"masuda-2010", "zhao-2015"}
    assert found(search(api, moderator, q="ALLIANCE")) == found(search(api, moderator, q="alliance"))


def test_a_hit_carries_its_line_in_context_with_the_words_highlighted(api, world, moderator):
    body = search(api, moderator, q="comprehensive", paper="masuda-2010").json()
    (hit,) = body["results"][0]["passages"]
    line = hit["context"]["text"]
    assert [line[s:e] for s, e in hit["context"]["highlights"]] == ["comprehensive"]
    assert MASUDA[hit["start"] : hit["end"]] == "China's security concept is cooperative and comprehensive."
    start, end = hit["select"]
    assert hit["reader_url"] == f"/papers/masuda-2010/#at-{start}-{end}"
    assert MASUDA[start:end] == "China's security concept is cooperative and comprehensive."


def test_a_passage_hit_selects_the_sentence_that_holds_the_words(api, world, moderator):
    (group,) = search(api, moderator, q="evils").json()["results"]
    start, end = group["passages"][0]["select"]
    assert MASUDA[start:end] == "It fights the three evils."


def test_claims_are_found_by_statement_quote_note_and_speaker(api, world, moderator):
    pending = str(world["pending"].pk)
    assert found(search(api, moderator, q="lever")) == {"zhao-2015": [pending]}
    assert found(search(api, moderator, q="russian", **{"in": "claims"})) == {"zhao-2015": [pending]}
    body = search(api, moderator, q="russian").json()
    hit = body["results"][0]["passages"][0]
    assert hit["field"] == "note"
    assert hit["reader_url"] == f"/papers/zhao-2015/#claim-{pending}"
    assert hit["claim"]["stance"] == "denies"
    assert found(search(api, moderator, q="pipelines", **{"in": "text"})) == {"zhao-2015": ["text"]}


def test_filters_by_paper_author_country_and_year(api, world, moderator):
    q = '"not an alliance"'
    assert set(found(search(api, moderator, q=q, country="japan"))) == {"masuda-2010"}
    assert set(found(search(api, moderator, q=q, author="Zhao Huasheng"))) == {"zhao-2015"}
    assert set(found(search(api, moderator, q=q, year="2011-2020"))) == {"zhao-2015"}
    assert set(found(search(api, moderator, q=q, year="2010"))) == {"masuda-2010"}
    assert set(found(search(api, moderator, q=q, paper="zhao-2015"))) == {"zhao-2015"}


def test_filters_by_tag_stance_and_status_search_claims_alone(api, world, moderator):
    approved, pending = str(world["approved"].pk), str(world["pending"].pk)
    assert found(search(api, moderator, q="bloc OR pipelines", tag="no-bloc")) == {"masuda-2010": [approved]}
    assert found(search(api, moderator, q="alliance", tag="no-bloc")) == {"masuda-2010": [approved]}
    assert found(search(api, moderator, q="pipelines", stance="denies")) == {"zhao-2015": [pending]}
    assert found(search(api, moderator, q="bloc OR pipelines", status="approved")) == {"masuda-2010": [approved]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": '"unclosed'}, "q"),
        ({"q": "NOT alliance"}, "q"),
        ({"q": "alliance OR"}, "q"),
        ({"q": "(alliance"}, "q"),
        ({"q": "alliance)"}, "q"),
        ({"q": "&&& ***"}, "q"),
        ({"q": "a " * 40}, "q"),
        ({"q": "x", "paper": "nowhere"}, "paper"),
        ({"q": "x", "tag": "nowhere"}, "tag"),
        ({"q": "x", "year": "soon"}, "year"),
        ({"q": "x", "stance": "maybe"}, "stance"),
        ({"q": "x", "status": "lost"}, "status"),
        ({"q": "x", "in": "everywhere"}, "in"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "per_paper": "1000"}, "per_paper"),
    ],
)
def test_a_refused_query_or_filter_is_a_400_naming_it(api, world, moderator, params, field):
    r = search(api, moderator, **params)
    assert r.status_code == 400, r.content
    assert list(r.json()) == [field]
    assert r.json()[field][0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("ab \"()*-:^&|!'NOTANDR{}[]~\\é中\x00")), max_size=40) | st.text())
def test_any_query_is_answered_200_or_400(api, world, moderator, text):
    r = search(api, moderator, q=text)
    assert r.status_code in (200, 400), (text, r.content)


def test_the_results_follow_a_claim_edit(api, world, analyst, moderator):
    pending = world["pending"]
    services.claim_update(claim_id=pending.pk, by=analyst, version=pending.version, statement="Pipes as leverage")
    assert found(search(api, moderator, q="lever")) == {}
    assert found(search(api, moderator, q="leverage")) == {"zhao-2015": [str(pending.pk)]}


def test_the_results_follow_a_revision_of_the_text(api, world, moderator):
    zhao = world["zhao"]
    new_text = ZHAO.replace("Energy pipelines", "Oil and gas pipelines") + "A new paragraph on water.\n"
    services.paper_revise(paper=zhao, by=moderator, text=new_text)
    assert found(search(api, moderator, q="energy", **{"in": "text"})) == {}
    body = search(api, moderator, q="water").json()
    (hit,) = body["results"][0]["passages"]
    assert new_text[hit["start"] : hit["end"]] == "A new paragraph on water."
    # The claim moved with the words: its entry too.
    entry = SearchEntry.objects.get(claim=world["pending"])
    world["pending"].refresh_from_db()
    assert (entry.start, entry.end) == (world["pending"].start, world["pending"].end)


def test_a_reader_sees_approved_claims_and_every_passage(api, world, reader):
    assert found(search(api, reader, q="lever")) == {}
    assert found(search(api, reader, q="bloc")) == {"masuda-2010": [str(world["approved"].pk)]}
    assert set(found(search(api, reader, q="alliance"))) == {"masuda-2010", "zhao-2015"}


def test_an_analyst_sees_their_own_pending_claims_not_others(api, world, analyst, other_analyst):
    assert found(search(api, analyst, q="lever")) == {"zhao-2015": [str(world["pending"].pk)]}
    assert found(search(api, other_analyst, q="lever")) == {}


def test_a_deleted_claim_is_not_found(api, world, analyst, moderator):
    services.claim_delete(claim_id=world["pending"].pk, by=moderator)
    assert found(search(api, analyst, q="lever")) == {}
    assert found(search(api, moderator, q="lever")) == {}


def test_another_projects_papers_are_not_searched_and_a_non_member_gets_404(api, world, moderator):
    other = ProjectFactory(slug="elsewhere")
    paper = PaperFactory(project=other, slug="secret-2020", text="The alliance is secret.", authors=[])
    indexing.paper_indexed(paper)
    assert "secret-2020" not in found(search(api, moderator, q="alliance"))
    assert search(api, moderator, q="alliance", project="elsewhere").status_code == 404
    outsider = UserFactory(username="out")
    Membership.objects.create(project=other, user=outsider, role=ProjectRole.READER)
    assert found(search(api, outsider, q="alliance", project="elsewhere")) == {"secret-2020": ["text"]}
    assert search(api, outsider, q="alliance").status_code == 404


def test_results_are_grouped_by_paper_and_paged(api, world, moderator):
    first = search(api, moderator, q="alliance OR china", page_size=1, per_paper=1).json()
    assert (first["count"], first["pages"], first["page"]) == (2, 2, 1)
    second = search(api, moderator, q="alliance OR china", page_size=1, per_paper=1, page=2).json()
    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["paper"]["slug"] != second["results"][0]["paper"]["slug"]
    assert first["results"][0]["hits"] + second["results"][0]["hits"] == first["hits"]
    beyond = search(api, moderator, q="alliance OR china", page_size=1, page=5).json()
    assert (beyond["results"], beyond["count"]) == ([], 2)


def test_the_query_count_of_a_search_does_not_grow_with_hits(api, world, analyst, moderator, django_assert_num_queries):
    """Token and user (1), memberships (1), the tag (1, with a tag filter only), the hits (1), the papers and their
    bylines (2), the claims and their codings (2)."""
    api.as_user(moderator)
    with django_assert_num_queries(7):
        assert api.get("/api/v1/search/", {"q": "alliance OR pipelines"}).status_code == 200
    for n in range(5):
        services.claim_create(
            created_by=analyst, paper=world["masuda"], target={"exact": "It fights the three evils."},
            statement=f"Alliance claim {n}", speaker=f"Speaker {n}",
        )  # fmt: skip
    with django_assert_num_queries(7):
        r = api.get("/api/v1/search/", {"q": "alliance OR pipelines", "per_paper": 20})
    assert sum(len(group["passages"]) for group in r.json()["results"]) == 10


def test_the_reindex_command_rebuilds_what_was_written_around_the_services(world, moderator):
    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    call_command("search_reindex")
    assert SearchEntry.objects.filter(claim__isnull=False).count() == 2
    assert SearchEntry.objects.filter(claim__isnull=True, paper=world["masuda"]).count() == 3


def test_only_members_with_a_role_search(api, world):
    nobody = UserFactory(username="nobody")
    assert api.as_user(nobody).get("/api/v1/search/", {"q": "alliance"}).status_code == 403
    api.credentials()
    assert api.get("/api/v1/search/", {"q": "alliance"}).status_code == 401
