"""Curation reads: a paper's analysts' versions aligned into units, each with the decision taken on it, in a fixed
number of queries whatever the number of claims."""

from collections import defaultdict

from django.db.models import Q

from annotations.models import Claim, Link, Paper, Status
from annotations.selectors import codings_with_tags
from annotations.selectors.curated import curation_coders

from . import aligning
from .models import Curation, CurationAction


def made_by_curation() -> Q:
    """The claims a curation made (a merge or an edit: the curator's, not an analyst's coding); a version kept by
    an accept stays its analyst's. Agreement and the alignment leave these out."""
    return Q(curation__action__in=[CurationAction.MERGE, CurationAction.EDIT])


def versions_of(paper: Paper):
    """The claims curation aligns on `paper`: live (not deleted, not orphaned), not made by a curation, by the
    analysts of its round (every analyst when it has none)."""
    claims = (
        Claim.objects.filter(paper=paper, deleted_at__isnull=True)
        .exclude(made_by_curation())
        .exclude(status=Status.ORPHANED)
        .select_related("created_by")
        .prefetch_related(codings_with_tags())
        .order_by("start", "end", "id")
    )
    coders = curation_coders(paper)
    return claims if coders is None else claims.filter(created_by_id__in=coders)


def _links(ids: list) -> dict[str, list[dict]]:
    """Each version's live links (either direction), with the claim at the other end."""
    found: dict[str, list[dict]] = defaultdict(list)
    if not ids:
        return found
    rows = (
        Link.objects.filter(Q(source_id__in=ids) | Q(target_id__in=ids), deleted_at__isnull=True)
        .exclude(status=Status.REJECTED)
        .order_by("created_at", "id")
        .values_list(
            "id", "source_id", "target_id", "relation", "status", "source__exact", "target__exact",
            "source__paper__slug", "target__paper__slug",
        )
    )  # fmt: skip
    wanted = {str(i) for i in ids}
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


def _version(claim: Claim, links: list[dict]) -> aligning.Version:
    return aligning.Version(
        id=str(claim.pk),
        coder=claim.created_by.username,
        start=claim.start,
        end=claim.end,
        exact=claim.exact,
        statement=claim.statement,
        speaker=claim.speaker,
        stance=claim.stance,
        codings=tuple((coding.tag.slug, coding.stance) for coding in claim.codings.all()),
        status=claim.status,
        links=tuple(links),
    )


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


def curation_board(paper: Paper) -> dict:
    """The curation page's data: the analysts (`coders`), and `units` in text order, each
    `{key, start, end, versions: {coder: version}, decision}` (`decision` None while undecided); see
    docs/agreement.md (Curation). Five queries: versions, their codings, their links, the decisions and the
    decisions' versions."""
    claims = list(versions_of(paper))
    links = _links([claim.pk for claim in claims])
    versions = [_version(claim, links.get(str(claim.pk), [])) for claim in claims]
    curations = (
        Curation.objects.filter(paper=paper)
        .select_related("by", "result")
        .prefetch_related("versions")
        .order_by("at", "id")
    )
    decided = {}
    for curation in curations:
        data = decision_data(curation)
        for claim in curation.versions.all():
            decided[str(claim.pk)] = data
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
