"""Papers from files: `POST /api/v1/papers/` (multipart: the file and its metadata), the extract-only step for
review, and the download of an uploaded original. Owners and moderators of the project upload; every member
of a paper's project may download its original."""

import mimetypes
from pathlib import PurePath

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from projects.access import can_read, project_for
from projects.models import Project, ProjectRole

from .. import selectors, services
from ..models import Paper, text_sha256
from . import serializers as s

duplicate = OpenApiResponse(
    response=s.DuplicatePaperOut,
    description="The project already holds this very text: `{file, detail, existing, url}` name that paper; "
    "nothing was written.",
)
no_project = OpenApiResponse(description="No such project that you are a member of.")


def _upload_project(request, slug: str) -> Project:
    return project_for(request.user, slug, at_least=ProjectRole.MODERATOR)


class PaperUploadMixin:
    """Added to the papers' viewset: create (upload), extract and source."""

    @extend_schema(
        request={"multipart/form-data": s.PaperUploadIn},
        responses={201: s.PaperDetailOut, 404: no_project, 409: duplicate},
        description="(owners and moderators of the project) Upload a paper: the file's text is extracted by its "
        "content and stored verbatim with its SHA-256 and pages, the original kept. `text` replaces the extracted "
        "text with the reviewed one; its pages follow the corrections (docs/uploads.md).",
    )
    def create(self, request):
        data = s.PaperUploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        upload = values.pop("file")
        project = _upload_project(request, values.pop("project", ""))
        authors = [services.AuthorIn(**author) for author in values.pop("authors")]
        paper = services.paper_upload(
            project=project, by=request.user, data=upload.read(), name=upload.name, authors=authors, **values
        )
        paper = selectors.paper_detail(request.user).get(pk=paper.pk)
        return Response(s.PaperDetailOut(paper, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": s.ExtractIn},
        responses={200: s.ExtractOut, 404: no_project},
        description="(owners and moderators of the project) The text a file would give, with its pages, for review "
        "before `POST /api/v1/papers/`; nothing is stored.",
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def extract(self, request):
        data = s.ExtractIn(data=request.data)
        data.is_valid(raise_exception=True)
        project = _upload_project(request, data.validated_data.get("project", ""))
        upload = data.validated_data["file"]
        extracted = services.paper_extract(project=project, by=request.user, data=upload.read(), name=upload.name)
        sha = text_sha256(extracted.text)
        existing = Paper.objects.filter(project=project, text_sha256=sha).values_list("slug", flat=True).first()
        body = {"kind": extracted.kind, "text": extracted.text, "length": len(extracted.text),
                "pages": extracted.pages, "text_sha256": sha, "existing": existing}  # fmt: skip
        return Response(s.ExtractOut(body).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The uploaded original of the paper (members of its project); 404 if it has none.",
    )
    @action(detail=True, methods=["get"], url_path="source", url_name="source")
    def source(self, request, slug=None):
        paper = get_object_or_404(Paper.objects.only("id", "slug", "project_id", "source_file"), slug=slug)
        if not can_read(request.user, paper.project_id) or not paper.source_file:
            raise NotFound()
        name = PurePath(paper.source_file.name).name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return FileResponse(paper.source_file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
