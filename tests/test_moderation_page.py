"""The moderation queue page (/moderation/): who may see it, what it shows, its decisions, the count in the nav."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from annotations import services
from annotations.models import Claim, HistoryAction, Link, Status
from tests.factories import PASSWORD, ClaimFactory, LinkFactory, PaperFactory


def login(user) -> Client:
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def queue(paper, analyst, other_analyst):
    """Two pending claims (oldest first), an approved one, a deleted one, and a pending link between two."""
    first = ClaimFactory(paper=paper, created_by=analyst, at=(11, 26), statement="First.")
    second = ClaimFactory(paper=paper, created_by=other_analyst, at=(39, 54), statement="Second.")
    approved = ClaimFactory(paper=paper, status=Status.APPROVED, at=(0, 10))
    ClaimFactory(paper=paper, deleted_at=timezone.now(), statement="Gone.")
    link = LinkFactory(source=first, target=approved, relation=Link.Relation.CONFLICTS, rationale="<em>Why</em> so.")
    return {"first": first, "second": second, "approved": approved, "link": link}


def test_the_queue_shows_pending_items_oldest_first_with_their_context(moderator, queue, paper):
    response = login(moderator).get("/moderation/")
    assert response.status_code == 200
    assert [c.pk for c in response.context["claims"]] == [queue["first"].pk, queue["second"].pk]
    assert [link.pk for link in response.context["links"]] == [queue["link"].pk]
    html = response.content.decode()
    first = queue["first"]
    assert f"{first.prefix}<mark>{first.exact}</mark>{first.suffix}" in html  # the quote in its context
    assert "Gone." not in html
    assert html.index("First.") < html.index("Second.")
    assert "conflicts" in html  # the claim's link, and the link's own item
    assert "<em>Why</em>" not in html  # rationale shown as text
    assert html.count("data-queue-item") == 3
    assert html.count('name="csrfmiddlewaretoken"') >= 3


def test_the_page_has_no_inline_script_and_shows_its_keys(moderator, queue):
    html = login(moderator).get("/moderation/").content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="module" src="/static/annotations/js/moderation.js">']
    assert not re.search(r"\son[a-z]+=", html)
    for key in ("<kbd>j</kbd>", "<kbd>k</kbd>", "<kbd>a</kbd>", "<kbd>r</kbd>"):
        assert key in html


def test_the_page_takes_the_same_queries_however_long_the_queue(moderator, paper, django_assert_num_queries):
    client = login(moderator)
    first = [ClaimFactory(paper=paper, at=at) for at in ((0, 10), (11, 26))]
    LinkFactory(source=first[0], target=first[1])
    client.get("/moderation/")
    # session, user, memberships (one query: the roles in every project); per list: its count and its page; the
    # claims' tags, bylines, links out and in; the links' two ends' bylines; the pending count in the nav
    with django_assert_num_queries(14):
        client.get("/moderation/")
    claims = [ClaimFactory(paper=PaperFactory(), at=at) for at in ((28, 38), (39, 54), (55, 70))]
    LinkFactory(source=claims[0], target=claims[1])
    LinkFactory(source=claims[2], target=first[0], status=Status.REJECTED)
    ClaimFactory(paper=paper, at=(71, 80), status=Status.APPROVED)
    with django_assert_num_queries(14):
        response = client.get("/moderation/")
    assert len(response.context["claims"]) == 5
    assert len(response.context["links"]) == 2
    with django_assert_num_queries(14):
        assert len(client.get("/moderation/?show=decided").context["links"]) == 1


def test_approving_from_the_page(moderator, queue):
    client = login(moderator)
    response = client.post(f"/moderation/claims/{queue['first'].pk}/", {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    claim = Claim.objects.get(pk=queue["first"].pk)
    assert (claim.status, claim.moderated_by) == (Status.APPROVED, moderator)
    assert claim.history.latest().history_action == HistoryAction.APPROVED
    assert [c.pk for c in client.get("/moderation/").context["claims"]] == [queue["second"].pk]


def test_rejecting_without_a_reason_is_refused_with_a_message(moderator, queue):
    client = login(moderator)
    response = client.post(f"/moderation/claims/{queue['first'].pk}/", {"decision": "reject"}, follow=True)
    assert "Say why it is rejected" in response.content.decode()
    assert Claim.objects.get(pk=queue["first"].pk).status == Status.PENDING


def test_the_script_gets_json_back(moderator, queue):
    client = login(moderator)
    url = f"/moderation/links/{queue['link'].pk}/"
    refused = client.post(url, {"decision": "reject"}, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    # The same shape as the API's 400: the field, then its messages.
    assert refused.json() == {"reason": ["Say why it is rejected, so the analyst can act on it."]}
    done = client.post(url, {"decision": "reject", "reason": "Not a conflict."}, headers={"Accept": "application/json"})
    assert done.status_code == 200
    assert done.json() == {
        "id": str(queue["link"].pk),
        "status": "rejected",
        "pending": 2,
        # The counts the page's summary shows, from the server after the decision.
        "counts": {"pending": {"claims": 2, "links": 0}, "decided": {"claims": 1, "links": 1}},
    }
    assert Link.objects.get().moderation_reason == "Not a conflict."


def test_deciding_on_an_unknown_item_is_404(moderator, db):
    response = login(moderator).post("/moderation/claims/00000000-0000-0000-0000-000000000000/", {"decision": "x"})
    assert response.status_code == 404


def test_a_get_on_a_decision_url_is_refused(moderator, queue):
    assert login(moderator).get(f"/moderation/claims/{queue['first'].pk}/").status_code == 405


def test_moderators_see_the_pending_count_in_the_nav(moderator, analyst, queue):
    html = login(moderator).get("/papers/").content.decode()
    assert re.search(r'href="/moderation/"[^>]*>Moderation <span class="badge" data-pending-count[^>]*>3</span>', html)
    assert "data-pending-count" not in login(analyst).get("/papers/").content.decode()


def test_the_pending_count_is_one_query(moderator, queue, rf, django_assert_num_queries):
    from annotations.context_processors import moderation

    request = rf.get("/")
    request.user = moderator
    context = moderation(request)
    assert bool(context["can_moderate"])  # permissions loaded once
    with django_assert_num_queries(1):
        assert str(context["moderation_pending"]) == "3"


def test_the_summary_says_nothing_pending_when_the_queue_is_empty(moderator, db):
    html = login(moderator).get("/moderation/").content.decode()
    assert re.search(r"data-queue-summary[^>]*>Nothing pending\.<", html)


def test_the_queue_is_paged_on_the_server(moderator, paper, monkeypatch):
    monkeypatch.setattr("annotations.views.QUEUE_PAGE_SIZE", 2)
    claims = [ClaimFactory(paper=PaperFactory(), statement=f"Claim {n}.") for n in range(5)]
    client = login(moderator)
    first = client.get("/moderation/")
    assert [c.pk for c in first.context["claims"]] == [c.pk for c in claims[:2]]
    html = first.content.decode()
    assert "5 pending claims and 0 pending links" in html
    assert "claims 1–2 of 5 (page 1 of 3)" in html
    assert 'href="?claims_page=2" rel="next"' in html
    last = client.get("/moderation/?claims_page=3")
    assert [c.pk for c in last.context["claims"]] == [claims[4].pk]
    assert 'href="?claims_page=2" rel="prev"' in last.content.decode()
    # Not a number, or past the end: the nearest page, never an error.
    assert client.get("/moderation/?claims_page=²").context["claims"][0].pk == claims[0].pk
    assert client.get("/moderation/?claims_page=99").context["claims"][0].pk == claims[4].pk


def test_a_decision_without_the_script_comes_back_to_the_same_page(moderator, paper):
    claim = ClaimFactory(paper=paper)
    client = login(moderator)
    response = client.post(
        f"/moderation/claims/{claim.pk}/", {"decision": "approve", "next": "/moderation/?claims_page=2"}
    )
    assert response["Location"] == "/moderation/?claims_page=2"
    elsewhere = client.post(f"/moderation/claims/{claim.pk}/", {"decision": "reopen", "next": "https://evil.test/"})
    assert elsewhere["Location"] == "/moderation/"


def test_decided_items_can_be_reopened_from_their_tab(moderator, paper):
    rejected = ClaimFactory(paper=paper, statement="Rejected one.")
    client = login(moderator)
    client.post(f"/moderation/claims/{rejected.pk}/", {"decision": "reject", "reason": "Not in the text."})
    tab = client.get("/moderation/?show=decided")
    html = tab.content.decode()
    assert [c.pk for c in tab.context["claims"]] == [rejected.pk]
    assert "Rejected one." in html
    assert "Not in the text." in html
    assert 'value="reopen" data-reopen' in html
    assert "data-approve" not in html
    assert "<kbd>o</kbd>" in html
    back = client.post(
        f"/moderation/claims/{rejected.pk}/", {"decision": "reopen", "next": "/moderation/?show=decided"}
    )
    assert back["Location"] == "/moderation/?show=decided"
    assert Claim.objects.get(pk=rejected.pk).status == Status.PENDING
    assert Claim.history.filter(id=rejected.pk).latest().history_action == HistoryAction.REOPENED


def test_link_items_show_both_claims_statements_authors_and_papers(moderator, queue):
    html = login(moderator).get("/moderation/").content.decode()
    item = html[html.index(f'data-id="{queue["link"].pk}"') :]
    for end in (queue["first"], queue["approved"]):
        assert f"<strong>{end.statement}</strong>" in item
        assert end.paper.title in item
        assert end.paper.bylines.get().author.name in item


def test_a_resubmitted_item_is_shown_as_such_with_the_reason_it_was_rejected(moderator, analyst, api, queue):
    claim = queue["first"]
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reject", reason="Quote the whole sentence.")
    claim.refresh_from_db()
    r = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/",
        {"target": {"exact": "not an alliance. It fights"}, "version": claim.version},
        format="json",
    )
    assert r.status_code == 200
    response = login(moderator).get("/moderation/")
    listed = {c.pk: c for c in response.context["claims"]}
    assert listed[claim.pk].resubmitted
    assert not listed[queue["second"].pk].resubmitted
    html = response.content.decode()
    assert html.count("data-resubmitted") == 1
    assert "Resubmitted</strong> after its rejection by mo" in html
    assert "“Quote the whole sentence.”" in html
    # Decided again, it is no longer "resubmitted"; reopened later, it is a plain pending item.
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="approve")
    services.claim_moderate(claim_id=claim.pk, by=moderator, decision="reopen")
    assert "data-resubmitted" not in login(moderator).get("/moderation/").content.decode()
