"""The upload page of a project (`/projects/<slug>/papers/new/`): choose a file, review the extracted text with
its page breaks, correct it, give the metadata, save. The page's script calls the API
(`POST /api/v1/papers/extract/`, then `POST /api/v1/papers/`), which decides and checks everything."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from projects.access import ensure_writable, project_for
from projects.models import Project, ProjectRole

from .views import role_required


@role_required
def paper_new(request, project: str):
    try:
        found = project_for(request.user, project, at_least=ProjectRole.MODERATOR)
    except Project.DoesNotExist as error:
        raise Http404(str(error)) from error
    ensure_writable(found)
    context = {
        "project": found,
        "max_size": settings.UPLOAD_MAX_SIZE,
        "max_pages": settings.UPLOAD_MAX_PAGES,
    }
    return render(request, "annotations/paper_new.html", context)
