"""The page where moderators of a paper's project edit its metadata (/papers/<slug>/edit/), and its history."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from projects import access
from projects.forms import PaperMetadataForm, apply_errors

from . import selectors, services
from .errors import PermissionDenied, ValidationError
from .models import Paper
from .services.paper_metadata import METADATA_FIELDS
from .views import role_required


@role_required
def paper_edit(request, slug: str):
    paper = selectors.paper_detail(request.user).select_related("project").filter(slug=slug).first()
    if paper is None or not access.can_read(request.user, paper.project):
        raise Http404("No such paper among your projects'.")
    if not access.can_moderate(request.user, paper.project):
        raise PermissionDenied("Only the moderators of this paper's project can edit its metadata.")
    initial = {name: getattr(paper, name) for name in METADATA_FIELDS} | {
        "authors": PaperMetadataForm.authors_text(paper)
    }
    form = PaperMetadataForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_update_metadata(paper=paper, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The paper's details are saved.")
            return redirect("annotations:paper-edit", slug=paper.slug)
    history = (
        Paper.history.filter(id=paper.pk).select_related("history_user").order_by("-history_date", "-history_id")[:50]
    )
    context = {"paper": paper, "form": form, "project": paper.project, "history": history}
    return render(request, "annotations/paper_edit.html", context)
