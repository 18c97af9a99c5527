"""The argument map, the stance matrix and the discourse-network exports: same filters and visibility as `claims/`.

Thin: filter the visible claims with `ClaimFilter`, fetch plain rows with `selectors.discourse_rows` (a fixed
number of queries), compute with `annotations.discourse`, shape the output.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from .. import discourse, selectors
from ..exports import discourse as presenters
from ..models import Link
from ..parsing import whole_number
from .filters import ClaimFilter
from .permissions import AnnotatorOrReadOnly

BY_PARAMETER = OpenApiParameter(
    "by",
    str,
    enum=list(discourse.BY),
    description=(
        "Who the columns (actors) are. `author` (default): each author of the paper, for the claims the paper "
        "makes in its own voice; claims with a `speaker` are left out (counted in `excluded`). `speaker`: who "
        "holds the view, as the Discourse Network Analyzer codes it: the speaker if there is one, otherwise "
        "each of the paper's authors. `paper`: the paper, whoever speaks in it."
    ),
)
MAX_DISAGREEMENTS = 5000


def parse_by(request) -> str:
    by = request.query_params.get("by", "author").strip() or "author"
    if by not in discourse.BY:
        raise ValidationError({"by": [f'Unknown column kind "{by}": use {", ".join(discourse.BY)}.']})
    return by


def parse_list(request, name: str, allowed: list[str], noun: str) -> list[str]:
    values = [v.strip() for v in request.query_params.get(name, "").split(",") if v.strip()]
    for value in values:
        if value not in allowed:
            raise ValidationError({name: [f'Unknown {noun} "{value}": use {", ".join(allowed)}.']})
    return values


def claim_summary(claim: discourse.ClaimRow, actors: tuple[str, ...]) -> dict:
    return {
        "id": claim.id,
        "paper": claim.paper,
        "authors": list(claim.authors),
        "speaker": claim.speaker or None,
        "actors": list(actors),
        "stance": claim.stance,
        "status": claim.status,
        "tags": list(claim.tags),
        "exact": claim.exact,
        "statement": claim.statement,
    }


class FilteredClaims(generics.GenericAPIView):
    """The visible claims, filtered as `claims/` filters them; 400 on an unknown paper, tag, stance or status."""

    filterset_class = ClaimFilter
    permission_classes = [AnnotatorOrReadOnly]
    pagination_class = None

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user)

    def rows(self, **link_options):
        claims = self.filter_queryset(self.get_queryset())
        return selectors.discourse_rows(claims, selectors.links_visible_to(self.request.user), **link_options)


class MapView(FilteredClaims):
    @extend_schema(
        operation_id="map",
        filters=True,
        parameters=[
            OpenApiParameter(
                "relation",
                str,
                description="Only edges of these relations (comma-separated): supports, conflicts, restates.",
            )
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="`{nodes, edges}`")},
    )
    def get(self, request):
        """The argument map: the visible claims that pass the filters as nodes, the visible links between them as
        edges. With `status`, the edges are filtered by the same status as the nodes.

        Node: `id, paper, authors, speaker, stance, status, tags, exact, statement`.
        Edge: `id, source, target, relation, status` (source and target are node ids).
        """
        relations = parse_list(request, "relation", list(Link.Relation.values), "relation")
        claims, links = self.rows(relations=relations, link_status=request.query_params.get("status") or None)
        nodes = [
            {
                "id": c.id,
                "paper": c.paper,
                "authors": list(c.authors),
                "speaker": c.speaker or None,
                "stance": c.stance,
                "status": c.status,
                "tags": list(c.tags),
                "exact": c.exact,
                "statement": c.statement,
            }
            for c in claims
        ]
        edges = [
            {
                "id": link.id,
                "source": link.source,
                "target": link.target,
                "relation": link.relation,
                "status": link.status,
            }
            for link in links
        ]
        return Response({"nodes": nodes, "edges": edges})


class CompareView(FilteredClaims):
    @extend_schema(
        operation_id="compare",
        filters=True,
        parameters=[
            BY_PARAMETER,
            OpenApiParameter(
                "limit", int, description=f"How many disagreements to list (default 500, at most {MAX_DISAGREEMENTS})."
            ),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The stance matrix")},
    )
    def get(self, request):
        """The stance matrix: a row per codebook tag, a column per actor (see `by`).

        Each cell: `affirms, denies, qualifies, total`, `balance` = (affirms - denies) / total (null when empty)
        and the `claims` ids behind it. A claim counts under the tags it carries (not their parents), once for
        each of its actors. A row is `contested` when one column leans to affirming and another to denying.
        `disagreements` are pairs of claims by different actors (no actor in common) that conflict: a
        `conflicts` link (`kind: link`) or opposite stances on one tag (`kind: stance`, `a` affirms, `b`
        denies); `disagreements_total` counts them all. `claims` gives, for every claim id used, its quote
        (`exact`), statement, paper, authors, speaker and actors. `excluded` counts the visible claims that fall
        in no cell (untagged, or quoted speakers when `by=author`).
        """
        by = parse_by(request)
        limit = whole_number(request.query_params.get("limit", "500"), maximum=MAX_DISAGREEMENTS)
        if limit is None:
            raise ValidationError({"limit": [f"Give limit as a whole number from 0 to {MAX_DISAGREEMENTS}."]})
        claims, links = self.rows(relations=[Link.Relation.CONFLICTS])
        tags = selectors.codebook_rows()
        matrix = discourse.stance_matrix(claims, tags, by)
        items, total = discourse.disagreements(claims, links, tags, by, limit=limit)
        actors = discourse.actors_of(claims, by)
        used = {claim_id for row in matrix["rows"] for cell in row["cells"] for claim_id in cell["claims"]}
        used |= {item[end] for item in items for end in ("a", "b")}
        summaries = {c.id: claim_summary(c, actors[c.id]) for c in claims if c.id in used}
        return Response({**matrix, "disagreements": items, "disagreements_total": total, "claims": summaries})


class NetworkExportView(FilteredClaims):
    @extend_schema(
        operation_id="export_network",
        filters=True,
        parameters=[
            BY_PARAMETER,
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(discourse.NETWORKS)),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["graphml", "csv"], description="The format."),
        ],
        responses={
            (200, "application/graphml+xml"): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
            404: OpenApiResponse(description="Unknown network kind or format"),
        },
    )
    def get(self, request, kind: str, fmt: str):
        """A discourse network as GraphML or a CSV edge list: `author-tag` (two-mode, actors x tags, edges split
        by stance), `congruence` (actors tied by the (tag, stance) pairs they share; weight = how many) or
        `conflict` (actors tied by the tags on which one affirms and the other denies, plus the `conflicts`
        links between their claims; weight = opposed tags + conflict links). See `annotations/discourse.py`.
        """
        if kind not in discourse.NETWORKS:
            raise NotFound(f'Unknown network "{kind}": use {", ".join(discourse.NETWORKS)}.')
        if fmt not in presenters.CONTENT_TYPES:
            raise NotFound(f'Unknown format "{fmt}": use graphml or csv.')
        by = parse_by(request)
        claims, links = self.rows(relations=[Link.Relation.CONFLICTS])
        network = discourse.network(kind, claims, links, selectors.codebook_rows(), by)
        response = HttpResponse(presenters.render(network, fmt), content_type=presenters.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="sco-claims-{kind}-by-{by}.{fmt}"'
        return response
