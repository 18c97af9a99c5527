"""Revisions and placing by hand through the API, the admin and load_corpus."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations import services
from annotations.models import AnchorState, Claim, Paper, PaperRevision, Status, User
from tests.factories import PASSWORD, ClaimFactory, PaperFactory
from tests.test_revisions import TEXT, claim_on

NEW = TEXT.replace("every year", "each year").replace("It fights the three evils.", "Zzz.")


@pytest.fixture
def long_paper(db):
    return PaperFactory(slug="revised-paper", text=TEXT)


def revise(api, user, slug="revised-paper", **body):
    return api.as_user(user).post(f"/api/v1/papers/{slug}/revisions/", {"text": NEW, **body}, format="json")


def test_a_moderator_posts_a_revision_and_gets_its_report(api, moderator, long_paper):
    claim_on(long_paper, "Member states hold joint exercises every year")
    claim_on(long_paper, "It fights the three evils.")
    claim_on(long_paper, "The SCO")
    r = revise(api, moderator, note="Corrected copy")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["number"] == 1
    assert body["paper"] == "revised-paper"
    assert body["created_by"] == "mo"
    assert body["note"] == "Corrected copy"
    # "The SCO" keeps its offsets but its suffix changed: moved exactly (context refreshed).
    assert body["report"] == {"kept": 0, "moved_exact": 1, "moved_fuzzy": 1, "orphaned": 1, "already_orphaned": 0}
    assert sorted(detail["outcome"] for detail in body["details"]) == ["fuzzy", "orphaned"]
    assert "old_text" not in body
    assert Paper.objects.get(pk=long_paper.pk).text == NEW


@pytest.mark.parametrize(("who", "code"), [("analyst", 403), ("reader", 403), (None, 401)])
def test_only_moderators_post_revisions(api, long_paper, request, who, code):
    if who:
        api.as_user(request.getfixturevalue(who))
    r = api.post("/api/v1/papers/revised-paper/revisions/", {"text": NEW}, format="json")
    assert r.status_code == code
    assert "detail" in r.json()
    assert not PaperRevision.objects.exists()


def test_an_identical_text_is_a_400_on_text(api, moderator, long_paper):
    r = revise(api, moderator, text=TEXT)
    assert r.status_code == 400
    assert "identical to the current one" in r.json()["text"][0]


def test_a_missing_text_is_a_400_on_text(api, moderator, long_paper):
    r = api.as_user(moderator).post("/api/v1/papers/revised-paper/revisions/", {"note": "x"}, format="json")
    assert r.status_code == 400
    assert "text" in r.json()


def test_an_unknown_paper_is_a_404(api, moderator, db):
    assert revise(api, moderator, slug="nope").status_code == 404


def test_the_revision_list_is_for_moderators_as_its_reports_count_hidden_claims(api, reader, analyst, long_paper):
    for user in (reader, analyst):
        r = api.as_user(user).get("/api/v1/papers/revised-paper/revisions/")
        assert r.status_code == 403
        assert "Only moderators" in r.json()["detail"]


def test_the_revision_list_is_paginated_without_texts(api, moderator, long_paper, django_assert_num_queries):
    services.paper_revise(paper=long_paper, by=moderator, text=NEW)
    services.paper_revise(paper=long_paper, by=moderator, text=NEW + "More.\n")
    client = api.as_user(moderator)
    # token auth, the moderator's memberships (one query), the paper, the count, the page
    with django_assert_num_queries(5):
        r = client.get("/api/v1/papers/revised-paper/revisions/?page_size=1")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2
    assert body["next"] is not None
    [latest] = body["results"]
    assert latest["number"] == 2
    assert "old_text" not in latest
    assert "details" not in latest
    assert set(latest["report"]) == {"kept", "moved_exact", "moved_fuzzy", "orphaned", "already_orphaned"}


def test_a_revision_in_full_is_for_moderators(api, moderator, analyst, long_paper):
    services.paper_revise(paper=long_paper, by=moderator, text=NEW)
    assert api.as_user(analyst).get("/api/v1/papers/revised-paper/revisions/1/").status_code == 403
    r = api.as_user(moderator).get("/api/v1/papers/revised-paper/revisions/1/")
    assert r.status_code == 200
    assert r.json()["old_text"] == TEXT
    assert api.as_user(moderator).get("/api/v1/papers/revised-paper/revisions/9/").status_code == 404


def test_claims_show_their_anchor_state(api, moderator, long_paper):
    claim = claim_on(long_paper, "Member states hold joint exercises every year")
    r = api.as_user(moderator).get(f"/api/v1/claims/{claim.pk}/")
    assert r.json()["anchor"] == {"state": "original", "score": None}
    services.paper_revise(paper=long_paper, by=moderator, text=NEW)
    anchor = api.as_user(moderator).get(f"/api/v1/claims/{claim.pk}/").json()["anchor"]
    assert anchor["state"] == "fuzzy"
    assert 0.75 <= anchor["score"] < 1


@pytest.fixture
def orphan(long_paper, moderator):
    claim = claim_on(long_paper, "It fights the three evils.", status=Status.APPROVED)
    services.paper_revise(paper=long_paper, by=moderator, text=NEW)
    return Claim.objects.get(pk=claim.pk)


def test_a_moderator_places_an_orphan_through_the_api(api, moderator, orphan):
    assert orphan.status == Status.ORPHANED
    r = api.as_user(moderator).post(
        f"/api/v1/claims/{orphan.pk}/place/", {"target": {"exact": "Zzz."}, "version": 2}, format="json"
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "pending"
    assert body["anchor"] == {"state": "manual", "score": None}
    assert body["target"]["exact"] == "Zzz."
    assert body["version"] == 3


def test_placing_with_a_stale_version_is_a_409(api, moderator, orphan):
    r = api.as_user(moderator).post(
        f"/api/v1/claims/{orphan.pk}/place/", {"target": {"start": 0, "end": 3}, "version": 1}, format="json"
    )
    assert r.status_code == 409
    assert r.json()["current_version"] == 2


def test_placing_on_a_quote_not_in_the_paper_is_a_400_on_target(api, moderator, orphan):
    r = api.as_user(moderator).post(
        f"/api/v1/claims/{orphan.pk}/place/", {"target": {"exact": "It fights"}, "version": 2}, format="json"
    )
    assert r.status_code == 400
    assert "not in the paper" in r.json()["target"][0]


def test_an_analyst_cannot_place_a_claim(api, analyst, orphan):
    r = api.as_user(analyst).post(
        f"/api/v1/claims/{orphan.pk}/place/", {"target": {"start": 0, "end": 3}, "version": 2}, format="json"
    )
    assert r.status_code == 403


def test_orphaned_claims_are_listed_by_status(api, moderator, orphan):
    r = api.as_user(moderator).get("/api/v1/claims/?status=orphaned")
    assert [claim["id"] for claim in r.json()["results"]] == [str(orphan.pk)]


# --- Admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_as(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_the_admin_revises_a_paper_and_shows_the_report(admin_client_as, moderator, long_paper):
    claim_on(long_paper, "It fights the three evils.")
    client = admin_client_as(moderator)
    page = client.get(f"/admin/annotations/paper/{long_paper.pk}/change/")
    assert b"Revise the text" in page.content
    form = client.get(f"/admin/annotations/paper/{long_paper.pk}/revise/")
    assert form.status_code == 200
    r = client.post(f"/admin/annotations/paper/{long_paper.pk}/revise/", {"text": NEW, "note": "typo"}, follow=True)
    assert r.status_code == 200
    revision = PaperRevision.objects.get()
    assert b"1 orphaned" in r.content
    listing = client.get("/admin/annotations/paperrevision/")
    assert listing.status_code == 200
    assert b"revised-paper" in listing.content
    assert revision.note == "typo"


def test_the_admin_refuses_an_identical_text_with_the_reason(admin_client_as, moderator, long_paper):
    r = admin_client_as(moderator).post(f"/admin/annotations/paper/{long_paper.pk}/revise/", {"text": TEXT})
    assert r.status_code == 200
    assert b"identical to the current one" in r.content
    assert not PaperRevision.objects.exists()


def test_an_analyst_cannot_revise_in_the_admin(admin_client_as, analyst, long_paper):
    analyst.is_staff = True
    analyst.save()
    r = admin_client_as(analyst).post(f"/admin/annotations/paper/{long_paper.pk}/revise/", {"text": NEW})
    assert r.status_code == 403
    assert not PaperRevision.objects.exists()


def test_the_admin_places_an_orphan_again(admin_client_as, moderator, orphan):
    client = admin_client_as(moderator)
    page = client.get(f"/admin/annotations/claim/{orphan.pk}/place/")
    assert page.status_code == 200
    assert b"It fights the three evils." in page.content
    listing = client.get("/admin/annotations/claim/?anchor_state__exact=orphaned")
    assert str(orphan.pk).encode() in listing.content
    r = client.post(f"/admin/annotations/claim/{orphan.pk}/place/", {"exact": "Zzz.", "version": 2})
    assert r.status_code == 302
    placed = Claim.objects.get(pk=orphan.pk)
    assert (placed.status, placed.anchor_state, placed.exact) == (Status.PENDING, AnchorState.MANUAL, "Zzz.")


# --- load_corpus ---------------------------------------------------------------------------------------


@pytest.fixture
def loaded(db):
    call_command("load_corpus", stdout=StringIO())
    return Paper.objects.get(slug="qiushi-2012")


def newer_file(tmp_path, paper, change):
    path = tmp_path / "qiushi-2012.txt"
    path.write_text(change(paper.text), encoding="utf-8")
    (tmp_path / "qiushi-2012.json").write_text(json.dumps({"slug": paper.slug, "title": paper.title}))
    return path


def test_load_corpus_revises_a_changed_text_and_prints_the_report(loaded, analyst, tmp_path):
    words = loaded.text[500:540]
    claim = ClaimFactory(paper=loaded, at=(500, 540))
    path = newer_file(tmp_path, loaded, lambda text: "Editor's preface.\n" + text)
    out = StringIO()
    call_command("load_corpus", "--no-shipped", str(path), stdout=out)
    assert "Revised the text of qiushi-2012 (revision 1, by load_corpus): 0 kept, 1 moved exactly" in out.getvalue()
    revision = PaperRevision.objects.get()
    assert revision.created_by.username == "load_corpus"
    assert not revision.created_by.is_active
    moved = Claim.objects.get(pk=claim.pk)
    assert (moved.start, moved.exact) == (500 + len("Editor's preface.\n"), words)
    # Loading the same file again changes nothing.
    call_command("load_corpus", "--no-shipped", str(path), stdout=StringIO())
    assert PaperRevision.objects.count() == 1


def test_load_corpus_attributes_revisions_to_the_moderator_given(loaded, moderator, tmp_path):
    path = newer_file(tmp_path, loaded, lambda text: text + "\nAddendum.\n")
    call_command("load_corpus", "--no-shipped", str(path), "--by", "mo", stdout=StringIO())
    assert PaperRevision.objects.get().created_by == moderator


@pytest.mark.parametrize(("username", "message"), [("ghost", "no user 'ghost'"), ("ana", "not an active moderator")])
def test_load_corpus_refuses_a_reviser_who_is_not_a_moderator(loaded, analyst, tmp_path, username, message):
    path = newer_file(tmp_path, loaded, lambda text: text + "\nAddendum.\n")
    with pytest.raises(CommandError, match=message):
        call_command("load_corpus", "--no-shipped", str(path), "--by", username, stdout=StringIO())
    assert not PaperRevision.objects.exists()
    assert not User.objects.filter(username="load_corpus").exists()


def test_orphans_are_not_among_the_claims_placed_in_the_paper(api, moderator, orphan, long_paper):
    placed = claim_on(Paper.objects.get(pk=long_paper.pk), "Zzz.")
    r = api.as_user(moderator).get("/api/v1/papers/revised-paper/claims/")
    assert [claim["id"] for claim in r.json()["results"]] == [str(placed.pk)]


def test_a_moderator_patching_an_orphans_target_places_it_again(api, moderator, orphan):
    r = api.as_user(moderator).patch(
        f"/api/v1/claims/{orphan.pk}/", {"target": {"exact": "Zzz."}, "version": 2}, format="json"
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["anchor"]["state"]) == ("pending", "original")
