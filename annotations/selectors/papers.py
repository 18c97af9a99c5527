"""Papers, their bylines and authors, their revisions, and the papers list's filters."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from .. import roles
from ..models import Author, Claim, Paper, PaperAuthor, PaperRevision, Status, User
from .claims import byline_of, claim_rule_in, claim_visibility, claims_tagged
from .codebook import tags_with_descendants


def bylines() -> Prefetch:
    return paper_bylines("bylines")


def paper_bylines(lookup: str) -> Prefetch:
    """The bylines of papers (or of `lookup`, e.g. the papers of claims) with their authors, in order."""
    return Prefetch(lookup, queryset=PaperAuthor.objects.select_related("author").order_by("position"))


def papers_list(project=None) -> QuerySet[Paper]:
    """The papers of `project` (every paper when None: the shell's and the admin's view)."""
    papers = Paper.objects.defer("text").prefetch_related(bylines()).order_by("slug")
    return papers if project is None else papers.filter(project=project)


def papers_readable(user: User, project=None) -> QuerySet[Paper]:
    """The papers of the projects `user` belongs to (or of `project` alone, if they belong to it): where a paper
    named by its slug is looked up, so that one of another project is not found."""
    if project is not None:
        return Paper.objects.filter(project=project) if roles.can_read(user, project) else Paper.objects.none()
    ids = roles.readable_project_ids(user)
    return Paper.objects.all() if ids is None else Paper.objects.filter(project_id__in=ids)


def papers_with_claim_counts(user: User, project) -> QuerySet[Paper]:
    """The papers of `project` with how many claims `user` can see each has, per status."""
    visible = claim_rule_in(user, project, "claims__")
    counts = {
        f"claims_{status}": Count("claims", filter=visible & Q(claims__status=status), distinct=True)
        for status in Status.values
    }
    return papers_list(project).annotate(claims_total=Count("claims", filter=visible, distinct=True), **counts)


def paper_detail(user: User, project=None) -> QuerySet[Paper]:
    """Where one paper is looked up by slug: in the user's projects (or in `project`)."""
    return papers_readable(user, project).prefetch_related(bylines())


def authors_list(project=None) -> QuerySet[Author]:
    authors = Author.objects.all() if project is None else Author.objects.filter(project=project)
    return authors.prefetch_related(
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


def papers_filtered(
    queryset: QuerySet[Paper], user: User, *, project, author: str = "", tag: str = ""
) -> QuerySet[Paper]:
    """Papers credited to `author` (id or name) and/or holding claims `user` can see under `tag` (or a sub-tag)."""
    if author:
        queryset = queryset.filter(Exists(PaperAuthor.objects.filter(byline_of(author), paper_id=OuterRef("pk"))))
    if tag:
        visible = Claim.objects.filter(claim_visibility(user, project=project))
        tagged = claims_tagged(visible, tags_with_descendants([tag], project))
        queryset = queryset.filter(Exists(tagged.filter(paper_id=OuterRef("pk"))))
    return queryset
