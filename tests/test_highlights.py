"""The reader's segmentation, exhaustively: segments spell the text and carry exactly the covering claims."""

from html.parser import HTMLParser
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.highlights import MarkStyle, Span, paragraph_bounds, paragraphs, placeable, render_html

# Texts with paragraph breaks, spaces, and characters outside the BMP (one code point, two UTF-16 units).
alphabet = st.sampled_from(["a", "b", " ", "\n", "\t", "é", "\U0001d516", "😀", "<", "&", '"'])
texts = st.text(alphabet=alphabet, max_size=60)


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    n = len(text)
    spans = []
    for i in range(draw(st.integers(min_value=0, max_value=12))):
        start = draw(st.integers(min_value=-2, max_value=n + 2))
        end = draw(st.integers(min_value=-2, max_value=n + 2))
        spans.append(Span(f"c{i}", start, end))
    return text, spans


def flat(paras):
    return [segment for para in paras for segment in para.segments]


@settings(max_examples=400)
@given(text_and_spans())
def test_segments_spell_the_text_and_cover_exactly(case):
    text, spans = case
    paras = paragraphs(text, spans)
    segments = flat(paras)
    assert "".join(segment.text for segment in segments) == text
    assert "".join(text[p.start : p.end] for p in paras) == text
    valid = placeable(text, spans)
    position = 0
    for segment in segments:
        assert segment.start == position < segment.end
        assert segment.text == text[segment.start : segment.end]
        position = segment.end
        for point in range(segment.start, segment.end):
            covering = {span.claim_id for span in valid if span.start <= point < span.end}
            assert set(segment.claim_ids) == covering
        assert len(set(segment.claim_ids)) == len(segment.claim_ids)
    assert position == len(text)


@settings(max_examples=300)
@given(text_and_spans())
def test_segments_are_minimal_and_stay_inside_paragraphs(case):
    text, spans = case
    for para in paragraphs(text, spans):
        assert all(para.start <= s.start and s.end <= para.end for s in para.segments)
        for left, right in pairwise(para.segments):
            assert set(left.claim_ids) != set(right.claim_ids)


@settings(max_examples=300)
@given(text_and_spans())
def test_each_claims_segments_spell_its_quote(case):
    text, spans = case
    segments = flat(paragraphs(text, spans))
    for span in placeable(text, spans):
        pieces = [s.text for s in segments if span.claim_id in s.claim_ids]
        assert "".join(pieces) == text[span.start : span.end]


@given(text_and_spans())
def test_covering_claims_are_ordered_outermost_first(case):
    text, spans = case
    by_id = {span.claim_id: span for span in placeable(text, spans)}
    for segment in flat(paragraphs(text, spans)):
        keys = [(by_id[i].start, -by_id[i].end, i) for i in segment.claim_ids]
        assert keys == sorted(keys)


@settings(max_examples=300)
@given(text_and_spans(), st.integers(min_value=-2, max_value=70), st.integers(min_value=0, max_value=20))
def test_some_paragraphs_alone_are_drawn_as_in_the_whole(case, start, length):
    text, spans = case
    within = (start, start + length)
    whole = paragraphs(text, spans)
    meeting = [p for p in whole if p.start <= within[1] and within[0] <= p.end]
    assert paragraphs(text, spans, within) == meeting


def test_paragraphs_end_after_their_blank_lines():
    text = "One.\nStill one.\n\nTwo.\n \n\nThree."
    assert [text[a:b] for a, b in paragraph_bounds(text)] == ["One.\nStill one.\n\n", "Two.\n \n\n", "Three."]


def test_trailing_blank_lines_stay_in_the_last_paragraph():
    assert paragraph_bounds("Only.\n\n") == [(0, 7)]
    assert paragraph_bounds("") == [(0, 0)]


def test_spans_that_cannot_be_placed_are_left_out():
    text = "abcdef"
    spans = [Span("ok", 1, 3), Span("empty", 2, 2), Span("backwards", 4, 1), Span("past", 3, 7), Span("neg", -1, 2)]
    assert [s.claim_id for s in placeable(text, spans)] == ["ok"]


def test_overlapping_claims_split_at_every_boundary():
    text = "0123456789"
    segs = flat(paragraphs(text, [Span("a", 0, 6), Span("b", 3, 9)]))
    assert [(s.text, s.claim_ids) for s in segs] == [
        ("012", ("a",)),
        ("345", ("a", "b")),
        ("678", ("b",)),
        ("9", ()),
    ]


class MarkupReader(HTMLParser):
    """Collects the text of each data-start piece and the marks around it, as the browser would see them."""

    def __init__(self):
        super().__init__()
        self.stack: list[dict] = []
        self.pieces: list[tuple[int, str, list[str]]] = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.stack.append({"tag": tag, **dict(attrs)})

    def handle_endtag(self, tag):
        assert self.stack.pop()["tag"] == tag

    def handle_data(self, data):
        top = self.stack[-1]
        assert "data-start" in top, "every piece of text sits directly in an element with data-start"
        ids = [e["data-claim-id"] for e in self.stack if e["tag"] == "mark"]
        self.pieces.append((int(top["data-start"]), data, ids))
        self.text.append(data)


@settings(max_examples=200)
@given(text_and_spans())
def test_rendered_markup_keeps_text_offsets_and_marks(case):
    text, spans = case
    html = render_html(paragraphs(text, spans), {span.claim_id: MarkStyle(tag="t", stance="affirms") for span in spans})
    reader = MarkupReader()
    reader.feed(html)
    reader.close()
    assert "".join(reader.text) == text
    valid = placeable(text, spans)
    for start, data, ids in reader.pieces:
        assert text[start : start + len(data)] == data
        assert set(ids) == {s.claim_id for s in valid if s.start <= start < s.end}


def test_rendered_markup_escapes_the_text():
    html = render_html(paragraphs('<img src=x onerror="alert(1)"> & co', [Span("c", 0, 4)]))
    assert "<img" not in html
    assert "&lt;img" in html
    assert '<mark data-claim-id="c"><span data-start="0" data-depth="1">&lt;img</span></mark>' in html


def test_marks_stay_open_while_their_claims_go_on_and_split_only_at_crossings():
    styles = {"a": MarkStyle(tag="t-a", stance="denies", status="pending"), "b": MarkStyle(tag="t-b")}
    crossing = render_html(paragraphs("0123456789", [Span("a", 0, 6), Span("b", 3, 9)]), styles)
    assert crossing == (
        '<p class="para" data-start="0">'
        '<mark data-claim-id="a">'
        '<span data-start="0" data-tag="t-a" data-stance="denies" data-status="pending" data-depth="1">012</span>'
        '<mark data-claim-id="b"><span data-start="3" data-tag="t-b" data-depth="2">345</span></mark></mark>'
        '<mark data-claim-id="b"><span data-start="6" data-tag="t-b" data-depth="1">678</span></mark>'
        '<span data-start="9">9</span></p>'
    )
    nested = render_html(paragraphs("0123456789", [Span("a", 0, 9), Span("b", 3, 6)]))
    assert nested.count('<mark data-claim-id="a">') == 1
    assert nested.count('<mark data-claim-id="b">') == 1


@settings(max_examples=200)
@given(text_and_spans())
def test_marks_of_a_claim_spell_its_quote(case):
    text, spans = case
    reader = MarkupReader()
    reader.feed(render_html(paragraphs(text, spans)))
    reader.close()
    for span in placeable(text, spans):
        assert "".join(data for _, data, ids in reader.pieces if span.claim_id in ids) == text[span.start : span.end]
