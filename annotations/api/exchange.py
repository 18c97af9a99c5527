"""Export and import endpoints: thin wrappers over annotations.exporting and services.claims_import.

Exports stream (StreamingHttpResponse), take the filters of claims/ and show what claims/ shows the
user; they are not paginated, except the W3C collection, which pages as the Web Annotation Protocol says.
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from rounds.exporting import independent_layers

from .. import exporting, roles, services
from ..exports import FORMATS
from ..exports.native import ROUNDS_SECTION
from ..importing import ImportRefused
from ..parsing import whole_number
from . import import_body
from .filters import ClaimFilter
from .parsers import ImportBodyParser
from .permissions import Moderator
from .scoping import PROJECT_PARAMETER, request_project

TRUE = {"1", "true", "yes", "on"}

filter_parameters = [
    OpenApiParameter(
        name, str, description=str(getattr(ClaimFilter.base_filters[name], "extra", {}).get("help_text", ""))
    )
    for name in ClaimFilter.Meta.fields
]
deleted_parameter = OpenApiParameter(
    "deleted", str, enum=["include"], description="Moderators: include soft-deleted claims and links (a backup)."
)


class ExportView(APIView):
    format_name = "native"

    def streaming(self, chunks) -> StreamingHttpResponse:
        spec = FORMATS[self.format_name]
        response = StreamingHttpResponse(chunks, content_type=spec.content_type)
        response["Content-Disposition"] = f'attachment; filename="{spec.filename}"'
        return response

    def export_set(self, request, *, independent_layers: bool = False) -> exporting.ExportSet:
        deleted = request.query_params.get("deleted", "")
        if deleted not in ("", "include"):
            raise ValidationError({"deleted": [f'Give deleted as "include" or leave it out, not "{deleted}".']})
        include_deleted = deleted == "include"
        project = request_project(request)
        if include_deleted and not roles.can_moderate(request.user, project):
            raise ValidationError({"deleted": ["Only moderators can export deleted claims and links."]})
        return exporting.export_set(
            request.user,
            request.query_params,
            include_deleted=include_deleted,
            project=project,
            independent_layers=independent_layers,
        )

    def chunks(self, request, export: exporting.ExportSet):
        raise NotImplementedError

    def get(self, request):
        return self.streaming(self.chunks(request, self.export_set(request)))


def _schema(description: str, media: str, body=OpenApiTypes.STR):
    """The export's own media type; JSON formats declare an object, the text formats a string."""
    return extend_schema(
        description=description,
        parameters=[*filter_parameters, deleted_parameter, PROJECT_PARAMETER],
        responses={(200, media): OpenApiResponse(body)},
    )


class NativeExport(ExportView):
    format_name = "native"

    @extend_schema(
        description="The native export: papers (with text), authors, tags, claims and links; lossless. With "
        "`layers=independent` (moderators), also `coding_rounds`: each round with its assignments and each "
        "analyst's independent layer (docs/exchange.md).",
        parameters=[
            *filter_parameters,
            deleted_parameter,
            PROJECT_PARAMETER,
            OpenApiParameter("layers", str, enum=["independent"], description="Add the coding rounds' layers."),
        ],
        responses={(200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request):
        layers = request.query_params.get("layers", "")
        if layers not in ("", "independent"):
            raise ValidationError({"layers": [f'Give layers as "independent" or leave it out, not "{layers}".']})
        if not layers:
            return super().get(request)
        # The analysts' versions on papers under a closed round are in the claims too, not only the curated layer.
        export = self.export_set(request, independent_layers=True)
        if not roles.can_moderate(request.user, export.project):
            raise ValidationError({"layers": ["Only moderators and owners can export the independent layers."]})
        return self.streaming(exporting.native_chunks(export, extra={ROUNDS_SECTION: independent_layers(export)}))

    def chunks(self, request, export):
        return exporting.native_chunks(export)


class W3CExport(ExportView):
    format_name = "w3c"

    @extend_schema(
        description="Claims and links as a W3C Web Annotation AnnotationCollection; `?page=N` for one page.",
        parameters=[
            *filter_parameters,
            deleted_parameter,
            PROJECT_PARAMETER,
            OpenApiParameter("page", int, description="0-based page of the collection."),
        ],
        responses={(200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request):
        return super().get(request)

    def chunks(self, request, export):
        asked = request.query_params.get("page")
        page = None if asked is None else whole_number(asked)
        if asked is not None and page is None:
            raise ValidationError({"page": ["Give the page as a whole number from 0."]})
        params = request.query_params.copy()
        params.pop("page", None)
        path = request.path + (f"?{params.urlencode()}" if params else "")
        return exporting.w3c_chunks(
            export,
            base_url=request.build_absolute_uri("/"),
            collection_id=request.build_absolute_uri(path),
            page=page,
        )


class AifExport(ExportView):
    format_name = "aif"

    @_schema(
        "Claims (I-nodes, with their locutions) and links (RA/CA/MA) in AIF JSON.",
        "application/json",
        OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return super().get(request)

    def chunks(self, request, export):
        return exporting.aif_chunks(export)


class GraphmlExport(ExportView):
    format_name = "graphml"

    @_schema("Claims as nodes and links as directed edges, in GraphML.", "application/graphml+xml")
    def get(self, request):
        return super().get(request)

    def chunks(self, request, export):
        return exporting.graphml_chunks(export)


class CsvExport(ExportView):
    format_name = "csv"

    @_schema("One row per claim.", "text/csv")
    def get(self, request):
        return super().get(request)

    def chunks(self, request, export):
        return exporting.csv_chunks(export)


class ImportModerator(Moderator):
    message = "Only moderators can import."


class ImportView(APIView):
    """POST a native export or W3C annotations (JSON body). Moderators only; all or nothing."""

    permission_classes = [ImportModerator]
    # A .qdpx or .qdc as the multipart field `file` (a form, so a session's CSRF check can read request.POST);
    # anything else as the raw body, under the import's own size limit (IMPORT_MAX_SIZE).
    parser_classes = [parsers.MultiPartParser, ImportBodyParser]

    @extend_schema(
        description=(
            "Import, all or nothing: a native export, W3C annotations or Hypothesis rows (a search response "
            "`{total, rows}`, its rows, or the client's JSON export) as JSON; a REFI-QDA project (`.qdpx`) or "
            "codebook (`.qdc`) as the multipart field `file` (or as the raw body, e.g. `application/zip`). "
            "See docs/exchange.md."
        ),
        request={
            # A native export (an object), W3C annotations (a collection object, or a list of annotations),
            # Hypothesis rows (a search response, a client export, or a list of rows).
            "application/json": {"oneOf": [{"type": "object"}, {"type": "array", "items": {}}]},
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
            # A .qdpx (zip) or .qdc (XML) may also be the raw body, whatever its declared type.
            "application/octet-stream": OpenApiTypes.BINARY,
            "application/xml": OpenApiTypes.BINARY,
        },
        parameters=[
            PROJECT_PARAMETER,
            OpenApiParameter("dry_run", bool, description="Check the file and report, without writing."),
            OpenApiParameter(
                "paper",
                str,
                description="W3C: the paper the annotations are on, if not in `source`. Hypothesis: the paper of "
                "the rows whose `uri` is not a known paper identifier.",
            ),
            OpenApiParameter(
                "unknown_tags",
                str,
                enum=["propose", "refuse"],
                description="Hypothesis: a tag the project's codebook lacks becomes a proposed tag (`propose`, the "
                "default; listed in `proposed_tags`), or refuses its row (`refuse`).",
            ),
            OpenApiParameter(
                "unplaced",
                str,
                enum=["refuse", "skip"],
                description="Hypothesis: `skip` imports the rows that can be placed and lists the others in "
                "`skipped`; by default (`refuse`) one such row refuses the file.",
            ),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="created/updated/unchanged per kind"),
            400: OpenApiResponse(
                description="`{path: [problem, ...]}` for every problem (for a .qdpx the path names the place in "
                "the archive or in project.qde); nothing was written."
            ),
            413: OpenApiResponse(description="The file is larger than the import limit (`DJANGO_IMPORT_MAX_SIZE`)."),
        },
    )
    def post(self, request):
        document = import_body.import_document(request)
        if isinstance(document, Response):
            return document
        dry_run = request.query_params.get("dry_run", "").lower() in TRUE
        unknown_tags = request.query_params.get("unknown_tags", "propose")
        if unknown_tags not in ("propose", "refuse"):
            raise ValidationError({"unknown_tags": ['Give unknown_tags as "propose" or "refuse".']})
        try:
            report = services.claims_import(
                document=document,
                by=request.user,
                dry_run=dry_run,
                paper=request.query_params.get("paper"),
                skip_unplaced=request.query_params.get("unplaced") == "skip",
                propose_tags=unknown_tags == "propose",
                # The query string names the project: the body is the file.
                project=request_project(request, body=False),
            )
        except ImportRefused as refused:
            return Response(refused.problems, status=status.HTTP_400_BAD_REQUEST)
        return Response({"dry_run": dry_run, **report})
