"""The agreement report in the API: `GET /api/v1/agreement/?project=&paper=&analysts=a,b[,c]`, as JSON or, with
`format=csv` (or `Accept: text/csv`), as CSV. Owners and moderators of the project only."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.permissions import HasRole
from annotations.api.scoping import request_project
from projects.models import ProjectRole

from . import agreement
from .serializers import AgreementReport


class CSVRenderer(renderers.BaseRenderer):
    """Lets `format=csv` and `Accept: text/csv` through DRF's negotiation; the view writes the CSV itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, str | bytes) else renderers.JSONRenderer().render(data)


def report_for(request) -> dict:
    project = request_project(request, at_least=ProjectRole.MODERATOR, body=False)
    paper = agreement.paper_named(project, request.query_params.get("paper", ""))
    names = request.query_params.get("analysts", "").split(",")
    analysts = agreement.analysts_named(project, names, paper)
    return agreement.project_report(project, paper=paper, analysts=analysts)


class AgreementView(APIView):
    permission_classes = [HasRole]
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]

    def handle_exception(self, exc):
        # A refusal is JSON whatever format the report was asked in (the schema says so).
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="agreement_report",
        parameters=[
            OpenApiParameter("project", str, description="The project's slug (default: the default project)."),
            OpenApiParameter("paper", str, description="One paper's slug; default: every paper the analysts coded."),
            OpenApiParameter(
                "analysts", str, description="Usernames, comma-separated (default: everyone with a claim here)."
            ),
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: one row per figure."),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                AgreementReport, description="The report (docs/agreement.md); CSV with format=csv."
            ),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per figure."),
            400: OpenApiResponse(description="`{paper|analysts: [messages]}`"),
            403: OpenApiResponse(description="Not an owner or moderator of the project."),
            404: OpenApiResponse(description="No such project among yours."),
        },
    )
    def get(self, request):
        """How far the project's analysts agree: unitizing, tags, stances and links, pairwise, per paper, and the
        disagreeing units (docs/agreement.md). Owners and moderators of the project."""
        data = report_for(request)
        if request.accepted_renderer.format == "csv":
            response = HttpResponse(agreement.report_csv(data), content_type="text/csv; charset=utf-8")
            name = f"agreement-{data['project']}{'-' + data['paper'] if data['paper'] else ''}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return Response(data)
