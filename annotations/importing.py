"""Read an import file and check all of it before anything is written: parse, validate, plan.

Two kinds of file come in: the native export (`exports/native.py`) and W3C Web Annotations (an
`AnnotationCollection`, an `AnnotationPage`, one `Annotation` or a list of them) whose targets carry a
`TextQuoteSelector`, as Hypothesis and similar tools write them. W3C annotations are translated into native
records first and placed again by their quote, so both go through the same checks.

Every problem is gathered with the path of the item that causes it (`claims[12].target`,
`links[3].source`); the plan is only returned when there are none. The lookups of what the instance
already holds are given by the caller (`Known`), so this module runs no queries.

Rules for items already present (same id):
- identical to the stored one: left unchanged;
- different, with a higher `version` than the stored one: the stored one is updated to the file's;
- different otherwise: a conflict, reported as a problem (nothing is written).
Papers, authors and tags already present are never changed by an import; a paper's text must be the same.
W3C annotations whose id is already present are left unchanged (the format does not carry everything).
"""

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import anchoring
from .exports import iso, native, parse_iso
from .models import Link, Stance, Status
from .sanitize import clean_html

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PAPER_IN_IRI = re.compile(r"/papers/([-a-zA-Z0-9_]+)/?(?:[?#].*)?$")
KINDS = ("users", "authors", "papers", "tags", "claims", "links")


class ImportRefused(Exception):
    """The file cannot be imported; `problems` maps each path to what is wrong there."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(f"{path or 'file'}: {' '.join(msgs)}" for path, msgs in problems.items()))
        self.problems = problems


@dataclass
class Known:
    """What the instance holds that the file refers to; filled by the caller before validation."""

    paper_texts: dict[str, str] = field(default_factory=dict)  # slug → text
    author_names: set[str] = field(default_factory=set)
    tag_slugs: set[str] = field(default_factory=set)
    tag_parents: dict[str, str | None] = field(default_factory=dict)
    usernames: set[str] = field(default_factory=set)
    claims: dict[str, dict] = field(default_factory=dict)  # id → native record
    links: dict[str, dict] = field(default_factory=dict)
    claim_ids: set[str] = field(default_factory=set)  # any stored claim ids the links point to
    link_triples: dict[tuple[str, str, str], str] = field(default_factory=dict)  # alive (src, tgt, rel) → id


@dataclass
class Plan:
    """What the import will write; `report` counts created/updated/unchanged per kind."""

    users: list[str] = field(default_factory=list)
    authors: list[dict] = field(default_factory=list)
    papers: list[dict] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)
    claims_new: list[dict] = field(default_factory=list)
    claims_changed: list[dict] = field(default_factory=list)
    links_new: list[dict] = field(default_factory=list)
    links_changed: list[dict] = field(default_factory=list)
    report: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: {"created": 0, "updated": 0, "unchanged": 0} for kind in KINDS}
    )


@dataclass
class Document:
    """A file turned into native sections (W3C files included), before any check against the instance."""

    kind: str  # "native" | "w3c"
    papers: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    links: list = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=lambda: {"claims": "claims", "links": "links"})
    # W3C claims are placed by their quote; their positions are only a hint.
    reanchor: bool = False


class Problems:
    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.found.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.found)


# ---------------------------------------------------------------------------------------------- reading


def read(document: Any, *, acting_username: str | None = None, paper: str | None = None) -> Document:
    """Recognise the kind of file and bring it into native sections; refuses what is neither kind."""
    if isinstance(document, dict) and ("format" in document or "claims" in document):
        return _read_native(document)
    annotations, path = _w3c_annotations(document)
    return _read_w3c(annotations, path, acting_username=acting_username, paper=paper)


def _read_native(document: dict) -> Document:
    problems = Problems()
    if document.get("format") != native.FORMAT_NAME:
        problems.add("format", f'This is not a sco-claims file: "format" must be "{native.FORMAT_NAME}".')
    version = document.get("version")
    if version != native.FORMAT_VERSION:
        problems.add(
            "version",
            f"Unsupported version {version!r}: this instance reads version {native.FORMAT_VERSION} of the format.",
        )
    sections = {}
    for name in native.SECTIONS:
        value = document.get(name, [])
        if not isinstance(value, list):
            problems.add(name, f'"{name}" must be a list.')
            value = []
        sections[name] = value
    if problems:
        raise ImportRefused(problems.found)
    return Document(kind="native", **sections)


def _w3c_annotations(document: Any) -> tuple[list, str]:
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


def _read_w3c(annotations: list, path: str, *, acting_username: str | None, paper: str | None) -> Document:
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
        for selector in _as_list(target.get("selector")):
            if not isinstance(selector, dict):
                continue
            if selector.get("type") == "TextQuoteSelector" and quote is None:
                quote = selector
            elif selector.get("type") == "TextPositionSelector" and position is None:
                position = selector
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
    tags = [b["value"] for b in bodies if _textual(b, "tagging")]
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
        "note": note,
        **{key: value for key, value in common.items() if key != "id"},
    }


# ------------------------------------------------------------------------------------------- validating


def _strings(items: list, key: str) -> set[str]:
    return {item[key] for item in items if isinstance(item, dict) and isinstance(item.get(key), str)}


def referenced(doc: Document) -> dict[str, set[str]]:
    """What the file names, so the caller can fetch only that from the instance."""
    claim_ids = _strings(doc.claims, "id")
    link_ends = _strings(doc.links, "source") | _strings(doc.links, "target")
    users = set()
    for item in [*doc.claims, *doc.links]:
        if isinstance(item, dict):
            users |= {u for u in (item.get("created_by"), item.get("moderated_by")) if isinstance(u, str)}
    tags = _strings(doc.tags, "slug") | _strings(doc.tags, "parent")
    for claim in doc.claims:
        if isinstance(claim, dict) and isinstance(claim.get("tags"), list):
            tags |= {t for t in claim["tags"] if isinstance(t, str)}
    authors = _strings(doc.authors, "name")
    for paper in doc.papers:
        if isinstance(paper, dict) and isinstance(paper.get("authors"), list):
            authors |= {a for a in paper["authors"] if isinstance(a, str)}
    return {
        "papers": _strings(doc.papers, "slug") | _strings(doc.claims, "paper"),
        "authors": authors,
        "tags": tags,
        "users": users,
        "claims": claim_ids | link_ends,
        "links": _strings(doc.links, "id"),
    }


def _check_text(item: dict, key: str, path: str, problems: Problems, *, required=False, limit=None) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(f"{path}.{key}", f'"{key}" must be {"a non-empty" if required else "a"} string.')
        return ""
    if limit and len(value) > limit:
        problems.add(f"{path}.{key}", f'"{key}" is too long (at most {limit} characters).')
    return value


def _check_time(item: dict, key: str, path: str, problems: Problems, *, required=False) -> str | None:
    value = item.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", f'"{key}" is required (an ISO 8601 timestamp with its time zone).')
        return None
    try:
        return iso(parse_iso(value))
    except (TypeError, ValueError):
        problems.add(f"{path}.{key}", f'"{key}" must be an ISO 8601 timestamp with its time zone, not {value!r}.')
        return None


def _check_uuid(value: Any, path: str, problems: Problems) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        problems.add(path, f"Not a UUID: {value!r}.")
        return None


def _check_moderated(item: dict, path: str, problems: Problems) -> dict[str, Any]:
    status = item.get("status")
    if status not in Status.values:
        problems.add(f"{path}.status", f'Unknown status "{status}": use {", ".join(Status.values)}.')
    version = item.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.add(f"{path}.version", '"version" must be a whole number from 1.')
    created_by = _check_text(item, "created_by", path, problems, required=True, limit=150)
    moderated_by = item.get("moderated_by")
    if moderated_by is not None:
        moderated_by = _check_text(item, "moderated_by", path, problems, required=True, limit=150)
    created_at = _check_time(item, "created_at", path, problems, required=True)
    return {
        "status": status,
        "version": version,
        "created_by": created_by,
        "created_at": created_at,
        "updated_at": _check_time(item, "updated_at", path, problems) or created_at,
        "moderated_by": moderated_by,
        "moderated_at": _check_time(item, "moderated_at", path, problems),
        "moderation_reason": _check_text(item, "moderation_reason", path, problems),
        "deleted_at": _check_time(item, "deleted_at", path, problems),
    }


def _duplicates(items: list, key: str, section: str, problems: Problems, normal: Callable = lambda v: v) -> set:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            continue
        value = normal(item[key])
        if value in seen:
            where = f"{section}[{seen[value]}]"
            problems.add(f"{section}[{index}].{key}", f"Duplicate {key} {item[key]!r}: also at {where}.")
        else:
            seen[value] = index
    return set(seen)


def _uuid_or_none(value: Any) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        return None


def validate(doc: Document, known: Known) -> Plan:
    """Check the whole file against itself and the instance; the plan, or ImportRefused with every problem."""
    problems = Problems()
    plan = Plan()
    file_authors = _validate_authors(doc, known, plan, problems)
    texts = _validate_papers(doc, known, plan, problems, file_authors)
    tag_slugs = _validate_tags(doc, known, plan, problems)
    claim_ids = _validate_claims(doc, known, plan, problems, texts, tag_slugs)
    _validate_links(doc, known, plan, problems, claim_ids)
    if problems:
        raise ImportRefused(problems.found)
    users = sorted(
        {r["created_by"] for r in [*plan.claims_new, *plan.claims_changed, *plan.links_new, *plan.links_changed]}
        | {
            r["moderated_by"]
            for r in [*plan.claims_new, *plan.claims_changed, *plan.links_new, *plan.links_changed]
            if r["moderated_by"]
        }
    )
    plan.users = [name for name in users if name not in known.usernames]
    plan.report["users"]["created"] = len(plan.users)
    plan.report["users"]["unchanged"] = len(users) - len(plan.users)
    return plan


def _validate_authors(doc: Document, known: Known, plan: Plan, problems: Problems) -> set[str]:
    names = _duplicates(doc.authors, "name", "authors", problems)
    for index, item in enumerate(doc.authors):
        path = f"authors[{index}]"
        if not isinstance(item, dict):
            problems.add(path, "An author must be an object.")
            continue
        record = {
            "name": _check_text(item, "name", path, problems, required=True, limit=200).strip(),
            "affiliation": _check_text(item, "affiliation", path, problems, limit=300),
            "country": _check_text(item, "country", path, problems, limit=100),
            "note": _check_text(item, "note", path, problems, limit=300),
        }
        if record["name"] in known.author_names:
            plan.report["authors"]["unchanged"] += 1
        elif record["name"]:
            plan.authors.append(record)
            plan.report["authors"]["created"] += 1
    return names


def _validate_papers(doc, known: Known, plan: Plan, problems: Problems, file_authors: set[str]) -> dict[str, str]:
    texts = dict(known.paper_texts)
    _duplicates(doc.papers, "slug", "papers", problems)
    for index, item in enumerate(doc.papers):
        path = f"papers[{index}]"
        if not isinstance(item, dict):
            problems.add(path, "A paper must be an object.")
            continue
        slug = _check_text(item, "slug", path, problems, required=True, limit=100)
        if slug and not SLUG.match(slug):
            problems.add(f"{path}.slug", f"The slug {slug!r} may hold only letters, digits, '-' and '_'.")
        text = _check_text(item, "text", path, problems, required=True)
        year = item.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 0 < year < 10000):
            problems.add(f"{path}.year", '"year" must be a whole number such as 2010, or null.')
        authors = item.get("authors", [])
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            problems.add(f"{path}.authors", '"authors" must be a list of author names.')
            authors = []
        for position, name in enumerate(authors):
            if name not in file_authors and name not in known.author_names:
                problems.add(f"{path}.authors[{position}]", f'Unknown author "{name}": list it under "authors".')
        digest = item.get("text_sha256")
        if text and digest is not None and digest != hashlib.sha256(text.encode("utf-8")).hexdigest():
            problems.add(f"{path}.text_sha256", "The text does not match its text_sha256: the file was altered.")
        record = {
            "slug": slug,
            "title": _check_text(item, "title", path, problems, required=True, limit=500),
            "year": year,
            "year_note": _check_text(item, "year_note", path, problems, limit=300),
            "venue": _check_text(item, "venue", path, problems, limit=500),
            "authors": authors,
            "created_at": _check_time(item, "created_at", path, problems),
            "updated_at": _check_time(item, "updated_at", path, problems),
            "text": text,
        }
        if slug in known.paper_texts:
            if text and known.paper_texts[slug] != text:
                problems.add(
                    f"{path}.text",
                    f'The text differs from the stored text of paper "{slug}"; import it under another slug, '
                    "or revise the paper first.",
                )
            plan.report["papers"]["unchanged"] += 1
        elif slug:
            texts[slug] = text
            plan.papers.append(record)
            plan.report["papers"]["created"] += 1
    return texts


def _validate_tags(doc: Document, known: Known, plan: Plan, problems: Problems) -> set[str]:
    file_slugs = _duplicates(doc.tags, "slug", "tags", problems)
    slugs = file_slugs | known.tag_slugs
    parents: dict[str, str | None] = dict(known.tag_parents)
    for index, item in enumerate(doc.tags):
        path = f"tags[{index}]"
        if not isinstance(item, dict):
            problems.add(path, "A tag must be an object.")
            continue
        slug = _check_text(item, "slug", path, problems, required=True, limit=50)
        if slug and not SLUG.match(slug):
            problems.add(f"{path}.slug", f"The slug {slug!r} may hold only letters, digits, '-' and '_'.")
        colour = item.get("colour", "#888888")
        if not isinstance(colour, str) or not COLOUR.match(colour):
            problems.add(f"{path}.colour", 'Give the colour as "#rrggbb".')
        parent = item.get("parent")
        if parent is not None and parent not in slugs:
            problems.add(f"{path}.parent", f'Unknown parent tag "{parent}".')
        record = {
            "slug": slug,
            "name": _check_text(item, "name", path, problems, required=True, limit=120),
            "description": _check_text(item, "description", path, problems, limit=300),
            "colour": colour.lower() if isinstance(colour, str) else colour,
            "parent": parent,
        }
        if slug in known.tag_slugs:
            plan.report["tags"]["unchanged"] += 1
        elif slug:
            parents[slug] = parent
            plan.tags.append(record)
            plan.report["tags"]["created"] += 1
    for index, record in enumerate(plan.tags):
        seen, current = set(), record["slug"]
        while current is not None and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current is not None:
            problems.add(f"tags[{index}].parent", f'Tag "{record["slug"]}" would be placed under itself.')
    return slugs


def _claim_record(item: dict, path: str, problems: Problems, texts: dict[str, str], tag_slugs, reanchor: bool):
    target = item.get("target")
    paper = item.get("paper")
    if not isinstance(paper, str) or paper not in texts:
        problems.add(f"{path}.paper", f'Unknown paper "{paper}": it is neither in the file nor in this instance.')
    anchor = None
    if not isinstance(target, dict):
        problems.add(f"{path}.target", "The target must be an object with start, end, exact, prefix and suffix.")
    elif paper in texts:
        anchor = _place(target, texts[paper], item.get("status"), path, problems, reanchor)
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        problems.add(f"{path}.speaker", '"speaker" must be a string or null.')
        speaker = None
    elif isinstance(speaker, str) and len(speaker) > 200:
        problems.add(f"{path}.speaker", '"speaker" is too long (at most 200 characters).')
    stance = item.get("stance")
    if stance not in Stance.values:
        problems.add(f"{path}.stance", f'Unknown stance "{stance}": use {", ".join(Stance.values)}.')
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.add(f"{path}.tags", '"tags" must be a list of tag slugs.')
        tags = []
    for position, slug in enumerate(tags):
        if slug not in tag_slugs:
            problems.add(f"{path}.tags[{position}]", f'Unknown tag "{slug}".')
    return {
        "id": None,
        "paper": paper,
        "target": anchor,
        "statement": _check_text(item, "statement", path, problems, required=True, limit=5000),
        "speaker": speaker.strip() or None if isinstance(speaker, str) else None,
        "stance": stance,
        "tags": sorted(set(tags)),
        "note": clean_html(_check_text(item, "note", path, problems)),
        **_check_moderated(item, path, problems),
    }


def _place(target: dict, text: str, status: Any, path: str, problems: Problems, reanchor: bool) -> dict | None:
    """The stored target, checked against the text; W3C quotes are placed anew (their positions a hint)."""
    where = f"{path}.target"
    exact, start, end = target.get("exact"), target.get("start"), target.get("end")
    if reanchor:
        try:
            fits = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            if fits and text[start:end] == exact:
                found = anchoring.anchor_at(text, start, end)
                return {"start": start, "end": end, "exact": exact, "prefix": found.prefix, "suffix": found.suffix}
            found = anchoring.resolve_target(
                text, exact=exact, prefix=target.get("prefix"), suffix=target.get("suffix")
            )
        except anchoring.AnchoringError as error:
            problems.add(where, str(error))
            return None
        return {"start": found.start, "end": found.end, "exact": found.exact, "prefix": found.prefix,
                "suffix": found.suffix}  # fmt: skip
    ok = True
    for key in ("start", "end"):
        value = target.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.add(f"{where}.{key}", f'"{key}" must be a whole number of code points.')
            ok = False
    for key in ("exact", "prefix", "suffix"):
        if not isinstance(target.get(key, ""), str):
            problems.add(f"{where}.{key}", f'"{key}" must be a string.')
            ok = False
    if not ok:
        return None
    if not exact:
        problems.add(f"{where}.exact", "The quote (exact) must not be empty.")
        return None
    if not start < end:
        problems.add(where, f"start ({start}) must be less than end ({end}).")
        return None
    # An orphaned claim is one a revision of the text could not place: its old anchor is kept as it was.
    if status != Status.ORPHANED and text[start:end] != exact:
        problems.add(where, f"The quote is no longer in the text at {start}-{end}; the paper's text has changed.")
        return None
    prefix, suffix = target.get("prefix") or "", target.get("suffix") or ""
    for key, value in (("prefix", prefix), ("suffix", suffix)):
        if len(value) > anchoring.CONTEXT_LENGTH:
            problems.add(f"{where}.{key}", f'"{key}" is too long (at most {anchoring.CONTEXT_LENGTH} code points).')
    return {"start": start, "end": end, "exact": exact, "prefix": prefix, "suffix": suffix}


def _differs_newer(incoming: dict, stored: dict, path: str, noun: str, problems: Problems) -> bool | None:
    """None when identical; True when the file's is newer (to update); a conflict problem otherwise."""
    if incoming == stored:
        return None
    if incoming["version"] > stored["version"]:
        return True
    changed = sorted(key for key in incoming if incoming[key] != stored.get(key))
    problems.add(
        path,
        f"Conflicts with the stored {noun} (version {stored['version']}, the file's is {incoming['version']}): "
        f"{', '.join(changed)} differ. Export the stored one, or raise the version to overwrite it.",
    )
    return False


def _validate_claims(doc, known: Known, plan: Plan, problems: Problems, texts, tag_slugs) -> set[str]:
    section = doc.paths["claims"]
    ids: dict[str, int] = {}
    for position, item in enumerate(doc.claims):
        index = item.pop("_index", position) if isinstance(item, dict) else position
        path = f"{section}[{index}]"
        if not isinstance(item, dict):
            problems.add(path, "A claim must be an object.")
            continue
        claim_id = _check_uuid(item.get("id"), f"{path}.id", problems)
        if claim_id in ids:
            problems.add(f"{path}.id", f"Duplicate id {claim_id}: also at {section}[{ids[claim_id]}].")
            continue
        if claim_id:
            ids[claim_id] = index
        if doc.kind == "w3c" and claim_id in known.claims:
            plan.report["claims"]["unchanged"] += 1
            continue
        record = _claim_record(item, path, problems, texts, tag_slugs, doc.reanchor)
        record["id"] = claim_id
        if claim_id is None or record["target"] is None:
            continue
        ordered = {key: record[key] for key in _CLAIM_KEYS}
        stored = known.claims.get(claim_id)
        if stored is None:
            plan.claims_new.append(ordered)
            plan.report["claims"]["created"] += 1
        else:
            verdict = _differs_newer(ordered, stored, path, "claim", problems)
            if verdict is None:
                plan.report["claims"]["unchanged"] += 1
            elif verdict:
                plan.claims_changed.append(ordered)
                plan.report["claims"]["updated"] += 1
    return set(ids) | known.claim_ids


_CLAIM_KEYS = (
    "id", "paper", "target", "statement", "speaker", "stance", "tags", "note", "status", "version", "created_by",
    "created_at", "updated_at", "moderated_by", "moderated_at", "moderation_reason", "deleted_at",
)  # fmt: skip
_LINK_KEYS = (
    "id", "source", "target", "relation", "rationale", "status", "version", "created_by", "created_at",
    "updated_at", "moderated_by", "moderated_at", "moderation_reason", "deleted_at",
)  # fmt: skip


def _validate_links(doc, known: Known, plan: Plan, problems: Problems, claim_ids: set[str]) -> None:
    section = doc.paths["links"]
    ids: dict[str, int] = {}
    triples = dict(known.link_triples)
    for position, item in enumerate(doc.links):
        index = item.pop("_index", position) if isinstance(item, dict) else position
        path = f"{section}[{index}]"
        if not isinstance(item, dict):
            problems.add(path, "A link must be an object.")
            continue
        link_id = _check_uuid(item.get("id"), f"{path}.id", problems)
        if link_id in ids:
            problems.add(f"{path}.id", f"Duplicate id {link_id}: also at {section}[{ids[link_id]}].")
            continue
        if link_id:
            ids[link_id] = index
        if doc.kind == "w3c" and link_id in known.links:
            plan.report["links"]["unchanged"] += 1
            continue
        ends = {}
        for key in ("source", "target"):
            value = _uuid_or_none(item.get(key))
            if value is None or value not in claim_ids:
                problems.add(f"{path}.{key}", f'Unknown claim "{item.get(key)}": it is neither in the file nor here.')
            ends[key] = value
        if ends["source"] and ends["source"] == ends["target"]:
            problems.add(f"{path}.target", "A claim cannot be linked to itself.")
        relation = item.get("relation")
        if relation not in Link.Relation.values:
            problems.add(f"{path}.relation", f'Unknown relation "{relation}": use {", ".join(Link.Relation.values)}.')
        record = {
            "id": link_id,
            "source": ends["source"],
            "target": ends["target"],
            "relation": relation,
            "rationale": clean_html(_check_text(item, "rationale", path, problems)),
            **_check_moderated(item, path, problems),
        }
        if link_id is None:
            continue
        if record["deleted_at"] is None:
            triple = (record["source"], record["target"], relation)
            holder = triples.get(triple)
            if holder is not None and holder != link_id:
                where = f"{section}[{ids[holder]}]" if holder in ids else f"the stored link {holder}"
                problems.add(path, f"These claims are already linked: source {relation} target (see {where}).")
            triples[triple] = link_id
        ordered = {key: record[key] for key in _LINK_KEYS}
        stored = known.links.get(link_id)
        if stored is None:
            plan.links_new.append(ordered)
            plan.report["links"]["created"] += 1
        else:
            verdict = _differs_newer(ordered, stored, path, "link", problems)
            if verdict is None:
                plan.report["links"]["unchanged"] += 1
            elif verdict:
                plan.links_changed.append(ordered)
                plan.report["links"]["updated"] += 1
