"""The upload page of a project (`/projects/<slug>/papers/new/`): choose a file, review the extracted text with
its page breaks, correct it, give the metadata, save. The page's script calls the API
(`POST /api/v1/papers/extract/`, then `POST /api/v1/papers/`), which decides and checks everything."""

from django.conf import settings
from django.shortcuts import render

from projects.access import ensure_writable
from projects.models import ProjectRole
from projects.pages import page_project_named

from .views import role_required


@role_required
def paper_new(request, project: str):
    found = page_project_named(request, project, at_least=ProjectRole.MODERATOR)
    ensure_writable(found)
    context = {
        "project": found,
        "max_size": settings.UPLOAD_MAX_SIZE,
        "max_pages": settings.UPLOAD_MAX_PAGES,
    }
    return render(request, "annotations/paper_new.html", context)
