"""The admin: site staff's tooling over every project (each object shows its project), every model with useful
columns, filters and search; every write goes through the services, which check the role in the object's project.
Project members work in the pages and the API, which show each user their own projects only."""

import functools
import re
from urllib.parse import quote

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.functional import cached_property
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import codings, selectors
from .admin_moderation import (
    AuthorFilter,
    DeletedFilter,
    LinkPaperFilter,
    LinksInInline,
    LinksOutInline,
    ModerationAdmin,
    _excerpt,
    _reader_url,
)
from .admin_revisions import ClaimPlacementMixin, PaperRevisionAdmin, PaperRevisionMixin
from .admin_services import (
    ClaimServicesMixin,
    CodebookServicesMixin,
    LinkServicesMixin,
    PaperServicesMixin,
    VersionedServiceForm,
)
from .models import Author, Claim, Link, Paper, PaperAuthor, PaperRevision, Tag, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "project_roles", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__project"]

    @admin.display(description="roles")
    def project_roles(self, user: User) -> str:
        """The user's role in each of their projects (memberships; the role groups predate projects)."""
        return ", ".join(f"{m.project.slug}: {m.role}" for m in user.memberships.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__project")


class BylineInline(admin.TabularInline):
    model = PaperAuthor
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Paper)
class PaperAdmin(PaperServicesMixin, PaperRevisionMixin, SimpleHistoryAdmin):
    list_display = ["slug", "title", "project", "year", "venue", "author_names", "text_length"]
    search_fields = ["slug", "title", "venue", "authors__name"]
    list_filter = ["project", "year"]
    list_select_related = ["project"]
    # A paper stays in the project it was made in. Its pages come from extraction and follow its text through
    # revisions; its original file from an upload: neither is typed here.
    readonly_fields = ["project", "text_sha256", "pages", "source_file", "created_at", "updated_at"]
    inlines = [BylineInline]
    history_list_display = ["history_action", "history_change_reason", "text_sha256"]

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
    list_display = ["name", "affiliation", "country", "project"]
    list_filter = ["project", "country"]
    list_select_related = ["project"]
    search_fields = ["name", "affiliation"]
    readonly_fields = ["project"]


@admin.register(Tag)
class TagAdmin(CodebookServicesMixin, SimpleHistoryAdmin):
    list_display = ["slug", "name", "project", "parent", "swatch", "description"]
    list_filter = ["project", "parent"]
    search_fields = ["slug", "name", "description"]
    list_select_related = ["parent", "project"]
    # Proposals are accepted or rejected on the codebook page or through the API (services.tag_accept, tag_reject).
    readonly_fields = ["project", "status", "proposed_by"]
    history_list_display = ["history_action", "history_change_reason"]

    @admin.display(description="colour")
    def swatch(self, tag: Tag):
        # An image, not a style attribute: the CSP refuses inline style but allows data: images.
        fill = tag.colour if re.fullmatch(r"#[0-9a-fA-F]{6}", tag.colour) else "#888888"
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' width='32' height='14'><rect width='32' height='14' fill='{fill}'/></svg>"
        return format_html('<img src="data:image/svg+xml,{}" width="32" height="14" alt=""> {}', quote(svg), tag.colour)


class ClaimAdminForm(VersionedServiceForm):
    """The claim's tags as text, each with its stance: `anti-us:denies, enlargement` (a tag without a stance
    keeps the one it has, or takes the claim's)."""

    codings = forms.CharField(
        required=False,
        label="Tags",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Comma-separated tag slugs, each optionally with :affirms, :denies or :qualifies.",
    )

    class Meta:
        model = Claim
        fields = ["statement", "speaker", "stance", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            codings = self.instance.codings.select_related("tag").order_by("tag__slug")
            self.initial["codings"] = ", ".join(f"{c.tag.slug}:{c.stance}" for c in codings)

    def clean_codings(self) -> list[tuple[Tag, str | None]]:
        items = [item.strip() for item in self.cleaned_data["codings"].split(",") if item.strip()]
        given = [(slug, stance or None) for slug, _, stance in (map(str.strip, item.partition(":")) for item in items)]
        # The tags of the claim's project's codebook; the check's ValidationError is the form's.
        return codings.checked(given, functools.partial(selectors.tags_by_slug, project=self.instance.paper.project_id))

    # The service takes the codings as `tags`: a changed "codings" is a change of "tags" for it.
    def clean(self):
        cleaned = super().clean()
        if "codings" in cleaned:
            cleaned["tags"] = cleaned["codings"]
        return cleaned

    @cached_property
    def changed_data(self) -> list[str]:
        changed = super().changed_data
        return [*changed, "tags"] if "codings" in changed else changed


@admin.register(Claim)
class ClaimAdmin(ClaimServicesMixin, ClaimPlacementMixin, ModerationAdmin):
    noun = "claim"
    list_display = [
        "excerpt", "paper", "project", "author_names", "stance", "tag_list", "status", "created_by", "created_at",
        "is_deleted", "in_reader",
    ]  # fmt: skip
    list_filter = ["status", DeletedFilter, "paper", AuthorFilter, "tags", "stance", "created_by"]
    search_fields = ["exact", "statement", "speaker", "note"]
    list_select_related = ["paper__project", "created_by"]
    fieldsets = [
        ("Where (read-only: anchors are set on the reader)",
         {"fields": ["paper", "in_reader", "start", "end", "prefix", "exact", "suffix"]}),
        ("What", {"fields": ["statement", "speaker", "stance", "codings", "note"]}),
        ("Anchoring after text revisions", {"fields": ["anchor_state", "anchor_score", "anchor_revision", "status_before_orphaned"]}),
        (
            "Moderation",
            {"fields": ["status", "moderation_reason", "moderated_by", "moderated_at", "created_by", "created_at",
                        "updated_at", "version", "deleted_at", "id"]},
        ),
    ]  # fmt: skip
    readonly_fields = [
        "id", "paper", "in_reader", "start", "end", "exact", "prefix", "suffix", "status", "moderation_reason",
        "version", "created_by", "created_at", "updated_at", "moderated_by", "moderated_at", "deleted_at",
        "anchor_state", "anchor_score", "anchor_revision", "status_before_orphaned",
    ]  # fmt: skip
    form = ClaimAdminForm
    inlines = [LinksOutInline, LinksInInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("paper__text")
            .prefetch_related(selectors.codings_with_tags(), selectors.paper_bylines("paper__bylines"))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.deleted_at is not None:
            return [*self.readonly_fields, "statement", "speaker", "stance", "codings", "note"]
        return self.readonly_fields

    @admin.display(description="project")
    def project(self, claim: Claim) -> str:
        return claim.paper.project.name

    @admin.display(description="quote")
    def excerpt(self, claim: Claim) -> str:
        return _excerpt(claim.exact)

    @admin.display(description="authors")
    def author_names(self, claim: Claim) -> str:
        return "; ".join(byline.author.name for byline in claim.paper.bylines.all())

    @admin.display(description="tags")
    def tag_list(self, claim: Claim) -> str:
        return ", ".join(f"{coding.tag.slug} ({coding.stance})" for coding in claim.codings.all())

    # Shown in place of the form field when the claim is deleted (read-only).
    codings = tag_list

    @admin.display(description="reader")
    def in_reader(self, claim: Claim) -> str:
        return format_html('<a href="{}">read in place</a>', _reader_url(claim))


@admin.register(Link)
class LinkAdmin(LinkServicesMixin, ModerationAdmin):
    noun = "link"
    list_display = [
        "source_excerpt", "relation", "target_excerpt", "project", "status", "created_by", "created_at", "is_deleted",
    ]  # fmt: skip
    list_filter = ["status", DeletedFilter, LinkPaperFilter, "relation", "created_by"]
    search_fields = ["source__exact", "source__statement", "target__exact", "target__statement", "rationale"]
    list_select_related = ["source__paper__project", "target__paper", "created_by"]
    readonly_fields = [
        "id", "source_in_reader", "target_in_reader", "status", "moderation_reason", "version", "created_by",
        "created_at", "updated_at", "moderated_by", "moderated_at", "deleted_at",
    ]  # fmt: skip
    fields = [
        "source_in_reader", "relation", "target_in_reader", "rationale", "status", "moderation_reason",
        "moderated_by", "moderated_at", "created_by", "created_at", "updated_at", "version", "deleted_at", "id",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source__paper__text", "target__paper__text")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.deleted_at is not None:
            return [*self.readonly_fields, "relation", "rationale"]
        return self.readonly_fields

    @admin.display(description="project")
    def project(self, link: Link) -> str:
        return link.source.paper.project.name

    @admin.display(description="source")
    def source_excerpt(self, link: Link) -> str:
        return f"{link.source.paper.slug}: {_excerpt(link.source.exact, 60)}"

    @admin.display(description="target")
    def target_excerpt(self, link: Link) -> str:
        return f"{link.target.paper.slug}: {_excerpt(link.target.exact, 60)}"

    @admin.display(description="source")
    def source_in_reader(self, link: Link) -> str:
        return format_html('<a href="{}">{}</a>', _reader_url(link.source), self.source_excerpt(link))

    @admin.display(description="target")
    def target_in_reader(self, link: Link) -> str:
        return format_html('<a href="{}">{}</a>', _reader_url(link.target), self.target_excerpt(link))


admin.site.register(PaperRevision, PaperRevisionAdmin)  # revisions and their reports
