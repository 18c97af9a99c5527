"""The codebook through the API: tags per project, create/rename/move/merge/delete, proposals, history."""

import pytest

from annotations.models import Claim, Coding, HistoryAction, Role, Stance, Tag, TagStatus
from projects.models import ProjectRole
from tests.factories import ClaimFactory, MembershipFactory, PaperFactory, ProjectFactory, TagFactory, UserFactory

TAGS = "/api/v1/tags/"
pytestmark = pytest.mark.django_db


def test_a_moderator_creates_renames_moves_and_deletes_a_tag(api, moderator):
    api.as_user(moderator)
    assert api.post(TAGS, {"slug": "security", "name": "Security"}, format="json").status_code == 201
    r = api.post(TAGS, {"slug": "drugs", "name": "Drugs", "colour": "#AA0000"}, format="json")
    assert r.status_code == 201
    assert r.json()["status"] == "accepted"
    r = api.patch(f"{TAGS}drugs/", {"name": "Drug trafficking", "parent": "security"}, format="json")
    assert r.status_code == 200
    assert (r.json()["name"], r.json()["parent"]) == ("Drug trafficking", "security")
    loop = api.patch(f"{TAGS}security/", {"parent": "drugs"}, format="json")
    assert loop.status_code == 400
    assert "descendants" in loop.json()["parent"][0]
    assert api.delete(f"{TAGS}security/").status_code == 400  # a tag sits under it
    assert api.delete(f"{TAGS}drugs/").status_code == 204
    assert api.delete(f"{TAGS}security/").status_code == 204
    assert not Tag.objects.exists()
    actions = list(Tag.history.order_by("history_id").values_list("slug", "history_action"))
    assert actions == [
        ("security", HistoryAction.CREATED),
        ("drugs", HistoryAction.CREATED),
        ("drugs", HistoryAction.EDITED),
        ("drugs", HistoryAction.DELETED),
        ("security", HistoryAction.DELETED),
    ]


def test_a_tag_in_use_is_refused_deletion_and_merged_with_into(api, moderator, paper):
    old, _kept = TagFactory(slug="old"), TagFactory(slug="kept")
    claim = ClaimFactory(paper=paper, tags=[(old, Stance.DENIES)])
    api.as_user(moderator)
    refused = api.delete(f"{TAGS}old/")
    assert refused.status_code == 400
    assert "in use (1 coding(s)" in refused.json()["into"][0]
    assert Tag.objects.filter(slug="old").exists()
    r = api.delete(f"{TAGS}old/?into=kept")
    assert r.status_code == 200
    assert r.json()["codings_moved"] == 1
    assert list(Coding.objects.filter(claim=claim).values_list("tag__slug", "stance")) == [("kept", Stance.DENIES)]


def test_merge_of_a_claim_with_both_tags_keeps_the_kept_tags_stance_and_says_so(api, moderator, paper):
    source, into = TagFactory(slug="source"), TagFactory(slug="into")
    both = ClaimFactory(paper=paper, at=(0, 10), tags=[(source, Stance.DENIES), (into, Stance.AFFIRMS)])
    agree = ClaimFactory(paper=paper, at=(11, 20), tags=[(source, Stance.AFFIRMS), (into, Stance.AFFIRMS)])
    r = api.as_user(moderator).post(f"{TAGS}source/merge/", {"into": "into"}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert (body["codings_moved"], body["codings_dropped"]) == (0, 2)
    assert body["stance_conflicts"] == [str(both.pk)]
    assert list(Coding.objects.filter(claim=both).values_list("tag__slug", "stance")) == [("into", Stance.AFFIRMS)]
    row = both.history.latest()
    assert row.history_action == HistoryAction.RETAGGED
    assert "denies source" in row.history_change_reason
    assert "keeps affirms into" in row.history_change_reason
    assert agree.history.latest().history_action == HistoryAction.RETAGGED
    assert Claim.objects.get(pk=both.pk).version == 2


def test_merge_refuses_a_target_under_the_source_or_in_another_project(api, moderator):
    parent = TagFactory(slug="parent")
    TagFactory(slug="child", parent=parent)
    elsewhere = ProjectFactory(slug="elsewhere")
    MembershipFactory(project=elsewhere, user=moderator, role=ProjectRole.MODERATOR)
    TagFactory(project=elsewhere, slug="far")
    api.as_user(moderator)
    r = api.post(f"{TAGS}parent/merge/", {"into": "child"}, format="json")
    assert r.status_code == 400
    assert "under parent" in r.json()["into"][0]
    r = api.post(f"{TAGS}parent/merge/", {"into": "far"}, format="json")
    assert r.status_code == 400
    assert "far" in r.json()["into"][0]
    assert Tag.objects.filter(slug="parent").exists()


def test_tags_are_per_project(api):
    a, b = ProjectFactory(slug="a"), ProjectFactory(slug="b")
    mod = UserFactory(username="modb", role=Role.READER)  # a reader of the default project, moderator of b
    MembershipFactory(project=b, user=mod, role=ProjectRole.MODERATOR)
    TagFactory(project=a, slug="same")
    api.as_user(mod)
    assert api.get(f"{TAGS}?project=a").status_code == 404  # not a member: nothing leaked
    r = api.post(f"{TAGS}?project=b", {"slug": "same", "name": "Same slug, other project"}, format="json")
    assert r.status_code == 201
    assert [t["slug"] for t in api.get(f"{TAGS}?project=b").json()["results"]] == ["same"]
    assert api.post(f"{TAGS}?project=b", {"slug": "same", "name": "Again"}, format="json").status_code == 400
    # A parent is looked up in the request's project only.
    r = api.post(TAGS, {"slug": "x", "name": "X", "project": "b", "parent": "nope"}, format="json")
    assert r.status_code == 400
    assert "parent" in r.json()


def test_a_reader_cannot_write_and_an_analyst_only_propose(api, reader, analyst):
    body = {"slug": "idea", "name": "Idea"}
    assert api.as_user(reader).post(TAGS, body | {"propose": True}, format="json").status_code == 403
    r = api.as_user(analyst).post(TAGS, body, format="json")
    assert r.status_code == 403
    assert "propose" in r.json()["detail"]
    TagFactory(slug="t")
    assert api.as_user(analyst).patch(f"{TAGS}t/", {"name": "New"}, format="json").status_code == 403
    assert api.as_user(analyst).delete(f"{TAGS}t/").status_code == 403
    assert not Tag.objects.filter(slug="idea").exists()


@pytest.fixture
def proposal(api, analyst):
    r = api.as_user(analyst).post(TAGS, {"slug": "idea", "name": "An idea", "propose": True}, format="json")
    assert r.status_code == 201
    assert (r.json()["status"], r.json()["proposed_by"]) == ("proposed", analyst.username)
    return Tag.objects.get(slug="idea")


def claim_body(paper, tags, exact="The SCO is not an alliance."):
    return {"paper": paper.slug, "target": {"exact": exact}, "statement": "S", "tags": tags}


def test_a_proposal_is_usable_at_once_by_its_proposer_and_not_by_others(api, analyst, other_analyst, proposal):
    paper = PaperFactory()
    r = api.as_user(analyst).post("/api/v1/claims/", claim_body(paper, ["idea"]), format="json")
    assert r.status_code == 201
    assert r.json()["tags"] == ["idea"]
    assert "idea" in [t["slug"] for t in api.get(TAGS).json()["results"]]
    api.as_user(other_analyst)
    assert "idea" not in [t["slug"] for t in api.get(TAGS).json()["results"]]
    refused = api.post("/api/v1/claims/", claim_body(paper, ["idea"]), format="json")
    assert refused.status_code == 400
    assert "only proposed" in refused.json()["tags"][0]


def test_a_moderator_accepts_a_proposal_and_everyone_may_use_it(api, moderator, other_analyst, proposal):
    r = api.as_user(moderator).post(f"{TAGS}idea/accept/")
    assert r.status_code == 200
    assert r.json()["status"] == "accepted"
    assert r.json()["proposed_by"] == "ana"  # who proposed it stays known
    paper = PaperFactory()
    assert (
        api.as_user(other_analyst).post("/api/v1/claims/", claim_body(paper, ["idea"]), format="json").status_code
        == 201
    )
    assert Tag.history.filter(slug="idea").latest().history_action == HistoryAction.ACCEPTED
    again = api.as_user(moderator).post(f"{TAGS}idea/accept/")
    assert again.status_code == 400
    assert "already accepted" in again.json()["status"][0]


def test_an_unused_proposal_is_rejected_by_removing_it(api, moderator, proposal):
    r = api.as_user(moderator).post(f"{TAGS}idea/reject/", {"reason": "too vague"}, format="json")
    assert r.status_code == 200
    assert r.json() == {"rejected": "idea", "merge": None}
    assert not Tag.objects.filter(slug="idea").exists()
    row = Tag.history.filter(slug="idea").latest()
    assert (row.history_action, row.history_change_reason) == (HistoryAction.REJECTED, "proposal rejected: too vague")


def test_a_used_proposal_is_rejected_only_into_another_tag(api, analyst, moderator, proposal):
    kept = TagFactory(slug="kept")
    paper = PaperFactory()
    claim_id = api.as_user(analyst).post("/api/v1/claims/", claim_body(paper, ["idea"]), format="json").json()["id"]
    api.as_user(moderator)
    refused = api.post(f"{TAGS}idea/reject/", {}, format="json")
    assert refused.status_code == 400
    assert "name a tag to merge it into" in refused.json()["into"][0]
    r = api.post(f"{TAGS}idea/reject/", {"into": "kept"}, format="json")
    assert r.status_code == 200
    assert r.json()["merge"]["codings_moved"] == 1
    assert list(Coding.objects.filter(claim_id=claim_id).values_list("tag_id", flat=True)) == [kept.pk]
    row = Tag.history.filter(slug="idea").latest()
    assert row.history_action == HistoryAction.MERGED
    assert "proposal rejected" in row.history_change_reason


def test_nothing_merges_into_a_proposal_and_an_accepted_tag_is_not_rejected(api, moderator, proposal):
    TagFactory(slug="other")
    api.as_user(moderator)
    r = api.post(f"{TAGS}other/merge/", {"into": "idea"}, format="json")
    assert r.status_code == 400
    assert "only proposed" in r.json()["into"][0]
    r = api.post(f"{TAGS}other/reject/", {}, format="json")
    assert r.status_code == 400
    assert "not a proposal" in r.json()["status"][0]


def test_an_edit_keeps_another_analysts_proposal_already_on_a_claim(api, analyst, moderator, proposal):
    """A moderator editing the proposer's claim sends its tags back: the proposal it holds is not refused."""
    paper = PaperFactory()
    claim = api.as_user(analyst).post("/api/v1/claims/", claim_body(paper, ["idea"]), format="json").json()
    r = api.as_user(moderator).patch(
        f"/api/v1/claims/{claim['id']}/", {"version": claim["version"], "tags": ["idea"], "note": "ok"}, format="json"
    )
    assert r.status_code == 200


def test_the_codebook_history_lists_every_change_newest_first(api, moderator, analyst, proposal):
    api.as_user(moderator)
    api.post(f"{TAGS}idea/accept/")
    api.patch(f"{TAGS}idea/", {"colour": "#112233"}, format="json")
    entries = api.get(f"/api/v1/projects/{proposal.project.slug}/codebook/history/").json()["results"]
    assert [(e["tag"], e["action"]) for e in entries] == [
        ("idea", "edited"),
        ("idea", "accepted"),
        ("idea", "created"),
    ]
    assert entries[0]["changes"] == {"colour": {"from": "#888888", "to": "#112233"}}
    assert entries[1]["changes"] == {"status": {"from": "proposed", "to": "accepted"}}
    assert entries[2]["by"] == "ana"


def test_a_claim_cannot_take_a_tag_of_another_project(api, moderator):
    other = ProjectFactory(slug="other")
    MembershipFactory(project=other, user=moderator, role=ProjectRole.MODERATOR)
    TagFactory(project=other, slug="foreign")
    paper = PaperFactory()
    # The claims API looks tags up by slug; a slug only another project has is refused (by the API or the rule).
    r = api.as_user(moderator).post("/api/v1/claims/", claim_body(paper, ["foreign"]), format="json")
    assert r.status_code == 400
    assert "foreign" in str(r.json()["tags"])


def test_a_reader_sees_accepted_tags_with_their_status(api, reader):
    TagFactory(slug="t")
    proposer = UserFactory(username="x", role=Role.ANALYST)
    TagFactory(slug="p", status=TagStatus.PROPOSED, proposed_by=proposer)
    results = api.as_user(reader).get(TAGS).json()["results"]
    assert [(t["slug"], t["status"]) for t in results] == [("t", "accepted")]


def test_the_history_hides_anothers_proposal_and_is_per_project(api, other_analyst, moderator, proposal):
    url = f"/api/v1/projects/{proposal.project.slug}/codebook/history/"
    assert api.as_user(other_analyst).get(url).json()["results"] == []
    assert [e["tag"] for e in api.as_user(moderator).get(url).json()["results"]] == ["idea"]
    assert api.get("/api/v1/projects/no-such-project/codebook/history/").status_code == 404


def test_a_tag_may_be_named_like_an_action_of_the_api(api, moderator):
    TagFactory(slug="history")
    r = api.as_user(moderator).patch(f"{TAGS}history/", {"name": "History"}, format="json")
    assert r.status_code == 200
    assert api.get(f"{TAGS}history/").json()["name"] == "History"
