"""Coding rounds and assignments in the admin: to look at, with their history. Changes are made on the project's
rounds page, which goes through the services (owners only, one audit-trail row each)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.admin import ReadOnly, ReadOnlyInline

from .models import Assignment, CodingRound


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["analyst", "paper", "done_at"]


@admin.register(CodingRound)
class CodingRoundAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["project", "paper", "opened_by", "opened_at", "closed_at"]
    list_filter = ["project"]
    list_select_related = ["project", "paper", "opened_by"]
    readonly_fields = ["project", "paper", "opened_by", "opened_at", "closed_by", "closed_at"]
    inlines = [AssignmentInline]
