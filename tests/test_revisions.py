"""Paper revisions through the services and the database: re-anchoring, the report, placing by hand."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import services
from annotations.errors import PermissionDenied, StaleVersion, ValidationError
from annotations.models import AnchorState, Claim, Paper, PaperRevision, Status, text_sha256
from annotations.reanchoring import unchanged_runs
from tests.factories import ClaimFactory, PaperFactory
from tests.test_reanchoring import apply_edits, untouched

TEXT = (
    "The SCO is not an alliance. It fights the three evils.\n\n"
    "The three evils are terrorism, separatism and extremism. Member states hold joint exercises every year.\n"
    "Peace Mission drills are not aimed at any third country, officials insist.\n"
)


def claim_on(paper, quote, **kwargs):
    start = paper.text.index(quote)
    return ClaimFactory(paper=paper, at=(start, start + len(quote)), **kwargs)


@pytest.fixture
def long_paper(db):
    return PaperFactory(slug="revised-paper", text=TEXT)


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


def test_a_revision_keeps_the_old_text_and_reports_each_outcome(long_paper, moderator):
    kept = claim_on(long_paper, "The SCO")
    exact = claim_on(long_paper, "terrorism, separatism and extremism")
    fuzzy = claim_on(long_paper, "Member states hold joint exercises every year", status=Status.APPROVED)
    orphan = claim_on(long_paper, "Peace Mission drills are not aimed at any third country", status=Status.APPROVED)
    new = (
        TEXT.replace("three evils.\n", "three evils (san gu shili).\n")
        .replace("every year", "each year")
        .replace("Peace Mission drills are not aimed at any third country, officials insist.\n", "")
    )

    revision = services.paper_revise(paper=long_paper, by=moderator, text=new, note="Better copy")

    assert revision.number == 1
    assert revision.report == {"kept": 1, "moved_exact": 1, "moved_fuzzy": 1, "orphaned": 1, "already_orphaned": 0}
    assert (revision.old_text, revision.old_text_sha256) == (TEXT, text_sha256(TEXT))
    assert revision.new_text_sha256 == text_sha256(new)
    assert (revision.created_by, revision.note) == (moderator, "Better copy")
    paper = Paper.objects.get(pk=long_paper.pk)
    assert (paper.text, paper.text_sha256) == (new, text_sha256(new))

    assert (fresh(kept).start, fresh(kept).version, fresh(kept).anchor_state) == (kept.start, 1, AnchorState.ORIGINAL)
    moved = fresh(exact)
    assert new[moved.start : moved.end] == exact.exact
    assert moved.start == exact.start + len(" (san gu shili)")
    assert (moved.anchor_state, moved.version, moved.anchor_revision) == (AnchorState.EXACT, 2, revision)
    moved = fresh(fuzzy)
    assert moved.exact == "Member states hold joint exercises each year"
    assert moved.anchor_state == AnchorState.FUZZY
    assert 0.75 <= moved.anchor_score < 1
    assert moved.status == Status.APPROVED  # a fuzzy move is flagged by its state, not unapproved
    lost = fresh(orphan)
    assert (lost.status, lost.status_before_orphaned, lost.anchor_state) == (
        Status.ORPHANED,
        Status.APPROVED,
        AnchorState.ORPHANED,
    )
    # The old quote and offsets stay, pointing into the replaced text.
    assert (lost.start, lost.end, lost.exact, lost.prefix, lost.suffix) == (
        orphan.start,
        orphan.end,
        orphan.exact,
        orphan.prefix,
        orphan.suffix,
    )
    assert revision.old_text[lost.start : lost.end] == lost.exact
    assert lost.version == 2
    assert {(d["claim"], d["outcome"]) for d in revision.details} == {
        (str(fuzzy.pk), "fuzzy"),
        (str(orphan.pk), "orphaned"),
    }


def test_only_moderators_revise(long_paper, analyst):
    with pytest.raises(PermissionDenied):
        services.paper_revise(paper=long_paper, by=analyst, text=TEXT + "More.")
    assert not PaperRevision.objects.exists()


def test_an_identical_text_is_refused_with_a_clear_message(long_paper, moderator):
    with pytest.raises(ValidationError) as error:
        services.paper_revise(paper=long_paper, by=moderator, text=TEXT.replace("\n", "\r\n"))
    assert "identical to the current one" in error.value.message_dict["text"][0]


def test_an_empty_text_is_refused(long_paper, moderator):
    with pytest.raises(ValidationError) as error:
        services.paper_revise(paper=long_paper, by=moderator, text=" \n ")
    assert error.value.message_dict["text"] == ["The new text is empty."]


def test_the_text_is_stored_as_the_contract_says(long_paper, moderator):
    services.paper_revise(paper=long_paper, by=moderator, text="\ufeffLine one.\r\nLine two.\r\n")
    assert Paper.objects.get(pk=long_paper.pk).text == "Line one.\nLine two.\n"


def test_deleted_claims_are_reanchored_too_and_no_claim_is_ever_deleted(long_paper, moderator):
    gone = claim_on(long_paper, "joint exercises")
    services.claim_delete(claim_id=gone.pk, by=gone.created_by)
    claim_on(long_paper, "It fights the three evils.")
    services.paper_revise(paper=long_paper, by=moderator, text="Preface.\n" + TEXT.replace("It fights", "It fought"))
    assert Claim.objects.filter(paper=long_paper).count() == 2
    moved = fresh(gone)
    assert moved.deleted_at is not None
    assert moved.start == gone.start + len("Preface.\n")
    assert (moved.exact, moved.prefix, moved.suffix) == (gone.exact, gone.prefix, gone.suffix)
    assert (moved.version, moved.anchor_state) == (3, AnchorState.EXACT)  # 1 made, 2 deleted, 3 moved
    assert moved.anchor_revision == PaperRevision.objects.get()


def test_a_later_revision_leaves_orphans_as_they_were_and_numbers_in_order(long_paper, moderator):
    orphan = claim_on(long_paper, "It fights the three evils.")
    services.paper_revise(paper=long_paper, by=moderator, text=TEXT.replace("It fights the three evils.", "Zzz."))
    second = services.paper_revise(
        paper=long_paper, by=moderator, text="Preface.\n" + Paper.objects.get(pk=long_paper.pk).text
    )
    assert second.number == 2
    assert second.report["already_orphaned"] == 1
    assert fresh(orphan).version == 2
    assert fresh(orphan).anchor_revision.number == 1


def test_a_failure_half_way_writes_nothing(long_paper, moderator, monkeypatch):
    claim = claim_on(long_paper, "terrorism, separatism and extremism")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Claim.objects, "bulk_update", broken)
    with pytest.raises(RuntimeError):
        services.paper_revise(paper=long_paper, by=moderator, text="Preface.\n" + TEXT)
    assert Paper.objects.get(pk=long_paper.pk).text == TEXT
    assert not PaperRevision.objects.exists()
    assert fresh(claim).start == claim.start


def test_a_claim_moved_exactly_after_a_fuzzy_move_stays_marked_fuzzy(long_paper, moderator):
    claim = claim_on(long_paper, "Member states hold joint exercises every year")
    services.paper_revise(paper=long_paper, by=moderator, text=TEXT.replace("every year", "each year"))
    score = fresh(claim).anchor_score
    services.paper_revise(paper=long_paper, by=moderator, text="Preface.\n" + Paper.objects.get(pk=long_paper.pk).text)
    again = fresh(claim)
    assert (again.anchor_state, again.anchor_score, again.version) == (AnchorState.FUZZY, score, 3)


# --- Placing by hand ----------------------------------------------------------------------------------


@pytest.fixture
def orphaned(long_paper, moderator):
    def make(status=Status.APPROVED):
        claim = claim_on(long_paper, "It fights the three evils.", status=status)
        services.paper_revise(
            paper=long_paper,
            by=moderator,
            text=Paper.objects.get(pk=long_paper.pk).text.replace("It fights the three evils.", "Zzz."),
        )
        return fresh(claim)

    return make


def test_a_moderator_places_an_orphan_again_and_it_goes_back_to_review(orphaned, moderator):
    claim = orphaned(Status.APPROVED)
    placed = services.claim_place(claim_id=claim.pk, by=moderator, target={"exact": "three evils are"}, version=2)
    assert (placed.status, placed.status_before_orphaned) == (Status.PENDING, "")
    assert (placed.anchor_state, placed.anchor_score, placed.version) == (AnchorState.MANUAL, None, 3)
    assert placed.exact == "three evils are"


def test_a_rejected_orphan_placed_again_stays_rejected(orphaned, moderator):
    claim = orphaned(Status.REJECTED)
    placed = services.claim_place(claim_id=claim.pk, by=moderator, target={"start": 0, "end": 3}, version=2)
    assert placed.status == Status.REJECTED


def test_placing_by_hand_checks_role_version_and_target(orphaned, moderator, analyst):
    claim = orphaned()
    with pytest.raises(PermissionDenied):
        services.claim_place(claim_id=claim.pk, by=analyst, target={"start": 0, "end": 3}, version=2)
    with pytest.raises(StaleVersion):
        services.claim_place(claim_id=claim.pk, by=moderator, target={"start": 0, "end": 3}, version=1)
    with pytest.raises(ValidationError) as error:
        services.claim_place(claim_id=claim.pk, by=moderator, target={"exact": "It fights"}, version=2)
    assert "not in the paper" in error.value.message_dict["target"][0]
    assert fresh(claim).status == Status.ORPHANED


def test_an_orphan_cannot_be_approved_before_it_is_placed(orphaned, moderator):
    claim = orphaned()
    with pytest.raises(ValidationError):
        services.claim_moderate(claim_id=claim.pk, by=moderator, decision="approve")


# --- Random revisions through the database ------------------------------------------------------------

WORDS = ["Beijing", "Moscow", "security", "cooperation", "the", "SCO", "three", "evils", "is", "not", "an", "alliance"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=20, max_size=80),
    spans=st.lists(st.tuples(st.floats(0, 0.95), st.integers(1, 30)), min_size=1, max_size=10),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 10), st.sampled_from(["", "new words ", "X", "Tashkent "])),
        min_size=1,
        max_size=5,
    ),
)
def test_property_random_revisions_through_the_service(moderator, words, spans, edits):
    old = " ".join(words) + ".\n"
    paper = PaperFactory(text=old)
    claims = []
    for fraction, length in spans:
        start = int(fraction * len(old))
        claims.append(ClaimFactory(paper=paper, at=(start, min(len(old), start + length))))
    edited = apply_edits(old, edits)
    if edited.new == old:
        return
    revision = services.paper_revise(paper=paper, by=moderator, text=edited.new)

    assert Claim.objects.filter(paper=paper).count() == len(claims)
    report = revision.report
    assert report["kept"] + report["moved_exact"] + report["moved_fuzzy"] + report["orphaned"] == len(claims)
    for claim in claims:
        after = fresh(claim)
        if after.status == Status.ORPHANED:
            assert (after.start, after.end, after.exact) == (claim.start, claim.end, claim.exact)
            continue
        assert edited.new[after.start : after.end] == after.exact
        if after.anchor_state == AnchorState.FUZZY:
            assert after.anchor_score >= 0.75
        else:
            assert after.exact == claim.exact
    runs = unchanged_runs(old, edited.new)
    for claim in claims:
        whole = any(run.old <= claim.start and claim.end <= run.old + run.size for run in runs)
        if untouched(edited, claim.start, claim.end) is not None and whole:
            after = fresh(claim)
            assert after.anchor_state in (AnchorState.ORIGINAL, AnchorState.EXACT)
            assert after.exact == claim.exact


def test_claims_moved_by_a_revision_are_in_their_audit_trail(moderator, api):
    from tests.factories import TagFactory

    text = "The SCO is a regional body with many members and observers. It is not an alliance.\n"
    paper = PaperFactory(slug="audited", text=text)
    tag = TagFactory(slug="not-an-alliance")
    shifted = ClaimFactory(paper=paper, at=(text.index("not an"), text.index(".\n")), tags=[tag])
    kept = ClaimFactory(paper=paper, at=(0, 7))  # "The SCO": far from the edit, same words and context
    services.paper_revise(paper=paper, by=moderator, text=text.replace("It is not", "It is, as ever, not"))
    shifted.refresh_from_db()
    assert Paper.objects.get(pk=paper.pk).text[shifted.start : shifted.end] == "not an alliance"

    entries = api.as_user(moderator).get(f"/api/v1/claims/{shifted.pk}/history/").json()["results"]
    newest = entries[0]
    assert newest["action"] == "reanchored"
    assert newest["by"] == moderator.username
    assert newest["changes"]["start"] == {"from": text.index("not an"), "to": shifted.start}
    assert "tags" not in newest["changes"]  # the tags were carried into the row, not lost
    assert "Revision 1" in newest["reason"]
    kept_entries = api.as_user(moderator).get(f"/api/v1/claims/{kept.pk}/history/").json()["results"]
    assert "reanchored" not in [entry["action"] for entry in kept_entries]
