"""The suggestions API: passages for a claim (`/api/v1/claims/{id}/suggestions/`, accept, reject) and links
between existing claims (`/api/v1/links/suggestions/`, accept, reject). Thin: selectors read, services write."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.permissions import AnnotatorOrReadOnly
from annotations.api.scoping import PROJECT_PARAMETER, named_project, request_project
from annotations.api.serializers.items import ClaimOut, LinkOut
from annotations.models import Link
from annotations.parsing import whole_number
from annotations.selectors import claim_lookup, link_ends, link_lookup, papers_readable
from annotations.suggest import ModelUnavailable

from . import links, selectors, services
from .indexing import IndexNotReady
from .models import Relation, SuggestionOrigin

K_PARAMETER = OpenApiParameter(
    "k", int, description=f"How many suggestions (1 to {selectors.MAX_K}; default 10).", required=False
)


def _k(request) -> int:
    k = whole_number(request.query_params.get("k", "10"), maximum=selectors.MAX_K)
    if not k:
        raise serializers.ValidationError({"k": [f"A whole number from 1 to {selectors.MAX_K}."]})
    return k


def _valid(serializer_class: type[serializers.Serializer], request) -> dict:
    """The request's body as `serializer_class` validates it; else a 400 naming the fields."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class PassageSuggestionOut(serializers.Serializer):
    paper = serializers.CharField(help_text="The paper's slug.")
    start = serializers.IntegerField(help_text="Code point offset of the passage in the paper's text.")
    end = serializers.IntegerField(help_text="Code point offset, exclusive.")
    exact = serializers.CharField(help_text="text[start:end], verbatim.")
    score = serializers.FloatField(help_text="The ranking's score: higher is better, comparable within one list.")
    relation = serializers.ChoiceField(
        choices=Relation.choices, allow_null=True, help_text="same, opposite, or null when unsure."
    )
    claim = serializers.UUIDField(allow_null=True, help_text="An existing claim (that you may see) on the passage.")


class PassageSuggestionsOut(serializers.Serializer):
    claim = serializers.UUIDField()
    method = serializers.CharField(help_text="The method and version that ranked the passages.")
    results = PassageSuggestionOut(many=True)


class PassageIn(serializers.Serializer):
    paper = serializers.CharField(help_text="The passage's paper (slug).")
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)


class PassageAcceptIn(PassageIn):
    relation = serializers.ChoiceField(choices=Relation.choices, help_text="What the passage says of the claim.")
    statement = serializers.CharField(
        required=False, allow_blank=True, help_text="The new claim's statement (default: the claim's for same, the "
        "passage's words for opposite).",
    )  # fmt: skip
    claim = serializers.UUIDField(
        required=False, allow_null=True, help_text="An existing claim on the passage: only the link is made."
    )
    score = serializers.FloatField(required=False, allow_null=True, help_text="The suggestion's score, recorded.")


class OriginOut(serializers.Serializer):
    kind = serializers.CharField()
    method = serializers.CharField()
    method_version = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    relation = serializers.CharField()
    accepted_by = serializers.CharField(source="accepted_by.username")
    accepted_at = serializers.DateTimeField()


class PassageAcceptOut(serializers.Serializer):
    claim = ClaimOut()
    link = LinkOut()
    origin = OriginOut(help_text="The provenance recorded with them.")


class JudgementOut(serializers.Serializer):
    detail = serializers.CharField()


class ModelMissing(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Suggestions are unavailable: the sentence model is not installed on the server."


class NotReady(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Suggestions are being prepared for this project; try again shortly."
    wait = 30  # seconds: DRF's handler sends it as Retry-After


class ClaimSuggestionsView(APIView):
    permission_classes = [AnnotatorOrReadOnly]

    @extend_schema(parameters=[K_PARAMETER], responses={200: PassageSuggestionsOut, 503: JudgementOut})
    def get(self, request, pk):
        """Passages in papers by other authors of the claim's project that likely say the same or the opposite."""
        claim = selectors.claim_for_suggestions(request.user, pk)
        k = _k(request)
        try:
            results = selectors.passage_suggestions(request.user, claim, k)
        except ModelUnavailable as error:
            raise ModelMissing(f"{ModelMissing.default_detail} ({error})") from error
        except IndexNotReady as error:
            raise NotReady(str(error)) from error
        body = {"claim": claim.pk, "method": services.method_version(), "results": results}
        return Response(PassageSuggestionsOut(body).data)


def _passage_of(request, claim, data) -> tuple:
    paper = get_object_or_404(papers_readable(request.user, claim.paper.project), slug=data["paper"])
    return paper, data["start"], data["end"]


class ClaimSuggestionAcceptView(APIView):
    permission_classes = [AnnotatorOrReadOnly]

    @extend_schema(request=PassageAcceptIn, responses={201: PassageAcceptOut})
    def post(self, request, pk):
        """Make the passage a pending claim (the claim's tags, stances by the relation) and a pending link to
        this claim (same: supports, opposite: conflicts), with provenance; or only the link, to `claim`."""
        claim = selectors.claim_for_suggestions(request.user, pk)
        values = _valid(PassageAcceptIn, request)
        paper, start, end = _passage_of(request, claim, values)
        existing = None
        if values.get("claim"):
            existing = selectors.claim_for_suggestions(request.user, values["claim"])
        new, link = services.passage_accept(
            claim=claim, paper=paper, start=start, end=end, relation=values["relation"], by=request.user,
            statement=values.get("statement", ""), existing=existing, score=values.get("score"),
        )  # fmt: skip
        new = claim_lookup(request.user).get(pk=new.pk)
        link = link_lookup(request.user).get(pk=link.pk)
        context = {"request": request}
        origin = SuggestionOrigin.objects.select_related("accepted_by").get(link=link)
        body = {
            "claim": ClaimOut(new, context=context).data,
            "link": LinkOut(link, context=context).data,
            "origin": OriginOut(origin).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ClaimSuggestionRejectView(APIView):
    permission_classes = [AnnotatorOrReadOnly]

    @extend_schema(request=PassageIn, responses={200: JudgementOut})
    def post(self, request, pk):
        """Remember the passage as not relevant to this claim: it is never suggested for it again."""
        claim = selectors.claim_for_suggestions(request.user, pk)
        paper, start, end = _passage_of(request, claim, _valid(PassageIn, request))
        services.passage_reject(claim=claim, paper=paper, start=start, end=end, by=request.user)
        return Response({"detail": "Not relevant: it will not be suggested for this claim again."})


class SuggestedClaimOut(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    paper = serializers.CharField(source="paper.slug")
    exact = serializers.CharField()
    statement = serializers.CharField()
    status = serializers.CharField()


class LinkSuggestionOut(serializers.Serializer):
    source = SuggestedClaimOut()
    target = SuggestedClaimOut()
    relation = serializers.ChoiceField(choices=Link.Relation.choices, help_text="The relation suggested.")
    score = serializers.FloatField()
    why = serializers.ListField(
        child=serializers.CharField(), help_text="Shared tags, opposite stance, similar wording: what suggested it."
    )


class LinkSuggestionsOut(serializers.Serializer):
    project = serializers.CharField()
    method = serializers.CharField()
    results = LinkSuggestionOut(many=True)


class PairIn(serializers.Serializer):
    source = serializers.UUIDField()
    target = serializers.UUIDField()


class PairAcceptIn(PairIn):
    relation = serializers.ChoiceField(choices=Link.Relation.choices)
    score = serializers.FloatField(required=False, allow_null=True)


def _pair_of(request, data) -> tuple:
    """The two claims, if the user may see them (in the project named, if one is); else a 400 naming the field."""
    ids = {data["source"], data["target"]}
    ends = {claim.pk: claim for claim in link_ends(request.user, ids, project=named_project(request))}
    for field in ("source", "target"):
        if data[field] not in ends:
            raise serializers.ValidationError({field: [f'Unknown claim "{data[field]}".']})
    return ends[data["source"]], ends[data["target"]]


class LinkSuggestionsView(APIView):
    permission_classes = [AnnotatorOrReadOnly]

    @extend_schema(parameters=[PROJECT_PARAMETER, K_PARAMETER], responses={200: LinkSuggestionsOut, 503: JudgementOut})
    def get(self, request):
        """Pairs of claims by different authors, not linked nor judged yet, with a relation and why."""
        project = request_project(request)
        k = _k(request)
        try:
            found = links.link_suggestions(request.user, project, k)
        except ModelUnavailable as error:
            raise ModelMissing(f"{ModelMissing.default_detail} ({error})") from error
        body = {"project": project.slug, "method": services.method_version(), "results": found}
        return Response(LinkSuggestionsOut(body).data)


class LinkSuggestionAcceptView(APIView):
    permission_classes = [AnnotatorOrReadOnly]

    @extend_schema(request=PairAcceptIn, responses={201: LinkOut}, parameters=[PROJECT_PARAMETER])
    def post(self, request):
        """A pending link from source to target with the relation given, with provenance."""
        values = _valid(PairAcceptIn, request)
        source, target = _pair_of(request, values)
        link = services.link_suggestion_accept(
            source=source, target=target, relation=values["relation"], by=request.user, score=values.get("score")
        )
        link = link_lookup(request.user).get(pk=link.pk)
        return Response(LinkOut(link, context={"request": request}).data, status=status.HTTP_201_CREATED)


class LinkSuggestionRejectView(APIView):
    permission_classes = [AnnotatorOrReadOnly]

    @extend_schema(request=PairIn, responses={200: JudgementOut}, parameters=[PROJECT_PARAMETER])
    def post(self, request):
        """Remember that these two claims are not to be linked: the pair is never suggested again."""
        source, target = _pair_of(request, _valid(PairIn, request))
        services.link_suggestion_reject(source=source, target=target, by=request.user)
        return Response({"detail": "Not to be linked: this pair will not be suggested again."})
