"""Every read that pages, the API and exports share: visibility by role and the joins, decided once."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from . import discourse, roles
from .models import Author, Claim, Coding, HistoryAction, Link, Paper, PaperAuthor, PaperRevision, Status, Tag, User
from .parsing import whole_number


def claim_visibility(user: User, prefix: str = "", *, deleted: bool = False) -> Q:
    """Which claims `user` may see: readers approved ones; analysts also their own; moderators all.

    Deleted claims are seen by moderators only, and only when asked for (`deleted=True`: those alone).
    """
    if deleted:
        if not roles.can_moderate(user):
            return Q(pk__in=[])
        return Q(**{f"{prefix}deleted_at__isnull": False})
    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if roles.can_moderate(user):
        return alive
    if roles.can_annotate(user):
        return alive & (Q(**{f"{prefix}status": Status.APPROVED}) | Q(**{f"{prefix}created_by": user}))
    return alive & Q(**{f"{prefix}status": Status.APPROVED})


def link_visibility(user: User, *, deleted: bool = False) -> Q:
    """A link is visible by the claim rules applied to itself, and both its ends must be visible too.

    With `deleted=True`, moderators get the deleted links, whatever became of their ends.
    """
    if deleted:
        return claim_visibility(user, deleted=True)
    return claim_visibility(user) & claim_visibility(user, "source__") & claim_visibility(user, "target__")


def bylines() -> Prefetch:
    return paper_bylines("bylines")


def paper_bylines(lookup: str) -> Prefetch:
    """The bylines of papers (or of `lookup`, e.g. the papers of claims) with their authors, in order."""
    return Prefetch(lookup, queryset=PaperAuthor.objects.select_related("author").order_by("position"))


def papers_list() -> QuerySet[Paper]:
    return Paper.objects.defer("text").prefetch_related(bylines()).order_by("slug")


def papers_with_claim_counts(user: User) -> QuerySet[Paper]:
    """Papers with how many visible claims each has, per status."""
    visible = claim_visibility(user, "claims__")
    counts = {
        f"claims_{status}": Count("claims", filter=visible & Q(claims__status=status), distinct=True)
        for status in Status.values
    }
    return papers_list().annotate(claims_total=Count("claims", filter=visible, distinct=True), **counts)


def paper_detail() -> QuerySet[Paper]:
    return Paper.objects.prefetch_related(bylines())


def authors_list() -> QuerySet[Author]:
    return Author.objects.prefetch_related(
        Prefetch(
            "bylines", queryset=PaperAuthor.objects.select_related("paper").only("paper__slug", "author_id", "position")
        )
    ).order_by("name")


def tags_list() -> QuerySet[Tag]:
    return Tag.objects.select_related("parent").order_by("slug")


def tag_uses(tag: Tag) -> dict[str, int]:
    """What keeps a tag from being deleted outright: claims coded with it and tags under it."""
    codings = Claim.tags.through.objects.filter(tag_id=tag.pk).count()
    children = Tag.objects.filter(parent_id=tag.pk).count()
    return {"codings": codings, "children": children, "total": codings + children}


def tags_with_descendants(slugs: list[str]) -> list[int]:
    """Ids of the tags named and of every tag under them (the codebook is small: one query)."""
    tags = list(Tag.objects.values_list("id", "slug", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for tag_id, _, parent_id in tags:
        children.setdefault(parent_id, []).append(tag_id)
    found = [tag_id for tag_id, slug, _ in tags if slug in slugs]
    result: set[int] = set()
    while found:
        tag_id = found.pop()
        if tag_id not in result:
            result.add(tag_id)
            found.extend(children.get(tag_id, []))
    return sorted(result)


def codings_with_tags(lookup: str = "codings") -> Prefetch:
    """The codings of claims (or of `lookup`) with their tags' slugs, by slug: one query for all of them.
    `claim.codings.all()` then gives tags and stances; the tags alone are read from it, not prefetched again."""
    return Prefetch(
        lookup, queryset=Coding.objects.select_related("tag").only("claim", "stance", "tag__slug").order_by("tag__slug")
    )


def claims_visible_to(user: User, *, deleted: bool = False) -> QuerySet[Claim]:
    return _claims(claim_visibility(user, deleted=deleted))


def _claims(visible: Q) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(visible)
        .select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(codings_with_tags())
        .order_by("paper__slug", "start", "end", "id")
    )


def claims_in_paper(user: User, paper: Paper) -> QuerySet[Claim]:
    # Orphaned claims are not placed: their offsets point into a text a revision replaced.
    return claims_visible_to(user).filter(paper=paper).exclude(status=Status.ORPHANED)


def claims_tagged(queryset: QuerySet[Claim], tag_ids: list[int], *, stance: str | None = None) -> QuerySet[Claim]:
    """Claims carrying one of `tag_ids`; with `stance`, taking that stance on one of them."""
    # Exists, not a join, so a claim with two matching tags is listed once without DISTINCT.
    through = Coding.objects.filter(claim_id=OuterRef("pk"), tag_id__in=tag_ids)
    if stance:
        through = through.filter(stance=stance)
    return queryset.filter(Exists(through))


def byline_of(author: str) -> Q:
    """Bylines of `author`, given by id (ASCII digits) or by name (case-insensitive)."""
    author_id = whole_number(author)
    return Q(author_id=author_id) if author_id is not None else Q(author__name__iexact=author)


def claims_by_author(queryset: QuerySet[Claim], author: str) -> QuerySet[Claim]:
    """Claims in papers credited to `author`, given by id or by name (case-insensitive)."""
    return queryset.filter(Exists(PaperAuthor.objects.filter(byline_of(author), paper_id=OuterRef("paper_id"))))


def links_visible_to(user: User, *, deleted: bool = False) -> QuerySet[Link]:
    return _links(link_visibility(user, deleted=deleted))


def _links(visible: Q) -> QuerySet[Link]:
    return (
        Link.objects.filter(visible)
        .select_related("source__paper", "target__paper", "created_by", "moderated_by")
        .defer("source__paper__text", "target__paper__text")
        .order_by("created_at", "id")
    )


def link_ends(user: User, claim_ids: set) -> QuerySet[Claim]:
    """The claims of `claim_ids` that `user` may see, to be linked: with their papers' slugs, which a link's
    answer shows, and no codings."""
    return Claim.objects.filter(claim_visibility(user), pk__in=claim_ids).select_related("paper").defer("paper__text")


def claim_lookup(user: User) -> QuerySet[Claim]:
    """Where one claim is looked up by id: the visible ones, and for moderators the deleted ones too."""
    return _claims(claim_visibility(user) | claim_visibility(user, deleted=True))


def link_lookup(user: User) -> QuerySet[Link]:
    """Where one link is looked up by id: the visible ones, and for moderators the deleted ones too."""
    return _links(link_visibility(user) | link_visibility(user, deleted=True))


def history_of(item: Claim | Link) -> list:
    """The history rows of one claim or link, oldest first, with their authors (and tags) in two queries."""
    rows = type(item).history.filter(id=item.pk).select_related("history_user").order_by("history_date", "history_id")
    if isinstance(item, Claim):
        tag_rows = Claim.history.model.tags.model.objects.select_related("tag")
        rows = rows.prefetch_related(Prefetch("historicalcoding_set", queryset=tag_rows))
    return list(rows)


DECIDED = (Status.APPROVED, Status.REJECTED)


def _resubmitted(model: type[Claim] | type[Link]) -> Exists:
    """Revised by its analyst since the last decision (a rejection): a history row `resubmitted` after it."""
    rows = model.history.model.objects.filter(
        id=OuterRef("pk"), history_action=HistoryAction.RESUBMITTED, history_date__gte=OuterRef("moderated_at")
    )
    return Exists(rows)


def moderation_queue_claims(user: User, *, decided: bool = False) -> QuerySet[Claim]:
    """Pending claims, oldest first (or with `decided`, approved and rejected ones, newest decision first),
    each with its paper's authors, the visible links from and to it, and whether it was resubmitted."""
    links = links_visible_to(user)
    claims = claims_visible_to(user).prefetch_related(
        paper_bylines("paper__bylines"),
        Prefetch("links_out", queryset=links, to_attr="visible_links_out"),
        Prefetch("links_in", queryset=links, to_attr="visible_links_in"),
    )
    if decided:
        return claims.filter(status__in=DECIDED).order_by("-moderated_at", "-id")
    return claims.filter(status=Status.PENDING).annotate(resubmitted=_resubmitted(Claim)).order_by("created_at", "id")


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


def moderation_queue_links(user: User, *, decided: bool = False) -> QuerySet[Link]:
    """Pending links, oldest first (or decided ones, newest decision first), with both their claims, their
    papers and those papers' authors."""
    links = links_visible_to(user).prefetch_related(
        paper_bylines("source__paper__bylines"), paper_bylines("target__paper__bylines")
    )
    if decided:
        return links.filter(status__in=DECIDED).order_by("-moderated_at", "-id")
    return links.filter(status=Status.PENDING).annotate(resubmitted=_resubmitted(Link)).order_by("created_at", "id")


def moderation_pending_count(user: User) -> int:
    """How many claims and links wait for a moderator: one COUNT query over both."""
    claims = Claim.objects.filter(claim_visibility(user), status=Status.PENDING).order_by().values("pk")
    links = Link.objects.filter(link_visibility(user), status=Status.PENDING).order_by().values("pk")
    return claims.union(links, all=True).count()


def moderation_counts(user: User) -> dict[str, dict[str, int]]:
    """Pending and decided claims and links, for the queue's summary: one query per kind."""
    counts = {}
    for kind, model, visible in (("claims", Claim, claim_visibility(user)), ("links", Link, link_visibility(user))):
        counts[kind] = model.objects.filter(visible).aggregate(
            pending=Count("pk", filter=Q(status=Status.PENDING)), decided=Count("pk", filter=Q(status__in=DECIDED))
        )
    return {
        "pending": {kind: counts[kind]["pending"] for kind in counts},
        "decided": {kind: counts[kind]["decided"] for kind in counts},
    }


# --- Paper revisions (issue 7) -----------------------------------------------------------------------------


def revisions_of(paper: Paper) -> QuerySet[PaperRevision]:
    """A paper's revisions, newest first, without the texts they replaced nor their per-claim details."""
    return (
        PaperRevision.objects.filter(paper=paper)
        .select_related("paper", "created_by")
        .defer("old_text", "details", "paper__text")
        .order_by("-number")
    )


def revision_detail(paper: Paper) -> QuerySet[PaperRevision]:
    return PaperRevision.objects.filter(paper=paper).select_related("paper", "created_by").defer("paper__text")


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


def known_for_import(referenced: dict[str, set[str]]):
    """What the instance already holds of what an import file names (see importing.Known)."""
    from .exports import native
    from .importing import Known

    known = Known()
    for batch in _batches(referenced["papers"]):
        known.paper_texts.update(Paper.objects.filter(slug__in=batch).values_list("slug", "text"))
    for batch in _batches(referenced["authors"]):
        known.author_names.update(Author.objects.filter(name__in=batch).values_list("name", flat=True))
    for slug, parent in Tag.objects.values_list("slug", "parent__slug"):
        known.tag_slugs.add(slug)
        known.tag_parents[slug] = parent
    for batch in _batches(referenced["users"]):
        known.usernames.update(User.objects.filter(username__in=batch).values_list("username", flat=True))
    claims = (
        Claim.objects.select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(codings_with_tags())
    )
    for batch in _batches(referenced["claims"]):
        for claim in claims.filter(pk__in=batch):
            known.claims[str(claim.pk)] = native.claim_record(claim)
            known.claim_ids.add(str(claim.pk))
    links = Link.objects.select_related("created_by", "moderated_by")
    for batch in _batches(referenced["links"]):
        for link in links.filter(pk__in=batch):
            known.links[str(link.pk)] = native.link_record(link)
    for batch in _batches(referenced["claims"]):
        live = Link.objects.filter(Q(source_id__in=batch) | Q(target_id__in=batch), deleted_at__isnull=True).exclude(
            status=Status.REJECTED
        )
        for link_id, source, target, relation in live.values_list("id", "source_id", "target_id", "relation"):
            known.live_links[frozenset((str(source), str(target)))] = (str(link_id), str(source), relation)
    return known


def papers_filtered(queryset: QuerySet[Paper], user: User, *, author: str = "", tag: str = "") -> QuerySet[Paper]:
    """Papers credited to `author` (id or name) and/or holding claims `user` can see under `tag` (or a sub-tag)."""
    if author:
        queryset = queryset.filter(Exists(PaperAuthor.objects.filter(byline_of(author), paper_id=OuterRef("pk"))))
    if tag:
        tagged = claims_tagged(Claim.objects.filter(claim_visibility(user)), tags_with_descendants([tag]))
        queryset = queryset.filter(Exists(tagged.filter(paper_id=OuterRef("pk"))))
    return queryset


@dataclass(frozen=True)
class ReaderClaim:
    """A claim as the reader page draws and lists it: plain values, no model instances."""

    id: str
    start: int
    end: int
    status: str
    stance: str
    statement: str
    speaker: str
    exact: str
    created_by: str
    tags: tuple[str, ...]


def claims_for_reader(user: User, paper: Paper) -> list[ReaderClaim]:
    """The claims of `paper` that `user` may see, in text order, in two queries whatever their number
    (a paper may hold thousands: plain rows, not model instances with a prefetch each)."""
    visible = Claim.objects.filter(claim_visibility(user), paper=paper)
    tags: dict = {}
    through = Coding.objects.filter(claim_id__in=visible.values("pk"))
    for claim_id, slug in through.order_by("tag__slug").values_list("claim_id", "tag__slug"):
        tags.setdefault(claim_id, []).append(slug)
    rows = visible.order_by("start", "end", "id").values_list(
        "id", "start", "end", "status", "stance", "statement", "speaker", "exact", "created_by__username"
    )
    return [ReaderClaim(str(row[0]), *row[1:], tags=tuple(tags.get(row[0], ()))) for row in rows]


def claims_alive() -> QuerySet[Claim]:
    """Every claim not deleted, whatever its status: what the shell (export commands) sees."""
    return Claim.objects.filter(deleted_at__isnull=True)


def links_alive() -> QuerySet[Link]:
    """Every link not deleted whose two ends are not deleted either."""
    return Link.objects.filter(
        deleted_at__isnull=True, source__deleted_at__isnull=True, target__deleted_at__isnull=True
    )


def analysis_statuses(*, include_pending: bool = False) -> list[str]:
    """What the analyses (map, compare, networks) count: approved material, and pending too when asked.
    Rejected and orphaned material never counts, whoever asks; deleted material is not visible to them."""
    return [Status.APPROVED, Status.PENDING] if include_pending else [Status.APPROVED]


def claims_for_analysis(user: User, *, include_pending: bool = False) -> QuerySet[Claim]:
    return claims_visible_to(user).filter(status__in=analysis_statuses(include_pending=include_pending))


def links_for_analysis(user: User, *, include_pending: bool = False) -> QuerySet[Link]:
    """Links counted by the analyses; discourse_rows also keeps only those whose two ends are counted."""
    return links_visible_to(user).filter(status__in=analysis_statuses(include_pending=include_pending))


def discourse_rows(
    claims: QuerySet[Claim],
    links: QuerySet[Link] | None = None,
    *,
    relations: list[str] | None = None,
    link_status: str | None = None,
) -> tuple[list[discourse.ClaimRow], list[discourse.LinkRow]]:
    """The plain rows the map, the comparison and the networks are computed from, in four queries whatever
    the number of claims: the claims, their codings (tags with stances), the bylines of their papers, and the
    links between them.

    `claims` is an already visible and filtered queryset; only links with both ends in it are returned
    (`links` must already be visible to the same user), optionally only those of `relations` and `link_status`.
    """
    claims = claims.prefetch_related(None).select_related(None)
    ids = claims.values("pk")
    values = list(
        claims.order_by("paper__slug", "start", "end", "id").values_list(
            "id", "paper__slug", "paper__year", "speaker", "stance", "status", "exact", "statement"
        )
    )
    # Claim UUID -> its string, made once: tens of thousands of links refer to the same claims.
    names = {value[0]: str(value[0]) for value in values}
    codings: dict[UUID, list[tuple[str, str]]] = {}
    for claim_id, slug, tag_stance in (
        Coding.objects.filter(claim_id__in=ids).order_by("tag__slug").values_list("claim_id", "tag__slug", "stance")
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
        )
        for claim_id, paper, year, speaker, stance, status, exact, statement in values
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
            "id", "source_id", "target_id", "relation", "status"
        ):
            if source in names and target in names:
                link_rows.append(discourse.LinkRow(str(link_id), names[source], names[target], relation, status))
    return rows, link_rows


def codebook_rows() -> list[discourse.TagRow]:
    """The codebook as plain rows, parents before their children, siblings by slug (one query)."""
    tags = list(Tag.objects.order_by("slug").values_list("slug", "name", "colour", "parent__slug"))
    children: dict[str | None, list[tuple]] = {}
    for tag in tags:
        children.setdefault(tag[3], []).append(tag)
    ordered: list[discourse.TagRow] = []

    def visit(parent: str | None) -> None:
        for slug, name, colour, parent_slug in children.get(parent, []):
            ordered.append(discourse.TagRow(slug=slug, name=name, colour=colour, parent=parent_slug))
            visit(slug)

    visit(None)
    placed = {tag.slug for tag in ordered}
    # A cycle of parents cannot be reached from the top; list its tags anyway rather than lose them.
    ordered += [
        discourse.TagRow(slug, name, colour, parent) for slug, name, colour, parent in tags if slug not in placed
    ]
    return ordered


def filter_choices() -> dict:
    """What the map and compare pages offer in their filters: the codebook, the authors and the papers."""
    depth: dict[str | None, int] = {None: -1}
    tags = []
    for tag in codebook_rows():
        depth[tag.slug] = depth.get(tag.parent, -1) + 1
        tags.append({"slug": tag.slug, "name": tag.name, "indent": "\u2003" * depth[tag.slug]})
    return {
        "tags": tags,
        "authors": list(Author.objects.order_by("name").values_list("name", flat=True)),
        "papers": list(Paper.objects.order_by("slug").values_list("slug", "title")),
    }


# --- Export rows (export-perf) -----------------------------------------------------------------------------
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
