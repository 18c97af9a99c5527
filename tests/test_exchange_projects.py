"""Exchange per project: every export takes `project` (a slug) with the claims/ filters and shows only that
project, a project one is not a member of is a 404 in every format, the default project when none is named;
proposed tags leave the project only where a format says so; imports land in the project named.

The world: the default project A (Alfred's paper, an accepted tag) and project B "other" (Bertha's paper, an
accepted tag, a proposal a pending claim uses, a proposal nobody uses)."""

import io
import json
import zipfile

import pytest

from annotations import services
from annotations.exports import refiqda
from annotations.models import Claim, Paper, Role, Status, Tag, TagStatus
from projects import services as project_services
from projects.models import ProjectRole, default_project
from tests.conftest import Api
from tests.factories import (
    AuthorFactory,
    ClaimFactory,
    LinkFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    UserFactory,
)
from tests.test_exchange_hypothesis import row, search_response
from tests.test_exchange_native import empty_the_instance
from tests.test_exchange_qda_import import foreign_project, upload

pytestmark = pytest.mark.django_db

A_MARKERS = ("a-paper", "a-tag", "Alfred Alpha")
B_MARKERS = ("b-paper", "b-tag", "Bertha Beta")
B_TEXT = "Bertha says the SCO is a club. Others say the SCO is a forum for talks."

TABLES = ("papers", "authors", "bylines", "tags", "claims", "codings", "statements")
EXPORTS = [
    "export/claims.json",
    "export/w3c.jsonld",
    "export/aif.json",
    "export/graph.graphml",
    "export/claims.csv",
    "export/project.qdpx",
    "export/datapackage.zip",
    "export/links.csv",
    *(f"export/tables/{table}.csv" for table in TABLES),
    "export/codebook.qdc",
    "export/network/author-tag.csv?include=pending",
]


@pytest.fixture(scope="module")
def world(module_db):
    """Built once for the module (module_db): its tests read it, and what one writes is undone after it."""
    a = default_project()
    b = ProjectFactory(slug="other", name="Other project")
    bob = UserFactory(username="bob")  # moderates B, not in A
    MembershipFactory(project=b, user=bob, role=ProjectRole.MODERATOR)
    rita = UserFactory(username="rita")  # reads B
    MembershipFactory(project=b, user=rita, role=ProjectRole.READER)
    ana = UserFactory(username="ana")  # codes in B
    MembershipFactory(project=b, user=ana, role=ProjectRole.ANALYST)
    carol = UserFactory(username="carol", role=Role.READER)  # reads A alone
    a_tag = Tag.objects.create(project=a, slug="a-tag", name="A tag")
    a_paper = PaperFactory(slug="a-paper", authors=[AuthorFactory(name="Alfred Alpha")])
    a_claim = ClaimFactory(paper=a_paper, status=Status.APPROVED, at=(0, 10), tags=[a_tag])
    a_other = ClaimFactory(paper=a_paper, status=Status.APPROVED, at=(11, 20))
    LinkFactory(source=a_other, target=a_claim, status=Status.APPROVED)
    b_paper = PaperFactory(project=b, slug="b-paper", text=B_TEXT,
                           authors=[AuthorFactory(project=b, name="Bertha Beta")])  # fmt: skip
    b_tag = Tag.objects.create(project=b, slug="b-tag", name="B tag")
    approved = services.claim_create(created_by=ana, paper=b_paper, target={"exact": "the SCO is a club"},
                                     statement="A club.", tags=[b_tag])  # fmt: skip
    services.claim_moderate(claim_id=approved.pk, by=bob, decision="approve")
    proposal = Tag.objects.create(project=b, slug="b-proposal", name="B proposal", status=TagStatus.PROPOSED,
                                  proposed_by=ana)  # fmt: skip
    Tag.objects.create(project=b, slug="b-unused", name="Nobody uses me", status=TagStatus.PROPOSED, proposed_by=ana)
    pending = services.claim_create(created_by=ana, paper=b_paper, target={"exact": "a forum for talks"},
                                    statement="A forum.", tags=[proposal, b_tag])  # fmt: skip
    services.link_create(created_by=ana, source=pending, target=approved, relation="conflicts")
    return {"a": a, "b": b, "bob": bob, "rita": rita, "ana": ana, "carol": carol, "pending": pending}


def content(response) -> str:
    """Everything the answer holds as text: a zip's members one after another."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(archive.read(name).decode("utf-8") for name in sorted(archive.namelist()))
    return data.decode("utf-8")


def get(user, path: str, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    joiner = "&" if "?" in path else "?"
    return Api().as_user(user).get(f"/api/v1/{path}{joiner if query else ''}{query}")


@pytest.mark.parametrize("path", EXPORTS)
def test_every_export_of_a_named_project_holds_that_project_alone(world, path):
    response = get(world["bob"], path, project="other")
    assert response.status_code == 200, response.content[:300]
    text = content(response)
    assert any(marker in text for marker in B_MARKERS), text[:500]
    assert not [marker for marker in A_MARKERS if marker in text]


@pytest.mark.parametrize("path", EXPORTS)
def test_a_project_one_is_not_a_member_of_is_not_found_in_every_format(world, path):
    stranger = get(world["carol"], path, project="other")
    missing = get(world["carol"], path, project="nowhere")
    assert (stranger.status_code, missing.status_code) == (404, 404)
    assert stranger.json() == {"detail": "No project 'other' that you are a member of."}
    assert not [marker for marker in B_MARKERS if marker in stranger.content.decode()]


@pytest.mark.parametrize("path", EXPORTS)
def test_without_project_every_export_is_of_the_default_project(world, path):
    response = get(world["carol"], path)
    assert response.status_code == 200
    text = content(response)
    assert any(marker in text for marker in A_MARKERS)
    assert not [marker for marker in B_MARKERS if marker in text]
    # Not a member of the default project: nothing to export there.
    assert get(world["bob"], path).status_code == 404


@pytest.mark.parametrize("path", [p for p in EXPORTS if "codebook" not in p])
def test_the_claims_filters_apply_within_the_named_project(world, path):
    response = get(world["bob"], path, project="other", paper="b-paper")
    assert response.status_code == 200
    refused = get(world["bob"], path, project="other", paper="a-paper")
    assert refused.status_code == 400
    assert refused.json() == {"paper": ['Unknown paper "a-paper".']}


@pytest.mark.parametrize("path", ["export/project.qdpx", "export/datapackage.zip", "export/claims.json"])
def test_only_moderators_take_deleted_items_in_the_named_project(world, path):
    assert get(world["rita"], path, project="other", deleted="include").status_code == 400
    assert get(world["bob"], path, project="other", deleted="include").status_code == 200


# --- Proposed tags ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXPORTS)
def test_an_unused_proposal_never_leaves_the_project(world, path):
    for user in ("rita", "ana", "bob"):
        text = content(get(world[user], path, project="other", include="pending"))
        assert "b-unused" not in text, user
        assert "Nobody uses me" not in text


@pytest.mark.parametrize("path", EXPORTS)
def test_a_proposal_leaves_only_with_a_claim_coded_with_it(world, path):
    # A reader sees no pending claim, so not the proposal it uses either.
    assert "b-proposal" not in content(get(world["rita"], path, project="other"))


def test_each_format_says_a_proposal_is_one(world):
    bob = world["bob"]
    native = json.loads(content(get(bob, "export/claims.json", project="other")))
    assert {tag["slug"]: tag.get("status") for tag in native["tags"]} == {"b-tag": None, "b-proposal": "proposed"}
    tags_csv = content(get(bob, "export/tables/tags.csv", project="other")).splitlines()
    assert tags_csv[0].endswith(",parent,status")
    assert {line.split(",")[0]: line.split(",")[-1] for line in tags_csv[1:]} == {
        "b-proposal": "proposed", "b-tag": "accepted",
    }  # fmt: skip
    qdpx = zipfile.ZipFile(io.BytesIO(b"".join(get(bob, "export/project.qdpx", project="other").streaming_content)))
    qde = qdpx.read("project.qde").decode()
    assert refiqda.PROPOSED_MARK in qde
    assert qde.count(refiqda.PROPOSED_MARK) == 1
    qdc = content(get(bob, "export/codebook.qdc", project="other"))
    assert "b-tag" in qdc
    assert "b-proposal" not in qdc  # a codebook file carries what the project accepted


def test_the_project_zip_manifest_counts_the_tags_the_zip_carries(world):
    response = Api().as_user(world["bob"]).get("/api/v1/projects/other/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    carried = {tag["slug"] for tag in json.loads(archive.read("claims.json"))["tags"]}
    assert carried == {"b-tag", "b-proposal"}  # not b-unused, which no claim uses
    assert [tag["slug"] for tag in json.loads(archive.read("codebook.json"))["tags"]] == ["b-tag"]
    assert json.loads(archive.read("manifest.json"))["counts"]["tags"] == len(carried)


def test_a_proposal_comes_back_a_proposal_through_the_native_format_and_the_qdpx(world):
    bob = world["bob"]
    native = content(get(bob, "export/claims.json", project="other"))
    qdpx = b"".join(get(bob, "export/project.qdpx", project="other").streaming_content)
    for document, kind in ((native, "application/json"), (qdpx, None)):
        empty_the_instance()
        importer = UserFactory(username="importer", role=Role.MODERATOR)
        copy = project_services.project_create(by=importer, slug=f"copy-{len(document)}", name="Copy")
        if kind:
            r = Api().as_user(importer).post(f"/api/v1/import/?project={copy.slug}", document, content_type=kind)
        else:
            r = upload(Api(), importer, document, project=copy.slug)
        assert r.status_code == 200, r.json()
        tags = {tag.slug: tag for tag in Tag.objects.filter(project=copy)}
        assert set(tags) == {"b-tag", "b-proposal"}
        assert (tags["b-proposal"].status, tags["b-proposal"].proposed_by) == (TagStatus.PROPOSED, importer)
        assert tags["b-tag"].status == TagStatus.ACCEPTED
        assert Claim.objects.filter(paper__project=copy).count() == 2


# --- Imports into a named project --------------------------------------------------------------------------


def test_a_qdpx_exported_from_a_project_imports_into_a_new_project(world):
    bob = world["bob"]
    before = json.loads(content(get(bob, "export/claims.json", project="other")))
    qdpx = b"".join(get(bob, "export/project.qdpx", project="other").streaming_content)
    empty_the_instance()  # paper slugs are unique across projects: the copy goes where the original was
    owner = UserFactory(username="owner")
    fresh = project_services.project_create(by=owner, slug="fresh", name="Fresh")

    r = upload(Api(), owner, qdpx, project="fresh")

    assert r.status_code == 200, r.json()
    assert Paper.objects.get(slug="b-paper").project == fresh
    after = json.loads(content(get(owner, "export/claims.json", project="fresh")))
    keys = ("id", "paper", "target", "statement", "stance", "codings", "status")
    assert [{k: c[k] for k in keys} for c in after["claims"]] == [{k: c[k] for k in keys} for c in before["claims"]]
    assert [tag["slug"] for tag in after["tags"]] == ["b-proposal", "b-tag"]


def test_a_foreign_qdpx_imports_into_an_existing_project_named(world):
    r = upload(Api(), world["bob"], foreign_project(), project="other")
    assert r.status_code == 200, r.json()
    paper = Paper.objects.get(slug="interview-1-txt")
    assert paper.project == world["b"]
    claim = Claim.objects.get(paper=paper)
    assert {tag.project_id for tag in claim.tags.all()} == {world["b"].pk}
    assert not Tag.objects.filter(project=world["a"], slug__in=[t.slug for t in claim.tags.all()]).exists()


def test_an_import_into_a_project_is_for_its_moderators_alone(world):
    document = foreign_project()
    mona = UserFactory(username="mona", role=Role.MODERATOR)  # moderates A, not in B
    assert upload(Api(), mona, document, project="other").status_code == 404  # nothing said of B
    assert upload(Api(), world["carol"], document, project="other").status_code == 403  # moderates nothing
    assert upload(Api(), world["rita"], document, project="other").status_code == 403  # a reader
    assert upload(Api(), world["ana"], document, project="other").status_code == 403  # an analyst
    assert not Paper.objects.filter(slug="interview-1-txt").exists()


def test_hypothesis_rows_go_to_the_named_project_and_its_paper(world):
    rows = [row("h1", "the SCO is a forum", uri="https://example.org/elsewhere.pdf", tags=["B tag", "new idea"])]
    post = Api().as_user(world["bob"]).post
    wrong = post("/api/v1/import/?project=other&paper=a-paper", search_response(rows), format="json")
    assert wrong.status_code == 400  # A's paper is not B's: refused, without saying more of A
    assert wrong.json() == {"papers": ['The paper slug "a-paper" is taken: give it another slug.']}
    assert not Claim.objects.filter(exact="the SCO is a forum").exists()

    r = post("/api/v1/import/?project=other&paper=b-paper", search_response(rows), format="json")

    assert r.status_code == 200, r.json()
    assert r.json()["proposed_tags"] == ["new-idea"]
    claim = Claim.objects.get(exact="the SCO is a forum")
    assert claim.paper.slug == "b-paper"
    assert sorted(t.slug for t in claim.tags.all()) == ["b-tag", "new-idea"]
    assert Tag.objects.get(slug="new-idea").project == world["b"]
    assert not Tag.objects.filter(project=world["a"], slug="new-idea").exists()


def test_a_tag_status_other_than_accepted_or_proposed_is_refused_at_its_place(world):
    document = {"format": "sco-claims", "version": 1, "tags": [{"slug": "x", "name": "X", "status": "maybe"}]}
    r = Api().as_user(world["bob"]).post("/api/v1/import/?project=other", document, format="json")
    assert r.status_code == 400
    assert r.json() == {"tags[0].status": ['Give the status as "accepted" or "proposed", not \'maybe\'.']}
    assert not Tag.objects.filter(slug="x").exists()
