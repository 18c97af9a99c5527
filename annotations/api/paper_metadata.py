"""`PATCH /api/v1/papers/{slug}/`: a paper's metadata edited by the moderators of its project (mixed into
PaperViewSet). The text is not among the fields: it changes only through revisions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from projects import access

from .. import selectors, services
from ..models import Paper
from .serializers import PaperOut
from .serializers.fields import RefusesControlCharacters
from .serializers.uploads import AuthorSpecIn


class PaperMetadataIn(RefusesControlCharacters, serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    authors = AuthorSpecIn(
        many=True, required=False, help_text="The whole byline, in order; existing authors are reused by name."
    )
    year = serializers.IntegerField(min_value=1, max_value=9999, required=False, allow_null=True)
    venue = serializers.CharField(max_length=500, required=False, allow_blank=True)
    doi = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True)


class PaperMetadataMixin:
    @extend_schema(
        request=PaperMetadataIn,
        responses={200: PaperOut, 403: OpenApiResponse(description="Not a moderator of the paper's project.")},
    )
    def partial_update(self, request, slug=None):
        """(moderators of the paper's project) Change the title, authors, year, venue, DOI or URL; one history
        row lists the changes. A paper of a project you are not a member of is a 404."""
        paper = get_object_or_404(Paper.objects.select_related("project"), slug=slug)
        if not access.can_read(request.user, paper.project):
            raise Paper.DoesNotExist
        data = PaperMetadataIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.paper_update_metadata(paper=paper, by=request.user, **data.validated_data)
        return Response(PaperOut(selectors.papers_list().get(pk=paper.pk)).data)
