"""The admin: every model with useful columns, filters and search (moderation actions call services)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html

from . import services
from .admin_revisions import ClaimPlacementMixin, PaperRevisionAdmin, PaperRevisionMixin
from .errors import PermissionDenied, ValidationError
from .models import Author, Claim, Link, Paper, PaperAuthor, PaperRevision, Tag, User
from .sanitize import clean_html


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role_names", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]

    @admin.display(description="role")
    def role_names(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


class BylineInline(admin.TabularInline):
    model = PaperAuthor
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Paper)
class PaperAdmin(PaperRevisionMixin, admin.ModelAdmin):
    list_display = ["slug", "title", "year", "venue", "author_names", "text_length"]
    search_fields = ["slug", "title", "venue", "authors__name"]
    list_filter = ["year"]
    readonly_fields = ["text_sha256", "created_at", "updated_at"]
    inlines = [BylineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description="authors")
    def author_names(self, paper: Paper) -> str:
        return "; ".join(byline.author.name for byline in paper.bylines.all())

    @admin.display(description="code points")
    def text_length(self, paper: Paper) -> int:
        return len(paper.text)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "country"]
    list_filter = ["country"]
    search_fields = ["name", "affiliation"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "parent", "swatch", "description"]
    list_filter = ["parent"]
    search_fields = ["slug", "name", "description"]
    list_select_related = ["parent"]

    @admin.display(description="colour")
    def swatch(self, tag: Tag):
        return format_html('<span style="background:{};padding:0 1.2em">&nbsp;</span> {}', tag.colour, tag.colour)


def _moderate_selected(modeladmin, request, queryset, decision: str, moderate) -> None:
    done = 0
    for item in queryset:
        try:
            moderate(item.pk, request.user, decision)
            done += 1
        except (PermissionDenied, ValidationError) as error:
            modeladmin.message_user(
                request, f"{item}: {'; '.join(getattr(error, 'messages', [str(error)]))}", messages.ERROR
            )
    modeladmin.message_user(request, f"{decision.capitalize()}d {done} item(s).", messages.SUCCESS)


@admin.register(Claim)
class ClaimAdmin(ClaimPlacementMixin, admin.ModelAdmin):
    list_display = ["excerpt", "paper", "stance", "tag_list", "status", "created_by", "created_at"]
    list_filter = ["status", "stance", "paper", "tags", "created_by"]
    search_fields = ["exact", "statement", "speaker", "note"]
    list_select_related = ["paper", "created_by"]
    readonly_fields = [
        "id", "paper", "start", "end", "exact", "prefix", "suffix", "version", "created_by", "created_at",
        "updated_at", "moderated_by", "moderated_at", "deleted_at",
    ]  # fmt: skip
    filter_horizontal = ["tags"]
    actions = ["approve_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("paper__text").prefetch_related("tags")

    def save_model(self, request, obj, form, change):
        # Edits here go through the same sanitizing and optimistic-locking counter as the API's.
        obj.note = clean_html(obj.note)
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.display(description="quote")
    def excerpt(self, claim: Claim) -> str:
        return claim.exact if len(claim.exact) <= 80 else claim.exact[:77] + "..."

    @admin.display(description="tags")
    def tag_list(self, claim: Claim) -> str:
        return ", ".join(tag.slug for tag in claim.tags.all())

    @admin.action(description="Approve the selected claims")
    def approve_selected(self, request, queryset):
        _moderate_selected(
            self, request, queryset, "approve",
            lambda pk, user, decision: services.claim_moderate(claim_id=pk, by=user, decision=decision),
        )  # fmt: skip


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["source", "relation", "target", "status", "created_by", "created_at"]
    list_filter = ["status", "relation", "created_by"]
    search_fields = ["source__exact", "target__exact", "rationale"]
    list_select_related = ["source", "target", "created_by"]
    readonly_fields = ["id", "source", "target", "version", "created_by", "created_at", "updated_at", "deleted_at"]
    actions = ["approve_selected"]

    def save_model(self, request, obj, form, change):
        obj.rationale = clean_html(obj.rationale)
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve the selected links")
    def approve_selected(self, request, queryset):
        _moderate_selected(
            self, request, queryset, "approve",
            lambda pk, user, decision: services.link_moderate(link_id=pk, by=user, decision=decision),
        )  # fmt: skip


admin.site.register(PaperRevision, PaperRevisionAdmin)  # issue 7: revisions and their reports
