"""Check a read file against itself and the instance; gather every problem with its path, or give the plan."""

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.backends.base.operations import BaseDatabaseOperations

from .. import anchoring
from ..exports import iso, parse_iso
from ..identifiers import normal_doi
from ..models import AnchorState, Claim, Link, Stance, Status, User
from ..textrules import control_character_problem
from .records import COLOUR, SLUG, Document, ImportRefused, Known, Plan, Problems


def _column_range(model, name: str) -> tuple[int, int]:
    """The values an integer field holds on every database (SQLite alone would take up to 2**63 - 1)."""
    return BaseDatabaseOperations.integer_field_ranges[model._meta.get_field(name).get_internal_type()]


VERSION_RANGE = _column_range(Claim, "version")
OFFSET_RANGE = _column_range(Claim, "start")
# A day inside Python's datetime range, so that showing a moment in any time zone cannot overflow.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC) - timedelta(days=1)


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
        if isinstance(claim, dict) and isinstance(claim.get("codings"), list):
            tags |= _strings(claim["codings"], "tag")
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
    if problem := control_character_problem(value):
        problems.add(f"{path}.{key}", problem)
    return value


def _whole_number_in(value: Any, bounds: tuple[int, int]) -> bool:
    low, high = bounds
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _check_time(item: dict, key: str, path: str, problems: Problems, *, required=False) -> str | None:
    value = item.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", f'"{key}" is required (an ISO 8601 timestamp with its time zone).')
        return None
    try:
        moment = parse_iso(value)
    except (TypeError, ValueError, OverflowError):
        problems.add(f"{path}.{key}", f'"{key}" must be an ISO 8601 timestamp with its time zone, not {value!r}.')
        return None
    if not EARLIEST <= moment <= LATEST:
        problems.add(f"{path}.{key}", f'"{key}" must be between {iso(EARLIEST)} and {iso(LATEST)}, not {value!r}.')
        return None
    return iso(moment)


def _check_uuid(value: Any, path: str, problems: Problems) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        problems.add(path, f"Not a UUID: {value!r}.")
        return None


def _check_usernames(item: dict, path: str, problems: Problems) -> None:
    """The accounts a file names must be ones Django's own username validator accepts: the import creates them."""
    for key in ("created_by", "moderated_by"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            try:
                User.username_validator(value)
            except DjangoValidationError as error:
                problems.add(f"{path}.{key}", f'"{key}" is not a valid username: {" ".join(error.messages)}')


def _check_moderated(item: dict, path: str, problems: Problems) -> dict[str, Any]:
    status = item.get("status")
    if status not in Status.values:
        problems.add(f"{path}.status", f'Unknown status "{status}": use {", ".join(Status.values)}.')
    version = item.get("version")
    if not _whole_number_in(version, (1, VERSION_RANGE[1])):
        problems.add(f"{path}.version", f'"version" must be a whole number from 1 to {VERSION_RANGE[1]}.')
    created_by = _check_text(item, "created_by", path, problems, required=True, limit=150)
    moderated_by = item.get("moderated_by")
    if moderated_by is not None:
        moderated_by = _check_text(item, "moderated_by", path, problems, required=True, limit=150)
    _check_usernames(item, path, problems)
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
    for path, messages in doc.early_problems.items():
        for message in messages:
            problems.add(path, message)
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
    _duplicates(doc.papers, "doi", "papers", problems, normal=lambda doi: normal_doi(doi) or doi)
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
            **_check_locators(item, path, problems),
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


def _check_locators(item: dict, path: str, problems: Problems) -> dict[str, str | None]:
    """A paper's DOI (kept in its normal form, 10.xxxx/...) and URL, both optional (files before them lack them)."""
    doi = _check_text(item, "doi", path, problems, limit=200) or None
    if doi is not None:
        normal = normal_doi(doi)
        if normal is None:
            problems.add(f"{path}.doi", f"Not a DOI: {doi!r} (give it as 10.xxxx/... or https://doi.org/10.xxxx/...).")
        doi = normal
    url = _check_text(item, "url", path, problems, limit=500) or None
    if url is not None and not url.startswith(("http://", "https://")):
        problems.add(f"{path}.url", f"Not a web address: {url!r} (it must start with http:// or https://).")
    return {"doi": doi, "url": url}


def _validate_tags(doc: Document, known: Known, plan: Plan, problems: Problems) -> set[str]:
    file_slugs = _duplicates(doc.tags, "slug", "tags", problems)
    slugs = file_slugs | known.tag_slugs
    parents: dict[str, str | None] = dict(known.tag_parents)
    places: dict[str, int] = {}
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
        if parent is not None and (not isinstance(parent, str) or parent not in slugs):
            problems.add(f"{path}.parent", f'Unknown parent tag "{parent}".')
            parent = None
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
            places[slug] = index
            plan.tags.append(record)
            plan.report["tags"]["created"] += 1
    for record in plan.tags:
        seen, current = set(), record["slug"]
        while current is not None and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current is not None:
            where = f"tags[{places[record['slug']]}].parent"
            problems.add(where, f'Tag "{record["slug"]}" would be placed under itself.')
    return slugs


def _claim_record(item: dict, path: str, problems: Problems, texts: dict[str, str], tag_slugs, reanchor: bool):
    target = item.get("target")
    paper = item.get("paper")
    if not isinstance(paper, str) or paper not in texts:
        problems.add(f"{path}.paper", f'Unknown paper "{paper}": it is neither in the file nor in this instance.')
    anchor = None
    if not isinstance(target, dict):
        problems.add(f"{path}.target", "The target must be an object with start, end, exact, prefix and suffix.")
    elif isinstance(paper, str) and paper in texts:
        anchor = _place(target, texts[paper], item.get("status"), path, problems, reanchor)
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        problems.add(f"{path}.speaker", '"speaker" must be a string or null.')
        speaker = None
    elif isinstance(speaker, str) and len(speaker) > 200:
        problems.add(f"{path}.speaker", '"speaker" is too long (at most 200 characters).')
    elif problem := control_character_problem(speaker):
        problems.add(f"{path}.speaker", problem)
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
    codings = _check_codings(item, path, problems, tag_slugs, stance)
    if codings is None:  # a file without codings: every tag takes the claim's stance
        codings = [{"tag": slug, "stance": stance} for slug in sorted(set(tags))]
    elif tags and sorted(set(tags)) != [coding["tag"] for coding in codings]:
        problems.add(f"{path}.tags", '"tags" and "codings" name different tags.')
    return {
        "id": None,
        "paper": paper,
        "target": anchor,
        "statement": _check_text(item, "statement", path, problems, required=True, limit=5000),
        "speaker": speaker.strip() or None if isinstance(speaker, str) else None,
        "stance": stance,
        "tags": [coding["tag"] for coding in codings],
        "codings": codings,
        "note": _check_text(item, "note", path, problems),
        **_check_anchor(item, path, problems),
        **_check_moderated(item, path, problems),
    }


def _check_codings(item: dict, path: str, problems: Problems, tag_slugs, stance: Any) -> list[dict] | None:
    """The claim's codings ({"tag", "stance"}, sorted by tag), None when the file has none; a coding without
    a stance takes the claim's."""
    codings = item.get("codings")
    if codings is None:
        return None
    if not isinstance(codings, list):
        problems.add(f"{path}.codings", '"codings" must be a list of {"tag", "stance"} objects.')
        return []
    result: dict[str, str] = {}
    for position, coding in enumerate(codings):
        where = f"{path}.codings[{position}]"
        if not isinstance(coding, dict) or not isinstance(coding.get("tag"), str):
            problems.add(where, 'A coding must be an object {"tag": slug, "stance": ...}.')
            continue
        slug, tag_stance = coding["tag"], coding.get("stance", stance)
        if slug not in tag_slugs:
            problems.add(f"{where}.tag", f'Unknown tag "{slug}".')
        if tag_stance not in Stance.values:
            problems.add(f"{where}.stance", f'Unknown stance "{tag_stance}": use {", ".join(Stance.values)}.')
        if slug in result:
            problems.add(f"{where}.tag", f'Tag "{slug}" is coded twice.')
        result[slug] = tag_stance
    return [{"tag": slug, "stance": result[slug]} for slug in sorted(result)]


def _check_anchor(item: dict, path: str, problems: Problems) -> dict[str, Any]:
    """The anchor fields of a claim; files written before they existed stand for an original anchor."""
    state = item.get("anchor_state", AnchorState.ORIGINAL)
    if state not in AnchorState.values:
        problems.add(f"{path}.anchor_state", f'Unknown anchor state "{state}": use {", ".join(AnchorState.values)}.')
    score = item.get("anchor_score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1):
        problems.add(f"{path}.anchor_score", '"anchor_score" must be a number from 0 to 1, or null.')
    before = item.get("status_before_orphaned", "")
    if before != "" and before not in Status.values:
        problems.add(
            f"{path}.status_before_orphaned",
            f'Unknown status "{before}": use "" or {", ".join(Status.values)}.',
        )
    return {"anchor_state": state, "anchor_score": score, "status_before_orphaned": before}


def _place(target: dict, text: str, status: Any, path: str, problems: Problems, reanchor: bool) -> dict | None:
    """The stored target, checked against the text; W3C quotes are placed anew (their positions a hint)."""
    where = f"{path}.target"
    exact, start, end = target.get("exact"), target.get("start"), target.get("end")
    for key in ("exact", "prefix", "suffix"):
        if problem := control_character_problem(target.get(key)):
            problems.add(f"{where}.{key}", problem)
            return None
    if reanchor:
        try:
            fits = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            if fits and text[start:end] == exact:
                found = anchoring.anchor_at(text, start, end)
                return {"start": start, "end": end, "exact": exact, "prefix": found.prefix, "suffix": found.suffix}
            context = {key: target[key] for key in ("prefix", "suffix") if isinstance(target.get(key), str)}
            found = anchoring.resolve_target(text, exact=exact, **context)
        except anchoring.AnchoringError as error:
            problems.add(where, str(error))
            return None
        return {"start": found.start, "end": found.end, "exact": found.exact, "prefix": found.prefix,
                "suffix": found.suffix}  # fmt: skip
    ok = True
    for key in ("start", "end"):
        if not _whole_number_in(target.get(key), OFFSET_RANGE):
            problems.add(f"{where}.{key}", f'"{key}" must be a whole number of code points, at most {OFFSET_RANGE[1]}.')
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
        before = problems.count()
        if not isinstance(item, dict):
            problems.add(path, "A claim must be an object.")
            continue
        claim_id = _check_uuid(item.get("id"), f"{path}.id", problems)
        if claim_id in ids:
            problems.add(f"{path}.id", f"Duplicate id {claim_id}: also at {section}[{ids[claim_id]}].")
            continue
        if claim_id:
            ids[claim_id] = index
        if doc.kind != "native" and claim_id in known.claims:
            plan.report["claims"]["unchanged"] += 1
            continue
        record = _claim_record(item, path, problems, texts, tag_slugs, doc.reanchor)
        record["id"] = claim_id
        if claim_id is None or problems.count() > before:
            continue  # only a sound item is compared with the stored one
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
    "id", "paper", "target", "statement", "speaker", "stance", "tags", "codings", "note", "anchor_state", "anchor_score",
    "status_before_orphaned", "status", "version", "created_by", "created_at", "updated_at", "moderated_by",
    "moderated_at", "moderation_reason", "deleted_at",
)  # fmt: skip
_LINK_KEYS = (
    "id", "source", "target", "relation", "rationale", "status", "version", "created_by", "created_at",
    "updated_at", "moderated_by", "moderated_at", "moderation_reason", "deleted_at",
)  # fmt: skip


def _validate_links(doc, known: Known, plan: Plan, problems: Problems, claim_ids: set[str]) -> None:
    section = doc.paths["links"]
    ids: dict[str, int] = {}
    final: dict[str, tuple[str, dict]] = {}  # link id → (path, the record as it will stand), file order
    for position, item in enumerate(doc.links):
        index = item.pop("_index", position) if isinstance(item, dict) else position
        path = f"{section}[{index}]"
        before = problems.count()
        if not isinstance(item, dict):
            problems.add(path, "A link must be an object.")
            continue
        link_id = _check_uuid(item.get("id"), f"{path}.id", problems)
        if link_id in ids:
            problems.add(f"{path}.id", f"Duplicate id {link_id}: also at {section}[{ids[link_id]}].")
            continue
        if link_id:
            ids[link_id] = index
        if doc.kind != "native" and link_id in known.links:
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
            "rationale": _check_text(item, "rationale", path, problems),
            **_check_moderated(item, path, problems),
        }
        if link_id is None or problems.count() > before:
            continue  # only a sound item is compared with the stored one
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
        final[link_id] = (path, ordered)
    _one_live_link_per_pair(section, ids, final, known, problems)


def _one_live_link_per_pair(section: str, ids: dict[str, int], final: dict, known: Known, problems: Problems) -> None:
    """Two claims carry at most one live link once the file is written, whatever its relation and direction."""
    holders = {pair: held for pair, held in known.live_links.items() if held[0] not in final}
    for link_id, (path, record) in final.items():
        if record["deleted_at"] is not None or record["status"] == Status.REJECTED:
            continue
        pair = frozenset((record["source"], record["target"]))
        holder = holders.setdefault(pair, (link_id, record["source"], record["relation"]))
        if holder[0] != link_id:
            where = f"{section}[{ids[holder[0]]}]" if holder[0] in ids else f"the stored link {holder[0]}"
            problems.add(
                path,
                f"These claims are already linked by {where} ({holder[2]}): two claims carry at most one live link. "
                "Change that link's relation, or delete or reject one of them.",
            )
