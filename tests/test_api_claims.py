"""The claims endpoints by the contract's words: creation, every refusal, updates, deletion, moderation."""

import pytest

from annotations.models import Claim, Status
from tests.factories import ClaimFactory, PaperFactory

pytestmark = pytest.mark.django_db

REPEATS = "the three evils; " * 5 + "and the end."


def new_claim(**overrides):
    body = {
        "paper": "masuda-2010",
        "target": {"exact": "not an alliance"},
        "statement": "The SCO is not a military alliance.",
        "stance": "affirms",
        "tags": ["not-an-alliance"],
    }
    return body | overrides


def post(api, user, body):
    return api.as_user(user).post("/api/v1/claims/", body, format="json")


def test_create_resolves_the_target_and_echoes_the_claim(api, analyst, paper, tag):
    r = post(api, analyst, new_claim(speaker="Qi Guowei", note="Quoted from <em>Mingbao</em>, 2007."))
    assert r.status_code == 201
    body = r.json()
    assert set(body["target"]) == {"start", "end", "exact", "prefix", "suffix"}
    assert body["target"]["exact"] == "not an alliance"
    assert paper.text[body["target"]["start"] : body["target"]["end"]] == "not an alliance"
    assert body["status"] == "pending"
    assert body["version"] == 1
    assert body["created_by"] == "ana"
    assert body["speaker"] == "Qi Guowei"
    assert body["tags"] == ["not-an-alliance"]
    assert body["note"] == "Quoted from <em>Mingbao</em>, 2007."
    assert body["created_at"]
    assert Claim.objects.get(pk=body["id"]).exact == "not an alliance"


def test_speaker_null_means_the_papers_authors(api, analyst, paper, tag):
    r = post(api, analyst, new_claim(speaker=None))
    assert r.status_code == 201
    assert r.json()["speaker"] is None


def test_create_with_positions_only(api, analyst, paper, tag):
    r = post(api, analyst, new_claim(target={"start": 0, "end": 7}))
    assert r.status_code == 201
    assert r.json()["target"]["exact"] == "The SCO"
    assert r.json()["target"]["prefix"] == ""


def test_quote_not_in_the_paper_is_refused_on_target(api, analyst, paper, tag):
    r = post(api, analyst, new_claim(target={"exact": "a military alliance of the East"}))
    assert r.status_code == 400
    assert "not in the paper" in r.json()["target"][0]
    assert not Claim.objects.exists()


def test_ambiguous_quote_is_refused_with_its_count(api, analyst, tag):
    PaperFactory(slug="repeats", text=REPEATS)
    r = post(api, analyst, new_claim(paper="repeats", target={"exact": "three evils"}))
    assert r.status_code == 400
    message = r.json()["target"][0]
    assert "5 times" in message
    assert "prefix" in message
    assert not Claim.objects.exists()


def test_ambiguous_quote_with_a_prefix_that_picks_one_place_is_accepted(api, analyst, tag):
    PaperFactory(slug="repeats", text=REPEATS)
    r = post(api, analyst, new_claim(paper="repeats", target={"exact": "three evils", "suffix": "; and the end"}))
    assert r.status_code == 201
    assert r.json()["target"]["start"] == REPEATS.rindex("three evils")


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ({"start": 0, "end": 100000}, "out of range"),
        ({"start": 5, "end": 5}, "less than"),
        ({"start": 9, "end": 3}, "less than"),
        ({"start": -1, "end": 3}, "whole number"),
        ({"start": 0}, "both start and end"),
        ({"start": 0, "end": 7, "exact": "not an alliance"}, "disagree"),
        ({}, "Give the quote"),
        ("not an alliance", "object"),
        ({"exact": "x", "page": 3}, "Unknown target fields: page"),
    ],
)
def test_bad_targets_are_refused_on_target(api, analyst, paper, tag, target, words):
    r = post(api, analyst, new_claim(target=target))
    assert r.status_code == 400
    assert words in r.json()["target"][0]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("paper", "no-such-paper", 'Unknown paper "no-such-paper"'),
        ("tags", ["no-such-tag"], 'Unknown tag "no-such-tag"'),
        ("stance", "endorses", 'Unknown stance "endorses"'),
    ],
)
def test_unknown_paper_tag_or_stance_is_refused_naming_it(api, analyst, paper, tag, field, value, words):
    r = post(api, analyst, new_claim(**{field: value}))
    assert r.status_code == 400
    assert words in str(r.json()[field])


def test_missing_statement_is_refused(api, analyst, paper, tag):
    body = new_claim()
    del body["statement"]
    r = post(api, analyst, body)
    assert r.status_code == 400
    assert "statement" in r.json()


def test_malformed_json_is_a_400(api, analyst, paper):
    r = api.as_user(analyst).post("/api/v1/claims/", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert "JSON" in r.json()["detail"]


def test_hostile_note_is_kept_as_typed_and_rendered_inert(api, analyst, paper, tag):
    note = '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:x()">j</a> <b>ok</b>'
    r = post(api, analyst, new_claim(note=note))
    assert r.status_code == 201
    assert r.json()["note"] == note  # the text as typed: it is Markdown, not HTML
    shown = r.json()["note_html"]
    for needle in ("<img", "<script", "<a ", "<b>"):
        assert needle not in shown  # typed tags are shown as text, escaped
    assert "&lt;img src=x onerror=" in shown


def test_anonymous_client_cannot_write_or_read(api, paper, tag):
    assert api.post("/api/v1/claims/", new_claim(), format="json").status_code == 401
    assert api.get("/api/v1/claims/").status_code == 401


def test_reader_cannot_write(api, reader, paper, tag):
    r = post(api, reader, new_claim())
    assert r.status_code == 403
    assert r.json()["detail"]


def test_patch_with_current_version_updates_and_bumps_it(api, analyst, paper, tag):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    r = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/",
        {"version": 1, "statement": "Changed.", "stance": "qualifies", "tags": [tag.slug]},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["statement"] == "Changed."
    assert r.json()["version"] == 2
    assert r.json()["tags"] == [tag.slug]


def test_patch_can_move_the_target(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    r = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 1, "target": {"exact": "three evils."}}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["target"]["exact"] == "three evils."


def test_stale_version_is_a_409_and_nothing_is_overwritten(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, statement="Original.")
    first = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "One."}, format="json"
    )
    assert first.status_code == 200
    second = api.as_user(analyst).patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "Two."}, format="json"
    )
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert second.json()["detail"]
    claim.refresh_from_db()
    assert claim.statement == "One."


def test_patch_without_version_is_refused(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    r = api.as_user(analyst).patch(f"/api/v1/claims/{claim.pk}/", {"statement": "x"}, format="json")
    assert r.status_code == 400
    assert "version" in r.json()


def test_one_input_shape_for_create_and_edit_each_ignoring_the_others_field(api, analyst, paper, tag):
    """ClaimIn reads a PATCH with partial=True: an edit cannot move a claim to another paper (the field is not
    taken, as any unknown one), and a create ignores a version; an edit gives no default stance."""
    PaperFactory(slug="pan-2006")
    r = post(api, analyst, new_claim(version=7, stance="denies"))
    assert r.status_code == 201, r.json()
    assert r.json()["version"] == 1
    claim_id = r.json()["id"]
    r = api.patch(f"/api/v1/claims/{claim_id}/", {"version": 1, "paper": "pan-2006", "note": "n"}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["paper"], r.json()["stance"], r.json()["note"]) == ("masuda-2010", "denies", "n")
    r = api.patch(f"/api/v1/claims/{claim_id}/", {"stance": "nope"}, format="json")
    assert r.status_code == 400
    assert set(r.json()) == {"version", "stance"}  # every problem at once, the missing version among them


def test_put_is_not_allowed(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    assert api.as_user(analyst).put(f"/api/v1/claims/{claim.pk}/", {}, format="json").status_code == 405


def test_analyst_cannot_edit_an_approved_claim_of_their_own(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED)
    r = api.as_user(analyst).patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "x"}, format="json")
    assert r.status_code == 403
    assert "moderator" in r.json()["detail"]


def test_analyst_cannot_edit_someone_elses_approved_claim(api, analyst, other_analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=other_analyst, status=Status.APPROVED)
    r = api.as_user(analyst).patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "x"}, format="json")
    assert r.status_code == 403


def test_analyst_does_not_see_someone_elses_pending_claim(api, analyst, other_analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=other_analyst)
    assert api.as_user(analyst).get(f"/api/v1/claims/{claim.pk}/").status_code == 404


def test_moderator_can_edit_anyones_claim(api, moderator, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED)
    r = api.as_user(moderator).patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "statement": "x"}, format="json")
    assert r.status_code == 200


def test_unknown_or_malformed_claim_id_is_a_404(api, analyst):
    assert api.as_user(analyst).get("/api/v1/claims/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.as_user(analyst).get("/api/v1/claims/not-a-uuid/").status_code == 404


def test_delete_is_soft(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    assert api.as_user(analyst).delete(f"/api/v1/claims/{claim.pk}/").status_code == 204
    assert api.as_user(analyst).get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    claim.refresh_from_db()
    assert claim.deleted_at is not None


def test_moderator_approves_and_rejects_with_a_reason(api, moderator, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    url = f"/api/v1/claims/{claim.pk}/moderate/"
    r = api.as_user(moderator).post(url, {"decision": "approve"}, format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "approved"
    assert r.json()["moderation"]["by"] == "mo"
    refused = api.as_user(moderator).post(url, {"decision": "reject"}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()
    r = api.as_user(moderator).post(url, {"decision": "reject", "reason": "Misquoted."}, format="json")
    assert r.json()["status"] == "rejected"
    assert r.json()["moderation"]["reason"] == "Misquoted."


def test_unknown_decision_is_refused_naming_it(api, moderator, paper):
    claim = ClaimFactory(paper=paper)
    r = api.as_user(moderator).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "maybe"}, format="json")
    assert r.status_code == 400
    assert 'Unknown decision "maybe"' in r.json()["decision"][0]


def test_analyst_moderating_is_a_403(api, analyst, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    r = api.as_user(analyst).post(f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "approve"}, format="json")
    assert r.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.PENDING


def test_visibility_by_role(api, reader, analyst, other_analyst, moderator, paper):
    approved = ClaimFactory(paper=paper, created_by=other_analyst, status=Status.APPROVED)
    own_pending = ClaimFactory(paper=paper, created_by=analyst)
    others_pending = ClaimFactory(paper=paper, created_by=other_analyst)
    rejected = ClaimFactory(paper=paper, created_by=other_analyst, status=Status.REJECTED)

    def ids(user):
        return {c["id"] for c in api.as_user(user).get("/api/v1/claims/").json()["results"]}

    assert ids(reader) == {str(approved.pk)}
    assert ids(analyst) == {str(approved.pk), str(own_pending.pk)}
    assert ids(moderator) == {str(c.pk) for c in (approved, own_pending, others_pending, rejected)}
