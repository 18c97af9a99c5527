"""Reads of projects: a user's projects with their role and counts, a project's members, and its audit trail
(the project's own rows and its memberships', which outlive the memberships they record)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotations.models import Paper, User
from curation.models import CurationAction
from curation.selectors import curation_decisions_of
from rounds.selectors import round_history_rows

from . import access
from .models import Membership, Project, ProjectHistoryAction

HISTORY_LIMIT = 200  # entries shown of a project's audit trail, newest first


def _count_of(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT per project (no join of papers with members, whose product would be counted)."""
    counted = queryset.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def projects_with_counts(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return queryset.select_related("created_by").annotate(
        papers_count=_count_of(Paper.objects.all()), members_count=_count_of(Membership.objects.all())
    )


def projects_of(user: User) -> list[Project]:
    """The user's projects (every project for a superuser), each with `role` (the user's) and its counts:
    two queries (the user's memberships, once per request, and the projects)."""
    projects = list(projects_with_counts(access.visible_projects(user)).order_by("name", "slug"))
    for project in projects:
        project.role = access.role_in(user, project)
    return projects


def project_with_counts(user: User, project: Project) -> Project:
    found = projects_with_counts(Project.objects.filter(pk=project.pk)).get()
    found.role = access.role_in(user, found)
    return found


def project_members(project: Project) -> QuerySet[Membership]:
    return Membership.objects.filter(project=project).select_related("user").order_by("user__username")


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: str | None
    action: str
    subject: str  # "project", or the member's username
    changes: dict[str, dict[str, Any]]
    reason: str


MEMBER_ACTIONS = {
    ProjectHistoryAction.CREATED: "added",
    ProjectHistoryAction.EDITED: "role changed",
    ProjectHistoryAction.DELETED: "removed",
}
PROJECT_FIELDS = ("slug", "name", "description", "archived")


def project_history(project: Project, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The project's audit trail, newest first: its creation, renames, archiving, every membership added,
    re-roled or removed, its coding rounds opened, closed and assigned, and its curation decisions, with who did it
    and when. Six queries, however many rows."""
    project_rows = list(
        Project.history.filter(id=project.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    member_rows = list(
        Membership.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    # By id, not select_related: a history row must show even if its user account was deleted since.
    names = dict(User.objects.filter(pk__in={row.user_id for row in member_rows}).values_list("pk", "username"))
    entries: list[HistoryEntry] = []
    previous: dict[str, Any] | None = None
    for row in project_rows:
        state = {field: getattr(row, field) for field in PROJECT_FIELDS}
        changes = {
            field: {"from": None if previous is None else previous[field], "to": value}
            for field, value in state.items()
            if previous is None or previous[field] != value
        }
        if previous is None:
            changes = {field: change for field, change in changes.items() if change["to"] not in ("", None, False)}
        entries.append(_entry(row, row.history_action, "project", changes))
        previous = state
    roles: dict[int, str] = {}
    for row in member_rows:
        before = roles.get(row.id)
        after = None if row.history_type == "-" else row.role
        roles[row.id] = row.role
        username = names.get(row.user_id, f"#{row.user_id}")
        action = MEMBER_ACTIONS.get(row.history_action, row.history_action)
        entries.append(_entry(row, action, username, {"role": {"from": before, "to": after}}))
    for row in round_history_rows(project):
        entries.append(_entry(row, row.history_action, "coding round", {}))
    for decision in curation_decisions_of(project, limit):
        entries.append(_curation_entry(decision))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def _curation_entry(decision) -> HistoryEntry:
    """A curation decision as an entry: "curated" the paper (its slug the subject), the reason saying which
    decision, then the curator's own words."""
    said = CurationAction(decision.action).label
    return HistoryEntry(
        at=decision.at,
        by=decision.by.username,
        action="curated",
        subject=decision.paper.slug,
        changes={"decision": {"from": None, "to": decision.action}},
        reason=f"{said}: {decision.reason}" if decision.reason else said,
    )


def _entry(row, action: str, subject: str, changes: dict) -> HistoryEntry:
    return HistoryEntry(
        at=row.history_date,
        by=row.history_user.username if row.history_user else None,
        action=str(action),
        subject=subject,
        changes=changes,
        reason=row.history_change_reason or "",
    )
