"""Every read that pages, the API and exports share: visibility by role and the joins, decided once."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from . import roles
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


def papers_filtered(queryset: QuerySet[Paper], user: User, *, author: str = "", tag: str = "") -> QuerySet[Paper]:
    """Papers credited to `author` (id or name) and/or holding claims `user` can see under `tag` (or a sub-tag)."""
    if author:
        match = Q(author_id=int(author)) if author.isdigit() else Q(author__name__iexact=author)
        queryset = queryset.filter(Exists(PaperAuthor.objects.filter(match, paper_id=OuterRef("pk"))))
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
    through = Claim.tags.through.objects.filter(claim_id__in=visible.values("pk"))
    for claim_id, slug in through.order_by("tag__slug").values_list("claim_id", "tag__slug"):
        tags.setdefault(claim_id, []).append(slug)
    rows = visible.order_by("start", "end", "id").values_list(
        "id", "start", "end", "status", "stance", "statement", "speaker", "exact", "created_by__username"
    )
    return [ReaderClaim(str(row[0]), *row[1:], tags=tuple(tags.get(row[0], ()))) for row in rows]
