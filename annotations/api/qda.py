"""Export endpoints for qualitative-analysis tools and statistics: a REFI-QDA project (`.qdpx`), a REFI-QDA
codebook (`.qdc`), the tidy data package (`datapackage.zip`) and its tables as CSV. Thin: the ExportSet of
exchange.ExportView (the filters and visibility of claims/), then annotations.exporting_qda.
"""

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound

from .. import exporting_qda
from .exchange import ExportView, deleted_parameter, filter_parameters
from .import_body import QDPX_TYPE
from .scoping import PROJECT_PARAMETER, request_project

QDC_TYPE = "application/xml"
ZIP_TYPE = "application/zip"
CSV_TYPE = "text/csv; charset=utf-8"
BAD_FILTER = OpenApiResponse(description="`{filter: [problem]}`: an unknown filter value (as claims/).")
SIGN_IN = OpenApiResponse(description="Without credentials (token or session).")
NO_TABLE = OpenApiResponse(description="No such table.")


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    """The file as an attachment: bytes, or chunks streamed as they are written."""
    response = (
        HttpResponse(content, content_type=content_type)
        if isinstance(content, bytes)
        else StreamingHttpResponse(content, content_type=content_type)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _schema(description: str, media: str, *, filtered: bool = True, extra=()):
    return extend_schema(
        description=description,
        parameters=[*filter_parameters, deleted_parameter, PROJECT_PARAMETER, *extra]
        if filtered
        else [PROJECT_PARAMETER, *extra],
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY),
            **({400: BAD_FILTER} if filtered else {}),
            401: SIGN_IN,
            **({404: NO_TABLE} if extra else {}),
        },
    )


class QdpxExport(ExportView):
    @_schema(
        "A REFI-QDA project (`.qdpx`: a zip with `project.qde` and the papers' texts) for NVivo, ATLAS.ti, MAXQDA, "
        "QDA Miner and QualCoder: papers as text sources, claims as coded selections, tags as codes, links as "
        "links. See docs/exchange.md for the mapping.",
        QDPX_TYPE,
    )
    def get(self, request):
        return _attachment(exporting_qda.qdpx_chunks(self.export_set(request)), QDPX_TYPE, "sco-claims.qdpx")


class CodebookExport(ExportView):
    @_schema("The codebook (tags, hierarchy kept, and the stances) as a REFI-QDA codebook (`.qdc`).", QDC_TYPE,
             filtered=False)  # fmt: skip
    def get(self, request):
        codebook = exporting_qda.codebook_qdc(request_project(request))
        return _attachment(codebook, f"{QDC_TYPE}; charset=utf-8", "sco-claims.qdc")


class DatapackageExport(ExportView):
    @_schema(
        "A Frictionless Data Package (zip): papers, authors, bylines, tags, claims, codings, links and DNA "
        "statements as CSV, and `datapackage.json` describing every column.",
        ZIP_TYPE,
    )
    def get(self, request):
        return _attachment(exporting_qda.datapackage_chunks(self.export_set(request)), ZIP_TYPE,
                           "sco-claims-data.zip")  # fmt: skip


class TableExport(ExportView):
    """One table of the data package as CSV: /export/tables/<table>.csv, and /export/links.csv."""

    table = None

    @_schema(
        "One table of the data package as CSV (the columns are described in its `datapackage.json`).",
        "text/csv",
        extra=[OpenApiParameter("table", str, OpenApiParameter.PATH, enum=list(exporting_qda.TABLE_NAMES))],
    )
    def get(self, request, table: str | None = None):
        table = self.table or table
        if table not in exporting_qda.TABLE_NAMES:
            raise NotFound(f"No table {table!r}: the tables are {', '.join(exporting_qda.TABLE_NAMES)}.")
        response = StreamingHttpResponse(
            exporting_qda.table_chunks(self.export_set(request), table), content_type=CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="sco-claims-{table}.csv"'
        return response


class LinksCsvExport(TableExport):
    table = "links"

    @_schema("The links as an edge list, with both claims' papers, authors and holders (CSV).", "text/csv")
    def get(self, request):
        return super().get(request)
