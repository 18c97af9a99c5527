"""Links into the curated layer: when a unit is decided, the analysts' links of the version whose links the
curator kept (`links` among the decision's sources) join the curated claims, once the unit at the other end is
decided too; a link whose two ends were both kept as they are is approved in place, any other is carried by a new
link of the curator's (approved) and the analyst's own is rejected with a reason naming it."""

from django.db.models import Q

from annotations.models import Claim, Link, Status, User
from annotations.services import link_create
from annotations.services.moderation import Decision, is_live, moderate

from .models import Curation


def _decided(claim_ids: set) -> dict[str, tuple[str, str]]:
    """Claim id -> (the id of the curated claim its decision kept or made, the id of the version whose links it
    kept), for the claims a decision with a result has taken."""
    through = Curation.versions.through
    rows = through.objects.filter(claim_id__in=claim_ids, curation__result__isnull=False).values_list(
        "claim_id", "curation__result_id", "curation__sources"
    )
    return {str(claim): (str(result), (sources or {}).get("links", "")) for claim, result, sources in rows}


def carry_links(*, versions: list[Claim], result: Claim, links_from: str, by: User) -> dict[str, str]:
    """Carry the links between this unit (its `versions`, decided into `result`, keeping the links of version
    `links_from`) and the units already decided: a link is carried when the end in this unit is `links_from`, or
    the end in the other unit is the version whose links that unit kept. Returns {analyst's link id: curated
    link id}. Two curated claims carry at most one live link: the first carried stays, later ones are left."""
    mine = {str(claim.pk) for claim in versions}
    links = list(
        Link.objects.filter(Q(source_id__in=mine) | Q(target_id__in=mine), deleted_at__isnull=True)
        .exclude(status=Status.REJECTED)
        .select_related("created_by")
        .order_by("created_at", "id")
    )
    others = {str(link.target_id) if str(link.source_id) in mine else str(link.source_id) for link in links} - mine
    decided = _decided(others)
    carried: dict[str, str] = {}
    for link in links:
        outgoing = str(link.source_id) in mine
        here, there = (
            (str(link.source_id), str(link.target_id)) if outgoing else (str(link.target_id), str(link.source_id))
        )
        if there in mine or there not in decided:
            continue
        other_result, other_links_from = decided[there]
        if here != links_from and there != other_links_from:
            continue
        source_id, target_id = (str(result.pk), other_result) if outgoing else (other_result, str(result.pk))
        made = _carry(link, source_id=source_id, target_id=target_id, by=by)
        if made is not None:
            carried[str(link.pk)] = str(made.pk)
    return carried


def _carry(link: Link, *, source_id: str, target_id: str, by: User) -> Link | None:
    reason = f"Curation carried {link.created_by.username}'s link ({link.pk}) into the curated layer."
    if (str(link.source_id), str(link.target_id)) == (source_id, target_id) and is_live(link):
        if link.status != Status.APPROVED:  # both ends kept as they are: the analyst's link itself
            locked = Link.objects.select_related("source__paper", "target__paper").get(pk=link.pk)
            moderate(locked, by=by, decision=Decision.APPROVE, reason=reason)
        return link
    pair = Q(source_id=source_id, target_id=target_id) | Q(source_id=target_id, target_id=source_id)
    if Link.objects.filter(pair, deleted_at__isnull=True).exclude(status=Status.REJECTED).exists():
        return None
    ends = Claim.objects.select_related("paper").in_bulk([source_id, target_id])
    ends = {str(pk): claim for pk, claim in ends.items()}
    made = link_create(
        created_by=by, source=ends[source_id], target=ends[target_id], relation=link.relation, rationale=link.rationale
    )
    moderate(made, by=by, decision=Decision.APPROVE, reason=reason)
    # The analyst's link now lives on as the curated one: out of the moderation queue, with a reason saying where.
    original = Link.objects.select_related("source__paper", "target__paper").get(pk=link.pk)
    if is_live(original):
        moderate(original, by=by, decision=Decision.REJECT, reason=f"Curation carried this link into link {made.pk}.")
    return made
