"""Discourse analysis reads: the claims and links an analysis counts, as the pure discourse module's rows."""

from django.db.models import QuerySet

from .. import discourse
from ..errors import ValidationError
from ..models import Claim, Coding, Link, Paper, PaperAuthor, Status, User
from ..pages import pages_of
from .claims import claims_visible_to, link_own_visibility
from .curated import CuratedLayer, curated_layer
from .uuid_text import as_text, dashed


def claims_alive(project=None) -> QuerySet[Claim]:
    """Every claim not deleted, whatever its status (of `project`, when given): what the shell (export commands)
    sees."""
    claims = Claim.objects.filter(deleted_at__isnull=True)
    return claims if project is None else claims.filter(paper__project=project)


def links_alive(project=None) -> QuerySet[Link]:
    """Every link not deleted whose two ends are not deleted either (of `project`, when given)."""
    links = Link.objects.filter(
        deleted_at__isnull=True, source__deleted_at__isnull=True, target__deleted_at__isnull=True
    )
    return links if project is None else links.filter(source__paper__project=project)


def analysis_statuses(*, include_pending: bool = False) -> list[str]:
    """What the analyses (map, compare, networks) count: approved material, and pending too when asked.
    Rejected and orphaned material never counts, whoever asks; deleted material is not visible to them."""
    return [Status.APPROVED, Status.PENDING] if include_pending else [Status.APPROVED]


def claims_for_analysis(
    user: User, *, include_pending: bool = False, project=None, layer: CuratedLayer | None = None
) -> QuerySet[Claim]:
    """On papers under a closed coding round only the curated layer counts, pending asked for or not
    (selectors.curated; `layer` when the caller read it already for the links)."""
    claims = claims_visible_to(user, project=project).filter(
        status__in=analysis_statuses(include_pending=include_pending)
    )
    return (layer or curated_layer(project)).claims(claims) if include_pending else claims


def links_for_analysis(
    user: User, *, include_pending: bool = False, project=None, layer: CuratedLayer | None = None
) -> QuerySet[Link]:
    """Links counted by the analyses: the claim rules applied to the link itself. Its ends are not joined
    here: `discourse_rows` keeps only the links whose two ends are among the claims counted, all of them
    visible, so the join of `links_visible_to` (two lookups into the claims table per link: a second at
    30,000 links on SQLite) would only repeat that."""
    links = Link.objects.filter(
        link_own_visibility(user, project=project), status__in=analysis_statuses(include_pending=include_pending)
    ).order_by("created_at", "id")
    return (layer or curated_layer(project)).links(links) if include_pending else links


def _pages(start: int, end: int, page_ranges: list) -> tuple[int, int] | None:
    pages = pages_of(start, end, page_ranges)
    return tuple(pages) if pages else None


def discourse_rows(
    claims: QuerySet[Claim],
    links: QuerySet[Link] | None = None,
    *,
    relations: list[str] | None = None,
    link_status: str | None = None,
) -> tuple[list[discourse.ClaimRow], list[discourse.LinkRow]]:
    """The plain rows the map, the comparison and the networks are computed from, in five queries whatever
    the number of claims: the claims, their papers' page ranges, their codings (tags with stances), the
    bylines of their papers, and the links between them.

    `claims` is an already visible and filtered queryset; only links with both ends in it are returned
    (`links` must already be visible to the same user), optionally only those of `relations` and `link_status`.
    """
    claims = claims.prefetch_related(None).select_related(None)
    ids = claims.values("pk")
    values = list(
        claims.order_by("paper__slug", "start", "end", "id").values_list(
            as_text("id"),
            "paper__slug",
            "paper__year",
            "speaker",
            "stance",
            "status",
            "exact",
            "statement",
            "start",
            "end",
        )
    )
    # Each paper's page ranges once (a claim row carrying them would parse them again per claim).
    page_ranges = dict(Paper.objects.filter(pk__in=claims.values("paper_id")).values_list("slug", "pages"))
    # The id as the database gives it as text -> its string, made once: tens of thousands of links refer to
    # the same claims.
    names = {value[0]: dashed(value[0]) for value in values}
    codings: dict[str, list[tuple[str, str]]] = {}
    for claim_id, slug, tag_stance in (
        Coding.objects.filter(claim_id__in=ids)
        .order_by("tag__slug")
        .values_list(as_text("claim_id"), "tag__slug", "stance")
    ):
        codings.setdefault(claim_id, []).append((slug, tag_stance))
    authors: dict[str, list[tuple[str, str, str]]] = {}
    for slug, name, country, affiliation in (
        PaperAuthor.objects.filter(paper_id__in=claims.values("paper_id"))
        .order_by("paper_id", "position")
        .values_list("paper__slug", "author__name", "author__country", "author__affiliation")
    ):
        authors.setdefault(slug, []).append((name, country, affiliation))
    # Paper slug -> (names, countries, affiliations), each in byline order.
    bylines = {slug: tuple(zip(*people, strict=True)) for slug, people in authors.items()}
    nobody: tuple = ((), (), ())
    rows = [
        discourse.ClaimRow(
            id=names[claim_id],
            paper=paper,
            authors=bylines.get(paper, nobody)[0],
            countries=bylines.get(paper, nobody)[1],
            affiliations=bylines.get(paper, nobody)[2],
            year=year,
            speaker=speaker,
            stance=stance,
            tags=tuple(slug for slug, _ in codings.get(claim_id, ())),
            status=status,
            codings=dict(codings.get(claim_id, ())),
            exact=exact,
            statement=statement,
            pages=None if status == Status.ORPHANED else _pages(start, end, page_ranges.get(paper, ())),
        )
        for claim_id, paper, year, speaker, stance, status, exact, statement, start, end in values
    ]
    link_rows: list[discourse.LinkRow] = []
    if links is not None:
        # Both ends are kept to the claims fetched above in Python, not with `source_id IN (subquery) AND
        # target_id IN (subquery)`: SQLite plans that as a probe per (source, target) pair, quadratic in claims.
        links = links.select_related(None)
        if relations:
            links = links.filter(relation__in=relations)
        if link_status:
            links = links.filter(status=link_status)
        for link_id, source, target, relation, status in links.order_by("created_at", "id").values_list(
            as_text("id"), as_text("source_id"), as_text("target_id"), "relation", "status"
        ):
            if source in names and target in names:
                link_rows.append(discourse.LinkRow(dashed(link_id), names[source], names[target], relation, status))
    return rows, link_rows


def parse_include_pending(params) -> bool:
    """Whether pending material counts in an analysis whose query is `params`: `include=pending` (or asking
    for `status=pending` alone); a 400 for anything else to include and for a status analyses never count."""
    include = (params.get("include") or "").strip()
    if include not in ("", "pending"):
        raise ValidationError({"include": [f'Unknown "{include}": the one thing analyses can include is pending.']})
    status = (params.get("status") or "").strip()
    if status in (Status.REJECTED, Status.ORPHANED):
        raise ValidationError(
            {
                "status": [
                    f"Analyses never count {status} material; list it with claims/?status={status}. "
                    "They count approved claims and links, and pending ones with include=pending."
                ]
            }
        )
    return include == "pending" or status == Status.PENDING
