"""Every read that pages, the API and exports share: visibility by role and the joins, decided once."""

from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from . import discourse, roles
from .models import Author, Claim, Link, Paper, PaperAuthor, Status, Tag, User


def claim_visibility(user: User, prefix: str = "") -> Q:
    """Which claims `user` may see: readers approved ones; analysts also their own; moderators all."""
    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if roles.can_moderate(user):
        return alive
    if roles.can_annotate(user):
        return alive & (Q(**{f"{prefix}status": Status.APPROVED}) | Q(**{f"{prefix}created_by": user}))
    return alive & Q(**{f"{prefix}status": Status.APPROVED})


def link_visibility(user: User) -> Q:
    """A link is visible by the claim rules applied to itself, and both its ends must be visible too."""
    return claim_visibility(user) & claim_visibility(user, "source__") & claim_visibility(user, "target__")


def bylines() -> Prefetch:
    return Prefetch("bylines", queryset=PaperAuthor.objects.select_related("author").order_by("position"))


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


def claims_visible_to(user: User) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(claim_visibility(user))
        .select_related("paper", "created_by", "moderated_by")
        .defer("paper__text")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("id", "slug").order_by("slug")))
        .order_by("paper__slug", "start", "end", "id")
    )


def claims_in_paper(user: User, paper: Paper) -> QuerySet[Claim]:
    return claims_visible_to(user).filter(paper=paper)


def claims_tagged(queryset: QuerySet[Claim], tag_ids: list[int]) -> QuerySet[Claim]:
    # Exists, not a join, so a claim with two matching tags is listed once without DISTINCT.
    through = Claim.tags.through.objects.filter(claim_id=OuterRef("pk"), tag_id__in=tag_ids)
    return queryset.filter(Exists(through))


def claims_by_author(queryset: QuerySet[Claim], author: str) -> QuerySet[Claim]:
    """Claims in papers credited to `author`, given by id or by name (case-insensitive)."""
    match = Q(author_id=int(author)) if author.isdigit() else Q(author__name__iexact=author)
    return queryset.filter(Exists(PaperAuthor.objects.filter(match, paper_id=OuterRef("paper_id"))))


def links_visible_to(user: User) -> QuerySet[Link]:
    return (
        Link.objects.filter(link_visibility(user))
        .select_related("source__paper", "target__paper", "created_by", "moderated_by")
        .defer("source__paper__text", "target__paper__text")
        .order_by("created_at", "id")
    )


def claims_alive() -> QuerySet[Claim]:
    """Every claim not deleted, whatever its status: what the shell (export commands) sees."""
    return Claim.objects.filter(deleted_at__isnull=True)


def links_alive() -> QuerySet[Link]:
    """Every link not deleted whose two ends are not deleted either."""
    return Link.objects.filter(
        deleted_at__isnull=True, source__deleted_at__isnull=True, target__deleted_at__isnull=True
    )


def discourse_rows(
    claims: QuerySet[Claim],
    links: QuerySet[Link] | None = None,
    *,
    relations: list[str] | None = None,
    link_status: str | None = None,
) -> tuple[list[discourse.ClaimRow], list[discourse.LinkRow]]:
    """The plain rows the map, the comparison and the networks are computed from, in four queries whatever
    the number of claims: the claims, their tags, the bylines of their papers, and the links between them.

    `claims` is an already visible and filtered queryset; only links with both ends in it are returned
    (`links` must already be visible to the same user), optionally only those of `relations` and `link_status`.
    """
    claims = claims.prefetch_related(None).select_related(None)
    ids = claims.values("pk")
    values = list(
        claims.order_by("paper__slug", "start", "end", "id").values_list(
            "id", "paper__slug", "speaker", "stance", "status", "exact", "statement"
        )
    )
    # Claim UUID -> its string, made once: tens of thousands of links refer to the same claims.
    names = {value[0]: str(value[0]) for value in values}
    tags: dict[UUID, list[str]] = {}
    for claim_id, slug in (
        Claim.tags.through.objects.filter(claim_id__in=ids).order_by("tag__slug").values_list("claim_id", "tag__slug")
    ):
        tags.setdefault(claim_id, []).append(slug)
    authors: dict[str, list[str]] = {}
    for slug, name in (
        PaperAuthor.objects.filter(paper_id__in=claims.values("paper_id"))
        .order_by("paper_id", "position")
        .values_list("paper__slug", "author__name")
    ):
        authors.setdefault(slug, []).append(name)
    bylines = {slug: tuple(names_) for slug, names_ in authors.items()}
    rows = [
        discourse.ClaimRow(
            id=names[claim_id],
            paper=paper,
            authors=bylines.get(paper, ()),
            speaker=speaker,
            stance=stance,
            tags=tuple(tags.get(claim_id, ())),
            status=status,
            exact=exact,
            statement=statement,
        )
        for claim_id, paper, speaker, stance, status, exact, statement in values
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
        "statuses": Status.values,
    }
