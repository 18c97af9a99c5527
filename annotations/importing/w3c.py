"""W3C Web Annotations (as Hypothesis and similar tools export them) read into native records.

Claims keep their quote (and positions as a hint); validation places them again on the paper's text.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from ..models import Stance, Status
from .records import PAPER_IN_IRI, Document, ImportRefused, Problems


def w3c_annotations(document: Any) -> tuple[list, str]:
    if isinstance(document, list):
        return document, "items"
    if not isinstance(document, dict):
        raise ImportRefused({"": ["Give a sco-claims export or W3C Web Annotations (a collection, a page or a list)."]})
    kind = document.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "Annotation" in kinds:
        return [document], "annotation"
    if "AnnotationPage" in kinds:
        items = document.get("items")
        if not isinstance(items, list):
            raise ImportRefused({"items": ["An AnnotationPage must have a list of items."]})
        return items, "items"
    if "AnnotationCollection" in kinds:
        first = document.get("first")
        if isinstance(first, dict) and isinstance(first.get("items"), list):
            return first["items"], "first.items"
        raise ImportRefused(
            {"first": ["This collection only points to its pages; import each AnnotationPage (?page=N) instead."]}
        )
    raise ImportRefused({"type": ["Give a sco-claims export or W3C Web Annotations (a collection, a page or a list)."]})


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _annotation_uuid(iri: Any) -> str | None:
    """Our own annotation ids give the claim's UUID back; any other IRI a stable UUID of its own."""
    if not isinstance(iri, str) or not iri:
        return None
    if iri.startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(iri.removeprefix("urn:uuid:")))
        except ValueError:
            return None
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def _username_of(creator: Any) -> str | None:
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, dict):
        for key in ("nickname", "name"):
            if isinstance(creator.get(key), str) and creator[key].strip():
                return creator[key].strip()
        creator = creator.get("id")
    if isinstance(creator, str) and creator.strip():
        # "acct:ana@hypothes.is" (Hypothesis) or ".../users/ana"
        name = creator.strip().removeprefix("acct:").rstrip("/").rsplit("/", 1)[-1]
        return name.split("@", 1)[0] or None
    return None


def _bodies(annotation: dict) -> list:
    return _as_list(annotation.get("body"))


def _textual(body: Any, purpose: str) -> bool:
    if not isinstance(body, dict) or "value" not in body:
        return False
    purposes = _as_list(body.get("purpose"))
    return purpose in purposes


def read_w3c(annotations: list, path: str, *, acting_username: str | None, paper: str | None) -> Document:
    problems = Problems()
    doc = Document(kind="w3c", reanchor=True, paths={"claims": path, "links": path})
    for index, annotation in enumerate(annotations):
        where = f"{path}[{index}]"
        if not isinstance(annotation, dict):
            problems.add(where, "An annotation must be an object.")
            continue
        item_id = _annotation_uuid(annotation.get("id"))
        if item_id is None:
            problems.add(f"{where}.id", "An annotation needs an id (an IRI).")
        creator = _username_of(annotation.get("creator")) or acting_username
        common = {
            "id": item_id,
            "status": annotation.get("status") if annotation.get("status") in Status.values else Status.PENDING,
            "version": annotation.get("version") if isinstance(annotation.get("version"), int) else 1,
            "created_by": creator,
            "created_at": annotation.get("created"),
            "updated_at": annotation.get("modified") or annotation.get("created"),
            "moderated_by": None,
            "moderated_at": None,
            "moderation_reason": "",
            "deleted_at": None,
            "_index": index,
        }
        if "linking" in _as_list(annotation.get("motivation")):
            doc.links.append(_w3c_link(annotation, common))
        else:
            doc.claims.append(_w3c_claim(annotation, common, where, problems, paper))
    if problems:
        raise ImportRefused(problems.found)
    return doc


def _w3c_link(annotation: dict, common: dict) -> dict:
    bodies = _bodies(annotation)
    target_iri = next((b if isinstance(b, str) else b.get("id") for b in bodies if _is_iri_body(b)), None)
    relation = next((b["value"] for b in bodies if _textual(b, "classifying")), None)
    rationale = next((b["value"] for b in bodies if _textual(b, "commenting")), "")
    source = _as_list(annotation.get("target"))
    source_iri = source[0] if source and isinstance(source[0], str) else None
    return {
        "id": common["id"],
        "source": _annotation_uuid(source_iri) if source_iri else None,
        "target": _annotation_uuid(target_iri) if target_iri else None,
        "relation": relation,
        "rationale": rationale,
        **{key: value for key, value in common.items() if key != "id"},
    }


def quote_and_position(selectors: Iterable[Any]) -> tuple[dict | None, dict | None]:
    """The first TextQuoteSelector and the first TextPositionSelector of a target (either may be missing)."""
    quote = position = None
    for selector in selectors:
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector" and quote is None:
            quote = selector
        elif selector.get("type") == "TextPositionSelector" and position is None:
            position = selector
    return quote, position


def _is_iri_body(body: Any) -> bool:
    if isinstance(body, str):
        return True
    return isinstance(body, dict) and "value" not in body and isinstance(body.get("id"), str)


def _w3c_claim(annotation: dict, common: dict, where: str, problems: Problems, paper: str | None) -> dict:
    targets = _as_list(annotation.get("target"))
    target = next((t for t in targets if isinstance(t, dict) and t.get("selector")), None)
    quote, position = None, None
    slug = paper
    if target is None:
        problems.add(f"{where}.target", "The target needs a source and a TextQuoteSelector.")
    else:
        quote, position = quote_and_position(_as_list(target.get("selector")))
        if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
            problems.add(f"{where}.target.selector", "A TextQuoteSelector with its exact quote is needed.")
        source = target.get("source")
        if slug is None and isinstance(source, str):
            match = PAPER_IN_IRI.search(source)
            slug = match.group(1) if match else source
    bodies = _bodies(annotation)
    statement = next((b["value"] for b in bodies if _textual(b, "describing")), None)
    if statement is None:
        # Hypothesis writes the comment as a body without purpose.
        statement = next(
            (b["value"] for b in bodies if isinstance(b, dict) and "value" in b and not b.get("purpose")), None
        )
    if statement is None and quote is not None:
        statement = quote.get("exact")
    stance = next((b["value"] for b in bodies if _textual(b, "assessing")), Stance.AFFIRMS)
    tagging = [b for b in bodies if _textual(b, "tagging")]
    tags = [b["value"] for b in tagging]
    # Our own exports put the stance on each tag on its tagging body; other tools' tags take the claim's.
    # A tag named twice counts once (its first body).
    firsts = {b["value"]: b for b in reversed(tagging) if isinstance(b["value"], str)}
    codings = [{"tag": tag, "stance": body.get("stance", stance)} for tag, body in firsts.items()]
    note = next((b["value"] for b in bodies if _textual(b, "commenting")), "")
    record_target: dict[str, Any] = {}
    if quote is not None:
        record_target = {key: quote.get(key) for key in ("exact", "prefix", "suffix")}
    if position is not None:
        record_target |= {"start": position.get("start"), "end": position.get("end")}
    return {
        "id": common["id"],
        "paper": slug,
        "target": record_target,
        "statement": statement,
        "speaker": annotation.get("speaker"),
        "stance": stance,
        "tags": tags,
        "codings": codings,
        "note": note,
        **{key: value for key, value in common.items() if key != "id"},
    }
