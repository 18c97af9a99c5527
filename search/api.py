"""GET /api/v1/search/: thin; the query language is in query.py, the search in selectors.py."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.scoping import PROJECT_PARAMETER, request_project
from annotations.models import Stance, Status
from annotations.parsing import whole_number

from . import selectors
from .presenting import page_data

SYNTAX = (
    'Words (all of them), `"a phrase"`, `a OR b`, `a NOT b`, `secur*` (prefix), `( )` to group; operators in '
    "upper case. A query the language refuses is a 400 on `q` saying why."
)


def filters_from(params) -> selectors.SearchFilters:
    values = {
        name: params.get(name, "").strip() for name in ("paper", "author", "country", "year", "tag", "stance", "status")
    }
    return selectors.SearchFilters(**values, scope=params.get("in", "").strip() or "all")


def whole(params, name: str, default: int, maximum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    value = whole_number(raw, maximum=maximum)
    if not value:
        raise ValidationError({name: [f"Give {name} as a whole number from 1 to {maximum}."]})
    return value


_context = inline_serializer(
    "SearchContext",
    {
        "text": serializers.CharField(),
        "highlights": serializers.ListField(child=serializers.ListField(child=serializers.IntegerField())),
    },
)
_passage = inline_serializer(
    "SearchPassage",
    {
        "kind": serializers.ChoiceField(["text", "claim"]),
        "start": serializers.IntegerField(),
        "end": serializers.IntegerField(),
        "score": serializers.FloatField(),
        "field": serializers.ChoiceField(["text", "statement", "exact", "note", "speaker"]),
        "context": _context,
        "reader_url": serializers.CharField(),
        "select": serializers.ListField(child=serializers.IntegerField(), required=False),
        "claim": inline_serializer(
            "SearchClaim",
            {
                "id": serializers.UUIDField(),
                "statement": serializers.CharField(),
                "status": serializers.ChoiceField(Status.choices),
                "stance": serializers.ChoiceField(Stance.choices),
                "tags": serializers.ListField(child=serializers.CharField()),
            },
            allow_null=True,
        ),
    },
)
_page = inline_serializer(
    "SearchPage",
    {
        "count": serializers.IntegerField(help_text="Papers with a hit."),
        "hits": serializers.IntegerField(help_text="Hits in all, passages and claims."),
        "page": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "results": serializers.ListField(
            child=inline_serializer(
                "SearchPaperHits",
                {
                    "paper": inline_serializer(
                        "SearchPaper",
                        {
                            "slug": serializers.SlugField(),
                            "title": serializers.CharField(),
                            "year": serializers.IntegerField(allow_null=True),
                            "authors": serializers.ListField(child=serializers.CharField()),
                        },
                    ),
                    "hits": serializers.IntegerField(help_text="Hits in this paper (its best `per_paper` are listed)."),
                    "passages": serializers.ListField(child=_passage),
                },
            )
        ),
    },
)


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        summary="Search the project's paper texts and claims",
        description=(
            "Full-text search over the passages of the project's papers and the claims you may see (quote, "
            "statement, note, speaker), ranked by the database's engine, grouped by paper (best first) and paged by "
            "paper. Each hit carries its line in context, whose `highlights` are [start, end) code points into "
            "`context.text` (render them as text), and `reader_url`: the reader at the claim, or at the passage "
            "with `select` (code points into the paper's text) selected for a new claim. " + SYNTAX + " `tag`, "
            "`stance` and `status` are a claim's: with any of them, claims alone are searched. See docs/search.md."
        ),
        parameters=[
            OpenApiParameter("q", str, required=True, description=SYNTAX),
            PROJECT_PARAMETER,
            OpenApiParameter(
                "in", str, enum=list(selectors.SCOPES), description="`all` (default), `text` or `claims`."
            ),
            OpenApiParameter("paper", str, description="Paper slug (comma-separated for several)."),
            OpenApiParameter("author", str, description="Author id or exact name (case-insensitive)."),
            OpenApiParameter("country", str, description="An author's country (case-insensitive)."),
            OpenApiParameter("year", str, description="A year (2015) or a range (2010-2015)."),
            OpenApiParameter("tag", str, description="Claims under this tag or a sub-tag (comma-separated: any)."),
            OpenApiParameter("stance", str, enum=Stance.values, description="Claims taking it (on `tag`, if given)."),
            OpenApiParameter("status", str, enum=Status.values, description="Claims in this status."),
            OpenApiParameter("page", int, description="Page of papers, from 1."),
            OpenApiParameter(
                "page_size", int, description=f"Papers a page, 1 to 50 (default {selectors.PAPERS_PER_PAGE})."
            ),
            OpenApiParameter(
                "per_paper",
                int,
                description=f"Hits listed per paper, 1 to {selectors.MAX_HITS_PER_PAPER} "
                f"(default {selectors.HITS_PER_PAPER}).",
            ),
        ],
        responses={
            200: _page,
            400: OpenApiResponse(description="A query or filter the search refuses: `{parameter: [message]}`."),
        },
    )
    def get(self, request):
        project = request_project(request)
        params = request.query_params
        page = selectors.search(
            request.user,
            project,
            params.get("q", ""),
            filters_from(params),
            page=whole(params, "page", 1, 100000),
            per_page=whole(params, "page_size", selectors.PAPERS_PER_PAGE, 50),
            per_paper=whole(params, "per_paper", selectors.HITS_PER_PAPER, selectors.MAX_HITS_PER_PAPER),
        )
        return Response(page_data(page))
