"""The /search/ page: a form (GET, so a search is a link) and the results, server-rendered; thin, it calls the
same selector as the API."""

from django.shortcuts import render

from annotations import selectors as annotation_selectors
from annotations.errors import ValidationError, error_detail
from annotations.models import Author, Paper, Stance, Status
from annotations.parsing import whole_number
from annotations.views import page_project, role_required

from . import selectors
from .api import filters_from
from .presenting import reader_url, segments

FILTERS = ("paper", "author", "country", "year", "tag", "stance", "status", "in")


def _hits_shown(page: selectors.SearchPage) -> list[dict]:
    return [
        {
            "paper": group.paper,
            "count": group.count,
            "hits": [
                {
                    "hit": hit,
                    "url": reader_url(group.paper.slug, hit),
                    "pieces": segments(hit.context.text, hit.context.highlights),
                }
                for hit in group.hits
            ],
        }
        for group in page.papers
    ]


@role_required
def search_page(request):
    project = page_project(request)
    params = request.GET
    text = params.get("q", "").strip()
    context = {
        "project": project,
        "q": text,
        "chosen": {name: params.get(name, "").strip() for name in FILTERS},
        "papers": Paper.objects.filter(project=project).only("slug", "title").order_by("title"),
        "authors": Author.objects.filter(project=project).order_by("name"),
        "countries": Author.objects.filter(project=project)
        .exclude(country="")
        .values_list("country", flat=True)
        .order_by("country")
        .distinct(),
        "tags": annotation_selectors.tags_list(project),
        "stances": Stance.values,
        "statuses": Status.values,
        "scopes": selectors.SCOPES,
        "per_paper": min(
            whole_number(params.get("per_paper", "").strip()) or selectors.HITS_PER_PAPER, selectors.MAX_HITS_PER_PAPER
        ),
    }
    status = 200
    if text:
        page_number = whole_number(params.get("page", "1").strip(), maximum=100000) or 1
        try:
            found = selectors.search(
                request.user, project, text, filters_from(params), page=page_number, per_paper=context["per_paper"]
            )
        except ValidationError as error:
            context["errors"] = [message for messages in error_detail(error).values() for message in messages]
            status = 400
        else:
            context |= {"found": found, "groups": _hits_shown(found)}
            query = params.copy()
            query.pop("page", None)
            context["page_query"] = query.urlencode()
    return render(request, "search/search.html", context, status=status)
