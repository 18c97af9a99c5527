"""Curation reads: a paper's analysts' versions aligned into units, each with the decision taken on it, in a fixed
number of queries whatever the number of claims."""

from collections import defaultdict

from django.db.models import Q, QuerySet

from annotations.models import Claim, Coding, Link, Paper, Status
from annotations.selectors.curated import curation_coders
from annotations.selectors.uuid_text import as_text, dashed

from . import aligning
from .models import Curation, CurationAction


def made_by_curation() -> Q:
    """The claims a curation made (a merge or an edit: the curator's, not an analyst's coding); a version kept by
    an accept stays its analyst's. Agreement and the alignment leave these out."""
    return Q(curation__action__in=[CurationAction.MERGE, CurationAction.EDIT])


def versions_of(paper: Paper) -> QuerySet[Claim]:
    """The claims curation aligns on `paper`: live (not deleted, not orphaned), not made by a curation, by the
    analysts of its round (every analyst when it has none)."""
    claims = (
        Claim.objects.filter(paper=paper, deleted_at__isnull=True)
        .exclude(made_by_curation())
        .exclude(status=Status.ORPHANED)
    )
    coders = curation_coders(paper)
    return claims if coders is None else claims.filter(created_by_id__in=coders)


def _links(versions, wanted: set[str]) -> dict[str, list[dict]]:
    """Each version's live links (either direction), with the claim at the other end. `versions` is the versions'
    queryset, used as a subquery: thousands of ids as parameters would pass SQLite's limit."""
    found: dict[str, list[dict]] = defaultdict(list)
    if not wanted:
        return found
    ids = versions.order_by().values("pk")
    rows = (
        Link.objects.filter(Q(source_id__in=ids) | Q(target_id__in=ids), deleted_at__isnull=True)
        .exclude(status=Status.REJECTED)
        .order_by("created_at", "id")
        .values_list(
            "id", "source_id", "target_id", "relation", "status", "source__exact", "target__exact",
            "source__paper__slug", "target__paper__slug",
        )
    )  # fmt: skip
    for link_id, source, target, relation, status, source_exact, target_exact, source_paper, target_paper in rows:
        ends = (
            (str(source), "to", str(target), target_exact, target_paper),
            (str(target), "from", str(source), source_exact, source_paper),
        )
        for mine, direction, other, exact, paper in ends:
            if mine in wanted:
                found[mine].append(
                    {
                        "id": str(link_id),
                        "relation": relation,
                        "direction": direction,
                        "status": status,
                        "other": {"id": other, "paper": paper, "exact": exact},
                    }
                )
    return found


VERSION_FIELDS = ("id", "created_by__username", "start", "end", "exact", "statement", "speaker", "stance", "status")


def versions_as_rows(claims: QuerySet[Claim]) -> list[aligning.Version]:
    """The versions as plain rows, in two queries (the claims, their codings): thousands of them cost what
    building as many model instances would not."""
    codings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for claim_id, slug, stance in (
        Coding.objects.filter(claim_id__in=claims.values("pk"))
        .order_by("tag__slug")
        .values_list(as_text("claim_id"), "tag__slug", "stance")
    ):
        codings[dashed(claim_id)].append((slug, stance))
    rows = claims.order_by("start", "end", "id").values_list(as_text("id"), *VERSION_FIELDS[1:])
    return [
        aligning.Version(
            id=dashed(claim_id),
            coder=coder,
            start=start,
            end=end,
            exact=exact,
            statement=statement,
            speaker=speaker,
            stance=stance,
            codings=tuple(codings.get(dashed(claim_id), ())),
            status=status,
        )
        for claim_id, coder, start, end, exact, statement, speaker, stance, status in rows
    ]


def version_data(version: aligning.Version) -> dict:
    return {
        "id": version.id,
        "coder": version.coder,
        "start": version.start,
        "end": version.end,
        "exact": version.exact,
        "statement": version.statement,
        "speaker": version.speaker or None,
        "stance": version.stance,
        "codings": [{"tag": tag, "stance": stance} for tag, stance in version.codings],
        "status": version.status,
        "links": list(version.links),
    }


def decision_data(curation: Curation) -> dict:
    result = curation.result
    return {
        "id": curation.pk,
        "action": curation.action,
        "by": curation.by.username,
        "at": curation.at,
        "reason": curation.reason,
        "sources": curation.sources,
        "result": None
        if result is None
        else {"id": str(result.pk), "exact": result.exact, "statement": result.statement, "status": result.status},
    }


def curation_units(paper: Paper) -> dict:
    """The curation board without the versions' links: the analysts (`coders`), and `units` in text order, each
    `{key, start, end, versions: {coder: version}, decision}` (`decision` None while undecided); see
    docs/agreement.md (Curation). Four queries whatever the number of claims: versions, their codings, the
    decisions and (once there are some) the decisions' versions. `with_links` adds the links of the units shown."""
    versions = versions_as_rows(versions_of(paper))
    curations = {
        curation.pk: decision_data(curation)
        for curation in Curation.objects.filter(paper=paper).select_related("by", "result").order_by("at", "id")
    }
    decided = {}
    if curations:  # the decisions' versions: a query only once there are decisions
        through = Curation.versions.through.objects.filter(curation__paper=paper)
        for curation_id, claim_id in through.values_list("curation_id", "claim_id"):
            decided[str(claim_id)] = curations[curation_id]
    units = []
    for row in aligning.align(versions):
        start = min(v.start for v in row.values())
        end = max(v.end for v in row.values())
        decision = next((decided[v.id] for v in row.values() if v.id in decided), None)
        units.append(
            {
                "key": min(v.id for v in row.values()),
                "start": start,
                "end": end,
                "versions": {coder: version_data(v) for coder, v in row.items()},
                "decision": decision,
            }
        )
    coders = sorted({v.coder for v in versions})
    return {
        "paper": paper.slug,
        "coders": coders,
        "units": units,
        "counts": {"units": len(units), "decided": sum(1 for unit in units if unit["decision"] is not None)},
    }


def with_links(units: list[dict]) -> list[dict]:
    """`units` (some of a board's, a page of them) with each version's live links filled in: one query, none for
    no units."""
    versions = [version for unit in units for version in unit["versions"].values()]
    wanted = {version["id"] for version in versions}
    links = _links(Claim.objects.filter(pk__in=wanted), wanted)
    for version in versions:
        version["links"] = links.get(version["id"], [])
    return units


def curation_board(paper: Paper) -> dict:
    """The whole board, every unit with its versions' links (five queries whatever the number of claims)."""
    board = curation_units(paper)
    with_links(board["units"])
    return board


def curation_decisions_of(project, limit: int) -> list[Curation]:
    """The project's `limit` latest curation decisions, newest first, with their curator and paper (for the
    project's audit trail): one query."""
    return list(
        Curation.objects.filter(paper__project_id=project.pk)
        .select_related("by", "paper")
        .only("action", "reason", "at", "by__username", "paper__slug")
        .order_by("-at", "-id")[:limit]
    )
