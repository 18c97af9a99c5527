"""Anchoring against every shipped paper: property tests with hypothesis, plus the refusals by name."""

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import anchoring
from annotations.corpus import SHIPPED_CORPUS, papers_from_corpus_file
from tests.examples import examples


@cache
def shipped_texts() -> dict[str, str]:
    return {paper.slug: paper.text for paper in papers_from_corpus_file(SHIPPED_CORPUS)}


def count_overlapping(text: str, needle: str) -> int:
    return len(anchoring.occurrences(text, needle))


@st.composite
def spans(draw):
    slug = draw(st.sampled_from(sorted(shipped_texts())))
    text = shipped_texts()[slug]
    length = draw(st.integers(min_value=1, max_value=200))
    start = draw(st.integers(min_value=0, max_value=len(text) - 1))
    return text, start, min(len(text), start + length)


property_settings = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@property_settings
@given(spans())
def test_quote_with_its_context_resolves_to_the_same_span_when_that_context_is_unique(span):
    text, start, end = span
    anchor = anchoring.anchor_at(text, start, end)
    places_with_context = [
        p
        for p in anchoring.occurrences(text, anchor.exact)
        if text[max(0, p - len(anchor.prefix)) : p] == anchor.prefix
        and text[p + len(anchor.exact) : p + len(anchor.exact) + len(anchor.suffix)] == anchor.suffix
    ]
    if len(places_with_context) == 1:
        resolved = anchoring.resolve_target(text, exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix)
        assert resolved == anchor
    else:
        with pytest.raises(anchoring.AmbiguousQuote) as refused:
            anchoring.resolve_target(text, exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix)
        assert refused.value.occurrences == count_overlapping(text, anchor.exact)


@property_settings
@given(spans())
def test_quote_with_positions_always_resolves_to_the_same_span(span):
    text, start, end = span
    resolved = anchoring.resolve_target(text, exact=text[start:end], start=start, end=end)
    assert (resolved.start, resolved.end, resolved.exact) == (start, end, text[start:end])
    assert resolved == anchoring.anchor_at(text, start, end)
    assert len(resolved.prefix) <= anchoring.CONTEXT_LENGTH >= len(resolved.suffix)


@property_settings
@given(spans())
def test_positions_alone_give_all_five_fields(span):
    text, start, end = span
    resolved = anchoring.resolve_target(text, start=start, end=end)
    assert text[resolved.start - len(resolved.prefix) : resolved.end + len(resolved.suffix)] == (
        resolved.prefix + resolved.exact + resolved.suffix
    )


@property_settings
@given(spans())
def test_bare_quote_resolves_when_unique_and_is_refused_with_its_count_when_not(span):
    text, start, end = span
    quote = text[start:end]
    n = count_overlapping(text, quote)
    if n == 1:
        assert anchoring.resolve_target(text, exact=quote).start == start
    else:
        with pytest.raises(anchoring.AmbiguousQuote) as refused:
            anchoring.resolve_target(text, exact=quote)
        assert refused.value.occurrences == n
        assert f"{n} times" in str(refused.value)


@pytest.mark.parametrize("slug", ["masuda-2010", "su-li-2021"])
def test_a_common_word_is_ambiguous_with_the_right_count(slug):
    text = shipped_texts()[slug]
    with pytest.raises(anchoring.AmbiguousQuote) as refused:
        anchoring.resolve_target(text, exact="SCO")
    assert refused.value.occurrences == text.count("SCO")
    assert f"occurs {text.count('SCO')} times" in str(refused.value)


def test_offsets_are_code_points_not_utf16_units():
    text = "𝔖 and 😀 before: the SCO is not an alliance."
    anchor = anchoring.resolve_target(text, exact="not an alliance")
    assert text[anchor.start : anchor.end] == "not an alliance"
    assert anchor.start == text.index("not")  # Python indexes code points; UTF-16 would say 2 more


def test_quote_not_in_text_is_refused():
    with pytest.raises(anchoring.QuoteNotFound, match="not in the paper"):
        anchoring.resolve_target("abc", exact="xyz")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(-1, 2, "out of range"), (0, 99, "out of range"), (2, 2, "less than"), (3, 1, "less than")],
)
def test_bad_positions_are_refused(start, end, message):
    with pytest.raises(anchoring.PositionsInvalid, match=message):
        anchoring.resolve_target("abcdef", start=start, end=end)


def test_quote_and_positions_that_disagree_are_refused():
    with pytest.raises(anchoring.TargetDisagrees, match="disagree"):
        anchoring.resolve_target("abcdef", exact="abc", start=1, end=4)


def test_partial_context_chooses_the_place_where_most_of_it_matches():
    text = "one: the three evils. two: the three evils."
    anchor = anchoring.resolve_target(text, exact="the three evils", prefix="XX two: ")
    assert anchor.start == text.rindex("the three evils")


def test_shipped_texts_match_the_shared_originals_when_present():
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not shared.exists():
        pytest.skip("../shared/corpus is not beside this checkout (only CI has it)")
    for slug, text in shipped_texts().items():
        assert (shared / f"{slug}.txt").read_text(encoding="utf-8") == text
