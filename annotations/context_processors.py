"""Template context for every page: the current project and the user's others (the navigation's switcher), and the
moderation queue's size in that project, for its moderators."""

from urllib.parse import urlencode

from django.utils.functional import SimpleLazyObject

from projects import access
from projects.models import DEFAULT_PROJECT_SLUG

from . import roles, selectors


def moderation(request) -> dict:
    """`current_project` (the project the page shows, set by the view; None elsewhere), `my_projects`,
    `current_role`, `can_moderate` and `moderation_pending`, all lazy: a page that does not show them pays no
    query (the projects come from the request's one membership query)."""
    user = getattr(request, "user", None)

    def current():
        """The page's project; on a page of no project (a history), the one the listing pages show first."""
        project = getattr(request, "sco_project", None)
        if project is not None or user is None:
            return project
        return access.landing_project(user)

    def can_moderate() -> bool:
        if user is None or not roles.in_any_project(user):
            return False
        project = current()
        return roles.can_moderate(user, project) if project is not None else roles.moderates_somewhere(user)

    allowed = SimpleLazyObject(can_moderate)

    def pending() -> int:
        project = current()
        if not allowed or project is None:
            return 0
        return selectors.moderation_pending_count(user, project=project)

    def role() -> str:
        project = current()
        return (access.role_in(user, project) or "") if project is not None and user is not None else ""

    def project_param() -> str:
        """The current project's slug as the pages and the API take it: nothing for the default project (which
        they address when none is named), so its addresses stay as they were before projects."""
        project = current()
        return "" if project is None or project.slug == DEFAULT_PROJECT_SLUG else project.slug

    def project_query() -> str:
        """`?project=<slug>` for the navigation's links (nothing for the default project)."""
        return f"?{urlencode({'project': project_param()})}" if project_param() else ""

    return {
        "current_project": SimpleLazyObject(current),
        "project_query": SimpleLazyObject(project_query),
        "project_param": SimpleLazyObject(project_param),
        "my_projects": SimpleLazyObject(lambda: access.member_projects(user) if user is not None else []),
        "current_role": SimpleLazyObject(role),
        "can_moderate": allowed,
        "moderation_pending": SimpleLazyObject(pending),
    }
