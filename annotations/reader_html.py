"""The reader's claims panel as HTML, built in Python: a paper may carry thousands of claims, and a
template loop over them costs several times more than this (see bench/reader_bench.py)."""

from collections.abc import Iterable
from html import escape

from .pages import page_label
from .selectors import ReaderClaim


def _tags(claim: ReaderClaim) -> str:
    return "".join(f' <span class="tag-chip" data-tag="{escape(slug)}">{escape(slug)}</span>' for slug in claim.tags)


def _status(claim: ReaderClaim) -> str:
    return f'<span class="status status-{escape(claim.status)}">{escape(claim.status)}</span>'


def _pages(claim: ReaderClaim) -> str:
    return f' · <span class="pages" data-pages>{page_label(claim.pages)}</span>' if claim.pages else ""


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def claims_panel(claims: Iterable[ReaderClaim], unplaced: list[ReaderClaim], can_annotate: bool) -> str:
    """`<li>` items, in text order, for the claims drawn on the text, then those that could not be placed."""
    out: list[str] = []
    for claim in claims:
        out.append(
            f'<li class="claim-item" data-claim-id="{claim.id}" data-start="{claim.start}" tabindex="0">'
            f'<p class="statement">{escape(claim.statement)}</p>'
            f'<p class="meta"><span class="stance" data-stance="{escape(claim.stance)}">{escape(claim.stance)}</span>'
            f"{_tags(claim)}{_pages(claim)}</p>"
            f'<p class="meta"><span class="speaker">{escape(claim.speaker or "the authors")}</span> · {_status(claim)}'
            f' · by <span class="who-made">{escape(claim.created_by)}</span></p></li>'
        )
    if not out:
        hint = " Select a passage to make one." if can_annotate else ""
        out.append(f'<li class="empty">No claims yet.{hint}</li>')
    if unplaced:
        out.append(f'<li class="unplaced-head">Not placed on this text ({len(unplaced)})</li>')
        for claim in unplaced:
            out.append(
                f'<li class="claim-item unplaced" data-claim-id="{claim.id}" tabindex="0">'
                f'<p class="statement">{escape(claim.statement)}</p>'
                f'<p class="meta">{_status(claim)} · “{escape(_excerpt(claim.exact))}” · by '
                f"{escape(claim.created_by)}</p></li>"
            )
    return "".join(out)
