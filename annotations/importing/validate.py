"""Check a read file against itself and the instance; gather every problem with its path, or give the plan.

This module checks the file as a whole and its authors, papers and tags; `items` checks its claims and links."""

import hashlib

from ..identifiers import normal_doi
from ..models import TagStatus
from .checks import _check_text, _check_time, _duplicates
from .items import _validate_claims, _validate_links
from .records import COLOUR, SLUG, Document, ImportRefused, Known, Plan, Problems, runs_into_a_loop


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


def _objects(items: list, section: str, what: str, problems: Problems):
    """Each item of a section that is an object, with its position and path; a problem for each that is not."""
    for index, item in enumerate(items):
        path = f"{section}[{index}]"
        if isinstance(item, dict):
            yield index, path, item
        else:
            problems.add(path, f"{what} must be an object.")


def _check_slug(item: dict, path: str, problems: Problems, *, limit: int) -> str:
    slug = _check_text(item, "slug", path, problems, required=True, limit=limit)
    if slug and not SLUG.match(slug):
        problems.add(f"{path}.slug", f"The slug {slug!r} may hold only letters, digits, '-' and '_'.")
    return slug


def _validate_authors(doc: Document, known: Known, plan: Plan, problems: Problems) -> set[str]:
    names = _duplicates(doc.authors, "name", "authors", problems)
    for _, path, item in _objects(doc.authors, "authors", "An author", problems):
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
    for _, path, item in _objects(doc.papers, "papers", "A paper", problems):
        slug = _check_slug(item, path, problems, limit=100)
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


TAG_STATUSES = tuple(TagStatus.values)


def _tag_status(item: dict, path: str, problems: Problems) -> str:
    """A tag's status: accepted (the default: files written before proposals existed) or proposed."""
    status = item.get("status", "accepted")
    if status not in TAG_STATUSES:
        problems.add(f"{path}.status", f'Give the status as "accepted" or "proposed", not {status!r}.')
        return "accepted"
    return status


def _validate_tags(doc: Document, known: Known, plan: Plan, problems: Problems) -> set[str]:
    file_slugs = _duplicates(doc.tags, "slug", "tags", problems)
    slugs = file_slugs | known.tag_slugs
    parents: dict[str, str | None] = dict(known.tag_parents)
    places: dict[str, int] = {}
    for index, path, item in _objects(doc.tags, "tags", "A tag", problems):
        slug = _check_slug(item, path, problems, limit=50)
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
            "status": _tag_status(item, path, problems),
        }
        if slug in known.tag_slugs:
            plan.report["tags"]["unchanged"] += 1
        elif slug:
            parents[slug] = parent
            places[slug] = index
            plan.tags.append(record)
            plan.report["tags"]["created"] += 1
    for record in plan.tags:
        if runs_into_a_loop(record["slug"], parents):
            where = f"tags[{places[record['slug']]}].parent"
            problems.add(where, f'Tag "{record["slug"]}" would be placed under itself.')
    return slugs
