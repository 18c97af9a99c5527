"""API views: parse, call one service or selector, shape the output."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from .. import history, roles, selectors, services
from ..middleware import lockout_response
from ..models import Author, Claim, Link, Paper
from . import serializers as s
from .authentication import token_for
from .filters import ClaimFilter, LinkFilter
from .paper_metadata import PaperMetadataMixin
from .permissions import AnnotatorOrReadOnly, Moderator, ModeratorToRestore, Reviser
from .scoping import PROJECT_PARAMETER, named_project, request_project
from .uploads import PaperUploadMixin

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
conflict = OpenApiResponse(description="The version given is stale: `{detail, current_version}`; nothing was written.")
deleted_param = OpenApiParameter(
    "deleted",
    OpenApiTypes.BOOL,
    description="Moderators only (others get 403): `true` lists the deleted items instead of the live ones.",
)


def wants_deleted(request, project) -> bool:
    """`?deleted=true` asks for the deleted items: the project's moderators only, anyone else is refused with 403."""
    value = request.query_params.get("deleted", "").strip().lower()
    if value in ("", "false", "0", "no"):
        return False
    if value not in ("true", "1", "yes"):
        raise ValidationError({"deleted": [f'Give deleted as true or false, not "{value}".']})
    if not roles.can_moderate(request.user, project):
        raise PermissionDenied("Only moderators can see deleted items.")
    return True


class ModeratedViewSetMixin:
    """What claims and links share: deleted items for moderators, restore and history."""

    # Also edit, delete and moderate: each through the services named by `noun` (claim_update, link_moderate,
    # ...). This docstring is the schema's description of the viewsets' operations; each viewset states its
    # shapes for the schema with moderated_schema.

    model: type[Claim] | type[Link]
    input_serializer: type  # the create's shape; with partial=True, the edit's
    permission_classes = [AnnotatorOrReadOnly]
    lookup_value_regex = UUID_PATTERN

    @property
    def noun(self) -> str:
        return self.model._meta.model_name

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator: no request to scope
            return self.model.objects.none()
        if self.action == "list":
            project = request_project(self.request)
            visible = getattr(selectors, f"{self.noun}s_visible_to")
            return visible(self.request.user, deleted=wants_deleted(self.request, project), project=project)
        # One item is looked up among the deleted ones too for moderators (to see, restore or read its history),
        # in any of the user's projects (or the one named).
        return getattr(selectors, f"{self.noun}_lookup")(self.request.user, project=named_project(self.request))

    def _run(self, action: str, item, **arguments):
        command = getattr(services, f"{self.noun}_{action}")
        return command(**{f"{self.noun}_id": item.pk}, by=self.request.user, **arguments)

    def _answer(self, item) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    def _with(self, serializer: type, request, item=None, partial: bool = False) -> dict:
        # An edit's tags are read in the item's project.
        context = {} if item is None else {"project": roles.project_id_of(item)}
        data = serializer(data=request.data, partial=partial, context=context)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def partial_update(self, request, pk=None):
        item = self.get_object()
        changes = self._with(self.input_serializer, request, item, partial=True)
        self._run("update", item, version=changes.pop("version"), **changes)
        return self._answer(item)

    def perform_destroy(self, instance):
        self._run("delete", instance)

    @action(detail=True, methods=["post"], permission_classes=[Moderator])
    def moderate(self, request, pk=None):
        item = self.get_object()
        self._run("moderate", item, **self._with(s.ModerationIn, request))
        return self._answer(item)

    @action(detail=True, methods=["post"], permission_classes=[ModeratorToRestore])
    def restore(self, request, pk=None):
        item = self.get_object()
        self._run("restore", item, **self._with(s.RestoreIn, request))
        return self._answer(item)

    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, pk=None):
        item = self.get_object()
        entries = history.entries(selectors.history_of(item), self.model)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(s.HistoryEntryOut(page, many=True).data)


class ModeratedViewSet(
    ModeratedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """What claims and links share: deleted items for moderators, restore and history."""


def moderated_schema(noun: str, out: type, given: type, restore_note: str):
    """The schema of a moderated viewset's shared operations, in the words of its noun. drf-spectacular
    reads the input serializer as partial for PATCH, under its own component name (`Patched<Name>Request`)."""
    return extend_schema_view(
        list=extend_schema(parameters=[deleted_param, PROJECT_PARAMETER]),
        retrieve=extend_schema(parameters=[PROJECT_PARAMETER]),
        partial_update=extend_schema(request=given, responses={200: out, 409: conflict}),
        moderate=extend_schema(
            request=s.ModerationIn,
            responses=out,
            description=f"Approve, reject (with a reason) or reopen a {noun} (moderators).",
        ),
        restore=extend_schema(request=s.RestoreIn, responses=out, description=restore_note),
        history=extend_schema(
            responses=s.HistoryEntryOut(many=True),
            filters=False,
            description=f"Who did what to this {noun} and when, newest first: each field changed from what to what.",
        ),
    )


class TokenView(ObtainAuthToken):
    """`{"username", "password"}` → `{"token"}`; throttled per client IP (scope `token`) against password guessing.
    The same token while it lives; a new one once it has expired (TOKEN_TTL after its last use)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # django-axes flags the DRF request, which its middleware does not see: answer its 429 here,
            # rather than "wrong password" to a locked-out username (even when the password is right).
            if getattr(request, "axes_locked_out", False):
                request._request.axes_locked_by_address = getattr(request, "axes_locked_by_address", False)
                return lockout_response(request._request, None, None)
            raise
        return Response({"token": token_for(serializer.validated_data["user"]).key})


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_PARAMETER]), retrieve=extend_schema(parameters=[PROJECT_PARAMETER])
)
class PaperViewSet(PaperUploadMixin, PaperMetadataMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Paper.objects.none()
        if self.action == "list":
            return selectors.papers_list(request_project(self.request))
        return selectors.paper_detail(self.request.user, named_project(self.request))

    def _paper(self, slug: str, *, fields: tuple[str, ...] = ()) -> Paper:
        """The paper named in the URL, in the user's projects (or the one named); another project's is a 404."""
        papers = selectors.papers_readable(self.request.user, named_project(self.request))
        return get_object_or_404(papers.only("id", "slug", "project_id", *fields) if fields else papers, slug=slug)

    def get_serializer_class(self):
        return s.PaperDetailOut if self.action == "retrieve" else s.PaperOut

    @extend_schema(responses=s.ClaimOut(many=True), filters=True)
    @action(detail=True, methods=["get"])
    def claims(self, request, slug=None):
        """The visible claims placed in this paper, in text order."""
        paper = self._paper(slug, fields=("slug",))
        request.sco_project = paper.project_id
        queryset = self.filter_queryset(selectors.claims_in_paper(request.user, paper))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.ClaimOut(page, many=True, context=self.get_serializer_context()).data)

    def filter_queryset(self, queryset):
        if self.action == "claims":
            return ClaimFilter(self.request.query_params, queryset=queryset, request=self.request).qs
        if self.action in ("revisions", "revision"):
            return queryset
        return super().filter_queryset(queryset)

    # --- Revisions ---

    @extend_schema(methods=["GET"], responses=s.RevisionOut(many=True))
    @extend_schema(methods=["POST"], request=s.RevisionIn, responses={201: s.RevisionDetailOut})
    @action(detail=True, methods=["get", "post"], permission_classes=[Reviser])
    def revisions(self, request, slug=None):
        """(moderator) GET: the paper's revisions, newest first, with their reports (not their texts); the
        reports count every claim, pending, rejected and deleted ones too, so they are for moderators only.
        POST: replace the text; the claims on it are re-anchored in the same transaction."""
        paper = self._paper(slug)
        self.check_object_permissions(request, paper)
        if request.method == "POST":
            data = s.RevisionIn(data=request.data)
            data.is_valid(raise_exception=True)
            revision = services.paper_revise(paper=paper, by=request.user, **data.validated_data)
            revision = selectors.revision_detail(paper).get(pk=revision.pk)
            return Response(s.RevisionDetailOut(revision).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.revisions_of(paper))
        return self.get_paginated_response(s.RevisionOut(page, many=True).data)

    @extend_schema(responses=s.RevisionWithTextOut)
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]+)", permission_classes=[Reviser])
    def revision(self, request, slug=None, number=None):
        """(moderator) One revision with the text it replaced and the claims moved fuzzily or orphaned."""
        paper = self._paper(slug)
        self.check_object_permissions(request, paper)
        revision = get_object_or_404(selectors.revision_detail(paper), number=int(number))
        return Response(s.RevisionWithTextOut(revision).data)


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_PARAMETER]), retrieve=extend_schema(parameters=[PROJECT_PARAMETER])
)
class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AuthorOut
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Author.objects.none()
        if self.action == "list":
            return selectors.authors_list(request_project(self.request))
        project = named_project(self.request)
        ids = roles.readable_project_ids(self.request.user) if project is None else [project.pk]
        authors = selectors.authors_list()
        return authors if ids is None else authors.filter(project_id__in=ids)


@moderated_schema("claim", s.ClaimOut, s.ClaimIn, "Bring a deleted claim back, as it was (moderators).")
class ClaimViewSet(ModeratedViewSet):
    model = Claim
    serializer_class = s.ClaimOut
    input_serializer = s.ClaimIn
    filterset_class = ClaimFilter

    @extend_schema(request=s.ClaimIn, responses={201: s.ClaimOut}, parameters=[PROJECT_PARAMETER])
    def create(self, request):
        # The paper gives the project; a `project` named too must be the paper's.
        project = named_project(request)
        papers = selectors.papers_readable(request.user, project)
        ids = [project.pk] if project is not None else roles.readable_project_ids(request.user)
        data = s.ClaimIn(data=request.data, context={"papers": papers, "project_ids": ids})
        data.is_valid(raise_exception=True)
        claim = services.claim_create(created_by=request.user, **data.validated_data)
        # The claim in hand is what was written, its paper, author and codings included: nothing is read back.
        return Response(self.get_serializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PlaceIn, responses={200: s.ClaimOut, 409: conflict})
    @action(detail=True, methods=["post"], permission_classes=[Reviser])
    def place(self, request, pk=None):
        """(moderator) Place a claim again by hand, e.g. one a revision orphaned."""
        claim = self.get_object()
        data = s.PlaceIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.claim_place(claim_id=claim.pk, by=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)


@moderated_schema(
    "link", s.LinkOut, s.LinkIn, "Bring a deleted link back (moderators), unless one of its claims is deleted."
)
class LinkViewSet(ModeratedViewSet):
    model = Link
    serializer_class = s.LinkOut
    input_serializer = s.LinkIn
    filterset_class = LinkFilter

    def _visible_ends(self, values: dict) -> None:
        """Replace the ids of source and target by the claims, read in one query; unknown to this user (in the
        project named, if one is): a 400."""
        ids = {values["source"], values["target"]}
        project = named_project(self.request)
        ends = {claim.pk: claim for claim in selectors.link_ends(self.request.user, ids, project=project)}
        for field in ("source", "target"):
            if values[field] not in ends:
                raise ValidationError({field: [f'Unknown claim "{values[field]}".']})
            values[field] = ends[values[field]]

    @extend_schema(request=s.LinkIn, responses={201: s.LinkOut}, parameters=[PROJECT_PARAMETER])
    def create(self, request):
        data = s.LinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        self._visible_ends(values)
        link = services.link_create(created_by=request.user, **values)
        # The link in hand is what was written, its ends and author included: nothing is read back.
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)
