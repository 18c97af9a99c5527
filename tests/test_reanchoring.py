"""The pure re-anchoring: examples of each outcome, then properties under random edits (hypothesis)."""

from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import reanchoring
from annotations.anchoring import anchor_at
from annotations.reanchoring import THRESHOLD, Kind, reanchor, similarity, unchanged_runs
from tests.examples import examples

TEXT = (
    "The SCO is not an alliance. It fights the three evils.\n\n"
    "The three evils are terrorism, separatism and extremism. Member states hold joint exercises every year.\n"
    "Peace Mission drills are not aimed at any third country, officials insist.\n"
)


def at(text: str, quote: str, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return anchor_at(text, start, start + len(quote))


def one(old: str, new: str, anchor):
    [outcome] = reanchor(old, new, [anchor])
    return outcome


def test_an_anchor_before_every_edit_is_kept():
    anchor = at(TEXT, "not an alliance")
    new = TEXT.replace("joint exercises", "joint military exercises")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind == Kind.KEPT
    assert outcome.anchor == anchor


def test_an_anchor_after_an_insertion_moves_by_its_length_onto_the_same_words():
    anchor = at(TEXT, "joint exercises")
    new = TEXT.replace("The SCO is", "The Shanghai Cooperation Organisation (SCO) is")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind == Kind.EXACT
    assert outcome.anchor.start == anchor.start + len(new) - len(TEXT)
    assert new[outcome.anchor.start : outcome.anchor.end] == "joint exercises"


def test_an_edit_in_the_context_only_refreshes_the_context_at_the_same_offsets():
    anchor = at(TEXT, "terrorism, separatism and extremism")
    new = TEXT.replace("evils are", "evils were")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind == Kind.EXACT
    assert (outcome.anchor.start, outcome.anchor.exact) == (anchor.start + 1, anchor.exact)
    assert outcome.anchor.prefix.endswith("evils were ")


def test_an_untouched_claim_is_not_pulled_to_a_copy_of_its_words_with_context_elsewhere():
    # The quote with its whole context also occurs earlier once the text is corrected; the claim's own
    # words were not edited, so it must stay on them.
    old = "alpha. Then the three evils are named. omega"
    anchor = at(old, "the three evils")
    new = "Then the three evils are named. " + old
    outcome = one(old, new, anchor)
    assert outcome.kind == Kind.EXACT
    assert outcome.anchor.start == anchor.start + len("Then the three evils are named. ")


def test_a_moved_paragraph_is_found_by_its_quote_and_context():
    paragraphs = TEXT.split("\n")
    new = "\n".join([paragraphs[2], paragraphs[0], paragraphs[1], *paragraphs[3:]])
    anchor = at(TEXT, "not aimed at any third country")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind in {Kind.EXACT, Kind.KEPT}
    assert new[outcome.anchor.start : outcome.anchor.end] == anchor.exact


def test_a_word_changed_inside_the_quote_is_placed_fuzzily_with_its_score():
    anchor = at(TEXT, "Member states hold joint exercises every year")
    new = TEXT.replace("joint exercises every year", "joint exercises each year")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind == Kind.FUZZY
    assert new[outcome.anchor.start : outcome.anchor.end] == "Member states hold joint exercises each year"
    assert outcome.score == pytest.approx(similarity(anchor, new, outcome.anchor.start, outcome.anchor.end))
    assert THRESHOLD <= outcome.score < 1


def test_a_deleted_passage_orphans_its_claim_and_reports_the_best_score_below_the_threshold():
    anchor = at(TEXT, "Peace Mission drills are not aimed at any third country")
    new = TEXT.replace("Peace Mission drills are not aimed at any third country, officials insist.\n", "")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind == Kind.ORPHANED
    assert outcome.anchor is None
    assert outcome.score is None or outcome.score < THRESHOLD


def test_a_rewritten_quote_is_orphaned_not_moved_onto_other_words():
    anchor = at(TEXT, "It fights the three evils.")
    new = TEXT.replace("It fights the three evils.", "Its remit grew over a decade.")
    outcome = one(TEXT, new, anchor)
    assert outcome.kind == Kind.ORPHANED


def test_offsets_that_do_not_hold_the_quote_are_resolved_by_the_quote():
    anchor = at(TEXT, "joint exercises")
    broken = type(anchor)(anchor.start + 3, anchor.end + 3, anchor.exact, anchor.prefix, anchor.suffix)
    outcome = one(TEXT, TEXT, broken)
    assert outcome.kind == Kind.EXACT
    assert outcome.anchor == anchor


def test_code_points_not_utf16_units():
    old = "Prefix 😀 then the claim about the SCO 😀 and a tail."
    anchor = at(old, "the claim about the SCO")
    new = "😀😀 " + old
    outcome = one(old, new, anchor)
    assert outcome.kind == Kind.EXACT
    assert outcome.anchor.start == anchor.start + 3


def test_unchanged_runs_cover_exactly_the_surviving_characters():
    old, new = "abc def ghi", "abc dXf ghi!"
    runs = unchanged_runs(old, new)
    for run in runs:
        assert old[run.old : run.old + run.size] == new[run.new : run.new + run.size]
    assert sum(run.size for run in runs) == len(old) - 1


# --- Properties under random edits -------------------------------------------------------------------


@dataclass
class Edited:
    old: str
    new: str
    where: list[int | None]  # where each old code point is in the new text (None: deleted)


def apply_edits(old: str, edits: list[tuple[float, int, str]]) -> Edited:
    """Apply (position as a fraction, how many to delete, what to insert) edits one after the other."""
    text = list(old)
    origin: list[int | None] = list(range(len(old)))
    for fraction, delete, insert in edits:
        position = min(int(fraction * (len(text) + 1)), len(text))
        text[position : position + delete] = list(insert)
        origin[position : position + delete] = [None] * len(insert)
    where: list[int | None] = [None] * len(old)
    for new_position, old_position in enumerate(origin):
        if old_position is not None:
            where[old_position] = new_position
    return Edited(old, "".join(text), where)


def untouched(edited: Edited, start: int, end: int) -> int | None:
    """The new start of old[start:end] if no edit deleted, replaced or split its code points, else None."""
    places = edited.where[start:end]
    if any(place is None for place in places) or places[-1] - places[0] != end - start - 1:
        return None
    return places[0]


@st.composite
def spans(draw, length: int, most: int = 12):
    result = []
    for _ in range(draw(st.integers(1, most))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 40)))
        result.append((start, end))
    return result


def edits(inserts):
    return st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), inserts), min_size=1, max_size=6)


# Every code point distinct, and inserted ones never seen before: the diff has one answer, so an
# untouched claim must land exactly where its characters went.
distinct_text = st.lists(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=120, unique=True
)
fresh = st.lists(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=6, unique=True).map("".join)

WORDS = ["the", "SCO", "is", "not", "an", "alliance", "three", "evils", "security", "China", "Russia", "and"]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
prose = st.lists(st.tuples(words, st.sampled_from([" ", ". ", ".\n", ", "])), min_size=3, max_size=30).map(
    lambda parts: "".join(w + sep for w, sep in parts)
)
inserted_prose = st.one_of(st.just(""), words.map(lambda w: w + " "), st.text(alphabet="abcXY .\n", max_size=6))

PROPERTY_SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_outcomes(edited: Edited, anchors, outcomes, *, unique: bool) -> None:
    """The properties of the issue, for every anchor of one random revision.

    "Untouched" is known from the edits themselves. With repeated words the two texts alone may tell
    another, equally short story (from "the the the " to "the  ", which "the" went?): then the diff may
    say a claim's characters were edited, and the rules for edited claims are what the claim must obey.
    With distinct characters there is only one story, and untouched claims land exactly where they went.
    """
    assert len(outcomes) == len(anchors)  # nothing is ever dropped
    runs = unchanged_runs(edited.old, edited.new)
    for anchor, outcome in zip(anchors, outcomes, strict=True):
        went_to = untouched(edited, anchor.start, anchor.end)
        kept_whole = any(run.old <= anchor.start and anchor.end <= run.old + run.size for run in runs)
        placed = outcome.anchor
        if placed is not None:
            assert placed == anchor_at(edited.new, placed.start, placed.end)
        if kept_whole or (went_to is not None and unique):
            # Words not touched: the claim ends on exactly the same words.
            assert outcome.kind in {Kind.KEPT, Kind.EXACT}
            assert placed.exact == anchor.exact
            if unique:
                assert placed.start == went_to
            continue
        # Words edited: a passage similar above the threshold, or set aside, never anywhere else.
        if outcome.kind == Kind.ORPHANED:
            assert placed is None
        elif outcome.kind == Kind.FUZZY:
            assert outcome.score == pytest.approx(similarity(anchor, edited.new, placed.start, placed.end))
            assert outcome.score >= THRESHOLD
        else:
            assert outcome.kind == Kind.EXACT
            # Found elsewhere by its quote with its whole recorded context, verbatim.
            assert placed.exact == anchor.exact
            assert edited.new[max(0, placed.start - len(anchor.prefix)) : placed.start] == anchor.prefix
            assert edited.new[placed.end : placed.end + len(anchor.suffix)] == anchor.suffix


@PROPERTY_SETTINGS
@given(st.data())
def test_property_distinct_characters(data):
    old = "".join(data.draw(distinct_text))
    anchors = [anchor_at(old, s, e) for s, e in data.draw(spans(len(old)))]
    edited = apply_edits(old, data.draw(edits(fresh)))
    check_outcomes(edited, anchors, reanchor(edited.old, edited.new, anchors), unique=True)


@PROPERTY_SETTINGS
@given(st.data())
def test_property_prose_with_repeated_words(data):
    old = data.draw(prose)
    anchors = [anchor_at(old, s, e) for s, e in data.draw(spans(len(old)))]
    edited = apply_edits(old, data.draw(edits(inserted_prose)))
    check_outcomes(edited, anchors, reanchor(edited.old, edited.new, anchors), unique=False)


@PROPERTY_SETTINGS
@given(st.data())
def test_property_an_unedited_text_keeps_every_anchor(data):
    old = data.draw(prose)
    anchors = [anchor_at(old, s, e) for s, e in data.draw(spans(len(old)))]
    outcomes = reanchor(old, old, anchors)
    assert [outcome.kind for outcome in outcomes] == [Kind.KEPT] * len(anchors)
    assert [outcome.anchor for outcome in outcomes] == anchors


@PROPERTY_SETTINGS
@given(st.data())
def test_property_prose_through_the_line_and_word_levels_of_the_diff(data):
    # Short texts go straight to the character level; force the line and word levels that long papers use.
    old = data.draw(prose)
    anchors = [anchor_at(old, s, e) for s, e in data.draw(spans(len(old)))]
    edited = apply_edits(old, data.draw(edits(inserted_prose)))
    with patch.object(reanchoring, "_SMALL_BLOCK", 0):
        outcomes = reanchor(edited.old, edited.new, anchors)
        check_outcomes(edited, anchors, outcomes, unique=False)


PAPER = (Path(__file__).resolve().parent.parent / "fixtures" / "papers" / "qiushi-2012.txt").read_text(encoding="utf-8")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, len(PAPER) - 1), st.integers(1, 400)), min_size=1, max_size=40),
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 60), st.sampled_from(["", "the SCO ", "Shanghai\n", "X"])),
        min_size=1,
        max_size=20,
    ),
)
def test_property_a_real_paper_under_scattered_edits(spans_at, edit_list):
    anchors = [anchor_at(PAPER, start, min(len(PAPER), start + length)) for start, length in spans_at]
    edited = apply_edits(PAPER, edit_list)
    check_outcomes(edited, anchors, reanchor(edited.old, edited.new, anchors), unique=False)
