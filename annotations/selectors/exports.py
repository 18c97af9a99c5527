"""Export reads: the same visibility as claims/ and links/, read in chunks as plain rows."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .. import roles
from ..models import Author, Claim, Coding, Link, Paper, PaperAuthor, User
from .claims import claim_visibility, codings_with_tags
from .papers import bylines

# Exports: the same visibility as claims/ and links/, read in chunks so memory stays flat however large
# the corpus. Django runs the prefetches per chunk when iterator() is given a chunk_size.
EXPORT_CHUNK_SIZE = 2000


def claims_for_export(user: User, *, include_deleted: bool = False) -> QuerySet[Claim]:
    """Claims `user` may see, ready for presenting; moderators may also ask for soft-deleted ones."""
    if include_deleted and roles.can_moderate(user):
        queryset = Claim.objects.all()
    else:
        queryset = Claim.objects.filter(claim_visibility(user))
    return (
        queryset.select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(codings_with_tags())
        .order_by("paper__slug", "start", "end", "id")
    )


def links_for_export(user: User, claims: QuerySet[Claim], *, include_deleted: bool = False) -> QuerySet[Link]:
    """Links `user` may see whose two ends are both among `claims` (the exported set).

    The ends being in the exported set (which is visible) stands for link_visibility's checks of the
    ends; correlated EXISTS, not IN, so that SQLite scans the links once instead of pairing every claim.
    """
    queryset = (
        Link.objects.all()
        if include_deleted and roles.can_moderate(user)
        else Link.objects.filter(claim_visibility(user))
    )
    ends = claims.prefetch_related(None).select_related(None).order_by()
    return (
        queryset.filter(Exists(ends.filter(pk=OuterRef("source_id"))), Exists(ends.filter(pk=OuterRef("target_id"))))
        .select_related("created_by", "moderated_by")
        .order_by("created_at", "id")
    )


def papers_for_export(claims: QuerySet[Claim] | None, slugs: list[str] | None = None) -> QuerySet[Paper]:
    """Every paper when `claims` is None (an unfiltered export), else those of `claims` and those named."""
    queryset = Paper.objects.prefetch_related(bylines()).order_by("slug")
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


def in_chunks(queryset: QuerySet, chunk_size: int = EXPORT_CHUNK_SIZE):
    """Iterate `queryset` a chunk at a time (prefetches included), never holding the whole result."""
    return queryset.iterator(chunk_size=chunk_size)


def _batches(values, size: int = EXPORT_CHUNK_SIZE):
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# Export rows.
# Building model instances (and prefetching tags through related managers) was most of an export's time.
# The exports read plain rows instead: one values_list query per chunk of claims or links, plus one
# values_list query on the codings (the tags' through table) per chunk of claims. The rows answer the
# attributes the presenters read (claim.paper.slug, claim.created_by.username, claim.codings.all(), ...), as
# model instances with selectors.codings_with_tags() prefetched do.


class _Slug:
    __slots__ = ("slug",)

    def __init__(self, slug):
        self.slug = slug


class _Username:
    __slots__ = ("username",)

    def __init__(self, username):
        self.username = username


class _Coding:
    __slots__ = ("stance", "tag")

    def __init__(self, tag, stance):
        self.tag, self.stance = tag, stance


class _Codings:
    __slots__ = ("_codings",)

    def __init__(self, codings):
        self._codings = codings

    def all(self):
        return self._codings


_MODERATED_FIELDS = (
    "status", "version", "created_at", "updated_at", "moderated_at", "moderation_reason", "deleted_at",
)  # fmt: skip
CLAIM_ROW_FIELDS = (
    "id", "paper_id", "start", "end", "exact", "prefix", "suffix", "statement", "speaker", "stance", "note",
    "anchor_state", "anchor_score", "anchor_revision_id", "status_before_orphaned", *_MODERATED_FIELDS,
)  # fmt: skip
LINK_ROW_FIELDS = ("id", "source_id", "target_id", "relation", "rationale", *_MODERATED_FIELDS)


class ClaimRow:
    """A claim as the presenters read it, from one values_list row."""

    __slots__ = (*CLAIM_ROW_FIELDS, "paper", "created_by", "moderated_by", "anchor_revision_number", "codings")


class LinkRow:
    """A link as the presenters read it, from one values_list row."""

    __slots__ = (*LINK_ROW_FIELDS, "created_by", "moderated_by")


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
    fields = (*CLAIM_ROW_FIELDS, "paper__slug", "created_by__username", "moderated_by__username")
    fields += ("anchor_revision__number",)
    rows = _plain(claims).values_list(*fields).iterator(chunk_size=chunk_size)
    slug_of: dict[str, _Slug] = {}
    username_of: dict[str | None, _Username | None] = {None: None}
    papers: dict[str, _Slug] = {}
    width = len(CLAIM_ROW_FIELDS)
    for chunk in _chunks_of(rows, chunk_size):
        codings: dict = {}
        through = Coding.objects.filter(claim_id__in=[row[0] for row in chunk])
        for claim_id, slug, stance in through.order_by("tag__slug").values_list("claim_id", "tag__slug", "stance"):
            tag = slug_of.get(slug) or slug_of.setdefault(slug, _Slug(slug))
            codings.setdefault(claim_id, []).append(_Coding(tag, stance))
        for row in chunk:
            claim = ClaimRow()
            for name, value in zip(CLAIM_ROW_FIELDS, row, strict=False):
                setattr(claim, name, value)
            paper_slug, created_by, moderated_by, revision_number = row[width:]
            claim.paper = papers.get(paper_slug) or papers.setdefault(paper_slug, _Slug(paper_slug))
            if created_by not in username_of:
                username_of[created_by] = _Username(created_by)
            if moderated_by not in username_of:
                username_of[moderated_by] = _Username(moderated_by)
            claim.created_by = username_of[created_by]
            claim.moderated_by = username_of[moderated_by]
            claim.anchor_revision_number = revision_number
            claim.codings = _Codings(codings.get(claim.id, []))
            yield claim


def link_rows(links: QuerySet[Link], chunk_size: int = EXPORT_CHUNK_SIZE):
    """Iterate the links of `links` (in its order) as LinkRow, a chunk at a time."""
    fields = (*LINK_ROW_FIELDS, "created_by__username", "moderated_by__username")
    username_of: dict[str | None, _Username | None] = {None: None}
    width = len(LINK_ROW_FIELDS)
    for row in _plain(links).values_list(*fields).iterator(chunk_size=chunk_size):
        link = LinkRow()
        for name, value in zip(LINK_ROW_FIELDS, row, strict=False):
            setattr(link, name, value)
        created_by, moderated_by = row[width:]
        if created_by not in username_of:
            username_of[created_by] = _Username(created_by)
        if moderated_by not in username_of:
            username_of[moderated_by] = _Username(moderated_by)
        link.created_by = username_of[created_by]
        link.moderated_by = username_of[moderated_by]
        yield link
