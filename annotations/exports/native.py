"""The native format: complete and lossless, one item per line, keys and items in a fixed order.

    {"format": "sco-claims", "version": 1, "exported_at": "...", "filters": {...},
     "papers": [...], "authors": [...], "tags": [...], "claims": [...], "links": [...]}

Exporting, importing into an empty instance and exporting again gives the same bytes apart from
`exported_at`: every value is written as stored (timestamps with microseconds, in UTC), users by username.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from . import iso

FORMAT_NAME = "sco-claims"
FORMAT_VERSION = 1
SECTIONS = ("papers", "authors", "tags", "claims", "links")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _username(user) -> str | None:
    return user.username if user is not None else None


def paper_record(paper, author_names: list[str]) -> dict[str, Any]:
    return {
        "slug": paper.slug,
        "title": paper.title,
        "year": paper.year,
        "year_note": paper.year_note,
        "venue": paper.venue,
        # Where it is published, when known (files without them import as unknown: the format stays version 1).
        "doi": paper.doi,
        "url": paper.url,
        "authors": author_names,
        "created_at": iso(paper.created_at),
        "updated_at": iso(paper.updated_at),
        "text_sha256": paper.text_sha256,
        "text": paper.text,
    }


def author_record(author) -> dict[str, Any]:
    return {"name": author.name, "affiliation": author.affiliation, "country": author.country, "note": author.note}


def tag_record(tag, parent_slug: str | None) -> dict[str, Any]:
    return {
        "slug": tag.slug,
        "name": tag.name,
        "description": tag.description,
        "colour": tag.colour,
        "parent": parent_slug,
    }


def _moderated(item) -> dict[str, Any]:
    return {
        "status": item.status,
        "version": item.version,
        "created_by": _username(item.created_by),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "moderated_by": _username(item.moderated_by),
        "moderated_at": iso(item.moderated_at),
        "moderation_reason": item.moderation_reason,
        "deleted_at": iso(item.deleted_at),
    }


def codings_of(claim) -> list[dict[str, str]]:
    """The claim's tags with the stance it takes on each, by slug (`claim.codings` prefetched with tags)."""
    return sorted(({"tag": c.tag.slug, "stance": c.stance} for c in claim.codings.all()), key=lambda c: c["tag"])


def claim_record(claim) -> dict[str, Any]:
    """A claim with everything needed to rebuild it; codings come prefetched with their tags."""
    codings = codings_of(claim)
    return {
        "id": str(claim.id),
        "paper": claim.paper.slug,
        "target": {
            "start": claim.start,
            "end": claim.end,
            "exact": claim.exact,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
        },
        "statement": claim.statement,
        "speaker": claim.speaker or None,
        "stance": claim.stance,
        "tags": [coding["tag"] for coding in codings],
        # The stance on each tag; `stance` stays the claim's (the default of a tag given without one).
        "codings": codings,
        "note": claim.note,
        # Where a revision of the paper's text left the claim (version 1 readers that lack them default to
        # an original anchor). The revision itself is not exported: revisions are not part of the format.
        "anchor_state": claim.anchor_state,
        "anchor_score": claim.anchor_score,
        "status_before_orphaned": claim.status_before_orphaned,
        **_moderated(claim),
    }


def link_record(link) -> dict[str, Any]:
    return {
        "id": str(link.id),
        "source": str(link.source_id),
        "target": str(link.target_id),
        "relation": link.relation,
        "rationale": link.rationale,
        **_moderated(link),
    }


def render(
    *,
    exported_at: str,
    filters: dict[str, str],
    papers: Iterable[dict],
    authors: Iterable[dict],
    tags: Iterable[dict],
    claims: Iterable[dict],
    links: Iterable[dict],
) -> Iterator[str]:
    """The document as text chunks (about one per item), written as the records arrive."""
    yield (
        f'{{"format": {dumps(FORMAT_NAME)}, "version": {FORMAT_VERSION}, '
        f'"exported_at": {dumps(exported_at)}, "filters": {dumps(filters)},'
    )
    sections = {"papers": papers, "authors": authors, "tags": tags, "claims": claims, "links": links}
    for number, (name, records) in enumerate(sections.items()):
        yield f'\n"{name}": ['
        separator = "\n"
        for record in records:
            yield separator + dumps(record)
            separator = ",\n"
        yield "\n]" + ("," if number < len(sections) - 1 else "")
    yield "\n}\n"
