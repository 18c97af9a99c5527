"""The codebook page of a project: its tag tree with colours, descriptions and counts of claims, edited in place
by its moderators (through the API, from codebook.js) and read by everyone else in the project."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from projects import access
from projects.pages import page_project_named

from . import selectors
from .models import Paper, TagStatus
from .views import role_required

HISTORY_ON_PAGE = 20


@role_required
def codebook(request, slug: str):
    """404 for a project the user is not in (nothing leaked), the page for any member; moderators edit it, analysts
    propose tags from it; an archived project's codebook is read-only for all."""
    project = page_project_named(request, slug)
    entries = selectors.codebook_tree(project, request.user)
    can_edit = access.can_moderate(request.user, project) and not project.archived
    tags = [
        {
            "slug": entry.tag.slug,
            "name": entry.tag.name,
            "description": entry.tag.description,
            "colour": entry.tag.colour,
            "parent": entry.parent_slug,
            "status": entry.tag.status,
            "claims": entry.claims,
        }
        for entry in entries
    ]
    context = {
        "project": project,
        "entries": entries,
        "can_edit": can_edit,
        "can_propose": not can_edit and access.can_annotate(request.user, project) and not project.archived,
        "proposed": sum(entry.tag.status == TagStatus.PROPOSED for entry in entries),
        "history": selectors.codebook_history(project, request.user, limit=HISTORY_ON_PAGE),
        "codebook_data": {"tags": tags},
    }
    return render(request, "annotations/codebook.html", context)


@role_required
def paper_codebook(request, slug: str):
    """From a paper (the reader's claim form) to its project's codebook, where a tag can be proposed."""
    paper = get_object_or_404(Paper.objects.select_related("project").only("project__slug"), slug=slug)
    if access.role_in(request.user, paper.project) is None:
        raise Http404("No such paper.")
    return redirect(reverse("annotations:codebook", args=[paper.project.slug]) + "#propose")
