"""Project and membership commands: create, rename, archive; add, re-role and remove members. Each runs in one
transaction, locks its project first (so two owners cannot both step down at once and leave none), and writes
one history row (who, when, what) through annotations.history, as tags and papers do."""

from typing import Any

from django.conf import settings
from django.db import transaction

from annotations import history
from annotations.errors import PermissionDenied, ValidationError
from annotations.models import User
from annotations.textrules import check_fields

from . import access
from .models import Membership, Project, ProjectHistoryAction, ProjectRole

PROJECT_EDITABLE_FIELDS = {"name", "description"}
OWNERS_ONLY = "Only the project's owners can manage its members and settings."


def _ensure_owner(user: User, project: Project) -> None:
    if not access.can_manage(user, project):
        raise PermissionDenied(OWNERS_ONLY)


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_role(role: str) -> None:
    if role not in ProjectRole.values:
        raise ValidationError({"role": [f"Choose a role among {', '.join(ProjectRole.values)}, not {role!r}."]})


def may_create_projects(user: User) -> bool:
    """Any signed-in user, unless DJANGO_PROJECT_CREATION=staff keeps it to site staff."""
    if not access.signed_in(user):
        return False
    return settings.PROJECT_CREATION != "staff" or user.is_staff or user.is_superuser


@transaction.atomic
def project_create(*, by: User, slug: str, name: str, description: str = "") -> Project:
    """A new project, with `by` as its owner."""
    if not may_create_projects(by):
        raise PermissionDenied("On this site only staff can create projects: ask a staff member.")
    check_fields({"slug": slug, "name": name, "description": description})
    slug = slug.strip()
    if Project.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f'A project "{slug}" already exists: choose another slug.']})
    project = Project(slug=slug, name=name.strip(), description=description.strip(), created_by=by)
    project.full_clean()
    with history.attributed(project, by=by, action=ProjectHistoryAction.CREATED):
        project.save()
    membership = Membership(project=project, user=by, role=ProjectRole.OWNER)
    with history.attributed(membership, by=by, action=ProjectHistoryAction.CREATED, reason="created the project"):
        membership.save()
    access.forget_roles(by)
    return project


@transaction.atomic
def project_update(*, project: Project, by: User, **changes: Any) -> Project:
    """Rename or describe the project (owners; not while archived)."""
    _ensure_owner(by, project)
    unknown = set(changes) - PROJECT_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields(changes)
    project = _locked(project)
    access.ensure_writable(project)
    changed = False
    for field, value in changes.items():
        value = value.strip()
        changed |= getattr(project, field) != value
        setattr(project, field, value)
    project.full_clean()
    if changed:
        with history.attributed(project, by=by, action=ProjectHistoryAction.EDITED):
            project.save()
    return project


def _set_archived(project: Project, by: User, archived: bool) -> Project:
    _ensure_owner(by, project)
    project = _locked(project)
    if project.archived == archived:
        raise ValidationError({"non_field_errors": [f"This project is {'already' if archived else 'not'} archived."]})
    project.archived = archived
    action = ProjectHistoryAction.ARCHIVED if archived else ProjectHistoryAction.UNARCHIVED
    with history.attributed(project, by=by, action=action):
        project.save()
    return project


@transaction.atomic
def project_archive(*, project: Project, by: User) -> Project:
    """Make the project read-only for everyone, its owners included, until unarchived."""
    return _set_archived(project, by, True)


@transaction.atomic
def project_unarchive(*, project: Project, by: User) -> Project:
    return _set_archived(project, by, False)


def _account(username: str, email: str) -> User:
    """The account named by username (exactly) or by e-mail (any case); refusals name the field given."""
    username, email = (username or "").strip(), (email or "").strip()
    if bool(username) == bool(email):
        raise ValidationError({"non_field_errors": ["Give either a username or an e-mail address."]})
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError({"username": [f'No account has the username "{username}".']})
        field = "username"
    else:
        found = list(User.objects.filter(email__iexact=email)[:2])
        if not found:
            raise ValidationError({"email": [f'No account has the e-mail address "{email}".']})
        if len(found) > 1:
            raise ValidationError({"email": ["Several accounts have this e-mail address: give the username."]})
        user, field = found[0], "email"
    if not user.is_active:
        raise ValidationError({field: [f"The account {user.username} is deactivated."]})
    return user


def _owner_count(project: Project) -> int:
    return Membership.objects.filter(project=project, role=ProjectRole.OWNER).count()


LAST_OWNER = "{username} is the last owner of this project: make another member owner first."


@transaction.atomic
def member_add(*, project: Project, by: User, role: str, username: str = "", email: str = "") -> Membership:
    """Add an account (named by username or e-mail) to the project with `role` (owners)."""
    _ensure_owner(by, project)
    _check_role(role)
    project = _locked(project)
    access.ensure_writable(project)
    user = _account(username, email)
    existing = Membership.objects.filter(project=project, user=user).first()
    if existing is not None:
        raise ValidationError(
            {
                "email" if email and not username else "username": [
                    f"{user.username} is already a member ({existing.role}): change their role instead."
                ]
            }
        )
    membership = Membership(project=project, user=user, role=role)
    with history.attributed(membership, by=by, action=ProjectHistoryAction.CREATED):
        membership.save()
    _forget_roles(user, by)
    return membership


def _forget_roles(member: User, by: User) -> None:
    """The member's roles are read again on their next check, also through the request's own user object when the
    member is the one acting (someone leaving, or an owner changing their own role)."""
    access.forget_roles(member)
    if by.pk == member.pk:
        access.forget_roles(by)


def _membership(project: Project, username: str) -> Membership:
    """Raises Membership.DoesNotExist (a 404) for someone who is not a member."""
    return Membership.objects.select_related("user").get(project=project, user__username=username)


@transaction.atomic
def member_change_role(*, project: Project, by: User, username: str, role: str) -> Membership:
    """Give a member another role (owners); the last owner cannot be demoted."""
    _ensure_owner(by, project)
    _check_role(role)
    project = _locked(project)
    access.ensure_writable(project)
    membership = _membership(project, username)
    if membership.role == role:
        return membership
    if membership.role == ProjectRole.OWNER and _owner_count(project) == 1:
        raise ValidationError({"role": [LAST_OWNER.format(username=username)]})
    membership.role = role
    with history.attributed(membership, by=by, action=ProjectHistoryAction.EDITED):
        membership.save()
    _forget_roles(membership.user, by)
    return membership


@transaction.atomic
def member_remove(*, project: Project, by: User, username: str) -> None:
    """Remove a member (owners; any member may leave); the last owner cannot be removed. The history rows stay."""
    leaving = by.is_authenticated and by.get_username() == username and access.can_read(by, project)
    if not leaving:
        _ensure_owner(by, project)
    project = _locked(project)
    access.ensure_writable(project)
    membership = _membership(project, username)
    if membership.role == ProjectRole.OWNER and _owner_count(project) == 1:
        raise ValidationError({"non_field_errors": [LAST_OWNER.format(username=username)]})
    with history.attributed(
        membership, by=by, action=ProjectHistoryAction.DELETED, reason="left the project" if leaving else ""
    ):
        membership.delete()
    _forget_roles(membership.user, by)
