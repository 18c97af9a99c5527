"""Independent coding hides the others' work everywhere: while a round is open on a paper, its readers and
analysts see only their own claims and links there, on every page, endpoint and export; owners and moderators see
all; closing the round reveals it (by the usual rules of each role).

The world: the default project with two papers; ann (analyst) coded the round's paper (an approved and a pending
claim, a link between them) with words found nowhere else, and the other paper too; bob (analyst) coded the
round's paper; rita reads. Each case is run for a round of the one paper and for a round of every paper."""

import io
import zipfile

import pytest
from django.test import Client

from projects.models import ProjectRole, default_project
from rounds import services
from tests.conftest import Api
from tests.factories import ClaimFactory, LinkFactory, MembershipFactory, PaperFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# Words of ann's work on the round's paper: none may reach bob or rita while the round is open.
MARKERS = ("Aardvark approved", "Aardvark pending", "Aardvarklink", "Aardvark note")
OTHER = "Otter on the other paper"  # ann's approved claim on the paper outside a round of one paper
TEXT = "The first sentence of the round paper is here. A second sentence follows it. And a third one ends it."


@pytest.fixture(params=["paper", "project"])
def world(request, db):
    project = default_project()
    owner, mona, ann, bob, rita = (UserFactory(username=name) for name in ("olga", "mona", "ann", "bob", "rita"))
    for user, role in (
        (owner, ProjectRole.OWNER), (mona, ProjectRole.MODERATOR), (ann, ProjectRole.ANALYST),
        (bob, ProjectRole.ANALYST), (rita, ProjectRole.READER),
    ):  # fmt: skip
        MembershipFactory(project=project, user=user, role=role)
    paper = PaperFactory(slug="round-paper", text=TEXT)
    other = PaperFactory(slug="other-paper", text=TEXT)
    tag = TagFactory(slug="trade")
    approved = ClaimFactory(
        paper=paper, created_by=ann, status="approved", at=(0, 18), statement="Aardvark approved", tags=[tag],
        note="Aardvark note",
    )  # fmt: skip
    pending = ClaimFactory(paper=paper, created_by=ann, at=(47, 70), statement="Aardvark pending")
    link = LinkFactory(source=approved, target=pending, created_by=ann, rationale="Aardvarklink", status="approved")
    mine = ClaimFactory(paper=paper, created_by=bob, at=(0, 18), statement="Bob's own reading")
    elsewhere = ClaimFactory(paper=other, created_by=ann, status="approved", at=(0, 18), statement=OTHER)
    coding_round = services.round_open(
        project=project, by=owner, paper="round-paper" if request.param == "paper" else ""
    )
    return {
        "scope": request.param, "project": project, "round": coding_round, "owner": owner, "mona": mona,
        "ann": ann, "bob": bob, "rita": rita, "approved": approved, "pending": pending, "link": link,
        "mine": mine, "elsewhere": elsewhere,
    }  # fmt: skip


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", "replace")


def leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


API = [
    "/api/v1/claims/",
    "/api/v1/claims/?q=Aardvark",
    "/api/v1/claims/?status=pending",
    "/api/v1/claims/?paper=round-paper",
    "/api/v1/links/",
    "/api/v1/papers/",
    "/api/v1/papers/round-paper/",
    "/api/v1/papers/round-paper/claims/",
    "/api/v1/claims/{mine}/history/",
    "/api/v1/map/?include=pending",
    "/api/v1/compare/?include=pending",
    "/api/v1/export/claims.json",
    "/api/v1/export/w3c.jsonld",
    "/api/v1/export/aif.json",
    "/api/v1/export/graph.graphml",
    "/api/v1/export/claims.csv",
    "/api/v1/export/links.csv",
    "/api/v1/export/project.qdpx",
    "/api/v1/export/datapackage.zip",
    "/api/v1/export/tables/papers.csv",
    "/api/v1/export/network/conflict.csv?include=pending",
    "/api/v1/export/network/congruence.graphml?include=pending",
    "/api/v1/claims/{mine}/suggestions/?k=50",
    "/api/v1/links/suggestions/?project=sco-security-cooperation&k=50",
]
PAGES = [
    "/papers/",
    "/papers/round-paper/",
    "/papers/round-paper/text/",
    "/map/",
    "/compare/",
    "/projects/sco-security-cooperation/",
    "/projects/sco-security-cooperation/rounds/",
    "/projects/sco-security-cooperation/codebook/",
    "/claims/{mine}/history/",
    "/suggestions/links/?project=sco-security-cooperation",
]
# Named by id: not found for those who may not see them.
HIDDEN = [
    ("api", "/api/v1/claims/{approved}/"),
    ("api", "/api/v1/claims/{approved}/history/"),
    ("api", "/api/v1/claims/{approved}/suggestions/"),
    ("api", "/api/v1/claims/{pending}/suggestions/"),
    ("api", "/api/v1/links/{link}/"),
    ("api", "/api/v1/links/{link}/history/"),
    ("page", "/claims/{approved}/history/"),
    ("page", "/links/{link}/history/"),
]
# The agreement report quotes everyone's work: owners and moderators only (403 for the others, saying nothing).
# So does curation, which sets everyone's versions side by side.
REFUSED = [
    ("api", "/api/v1/agreement/"),
    ("page", "/projects/sco-security-cooperation/agreement/"),
    ("api", "/api/v1/papers/round-paper/curation/"),
    ("page", "/projects/sco-security-cooperation/papers/round-paper/curate/"),
]


def concrete(path: str, world) -> str:
    return path.format(**{name: world[name].pk for name in ("approved", "pending", "link", "mine")})


def get(world, who: str, kind: str, path: str):
    user = world[who]
    if kind == "api":
        return Api().as_user(user).get(concrete(path, world))
    client = Client()
    client.force_login(user)
    return client.get(concrete(path, world))


@pytest.mark.parametrize("who", ["bob", "rita"])
@pytest.mark.parametrize(("kind", "path"), [("api", path) for path in API] + [("page", path) for path in PAGES])
def test_an_open_round_hides_the_others_work_everywhere(world, who, kind, path):
    response = get(world, who, kind, path)
    # Bob's pending claim is his and the moderators' alone: a reader asking for its history is not answered.
    expected = 404 if who == "rita" and "{mine}" in path else 200
    assert response.status_code == expected, (path, response.status_code, body(response)[:300])
    assert not leaks(body(response)), path


@pytest.mark.parametrize("who", ["bob", "rita"])
@pytest.mark.parametrize(("kind", "path"), HIDDEN)
def test_the_others_items_named_by_id_are_not_found(world, who, kind, path):
    response = get(world, who, kind, path)
    assert response.status_code == 404
    assert not leaks(body(response))


@pytest.mark.parametrize("who", ["bob", "rita"])
@pytest.mark.parametrize(("kind", "path"), REFUSED)
def test_the_agreement_report_and_curation_are_refused_to_readers_and_analysts(world, who, kind, path):
    response = get(world, who, kind, path)
    assert response.status_code == 403
    assert not leaks(body(response))


@pytest.mark.parametrize("who", ["mona", "owner"])
@pytest.mark.parametrize(
    "path", ["/api/v1/claims/?include=pending", "/api/v1/export/claims.json", "/api/v1/links/", "/papers/round-paper/"]
)
def test_moderators_and_owners_see_everyones_work(world, who, path):
    response = get(world, who, "page" if path.startswith("/papers") else "api", path)
    assert response.status_code == 200
    text = body(response)
    expected = ["Aardvarklink"] if "links" in path else ["Aardvark approved", "Aardvark pending"]
    if path.startswith("/papers"):
        expected = ["Aardvark approved"]
    assert all(marker in text for marker in expected), path


def test_analysts_see_their_own_work_and_the_round_limits_the_rest(world):
    api = Api().as_user(world["bob"])
    ids = {claim["id"] for claim in api.get("/api/v1/claims/").json()["results"]}
    outside = {str(world["elsewhere"].pk)} if world["scope"] == "paper" else set()
    assert ids == {str(world["mine"].pk)} | outside
    assert api.get(f"/api/v1/claims/{world['mine'].pk}/").status_code == 200
    # The analyst cannot link to a claim they cannot see either.
    refused = api.post(
        "/api/v1/links/",
        {"source": str(world["mine"].pk), "target": str(world["approved"].pk), "relation": "supports"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"target": [f'Unknown claim "{world["approved"].pk}".']}


def test_closing_the_round_reveals_the_work_by_the_usual_rules(world):
    services.round_close(coding_round=world["round"], by=world["owner"])
    bob = Api().as_user(world["bob"])
    seen = body(bob.get("/api/v1/export/claims.json"))
    assert "Aardvark approved" in seen
    assert "Aardvarklink" not in seen  # its target is ann's pending claim, which analysts never see
    assert "Aardvark pending" not in seen  # pending work of others stays with its author and the moderators
    assert bob.get(f"/api/v1/claims/{world['approved'].pk}/").status_code == 200
    rita = Api().as_user(world["rita"])
    assert "Aardvark approved" in body(rita.get("/api/v1/claims/"))


def test_a_round_of_one_paper_leaves_the_others_as_they_were(world):
    if world["scope"] != "paper":
        pytest.skip("a round of every paper covers the other paper too")
    assert OTHER in body(Api().as_user(world["rita"]).get("/api/v1/claims/"))


def test_the_native_export_carries_the_independent_layers_when_asked(world):
    import json

    mona = Api().as_user(world["mona"])
    services.assignment_add(coding_round=world["round"], by=world["owner"], analyst="ann", paper="round-paper")
    services.assignment_add(coding_round=world["round"], by=world["owner"], analyst="bob", paper="round-paper")
    document = json.loads(body(mona.get("/api/v1/export/claims.json?layers=independent")))
    (found,) = document["coding_rounds"]
    assert found["open"] is True
    assert found["paper"] == ("round-paper" if world["scope"] == "paper" else None)
    assert [a["analyst"] for a in found["assignments"]] == ["ann", "bob"]
    assert found["layers"]["ann"] == {
        "independent": True,
        "claims": sorted([str(world["approved"].pk), str(world["pending"].pk)]),
        "links": [str(world["link"].pk)],
    }
    assert found["layers"]["bob"]["claims"] == [str(world["mine"].pk)]
    assert "coding_rounds" not in json.loads(body(mona.get("/api/v1/export/claims.json")))
    # The layers are the moderators'; an analyst asking is refused, not answered with the others' ids.
    refused = Api().as_user(world["bob"]).get("/api/v1/export/claims.json?layers=independent")
    assert refused.status_code == 400
    assert list(refused.json()) == ["layers"]


@pytest.mark.parametrize(("who", "round_paper", "trade"), [("bob", 1, 0), ("rita", 0, 0), ("mona", 3, 1)])
def test_counts_count_only_what_the_viewer_may_see(world, who, round_paper, trade):
    from annotations.selectors import codebook_tree, papers_with_claim_counts

    counts = {paper.slug: paper.claims_total for paper in papers_with_claim_counts(world[who], world["project"])}
    assert counts["round-paper"] == round_paper
    tags = {entry.tag.slug: entry for entry in codebook_tree(world["project"], world[who])}
    assert tags["trade"].claims == trade


@pytest.fixture
def fresh_suggestions():
    from suggestions import indexing

    indexing.forget_project_indexes()
    yield
    indexing.forget_project_indexes()


def test_suggestions_name_no_hidden_claim_and_count_no_hidden_judgement(world, fresh_suggestions):
    import hashlib

    from suggestions import links, selectors
    from suggestions.models import LinkJudgement, PassageJudgement

    bob, ann, project = world["bob"], world["ann"], world["project"]
    round_paper, other = world["approved"].paper, world["elsewhere"].paper
    # Bob's claim on the other paper is his under either round; ann judged for it a passage of the round paper
    # and rejected linking it to bob's claim there (made before the round, say): her independent readings.
    asked = ClaimFactory(paper=other, created_by=bob, at=(0, 18), statement="Bob's reading elsewhere")
    second = TEXT.index("A second")
    PassageJudgement.objects.create(
        claim=asked, paper=round_paper, start=second, end=second + 24, exact=TEXT[second : second + 24],
        text_sha256=hashlib.sha256(TEXT.encode()).hexdigest(), accepted=False, judged_by=ann,
    )  # fmt: skip
    first, last = sorted((asked, world["mine"]), key=lambda claim: claim.pk)
    LinkJudgement.objects.create(first=first, second=last, accepted=False, judged_by=ann)

    response = Api().as_user(bob).get(f"/api/v1/claims/{asked.pk}/suggestions/?k=50")
    assert response.status_code == 200
    results = response.json()["results"]
    hidden = {str(world["approved"].pk), str(world["pending"].pk)}
    assert results
    assert not [r for r in results if r["claim"] in hidden]
    assert not leaks(body(response))
    # Ann's rejection is not bob's: the passage is still offered to him.
    assert any(r["paper"] == "round-paper" and "A second sentence" in r["exact"] for r in results)

    knowledge = selectors.project_knowledge(bob, project.pk)
    assert not {c.key for c in knowledge.claims} & {world["approved"].pk, world["pending"].pk}
    assert not [j for j in knowledge.judgements if j.paper == round_paper.pk]
    # Moderators count everyone's judgements.
    assert [j for j in selectors.project_knowledge(world["mona"], project.pk).judgements if j.paper == round_paper.pk]

    pairs = {frozenset((s.source.pk, s.target.pk)) for s in links.link_suggestions(bob, project, 50)}
    assert frozenset((asked.pk, world["mine"].pk)) in pairs
    assert frozenset((asked.pk, world["mine"].pk)) not in {
        frozenset((s.source.pk, s.target.pk)) for s in links.link_suggestions(world["mona"], project, 50)
    }


def test_accepting_a_passage_cannot_name_a_hidden_claim(world, fresh_suggestions):
    from annotations.models import Link

    bob = Api().as_user(world["bob"])
    asked = ClaimFactory(paper=world["elsewhere"].paper, created_by=world["bob"], at=(0, 18), statement="Bob's")
    links = Link.objects.count()
    response = bob.post(
        f"/api/v1/claims/{asked.pk}/suggestions/accept/",
        {"paper": "round-paper", "start": 0, "end": 18, "relation": "same", "claim": str(world["approved"].pk)},
        format="json",
    )
    assert response.status_code == 404
    assert not leaks(body(response))
    assert Link.objects.count() == links
