"""The argument map, the stance matrix and the discourse-network exports: same filters and visibility as `claims/`.

Thin: filter the visible claims with `ClaimFilter`, fetch plain rows with `selectors.discourse_rows` (a fixed
number of queries), compute with `annotations.discourse`, shape the output.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from .. import discourse, selectors
from ..exports import discourse as presenters
from ..gc_pause import collector_paused
from ..models import Claim, Link
from ..parsing import whole_number
from ..selectors.analysis import parse_include_pending
from .filters import ClaimFilter
from .permissions import AnnotatorOrReadOnly
from .scoping import PROJECT_PARAMETER, request_project

COUNTED = (
    "Analyses count **approved** claims and links by default. `include=pending` adds the pending ones you may "
    "see (readers: none; analysts: their own; moderators: all), each marked `status: pending`. Rejected, "
    "orphaned and deleted material never counts, whatever your role: list it with `claims/?status=rejected`. "
    "`status=approved` or `status=pending` narrows to one of the two; `status=rejected` or `orphaned` is a 400."
)
BY_PARAMETER = OpenApiParameter(
    "by",
    str,
    enum=list(discourse.BY),
    description="Who the columns (actors) are; default `author`. "
    + " ".join(f"`{by}`: {rule}" for by, rule in discourse.COUNTING.items()),
)
INCLUDE_PARAMETER = OpenApiParameter("include", str, enum=["pending"], description=COUNTED)
MAX_PAIRS = 5000
MAP_SHAPES = ("full", "compact")


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


def parse_choice(request, name: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed` (the first when the parameter is absent or blank), else a 400 naming the choices."""
    value = request.query_params.get(name, "").strip() or allowed[0]
    if value not in allowed:
        raise ValidationError({name: [f'Unknown {name} "{value}": use {", ".join(allowed)}.']})
    return value


def claim_summary(claim: discourse.ClaimRow, attributed: discourse.Attribution) -> dict:
    return {
        "id": claim.id,
        "paper": claim.paper,
        "authors": list(claim.authors),
        "speaker": claim.speaker or None,
        "actors": list(attributed.actors),
        "reported": attributed.reported,
        "stance": claim.stance,
        "stances": {slug: discourse.stance_on(claim, slug) for slug in claim.tags},
        "status": claim.status,
        "tags": list(claim.tags),
        "exact": claim.exact,
        "pages": claim.pages,
        "statement": claim.statement,
    }


class FilteredClaims(generics.GenericAPIView):
    """The claims an analysis counts (approved; pending too with `include=pending`), filtered as `claims/`
    filters them; 400 on an unknown paper, tag, stance or status."""

    filterset_class = ClaimFilter
    permission_classes = [AnnotatorOrReadOnly]
    pagination_class = None
    include_pending = False
    layer = None  # selectors.CuratedLayer, set by rows()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator: no request to scope
            return Claim.objects.none()
        project = request_project(self.request)
        return selectors.claims_for_analysis(
            self.request.user, include_pending=self.include_pending, project=project, layer=self.layer
        )

    def dispatch(self, request, *args, **kwargs):
        # The answer rendered inside the pause too: its JSON walks the same rows.
        with collector_paused():
            response = super().dispatch(request, *args, **kwargs)
            return response.render() if isinstance(response, Response) else response

    def rows(self, **link_options):
        self.include_pending = parse_include_pending(self.request.query_params)
        project = request_project(self.request)
        # Pending asked for: the papers under a closed round, read once for the claims and the links.
        self.layer = selectors.curated_layer(project) if self.include_pending else None
        claims = self.filter_queryset(self.get_queryset())
        links = selectors.links_for_analysis(
            self.request.user, include_pending=self.include_pending, project=project, layer=self.layer
        )
        return selectors.discourse_rows(claims, links, **link_options)


class ClaimPairOut(serializers.Serializer):
    """One pair of claims in compare/'s `agreements` or `disagreements` (documentation only)."""

    claims = serializers.ListField(
        child=serializers.CharField(), min_length=2, max_length=2, help_text="The two claim ids, a and b."
    )
    reasons = serializers.ListField(
        child=serializers.DictField(),
        help_text="Every reason the pair is listed: `{kind: link, relation, link, source, status}` per link "
        "between them (`source`: the claim the link starts from), then at most one `{kind: stance, tags, "
        "stances}`: the tags (codebook order) on which their stances match, `stances[tag]` = [stance of a, "
        "stance of b].",
    )
    pending = serializers.BooleanField(help_text="A claim or a link of the pair is pending.")


def compare_schema():
    """The shape of the compare/ answer, for the OpenAPI schema (the view builds plain dicts)."""
    cell = inline_serializer(
        "StanceCell",
        fields={
            "affirms": serializers.IntegerField(),
            "denies": serializers.IntegerField(),
            "qualifies": serializers.IntegerField(),
            "total": serializers.IntegerField(help_text="The actor's own claims on the tag."),
            "balance": serializers.FloatField(allow_null=True, help_text="(affirms - denies) / total."),
            "claims": serializers.ListField(child=serializers.CharField()),
            "reports": serializers.IntegerField(help_text="Claims the actor reports in someone else's voice."),
            "reported": serializers.ListField(child=serializers.CharField()),
            "pending": serializers.IntegerField(help_text="Pending claims among claims and reported."),
        },
    )
    return inline_serializer(
        "Comparison",
        fields={
            "by": serializers.ChoiceField(choices=discourse.BY),
            "counting": serializers.CharField(help_text="How the actors are counted under `by`, in one line."),
            "counted": serializers.ListField(
                child=serializers.CharField(), help_text="The statuses counted: approved, and pending with include."
            ),
            "columns": inline_serializer(
                "StanceColumn",
                fields={
                    "key": serializers.CharField(),
                    "label": serializers.CharField(),
                    "claims": serializers.IntegerField(),
                    "reports": serializers.IntegerField(),
                },
                many=True,
            ),
            "rows": inline_serializer(
                "StanceRow",
                fields={
                    "tag": serializers.CharField(),
                    "name": serializers.CharField(),
                    "colour": serializers.CharField(),
                    "parent": serializers.CharField(allow_null=True),
                    "total": serializers.IntegerField(),
                    "reports": serializers.IntegerField(),
                    "contested": serializers.BooleanField(),
                    "cells": serializers.ListField(child=cell, help_text="One per column, in column order."),
                },
                many=True,
            ),
            "excluded": serializers.IntegerField(help_text="Claims in no cell: no tag of the codebook."),
            "disagreements": ClaimPairOut(
                many=True, help_text="Pairs of claims that disagree: `conflicts` links, opposite stances."
            ),
            "disagreements_total": serializers.IntegerField(),
            "agreements": ClaimPairOut(
                many=True, help_text="Pairs of claims that agree: `supports`/`restates` links, the same stance."
            ),
            "agreements_total": serializers.IntegerField(),
            "claims": serializers.DictField(
                child=serializers.DictField(),
                help_text="Claim id -> `{id, paper, authors, speaker, actors, reported, stance, stances, status, "
                "tags, exact, statement}` for every id used above; `stances[tag]` is its stance on each of its tags.",
            ),
        },
    )


def counted_statuses(include_pending: bool) -> list[str]:
    return [str(status) for status in selectors.analysis_statuses(include_pending=include_pending)]


class MapView(FilteredClaims):
    @extend_schema(
        operation_id="map",
        filters=True,
        parameters=[
            INCLUDE_PARAMETER,
            PROJECT_PARAMETER,
            OpenApiParameter(
                "relation",
                str,
                description="Only edges of these relations (comma-separated): supports, conflicts, restates.",
            ),
            OpenApiParameter(
                "unlinked",
                str,
                enum=["keep", "hide"],
                description="`keep` (default): every claim that passes the filters; `hide`: only the claims at an end "
                "of a link drawn (what a relation or tag filter is asked for, on the /map/ page).",
            ),
            OpenApiParameter(
                "shape",
                str,
                enum=list(MAP_SHAPES),
                description="`full` (default): the documented nodes and edges. `compact`: the /map/ page's first "
                "payload, about a fifth of the size: tables of papers, tags and speakers, claims as rows "
                f"`[id, paper, stance, status, tags, speaker, label]` (label: the statement cut to "
                f"{discourse.LABEL_LENGTH} code points, no quote) and links as rows `[source, target, relation, "
                "status]` of indexes; the quote and the statement come from `claims/{id}/`. See docs/discourse.md.",
            ),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="`{nodes, edges, counted}`")},
    )
    def get(self, request):
        """The argument map: the claims counted that pass the filters as nodes, the links counted between them as
        edges. With `status`, the edges are filtered by the same status as the nodes.

        Node: `id, paper, authors, speaker, stance, status, tags, exact, statement`.
        Edge: `id, source, target, relation, status` (source and target are node ids).
        `counted`: the statuses counted (`["approved"]`, or `["approved", "pending"]` with `include=pending`).

        `unlinked=hide` keeps only the claims at an end of a drawn link; `shape=compact` answers the compact
        shape (see the parameter).

        Counts approved claims and links by default; `include=pending` adds pending ones; rejected, orphaned
        and deleted material never counts.
        """
        relations = parse_list(request, "relation", list(Link.Relation.values), "relation")
        shape = parse_choice(request, "shape", MAP_SHAPES)
        unlinked = parse_choice(request, "unlinked", ("keep", "hide"))
        claims, links = self.rows(relations=relations, link_status=request.query_params.get("status") or None)
        if unlinked == "hide":
            claims = discourse.linked_only(claims, links)
        drawn = discourse.compact_map(claims, links) if shape == "compact" else discourse.full_map(claims, links)
        return Response({**drawn, "counted": counted_statuses(self.include_pending)})


class CompareView(FilteredClaims):
    @extend_schema(
        operation_id="compare",
        filters=True,
        parameters=[
            BY_PARAMETER,
            INCLUDE_PARAMETER,
            PROJECT_PARAMETER,
            OpenApiParameter(
                "limit",
                int,
                description=f"How many agreements and how many disagreements to list (default 500, at most "
                f"{MAX_PAIRS}); the totals count them all.",
            ),
        ],
        responses={200: compare_schema()},
    )
    def get(self, request):
        """The stance matrix, and the pairs of claims that disagree and that agree.

        A row per codebook tag, a column per actor (see `by`; `counting` says how, in one line). Each cell:
        the actor's own claims per stance (`affirms, denies, qualifies, total`, ids in `claims`), `balance` =
        (affirms - denies) / total (null without claims of its own), and apart the claims the actor *reports*
        in someone else's voice (`reports`, ids in `reported`), which never weigh in the balance; `pending`
        counts the pending claims in the cell. A claim counts under the tags it carries (not their parents),
        once for each of its actors. A row is `contested` when one column leans to affirming and another to
        denying.

        `disagreements` and `agreements` list pairs of claims by different actors (no actor in common; reports
        left out), each pair ONCE with every reason: `conflicts` links and opposite stances (affirms vs denies)
        on tags both carry make a disagreement; `supports`/`restates` links and the same stance make an
        agreement. `disagreements_total` and `agreements_total` count the pairs. `claims` gives, for every
        claim id used, its quote (`exact`), statement, paper, authors, speaker, actors and status.

        Counts approved claims and links by default (`counted` says which statuses); `include=pending` adds
        pending ones; rejected, orphaned and deleted material never counts, whatever the role.
        """
        by = parse_by(request)
        limit = whole_number(request.query_params.get("limit", "500"), maximum=MAX_PAIRS)
        if limit is None:
            raise ValidationError({"limit": [f"Give limit as a whole number from 0 to {MAX_PAIRS}."]})
        claims, links = self.rows()
        tags = selectors.codebook_rows(request_project(request))
        matrix = discourse.stance_matrix(claims, tags, by)
        against, against_total = discourse.disagreements(claims, links, tags, by, limit=limit)
        along, along_total = discourse.agreements(claims, links, tags, by, limit=limit)
        attributed = discourse.attribution(claims, by)
        used = {
            claim_id
            for row in matrix["rows"]
            for cell in row["cells"]
            for claim_id in (*cell["claims"], *cell["reported"])
        }
        used |= {claim_id for pair in (*against, *along) for claim_id in pair["claims"]}
        summaries = {c.id: claim_summary(c, attributed[c.id]) for c in claims if c.id in used}
        return Response(
            {
                **matrix,
                "counting": discourse.COUNTING[by],
                "counted": counted_statuses(self.include_pending),
                "disagreements": against,
                "disagreements_total": against_total,
                "agreements": along,
                "agreements_total": along_total,
                "claims": summaries,
            }
        )


class NetworkExportView(FilteredClaims):
    @extend_schema(
        operation_id="export_network",
        filters=True,
        parameters=[
            BY_PARAMETER,
            INCLUDE_PARAMETER,
            PROJECT_PARAMETER,
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
        links between their claims; weight = opposed tags + conflict links). Claims reported in someone else's
        voice tie nobody (actor nodes count them in `reports`), except with `by=speaker`. See
        `annotations/discourse.py`.

        Counts approved claims and links by default; `include=pending` adds pending ones; rejected, orphaned
        and deleted material never counts. The graph's `description` says what was counted.
        """
        if kind not in discourse.NETWORKS:
            raise NotFound(f'Unknown network "{kind}": use {", ".join(discourse.NETWORKS)}.')
        if fmt not in presenters.CONTENT_TYPES:
            raise NotFound(f'Unknown format "{fmt}": use graphml or csv.')
        by = parse_by(request)
        claims, links = self.rows(relations=[Link.Relation.CONFLICTS])
        network = discourse.network(kind, claims, links, selectors.codebook_rows(request_project(request)), by)
        network.description += discourse.counted_note(counted_statuses(self.include_pending))
        response = HttpResponse(presenters.render(network, fmt), content_type=presenters.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="sco-claims-{kind}-by-{by}.{fmt}"'
        return response
