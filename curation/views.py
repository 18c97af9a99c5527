"""The curation page of a paper (moderators and owners of its project): the analysts' versions aligned by
position, unit by unit; its script (annotations/js/curate.js) sends the decisions to the curation API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from annotations.models import Paper
from projects.models import ProjectRole
from projects.pages import page_project_named

from .aligning import MERGE_FIELDS
from .selectors import curation_board


@login_required
def curate_paper(request, slug: str, paper: str):
    project = page_project_named(request, slug, at_least=ProjectRole.MODERATOR)
    paper = get_object_or_404(Paper.objects.defer("text"), project=project, slug=paper)
    board = curation_board(paper)
    for unit in board["units"]:
        # One cell per analyst, in the same columns on every row; an analyst without a version here gets none.
        unit["cells"] = [(coder, unit["versions"].get(coder)) for coder in board["coders"]]
        unit["ids"] = " ".join(version["id"] for version in unit["versions"].values())
    context = {"project": project, "paper": paper, "board": board, "parts": (*MERGE_FIELDS, "links")}
    return render(request, "curation/curate.html", context)
