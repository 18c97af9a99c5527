"""Server-rendered pages: thin, each calls selectors and renders a template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from . import selectors


@login_required
def papers(request):
    return render(request, "annotations/papers.html", {"papers": selectors.papers_with_claim_counts(request.user)})


@login_required
def reader(request, slug: str):
    paper = get_object_or_404(selectors.paper_detail(), slug=slug)
    claims = selectors.claims_in_paper(request.user, paper)
    return render(request, "annotations/reader.html", {"paper": paper, "claims": claims})
