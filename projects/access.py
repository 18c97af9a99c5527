"""Who may do what in which project: a user's role in each project is read once per request (one query for all
of their memberships), so checks cost nothing more with ten projects than with one."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from annotations.precompiled import Precompiled

from .models import DEFAULT_PROJECT_SLUG, ROLE_RANK, Membership, Project, ProjectRole, default_project

ARCHIVED_MESSAGE = "This project is archived: it is read-only until an owner unarchives it."


def signed_in(user) -> bool:
    """An authenticated, active account: only such a user holds a role anywhere."""
    return bool(user and user.is_authenticated and user.is_active)


# Every request reads its user's memberships: compiled once (annotations.precompiled).
_memberships_of = Precompiled(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id).select_related("project").order_by("project__name", "project_id")
    ),
    2_147_000_001,
)


def _memberships(user) -> dict[int, tuple[str, Project]]:
    """Project id -> (role, project) for each of the user's memberships: one query, cached on the user object for
    the request, so that finding a project by slug, its name for the navigation and whether it is archived cost
    nothing more."""
    cached = getattr(user, "_project_memberships", None)
    if cached is None:
        cached = {row.project_id: (row.role, row.project) for row in _memberships_of(user.pk)}
        user._project_memberships = cached
    return cached


def roles_by_project(user) -> dict[int, str]:
    """The user's role in each of their projects, by project id; cached on the user object for the request."""
    if not signed_in(user):
        return {}
    cached = getattr(user, "_project_roles", None)
    if cached is None:
        cached = {project_id: role for project_id, (role, _) in _memberships(user).items()}
        user._project_roles = cached
    return cached


def member_projects(user) -> list[Project]:
    """The projects the user is a member of, by name (from the request's cache: no query)."""
    if not signed_in(user):
        return []
    return [project for _, project in _memberships(user).values()]


def project_by_id(user, project_id: int) -> Project:
    """A project by id: from the user's memberships when they are a member (no query), else read once for the
    request (a superuser's look at a project they are not a member of)."""
    if not signed_in(user):
        return Project.objects.get(pk=project_id)
    found = _memberships(user).get(project_id)
    if found is not None:
        return found[1]
    return _read_once(user, project_id, lambda: Project.objects.get(pk=project_id))


def _read_once(user, key: int | str, read) -> Project | None:
    """A project outside the user's memberships (by id or slug), read once for the request: the one cache of
    projects besides the memberships, kept on the user object with them. Nothing found is not kept."""
    others = user.__dict__.setdefault("_projects_read", {})
    if key not in others:
        project = read()
        if project is None:
            return None
        others[key] = project
    return others[key]


def forget_roles(user) -> None:
    """After a membership of this user changed within the request (tests, services)."""
    for name in ("_project_roles", "_project_memberships", "_projects_read"):
        if hasattr(user, name):
            delattr(user, name)


def role_in(user, project: Project | int) -> str | None:
    """The user's role in the project; superusers own every project; None for a non-member."""
    if not signed_in(user):
        return None
    if user.is_superuser:
        return ProjectRole.OWNER
    project_id = project if isinstance(project, int) else project.pk
    return roles_by_project(user).get(project_id)


def outranks(role: str | None, at_least: str) -> bool:
    """Whether `role` is `at_least` or above (None, no role, is below every role)."""
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[at_least]


def has_role(user, project: Project | int, at_least: str) -> bool:
    return outranks(role_in(user, project), at_least)


def has_role_somewhere(user, at_least: str) -> bool:
    """At least that role in some project (superusers own every project)."""
    if not signed_in(user):
        return False
    return user.is_superuser or any(outranks(role, at_least) for role in roles_by_project(user).values())


def can_read(user, project: Project | int) -> bool:
    return has_role(user, project, ProjectRole.READER)


def can_annotate(user, project: Project | int) -> bool:
    return has_role(user, project, ProjectRole.ANALYST)


def can_moderate(user, project: Project | int) -> bool:
    return has_role(user, project, ProjectRole.MODERATOR)


def can_manage(user, project: Project | int) -> bool:
    """Owners manage members and settings (archive, rename)."""
    return has_role(user, project, ProjectRole.OWNER)


def readable_project_ids(user) -> list[int] | None:
    """The ids of the projects the user may read (None: all of them, for a superuser)."""
    if signed_in(user) and user.is_superuser:
        return None
    return sorted(roles_by_project(user))


def visible_projects(user) -> QuerySet[Project]:
    """The projects the user belongs to (all of them for a superuser)."""
    ids = readable_project_ids(user)
    return Project.objects.all() if ids is None else Project.objects.filter(pk__in=ids)


def project_for(user, slug: str | None, *, at_least: str = ProjectRole.READER) -> Project:
    """The project a request names by slug (the default project when it names none), if the user holds at least
    that role in it. A project the user does not belong to raises Project.DoesNotExist, exactly as one that does
    not exist (a 404, nothing leaked); a member whose role is too low gets PermissionDenied (a 403)."""
    wanted = slug or DEFAULT_PROJECT_SLUG
    project = next((known for known in member_projects(user) if known.slug == wanted), None)
    if project is None and signed_in(user):
        project = _read_once(
            user, wanted, lambda: Project.objects.filter(slug=slug).first() if slug else default_project()
        )
    if project is None or role_in(user, project) is None:
        raise Project.DoesNotExist(f"No project {slug!r} that you are a member of." if slug else "No project.")
    if not has_role(user, project, at_least):
        raise PermissionDenied(f"Your role in this project does not allow this (it needs {at_least} or above).")
    return project


def ensure_writable(project: Project) -> None:
    """Refuse every write into an archived project."""
    if project.archived:
        raise PermissionDenied(ARCHIVED_MESSAGE)


def landing_project(user) -> Project | None:
    """The project a page that names none shows: the default project for its members, else the user's first."""
    mine = member_projects(user)
    return next((p for p in mine if p.slug == DEFAULT_PROJECT_SLUG), mine[0] if mine else None)
