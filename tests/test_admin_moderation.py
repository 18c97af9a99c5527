"""The admin as a moderator's tool: columns, filters, search, bulk decisions through services, read-only anchors."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils import timezone

from annotations.models import Claim, HistoryAction, Link, Stance, Status
from tests.factories import PASSWORD, AuthorFactory, ClaimFactory, LinkFactory, PaperFactory, TagFactory

CLAIMS = "/admin/annotations/claim/"
LINKS = "/admin/annotations/link/"


@pytest.fixture
def admin_client(moderator):
    client = Client()
    client.login(username=moderator.username, password=PASSWORD)
    return client


def listed(response) -> set:
    return {item.pk for item in response.context["cl"].result_list}


def act(client, url, action, items, **extra):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [item.pk for item in items], **extra})


def test_bulk_approve_changes_the_pending_and_names_the_refused(admin_client, moderator, paper):
    pending = [ClaimFactory(paper=paper) for _ in range(3)]
    approved = ClaimFactory(paper=paper, status=Status.APPROVED)
    response = act(admin_client, CLAIMS, "approve_selected", [*pending, approved])
    assert response.status_code == 302
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.APPROVED}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "3 claim(s) approved." in messages
    assert any("already approved" in m and str(approved) in m for m in messages)
    rows = Claim.history.filter(history_action=HistoryAction.APPROVED)
    assert {row.history_user for row in rows} == {moderator}
    assert rows.count() == 3


def test_bulk_reject_asks_for_a_reason_on_a_confirmation_page(admin_client, moderator, paper):
    claims = [ClaimFactory(paper=paper) for _ in range(2)]
    page = act(admin_client, CLAIMS, "reject_selected", claims)
    assert page.status_code == 200
    assert page.templates[0].name == "admin/annotations/reject_confirmation.html"
    html = page.content.decode()
    assert html.count(f'name="{ACTION_CHECKBOX_NAME}"') == 2
    assert 'name="reason"' in html
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.PENDING}  # nothing yet

    again = act(admin_client, CLAIMS, "reject_selected", claims, confirm="yes", reason="  ")
    assert again.status_code == 200
    assert "Say why they are rejected" in again.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {Status.PENDING}

    done = act(admin_client, CLAIMS, "reject_selected", claims, confirm="yes", reason="Not in the text.")
    assert done.status_code == 302
    assert set(Claim.objects.values_list("status", "moderation_reason", "moderated_by")) == {
        (Status.REJECTED, "Not in the text.", moderator.pk)
    }
    assert (
        Claim.history.filter(history_action=HistoryAction.REJECTED, history_change_reason="Not in the text.").count()
        == 2
    )


def test_bulk_reject_of_links(admin_client, paper):
    links = [LinkFactory(source=ClaimFactory(paper=paper), target=ClaimFactory(paper=paper, at=(11, 26)))]
    act(admin_client, LINKS, "reject_selected", links, confirm="yes", reason="Unrelated.")
    assert Link.objects.get().status == Status.REJECTED


def test_bulk_reopen_restore_and_soft_delete(admin_client, paper):
    rejected = ClaimFactory(paper=paper, status=Status.REJECTED)
    act(admin_client, CLAIMS, "reopen_selected", [rejected])
    assert Claim.objects.get(pk=rejected.pk).status == Status.PENDING
    act(admin_client, CLAIMS, "delete_softly", [rejected])
    assert Claim.objects.get(pk=rejected.pk).deleted_at is not None
    act(admin_client, CLAIMS, "restore_selected", [rejected])
    assert Claim.objects.get(pk=rejected.pk).deleted_at is None
    actions = list(Claim.history.filter(id=rejected.pk).order_by("history_id").values_list("history_action", flat=True))
    assert actions[-3:] == [HistoryAction.REOPENED, HistoryAction.DELETED, HistoryAction.RESTORED]


def test_there_is_no_hard_delete(admin_client, paper):
    claim = ClaimFactory(paper=paper)
    response = admin_client.get(CLAIMS)
    assert "delete_selected" not in response.content.decode()
    assert admin_client.post(f"{CLAIMS}{claim.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_filters_and_search(admin_client, analyst, other_analyst):
    lin = AuthorFactory(name="Lin")
    masuda_paper = PaperFactory(slug="masuda-2010")
    lin_paper = PaperFactory(slug="lin-2009", authors=[lin])
    tag = TagFactory(slug="three-evils")
    a = ClaimFactory(paper=masuda_paper, created_by=analyst, statement="An alliance it is not.")
    b = ClaimFactory(
        paper=lin_paper, created_by=other_analyst, stance=Stance.DENIES, status=Status.APPROVED, tags=[tag]
    )
    c = ClaimFactory(paper=lin_paper, created_by=analyst, at=(28, 54), status=Status.REJECTED)
    assert listed(admin_client.get(CLAIMS)) == {a.pk, b.pk, c.pk}
    assert listed(admin_client.get(CLAIMS, {"status__exact": "pending"})) == {a.pk}
    assert listed(admin_client.get(CLAIMS, {"paper__id__exact": lin_paper.pk})) == {b.pk, c.pk}
    assert listed(admin_client.get(CLAIMS, {"author": lin.pk})) == {b.pk, c.pk}
    assert listed(admin_client.get(CLAIMS, {"tags__id__exact": tag.pk})) == {b.pk}
    assert listed(admin_client.get(CLAIMS, {"stance__exact": "denies"})) == {b.pk}
    assert listed(admin_client.get(CLAIMS, {"created_by__id__exact": analyst.pk})) == {a.pk, c.pk}
    assert listed(admin_client.get(CLAIMS, {"q": "alliance it is"})) == {a.pk}  # in statements
    assert listed(admin_client.get(CLAIMS, {"q": "three evils"})) == {c.pk}  # in quotes
    c.deleted_at = timezone.now()
    c.save()
    assert listed(admin_client.get(CLAIMS, {"deleted": "yes"})) == {c.pk}
    assert listed(admin_client.get(CLAIMS, {"deleted": "no"})) == {a.pk, b.pk}


def test_changelist_columns_and_a_constant_number_of_queries(admin_client, paper, django_assert_num_queries):
    tag = TagFactory(slug="not-an-alliance")
    for at in ((0, 10), (11, 26), (28, 54)):
        ClaimFactory(paper=paper, at=at, tags=[tag])
    admin_client.get(CLAIMS)
    # session, user, permissions (one query), counts (filtered, total), the page, tags, bylines, and the
    # filters' choices (papers, authors, tags, creators)
    with django_assert_num_queries(12):
        html = admin_client.get(CLAIMS).content.decode()
    for at in ((55, 60), (61, 70)):
        ClaimFactory(paper=paper, at=at, tags=[tag])
    with django_assert_num_queries(12):
        html = admin_client.get(CLAIMS).content.decode()
    assert html.count(f'href="/papers/{paper.slug}/#claim-') == 5
    for column in ("quote", "paper", "authors", "stance", "tags", "status", "created by"):
        assert f">{column.capitalize()}<" in html or f">{column}<" in html.lower(), column


def test_the_change_page_has_read_only_anchors_a_reader_link_and_the_links_inline(admin_client, paper):
    claim = ClaimFactory(paper=paper, at=(0, 10))
    other = ClaimFactory(paper=paper, at=(11, 26))
    LinkFactory(source=claim, target=other, relation=Link.Relation.CONFLICTS)
    # Two claims carry one live link: the link into the claim comes from a third one.
    LinkFactory(source=ClaimFactory(paper=paper, at=(28, 38)), target=claim, relation=Link.Relation.RESTATES)
    response = admin_client.get(f"{CLAIMS}{claim.pk}/change/")
    form_fields = set(response.context["adminform"].form.fields)
    # The editable fields, and the version the form was opened at (hidden; a stale save is refused).
    assert form_fields == {"statement", "speaker", "stance", "codings", "note", "read_version"}
    assert response.context["adminform"].form.fields["read_version"].widget.is_hidden
    html = response.content.decode()
    assert f'href="/papers/{paper.slug}/#claim-{claim.pk}"' in html
    assert "links from this claim" in html.lower()
    assert "conflicts" in html
    assert "restates" in html
