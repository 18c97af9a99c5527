"""The independent layers in a native round trip: exported with `?layers=independent`, the file imports back its
claims and links as usual; the coding rounds are not imported (said in the report's `skipped`), so an import never
puts a project's papers in independent mode by itself."""

import json

import pytest

from annotations.models import Claim, Link
from projects.models import ProjectRole, default_project
from rounds import services
from rounds.models import Assignment, CodingRound
from tests.factories import ClaimFactory, LinkFactory, MembershipFactory, PaperFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "The first sentence of the round paper is here. A second sentence follows it. And a third one ends it."


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def exported(api):
    project = default_project()
    olga, ann, bob = (UserFactory(username=name) for name in ("olga", "ann", "bob"))
    for user, role in ((olga, ProjectRole.OWNER), (ann, ProjectRole.ANALYST), (bob, ProjectRole.ANALYST)):
        MembershipFactory(project=project, user=user, role=role)
    paper = PaperFactory(slug="round-paper", text=TEXT)
    coding_round = services.round_open(project=project, by=olga, paper="round-paper")
    for analyst in ("ann", "bob"):
        services.assignment_add(coding_round=coding_round, by=olga, analyst=analyst, paper="round-paper")
    first = ClaimFactory(paper=paper, created_by=ann, at=(0, 18), statement="Ann's reading")
    second = ClaimFactory(paper=first.paper, created_by=ann, at=(47, 70), statement="Ann's second")
    ClaimFactory(paper=first.paper, created_by=bob, at=(0, 20), statement="Bob's reading")
    LinkFactory(source=first, target=second, created_by=ann)
    services.round_close(coding_round=coding_round, by=olga)
    text = _body(api.as_user(olga).get("/api/v1/export/claims.json?layers=independent"))
    return olga, json.loads(text)


def test_the_rounds_are_left_out_of_an_import_and_the_report_says_so(api, exported):
    olga, document = exported
    (found,) = document["coding_rounds"]
    assert sorted(found["layers"]) == ["ann", "bob"]
    ids = {claim["id"] for claim in document["claims"]}
    Link.objects.all().delete()
    Claim.objects.all().delete()
    Assignment.objects.all().delete()
    CodingRound.objects.all().delete()

    response = api.as_user(olga).post("/api/v1/import/", json.dumps(document), content_type="application/json")

    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["claims"]["created"] == 3
    assert report["links"]["created"] == 1
    (said,) = report["skipped"]
    assert said.startswith("coding_rounds: 1 coding round(s) not imported.")
    assert {str(pk) for pk in Claim.objects.values_list("pk", flat=True)} == ids
    assert not CodingRound.objects.exists()
    assert not Assignment.objects.exists()
    # Each analyst's layer is still there to recompute agreement from: the claims keep their analysts.
    assert sorted(Claim.objects.values_list("created_by__username", flat=True)) == ["ann", "ann", "bob"]


def test_a_file_without_rounds_reports_nothing_skipped(api, exported):
    olga, document = exported
    document.pop("coding_rounds")
    report = api.as_user(olga).post("/api/v1/import/", json.dumps(document), content_type="application/json").json()
    assert "skipped" not in report
