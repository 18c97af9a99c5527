"""The moderation queues and their counts."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from ..models import Claim, HistoryAction, Link, Status, User
from .claims import claim_visibility, claims_visible_to, link_visibility, links_visible_to
from .papers import paper_bylines

DECIDED = (Status.APPROVED, Status.REJECTED)


def _resubmitted(model: type[Claim] | type[Link]) -> Exists:
    """Revised by its analyst since the last decision (a rejection): a history row `resubmitted` after it."""
    rows = model.history.model.objects.filter(
        id=OuterRef("pk"), history_action=HistoryAction.RESUBMITTED, history_date__gte=OuterRef("moderated_at")
    )
    return Exists(rows)


def moderation_queue_claims(user: User, *, project, decided: bool = False) -> QuerySet[Claim]:
    """Pending claims, oldest first (or with `decided`, approved and rejected ones, newest decision first),
    each with its paper's authors, the visible links from and to it, and whether it was resubmitted; of `project`."""
    links = links_visible_to(user, project=project)
    claims = claims_visible_to(user, project=project).prefetch_related(
        paper_bylines("paper__bylines"),
        Prefetch("links_out", queryset=links, to_attr="visible_links_out"),
        Prefetch("links_in", queryset=links, to_attr="visible_links_in"),
    )
    if decided:
        return claims.filter(status__in=DECIDED).order_by("-moderated_at", "-id")
    return claims.filter(status=Status.PENDING).annotate(resubmitted=_resubmitted(Claim)).order_by("created_at", "id")


def moderation_queue_links(user: User, *, project, decided: bool = False) -> QuerySet[Link]:
    """Pending links, oldest first (or decided ones, newest decision first), with both their claims, their
    papers and those papers' authors."""
    links = links_visible_to(user, project=project).prefetch_related(
        paper_bylines("source__paper__bylines"), paper_bylines("target__paper__bylines")
    )
    if decided:
        return links.filter(status__in=DECIDED).order_by("-moderated_at", "-id")
    return links.filter(status=Status.PENDING).annotate(resubmitted=_resubmitted(Link)).order_by("created_at", "id")


def moderation_pending_count(user: User, *, project) -> int:
    """How many claims and links of `project` wait for a moderator: one COUNT query over both."""
    claims = (
        Claim.objects.filter(claim_visibility(user, project=project), status=Status.PENDING).order_by().values("pk")
    )
    links = Link.objects.filter(link_visibility(user, project=project), status=Status.PENDING).order_by().values("pk")
    return claims.union(links, all=True).count()


def moderation_counts(user: User, *, project) -> dict[str, dict[str, int]]:
    """Pending and decided claims and links of `project`, for the queue's summary: one query per kind."""
    counts = {}
    kinds = (
        ("claims", Claim, claim_visibility(user, project=project)),
        ("links", Link, link_visibility(user, project=project)),
    )
    for kind, model, visible in kinds:
        counts[kind] = model.objects.filter(visible).aggregate(
            pending=Count("pk", filter=Q(status=Status.PENDING)), decided=Count("pk", filter=Q(status__in=DECIDED))
        )
    return {
        "pending": {kind: counts[kind]["pending"] for kind in counts},
        "decided": {kind: counts[kind]["decided"] for kind in counts},
    }
