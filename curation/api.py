"""The curation API: a paper's aligned versions (`GET papers/{slug}/curation/`) and the four decisions on a unit
(`POST papers/{slug}/curation/{accept,merge,edit,reject}/`), for moderators and owners of the paper's project.
Thin: parse, call one service or selector, shape. The contract is in docs/agreement.md (Curation)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import roles, selectors
from annotations.api.pagination import Pagination
from annotations.api.permissions import HasRole
from annotations.api.serializers.fields import RefusesControlCharacters, TargetIn
from annotations.errors import PermissionDenied
from annotations.models import Paper, Stance

from . import services
from .models import CurationAction
from .selectors import curation_units, decision_data, with_links

REFUSED = {
    403: OpenApiResponse(description="Not a moderator or owner of the paper's project."),
    404: OpenApiResponse(description="No such paper in your projects."),
}


def curated_paper(request, slug: str) -> Paper:
    """The paper, in the user's projects (else a 404), if they moderate its project (else a 403)."""
    paper = get_object_or_404(selectors.paper_detail(request.user).select_related("project"), slug=slug)
    if not roles.can_moderate(request.user, paper):
        raise PermissionDenied(services.REFUSED)
    return paper


class CurationDecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=CurationAction.choices)
    by = serializers.CharField()
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    sources = serializers.DictField(help_text="Part of the claim (quote, statement, tags, speaker) -> version id.")
    result = serializers.DictField(allow_null=True, help_text="The approved claim: id, exact, statement, status.")


class CurationUnitDecisionIn(RefusesControlCharacters, serializers.Serializer):
    versions = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, help_text="The ids of the unit's versions (analysts' claims)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CurationAcceptIn(CurationUnitDecisionIn):
    keep = serializers.UUIDField(help_text="The version kept as it is (approved); the others are rejected.")


class CurationMergeIn(CurationUnitDecisionIn):
    quote = serializers.UUIDField(help_text="The version whose quote (span) the curated claim takes.")
    statement = serializers.UUIDField(required=False, help_text="Default: the quote's version.")
    tags = serializers.UUIDField(required=False, help_text="Its tags with their stances. Default: the quote's.")
    speaker = serializers.UUIDField(required=False, help_text="Default: the quote's version.")
    links = serializers.UUIDField(required=False, help_text="The version whose links are kept. Default: the quote's.")


class CurationCodingIn(serializers.Serializer):
    tag = serializers.SlugField()
    stance = serializers.ChoiceField(choices=Stance.values)


class CurationEditIn(CurationUnitDecisionIn):
    base = serializers.UUIDField(help_text="The version the curated claim starts from.")
    statement = serializers.CharField(required=False)
    speaker = serializers.CharField(required=False, allow_blank=True)
    tags = CurationCodingIn(many=True, required=False)
    target = TargetIn(required=False, help_text="A new quote, as a claim's target.")


class CurationRejectIn(CurationUnitDecisionIn):
    reason = serializers.CharField(help_text="Why every version is rejected (the analysts see it).")


class CurationCodingOut(serializers.Serializer):
    tag = serializers.CharField()
    stance = serializers.CharField()


class CurationLinkEndOut(serializers.Serializer):
    id = serializers.UUIDField()
    paper = serializers.CharField()
    exact = serializers.CharField()


class CurationVersionLinkOut(serializers.Serializer):
    id = serializers.UUIDField()
    relation = serializers.CharField()
    direction = serializers.ChoiceField(choices=["to", "from"])
    status = serializers.CharField()
    other = CurationLinkEndOut(help_text="The claim at the other end.")


class CurationVersionOut(serializers.Serializer):
    id = serializers.UUIDField()
    coder = serializers.CharField(help_text="The analyst's username.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    exact = serializers.CharField()
    statement = serializers.CharField()
    speaker = serializers.CharField(allow_null=True)
    stance = serializers.CharField()
    codings = CurationCodingOut(many=True)
    status = serializers.CharField()
    links = CurationVersionLinkOut(many=True)


class CurationUnitOut(serializers.Serializer):
    key = serializers.UUIDField(help_text="The unit's smallest version id: stable while its versions are.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    versions = serializers.DictField(child=CurationVersionOut(), help_text="Analyst's username -> their version.")
    decision = CurationDecisionOut(allow_null=True, help_text="Null while undecided.")


class CurationCountsOut(serializers.Serializer):
    units = serializers.IntegerField(help_text="Every unit of the paper, whatever the page or `show`.")
    decided = serializers.IntegerField()


class CurationBoardOut(serializers.Serializer):
    count = serializers.IntegerField(help_text="The units listed (every unit, or the undecided ones), all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    paper = serializers.CharField()
    coders = serializers.ListField(child=serializers.CharField(), help_text="The analysts whose versions are shown.")
    counts = CurationCountsOut()
    results = CurationUnitOut(many=True, help_text="This page's units, in text order.")


class CurationBoard(APIView):
    permission_classes = [HasRole]
    pagination_class = Pagination

    @extend_schema(
        operation_id="papers_curation_retrieve",
        description="(moderators of the paper's project) The analysts' versions of the paper's claims aligned into "
        "units (claims of different analysts whose Jaccard overlap is at least 0.5), in text order, each with "
        "the decision taken on it, paged like every list of the API (`?page=`, `?page_size=` 1 to 1,000, 50 by "
        "default); `?show=undecided` lists the undecided units alone.",
        parameters=[
            OpenApiParameter("page", int, description="A page number (from 1)."),
            OpenApiParameter("page_size", int, description="Units per page, 1 to 1,000 (default 50)."),
            OpenApiParameter("show", str, enum=["undecided"], description="Only the units not decided yet."),
        ],
        responses={200: CurationBoardOut, **REFUSED},
    )
    def get(self, request, slug: str):
        board = curation_units(curated_paper(request, slug))
        units = board["units"]
        if request.query_params.get("show") == "undecided":
            units = [unit for unit in units if unit["decision"] is None]
        paginator = self.pagination_class()
        page = with_links(paginator.paginate_queryset(units, request, view=self))
        return Response(
            {
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "paper": board["paper"],
                "coders": board["coders"],
                "counts": board["counts"],
                "results": page,
            }
        )


class Decide(APIView):
    """A decision on one unit; its service names which one."""

    permission_classes = [HasRole]
    input_class: type[CurationUnitDecisionIn] = CurationUnitDecisionIn

    def command(self, paper: Paper, by, data: dict):
        raise NotImplementedError

    def post(self, request, slug: str):
        paper = curated_paper(request, slug)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        curation = self.command(paper, request.user, dict(data.validated_data))
        return Response(CurationDecisionOut(decision_data(curation)).data, status=status.HTTP_201_CREATED)


def _schema(input_class, description: str):
    return extend_schema(request=input_class, responses={201: CurationDecisionOut, **REFUSED}, description=description)


class Accept(Decide):
    input_class = CurationAcceptIn

    @_schema(CurationAcceptIn, "Keep one version as it is (approved); reject the others.")
    def post(self, request, slug: str):
        return super().post(request, slug)

    def command(self, paper, by, data):
        return services.curation_accept(paper=paper, by=by, **data)


class Merge(Decide):
    input_class = CurationMergeIn

    @_schema(
        CurationMergeIn, "A new approved claim by the curator, each part from the version named; reject the versions."
    )
    def post(self, request, slug: str):
        return super().post(request, slug)

    def command(self, paper, by, data):
        choice = {part: data.pop(part) for part in services.PARTS if part in data}
        return services.curation_merge(paper=paper, by=by, choice=choice, **data)


class Edit(Decide):
    input_class = CurationEditIn

    @_schema(
        CurationEditIn,
        "A new approved claim by the curator: a version with the parts given changed; reject the versions.",
    )
    def post(self, request, slug: str):
        return super().post(request, slug)

    def command(self, paper, by, data):
        if "tags" in data:
            data["tags"] = [(coding["tag"], coding["stance"]) for coding in data["tags"]]
        if "target" in data:
            data["target"] = dict(data["target"])
        return services.curation_edit(paper=paper, by=by, **data)


class Reject(Decide):
    input_class = CurationRejectIn

    @_schema(CurationRejectIn, "Reject every version of the unit, saying why.")
    def post(self, request, slug: str):
        return super().post(request, slug)

    def command(self, paper, by, data):
        return services.curation_reject(paper=paper, by=by, **data)
