"""Server-rendered pages: thin, each calls selectors and renders a template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from . import discourse, selectors


@login_required
def papers(request):
    return render(request, "annotations/papers.html", {"papers": selectors.papers_with_claim_counts(request.user)})


@login_required
def reader(request, slug: str):
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    claims = selectors.claims_in_paper(request.user, paper)
    return render(request, "annotations/reader.html", {"paper": paper, "claims": claims})


@login_required
def argument_map(request):
    """The argument map page; the graph itself comes from GET /api/v1/map/ with the filters chosen here."""
    return render(request, "annotations/map.html", selectors.filter_choices())


@login_required
def compare(request):
    """The stance matrix page; the matrix comes from GET /api/v1/compare/."""
    return render(
        request, "annotations/compare.html", {**selectors.filter_choices(), "network_kinds": discourse.NETWORKS}
    )
