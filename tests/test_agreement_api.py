"""The agreement report of a project, through the API (JSON and CSV) and its page: who may read it, what it
holds (the pure module's report of the analysts' claims and links), its cost in queries."""

import csv
import io

import pytest
from django.test import Client

from annotations import agreement
from projects.models import default_project
from tests.conftest import Api
from tests.factories import (
    ClaimFactory,
    LinkFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TEXT = "".join(f"Sentence number {i:03} says something about trade and security. " for i in range(40))


def code(paper, analyst, spans, tags):
    """Claims of `analyst` at each span with its tag (a (tag, stance) pair)."""
    return [
        ClaimFactory(paper=paper, created_by=analyst, at=span, tags=[tag], status="pending")
        for span, tag in zip(spans, tags, strict=True)
    ]


@pytest.fixture
def coded(db):
    project = default_project()
    people = {}
    for name, role in (("olga", "owner"), ("mona", "moderator"), ("ann", "analyst"), ("bob", "analyst"), ("rita", "reader")):  # fmt: skip
        people[name] = UserFactory(username=name)
        MembershipFactory(project=project, user=people[name], role=role)
    p1, p2 = PaperFactory(slug="p1", text=TEXT), PaperFactory(slug="p2", text=TEXT)
    trade, security = TagFactory(slug="trade"), TagFactory(slug="security")
    spans = [(i * 64, i * 64 + 60) for i in range(12)]
    ann = code(p1, people["ann"], spans, [(trade, "affirms")] * 6 + [(security, "denies")] * 6)
    bob = code(
        p1, people["bob"], [(s + 3, e) for s, e in spans[:11]], [(trade, "affirms")] * 5 + [(security, "denies")] * 6
    )
    ann2 = code(p2, people["ann"], spans[:3], [(trade, "qualifies")] * 3)
    bob2 = code(p2, people["bob"], spans[:3], [(trade, "affirms")] * 3)
    LinkFactory(source=ann[0], target=ann2[0], created_by=people["ann"], relation="supports")
    LinkFactory(source=bob[0], target=bob2[0], created_by=people["bob"], relation="conflicts")
    return {"project": project, "people": people, "ann": ann, "bob": bob}


def expected_report(coded, claims, links):
    rows = [
        agreement.CodedClaim(
            str(c.pk), c.created_by.username, c.paper.slug, c.start, c.end,
            {coding.tag.slug: coding.stance for coding in c.codings.all()},
        )
        for c in claims
    ]  # fmt: skip
    link_rows = [
        agreement.CodedLink(ln.created_by.username, str(ln.source_id), str(ln.target_id), ln.relation) for ln in links
    ]
    return agreement.report(rows, link_rows, lengths={"p1": len(TEXT), "p2": len(TEXT)}, coders=["ann", "bob"])


def test_the_report_is_the_pure_modules_report_of_the_analysts_work(coded):
    from annotations.models import Claim, Link

    response = Api().as_user(coded["people"]["olga"]).get("/api/v1/agreement/?analysts=ann,bob")
    assert response.status_code == 200
    data = response.json()
    expected = expected_report(coded, Claim.objects.all(), Link.objects.all())
    shown = data.pop("claims_shown")
    assert data.pop("project") == "sco-security-cooperation"
    assert data.pop("paper") is None
    assert data == expected
    assert data["units"]["unmatched"] == 1
    assert data["link_alpha"]["units"] == 1
    unmatched = next(item for item in data["disagreements"] if item["kind"] == "unmatched")
    assert shown[unmatched["claims"]["ann"]]["paper"] == "p1"


def test_one_paper_and_the_analysts_default(coded):
    data = Api().as_user(coded["people"]["mona"]).get("/api/v1/agreement/?paper=p2").json()
    assert data["coders"] == ["ann", "bob"]
    assert data["papers"] == 1
    assert [row["paper"] for row in data["per_paper"]] == ["p2"]
    # Everyone tagged "trade" alone here: one category, nothing to disagree on, so not defined (with the reason).
    assert data["tag_alpha"]["value"] is None
    assert data["tag_alpha"]["reason"]
    assert data["stance_alpha"]["value"] == -0.6667  # qualifies against affirms, three times


@pytest.mark.parametrize(("who", "status"), [("ann", 403), ("rita", 403), ("mona", 200), ("olga", 200)])
def test_only_owners_and_moderators_read_the_report(coded, who, status):
    assert Api().as_user(coded["people"][who]).get("/api/v1/agreement/").status_code == status
    client = Client()
    client.force_login(coded["people"][who])
    assert client.get("/projects/sco-security-cooperation/agreement/").status_code == status


def test_a_non_member_is_told_nothing(coded):
    stranger = UserFactory(username="stranger")
    MembershipFactory(project=ProjectFactory(), user=stranger, role="owner")  # in a project, not this one
    assert Api().as_user(stranger).get("/api/v1/agreement/?project=sco-security-cooperation").status_code == 404
    client = Client()
    client.force_login(stranger)
    assert client.get("/projects/sco-security-cooperation/agreement/").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"), [("analysts=ann,nobody", "analysts"), ("analysts=rita", "analysts"), ("paper=zzz", "paper")]
)
def test_unknown_names_are_refused(coded, query, field):
    response = Api().as_user(coded["people"]["olga"]).get(f"/api/v1/agreement/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("ask", ["query", "accept"])
def test_the_report_as_csv(coded, ask):
    api = Api().as_user(coded["people"]["olga"])
    if ask == "query":
        response = api.get("/api/v1/agreement/?analysts=ann,bob&format=csv")
    else:
        response = api.get("/api/v1/agreement/?analysts=ann,bob", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="agreement-sco-security-cooperation.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    overall = {row["figure"]: row for row in rows if row["scope"] == "overall"}
    data = api.get("/api/v1/agreement/?analysts=ann,bob").json()
    assert float(overall["unitizing_alpha"]["value"]) == data["unitizing_alpha"]["value"]
    assert overall["stance_kappa"]["measure"] == "Cohen's kappa"
    assert {row["paper"] for row in rows if row["scope"] == "paper"} == {"p1", "p2"}
    assert {row["tag"] for row in rows if row["scope"] == "tag"} == {"trade", "security"}
    assert next(row["coders"] for row in rows if row["scope"] == "pair") == "ann bob"


def test_the_csv_guards_text_cells_against_formulas():
    from rounds.agreement import report_csv

    data = agreement.report(
        [agreement.CodedClaim(1, "=cmd", "p", 0, 5), agreement.CodedClaim(2, "bob", "p", 0, 5)], lengths={"p": 10}
    )
    assert "'=cmd" in report_csv(data)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_report_costs_the_same_queries_however_many_claims(coded, extra, django_assert_num_queries):
    paper = coded["ann"][0].paper
    for i in range(extra):
        ClaimFactory(paper=paper, created_by=coded["people"]["ann"], at=(i * 10 + 1, i * 10 + 9))
    api = Api().as_user(coded["people"]["olga"])
    # the token, memberships, the analysts named, claims, codings, links, papers' lengths, the disagreeing claims
    with django_assert_num_queries(8):
        assert api.get("/api/v1/agreement/?analysts=ann,bob").status_code == 200


def test_the_page_shows_every_figure_explained_the_matrix_and_the_disagreements(coded, django_assert_max_num_queries):
    client = Client()
    client.force_login(coded["people"]["olga"])
    with django_assert_max_num_queries(12):
        response = client.get("/projects/sco-security-cooperation/agreement/?analysts=ann&analysts=bob")
    assert response.status_code == 200
    page = response.content.decode()
    for key in agreement_keys():
        assert f'data-figure="{key}"' in page
    assert "how reliably analysts tell passages that make a claim" in page.lower()
    assert "rests on" in page  # the warning of a figure with few units
    assert "data-matrix" in page
    unmatched = coded["ann"][11]
    assert f'href="/papers/p1/#claim-{unmatched.pk}"' in page
    assert "not marked by bob" in page
    assert "format=csv" in page


def agreement_keys():
    from rounds.agreement import FIGURES

    return FIGURES


def test_the_page_refuses_an_unknown_analyst_on_the_page(coded):
    client = Client()
    client.force_login(coded["people"]["mona"])
    response = client.get("/projects/sco-security-cooperation/agreement/?analysts=ghost")
    assert response.status_code == 400
    assert "is not an analyst of this project" in response.content.decode()


def test_without_names_the_rounds_assigned_analysts_are_compared(coded):
    from rounds import services

    olga = coded["people"]["olga"]
    api = Api().as_user(olga)
    found = services.round_open(project=coded["project"], by=olga, paper="p1")
    services.assignment_add(coding_round=found, by=olga, analyst="ann", paper="p1")
    # The owner's own claim (a curator's, say) is not an assigned analyst's: left out unless named.
    ClaimFactory(paper=coded["ann"][0].paper, created_by=olga, at=(5, 40))
    assert api.get("/api/v1/agreement/?paper=p1").json()["coders"] == ["ann"]
    services.assignment_add(coding_round=found, by=olga, analyst="bob", paper="p1")
    assert api.get("/api/v1/agreement/?paper=p1").json()["coders"] == ["ann", "bob"]
    assert api.get("/api/v1/agreement/").json()["coders"] == ["ann", "bob"]
    assert api.get("/api/v1/agreement/?analysts=ann,olga").json()["coders"] == ["ann", "olga"]
