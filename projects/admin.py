"""Projects and memberships in the admin: to look at, with their history. Changes are made on the project's
pages (/projects/<slug>/members/, /settings/), which go through the services and their rules (the last owner,
archiving) and record who did what."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Project


class ReadOnly:
    """An admin to look at: rows are written by the services (their rules, their history), never here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Rows shown in their parent's page, to look at: their `fields`, all read-only, and no blank rows to add."""

    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "added_at"]


@admin.register(Project)
class ProjectAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["slug", "name", "archived", "created_by", "created_at"]
    list_filter = ["archived"]
    search_fields = ["slug", "name"]
    readonly_fields = ["slug", "name", "description", "archived", "created_by", "created_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["project", "user", "role", "added_at"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__slug"]
    list_select_related = ["project", "user"]
