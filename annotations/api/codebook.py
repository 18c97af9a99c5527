"""The codebook API: tags of a project (`/tags/?project=<slug>`, the default project without it) with their
merges, proposals and history, and the codebook as a file (`/projects/<slug>/codebook/`: export and import).
Thin: the rules are in services/tags.py and services/codebook.py."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from projects import access
from projects.models import Project, ProjectRole

from .. import selectors, services
from ..exports.codebook import CODEBOOK_FORMATS, codebook_file
from ..importing import ImportRefused
from ..importing.codebook import read_codebook
from ..models import Tag
from . import serializers as s
from .exchange import TRUE
from .import_body import body_bytes
from .parsers import ImportBodyParser
from .permissions import HasRole
from .scoping import PROJECT_PARAMETER, request_project

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
merge_report = OpenApiResponse(s.MergeReportOut, description="What moved where.")


@extend_schema_view(
    list=extend_schema(
        parameters=[PROJECT_PARAMETER],
        description="The project's codebook as the user may use it: accepted tags, and the proposals the user "
        "made (moderators: every proposal).",
    ),
    retrieve=extend_schema(parameters=[PROJECT_PARAMETER]),
    create=extend_schema(
        parameters=[PROJECT_PARAMETER],
        description="Moderators add a tag; analysts propose one (`propose: true`), usable at once by them.",
    ),
    partial_update=extend_schema(
        parameters=[PROJECT_PARAMETER], description="(moderators) Rename, recolour, describe or move a tag (no loops)."
    ),
    destroy=extend_schema(
        parameters=[
            PROJECT_PARAMETER,
            OpenApiParameter("into", str, description="Merge the tag into this one instead (its codings move)."),
        ],
        description="(moderators) Delete a tag no claim is coded with and no tag sits under; one in use is "
        "refused (400 `{into}`) unless `?into=<slug>` names the tag to merge it into.",
    ),
)
class TagViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.TagSerializer
    # "Has a role" here; what each role may do in the project is checked by project_for and the services.
    permission_classes = [HasRole]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def project(self) -> Project:
        # Readers read; a write needs an analyst at least (who may only propose), before its body is read.
        writing = self.request.method not in SAFE_METHODS
        return request_project(self.request, at_least=ProjectRole.ANALYST if writing else ProjectRole.READER)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project  # noqa: B018 - the project and the role in it are checked before anything else

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a request's project
            return Tag.objects.none()
        return selectors.tags_usable_by(self.request.user, self.project).select_related("proposed_by")

    def get_serializer_context(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_serializer_context()
        return {**super().get_serializer_context(), "project": self.project}

    def perform_create(self, serializer):
        serializer.instance = services.tag_create(
            by=self.request.user, project=self.project, **serializer.validated_data
        )

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        values.pop("propose", None)
        serializer.instance = services.tag_update(tag=serializer.instance, by=self.request.user, **values)

    def destroy(self, request, *args, **kwargs):
        tag = self.get_object()
        into = request.query_params.get("into")
        if into:
            target = self._tag_named(into, "into")
            report = services.tag_merge(source=tag, into=target, by=request.user)
            return Response(s.MergeReportOut(report).data)
        services.tag_delete(tag=tag, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _tag_named(self, slug: str, field: str):
        data = s.MergeIn(data={"into": slug}, context=self.get_serializer_context())
        if not data.is_valid():
            raise ValidationError({field: data.errors["into"]})
        return data.validated_data["into"]

    def _with(self, serializer: type, request) -> dict:
        data = serializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(parameters=[PROJECT_PARAMETER], request=s.MergeIn, responses=merge_report)
    @action(detail=True, methods=["post"])
    def merge(self, request, slug=None):
        """(moderators) Move every coding of this tag to `into` (a claim that has both keeps its coding of
        `into`), move its sub-tags under `into`, and remove it; every claim touched gets a history row."""
        tag = self.get_object()
        report = services.tag_merge(source=tag, into=self._with(s.MergeIn, request)["into"], by=request.user)
        return Response(s.MergeReportOut(report).data)

    @extend_schema(parameters=[PROJECT_PARAMETER], request=None, responses=s.TagSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, slug=None):
        """(moderators) Accept a proposed tag: every analyst of the project may now use it."""
        tag = services.tag_accept(tag=self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=tag.pk)).data)

    @extend_schema(
        parameters=[PROJECT_PARAMETER],
        request=s.RejectIn,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="`{rejected, merge}`")},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, slug=None):
        """(moderators) Reject a proposed tag: removed when unused, else merged `into` the tag named."""
        tag = self.get_object()
        values = self._with(s.RejectIn, request)
        report = services.tag_reject(tag=tag, by=request.user, into=values.get("into"), reason=values.get("reason", ""))
        return Response({"rejected": tag.slug, "merge": s.MergeReportOut(report).data if report else None})


class CodebookHistoryView(ListAPIView):
    """The latest changes to a project's codebook, newest first (tags merged or deleted since included); a
    proposal's rows only for its proposer and the moderators. Not under tags/, where it would hide a tag
    named "history"."""

    serializer_class = s.TagHistoryOut
    filter_backends = []

    def get_queryset(self):
        return selectors.codebook_history(access.project_for(self.request.user, self.kwargs["slug"]), self.request.user)


FORMAT_PARAM = OpenApiParameter("format", str, enum=list(CODEBOOK_FORMATS), description="json (default), csv or qdc.")


class FormatIsTheFiles(DefaultContentNegotiation):
    """`?format=` names the codebook file's format here, not one of DRF's renderers (which would answer 404)."""

    def filter_renderers(self, renderers, format):
        return [renderer for renderer in renderers if renderer.format == format] or renderers


class CodebookView(APIView):
    """A project's codebook as a file: GET exports it (accepted tags), POST merges a file into it."""

    permission_classes = [HasRole]
    content_negotiation_class = FormatIsTheFiles
    # A file as the multipart field `file`, or the raw body (JSON, CSV or XML) read under IMPORT_MAX_SIZE.
    parser_classes = [parsers.MultiPartParser, ImportBodyParser]

    @extend_schema(
        parameters=[FORMAT_PARAM],
        description="The project's accepted tags as JSON (`{project, tags: [...]}`), CSV (slug, name, description, "
        "colour, parent) or a REFI-QDA codebook (`.qdc`, for NVivo, ATLAS.ti, MAXQDA). Parents come before "
        "their children.",
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request, slug: str):
        project = access.project_for(request.user, slug)
        # `format` is also DRF's own renderer switch; the codebook's formats are read here instead.
        kind = request.query_params.get("format") or "json"
        if kind not in CODEBOOK_FORMATS:
            raise ValidationError({"format": [f'Unknown format "{kind}": use {", ".join(CODEBOOK_FORMATS)}.']})
        content_type, filename = CODEBOOK_FORMATS[kind]
        body = codebook_file(selectors.codebook_records(project), kind=kind, project=project.slug)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{project.slug}-{filename}"'
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(CODEBOOK_FORMATS), description="Else read from the content."),
            OpenApiParameter("dry_run", bool, description="Check the file and report, without writing."),
        ],
        description="(moderators) Merge a codebook file (JSON, CSV or `.qdc`, as the multipart field `file` or "
        "the raw body) into the project's codebook: tags matched by slug are updated, new ones created; tags "
        "the file does not name are kept. The whole file is checked first; nothing is written if anything is "
        "wrong (400, each problem under the place it is: `tags[2].colour`, `row 3: parent`, ...).",
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
            "application/json": OpenApiTypes.OBJECT,
            "text/csv": OpenApiTypes.STR,
            "application/xml": OpenApiTypes.BINARY,
        },
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="`{format, dry_run, created, updated, unchanged}` (lists of slugs)"
            )
        },
    )
    def post(self, request, slug: str):
        project = access.project_for(request.user, slug, at_least=ProjectRole.MODERATOR)
        raw = body_bytes(request)
        if isinstance(raw, Response):
            return raw
        dry_run = request.query_params.get("dry_run", "").lower() in TRUE
        try:
            kind, records, places = read_codebook(raw, request.query_params.get("format") or None)
            report = services.codebook_import(
                project=project, by=request.user, records=records, places=places, dry_run=dry_run
            )
        except ImportRefused as refused:
            return Response(refused.problems, status=status.HTTP_400_BAD_REQUEST)
        return Response({"format": kind, "dry_run": dry_run, **report})
