"""What an import needs to know of the instance before its checks, for the formats that name things their own way:
papers by identifier (DOI, URL, URN, reader page), Hypothesis tags by slug or name, annotators by username.
The reads are here so that annotations.importing stays free of queries."""

from .identifiers import normal_doi, slug_in_urn
from .importing import Document
from .importing import hypothesis as hypothesis_rows
from .importing.records import PAPER_IN_IRI, SLUG
from .models import Paper, Tag, User


def paper_slugs_by_locator(values: set[str], project) -> dict[str, str]:
    """Identifier (a DOI in any spelling, or a URL) → the slug of the paper of `project` it names, for those
    found."""
    papers = Paper.objects.filter(project=project)
    dois: dict[str, list[str]] = {}
    for value in values:
        doi = normal_doi(value)
        if doi:
            dois.setdefault(doi, []).append(value)
    found: dict[str, str] = {}
    for doi, slug in papers.filter(doi__in=list(dois)).values_list("doi", "slug"):
        for value in dois[doi]:
            found[value] = slug
    urls = sorted(value for value in values if value.startswith(("http://", "https://")) and value not in found)
    for url, slug in papers.filter(url__in=urls).values_list("url", "slug"):
        found[url] = slug
    return found


def resolve_papers(doc: Document, *, fallback: str | None, project) -> None:
    """Claims that name their paper by an identifier get its slug: a DOI or URL of a paper here, our URN, or
    our reader page's address. Hypothesis rows naming none of these take `fallback` (`?paper=`)."""
    locators = {
        claim["paper"]
        for claim in doc.claims
        if isinstance(claim, dict) and isinstance(claim.get("paper"), str) and not SLUG.match(claim["paper"])
    }
    found = paper_slugs_by_locator(locators, project) if locators else {}
    for claim in doc.claims:
        value = claim.get("paper") if isinstance(claim, dict) else None
        if value is not None and isinstance(value, str) and SLUG.match(value):
            continue
        slug = None
        if isinstance(value, str):
            page = PAPER_IN_IRI.search(value)
            slug = found.get(value) or slug_in_urn(value) or (page.group(1) if page else None)
        if slug is None and doc.kind == "hypothesis" and fallback:
            slug = fallback
        if slug is not None:
            claim["paper"] = slug


def prepare(
    doc: Document, *, acting_username: str | None, paper: str | None, project, propose_tags: bool = True
) -> None:
    """Resolve what the file names in its own way against `project` (see the module's docstring)."""
    resolve_papers(doc, fallback=paper, project=project)
    if doc.kind != "hypothesis":
        return
    codebook: dict[str, str] = {}
    codebook_tags = Tag.objects.filter(project=project)
    for slug, name in codebook_tags.values_list("slug", "name"):
        codebook.setdefault(name.strip().lower(), slug)
    for slug in codebook_tags.values_list("slug", flat=True):
        codebook[slug.lower()] = slug  # a slug wins over another tag's name
    names = {hypothesis_rows.account_name(claim.get("_account")) for claim in doc.claims}
    usernames = set(User.objects.filter(username__in=[n for n in names if n]).values_list("username", flat=True))
    hypothesis_rows.place(
        doc, usernames=usernames, acting_username=acting_username, codebook=codebook, propose_unknown=propose_tags
    )
