"""The curation API: a paper's aligned versions (`GET papers/{slug}/curation/`) and the four decisions on a unit
(`POST papers/{slug}/curation/{accept,merge,edit,reject}/`), for moderators and owners of the paper's project.
Thin: parse, call one service or selector, shape. The contract is in docs/agreement.md (Curation)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import roles, selectors
from annotations.api.permissions import HasRole
from annotations.api.serializers.fields import RefusesControlCharacters, TargetIn
from annotations.errors import PermissionDenied
from annotations.models import Paper, Stance

from . import services
from .models import CurationAction
from .selectors import curation_board, decision_data

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


class DecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=CurationAction.choices)
    by = serializers.CharField()
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    sources = serializers.DictField(help_text="Part of the claim (quote, statement, tags, speaker) -> version id.")
    result = serializers.DictField(allow_null=True, help_text="The approved claim: id, exact, statement, status.")


class UnitDecisionIn(RefusesControlCharacters, serializers.Serializer):
    versions = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, help_text="The ids of the unit's versions (analysts' claims)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AcceptIn(UnitDecisionIn):
    keep = serializers.UUIDField(help_text="The version kept as it is (approved); the others are rejected.")


class CurationMergeIn(UnitDecisionIn):
    quote = serializers.UUIDField(help_text="The version whose quote (span) the curated claim takes.")
    statement = serializers.UUIDField(required=False, help_text="Default: the quote's version.")
    tags = serializers.UUIDField(required=False, help_text="Its tags with their stances. Default: the quote's.")
    speaker = serializers.UUIDField(required=False, help_text="Default: the quote's version.")
    links = serializers.UUIDField(required=False, help_text="The version whose links are kept. Default: the quote's.")


class CodingIn(serializers.Serializer):
    tag = serializers.SlugField()
    stance = serializers.ChoiceField(choices=Stance.values)


class EditIn(UnitDecisionIn):
    base = serializers.UUIDField(help_text="The version the curated claim starts from.")
    statement = serializers.CharField(required=False)
    speaker = serializers.CharField(required=False, allow_blank=True)
    tags = CodingIn(many=True, required=False)
    target = TargetIn(required=False, help_text="A new quote, as a claim's target.")


class CurationRejectIn(UnitDecisionIn):
    reason = serializers.CharField(help_text="Why every version is rejected (the analysts see it).")


class CurationBoard(APIView):
    permission_classes = [HasRole]

    @extend_schema(
        operation_id="papers_curation_retrieve",
        description="(moderators of the paper's project) The analysts' versions of the paper's claims aligned into "
        "units (claims of different analysts whose Jaccard overlap is at least 0.5), in text order, each with "
        "the decision taken on it: `{paper, coders, units: [{key, start, end, versions: {coder: version}, "
        "decision}], counts: {units, decided}}`.",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **REFUSED},
    )
    def get(self, request, slug: str):
        return Response(curation_board(curated_paper(request, slug)))


class Decide(APIView):
    """A decision on one unit; its service names which one."""

    permission_classes = [HasRole]
    input_class: type[UnitDecisionIn] = UnitDecisionIn

    def command(self, paper: Paper, by, data: dict):
        raise NotImplementedError

    def post(self, request, slug: str):
        paper = curated_paper(request, slug)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        curation = self.command(paper, request.user, dict(data.validated_data))
        return Response(DecisionOut(decision_data(curation)).data, status=status.HTTP_201_CREATED)


def _schema(input_class, description: str):
    return extend_schema(request=input_class, responses={201: DecisionOut, **REFUSED}, description=description)


class Accept(Decide):
    input_class = AcceptIn

    @_schema(AcceptIn, "Keep one version as it is (approved); reject the others.")
    def post(self, request, slug: str):
        return super().post(request, slug)

    def command(self, paper, by, data):
        return services.curation_accept(paper=paper, by=by, **data)


class Merge(Decide):
    input_class = CurationMergeIn

    @_schema(CurationMergeIn, "A new approved claim by the curator, each part from the version named; reject the versions.")
    def post(self, request, slug: str):
        return super().post(request, slug)

    def command(self, paper, by, data):
        choice = {part: data.pop(part) for part in services.PARTS if part in data}
        return services.curation_merge(paper=paper, by=by, choice=choice, **data)


class Edit(Decide):
    input_class = EditIn

    @_schema(
        EditIn, "A new approved claim by the curator: a version with the parts given changed; reject the versions."
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
