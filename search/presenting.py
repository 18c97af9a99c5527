"""A search page as plain data: the API's JSON and the page's template read the same shape. Pure."""

from typing import Any

from django.urls import reverse

from .selectors import Hit, SearchPage


def reader_url(slug: str, hit: Hit) -> str:
    """Where one click on a hit goes: a claim opens in its reader (#claim-<id>); a passage opens the reader with
    the sentence of its first hit selected and the claim form ready (#at-<start>-<end>, code points)."""
    base = reverse("annotations:reader", args=[slug])
    if hit.claim is not None:
        return f"{base}#claim-{hit.claim.pk}"
    start, end = hit.at or (hit.start, hit.end)
    return f"{base}#at-{start}-{end}"


def segments(text: str, highlights: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, highlighted) pairs, for a template to show with auto-escaping."""
    pieces, at = [], 0
    for start, end in highlights:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def hit_data(slug: str, hit: Hit) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "claim" if hit.claim is not None else "text",
        "start": hit.start,
        "end": hit.end,
        "score": round(float(hit.score), 6),
        "field": hit.field,
        "context": {"text": hit.context.text, "highlights": [list(span) for span in hit.context.highlights]},
        "reader_url": reader_url(slug, hit),
        "claim": None,
    }
    if hit.claim is not None:
        claim = hit.claim
        data["claim"] = {
            "id": str(claim.pk),
            "statement": claim.statement,
            "status": claim.status,
            "stance": claim.stance,
            "tags": [coding.tag.slug for coding in claim.codings.all()],
        }
    else:
        data["select"] = list(hit.at) if hit.at else [hit.start, hit.end]
    return data


def page_data(page: SearchPage) -> dict[str, Any]:
    return {
        "count": page.papers_total,
        "hits": page.hits_total,
        "page": page.page,
        "pages": page.pages,
        "results": [
            {
                "paper": {
                    "slug": group.paper.slug,
                    "title": group.paper.title,
                    "year": group.paper.year,
                    "authors": [byline.author.name for byline in group.paper.bylines.all()],
                },
                "hits": group.count,
                "passages": [hit_data(group.paper.slug, hit) for hit in group.hits],
            }
            for group in page.papers
        ],
    }
