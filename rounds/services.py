"""Coding-round commands: open and close a round, assign analysts to papers, mark a paper done. Each runs in one
transaction, locks its project first (two owners cannot open two rounds of one scope at once), and writes one
history row (who, when, what) for the project's audit trail."""

from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from annotations import history
from annotations.errors import PermissionDenied, ValidationError
from annotations.models import User
from projects import access
from projects.models import Membership, Project, ProjectHistoryAction, ProjectRole

from .models import Assignment, CodingRound
from .selectors import open_rounds, paper_in

Saved = TypeVar("Saved", CodingRound, Assignment)
OWNERS_ONLY = "Only the project's owners can open, close and assign coding rounds."


def _locked(project_id: int) -> Project:
    project = Project.objects.select_for_update().get(pk=project_id)
    access.ensure_writable(project)
    return project


def _owned_and_locked(project: Project, by: User) -> Project:
    if not access.can_manage(by, project):
        raise PermissionDenied(OWNERS_ONLY)
    return _locked(project.pk)


def _saved(instance: Saved, *, by: User, action: str, reason: str) -> Saved:
    """Save `instance` with its audit-trail row: who, which action, and the reason in words."""
    with history.attributed(instance, by=by, action=action, reason=reason):
        instance.save()
    return instance


@transaction.atomic
def round_open(*, project: Project, by: User, paper: str = "") -> CodingRound:
    """Put the project (or, with `paper`, one paper of it) in independent mode: until the round is closed, its
    readers and analysts see only their own claims and links there (owners and moderators see all)."""
    project = _owned_and_locked(project, by)
    chosen = paper_in(project, paper) if paper else None
    already = open_rounds().filter(project=project)
    if already.filter(paper__isnull=True).exists():
        raise ValidationError({"non_field_errors": ["A round of every paper is open already: close it first."]})
    if chosen is not None and already.filter(paper=chosen).exists():
        raise ValidationError({"paper": [f'A round of "{chosen.slug}" is open already.']})
    reason = f"opened a coding round of {chosen.slug if chosen else 'every paper'}"
    coding_round = CodingRound(project=project, paper=chosen, opened_by=by)
    return _saved(coding_round, by=by, action=ProjectHistoryAction.CREATED, reason=reason)


@transaction.atomic
def round_close(*, coding_round: CodingRound, by: User) -> CodingRound:
    """End independent mode: everyone sees the round's claims and links again, by the usual rules of their role."""
    _owned_and_locked(coding_round.project, by)
    coding_round = CodingRound.objects.select_related("paper").get(pk=coding_round.pk)
    if not coding_round.is_open:
        raise ValidationError({"non_field_errors": ["This round is closed already."]})
    coding_round.closed_at, coding_round.closed_by = timezone.now(), by
    reason = f"closed the coding round of {coding_round.paper.slug if coding_round.paper_id else 'every paper'}"
    return _saved(coding_round, by=by, action=ProjectHistoryAction.EDITED, reason=reason)


def _analyst(project: Project, username: str) -> User:
    member = Membership.objects.filter(project=project, user__username=username).select_related("user").first()
    if member is None:
        raise ValidationError({"analyst": [f'"{username}" is not a member of this project.']})
    if member.role == ProjectRole.READER:
        raise ValidationError({"analyst": [f"{username} is a reader: give them the analyst role first."]})
    return member.user


@transaction.atomic
def assignment_add(*, coding_round: CodingRound, by: User, analyst: str, paper: str) -> Assignment:
    """Assign `analyst` (a username) to code `paper` (a slug) in the round (owners; open rounds only)."""
    project = _owned_and_locked(coding_round.project, by)
    if not CodingRound.objects.filter(pk=coding_round.pk, closed_at__isnull=True).exists():
        raise ValidationError({"non_field_errors": ["This round is closed: open a new one to assign papers."]})
    chosen = paper_in(project, paper)
    if coding_round.paper_id and chosen.pk != coding_round.paper_id:
        raise ValidationError({"paper": [f'This round is of "{coding_round.paper.slug}" alone.']})
    user = _analyst(project, analyst)
    if Assignment.objects.filter(coding_round=coding_round, analyst=user, paper=chosen).exists():
        raise ValidationError({"paper": [f"{user.username} is assigned {chosen.slug} already."]})
    assignment = Assignment(coding_round=coding_round, analyst=user, paper=chosen)
    reason = f"assigned {chosen.slug} to {user.username}"
    return _saved(assignment, by=by, action=ProjectHistoryAction.CREATED, reason=reason)


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: User) -> None:
    _owned_and_locked(assignment.coding_round.project, by)
    reason = f"unassigned {assignment.paper.slug} from {assignment.analyst.username}"
    with history.attributed(assignment, by=by, action=ProjectHistoryAction.DELETED, reason=reason):
        assignment.delete()


@transaction.atomic
def assignment_mark(*, assignment: Assignment, by: User, done: bool) -> Assignment:
    """The assigned analyst (or an owner) marks the paper done, or to do again, while the round is open."""
    if by.pk != assignment.analyst_id and not access.can_manage(by, assignment.coding_round.project):
        raise PermissionDenied("Only the assigned analyst or an owner can mark this paper.")
    _locked(assignment.coding_round.project_id)
    assignment = Assignment.objects.select_related("coding_round", "paper", "analyst").get(pk=assignment.pk)
    if not assignment.coding_round.is_open:
        raise ValidationError({"non_field_errors": ["This round is closed."]})
    if (assignment.done_at is not None) == done:
        return assignment
    assignment.done_at = timezone.now() if done else None
    reason = f"{assignment.analyst.username} {'finished' if done else 'reopened'} {assignment.paper.slug}"
    return _saved(assignment, by=by, action=ProjectHistoryAction.EDITED, reason=reason)
