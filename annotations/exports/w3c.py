"""Claims and links as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each claim is an `Annotation` on its paper, named by its stable identifier (DOI, URL or URN; the reader page
on this server is the target's `via`): the target carries a `TextQuoteSelector` and a
`TextPositionSelector` (both count Unicode code points, as ours do); the statement, the tags and the
stance are `TextualBody`s with the purposes `describing`, `tagging` and `assessing`, the note one with
`commenting`. Each tagging body carries the claim's stance on that tag as `stance` (`sco:stance`). Each link is an `Annotation` with motivation `linking`: it targets the source claim's
annotation, and its body is the target claim's annotation plus the relation (`classifying`).

Ids are `urn:uuid:` IRIs, so they stay the same on every host and an import gets the claim's id back.
A few terms of our own (speaker, status, version) live in a small inline context after the W3C one.

`anno.jsonld` beside this module is a verbatim copy of the W3C Web Annotation JSON-LD context
(http://www.w3.org/ns/anno.jsonld, Web Annotation Working Group, 2017), kept so that JSON-LD
processing (tests, the import) works offline.
"""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..identifiers import paper_identifier
from . import iso
from .native import codings_of

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_CONTEXT_FILE = Path(__file__).with_name("anno.jsonld")
SCO_CONTEXT = {
    "sco": "urn:sco-claims:terms:",
    "speaker": "sco:speaker",
    "status": "sco:status",
    "stance": "sco:stance",
    "version": {"@id": "sco:version", "@type": "xsd:nonNegativeInteger"},
}
CONTEXT = [ANNO_CONTEXT, SCO_CONTEXT]
# The spec's list of motivations, which are also the allowed purposes of a body.
MOTIVATIONS = frozenset(
    {
        "assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
        "identifying", "linking", "moderating", "questioning", "replying", "tagging",
    }
)  # fmt: skip
PAGE_SIZE = 1000


def anno_context_document() -> dict[str, Any]:
    """The vendored W3C context, for a JSON-LD document loader."""
    return json.loads(ANNO_CONTEXT_FILE.read_text(encoding="utf-8"))


def context_document_loader(url: str, options: dict | None = None) -> dict:
    """A pyld document loader that serves the W3C context from the vendored copy (no network)."""
    if url.rstrip("/").removeprefix("https://").removeprefix("http://") == "www.w3.org/ns/anno.jsonld":
        return {"contextUrl": None, "documentUrl": url, "document": anno_context_document()}
    raise ValueError(f"No network here: cannot load the JSON-LD document {url}")


def claim_iri(claim_id) -> str:
    return f"urn:uuid:{claim_id}"


def paper_iri(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/papers/{slug}/"


def _creator(username: str | None) -> dict[str, str] | None:
    if username is None:
        return None
    return {"type": "Person", "nickname": username}


def claim_annotation(claim, base_url: str, identifiers: dict[int, str] | None = None) -> dict[str, Any]:
    """The claim's annotation. Its target's `source` is the paper's stable identifier (`identifiers`: paper id →
    DOI, URL or URN; the URN from the slug when missing); the reader page on this server is only its `via`."""
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "describing", "value": claim.statement, "format": "text/plain"},
        *(
            # The claim's stance on this tag rides on its tagging body (a term of our context).
            {"type": "TextualBody", "purpose": "tagging", "value": coding["tag"], "stance": coding["stance"]}
            for coding in codings_of(claim)
        ),
        {"type": "TextualBody", "purpose": "assessing", "value": claim.stance},
    ]
    if claim.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": claim.note, "format": "text/markdown"})
    quote = {"type": "TextQuoteSelector", "exact": claim.exact}
    if claim.prefix:
        quote["prefix"] = claim.prefix
    if claim.suffix:
        quote["suffix"] = claim.suffix
    annotation: dict[str, Any] = {
        "id": claim_iri(claim.id),
        "type": "Annotation",
        "motivation": "describing",
        "created": iso(claim.created_at),
        "modified": iso(claim.updated_at),
        "creator": _creator(claim.created_by),
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": (identifiers or {}).get(claim.paper_id) or paper_identifier(slug=claim.paper_slug),
            "via": paper_iri(base_url, claim.paper_slug),
            "selector": [quote, {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}],
        },
        "speaker": claim.speaker or None,
        "status": claim.status,
        "version": claim.version,
    }
    return {key: value for key, value in annotation.items() if value is not None}


def link_annotation(link) -> dict[str, Any]:
    body: list[Any] = [
        claim_iri(link.target_id),
        {"type": "TextualBody", "purpose": "classifying", "value": link.relation},
    ]
    if link.rationale:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "value": link.rationale, "format": "text/markdown"}
        )
    return {
        "id": claim_iri(link.id),
        "type": "Annotation",
        "motivation": "linking",
        "created": iso(link.created_at),
        "modified": iso(link.updated_at),
        "creator": _creator(link.created_by),
        "body": body,
        "target": claim_iri(link.source_id),
        "status": link.status,
        "version": link.version,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _items(annotations: Iterable[dict]) -> Iterator[str]:
    separator = "\n"
    for annotation in annotations:
        yield separator + _dumps(annotation)
        separator = ",\n"


def _page(*, page_id: str, start_index: int, annotations: Iterable[dict], extra: dict[str, Any]) -> Iterator[str]:
    head = {"id": page_id, "type": "AnnotationPage", **extra, "startIndex": start_index}
    yield _dumps(head)[:-1] + ', "items": ['
    yield from _items(annotations)
    yield "\n]}"


def render_collection(
    *, collection_id: str, page_id: str, total: int, annotations: Iterable[dict], label: str = "sco-claims"
) -> Iterator[str]:
    """A collection small enough for one page: the page embedded as `first` (and named as `last`)."""
    head = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection", "label": label, "total": total}
    yield _dumps(head)[:-1] + ', "first": '
    yield from _page(page_id=page_id, start_index=0, annotations=annotations, extra={"partOf": collection_id})
    yield f', "last": {_dumps(page_id)}}}\n'


def collection_of_pages(*, collection_id: str, total: int, first: str, last: str, label: str = "sco-claims") -> dict:
    """A large collection: only where its pages are, as the Web Annotation Protocol describes."""
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": first,
        "last": last,
    }


def render_page(
    *,
    page_id: str,
    collection_id: str,
    total: int,
    start_index: int,
    annotations: Iterable[dict],
    next_id: str | None,
    prev_id: str | None,
) -> Iterator[str]:
    """One page of a paged collection, with `partOf`, `startIndex` and its neighbours."""
    extra: dict[str, Any] = {"partOf": {"id": collection_id, "total": total}}
    if next_id:
        extra["next"] = next_id
    if prev_id:
        extra["prev"] = prev_id
    yield '{"@context": ' + _dumps(CONTEXT) + ", "
    chunks = _page(page_id=page_id, start_index=start_index, annotations=annotations, extra=extra)
    yield next(chunks)[1:]
    yield from chunks
    yield "\n"
