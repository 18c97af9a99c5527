"""The project a page is about, for the pages of both apps: named by its URL or query, checked against the user's
memberships, and kept on the request so that the navigation (context_processors) describes that project."""

from django.http import Http404

from . import access
from .models import Project, ProjectRole


def page_project_named(request, slug: str, *, at_least: str = ProjectRole.READER) -> Project:
    """The project `slug` names (the default project when empty), if the user holds at least that role in it; a
    project they are not a member of is a 404 that says nothing of it."""
    try:
        project = access.project_for(request.user, slug, at_least=at_least)
    except Project.DoesNotExist as error:
        raise Http404("No such project among yours.") from error
    request.sco_project = project
    return project
