"""Export reads: the same visibility as claims/ and links/, read in chunks as plain rows."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .. import records, roles
from ..models import Author, Claim, Coding, Link, Paper, PaperAuthor, Status, User
from ..pages import pages_of
from .claims import claim_visibility, codings_with_tags, link_own_visibility
from .papers import bylines

# Exports: the same visibility as claims/ and links/, read in chunks so memory stays flat however large
# the corpus. Django runs the prefetches per chunk when iterator() is given a chunk_size.
EXPORT_CHUNK_SIZE = 2000


def claims_for_export(user: User, *, project, include_deleted: bool = False) -> QuerySet[Claim]:
    """The claims of `project` that `user` may see, ready for presenting; moderators may also ask for soft-deleted
    ones."""
    if include_deleted and roles.can_moderate(user, project):
        queryset = Claim.objects.filter(paper__project=project)
    else:
        queryset = Claim.objects.filter(claim_visibility(user, project=project))
    return (
        queryset.select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(codings_with_tags())
        .order_by("paper__slug", "start", "end", "id")
    )


def links_for_export(user: User, claims: QuerySet[Claim], *, project, include_deleted: bool = False) -> QuerySet[Link]:
    """Links `user` may see whose two ends are both among `claims` (the exported set).

    The ends being in the exported set (which is visible) stands for link_visibility's checks of the
    ends; correlated EXISTS, not IN, so that SQLite scans the links once instead of pairing every claim.
    """
    # The ends being among `claims` keep the links to the project.
    queryset = (
        Link.objects.all()
        if include_deleted and roles.can_moderate(user, project)
        else Link.objects.filter(link_own_visibility(user, project=project))
    )
    ends = claims.prefetch_related(None).select_related(None).order_by()
    return (
        queryset.filter(Exists(ends.filter(pk=OuterRef("source_id"))), Exists(ends.filter(pk=OuterRef("target_id"))))
        .select_related("created_by", "moderated_by")
        .order_by("created_at", "id")
    )


def papers_for_export(
    claims: QuerySet[Claim] | None, slugs: list[str] | None = None, *, project=None
) -> QuerySet[Paper]:
    """Every paper of `project` when `claims` is None (an unfiltered export), else those of `claims` and those
    named (in `project`)."""
    queryset = Paper.objects.prefetch_related(bylines()).order_by("slug")
    if project is not None:
        queryset = queryset.filter(project=project)
    if claims is None:
        return queryset
    ids = claims.prefetch_related(None).order_by().values("paper_id")
    return queryset.filter(Q(pk__in=ids) | Q(slug__in=slugs or []))


def authors_for_export(papers: QuerySet[Paper]) -> QuerySet[Author]:
    paper_ids = papers.prefetch_related(None).order_by().values("pk")
    ids = PaperAuthor.objects.filter(paper__in=paper_ids).values("author_id")
    return Author.objects.filter(pk__in=ids).order_by("name")


def paper_authors(papers: QuerySet[Paper]) -> dict[int, list[str]]:
    """Paper id → its authors' names in byline order (the corpus is small: one query)."""
    names: dict[int, list[str]] = {}
    rows = (
        PaperAuthor.objects.filter(paper__in=papers.prefetch_related(None).order_by().values("pk"))
        .order_by("paper_id", "position")
        .values_list("paper_id", "author__name")
    )
    for paper_id, name in rows:
        names.setdefault(paper_id, []).append(name)
    return names


def export_usernames(claims: QuerySet[Claim], links: QuerySet[Link]) -> set[str]:
    """The usernames of the analysts who made the exported claims and links (two queries)."""
    names = set(_plain(claims).order_by().values_list("created_by__username", flat=True).distinct())
    return names | set(_plain(links).order_by().values_list("created_by__username", flat=True).distinct())


def claim_ends(claim_ids: set) -> dict:
    """Claim id → (paper id, speaker) of these claims (the ends of exported links, which are exported claims)."""
    rows = Claim.objects.filter(pk__in=claim_ids).order_by().values_list("pk", "paper_id", "speaker")
    return {pk: (paper_id, speaker) for pk, paper_id, speaker in rows}


def in_chunks(queryset: QuerySet, chunk_size: int = EXPORT_CHUNK_SIZE):
    """Iterate `queryset` a chunk at a time (prefetches included), never holding the whole result."""
    return queryset.iterator(chunk_size=chunk_size)


def _batches(values, size: int = EXPORT_CHUNK_SIZE):
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# Export rows. Building model instances (and prefetching tags through related managers) was most of an export's
# time. The exports read typed rows instead (records.row_class: ClaimRow, LinkRow): one values_list query per
# chunk of claims or links, plus one values_list query on the codings per chunk of claims. Their columns come
# from the record definitions, so a field added there is read here too.


def _columns(record: records.Record) -> list[str]:
    """The values_list lookups of a row's plain fields: a user by its username."""
    return [f"{field.key}__username" if field.kind == records.USER else field.key for field in record.plain()]


def _chunks_of(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _plain(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(None).select_related(None)


def claim_rows(claims: QuerySet[Claim], chunk_size: int = EXPORT_CHUNK_SIZE):
    """Iterate the claims of `claims` (in its order) as ClaimRow, a chunk at a time."""
    ClaimRow = records.row_class(records.CLAIM)
    plain = [field.key for field in records.CLAIM.plain()]
    shaped = ("id", "paper_id", "paper__slug", *records.TARGET_COLUMNS)
    rows = _plain(claims).values_list(*shaped, *_columns(records.CLAIM)).iterator(chunk_size=chunk_size)
    page_ranges: dict[int, list] = {}  # by paper id, read once per paper (a chunk reads those it has not seen)
    for chunk in _chunks_of(rows, chunk_size):
        unseen = {row[1] for row in chunk} - page_ranges.keys()
        if unseen:
            page_ranges.update(Paper.objects.filter(pk__in=unseen).values_list("pk", "pages"))
        codings: dict = {}
        through = Coding.objects.filter(claim_id__in=[row[0] for row in chunk])
        for claim_id, slug, stance in through.order_by("tag__slug").values_list("claim_id", "tag__slug", "stance"):
            codings.setdefault(claim_id, []).append(records.CodingRow(slug, stance))
        for row in chunk:
            claim_id, paper_id, paper_slug, *rest = row
            target = dict(zip(records.TARGET_COLUMNS, rest, strict=False))
            values = dict(zip(plain, rest[len(records.TARGET_COLUMNS) :], strict=True))
            orphaned = values["status"] == Status.ORPHANED  # its offsets are on a replaced text
            yield ClaimRow(
                id=claim_id,
                paper_id=paper_id,
                paper_slug=paper_slug,
                codings=tuple(codings.get(claim_id, ())),
                pages=None if orphaned else pages_of(target["start"], target["end"], page_ranges[paper_id]),
                **target,
                **values,
            )


def link_rows(links: QuerySet[Link], chunk_size: int = EXPORT_CHUNK_SIZE):
    """Iterate the links of `links` (in its order) as LinkRow, a chunk at a time."""
    LinkRow = records.row_class(records.LINK)
    plain = [field.key for field in records.LINK.plain()]
    shaped = ("id", "source_id", "target_id")
    for row in _plain(links).values_list(*shaped, *_columns(records.LINK)).iterator(chunk_size=chunk_size):
        link_id, source_id, target_id, *rest = row
        yield LinkRow(id=link_id, source_id=source_id, target_id=target_id, **dict(zip(plain, rest, strict=True)))
