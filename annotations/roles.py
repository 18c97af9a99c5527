"""Who may do what, and where: the role tests for the API, pages, admin and services alike.

A user's role is their membership's role in one project (projects.access, read once per request), so every test
takes the project, or the item whose paper gives it: a claim, a link (its claims are in one project), a paper, a
tag or an author."""

from projects import access
from projects.models import Project, ProjectRole, default_project_id

from .models import Author, Claim, Link, Paper, Status, Tag, User

NO_ROLE_MESSAGE = "Your account has no role yet (reader, analyst or moderator): ask a moderator to give it one."

# Where a role test reads the project from.
Where = Project | int | Paper | Tag | Author | Claim | Link


def project_id_of(where: Where | None) -> int:
    """The project of `where`; a claim's is its paper's, a link's its source claim's (no query: the selectors and
    the locks load the papers with the claims); None stands for the default project (code and scripts written
    before projects)."""
    if where is None:
        return default_project_id()
    if isinstance(where, int):
        return where
    if isinstance(where, Project):
        return where.pk
    if isinstance(where, Claim):
        return where.paper.project_id
    if isinstance(where, Link):
        return where.source.paper.project_id
    return where.project_id


def in_any_project(user: User) -> bool:
    """Signed in, active, and a member of some project (superusers count as owners of every one). An account in
    no project may log in and out and change its password, and nothing else: no role, no access."""
    return access.signed_in(user) and bool(user.is_superuser or access.roles_by_project(user))


def can_read(user: User, where: Where | None = None) -> bool:
    return access.can_read(user, project_id_of(where))


def can_annotate(user: User, where: Where | None = None) -> bool:
    return access.can_annotate(user, project_id_of(where))


def can_moderate(user: User, where: Where | None = None) -> bool:
    return access.can_moderate(user, project_id_of(where))


def annotates_somewhere(user: User) -> bool:
    """An analyst (or above) in at least one project: the API's first gate before the item's project is known."""
    return access.has_role_somewhere(user, ProjectRole.ANALYST)


def moderates_somewhere(user: User) -> bool:
    return access.has_role_somewhere(user, ProjectRole.MODERATOR)


def can_edit(user: User, item: Claim | Link) -> bool:
    """Moderators edit (and delete) anything of their project; analysts their own items while they are pending."""
    if can_moderate(user, item):
        return True
    return can_annotate(user, item) and item.created_by_id == user.pk and item.status == Status.PENDING


def can_resubmit(user: User, item: Claim | Link) -> bool:
    """The analyst who made a rejected item may revise it, which sends it back to review (pending)."""
    return can_annotate(user, item) and item.created_by_id == user.pk and item.status == Status.REJECTED


def project_of(user: User, where: Where) -> Project:
    """The project of `where`, from the user's memberships (no query) or else read."""
    return access.project_by_id(user, project_id_of(where))


def is_archived(user: User, where: Where) -> bool:
    return project_of(user, where).archived


def ensure_writable(user: User, where: Where) -> None:
    """Refuse (PermissionDenied) every write into an archived project."""
    access.ensure_writable(project_of(user, where))


def projects_by_role(user: User, project: Where | None = None) -> list[tuple[str, list[int] | None]]:
    """The user's projects grouped by what their role there lets them see: reader, analyst or moderator (owners
    see as moderators), each with the project ids (None: every project, for a superuser). With `project`, that
    one project alone (or nothing for a non-member). At most three groups, so a visibility rule built from them
    has the same shape with ten projects as with one."""
    if not access.signed_in(user):
        return []
    if project is not None:
        project_id = project_id_of(project)
        role = access.role_in(user, project_id)
        return [] if role is None else [(_seen_as(role), [project_id])]
    if user.is_superuser:
        return [(ProjectRole.MODERATOR, None)]
    groups: dict[str, list[int]] = {}
    for project_id, role in access.roles_by_project(user).items():
        groups.setdefault(_seen_as(role), []).append(project_id)
    return [(role, sorted(ids)) for role, ids in sorted(groups.items())]


def _seen_as(role: str) -> str:
    return ProjectRole.MODERATOR if role == ProjectRole.OWNER else role


readable_project_ids = access.readable_project_ids
