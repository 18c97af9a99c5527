"""Once a paper's coding round is closed, the analyses and the exports count its curated layer only (approved
claims and links), pending asked for or not; other papers as before. The round comes from the hook
`selectors.curated.closed_round_papers`, set here as the rounds will set it."""

import pytest

from annotations import exporting, selectors
from annotations.models import Paper, Role, Status
from annotations.selectors import curated
from tests.factories import ClaimFactory, LinkFactory, MembershipFactory, PaperFactory, UserFactory


@pytest.fixture
def world(db, paper, moderator):
    curated_claim = ClaimFactory(paper=paper, at=(0, 27), status=Status.APPROVED)
    uncurated = ClaimFactory(paper=paper, at=(0, 26), status=Status.PENDING)
    other_paper = PaperFactory()
    elsewhere = ClaimFactory(paper=other_paper, at=(0, 10), status=Status.PENDING)
    pending_link = LinkFactory(source=curated_claim, target=elsewhere, status=Status.PENDING)
    return {"curated": curated_claim, "uncurated": uncurated, "elsewhere": elsewhere, "link": pending_link}


@pytest.fixture
def closed(monkeypatch, paper):
    monkeypatch.setattr(curated, "closed_round_papers", lambda project: Paper.objects.filter(pk=paper.pk))


def ids(queryset):
    return {str(pk) for pk in queryset.values_list("pk", flat=True)}


def test_without_a_closed_round_pending_counts_when_asked(world, moderator):
    counted = ids(selectors.claims_for_analysis(moderator, include_pending=True))
    assert {str(world["uncurated"].pk), str(world["elsewhere"].pk)} <= counted
    assert str(world["link"].pk) in ids(selectors.links_for_analysis(moderator, include_pending=True))


def test_a_closed_round_keeps_only_the_curated_layer_of_its_papers(world, moderator, closed):
    counted = ids(selectors.claims_for_analysis(moderator, include_pending=True))
    assert str(world["curated"].pk) in counted
    assert str(world["uncurated"].pk) not in counted
    assert str(world["elsewhere"].pk) in counted  # its paper has no closed round
    assert str(world["link"].pk) not in ids(selectors.links_for_analysis(moderator, include_pending=True))


def test_the_map_api_follows(api, world, closed):
    reader = UserFactory(role=Role.ANALYST)
    body = api.as_user(reader).get("/api/v1/map/?include=pending").content.decode()
    assert str(world["curated"].pk) in body
    assert str(world["uncurated"].pk) not in body


def test_exports_default_to_the_curated_layer_and_can_ask_for_the_analysts(world, moderator, closed):
    default = exporting.export_set(moderator, {})
    assert str(world["uncurated"].pk) not in ids(default.claims)
    assert str(world["link"].pk) not in ids(default.links)
    everything = exporting.export_set(moderator, {}, independent_layers=True)
    assert str(world["uncurated"].pk) in ids(everything.claims)


def test_a_round_its_owner_closes_switches_the_analyses_to_the_curated_layer(world, paper, moderator):
    from rounds import services as rounds_services

    owner = UserFactory(username="olga")
    MembershipFactory(project=paper.project, user=owner, role="owner")
    coding_round = rounds_services.round_open(project=paper.project, by=owner, paper=paper.slug)
    assert str(world["uncurated"].pk) in ids(selectors.claims_for_analysis(moderator, include_pending=True))
    rounds_services.round_close(coding_round=coding_round, by=owner)
    counted = ids(selectors.claims_for_analysis(moderator, include_pending=True))
    assert str(world["curated"].pk) in counted
    assert str(world["uncurated"].pk) not in counted
    assert str(world["elsewhere"].pk) in counted


def test_the_closed_rounds_are_read_once_an_answer(api, world, paper, moderator, django_assert_num_queries):
    """With pending asked for, the papers under a closed round are read once (one query) for the claims and the
    links alike: map, compare and the network export ask one query more than without pending, not two."""
    from rounds import services as rounds_services

    owner = UserFactory(username="olga")
    MembershipFactory(project=paper.project, user=owner, role="owner")
    coding_round = rounds_services.round_open(project=paper.project, by=owner, paper=paper.slug)
    rounds_services.round_close(coding_round=coding_round, by=owner)
    api.as_user(moderator)
    urls = {"/api/v1/map/": 7, "/api/v1/compare/": 8, "/api/v1/export/network/conflict.csv": 8}
    for url, queries in urls.items():
        with django_assert_num_queries(queries + 1):
            response = api.get(url + "?include=pending")
        assert response.status_code == 200
    assert str(world["uncurated"].pk) not in api.get("/api/v1/map/?include=pending").content.decode()
