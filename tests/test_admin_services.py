"""The admin as a client of the services: no silent overwrite of a concurrent edit, the codebook's rules and
history, a tag in use deleted only by merging it, and a history row for every admin write."""

import pytest
from django.test import Client

from annotations import services
from annotations.models import Claim, HistoryAction, Link, Paper, Status, Tag
from tests.factories import PASSWORD, ClaimFactory, LinkFactory, TagFactory, UserFactory

CLAIMS = "/admin/annotations/claim/"
LINKS = "/admin/annotations/link/"
TAGS = "/admin/annotations/tag/"
PAPERS = "/admin/annotations/paper/"


@pytest.fixture
def admin_client(moderator):
    client = Client()
    client.login(username=moderator.username, password=PASSWORD)
    return client


def opened_form(response) -> dict:
    """What the browser would post back for a change page it was given: every field as shown."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(name): management[name].value() for name in management.fields}
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


def errors_of(response) -> str:
    return " ".join(str(error) for error in response.context["adminform"].form.errors.values())


def test_a_claim_form_saved_after_an_api_edit_is_refused_and_the_api_edit_kept(
    admin_client, api, analyst, moderator, paper
):
    claim = ClaimFactory(paper=paper, created_by=analyst, statement="As first written.")
    opened = admin_client.get(f"{CLAIMS}{claim.pk}/change/")
    data = opened_form(opened) | {"note": "The moderator's note."}
    assert data["read_version"] == 1

    edit = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": "As the analyst rewrote it.", "version": 1}, format="json"
    )
    assert edit.status_code == 200

    response = admin_client.post(f"{CLAIMS}{claim.pk}/change/", data)
    assert response.status_code == 200  # the form again, not a redirect
    message = errors_of(response)
    assert "changed by someone else since you opened this form" in message
    assert "version 1, it is now at version 2" in message
    assert f"edited by {analyst.username}" in message
    assert "The moderator&#x27;s note." in response.content.decode() or "moderator's note" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.statement, claim.note, claim.version) == ("As the analyst rewrote it.", "", 2)
    assert not Claim.history.filter(id=claim.pk, history_user=moderator).exists()


def test_a_claim_form_saved_at_its_version_goes_through_the_service(admin_client, moderator, paper, tag):
    claim = ClaimFactory(paper=paper, statement="Before.")
    rows_before = Claim.history.filter(id=claim.pk).count()
    data = opened_form(admin_client.get(f"{CLAIMS}{claim.pk}/change/"))
    data |= {"statement": "  After.  ", "note": "<script>x</script><em>why</em>", "codings": tag.slug}
    response = admin_client.post(f"{CLAIMS}{claim.pk}/change/", data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == ("After.", 2)
    assert claim.note == "<script>x</script><em>why</em>"  # as typed, as by the API (rendered when shown)
    assert [t.slug for t in claim.tags.all()] == [tag.slug]
    row = Claim.history.filter(id=claim.pk).latest()
    assert (row.history_action, row.history_user) == (HistoryAction.EDITED, moderator)
    assert Claim.history.filter(id=claim.pk).count() == rows_before + 1  # one row for the save, tags included


def test_a_form_posted_without_its_version_is_refused(admin_client, paper):
    claim = ClaimFactory(paper=paper, statement="Before.")
    data = opened_form(admin_client.get(f"{CLAIMS}{claim.pk}/change/")) | {"statement": "After."}
    del data["read_version"]
    response = admin_client.post(f"{CLAIMS}{claim.pk}/change/", data)
    assert response.status_code == 200
    assert "Give the version you read" in errors_of(response)
    assert Claim.objects.get(pk=claim.pk).statement == "Before."


def test_a_link_form_refuses_a_stale_save(admin_client, api, analyst, paper):
    ends = [ClaimFactory(paper=paper, created_by=analyst, at=at) for at in ((0, 10), (11, 26))]
    link = LinkFactory(source=ends[0], target=ends[1], created_by=analyst, relation=Link.Relation.SUPPORTS)
    data = opened_form(admin_client.get(f"{LINKS}{link.pk}/change/"))

    api.as_user(analyst).patch(f"/api/v1/links/{link.pk}/", {"rationale": "Theirs.", "version": 1}, format="json")
    stale = admin_client.post(f"{LINKS}{link.pk}/change/", data | {"rationale": "Mine."})
    assert stale.status_code == 200
    assert "changed by someone else" in errors_of(stale)
    assert Link.objects.get(pk=link.pk).rationale == "Theirs."


def test_tags_made_and_edited_in_the_admin_go_through_the_services(admin_client, moderator):
    response = admin_client.post(
        f"{TAGS}add/", {"slug": "regional-security", "name": " Regional security ", "colour": "#AABBCC"}
    )
    assert response.status_code == 302
    tag = Tag.objects.get(slug="regional-security")
    assert (tag.name, tag.colour) == ("Regional security", "#aabbcc")
    row = tag.history.get()
    assert (row.history_action, row.history_user) == (HistoryAction.CREATED, moderator)

    child = TagFactory(slug="terrorism", parent=tag)
    opened = admin_client.get(f"{TAGS}{tag.pk}/change/")
    assert tag not in opened.context["adminform"].form.fields["parent"].queryset  # never its own parent
    data = opened_form(opened)
    loop = admin_client.post(f"{TAGS}{tag.pk}/change/", data | {"parent": child.pk})
    assert loop.status_code == 200
    assert "cannot be placed under itself or one of its descendants" in str(loop.context["adminform"].form.errors)
    assert Tag.objects.get(pk=tag.pk).parent is None  # no loop saved

    renamed = admin_client.post(f"{TAGS}{tag.pk}/change/", data | {"name": "Security"})
    assert renamed.status_code == 302
    rows = list(Tag.history.filter(id=tag.pk).order_by("history_id"))
    assert [(r.history_action, r.history_user, r.name) for r in rows] == [
        (HistoryAction.CREATED, moderator, "Regional security"),
        (HistoryAction.EDITED, moderator, "Security"),
    ]
    history = admin_client.get(f"{TAGS}{tag.pk}/history/")
    assert history.status_code == 200
    assert "edited" in history.content.decode()


def test_an_unused_tag_is_deleted_with_a_history_row(admin_client, moderator):
    tag = TagFactory(slug="unused")
    assert admin_client.post(f"{TAGS}{tag.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Tag.objects.filter(pk=tag.pk).exists()
    row = Tag.history.filter(id=tag.pk).latest()
    assert (row.history_action, row.history_user) == (HistoryAction.DELETED, moderator)


def test_a_tag_in_use_is_deleted_only_by_merging_it_into_another(admin_client, moderator, paper):
    old, kept, elsewhere = TagFactory(slug="old-name"), TagFactory(slug="kept"), TagFactory(slug="elsewhere")
    sub = TagFactory(slug="sub", parent=old)
    only_old = ClaimFactory(paper=paper, at=(0, 10), tags=[old])
    both = ClaimFactory(paper=paper, at=(11, 26), tags=[old, kept])
    untouched = ClaimFactory(paper=paper, at=(28, 54), tags=[elsewhere])

    page = admin_client.get(f"{TAGS}{old.pk}/delete/")
    assert page.status_code == 200
    assert page.templates[0].name == "admin/annotations/tag/merge.html"
    html = page.content.decode()
    assert "2 claims coded with it, 1 tag under it" in html
    choices = {t.slug for t in page.context["form"].fields["into"].queryset}
    assert choices == {"kept", "elsewhere"}  # not itself, not a tag under it

    # A plain delete confirmation is not how it goes: nothing is dropped.
    assert admin_client.post(f"{TAGS}{old.pk}/delete/", {"post": "yes"}).status_code == 200
    assert Tag.objects.filter(pk=old.pk).exists()
    listing = admin_client.get(TAGS).content.decode()
    assert "delete_selected" not in listing  # no bulk delete, which would drop the codings
    refused = admin_client.post(f"{TAGS}{old.pk}/delete/", {"into": sub.pk})
    assert refused.status_code == 200  # not into a tag under it
    assert Tag.objects.filter(pk=old.pk).exists()

    done = admin_client.post(f"{TAGS}{old.pk}/delete/", {"into": kept.pk})
    assert done.status_code == 302
    assert not Tag.objects.filter(pk=old.pk).exists()
    assert [t.slug for t in Claim.objects.get(pk=only_old.pk).tags.all()] == ["kept"]
    assert [t.slug for t in Claim.objects.get(pk=both.pk).tags.all()] == ["kept"]
    assert [t.slug for t in Claim.objects.get(pk=untouched.pk).tags.all()] == ["elsewhere"]
    assert Tag.objects.get(pk=sub.pk).parent == kept
    for claim in (only_old, both):
        row = Claim.history.filter(id=claim.pk).latest()
        assert (row.history_action, row.history_user) == (HistoryAction.RETAGGED, moderator)
        assert row.history_change_reason == "Tag old-name merged into kept"
        assert [m.tag_id for m in row.tags.all()] == [kept.pk]
        assert Claim.objects.get(pk=claim.pk).version == claim.version + 1
    assert not Claim.history.filter(id=untouched.pk, history_action=HistoryAction.RETAGGED).exists()
    gone = Tag.history.filter(id=old.pk).latest()
    assert (gone.history_action, gone.history_user, gone.history_change_reason) == (
        HistoryAction.MERGED,
        moderator,
        "merged into kept",
    )


def test_a_merge_moves_codings_an_edit_at_the_old_version_cannot_undo(moderator, analyst, paper):
    old, kept = TagFactory(slug="old-name"), TagFactory(slug="kept")
    claim = ClaimFactory(paper=paper, created_by=analyst, tags=[old])
    services.tag_merge(source=old, into=kept, by=moderator)
    with pytest.raises(services.StaleVersion):
        services.claim_update(claim_id=claim.pk, by=analyst, version=claim.version, statement="Late.")
    with pytest.raises(services.PermissionDenied):
        services.tag_merge(source=kept, into=TagFactory(slug="x"), by=analyst)


def test_placing_a_claim_by_hand_writes_its_own_history_row(moderator, paper):
    claim = ClaimFactory(paper=paper, at=(0, 10), status=Status.ORPHANED)
    services.claim_place(claim_id=claim.pk, by=moderator, target={"start": 11, "end": 26}, version=claim.version)
    row = Claim.history.filter(id=claim.pk).latest()
    assert (row.history_action, row.history_user, row.status, row.start) == (
        HistoryAction.PLACED,
        moderator,
        Status.PENDING,
        11,
    )


def test_paper_metadata_has_history_without_copying_the_text(moderator, paper):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.login(username=superuser.username, password=PASSWORD)
    assert "text" not in {field.name for field in Paper.history.model._meta.fields}
    data = opened_form(client.get(f"{PAPERS}{paper.pk}/change/")) | {"title": "A better title"}
    assert client.post(f"{PAPERS}{paper.pk}/change/", data).status_code == 302
    row = Paper.history.filter(id=paper.pk).latest()
    assert (row.history_action, row.history_user, row.title) == (HistoryAction.EDITED, superuser, "A better title")
    assert row.text_sha256 == paper.text_sha256

    services.paper_revise(paper=paper, by=moderator, text=paper.text + "\n\nMore.", note="Added a line.")
    revised = Paper.history.filter(id=paper.pk).latest()
    assert (revised.history_action, revised.history_user) == (HistoryAction.REVISED, moderator)
    assert revised.text_sha256 == Paper.objects.get(pk=paper.pk).text_sha256 != paper.text_sha256
    assert client.get(f"{PAPERS}{paper.pk}/history/").status_code == 200


def test_loading_a_newer_paper_records_one_row_per_change(moderator, db):
    from annotations.corpus import AuthorSpec, PaperSpec

    spec = PaperSpec(slug="lin-2009", title="Old title", text="First text.", authors=(AuthorSpec(name="Lin"),))
    services.corpus_load(papers=[spec])
    paper = Paper.objects.get(slug="lin-2009")
    services.corpus_load(papers=[spec])  # unchanged: no row
    services.corpus_load(
        papers=[PaperSpec(**{**spec.__dict__, "title": "New title", "text": "Second text."})], revised_by=moderator
    )
    rows = list(Paper.history.filter(id=paper.pk).order_by("history_id"))
    assert [(row.history_action, row.title) for row in rows] == [
        (HistoryAction.CREATED, "Old title"),
        (HistoryAction.REVISED, "Old title"),
        (HistoryAction.EDITED, "New title"),
    ]
    assert {rows[1].history_user, rows[2].history_user} == {moderator}
    assert rows[2].text_sha256 == Paper.objects.get(pk=paper.pk).text_sha256
