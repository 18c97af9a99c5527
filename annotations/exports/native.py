"""The native format: complete and lossless, one item per line, keys and items in a fixed order.

    {"format": "sco-claims", "version": 1, "exported_at": "...", "filters": {...},
     "papers": [...], "authors": [...], "tags": [...], "claims": [...], "links": [...]}

Exporting, importing into an empty instance and exporting again gives the same bytes apart from
`exported_at`: every value is written as stored (timestamps with microseconds, in UTC), users by username.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .. import records
from . import iso

FORMAT_NAME = "sco-claims"
FORMAT_VERSION = 1
SECTIONS = ("papers", "authors", "tags", "claims", "links")
# The section a project export with its coding rounds adds after SECTIONS; an import reads past it.
ROUNDS_SECTION = "coding_rounds"


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


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


def _plain(record: records.Record, item) -> dict[str, Any]:
    """The record's plain fields of `item` (a ClaimRow or LinkRow), each written by its kind."""
    values = {}
    for field in record.plain():
        value = getattr(item, field.key)
        if field.kind == records.TIME:
            value = iso(value)
        elif field.kind == records.OPTIONAL_TEXT:
            value = value or None
        values[field.key] = value
    return values


def codings_of(claim) -> list[dict[str, str]]:
    """The claim's tags with the stance it takes on each, by slug."""
    return sorted(({"tag": c.tag, "stance": c.stance} for c in claim.codings), key=lambda c: c["tag"])


def claim_record(claim) -> dict[str, Any]:
    """A claim (a ClaimRow) with everything needed to rebuild it, its keys in the order of records.CLAIM."""
    codings = codings_of(claim)
    shaped = {
        "id": str(claim.id),
        "paper": claim.paper_slug,
        "target": {column: getattr(claim, column) for column in records.TARGET_COLUMNS},
        "tags": [coding["tag"] for coding in codings],
        # The stance on each tag; `stance` stays the claim's (the default of a tag given without one).
        "codings": codings,
    }
    plain = _plain(records.CLAIM, claim)
    return {key: shaped[key] if key in shaped else plain[key] for key in records.CLAIM.keys}


def claim_exported(claim) -> dict[str, Any]:
    """The claim's record as the native export writes it: with `pages` ([first, last], or null) after its
    target. Derived from the paper's pages, so not part of the record an import compares and reads back."""
    record = claim_record(claim)
    exported = {}
    for key, value in record.items():
        exported[key] = value
        if key == "target":
            exported["pages"] = list(claim.pages) if claim.pages else None
    return exported


def link_record(link) -> dict[str, Any]:
    """A link (a LinkRow), its keys in the order of records.LINK."""
    shaped = {"id": str(link.id), "source": str(link.source_id), "target": str(link.target_id)}
    plain = _plain(records.LINK, link)
    return {key: shaped[key] if key in shaped else plain[key] for key in records.LINK.keys}


def render(
    *,
    exported_at: str,
    filters: dict[str, str],
    papers: Iterable[dict],
    authors: Iterable[dict],
    tags: Iterable[dict],
    claims: Iterable[dict],
    links: Iterable[dict],
    extra: dict[str, Iterable[dict]] | None = None,
) -> Iterator[str]:
    """The document as text chunks (about one per item), written as the records arrive. `extra`: sections asked
    for besides the five (`coding_rounds`, the analysts' independent layers), after them; an import ignores them."""
    yield (
        f'{{"format": {dumps(FORMAT_NAME)}, "version": {FORMAT_VERSION}, '
        f'"exported_at": {dumps(exported_at)}, "filters": {dumps(filters)},'
    )
    sections = {"papers": papers, "authors": authors, "tags": tags, "claims": claims, "links": links, **(extra or {})}
    for number, (name, items) in enumerate(sections.items()):
        yield f'\n"{name}": ['
        separator = "\n"
        for record in items:
            yield separator + dumps(record)
            separator = ",\n"
        yield "\n]" + ("," if number < len(sections) - 1 else "")
    yield "\n}\n"
