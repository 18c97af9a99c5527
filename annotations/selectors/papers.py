"""Papers, their bylines and authors, their revisions, and the papers list's filters."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from ..models import Author, Claim, Paper, PaperAuthor, PaperRevision, Status, User
from .claims import byline_of, claim_visibility, claims_tagged
from .codebook import tags_with_descendants


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


def papers_filtered(queryset: QuerySet[Paper], user: User, *, author: str = "", tag: str = "") -> QuerySet[Paper]:
    """Papers credited to `author` (id or name) and/or holding claims `user` can see under `tag` (or a sub-tag)."""
    if author:
        queryset = queryset.filter(Exists(PaperAuthor.objects.filter(byline_of(author), paper_id=OuterRef("pk"))))
    if tag:
        tagged = claims_tagged(Claim.objects.filter(claim_visibility(user)), tags_with_descendants([tag]))
        queryset = queryset.filter(Exists(tagged.filter(paper_id=OuterRef("pk"))))
    return queryset
