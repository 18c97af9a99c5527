"""The analysts' independent layers in the native export (`?layers=independent`, moderators and owners): each
coding round of the project with its assignments and, per analyst, the ids of the claims and links they made on
the round's papers among those exported, so that agreement can be recomputed elsewhere. Four queries."""

from collections import defaultdict
from collections.abc import Iterator

from annotations.exports import iso

from .models import Assignment, CodingRound


def independent_layers(export) -> Iterator[dict]:
    """One record per round of the export's project, oldest first, as the native export writes it."""
    rounds = list(
        CodingRound.objects.filter(project=export.project)
        .select_related("paper", "opened_by", "closed_by")
        .defer("paper__text")
        .order_by("opened_at", "id")
    )
    if not rounds:
        return
    assigned = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(coding_round__in=rounds)
        .select_related("analyst", "paper")
        .defer("paper__text")
        .order_by("analyst__username", "paper__slug")
    ):
        assigned[assignment.coding_round_id].append(assignment)
    claims = list(
        export.claims.prefetch_related(None)
        .select_related(None)
        .order_by("id")
        .values_list("pk", "paper_id", "created_by__username")
    )
    links = list(
        export.links.select_related(None).order_by("id").values_list("pk", "source__paper_id", "created_by__username")
    )
    for found in rounds:
        assignments = assigned[found.pk]
        analysts = {a.analyst.username for a in assignments}
        papers = {a.paper_id for a in assignments} | ({found.paper_id} if found.paper_id else set())

        # No assignments: every analyst with work on the round's papers (every paper, for a round of all).
        def layer(rows, analysts=analysts, papers=papers):
            by_analyst = defaultdict(list)
            for pk, paper_id, username in rows:
                if (not papers or paper_id in papers) and (not analysts or username in analysts):
                    by_analyst[username].append(str(pk))
            return by_analyst

        claim_layers, link_layers = layer(claims), layer(links)
        yield {
            "paper": found.paper.slug if found.paper_id else None,
            "open": found.is_open,
            "opened_at": iso(found.opened_at),
            "opened_by": found.opened_by.username if found.opened_by else None,
            "closed_at": iso(found.closed_at),
            "closed_by": found.closed_by.username if found.closed_by else None,
            "assignments": [
                {"analyst": a.analyst.username, "paper": a.paper.slug, "done_at": iso(a.done_at)} for a in assignments
            ],
            "layers": {
                name: {"independent": True, "claims": claim_layers[name], "links": link_layers[name]}
                for name in sorted(set(claim_layers) | set(link_layers))
            },
        }
