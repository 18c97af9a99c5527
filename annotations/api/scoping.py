"""The project a request addresses: `project` (a slug) in the query string, or in the JSON body of a write; the
default project when it names none. Lists, counts, exports, analyses and imports read and write that project; an
object named by its own id or slug (a paper, a claim, a link, an author) is found in any project of the user's,
or in the named project alone when one is named."""

from django.core.exceptions import PermissionDenied as DomainPermissionDenied
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from projects import access
from projects.models import Project, ProjectRole

PROJECT_PARAMETER = OpenApiParameter(
    "project",
    str,
    description="The project's slug; the default project (sco-security-cooperation) when left out. A project you "
    "are not a member of is a 404.",
)


def project_slug(request, *, body: bool = True) -> str:
    """The slug the request names, from its query string or (a write, unless `body` is False: an import, whose
    body is the file) its JSON body; '' when none."""
    slug = request.query_params.get("project")
    json_body = request.content_type.startswith("application/json")
    if not slug and body and json_body and request.method not in SAFE_METHODS:
        data = request.data
        slug = data.get("project") if isinstance(data, dict) else None
    return slug.strip() if isinstance(slug, str) else ""


def request_project(request, *, at_least: str = ProjectRole.READER, body: bool = True) -> Project:
    """The project the request addresses, for a member with at least that role: else 404 (not a member: nothing
    said of the project) or 403 (a role too low). Kept on the request for its filters; asking again costs no query
    (projects.access keeps the user's projects for the request)."""
    try:
        project = access.project_for(request.user, project_slug(request, body=body), at_least=at_least)
    except Project.DoesNotExist as error:
        raise NotFound(str(error)) from error
    except DomainPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    request.sco_project = project
    return project


def named_project(request) -> Project | None:
    """The project the request names, if it names one (then checked as request_project); else None: an object
    named by its id is looked up in all of the user's projects."""
    return request_project(request) if project_slug(request) else None
