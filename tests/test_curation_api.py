"""The curation API: the board and the four decisions, by the contract's words; refusals by name; the schema."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from annotations.models import Claim, Role, Status
from curation.models import Curation
from tests.factories import ClaimFactory, LinkFactory, MembershipFactory, PaperFactory, TagFactory, UserFactory

BOARD = "/api/v1/papers/masuda-2010/curation/"


@pytest.fixture
def unit(db, paper, analyst, other_analyst):
    tag = TagFactory(slug="not-an-alliance")
    ana = ClaimFactory(paper=paper, created_by=analyst, at=(0, 27), statement="Not an alliance.", tags=[tag])
    otto = ClaimFactory(paper=paper, created_by=other_analyst, at=(0, 26), statement="No alliance.", speaker="SCO")
    return ana, otto


def test_the_board_shows_the_versions_side_by_side(api, unit, moderator):
    answer = api.as_user(moderator).get(BOARD)
    assert answer.status_code == 200
    body = answer.json()
    assert body["coders"] == ["ana", "otto"]
    (row,) = body["results"]
    assert row["versions"]["ana"]["codings"] == [{"tag": "not-an-alliance", "stance": "affirms"}]
    assert row["versions"]["otto"]["speaker"] == "SCO"
    assert row["decision"] is None


@pytest.mark.parametrize("role", [Role.READER, Role.ANALYST])
def test_readers_and_analysts_are_refused(api, unit, role):
    ana, otto = unit
    user = UserFactory(role=role)
    assert api.as_user(user).get(BOARD).status_code == 403
    answer = api.as_user(user).post(
        BOARD + "accept/", {"versions": [str(ana.pk), str(otto.pk)], "keep": str(ana.pk)}, format="json"
    )
    assert answer.status_code == 403
    assert "Only moderators and owners" in answer.json()["detail"]
    assert not Curation.objects.exists()


def test_a_paper_of_another_project_is_a_404(api, unit):
    stranger = UserFactory()
    MembershipFactory(user=stranger, role="owner")
    assert api.as_user(stranger).get(BOARD).status_code == 404


def test_accept(api, unit, moderator):
    ana, otto = unit
    answer = api.as_user(moderator).post(
        BOARD + "accept/", {"versions": [str(ana.pk), str(otto.pk)], "keep": str(otto.pk)}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["action"] == "accept"
    assert body["by"] == "mo"
    assert body["result"]["id"] == str(otto.pk)
    assert body["result"]["status"] == Status.APPROVED
    assert api.get(BOARD).json()["counts"] == {"units": 1, "decided": 1}


def test_merge_and_its_sources(api, unit, moderator):
    ana, otto = unit
    answer = api.as_user(moderator).post(
        BOARD + "merge/",
        {"versions": [str(ana.pk), str(otto.pk)], "quote": str(ana.pk), "statement": str(otto.pk)},
        format="json",
    )
    assert answer.status_code == 201
    made = Claim.objects.get(pk=answer.json()["result"]["id"])
    assert (made.exact, made.statement, made.status) == ("The SCO is not an alliance.", "No alliance.", "approved")
    assert answer.json()["sources"]["statement"] == str(otto.pk)


def test_edit_with_tags(api, unit, moderator):
    ana, otto = unit
    answer = api.as_user(moderator).post(
        BOARD + "edit/",
        {
            "versions": [str(ana.pk), str(otto.pk)],
            "base": str(ana.pk),
            "statement": "The SCO is not a military alliance.",
            "tags": [{"tag": "not-an-alliance", "stance": "denies"}],
        },
        format="json",
    )
    assert answer.status_code == 201
    made = Claim.objects.get(pk=answer.json()["result"]["id"])
    assert [(c.tag.slug, c.stance) for c in made.codings.all()] == [("not-an-alliance", "denies")]
    assert answer.json()["sources"]["edited"] == ["statement", "tags"]


def test_edit_with_an_unknown_tag_is_a_400_naming_tags(api, unit, moderator):
    ana, _otto = unit
    answer = api.as_user(moderator).post(
        BOARD + "edit/",
        {"versions": [str(ana.pk)], "base": str(ana.pk), "tags": [{"tag": "nope", "stance": "affirms"}]},
        format="json",
    )
    assert answer.status_code == 400
    assert "tags" in answer.json()
    assert Claim.objects.count() == 2


def test_reject_needs_a_reason(api, unit, moderator):
    ana, _otto = unit
    answer = api.as_user(moderator).post(BOARD + "reject/", {"versions": [str(ana.pk)]}, format="json")
    assert answer.status_code == 400
    assert "reason" in answer.json()
    answer = api.post(BOARD + "reject/", {"versions": [str(ana.pk)], "reason": "Not a claim."}, format="json")
    assert answer.status_code == 201
    assert answer.json()["result"] is None


def test_a_version_of_another_paper_is_a_400(api, unit, moderator):
    ana, _ = unit
    other = ClaimFactory(paper=PaperFactory(), at=(0, 10))
    answer = api.as_user(moderator).post(
        BOARD + "accept/", {"versions": [str(ana.pk), str(other.pk)], "keep": str(ana.pk)}, format="json"
    )
    assert answer.status_code == 400
    assert "versions" in answer.json()


def test_the_board_reads_in_a_fixed_number_of_queries(api, paper, moderator, django_assert_num_queries):
    tag = TagFactory(slug="t")
    coders = [UserFactory(role=Role.ANALYST) for _ in range(3)]
    for coder in coders:
        for start in (0, 28, 56):
            ClaimFactory(paper=paper, created_by=coder, at=(start, start + 20), tags=[tag])
    api.as_user(moderator).get(BOARD)  # the token and the memberships once
    # token+user, memberships, the paper, its round's analysts, versions, codings, links, decisions
    with django_assert_num_queries(9):
        body = api.get(BOARD).json()
    assert body["counts"]["units"] == 3
    unit = body["results"][0]
    ids = [version["id"] for version in unit["versions"].values()]
    api.post(BOARD + "accept/", {"versions": ids, "keep": ids[0]}, format="json")
    with django_assert_num_queries(10):  # and the decisions' versions
        body = api.get(BOARD).json()
    assert body["counts"]["decided"] == 1


def test_the_schema_documents_the_curation_operations(db):
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for action in ("accept", "merge", "edit", "reject"):
        operation = paths[f"/api/v1/papers/{{slug}}/curation/{action}/"]["post"]
        assert "201" in operation["responses"]
        assert "requestBody" in operation
    assert "get" in paths["/api/v1/papers/{slug}/curation/"]


def test_the_board_pages_like_the_rest_of_the_api(
    api, paper, moderator, analyst, other_analyst, django_assert_num_queries
):
    """`?page=` and `?page_size=` (1 to 1,000), `count`/`next`/`previous`/`results`; the paper's counts stay whole;
    only the page's versions have their links read; `?show=undecided` leaves the decided units out."""
    units = []
    for start in (0, 28, 56, 84, 112):
        ana = ClaimFactory(paper=paper, created_by=analyst, at=(start, start + 20))
        otto = ClaimFactory(paper=paper, created_by=other_analyst, at=(start, start + 19))
        units.append((ana, otto))
    ana, otto = units[4]
    ClaimFactory(paper=paper, created_by=otto.created_by, at=(0, 20), status=Status.APPROVED)  # a third one at 0
    LinkFactory(source=units[0][0], target=units[4][0], created_by=analyst)
    api.as_user(moderator).get(BOARD)
    with django_assert_num_queries(9):
        first = api.get(BOARD, {"page_size": 2}).json()
    assert first["count"] == 6
    assert first["counts"] == {"units": 6, "decided": 0}
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert "page_size=2" in first["next"]
    assert [unit["start"] for unit in first["results"]] == [0, 0]
    assert first["coders"] == ["ana", "otto"]
    linked = [unit for unit in first["results"] if "ana" in unit["versions"] and unit["versions"]["ana"]["links"]]
    assert [link["direction"] for unit in linked for link in unit["versions"]["ana"]["links"]] == ["to"]
    last = api.get(BOARD, {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    assert [unit["start"] for unit in last["results"]] == [84, 112]
    assert last["results"][1]["versions"]["ana"]["links"][0]["direction"] == "from"
    assert api.get(BOARD).json()["count"] == 6  # 50 by default: one page
    api.post(BOARD + "accept/", {"versions": [str(ana.pk), str(otto.pk)], "keep": str(ana.pk)}, format="json")
    undecided = api.get(BOARD, {"show": "undecided"}).json()
    assert undecided["count"] == 5
    assert undecided["counts"] == {"units": 6, "decided": 1}
    assert all(unit["decision"] is None for unit in undecided["results"])
    assert api.get(BOARD, {"page_size": 0}).json() == {
        "page_size": ["Give page_size as a whole number from 1 to 1000."]
    }
    assert api.get(BOARD, {"page_size": 1001}).status_code == 400
    assert api.get(BOARD, {"page": 9}).status_code == 404


def test_the_schema_documents_the_board_as_a_page(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/papers/{slug}/curation/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"slug", "page", "page_size", "show"}
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    board = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(board["properties"]) == {"count", "next", "previous", "paper", "coders", "counts", "results"}
