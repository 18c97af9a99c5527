"""Exports end to end: pick the rows with the selectors (visibility and the filters of claims/), then hand
chunked iterators to the pure presenters in exports/. Shared by the export endpoints and `export_claims`.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils import timezone

from projects.models import Project, default_project

from . import discourse, selectors
from .errors import ValidationError
from .exports import aif, iso, native, networks, w3c
from .exports import discourse as network_presenters
from .identifiers import paper_identifier
from .models import Claim, Link, Paper, User

PAPERS_CHUNK_SIZE = 20  # papers carry their whole text


@dataclass(frozen=True)
class ExportSet:
    """What one export holds: the claims, the links between them and the papers they stand on, of one project."""

    claims: QuerySet[Claim]
    links: QuerySet[Link]
    papers: QuerySet[Paper]
    filters: dict[str, str]
    project: Project | None = None


def export_set(
    user: User,
    params: Mapping[str, str],
    *,
    project: Project | None = None,
    include_deleted: bool = False,
    independent_layers: bool = False,
) -> ExportSet:
    """The rows of `project` (the default project when None) `user` may export under the filters in `params`
    (the same filters as claims/). On papers under a closed coding round, the curated layer only (approved
    claims and links; selectors.curated), unless `independent_layers` asks for the analysts' versions too.

    Raises the app's ValidationError for an unknown filter value, as claims/ does.
    """
    project = project or default_project()
    filters = {name: params[name] for name in selectors.ClaimFilter.Meta.fields if params.get(name)}
    claims = selectors.claims_for_export(user, project=project, include_deleted=include_deleted)
    layer = None if independent_layers else selectors.curated_layer(project)
    if layer is not None:
        claims = layer.claims(claims)
    claims = selectors.claims_filtered(claims, filters, project=project)
    # An unfiltered export is a backup: every paper, with or without claims. A filtered one carries the
    # papers its claims stand on, and the papers it names.
    papers = selectors.papers_for_export(
        claims if filters else None,
        slugs=[slug.strip() for slug in filters.get("paper", "").split(",") if slug.strip()],
        project=project,
    )
    links = selectors.links_for_export(user, claims, project=project, include_deleted=include_deleted)
    if layer is not None:
        links = layer.links(links)
    if include_deleted:
        filters = {**filters, "deleted": "include"}
    return ExportSet(claims=claims, links=links, papers=papers, filters=filters, project=project)


def native_chunks(export: ExportSet, extra: dict | None = None) -> Iterator[str]:
    papers = (
        native.paper_record(paper, [byline.author.name for byline in paper.bylines.all()])
        for paper in selectors.in_chunks(export.papers, PAPERS_CHUNK_SIZE)
    )
    authors = (native.author_record(author) for author in selectors.authors_for_export(export.papers).iterator())
    tags = selectors.exchange_tags(export.project, export.claims)
    return native.render(
        exported_at=iso(timezone.now()),
        filters=export.filters,
        papers=papers,
        authors=authors,
        tags=tags,
        claims=(native.claim_exported(claim) for claim in selectors.claim_rows(export.claims)),
        links=(native.link_record(link) for link in selectors.link_rows(export.links)),
        extra=extra,
    )


def _annotations(export: ExportSet, base_url: str, offset: int = 0, limit: int | None = None):
    """The claims' then the links' annotations, from `offset`, at most `limit` of them."""
    claims, links = export.claims, export.links
    identifiers = paper_identifiers(export.papers)
    if limit is None:
        yield from (w3c.claim_annotation(c, base_url, identifiers) for c in selectors.claim_rows(claims))
        yield from (w3c.link_annotation(link) for link in selectors.link_rows(links))
        return
    claim_count = claims.count()
    end = offset + limit
    if offset < claim_count:
        yield from (w3c.claim_annotation(c, base_url, identifiers) for c in selectors.claim_rows(claims[offset:end]))
    if end > claim_count:
        link_slice = links[max(0, offset - claim_count) : end - claim_count]
        yield from (w3c.link_annotation(link) for link in selectors.link_rows(link_slice))


def _with_page(collection_id: str, page: int) -> str:
    return f"{collection_id}{'&' if '?' in collection_id else '?'}{urlencode({'page': page})}"


def w3c_chunks(
    export: ExportSet, *, base_url: str, collection_id: str, page: int | None = None, page_size: int | None = None
) -> Iterator[str]:
    """The collection; as the Web Annotation Protocol says, paged when it holds more than `page_size`.

    Without `page`, a small collection embeds its one page and a large one only points to its pages;
    with `page`, that page (0-based) with `partOf`, `startIndex`, `next` and `prev`.
    """
    page_size = page_size or w3c.PAGE_SIZE
    total = export.claims.count() + export.links.count()
    last = max(0, (total - 1) // page_size)
    if page is None and total <= page_size:
        return w3c.render_collection(
            collection_id=collection_id,
            page_id=_with_page(collection_id, 0),
            total=total,
            annotations=_annotations(export, base_url),
        )
    if page is None:
        document = w3c.collection_of_pages(
            collection_id=collection_id,
            total=total,
            first=_with_page(collection_id, 0),
            last=_with_page(collection_id, last),
        )
        return iter([native.dumps(document) + "\n"])
    if page > last:
        raise ValidationError({"page": [f"There is no page {page}: the pages go from 0 to {last}."]})
    return w3c.render_page(
        page_id=_with_page(collection_id, page),
        collection_id=collection_id,
        total=total,
        start_index=page * page_size,
        annotations=_annotations(export, base_url, page * page_size, page_size),
        next_id=_with_page(collection_id, page + 1) if page < last else None,
        prev_id=_with_page(collection_id, page - 1) if page > 0 else None,
    )


def paper_identifiers(papers: QuerySet[Paper]) -> dict[int, str]:
    """Paper id → its stable identifier (DOI, URL or URN), for the presenters."""
    rows = papers.prefetch_related(None).order_by().values_list("pk", "slug", "doi", "url")
    return {pk: paper_identifier(slug=slug, doi=doi, url=url) for pk, slug, doi, url in rows}


def aif_chunks(export: ExportSet) -> Iterator[str]:
    return aif.render(
        claims=lambda: selectors.claim_rows(export.claims),
        links=lambda: selectors.link_rows(export.links),
        paper_authors=selectors.paper_authors(export.papers),
        identifiers=paper_identifiers(export.papers),
    )


def graphml_chunks(export: ExportSet) -> Iterator[str]:
    return networks.claim_graph(
        claims=selectors.claim_rows(export.claims),
        links=selectors.link_rows(export.links),
        paper_authors=selectors.paper_authors(export.papers),
    )


def csv_chunks(export: ExportSet) -> Iterator[str]:
    return networks.claims_csv(
        claims=selectors.claim_rows(export.claims), paper_authors=selectors.paper_authors(export.papers)
    )


def network_document(
    params: Mapping[str, str], *, kind: str, fmt: str, by: str, project: Project | None = None
) -> bytes:
    """A discourse network (author-tag, congruence or conflict) of the claims that `params` select (the filters
    of claims/) among those an analysis counts: approved ones, and pending ones too with `include=pending`
    (never rejected, orphaned or deleted), as GraphML or CSV: what `export_network` and `export_claims
    --network` write.

    Raises the app's ValidationError for an unknown filter value.
    """
    statuses = selectors.analysis_statuses(include_pending=selectors.parse_include_pending(params))
    filters = {name: value for name, value in params.items() if name != "include"}
    project = project or default_project()
    layer = selectors.curated_layer(project)
    claims = layer.claims(selectors.claims_alive(project).filter(status__in=statuses))
    claims = selectors.claims_filtered(claims, filters, project=project)
    links = layer.links(selectors.links_alive(project).filter(status__in=statuses))
    rows, links = selectors.discourse_rows(claims, links, relations=[Link.Relation.CONFLICTS])
    network = discourse.network(kind, rows, links, selectors.codebook_rows(project), by)
    network.description += discourse.counted_note([str(status) for status in statuses])
    return network_presenters.render(network, fmt)
