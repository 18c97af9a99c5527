"""The curation page of a paper (moderators and owners of its project): the analysts' versions aligned by
position, unit by unit; its script (annotations/js/curate.js) sends the decisions to the curation API."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from annotations.models import Paper
from projects.models import ProjectRole
from projects.pages import page_project_named

from .selectors import curation_units, with_links
from .services import PARTS

UNITS_PER_PAGE = 50


def _pager(request, page, show: str) -> dict:
    def url(number: int) -> str:
        return "?" + urlencode({**({"show": show} if show else {}), "page": number})

    return {
        "pages": page.paginator.num_pages,
        "number": page.number,
        "count": page.paginator.count,
        "first": page.start_index(),
        "last": page.end_index(),
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


@login_required
def curate_paper(request, slug: str, paper: str):
    """`?show=undecided` leaves out the units already decided; `?page=N`, 50 units a page (a page that is not a
    number or past the end gives the nearest)."""
    project = page_project_named(request, slug, at_least=ProjectRole.MODERATOR)
    paper = get_object_or_404(Paper.objects.defer("text"), project=project, slug=paper)
    board = curation_units(paper)
    show = "undecided" if request.GET.get("show") == "undecided" else ""
    units = board["units"]
    for number, unit in enumerate(units, start=1):
        unit["number"] = number
    if show:
        units = [unit for unit in units if unit["decision"] is None]
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    for unit in with_links(list(page)):
        # One cell per analyst, in the same columns on every row; an analyst without a version here gets none.
        unit["cells"] = [(coder, unit["versions"].get(coder)) for coder in board["coders"]]
        unit["ids"] = " ".join(version["id"] for version in unit["versions"].values())
    context = {
        "project": project,
        "paper": paper,
        "board": board,
        "units": page,
        "show": show,
        "pager": _pager(request, page, show),
        "noun": "passages",
        "parts": PARTS,
    }
    return render(request, "curation/curate.html", context)
