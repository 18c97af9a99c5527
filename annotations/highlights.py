"""Highlights for the reader: split a paper's text at every claim boundary, pure (no ORM, no templates).

The text is cut into paragraphs (at blank lines, the blank lines staying in the paragraph they end) and
each paragraph into segments, so that every code point of a segment is covered by exactly the same
claims. Overlapping claims therefore stay exact: the marks of one claim, in text order, spell its quote.
`render_html` turns the result into the reader's markup, in which every piece of text carries its
code-point start (`data-start`) so the browser can map a selection back to code points locally.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

# A blank line (possibly holding spaces) ends a paragraph; the newlines go with the paragraph they end,
# so that concatenating the paragraphs gives the text back exactly.
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Span:
    """Where a claim stands: [start, end) in code points."""

    claim_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    # The covering claims, outermost first: earlier start first, then the longer one, then by id.
    claim_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    segments: tuple[Segment, ...] = field(default_factory=tuple)


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph; together they cover the whole text, in order, without gaps."""
    bounds = []
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.end() < len(text):
            bounds.append((start, match.end()))
            start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def placeable(text: str, spans: Iterable[Span]) -> list[Span]:
    """The spans that can be drawn on `text` (an orphaned or stale claim may point outside it)."""
    return [span for span in spans if 0 <= span.start < span.end <= len(text)]


def paragraphs(text: str, spans: Iterable[Span], within: tuple[int, int] | None = None) -> list[Paragraph]:
    """The text as paragraphs of segments, each segment with the ids of the claims covering it; with
    `within` (start, end), only the paragraphs that meet [start, end] (a paragraph is drawn alone the same
    as in the whole text, so a page can replace just those)."""
    spans = placeable(text, spans)
    order = {span.claim_id: (span.start, -span.end, span.claim_id) for span in spans}
    starting: dict[int, list[Span]] = {}
    ending: dict[int, list[Span]] = {}
    for span in spans:
        starting.setdefault(span.start, []).append(span)
        ending.setdefault(span.end, []).append(span)
    boundaries = sorted(set(starting) | set(ending))
    result = []
    active: set[str] = set()
    skipped = False
    for para_start, para_end in paragraph_bounds(text):
        if within is not None and not (para_start <= within[1] and within[0] <= para_end):
            skipped = True
            continue
        if skipped:
            # The claims that began in paragraphs left out and go on into this one.
            active = {claim_id for claim_id, (start, neg_end, _) in order.items() if start < para_start < -neg_end}
            skipped = False
        inside = boundaries[bisect_right(boundaries, para_start) : bisect_left(boundaries, para_end)]
        positions = [para_start, *inside, para_end] if para_start < para_end else []
        segments = []
        for seg_start, seg_end in pairwise(positions):
            for span in ending.get(seg_start, ()):
                active.discard(span.claim_id)
            for span in starting.get(seg_start, ()):
                active.add(span.claim_id)
            covering = tuple(sorted(active, key=order.__getitem__))
            segments.append(Segment(seg_start, seg_end, text[seg_start:seg_end], covering))
        # Events at the paragraph's end are applied at the next paragraph's start (same position).
        result.append(Paragraph(para_start, para_end, tuple(segments)))
    return result


@dataclass(frozen=True)
class MarkStyle:
    """What the page colours a claim's marks by."""

    tag: str = ""
    stance: str = ""
    status: str = ""


def _style_attrs(style: MarkStyle | None) -> str:
    if style is None:
        return ""
    attrs = ""
    if style.tag:
        attrs += f' data-tag="{escape(style.tag)}"'
    if style.stance:
        attrs += f' data-stance="{escape(style.stance)}"'
    if style.status:
        attrs += f' data-status="{escape(style.status)}"'
    return attrs


def render_html(paras: Iterable[Paragraph], styles: Mapping[str, MarkStyle] | None = None) -> str:
    """The reader's markup for `paras`.

    `<p data-start>` per paragraph; in it, every segment's text in a `<span data-start>` (its code-point
    offset); around the spans, one `<mark data-claim-id>` per claim, nested outermost first. A mark stays
    open across segments while its claim and every claim outside it go on, and is split (closed and
    opened again) only where an outer claim ends first, so the markup grows with the claims' crossings,
    not with their overlap depth. In text order, the marks of one claim spell its quote exactly. A covered
    span carries `data-depth` (how many claims cover it) and the tag, stance and status of its innermost
    claim, which colour it."""
    styles = styles or {}
    opening: dict[str, str] = {}
    span_attrs: dict[str, str] = {}
    out: list[str] = []
    for para in paras:
        out.append(f'<p class="para" data-start="{para.start}">')
        open_ids: tuple[str, ...] = ()
        for segment in para.segments:
            ids = segment.claim_ids
            keep = 0
            while keep < len(open_ids) and keep < len(ids) and open_ids[keep] == ids[keep]:
                keep += 1
            out.append("</mark>" * (len(open_ids) - keep))
            for claim_id in ids[keep:]:
                if claim_id not in opening:
                    opening[claim_id] = f'<mark data-claim-id="{escape(claim_id)}">'
                out.append(opening[claim_id])
            open_ids = ids
            attrs = ""
            if ids:
                innermost = ids[-1]
                if innermost not in span_attrs:
                    span_attrs[innermost] = _style_attrs(styles.get(innermost))
                attrs = f'{span_attrs[innermost]} data-depth="{len(ids)}"'
            out.append(f'<span data-start="{segment.start}"{attrs}>{escape(segment.text)}</span>')
        out.append("</mark>" * len(open_ids))
        out.append("</p>")
    return "".join(out)
